package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// registerRoutes lists every path the sandbox answers. Reading it tells what the sandbox can stand in for;
// a new API area adds its file and its lines here.
func (s *Server) registerRoutes() {
	// Access tokens: called with appid and secret instead of a token, and spared by FailRate.
	s.credentialRoute("GET /cgi-bin/token", s.getToken)
	s.credentialRoute("POST /cgi-bin/stable_token", s.getStableToken)

	// Shop basics.
	s.apiRoute("GET /channels/ec/basics/info/get", s.getShopInfo)
	s.apiRoute("GET /channels/ec/basics/media/get", s.getMedia)

	// Products (products.go), the category tree (categories.go), stock (stock.go), images (images.go).
	s.apiRoute("POST /merchant/create", s.createProduct)
	s.apiRoute("POST /merchant/del", s.deleteProduct)
	s.apiRoute("POST /merchant/update", s.updateProduct)
	s.apiRoute("POST /merchant/get", s.getProduct)
	s.apiRoute("POST /merchant/getbystatus", s.getProductsByStatus)
	s.apiRoute("POST /merchant/modproductstatus", s.setProductStatus)
	s.apiRoute("POST /merchant/category/getsub", s.getSubCategories)
	s.apiRoute("POST /merchant/category/getsku", s.getCategorySKUs)
	s.apiRoute("POST /merchant/category/getproperty", s.getCategoryProperties)
	s.apiRoute("POST /merchant/stock/add", s.addStock)
	s.apiRoute("POST /merchant/stock/reduce", s.reduceStock)
	s.apiRoute("POST /merchant/common/upload_img", s.uploadImage)

	// The storefront: postage templates (express.go), groups (groups.go), shelves (shelves.go). The getall
	// calls are GET without a body, as the manual has them.
	s.apiRoute("POST /merchant/express/add", s.addTemplate)
	s.apiRoute("POST /merchant/express/del", s.deleteTemplate)
	s.apiRoute("POST /merchant/express/update", s.updateTemplate)
	s.apiRoute("POST /merchant/express/getbyid", s.getTemplate)
	s.apiRoute("GET /merchant/express/getall", s.getAllTemplates)
	s.apiRoute("POST /merchant/group/add", s.addGroup)
	s.apiRoute("POST /merchant/group/del", s.deleteGroup)
	s.apiRoute("POST /merchant/group/propertymod", s.renameGroup)
	s.apiRoute("POST /merchant/group/productmod", s.modifyGroupProducts)
	s.apiRoute("GET /merchant/group/getall", s.getAllGroups)
	s.apiRoute("POST /merchant/group/getbyid", s.getGroup)
	s.apiRoute("POST /merchant/shelf/add", s.addShelf)
	s.apiRoute("POST /merchant/shelf/del", s.deleteShelf)
	s.apiRoute("POST /merchant/shelf/mod", s.modifyShelf)
	s.apiRoute("GET /merchant/shelf/getall", s.getAllShelves)
	s.apiRoute("POST /merchant/shelf/getbyid", s.getShelf)

	// Orders (orders.go): the merchant manual's (orders_merchant.go; getbyfilter is GET with a JSON body in the
	// manual, POST here as the client sends it), the mini-shop's (orders_shop.go), the Channels store's
	// (orders_channels.go), partner stores' (orders_partner.go); and the shopping-order permission
	// (permission.go).
	s.apiRoute("POST /merchant/order/getbyid", s.getMerchantOrder)
	s.apiRoute("POST /merchant/order/getbyfilter", s.getMerchantOrdersByFilter)
	s.apiRoute("POST /merchant/order/setdelivery", s.setMerchantDelivery)
	s.apiRoute("POST /merchant/order/close", s.closeMerchantOrder)
	s.apiRoute("POST /product/order/get", s.getShopOrder)
	s.apiRoute("POST /channels/ec/order/list/get", s.listChannelsOrders)
	s.apiRoute("POST /channels/ec/order/get", s.getChannelsOrder)
	s.apiRoute("POST /channels/ec/order/delivery/send", s.sendChannelsDelivery)
	s.apiRoute("POST /channels/ec/cooperation/order/get", s.getPartnerOrder)
	s.apiRoute("POST /user-order/orders-permission/open", s.openOrderPermission)
	s.apiRoute("POST /user-order/orders-permission/confirm", s.confirmOrderPermission)
	s.apiRoute("POST /channels/ec/order/deliverycompanylist/get", s.channelsCourierList)

	// The 微信小店 catalog (store_*.go), and which catalog calls belong to which kind of shop.
	s.registerStoreRoutes()
	// 微信小店 after-sales (aftersale.go): each call lets what is due happen first and pushes its changes
	// after; and the merchant's addresses (address.go).
	s.aftersaleRoute("POST /channels/ec/aftersale/getaftersalelist", s.getAftersaleList)
	s.aftersaleRoute("POST /channels/ec/aftersale/getaftersaleorder", s.getAftersaleOrder)
	s.apiRoute("POST /channels/ec/aftersale/getcomplaintorder", s.getComplaint)
	s.aftersaleRoute("POST /channels/ec/aftersale/addcomplaintmaterial", s.addComplaintMaterial)
	s.aftersaleRoute("POST /channels/ec/aftersale/addcomplaintproof", s.addComplaintProof)
	s.aftersaleRoute("POST /channels/ec/aftersale/acceptapply", s.acceptApply)
	s.aftersaleRoute("POST /channels/ec/aftersale/genaftersaleorder", s.genAftersale)
	s.aftersaleRoute("POST /channels/ec/aftersale/rejectapply", s.rejectApply)
	s.aftersaleRoute("POST /channels/ec/aftersale/rejectreason/get", s.getRejectReasons)
	s.aftersaleRoute("POST /channels/ec/aftersale/merchantupdateaftersale", s.merchantUpdateAftersale)
	s.aftersaleRoute("POST /channels/ec/aftersale/uploadrefundcertificate", s.uploadRefundCertificate)
	s.aftersaleRoute("POST /channels/ec/aftersale/acceptexchangereship", s.acceptExchangeReship)
	s.aftersaleRoute("POST /channels/ec/aftersale/rejectexchangereship", s.rejectExchangeReship)
	s.apiRoute("POST /channels/ec/merchant/address/list", s.listAddresses)
	s.apiRoute("POST /channels/ec/merchant/address/get", s.getAddress)
	s.apiRoute("POST /channels/ec/merchant/address/add", s.addAddress)
	s.apiRoute("POST /channels/ec/merchant/address/update", s.updateAddress)
	s.apiRoute("POST /channels/ec/merchant/address/delete", s.deleteAddress)

	// Not WeChat: files the sandbox hands out URLs for.
	s.files.HandleFunc("GET /sandbox/static/logo.png", s.serveLogo)
	s.files.HandleFunc("GET /sandbox/img/{name}", s.serveImage)
	// Not WeChat: a new paid order pushed to a callback URL, for the app's sandbox button (push.go).
	s.files.HandleFunc("POST /sandbox/orders/new", s.serveNewOrder)
	// Not WeChat: every order as its read call answers it, for the benchmark's seeding (orders_export.go).
	s.files.HandleFunc("GET /sandbox/orders/export", s.serveOrderExport)
	// Not WeChat: the buyer's side of after-sales, for the app's sandbox buttons (aftersale_buyer.go).
	s.files.HandleFunc("POST /sandbox/aftersales/buyer", s.serveBuyerMove)
	s.files.HandleFunc("POST /sandbox/aftersales/new", s.serveNewAftersale)
}

// route is one WeChat endpoint. WeChat has exactly one method per path and answers a wrong one with an
// errcode (43001/43002) rather than HTTP 405, which is why this is not an http.ServeMux.
type route struct {
	method     string
	needsToken bool // checks ?access_token= and is subject to FailRate and FailNext("")
	kind       Kind // set: only a shop of this kind has the call; the other answers 48001
	handle     func(*call) (any, error)
}

func (s *Server) apiRoute(pattern string, h func(*call) (any, error)) {
	s.addRoute(pattern, route{needsToken: true, handle: h})
}

// aftersaleRoute is an apiRoute whose handler first lets due after-sale changes happen (advanceAftersales
// runs inside each) and whose changes are pushed once it has run. After-sales belong to the Channels (微信小店)
// orders: an account without those answers 48001 here too.
func (s *Server) aftersaleRoute(pattern string, h func(*call) (any, error)) {
	s.apiRoute(pattern, func(c *call) (any, error) {
		if err := s.orders.available(srcChannels); err != nil {
			return nil, err
		}
		defer s.sendPendingAsync()
		return h(c)
	})
}

func (s *Server) credentialRoute(pattern string, h func(*call) (any, error)) {
	s.addRoute(pattern, route{needsToken: false, handle: h})
}

func (s *Server) addRoute(pattern string, rt route) {
	method, path, found := strings.Cut(pattern, " ")
	if !found || (method != http.MethodGet && method != http.MethodPost) || !strings.HasPrefix(path, "/") {
		panic(fmt.Sprintf("sandbox: bad route pattern %q", pattern))
	}
	if _, dup := s.routes[path]; dup {
		panic(fmt.Sprintf("sandbox: route %q registered twice", path))
	}
	rt.method = method
	s.routes[path] = rt
}
