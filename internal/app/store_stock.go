package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// Stock of a 微信小店's SKUs: stock/update adds or reduces (set only when chosen explicitly), at once and without
// audit, but only for products listed at least once and not in audit; the page explains otherwise. After a lost
// answer stock/get says whether the change went through, so it is never counted twice.

// storeStockRefusal is why the product's stock cannot change now, "" when it can.
func storeStockRefusal(p interface{ T(string, ...any) string }, row db.StoreProduct) string {
	switch {
	case !row.HasOnline:
		return p.T("store.stock.never")
	case row.EditStatus == wx.StoreEditInAudit:
		return p.T("store.stock.inaudit")
	}
	return ""
}

// changeStoreStock is POST /products/:id/stock for a 微信小店: sku_id, op (add, reduce, set), quantity.
func (a *App) changeStoreStock(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	id := c.Param("id")
	back := localPath(c.PostForm("back"))
	if back == "/" {
		back = "/products/" + id
	}
	row, ans, ok := a.loadStoreProduct(c, false)
	if !ok {
		return
	}
	if msg := storeStockRefusal(p, row); msg != "" {
		a.flash(c, "error", msg)
		a.redirect(c, back)
		return
	}
	skuID := wx.ID(c.PostForm("sku_id"))
	var sku *wx.StoreSKU
	for i := range ans.Product.SKUs {
		if ans.Product.SKUs[i].SKUID == skuID {
			sku = &ans.Product.SKUs[i]
		}
	}
	if sku == nil {
		a.renderError(c, http.StatusNotFound)
		return
	}
	op := c.PostForm("op")
	diff := map[string]int{"add": wx.StockAdd, "reduce": wx.StockReduce, "set": wx.StockSet}[op]
	qty, err := strconv.ParseInt(strings.TrimSpace(c.PostForm("quantity")), 10, 64)
	switch {
	case diff == 0:
		a.flash(c, "error", p.T("stock.err.op"))
		a.redirect(c, back)
		return
	case err != nil || qty < 0 || qty == 0 && diff != wx.StockSet || qty > 1_000_000:
		a.flash(c, "error", p.T("stock.err.quantity"))
		a.redirect(c, back)
		return
	case diff == wx.StockReduce && qty > sku.StockNum:
		a.flash(c, "error", p.T("stock.err.below", qty, sku.StockNum))
		a.redirect(c, back)
		return
	}
	want := map[int]int64{wx.StockAdd: sku.StockNum + qty, wx.StockReduce: sku.StockNum - qty, wx.StockSet: qty}[diff]
	err = a.wx.UpdateStoreStock(ctx, wx.ID(id), skuID, diff, qty)
	if err != nil && wx.Temporary(err) {
		if st, serr := a.wx.StoreStock(ctx, wx.ID(id), skuID); serr == nil && int64(st.NormalStockNum) == want {
			a.log.Warn("the stock call failed, but WeChat's stock shows the change", "product", id, "sku", skuID, "err", err)
			err = nil
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "stock." + op, ObjectType: "product", ObjectID: id,
		Detail: fmt.Sprintf("%s [%s] %s %d (%d)", row.Title, skuLabel(sku), op, qty, sku.StockNum), Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", wxMessage(p, err))
		a.redirect(c, back)
		return
	}
	if _, err := a.refreshStoreProduct(ctx, wx.ID(id)); err != nil {
		a.log.Warn("stock changed but product not read back", "product", id, "err", err)
	}
	a.flash(c, "ok", p.T("store.stock.saved", skuLabel(sku), want))
	a.redirect(c, back)
}

func skuLabel(k *wx.StoreSKU) string {
	var parts []string
	for _, at := range k.SKUAttrs {
		parts = append(parts, at.AttrValue)
	}
	return strings.Join(parts, " / ")
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
		ans, err := storeProductFromMirror(full)
		if err != nil || ans.Product == nil {
			continue
		}
		refusal := storeStockRefusal(p, full)
		for _, k := range ans.Product.SKUs {
			v.Rows = append(v.Rows, templates.StoreStockRow{ProductID: r.ProductID, Title: r.Title, SKUID: string(k.SKUID),
				Label: skuLabel(&k), Price: money.Yuan(k.SalePrice), Stock: k.StockNum, Low: k.StockNum <= threshold, Refusal: refusal})
		}
	}
	a.render(c, http.StatusOK, templates.StoreStockPage(a.page(c, "title.stock", "stock"), v))
}
