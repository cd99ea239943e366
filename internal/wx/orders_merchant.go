package wx

import (
	"context"
	"fmt"
)

// MerchantOrder is one order of the merchant manual (section 6): the order of merchant/order/getbyid and an
// item of merchant/order/getbyfilter. An order holds exactly one product (in ProductCount pieces). The fields
// are those of the manual's example, nothing more: V1.13 has no receiver_zone, need_delivery or is_others.
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
	// DeliveryID is the tracking number (运单ID) and DeliveryCompany the courier's id in MerchantCouriers,
	// as set by SetMerchantDelivery.
	DeliveryID      string `json:"delivery_id"`
	DeliveryCompany string `json:"delivery_company"`
	TransID         string `json:"trans_id"` // the WeChat Pay transaction
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
	var ans struct {
		Order *MerchantOrder `json:"order"`
	}
	if err := c.PostRead(ctx, path, orderIDRequest{orderID}, &ans); err != nil {
		return nil, err
	}
	if ans.Order == nil {
		return nil, fmt.Errorf("wx: %s: answer has no order", path)
	}
	return ans.Order, nil
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
		OrderList []MerchantOrder `json:"order_list"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return ans.OrderList, nil
}

// SetMerchantDelivery records that the order has been shipped with the courier company (an id of
// MerchantCouriers) under tracking number trackNo. V1.13 takes exactly these three fields; later editions of
// the manual added need_delivery and is_others, which this edition does not have, so they are not sent.
func (c *Client) SetMerchantDelivery(ctx context.Context, orderID, company, trackNo string) error {
	const path = "/merchant/order/setdelivery"
	if orderID == "" {
		return errNoOrderID(path)
	}
	if company == "" {
		return fmt.Errorf("wx: %s: empty delivery company", path)
	}
	if trackNo == "" {
		return fmt.Errorf("wx: %s: empty tracking number", path)
	}
	req := struct {
		OrderID         string `json:"order_id"`
		DeliveryCompany string `json:"delivery_company"`
		DeliveryTrackNo string `json:"delivery_track_no"`
	}{orderID, company, trackNo}
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
