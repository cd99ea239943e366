package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// Stock of a 微信小店's SKUs: stock/update adds or reduces (set only when chosen explicitly), at once and without
// audit, but only for products listed at least once and not in audit; the page explains otherwise. The change
// itself, and its read-back after a lost answer, are shop.ChangeStoreStock's.

// changeStoreStock is POST /products/:id/stock for a 微信小店: sku_id, op (add, reduce, set), quantity.
func (a *App) changeStoreStock(c *gin.Context) {
	p := a.printer(c)
	back := localPath(c.PostForm("back"))
	if back == "/" {
		back = "/products/" + c.Param("id")
	}
	row, ans, ok := a.loadStoreProduct(c, false)
	if !ok {
		return
	}
	fail := func(msg string) {
		a.flash(c, "error", msg)
		a.redirect(c, back)
	}
	if msg := shop.StockRefusal(p, row); msg != "" {
		fail(msg)
		return
	}
	var sku *shop.StoreSKU
	for i := range ans.Product.SKUs {
		if string(ans.Product.SKUs[i].SKUID) == c.PostForm("sku_id") {
			sku = &ans.Product.SKUs[i]
		}
	}
	if sku == nil {
		a.renderError(c, http.StatusNotFound)
		return
	}
	op := c.PostForm("op")
	qty, err := strconv.ParseInt(strings.TrimSpace(c.PostForm("quantity")), 10, 64)
	switch {
	case !shop.IsStockOp(op):
		fail(p.T("stock.err.op"))
		return
	case err != nil || qty < 0 || qty == 0 && op != "set" || qty > 1_000_000:
		fail(p.T("stock.err.quantity"))
		return
	case op == "reduce" && qty > sku.StockNum:
		fail(p.T("stock.err.below", qty, sku.StockNum))
		return
	}
	now, err := a.shop.ChangeStoreStock(c.Request.Context(), a.journalOf(c), p, row, *sku, op, qty)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
	case err != nil:
		fail(wxMessage(p, err))
	default:
		a.flash(c, "ok", p.T("store.stock.saved", shop.SKULabel(*sku), now))
		a.redirect(c, back)
	}
}

// showStoreStock is /stock for a 微信小店: every SKU of the listed products, with its form.
func (a *App) showStoreStock(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	rows, _, err := a.store.StoreProducts(ctx, db.StoreTabAll, strings.TrimSpace(c.Query("q")), 500, 0)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.StoreStockView{Query: c.Query("q"), CanWrite: canWrite(Role(currentUser(c).Role))}
	threshold := a.lowStockThreshold(c)
	for _, r := range rows {
		full, err := a.store.StoreProductByID(ctx, r.ProductID)
		if err != nil {
			continue
		}
		ans, err := shop.StoredStoreProduct(full)
		if err != nil || ans.Product == nil {
			continue
		}
		refusal := shop.StockRefusal(p, full)
		for _, k := range ans.Product.SKUs {
			v.Rows = append(v.Rows, templates.StoreStockRow{ProductID: r.ProductID, Title: r.Title, SKUID: string(k.SKUID),
				Label: shop.SKULabel(k), Price: money.Yuan(k.SalePrice), Stock: k.StockNum, Low: k.StockNum <= threshold, Refusal: refusal})
		}
	}
	a.render(c, http.StatusOK, templates.StoreStockPage(a.page(c, "title.stock", "stock"), v))
}
