package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// shipment is one parcel to send: the courier, the tracking number and, for Channels orders, what is in it.
type shipment struct {
	company, trackNo string
	counts           map[int]int // line index -> pieces; nil: everything left
}

// remainingPieces is how many pieces of each line are still to ship. For Channels orders WeChat's own parcels
// (in the raw order) say what went already; other sources ship whole.
func remainingPieces(o db.Order) []int64 {
	left := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		left[i] = l.Quantity
	}
	if o.Source != db.SourceChannels {
		if o.Status != db.OrderToShip {
			clear(left)
		}
		return left
	}
	var raw wx.ShopOrder
	if json.Unmarshal(o.Raw, &raw) != nil {
		return left
	}
	for _, pc := range raw.OrderDetail.DeliveryInfo.DeliveryProductInfo {
		for _, it := range pc.ProductInfos {
			for i, l := range o.Lines {
				if l.ProductID == string(it.ProductID) && l.SKUID == string(it.SKUID) {
					take := min(left[i], int64(it.ProductCnt))
					left[i] -= take
					break
				}
			}
		}
	}
	return left
}

// checkShipment says what is wrong with a shipment before WeChat is asked, field by field.
func checkShipment(p i18n.Printer, o db.Order, s shipment) templates.FieldErrors {
	errs := templates.FieldErrors{}
	if !canShip(o) {
		errs["order"] = p.T("ship.err.status", p.T("status."+o.Status))
		return errs
	}
	found := false
	for _, c := range couriersFor(o.Source) {
		found = found || c.ID == s.company
	}
	if !found {
		errs["delivery_company"] = p.T("ship.err.company")
	}
	if n := len(s.trackNo); n < 6 || n > 40 || strings.ContainsAny(s.trackNo, " \t/\\\"'<>") {
		errs["delivery_track_no"] = p.T("ship.err.trackno")
	}
	if s.counts != nil {
		left := remainingPieces(o)
		total := 0
		for i, n := range s.counts {
			if i < 0 || i >= len(o.Lines) || n < 0 || int64(n) > left[i] {
				errs["counts"] = p.T("ship.err.counts")
			}
			total += n
		}
		if total == 0 {
			errs["counts"] = p.T("ship.err.empty")
		}
	}
	return errs
}

// sendShipment asks WeChat to ship and reads the order back. A failure to read it back is not a failed
// shipment: the order is marked shipped locally, so it cannot be shipped twice, and the next sync corrects it.
func (a *App) sendShipment(ctx context.Context, o db.Order, s shipment) error {
	var err error
	var contents []string
	switch o.Source {
	case db.SourceMerchant:
		err = a.wx.SetMerchantDelivery(ctx, o.OrderID, s.company, s.trackNo)
		for _, l := range o.Lines {
			contents = append(contents, l.Title+" ×"+strconv.FormatInt(l.Quantity, 10))
		}
	case db.SourceChannels:
		parcel := wx.ChannelsDelivery{DeliveryID: s.company, WaybillID: s.trackNo, DeliverType: wx.ChannelsDeliverSelf}
		left := remainingPieces(o)
		for i, l := range o.Lines {
			n := int(left[i]) // no counts given (a CSV row): whatever is left
			if s.counts != nil {
				n = s.counts[i]
			}
			if n > 0 {
				parcel.ProductInfos = append(parcel.ProductInfos, wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: n})
				contents = append(contents, l.Title+" ×"+strconv.Itoa(n))
			}
		}
		err = a.wx.SendChannelsDelivery(ctx, o.OrderID, []wx.ChannelsDelivery{parcel})
	default:
		return fmt.Errorf("orders of %s are shipped in WeChat's own backend", o.Source)
	}
	if err != nil {
		if a.parcelArrived(ctx, o, s) {
			a.log.Warn("the shipping call failed, but WeChat has the parcel", "order", o.OrderID, "err", err)
			return nil
		}
		return err
	}
	if ferr := a.fetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID); ferr != nil {
		a.log.Warn("shipped, but could not read the order back", "order", o.OrderID, "err", ferr)
		name := s.company
		for _, c := range couriersFor(o.Source) {
			if c.ID == s.company {
				name = c.Name
			}
		}
		o.Parcels = append(o.Parcels, db.Parcel{CompanyID: s.company, CompanyName: name, TrackingNo: s.trackNo,
			ShippedAt: time.Now(), Products: strings.Join(contents, "，")})
		o.Status, o.ShippedAt = db.OrderShipped, time.Now()
		if s.counts != nil && shippedPieces(o) < orderedPieces(o) {
			o.Status = db.OrderPartial
		}
		if _, err := a.store.UpsertOrder(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// parcelArrived reads the order back after a shipping call that failed, and reports whether WeChat holds
// the parcel all the same: an answer lost on the way, or a -1 after the work was done, is not a failure, and
// the operator must not be asked to ship again what has left.
func (a *App) parcelArrived(ctx context.Context, o db.Order, s shipment) bool {
	if ctx.Err() != nil || a.fetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID) != nil {
		return false
	}
	fresh, err := a.store.Order(ctx, o.ID)
	return err == nil && parcelsWith(fresh, s.trackNo) > parcelsWith(o, s.trackNo)
}

// parcelsWith counts the order's parcels with this tracking number.
func parcelsWith(o db.Order, trackNo string) int {
	n := 0
	for _, pc := range o.Parcels {
		if strings.EqualFold(pc.TrackingNo, trackNo) {
			n++
		}
	}
	return n
}

func orderedPieces(o db.Order) int64 {
	var n int64
	for _, l := range o.Lines {
		n += l.Quantity
	}
	return n
}

func shippedPieces(o db.Order) int64 {
	var n int64
	for _, pc := range o.Parcels {
		for _, part := range strings.Split(pc.Products, "，") {
			if i := strings.LastIndex(part, "×"); i >= 0 {
				k, _ := strconv.ParseInt(part[i+len("×"):], 10, 64)
				n += k
			}
		}
	}
	return n
}

// shipOrder answers the shipping form. The form's single-use key makes a double submit ship once.
func (a *App) shipOrder(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	o, ok := a.loadOrder(c)
	if !ok {
		return
	}
	form := templates.ShipForm{
		Company: strings.TrimSpace(c.PostForm("delivery_company")),
		TrackNo: strings.ToUpper(strings.TrimSpace(c.PostForm("delivery_track_no"))),
		Token:   c.PostForm("ship_token"), Counts: map[int]string{},
	}
	s := shipment{company: form.Company, trackNo: form.TrackNo}
	if o.Source == db.SourceChannels {
		s.counts = map[int]int{}
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
			s.counts[i] = n
		}
		if len(form.Counts) == 0 {
			s.counts = nil // an old form without counts: ship everything
		}
	}
	if form.Token == "" {
		form.Token = newToken()
	}
	claimed, err := a.store.ClaimShipRequest(ctx, form.Token, o.ID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if !claimed {
		// The same form again (a double click, a resent request): it was handled already.
		a.flash(c, "ok", p.T("ship.repeat"))
		a.redirect(c, "/orders/"+strconv.FormatInt(o.ID, 10))
		return
	}
	errs := checkShipment(p, o, s)
	if len(errs) > 0 {
		a.store.FinishShipRequest(ctx, form.Token, false, "")
		form.Token, form.Errors = newToken(), errs
		if msg, ok := errs["order"]; ok {
			form.Problem = msg
		}
		a.renderOrder(c, http.StatusUnprocessableEntity, o, form)
		return
	}
	err = a.sendShipment(ctx, o, s)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "order.ship", ObjectType: "order", ObjectID: orderObject(o),
		Detail: s.company + " " + s.trackNo, Outcome: wxOutcome(err)})
	a.store.FinishShipRequest(ctx, form.Token, err == nil, wxOutcome(err))
	if err != nil {
		form.Token, form.Errors, form.Problem = newToken(), templates.FieldErrors{}, p.T("ship.failed", wxMessage(p, err))
		a.renderOrder(c, http.StatusUnprocessableEntity, o, form)
		return
	}
	a.flash(c, "ok", p.T("ship.done", o.OrderID))
	a.redirect(c, "/orders/"+strconv.FormatInt(o.ID, 10))
}

func (a *App) closeOrder(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	o, ok := a.loadOrder(c)
	if !ok {
		return
	}
	back := "/orders/" + strconv.FormatInt(o.ID, 10)
	if o.Source != db.SourceMerchant || o.Status != db.OrderToShip {
		a.flash(c, "error", p.T("close.err.status"))
		a.redirect(c, back)
		return
	}
	err := a.wx.CloseMerchantOrder(ctx, o.OrderID)
	if err != nil && ctx.Err() == nil && a.fetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID) == nil {
		// The answer may have been lost after WeChat closed it: the order read back tells.
		if fresh, ferr := a.store.Order(ctx, o.ID); ferr == nil && fresh.Status == db.OrderCancelled {
			a.log.Warn("the close call failed, but WeChat has closed the order", "order", o.OrderID, "err", err)
			err = nil
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "order.close", ObjectType: "order", ObjectID: orderObject(o), Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("close.failed", wxMessage(p, err)))
		a.redirect(c, back)
		return
	}
	if ferr := a.fetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID); ferr != nil {
		o.Status = db.OrderCancelled
		if _, err := a.store.UpsertOrder(ctx, o); err != nil {
			a.serverError(c, err)
			return
		}
	}
	a.flash(c, "ok", p.T("close.done", o.OrderID))
	a.redirect(c, back)
}

// syncOrdersNow runs the order sync for an operator and says what each source did.
func (a *App) syncOrdersNow(c *gin.Context) {
	p := a.printer(c)
	results := a.syncOrders(c.Request.Context())
	var parts []string
	failed := false
	for _, r := range results {
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
		a.audit(c, currentUser(c), db.AuditEntry{Action: "order.sync", ObjectType: "source", ObjectID: r.Source,
			Detail: fmt.Sprintf("%d orders, %d calls", r.Orders, r.Calls), Outcome: wxOutcome(r.Err)})
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
	source := c.Param("source")
	if err := a.retryOrderSource(c.Request.Context(), source); err != nil {
		a.serverError(c, err)
		return
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "order.source.retry", ObjectType: "source", ObjectID: source})
	a.syncOrdersNow(c)
}

func localPathOr(next, def string) string {
	if p := localPath(next); p != "/" || next == "/" {
		return p
	}
	return def
}
