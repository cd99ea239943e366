package sandbox

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"wxshop/internal/wx"
)

// After-sale orders of the 微信小店 (shared/api/store/aftersale.md) on the Channels store's orders: the list by
// a window of at most 24 h, the detail, and the merchant's answers (accept, reject, negotiate, re-ship an
// exchange, prove an offline refund) with the documented rules: each answer only in the states that allow it
// (10020001 otherwise, 10021041 for a call of the wrong type), one refund per order per minute, 10021068 for a
// rejection that must be negotiated first. The buyer's side (aftersale_buyer.go) moves on by itself after a
// short delay or when told to, and every change is pushed as channels_ec_aftersale_update
// (aftersale_push.go).
//
// The detail has no history: WeChat keeps none in this answer, so the app records what it saw.

// Codes of the after-sale calls (aftersale.md §9).
var (
	errAftersaleBadParam    = &apiError{wx.CodeAftersaleBadParameters, "invalid param"}
	errAftersaleInvalidID   = &apiError{wx.CodeAftersaleInvalidID, "invalid after_sale_order_id"}
	errAftersaleState       = &apiError{wx.CodeAftersaleWrongState, "after sale status not allow"}
	errAftersaleUnsupported = &apiError{wx.CodeAftersaleUnsupported, "after sale order not support this operation"}
	errAftersaleNotFound    = &apiError{wx.CodeAftersaleNotFound, "after sale order not exist"}
	errAftersaleNegotiate   = &apiError{wx.CodeAftersaleNegotiateFirst, "can not reject directly, please negotiate with user first"}
	errGenRefused           = &apiError{wx.CodeGenAftersaleRefused, "订单不支持代发起售后"}
	// No code of its own is documented for a second refund of one order within a minute; WeChat answers it as
	// 10021041 with this text (as merchants report it).
	errAftersaleRefundSoon = &apiError{wx.CodeAftersaleUnsupported, "当前状态不可执行(商家同意退款),请检查当前状态. 请求频率过高,请于1分钟后重试"}
)

// Deadlines the sandbox gives the merchant: to review an application, to confirm receipt of a return.
const (
	reviewWindow  = 48 * time.Hour
	receiptWindow = 7 * 24 * time.Hour
	refundGap     = time.Minute // one refund per order per minute
	// Default delays of the other side: the buyer ships, answers a negotiation, takes in an exchange; WeChat
	// Pay completes a refund.
	defaultBuyerDelay  = 60 * time.Second
	defaultRefundDelay = 2 * time.Second
)

// aftersale is one after-sale order as the sandbox holds it.
type aftersale struct {
	id        string
	order     orderKey
	line      int // the line of the order it is about
	typ       string
	status    string
	productID string
	skuID     string
	count     int
	amount    int // fen
	reason    string
	desc      string
	images    []string
	tel       string
	received  bool // the buyer has the goods

	addressID                          string
	returnWaybill, returnDelivery      string
	newSKU                             string // exchange: the SKU the buyer wants
	reshipWaybill, reshipDelivery      string
	rejectReason                       string
	negotiation                        *wx.AftersaleNegotiation
	complaintID                        string
	certificates                       []string // refund_certificates (uploadrefundcertificate)
	rejectCertificates                 []string // reject_certificates (rejectexchangereship)
	needOffline                        bool
	refundReason                       int
	deadline                           int64
	created, updated, completed        int64
	mustNegotiate, negotiationAnswered bool
	failRefund                         bool
	due                                int64 // when the other side moves on by itself; 0: not waiting on it
	answers                            int   // the merchant\'s answers WeChat accepted
}

// aftersaleStore holds the after-sales and the merchant's addresses. The caller holds s.mu.
type aftersaleStore struct {
	list        []*aftersale // by creation
	byID        map[string]*aftersale
	lastRefund  map[string]int64 // order id -> when its latest refund started
	nextID      uint64
	buyerDelay  time.Duration // <0: the buyer moves only when told to
	refundDelay time.Duration
	rng         *rand.Rand
	target      *pushTarget // where changes are pushed; nil: nowhere
	pending     []aftersalePush
	deliver     sync.Mutex // held while pushes are taken and sent, so they arrive in the order they were queued
	timer       *time.Timer
	addresses   addressStore
	media       map[string][]byte     // images uploaded with resp_type=0, by media id (aftersale_media.go)
	complaints  map[string]*complaint // disputes, by complaint id (aftersale_complaint.go)
	genRequests map[string]string     // genaftersaleorder's request_id -> the after-sale it opened (aftersale_gen.go)
}

// initAftersales makes the demo after-sales and addresses unless the shop is Empty.
func (s *Server) initAftersales(seed uint64, empty bool) {
	st := &s.aftersales
	st.byID = map[string]*aftersale{}
	st.lastRefund = map[string]int64{}
	st.nextID = 1740000000000000001
	st.buyerDelay, st.refundDelay = defaultBuyerDelay, defaultRefundDelay
	st.rng = rand.New(rand.NewPCG(seed^0x6166746572, seed+0x73616c65)) // "after", "sale"
	st.addresses.byID = map[string]*wx.AddressDetail{}
	st.addresses.nextID = 2026000001
	if empty {
		return
	}
	s.loadDemoAddresses()
	s.loadDemoAftersales()
}

// SetAftersaleDelays sets how long the buyer takes to ship a return, answer a negotiation or take in an
// exchange (a negative d: only when told to, by BuyerMove), and how long a refund takes.
func (s *Server) SetAftersaleDelays(buyer, refund time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aftersales.buyerDelay, s.aftersales.refundDelay = buyer, refund
}

// terminal reports whether the status is an end, after which nothing moves.
func aftersaleTerminal(status string) bool {
	switch status {
	case wx.AftersaleMerchantRefundSuccess, wx.AftersaleMerchantReturnSuccess, wx.AftersaleMerchantExchangeOK,
		wx.AftersaleUserCancelled, wx.AftersaleReturnClosed, wx.AftersaleMerchantOverdueRefund,
		wx.AftersaleMerchantRefundRetryErr, wx.AftersaleMerchantFail:
		return true
	}
	return false
}

// set moves a to status at now and remembers the change for the push.
func (s *Server) setAftersale(a *aftersale, status string, now int64) {
	a.status, a.updated, a.due, a.deadline = status, now, 0, 0
	st := &s.aftersales
	switch status {
	case wx.AftersaleMerchantProcessing:
		a.deadline = now + int64(reviewWindow/time.Second)
	case wx.AftersaleMerchantWaitReceipt:
		a.deadline = now + int64(receiptWindow/time.Second)
	case wx.AftersaleUserWaitReturn, wx.AftersaleUserWaitConfirmUpdate, wx.AftersaleUserWaitReceipt:
		if st.buyerDelay >= 0 {
			a.due = now + int64(max(st.buyerDelay, time.Second)/time.Second)
		}
	case wx.AftersalePlatformRefunding:
		a.due = now + int64(max(st.refundDelay, time.Second)/time.Second)
	}
	if aftersaleTerminal(status) {
		a.completed = now
	}
	if o := s.aftersaleOrder(a); o != nil {
		o.updated = max(o.updated, now)
		switch {
		case !aftersaleTerminal(status):
			o.after = aftersaleOngoing
		case status == wx.AftersaleMerchantRefundSuccess || status == wx.AftersaleMerchantReturnSuccess:
			if o.nlines == 1 {
				o.after, o.status = aftersaleFinished, wx.ShopOrderCancelledAftersale
			} else {
				o.after = aftersaleNone
			}
		default:
			o.after = aftersaleNone
		}
	}
	s.queueAftersalePush(a)
	s.scheduleAftersales()
}

func (s *Server) aftersaleOrder(a *aftersale) *order {
	i, found := s.orders.byKey[a.order]
	if !found {
		return nil
	}
	return &s.orders.list[i]
}

// startRefund begins the refund of a, refused within a minute of another refund of the same order.
func (s *Server) startRefund(a *aftersale, reason int, now int64) error {
	st := &s.aftersales
	orderID := strconv.FormatUint(a.order.id, 10)
	if last, found := st.lastRefund[orderID]; found && now-last < int64(refundGap/time.Second) {
		return errAftersaleRefundSoon.with("order %s was refunded %d s ago", orderID, now-last)
	}
	st.lastRefund[orderID] = now
	a.refundReason = reason
	s.setAftersale(a, wx.AftersalePlatformRefunding, now)
	return nil
}

// advanceAftersales lets what is due happen: refunds complete, the buyer moves, deadlines pass.
func (s *Server) advanceAftersales() {
	now := s.now().Unix()
	for _, a := range s.aftersales.list {
		switch {
		case a.due != 0 && a.due <= now:
			s.buyerMoves(a, "", now)
		case a.deadline != 0 && a.deadline <= now:
			s.deadlinePasses(a, now)
		}
	}
}

// scheduleAftersales arms a timer for the soonest moment something is due, so that in a running sandbox the
// buyer moves and refunds complete on their own (with their pushes).
func (s *Server) scheduleAftersales() {
	st := &s.aftersales
	now := s.now().Unix()
	soonest := int64(0)
	for _, a := range st.list {
		if a.due != 0 && (soonest == 0 || a.due < soonest) {
			soonest = a.due
		}
	}
	if soonest == 0 {
		return
	}
	wait := time.Duration(max(soonest-now, 0))*time.Second + 50*time.Millisecond
	if st.timer != nil {
		st.timer.Stop()
	}
	st.timer = time.AfterFunc(wait, func() {
		s.mu.Lock()
		s.advanceAftersales()
		s.sendPendingAsync()
		s.mu.Unlock()
	})
}

// aftersaleAnswer renders a as getaftersaleorder does.
func (s *Server) aftersaleAnswer(a *aftersale) wx.AfterSaleOrder {
	out := wx.AfterSaleOrder{
		AfterSaleOrderID: wx.ID(a.id),
		OrderID:          wx.ID(strconv.FormatUint(a.order.id, 10)),
		Status:           a.status,
		Type:             a.typ,
		SubType:          "DEFAULT",
		ProductInfo:      wx.AftersaleProduct{ProductID: wx.ID(a.productID), SKUID: wx.ID(a.skuID), Count: a.count},
		Details: wx.AftersaleDetails{
			Desc: a.desc, ReceiveProduct: wx.Flag(a.received), TelNumber: a.tel, MediaInfos: []wx.AftersaleMedia{},
		},
		RefundInfo:         wx.AftersaleRefund{Amount: wx.Fen(a.amount), RefundReason: a.refundReason},
		ReturnInfo:         wx.AftersaleReturnInfo{WaybillID: a.returnWaybill, DeliveryID: a.returnDelivery, DeliveryName: channelsCourierListName(a.returnDelivery)},
		MerchantUploadInfo: wx.AftersaleMerchantInfo{RejectReason: a.rejectReason, RefundCertificates: append([]string{}, a.certificates...)},
		Reason:             a.reason,
		ReasonText:         a.reason,
		ComplaintID:        wx.ID(a.complaintID),
		Deadline:           wx.Timestamp(a.deadline),
		NeedOfflineRefund:  wx.Flag(a.needOffline),
		CreateTime:         wx.Timestamp(a.created),
		UpdateTime:         wx.Timestamp(a.updated),
		CompleteTime:       wx.Timestamp(a.completed),
	}
	if i, found := s.orders.byKey[a.order]; found {
		o := &s.orders.list[i]
		out.OpenID = s.orders.openID(o.buyer, o.src)
	}
	for _, m := range a.images {
		out.Details.MediaInfos = append(out.Details.MediaInfos, wx.AftersaleMedia{MediaType: 1, PictureMediaID: m})
	}
	if a.returnWaybill != "" {
		out.ReturnInfo.ReturnType = 1
	}
	if a.typ == wx.AftersaleTypeExchange {
		out.ExchangeProduct = &wx.AftersaleExchange{
			ProductID: wx.ID(a.productID), OldSKUID: wx.ID(a.skuID), NewSKUID: wx.ID(a.newSKU), ProductCnt: a.count,
			OldSKUPrice: wx.Fen(a.amount / max(a.count, 1)), NewSKUPrice: wx.Fen(a.amount / max(a.count, 1)),
		}
		if a.reshipWaybill != "" {
			out.ExchangeDelivery = &wx.AftersaleReshipment{WaybillID: a.reshipWaybill, DeliveryID: a.reshipDelivery, DeliveryName: channelsCourierListName(a.reshipDelivery)}
		}
	}
	if a.status == wx.AftersaleUserWaitConfirmUpdate && a.negotiation != nil {
		n := *a.negotiation
		out.MerchantUpdate = &n
	}
	if a.status == wx.AftersaleMerchantRefundSuccess && a.refundReason == 0 {
		out.RefundInfo.RefundReason = 3
	}
	return out
}

// lookupAftersale finds the after-sale a request names.
func (st *aftersaleStore) lookup(id wx.ID) (*aftersale, error) {
	if id == "" {
		return nil, errAftersaleInvalidID.with("after_sale_order_id missing")
	}
	if _, err := strconv.ParseUint(string(id), 10, 64); err != nil {
		return nil, errAftersaleInvalidID.with("after_sale_order_id %q is not a number", string(id))
	}
	a, found := st.byID[string(id)]
	if !found {
		return nil, errAftersaleNotFound.with("after_sale_order_id %s", string(id))
	}
	return a, nil
}

type aftersaleListAnswer struct {
	status
	IDs     []wx.ID `json:"after_sale_order_id_list"`
	HasMore bool    `json:"has_more"`
	NextKey string  `json:"next_key"`
}

// aftersaleListPage is how many ids one page of getaftersalelist holds; the document gives no number.
const aftersaleListPage = 50

// getAftersaleList is POST /channels/ec/aftersale/getaftersalelist: ids of the after-sales created (or
// updated) in a window of at most 24 h, oldest first, next_key being the position after the last one answered.
func (s *Server) getAftersaleList(c *call) (any, error) {
	s.advanceAftersales()
	var req wx.AftersaleListRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	byUpdate := req.BeginUpdateTime != 0 || req.EndUpdateTime != 0
	begin, end := req.BeginCreateTime, req.EndCreateTime
	if byUpdate {
		begin, end = req.BeginUpdateTime, req.EndUpdateTime
	}
	switch {
	case byUpdate && (req.BeginCreateTime != 0 || req.EndCreateTime != 0):
		return nil, errAftersaleBadParam.with("give either the creation or the update window")
	case begin <= 0 || end < begin:
		return nil, errAftersaleBadParam.with("time window %d–%d", begin, end)
	case end-begin > int64(wx.AftersaleListMaxWindow/time.Second):
		return nil, errAftersaleBadParam.with("time window longer than 24 hours")
	}
	type hit struct {
		t  int64
		id string
	}
	var hits []hit
	for _, a := range s.aftersales.list {
		t := a.created
		if byUpdate {
			t = a.updated
		}
		if t >= begin && t <= end {
			hits = append(hits, hit{t, a.id})
		}
	}
	slices.SortFunc(hits, func(x, y hit) int { return cmp.Or(cmp.Compare(x.t, y.t), cmp.Compare(x.id, y.id)) })
	start := 0
	if req.NextKey != "" {
		n, err := strconv.Atoi(req.NextKey)
		if err != nil || n < 0 || n > len(hits) {
			return nil, errAftersaleBadParam.with("next_key %q", req.NextKey)
		}
		start = n
	}
	stop := min(start+aftersaleListPage, len(hits))
	ans := aftersaleListAnswer{status: statusOK, IDs: []wx.ID{}}
	for _, h := range hits[start:stop] {
		ans.IDs = append(ans.IDs, wx.ID(h.id))
	}
	ans.HasMore = stop < len(hits)
	ans.NextKey = strconv.Itoa(stop)
	return ans, nil
}

type aftersaleRequest struct {
	AfterSaleOrderID   wx.ID    `json:"after_sale_order_id"`
	AddressID          wx.ID    `json:"address_id"`
	AcceptType         int      `json:"accept_type"`
	RejectReasonType   int      `json:"reject_reason_type"`
	RejectReason       string   `json:"reject_reason"`
	RefundCertificates []string `json:"refund_certificates"`
	RejectCertificates []string `json:"reject_certificates"`
	Desc               string   `json:"desc"`
	WaybillID          string   `json:"waybill_id"`
	DeliveryID         string   `json:"delivery_id"`
}

// aftersaleOf decodes an after-sale call's request into req, once the buyer's side has moved on, and finds the
// after-sale its id (a field of req) names.
func (s *Server) aftersaleOf(c *call, req any, id *wx.ID) (*aftersale, error) {
	s.advanceAftersales()
	if err := c.decode(req); err != nil {
		return nil, err
	}
	return s.aftersales.lookup(*id)
}

// answered counts an accepted answer of the merchant's (MerchantAnswers) and gives WeChat's success.
func answered(a *aftersale) (any, error) {
	a.answers++
	return statusOK, nil
}

// awaitsReship refuses an exchange call on an after-sale that is not an exchange whose goods came back.
func awaitsReship(a *aftersale) error {
	if a.typ != wx.AftersaleTypeExchange {
		return errAftersaleUnsupported.with("after-sale %s is not an exchange", a.id)
	}
	if a.status != wx.AftersaleMerchantWaitReceipt {
		return errAftersaleState.with("after-sale %s is %s", a.id, a.status)
	}
	return nil
}

type aftersaleOrderAnswer struct {
	status
	Order wx.AfterSaleOrder `json:"after_sale_order"`
}

// getAftersaleOrder is POST /channels/ec/aftersale/getaftersaleorder.
func (s *Server) getAftersaleOrder(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	return aftersaleOrderAnswer{status: statusOK, Order: s.aftersaleAnswer(a)}, nil
}

// acceptApply is POST /channels/ec/aftersale/acceptapply. A refund-only application is refunded at once; a
// return or an exchange is first agreed to with a return address (the buyer then ships); a return whose goods
// came back is refunded by the second call. An exchange's goods are answered with acceptexchangereship.
func (s *Server) acceptApply(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	if req.AcceptType != 0 && req.AcceptType != wx.AcceptReturn && req.AcceptType != wx.AcceptRefund {
		return nil, errAftersaleBadParam.with("accept_type %d", req.AcceptType)
	}
	now := s.now().Unix()
	switch {
	case a.status == wx.AftersaleMerchantProcessing && a.typ == wx.AftersaleTypeRefund:
		if req.AcceptType == wx.AcceptReturn {
			return nil, errAftersaleUnsupported.with("a refund-only after-sale has no return to agree to")
		}
		if err := s.startRefund(a, 3, now); err != nil {
			return nil, err
		}
	case a.status == wx.AftersaleMerchantProcessing:
		if req.AcceptType == wx.AcceptRefund {
			return nil, errAftersaleState.with("the goods have not come back yet; agree to the return first (accept_type 1)")
		}
		addr, found := s.aftersales.addresses.byID[string(req.AddressID)]
		if req.AddressID == "" || !found || !bool(addr.RecvAddr) {
			return nil, errAftersaleBadParam.with("address_id %q is not a return address of the shop", string(req.AddressID))
		}
		a.addressID = string(req.AddressID)
		s.setAftersale(a, wx.AftersaleUserWaitReturn, now)
	case a.status == wx.AftersaleMerchantWaitReceipt && a.typ == wx.AftersaleTypeReturn:
		if req.AcceptType == wx.AcceptReturn {
			return nil, errAftersaleState.with("the return was already agreed to")
		}
		if err := s.startRefund(a, 3, now); err != nil {
			return nil, err
		}
	case a.status == wx.AftersaleMerchantWaitReceipt && a.typ == wx.AftersaleTypeExchange:
		return nil, errAftersaleUnsupported.with("an exchange is answered with acceptexchangereship")
	default:
		return nil, errAftersaleState.with("after-sale %s is %s", a.id, a.status)
	}
	return answered(a)
}

// rejectApply is POST /channels/ec/aftersale/rejectapply. Applications whose reason is the merchant's fault
// cannot be rejected before a negotiation the buyer refused or let lapse (10021068).
func (s *Server) rejectApply(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	reason, found := rejectReasonByType(req.RejectReasonType)
	if !found {
		return nil, errAftersaleBadParam.with("reject_reason_type %d is not in rejectreason/get", req.RejectReasonType)
	}
	var next string
	switch {
	case a.status == wx.AftersaleMerchantProcessing || a.status == wx.AftersaleMerchantWaitReceipt && a.typ != wx.AftersaleTypeRefund:
		if a.status == wx.AftersaleMerchantProcessing && a.mustNegotiate && !a.negotiationAnswered {
			return nil, errAftersaleNegotiate.with("after-sale %s", a.id)
		}
		next = map[string]string{
			wx.AftersaleTypeRefund: wx.AftersaleMerchantRejectRefund, wx.AftersaleTypeReturn: wx.AftersaleMerchantRejectReturn,
			wx.AftersaleTypeExchange: wx.AftersaleMerchantRejectExchange,
		}[a.typ]
	default:
		return nil, errAftersaleState.with("after-sale %s is %s", a.id, a.status)
	}
	a.rejectReason = req.RejectReason
	if a.rejectReason == "" {
		a.rejectReason = reason.RejectReason
	}
	s.setAftersale(a, next, s.now().Unix())
	return answered(a)
}

// rejectReasons are what rejectreason/get answers: SKIT's sample and the digest's sample values, each with the
// reject_scene the newest page gives it (1 仅退款, 4 退货退款, 5 换货, 6 换货发出新商品). The documents show no
// reasons of scenes 5 and 6; the two here are the sandbox's own.
var rejectReasons = []wx.RejectReason{
	{RejectReasonType: 1, RejectReasonTypeText: "已在约定时间发货且物流运输正常", RejectReason: "商品已在约定时间内发货，物流运输正常，请耐心等待收货，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 1},
	{RejectReasonType: 4, RejectReasonTypeText: "包裹在买家发起售后时已完成发货/揽收", RejectReason: "您发起售后时包裹已发出，请收到货后再申请退货退款，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 4},
	{RejectReasonType: 6, RejectReasonTypeText: "买家误操作/已协商取消申请", RejectReason: "已与您协商一致取消本次售后申请，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 1},
	{RejectReasonType: 19, RejectReasonTypeText: "买家上传的单号有误，商家未收到货", RejectReason: "您填写的退货物流单号有误，目前无法查询到您退货物流的信息/未收到您的包裹，可点击【修改】按钮重新上传退货物流单号，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 4},
	{RejectReasonType: 20, RejectReasonTypeText: "商品影响二次销售", RejectReason: "您的退货商品已影响二次销售，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 4},
	{RejectReasonType: 21, RejectReasonTypeText: "买家寄回包裹非本订单商品", RejectReason: "您的退货商品非本订单的商品，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 4},
	{RejectReasonType: 40, RejectReasonTypeText: "换货商品与描述相符，不支持换货", RejectReason: "您申请换货的商品与描述相符，暂不支持换货，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 5},
	{RejectReasonType: 41, RejectReasonTypeText: "寄回商品有使用痕迹，无法换新", RejectReason: "您寄回的商品有使用痕迹，无法为您换新，凭证见图片，若有疑问请点击【联系商家】按钮与客服沟通", RejectScene: 6},
}

func rejectReasonByType(t int) (wx.RejectReason, bool) {
	for _, r := range rejectReasons {
		if r.RejectReasonType == t {
			return r, true
		}
	}
	return wx.RejectReason{}, false
}

type rejectReasonAnswer struct {
	status
	ReasonList []wx.RejectReason `json:"reason_list"`
}

// getRejectReasons is POST /channels/ec/aftersale/rejectreason/get.
func (s *Server) getRejectReasons(c *call) (any, error) {
	return rejectReasonAnswer{status: statusOK, ReasonList: slices.Clone(rejectReasons)}, nil
}

// negotiationRules are the update_reason_type rows of merchantupdateaftersale: the after-sale type it may
// propose, its merchant_update_type and whether evidence images are needed.
var negotiationRules = map[int]struct {
	typ, updateType int
	image           bool
}{
	6:  {wx.NegotiateToRefund, wx.NegotiateModify, true},
	7:  {wx.NegotiateToRefund, wx.NegotiateAskEvidence, true},
	8:  {wx.NegotiateToReturn, wx.NegotiateModify, false},
	9:  {wx.NegotiateToRefund, wx.NegotiateInviteCancel, true},
	10: {wx.NegotiateToRefund, wx.NegotiateModify, true},
	11: {wx.NegotiateToReturn, wx.NegotiateModify, true},
}

// merchantUpdateAftersale is POST /channels/ec/aftersale/merchantupdateaftersale: a proposal the buyer
// answers (USER_WAIT_CONFIRM_UPDATE). Only applications waiting on the merchant, refund or return, may be
// negotiated, with a reason whose row allows the type and update type, and no more than was asked.
func (s *Server) merchantUpdateAftersale(c *call) (any, error) {
	var req struct {
		wx.Negotiation
		AfterSaleOrderID wx.ID `json:"after_sale_order_id"`
	}
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	if a.status != wx.AftersaleMerchantProcessing {
		return nil, errAftersaleState.with("after-sale %s is %s", a.id, a.status)
	}
	if a.typ == wx.AftersaleTypeExchange {
		return nil, errAftersaleUnsupported.with("an exchange cannot be negotiated")
	}
	rule, found := negotiationRules[req.UpdateReasonType]
	switch {
	case !found:
		return nil, errAftersaleBadParam.with("update_reason_type %d", req.UpdateReasonType)
	case req.Type != rule.typ || req.MerchantUpdateType != rule.updateType:
		return nil, errAftersaleBadParam.with("update_reason_type %d goes with type %d and merchant_update_type %d", req.UpdateReasonType, rule.typ, rule.updateType)
	case rule.image && len(req.MediaIDs) == 0:
		return nil, errAftersaleBadParam.with("update_reason_type %d needs media_ids", req.UpdateReasonType)
	case req.Amount < 0 || int(req.Amount) > a.amount:
		return nil, errAftersaleBadParam.with("amount %d is more than the %d asked", req.Amount, a.amount)
	case req.MerchantUpdateDesc == "":
		return nil, errAftersaleBadParam.with("merchant_update_desc missing")
	}
	oldType := "1"
	if a.typ == wx.AftersaleTypeReturn {
		oldType = "2"
	}
	a.negotiation = &wx.AftersaleNegotiation{
		MerchantUpdateType: req.MerchantUpdateType, UpdateReasonType: req.UpdateReasonType, MerchantUpdateDesc: req.MerchantUpdateDesc,
		OldAfterSaleType: wx.Flexible(oldType), NewAfterSaleType: wx.Flexible(strconv.Itoa(req.Type)),
		OldAfterSaleAmount: wx.Fen(a.amount), NewAfterSaleAmount: req.Amount,
	}
	s.setAftersale(a, wx.AftersaleUserWaitConfirmUpdate, s.now().Unix())
	return answered(a)
}

// uploadRefundCertificate is POST /channels/ec/aftersale/uploadrefundcertificate: proof of an offline refund
// of an after-sale whose refund failed and needs one; it then counts as refunded.
func (s *Server) uploadRefundCertificate(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	if a.status != wx.AftersalePlatformRefundFail || !a.needOffline {
		return nil, errAftersaleUnsupported.with("after-sale %s is %s and needs no offline refund", a.id, a.status)
	}
	if len(req.RefundCertificates) == 0 {
		return nil, errAftersaleBadParam.with("refund_certificates missing")
	}
	a.certificates = append(a.certificates, req.RefundCertificates...)
	a.needOffline = false
	done := wx.AftersaleMerchantRefundSuccess
	if a.typ == wx.AftersaleTypeReturn {
		done = wx.AftersaleMerchantReturnSuccess
	}
	s.setAftersale(a, done, s.now().Unix())
	return answered(a)
}

// acceptExchangeReship is POST /channels/ec/aftersale/acceptexchangereship: the replacement of an exchange
// whose goods came back leaves with a courier of the list (or OTHER) and a tracking number.
func (s *Server) acceptExchangeReship(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	if err := awaitsReship(a); err != nil {
		return nil, err
	}
	if req.WaybillID == "" || req.DeliveryID == "" || (req.DeliveryID != "OTHER" && channelsCourierListName(req.DeliveryID) == "") {
		return nil, errAftersaleBadParam.with("delivery_id %q, waybill_id %q", req.DeliveryID, req.WaybillID)
	}
	a.reshipWaybill, a.reshipDelivery = req.WaybillID, req.DeliveryID
	s.setAftersale(a, wx.AftersaleUserWaitReceipt, s.now().Unix())
	return answered(a)
}

// rejectExchangeReship is POST /channels/ec/aftersale/rejectexchangereship.
func (s *Server) rejectExchangeReship(c *call) (any, error) {
	var req aftersaleRequest
	a, err := s.aftersaleOf(c, &req, &req.AfterSaleOrderID)
	if err != nil {
		return nil, err
	}
	if err := awaitsReship(a); err != nil {
		return nil, err
	}
	// Both the reason type and the text are optional here; a type given must be one rejectreason/get lists.
	reason, found := rejectReasonByType(req.RejectReasonType)
	if !found && req.RejectReasonType != 0 {
		return nil, errAftersaleBadParam.with("reject_reason_type %d", req.RejectReasonType)
	}
	a.rejectReason = cmp.Or(req.RejectReason, reason.RejectReason)
	a.rejectCertificates = append([]string(nil), req.RejectCertificates...)
	s.setAftersale(a, wx.AftersaleMerchantRejectReship, s.now().Unix())
	return answered(a)
}

// AftersaleState returns an after-sale as getaftersaleorder would answer it, for tests.
func (s *Server) AftersaleState(id string) (wx.AfterSaleOrder, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAftersales()
	s.sendPendingAsync()
	a, found := s.aftersales.byID[id]
	if !found {
		return wx.AfterSaleOrder{}, false
	}
	return s.aftersaleAnswer(a), true
}

// AftersaleIDs lists the after-sales of type typ ("" any) in status ("" any), oldest first.
func (s *Server) AftersaleIDs(typ, status string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanceAftersales()
	s.sendPendingAsync()
	var ids []string
	for _, a := range s.aftersales.list {
		if (typ == "" || a.typ == typ) && (status == "" || a.status == status) {
			ids = append(ids, a.id)
		}
	}
	return ids
}

// AllowRejection marks an after-sale as one WeChat lets the merchant reject without negotiating (false: one
// that answers 10021068 until a negotiation was answered).
func (s *Server) AllowRejection(id string, allow bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, found := s.aftersales.byID[id]; found {
		a.mustNegotiate = !allow
	}
}

// MerchantAnswers is how many of the merchant's answers to after-sale id were accepted (each call that changed
// it), for tests that an answer is made once.
func (s *Server) MerchantAnswers(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, found := s.aftersales.byID[id]; found {
		return a.answers
	}
	return 0
}

// ReshipRefusal returns what rejectexchangereship was given for an after-sale: the reason the buyer reads
// and the evidence's media ids (getaftersaleorder does not answer the latter), for tests.
func (s *Server) ReshipRefusal(id string) (reason string, certificates []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, found := s.aftersales.byID[id]; found {
		return a.rejectReason, slices.Clone(a.rejectCertificates)
	}
	return "", nil
}
