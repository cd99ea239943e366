package sandbox

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"slices"
	"time"

	"wxshop/internal/wx"
)

// The Channels store: POST /channels/ec/order/list/get (channels-order-list-get.md), /channels/ec/order/get
// and /channels/ec/order/delivery/send (shapes from public SDKs, see api/README.md).
//
// The list answers ids oldest first (by create_time, then id). next_key is a cursor, the last id answered,
// sealed with a hash of the rest of the request: a next_key sent with anything else changed (a range, the
// status, the openid, page_size) is 606006, as is one the sandbox never made. As a cursor rather than an
// offset it never answers an id twice nor skips one while orders change between pages, unless a change moves
// an order in or out of the filter.

// Codes of the Channels order calls. The list's come from its document; the others are the sandbox's: the
// merchant manual's block (codes.go) for the rules of shipping, and the mini-shop's 100002 for an unknown
// order, since the Channels order documents are not in shared/api.
//
// delivery/send answers WeChat's own codes (wx.CodeChannelsOrderState and the rest, whose sources are in
// internal/wx): 101100 with WeChat's errmsg for an order not to ship (to pay, cancelled), 109001 for one
// shipped already (30, 100), 109000 for a product the order does not hold, more pieces than are left or the
// same courier and tracking number twice, 109002 for an empty delivery_list or a parcel without courier,
// tracking number or products. WeChat's errmsg for the 109 codes is only its rid; the sandbox adds what
// exactly was wrong.
var (
	errChannelsTooMany    = &apiError{wx.CodeChannelsTooManyOrders, "too many orders in request, please narrow the time range"}
	errChannelsBadNextKey = &apiError{wx.CodeChannelsBadNextKey, "next_key does not match the request"}
	errChannelsNotFound   = &apiError{wx.CodeOrderNotFound, "order not exist"}

	errChannelsOrderState = &apiError{wx.CodeChannelsOrderState, ", 订单状态错误,不允许执行此操作"}
	errChannelsShipFailed = &apiError{wx.CodeChannelsShipFailed, "发货失败"}
	errChannelsShipped    = &apiError{wx.CodeChannelsShipped, "已经发货"}
	errChannelsIncomplete = &apiError{wx.CodeChannelsShipIncomplete, "发货信息不完整"}
)

// channelsListStatuses are the statuses the list filters on, with the statuses each selects: 20 and 30
// include partly shipped orders, 250 every cancellation.
var channelsListStatuses = map[int][]int16{
	wx.ShopOrderToPay:         {wx.ShopOrderToPay},
	wx.ShopOrderToShip:        {wx.ShopOrderToShip, wx.ShopOrderPartlyShipped},
	wx.ShopOrderPartlyShipped: {wx.ShopOrderPartlyShipped},
	wx.ShopOrderToReceive:     {wx.ShopOrderToReceive, wx.ShopOrderPartlyShipped},
	wx.ShopOrderDone:          {wx.ShopOrderDone},
	wx.ShopOrderCancelledUnpaid: {
		wx.ShopOrderCancelledRefunded, wx.ShopOrderCancelledOversold, wx.ShopOrderCancelledAftersale, wx.ShopOrderCancelledUnpaid,
	},
}

// maxRangeSeconds is the longest a time range may be: 7 days.
const maxRangeSeconds = int64(wx.ChannelsOrderListMaxRange / time.Second)

type channelsListAnswer struct {
	status
	wx.ChannelsOrderListAnswer
}

// listChannelsOrders is POST /channels/ec/order/list/get.
func (s *Server) listChannelsOrders(c *call) (any, error) {
	st := &s.orders
	if err := st.available(srcChannels); err != nil {
		return nil, err
	}
	var req wx.ChannelsOrderListRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := checkListRequest(&req); err != nil {
		return nil, err
	}
	key := req.NextKey
	req.NextKey = ""
	canon, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var after listCursor
	if key != "" {
		var valid bool
		if after, valid = st.parseNextKey(canon, key); !valid {
			return nil, errChannelsBadNextKey.with("next_key %q", key)
		}
	}

	buyer, filterBuyer := uint32(0), req.OpenID != ""
	if filterBuyer {
		var known bool
		if buyer, known = st.buyerByOpenID(srcChannels, req.OpenID); !known {
			return channelsListAnswer{status: statusOK, ChannelsOrderListAnswer: wx.ChannelsOrderListAnswer{
				OrderIDList: []wx.ID{}, NextKey: st.nextKey(canon, after)}}, nil
		}
	}
	var statuses []int16
	if req.Status != nil {
		statuses = channelsListStatuses[*req.Status]
	}
	var found []int32
	for i := range st.list {
		o := &st.list[i]
		switch {
		case o.src != srcChannels,
			!inRange(req.CreateTimeRange, o.created),
			!inRange(req.UpdateTimeRange, o.updated),
			statuses != nil && !slices.Contains(statuses, o.status),
			filterBuyer && o.buyer != buyer:
			continue
		}
		found = append(found, int32(i))
		if len(found) > st.windowLimit {
			return nil, errChannelsTooMany.with("more than %d orders", st.windowLimit)
		}
	}
	slices.SortFunc(found, func(a, b int32) int { return st.cursorOf(a).compare(st.cursorOf(b)) })

	start, _ := slices.BinarySearchFunc(found, after, func(i int32, c listCursor) int {
		if st.cursorOf(i).compare(c) <= 0 {
			return -1
		}
		return 1
	})
	page := found[start:min(start+req.PageSize, len(found))]
	ans := wx.ChannelsOrderListAnswer{OrderIDList: make([]wx.ID, 0, len(page)), HasMore: start+len(page) < len(found)}
	last := after
	for _, i := range page {
		ans.OrderIDList = append(ans.OrderIDList, wx.ID(st.list[i].idString()))
		last = st.cursorOf(i)
	}
	ans.NextKey = st.nextKey(canon, last)
	return channelsListAnswer{status: statusOK, ChannelsOrderListAnswer: ans}, nil
}

// checkListRequest applies the document's rules: a range at least, none longer than 7 days, page_size 1 to
// 100, a status of its table.
func checkListRequest(req *wx.ChannelsOrderListRequest) error {
	if req.CreateTimeRange == nil && req.UpdateTimeRange == nil {
		return errInvalidArgs.with("create_time_range or update_time_range required")
	}
	for _, r := range []struct {
		name string
		tr   *wx.TimeRange
	}{{"create_time_range", req.CreateTimeRange}, {"update_time_range", req.UpdateTimeRange}} {
		name, tr := r.name, r.tr
		switch {
		case tr == nil:
		case tr.StartTime < 0 || tr.EndTime < tr.StartTime:
			return errInvalidArgs.with("%s: start_time %d, end_time %d", name, tr.StartTime, tr.EndTime)
		case tr.EndTime-tr.StartTime > maxRangeSeconds:
			return errInvalidArgs.with("%s: start_time and end_time more than 7 days apart", name)
		}
	}
	if req.PageSize < 1 || req.PageSize > wx.ChannelsOrderListMaxPageSize {
		return errInvalidArgs.with("page_size %d is not 1 to %d", req.PageSize, wx.ChannelsOrderListMaxPageSize)
	}
	if req.Status != nil {
		if _, known := channelsListStatuses[*req.Status]; !known {
			return errInvalidArgs.with("status %d is not 10, 20, 21, 30, 100 or 250", *req.Status)
		}
	}
	return nil
}

// inRange tells whether t is within tr, both ends included; no range holds everything.
func inRange(tr *wx.TimeRange, t int64) bool {
	return tr == nil || (t >= tr.StartTime && t <= tr.EndTime)
}

// listCursor is a place in the list's order.
type listCursor struct {
	created int64
	id      uint64
}

func (a listCursor) compare(b listCursor) int {
	switch {
	case a.created != b.created:
		return cmpInt(a.created, b.created)
	default:
		return cmpInt(a.id, b.id)
	}
}

func cmpInt[T int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (st *orderStore) cursorOf(i int32) listCursor {
	return listCursor{st.list[i].created, st.list[i].id}
}

// nextKey seals cursor c to the request canon (the request's JSON without next_key).
func (st *orderStore) nextKey(canon []byte, c listCursor) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], uint64(c.created))
	binary.BigEndian.PutUint64(b[8:], c.id)
	binary.BigEndian.PutUint64(b[16:], st.keySeal(canon, b[:16]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// parseNextKey opens a next_key; false when it was not made for canon by this sandbox.
func (st *orderStore) parseNextKey(canon []byte, key string) (listCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil || len(b) != 24 || binary.BigEndian.Uint64(b[16:]) != st.keySeal(canon, b[:16]) {
		return listCursor{}, false
	}
	return listCursor{int64(binary.BigEndian.Uint64(b[0:])), binary.BigEndian.Uint64(b[8:])}, true
}

func (st *orderStore) keySeal(canon, cursor []byte) uint64 {
	h := fnv.New64a()
	var seed [8]byte
	binary.BigEndian.PutUint64(seed[:], st.seed)
	h.Write(seed[:])
	h.Write(canon)
	h.Write(cursor)
	return h.Sum64()
}

type channelsOrderAnswer struct {
	status
	Order channelsOrderWire `json:"order"`
}

// channelsOrderWire is the Channels store's form of an order: wx.ShopOrder without the order-level ext_info,
// the notes being in order_detail.ext_info.
type channelsOrderWire struct {
	wx.ShopOrder
	ExtInfo *struct{} `json:"ext_info,omitempty"`
}

// channelsOrderRequest is the body of order/get and delivery/send; order_id is taken as a string or a number.
type channelsOrderRequest struct {
	OrderID      wx.ID                 `json:"order_id"`
	DeliveryList []wx.ChannelsDelivery `json:"delivery_list"`
}

// channelsOrder finds the order a request names.
func (st *orderStore) channelsOrder(id wx.ID) (*order, error) {
	if id == "" {
		return nil, errInvalidArgs.with("order_id missing")
	}
	o, found := st.lookup(srcChannels, string(id))
	if !found {
		return nil, errChannelsNotFound.with("order_id %q", string(id))
	}
	return o, nil
}

// getChannelsOrder is POST /channels/ec/order/get {"order_id"}.
func (s *Server) getChannelsOrder(c *call) (any, error) {
	if err := s.orders.available(srcChannels); err != nil {
		return nil, err
	}
	var req channelsOrderRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	o, err := s.orders.channelsOrder(req.OrderID)
	if err != nil {
		return nil, err
	}
	return channelsOrderAnswer{status: statusOK, Order: channelsOrderWire{ShopOrder: s.orders.shopOrder(o, requestBase(c.r))}}, nil
}

// sendChannelsDelivery is POST /channels/ec/order/delivery/send: one or more parcels, each naming products
// and SKUs of the order with counts not above what is left to ship, counted over the whole request. Only an
// order to ship (20) or partly shipped (21) can be shipped; it becomes 30 once every piece has left, else 21.
// deliver_type is 1, the merchant's own courier, with delivery_id and waybill_id; or 3, virtual goods with no
// logistics, which only an order whose deliver_method is 1 may use (WxJava's DeliveryInfo and SKIT record the
// rule; WeChat's errmsg for another order is quoted below), and whose courier fields, if sent, are ignored.
// An order changed too often just before answers 100003 (tooOften).
func (s *Server) sendChannelsDelivery(c *call) (any, error) {
	st := &s.orders
	if err := st.available(srcChannels); err != nil {
		return nil, err
	}
	var req channelsOrderRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	o, err := st.channelsOrder(req.OrderID)
	if err != nil {
		return nil, err
	}
	if st.tooOften(o, s.now()) {
		return nil, errUpdatedTooOften.with("order %s", o.idString())
	}
	if len(req.DeliveryList) == 0 {
		return nil, errChannelsIncomplete.with("delivery_list is empty")
	}
	switch o.status {
	case wx.ShopOrderToShip, wx.ShopOrderPartlyShipped:
	case wx.ShopOrderToReceive, wx.ShopOrderDone:
		return nil, errChannelsShipped.with("order %s is in status %d", o.idString(), o.status)
	default:
		return nil, errChannelsOrderState.with("order %s is in status %d; only 20 and 21 can be shipped", o.idString(), o.status)
	}

	shipped := o.shipped()
	now := s.now().Unix()
	parcels := make([]parcel, 0, len(req.DeliveryList))
	waybills := map[[2]string]int{}
	for n, d := range req.DeliveryList {
		pc := parcel{company: d.DeliveryID, waybill: d.WaybillID, time: now}
		switch {
		case d.DeliverType == wx.ChannelsDeliverVirtual && !o.virtual:
			return nil, errInvalidArgs.with("delivery_list[%d]: deliver_type不正确,使用虚拟发货请检查商品deliver_method是否符合要求", n)
		case d.DeliverType == wx.ChannelsDeliverVirtual:
			pc.company, pc.waybill = "", ""
		case d.DeliverType != wx.ChannelsDeliverSelf:
			return nil, errInvalidArgs.with("delivery_list[%d]: deliver_type %d; only 1 and 3 are supported", n, d.DeliverType)
		case d.DeliveryID == "" || d.WaybillID == "":
			return nil, errChannelsIncomplete.with("delivery_list[%d]: delivery_id and waybill_id required", n)
		}
		if len(d.ProductInfos) == 0 {
			return nil, errChannelsIncomplete.with("delivery_list[%d]: product_infos is empty", n)
		}
		if pc.waybill != "" {
			key := [2]string{pc.company, pc.waybill}
			if first, twice := waybills[key]; twice {
				return nil, errChannelsShipFailed.with("delivery_list[%d] repeats the delivery_id and waybill_id of delivery_list[%d]", n, first)
			}
			waybills[key] = n
		}
		for _, it := range d.ProductInfos {
			line := -1
			for i := range int(o.nlines) {
				if productID, skuID := st.lineIDs(o, i); productID == it.ProductID && skuID == it.SKUID {
					line = i
				}
			}
			switch {
			case it.ProductCnt < 1:
				return nil, errInvalidArgs.with("delivery_list[%d]: product_cnt %d", n, it.ProductCnt)
			case line < 0:
				return nil, errChannelsShipFailed.with("订单%s中不存在product_id=%s, sku_id=%s的商品", o.idString(), it.ProductID, it.SKUID)
			}
			shipped[line] += it.ProductCnt
			if shipped[line] > int(o.lines[line].count) {
				return nil, errChannelsShipFailed.with("product_id %q sku_id %q: %d ordered, %d shipped or sent now",
					it.ProductID, it.SKUID, o.lines[line].count, shipped[line])
			}
			pc.counts[line] += uint16(it.ProductCnt)
		}
		parcels = append(parcels, pc)
	}

	o.parcels = append(o.parcels, parcels...)
	o.updated = now
	st.changed(o, s.now())
	if o.allShipped() {
		o.status, o.shipDone = wx.ShopOrderToReceive, now
	} else {
		o.status = wx.ShopOrderPartlyShipped
	}
	return statusOK, nil
}
