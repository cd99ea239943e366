package sandbox_test

import (
	"testing"

	"wxshop/internal/wx"
)

// The merchant opens an after-sale for the buyer on an order line whose earlier after-sale was cancelled: it
// waits for the buyer, the same request_id answers the same after-sale, and the documented refusals hold.
func TestGenAftersaleOrder(t *testing.T) {
	sh := aftersaleShop(t)
	old := sh.aftersale(sh.firstAftersale(wx.AftersaleTypeRefund, wx.AftersaleUserCancelled))
	addrs, err := sh.wx.AddressIDs(t.Context(), 0, 100)
	if err != nil || len(addrs) == 0 {
		t.Fatalf("addresses: %v %v", addrs, err)
	}
	g := wx.GenAftersale{RequestID: "req-1", OrderID: string(old.OrderID), ProductID: string(old.ProductInfo.ProductID),
		SkuID: string(old.ProductInfo.SKUID), Count: 1, Amount: 1, Reason: wx.GenReasonAgreed, Type: wx.AftersaleTypeReturn, AddressID: string(addrs[0])}
	id, err := sh.wx.GenAftersaleOrder(t.Context(), g)
	if err != nil {
		t.Fatal(err)
	}
	o := sh.aftersale(string(id))
	if o.Status != wx.AftersaleUserWaitMerchantSale || o.Type != wx.AftersaleTypeReturn || o.OrderID != old.OrderID || int64(o.RefundInfo.Amount) != 1 {
		t.Errorf("opened: %s %s order %s amount %d", o.Status, o.Type, o.OrderID, o.RefundInfo.Amount)
	}
	if again, err := sh.wx.GenAftersaleOrder(t.Context(), g); err != nil || again != id {
		t.Errorf("the same request_id again: %q %v, want %q", again, err, id)
	}
	g.RequestID = "req-2"
	_, err = sh.wx.GenAftersaleOrder(t.Context(), g)
	wantAftersaleCode(t, "a second on a line with one open", err, wx.CodeAftersaleWrongState)
	g.RequestID, g.OrderID = "req-3", "1"
	_, err = sh.wx.GenAftersaleOrder(t.Context(), g)
	wantAftersaleCode(t, "an unknown order", err, wx.CodeAftersaleNotFound)
	g.OrderID, g.Amount = string(old.OrderID), 1<<40
	_, err = sh.wx.GenAftersaleOrder(t.Context(), g)
	wantAftersaleCode(t, "an amount over the line's", err, wx.CodeAftersaleBadParameters)
}
