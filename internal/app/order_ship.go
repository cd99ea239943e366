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

// shipOrder answers the shipping form. The form's single-use key makes a double submit ship once.
func (a *App) shipOrder(c *gin.Context) {
	p := a.printer(c)
	o, ok := a.loadOrder(c)
	if !ok {
		return
	}
	form := templates.ShipForm{
		Company: strings.TrimSpace(c.PostForm("delivery_company")),
		TrackNo: strings.ToUpper(strings.TrimSpace(c.PostForm("delivery_track_no"))),
		Token:   c.PostForm("ship_token"), Counts: map[int]string{},
		Method: c.PostForm("ship_method"), OtherCompany: strings.TrimSpace(c.PostForm("other_company")),
	}
	s := shop.Shipment{Company: form.Company, TrackNo: form.TrackNo}
	// Merchant orders: by a courier of the list (the default), by another courier named by hand
	// (is_others), or with no logistics at all (need_delivery 0, virtual goods); Channels orders of virtual
	// goods: by a courier or with no logistics (deliver_type 3).
	switch form.Method {
	case templates.ShipByOtherCourier:
		s.OtherCourier, s.Company = true, form.OtherCompany
	case templates.ShipNoLogistics:
		s.NoLogistics, s.Company, s.TrackNo = true, "", ""
	default:
		form.Method = templates.ShipByCourier
	}
	if o.Source == db.SourceChannels {
		s.Counts = map[int]int{}
		for i := range o.Lines {
			raw := strings.TrimSpace(c.PostForm("count." + strconv.Itoa(i)))
			if raw == "" {
				continue
			}
			form.Counts[i] = raw
			n, err := strconv.Atoi(raw)
			if err != nil {
				n = -1
			}
			s.Counts[i] = n
		}
		if len(form.Counts) == 0 {
			s.Counts = nil // an old form without counts: ship everything
		}
	}
	if form.Token == "" {
		form.Token = newToken()
	}
	res, err := a.shop.ShipByForm(c.Request.Context(), a.journalOf(c), p, o, form.Token, s)
	switch {
	case err != nil:
		a.serverError(c, err)
	case res.Repeat:
		// The same form again (a double click, a resent request): it was handled already.
		a.flash(c, "ok", p.T("ship.repeat"))
		a.redirect(c, "/orders/"+strconv.FormatInt(o.ID, 10))
	case len(res.Problems) > 0:
		form.Token, form.Errors = newToken(), res.Problems
		form.Problem = res.Problems["order"]
		a.renderOrder(c, http.StatusUnprocessableEntity, o, form)
	case res.Failed != nil:
		form.Token, form.Errors, form.Problem = newToken(), templates.FieldErrors{}, p.T("ship.failed", wxMessage(p, res.Failed))
		form.RetrySoon = shop.RetrySoon(res.Failed)
		if shop.StateRefused(res.Failed) {
			// Refused for the order's state (shipped elsewhere, cancelled, in an after-sale): the order was read
			// back, so the page shows it as it is now, without a form that would only be refused again.
			if fresh, err := a.store.Order(c.Request.Context(), o.ID); err == nil {
				o = fresh
			}
			form.Problem = p.T("ship.refused.state", wxMessage(p, res.Failed))
		}
		a.renderOrder(c, http.StatusUnprocessableEntity, o, form)
	default:
		a.flash(c, "ok", p.T("ship.done", o.OrderID))
		a.redirect(c, "/orders/"+strconv.FormatInt(o.ID, 10))
	}
}

func (a *App) closeOrder(c *gin.Context) {
	p := a.printer(c)
	o, ok := a.loadOrder(c)
	if !ok {
		return
	}
	back := "/orders/" + strconv.FormatInt(o.ID, 10)
	if !shop.CanClose(o) {
		a.flash(c, "error", p.T("close.err.status"))
		a.redirect(c, back)
		return
	}
	switch err := a.shop.CloseOrder(c.Request.Context(), a.journalOf(c), o); {
	case shop.IsStoreError(err):
		a.serverError(c, err)
	case err != nil:
		a.flash(c, "error", p.T("close.failed", wxMessage(p, err)))
		a.redirect(c, back)
	default:
		a.flash(c, "ok", p.T("close.done", o.OrderID))
		a.redirect(c, back)
	}
}

// syncOrdersNow runs the order sync for an operator and says what each source did.
func (a *App) syncOrdersNow(c *gin.Context) {
	p := a.printer(c)
	var parts []string
	failed := false
	for _, r := range a.shop.SyncOrdersNow(c.Request.Context(), a.journalOf(c)) {
		label := p.T("source." + r.Source)
		switch {
		case r.Skipped:
			parts = append(parts, p.T("sync.source.unavailable", label))
		case r.Err != nil:
			failed = true
			parts = append(parts, p.T("sync.source.failed", label, wxMessage(p, r.Err)))
		default:
			parts = append(parts, p.T("sync.source.ok", label, r.Orders))
		}
	}
	kind := "ok"
	if failed {
		kind = "error"
	}
	a.flash(c, kind, strings.Join(parts, "；"))
	a.redirect(c, localPathOr(c.PostForm("back"), "/"))
}

// retrySource lets a source marked unavailable be tried again.
func (a *App) retrySource(c *gin.Context) {
	if err := a.shop.RetrySource(c.Request.Context(), a.journalOf(c), c.Param("source")); err != nil {
		a.serverError(c, err)
		return
	}
	a.syncOrdersNow(c)
}

func localPathOr(next, def string) string {
	if p := localPath(next); p != "/" || next == "/" {
		return p
	}
	return def
}
