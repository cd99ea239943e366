package app

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The page that opens an after-sale for the buyer (代买家发起售后, genaftersaleorder) on one line of a paid
// 微信小店 order: GET shows the form with a request_id made for it, POST checks what was typed and opens it
// once (WeChat opens nothing new for a request_id it has seen, so a form sent twice, or again after a lost
// answer, opens one after-sale).

// loadGenOrder loads the order of the page, answering 404 for an order no after-sale can be opened for.
func (a *App) loadGenOrder(c *gin.Context) (db.Order, bool) {
	o, ok := a.loadOrder(c)
	if ok && !shop.CanOpenForBuyer(o) {
		a.renderError(c, http.StatusNotFound)
		return o, false
	}
	return o, ok
}

// showOpenForBuyer is GET /orders/:id/aftersale.
func (a *App) showOpenForBuyer(c *gin.Context) {
	o, ok := a.loadGenOrder(c)
	if !ok {
		return
	}
	form := templates.OpenForBuyerForm{RequestID: rand.Text(), Type: wx.AftersaleTypeRefund, Line: "0", Errors: templates.FieldErrors{}}
	if len(o.Lines) > 0 {
		l := o.Lines[0]
		form.Count, form.Amount = strconv.FormatInt(l.Quantity, 10), strings.TrimPrefix(money.Yuan(l.TotalFen), "¥")
	}
	a.renderOpenForBuyer(c, http.StatusOK, o, form)
}

func (a *App) renderOpenForBuyer(c *gin.Context, status int, o db.Order, form templates.OpenForBuyerForm) {
	p := a.printer(c)
	v := templates.OpenForBuyerView{OrderID: o.ID, WxOrderID: o.OrderID, Form: form}
	for i, l := range o.Lines {
		label := l.Title
		if l.SKUAttrs != "" {
			label += "（" + l.SKUAttrs + "）"
		}
		label += " × " + strconv.FormatInt(l.Quantity, 10) + " · " + money.Yuan(l.TotalFen)
		v.Lines = append(v.Lines, templates.Option{Value: strconv.Itoa(i), Label: label})
	}
	for _, r := range shop.GenReasons {
		v.Reasons = append(v.Reasons, templates.Option{Value: r, Label: p.T("aftersale.gen.reason." + r)})
	}
	addresses := a.aftersales.Addresses(c.Request.Context(), false)
	v.AddressList = keptListView(p, addresses.FetchedAt, addresses.Err, "aftersale.addresses.failed")
	var recv []wx.AddressDetail
	for _, ad := range addresses.Items {
		if ad.RecvAddr {
			recv = append(recv, ad)
		}
	}
	v.Addresses = returnAddressOptions(p, recv)
	if v.Form.AddressID == "" && status == http.StatusOK {
		v.Form.AddressID = shop.DefaultReturnAddress(recv)
	}
	a.render(c, status, templates.OpenForBuyerPage(a.page(c, "aftersale.gen.title", "orders"), v))
}

// returnAddressOptions are the return addresses as a picker lists them, the default one said so.
func returnAddressOptions(p i18n.Printer, list []wx.AddressDetail) []templates.Option {
	var out []templates.Option
	for _, ad := range list {
		label := ad.AddressInfo.UserName + " " + ad.AddressInfo.OneLine()
		if ad.DefaultRecv {
			label += p.T("aftersale.address.default")
		}
		out = append(out, templates.Option{Value: string(ad.AddressID), Label: label})
	}
	return out
}

// openForBuyer is POST /orders/:id/aftersale.
func (a *App) openForBuyer(c *gin.Context) {
	o, ok := a.loadGenOrder(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := a.printer(c)
	form := templates.OpenForBuyerForm{
		Line: c.PostForm("line"), Type: c.PostForm("type"), Count: strings.TrimSpace(c.PostForm("count")),
		Amount: strings.TrimSpace(c.PostForm("amount")), Reason: c.PostForm("reason"), AddressID: c.PostForm("address_id"),
		Desc: strings.TrimSpace(c.PostForm("desc")), RequestID: c.PostForm("request_id"), Errors: templates.FieldErrors{},
	}
	if form.RequestID == "" {
		form.RequestID = rand.Text() // a form from before this page made one
	}
	g := wx.GenAftersale{RequestID: form.RequestID, OrderID: o.OrderID, Reason: form.Reason, Type: form.Type, Desc: form.Desc}
	i, err := strconv.Atoi(form.Line)
	var line db.OrderLine
	if err != nil || i < 0 || i >= len(o.Lines) {
		form.Errors["line"] = p.T("aftersale.gen.error.line")
	} else {
		line = o.Lines[i]
		g.ProductID, g.SkuID = line.ProductID, line.SKUID
		existing, err := a.store.AftersalesOfOrder(ctx, o.OrderID)
		if err != nil {
			a.serverError(c, err)
			return
		}
		if shop.LineInAftersale(existing, line.ProductID, line.SKUID) {
			form.Errors["line"] = p.T("aftersale.gen.error.open")
		}
	}
	if n, err := strconv.Atoi(form.Count); err != nil || n < 1 || (line.Quantity > 0 && int64(n) > line.Quantity) {
		form.Errors["count"] = p.T("aftersale.gen.error.count", line.Quantity)
	} else {
		g.Count = n
	}
	if fen, err := money.ParseYuan(form.Amount); err != nil || fen < 0 {
		form.Errors["amount"] = p.T("aftersale.error.amount")
	} else if most := line.UnitFen * int64(g.Count); g.Count > 0 && fen > most {
		form.Errors["amount"] = p.T("aftersale.gen.error.amount_over", money.Yuan(most))
	} else {
		g.Amount = fen
	}
	if !strings.HasPrefix(form.Reason, "1000") {
		form.Errors["reason"] = p.T("aftersale.gen.error.reason")
	}
	switch form.Type {
	case wx.AftersaleTypeRefund:
	case wx.AftersaleTypeReturn:
		if form.AddressID == "" {
			form.Errors["address_id"] = p.T("aftersale.error.address")
		}
		g.AddressID = form.AddressID
	default:
		form.Type = wx.AftersaleTypeRefund
		form.Errors["line"] = p.T("aftersale.gen.error.type")
	}
	if len(form.Errors) > 0 {
		a.renderOpenForBuyer(c, http.StatusUnprocessableEntity, o, form)
		return
	}
	journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
	id, err := a.aftersales.OpenForBuyer(ctx, journal, currentUser(c).Username, g)
	if err == nil {
		a.flash(c, "ok", p.T("aftersale.gen.done", id))
		a.redirect(c, "/aftersales/"+id)
		return
	}
	var we *wx.Error
	switch {
	case errors.Is(err, shop.ErrOutcomeUnknown):
		form.Problem = p.T("aftersale.gen.unknown")
	case errors.As(err, &we) || wx.Temporary(err):
		form.Problem = wxMessage(p, err)
	default:
		a.serverError(c, err)
		return
	}
	a.renderOpenForBuyer(c, http.StatusUnprocessableEntity, o, form)
}
