package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"wxshop/internal/wx"
)

// The buyer's side of after-sales: new applications, the return parcel, answers to a negotiation, taking in an
// exchange, and deadlines that pass. Each happens by itself after SetAftersaleDelays' delay, or at once by
// BuyerMove (the sandbox's buttons, POST /sandbox/aftersales/buyer).

// Buyer moves, for BuyerMove.
const (
	MoveShipReturn      = "ship_return"      // USER_WAIT_RETURN: the buyer sends the goods back
	MoveAcceptUpdate    = "accept_update"    // USER_WAIT_CONFIRM_UPDATE: the buyer agrees to the negotiation
	MoveRefuseUpdate    = "refuse_update"    // USER_WAIT_CONFIRM_UPDATE: the buyer refuses it
	MoveReceiveExchange = "receive_exchange" // USER_WAIT_RECEIPT: the buyer takes in the replacement
	MoveCancel          = "cancel"           // any open state: the buyer withdraws the application
	MoveDeadline        = "deadline"         // the current state's deadline passes
)

// buyerMoves makes move ("" : what the buyer does by default in the state) on a at now; false when the move
// does not fit the state.
func (s *Server) buyerMoves(a *aftersale, move string, now int64) bool {
	switch a.status {
	case wx.AftersalePlatformRefunding:
		if move != "" && move != MoveDeadline {
			return false
		}
		if a.failRefund {
			a.needOffline = true
			s.setAftersale(a, wx.AftersalePlatformRefundFail, now)
			return true
		}
		done := wx.AftersaleMerchantRefundSuccess
		if a.typ == wx.AftersaleTypeReturn {
			done = wx.AftersaleMerchantReturnSuccess
		}
		s.setAftersale(a, done, now)
		return true
	case wx.AftersaleUserWaitReturn:
		switch move {
		case "", MoveShipReturn:
			r := s.aftersales.rng
			a.returnDelivery, a.returnWaybill = courierOf(srcChannels, pickCourier(r, srcChannels), r)
			s.setAftersale(a, wx.AftersaleMerchantWaitReceipt, now)
			return true
		case MoveDeadline:
			s.setAftersale(a, wx.AftersaleReturnClosed, now)
			return true
		}
	case wx.AftersaleUserWaitConfirmUpdate:
		n := a.negotiation
		switch move {
		case "", MoveAcceptUpdate:
			if n == nil {
				return false
			}
			a.amount = int(n.NewAfterSaleAmount)
			a.negotiationAnswered = true
			switch {
			case n.MerchantUpdateType == wx.NegotiateInviteCancel:
				s.setAftersale(a, wx.AftersaleUserCancelled, now)
			case n.NewAfterSaleType == "1":
				a.typ = wx.AftersaleTypeRefund
				a.status = wx.AftersaleMerchantProcessing
				if err := s.startRefund(a, 12, now); err != nil {
					s.setAftersale(a, wx.AftersaleMerchantProcessing, now)
				}
			default:
				a.typ = wx.AftersaleTypeReturn
				s.setAftersale(a, wx.AftersaleMerchantProcessing, now)
			}
			return true
		case MoveRefuseUpdate, MoveDeadline:
			a.negotiationAnswered = true
			s.setAftersale(a, wx.AftersaleMerchantProcessing, now)
			return true
		}
	case wx.AftersaleUserWaitReceipt:
		if move == "" || move == MoveReceiveExchange || move == MoveDeadline {
			s.setAftersale(a, wx.AftersaleMerchantExchangeOK, now)
			return true
		}
	case wx.AftersaleMerchantProcessing, wx.AftersaleMerchantWaitReceipt:
		if move == MoveDeadline {
			s.deadlinePasses(a, now)
			return true
		}
	}
	if move == MoveCancel && !aftersaleTerminal(a.status) && a.status != wx.AftersalePlatformRefunding {
		s.setAftersale(a, wx.AftersaleUserCancelled, now)
		return true
	}
	return false
}

// deadlinePasses is what the platform does when the merchant lets a deadline pass: an application not
// reviewed in time is agreed to (a refund, or a return to the shop's default return address), a return not
// confirmed in time is refunded.
func (s *Server) deadlinePasses(a *aftersale, now int64) {
	switch a.status {
	case wx.AftersaleMerchantProcessing:
		if a.typ == wx.AftersaleTypeRefund {
			a.refundReason = 9
			s.aftersales.lastRefund[strconv.FormatUint(a.order.id, 10)] = now
			s.setAftersale(a, wx.AftersalePlatformRefunding, now)
			return
		}
		a.addressID = s.aftersales.addresses.defaultRecv()
		s.setAftersale(a, wx.AftersaleUserWaitReturn, now)
	case wx.AftersaleMerchantWaitReceipt:
		a.refundReason = 11
		s.setAftersale(a, wx.AftersalePlatformRefunding, now)
	default:
		a.deadline = 0
	}
}

// BuyerMove makes the buyer (or the clock) move after-sale id on: one of the Move constants. It returns the
// new status, or an error when the move does not fit the state.
func (s *Server) BuyerMove(id, move string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.sendPendingAsync()
	return s.buyerMove(id, move)
}

// buyerMove is BuyerMove with s.mu held, leaving the pushes queued.
func (s *Server) buyerMove(id, move string) (string, error) {
	s.advanceAftersales()
	a, found := s.aftersales.byID[id]
	if !found {
		return "", fmt.Errorf("sandbox: no after-sale %q", id)
	}
	if move == "" || !s.buyerMoves(a, move, s.now().Unix()) {
		return a.status, fmt.Errorf("sandbox: after-sale %s is %s: %q does not fit", id, a.status, move)
	}
	return a.status, nil
}

// NewAftersale opens an application of typ (wx.AftersaleTypeRefund, …Return or …Exchange) on a shipped
// Channels order without one, waiting on the merchant, and returns its id; "" when no order is left.
func (s *Server) NewAftersale(typ string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.sendPendingAsync()
	return s.newAftersaleNow(typ)
}

// newAftersaleNow is NewAftersale with s.mu held, leaving the push queued.
func (s *Server) newAftersaleNow(typ string) string {
	a := s.openAftersale(typ, s.now().Unix(), nil)
	if a == nil {
		return ""
	}
	return a.id
}

// openAftersale opens an application on the next Channels order fit for it (skipping those in taken) and
// pushes it. The caller holds s.mu.
func (s *Server) openAftersale(typ string, now int64, taken map[orderKey]bool) *aftersale {
	st := &s.orders
	has := map[orderKey]bool{}
	for _, a := range s.aftersales.list {
		has[a.order] = true
	}
	for i := len(st.list) - 1; i >= 0; i-- {
		o := &st.list[i]
		k := orderKey{o.src, o.id}
		if o.src != srcChannels || has[k] || taken[k] || o.after != aftersaleNone {
			continue
		}
		if o.status != wx.ShopOrderToReceive && o.status != wx.ShopOrderDone && !(typ == wx.AftersaleTypeRefund && o.status == wx.ShopOrderToShip) {
			continue
		}
		return s.openOn(o, 0, typ, now)
	}
	return nil
}

// openOn opens an application of typ on line of o. The caller holds s.mu.
func (s *Server) openOn(o *order, line int, typ string, now int64) *aftersale {
	a := s.newAftersale(o, line, typ, now, strconv.FormatUint(s.aftersales.nextID, 10))
	s.aftersales.nextID++
	s.setAftersale(a, wx.AftersaleMerchantProcessing, now)
	return a
}

// NewAftersalePair opens two applications of typ on two lines of one shipped Channels order, for the rule
// of one refund per order per minute; "", "" when no such order is left.
func (s *Server) NewAftersalePair(typ string) (first, second string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.sendPendingAsync()
	has := map[orderKey]bool{}
	for _, a := range s.aftersales.list {
		has[a.order] = true
	}
	now := s.now().Unix()
	st := &s.orders
	for i := len(st.list) - 1; i >= 0; i-- {
		o := &st.list[i]
		if o.src != srcChannels || o.nlines < 2 || has[orderKey{o.src, o.id}] || o.after != aftersaleNone ||
			(o.status != wx.ShopOrderToReceive && o.status != wx.ShopOrderDone) {
			continue
		}
		return s.openOn(o, 0, typ, now).id, s.openOn(o, 1, typ, now).id
	}
	return "", ""
}

// buyerReasons are the reasons buyers give, with whether the merchant is at fault (then a rejection must be
// negotiated first) and what they write.
var buyerReasons = []struct {
	reason string
	fault  bool
	desc   string
}{
	{"NO_LONGER_WANT", false, "不想要了，麻烦退一下"},
	{"INCORRECT_SELECTION", false, "拍错颜色了"},
	{"NO_REASON_7_DAYS", false, "七天无理由退货"},
	{"QUALITY_ISSUE", true, "收到后发现杯口有裂纹，见图"},
	{"NOT_MATCH_PRODUCT_DESC", true, "实物和图片颜色差别很大"},
	{"SEND_WRONG_GOODS", true, "发错款式了"},
}

// newAftersale builds an application on line of o, not yet stored in a status. The caller holds s.mu.
func (s *Server) newAftersale(o *order, line int, typ string, now int64, id string) *aftersale {
	st := &s.orders
	r := s.aftersales.rng
	p, sku := st.line(o, line)
	productID, skuID := p.spuID, sku.numID
	br := buyerReasons[r.IntN(len(buyerReasons))]
	a := &aftersale{
		id: id, order: orderKey{o.src, o.id}, line: line, typ: typ, productID: productID, skuID: skuID,
		count: int(o.lines[line].count), amount: sku.price * int(o.lines[line].count), reason: br.reason, desc: br.desc,
		tel: st.buyer(o.buyer).mobile, received: o.status != wx.ShopOrderToShip, mustNegotiate: br.fault,
		created: now, updated: now,
	}
	if br.fault {
		a.images = []string{buyerMediaPrefix + id + "_1", buyerMediaPrefix + id + "_2"}
	}
	if typ == wx.AftersaleTypeExchange {
		a.newSKU = skuID
		if len(p.skus) > 1 {
			a.newSKU = p.skus[(int(o.lines[line].sku)+1)%len(p.skus)].numID
		}
	}
	s.aftersales.list = append(s.aftersales.list, a)
	s.aftersales.byID[id] = a
	return a
}

// demoAftersales are the after-sales the demo shop starts with: every type in every state that waits on
// someone, and a few ended ones. minutesAgo is how long ago it was created.
var demoAftersales = []struct {
	typ, status string
	fault       bool
	hoursAgo    int
}{
	{wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing, false, 2},
	{wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing, true, 30},
	{wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing, false, 45},
	{wx.AftersaleTypeRefund, wx.AftersaleUserWaitConfirmUpdate, false, 20},
	{wx.AftersaleTypeRefund, wx.AftersalePlatformRefundFail, false, 50},
	{wx.AftersaleTypeRefund, wx.AftersaleMerchantRefundSuccess, false, 80},
	{wx.AftersaleTypeRefund, wx.AftersaleMerchantRejectRefund, true, 100},
	{wx.AftersaleTypeRefund, wx.AftersaleUserCancelled, false, 120},
	{wx.AftersaleTypeReturn, wx.AftersaleMerchantProcessing, false, 5},
	{wx.AftersaleTypeReturn, wx.AftersaleMerchantProcessing, true, 40},
	{wx.AftersaleTypeReturn, wx.AftersaleUserWaitReturn, false, 26},
	{wx.AftersaleTypeReturn, wx.AftersaleMerchantWaitReceipt, false, 70},
	{wx.AftersaleTypeReturn, wx.AftersaleMerchantWaitReceipt, true, 150},
	{wx.AftersaleTypeReturn, wx.AftersaleMerchantReturnSuccess, false, 200},
	{wx.AftersaleTypeReturn, wx.AftersaleReturnClosed, false, 300},
	{wx.AftersaleTypeExchange, wx.AftersaleMerchantProcessing, false, 10},
	{wx.AftersaleTypeExchange, wx.AftersaleUserWaitReturn, false, 28},
	{wx.AftersaleTypeExchange, wx.AftersaleMerchantWaitReceipt, false, 60},
	{wx.AftersaleTypeExchange, wx.AftersaleMerchantWaitReceipt, false, 160},
	{wx.AftersaleTypeExchange, wx.AftersaleUserWaitReceipt, false, 90},
	{wx.AftersaleTypeExchange, wx.AftersaleMerchantExchangeOK, false, 240},
	{wx.AftersaleTypeExchange, wx.AftersaleMerchantRejectReship, false, 180},
}

// loadDemoAftersales puts the demo after-sales on the newest fitting Channels orders. The caller owns s.
func (s *Server) loadDemoAftersales() {
	now := s.now().Unix()
	taken := map[orderKey]bool{}
	for _, d := range demoAftersales {
		created := now - int64(d.hoursAgo)*3600
		a := s.openAftersale(d.typ, created, taken)
		if a == nil {
			return
		}
		taken[a.order] = true
		a.mustNegotiate = d.fault
		s.demoState(a, d.status, created)
	}
	s.aftersales.pending = nil
}

// demoState walks a to status the way it would have got there, with times between created and now.
func (s *Server) demoState(a *aftersale, status string, created int64) {
	now := s.now().Unix()
	step := (now - created) / 4
	at := func(n int64) int64 { return created + n*step }
	addr := s.aftersales.addresses.defaultRecv()
	switch status {
	case wx.AftersaleMerchantProcessing:
		// The review deadline runs from the creation; the demo's oldest ones are close to it.
		a.deadline = created + int64(reviewWindow.Seconds())
		if a.deadline <= now {
			a.deadline = now + 3600
		}
	case wx.AftersaleUserWaitConfirmUpdate:
		a.negotiation = &wx.AftersaleNegotiation{
			MerchantUpdateType: wx.NegotiateModify, UpdateReasonType: 10, MerchantUpdateDesc: "已与买家电话沟通，部分退款",
			OldAfterSaleType: "1", NewAfterSaleType: "1", OldAfterSaleAmount: wx.Fen(a.amount), NewAfterSaleAmount: wx.Fen(a.amount / 2),
		}
		s.setAftersale(a, status, at(2))
	case wx.AftersalePlatformRefundFail:
		a.needOffline, a.refundReason = true, 3
		s.setAftersale(a, status, at(3))
	case wx.AftersaleMerchantRefundSuccess:
		a.refundReason = 3
		s.setAftersale(a, status, at(2))
	case wx.AftersaleMerchantRejectRefund:
		a.rejectReason, a.complaintID = rejectReasons[0].RejectReason, strconv.FormatUint(1750000000000000000+a.order.id%1e15, 10)
		a.negotiationAnswered = true
		s.setAftersale(a, status, at(2))
	case wx.AftersaleUserCancelled:
		s.setAftersale(a, status, at(1))
	case wx.AftersaleUserWaitReturn:
		a.addressID = addr
		s.setAftersale(a, status, at(2))
	case wx.AftersaleMerchantWaitReceipt:
		a.addressID = addr
		a.returnDelivery = "SF"
		a.returnWaybill = "SF" + strconv.FormatUint(1e11+a.order.id%9e11, 10)
		s.setAftersale(a, status, at(3))
		a.deadline = created + int64(receiptWindow.Seconds())
		if a.deadline <= now {
			a.deadline = now + 5*3600
		}
	case wx.AftersaleMerchantReturnSuccess, wx.AftersaleMerchantExchangeOK:
		a.addressID, a.returnDelivery, a.returnWaybill = addr, "YTO", "YT"+strconv.FormatUint(1e12+a.order.id%9e12, 10)
		if status == wx.AftersaleMerchantExchangeOK {
			a.reshipDelivery, a.reshipWaybill = "SF", "SF"+strconv.FormatUint(2e11+a.order.id%9e11, 10)
		} else {
			a.refundReason = 3
		}
		s.setAftersale(a, status, at(3))
	case wx.AftersaleReturnClosed:
		a.addressID = addr
		s.setAftersale(a, status, at(3))
	case wx.AftersaleUserWaitReceipt:
		a.addressID, a.returnDelivery, a.returnWaybill = addr, "ZTO", "ZT"+strconv.FormatUint(3e11+a.order.id%9e11, 10)
		a.reshipDelivery, a.reshipWaybill = "SF", "SF"+strconv.FormatUint(4e11+a.order.id%9e11, 10)
		s.setAftersale(a, status, at(3))
	case wx.AftersaleMerchantRejectReship:
		a.addressID, a.returnDelivery, a.returnWaybill = addr, "YD", "YD"+strconv.FormatUint(5e11+a.order.id%9e11, 10)
		a.rejectReason = "该款式已停产，无法换货，请申请退货退款"
		s.setAftersale(a, status, at(3))
	}
	// Demo states wait for a button or a push target before moving by themselves.
	if a.status != wx.AftersalePlatformRefunding {
		a.due = 0
	}
}

// buyerRequest is the body of POST /sandbox/aftersales/buyer and /sandbox/aftersales/new.
type buyerRequest struct {
	AfterSaleOrderID string `json:"after_sale_order_id"`
	Move             string `json:"move"`
	Type             string `json:"type"`
	pushTarget
}

// serveBuyerMove is POST /sandbox/aftersales/buyer, not WeChat: the buyer's side of an after-sale, for the
// app's sandbox buttons. It makes the move and pushes the change to callback_url (when given), then answers
// {"status"}; 409 {"status", "error"} when the move does not fit the state.
func (s *Server) serveBuyerMove(w http.ResponseWriter, r *http.Request) {
	var req buyerRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		sandboxAnswer(w, http.StatusBadRequest, map[string]string{"error": "body is not JSON: " + err.Error()})
		return
	}
	if req.CallbackURL != "" {
		if err := req.pushTarget.check(); err != nil {
			sandboxAnswer(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		s.SetAftersalePushTarget(req.pushTarget)
	}
	s.mu.Lock()
	status, err := s.buyerMove(req.AfterSaleOrderID, req.Move)
	s.mu.Unlock()
	s.flushAftersalePushes(r.Context())
	if err != nil {
		sandboxAnswer(w, http.StatusConflict, map[string]string{"status": status, "error": err.Error()})
		return
	}
	sandboxAnswer(w, http.StatusOK, map[string]string{"status": status})
}

// serveNewAftersale is POST /sandbox/aftersales/new, not WeChat: a buyer applies for an after-sale of type
// (REFUND by default), which is pushed to callback_url. It answers {"after_sale_order_id"}.
func (s *Server) serveNewAftersale(w http.ResponseWriter, r *http.Request) {
	var req buyerRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		sandboxAnswer(w, http.StatusBadRequest, map[string]string{"error": "body is not JSON: " + err.Error()})
		return
	}
	switch req.Type {
	case "":
		req.Type = wx.AftersaleTypeRefund
	case wx.AftersaleTypeRefund, wx.AftersaleTypeReturn, wx.AftersaleTypeExchange:
	default:
		sandboxAnswer(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("unknown type %q", req.Type)})
		return
	}
	if req.CallbackURL != "" {
		if err := req.pushTarget.check(); err != nil {
			sandboxAnswer(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		s.SetAftersalePushTarget(req.pushTarget)
	}
	s.mu.Lock()
	id := s.newAftersaleNow(req.Type)
	s.mu.Unlock()
	s.flushAftersalePushes(r.Context())
	if id == "" {
		sandboxAnswer(w, http.StatusConflict, map[string]string{"error": "no Channels order is left to apply on"})
		return
	}
	sandboxAnswer(w, http.StatusOK, map[string]string{"after_sale_order_id": id})
}

func sandboxAnswer(w http.ResponseWriter, status int, v map[string]string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
