package wx

// Answers and pushes in the shapes real accounts meet, beside the documents' own examples: the examples here
// are written from the documents (shop-order-get.md, partner-store-order-get.md, the merchant manual's later
// edition, store/events.md, store/delivery.md) and from what SKIT, WxJava and wechatpy record.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer is a slog handler's output, safe to read while the client writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// loggingClient answers every call with answer and logs into the returned buffer.
func loggingClient(t *testing.T, answer string) (*Client, *logBuffer) {
	t.Helper()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer))
	})
	logs := &logBuffer{}
	cfg := testConfig(srv.URL, storeWith(t, "TOK", time.Hour))
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	return NewClient(cfg), logs
}

// orderObject is the answer's "order" value as it was sent.
func orderObject(t *testing.T, answer string) []byte {
	t.Helper()
	var ans struct {
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal([]byte(answer), &ans); err != nil {
		t.Fatal(err)
	}
	return ans.Order
}

// A mini-shop order whose one parcel comes as an object, with fields the structs do not know. order_id is
// above 2^53 (a float64 would make it ...928 → ...000-ish).
const shopParcelObjectAnswer = `{"errcode":0,"errmsg":"ok","order":{
	"order_id":3705115058471208928,"out_order_id":"OUT-77","status":30,
	"create_time":"2026-11-30 10:00:00","update_time":"2026-12-01 09:00:00",
	"order_detail":{
		"product_infos":[{"product_id":10000041234567,"sku_id":1380000000001,"sku_cnt":2,"sale_price":1500,"title":"茶杯"}],
		"price_info":{"product_price":3000,"order_price":3500,"freight":500},
		"delivery_info":{
			"address_info":{"user_name":"陈先生","province_name":"广东省","city_name":"广州市","county_name":"海珠区","detail_info":"大塘路1号","tel_number":"13800000000"},
			"delivery_method":"快递","delivery_time":"2026-12-01 08:00:00",
			"express_fee":[{"shipping_method":"ShippingMethod_Express","distance":1200}],
			"delivery_product_info":{"waybill_id":"SF1234567890","delivery_id":"SF","delivery_time":1764547200,
				"product_infos":[{"product_id":10000041234567,"sku_id":1380000000001,"product_cnt":2}]}},
		"settle_info":{"predict_commission_fee":10}},
	"sharer_info":{"sharer_openid":"oSHARER"},
	"ext_info":{"customer_notes":"放门口","merchant_notes":""}}}`

func TestShopOrderParcelAsObject(t *testing.T) {
	c, logs := loggingClient(t, shopParcelObjectAnswer)
	o, err := c.ShopOrder(context.Background(), "3705115058471208928")
	if err != nil {
		t.Fatal(err)
	}
	if o.OrderID != "3705115058471208928" {
		t.Errorf("order id = %s, want every digit of 3705115058471208928", o.OrderID)
	}
	parcels := o.OrderDetail.DeliveryInfo.DeliveryProductInfo
	if len(parcels) != 1 || parcels[0].WaybillID != "SF1234567890" || parcels[0].ProductInfos[0].ProductCnt != 2 {
		t.Errorf("parcels = %+v, want the one parcel SF1234567890 with 2 pieces", parcels)
	}
	if len(o.Warnings) != 0 || strings.Contains(logs.String(), "unexpected shape") {
		t.Errorf("warnings %v, log %s; a documented variant needs none", o.Warnings, logs)
	}
	if !bytes.Equal(o.Raw, orderObject(t, shopParcelObjectAnswer)) {
		t.Errorf("raw is not the answer's order object:\n%s", o.Raw)
	}
	for _, kept := range []string{`"out_order_id":"OUT-77"`, `"distance":1200`, `"settle_info"`, `"sharer_info"`, `"delivery_time":"2026-12-01 08:00:00"`} {
		if !bytes.Contains(o.Raw, []byte(kept)) {
			t.Errorf("raw lost %s", kept)
		}
	}
	if note, _ := o.Notes(); note != "放门口" {
		t.Errorf("buyer note = %q", note)
	}
}

// A field of a shape no document gives must not cost the order: sku_cnt as text, address_info as a list,
// a parcel's product_cnt as an object.
const shopOddFieldsAnswer = `{"errcode":0,"errmsg":"ok","order":{
	"order_id":3705115058471208929,"status":20,"create_time":1764500000,
	"order_detail":{
		"product_infos":[{"product_id":1,"sku_id":2,"sku_cnt":"两件","sale_price":1500,"title":"茶杯"},
		                 {"product_id":3,"sku_id":4,"sku_cnt":1,"sale_price":800,"title":"茶盘"}],
		"price_info":{"product_price":3800,"order_price":4300,"freight":500},
		"delivery_info":{"address_info":[{"user_name":"陈先生"}],
			"delivery_product_info":[{"waybill_id":"YT1","delivery_id":"YTO","product_infos":[{"product_id":3,"sku_id":4,"product_cnt":{"n":1}}]}]}},
	"ext_info":{"customer_notes":"周末送"}}}`

func TestShopOrderOddFieldKeepsTheOrder(t *testing.T) {
	c, logs := loggingClient(t, shopOddFieldsAnswer)
	o, err := c.ShopOrder(context.Background(), "3705115058471208929")
	if err != nil {
		t.Fatalf("the order was lost: %v", err)
	}
	if o.OrderID != "3705115058471208929" || o.Status != ShopOrderToShip || o.OrderDetail.PriceInfo.OrderPrice != 4300 {
		t.Errorf("order = %s status %d total %d", o.OrderID, o.Status, o.OrderDetail.PriceInfo.OrderPrice)
	}
	lines := o.OrderDetail.ProductInfos
	if len(lines) != 2 || lines[0].Title != "茶杯" || lines[0].SKUCnt != 0 || lines[1].SKUCnt != 1 {
		t.Errorf("lines = %+v; want both, the first without its count", lines)
	}
	if p := o.OrderDetail.DeliveryInfo.DeliveryProductInfo; len(p) != 1 || p[0].WaybillID != "YT1" {
		t.Errorf("parcels = %+v", p)
	}
	if note, _ := o.Notes(); note != "周末送" {
		t.Errorf("note = %q", note)
	}
	want := []string{
		"order.order_detail.product_infos[0].sku_cnt",
		"order.order_detail.delivery_info.address_info",
		"order.order_detail.delivery_info.delivery_product_info[0].product_infos[0].product_cnt",
	}
	var got []string
	for _, w := range o.Warnings {
		got = append(got, w.Path)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("warnings at %v, want %v", got, want)
	}
	for _, path := range want {
		if !strings.Contains(logs.String(), "field="+path) {
			t.Errorf("the log does not name %s:\n%s", path, logs)
		}
	}
	if !bytes.Contains(o.Raw, []byte(`"sku_cnt":"两件"`)) {
		t.Errorf("raw lost the odd field")
	}
}

// The Channels store's order/get as SKIT's sample records it: ids as strings, the notes in
// order_detail.ext_info, payment_method, deliver_method and the coupon's user_coupon_id.
const channelsOrderSKITAnswer = `{"errcode":0,"errmsg":"ok","order":{
	"order_id":"37423523451235145","status":20,"create_time":1658505600,"update_time":1658505600,
	"order_detail":{
		"product_infos":[{"product_id":"234245","sku_id":"23424","sku_cnt":10,"on_aftersale_sku_cnt":10,"finish_aftersale_sku_cnt":0,
			"title":"健身环","sale_price":2000,"market_price":2000,"sku_attrs":[{"attr_key":"产地","attr_value":"四川成都"}]}],
		"pay_info":{"prepay_id":"42526234625","transaction_id":"131456479687","prepay_time":1658509200,"pay_time":1658509200,"payment_method":1},
		"price_info":{"product_price":20000,"order_price":10500,"freight":500,"discounted_price":10000,"is_discounted":true},
		"delivery_info":{"address_info":{"user_name":"陈先生","postal_code":"2435245","province_name":"广东","city_name":"广州","county_name":"海珠区","detail_info":"大塘","tel_number":"24534252"},
			"delivery_product_info":[{"waybill_id":"134654612313","delivery_id":"STO","delivery_time":1620738080,"deliver_type":1,
				"product_infos":[{"product_id":"234245","sku_id":"23424","product_cnt":1}]}],
			"ship_done_time":1620738080,"deliver_method":0},
		"coupon_info":{"user_coupon_id":"301234567890"},
		"ext_info":{"customer_notes":"发顺丰","merchant_notes":"库存不足，取消","finder_id":"sph3FZbOEY46mAB","order_scene":2},
		"settle_info":{"commission_fee":10,"predict_commission_fee":10}},
	"aftersale_detail":{"aftersale_order_list":[{"aftersale_order_id":"1234","status":13}],"on_aftersale_order_cnt":1},
	"openid":"OPENID"}}`

func TestChannelsOrderNotesAndMethods(t *testing.T) {
	c, _ := loggingClient(t, channelsOrderSKITAnswer)
	o, err := c.ChannelsOrder(context.Background(), "37423523451235145")
	if err != nil {
		t.Fatal(err)
	}
	buyer, merchant := o.Notes()
	if buyer != "发顺丰" || merchant != "库存不足，取消" {
		t.Errorf("notes = %q, %q; want the ext_info of order_detail", buyer, merchant)
	}
	d := o.OrderDetail
	if d.PayInfo.PaymentMethod != PaymentWeChatPay || d.DeliveryInfo.DeliverMethod != DeliverMethodExpress ||
		d.CouponInfo.UserCouponID != "301234567890" {
		t.Errorf("payment_method %d, deliver_method %d, user_coupon_id %q", d.PayInfo.PaymentMethod, d.DeliveryInfo.DeliverMethod, d.CouponInfo.UserCouponID)
	}
	if len(o.Warnings) != 0 || !bytes.Contains(o.Raw, []byte(`"finder_id":"sph3FZbOEY46mAB"`)) {
		t.Errorf("warnings %v; raw %s", o.Warnings, o.Raw)
	}

	virtual := strings.Replace(channelsOrderSKITAnswer, `"deliver_method":0`, `"deliver_method":1`, 1)
	c, _ = loggingClient(t, virtual)
	if o, err = c.ChannelsOrder(context.Background(), "37423523451235145"); err != nil || o.OrderDetail.DeliveryInfo.DeliverMethod != DeliverMethodVirtual {
		t.Errorf("virtual goods: %v, %+v", err, o)
	}
}

// partner-store-order-get.md's own answer example: ids as numbers, no status, no real_price.
const partnerOrderDocAnswer = `{"errcode":0,"errmsg":"ok","order":{"openid":"OPENID","order_detail":{
	"product_infos":[{"product_id":234245,"sku_id":23424,"sku_cnt":10,"title":"健身环","thumb_img":"https://mmecimage.cn/p/x",
		"sale_price":2000,"market_price":2000,"sku_attrs":[{"attr_key":"产地","attr_value":"四川成都"}]},
		{"product_id":234246,"sku_id":23425,"sku_cnt":1,"title":"跳绳","sale_price":1000,"is_discounted":true,"estimate_price":800}],
	"price_info":{"product_price":21000,"order_price":20300,"freight":500,"discounted_price":200,"is_discounted":true}}}}`

func TestPartnerOrderWithoutStatus(t *testing.T) {
	c, _ := loggingClient(t, partnerOrderDocAnswer)
	o, err := c.PartnerStoreOrder(context.Background(), "wxSHOP", "coiqBw3BTdtdzIpQ")
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != nil {
		t.Errorf("status = %d; an answer without status is unknown, not a value", *o.Status)
	}
	lines := o.OrderDetail.ProductInfos
	if len(lines) != 2 || lines[0].ProductID != "234245" || lines[0].RealPrice != nil {
		t.Fatalf("lines = %+v", lines)
	}
	if lines[0].LineTotal() != 20000 || lines[1].LineTotal() != 800 {
		t.Errorf("line totals %d, %d; want 10 × 2000 and the discounted 800", lines[0].LineTotal(), lines[1].LineTotal())
	}
	if o.OrderDetail.PriceInfo.OrderPrice != 20300 || !bytes.Equal(o.Raw, orderObject(t, partnerOrderDocAnswer)) {
		t.Errorf("order price %d, raw %s", o.OrderDetail.PriceInfo.OrderPrice, o.Raw)
	}
	zero := strings.Replace(partnerOrderDocAnswer, `"openid":"OPENID"`, `"openid":"OPENID","status":0`, 1)
	c, _ = loggingClient(t, zero)
	if o, err = c.PartnerStoreOrder(context.Background(), "wxSHOP", "coiq"); err != nil || o.Status == nil || *o.Status != 0 {
		t.Errorf("an answer with status 0 keeps 0: %v %+v", err, o)
	}
}

// The merchant manual's later online edition: receiver_zone, and products[] with several products.
const merchantOrderLaterAnswer = `{"errcode":0,"errmsg":"success","order":{
	"order_id":"7197417460812533543","order_status":2,"order_total_price":5600,"order_create_time":1394635817,
	"order_express_price":600,"buyer_openid":"oDF3iY17NsDAW4UP2qzJXPsz1S9Q","buyer_nick":"likeacat",
	"receiver_name":"张小猫","receiver_province":"广东省","receiver_city":"广州市","receiver_zone":"天河区",
	"receiver_address":"华景路一号南方通信大厦5楼","receiver_mobile":"123456789","receiver_phone":"123456789",
	"products":[{"product_id":"p1","product_name":"安莉芳E-BRA专柜女士舒适内衣","product_price":1000,"product_sku":"10000983:10000995","product_count":3,"product_img":"http://img/1"},
		{"product_id":"p2","product_name":"袜子","product_price":1000,"product_sku":"","product_count":2,"product_img":"http://img/2"}],
	"delivery_id":"","delivery_company":"","trans_id":"1900000109201404103172199813"}}`

func TestMerchantOrderLaterEdition(t *testing.T) {
	c, _ := loggingClient(t, merchantOrderLaterAnswer)
	o, err := c.MerchantOrder(context.Background(), "7197417460812533543")
	if err != nil {
		t.Fatal(err)
	}
	lines := o.Lines()
	if o.ReceiverZone != "天河区" || len(lines) != 2 || lines[0].ProductCount != 3 || lines[1].ProductName != "袜子" {
		t.Errorf("zone %q, lines %+v", o.ReceiverZone, lines)
	}
	// The V1.13 form: one product, flat in the order.
	flat := MerchantOrder{ProductID: "p", ProductName: "茶杯", ProductPrice: 100, ProductCount: 2, ProductSKU: "1:2"}
	if l := flat.Lines(); len(l) != 1 || l[0].ProductName != "茶杯" || l[0].ProductCount != 2 || l[0].ProductSKU != "1:2" {
		t.Errorf("flat lines = %+v", l)
	}
}

func TestMerchantOrdersKeepsTheOthersAroundAnOddOne(t *testing.T) {
	answer := `{"errcode":0,"errmsg":"success","order_list":[
		{"order_id":"1","order_status":2,"order_total_price":"十元","product_name":"茶杯","product_count":1},
		{"order_id":"2","order_status":3,"order_total_price":1000,"product_name":"茶盘","product_count":1}]}`
	c, logs := loggingClient(t, answer)
	orders, err := c.MerchantOrders(context.Background(), MerchantOrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || orders[0].OrderID != "1" || orders[0].ProductName != "茶杯" || orders[1].OrderTotalPrice != 1000 {
		t.Fatalf("orders = %+v", orders)
	}
	if len(orders[0].Warnings) != 1 || orders[0].Warnings[0].Path != "order.order_total_price" ||
		!strings.Contains(logs.String(), "order.order_total_price") {
		t.Errorf("warnings %v, log %s", orders[0].Warnings, logs)
	}
	if !bytes.Contains(orders[0].Raw, []byte(`"十元"`)) || !bytes.Contains(orders[1].Raw, []byte(`"order_id":"2"`)) {
		t.Errorf("raw: %s / %s", orders[0].Raw, orders[1].Raw)
	}
}

func TestSendMerchantDeliveryForms(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    MerchantDelivery
		want string
	}{
		{"no logistics", MerchantDelivery{NoLogistics: true}, `{"order_id":"7197417460812533543","need_delivery":0}`},
		{"another courier", MerchantDelivery{Company: "安能物流", TrackNo: "AN0001", OtherCourier: true},
			`{"order_id":"7197417460812533543","delivery_company":"安能物流","delivery_track_no":"AN0001","need_delivery":1,"is_others":1}`},
		{"a courier of the table", MerchantDelivery{Company: "059Yunda", TrackNo: "1900659372473"},
			`{"order_id":"7197417460812533543","delivery_company":"059Yunda","delivery_track_no":"1900659372473"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, body := recordingClient(t, "/merchant/order/setdelivery", `{"errcode":0,"errmsg":"success"}`)
			if err := c.SendMerchantDelivery(context.Background(), "7197417460812533543", tc.d); err != nil {
				t.Fatal(err)
			}
			assertSameJSON(t, "setdelivery body", body(), []byte(tc.want))
		})
	}
	c := refusingClient(t)
	if err := c.SendMerchantDelivery(context.Background(), "1", MerchantDelivery{Company: "安能物流", TrackNo: "AN1"}); err == nil ||
		!strings.Contains(err.Error(), "another courier") {
		t.Errorf("a courier not in the table without is_others: %v", err)
	}
}

func TestChannelsCouriers(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/order/deliverycompanylist/get", `{"errcode":0,"errmsg":"ok","company_list":[
		{"delivery_id":"SF","delivery_name":"顺丰速运"},{"delivery_id":"YTO","delivery_name":"圆通快速"},{"delivery_id":"ZTO","delivery_name":"中通快速"},
		{"delivery_id":"","delivery_name":"无代码"},{"delivery_id":"SF","delivery_name":"顺丰速运"}]}`)
	list, err := c.ChannelsCouriers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "deliverycompanylist body", body(), []byte(`{}`))
	want := []Courier{{"SF", "顺丰速运"}, {"YTO", "圆通快速"}, {"ZTO", "中通快速"}}
	if len(list) != len(want) || list[0] != want[0] || list[1] != want[1] || list[2] != want[2] {
		t.Errorf("couriers = %v, want %v", list, want)
	}
}

func TestConfirmOrderPermission(t *testing.T) {
	c, body := recordingClient(t, "/user-order/orders-permission/confirm", `{"errcode":0,"errmsg":"ok","last_result":"审核通过"}`)
	last, err := c.ConfirmOrderPermission(context.Background())
	if err != nil || last != "审核通过" {
		t.Fatalf("confirm = %q, %v", last, err)
	}
	assertSameJSON(t, "confirm body", body(), []byte(`{}`))

	c, _ = loggingClient(t, `{"errcode":268486570,"errmsg":"当前状态不允许提交审核,请先开通购物订单产品权限"}`)
	_, err = c.ConfirmOrderPermission(context.Background())
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeOrderPermissionNotOpen || !strings.Contains(we.Meaning("zh"), "先开通") ||
		!strings.Contains(we.Meaning("en"), "Open the shopping-order product permission first") {
		t.Errorf("confirm before open: %v", err)
	}
}

func TestCodesRealAccountsMeet(t *testing.T) {
	for _, code := range []int{CodeInterfaceRetired, CodeUpdatedTooOften, CodeOrderPermissionNotOpen} {
		zh, okZH := CodeMeaning(code, "zh")
		en, okEN := CodeMeaning(code, "en")
		if !okZH || !okEN || zh == en || strings.Contains(zh, "微信返回了错误码") {
			t.Errorf("%d: %q / %q", code, zh, en)
		}
	}
	if m, _ := CodeMeaning(CodeUpdatedTooOften, "zh"); !strings.Contains(m, "稍等") {
		t.Errorf("100003 says %q; it should ask to try again shortly", m)
	}
	retired := &Error{Code: CodeInterfaceRetired, Msg: "api is offline", Path: "/merchant/order/getbyfilter"}
	if !Unavailable(retired) || !Unavailable(&Error{Code: 48001}) || Unavailable(&Error{Code: CodeUpdatedTooOften}) || Unavailable(errors.New("x")) {
		t.Error("Unavailable: 1400007 and 48001 are, 100003 and other errors are not")
	}
}

// --- pushes ---

// storeOrderPay is store/events.md's channels_ec_order_pay with the id as a number above 2^53, as the
// order events document it.
const storeOrderPay = `{"ToUserName":"gh_*","FromUserName":"OPENID","CreateTime":1662480000,"MsgType":"event",
	"Event":"channels_ec_order_pay","order_info":{"order_id":3705115058471208928,"pay_time":1658509200}}`

func signedQuery(timestamp, nonce string) url.Values {
	return url.Values{"signature": {Signature(cbToken, timestamp, nonce)}, "timestamp": {timestamp}, "nonce": {nonce}}
}

func TestOpenPushPlainJSON(t *testing.T) {
	ev, err := OpenPush(cbToken, nil, signedQuery("1662480000", "42"), []byte(storeOrderPay))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Event != EventStoreOrderPay || ev.OrderID != "3705115058471208928" || ev.CreateTime != 1662480000 ||
		ev.FromUserName != "OPENID" || ev.Format != FormatJSON || !IsStoreOrderEvent(ev.Event) {
		t.Errorf("event = %+v", ev)
	}
	// SKIT's samples send the id and the times as strings.
	asStrings := `{"ToUserName":"gh_*","FromUserName":"OPENID","CreateTime":"1662480000","MsgType":"event",
		"Event":"channels_ec_order_settle","order_info":{"order_id":"3705115058471208928","settle_time":"1662480000"}}`
	if ev, err = OpenPush(cbToken, nil, signedQuery("1", "2"), []byte(asStrings)); err != nil || ev.OrderID != "3705115058471208928" || ev.CreateTime != 1662480000 {
		t.Errorf("strings: %+v, %v", ev, err)
	}
	bad := signedQuery("1662480000", "42")
	bad.Set("signature", strings.Repeat("0", 40))
	if _, err := OpenPush(cbToken, nil, bad, []byte(storeOrderPay)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a wrong signature: %v", err)
	}
	if _, err := OpenPush(cbToken, cbCrypter(t), signedQuery("1", "2"), []byte(storeOrderPay)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a plain JSON push in safe mode: %v, want ErrBadSignature", err)
	}
	if _, err := OpenPush(cbToken, nil, signedQuery("1", "2"), []byte(`{"MsgType":"event",`)); !errors.Is(err, ErrBadMessage) {
		t.Errorf("broken JSON: %v", err)
	}
}

func TestOpenPushSafeModeJSON(t *testing.T) {
	cr := cbCrypter(t)
	query, body, err := BuildPush(cbToken, cr, []byte(storeOrderPay), "1662480000", "42", nil)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]string
	if err := json.Unmarshal(body, &env); err != nil || env["ToUserName"] != "gh_*" || env["Encrypt"] == "" || len(env) != 2 {
		t.Fatalf("the safe-mode body is not {ToUserName, Encrypt}: %s (%v)", body, err)
	}
	if query.Get("msg_signature") != Signature(cbToken, "1662480000", "42", env["Encrypt"]) || query.Get("encrypt_type") != "aes" {
		t.Errorf("query = %v", query)
	}
	ev, err := OpenPush(cbToken, cr, query, body)
	if err != nil {
		t.Fatal(err)
	}
	if ev.OrderID != "3705115058471208928" || ev.Event != EventStoreOrderPay || !bytes.Equal(ev.Raw, []byte(storeOrderPay)) {
		t.Errorf("event = %+v", ev)
	}
	query.Set("msg_signature", strings.Repeat("a", 40))
	if _, err := OpenPush(cbToken, cr, query, body); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a wrong msg_signature: %v", err)
	}
	if _, err := OpenPush(cbToken, nil, query, body); !errors.Is(err, ErrNotSafeMode) {
		t.Errorf("an encrypted JSON push without a key: %v", err)
	}
}

func TestParseEventNestedAndPartner(t *testing.T) {
	for _, tc := range []struct {
		name, body, event, orderID, shop string
	}{
		{"XML order event", `<xml><ToUserName><![CDATA[gh_*]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName><CreateTime>1662480000</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[channels_ec_order_pay]]></Event>
<order_info><order_id>3705115058471208928</order_id><pay_time>1658509200</pay_time></order_info></xml>`,
			EventStoreOrderPay, "3705115058471208928", ""},
		{"JSON partner event, Data", `{"ToUserName":"gh_2defbb026678","FromUserName":"OPENID","CreateTime":1706518830,"MsgType":"event",
			"Event":"cooperation_shop_order","Data":{"order_id":"coiqBw3BTdtdzIpQ","shop_appid":"wxSHOP"}}`,
			EventPartnerOrder, "coiqBw3BTdtdzIpQ", "wxSHOP"},
		{"JSON partner event, EventData", `{"ToUserName":"gh_2defbb026678","FromUserName":"OPENID","CreateTime":1706518830,"MsgType":"event",
			"Event":"related_shop_order_submission","EventData":{"order_id":"coiqBw3BTdtdzIpQ","shop_appid":"wxSHOP"}}`,
			EventPartnerOrderRelated, "coiqBw3BTdtdzIpQ", "wxSHOP"},
		{"XML partner event", `<xml><ToUserName>gh_1</ToUserName><MsgType>event</MsgType><Event>cooperation_shop_order</Event>
<Data><order_id>coiq</order_id><shop_appid>wxSHOP</shop_appid></Data></xml>`, EventPartnerOrder, "coiq", "wxSHOP"},
		{"unknown JSON event", `{"ToUserName":"gh_*","MsgType":"event","Event":"channels_ec_acct_notify","CreateTime":1662480000,"acct_info":{"x":1}}`,
			"channels_ec_acct_notify", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := ParseEvent([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Event != tc.event || ev.OrderID != tc.orderID || ev.ShopAppID != tc.shop {
				t.Errorf("event %q order %q shop %q; want %q %q %q", ev.Event, ev.OrderID, ev.ShopAppID, tc.event, tc.orderID, tc.shop)
			}
			if IsPartnerOrderEvent(ev.Event) != (tc.shop != "") {
				t.Errorf("IsPartnerOrderEvent(%s) = %v", ev.Event, IsPartnerOrderEvent(ev.Event))
			}
		})
	}
}

// stable_token with force_refresh is limited by WeChat (about 20 a day, 30 s apart): the client forces only
// when normal mode hands back the very token WeChat refused, and never twice within 30 s.
func TestForcedRefreshIsRationed(t *testing.T) {
	var (
		mu               sync.Mutex
		normal           = "OLD" // what stable_token answers without force_refresh
		refused          = map[string]bool{"OLD": true}
		forced, normals  int
		forcedBodyWasSet bool
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == stableTokenPath {
			var req struct {
				ForceRefresh bool `json:"force_refresh"`
			}
			_ = json.NewDecoder(r.Body).Decode(&req)
			if req.ForceRefresh {
				forced++
				forcedBodyWasSet = true
				normal = "NEW"
				writeJSON(w, map[string]any{"access_token": "NEW", "expires_in": 7200})
				return
			}
			normals++
			writeJSON(w, map[string]any{"access_token": normal, "expires_in": 7200})
			return
		}
		if refused[r.URL.Query().Get("access_token")] {
			writeJSON(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
			return
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	})
	c := NewClient(testConfig(srv.URL, storeWith(t, "OLD", time.Hour)))
	if err := c.PostRead(context.Background(), "/w", nil, nil); err != nil {
		t.Fatalf("the forced token should work: %v", err)
	}
	mu.Lock()
	if forced != 1 || !forcedBodyWasSet || normals != 1 {
		t.Errorf("forced %d, normal %d; want one normal answer (the refused token) and then one forced", forced, normals)
	}
	refused["NEW"] = true // WeChat refuses this one too, at once
	mu.Unlock()
	err := c.PostRead(context.Background(), "/w", nil, nil)
	if !errors.Is(err, errForceLimited) {
		t.Errorf("a second refusal within 30 s: %v, want the force limit", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if forced != 1 {
		t.Errorf("forced %d times within 30 s, want 1", forced)
	}
}

func TestMayForceLimits(t *testing.T) {
	c := NewClient(testConfig("http://127.0.0.1:1", NewMemoryTokenStore()))
	if !c.mayForce(context.Background()) || c.mayForce(context.Background()) {
		t.Fatal("the first force is allowed, a second at once is not")
	}
	// 20 in the last day, the last more than 30 s ago: no more.
	c.forced = nil
	for i := range maxForcedPerDay {
		c.forced = append(c.forced, time.Now().Add(-23*time.Hour+time.Duration(i)*time.Minute))
	}
	if c.mayForce(context.Background()) {
		t.Error("a 21st force within a day was allowed")
	}
	// Once the oldest is more than a day old, one more fits.
	c.forced[0] = time.Now().Add(-25 * time.Hour)
	if !c.mayForce(context.Background()) {
		t.Error("a force after the oldest left the day was refused")
	}
}
