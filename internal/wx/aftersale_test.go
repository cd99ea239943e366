package wx

// testdata/channels_ec_aftersale_*.json are the examples of shared/api/store/aftersale.md, copied verbatim;
// rejectreason/get has no example there, so its answer is SKIT's sample
// (ModelSamples/Channels/ECAftersale/Reason/ChannelsECAftersaleRejectReasonGetResponse.json).

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestAftersaleIDs(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/getaftersalelist", "channels_ec_aftersale_getaftersalelist_request", "channels_ec_aftersale_getaftersalelist_answer")
	ans, err := c.AftersaleIDs(context.Background(), AftersaleListRequest{BeginCreateTime: 1658911158, EndCreateTime: 1658912158, NextKey: "THE_NEXT_KEY"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []ID{"1934164653012121", "1934161104780121"}; !slices.Equal(ans.AfterSaleOrderIDList, want) {
		t.Errorf("ids = %q", ans.AfterSaleOrderIDList)
	}
	if !ans.HasMore || ans.NextKey != "THE_NEXT_KEY_NEW" {
		t.Errorf("has_more, next_key = %v %q", ans.HasMore, ans.NextKey)
	}
}

// The sync pages by update time; a window of exactly 24 h is allowed; ids above 2^53 sent as bare numbers
// keep every digit.
func TestAftersaleIDsByUpdateTime(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/aftersale/getaftersalelist",
		`{"errcode":0,"errmsg":"ok","after_sale_order_id_list":[3705115058471208928,"3705115058471208929"],"has_more":false,"next_key":""}`)
	ans, err := c.AftersaleIDs(context.Background(), AftersaleListRequest{BeginUpdateTime: 1700000000, EndUpdateTime: 1700000000 + 24*3600})
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "list body", body(), []byte(`{"begin_update_time":1700000000,"end_update_time":1700086400}`))
	if want := []ID{"3705115058471208928", "3705115058471208929"}; !slices.Equal(ans.AfterSaleOrderIDList, want) {
		t.Errorf("ids = %q", ans.AfterSaleOrderIDList)
	}
}

func TestAftersaleIDsRefusesWhatWeChatWould(t *testing.T) {
	c := refusingClient(t)
	for name, req := range map[string]AftersaleListRequest{
		"no window":             {},
		"both windows":          {BeginCreateTime: 1, EndCreateTime: 2, BeginUpdateTime: 1, EndUpdateTime: 2},
		"over 24 h":             {BeginUpdateTime: 1700000000, EndUpdateTime: 1700000000 + 24*3600 + 1},
		"end before begin":      {BeginCreateTime: 1700000000, EndCreateTime: 1699999999},
		"only the end of it":    {EndUpdateTime: 1700000000},
		"create window too big": {BeginCreateTime: 1700000000, EndCreateTime: 1700000000 + 2*24*3600},
	} {
		if ans, err := c.AftersaleIDs(context.Background(), req); err == nil || ans != nil ||
			!strings.HasPrefix(err.Error(), "wx: /channels/ec/aftersale/getaftersalelist: ") {
			t.Errorf("%s: = %v, %v; want a local error", name, ans, err)
		}
	}
}

func TestAftersaleOrder(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/getaftersaleorder", "channels_ec_aftersale_getaftersaleorder_request", "channels_ec_aftersale_getaftersaleorder_answer")
	o, err := c.AftersaleOrder(context.Background(), "123456")
	if err != nil {
		t.Fatal(err)
	}
	if o.AfterSaleOrderID != "123456" || o.OrderID != "1768683047558651" || o.Status != AftersaleMerchantRefundSuccess ||
		o.Type != AftersaleTypeRefund || o.OpenID != "OPENID" || o.Reason != "NO_LONGER_WANT" {
		t.Errorf("order = %+v", o)
	}
	if o.ProductInfo.ProductID != "3286" || o.ProductInfo.SKUID != "4740" || o.ProductInfo.Count != 1 {
		t.Errorf("product_info = %+v", o.ProductInfo)
	}
	if o.Details.Desc != "1234" || !o.Details.ReceiveProduct || len(o.Details.Images()) != 0 {
		t.Errorf("details = %+v", o.Details)
	}
	if o.RefundInfo.Amount != 11 || o.RefundInfo.RefundReason != 1 || o.CreateTime != 1591319454 || o.UpdateTime != 1612754444 {
		t.Errorf("refund_info, times = %+v %d %d", o.RefundInfo, o.CreateTime, o.UpdateTime)
	}
	if !strings.Contains(string(o.Raw), `"refund_resp"`) || !strings.HasPrefix(string(o.Raw), "{") {
		t.Errorf("Raw does not keep the answer: %.80s", o.Raw)
	}
}

// An after-sale as the newer pages describe it, with the fields a return and an exchange fill in, numbers
// where strings are usual and the reverse: nothing is lost and no id is rounded.
func TestAftersaleOrderTolerant(t *testing.T) {
	c, _ := recordingClient(t, "/channels/ec/aftersale/getaftersaleorder", `{"errcode":0,"after_sale_order":{
		"after_sale_order_id":3705115058471208928,"order_id":"3705115058471200001","status":"MERCHANT_WAIT_RECEIPT","type":"EXCHANGE",
		"product_info":{"product_id":10000041234567,"sku_id":"1380000000001","count":2},
		"details":{"desc":"尺码不合适","receive_product":1,"media_infos":[{"media_type":1,"picture_media_id":"PIC1"}],"media_id_list":["OLD1"],"tel_number":"13800000000"},
		"refund_info":{"amount":"3900"},
		"return_info":{"waybill_id":"SF123","delivery_id":"SF","delivery_name":"顺丰速运","return_type":1},
		"exchange_product_info":{"product_id":"10000041234567","old_sku_id":"1380000000001","new_sku_id":"1380000000002","product_cnt":2,"old_sku_price":1950,"new_sku_price":1950},
		"merchant_update_detail":{"merchant_update_type":3,"update_reason_type":10,"merchant_update_desc":"x","old_after_sale_type":"REFUND","new_after_sale_type":1,"old_after_sale_amount":3900,"new_after_sale_amount":"500"},
		"complaint_id":7777777777777777777,"deadline":"1700086400","need_offline_refund":false,
		"reason_text":"QUALITY_ISSUE","create_time":1700000000,"update_time":1700003600,"some_new_field":{"x":1}}}`)
	o, err := c.AftersaleOrder(context.Background(), "3705115058471208928")
	if err != nil {
		t.Fatal(err)
	}
	if o.AfterSaleOrderID != "3705115058471208928" || o.ProductInfo.ProductID != "10000041234567" || o.ComplaintID != "7777777777777777777" {
		t.Errorf("ids = %q %q %q", o.AfterSaleOrderID, o.ProductInfo.ProductID, o.ComplaintID)
	}
	if !bool(o.Details.ReceiveProduct) || !slices.Equal(o.Details.Images(), []string{"OLD1", "PIC1"}) {
		t.Errorf("details = %+v", o.Details)
	}
	if o.RefundInfo.Amount != 3900 || o.Deadline != 1700086400 || o.ReturnInfo.WaybillID != "SF123" {
		t.Errorf("amount, deadline, return = %d %d %+v", o.RefundInfo.Amount, o.Deadline, o.ReturnInfo)
	}
	if o.ExchangeProduct == nil || o.ExchangeProduct.NewSKUID != "1380000000002" || o.MerchantUpdate == nil ||
		o.MerchantUpdate.NewAfterSaleAmount != 500 || o.MerchantUpdate.NewAfterSaleType != "1" {
		t.Errorf("exchange, negotiation = %+v %+v", o.ExchangeProduct, o.MerchantUpdate)
	}
	if !strings.Contains(string(o.Raw), "some_new_field") {
		t.Error("Raw lost a field the type does not know")
	}
}

func TestAcceptAftersale(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/acceptapply", "channels_ec_aftersale_acceptapply_request", "channels_ec_aftersale_ok_answer")
	if err := c.AcceptAftersale(context.Background(), "1768034782998651", "123", 0); err != nil {
		t.Fatal(err)
	}
	c2, body := recordingClient(t, "/channels/ec/aftersale/acceptapply", `{"errcode":0,"errmsg":"ok"}`)
	if err := c2.AcceptAftersale(context.Background(), "1768034782998651", "", AcceptRefund); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "refund body", body(), []byte(`{"after_sale_order_id":"1768034782998651","accept_type":2}`))
}

func TestRejectAftersale(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/rejectapply", "channels_ec_aftersale_rejectapply_request", "channels_ec_aftersale_ok_answer")
	if err := c.RejectAftersale(context.Background(), "1768715750567651", 1, "123"); err != nil {
		t.Fatal(err)
	}
}

// 10021068 comes back as a code the caller can test, with a meaning that tells the operator to negotiate.
func TestRejectAftersaleNegotiateFirst(t *testing.T) {
	c, _ := recordingClient(t, "/channels/ec/aftersale/rejectapply", `{"errcode":10021068,"errmsg":"can not reject rid: 6566-1"}`)
	err := c.RejectAftersale(context.Background(), "1768715750567651", 1, "")
	var werr *Error
	if !errors.As(err, &werr) || werr.Code != CodeAftersaleNegotiateFirst {
		t.Fatalf("err = %v", err)
	}
	if zh, en := werr.Meaning("zh"), werr.Meaning("en"); !strings.Contains(zh, "协商") || !strings.Contains(en, "negotiate") {
		t.Errorf("meanings = %q / %q", zh, en)
	}
}

// Every after-sale code of the digest has a meaning in both languages.
func TestAftersaleCodesHaveMeanings(t *testing.T) {
	for _, code := range []int{9700223, 9700224, 10020000, 10020001, 10021041, 10021043, 10021044, 10021050, 10021057, 10021068} {
		zh, ok1 := CodeMeaning(code, "zh")
		en, ok2 := CodeMeaning(code, "en")
		if !ok1 || !ok2 || zh == en || zh == "" || en == "" {
			t.Errorf("%d: %q / %q", code, zh, en)
		}
	}
}

func TestRejectReasons(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/aftersale/rejectreason/get", string(example(t, "channels_ec_aftersale_rejectreason_get_answer")))
	list, err := c.RejectReasons(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "body", body(), []byte(`{}`))
	if len(list) != 3 || list[0].RejectReasonType != 21 || list[0].RejectReasonTypeText != "买家寄回包裹非本订单商品" ||
		!strings.HasPrefix(list[2].RejectReason, "您填写的退货物流单号有误") {
		t.Errorf("reasons = %+v", list)
	}
}

// The newest page's answer gives each reason its reject_scene, as a number; an answer may also send it as a
// string of digits, leave it out (older editions), or send something else, which names no scene. None of
// them loses the list.
func TestRejectReasonScenes(t *testing.T) {
	c, _ := recordingClient(t, "/channels/ec/aftersale/rejectreason/get", `{"errcode":0,"errmsg":"ok","reason_list":[`+
		`{"reject_reason_type":6,"reject_reason_type_text":"买家误操作/已协商取消申请","reject_reason":"亲，真是抱歉给您带来麻烦了","reject_scene":1},`+
		`{"reject_reason_type":4,"reject_reason_type_text":"包裹在买家发起售后时已完成发货/揽收","reject_reason":"x","reject_scene":"4"},`+
		`{"reject_reason_type":21,"reject_reason_type_text":"买家寄回包裹非本订单商品","reject_reason":"y"},`+
		`{"reject_reason_type":30,"reject_reason_type_text":"z","reject_reason":"z","reject_scene":{"v":6}}]}`)
	list, err := c.RejectReasons(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var scenes []int
	for _, r := range list {
		scenes = append(scenes, r.Scene())
	}
	if want := []int{RejectSceneRefund, RejectSceneReturn, 0, 0}; !slices.Equal(scenes, want) {
		t.Errorf("scenes = %v, want %v", scenes, want)
	}
}

func TestNegotiateAftersale(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/merchantupdateaftersale", "channels_ec_aftersale_merchantupdateaftersale_request", "channels_ec_aftersale_ok_answer")
	err := c.NegotiateAftersale(context.Background(), Negotiation{
		AfterSaleOrderID: "1768034782998651", Type: NegotiateToRefund, Amount: 500, MerchantUpdateDesc: "已与买家沟通，部分退款 5 元",
		UpdateReasonType: 10, MerchantUpdateType: NegotiateModify, MediaIDs: []string{"THE_MEDIA_ID"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAcceptExchangeReship(t *testing.T) {
	c := exampleClient(t, "/channels/ec/aftersale/acceptexchangereship", "channels_ec_aftersale_acceptexchangereship_request", "channels_ec_aftersale_ok_answer")
	if err := c.AcceptExchangeReship(context.Background(), "1768034782998651", "YD", "123"); err != nil {
		t.Fatal(err)
	}
}

func TestRejectExchangeReshipAndCertificate(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/aftersale/rejectexchangereship", `{"errcode":0,"errmsg":"ok"}`)
	if err := c.RejectExchangeReship(context.Background(), "1768034782998651", 4, "缺货", []string{"M1"}); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "reject reship body", body(), []byte(`{"after_sale_order_id":"1768034782998651","reject_reason_type":4,"reject_reason":"缺货","reject_certificates":["M1"]}`))

	c2, body2 := recordingClient(t, "/channels/ec/aftersale/uploadrefundcertificate", `{"errcode":0,"errmsg":"ok"}`)
	if err := c2.UploadRefundCertificate(context.Background(), "1768034782998651", []string{"M1", "M2"}, "已线下转账"); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "certificate body", body2(), []byte(`{"after_sale_order_id":"1768034782998651","refund_certificates":["M1","M2"],"desc":"已线下转账"}`))
}

func TestAftersaleWritesRefuseWhatWeChatWould(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"accept without id":          c.AcceptAftersale(ctx, "", "1", 0),
		"accept type 3":              c.AcceptAftersale(ctx, "1", "1", 3),
		"return without address":     c.AcceptAftersale(ctx, "1", "", AcceptReturn),
		"reject without reason type": c.RejectAftersale(ctx, "1", 0, "x"),
		"negotiate type 3":           c.NegotiateAftersale(ctx, Negotiation{AfterSaleOrderID: "1", Type: 3, MerchantUpdateDesc: "x", UpdateReasonType: 6, MerchantUpdateType: 3}),
		"negotiate no desc":          c.NegotiateAftersale(ctx, Negotiation{AfterSaleOrderID: "1", Type: 1, UpdateReasonType: 6, MerchantUpdateType: 3}),
		"negotiate negative":         c.NegotiateAftersale(ctx, Negotiation{AfterSaleOrderID: "1", Type: 1, Amount: -1, MerchantUpdateDesc: "x", UpdateReasonType: 6, MerchantUpdateType: 3}),
		"reship without waybill":     c.AcceptExchangeReship(ctx, "1", "SF", ""),
		"certificate without proof":  c.UploadRefundCertificate(ctx, "1", nil, ""),
		"reject reship no type":      c.RejectExchangeReship(ctx, "1", 0, "", nil),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestAftersaleCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/channels/ec/aftersale/getaftersalelist", func(c *Client) error {
			_, err := c.AftersaleIDs(ctx, AftersaleListRequest{BeginUpdateTime: 1, EndUpdateTime: 2})
			return err
		}},
		{"/channels/ec/aftersale/getaftersaleorder", func(c *Client) error { _, err := c.AftersaleOrder(ctx, "1"); return err }},
		{"/channels/ec/aftersale/acceptapply", func(c *Client) error { return c.AcceptAftersale(ctx, "1", "", AcceptRefund) }},
		{"/channels/ec/aftersale/rejectapply", func(c *Client) error { return c.RejectAftersale(ctx, "1", 1, "") }},
		{"/channels/ec/aftersale/rejectreason/get", func(c *Client) error { _, err := c.RejectReasons(ctx); return err }},
		{"/channels/ec/aftersale/merchantupdateaftersale", func(c *Client) error {
			return c.NegotiateAftersale(ctx, Negotiation{AfterSaleOrderID: "1", Type: 1, MerchantUpdateDesc: "x", UpdateReasonType: 6, MerchantUpdateType: 3})
		}},
		{"/channels/ec/aftersale/uploadrefundcertificate", func(c *Client) error { return c.UploadRefundCertificate(ctx, "1", []string{"m"}, "") }},
		{"/channels/ec/aftersale/acceptexchangereship", func(c *Client) error { return c.AcceptExchangeReship(ctx, "1", "SF", "1") }},
		{"/channels/ec/aftersale/rejectexchangereship", func(c *Client) error { return c.RejectExchangeReship(ctx, "1", 1, "", nil) }},
	})
}

// A refund whose answer is -1 is not sent again: WeChat may have refunded already; the caller reads back.
func TestAcceptAftersaleNotRetried(t *testing.T) {
	c, _ := recordingClient(t, "/channels/ec/aftersale/acceptapply", `{"errcode":-1,"errmsg":"system error"}`)
	err := c.AcceptAftersale(context.Background(), "1", "", AcceptRefund)
	if !Temporary(err) {
		t.Fatalf("err = %v, want a temporary error", err)
	}
}

// The document's example push, and the same with a bare number above 2^53.
func TestParseAftersaleUpdate(t *testing.T) {
	u, err := ParseAftersaleUpdate([]byte(`{"ToUserName": "gh_*", "FromUserName": "OpenID", "CreateTime": 1662480000, "MsgType": "event",
 "Event": "channels_ec_aftersale_update",
 "finder_shop_aftersale_status_update": {"status": "USER_WAIT_RETURN", "after_sale_order_id": "1234567", "order_id": "12345", "wxa_vip_discounted_price": 100}}`))
	if err != nil || u.Status != AftersaleUserWaitReturn || u.AfterSaleOrderID != "1234567" || u.OrderID != "12345" {
		t.Errorf("= %+v, %v", u, err)
	}
	u, err = ParseAftersaleUpdate([]byte(`{"Event":"channels_ec_aftersale_update","finder_shop_aftersale_status_update":{"status":"MERCHANT_PROCESSING","after_sale_order_id":3705115058471208928,"order_id":3705115058471208929}}`))
	if err != nil || u.AfterSaleOrderID != "3705115058471208928" || u.OrderID != "3705115058471208929" {
		t.Errorf("numbers: %+v, %v", u, err)
	}
	if _, err := ParseAftersaleUpdate([]byte(`{"Event":"channels_ec_aftersale_update"}`)); err == nil {
		t.Error("a push without its object was read")
	}
}

// genaftersaleorder's page (代用户发起售后): its request example's ids (request_id 111222, order_id
// 37123432487943243, product_id 2346783) with the page's fields, and the answer's aftersale_id, a number.
func TestGenAftersaleOrder(t *testing.T) {
	c, body := recordingClient(t, PathGenAftersale, `{"errcode":0,"errmsg":"ok","aftersale_id":3705115058471208928}`)
	g := GenAftersale{RequestID: "111222", OrderID: "37123432487943243", ProductID: "2346783", SkuID: "23424", Count: 1,
		Amount: 100, Reason: GenReasonAgreed, Type: AftersaleTypeReturn, AddressID: "111222", Desc: "协商一致退货"}
	id, err := c.GenAftersaleOrder(context.Background(), g)
	if err != nil || id != "3705115058471208928" {
		t.Fatalf("= %q, %v", id, err)
	}
	assertSameJSON(t, "body", body(), []byte(`{"request_id":"111222","order_id":"37123432487943243","product_id":"2346783","sku_id":"23424",
		"count":1,"amount":100,"reason":"10000014","type":"RETURN","address_id":"111222","desc":"协商一致退货"}`))
	g.AddressID = ""
	if _, err := c.GenAftersaleOrder(context.Background(), g); err == nil {
		t.Error("a RETURN without address_id was sent")
	}
	g.Type, g.Count = AftersaleTypeExchange, 1
	if _, err := c.GenAftersaleOrder(context.Background(), g); err == nil {
		t.Error("an EXCHANGE was sent; the call opens REFUND or RETURN only")
	}
}
