package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// virtualOrder is a new Channels order of virtual goods, in the mirror.
func (s *testServer) virtualOrder(t *testing.T) db.Order {
	t.Helper()
	id := s.sandbox.NewPaidVirtualOrder()
	if err := s.app.shop.FetchOrder(t.Context(), db.SourceChannels, "", id); err != nil {
		t.Fatal(err)
	}
	return s.mirrorOf(t, db.SourceChannels, id)
}

// A Channels order of virtual goods (deliver_method 1) is offered "no logistics" already chosen, with no
// courier needed, and goes out as WeChat's virtual delivery (deliver_type 3); an ordinary Channels order is
// offered no such thing, and refuses it if sent anyway.
func TestShipChannelsVirtualOrder(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.virtualOrder(t)

	page := b.get(orderPath(o))
	wantBody(t, page, `value="none" checked`, `data-testid="ship-virtual-help"`)
	if got, _ := textOf(page, "order-virtual"); got != zh("orders.delivery.virtual") {
		t.Errorf("delivery %q", got)
	}
	if got, _ := textOf(page, "order-payment"); got != "微信支付" {
		t.Errorf("payment %q", got)
	}
	a := b.post(orderPath(o)+"/ship", url.Values{"ship_method": {"none"}, "ship_token": {shipTokenOf(t, page)}})
	wantStatus(t, a, http.StatusSeeOther)
	if got := flashOf(b.get(loc(a))); got != zh("ship.done", o.OrderID) {
		t.Errorf("flash %q", got)
	}
	st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID)
	if st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 1 || st.Parcels[0].Company != "" || st.Parcels[0].TrackingNo != "" {
		t.Errorf("WeChat holds %+v; want shipped in one parcel of no courier", st)
	}
	if m := s.mirrorOf(t, db.SourceChannels, o.OrderID); m.Status != db.OrderShipped || len(m.Parcels) != 1 {
		t.Errorf("the mirror says %s, parcels %+v", m.Status, m.Parcels)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceChannels, o.OrderID); len(e) != 1 || e[0].Detail != "deliver_type=3" || e[0].Outcome != "ok" {
		t.Errorf("audit %+v", e)
	}
	wantBody(t, b.get(orderPath(o)), "<td>"+zh("parcel.no_logistics")+"</td>")

	ordinary := s.channelsOrderOfPieces(t, b, 1)
	page = b.get(orderPath(ordinary))
	if strings.Contains(page.body, `data-testid="ship-method-none"`) {
		t.Error("an ordinary Channels order is offered no logistics")
	}
	a = b.post(orderPath(ordinary)+"/ship", url.Values{"ship_method": {"none"}, "ship_token": {shipTokenOf(t, page)}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	if msg, ok := fieldErrorText(a, "ship_method"); !ok || msg != zh("ship.err.method") {
		t.Errorf("beside the method: %q, %v", msg, ok)
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, ordinary.OrderID); len(st.Parcels) != 0 {
		t.Errorf("the refused order has parcels %+v", st.Parcels)
	}
}

// The Channels order page says how the buyer paid (pay_info.payment_method) and which of their coupons was
// used (user_coupon_id, every digit), in Chinese and in English.
func TestChannelsOrderShowsPaymentMethodAndCoupon(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	raw := `{"order_id":"3705115058471208704","status":20,"order_detail":{
		"pay_info":{"pay_time":1700000000,"payment_method":2},
		"coupon_info":{"user_coupon_id":9007199254740993123},
		"delivery_info":{"deliver_method":0}}}`
	id, err := s.store.UpsertOrder(t.Context(), db.Order{Source: db.SourceChannels, OrderID: "3705115058471208704", Status: db.OrderToShip,
		SourceStatus: 20, CreatedAt: time.Unix(1700000000, 0), PaidAt: time.Unix(1700000000, 0), UpdatedAt: time.Unix(1700000000, 0),
		Lines: []db.OrderLine{{ProductID: "1", SKUID: "2", Title: "会员月卡", Quantity: 1, UnitFen: 100, TotalFen: 100}}, Raw: []byte(raw)})
	if err != nil {
		t.Fatal(err)
	}
	path := orderPath(db.Order{ID: id})
	s.signedIn(t, "viewer")
	for _, lang := range []string{"zh", "en"} {
		b := s.browser(t)
		b.signIn("test-viewer", cheapPassword)
		b.post("/lang", url.Values{"lang": {lang}})
		p := i18n.Printer{Lang: i18n.Parse(lang)}
		page := b.get(path)
		if got, _ := textOf(page, "order-payment"); got != p.T("payment.method.2") {
			t.Errorf("%s: payment %q, want %q", lang, got, p.T("payment.method.2"))
		}
		if got, _ := textOf(page, "order-coupon"); got != p.T("orders.user_coupon.id", "9007199254740993123") {
			t.Errorf("%s: coupon %q", lang, got)
		}
		if _, ok := textOf(page, "order-virtual"); ok {
			t.Errorf("%s: an order of ordinary goods is shown as virtual", lang)
		}
	}
	if got := shop.Terms(db.Order{Source: db.SourceChannels, Raw: []byte(`{"order_detail":{"pay_info":{"payment_method":7}}}`)}); got.PaymentMethod != 7 {
		t.Errorf("terms %+v", got)
	}
	if zh("payment.method.other", 7) != "其他（代码 7）" {
		t.Error(zh("payment.method.other", 7))
	}
}

// WeChat's 100003 (the order updated too often) is shown with its meaning, the form kept, and an offer to try
// again shortly; tried again once the order is free, it ships.
func TestShipUpdatedTooOftenOffersToTryAgain(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	// The sandbox allows one change of an order in 10 s here, as WeChat limits how often.
	s := newOrderServer(t, sandbox.Options{Orders: -1, OrderUpdateLimit: 1, Now: clock})
	b := s.signedIn(t, "operator")
	o := s.channelsOrderOfPieces(t, b, 2)
	lines := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID).Lines
	first, rest := make([]string, len(lines)), make([]string, len(lines))
	for i, l := range lines {
		first[i], rest[i] = "0", strconv.Itoa(l.Count)
	}
	first[0], rest[0] = "1", strconv.Itoa(lines[0].Count-1)

	a := b.post(orderPath(o)+"/ship", shipForm("SF", "SF7000000000001", shipTokenOf(t, b.get(orderPath(o))), first...))
	wantStatus(t, a, http.StatusSeeOther)
	a = b.post(orderPath(o)+"/ship", shipForm("SF", "SF7000000000002", shipTokenOf(t, b.get(orderPath(o))), rest...))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	meaning, _ := wx.CodeMeaning(wx.CodeUpdatedTooOften, "zh")
	wantBody(t, a, "100003", meaning, `data-testid="ship-retry"`, `value="SF7000000000002"`)
	if got, _ := textOf(a, "ship-retry-soon"); got != zh("ship.retry_soon") {
		t.Errorf("the offer to try again: %q", got)
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID); len(st.Parcels) != 1 {
		t.Fatalf("parcels %+v", st.Parcels)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceChannels, o.OrderID); len(e) != 2 || !strings.Contains(e[0].Outcome+e[1].Outcome, "100003") {
		t.Errorf("audit %+v", e)
	}

	mu.Lock()
	now = now.Add(10 * time.Second)
	mu.Unlock()
	a = b.post(orderPath(o)+"/ship", shipForm("SF", "SF7000000000002", shipTokenOf(t, a), rest...))
	wantStatus(t, a, http.StatusSeeOther)
	if st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID); st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 2 {
		t.Errorf("after trying again: status %d, parcels %+v", st.Status, st.Parcels)
	}
}

// A file's row may ship a virtual order with no logistics (无需物流 in the courier column, no tracking
// number); a row WeChat answers 100003 is sent again shortly rather than failed.
func TestBulkShipVirtualAndBusyRows(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	s.app.shop.SetBusyRetries(10*time.Millisecond, 10*time.Millisecond)
	b := s.signedIn(t, "operator")
	virtual := s.virtualOrder(t)
	busy := s.channelsOrderOfPieces(t, b, 1)
	ordinary := s.channelsOrderOfPieces(t, b, 1)
	preview := uploadShipFile(t, b, "ship.csv", csvBytes(
		[]string{virtual.OrderID, "无需物流", ""},
		[]string{busy.OrderID, "SF", "SF8000000000001"},
		[]string{ordinary.OrderID, "无需物流", ""},
	))
	page := b.get(preview)
	if state, msg := bulkRow(page, 1); state != "valid" || msg != zh("parcel.no_logistics") {
		t.Errorf("row 1 in the preview: %s %q", state, msg)
	}
	if state, msg := bulkRow(page, 3); state != "invalid" || msg != zh("ship.err.method") {
		t.Errorf("row 3 in the preview: %s %q, want refused: not virtual", state, msg)
	}
	s.sandbox.FailNext("/channels/ec/order/delivery/send", wx.CodeUpdatedTooOften, "订单更新过于频繁,更新订单失败,请重试", 2)
	page = runBatch(t, b, preview)
	for n := 1; n <= 2; n++ {
		if state, msg := bulkRow(page, n); state != "shipped" {
			t.Errorf("row %d: %s %q", n, state, msg)
		}
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, virtual.OrderID); st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "" {
		t.Errorf("the virtual order: %+v", st)
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, busy.OrderID); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "SF8000000000001" {
		t.Errorf("the busy order: %+v", st.Parcels)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceChannels, busy.OrderID); len(e) != 1 || e[0].Outcome != "ok" {
		t.Errorf("the busy row's audit entries = %+v", e)
	}
}
