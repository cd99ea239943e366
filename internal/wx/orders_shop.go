package wx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ShopOrder is the Order structure of the mini-shop's POST /product/order/get (shop-order-get.md). The Channels
// store's /channels/ec/order/get answers an order of the same shape, so ChannelsOrder returns it too; the
// field types that differ between the two (ids as numbers or strings, times as text or seconds, deliver_type
// as text or a number) are decoded by ID, Timestamp and DeliverType whichever way they come.
type ShopOrder struct {
	OrderID         ID                  `json:"order_id"` // a number on the wire, often above 2^53
	Status          int                 `json:"status"`   // ShopOrderToPay and friends
	CreateTime      Timestamp           `json:"create_time"`
	UpdateTime      Timestamp           `json:"update_time"`
	OrderDetail     ShopOrderDetail     `json:"order_detail"`
	AftersaleDetail ShopAftersaleDetail `json:"aftersale_detail"`
	OpenID          string              `json:"openid"`
	ExtInfo         ShopOrderExtInfo    `json:"ext_info"`
	OrderType       int                 `json:"order_type"` // ShopOrderTypeOrdinary and friends

	// Raw is the order exactly as WeChat answered it (the answer's "order" object), fields the struct does
	// not know included; Warnings lists the fields that did not have the expected shape and are only in Raw.
	Raw      json.RawMessage `json:"-"`
	Warnings []FieldWarning  `json:"-"`
}

// Notes returns the buyer's and the merchant's notes. The Channels store puts them in order_detail.ext_info,
// the mini-shop at order level; the one that has them wins.
func (o *ShopOrder) Notes() (customer, merchant string) {
	customer = firstText(o.OrderDetail.ExtInfo.CustomerNotes, o.ExtInfo.CustomerNotes)
	merchant = firstText(o.OrderDetail.ExtInfo.MerchantNotes, o.ExtInfo.MerchantNotes)
	return customer, merchant
}

func firstText(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// CodeOrderNotFound is /product/order/get's answer for an order id it does not know.
const CodeOrderNotFound = 100002

// Values of ShopOrder.Status (OrderStatus). The Channels order list uses 10, 20, 21, 30, 100 and 250 with the
// same meanings, except that there 20 and 30 include partly shipped orders and 250 covers every cancellation.
const (
	ShopOrderToPay              = 10  // 待付款
	ShopOrderGroupWaiting       = 15  // paid, waiting for the group purchase to fill
	ShopOrderWaitingAccept      = 16  // paid, waiting for the merchant to take it (same-city delivery, pick-up)
	ShopOrderWaitingVerify      = 17  // paid, waiting to be written off (coupon orders)
	ShopOrderToShip             = 20  // 待发货
	ShopOrderPartlyShipped      = 21  // 部分发货
	ShopOrderToReceive          = 30  // 待收货
	ShopOrderDone               = 100 // 完成
	ShopOrderCancelledRefunded  = 181 // cancelled automatically and refunded (coupon, group purchase...)
	ShopOrderCancelledOversold  = 190 // cancelled by the merchant because the product was oversold
	ShopOrderCancelledAftersale = 200 // cancelled after every product went through after-sale
	ShopOrderCancelledUnpaid    = 250 // cancelled by the buyer before paying, or unpaid until it timed out
)

// Values of ShopOrder.OrderType (OrderType).
const (
	ShopOrderTypeOrdinary        = 0  // 普通订单
	ShopOrderTypePickup          = 1  // self pick-up
	ShopOrderTypePaymentCode     = 2  // paid with a payment code
	ShopOrderTypeGroup           = 3  // group purchase
	ShopOrderTypeCoupon          = 4  // a coupon to be written off
	ShopOrderTypeSameCity        = 5  // same-city delivery
	ShopOrderTypeGroupCoupon     = 6  // group purchase of a coupon
	ShopOrderTypeCannotBeShipped = 99 // the document: "shipping orders cannot be carried out, etc."
)

// ShopOrderDetail is OrderDetail.
type ShopOrderDetail struct {
	ProductInfos   []ShopOrderProduct   `json:"product_infos"`
	PriceInfo      ShopOrderPrice       `json:"price_info"`
	PayInfo        ShopOrderPayment     `json:"pay_info"`
	DeliveryInfo   ShopOrderDelivery    `json:"delivery_info"`
	CouponInfo     ShopOrderCoupon      `json:"coupon_info"`
	CouponCodeInfo *ShopOrderCouponCode `json:"couponcode_info,omitempty"` // only for coupon orders
	// ExtInfo holds the notes in Channels answers (customer_notes, merchant_notes); the mini-shop has them
	// in ShopOrder.ExtInfo. See ShopOrder.Notes.
	ExtInfo ShopOrderExtInfo `json:"ext_info"`
}

// ShopOrderProduct is ProductInfo: one SKU of the order.
type ShopOrderProduct struct {
	ProductID             ID             `json:"product_id"`
	OutProductID          string         `json:"out_product_id,omitempty"`
	SKUID                 ID             `json:"sku_id"`
	OutSKUID              string         `json:"out_sku_id,omitempty"`
	ThumbImg              string         `json:"thumb_img"`
	SKUCnt                int            `json:"sku_cnt"`
	SalePrice             int            `json:"sale_price"` // fen
	Title                 string         `json:"title"`
	SKUAttrs              []OrderSKUAttr `json:"sku_attrs"`
	OnAftersaleSKUCnt     int            `json:"on_aftersale_sku_cnt"`     // in after-sale or refund now
	FinishAftersaleSKUCnt int            `json:"finish_aftersale_sku_cnt"` // after-sale or refund done
	SKUCode               string         `json:"sku_code,omitempty"`
	MarketPrice           int            `json:"market_price"` // fen
}

// OrderSKUAttr is AttrInfo: one attribute of the SKU bought, say 选择颜色: 红蓝主机.
type OrderSKUAttr struct {
	AttrKey   string `json:"attr_key"`
	AttrValue string `json:"attr_value"`
}

// ShopOrderPrice is PriceInfo. Every amount is in fen.
type ShopOrderPrice struct {
	ProductPrice         int  `json:"product_price"`
	OrderPrice           int  `json:"order_price"`
	Freight              int  `json:"freight"`
	DiscountedPrice      int  `json:"discounted_price"`
	IsDiscounted         bool `json:"is_discounted"`
	OriginalOrderPrice   int  `json:"original_order_price"`
	EstimateProductPrice int  `json:"estimate_product_price"`
	ChangeDownPrice      int  `json:"change_down_price"`
	ChangeFreight        int  `json:"change_freight"`
	IsChangeFreight      bool `json:"is_change_freight"`
	BuyerInsurancePrice  int  `json:"buyer_insurance_price"` // freight insurance the buyer paid
}

// ShopOrderPayment is PayInfo.
type ShopOrderPayment struct {
	PayMethod     string    `json:"pay_method"` // "微信支付", the only one
	PrepayID      string    `json:"prepay_id"`
	TransactionID string    `json:"transaction_id"`
	PrepayTime    Timestamp `json:"prepay_time"`
	PayTime       Timestamp `json:"pay_time"`
	// PaymentMethod is the Channels store's payment_method (PaymentWeChatPay and friends); 0 when absent.
	PaymentMethod int `json:"payment_method,omitempty"`
}

// Values of ShopOrderPayment.PaymentMethod in Channels answers.
const (
	PaymentWeChatPay   = 1 // 微信支付
	PaymentPayLater    = 2 // 先用后付
	PaymentPrizeFree   = 3 // 抽奖商品 0 元订单
	PaymentPointsSwaps = 4 // 会员积分兑换
)

// ShopOrderDelivery is DeliveryInfo: where the order goes and the parcels it went out in.
type ShopOrderDelivery struct {
	AddressInfo    OrderAddress `json:"address_info"`
	DeliveryMethod string       `json:"delivery_method"` // "快递", the only one
	ExpressFee     ExpressFees  `json:"express_fee"`
	// DeliveryProductInfo lists the parcels shipped so far, each with the products it holds. Some real
	// answers give a single parcel as an object instead of a list of one; OrderParcels takes both.
	DeliveryProductInfo OrderParcels   `json:"delivery_product_info"`
	ShipDoneTime        Timestamp      `json:"ship_done_time"`
	InsuranceInfo       OrderInsurance `json:"insurance_info"`
	DeliverType         DeliverType    `json:"deliver_type"`
	OfflineDeliveryTime Timestamp      `json:"offline_delivery_time"`
	OfflinePickupTime   Timestamp      `json:"offline_pickup_time"`
	PickupAddress       *OrderAddress  `json:"pickup_address,omitempty"` // for self pick-up
	// DeliverMethod is the Channels store's deliver_method: DeliverMethodExpress, or DeliverMethodVirtual for
	// virtual goods, which need no courier.
	DeliverMethod int `json:"deliver_method,omitempty"`
}

// Values of ShopOrderDelivery.DeliverMethod.
const (
	DeliverMethodExpress = 0 // 普通物流
	DeliverMethodVirtual = 1 // 虚拟发货: nothing to hand to a courier
)

// OrderAddress is AddressInfo.
type OrderAddress struct {
	UserName     string `json:"user_name"`
	PostalCode   string `json:"postal_code"`
	ProvinceName string `json:"province_name"`
	CityName     string `json:"city_name"`
	CountyName   string `json:"county_name"`
	DetailInfo   string `json:"detail_info"`
	NationalCode string `json:"national_code"`
	TelNumber    string `json:"tel_number"`
	HouseNumber  string `json:"house_number,omitempty"`
	// VirtualOrderTelNumber is the buyer's contact number of a Channels order of virtual goods (deliver_method
	// 1), which has no address to ship to (虚拟发货订单联系方式, WxJava's OrderAddressInfo).
	VirtualOrderTelNumber string `json:"virtual_order_tel_number,omitempty"`
}

// DeliveryExpressFee is DeliveryExpressFee.
type DeliveryExpressFee struct {
	ShippingMethod string `json:"shipping_method"` // ShippingMethodExpress and friends
}

// Values of DeliveryExpressFee.ShippingMethod (ShippingMethod).
const (
	ShippingMethodExpress  = "ShippingMethod_Express"  // courier
	ShippingMethodSameCity = "ShippingMethod_SameCity" // same-city delivery
	ShippingMethodPickup   = "ShippingMethod_Pickup"   // the buyer picks it up
)

// ExpressFees is express_fee. The document's table calls it an object DeliveryExpressFee but its example sends
// an array of them; both are accepted, an object as a list of one.
type ExpressFees []DeliveryExpressFee

// UnmarshalJSON accepts an array of DeliveryExpressFee or a single one.
func (f *ExpressFees) UnmarshalJSON(data []byte) error {
	return oneOrMany(data, (*[]DeliveryExpressFee)(f))
}

// OrderParcels is delivery_product_info: a list of parcels, or one parcel given as an object.
type OrderParcels []OrderParcel

// UnmarshalJSON accepts an array of parcels or a single one.
func (p *OrderParcels) UnmarshalJSON(data []byte) error {
	return oneOrMany(data, (*[]OrderParcel)(p))
}

// oneOrMany decodes an array into list, or a single object as a list of one; null leaves list as it was.
func oneOrMany[T any](data []byte, list *[]T) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '{':
		var one T
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*list = []T{one}
		return nil
	}
	var many []T
	if err := json.Unmarshal(data, &many); err != nil {
		return err
	}
	*list = many
	return nil
}

// OrderParcel is DeliveryProductInfo: one parcel.
type OrderParcel struct {
	WaybillID       string            `json:"waybill_id"`  // tracking number
	DeliveryID      string            `json:"delivery_id"` // courier company code
	DeliveryName    string            `json:"delivery_name,omitempty"`
	ProductInfos    []OrderParcelItem `json:"product_infos"`
	DeliveryTime    Timestamp         `json:"delivery_time"`
	DeliverType     DeliverType       `json:"deliver_type"`
	DeliveryAddress OrderAddress      `json:"delivery_address"`
}

// OrderParcelItem is FreightProductInfo: how many of one SKU a parcel holds.
type OrderParcelItem struct {
	ProductID  ID  `json:"product_id"`
	SKUID      ID  `json:"sku_id"`
	ProductCnt int `json:"product_cnt"`
}

// OrderInsurance is InsuranceInfo: freight insurance.
type OrderInsurance struct {
	Type           string `json:"type"`            // InsuranceNone and friends
	InsurancePrice int    `json:"insurance_price"` // fen
}

// Values of OrderInsurance.Type (InsuranceType).
const (
	InsuranceNone   = "InsuranceSourceType_None"
	InsuranceBuyer  = "InsuranceSourceType_Buyer"  // bought by the buyer
	InsuranceSeller = "InsuranceSourceType_Seller" // provided by the seller
)

// DeliverType is deliver_type. The mini-shop sends a name (DeliverTypeOptionalExpress...); the Channels store
// sends a number, which is kept as its digits ("1"), as ID keeps a numeric id.
type DeliverType string

// Values of DeliverType in the mini-shop (DeliveryType).
const (
	DeliverTypeOptionalExpress DeliverType = "DELIVERY_TYPE_OPTIONAL_EXPRESS" // the merchant sends it with a courier
	DeliverTypeOrderOnline     DeliverType = "DELIVERY_TYPE_ORDER_ONLINE"     // a courier ordered online
	DeliverTypeNoExpress       DeliverType = "DELIVERY_TYPE_NO_EXPRESS"       // nothing to ship
)

// UnmarshalJSON accepts a string or an integer number.
func (d *DeliverType) UnmarshalJSON(data []byte) error {
	var id ID
	if err := id.UnmarshalJSON(data); err != nil {
		return fmt.Errorf("wx: deliver_type %s is neither a string nor an integer", data)
	}
	if string(data) != "null" {
		*d = DeliverType(id)
	}
	return nil
}

// ShopOrderCoupon is CouponInfo.
type ShopOrderCoupon struct {
	CouponID []ID `json:"coupon_id,omitempty"`
	// UserCouponID is the Channels store's user_coupon_id: the buyer's own coupon.
	UserCouponID ID `json:"user_coupon_id,omitempty"`
}

// ShopOrderCouponCode is CouponCodeInfo, the voucher of a coupon order.
type ShopOrderCouponCode struct {
	StartTime        Timestamp `json:"start_time"`
	EndTime          Timestamp `json:"end_time"`
	VerifyType       int       `json:"verify_type"` // 0 any day, 1 not on holidays
	PhoneNumber      string    `json:"phone_number"`
	VerifierNickname string    `json:"verifier_nickname,omitempty"` // once written off
	VerifyTime       Timestamp `json:"verify_time,omitempty"`       // once written off
}

// ShopAftersaleDetail is AfterSaleDetail.
type ShopAftersaleDetail struct {
	OnAftersaleOrderCnt int                  `json:"on_aftersale_order_cnt"`
	AftersaleOrderList  []ShopAftersaleOrder `json:"aftersale_order_list"`
}

// ShopAftersaleOrder is AfterSaleOrderInfo. The document refers to an AfterSaleStatus enumeration for Status
// without listing it.
type ShopAftersaleOrder struct {
	AftersaleOrderID ID  `json:"aftersale_order_id"`
	Status           int `json:"status"`
}

// ShopOrderExtInfo is ExtInfo: the notes on the order.
type ShopOrderExtInfo struct {
	CustomerNotes string `json:"customer_notes"`
	MerchantNotes string `json:"merchant_notes"`
}

// ShopOrder returns one mini-shop order. orderID is the decimal order number; it is sent as a JSON number,
// digit for digit, as the document types it.
func (c *Client) ShopOrder(ctx context.Context, orderID string) (*ShopOrder, error) {
	const path = "/product/order/get"
	if orderID == "" {
		return nil, errNoOrderID(path)
	}
	// A JSON number must be digits; anything else would be sent as broken JSON or refused by WeChat.
	if _, err := strconv.ParseUint(orderID, 10, 64); err != nil {
		return nil, fmt.Errorf("wx: %s: order id %q is not a number", path, orderID)
	}
	req := struct {
		OrderID json.Number `json:"order_id"`
	}{json.Number(orderID)}
	return getOrder(ctx, c, path, req)
}

// getOrder asks path for the order that req names.
func getOrder(ctx context.Context, c *Client, path string, req any) (*ShopOrder, error) {
	raw, err := c.readOrder(ctx, path, req)
	if err != nil {
		return nil, err
	}
	o := &ShopOrder{}
	o.Warnings = c.decodeOrder(ctx, path, raw, o)
	o.Raw = raw
	return o, nil
}

// readOrder asks path for an order and returns the answer's "order" object as WeChat sent it.
func (c *Client) readOrder(ctx context.Context, path string, req any) (json.RawMessage, error) {
	var ans struct {
		Order json.RawMessage `json:"order"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	if len(ans.Order) == 0 || string(ans.Order) == "null" {
		return nil, fmt.Errorf("wx: %s: answer has no order", path)
	}
	if ans.Order[0] != '{' {
		return nil, fmt.Errorf("wx: %s: the answer's order is not an object", path)
	}
	return ans.Order, nil
}

// decodeOrder decodes one order leniently (decodeLenient) and logs every field it had to leave out.
func (c *Client) decodeOrder(ctx context.Context, path string, raw []byte, v any) []FieldWarning {
	warnings := decodeLenient(raw, v, "order")
	for _, w := range warnings {
		c.log.WarnContext(ctx, "wx: a field of the answer has an unexpected shape; the order is kept, the field only in its raw JSON",
			"path", path, "field", w.Path, "err", w.Err)
	}
	return warnings
}

// Timestamp is a moment in seconds since 1970. The order documents write times three ways: a number of
// seconds, the same number as a string ("1620738080"), and Beijing time as text ("2020-03-25 13:05:25");
// Timestamp accepts all three and marshals as a number. An empty string is 0.
type Timestamp int64

// beijing is China Standard Time; China has kept UTC+8 without daylight saving since 1991.
var beijing = time.FixedZone("CST", 8*60*60)

const beijingLayout = "2006-01-02 15:04:05"

// UnmarshalJSON accepts an integer, a string of digits or "yyyy-MM-dd HH:mm:ss" in Beijing time; null leaves
// the Timestamp as it was.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	s := string(bytes.TrimSpace(data))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*t = 0
			return nil
		}
		if s[0] < '0' || s[0] > '9' || strings.ContainsAny(s, "- :") {
			when, err := time.ParseInLocation(beijingLayout, s, beijing)
			if err != nil {
				return fmt.Errorf("wx: time %q is neither seconds nor yyyy-MM-dd HH:mm:ss", s)
			}
			*t = Timestamp(when.Unix())
			return nil
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("wx: time %s is neither seconds nor yyyy-MM-dd HH:mm:ss", data)
	}
	*t = Timestamp(n)
	return nil
}

// Time returns the moment, or the zero time.Time for 0 (a time the answer did not give).
func (t Timestamp) Time() time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.Unix(int64(t), 0)
}
