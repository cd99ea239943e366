package sandbox

import (
	"wxshop/internal/wx"
)

// Orders a Mini Program placed in partner stores (partner-store-order-get.md): POST
// /channels/ec/cooperation/order/get {shop_appid, order_id}. The order must be one of that store's; the
// answer's Order has neither id nor times, as the document gives it. The document lists no codes: the
// sandbox answers 40097 for a missing field and the mini-shop's 100002 for an order the store does not have.
// Partner orders are never shipped through the app, so they change only as the demo made them.

type partnerOrderAnswer struct {
	status
	Order wx.PartnerOrder `json:"order"`
}

// getPartnerOrder is POST /channels/ec/cooperation/order/get.
func (s *Server) getPartnerOrder(c *call) (any, error) {
	st := &s.orders
	if err := st.available(srcPartner); err != nil {
		return nil, err
	}
	var req struct {
		ShopAppID string `json:"shop_appid"`
		OrderID   wx.ID  `json:"order_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	switch {
	case req.ShopAppID == "":
		return nil, errInvalidArgs.with("shop_appid missing")
	case req.OrderID == "":
		return nil, errInvalidArgs.with("order_id missing")
	}
	o, found := st.lookup(srcPartner, string(req.OrderID))
	if !found || partnerShops[o.shop] != req.ShopAppID {
		return nil, errChannelsNotFound.with("shop_appid %q has no order_id %q", req.ShopAppID, string(req.OrderID))
	}
	return partnerOrderAnswer{status: statusOK, Order: st.partnerOrder(o, requestBase(c.r))}, nil
}

// partnerBare reports whether o is answered without status and real_price.
func partnerBare(o *order) bool { return o.id%3 == 0 }

// partnerOrder renders o as the document's Order. A merchant discount is taken off the line it fits best,
// so that the lines' real_price add up to what the products cost after it. The first partner store is bound
// to an open platform account, so its orders carry the buyer's unionid.
//
// Every third order is answered as the document's own example has it: without status and without the lines'
// real_price.
func (st *orderStore) partnerOrder(o *order, base string) wx.PartnerOrder {
	bare := partnerBare(o)
	out := wx.PartnerOrder{OpenID: st.openID(o.buyer, o.src)}
	if !bare {
		status := int(o.status)
		out.Status = &status
	}
	if o.shop == 0 {
		out.UnionID = st.unionID(o.buyer)
	}
	discounted := -1 // the line that carries the discount
	if o.discount > 0 {
		best := 0
		for i := range int(o.nlines) {
			_, sku := st.line(o, i)
			if total := sku.price * int(o.lines[i].count); total > best {
				best, discounted = total, i
			}
		}
	}
	for i := range int(o.nlines) {
		p, sku := st.line(o, i)
		productID, skuID := st.lineIDs(o, i)
		count := int(o.lines[i].count)
		item := wx.PartnerOrderProduct{
			ProductID: wx.ID(productID), SKUID: wx.ID(skuID), ThumbImg: base + p.img, SKUCnt: count,
			SalePrice: sku.price, Title: p.name, SKUCode: sku.code, MarketPrice: sku.ori,
			SKUAttrs: append([]wx.OrderSKUAttr{}, sku.attrs...),
		}
		paid := sku.price * count
		if i == discounted {
			item.IsDiscounted, item.EstimatePrice = true, paid-int(o.discount)
			paid = item.EstimatePrice
		}
		if !bare {
			item.RealPrice = &paid
		}
		out.OrderDetail.ProductInfos = append(out.OrderDetail.ProductInfos, item)
	}
	products := st.productPrice(o)
	original := products + int(o.freight)
	out.OrderDetail.PriceInfo = wx.PartnerOrderPrice{
		ProductPrice:            products,
		OrderPrice:              original - int(o.discount),
		Freight:                 int(o.freight),
		DiscountedPrice:         int(o.discount),
		IsDiscounted:            o.discount > 0,
		OriginalOrderPrice:      original,
		EstimateProductPrice:    products - int(o.discount),
		MerchantReceievePrice:   original - int(o.discount),
		MerchantDiscountedPrice: int(o.discount),
	}
	return out
}
