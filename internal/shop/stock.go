package shop

import (
	"context"
	"fmt"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// StockChange is what became of a change of one SKU's stock that WeChat did not confirm.
type StockChange struct {
	// Now is WeChat's stock when it could be read after a failure whose outcome was unknown; Known says it was.
	Now      int64
	Known    bool
	Mirrored bool // Now, neither the stock before nor after the change, is the mirror's stock too
}

// ChangeStock adds delta pieces to one SKU's stock (takes them, when delta is negative) and mirrors the new
// stock; label names the SKU in the audit entry. A change whose outcome is unknown (no answer, -1) must not be
// made twice by a second click: WeChat's stock tells whether it went through. The error is WeChat's refusal or
// a *StoreError.
func (s *Shop) ChangeStock(ctx context.Context, j Journal, row db.Product, sku db.SKU, label string, delta int) (StockChange, error) {
	var ch StockChange
	newQty := sku.Quantity + int64(delta)
	op, sign, n := "add", "+", delta
	var err error
	if delta >= 0 {
		err = s.wx.AddStock(ctx, row.ProductID, sku.SKUID, delta)
	} else {
		op, sign, n = "reduce", "-", -delta
		err = s.wx.ReduceStock(ctx, row.ProductID, sku.SKUID, -delta)
	}
	if err != nil && wx.Temporary(err) {
		ch.Now, ch.Known = s.currentStock(ctx, row.ProductID, sku.SKUID)
		if ch.Known && ch.Now == newQty {
			s.log.Warn("the stock call failed, but WeChat's stock shows the change", "product", row.ProductID, "sku", sku.SKUID, "err", err)
			err = nil
		}
	}
	j(db.AuditEntry{Action: "stock." + op, ObjectType: "product", ObjectID: row.ProductID,
		Detail: fmt.Sprintf("%s [%s] %s%d (%d)", row.Name, label, sign, n, sku.Quantity), Outcome: Outcome(err)})
	if err != nil {
		if ch.Known && ch.Now != sku.Quantity {
			// Neither before nor after: the stock moved meanwhile (sales). The mirror shows what it is.
			ch.Mirrored = s.store.SetSKUQuantity(ctx, row.ProductID, sku.SKUID, ch.Now) == nil
		}
		return ch, err
	}
	return ch, storeErr(s.store.SetSKUQuantity(ctx, row.ProductID, sku.SKUID, newQty))
}

// currentStock reads one SKU's stock from WeChat; false when it cannot be read.
func (s *Shop) currentStock(ctx context.Context, productID, skuID string) (int64, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	p, err := s.wx.GetProduct(ctx, productID)
	if err != nil {
		return 0, false
	}
	for _, k := range p.SKUList {
		if k.SKUID == skuID {
			return int64(k.Quantity), true
		}
	}
	return 0, false
}
