package sandbox

import (
	"strconv"

	"wxshop/internal/wx"
)

// genaftersaleorder (代用户发起售后): the merchant opens an after-sale for the buyer on one line of a Channels
// order, which then waits for the buyer (USER_WAIT_HANDLE_MERCHANT_AFTER_SALE). A request_id seen before answers
// the after-sale it opened, so a retry after a lost answer opens nothing new. Refused: an unknown order
// (10020000 as an unknown after-sale is), a product or SKU not on it, a count or amount over the line's, a type
// other than REFUND or RETURN, a RETURN without a known address, a line that already has an open after-sale
// (10020001) [inferred from the page and the buyer's rules in aftersale.md §1], and an order not paid or
// cancelled (10021088 订单不支持代发起售后, the code merchants report on the page's community thread).

type genAnswer struct {
	status
	AftersaleID uint64 `json:"aftersale_id"` // a number, as the page documents it
}

// genAftersale is POST /channels/ec/aftersale/genaftersaleorder.
func (s *Server) genAftersale(c *call) (any, error) {
	s.advanceAftersales()
	var req wx.GenAftersale
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	st := &s.aftersales
	if id, seen := st.genRequests[req.RequestID]; seen && req.RequestID != "" {
		n, _ := strconv.ParseUint(id, 10, 64)
		return genAnswer{statusOK, n}, nil
	}
	switch {
	case req.RequestID == "" || req.Reason == "":
		return nil, errAftersaleBadParam.with("request_id and reason are required")
	case req.Type != wx.AftersaleTypeRefund && req.Type != wx.AftersaleTypeReturn:
		return nil, errAftersaleBadParam.with("type %q", req.Type)
	case req.Type == wx.AftersaleTypeReturn && st.addresses.byID[req.AddressID] == nil:
		return nil, errAftersaleBadParam.with("address_id %q unknown", req.AddressID)
	}
	o, found := s.orders.lookup(srcChannels, req.OrderID)
	if !found {
		return nil, errAftersaleNotFound.with("order_id %q", req.OrderID)
	}
	if o.status == wx.ShopOrderToPay || o.status >= wx.ShopOrderCancelledRefunded {
		return nil, errGenRefused.with("order %s is in status %d", req.OrderID, o.status)
	}
	line := -1
	for i := range int(o.nlines) {
		if p, sku := s.orders.line(o, i); (p.spuID == req.ProductID || p.productID == req.ProductID) && sku.numID == req.SkuID {
			line = i
		}
	}
	if line < 0 {
		return nil, errAftersaleBadParam.with("product %s sku %s not on order %s", req.ProductID, req.SkuID, req.OrderID)
	}
	_, sku := s.orders.line(o, line)
	count := int(o.lines[line].count)
	switch {
	case req.Count <= 0 || req.Count > count:
		return nil, errAftersaleBadParam.with("count %d of %d", req.Count, count)
	case req.Amount < 0 || req.Amount > int64(sku.price*req.Count):
		return nil, errAftersaleBadParam.with("amount %d over %d", req.Amount, sku.price*req.Count)
	}
	for _, a := range st.list {
		if a.order == (orderKey{o.src, o.id}) && a.line == line && !aftersaleTerminal(a.status) {
			return nil, errAftersaleState.with("order %s line %d has after-sale %s open", req.OrderID, line, a.id)
		}
	}
	now := s.now().Unix()
	id := strconv.FormatUint(st.nextID, 10)
	a := s.newAftersale(o, line, req.Type, now, id)
	st.nextID++
	a.count, a.amount, a.reason, a.desc, a.images, a.mustNegotiate = req.Count, int(req.Amount), req.Reason, req.Desc, nil, false
	s.setAftersale(a, wx.AftersaleUserWaitMerchantSale, now)
	if st.genRequests == nil {
		st.genRequests = map[string]string{}
	}
	st.genRequests[req.RequestID] = id
	n, _ := strconv.ParseUint(id, 10, 64)
	return genAnswer{statusOK, n}, nil
}
