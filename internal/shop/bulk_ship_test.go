package shop

import (
	"context"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const pathMerchantDelivery = "/merchant/order/setdelivery"

// newShipFile makes n paid merchant orders, mirrors them and stores a previewed file shipping each.
func newShipFile(t *testing.T, ts *testShop, n int) db.ShipBatch {
	t.Helper()
	ctx := t.Context()
	var lines []ShipLine
	for i := range n {
		id := ts.sandbox.NewPaidOrder(sandbox.SourceMerchant)
		if _, err := ts.FetchOrderID(ctx, db.SourceMerchant, "", id); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, ShipLine{id, "顺丰", "SF30000000" + string(rune('0'+i/10)) + string(rune('0'+i%10))})
	}
	zh := i18n.Printer{Lang: i18n.Parse("zh")}
	bid, err := ts.PrepareShipFile(ctx, zh, "发货.csv", "admin", lines)
	if err != nil || bid == 0 {
		t.Fatalf("prepare: %d, %v", bid, err)
	}
	b, err := ts.store.ShipBatch(ctx, bid)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range b.Rows {
		if r.State != db.ShipRowValid {
			t.Fatalf("row %d is %s: %s", r.RowNo, r.State, r.Message)
		}
	}
	return b
}

// A file a stopped process left running is resumed at the next start in the language of the operator who
// started it: its rows' messages are English for an English-speaking operator, not the default Chinese.
func TestAResumedFileSpeaksItsOperatorsLanguage(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	b := newShipFile(t, ts, 2)
	// As a process that stopped right after the operator confirmed: the file is running, no row is done.
	if ok, err := ts.store.StartShipBatch(ctx, b.ID, "en"); err != nil || !ok {
		t.Fatalf("start: %v %v", ok, err)
	}
	ts.sandbox.FailNext(pathMerchantDelivery, 9401020, "invalid param", 2) // WeChat refuses both rows

	ts.ResumeShipFiles(ctx)
	ts.Wait()
	b, err := ts.store.ShipBatch(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.State != db.ShipFileDone || b.Lang != "en" {
		t.Errorf("the resumed file is %s, in %q", b.State, b.Lang)
	}
	en := i18n.Printer{Lang: i18n.Parse("en")}
	for _, r := range b.Rows {
		if r.State != db.ShipRowFailed || !strings.HasPrefix(r.Message, "WeChat answered error 9401020") {
			t.Errorf("row %d: %s %q, want failed with WeChat's refusal in English (%q)", r.RowNo, r.State, r.Message, en.T("error.wx", 9401020, "…"))
		}
	}
}

// Close ends the files being shipped and waits for them: when it returns nothing is still writing, every row is
// shipped or still valid (none lost half way), and the file, not finished, is resumed by the next start, which
// ships each order once.
func TestCloseWaitsForTheFilesBeingShipped(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	const rows = 12
	b := newShipFile(t, ts, rows)
	ts.sandbox.SetLatency(150 * time.Millisecond)
	if ok, err := ts.StartShipFile(ctx, b, db.User{Username: "admin"}, i18n.Printer{Lang: i18n.Parse("zh")}); err != nil || !ok {
		t.Fatalf("start: %v %v", ok, err)
	}
	if ok, _ := ts.StartShipFile(ctx, b, db.User{Username: "admin"}, i18n.Printer{Lang: i18n.Parse("zh")}); ok {
		t.Error("a second confirmation of the same file started it again")
	}
	time.Sleep(400 * time.Millisecond) // some rows on their way
	ts.Close()

	stopped, err := ts.store.ShipBatch(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	shipped := 0
	for _, r := range stopped.Rows {
		switch r.State {
		case db.ShipRowShipped:
			shipped++
		case db.ShipRowValid:
		default:
			t.Errorf("row %d is %s after Close: %s", r.RowNo, r.State, r.Message)
		}
	}
	if stopped.State != db.ShipFileRunning || shipped == rows {
		t.Fatalf("after Close the file is %s with %d of %d rows shipped; want it stopped part way", stopped.State, shipped, rows)
	}
	// The next start.
	ts.sandbox.SetLatency(0)
	next := New(ts.store, ts.wx, ts.log)
	defer next.Close()
	next.ResumeShipFiles(ctx)
	next.Wait()
	done, _ := ts.store.ShipBatch(ctx, b.ID)
	if done.State != db.ShipFileDone {
		t.Errorf("the resumed file is %s", done.State)
	}
	for _, r := range done.Rows {
		if r.State != db.ShipRowShipped {
			t.Errorf("row %d is %s after the resume: %s", r.RowNo, r.State, r.Message)
		}
		o, err := ts.store.Order(ctx, r.OrderPK)
		if err != nil || len(o.Parcels) != 1 {
			t.Errorf("order %s has %d parcels, want 1 (%v)", r.OrderID, len(o.Parcels), err)
		}
	}
}

// A row claimed by a server that died with it on its way (its shipment reached WeChat, the answer died with the
// server) is taken by another once the lease runs out, read back from WeChat, and counted shipped without a
// second shipment; the rows the dead server never sent are sent.
func TestARowWhoseServerDiedMidCallIsReadBackNotSentTwice(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	b := newShipFile(t, ts, 3)
	if ok, err := ts.store.StartShipBatch(ctx, b.ID, "zh"); err != nil || !ok {
		t.Fatalf("start: %v %v", ok, err)
	}
	// The dead server claimed row 1 and sent it; WeChat shipped it.
	r, ok, err := ts.store.ClaimShipRow(ctx, b.ID, "dead-server", 50*time.Millisecond)
	if err != nil || !ok || r.RowNo != 1 {
		t.Fatal(r, ok, err)
	}
	o, err := ts.store.Order(ctx, r.OrderPK)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.wx.SendMerchantDelivery(ctx, o.OrderID, wx.MerchantDelivery{Company: r.CompanyID, TrackNo: r.TrackingNo}); err != nil {
		t.Fatal(err)
	}
	sent := ts.sandbox.Calls(pathMerchantDelivery)
	time.Sleep(60 * time.Millisecond) // its lease runs out

	ts.ResumeShipFiles(ctx)
	ts.Wait()
	if n := ts.sandbox.Calls(pathMerchantDelivery) - sent; n != 2 {
		t.Errorf("%d shipments sent after the take-over, want 2 (the rows the dead server never sent)", n)
	}
	done, _ := ts.store.ShipBatch(ctx, b.ID)
	if done.State != db.ShipFileDone {
		t.Errorf("the file is %s", done.State)
	}
	for _, row := range done.Rows {
		st, _ := ts.sandbox.Order(sandbox.SourceMerchant, row.OrderID)
		if row.State != db.ShipRowShipped || len(st.Parcels) != 1 {
			t.Errorf("row %d is %s (%s), WeChat holds %d parcels; want shipped, exactly one", row.RowNo, row.State, row.Message, len(st.Parcels))
		}
	}
}
