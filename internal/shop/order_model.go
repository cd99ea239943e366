package shop

import (
	"cmp"
	"encoding/json"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Every order source is turned into the one order model here: a normalised status next to the source's own
// code, the receiver, lines, amounts in fen, parcels and timestamps, and the raw JSON.

// merchantStatus maps the merchant manual's order_status. The manual's own examples answer 6, which it never
// explains; it is read as closed (the only state the manual's order/close leads to), and anything else unknown
// as done, so it neither waits in the shipping queue nor counts as lost revenue.
func merchantStatus(code int) string {
	switch code {
	case wx.MerchantOrderToShip:
		return db.OrderToShip
	case wx.MerchantOrderShipped:
		return db.OrderShipped
	case wx.MerchantOrderDone:
		return db.OrderDone
	case wx.MerchantOrderInDispute:
		return db.OrderAfterSale
	case 6:
		return db.OrderCancelled
	}
	return db.OrderDone
}

// shopStatus maps the mini-shop and Channels OrderStatus; an order with after-sale going on is in after-sale
// whatever its delivery state.
func shopStatus(code int, onAftersale int) string {
	var st string
	switch code {
	case wx.ShopOrderToPay:
		st = db.OrderToPay
	case wx.ShopOrderGroupWaiting, wx.ShopOrderWaitingAccept, wx.ShopOrderWaitingVerify, wx.ShopOrderToShip:
		st = db.OrderToShip
	case wx.ShopOrderPartlyShipped:
		st = db.OrderPartial
	case wx.ShopOrderToReceive:
		st = db.OrderShipped
	case wx.ShopOrderDone:
		st = db.OrderDone
	case wx.ShopOrderCancelledRefunded, wx.ShopOrderCancelledOversold, wx.ShopOrderCancelledAftersale, wx.ShopOrderCancelledUnpaid:
		return db.OrderCancelled
	default:
		st = db.OrderDone
	}
	if onAftersale > 0 && st != db.OrderToPay {
		return db.OrderAfterSale
	}
	return st
}

func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// rawJSON is the order as WeChat answered it, or, for an order made some other way (a test), the struct
// encoded.
func rawJSON(raw []byte, o any) []byte {
	if len(raw) > 0 {
		return raw
	}
	b, _ := json.Marshal(o)
	return b
}

func merchantOrderModel(o wx.MerchantOrder) db.Order {
	created := unixTime(o.OrderCreateTime)
	m := db.Order{
		Source: db.SourceMerchant, OrderID: o.OrderID, Status: merchantStatus(o.OrderStatus), SourceStatus: o.OrderStatus,
		BuyerOpenID: o.BuyerOpenID, BuyerNick: o.BuyerNick,
		ReceiverName: o.ReceiverName, ReceiverPhone: cmp.Or(o.ReceiverMobile, o.ReceiverPhone),
		ReceiverProvince: o.ReceiverProvince, ReceiverCity: o.ReceiverCity, ReceiverDistrict: o.ReceiverZone,
		Address:  o.ReceiverAddress,
		TotalFen: int64(o.OrderTotalPrice), FreightFen: int64(o.OrderExpressPrice),
		// A merchant order exists once it is paid: the push that announces it is the payment.
		CreatedAt: created, PaidAt: created, UpdatedAt: created, Raw: rawJSON(o.Raw, o),
	}
	var items []db.ParcelItem
	for _, p := range o.Lines() {
		total := int64(p.ProductPrice) * int64(p.ProductCount)
		m.ProductFen += total
		m.Lines = append(m.Lines, db.OrderLine{ProductID: p.ProductID, SKUID: p.ProductSKU, Title: p.ProductName,
			Quantity: int64(p.ProductCount), UnitFen: int64(p.ProductPrice), TotalFen: total, Img: p.ProductImg})
		items = append(items, db.ParcelItem{ProductID: p.ProductID, SKUID: p.ProductSKU, Count: int64(p.ProductCount)})
	}
	if o.DeliveryID != "" {
		name, ok := wx.MerchantCourierName(o.DeliveryCompany)
		if !ok {
			name = o.DeliveryCompany
		}
		m.Parcels = []db.Parcel{{CompanyID: o.DeliveryCompany, CompanyName: name, TrackingNo: o.DeliveryID,
			Items: items}}
	}
	return m
}

// shopOrderModel turns a mini-shop or Channels order into the model.
func shopOrderModel(source string, o wx.ShopOrder) db.Order {
	d := o.OrderDetail
	addr := d.DeliveryInfo.AddressInfo
	note, merchantNote := o.Notes()
	m := db.Order{
		Source: source, OrderID: string(o.OrderID), SourceStatus: o.Status,
		Status:      shopStatus(o.Status, o.AftersaleDetail.OnAftersaleOrderCnt),
		BuyerOpenID: o.OpenID, ReceiverName: addr.UserName, ReceiverPhone: cmp.Or(addr.TelNumber, addr.VirtualOrderTelNumber),
		ReceiverProvince: addr.ProvinceName, ReceiverCity: addr.CityName, ReceiverDistrict: addr.CountyName,
		Address:  strings.TrimSpace(addr.DetailInfo + " " + addr.HouseNumber),
		TotalFen: int64(d.PriceInfo.OrderPrice), ProductFen: int64(d.PriceInfo.ProductPrice), FreightFen: int64(d.PriceInfo.Freight),
		DiscountFen: int64(d.PriceInfo.DiscountedPrice),
		CreatedAt:   o.CreateTime.Time(), PaidAt: d.PayInfo.PayTime.Time(), UpdatedAt: o.UpdateTime.Time(),
		ShippedAt: d.DeliveryInfo.ShipDoneTime.Time(), Note: note, MerchantNote: merchantNote, Raw: rawJSON(o.Raw, o),
	}
	for _, p := range d.ProductInfos {
		m.Lines = append(m.Lines, db.OrderLine{ProductID: string(p.ProductID), SKUID: string(p.SKUID), Title: p.Title,
			SKUAttrs: skuAttrs(p.SKUAttrs), Quantity: int64(p.SKUCnt), UnitFen: int64(p.SalePrice),
			TotalFen: int64(p.SalePrice) * int64(p.SKUCnt), Img: p.ThumbImg})
	}
	for _, pc := range d.DeliveryInfo.DeliveryProductInfo {
		var items []db.ParcelItem
		for _, it := range pc.ProductInfos {
			items = append(items, db.ParcelItem{ProductID: string(it.ProductID), SKUID: string(it.SKUID), Count: int64(it.ProductCnt)})
		}
		m.Parcels = append(m.Parcels, db.Parcel{CompanyID: pc.DeliveryID, CompanyName: cmp.Or(pc.DeliveryName, channelsCourierName(pc.DeliveryID)),
			TrackingNo: pc.WaybillID, ShippedAt: pc.DeliveryTime.Time(), Items: items})
	}
	return m
}

// skuAttrs names a line's SKU as the order shows it: "颜色：红色；尺码：M".
func skuAttrs(attrs []wx.OrderSKUAttr) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.AttrKey + "：" + a.AttrValue
	}
	return strings.Join(parts, "；")
}

// partnerOrderModel turns a partner-store order into the model. The document gives such an order no id and no
// times: the id is the one the event named, and the times are when the app learned of it.
func partnerOrderModel(shopAppID, orderID string, o wx.PartnerOrder, seen time.Time) db.Order {
	d := o.OrderDetail
	// An answer without status (the document's own example has none) is unknown: neither done nor to ship.
	code, status := -1, db.OrderUnknown
	if o.Status != nil {
		code = *o.Status
		status = shopStatus(code, 0)
	}
	m := db.Order{
		Source: db.SourcePartner, OrderID: orderID, ShopAppID: shopAppID, SourceStatus: code,
		Status: status, BuyerOpenID: o.OpenID,
		TotalFen: int64(d.PriceInfo.OrderPrice), ProductFen: int64(d.PriceInfo.ProductPrice), FreightFen: int64(d.PriceInfo.Freight),
		DiscountFen: int64(d.PriceInfo.DiscountedPrice), CreatedAt: seen, UpdatedAt: seen, Raw: rawJSON(o.Raw, o),
	}
	if m.Status != db.OrderToPay && m.Status != db.OrderCancelled && m.Status != db.OrderUnknown {
		m.PaidAt = seen
	}
	for _, p := range d.ProductInfos {
		m.Lines = append(m.Lines, db.OrderLine{ProductID: string(p.ProductID), SKUID: string(p.SKUID), Title: p.Title,
			SKUAttrs: skuAttrs(p.SKUAttrs), Quantity: int64(p.SKUCnt), UnitFen: int64(p.SalePrice),
			TotalFen: int64(p.LineTotal()), Img: p.ThumbImg})
	}
	return m
}
