package shop

import (
	"context"
	"errors"
	"slices"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// What the after-sale pages read: one after-sale, the choices its answer forms offer, an order's after-sales
// with what is left to refund and to ship.

// Load is an after-sale for its page: the mirror's copy, or WeChat's (then kept) when the mirror has none.
// ErrNotFound when WeChat knows no such after-sale; a *StoreError when the store fails.
func (s *Aftersales) Load(ctx context.Context, id string) (*wx.AfterSaleOrder, error) {
	row, err := s.store.Aftersale(ctx, id)
	switch {
	case err == nil:
		if o, derr := wx.DecodeAfterSaleOrder(row.Raw); derr == nil {
			return o, nil
		}
	case !errors.Is(err, db.ErrNoRecord):
		return nil, storeErr(err)
	}
	o, err := s.Refresh(ctx, id)
	if wx.IsCode(err, wx.CodeAftersaleNotFound, wx.CodeAftersaleNotFound2, wx.CodeAftersaleInvalidID) {
		return nil, ErrNotFound
	}
	return o, err
}

// SyncedAt is when the after-sale mirror was last synced whole; zero when never.
func (s *Aftersales) SyncedAt(ctx context.Context) time.Time {
	return s.shop.SyncedAt(ctx, SettingAftersalesSyncedAt)
}

// AnswerChoices are what the answer forms of an after-sale pick from.
type AnswerChoices struct {
	Reasons   KeptList[wx.RejectReason]  // for a rejection
	Addresses KeptList[wx.AddressDetail] // the return addresses, for agreeing to a return or an exchange
	// DefaultAddress is the return address preselected: the default one, else the first.
	DefaultAddress string
	// Couriers an exchange's replacement may leave with: WeChat's Channels list as kept, or the built-in one
	// (CouriersFetched zero) until it was fetched.
	Couriers        []wx.Courier
	CouriersFetched time.Time
}

// Choices reads what the answers in actions need; refresh fetches the kept lists from WeChat now.
func (s *Aftersales) Choices(ctx context.Context, actions []string, refresh bool) AnswerChoices {
	var ch AnswerChoices
	if slices.Contains(actions, ActReject) || slices.Contains(actions, ActRejectReship) {
		ch.Reasons = s.RejectReasons(ctx, refresh)
	}
	if slices.Contains(actions, ActAcceptReturn) {
		all := s.Addresses(ctx, refresh)
		ch.Addresses = KeptList[wx.AddressDetail]{FetchedAt: all.FetchedAt, Err: all.Err}
		for _, a := range all.Items {
			if a.RecvAddr {
				ch.Addresses.Items = append(ch.Addresses.Items, a)
			}
		}
		ch.DefaultAddress = DefaultReturnAddress(ch.Addresses.Items)
	}
	if slices.Contains(actions, ActReship) {
		ch.Couriers, ch.CouriersFetched = s.shop.CourierList(db.SourceChannels)
	}
	return ch
}

// RejectScene is the reject_scene of the reasons a rejection of an after-sale of type typ may give, when the
// page offers actions: refusing an exchange's re-shipment, or rejecting the application of its type.
func RejectScene(typ string, actions []string) int {
	switch {
	case slices.Contains(actions, ActRejectReship):
		return wx.RejectSceneReship
	case typ == wx.AftersaleTypeRefund:
		return wx.RejectSceneRefund
	case typ == wx.AftersaleTypeReturn:
		return wx.RejectSceneReturn
	case typ == wx.AftersaleTypeExchange:
		return wx.RejectSceneExchange
	}
	return 0
}

// ReasonsForScene keeps the reasons of scene, and those that name no scene. When none is left (an answer
// whose scenes are all unknown to the app), all are kept, so a rejection can still be made.
func ReasonsForScene(all []wx.RejectReason, scene int) []wx.RejectReason {
	var out []wx.RejectReason
	for _, r := range all {
		if s := r.Scene(); s == 0 || s == scene {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// NegotiationRule is a row of merchantupdateaftersale's update_reason_type table: the after-sale type the
// proposal makes it, the merchant_update_type that goes with it, and whether evidence images are needed.
type NegotiationRule struct {
	Reason, NewType, UpdateType int
	NeedsImage                  bool
}

// NegotiationRules are the documented rows, in the order the form offers them.
var NegotiationRules = []NegotiationRule{
	{10, wx.NegotiateToRefund, wx.NegotiateModify, true},
	{6, wx.NegotiateToRefund, wx.NegotiateModify, true},
	{7, wx.NegotiateToRefund, wx.NegotiateAskEvidence, true},
	{9, wx.NegotiateToRefund, wx.NegotiateInviteCancel, true},
	{8, wx.NegotiateToReturn, wx.NegotiateModify, false},
	{11, wx.NegotiateToReturn, wx.NegotiateModify, true},
}

// NegotiationRuleOf is the row of update_reason_type reason.
func NegotiationRuleOf(reason int) (NegotiationRule, bool) {
	i := slices.IndexFunc(NegotiationRules, func(r NegotiationRule) bool { return r.Reason == reason })
	if i < 0 {
		return NegotiationRule{}, false
	}
	return NegotiationRules[i], true
}

// OrderAftersales is an order's after-sales and what they leave of it.
type OrderAftersales struct {
	List []db.Aftersale
	// RefundedFen were refunded (the after-sale done); RefundingFen are asked for by after-sales still open;
	// LeftFen is what may still be refunded: the order's total less the two.
	RefundedFen, RefundingFen, LeftFen int64
	// ToShip is how many pieces are left to ship (Remaining), and InAftersale how many of those an open
	// refund-only after-sale asks not to be sent.
	ToShip, InAftersale int64
}

// OrderAftersales reads the mirror's after-sales of a Channels order and sums what they refund.
func (s *Aftersales) OrderAftersales(ctx context.Context, o db.Order) (OrderAftersales, error) {
	var out OrderAftersales
	list, err := s.store.AftersalesOfOrder(ctx, o.OrderID)
	if err != nil {
		return out, err
	}
	out.List = list
	for _, n := range Remaining(o) {
		out.ToShip += n
	}
	for _, as := range list {
		if as.Type == wx.AftersaleTypeExchange {
			continue
		}
		switch as.Status {
		case wx.AftersaleMerchantRefundSuccess, wx.AftersaleMerchantReturnSuccess:
			out.RefundedFen += as.AmountFen
			continue
		}
		if tab, _ := AftersaleTab(as.Type, as.Status); tab == db.AftersaleTabClosed || tab == db.AftersaleTabDone {
			continue
		}
		out.RefundingFen += as.AmountFen
		if as.Type == wx.AftersaleTypeRefund {
			out.InAftersale += aftersaleCount(as)
		}
	}
	out.LeftFen = max(o.TotalFen-out.RefundedFen-out.RefundingFen, 0)
	out.InAftersale = min(out.InAftersale, out.ToShip)
	return out, nil
}

// aftersaleCount is how many pieces an after-sale is about, from WeChat's copy (1 if it does not say).
func aftersaleCount(as db.Aftersale) int64 {
	if o, err := wx.DecodeAfterSaleOrder(as.Raw); err == nil && o.ProductInfo.Count > 0 {
		return int64(o.ProductInfo.Count)
	}
	return 1
}
