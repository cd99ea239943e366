package shop

import (
	"context"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const pathChannelsDelivery = "/channels/ec/order/delivery/send"

// shipChannelsFile mirrors a paid Channels order per tracking number and ships a file of them to the end.
func shipChannelsFile(t *testing.T, ts *testShop, before func(orderIDs []string), trackNos ...string) db.ShipBatch {
	t.Helper()
	ctx := context.Background()
	var lines []ShipLine
	var ids []string
	for _, no := range trackNos {
		id := ts.sandbox.NewPaidOrder(sandbox.SourceChannels)
		if _, err := ts.FetchOrderID(ctx, db.SourceChannels, "", id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		lines = append(lines, ShipLine{id, "SF", no})
	}
	zh := i18n.Printer{Lang: i18n.Parse("zh")}
	bid, err := ts.PrepareShipFile(ctx, zh, "发货.csv", "admin", lines)
	if err != nil || bid == 0 {
		t.Fatalf("prepare: %d, %v", bid, err)
	}
	if before != nil {
		before(ids)
	}
	b, err := ts.store.ShipBatch(ctx, bid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.StartShipFile(ctx, b, db.User{ID: 1, Username: "admin"}, zh); err != nil {
		t.Fatal(err)
	}
	ts.Wait()
	if b, err = ts.store.ShipBatch(ctx, bid); err != nil || b.State != db.ShipFileDone {
		t.Fatalf("the file: %s, %v", b.State, err)
	}
	return b
}

// WeChat's refusals of a Channels shipment as a file's row meets them: an order shipped meanwhile (109001) or
// not in a state to ship (101100) is skipped with WeChat's code and what it means, sent once and not again by
// a retry of the file; a refusal of what the parcel holds (109000) fails the row, which a retry sends again.
func TestBulkShipChannelsRefusals(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	zh := i18n.Printer{Lang: i18n.Parse("zh")}

	// Shipped in WeChat's backend after the file was checked: WeChat answers 109001, the mirror learns it.
	b := shipChannelsFile(t, ts, func(ids []string) {
		st, _ := ts.sandbox.Order(sandbox.SourceChannels, ids[0])
		var items []wx.ChannelsDeliveryProduct
		for _, l := range st.Lines {
			items = append(items, wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: l.Count})
		}
		if err := ts.wx.SendChannelsDelivery(ctx, ids[0], []wx.ChannelsDelivery{{DeliveryID: "ZTO", WaybillID: "73100000000009", ProductInfos: items}}); err != nil {
			t.Fatal(err)
		}
	}, "SF9000000000001")
	if n := ts.sandbox.Calls(pathChannelsDelivery); n != 2 {
		t.Errorf("%d shipping calls, want 2 (the backend's and the row's, not sent again)", n)
	}
	r := b.Rows[0]
	if r.State != db.ShipRowSkipped || r.Message != zh.T("error.wx", wx.CodeChannelsShipped, mustMeaning(t, wx.CodeChannelsShipped)) {
		t.Errorf("the row of the order shipped meanwhile: %s %q", r.State, r.Message)
	}
	if o, err := ts.store.Order(ctx, r.OrderPK); err != nil || o.Status != db.OrderShipped || len(o.Parcels) != 1 || o.Parcels[0].TrackingNo != "73100000000009" {
		t.Errorf("the mirror after 109001: %+v, %v", o, err)
	}
	if retry, err := ts.RetryShipFile(ctx, zh, b, "admin"); err != nil || retry != 0 {
		t.Errorf("retry of a file whose row was skipped: %d, %v; want nothing to retry", retry, err)
	}
	wantAudit(t, ts, b.Rows[0].OrderID, "errcode 109001")

	// Not in a state to ship as WeChat sees it (the mirror says to ship): 101100, skipped.
	calls := ts.sandbox.Calls(pathChannelsDelivery)
	b = shipChannelsFile(t, ts, func([]string) {
		ts.sandbox.FailNext(pathChannelsDelivery, wx.CodeChannelsOrderState, ", 订单状态错误,不允许执行此操作 rid: 64d98c4d-1fe4b778-17268d99", 1)
	}, "SF9000000000002")
	if n := ts.sandbox.Calls(pathChannelsDelivery) - calls; n != 1 {
		t.Errorf("%d shipping calls for the 101100 row, want 1", n)
	}
	if r := b.Rows[0]; r.State != db.ShipRowSkipped || !strings.Contains(r.Message, "101100") || !strings.Contains(r.Message, "同步订单") {
		t.Errorf("the 101100 row: %s %q", r.State, r.Message)
	}

	// What the parcel holds refused (109000): failed, and a retry of the file sends it again.
	b = shipChannelsFile(t, ts, func([]string) {
		ts.sandbox.FailNext(pathChannelsDelivery, wx.CodeChannelsShipFailed, " rid: 603cc1d8-69db7e08-02516d2e", 1)
	}, "SF9000000000003")
	if r := b.Rows[0]; r.State != db.ShipRowFailed || r.Message != zh.T("error.wx", wx.CodeChannelsShipFailed, mustMeaning(t, wx.CodeChannelsShipFailed)) {
		t.Errorf("the 109000 row: %s %q", r.State, r.Message)
	}
	if retry, err := ts.RetryShipFile(ctx, zh, b, "admin"); err != nil || retry == 0 {
		t.Errorf("retry of the failed row: %d, %v; want a new file", retry, err)
	}
	if st, _ := ts.sandbox.Order(sandbox.SourceChannels, b.Rows[0].OrderID); len(st.Parcels) != 0 {
		t.Errorf("the refused order has parcels %+v", st.Parcels)
	}
}

func mustMeaning(t *testing.T, code int) string {
	t.Helper()
	m, ok := wx.CodeMeaning(code, "zh")
	if !ok {
		t.Fatalf("code %d has no meaning", code)
	}
	return m
}

// wantAudit fails the test unless the order's one shipping entry has the outcome.
func wantAudit(t *testing.T, ts *testShop, orderID, outcome string) {
	t.Helper()
	entries, err := ts.store.AuditForObject(context.Background(), "order", db.SourceChannels+":"+orderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Outcome, outcome) {
		t.Errorf("the order's audit entries: %+v, want one with %q", entries, outcome)
	}
}
