package shop

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const (
	pathAcceptApply   = "/channels/ec/aftersale/acceptapply"
	pathReship        = "/channels/ec/aftersale/acceptexchangereship"
	pathRejectReasons = "/channels/ec/aftersale/rejectreason/get"
	pathAddressList   = "/channels/ec/merchant/address/list"
)

// newAftersaleShop is a test shop whose sandbox buyer moves only when told to.
func newAftersaleShop(t *testing.T) *testShop {
	t.Helper()
	ts := newTestShop(t, sandbox.Options{})
	ts.sandbox.SetAftersaleDelays(-1, time.Second)
	return ts
}

// A refund-only application refunded: WeChat takes one answer, the mirror holds the new state, the audit
// entry and the history say who did what with WeChat's answer; a second refund is refused before WeChat.
func TestAnswerRefundOnce(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	id := ts.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	o, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActRefund})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != wx.AftersalePlatformRefunding || ts.sandbox.MerchantAnswers(id) != 1 {
		t.Errorf("status %s, answers %d", o.Status, ts.sandbox.MerchantAnswers(id))
	}
	wantEntry(t, ts, "aftersale.refund", id, "ok")
	row, err := ts.store.Aftersale(ctx, id)
	if err != nil || row.Status != wx.AftersalePlatformRefunding {
		t.Errorf("mirror row %+v, %v", row, err)
	}
	events, _ := ts.store.AftersaleEvents(ctx, id)
	if len(events) == 0 || events[len(events)-1].Username != "op" || events[len(events)-1].Kind != ActRefund {
		t.Errorf("history %+v", events)
	}
	_, err = as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActRefund})
	var refusal *Refusal
	if !errors.As(err, &refusal) || refusal.Key != "aftersale.refused.state" {
		t.Errorf("second refund: %v", err)
	}
	if n := ts.sandbox.Calls(pathAcceptApply); n != 1 {
		t.Errorf("acceptapply called %d times", n)
	}
}

// The answer is lost after WeChat made it: the read-back finds the after-sale moved on, the answer counts as
// made, and nothing is sent again.
func TestAnswerLostIsReadBack(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	id := ts.sandbox.NewAftersale(wx.AftersaleTypeReturn)
	addr := as.Choices(ctx, []string{ActAcceptReturn}, false).DefaultAddress
	if addr == "" {
		t.Fatal("no return address preselected")
	}
	ts.sandbox.LoseNext(pathAcceptApply, 1)
	o, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActAcceptReturn, AddressID: addr})
	if err != nil {
		t.Fatalf("lost answer not settled: %v", err)
	}
	if o.Status != wx.AftersaleUserWaitReturn || ts.sandbox.MerchantAnswers(id) != 1 || ts.sandbox.Calls(pathAcceptApply) != 1 {
		t.Errorf("status %s, answers %d, calls %d", o.Status, ts.sandbox.MerchantAnswers(id), ts.sandbox.Calls(pathAcceptApply))
	}
	wantEntry(t, ts, "aftersale.accept_return", id, "ok")
	// The buyer ships it back; receipt confirmed and refunded.
	if _, err := ts.sandbox.BuyerMove(id, sandbox.MoveShipReturn); err != nil {
		t.Fatal(err)
	}
	if o, err = as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActReceiveRefund}); err != nil || o.Status != wx.AftersalePlatformRefunding {
		t.Fatalf("receive and refund: %v %v", o, err)
	}
}

// A refusal WeChat answers is kept as WeChat's error, and journaled with its code; 10021068 asks for a
// negotiation first.
func TestAnswerRejectNegotiateFirst(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	id := ts.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	ts.sandbox.AllowRejection(id, false)
	_, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActReject, ReasonType: 1})
	if !wx.IsCode(err, wx.CodeAftersaleNegotiateFirst) {
		t.Fatalf("err = %v, want 10021068", err)
	}
	wantEntry(t, ts, "aftersale.reject", id, Outcome(err))
	if _, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActReject}); err == nil {
		t.Error("a rejection without a reason went through")
	}
}

// An exchange's replacement leaves with a courier of WeChat's live list (one the built-in list lacks) once
// the list was fetched; the form's choices say which list it is.
func TestReshipWithLiveCourierList(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	id := ts.sandbox.NewAftersale(wx.AftersaleTypeExchange)
	addr := as.Choices(ctx, []string{ActAcceptReturn}, false).DefaultAddress
	if _, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActAcceptReturn, AddressID: addr}); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "aftersale.accept_return", id, "ok")
	if _, err := ts.sandbox.BuyerMove(id, sandbox.MoveShipReturn); err != nil {
		t.Fatal(err)
	}
	before := as.Choices(ctx, []string{ActReship}, false)
	if !before.CouriersFetched.IsZero() || len(before.Couriers) != len(CouriersFor(db.SourceChannels)) {
		t.Errorf("before the fetch: %d couriers fetched %v, want the built-in list", len(before.Couriers), before.CouriersFetched)
	}
	if err := ts.RefreshCouriers(ctx); err != nil {
		t.Fatal(err)
	}
	ch := as.Choices(ctx, []string{ActReship}, false)
	if ch.CouriersFetched.IsZero() || !hasCourier(ch.Couriers, "ZJS") || hasCourier(CouriersFor(db.SourceChannels), "ZJS") {
		t.Fatalf("live list not offered: %+v", ch.Couriers)
	}
	o, err := as.Answer(ctx, ts.j(), "op", id, AftersaleAnswer{Action: ActReship, DeliveryID: "ZJS", WaybillID: "ZJS0001"})
	if err != nil || o.Status != wx.AftersaleUserWaitReceipt || o.ExchangeDelivery == nil || o.ExchangeDelivery.DeliveryName != "宅急送" {
		t.Fatalf("reship: %+v %v", o, err)
	}
	wantEntry(t, ts, "aftersale.reship", id, "ok")
}

func hasCourier(list []wx.Courier, id string) bool {
	for _, c := range list {
		if c.ID == id {
			return true
		}
	}
	return false
}

// The reject reasons and addresses are fetched once and kept with their time; asked again they come from
// the store; a refresh that fails keeps the copy and says why.
func TestKeptListsStaleOnFailure(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	first := as.RejectReasons(ctx, false)
	if first.Err != nil || len(first.Items) == 0 || first.FetchedAt.IsZero() {
		t.Fatalf("first read: %+v", first)
	}
	again := as.RejectReasons(ctx, false)
	if n := ts.sandbox.Calls(pathRejectReasons); n != 1 || len(again.Items) != len(first.Items) {
		t.Errorf("rejectreason/get called %d times, %d items kept", n, len(again.Items))
	}
	ts.sandbox.FailNext(pathRejectReasons, 48001, "api unauthorized", 1)
	stale := as.RejectReasons(ctx, true)
	if !wx.IsCode(stale.Err, 48001) || !stale.Stale() || len(stale.Items) != len(first.Items) {
		t.Errorf("failed refresh: %+v", stale)
	}

	addrs := as.Addresses(ctx, false)
	if addrs.Err != nil || len(addrs.Items) == 0 {
		t.Fatalf("addresses: %+v", addrs)
	}
	calls := ts.sandbox.Calls(pathAddressList)
	as.Addresses(ctx, false)
	if n := ts.sandbox.Calls(pathAddressList); n != calls {
		t.Errorf("kept addresses read again from WeChat (%d list calls)", n-calls)
	}
	// A new address is in the kept list at once, and journaled.
	a := wx.AddressDetail{AddressInfo: wx.AddressInfo{UserName: "退货仓", TelNumber: "13800000000", ProvinceName: "广东省", CityName: "深圳市",
		CountyName: "南山区", DetailInfo: "科技园 1 号"}, RecvAddr: true}
	newID, err := as.SaveAddress(ctx, ts.j(), a)
	if err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "address.create", newID, "ok")
	after := as.Addresses(ctx, false)
	if len(after.Items) != len(addrs.Items)+1 {
		t.Errorf("kept addresses %d after adding to %d", len(after.Items), len(addrs.Items))
	}
	if got, err := as.Address(ctx, "999999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown address: %v %v", got, err)
	}
}

// An order's after-sales: what they refunded, what they ask, what is left of the order.
func TestOrderAftersaleSums(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	id := ts.sandbox.NewAftersale(wx.AftersaleTypeRefund)
	o, err := as.Refresh(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	order := db.Order{Source: db.SourceChannels, OrderID: string(o.OrderID), TotalFen: int64(o.RefundInfo.Amount) + 1000,
		Status: db.OrderShipped}
	sum, err := as.OrderAftersales(ctx, order)
	if err != nil || len(sum.List) != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if sum.RefundedFen != 0 || sum.RefundingFen != int64(o.RefundInfo.Amount) || sum.LeftFen != 1000 {
		t.Errorf("before the refund: %+v", sum)
	}
}

// Each rejection offers the reasons of its scene and those naming none; an answer whose scenes are all
// unknown offers every reason, so a rejection can still be made.
func TestReasonsForScene(t *testing.T) {
	all := []wx.RejectReason{
		{RejectReasonType: 1, RejectScene: float64(1)}, {RejectReasonType: 4, RejectScene: float64(4)},
		{RejectReasonType: 40, RejectScene: float64(5)}, {RejectReasonType: 41, RejectScene: "6"}, {RejectReasonType: 99},
	}
	types := func(rs []wx.RejectReason) (out []int) {
		for _, r := range rs {
			out = append(out, r.RejectReasonType)
		}
		return out
	}
	for _, tc := range []struct {
		typ     string
		actions []string
		want    []int
	}{
		{wx.AftersaleTypeRefund, []string{ActRefund, ActNegotiate, ActReject}, []int{1, 99}},
		{wx.AftersaleTypeReturn, []string{ActReceiveRefund, ActReject}, []int{4, 99}},
		{wx.AftersaleTypeExchange, []string{ActAcceptReturn, ActReject}, []int{40, 99}},
		{wx.AftersaleTypeExchange, []string{ActReship, ActRejectReship}, []int{41, 99}},
	} {
		if got := types(ReasonsForScene(all, RejectScene(tc.typ, tc.actions))); !slices.Equal(got, tc.want) {
			t.Errorf("%s %v: reasons %v, want %v", tc.typ, tc.actions, got, tc.want)
		}
	}
	unknown := []wx.RejectReason{{RejectReasonType: 7, RejectScene: float64(9)}}
	if got := ReasonsForScene(unknown, wx.RejectSceneRefund); len(got) != 1 {
		t.Errorf("only unknown scenes: %v, want the whole list", got)
	}
}
