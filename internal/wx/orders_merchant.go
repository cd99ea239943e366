package wx

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// MerchantOrder is one order of the merchant manual (section 6): the order of merchant/order/getbyid and an
// item of merchant/order/getbyfilter. In the V1.13 manual an order holds exactly one product (in
// ProductCount pieces), flat in the order; the manual's later online edition, which the SDKs follow, adds
// receiver_zone (the district) and products[] (several products in one order). Lines reads either form.
type MerchantOrder struct {
	OrderID           string `json:"order_id"`
	OrderStatus       int    `json:"order_status"`        // MerchantOrderToShip and friends; see there for 6
	OrderTotalPrice   int    `json:"order_total_price"`   // fen
	OrderCreateTime   int64  `json:"order_create_time"`   // seconds since 1970
	OrderExpressPrice int    `json:"order_express_price"` // fen
	BuyerOpenID       string `json:"buyer_openid"`
	BuyerNick         string `json:"buyer_nick"`
	ReceiverName      string `json:"receiver_name"`
	ReceiverProvince  string `json:"receiver_province"`
	ReceiverCity      string `json:"receiver_city"`
	ReceiverZone      string `json:"receiver_zone,omitempty"` // the district; later editions only
	ReceiverAddress   string `json:"receiver_address"`
	ReceiverMobile    string `json:"receiver_mobile"`
	ReceiverPhone     string `json:"receiver_phone"` // landline
	ProductID         string `json:"product_id"`
	ProductName       string `json:"product_name"`
	ProductPrice      int    `json:"product_price"` // fen
	// ProductSKU is the sku_id the buyer chose, "id1:vid1;id2:vid2" (see ParseSKUInfo).
	ProductSKU   string `json:"product_sku"`
	ProductCount int    `json:"product_count"`
	ProductImg   string `json:"product_img"`
	// Products lists the order's products in the later editions; empty in V1.13's form.
	Products []MerchantOrderProduct `json:"products,omitempty"`
	// DeliveryID is the tracking number (运单ID) and DeliveryCompany the courier's id in MerchantCouriers,
	// as set by SetMerchantDelivery.
	DeliveryID      string `json:"delivery_id"`
	DeliveryCompany string `json:"delivery_company"`
	TransID         string `json:"trans_id"` // the WeChat Pay transaction

	// Raw is the order as WeChat answered it; Warnings the fields of an unexpected shape, only in Raw.
	Raw      json.RawMessage `json:"-"`
	Warnings []FieldWarning  `json:"-"`
}

// MerchantOrderProduct is one product of an order: an item of products[], or the flat product of V1.13.
type MerchantOrderProduct struct {
	ProductID    string `json:"product_id"`
	ProductName  string `json:"product_name"`
	ProductPrice int    `json:"product_price"` // fen, one piece
	ProductSKU   string `json:"product_sku"`
	ProductCount int    `json:"product_count"`
	ProductImg   string `json:"product_img"`
}

// Lines returns the order's products: products[] when the answer has it, else the flat single product.
func (o *MerchantOrder) Lines() []MerchantOrderProduct {
	if len(o.Products) > 0 {
		return o.Products
	}
	if o.ProductID == "" && o.ProductName == "" && o.ProductCount == 0 {
		return nil
	}
	return []MerchantOrderProduct{{ProductID: o.ProductID, ProductName: o.ProductName, ProductPrice: o.ProductPrice,
		ProductSKU: o.ProductSKU, ProductCount: o.ProductCount, ProductImg: o.ProductImg}}
}

// Order statuses of the merchant manual: the values merchant/order/getbyfilter filters on. The manual's own
// examples also answer order_status 6, which it never explains; the app must show unknown statuses as they are.
const (
	MerchantOrderToShip    = 2 // 待发货: paid, waiting to be shipped
	MerchantOrderShipped   = 3 // 已发货
	MerchantOrderDone      = 5 // 已完成
	MerchantOrderInDispute = 8 // 维权中: the buyer has raised a dispute
)

// MerchantOrderFilter selects orders for MerchantOrders. A nil Status means every status and a zero time means
// no bound on that side; absent criteria are left out of the request, as the manual asks.
type MerchantOrderFilter struct {
	Status    *int  // MerchantOrderToShip, MerchantOrderShipped, MerchantOrderDone or MerchantOrderInDispute
	BeginTime int64 // order_create_time from, seconds since 1970
	EndTime   int64 // order_create_time to, seconds since 1970
}

// Courier is a courier company that merchant/order/setdelivery accepts.
type Courier struct {
	ID   string // what delivery_company takes
	Name string // as the manual names it
}

// merchantCouriers is the manual's 物流公司ID table (6.4.5), in its order.
var merchantCouriers = []Courier{
	{"Fsearch_code", "邮政EMS"},
	{"002shentong", "申通快递"},
	{"066zhongtong", "中通速递"},
	{"056yuantong", "圆通速递"},
	{"042tiantian", "天天快递"},
	{"003shunfeng", "顺丰速运"},
	{"059Yunda", "韵达快运"},
	{"064zhaijisong", "宅急送"},
	{"020huitong", "汇通快运"},
	{"zj001yixun", "易迅快递"},
}

// MerchantCouriers returns the couriers of the manual's table, in its order; the slice is the caller's own.
func MerchantCouriers() []Courier {
	return append([]Courier(nil), merchantCouriers...)
}

// MerchantCourierName returns the name of the courier with this id, false for an id not in the manual.
func MerchantCourierName(id string) (string, bool) {
	for _, c := range merchantCouriers {
		if c.ID == id {
			return c.Name, true
		}
	}
	return "", false
}

// MerchantOrder returns one order.
func (c *Client) MerchantOrder(ctx context.Context, orderID string) (*MerchantOrder, error) {
	const path = "/merchant/order/getbyid"
	if orderID == "" {
		return nil, errNoOrderID(path)
	}
	raw, err := c.readOrder(ctx, path, orderIDRequest{orderID})
	if err != nil {
		return nil, err
	}
	o := &MerchantOrder{}
	o.Warnings = c.decodeOrder(ctx, path, raw, o)
	o.Raw = raw
	return o, nil
}

// MerchantOrders returns the orders that f selects. The manual lists this call as GET with a JSON body; it is
// sent as POST like every other merchant call, since a GET body is not something HTTP promises to carry.
func (c *Client) MerchantOrders(ctx context.Context, f MerchantOrderFilter) ([]MerchantOrder, error) {
	const path = "/merchant/order/getbyfilter"
	if f.Status != nil {
		switch *f.Status {
		case MerchantOrderToShip, MerchantOrderShipped, MerchantOrderDone, MerchantOrderInDispute:
		default:
			return nil, fmt.Errorf("wx: %s: status %d is not 2 (to ship), 3 (shipped), 5 (done) or 8 (in dispute)", path, *f.Status)
		}
	}
	if f.BeginTime < 0 || f.EndTime < 0 {
		return nil, fmt.Errorf("wx: %s: negative time", path)
	}
	if f.BeginTime != 0 && f.EndTime != 0 && f.BeginTime > f.EndTime {
		return nil, fmt.Errorf("wx: %s: begintime %d is after endtime %d", path, f.BeginTime, f.EndTime)
	}
	req := struct {
		Status    *int  `json:"status,omitempty"`
		BeginTime int64 `json:"begintime,omitempty"`
		EndTime   int64 `json:"endtime,omitempty"`
	}{f.Status, f.BeginTime, f.EndTime}
	var ans struct {
		OrderList []json.RawMessage `json:"order_list"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	// Each order on its own: one of an unexpected shape must not cost the others.
	var orders []MerchantOrder
	for _, raw := range ans.OrderList {
		if len(raw) == 0 || raw[0] != '{' {
			c.log.WarnContext(ctx, "wx: an item of order_list is not an order; left out", "path", path, "item", snippet(raw, nil))
			continue
		}
		var o MerchantOrder
		o.Warnings = c.decodeOrder(ctx, path, raw, &o)
		o.Raw = raw
		orders = append(orders, o)
	}
	return orders, nil
}

// SetMerchantDelivery records that the order has been shipped with the courier company (an id of
// MerchantCouriers) under tracking number trackNo: SendMerchantDelivery by courier, with a courier of the
// manual's table.
func (c *Client) SetMerchantDelivery(ctx context.Context, orderID, company, trackNo string) error {
	return c.SendMerchantDelivery(ctx, orderID, MerchantDelivery{Company: company, TrackNo: trackNo})
}

// MerchantDelivery is how a merchant order went out. The V1.13 manual takes delivery_company and
// delivery_track_no only; its later online edition adds need_delivery (0: nothing to ship, virtual goods;
// 1: by courier) and is_others (1: the courier is not one of the manual's codes and delivery_company holds
// its name), which wechatpy, WxJava and SKIT send. They are sent when they say something V1.13 cannot: a
// courier of the table goes out in V1.13's three fields, which the later edition reads as need_delivery 1,
// is_others 0.
type MerchantDelivery struct {
	NoLogistics bool   // need_delivery 0: Company and TrackNo are not sent
	Company     string // an id of MerchantCouriers, or with OtherCourier the courier's name
	TrackNo     string
	// OtherCourier is is_others 1: Company is the name of a courier the manual's table does not have.
	OtherCourier bool
}

// SendMerchantDelivery records that the order went out as d says. It is a write: a lost answer is not
// retried.
func (c *Client) SendMerchantDelivery(ctx context.Context, orderID string, d MerchantDelivery) error {
	const path = "/merchant/order/setdelivery"
	if orderID == "" {
		return errNoOrderID(path)
	}
	req := struct {
		OrderID         string `json:"order_id"`
		DeliveryCompany string `json:"delivery_company,omitempty"`
		DeliveryTrackNo string `json:"delivery_track_no,omitempty"`
		NeedDelivery    *int   `json:"need_delivery,omitempty"`
		IsOthers        *int   `json:"is_others,omitempty"`
	}{OrderID: orderID}
	zero, one := 0, 1
	if d.NoLogistics {
		req.NeedDelivery = &zero
		return c.PostWrite(ctx, path, req, nil)
	}
	company, trackNo := strings.TrimSpace(d.Company), strings.TrimSpace(d.TrackNo)
	if company == "" {
		return fmt.Errorf("wx: %s: empty delivery company", path)
	}
	if trackNo == "" {
		return fmt.Errorf("wx: %s: empty tracking number", path)
	}
	req.DeliveryCompany, req.DeliveryTrackNo = company, trackNo
	if d.OtherCourier {
		req.NeedDelivery, req.IsOthers = &one, &one
	} else if _, known := MerchantCourierName(company); !known {
		return fmt.Errorf("wx: %s: %q is not a courier of the manual's table; send it as another courier (is_others)", path, company)
	}
	return c.PostWrite(ctx, path, req, nil)
}

// CloseMerchantOrder closes the order.
func (c *Client) CloseMerchantOrder(ctx context.Context, orderID string) error {
	const path = "/merchant/order/close"
	if orderID == "" {
		return errNoOrderID(path)
	}
	return c.PostWrite(ctx, path, orderIDRequest{orderID}, nil)
}

type orderIDRequest struct {
	OrderID string `json:"order_id"`
}

// errNoOrderID stops a call that WeChat could only refuse, with a message that says why.
func errNoOrderID(path string) error {
	return fmt.Errorf("wx: %s: empty order id", path)
}
