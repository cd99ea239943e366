package shop

import (
	"context"
	"testing"

	"wxshop/internal/wx"
)

// An after-sale opened for the buyer whose answer is lost: asked again with the same request_id, WeChat
// answers the one it opened; one after-sale exists, in the mirror, audited once as made.
func TestOpenForBuyerOnceWhenTheAnswerIsLost(t *testing.T) {
	ts := newAftersaleShop(t)
	ctx := context.Background()
	as := ts.Aftersales()
	old, err := ts.wx.AftersaleOrder(ctx, ts.sandbox.AftersaleIDs(wx.AftersaleTypeRefund, wx.AftersaleUserCancelled)[0])
	if err != nil {
		t.Fatal(err)
	}
	g := wx.GenAftersale{RequestID: "form-1", OrderID: string(old.OrderID), ProductID: string(old.ProductInfo.ProductID),
		SkuID: string(old.ProductInfo.SKUID), Count: 1, Amount: 1, Reason: wx.GenReasonAgreed, Type: wx.AftersaleTypeRefund}
	ts.sandbox.LoseNext(wx.PathGenAftersale, 1)
	id, err := as.OpenForBuyer(ctx, ts.j(), "op", g)
	if err != nil {
		t.Fatalf("lost answer not settled: %v", err)
	}
	if n := ts.sandbox.Calls(wx.PathGenAftersale); n != 2 {
		t.Errorf("genaftersaleorder called %d times, want 2 (the lost one and its repeat)", n)
	}
	if ids := ts.sandbox.AftersaleIDs(wx.AftersaleTypeRefund, wx.AftersaleUserWaitMerchantSale); len(ids) != 1 || ids[0] != id {
		t.Errorf("after-sales opened for the buyer: %v, want [%s]", ids, id)
	}
	if row, err := ts.store.Aftersale(ctx, id); err != nil || row.Status != wx.AftersaleUserWaitMerchantSale {
		t.Errorf("mirror row %+v, %v", row, err)
	}
	wantEntry(t, ts, "aftersale."+ActOpenForBuyer, id, "ok")
}
