package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/web/static"
)

// routes lists every route of the app. Reading it tells what the app can do and who may do it.
func (a *App) routes() {
	r := a.engine
	r.Use(a.recoverPanics, a.logRequests, a.securityHeaders)
	r.NoRoute(func(c *gin.Context) { a.renderError(c, http.StatusNotFound) })
	r.NoMethod(func(c *gin.Context) { a.renderError(c, http.StatusMethodNotAllowed) })

	// Outside the session chain.
	r.GET(static.Prefix+"*file", gin.WrapH(a.assets))
	r.HEAD(static.Prefix+"*file", gin.WrapH(a.assets))
	r.GET("/healthz", a.healthz)

	// WeChat's pushes: signed, no session.
	r.GET("/wx/callback", a.verifyCallback)
	r.POST("/wx/callback", a.receiveCallback)

	// Public: anyone may sign in or pick a language.
	public := r.Group("/", a.checkOrigin, a.limitBody, noStore)
	public.GET("/login", a.showLogin)
	public.POST("/login", a.login)
	public.POST("/lang", a.switchLanguage)

	// Signed in: every role may look. a.kept marks the pages the page cache may keep and send again while the
	// database is unchanged (internal/pagecache says when: never a page with a flash message, a form's token
	// new at every sending).
	signedIn := public.Group("/", a.requireUser)
	signedIn.POST("/logout", a.logout)
	signedIn.GET("/account", a.showAccount)
	signedIn.POST("/account/password", a.journal, a.changeOwnPassword) // everyone's own, viewers too
	signedIn.GET("/", a.kept(a.showDashboard))
	signedIn.GET("/audit", a.showAuditLog)
	signedIn.GET("/categories", a.showCategories)
	signedIn.GET("/categories/:id", a.showCategory)
	signedIn.GET("/images", a.showImages)
	signedIn.GET("/images/:id/thumb", a.showImageThumb)
	signedIn.GET("/products", a.byKind(a.kept(a.showProducts), a.showStoreProducts))
	signedIn.GET("/products/:id", a.byKind(a.showProduct, a.showStoreProduct))
	signedIn.GET("/stock", a.byKind(a.showStock, a.showStoreStock))
	signedIn.GET("/groups", a.showGroups)
	signedIn.GET("/groups/:id", a.showGroup)
	signedIn.GET("/postage", a.byKind(a.showPostageTemplates, a.showStoreFreights))
	signedIn.GET("/postage/:id", a.byKind(a.showPostage, a.showStoreFreight))
	signedIn.GET("/postage/:id/fee", a.byKind(a.postageFee, a.storeFreightFee))
	signedIn.GET("/shelves", a.showShelves)
	signedIn.GET("/shelves/:id", a.showShelf)
	signedIn.GET("/shop-categories", a.requireKind(kindStore), a.showShopCategories)
	signedIn.GET("/shop-categories/:l1/:l2", a.requireKind(kindStore), a.showShopCategory)
	signedIn.GET("/window", a.requireKind(kindStore), a.showWindow)
	signedIn.GET("/permission", a.showPermission)
	signedIn.GET("/orders", a.kept(a.showOrders))
	signedIn.GET("/orders.csv", a.exportOrders)
	signedIn.GET("/orders/print", a.printOrders)
	signedIn.GET("/orders/:id", a.kept(a.showOrder))
	signedIn.GET("/aftersales", a.showAftersales)
	signedIn.GET("/aftersales/:id", a.showAftersale)
	signedIn.GET("/aftersales/:id/media", a.showAftersaleMedia)
	signedIn.GET("/return-addresses", a.showReturnAddresses)

	// Operators and admins: the shop's daily work.
	writer := signedIn.Group("/", a.requireRole(RoleAdmin, RoleOperator), a.journal)
	writer.POST("/images", a.uploadImages)
	writer.GET("/products/new", a.byKind(a.showNewProduct, a.showNewStoreProduct))
	writer.GET("/products/:id/edit", a.byKind(a.showEditProduct, a.showEditStoreProduct))
	writer.POST("/products", a.byKind(a.saveProduct, a.saveStoreProduct))
	writer.POST("/products/:id", a.byKind(a.saveProduct, a.saveStoreProduct))
	writer.POST("/products/sync", a.byKind(a.syncProductsNow, a.syncStoreProductsNow))
	writer.POST("/products/status", a.byKind(a.setProductStatus, a.setStoreProductStatus))
	writer.POST("/products/:id/delete", a.byKind(a.deleteProduct, a.deleteStoreProduct))
	// A 微信小店's own product actions (store_products.go).
	store := writer.Group("/", a.requireKind(kindStore))
	store.POST("/products/:id/listing", a.doStoreAction("listing"))
	store.POST("/products/:id/delisting", a.doStoreAction("delisting"))
	store.POST("/products/:id/cancel", a.doStoreAction("cancel"))
	store.POST("/products/:id/sandbox-audit", a.sandboxAudit)
	store.POST("/shop-categories", a.saveShopCategories)
	store.POST("/shop-categories/:l1/:l2/products", a.changeShopCategoryProducts)
	store.POST("/window/:id", a.changeWindow)
	writer.POST("/products/:id/stock", a.byKind(a.changeStock, a.changeStoreStock))
	writer.POST("/sandbox/new-order", a.simulateOrder)
	writer.POST("/orders/sync", a.syncOrdersNow)
	writer.POST("/orders/sources/:source/retry", a.retrySource)
	writer.GET("/orders/bulk-ship", a.showBulkShip)
	writer.GET("/orders/bulk-ship/sheet.csv", a.shippingSheet)
	writer.POST("/orders/bulk-ship", a.uploadBulkShip)
	writer.GET("/orders/bulk-ship/:id", a.showBatch)
	writer.POST("/orders/bulk-ship/:id/run", a.runBatch)
	writer.POST("/orders/bulk-ship/:id/retry", a.retryBatch)
	writer.POST("/orders/:id/ship", a.shipOrder)
	writer.POST("/couriers/refresh", a.refreshCouriers)
	writer.POST("/orders/:id/close", a.closeOrder)
	writer.GET("/orders/:id/aftersale", a.showOpenForBuyer)
	writer.POST("/orders/:id/aftersale", a.openForBuyer)
	writer.POST("/aftersales/sync", a.syncAftersalesNow)
	writer.POST("/aftersales/lists/refresh", a.refreshAftersaleLists)
	writer.POST("/aftersales/sandbox/new", a.sandboxNewAftersale)
	writer.POST("/aftersales/:id/answer", a.answerAftersale)
	writer.POST("/aftersales/:id/complaint", a.answerComplaint)
	writer.POST("/aftersales/:id/refresh", a.refreshAftersale)
	writer.POST("/aftersales/:id/sandbox", a.sandboxBuyer)
	writer.GET("/return-addresses/new", a.showNewReturnAddress)
	writer.GET("/return-addresses/:id/edit", a.showEditReturnAddress)
	writer.POST("/return-addresses", a.saveReturnAddress)
	writer.POST("/return-addresses/:id", a.saveReturnAddress)
	writer.POST("/return-addresses/:id/delete", a.deleteReturnAddress)
	writer.GET("/postage/new", a.byKind(a.showNewPostage, a.showNewStoreFreight))
	writer.POST("/postage", a.byKind(a.savePostage, a.saveStoreFreight))
	writer.POST("/postage/sync", a.byKind(a.syncPostageNow, a.syncStoreFreightNow))
	writer.POST("/postage/:id", a.byKind(a.savePostage, a.saveStoreFreight))
	writer.POST("/postage/:id/delete", a.byKind(a.deletePostage, a.refuseStoreFreightDelete))
	writer.GET("/shelves/new", a.showNewShelf)
	writer.POST("/shelves", a.saveShelf)
	writer.POST("/shelves/sync", a.syncShelvesNow)
	writer.POST("/shelves/:id", a.saveShelf)
	writer.POST("/shelves/:id/delete", a.deleteShelf)
	writer.GET("/groups/new", a.showNewGroup)
	writer.POST("/groups", a.createGroup)
	writer.POST("/groups/sync", a.syncGroupsNow)
	writer.POST("/groups/:id", a.updateGroup)
	writer.POST("/groups/:id/delete", a.deleteGroup)

	// Admins: users and settings.
	admin := signedIn.Group("/", a.requireRole(RoleAdmin), a.journal)
	admin.GET("/users", a.showUsers)
	admin.POST("/users", a.createUser)
	admin.POST("/users/:id", a.updateUser)
	admin.POST("/users/:id/password", a.resetPassword)
	admin.POST("/categories/refresh", a.refreshCategories)
	admin.POST("/categories/:id/refresh", a.refreshCategories)
	admin.POST("/permission/open", a.openPermission)
	admin.POST("/permission/confirm", a.confirmPermission)
	admin.GET("/settings", a.showSettings)
	admin.POST("/settings", a.saveSettings)
	admin.POST("/settings/check", a.checkConnection)
	admin.POST("/settings/catalog-kind", a.saveCatalogKind)
}
