package sandbox

import (
	"bytes"

	"wxshop/internal/wx"
)

// Orders of the merchant manual (section 6): order/getbyid, order/getbyfilter, order/setdelivery and
// order/close. A merchant order holds one product, exists once it is paid (the push of 6.1 announces the
// payment), and goes 2 (to ship) -> 3 (shipped) -> 5 (done), or into 8 (dispute); order/close makes it 6,
// the status the manual's own examples answer without naming it, read as closed.
//
// setdelivery ships an order waiting for shipment (2) with one of the manual's companies (wx.MerchantCouriers);
// a shipped order cannot be shipped again nor closed (9402025), a closed or disputed one neither (9402026).
// Rules the manual states no code for get codes of the sandbox's block (codes.go).

// merchantOrder renders o as the manual's order, image URL absolute against base.
func (st *orderStore) merchantOrder(o *order, base string) wx.MerchantOrder {
	b := st.buyer(o.buyer)
	d := st.details(o)
	p, sku := st.line(o, 0)
	m := wx.MerchantOrder{
		OrderID:           o.idString(),
		OrderStatus:       int(o.status),
		OrderTotalPrice:   st.total(o),
		OrderCreateTime:   o.created,
		OrderExpressPrice: int(o.freight),
		BuyerOpenID:       st.openID(o.buyer, o.src),
		BuyerNick:         b.nick,
		ReceiverName:      b.name,
		ReceiverProvince:  b.province,
		ReceiverCity:      b.city,
		ReceiverAddress:   b.county + b.address,
		ReceiverMobile:    b.mobile,
		ReceiverPhone:     d.landline,
		ProductID:         p.productID,
		ProductName:       p.name,
		ProductPrice:      sku.price,
		ProductSKU:        sku.skuID,
		ProductCount:      int(o.lines[0].count),
		ProductImg:        base + p.img,
		TransID:           d.transactionID,
	}
	if len(o.parcels) > 0 {
		m.DeliveryID, m.DeliveryCompany = o.parcels[0].waybill, o.parcels[0].company
	}
	return m
}

// merchantOrderRequest is the body of getbyid, setdelivery and close. order_id is a string in the manual; a
// number is taken too.
type merchantOrderRequest struct {
	OrderID         wx.ID  `json:"order_id"`
	DeliveryCompany string `json:"delivery_company"`
	DeliveryTrackNo string `json:"delivery_track_no"`
	// need_delivery and is_others, of the manual's later edition: absent they are 1 and 0, as in V1.13.
	NeedDelivery *int `json:"need_delivery"`
	IsOthers     *int `json:"is_others"`
}

// merchantOrderOf decodes the request and finds its order.
func (s *Server) merchantOrderOf(c *call) (*order, *merchantOrderRequest, error) {
	if err := s.orders.available(srcMerchant); err != nil {
		return nil, nil, err
	}
	var req merchantOrderRequest
	if err := c.decode(&req); err != nil {
		return nil, nil, err
	}
	if req.OrderID == "" {
		return nil, nil, errInvalidArgs.with("order_id missing")
	}
	o, found := s.orders.lookup(srcMerchant, string(req.OrderID))
	if !found {
		return nil, nil, errOrderNotFound.with("order_id %q", string(req.OrderID))
	}
	return o, &req, nil
}

type merchantOrderAnswer struct {
	status
	Order wx.MerchantOrder `json:"order"`
}

// getMerchantOrder is POST /merchant/order/getbyid.
func (s *Server) getMerchantOrder(c *call) (any, error) {
	o, _, err := s.merchantOrderOf(c)
	if err != nil {
		return nil, err
	}
	return merchantOrderAnswer{status: statusSuccess, Order: s.orders.merchantOrder(o, requestBase(c.r))}, nil
}

type merchantOrdersAnswer struct {
	status
	OrderList []wx.MerchantOrder `json:"order_list"`
}

// getMerchantOrdersByFilter is /merchant/order/getbyfilter {status?, begintime?, endtime?}: orders in status
// (2, 3, 5 or 8; none: every status, closed ones too) created from begintime to endtime, both included
// (either left out or 0: no bound), oldest first. The manual lists the call as GET with a JSON body; it is
// routed as POST, which is how the client sends it, and an empty body means no filter.
func (s *Server) getMerchantOrdersByFilter(c *call) (any, error) {
	st := &s.orders
	if err := st.available(srcMerchant); err != nil {
		return nil, err
	}
	var req struct {
		Status    *int  `json:"status"`
		BeginTime int64 `json:"begintime"`
		EndTime   int64 `json:"endtime"`
	}
	if len(bytes.TrimSpace(c.body)) > 0 {
		if err := c.decode(&req); err != nil {
			return nil, err
		}
	}
	if req.Status != nil {
		switch *req.Status {
		case wx.MerchantOrderToShip, wx.MerchantOrderShipped, wx.MerchantOrderDone, wx.MerchantOrderInDispute:
		default:
			return nil, errInvalidArgs.with("status %d is not 2, 3, 5 or 8", *req.Status)
		}
	}
	if req.BeginTime < 0 || req.EndTime < 0 || (req.BeginTime != 0 && req.EndTime != 0 && req.BeginTime > req.EndTime) {
		return nil, errInvalidArgs.with("begintime %d, endtime %d", req.BeginTime, req.EndTime)
	}
	base := requestBase(c.r)
	list := []wx.MerchantOrder{}
	for i := range st.list {
		o := &st.list[i]
		switch {
		case o.src != srcMerchant,
			req.Status != nil && int(o.status) != *req.Status,
			req.BeginTime != 0 && o.created < req.BeginTime,
			req.EndTime != 0 && o.created > req.EndTime:
			continue
		}
		list = append(list, st.merchantOrder(o, base))
	}
	return merchantOrdersAnswer{status: statusSuccess, OrderList: list}, nil
}

// setMerchantDelivery is POST /merchant/order/setdelivery {order_id, delivery_company, delivery_track_no}, with
// the later edition's need_delivery (0: no logistics, company and tracking number not needed) and is_others
// (1: delivery_company is the name of a courier not in the table).
func (s *Server) setMerchantDelivery(c *call) (any, error) {
	o, req, err := s.merchantOrderOf(c)
	if err != nil {
		return nil, err
	}
	need, others := 1, 0
	if req.NeedDelivery != nil {
		need = *req.NeedDelivery
	}
	if req.IsOthers != nil {
		others = *req.IsOthers
	}
	switch {
	case need != 0 && need != 1:
		return nil, errInvalidArgs.with("need_delivery %d is neither 0 nor 1", need)
	case others != 0 && others != 1:
		return nil, errInvalidArgs.with("is_others %d is neither 0 nor 1", others)
	case need == 1 && req.DeliveryCompany == "":
		return nil, errInvalidArgs.with("delivery_company missing")
	case need == 1 && req.DeliveryTrackNo == "":
		return nil, errInvalidArgs.with("delivery_track_no missing")
	}
	if _, known := wx.MerchantCourierName(req.DeliveryCompany); need == 1 && others == 0 && !known {
		return nil, errCourierNotFound.with("delivery_company %q", req.DeliveryCompany)
	}
	if err := merchantUnshipped(o); err != nil {
		return nil, err
	}
	if o.status != wx.MerchantOrderToShip {
		return nil, errOrderStatus.with("order %s is in status %d; only 2 (to ship) can be shipped", o.idString(), o.status)
	}
	now := s.now().Unix()
	if need == 1 {
		pc := parcel{company: req.DeliveryCompany, waybill: req.DeliveryTrackNo, time: now}
		pc.counts[0] = o.lines[0].count
		o.parcels = append(o.parcels, pc)
	}
	o.status, o.shipDone, o.updated = wx.MerchantOrderShipped, now, now
	return statusSuccess, nil
}

// closeMerchantOrder is POST /merchant/order/close {order_id}: an order that has not been shipped (to ship,
// or in dispute before shipping) is closed.
func (s *Server) closeMerchantOrder(c *call) (any, error) {
	o, _, err := s.merchantOrderOf(c)
	if err != nil {
		return nil, err
	}
	if err := merchantUnshipped(o); err != nil {
		return nil, err
	}
	if o.status == merchantClosed {
		return nil, errOrderStatus.with("order %s is already closed", o.idString())
	}
	o.status, o.updated = merchantClosed, s.now().Unix()
	return statusSuccess, nil
}

// merchantUnshipped refuses an order that has left.
func merchantUnshipped(o *order) error {
	if len(o.parcels) > 0 || o.status == wx.MerchantOrderShipped || o.status == wx.MerchantOrderDone {
		return errOrderShipped.with("order %s was shipped (status %d)", o.idString(), o.status)
	}
	return nil
}
