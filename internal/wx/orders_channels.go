package wx

import (
	"context"
	"fmt"
	"time"
)

// Limits of /channels/ec/order/list/get.
const (
	ChannelsOrderListMaxRange    = 7 * 24 * time.Hour // between start_time and end_time of a range
	ChannelsOrderListMaxPageSize = 100
)

// Codes of /channels/ec/order/list/get that a caller acts on.
const (
	CodeChannelsTooManyOrders = 31042  // narrow the time range
	CodeChannelsBadNextKey    = 606006 // next_key does not match the rest of the request: start again
)

// Codes of /channels/ec/order/delivery/send that a caller acts on. WeChat's delivery_send.html lists none;
// these are the codes WeChat answers there, as the mini-shop's delivery/send page lists them (109000 发货失败,
// 109001 已经发货, beside 108009 订单在售后中) and as merchants report them on developers.weixin.qq.com's
// community: 101100 with errmsg "订单状态错误,不允许执行此操作" for an order not in a state to ship; 109000 for a
// product the order does not hold or the same courier and tracking number twice; 109002 for an empty
// delivery_list, a parcel without courier or tracking number, or without its products.
const (
	// CodeChannelsOrderState is 101100: the order's state does not allow shipping (not paid, cancelled,
	// in an after-sale). Final: sending it again changes nothing; read the order back.
	CodeChannelsOrderState = 101100
	// CodeChannelsShipFailed is 109000 发货失败: WeChat refused what the parcels hold. Final for the request.
	CodeChannelsShipFailed = 109000
	// CodeChannelsShipped is 109001 已经发货: the order has left already. Final; read the order back.
	CodeChannelsShipped = 109001
	// CodeChannelsShipIncomplete is 109002: the shipping information is incomplete. Final for the request.
	CodeChannelsShipIncomplete = 109002
	// CodeOrderInAftersale is 108009 订单在售后中,不允许发货&确认收货 (the mini-shop's delivery/send).
	CodeOrderInAftersale = 108009
)

func init() {
	for code, m := range map[int]meaning{
		CodeChannelsOrderState: {
			"订单状态错误，不允许发货（订单可能未付款、已取消、已发货或正在售后）。请同步订单查看最新状态；不要重复发送。",
			"The order's state does not allow shipping (it may be unpaid, cancelled, shipped already or in an after-sale). Sync the order to see its state; do not send it again.",
		},
		CodeChannelsShipFailed: {
			"发货失败：微信不接受这些包裹的内容（例如订单里没有这个商品或规格、件数超过待发数量，或同一快递和单号填了两次）。请核对订单的商品、件数和运单号，改正后再发。",
			"Shipping failed: WeChat does not accept what the parcels hold (a product or SKU the order does not have, more pieces than are left to ship, or the same courier and tracking number twice). Check the order's products, counts and tracking numbers, correct them and ship again.",
		},
		CodeChannelsShipped: {
			"该订单已经发货，无需再发。请同步订单查看物流信息；如需改运单号，请在微信小店后台修改物流信息。",
			"This order has been shipped already; there is nothing to send. Sync the order to see its parcels; to change a tracking number, edit the logistics in the WeChat shop's back office.",
		},
		CodeChannelsShipIncomplete: {
			"发货信息不完整：缺少包裹、快递公司、运单号或包裹中的商品。请补全后再发。",
			"The shipping information is incomplete: a parcel, its courier, its tracking number or the products it holds is missing. Complete it and ship again.",
		},
		CodeOrderInAftersale: {
			"订单正在售后中，暂时不能发货或确认收货。请先在售后页面处理完售后，再发货。",
			"The order is in an after-sale and cannot be shipped or confirmed for now. Settle the after-sale first, then ship.",
		},
	} {
		codeMeanings[code] = m
	}
}

// ChannelsOrderListRequest is the body of /channels/ec/order/list/get. At least one of the two ranges is
// needed. The document's table marks both ranges 必填 but says at least one; and its rows for page_size and
// next_key are shifted by one column: page_size (每页数量, at most 100) is the one to send every time, next_key
// (from the previous page's answer) only after the first page.
type ChannelsOrderListRequest struct {
	CreateTimeRange *TimeRange `json:"create_time_range,omitempty"`
	UpdateTimeRange *TimeRange `json:"update_time_range,omitempty"`
	// Status is one of 10, 20, 21, 30, 100, 250 (the values of ShopOrder.Status); nil: every status.
	Status   *int   `json:"status,omitempty"`
	OpenID   string `json:"openid,omitempty"` // the buyer
	PageSize int    `json:"page_size"`        // 1 to ChannelsOrderListMaxPageSize
	NextKey  string `json:"next_key,omitempty"`
}

// TimeRange is a range of seconds since 1970, at most ChannelsOrderListMaxRange long.
type TimeRange struct {
	StartTime int64 `json:"start_time"`
	EndTime   int64 `json:"end_time"`
}

// ChannelsOrderListAnswer is one page of order ids. Ask again with NextKey while HasMore is true.
type ChannelsOrderListAnswer struct {
	OrderIDList []ID   `json:"order_id_list"`
	NextKey     string `json:"next_key"`
	HasMore     bool   `json:"has_more"`
}

// channelsListStatuses are the order statuses the list document enumerates.
var channelsListStatuses = map[int]bool{
	ShopOrderToPay: true, ShopOrderToShip: true, ShopOrderPartlyShipped: true, ShopOrderToReceive: true,
	ShopOrderDone: true, ShopOrderCancelledUnpaid: true,
}

// ChannelsOrderIDs returns one page of the ids of the Channels store's orders that req selects.
func (c *Client) ChannelsOrderIDs(ctx context.Context, req ChannelsOrderListRequest) (*ChannelsOrderListAnswer, error) {
	const path = "/channels/ec/order/list/get"
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("wx: %s: %w", path, err)
	}
	var ans ChannelsOrderListAnswer
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// validate refuses what WeChat could only refuse.
func (r ChannelsOrderListRequest) validate() error {
	if r.CreateTimeRange == nil && r.UpdateTimeRange == nil {
		return fmt.Errorf("neither create_time_range nor update_time_range given")
	}
	for _, rg := range []struct {
		name string
		tr   *TimeRange
	}{{"create_time_range", r.CreateTimeRange}, {"update_time_range", r.UpdateTimeRange}} {
		name, tr := rg.name, rg.tr
		if tr == nil {
			continue
		}
		if tr.StartTime < 0 || tr.EndTime < tr.StartTime {
			return fmt.Errorf("%s: start_time %d, end_time %d is not a range", name, tr.StartTime, tr.EndTime)
		}
		if time.Duration(tr.EndTime-tr.StartTime)*time.Second > ChannelsOrderListMaxRange {
			return fmt.Errorf("%s spans more than 7 days", name)
		}
	}
	if r.Status != nil && !channelsListStatuses[*r.Status] {
		return fmt.Errorf("status %d is not 10, 20, 21, 30, 100 or 250", *r.Status)
	}
	if r.PageSize < 1 || r.PageSize > ChannelsOrderListMaxPageSize {
		return fmt.Errorf("page_size %d is not between 1 and %d", r.PageSize, ChannelsOrderListMaxPageSize)
	}
	return nil
}

// ChannelsOrder returns one order of the Channels store. No document in shared/api specifies this call; its
// answer is shaped like the mini-shop order (public SDKs show ids as strings and times as seconds), which
// ShopOrder decodes either way. Fields only the Channels answer has are not decoded.
func (c *Client) ChannelsOrder(ctx context.Context, orderID string) (*ShopOrder, error) {
	const path = "/channels/ec/order/get"
	if orderID == "" {
		return nil, errNoOrderID(path)
	}
	return getOrder(ctx, c, path, orderIDRequest{orderID})
}

// Values of ChannelsDelivery.DeliverType (delivery_send.html, DeliveryInfo; WxJava's DeliveryType and SKIT
// record the same numbers).
const (
	// ChannelsDeliverSelf is deliver_type 1: the merchant hands the parcel to a courier (自寄快递).
	ChannelsDeliverSelf = 1
	// ChannelsDeliverVirtual is deliver_type 3: virtual goods, shipped without logistics (虚拟商品无需物流发货),
	// with neither courier nor tracking number. Only an order whose delivery_info.deliver_method is 1
	// (DeliverMethodVirtual) may use it; WeChat refuses it for any other order.
	ChannelsDeliverVirtual = 3
)

// ChannelsDelivery is one parcel of an order: the courier (DeliveryID), its tracking number and what it holds.
// A virtual shipment (DeliverType ChannelsDeliverVirtual) has no courier and no tracking number, and the
// document's example of one sends neither field.
type ChannelsDelivery struct {
	DeliveryID   string                    `json:"delivery_id,omitempty"`
	WaybillID    string                    `json:"waybill_id,omitempty"`
	DeliverType  int                       `json:"deliver_type"` // 0 is sent as ChannelsDeliverSelf
	ProductInfos []ChannelsDeliveryProduct `json:"product_infos"`
}

// ChannelsDeliveryProduct is how many of one SKU a parcel holds.
type ChannelsDeliveryProduct struct {
	ProductID  string `json:"product_id"`
	SKUID      string `json:"sku_id"`
	ProductCnt int    `json:"product_cnt"`
}

// SendChannelsDelivery ships the order in parcels (one or more). It is a write: a lost answer is not retried.
func (c *Client) SendChannelsDelivery(ctx context.Context, orderID string, parcels []ChannelsDelivery) error {
	const path = "/channels/ec/order/delivery/send"
	if orderID == "" {
		return errNoOrderID(path)
	}
	if len(parcels) == 0 {
		return fmt.Errorf("wx: %s: no parcel", path)
	}
	list := make([]ChannelsDelivery, len(parcels))
	for i, p := range parcels {
		if p.DeliverType == 0 {
			p.DeliverType = ChannelsDeliverSelf
		}
		switch p.DeliverType {
		case ChannelsDeliverSelf:
			if p.DeliveryID == "" || p.WaybillID == "" {
				return fmt.Errorf("wx: %s: parcel %d: empty courier or tracking number", path, i+1)
			}
		case ChannelsDeliverVirtual:
			if p.DeliveryID != "" || p.WaybillID != "" {
				return fmt.Errorf("wx: %s: parcel %d: a virtual shipment has no courier or tracking number", path, i+1)
			}
		default:
			return fmt.Errorf("wx: %s: parcel %d: deliver_type %d is neither 1 nor 3", path, i+1, p.DeliverType)
		}
		if len(p.ProductInfos) == 0 {
			return fmt.Errorf("wx: %s: parcel %d holds no product", path, i+1)
		}
		for _, item := range p.ProductInfos {
			if item.ProductID == "" || item.ProductCnt < 1 {
				return fmt.Errorf("wx: %s: parcel %d: product %q, count %d", path, i+1, item.ProductID, item.ProductCnt)
			}
		}
		list[i] = p
	}
	req := struct {
		OrderID      string             `json:"order_id"`
		DeliveryList []ChannelsDelivery `json:"delivery_list"`
	}{orderID, list}
	return c.PostWrite(ctx, path, req, nil)
}
