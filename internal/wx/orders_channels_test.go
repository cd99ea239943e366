package wx

// testdata/channels_ec_order_list_get_request.json and channels_ec_order_list_get_answer.json are the examples
// of channels-order-list-get.md (shared/api), copied verbatim; both were valid JSON as given. The order detail
// and delivery calls have no document in shared/api, so their tests use bodies written here in the shapes that
// api/README.md describes.

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestChannelsOrderIDs(t *testing.T) {
	c := exampleClient(t, "/channels/ec/order/list/get", "channels_ec_order_list_get_request", "channels_ec_order_list_get_answer")
	ans, err := c.ChannelsOrderIDs(context.Background(), ChannelsOrderListRequest{
		CreateTimeRange: &TimeRange{StartTime: 1658505600, EndTime: 1658509200},
		PageSize:        10,
		NextKey:         "THE_NEXT_KEY",
	})
	if err != nil {
		t.Fatal(err)
	}
	// The ids are above 2^53 and come as strings: every digit is kept.
	if want := []ID{"3704612354559743232", "3704849110714209536"}; !slices.Equal(ans.OrderIDList, want) {
		t.Errorf("order_id_list = %q", ans.OrderIDList)
	}
	if ans.NextKey != "THE_NEXT_KEY_NEW" || !ans.HasMore {
		t.Errorf("next_key, has_more = %q %v", ans.NextKey, ans.HasMore)
	}
}

// The first page has no next_key and sends none; a window of exactly 7 days is allowed; every criterion given
// is sent.
func TestChannelsOrderIDsFirstPage(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/order/list/get", `{"errcode":0,"errmsg":"ok","order_id_list":[],"next_key":"K1","has_more":false}`)
	ans, err := c.ChannelsOrderIDs(context.Background(), ChannelsOrderListRequest{
		UpdateTimeRange: &TimeRange{StartTime: 1658505600, EndTime: 1658505600 + 7*24*3600},
		Status:          intPtr(ShopOrderToShip),
		OpenID:          "oBUYER",
		PageSize:        ChannelsOrderListMaxPageSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"update_time_range":{"start_time":1658505600,"end_time":1659110400},"status":20,"openid":"oBUYER","page_size":100}`
	assertSameJSON(t, "list body", body(), []byte(want))
	if len(ans.OrderIDList) != 0 || ans.HasMore || ans.NextKey != "K1" {
		t.Errorf("answer = %+v", ans)
	}
}

func TestChannelsOrderIDsRefusesWhatWeChatWould(t *testing.T) {
	c := refusingClient(t)
	week := int64(7 * 24 * 3600)
	start := int64(1658505600)
	for name, req := range map[string]ChannelsOrderListRequest{
		"create range over 7 days": {CreateTimeRange: &TimeRange{start, start + week + 1}, PageSize: 10},
		"update range over 7 days": {CreateTimeRange: &TimeRange{start, start + 3600}, UpdateTimeRange: &TimeRange{start, start + 30*24*3600}, PageSize: 10},
		"no range":                 {PageSize: 10},
		"end before start":         {CreateTimeRange: &TimeRange{start, start - 1}, PageSize: 10},
		"negative start":           {CreateTimeRange: &TimeRange{-10, 0}, PageSize: 10},
		"page size 0":              {CreateTimeRange: &TimeRange{start, start + 3600}},
		"page size 101":            {CreateTimeRange: &TimeRange{start, start + 3600}, PageSize: 101},
		"status 15":                {CreateTimeRange: &TimeRange{start, start + 3600}, PageSize: 10, Status: intPtr(15)},
	} {
		ans, err := c.ChannelsOrderIDs(context.Background(), req)
		if err == nil || ans != nil || !strings.HasPrefix(err.Error(), "wx: /channels/ec/order/list/get: ") {
			t.Errorf("%s: ChannelsOrderIDs = %v, %v; want a local error", name, ans, err)
		}
	}
}

// channelsOrderAnswer is a Channels order in the shape public SDKs show: ids as strings, times in seconds,
// deliver_type as a number, and a few fields the mini-shop order does not have.
const channelsOrderAnswer = `{"errcode":0,"errmsg":"ok","order":{
	"order_id":"3704612354559743232","status":21,"create_time":1658505600,"update_time":1658509200,
	"openid":"oBUYER","unionid":"uBUYER",
	"order_detail":{
		"product_infos":[
			{"product_id":"10000041234567","sku_id":"1380000000001","sku_cnt":2,"sale_price":1500,"market_price":1800,"title":"茶杯","thumb_img":"https://img/cup","real_price":3000,"sku_attrs":[{"attr_key":"颜色","attr_value":"白"}]},
			{"product_id":"10000041234568","sku_id":"1380000000002","sku_cnt":1,"sale_price":900,"title":"杯垫"}],
		"price_info":{"product_price":3900,"order_price":4400,"freight":500},
		"pay_info":{"prepay_id":"wx1","transaction_id":"4200001","prepay_time":1658505610,"pay_time":1658505620},
		"delivery_info":{
			"address_info":{"user_name":"陈先生","province_name":"广东省","city_name":"广州市","county_name":"海珠区","detail_info":"大塘","tel_number":"13800000000"},
			"deliver_method":0,
			"delivery_product_info":[{"waybill_id":"SF1","delivery_id":"SF","delivery_name":"顺丰速运","delivery_time":1658508000,"deliver_type":1,
				"product_infos":[{"product_id":"10000041234567","sku_id":"1380000000001","product_cnt":2}]}],
			"ship_done_time":0},
		"ext_info":{"customer_notes":"轻放"}},
	"aftersale_detail":{"on_aftersale_order_cnt":0,"aftersale_order_list":[]}}}`

func TestChannelsOrder(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/order/get", channelsOrderAnswer)
	o, err := c.ChannelsOrder(context.Background(), "3704612354559743232")
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "order/get body", body(), []byte(`{"order_id":"3704612354559743232"}`))
	if o.OrderID != "3704612354559743232" || o.Status != ShopOrderPartlyShipped || o.CreateTime != 1658505600 || o.UpdateTime != 1658509200 || o.OpenID != "oBUYER" {
		t.Errorf("order = %q %d %d %d %q", o.OrderID, o.Status, o.CreateTime, o.UpdateTime, o.OpenID)
	}
	d := o.OrderDetail
	if len(d.ProductInfos) != 2 || d.ProductInfos[0].ProductID != "10000041234567" || d.ProductInfos[0].SKUID != "1380000000001" ||
		d.ProductInfos[0].SKUCnt != 2 || d.ProductInfos[0].SalePrice != 1500 || d.ProductInfos[1].Title != "杯垫" {
		t.Errorf("product_infos = %+v", d.ProductInfos)
	}
	if d.PriceInfo.OrderPrice != 4400 || d.PriceInfo.Freight != 500 || d.PayInfo.PayTime != 1658505620 {
		t.Errorf("price_info, pay_info = %+v %+v", d.PriceInfo, d.PayInfo)
	}
	if d.DeliveryInfo.AddressInfo.TelNumber != "13800000000" || len(d.DeliveryInfo.DeliveryProductInfo) != 1 {
		t.Fatalf("delivery_info = %+v", d.DeliveryInfo)
	}
	parcel := d.DeliveryInfo.DeliveryProductInfo[0]
	if parcel.WaybillID != "SF1" || parcel.DeliveryID != "SF" || parcel.DeliveryName != "顺丰速运" || parcel.DeliveryTime != 1658508000 || parcel.DeliverType != "1" {
		t.Errorf("parcel = %+v", parcel)
	}
	if !slices.Equal(parcel.ProductInfos, []OrderParcelItem{{ProductID: "10000041234567", SKUID: "1380000000001", ProductCnt: 2}}) {
		t.Errorf("parcel products = %+v", parcel.ProductInfos)
	}
}

func TestSendChannelsDelivery(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/order/delivery/send", `{"errcode":0,"errmsg":"ok"}`)
	parcels := []ChannelsDelivery{
		{DeliveryID: "SF", WaybillID: "SF1", ProductInfos: []ChannelsDeliveryProduct{{ProductID: "10000041234567", SKUID: "1380000000001", ProductCnt: 2}}},
		{DeliveryID: "ZTO", WaybillID: "ZT9", DeliverType: ChannelsDeliverSelf, ProductInfos: []ChannelsDeliveryProduct{{ProductID: "10000041234568", SKUID: "1380000000002", ProductCnt: 1}}},
	}
	if err := c.SendChannelsDelivery(context.Background(), "3704612354559743232", parcels); err != nil {
		t.Fatal(err)
	}
	want := `{"order_id":"3704612354559743232","delivery_list":[
		{"delivery_id":"SF","waybill_id":"SF1","deliver_type":1,"product_infos":[{"product_id":"10000041234567","sku_id":"1380000000001","product_cnt":2}]},
		{"delivery_id":"ZTO","waybill_id":"ZT9","deliver_type":1,"product_infos":[{"product_id":"10000041234568","sku_id":"1380000000002","product_cnt":1}]}]}`
	assertSameJSON(t, "delivery/send body", body(), []byte(want))
	if parcels[0].DeliverType != 0 {
		t.Error("SendChannelsDelivery changed the caller's parcels")
	}
}

// A virtual order (deliver_method 1) is shipped with deliver_type 3 and no courier: the body is the document's
// own example of such a shipment (delivery_send.html, 课程发货, without the course's course_info).
func TestSendChannelsVirtualDelivery(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/order/delivery/send", `{"errcode":0,"errmsg":"ok"}`)
	parcels := []ChannelsDelivery{{DeliverType: ChannelsDeliverVirtual,
		ProductInfos: []ChannelsDeliveryProduct{{ProductID: "12345", SKUID: "678910", ProductCnt: 1}}}}
	if err := c.SendChannelsDelivery(context.Background(), "123456", parcels); err != nil {
		t.Fatal(err)
	}
	want := `{"order_id":"123456","delivery_list":[{"deliver_type":3,
		"product_infos":[{"product_cnt":1,"product_id":"12345","sku_id":"678910"}]}]}`
	assertSameJSON(t, "virtual delivery/send body", body(), []byte(want))

	c = refusingClient(t)
	item := []ChannelsDeliveryProduct{{ProductID: "1", SKUID: "2", ProductCnt: 1}}
	for name, p := range map[string]ChannelsDelivery{
		"virtual with a courier":  {DeliverType: ChannelsDeliverVirtual, DeliveryID: "SF", ProductInfos: item},
		"virtual with a waybill":  {DeliverType: ChannelsDeliverVirtual, WaybillID: "SF1", ProductInfos: item},
		"virtual with no product": {DeliverType: ChannelsDeliverVirtual},
		"deliver_type 2":          {DeliverType: 2, DeliveryID: "SF", WaybillID: "SF1", ProductInfos: item},
	} {
		if err := c.SendChannelsDelivery(context.Background(), "1", []ChannelsDelivery{p}); err == nil || !strings.HasPrefix(err.Error(), "wx: /channels/ec/order/") {
			t.Errorf("%s: err = %v, want a wx: /channels/ec/order/... error", name, err)
		}
	}
}

func TestChannelsCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	item := []ChannelsDeliveryProduct{{ProductID: "1", SKUID: "2", ProductCnt: 1}}
	for name, call := range map[string]func() error{
		"get no id": func() error { _, err := c.ChannelsOrder(ctx, ""); return err },
		"send no id": func() error {
			return c.SendChannelsDelivery(ctx, "", []ChannelsDelivery{{DeliveryID: "SF", WaybillID: "1", ProductInfos: item}})
		},
		"send no parcel": func() error { return c.SendChannelsDelivery(ctx, "1", nil) },
		"send no courier": func() error {
			return c.SendChannelsDelivery(ctx, "1", []ChannelsDelivery{{WaybillID: "1", ProductInfos: item}})
		},
		"send no waybill": func() error {
			return c.SendChannelsDelivery(ctx, "1", []ChannelsDelivery{{DeliveryID: "SF", ProductInfos: item}})
		},
		"send no products": func() error {
			return c.SendChannelsDelivery(ctx, "1", []ChannelsDelivery{{DeliveryID: "SF", WaybillID: "1"}})
		},
		"send no product id": func() error {
			return c.SendChannelsDelivery(ctx, "1", []ChannelsDelivery{{DeliveryID: "SF", WaybillID: "1", ProductInfos: []ChannelsDeliveryProduct{{SKUID: "2", ProductCnt: 1}}}})
		},
		"send zero of a SKU": func() error {
			return c.SendChannelsDelivery(ctx, "1", []ChannelsDelivery{{DeliveryID: "SF", WaybillID: "1", ProductInfos: []ChannelsDeliveryProduct{{ProductID: "1", SKUID: "2"}}}})
		},
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "wx: /channels/ec/order/") {
			t.Errorf("%s: err = %v, want a wx: /channels/ec/order/... error", name, err)
		}
	}
}

func TestChannelsCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	week := &TimeRange{StartTime: 1658505600, EndTime: 1658509200}
	parcels := []ChannelsDelivery{{DeliveryID: "SF", WaybillID: "1", ProductInfos: []ChannelsDeliveryProduct{{ProductID: "1", SKUID: "2", ProductCnt: 1}}}}
	assertWeChatErrors(t, []apiCallCase{
		{"/channels/ec/order/list/get", func(c *Client) error {
			_, err := c.ChannelsOrderIDs(ctx, ChannelsOrderListRequest{CreateTimeRange: week, PageSize: 10})
			return err
		}},
		{"/channels/ec/order/get", func(c *Client) error { _, err := c.ChannelsOrder(ctx, "1"); return err }},
		{"/channels/ec/order/delivery/send", func(c *Client) error { return c.SendChannelsDelivery(ctx, "1", parcels) }},
	})
}

// The list's own codes come back as *Error with a meaning the operator can act on.
func TestChannelsOrderListCodes(t *testing.T) {
	for _, code := range []int{CodeChannelsTooManyOrders, 40097, 47001, CodeChannelsBadNextKey} {
		c, _ := recordingClient(t, "/channels/ec/order/list/get", `{"errcode":`+strconv.Itoa(code)+`,"errmsg":"x"}`)
		_, err := c.ChannelsOrderIDs(context.Background(), ChannelsOrderListRequest{CreateTimeRange: &TimeRange{0, 60}, PageSize: 1})
		var werr *Error
		if !errors.As(err, &werr) || werr.Code != code {
			t.Errorf("code %d: err = %v", code, err)
			continue
		}
		if _, ok := CodeMeaning(code, "en"); !ok {
			t.Errorf("code %d has no meaning in the code table", code)
		}
	}
}

// delivery/send's refusals come back as WeChat sends them (the errmsg as merchants quote it, a rid and
// often nothing else), each with a meaning that says what to do.
func TestSendChannelsDeliveryRefusals(t *testing.T) {
	parcels := []ChannelsDelivery{{DeliveryID: "YD", WaybillID: "23424324253", ProductInfos: []ChannelsDeliveryProduct{{ProductID: "12345", SKUID: "678910", ProductCnt: 1}}}}
	for _, tc := range []struct {
		answer string
		code   int
		zh     string // what the Chinese meaning must say
	}{
		{`{"errcode":101100,"errmsg":", 订单状态错误,不允许执行此操作 rid: 64d98c4d-1fe4b778-17268d99"}`, CodeChannelsOrderState, "同步订单"},
		{`{"errcode":109000,"errmsg":" rid: 603cc1d8-69db7e08-02516d2e"}`, CodeChannelsShipFailed, "核对"},
		{`{"errcode":109001,"errmsg":" rid: 603cc1d8-69db7e08-02516d2f"}`, CodeChannelsShipped, "已经发货"},
		{`{"errcode":109002,"errmsg":" rid: 5fc8db63-0c6c8dc1-6d148986"}`, CodeChannelsShipIncomplete, "补全"},
		{`{"errcode":108009,"errmsg":" rid: 5fc8db63-0c6c8dc1-6d148987"}`, CodeOrderInAftersale, "售后"},
	} {
		c, _ := recordingClient(t, "/channels/ec/order/delivery/send", tc.answer)
		err := c.SendChannelsDelivery(context.Background(), "3704000000000000001", parcels)
		var werr *Error
		if !errors.As(err, &werr) || werr.Code != tc.code || werr.Path != "/channels/ec/order/delivery/send" {
			t.Errorf("%s: err = %v", tc.answer, err)
			continue
		}
		if !strings.Contains(werr.Msg, "rid: ") {
			t.Errorf("code %d: errmsg %q, want WeChat's own with its rid", tc.code, werr.Msg)
		}
		zh, ok := CodeMeaning(tc.code, "zh")
		en, _ := CodeMeaning(tc.code, "en")
		if !ok || !strings.Contains(zh, tc.zh) || en == "" {
			t.Errorf("code %d means %q / %q, want a meaning that says %q", tc.code, zh, en, tc.zh)
		}
	}
}
