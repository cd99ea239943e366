package app

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
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
	row, _, ok := a.loadProduct(c)
	if !ok {
		return
	}
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
		newQty := sku.Quantity + int64(qty)
		var err error
		if op == "add" {
			err = a.wx.AddStock(ctx, productID, skuID, qty)
		} else {
			newQty = sku.Quantity - int64(qty)
			err = a.wx.ReduceStock(ctx, productID, skuID, qty)
		}
		// A change whose outcome is unknown (no answer, -1) must not be made twice by a second click: WeChat's
		// stock tells whether it went through.
		var now int64
		known := false
		if err != nil && wx.Temporary(err) {
			now, known = a.currentStock(ctx, productID, skuID)
			if known && now == newQty {
				a.log.Warn("the stock call failed, but WeChat's stock shows the change", "product", productID, "sku", skuID, "err", err)
				err = nil
			}
		}
		sign := map[string]string{"add": "+", "reduce": "-"}[op]
		a.audit(c, currentUser(c), db.AuditEntry{Action: "stock." + op, ObjectType: "product", ObjectID: productID,
			Detail: fmt.Sprintf("%s [%s] %s%d (%d)", row.Name, out.Label, sign, qty, sku.Quantity), Outcome: wxOutcome(err)})
		if err != nil {
			out.Error, status = wxMessage(p, err), http.StatusBadGateway
			if known && now != sku.Quantity {
				// Neither before nor after: the stock moved meanwhile (sales). Show what it is; the operator decides.
				if serr := a.store.SetSKUQuantity(ctx, productID, skuID, now); serr == nil {
					out.Quantity, out.Low = now, now <= a.lowStockThreshold(c)
				}
				out.Error = p.T("stock.err.unknown", wxMessage(p, err), now)
			}
			break
		}
		if err := a.store.SetSKUQuantity(ctx, productID, skuID, newQty); err != nil {
			a.serverError(c, err)
			return
		}
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

// currentStock reads one SKU's stock from WeChat; false when it cannot be read.
func (a *App) currentStock(ctx context.Context, productID, skuID string) (int64, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	p, err := a.wx.GetProduct(ctx, productID)
	if err != nil {
		return 0, false
	}
	for _, k := range p.SKUList {
		if k.SKUID == skuID {
			return int64(k.Quantity), true
		}
	}
	return 0, false
}
