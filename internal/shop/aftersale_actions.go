package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The merchant's answers to an after-sale, named as the official backend names them.
const (
	ActRefund        = "refund"         // 同意退款: a refund-only application
	ActAcceptReturn  = "accept_return"  // 同意退货 / 同意换货: with a return address
	ActReceiveRefund = "receive_refund" // 确认收货并退款: a return came back
	ActReject        = "reject"         // 拒绝 (the application, or a return that came back)
	ActNegotiate     = "negotiate"      // 协商
	ActReship        = "reship"         // 发出换货商品
	ActRejectReship  = "reject_reship"  // 拒绝换货
	ActCertificate   = "certificate"    // 上传退款凭证
)

// AftersaleActions lists the answers o's state allows, in the order the page offers them.
func AftersaleActions(o *wx.AfterSaleOrder) []string {
	switch {
	case o.Status == wx.AftersaleMerchantProcessing && o.Type == wx.AftersaleTypeRefund:
		return []string{ActRefund, ActNegotiate, ActReject}
	case o.Status == wx.AftersaleMerchantProcessing && o.Type == wx.AftersaleTypeReturn:
		return []string{ActAcceptReturn, ActNegotiate, ActReject}
	case o.Status == wx.AftersaleMerchantProcessing && o.Type == wx.AftersaleTypeExchange:
		return []string{ActAcceptReturn, ActReject}
	case o.Status == wx.AftersaleMerchantWaitReceipt && o.Type == wx.AftersaleTypeReturn:
		return []string{ActReceiveRefund, ActReject}
	case o.Status == wx.AftersaleMerchantWaitReceipt && o.Type == wx.AftersaleTypeExchange:
		return []string{ActReship, ActRejectReship}
	case o.Status == wx.AftersalePlatformRefundFail && bool(o.NeedOfflineRefund):
		return []string{ActCertificate}
	}
	return nil
}

// startsRefund tells the answers that make WeChat refund.
func startsRefund(action string) bool { return action == ActRefund || action == ActReceiveRefund }

// RefundGap is WeChat's rule: no two refunds of one order's after-sales within a minute.
const RefundGap = time.Minute

// AftersaleAnswer is what the operator asks for: the action and what it needs.
type AftersaleAnswer struct {
	Action     string
	AddressID  string // ActAcceptReturn
	ReasonType int    // ActReject, ActRejectReship: a reject_reason_type of rejectreason/get
	Reason     string // the text the buyer reads ("" the reason's default)
	Negotiation
	DeliveryID, WaybillID string   // ActReship
	MediaIDs              []string // ActCertificate (the proof), ActNegotiate, ActRejectReship (evidence)
	Desc                  string   // ActCertificate
}

// Negotiation is what a 协商 proposes (merchantupdateaftersale).
type Negotiation struct {
	NewType          int   // wx.NegotiateToRefund or wx.NegotiateToReturn
	AmountFen        int64 // the new amount
	UpdateReasonType int
	UpdateType       int // merchant_update_type
}

// Refusal is an answer the app refuses before calling WeChat, because WeChat would refuse it. Key names the
// message (i18n), Args fill it in.
type Refusal struct {
	Key  string
	Args []any
}

func (r *Refusal) Error() string { return fmt.Sprintf("shop: refused: %s %v", r.Key, r.Args) }

// ErrOutcomeUnknown: WeChat's answer was lost and the after-sale could not be read back; nothing is tried again,
// the page must be refreshed to see what happened.
var ErrOutcomeUnknown = errors.New("shop: the answer was lost and the after-sale could not be read back")

// Answer makes one answer to after-sale id, once. It reads the after-sale from WeChat first and refuses what
// its state (or the refund gap of its order) does not allow; after the call it reads the after-sale back: when
// the answer was lost or WeChat was busy, the after-sale's new state tells whether it was made, and it is never
// sent twice. Every attempt that reaches WeChat is journaled with WeChat's answer, and goes into the
// after-sale's history.
func (s *Aftersales) Answer(ctx context.Context, journal Journal, username, id string, ans AftersaleAnswer) (*wx.AfterSaleOrder, error) {
	defer s.lock(id)()
	before, err := s.Refresh(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(AftersaleActions(before), ans.Action) {
		return before, &Refusal{Key: "aftersale.refused.state", Args: []any{before.Status}}
	}
	if err := checkAnswer(ans); err != nil {
		return before, err
	}
	orderID := string(before.OrderID)
	if startsRefund(ans.Action) {
		last, err := s.store.LastRefundOfOrder(ctx, orderID)
		if err != nil {
			return before, err
		}
		if wait := RefundGap - s.now().Sub(last); !last.IsZero() && wait > 0 {
			return before, &Refusal{Key: "aftersale.refused.refund_gap", Args: []any{int(wait.Seconds() + 0.999)}}
		}
	}

	called := s.now()
	err = s.send(ctx, id, before, ans)
	after := before
	if err != nil && wx.Temporary(err) {
		// The answer may have been made: only the after-sale's state can tell.
		if back, rerr := s.Refresh(ctx, id); rerr != nil {
			err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		} else if after = back; back.Status != before.Status || answered(before, back, ans) {
			err = nil
		}
	} else if err == nil {
		if back, rerr := s.Refresh(ctx, id); rerr == nil {
			after = back
		}
	}
	e := db.AftersaleEvent{AftersaleID: id, OrderID: orderID, At: called, Kind: ans.Action, Status: after.Status,
		Username: username, Detail: answerDetail(ans), Outcome: Outcome(err)}
	if err == nil && startsRefund(ans.Action) {
		e.RefundAt = called
	}
	if serr := s.store.AddAftersaleEvent(context.WithoutCancel(ctx), e); serr != nil {
		s.log.Error("after-sale history entry lost", "aftersale", id, "err", serr)
	}
	journal(db.AuditEntry{Action: "aftersale." + ans.Action, ObjectType: "aftersale", ObjectID: id, Detail: answerDetail(ans), Outcome: Outcome(err)})
	return after, err
}

// answered recognises an answer that was made though the status did not change (none today: every answer
// moves the after-sale on); kept so that the read-back rule is written in one place.
func answered(before, after *wx.AfterSaleOrder, ans AftersaleAnswer) bool {
	return ans.Action == ActCertificate && len(after.MerchantUploadInfo.RefundCertificates) > len(before.MerchantUploadInfo.RefundCertificates)
}

// checkAnswer refuses an answer that lacks what its call needs.
func checkAnswer(a AftersaleAnswer) error {
	switch a.Action {
	case ActAcceptReturn:
		if a.AddressID == "" {
			return &Refusal{Key: "aftersale.refused.no_address"}
		}
	case ActReject, ActRejectReship:
		if a.ReasonType <= 0 {
			return &Refusal{Key: "aftersale.refused.no_reason"}
		}
	case ActNegotiate:
		if a.NewType != wx.NegotiateToRefund && a.NewType != wx.NegotiateToReturn || a.UpdateReasonType <= 0 || a.UpdateType <= 0 ||
			a.AmountFen < 0 || strings.TrimSpace(a.Desc) == "" {
			return &Refusal{Key: "aftersale.refused.negotiation"}
		}
	case ActReship:
		if a.DeliveryID == "" || strings.TrimSpace(a.WaybillID) == "" {
			return &Refusal{Key: "aftersale.refused.no_waybill"}
		}
	case ActCertificate:
		if len(a.MediaIDs) == 0 {
			return &Refusal{Key: "aftersale.refused.no_proof"}
		}
	}
	return nil
}

// send makes the WeChat call of the answer.
func (s *Aftersales) send(ctx context.Context, id string, o *wx.AfterSaleOrder, a AftersaleAnswer) error {
	switch a.Action {
	case ActRefund, ActReceiveRefund:
		return s.wx.AcceptAftersale(ctx, id, "", wx.AcceptRefund)
	case ActAcceptReturn:
		return s.wx.AcceptAftersale(ctx, id, a.AddressID, wx.AcceptReturn)
	case ActReject:
		return s.wx.RejectAftersale(ctx, id, a.ReasonType, a.Reason)
	case ActNegotiate:
		return s.wx.NegotiateAftersale(ctx, wx.Negotiation{
			AfterSaleOrderID: id, Type: a.NewType, Amount: wx.Fen(a.AmountFen), MerchantUpdateDesc: a.Desc,
			UpdateReasonType: a.UpdateReasonType, MerchantUpdateType: a.UpdateType, MediaIDs: a.MediaIDs,
		})
	case ActReship:
		return s.wx.AcceptExchangeReship(ctx, id, a.DeliveryID, strings.TrimSpace(a.WaybillID))
	case ActRejectReship:
		return s.wx.RejectExchangeReship(ctx, id, a.ReasonType, a.Reason, a.MediaIDs)
	case ActCertificate:
		return s.wx.UploadRefundCertificate(ctx, id, a.MediaIDs, a.Desc)
	}
	return fmt.Errorf("shop: unknown after-sale action %q", a.Action)
}

// answerDetail is the answer in a line for the audit log and the history.
func answerDetail(a AftersaleAnswer) string {
	var parts []string
	if a.AddressID != "" {
		parts = append(parts, "address_id="+a.AddressID)
	}
	if a.ReasonType > 0 {
		parts = append(parts, fmt.Sprintf("reject_reason_type=%d", a.ReasonType))
	}
	if a.Reason != "" {
		parts = append(parts, "reason="+a.Reason)
	}
	if a.Action == ActNegotiate {
		parts = append(parts, fmt.Sprintf("type=%d amount=%d update_reason_type=%d merchant_update_type=%d", a.NewType, a.AmountFen, a.UpdateReasonType, a.UpdateType))
	}
	if a.WaybillID != "" {
		parts = append(parts, "delivery_id="+a.DeliveryID+" waybill_id="+a.WaybillID)
	}
	if a.Desc != "" {
		parts = append(parts, "desc="+a.Desc)
	}
	if len(a.MediaIDs) > 0 {
		parts = append(parts, "media_ids="+strings.Join(a.MediaIDs, ","))
	}
	return strings.Join(parts, " ")
}
