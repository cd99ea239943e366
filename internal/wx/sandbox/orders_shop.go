package sandbox

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"wxshop/internal/wx"
)

// The mini-shop's POST /product/order/get (shop-order-get.md), and the Order structure it answers, which the
// Channels store's order/get answers too (orders_channels.go). The mini-shop has no call that lists or ships
// orders: the app learns their ids from pushes, and the demo orders are all it ever holds besides NewPaidOrder's.
//
// The two answer the same structure in different wire forms, as the documents and public SDKs show them: the
// Channels store with ids as strings and times as seconds, which is how wx.ShopOrder marshals; the mini-shop
// with order_id as a number (17 digits, above 2^53) and its times as Beijing "yyyy-MM-dd HH:mm:ss" text, as
// its document's example has them. shopOrderWire shadows those fields of wx.ShopOrder.

// Codes of /product/order/get, from its document.
var (
	errShopOrderNotFound = &apiError{wx.CodeOrderNotFound, "order not exist"} // 100002
	errShopBadParameter  = &apiError{9401020, "invalid parameter"}
)

// aftersaleStatusOngoing is the status of an after-sale order in progress, as the document's example shows
// it; the document refers to an AfterSaleStatus table that it does not give.
const aftersaleStatusOngoing = 13

// shopOrder renders o in the Order structure with image URLs absolute against base.
func (st *orderStore) shopOrder(o *order, base string) wx.ShopOrder {
	b := st.buyer(o.buyer)
	d := st.details(o)
	addr := wx.OrderAddress{
		UserName: b.name, ProvinceName: b.province, CityName: b.city, CountyName: b.county,
		DetailInfo: b.address, TelNumber: b.mobile,
	}
	if o.virtual {
		// Virtual goods go to no address: the buyer leaves only a number to be reached at.
		addr = wx.OrderAddress{VirtualOrderTelNumber: b.mobile}
	}
	out := wx.ShopOrder{
		OrderID:    wx.ID(o.idString()),
		Status:     int(o.status),
		CreateTime: wx.Timestamp(o.created),
		UpdateTime: wx.Timestamp(o.updated),
		OpenID:     st.openID(o.buyer, o.src),
		OrderType:  wx.ShopOrderTypeOrdinary,
		AftersaleDetail: wx.ShopAftersaleDetail{
			AftersaleOrderList: []wx.ShopAftersaleOrder{},
		},
	}
	notes := wx.ShopOrderExtInfo{CustomerNotes: d.note}
	if o.status == wx.ShopOrderCancelledOversold {
		notes.MerchantNotes = "库存不足，已取消并退款"
	}
	det := &out.OrderDetail
	// The Channels store keeps the notes in order_detail.ext_info, the mini-shop at order level.
	if o.src == srcChannels {
		if notes.MerchantNotes == "" && o.id%5 == 0 {
			notes.MerchantNotes = "已电话确认收货地址"
		}
		det.ExtInfo = notes
	} else {
		out.ExtInfo = notes
	}
	for i := range int(o.nlines) {
		p, sku := st.line(o, i)
		productID, skuID := st.lineIDs(o, i)
		count := int(o.lines[i].count)
		item := wx.ShopOrderProduct{
			ProductID: wx.ID(productID), SKUID: wx.ID(skuID), ThumbImg: base + p.img, SKUCnt: count,
			SalePrice: sku.price, Title: p.name, SKUAttrs: append([]wx.OrderSKUAttr{}, sku.attrs...),
			SKUCode: sku.code, MarketPrice: sku.ori,
		}
		switch {
		case o.after == aftersaleOngoing && i == 0:
			item.OnAftersaleSKUCnt = count
		case o.after == aftersaleFinished:
			item.FinishAftersaleSKUCnt = count
		}
		det.ProductInfos = append(det.ProductInfos, item)
	}
	if o.after == aftersaleOngoing {
		out.AftersaleDetail = wx.ShopAftersaleDetail{
			OnAftersaleOrderCnt: 1,
			AftersaleOrderList:  []wx.ShopAftersaleOrder{{AftersaleOrderID: wx.ID(d.aftersaleID), Status: aftersaleStatusOngoing}},
		}
	}

	products := st.productPrice(o)
	det.PriceInfo = wx.ShopOrderPrice{
		ProductPrice:         products,
		OrderPrice:           st.total(o),
		Freight:              int(o.freight),
		DiscountedPrice:      int(o.discount),
		IsDiscounted:         o.discount > 0,
		OriginalOrderPrice:   products + int(o.freight),
		EstimateProductPrice: products - int(o.discount),
	}
	det.PayInfo = wx.ShopOrderPayment{PayMethod: "微信支付", PrepayID: d.prepayID, PrepayTime: wx.Timestamp(o.created)}
	if o.paid != 0 {
		det.PayInfo.TransactionID, det.PayInfo.PayTime = d.transactionID, wx.Timestamp(o.paid)
	}
	switch {
	case o.discount > 0 && o.src == srcChannels:
		det.CouponInfo.UserCouponID = wx.ID(d.couponID)
	case o.discount > 0:
		det.CouponInfo.CouponID = []wx.ID{wx.ID(d.couponID)}
	}
	if o.src == srcChannels {
		det.PayInfo.PaymentMethod = wx.PaymentWeChatPay
	}

	deliverType := wx.DeliverTypeOptionalExpress
	if o.src == srcChannels {
		deliverType = wx.DeliverType(strconv.Itoa(wx.ChannelsDeliverSelf))
	}
	det.DeliveryInfo = wx.ShopOrderDelivery{
		AddressInfo:         addr,
		DeliveryMethod:      "快递",
		ExpressFee:          wx.ExpressFees{{ShippingMethod: wx.ShippingMethodExpress}},
		DeliveryProductInfo: []wx.OrderParcel{},
		ShipDoneTime:        wx.Timestamp(o.shipDone),
		InsuranceInfo:       wx.OrderInsurance{Type: wx.InsuranceNone},
		DeliverType:         deliverType,
	}
	if o.virtual {
		det.DeliveryInfo.DeliverMethod = wx.DeliverMethodVirtual
	}
	for _, pc := range o.parcels {
		parcel := wx.OrderParcel{
			WaybillID: pc.waybill, DeliveryID: pc.company, DeliveryName: courierName(o.src, pc.company),
			DeliveryTime: wx.Timestamp(pc.time), DeliverType: deliverType, DeliveryAddress: addr,
		}
		if o.src == srcChannels && pc.company == "" {
			parcel.DeliverType = wx.DeliverType(strconv.Itoa(wx.ChannelsDeliverVirtual)) // no courier: virtual
		}
		for _, it := range st.parcelItems(o, &pc) {
			parcel.ProductInfos = append(parcel.ProductInfos, wx.OrderParcelItem{ProductID: wx.ID(it.ProductID), SKUID: wx.ID(it.SKUID), ProductCnt: it.ProductCnt})
		}
		det.DeliveryInfo.DeliveryProductInfo = append(det.DeliveryInfo.DeliveryProductInfo, parcel)
	}
	return out
}

// shopOrderWire is the mini-shop's wire form of an order: order_id a number, times as Beijing text. Its fields
// shadow those of the embedded wx.ShopOrder, which encoding/json then leaves out.
type shopOrderWire struct {
	wx.ShopOrder
	OrderID     json.Number         `json:"order_id"`
	CreateTime  string              `json:"create_time"`
	UpdateTime  string              `json:"update_time"`
	OrderDetail shopOrderDetailWire `json:"order_detail"`
}

type shopOrderDetailWire struct {
	wx.ShopOrderDetail
	PayInfo      shopPayWire      `json:"pay_info"`
	DeliveryInfo shopDeliveryWire `json:"delivery_info"`
	ExtInfo      *struct{}        `json:"ext_info,omitempty"` // the mini-shop has its notes at order level
}

// shopDeliveryWire gives a single parcel as an object rather than a list of one for some orders, as some
// real mini-shop answers do although the document has an array.
type shopDeliveryWire struct {
	wx.ShopOrderDelivery
	DeliveryProductInfo any `json:"delivery_product_info"`
}

// parcelAsObject reports whether the mini-shop answers o's one parcel as an object: every other order with
// exactly one.
func parcelAsObject(o wx.ShopOrder) bool {
	id, _ := strconv.ParseUint(string(o.OrderID), 10, 64)
	return len(o.OrderDetail.DeliveryInfo.DeliveryProductInfo) == 1 && id%2 == 0
}

type shopPayWire struct {
	wx.ShopOrderPayment
	PrepayTime string `json:"prepay_time"`
	PayTime    string `json:"pay_time"`
}

// beijingText writes t as the mini-shop document does, "" for none.
func beijingText(t wx.Timestamp) string {
	if t == 0 {
		return ""
	}
	return time.Unix(int64(t), 0).In(beijing).Format("2006-01-02 15:04:05")
}

func toShopWire(o wx.ShopOrder) shopOrderWire {
	delivery := shopDeliveryWire{ShopOrderDelivery: o.OrderDetail.DeliveryInfo, DeliveryProductInfo: o.OrderDetail.DeliveryInfo.DeliveryProductInfo}
	if parcelAsObject(o) {
		delivery.DeliveryProductInfo = o.OrderDetail.DeliveryInfo.DeliveryProductInfo[0]
	}
	return shopOrderWire{
		ShopOrder:  o,
		OrderID:    json.Number(o.OrderID),
		CreateTime: beijingText(o.CreateTime),
		UpdateTime: beijingText(o.UpdateTime),
		OrderDetail: shopOrderDetailWire{
			ShopOrderDetail: o.OrderDetail,
			DeliveryInfo:    delivery,
			PayInfo: shopPayWire{
				ShopOrderPayment: o.OrderDetail.PayInfo,
				PrepayTime:       beijingText(o.OrderDetail.PayInfo.PrepayTime),
				PayTime:          beijingText(o.OrderDetail.PayInfo.PayTime),
			},
		},
	}
}

type shopOrderAnswer struct {
	status
	Order shopOrderWire `json:"order"`
}

// getShopOrder is POST /product/order/get {"order_id": number}. An order_id that is missing or not a whole
// number is 9401020; an unknown one 100002.
func (s *Server) getShopOrder(c *call) (any, error) {
	if err := s.orders.available(srcShop); err != nil {
		return nil, err
	}
	var req struct {
		OrderID json.RawMessage `json:"order_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	raw := string(bytes.TrimSpace(req.OrderID))
	if raw == "" || raw == "null" {
		return nil, errShopBadParameter.with("order_id missing")
	}
	if _, err := strconv.ParseUint(raw, 10, 64); err != nil {
		return nil, errShopBadParameter.with("order_id %s is not a number", raw)
	}
	o, found := s.orders.lookup(srcShop, raw)
	if !found {
		return nil, errShopOrderNotFound.with("order_id %s", raw)
	}
	return shopOrderAnswer{status: statusOK, Order: toShopWire(s.orders.shopOrder(o, requestBase(c.r)))}, nil
}
