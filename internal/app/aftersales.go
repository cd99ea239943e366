package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// After-sales of the 微信小店's orders: the list by tab, one after-sale with its answers, the sync, and the
// sandbox's buyer. The work itself is internal/shop's (aftersale.go, aftersale_actions.go).

const aftersalesPerPage = 50

func (a *App) showAftersales(c *gin.Context) {
	ctx := c.Request.Context()
	f := db.AftersaleFilter{Query: strings.TrimSpace(c.Query("q"))}
	q := url.Values{}
	if tab := c.Query("tab"); slices.Contains(db.AftersaleTabs, tab) {
		f.Tab = tab
		q.Set("tab", tab)
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	page := pageNumber(c)
	f.Limit, f.Offset = aftersalesPerPage, (page-1)*aftersalesPerPage
	list, total, err := a.store.Aftersales(ctx, f)
	if err != nil {
		a.serverError(c, err)
		return
	}
	counts, err := a.store.AftersaleTabCounts(ctx, f.Query)
	if err != nil {
		a.serverError(c, err)
		return
	}
	p := a.printer(c)
	v := templates.AftersalesView{Tab: f.Tab, Query: f.Query, CanWrite: canWrite(Role(currentUser(c).Role)), Sandbox: a.cfg.Sandbox,
		Pager: templates.Pager{Page: page, PerPage: aftersalesPerPage, Total: total, Base: url.URL{Path: "/aftersales", RawQuery: q.Encode()}}}
	v.SyncedAt = p.T("aftersale.never")
	if t := a.aftersales.SyncedAt(ctx); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, tab := range db.AftersaleTabs {
		tq := url.Values{"tab": {tab}}
		if f.Query != "" {
			tq.Set("q", f.Query)
		}
		v.Tabs = append(v.Tabs, templates.AftersaleTabLink{Tab: tab, Count: counts[tab], URL: "/aftersales?" + tq.Encode(), Active: tab == f.Tab})
	}
	now := time.Now()
	for _, as := range list {
		r := templates.AftersaleRow{ID: as.ID, OrderID: as.OrderID, Type: as.Type, Status: as.Status, Amount: money.Yuan(as.AmountFen),
			Updated: templates.FormatTime(as.UpdatedAt), OrderLocalID: a.localOrderID(ctx, as.OrderID)}
		if !as.Deadline.IsZero() {
			r.Deadline, r.Left, r.Overdue = templates.FormatTime(as.Deadline), timeLeft(p, as.Deadline.Sub(now)), as.Deadline.Before(now)
		}
		v.Rows = append(v.Rows, r)
	}
	a.render(c, http.StatusOK, templates.AftersalesPage(a.page(c, "nav.aftersales", "aftersales"), v))
}

// aftersalesWaiting is the dashboard's after-sale figure: how many wait on the merchant and the soonest
// deadline with the time left. The page is kept no longer than until that deadline.
func (a *App) aftersalesWaiting(c *gin.Context) (int, string, string, error) {
	n, soonest, err := a.store.AftersalesWaiting(c.Request.Context())
	if err != nil || soonest.IsZero() {
		return n, "", "", err
	}
	keepPageUntil(c, time.Now().Add(time.Minute))
	return n, templates.FormatTime(soonest), timeLeft(a.printer(c), time.Until(soonest)), nil
}

// orderAftersales fills the order page's after-sales: those of a Channels order from the mirror, with what is
// left to refund and to ship; a V1.13 order in 维权 gets the line saying there is no after-sale API for it.
func (a *App) orderAftersales(c *gin.Context, o db.Order, v *templates.OrderView) error {
	switch o.Source {
	case db.SourceMerchant:
		v.NoAftersaleAPI = o.Status == db.OrderAfterSale
		return nil
	case db.SourceChannels:
	default:
		return nil
	}
	sum, err := a.aftersales.OrderAftersales(c.Request.Context(), o)
	if err != nil || len(sum.List) == 0 {
		return err
	}
	p, now := a.printer(c), time.Now()
	for _, as := range sum.List {
		r := templates.AftersaleRow{ID: as.ID, Type: as.Type, Status: as.Status, Amount: money.Yuan(as.AmountFen)}
		if !as.Deadline.IsZero() {
			r.Left = timeLeft(p, as.Deadline.Sub(now))
		}
		v.Aftersales = append(v.Aftersales, r)
	}
	v.AftersaleSums = templates.OrderAftersaleSums{Refunded: money.Yuan(sum.RefundedFen), Refunding: money.Yuan(sum.RefundingFen),
		Left: money.Yuan(sum.LeftFen), ToShip: sum.ToShip, InAftersale: sum.InAftersale}
	return nil
}

// localOrderID is the mirror's id of a Channels order, 0 when the mirror does not have it.
func (a *App) localOrderID(ctx context.Context, orderID string) int64 {
	o, err := a.store.OrderBySourceID(ctx, db.SourceChannels, "", orderID)
	if err != nil {
		return 0
	}
	return o.ID
}

// timeLeft writes a duration as a person reads a deadline: "2天3小时", "5小时12分", "已超时 10分".
func timeLeft(p i18n.Printer, d time.Duration) string {
	if d < 0 {
		return p.T("aftersale.left.overdue", timeLeft(p, -d))
	}
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return p.T("aftersale.left.days", days, hours)
	case hours > 0:
		return p.T("aftersale.left.hours", hours, minutes)
	}
	return p.T("aftersale.left.minutes", max(minutes, 1))
}

// firstAftersaleSync fills the after-sales mirror at start when it was never synced, so a new installation
// shows what waits at once; later, pushes keep it fresh and the list's button syncs it. An account without
// Channels orders has no after-sales, so it is not asked (as the scheduled sync does not); it runs after the
// first order sync, which finds that out.
func (a *App) firstAftersaleSync(ctx context.Context) {
	if !a.aftersales.SyncedAt(ctx).IsZero() || a.shop.NoAftersaleAPI(ctx) {
		return
	}
	syncCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	res, err := a.aftersales.SyncAftersales(syncCtx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("first after-sale sync failed; it can be run from its page", "err", err)
		}
		return
	}
	a.log.Info("first after-sale sync", "fetched", res.Fetched, "list_calls", res.ListCalls)
}

// syncAftersalesNow is the list's sync button.
func (a *App) syncAftersalesNow(c *gin.Context) {
	p := a.printer(c)
	res, err := a.aftersales.SyncAftersales(c.Request.Context())
	a.audit(c, currentUser(c), db.AuditEntry{Action: "aftersale.sync", ObjectType: "aftersale",
		Detail:  fmt.Sprintf("windows=%d list_calls=%d fetched=%d skipped=%d changed=%d", res.Windows, res.ListCalls, res.Fetched, res.Skipped, res.Changed),
		Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("aftersale.sync.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("aftersale.sync.done", res.Fetched, res.ListCalls+res.Fetched))
	}
	a.redirect(c, "/aftersales")
}

// loadAftersale reads an after-sale for its page: the mirror's copy, or WeChat's when the mirror has none.
func (a *App) loadAftersale(c *gin.Context) (*wx.AfterSaleOrder, bool) {
	id := c.Param("id")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		a.renderError(c, http.StatusNotFound)
		return nil, false
	}
	o, err := a.aftersales.Load(c.Request.Context(), id)
	switch {
	case err == nil:
		return o, true
	case errors.Is(err, shop.ErrNotFound):
		a.renderError(c, http.StatusNotFound)
	case shop.IsStoreError(err):
		a.serverError(c, err)
	default:
		p := a.printer(c)
		a.renderErrorWith(c, http.StatusBadGateway, p.T("aftersale.unreachable"), wxMessage(p, err))
	}
	return nil, false
}

func (a *App) showAftersale(c *gin.Context) {
	o, ok := a.loadAftersale(c)
	if !ok {
		return
	}
	a.renderAftersale(c, http.StatusOK, o, templates.AftersaleForm{})
}

// renderAftersale shows one after-sale with the forms of the answers its state allows (for operators and
// admins), the form sent back (form) kept as typed.
func (a *App) renderAftersale(c *gin.Context, status int, o *wx.AfterSaleOrder, form templates.AftersaleForm) {
	ctx := c.Request.Context()
	p := a.printer(c)
	writer := canWrite(Role(currentUser(c).Role))
	now := time.Now()
	v := templates.AftersaleView{
		ID: string(o.AfterSaleOrderID), OrderID: string(o.OrderID), OrderLocalID: a.localOrderID(ctx, string(o.OrderID)),
		Type: o.Type, SubType: o.SubType, Status: o.Status, Amount: money.Yuan(int64(o.RefundInfo.Amount)),
		ProductID: string(o.ProductInfo.ProductID), SKUID: string(o.ProductInfo.SKUID), Count: o.ProductInfo.Count,
		Reason: reasonLabel(p, o.Reason, o.ReasonText), Desc: o.Details.Desc, Phone: o.Details.TelNumber,
		ReceiveProduct: bool(o.Details.ReceiveProduct),
		ReturnWaybill:  o.ReturnInfo.WaybillID, ReturnCourier: cmp.Or(o.ReturnInfo.DeliveryName, o.ReturnInfo.DeliveryID),
		RejectReason:      o.MerchantUploadInfo.RejectReason,
		NeedOfflineRefund: bool(o.NeedOfflineRefund), ComplaintID: string(o.ComplaintID),
		Created: templates.FormatTime(o.CreateTime.Time()), Updated: templates.FormatTime(o.UpdateTime.Time()),
		Completed: templates.FormatTime(o.CompleteTime.Time()),
		Actions:   shop.AftersaleActions(o), CanWrite: writer, Form: form,
	}
	// Pictures are shown through /aftersales/:id/media?n=N, numbered as shop.AftersaleMediaIDs numbers them.
	for i, m := range shop.AftersaleMediaIDs(o) {
		pic := templates.MediaView{ID: m, URL: "/aftersales/" + v.ID + "/media?n=" + strconv.Itoa(i)}
		if i < len(o.Details.Images()) {
			v.Images = append(v.Images, pic)
		} else {
			v.RefundCertificates = append(v.RefundCertificates, pic)
		}
	}
	if d := o.Deadline.Time(); !d.IsZero() {
		v.Deadline, v.Left, v.Overdue = templates.FormatTime(d), timeLeft(p, d.Sub(now)), d.Before(now)
	}
	if e := o.ExchangeProduct; e != nil {
		v.ExchangeOldSKU, v.ExchangeNewSKU = string(e.OldSKUID), string(e.NewSKUID)
	}
	if r := o.ExchangeDelivery; r != nil {
		v.ReshipWaybill, v.ReshipCourier = r.WaybillID, cmp.Or(r.DeliveryName, r.DeliveryID)
	}
	if n := o.MerchantUpdate; n != nil {
		v.NegotiationAmount, v.NegotiationDesc = money.Yuan(int64(n.NewAfterSaleAmount)), n.MerchantUpdateDesc
	}
	if v.Form.Errors == nil {
		v.Form.Errors = templates.FieldErrors{}
	}
	if writer && len(v.Actions) > 0 {
		a.aftersaleChoices(ctx, p, &v)
	}
	if writer && a.cfg.Sandbox {
		v.BuyerMoves = sandboxMovesFor(o.Status)
	}
	if o.ComplaintID != "" {
		a.complaintView(ctx, p, &v, writer)
	}
	events, err := a.store.AftersaleEvents(ctx, v.ID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, e := range events {
		line := templates.HistoryLine{At: templates.FormatTime(e.At)}
		if e.Kind == db.AftersaleEventStatus {
			line.Text = p.T("aftersale.history.status", p.T("aftersale.status."+e.Status))
		} else if e.Kind == shop.AftersaleEventComplaint {
			n, _ := strconv.Atoi(e.Status)
			line.Text = p.T("aftersale.history.complaint", complaintStatus(p, n))
		} else {
			line.Text = p.T("aftersale.history.action", e.Username, p.T("aftersale.action."+e.Kind))
			line.Outcome, line.Failed = e.Outcome, e.Outcome != db.AuditOK
			if e.Detail != "" {
				line.Outcome = e.Detail + " · " + e.Outcome
			}
		}
		v.History = append(v.History, line)
	}
	a.render(c, status, templates.AftersalePage(a.page(c, "nav.aftersales", "aftersales"), v))
}

// aftersaleChoices fills the pickers of the answer forms: reject reasons and return addresses as kept from
// WeChat (with when they were fetched, and why not now when a fetch failed), the couriers, the negotiation
// reasons.
func (a *App) aftersaleChoices(ctx context.Context, p i18n.Printer, v *templates.AftersaleView) {
	ch := a.aftersales.Choices(ctx, v.Actions, false)
	v.ReasonsList = keptListView(p, ch.Reasons.FetchedAt, ch.Reasons.Err, "aftersale.reasons.failed")
	for _, r := range shop.ReasonsForScene(ch.Reasons.Items, shop.RejectScene(v.Type, v.Actions)) {
		v.Reasons = append(v.Reasons, templates.Option{Value: strconv.Itoa(r.RejectReasonType), Label: r.RejectReasonTypeText})
	}
	v.AddressList = keptListView(p, ch.Addresses.FetchedAt, ch.Addresses.Err, "aftersale.addresses.failed")
	if v.Form.AddressID == "" {
		v.Form.AddressID = ch.DefaultAddress
	}
	v.Addresses = returnAddressOptions(p, ch.Addresses.Items)
	if slices.Contains(v.Actions, shop.ActReship) {
		for _, co := range ch.Couriers {
			v.Couriers = append(v.Couriers, templates.Option{Value: co.ID, Label: co.Name})
		}
		v.Couriers = append(v.Couriers, templates.Option{Value: "OTHER", Label: p.T("aftersale.courier.other")})
		v.CourierListFrom = "builtin"
		if !ch.CouriersFetched.IsZero() {
			v.CourierListFrom = templates.FormatTime(ch.CouriersFetched)
		}
	}
	for _, n := range shop.NegotiationRules {
		v.NegotiationReasons = append(v.NegotiationReasons, templates.Option{Value: strconv.Itoa(n.Reason), Label: p.T("aftersale.negotiate.reason." + strconv.Itoa(n.Reason))})
	}
	if v.Form.Amount == "" {
		v.Form.Amount = strings.TrimPrefix(v.Amount, "¥")
	}
}

// keptListView says of a kept list when it was fetched and, when fetching it failed, why (failedKey): the
// copy kept is still offered.
func keptListView(p i18n.Printer, fetched time.Time, err error, failedKey string) templates.KeptListView {
	var k templates.KeptListView
	if !fetched.IsZero() {
		k.FetchedAt = templates.FormatTime(fetched)
	}
	if err != nil {
		k.Problem = p.T(failedKey, wxMessage(p, err))
		if !fetched.IsZero() {
			k.Problem += " " + p.T("aftersale.list.stale", k.FetchedAt)
		}
	}
	return k
}

// refreshAftersaleLists is POST /aftersales/lists/refresh: the reject reasons and the merchant's addresses
// fetched from WeChat again; a failure keeps the copies held before.
func (a *App) refreshAftersaleLists(c *gin.Context) {
	p := a.printer(c)
	ctx := c.Request.Context()
	reasons := a.aftersales.RejectReasons(ctx, true)
	addresses := a.aftersales.Addresses(ctx, true)
	err := cmp.Or(reasons.Err, addresses.Err)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "aftersale.lists.refresh", ObjectType: "aftersale",
		Detail:  fmt.Sprintf("reject_reasons=%d addresses=%d", len(reasons.Items), len(addresses.Items)),
		Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("aftersale.lists.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("aftersale.lists.refreshed", len(reasons.Items), len(addresses.Items)))
	}
	a.redirect(c, localPathOr(c.PostForm("back"), "/aftersales"))
}

// answerAftersale is POST /aftersales/:id/answer: one answer, refused up front where WeChat would refuse it,
// made once whatever happens to WeChat's answer.
func (a *App) answerAftersale(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	id := c.Param("id")
	form := templates.AftersaleForm{
		Action: c.PostForm("action"), AddressID: c.PostForm("address_id"), ReasonType: c.PostForm("reason_type"),
		Reason: strings.TrimSpace(c.PostForm("reason")), NewType: c.PostForm("new_type"), Amount: strings.TrimSpace(c.PostForm("amount")),
		Desc: strings.TrimSpace(c.PostForm("desc")), UpdateReasonType: c.PostForm("update_reason_type"), Media: strings.TrimSpace(c.PostForm("media")),
		DeliveryID: c.PostForm("delivery_id"), WaybillID: strings.TrimSpace(c.PostForm("waybill_id")), Errors: templates.FieldErrors{},
	}
	ans := shop.AftersaleAnswer{Action: form.Action, AddressID: form.AddressID, Reason: form.Reason, DeliveryID: form.DeliveryID,
		WaybillID: form.WaybillID, Desc: form.Desc}
	// Pictures given as files are uploaded first (each once: their media ids join the typed ones, so a form
	// sent back carries them).
	if uploaded, ok := a.uploadEvidence(c, id, &form); !ok {
		return
	} else if len(uploaded) > 0 {
		form.Media = strings.TrimSpace(form.Media + " " + strings.Join(uploaded, " "))
	}
	if form.Media != "" {
		ans.MediaIDs = strings.Fields(strings.ReplaceAll(form.Media, ",", " "))
	}
	switch form.Action {
	case shop.ActAcceptReturn:
		if form.AddressID == "" {
			form.Errors["address_id"] = p.T("aftersale.error.address")
		}
	case shop.ActReject, shop.ActRejectReship:
		n, err := strconv.Atoi(form.ReasonType)
		if err != nil || n <= 0 {
			form.Errors["reason_type"] = p.T("aftersale.error.reason")
		}
		ans.ReasonType = n
	case shop.ActReship:
		if form.DeliveryID == "" {
			form.Errors["delivery_id"] = p.T("aftersale.error.courier")
		}
		if form.WaybillID == "" {
			form.Errors["waybill_id"] = p.T("aftersale.error.waybill")
		}
	case shop.ActCertificate:
		if len(ans.MediaIDs) == 0 && form.Errors["media"] == "" {
			form.Errors["media"] = p.T("aftersale.error.proof")
		}
	case shop.ActNegotiate:
		reason, _ := strconv.Atoi(form.UpdateReasonType)
		row, known := shop.NegotiationRuleOf(reason)
		fen, err := money.ParseYuan(form.Amount)
		switch {
		case !known:
			form.Errors["update_reason_type"] = p.T("aftersale.error.negotiate_reason")
		case err != nil || fen < 0:
			form.Errors["amount"] = p.T("aftersale.error.amount")
		case form.Desc == "":
			form.Errors["desc"] = p.T("aftersale.error.desc")
		case row.NeedsImage && len(ans.MediaIDs) == 0 && form.Errors["media"] == "":
			form.Errors["media"] = p.T("aftersale.error.media")
		}
		form.NewType = strconv.Itoa(row.NewType)
		ans.Negotiation = shop.Negotiation{NewType: row.NewType, AmountFen: fen, UpdateReasonType: reason, UpdateType: row.UpdateType}
	case shop.ActRefund, shop.ActReceiveRefund:
	default:
		a.renderError(c, http.StatusBadRequest)
		return
	}
	if len(form.Errors) > 0 {
		// WeChat's copy, so the forms sent back are those of the after-sale's state now.
		o, err := a.aftersales.Refresh(ctx, id)
		if err != nil {
			var ok bool
			if o, ok = a.loadAftersale(c); !ok {
				return
			}
		}
		a.renderAftersale(c, http.StatusUnprocessableEntity, o, form)
		return
	}
	journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
	o, err := a.aftersales.Answer(ctx, journal, currentUser(c).Username, id, ans)
	if err == nil {
		a.flash(c, "ok", p.T("aftersale.done", p.T("aftersale.action."+form.Action), p.T("aftersale.status."+o.Status)))
		a.redirect(c, "/aftersales/"+id)
		return
	}
	var refusal *shop.Refusal
	switch {
	case errors.As(err, &refusal):
		form.Problem = p.T(refusal.Key, refusalArgs(p, refusal)...)
	case errors.Is(err, shop.ErrOutcomeUnknown):
		form.Problem = p.T("aftersale.unknown")
	case wx.IsCode(err, wx.CodeAftersaleNegotiateFirst):
		form.Problem = wxMessage(p, err)
		form.SuggestNegotiate = true
	default:
		var we *wx.Error
		if !errors.As(err, &we) && !wx.Temporary(err) {
			a.serverError(c, err)
			return
		}
		form.Problem = wxMessage(p, err)
	}
	if o == nil {
		var ok bool
		if o, ok = a.loadAftersale(c); !ok {
			return
		}
	}
	a.renderAftersale(c, http.StatusUnprocessableEntity, o, form)
}

// complaintView reads the dispute the after-sale names from WeChat for its section of the page; when it
// cannot be read, the section says why.
func (a *App) complaintView(ctx context.Context, p i18n.Printer, v *templates.AftersaleView, writer bool) {
	cv := &templates.ComplaintView{ID: v.ComplaintID}
	v.Complaint = cv
	cp, err := a.aftersales.Complaint(ctx, v.ComplaintID)
	if err != nil {
		cv.Problem = p.T("complaint.unreadable", wxMessage(p, err))
		return
	}
	cv.Status = complaintStatus(p, cp.Status)
	cv.CanAnswer = writer && shop.ComplaintOpen(cp.Status)
	n := 0
	for _, it := range cp.History {
		step := templates.ComplaintStep{At: templates.FormatTime(it.Time.Time()), Kind: complaintItem(p, it.ItemType), Content: it.Content}
		for range it.MediaIDList {
			step.Pictures = append(step.Pictures, templates.MediaView{ID: it.MediaIDList[len(step.Pictures)],
				URL: "/aftersales/" + v.ID + "/media?cn=" + strconv.Itoa(n)})
			n++
		}
		cv.History = append(cv.History, step)
	}
}

// complaintStatus is a dispute's status in words, its number when the catalog does not know it.
func complaintStatus(p i18n.Printer, status int) string {
	if key := "complaint.status." + strconv.Itoa(status); i18n.Has(key) {
		return p.T(key)
	}
	return p.T("complaint.status.other", status)
}

// complaintItem names a step of a dispute's history; WeChat documents item_type without its values, so the
// few the sandbox writes are named and the others shown by number.
func complaintItem(p i18n.Printer, itemType int) string {
	if key := "complaint.item." + strconv.Itoa(itemType); i18n.Has(key) {
		return p.T(key)
	}
	return p.T("complaint.item.other", itemType)
}

// answerComplaint is POST /aftersales/:id/complaint: a message or evidence for the after-sale's dispute.
func (a *App) answerComplaint(c *gin.Context) {
	p := a.printer(c)
	id := c.Param("id")
	form := templates.AftersaleForm{Action: c.PostForm("action"), Desc: strings.TrimSpace(c.PostForm("content")),
		Media: strings.TrimSpace(c.PostForm("media")), Errors: templates.FieldErrors{}}
	if form.Action != shop.ActComplaintMessage && form.Action != shop.ActComplaintEvidence {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	uploaded, ok := a.uploadEvidence(c, id, &form)
	if !ok {
		return
	}
	media := append(strings.Fields(strings.ReplaceAll(form.Media, ",", " ")), uploaded...)
	form.Media = strings.Join(media, " ")
	var err error
	if len(form.Errors) == 0 {
		journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
		_, err = a.aftersales.AnswerComplaint(c.Request.Context(), journal, currentUser(c).Username, id, form.Action, form.Desc, media)
		if err == nil {
			a.flash(c, "ok", p.T("complaint.sent", p.T("aftersale.action."+form.Action)))
			a.redirect(c, "/aftersales/"+id+"#complaint")
			return
		}
	}
	var refusal *shop.Refusal
	switch {
	case err == nil:
	case errors.As(err, &refusal) && refusal.Key != "aftersale.refused.complaint_closed" && refusal.Key != "aftersale.refused.no_complaint":
		form.Errors["content"] = p.T(refusal.Key, refusal.Args...)
	case errors.As(err, &refusal): // the form is gone from the page: said above the answers
		form.Problem = p.T(refusal.Key, refusal.Args...)
	case errors.Is(err, shop.ErrOutcomeUnknown):
		form.Problem = p.T("aftersale.unknown")
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	default:
		form.Problem = wxMessage(p, err)
	}
	o, ok := a.loadAftersale(c)
	if !ok {
		return
	}
	a.renderAftersale(c, http.StatusUnprocessableEntity, o, form)
}

// evidenceActions are the answers that take pictures (media_ids), as files or as typed ids.
var evidenceActions = []string{shop.ActCertificate, shop.ActNegotiate, shop.ActRejectReship, shop.ActComplaintMessage, shop.ActComplaintEvidence}

// uploadEvidence uploads the pictures of the form's "media_file" inputs and returns their media ids; a
// picture WeChat or the app refuses is said beside the field. false: the answer was already written (500).
func (a *App) uploadEvidence(c *gin.Context, id string, form *templates.AftersaleForm) ([]string, bool) {
	if !slices.Contains(evidenceActions, form.Action) || c.Request.MultipartForm == nil {
		return nil, true
	}
	p := a.printer(c)
	journal := func(e db.AuditEntry) { a.audit(c, currentUser(c), e) }
	var ids []string
	for _, fh := range c.Request.MultipartForm.File["media_file"] {
		if fh.Size > wx.MaxMediaImageBytes {
			form.Errors["media"] = p.T("aftersale.refused.image_size", fh.Filename)
			continue
		}
		f, err := fh.Open()
		if err != nil {
			a.serverError(c, err)
			return nil, false
		}
		data, err := io.ReadAll(io.LimitReader(f, wx.MaxMediaImageBytes+1))
		f.Close()
		if err != nil {
			a.serverError(c, err)
			return nil, false
		}
		mediaID, err := a.aftersales.UploadEvidence(c.Request.Context(), journal, id, fh.Filename, data)
		var refusal *shop.Refusal
		switch {
		case errors.As(err, &refusal):
			form.Errors["media"] = p.T(refusal.Key, refusal.Args...)
		case err != nil:
			form.Errors["media"] = p.T("aftersale.media.failed", fh.Filename, wxMessage(p, err))
		default:
			ids = append(ids, mediaID)
		}
	}
	return ids, true
}

// showAftersaleMedia is GET /aftersales/:id/media?n=N: the after-sale's picture number N (the buyer's, then
// the refund certificates), fetched from WeChat by its media id.
func (a *App) showAftersaleMedia(c *gin.Context) {
	o, ok := a.loadAftersale(c)
	if !ok {
		return
	}
	ids, index := shop.AftersaleMediaIDs(o), c.DefaultQuery("n", "0")
	if cn := c.Query("cn"); cn != "" && o.ComplaintID != "" { // a picture of the dispute's history
		cp, err := a.aftersales.Complaint(c.Request.Context(), string(o.ComplaintID))
		if err != nil {
			p := a.printer(c)
			a.renderErrorWith(c, http.StatusBadGateway, p.T("aftersale.unreachable"), wxMessage(p, err))
			return
		}
		ids, index = shop.ComplaintMediaIDs(cp), cn
	}
	n, err := strconv.Atoi(index)
	if err != nil || n < 0 || n >= len(ids) {
		a.renderError(c, http.StatusNotFound)
		return
	}
	f, err := a.aftersales.Media(c.Request.Context(), string(o.AfterSaleOrderID), ids[n])
	switch {
	case errors.Is(err, shop.ErrNotFound):
		a.renderError(c, http.StatusNotFound)
		return
	case err != nil:
		p := a.printer(c)
		a.renderErrorWith(c, http.StatusBadGateway, p.T("aftersale.unreachable"), wxMessage(p, err))
		return
	}
	ct := f.ContentType
	if !strings.HasPrefix(ct, "image/") || strings.Contains(ct, "svg") {
		ct = "application/octet-stream"
		c.Header("Content-Disposition", "attachment")
	}
	// A media id's file never changes: the browser may keep it (for this user only).
	c.Header("Cache-Control", "private, max-age=86400")
	c.Data(http.StatusOK, ct, f.Data)
}

// reasonLabel is the buyer's reason in words; a code the catalog does not know (newer ones are numbers) as sent.
// A code the catalog knows is shown in the operator's language even when WeChat sent its own (Chinese) text.
func reasonLabel(p i18n.Printer, code, text string) string {
	if key := "aftersale.reason." + code; i18n.Has(key) {
		return p.T(key)
	}
	return cmp.Or(text, code)
}

// refusalArgs translates what a refusal's message needs (a status is shown in words).
func refusalArgs(p i18n.Printer, r *shop.Refusal) []any {
	if r.Key == "aftersale.refused.state" && len(r.Args) == 1 {
		return []any{p.T("aftersale.status." + fmt.Sprint(r.Args[0]))}
	}
	return r.Args
}

// refreshAftersale is the page's refresh button: WeChat's copy into the mirror.
func (a *App) refreshAftersale(c *gin.Context) {
	p := a.printer(c)
	id := c.Param("id")
	if _, err := a.aftersales.Refresh(c.Request.Context(), id); err != nil {
		a.flash(c, "error", wxMessage(p, err))
	}
	a.redirect(c, "/aftersales/"+id)
}

// onAftersalePush handles a channels_ec_aftersale_update push's plaintext: the after-sale is read into the
// mirror (the push only says it changed).
func (a *App) onAftersalePush(ctx context.Context, plain []byte) error {
	u, err := wx.ParseAftersaleUpdate(plain)
	if err != nil {
		return err
	}
	return a.aftersales.OnAftersalePush(ctx, string(u.AfterSaleOrderID))
}

// onComplaintPush handles a channels_ec_complaint_update push's plaintext: the after-sale and its dispute are
// read back from WeChat and the change goes into the after-sale's history.
func (a *App) onComplaintPush(ctx context.Context, plain []byte) error {
	u, err := wx.ParseComplaintUpdate(plain)
	if err != nil {
		return err
	}
	return a.aftersales.OnComplaintPush(ctx, u)
}

// The sandbox's buyer (sandbox mode only): a new application, and the buyer's side of one.

func sandboxMovesFor(status string) []string {
	switch status {
	case wx.AftersaleUserWaitReturn:
		return []string{"ship_return", "deadline"}
	case wx.AftersaleUserWaitConfirmUpdate:
		return []string{"accept_update", "refuse_update", "deadline"}
	case wx.AftersaleUserWaitReceipt:
		return []string{"receive_exchange"}
	case wx.AftersaleMerchantProcessing, wx.AftersaleMerchantWaitReceipt:
		return []string{"deadline", "cancel"}
	}
	return nil
}

// sandboxAftersaleCall posts body to the sandbox's path with this app's callback, as simulateOrder does, and
// answers the sandbox's JSON.
func (a *App) sandboxAftersaleCall(c *gin.Context, path string, body map[string]string) (map[string]string, error) {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	if token := a.callbackToken(); token != "" {
		body["callback_url"] = scheme + "://" + c.Request.Host + "/wx/callback"
		body["token"] = token
		body["encoding_aes_key"] = a.cfg.EncodingAESKey
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 15*time.Second)
	defer cancel()
	data, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIBase+path, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	ans := map[string]string{}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return nil, fmt.Errorf("sandbox answered %s", resp.Status)
	}
	if resp.StatusCode != http.StatusOK {
		return ans, fmt.Errorf("sandbox: %s", ans["error"])
	}
	return ans, nil
}

// sandboxBuyer is POST /aftersales/:id/sandbox: the buyer ships the return, answers the negotiation, takes in
// the exchange, or the deadline passes. The after-sale is read back at once, whether or not the push arrived.
func (a *App) sandboxBuyer(c *gin.Context) {
	if !a.cfg.Sandbox {
		a.renderError(c, http.StatusNotFound)
		return
	}
	p := a.printer(c)
	id := c.Param("id")
	ans, err := a.sandboxAftersaleCall(c, "/sandbox/aftersales/buyer", map[string]string{"after_sale_order_id": id, "move": c.PostForm("move")})
	a.audit(c, currentUser(c), db.AuditEntry{Action: "sandbox.aftersale", ObjectType: "aftersale", ObjectID: id, Detail: c.PostForm("move"), Outcome: wxOutcome(err)})
	if _, rerr := a.aftersales.Refresh(c.Request.Context(), id); rerr != nil && err == nil {
		err = rerr
	}
	if err != nil {
		a.flash(c, "error", p.T("aftersale.sandbox.failed", err.Error()))
	} else {
		a.flash(c, "ok", p.T("aftersale.sandbox.done", p.T("aftersale.status."+ans["status"])))
	}
	a.redirect(c, "/aftersales/"+id)
}

// sandboxNewAftersale is POST /aftersales/sandbox/new: a buyer applies.
func (a *App) sandboxNewAftersale(c *gin.Context) {
	if !a.cfg.Sandbox {
		a.renderError(c, http.StatusNotFound)
		return
	}
	p := a.printer(c)
	ans, err := a.sandboxAftersaleCall(c, "/sandbox/aftersales/new", map[string]string{"type": c.PostForm("type")})
	id := ans["after_sale_order_id"]
	a.audit(c, currentUser(c), db.AuditEntry{Action: "sandbox.aftersale", ObjectType: "aftersale", ObjectID: id, Detail: "new " + c.PostForm("type"), Outcome: wxOutcome(err)})
	if err == nil {
		_, err = a.aftersales.Refresh(c.Request.Context(), id)
	}
	if err != nil {
		a.flash(c, "error", p.T("aftersale.sandbox.failed", err.Error()))
		a.redirect(c, "/aftersales")
		return
	}
	a.flash(c, "ok", p.T("aftersale.sandbox.new.done", id))
	a.redirect(c, "/aftersales/"+id)
}
