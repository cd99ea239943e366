package shop

import (
	"context"
	"errors"
	"fmt"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// ActOpenForBuyer is the merchant's after-sale opened for the buyer (代用户发起售后, genaftersaleorder).
const ActOpenForBuyer = "open_for_buyer"

// OpenForBuyer opens an after-sale for the buyer, once: g.RequestID is the form's own key, and WeChat opens no
// second after-sale for a request_id it has seen, so an answer lost on the way is asked again with the same
// key and answers the after-sale the first call opened. The new after-sale is read into the mirror; the call
// is audited with WeChat's answer.
func (s *Aftersales) OpenForBuyer(ctx context.Context, journal Journal, username string, g wx.GenAftersale) (string, error) {
	if g.RequestID == "" {
		return "", errors.New("shop: an after-sale opened for the buyer needs its request_id")
	}
	id, err := s.wx.GenAftersaleOrder(ctx, g)
	if err != nil && wx.Temporary(err) && ctx.Err() == nil {
		id, err = s.wx.GenAftersaleOrder(ctx, g)
		if err != nil && wx.Temporary(err) {
			err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		}
	}
	if err == nil {
		if _, rerr := s.Refresh(ctx, string(id)); rerr != nil {
			s.log.Warn("the after-sale opened for the buyer could not be read into the mirror; the next sync will", "aftersale", id, "err", rerr)
		}
		e := db.AftersaleEvent{AftersaleID: string(id), OrderID: g.OrderID, At: s.now(), Kind: ActOpenForBuyer, Status: wx.AftersaleUserWaitMerchantSale,
			Username: username, Detail: g.Type + " " + g.Reason, Outcome: db.AuditOK}
		if serr := s.store.AddAftersaleEvent(context.WithoutCancel(ctx), e); serr != nil {
			s.log.Error("after-sale history entry lost", "aftersale", id, "err", serr)
		}
	}
	detail := fmt.Sprintf("request_id=%s order_id=%s product_id=%s sku_id=%s count=%d amount_fen=%d type=%s reason=%s address_id=%s",
		g.RequestID, g.OrderID, g.ProductID, g.SkuID, g.Count, g.Amount, g.Type, g.Reason, g.AddressID)
	journal(db.AuditEntry{Action: "aftersale." + ActOpenForBuyer, ObjectType: "aftersale", ObjectID: string(id), Detail: detail, Outcome: Outcome(err)})
	return string(id), err
}

// GenReasons are genaftersaleorder's reason codes, in the page's order (10000014 双方协商一致退款 first).
var GenReasons = []string{"10000014", "10000002", "10000000", "10000001", "10000006", "10000021", "10000007", "10000015", "10000017", "10000008"}

// CanOpenForBuyer tells the orders an after-sale may be opened for: 微信小店 (Channels) orders that were paid
// and not cancelled. WeChat answers the others 10021088 (订单不支持代发起售后).
func CanOpenForBuyer(o db.Order) bool {
	if o.Source != db.SourceChannels {
		return false
	}
	switch o.Status {
	case db.OrderToShip, db.OrderPartial, db.OrderShipped, db.OrderDone, db.OrderAfterSale:
		return true
	}
	return false
}

// LineInAftersale reports whether the order's line (product, SKU) already has an after-sale in progress, as
// the mirror knows it: WeChat opens no second one on it.
func LineInAftersale(list []db.Aftersale, productID, skuID string) bool {
	for _, as := range list {
		if as.ProductID != productID || as.SKUID != skuID {
			continue
		}
		if tab, _ := AftersaleTab(as.Type, as.Status); tab != db.AftersaleTabClosed && tab != db.AftersaleTabDone {
			return true
		}
	}
	return false
}
