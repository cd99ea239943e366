package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// A merchant order goes out with no logistics (need_delivery 0) or with a courier the manual's table does not
// have (is_others 1, the courier by name); a bad name is refused beside its field, the form kept.
func TestShipMerchantOrderWithoutLogisticsOrAnotherCourier(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	ids := s.newPaidMerchantOrders(t, b, 2)

	virtual := s.mirrorOf(t, db.SourceMerchant, ids[0])
	page := b.get(orderPath(virtual))
	wantBody(t, page, `data-testid="ship-method-none"`, `data-testid="ship-method-other"`, `data-testid="ship-other-company"`)
	a := b.post(orderPath(virtual)+"/ship", url.Values{"ship_method": {"none"}, "ship_token": {shipTokenOf(t, page)}})
	wantStatus(t, a, http.StatusSeeOther)
	if got := flashOf(b.get(loc(a))); got != zh("ship.done", virtual.OrderID) {
		t.Errorf("flash %q", got)
	}
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, virtual.OrderID); st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 0 {
		t.Errorf("WeChat holds %+v; want shipped without a parcel", st)
	}
	if m := s.mirrorOf(t, db.SourceMerchant, virtual.OrderID); m.Status != db.OrderShipped {
		t.Errorf("the mirror says %s", m.Status)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceMerchant, virtual.OrderID); len(e) != 1 || e[0].Detail != "need_delivery=0" {
		t.Errorf("audit %+v", e)
	}

	other := s.mirrorOf(t, db.SourceMerchant, ids[1])
	page = b.get(orderPath(other))
	bad := url.Values{"ship_method": {"other"}, "other_company": {"安"}, "delivery_track_no": {"AN12345678"}, "ship_token": {shipTokenOf(t, page)}}
	a = b.post(orderPath(other)+"/ship", bad)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	if msg, ok := fieldErrorText(a, "other_company"); !ok || msg != zh("ship.err.other_company", 40) {
		t.Errorf("beside the name: %q, %v", msg, ok)
	}
	if !strings.Contains(a.body, `value="AN12345678"`) || !strings.Contains(a.body, `value="other" checked`) {
		t.Error("the refused form lost what was typed")
	}
	good := url.Values{"ship_method": {"other"}, "other_company": {"安能物流"}, "delivery_track_no": {"AN12345678"}, "ship_token": {shipTokenOf(t, a)}}
	a = b.post(orderPath(other)+"/ship", good)
	wantStatus(t, a, http.StatusSeeOther)
	st := s.sandboxOrder(t, sandbox.SourceMerchant, other.OrderID)
	if st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 1 || st.Parcels[0].Company != "安能物流" || st.Parcels[0].TrackingNo != "AN12345678" {
		t.Errorf("WeChat holds %+v", st)
	}
	if m := s.mirrorOf(t, db.SourceMerchant, other.OrderID); len(m.Parcels) != 1 || m.Parcels[0].CompanyName != "安能物流" {
		t.Errorf("the mirror's parcels %+v", m.Parcels)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceMerchant, other.OrderID); len(e) != 1 || e[0].Detail != "is_others=1 安能物流 AN12345678" {
		t.Errorf("audit %+v", e)
	}
}

// The Channels courier list is WeChat's, cached with its fetch time; refreshing it on request replaces it, a
// failed refresh keeps the list kept before; until the first answer the built-in list stands in.
func TestChannelsCourierListCached(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	if err := s.app.shop.FetchOrder(t.Context(), db.SourceChannels, "", id); err != nil {
		t.Fatal(err)
	}
	o := s.mirrorOf(t, db.SourceChannels, id)
	page := b.get(orderPath(o))
	if got, _ := textOf(page, "courier-list-from"); got != zh("couriers.builtin") || strings.Contains(page.body, `value="ZJS"`) {
		t.Fatalf("before any fetch: %q", got)
	}
	a := b.post("/couriers/refresh", url.Values{"back": {orderPath(o) + "#ship"}})
	wantStatus(t, a, http.StatusSeeOther)
	if loc(a) != orderPath(o)+"#ship" {
		t.Errorf("back to %q", loc(a))
	}
	page = b.get(orderPath(o))
	if !strings.Contains(page.body, `<option value="ZJS">宅急送</option>`) {
		t.Error("the order page does not offer the couriers WeChat listed")
	}
	if got, _ := textOf(page, "courier-list-from"); !strings.HasPrefix(got, "快递公司列表：") || got == zh("couriers.builtin") {
		t.Errorf("after the fetch: %q", got)
	}
	// WeChat refuses: the list kept before stays, the flash says why.
	s.sandbox.FailNext("/channels/ec/order/deliverycompanylist/get", 48001, "api unauthorized", 1)
	a = b.post("/couriers/refresh", url.Values{"back": {orderPath(o)}})
	page = b.get(loc(a))
	if f := flashOf(page); !strings.Contains(f, "48001") {
		t.Errorf("flash %q", f)
	}
	if !strings.Contains(page.body, `<option value="ZJS">宅急送</option>`) {
		t.Error("a failed refresh dropped the list kept before")
	}
	// A courier of WeChat's list ships.
	a = b.post(orderPath(o)+"/ship", shipForm("ZJS", "ZJS0012345678", shipTokenOf(t, page)))
	wantStatus(t, a, http.StatusSeeOther)
	if m := s.mirrorOf(t, db.SourceChannels, id); len(m.Parcels) != 1 || m.Parcels[0].CompanyID != "ZJS" {
		t.Errorf("parcels %+v", m.Parcels)
	}
	if e := s.auditOf(t, "couriers.refresh"); len(e) != 2 || e[0].Outcome == e[1].Outcome {
		t.Errorf("audit %+v", e)
	}
	// A viewer may not refresh it.
	v := s.signedIn(t, "viewer")
	wantStatus(t, v.post("/couriers/refresh", nil), http.StatusForbidden)
}

// The permission page's second step: submitting for review, refused with the reason before the permission is
// open, then submitted, the previous review's result shown on the next submission.
func TestPermissionConfirmStep(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	admin := s.signedIn(t, "admin")
	page := admin.get("/permission")
	if got, _ := textOf(page, "permission-confirm-status"); got != zh("permission.confirm.state.never") {
		t.Errorf("before: %q", got)
	}
	if strings.Contains(page.body, `data-testid="permission-confirm-submit"`) || !strings.Contains(page.body, `data-testid="permission-confirm-later"`) {
		t.Error("the second step is offered before the first")
	}
	// Tried anyway (a form from another tab): WeChat's 268486570, explained.
	a := admin.post("/permission/confirm", nil)
	wantStatus(t, a, http.StatusSeeOther)
	page = admin.get("/permission")
	if got, _ := textOf(page, "permission-confirm-next"); got != zh("permission.confirm.next.268486570") {
		t.Errorf("next step %q", got)
	}
	if got, _ := textOf(page, "permission-confirm-result"); !strings.Contains(got, "268486570") {
		t.Errorf("result %q", got)
	}

	wantStatus(t, admin.post("/permission/open", nil), http.StatusSeeOther)
	page = admin.get("/permission")
	wantBody(t, page, `data-testid="permission-confirm-submit"`)
	a = admin.post("/permission/confirm", nil)
	if got := flashOf(admin.get(loc(a))); got != zh("permission.confirmed") {
		t.Errorf("flash %q", got)
	}
	admin.post("/permission/confirm", nil)
	page = admin.get("/permission")
	if got, _ := textOf(page, "permission-confirm-status"); got != zh("permission.confirm.state.submitted") {
		t.Errorf("status %q", got)
	}
	if got, _ := textOf(page, "permission-last-result"); got != zh("permission.confirm.last", "审核通过") {
		t.Errorf("last result %q", got)
	}
	if e := s.auditOf(t, "permission.confirm"); len(e) != 3 {
		t.Errorf("%d confirm entries audited", len(e))
	}
	op := s.signedIn(t, "operator")
	wantStatus(t, op.post("/permission/confirm", nil), http.StatusForbidden)
	if strings.Contains(op.get("/permission").body, `data-testid="permission-confirm-submit"`) {
		t.Error("an operator is offered the submission")
	}
}

// The notes and an unknown status as the pages show them: the order page has both notes, the list marks
// the order, the packing list prints both; a partner order without status is 状态未知, in no other tab.
func TestNotesAndUnknownStatusOnThePages(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	o := db.Order{Source: db.SourceChannels, OrderID: "37423523451235145", Status: db.OrderToShip, SourceStatus: 20,
		ReceiverName: "陈先生", Note: "发顺丰", MerchantNote: "已电话确认", TotalFen: 10500, Raw: []byte(`{}`),
		Lines: []db.OrderLine{{ProductID: "234245", SKUID: "23424", Title: "健身环", Quantity: 1, UnitFen: 10500, TotalFen: 10500}}}
	id, err := s.store.UpsertOrder(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	o.ID = id
	page := b.get(orderPath(o))
	if n, _ := textOf(page, "order-note"); n != "发顺丰" {
		t.Errorf("buyer note %q", n)
	}
	if n, _ := textOf(page, "order-merchant-note"); n != "已电话确认" {
		t.Errorf("merchant note %q", n)
	}
	list := b.get("/orders?source=channels")
	row := firstMatch(`(?s)data-testid="order-row-37423523451235145"(.*?)</tr>`, list.body)
	if !strings.Contains(row, `data-testid="order-note-mark"`) || !strings.Contains(row, `title="发顺丰"`) ||
		!strings.Contains(row, `data-testid="order-merchant-note-mark"`) {
		t.Errorf("the list row does not mark the notes: %s", row)
	}

	u := db.Order{Source: db.SourcePartner, ShopAppID: "wxSHOP", OrderID: "coiqBw3BTdtdzIpQ", Status: db.OrderUnknown, SourceStatus: -1,
		TotalFen: 2000, Raw: []byte(`{}`), Lines: []db.OrderLine{{Title: "跳绳", Quantity: 1, UnitFen: 2000, TotalFen: 2000}}}
	uid, err := s.store.UpsertOrder(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	u.ID = uid
	if got, _ := textOf(b.get(orderPath(u)), "order-status"); got != zh("status.unknown") {
		t.Errorf("the badge says %q", got)
	}
	for _, st := range []string{db.OrderDone, db.OrderToShip} {
		if strings.Contains(b.get("/orders?status="+st).body, "coiqBw3BTdtdzIpQ") {
			t.Errorf("the unknown order is listed under %s", st)
		}
	}
	if !strings.Contains(b.get("/orders?status=unknown").body, "coiqBw3BTdtdzIpQ") {
		t.Error("the unknown order is not under 状态未知")
	}
}
