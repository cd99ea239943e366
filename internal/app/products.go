package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const (
	productsPerPage          = 30
	settingLowStockThreshold = "low_stock_threshold"
	defaultLowStockThreshold = 5
)

func (a *App) lowStockThreshold(c *gin.Context) int64 {
	return a.settingInt(c.Request.Context(), settingLowStockThreshold, defaultLowStockThreshold)
}

// showProducts lists the mirror; it never waits on WeChat.
func (a *App) showProducts(c *gin.Context) {
	ctx := c.Request.Context()
	status, _ := strconv.Atoi(c.Query("status"))
	if status != shop.ProductOnSale && status != shop.ProductOffSale {
		status = 0
	}
	query := strings.TrimSpace(c.Query("q"))
	page := pageNumber(c)
	filter := db.ProductFilter{Status: status, Query: query, Limit: productsPerPage, Offset: (page - 1) * productsPerPage}
	rows, total, err := a.store.Products(ctx, filter)
	if err == nil && len(rows) == 0 && total > 0 {
		page = (total + productsPerPage - 1) / productsPerPage
		filter.Offset = (page - 1) * productsPerPage
		rows, total, err = a.store.Products(ctx, filter)
	}
	if err != nil {
		a.serverError(c, err)
		return
	}
	all, on, off, err := a.store.ProductCounts(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	threshold := a.lowStockThreshold(c)
	v := templates.ProductsView{
		Status: status, Query: query, CountAll: all, CountOn: on, CountOff: off,
		Pager:    templates.Pager{Page: page, PerPage: productsPerPage, Total: total, Base: *c.Request.URL},
		CanWrite: canWrite(Role(currentUser(c).Role)),
	}
	if t := a.shop.SyncedAt(ctx, shop.SettingProductsSyncedAt); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, p := range rows {
		v.Rows = append(v.Rows, templates.ProductRow{
			ID: p.ProductID, Name: p.Name, MainImg: p.MainImg, Price: money.Range(p.MinPrice, p.MaxPrice),
			Stock: p.TotalStock, OnSale: p.Status == shop.ProductOnSale, LowStock: p.TotalStock <= threshold,
		})
	}
	a.render(c, http.StatusOK, templates.ProductsPage(a.page(c, "title.products", "products"), v))
}

func (a *App) syncProductsNow(c *gin.Context) {
	p := a.printer(c)
	n, err := a.shop.SyncMirror(c.Request.Context(), a.journalOf(c), shop.MirrorProducts)
	if err != nil {
		a.flash(c, "error", p.T("products.sync.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("products.synced.now", n))
	}
	a.redirect(c, "/products")
}

// setProductStatus puts one or many products on or off sale, each on its own: one refusal does not stop the rest.
func (a *App) setProductStatus(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	ids := c.PostFormArray("id")
	back := localPath(c.PostForm("back"))
	if back == "/" {
		back = "/products"
	}
	// The form's status is what it asks for: "1" on sale, "0" off sale.
	status := c.PostForm("status")
	if status != "0" && status != "1" {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	if len(ids) == 0 {
		a.flash(c, "error", p.T("products.bulk.none"))
		a.redirect(c, back)
		return
	}
	onSale := status == "1"
	done, refused, err := a.shop.SetOnSale(ctx, a.journalOf(c), ids, onSale)
	if err != nil {
		a.serverError(c, err)
		return
	}
	var failures []string
	for _, f := range refused {
		failures = append(failures, f.Name+"："+wxMessage(p, f.Err))
	}
	key := "products.offsale.done"
	if onSale {
		key = "products.onsale.done"
	}
	if len(failures) > 0 {
		a.flash(c, "error", p.T(key, done)+" "+p.T("products.bulk.failed", strings.Join(failures, "；")))
	} else {
		a.flash(c, "ok", p.T(key, done))
	}
	a.redirect(c, back)
}

func (a *App) deleteProduct(c *gin.Context) {
	ed, ok := a.loadProduct(c)
	if !ok {
		return
	}
	row := ed.Row
	a.deleted(c, "products", row.ProductID, row.Name, a.shop.DeleteProduct(c.Request.Context(), a.journalOf(c), row))
}

func (a *App) showProduct(c *gin.Context) {
	ctx := c.Request.Context()
	ed, ok := a.loadProduct(c)
	if !ok {
		return
	}
	row, wp := ed.Row, ed.Product
	p := a.printer(c)
	writer := canWrite(Role(currentUser(c).Role))
	names := a.shop.SKUNamer(ctx, row.CategoryID)
	threshold := a.lowStockThreshold(c)
	base := wp.ProductBase
	v := templates.ProductView{
		ID: row.ProductID, Name: row.Name, OnSale: row.Status == shop.ProductOnSale, EverOnSale: row.EverOnSale,
		MainImg: base.MainImg, Images: base.Img, BuyLimit: base.BuyLimit, CanWrite: writer,
		Category: a.categoryName(c, row.CategoryID),
		Location: strings.TrimSpace(strings.Join([]string{wp.AttrExt.Location.Country, wp.AttrExt.Location.Province,
			wp.AttrExt.Location.City, wp.AttrExt.Location.Address}, " ")),
		Delivery: shop.DescribeDelivery(p, wp),
	}
	props := a.shop.PropertyNamer(ctx, row.CategoryID)
	for _, pr := range base.Property {
		v.Properties = append(v.Properties, props(pr))
	}
	for _, d := range base.Detail {
		v.Detail = append(v.Detail, templates.DetailBlock{Text: d.Text, Img: d.Img})
	}
	for flag, on := range map[string]int{"products.flag.receipt": wp.AttrExt.IsHasReceipt, "products.flag.guaranty": wp.AttrExt.IsUnderGuaranty, "products.flag.replace": wp.AttrExt.IsSupportReplace} {
		if on == 1 {
			v.Flags = append(v.Flags, p.T(flag))
		}
	}
	slices.Sort(v.Flags)
	for _, k := range row.SKUs {
		v.SKUs = append(v.SKUs, stockRow(row.ProductID, row.Name, k, names, threshold, writer, false))
	}
	groups, err := a.store.GroupsOfProduct(ctx, row.ProductID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, templates.GroupLink{ID: g.GroupID, Name: g.Name})
	}
	a.render(c, http.StatusOK, templates.ProductPage(a.page(c, "title.product", "products"), v))
}

func stockRow(productID, productName string, k db.SKU, names shop.SKUNamer, threshold int64, writer, withProduct bool) templates.StockRow {
	return templates.StockRow{
		ProductID: productID, ProductName: productName, SKUID: k.SKUID, Label: names.Label(k.SKUID),
		Price: money.Yuan(k.Price), OriPrice: money.Yuan(k.OriPrice), Quantity: k.Quantity,
		ProductCode: k.ProductCode, Low: k.Quantity <= threshold, CanWrite: writer, WithProduct: withProduct,
	}
}
