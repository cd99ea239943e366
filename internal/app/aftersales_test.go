package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const (
	pathAcceptApply = "/channels/ec/aftersale/acceptapply"
	pathRejectApply = "/channels/ec/aftersale/rejectapply"
	pathAftersale   = "/channels/ec/aftersale/getaftersaleorder"
	pathAftersales  = "/channels/ec/aftersale/getaftersalelist"
)

// buyerWaits keeps the sandbox's buyer still unless a test moves them; refunds complete after a second.
func buyerWaits(sb *sandbox.Server, _ *Config, _ *Options) { sb.SetAftersaleDelays(-1, time.Second) }

func newAftersaleServer(t *testing.T, opts sandbox.Options) *testServer {
	t.Helper()
	return newOrderServer(t, opts, buyerWaits)
}

func (s *testServer) syncAftersales(t *testing.T, b *browser) {
	t.Helper()
	wantStatus(t, b.post("/aftersales/sync", url.Values{}), http.StatusSeeOther)
}

// The sync reads every after-sale once with the fewest calls; the list opens on the tabs with their counts,
// soonest deadline first, and finds an after-sale by its id, its order and the buyer's phone.
func TestAftersaleSyncAndList(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	all := s.sandbox.AftersaleIDs("", "")
	s.syncAftersales(t, b)
	if n := s.sandbox.Calls(pathAftersale); n != len(all) {
		t.Errorf("the first sync read %d after-sales for %d", n, len(all))
	}
	if n := s.sandbox.Calls(pathAftersales); n != 30 {
		t.Errorf("the first sync listed %d windows, want 30 (30 days of 24 h)", n)
	}
	// A second sync finds nothing new to read: the mirror read each after its window ended.
	before := s.sandbox.Calls(pathAftersale)
	s.syncAftersales(t, b)
	if n := s.sandbox.Calls(pathAftersale) - before; n != 0 {
		t.Errorf("a second sync read %d after-sales again", n)
	}

	page := b.get("/aftersales?tab=pending")
	wantStatus(t, page, http.StatusOK)
	pending := s.sandbox.AftersaleIDs("", wx.AftersaleMerchantProcessing)
	wantBody(t, page, zh("aftersale.tab.pending")+" ("+strconv.Itoa(len(pending))+")", zh("aftersale.type.REFUND"), zh("aftersale.status.MERCHANT_PROCESSING"))
	// Soonest deadline first.
	rows, _, err := s.store.Aftersales(t.Context(), db.AftersaleFilter{Tab: db.AftersaleTabPending})
	if err != nil || len(rows) != len(pending) {
		t.Fatalf("pending rows %d, %v", len(rows), err)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Deadline.Before(rows[i-1].Deadline) {
			t.Errorf("row %d's deadline %v comes before row %d's %v", i, rows[i].Deadline, i-1, rows[i-1].Deadline)
		}
	}
	if strings.Index(page.body, "aftersale-row-"+rows[0].ID) > strings.Index(page.body, "aftersale-row-"+rows[len(rows)-1].ID) {
		t.Error("the page does not list the soonest deadline first")
	}
	one, _ := s.sandbox.AftersaleState(rows[0].ID)
	for _, q := range []string{string(one.AfterSaleOrderID), string(one.OrderID), one.Details.TelNumber} {
		found := b.get("/aftersales?q=" + url.QueryEscape(q))
		wantBody(t, found, "aftersale-row-"+rows[0].ID)
	}
	// The dashboard counts what waits on the merchant.
	n, _, _ := s.store.AftersalesWaiting(t.Context())
	dash := b.get("/")
	wantBody(t, dash, zh("aftersale.dashboard"), `data-testid="aftersales-waiting">`+strconv.Itoa(n)+`<`)
}

// A refund-only application refunded from its page: WeChat is asked once, the page and the audit log say
// so, the history records it.
func TestAftersaleRefund(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	page := b.get("/aftersales/" + id)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, zh("aftersale.action.refund"), zh("aftersale.action.negotiate"), zh("aftersale.action.reject"))
	a := b.post("/aftersales/"+id+"/answer", url.Values{"action": {"refund"}})
	wantStatus(t, a, http.StatusSeeOther)
	if n := s.sandbox.MerchantAnswers(id); n != 1 {
		t.Errorf("WeChat took %d answers", n)
	}
	page = b.get("/aftersales/" + id)
	wantBody(t, page, zh("aftersale.done", zh("aftersale.action.refund"), zh("aftersale.status.PLATFORM_REFUNDING")))
	entries := s.auditOf(t, "aftersale.refund")
	if len(entries) != 1 || entries[0].ObjectID != id || entries[0].Outcome != db.AuditOK || entries[0].Username != "test-operator" {
		t.Errorf("audit = %+v", entries)
	}
	// A second refund is refused by the app: the after-sale is no longer waiting.
	a = b.post("/aftersales/"+id+"/answer", url.Values{"action": {"refund"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("aftersale.refused.state", zh("aftersale.status.PLATFORM_REFUNDING")))
	if n := s.sandbox.Calls(pathAcceptApply); n != 1 {
		t.Errorf("acceptapply called %d times", n)
	}
}

// Two after-sales of one order: the second refund within a minute is refused before WeChat is called.
func TestAftersaleRefundGap(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	first, second := s.sandbox.NewAftersalePair(wx.AftersaleTypeRefund)
	if second == "" {
		t.Fatal("no order with two lines")
	}
	wantStatus(t, b.post("/aftersales/"+first+"/answer", url.Values{"action": {"refund"}}), http.StatusSeeOther)
	a := b.post("/aftersales/"+second+"/answer", url.Values{"action": {"refund"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	if !strings.Contains(a.body, "同一订单一分钟内只能发起一次退款") {
		t.Errorf("no refund-gap message\n%s", a.body)
	}
	if n := s.sandbox.Calls(pathAcceptApply); n != 1 {
		t.Errorf("acceptapply called %d times; the second refund must not reach WeChat", n)
	}
}

// A rejection WeChat refuses with 10021068 says to negotiate and offers the form; after the buyer refuses
// the negotiation, the rejection goes through.
func TestAftersaleRejectNegotiateFirst(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	s.sandbox.AllowRejection(id, false)
	a := b.post("/aftersales/"+id+"/answer", url.Values{"action": {"reject"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-reason_type"`)
	a = b.post("/aftersales/"+id+"/answer", url.Values{"action": {"reject"}, "reason_type": {"1"}, "reason": {"已按时发货"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "10021068", "请先与买家协商", `data-testid="negotiate-suggested"`, `value="已按时发货"`)
	if e := s.auditOf(t, "aftersale.reject"); len(e) != 1 || !strings.Contains(e[0].Outcome, "10021068") {
		t.Errorf("audit = %+v", e)
	}
	// Negotiate: half the amount, reason 10 needs evidence.
	o, _ := s.sandbox.AftersaleState(id)
	half := money.Plain(int64(o.RefundInfo.Amount)/2, false)
	a = b.post("/aftersales/"+id+"/answer", url.Values{"action": {"negotiate"}, "update_reason_type": {"10"}, "amount": {half}, "desc": {"部分退款"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-media"`, `value="部分退款"`)
	a = b.post("/aftersales/"+id+"/answer", url.Values{"action": {"negotiate"}, "update_reason_type": {"10"}, "amount": {half}, "desc": {"部分退款"}, "media": {"M1"}})
	wantStatus(t, a, http.StatusSeeOther)
	if st, err := s.sandbox.BuyerMove(id, sandbox.MoveRefuseUpdate); err != nil || st != wx.AftersaleMerchantProcessing {
		t.Fatalf("refuse: %s %v", st, err)
	}
	wantStatus(t, b.post("/aftersales/"+id+"/answer", url.Values{"action": {"reject"}, "reason_type": {"1"}}), http.StatusSeeOther)
	if o, _ := s.sandbox.AftersaleState(id); o.Status != wx.AftersaleMerchantRejectRefund {
		t.Errorf("status %s", o.Status)
	}
}

// A return: the default return address is chosen already; the buyer ships; receipt confirmed refunds.
func TestAftersaleReturn(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeReturn)
	page := b.get("/aftersales/" + id)
	wantBody(t, page, zh("aftersale.action.accept_return"), zh("aftersale.address.default"))
	if !strings.Contains(page.body, "selected") {
		t.Error("no address is preselected")
	}
	ids, _ := s.app.wx.AddressIDs(t.Context(), 0, 10)
	wantStatus(t, b.post("/aftersales/"+id+"/answer", url.Values{"action": {"accept_return"}, "address_id": {string(ids[0])}}), http.StatusSeeOther)
	wantStatus(t, b.post("/aftersales/"+id+"/sandbox", url.Values{"move": {"ship_return"}}), http.StatusSeeOther)
	page = b.get("/aftersales/" + id)
	wantBody(t, page, zh("aftersale.status.MERCHANT_WAIT_RECEIPT"), `data-testid="aftersale-return-waybill"`, zh("aftersale.action.receive_refund"))
	wantStatus(t, b.post("/aftersales/"+id+"/answer", url.Values{"action": {"receive_refund"}}), http.StatusSeeOther)
	if o, _ := s.sandbox.AftersaleState(id); o.Status != wx.AftersalePlatformRefunding && o.Status != wx.AftersaleMerchantReturnSuccess {
		t.Errorf("status %s", o.Status)
	}
}

// Viewers see an after-sale and its history but no form, and their answers are refused.
func TestAftersaleViewer(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	v := s.signedIn(t, "viewer")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	page := v.get("/aftersales/" + id)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, zh("aftersale.viewer"))
	if strings.Contains(page.body, `data-testid="action-refund"`) {
		t.Error("a viewer is offered the refund")
	}
	wantStatus(t, v.post("/aftersales/"+id+"/answer", url.Values{"action": {"refund"}}), http.StatusForbidden)
	wantStatus(t, v.post("/aftersales/sync", url.Values{}), http.StatusForbidden)
	wantStatus(t, v.post("/return-addresses", url.Values{"name": {"x"}}), http.StatusForbidden)
	if n := s.sandbox.Calls(pathAcceptApply); n != 0 {
		t.Errorf("acceptapply called %d times", n)
	}
}

// An answer whose reply is lost is read back and counted as made; it is not sent again.
func TestAftersaleLostAnswer(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	s.sandbox.LoseNext(pathAcceptApply, 1)
	a := b.post("/aftersales/"+id+"/answer", url.Values{"action": {"refund"}})
	wantStatus(t, a, http.StatusSeeOther)
	if n := s.sandbox.MerchantAnswers(id); n != 1 {
		t.Errorf("made %d times", n)
	}
	if n := s.sandbox.Calls(pathAcceptApply); n != 1 {
		t.Errorf("acceptapply called %d times", n)
	}
	// WeChat busy (-1) before doing it: read back unchanged, so the page says it was not done.
	id2 := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	s.sandbox.FailNext(pathAcceptApply, -1, "system error", 1)
	a = b.post("/aftersales/"+id2+"/answer", url.Values{"action": {"refund"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "-1")
	if n := s.sandbox.MerchantAnswers(id2); n != 0 {
		t.Errorf("made %d times", n)
	}
}

// An exchange answered with a replacement parcel.
func TestAftersaleExchange(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewAftersale(wx.AftersaleTypeExchange)
	ids, _ := s.app.wx.AddressIDs(t.Context(), 0, 10)
	wantStatus(t, b.post("/aftersales/"+id+"/answer", url.Values{"action": {"accept_return"}, "address_id": {string(ids[0])}}), http.StatusSeeOther)
	s.sandbox.BuyerMove(id, sandbox.MoveShipReturn)
	// The replacement's courier picker offers WeChat's live list once fetched (the built-in one until then).
	wantStatus(t, b.post("/aftersales/"+id+"/refresh", nil), http.StatusSeeOther)
	wantBody(t, b.get("/aftersales/"+id), `data-testid="courier-list-from"`, zh("couriers.builtin"))
	wantStatus(t, b.post("/couriers/refresh", url.Values{"back": {"/aftersales/" + id}}), http.StatusSeeOther)
	wantBody(t, b.get("/aftersales/"+id), `<option value="ZJS">宅急送</option>`)
	a := b.post("/aftersales/"+id+"/answer", url.Values{"action": {"reship"}, "delivery_id": {"SF"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-waybill_id"`)
	wantStatus(t, b.post("/aftersales/"+id+"/answer", url.Values{"action": {"reship"}, "delivery_id": {"SF"}, "waybill_id": {"SF1234567890"}}), http.StatusSeeOther)
	page := b.get("/aftersales/" + id)
	wantBody(t, page, zh("aftersale.status.USER_WAIT_RECEIPT"), "SF1234567890", "顺丰速运")
}

// Return addresses: a form with a missing field keeps what was typed; a saved address is WeChat's.
func TestReturnAddresses(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	list := b.get("/return-addresses")
	wantStatus(t, list, http.StatusOK)
	wantBody(t, list, "王仓管", zh("address.default_recv"))
	form := url.Values{"name": {"赵六"}, "phone": {"13700000000"}, "province": {"浙江省"}, "city": {"杭州市"}, "county": {""}, "detail": {"文三路 1 号"}, "recv": {"1"}}
	a := b.post("/return-addresses", form)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-county"`, `value="赵六"`, `value="文三路 1 号"`)
	form.Set("county", "西湖区")
	wantStatus(t, b.post("/return-addresses", form), http.StatusSeeOther)
	wantBody(t, b.get("/return-addresses"), "赵六", "浙江省杭州市西湖区文三路 1 号")
	if e := s.auditOf(t, "address.create"); len(e) != 1 || e[0].Outcome != db.AuditOK || e[0].ObjectID == "" {
		t.Errorf("audit = %+v", e)
	}
}

// The sandbox pushes channels_ec_aftersale_update as WeChat does (JSON, safe mode): the callback reads the
// after-sale into the mirror, and each later change of it too, without a sync.
func TestAftersalePushKeepsTheMirror(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{}, safeMode, buyerWaits)
	if err := s.sandbox.PushAftersalesTo(s.URL+"/wx/callback", testCallbackToken, testAESKey); err != nil {
		t.Fatal(err)
	}
	id := s.sandbox.NewAftersale(wx.AftersaleTypeReturn)
	waitMirror := func(status string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if row, err := s.store.Aftersale(t.Context(), id); err == nil && row.Status == status {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		row, err := s.store.Aftersale(t.Context(), id)
		t.Fatalf("the mirror has %q (%v), want %s", row.Status, err, status)
	}
	waitMirror(wx.AftersaleMerchantProcessing)
	ids, _ := s.app.wx.AddressIDs(t.Context(), 0, 10)
	if err := s.app.wx.AcceptAftersale(t.Context(), id, string(ids[0]), wx.AcceptReturn); err != nil {
		t.Fatal(err)
	}
	waitMirror(wx.AftersaleUserWaitReturn)
	s.sandbox.BuyerMove(id, sandbox.MoveShipReturn)
	waitMirror(wx.AftersaleMerchantWaitReceipt)
}

// The order page lists a Channels order's after-sales; a V1.13 order in 维权 says there is no after-sale API.
func TestOrderPageAftersales(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "viewer")
	op := s.signedIn(t, "operator")
	s.syncOrdersAs(t, op)
	s.syncAftersales(t, op)
	id := s.sandbox.AftersaleIDs(wx.AftersaleTypeReturn, wx.AftersaleMerchantWaitReceipt)[0]
	st, _ := s.sandbox.AftersaleState(id)
	o := s.mirrorOf(t, db.SourceChannels, string(st.OrderID))
	page := b.get(orderPath(o))
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `data-testid="order-aftersales"`, "/aftersales/"+id, zh("aftersale.status.MERCHANT_WAIT_RECEIPT"))
	// What the after-sales leave of the order: its total less what they refunded and what they ask.
	rows, err := s.store.AftersalesOfOrder(t.Context(), o.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	var asked, refunded int64
	for _, r := range rows {
		switch {
		case r.Type == wx.AftersaleTypeExchange:
		case r.Status == wx.AftersaleMerchantRefundSuccess || r.Status == wx.AftersaleMerchantReturnSuccess:
			refunded += r.AmountFen
		case r.Tab != db.AftersaleTabDone && r.Tab != db.AftersaleTabClosed:
			asked += r.AmountFen
		}
	}
	wantBody(t, page, `data-testid="order-refund-left">`+zh("aftersale.order.refund_left", money.Yuan(max(o.TotalFen-asked-refunded, 0))),
		zh("aftersale.order.refunding", money.Yuan(asked)), `data-testid="order-ship-left"`)
	merchant, _, err := s.store.Orders(t.Context(), db.OrderFilter{Source: db.SourceMerchant, Status: db.OrderAfterSale, Limit: 1})
	if err != nil || len(merchant) == 0 {
		t.Fatalf("no V1.13 order in 维权: %v", err)
	}
	wantBody(t, b.get(orderPath(merchant[0])), `data-testid="order-no-aftersale-api"`, "没有售后 API")
}
