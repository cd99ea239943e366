package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const stockPerPage = 50

func (a *App) showStock(c *gin.Context) {
	ctx := c.Request.Context()
	lowOnly := c.Query("low") == "1"
	threshold := a.lowStockThreshold(c)
	page := pageNumber(c)
	lines, total, err := a.store.StockLines(ctx, lowOnly, threshold, stockPerPage, (page-1)*stockPerPage)
	if err != nil {
		a.serverError(c, err)
		return
	}
	writer := canWrite(Role(currentUser(c).Role))
	namers := map[string]shop.SKUNamer{}
	v := templates.StockView{Threshold: threshold, LowOnly: lowOnly,
		Pager: templates.Pager{Page: page, PerPage: stockPerPage, Total: total, Base: *c.Request.URL}}
	for _, l := range lines {
		n, ok := namers[l.CategoryID]
		if !ok {
			n = a.shop.SKUNamer(ctx, l.CategoryID)
			namers[l.CategoryID] = n
		}
		v.Rows = append(v.Rows, stockRow(l.ProductID, l.ProductName, l.SKU, n, threshold, writer, true))
	}
	a.render(c, http.StatusOK, templates.StockPage(a.page(c, "title.stock", "stock"), v))
}

// changeStock adds to or takes from one SKU's stock. A reduction below zero is refused before WeChat is
// asked. Through htmx the answer is the SKU's row only.
func (a *App) changeStock(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	ed, ok := a.loadProduct(c)
	if !ok {
		return
	}
	row := ed.Row
	productID := row.ProductID
	skuID := c.PostForm("sku_id")
	var sku *db.SKU
	for i := range row.SKUs {
		if row.SKUs[i].SKUID == skuID {
			sku = &row.SKUs[i]
		}
	}
	if sku == nil {
		a.renderError(c, http.StatusNotFound)
		return
	}
	op := c.PostForm("op")
	typed := strings.TrimSpace(c.PostForm("quantity"))
	qty, qerr := strconv.Atoi(typed)
	withProduct := c.PostForm("with_product") == "true"
	out := stockRow(row.ProductID, row.Name, *sku, a.shop.SKUNamer(ctx, row.CategoryID), a.lowStockThreshold(c), true, withProduct)
	status := http.StatusOK

	switch {
	case op != "add" && op != "reduce":
		out.Error, status = p.T("stock.err.op"), http.StatusUnprocessableEntity
	case qerr != nil || qty <= 0 || qty > 1_000_000:
		out.Error, status = p.T("stock.err.quantity"), http.StatusUnprocessableEntity
	case op == "reduce" && int64(qty) > sku.Quantity:
		out.Error, status = p.T("stock.err.below", qty, sku.Quantity), http.StatusUnprocessableEntity
	default:
		delta := qty
		if op == "reduce" {
			delta = -qty
		}
		ch, err := a.shop.ChangeStock(ctx, a.journalOf(c), row, *sku, out.Label, delta)
		if shop.IsStoreError(err) {
			a.serverError(c, err)
			return
		}
		if err != nil {
			out.Error, status = wxMessage(p, err), http.StatusBadGateway
			if ch.Known && ch.Now != sku.Quantity {
				// Neither before nor after: the stock moved meanwhile (sales). Show what it is; the operator decides.
				if ch.Mirrored {
					out.Quantity, out.Low = ch.Now, ch.Now <= a.lowStockThreshold(c)
				}
				out.Error = p.T("stock.err.unknown", wxMessage(p, err), ch.Now)
			}
			break
		}
		newQty := sku.Quantity + int64(delta)
		out.Quantity, out.Low = newQty, newQty <= a.lowStockThreshold(c)
		out.Saved = p.T("stock.saved."+op, qty)
	}
	if out.Error != "" {
		out.Typed = typed
	}
	if c.GetHeader("HX-Request") == "true" {
		if status == http.StatusBadGateway {
			status = http.StatusUnprocessableEntity // htmx swaps 422 only; the row carries WeChat's code
		}
		a.render(c, status, templates.StockRowView(out))
		return
	}
	if out.Error != "" {
		a.flash(c, "error", out.Error)
	} else {
		a.flash(c, "ok", out.Saved)
	}
	back := "/products/" + productID
	if withProduct {
		back = "/stock"
	}
	a.redirect(c, back)
}
