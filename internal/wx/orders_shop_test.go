package wx

// testdata/product_order_get_request.json and product_order_get_answer.json are the examples of
// shop-order-get.md (shared/api), copied verbatim except for one JSON syntax fix: the answer elided further
// entries of product_infos, delivery_product_info and aftersale_order_list with a line "..." after a comma;
// those three "..." lines and the comma before each were removed. Nothing else was changed; in particular the
// times stay as the document writes them (create_time as "2020-03-25 13:05:25", delivery_time and
// ship_done_time as strings of seconds although its table types them as numbers).

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestShopOrder(t *testing.T) {
	c := exampleClient(t, "/product/order/get", "product_order_get_request", "product_order_get_answer")
	// The document asks for 32423523451235145 and answers with order 12123121332.
	o, err := c.ShopOrder(context.Background(), "32423523451235145")
	if err != nil {
		t.Fatal(err)
	}
	if o.OrderID != "12123121332" || o.Status != ShopOrderToShip || o.OrderType != ShopOrderTypeOrdinary {
		t.Errorf("order_id, status, order_type = %q %d %d", o.OrderID, o.Status, o.OrderType)
	}
	// "2020-03-25 13:05:25" is Beijing time: 05:05:25 UTC.
	if o.CreateTime != 1585112725 || o.UpdateTime != 1585116325 {
		t.Errorf("create_time, update_time = %d %d", o.CreateTime, o.UpdateTime)
	}
	if got := o.CreateTime.Time().UTC(); !got.Equal(time.Date(2020, 3, 25, 5, 5, 25, 0, time.UTC)) {
		t.Errorf("create_time as time = %v", got)
	}
	if o.OpenID != "oDNt95V1edm_RT8K5GSLW4dQYciE" {
		t.Errorf("openid = %q", o.OpenID)
	}
	if want := (ShopOrderExtInfo{CustomerNotes: "发顺丰", MerchantNotes: "库存不足,取消"}); o.ExtInfo != want {
		t.Errorf("ext_info = %+v", o.ExtInfo)
	}

	d := o.OrderDetail
	wantProducts := []ShopOrderProduct{{
		ProductID:             "234245",
		SKUID:                 "23424",
		SKUCnt:                10,
		OnAftersaleSKUCnt:     10,
		FinishAftersaleSKUCnt: 0,
		Title:                 "健身环",
		ThumbImg:              "http://img10.360buyimg.com/n1/s450x450_jfs/t1/85865/39/13611/488083/5e590a40E4bdf69c0/55c9bf645ea2b727.jpg",
		SKUAttrs:              []OrderSKUAttr{{AttrKey: "选择颜色", AttrValue: "红蓝主机"}},
		SalePrice:             2000,
		MarketPrice:           2000,
	}}
	if !reflect.DeepEqual(d.ProductInfos, wantProducts) {
		t.Errorf("product_infos = %+v", d.ProductInfos)
	}
	wantPay := ShopOrderPayment{
		PayMethod:     "微信支付",
		PrepayID:      "42526234625",
		TransactionID: "131456479687",
		PrepayTime:    1585116265,
		PayTime:       1585116325,
	}
	if d.PayInfo != wantPay {
		t.Errorf("pay_info = %+v", d.PayInfo)
	}
	wantPrice := ShopOrderPrice{ProductPrice: 20000, OrderPrice: 10500, Freight: 500, DiscountedPrice: 10000, IsDiscounted: true}
	if d.PriceInfo != wantPrice {
		t.Errorf("price_info = %+v", d.PriceInfo)
	}
	if d.CouponInfo.CouponID != nil || d.CouponCodeInfo != nil {
		t.Errorf("coupon_info, couponcode_info = %+v %+v", d.CouponInfo, d.CouponCodeInfo)
	}

	address := OrderAddress{
		UserName:     "陈先生",
		PostalCode:   "2435245",
		ProvinceName: "广东",
		CityName:     "广州",
		CountyName:   "海珠区",
		DetailInfo:   "大塘",
		NationalCode: "234234",
		TelNumber:    "24534252",
	}
	wantDelivery := ShopOrderDelivery{
		AddressInfo:    address,
		DeliveryMethod: "快递",
		ExpressFee:     ExpressFees{{ShippingMethod: ShippingMethodExpress}},
		DeliveryProductInfo: []OrderParcel{{
			WaybillID:       "134654612313",
			DeliveryID:      "STO",
			DeliveryTime:    1620738080,
			DeliverType:     DeliverTypeOptionalExpress,
			DeliveryAddress: address,
			ProductInfos:    []OrderParcelItem{{ProductID: "234245", SKUID: "23424", ProductCnt: 1}},
		}},
		ShipDoneTime:  1620738080,
		InsuranceInfo: OrderInsurance{Type: InsuranceNone, InsurancePrice: 0},
		DeliverType:   DeliverTypeOptionalExpress,
	}
	if !reflect.DeepEqual(d.DeliveryInfo, wantDelivery) {
		t.Errorf("delivery_info = %+v\nwant            %+v", d.DeliveryInfo, wantDelivery)
	}

	wantAftersale := ShopAftersaleDetail{
		OnAftersaleOrderCnt: 1,
		AftersaleOrderList:  []ShopAftersaleOrder{{AftersaleOrderID: "1234", Status: 13}},
	}
	if !reflect.DeepEqual(o.AftersaleDetail, wantAftersale) {
		t.Errorf("aftersale_detail = %+v", o.AftersaleDetail)
	}
}

// The document types order_id as a number, and its example (32423523451235145) is above 2^53: it must go out
// as a JSON number with every digit, which a float64 could not carry.
func TestShopOrderSendsTheIDAsAnExactNumber(t *testing.T) {
	c, body := recordingClient(t, "/product/order/get", `{"errcode":0,"errmsg":"ok","order":{"order_id":32423523451235145,"status":10}}`)
	o, err := c.ShopOrder(context.Background(), "32423523451235145")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(body()); got != `{"order_id":32423523451235145}` {
		t.Errorf("body = %s", got)
	}
	if o.OrderID != "32423523451235145" || o.Status != ShopOrderToPay {
		t.Errorf("order_id, status = %q %d", o.OrderID, o.Status)
	}
}

func TestShopOrderRefusesBadIDs(t *testing.T) {
	c := refusingClient(t)
	for _, id := range []string{"", "abc", "-1", "1.5", "1e9", " 12", "123456789012345678901234567890"} {
		o, err := c.ShopOrder(context.Background(), id)
		if err == nil || o != nil || !strings.HasPrefix(err.Error(), "wx: /product/order/get: ") {
			t.Errorf("ShopOrder(%q) = %v, %v; want a wx: /product/order/get error", id, o, err)
		}
	}
}

func TestShopOrderErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/product/order/get", func(c *Client) error { _, err := c.ShopOrder(ctx, "1"); return err }},
	})
	// The document's own code for an unknown order.
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":100002,"errmsg":"order not exist"}`)
	})
	o, err := c.ShopOrder(ctx, "12123121332")
	var werr *Error
	if o != nil || !errors.As(err, &werr) || werr.Code != CodeOrderNotFound || werr.Path != "/product/order/get" {
		t.Fatalf("ShopOrder = %v, %#v; want *Error 100002", o, err)
	}
	if _, ok := CodeMeaning(werr.Code, "zh"); !ok {
		t.Error("100002 has no meaning in the code table")
	}
}

func TestShopOrderAnswerWithoutOrder(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	})
	if o, err := c.ShopOrder(context.Background(), "1"); err == nil || o != nil {
		t.Errorf("ShopOrder = %v, %v; want an error", o, err)
	}
}

// The fields the example leaves out (couponcode_info, pickup_address, the price changes...) decode too.
func TestShopOrderDecodesTheFieldsTheExampleLeavesOut(t *testing.T) {
	const answer = `{"order":{"order_id":"12123121333","status":17,"order_type":4,
		"order_detail":{
			"product_infos":[{"product_id":234245,"out_product_id":"OUT-1","sku_id":23424,"out_sku_id":"OUT-1-RED","sku_code":"HR-RED","sku_cnt":1}],
			"price_info":{"original_order_price":2500,"estimate_product_price":2000,"change_down_price":100,"change_freight":0,"is_change_freight":true,"buyer_insurance_price":30},
			"coupon_info":{"coupon_id":[9007199254740993,12]},
			"couponcode_info":{"start_time":1620738080,"end_time":"1620824480","verify_type":1,"phone_number":"138","verifier_nickname":"店员","verify_time":1620738100},
			"delivery_info":{"express_fee":{"shipping_method":"ShippingMethod_Pickup"},"insurance_info":{"type":"InsuranceSourceType_Seller","insurance_price":30},
				"deliver_type":"DELIVERY_TYPE_NO_EXPRESS","offline_delivery_time":1620738080,"offline_pickup_time":1620738090,
				"pickup_address":{"user_name":"店","detail_info":"大塘1号","house_number":"101"}}}}}`
	var ans struct {
		Order ShopOrder `json:"order"`
	}
	if err := json.Unmarshal([]byte(answer), &ans); err != nil {
		t.Fatal(err)
	}
	o := ans.Order
	if o.OrderID != "12123121333" || o.Status != ShopOrderWaitingVerify || o.OrderType != ShopOrderTypeCoupon {
		t.Errorf("order = %q %d %d", o.OrderID, o.Status, o.OrderType)
	}
	p := o.OrderDetail.ProductInfos[0]
	if p.OutProductID != "OUT-1" || p.OutSKUID != "OUT-1-RED" || p.SKUCode != "HR-RED" {
		t.Errorf("product = %+v", p)
	}
	wantPrice := ShopOrderPrice{OriginalOrderPrice: 2500, EstimateProductPrice: 2000, ChangeDownPrice: 100, IsChangeFreight: true, BuyerInsurancePrice: 30}
	if o.OrderDetail.PriceInfo != wantPrice {
		t.Errorf("price_info = %+v", o.OrderDetail.PriceInfo)
	}
	if ids := o.OrderDetail.CouponInfo.CouponID; !slices.Equal(ids, []ID{"9007199254740993", "12"}) {
		t.Errorf("coupon_id = %q", ids)
	}
	wantCode := ShopOrderCouponCode{StartTime: 1620738080, EndTime: 1620824480, VerifyType: 1, PhoneNumber: "138", VerifierNickname: "店员", VerifyTime: 1620738100}
	if cc := o.OrderDetail.CouponCodeInfo; cc == nil || *cc != wantCode {
		t.Errorf("couponcode_info = %+v", cc)
	}
	del := o.OrderDetail.DeliveryInfo
	if !slices.Equal(del.ExpressFee, ExpressFees{{ShippingMethod: ShippingMethodPickup}}) {
		t.Errorf("express_fee given as an object = %+v", del.ExpressFee)
	}
	if del.InsuranceInfo != (OrderInsurance{Type: InsuranceSeller, InsurancePrice: 30}) || del.DeliverType != DeliverTypeNoExpress {
		t.Errorf("insurance_info, deliver_type = %+v %q", del.InsuranceInfo, del.DeliverType)
	}
	if del.OfflineDeliveryTime != 1620738080 || del.OfflinePickupTime != 1620738090 {
		t.Errorf("offline times = %d %d", del.OfflineDeliveryTime, del.OfflinePickupTime)
	}
	if a := del.PickupAddress; a == nil || a.DetailInfo != "大塘1号" || a.HouseNumber != "101" {
		t.Errorf("pickup_address = %+v", a)
	}
}

func TestTimestampUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Timestamp
		ok   bool
	}{
		{`1620738080`, 1620738080, true},
		{`"1620738080"`, 1620738080, true},
		{`"2020-03-25 13:05:25"`, 1585112725, true}, // Beijing time
		{`"1970-01-01 08:00:00"`, 0, true},
		{`0`, 0, true},
		{`""`, 0, true},
		{`" 1620738080 "`, 1620738080, true},
		{`null`, 42, true},
		{`"2020-03-25T13:05:25Z"`, 0, false},
		{`"2020-03-25"`, 0, false},
		{`"yesterday"`, 0, false},
		{`1.5`, 0, false},
		{`true`, 0, false},
		{`{}`, 0, false},
	} {
		ts := Timestamp(42)
		err := json.Unmarshal([]byte(tc.in), &ts)
		if tc.ok && (err != nil || ts != tc.want) {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", tc.in, ts, err, tc.want)
		}
		if !tc.ok && err == nil {
			t.Errorf("Unmarshal(%s) = %d; want an error", tc.in, ts)
		}
	}
}

func TestTimestampMarshalsAsSeconds(t *testing.T) {
	got, err := json.Marshal(struct {
		T Timestamp `json:"t"`
	}{1585112725})
	if err != nil || string(got) != `{"t":1585112725}` {
		t.Errorf("Marshal = %s, %v", got, err)
	}
	if !Timestamp(0).Time().IsZero() {
		t.Error("Timestamp(0).Time() is not the zero time")
	}
}

func TestDeliverTypeUnmarshal(t *testing.T) {
	for in, want := range map[string]DeliverType{
		`"DELIVERY_TYPE_ORDER_ONLINE"`: DeliverTypeOrderOnline,
		`1`:                            "1",
		`null`:                         "kept",
	} {
		d := DeliverType("kept")
		if err := json.Unmarshal([]byte(in), &d); err != nil || d != want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q", in, d, err, want)
		}
	}
	var d DeliverType
	if err := json.Unmarshal([]byte(`{}`), &d); err == nil {
		t.Error("Unmarshal({}) succeeded")
	}
}

func TestExpressFeesUnmarshal(t *testing.T) {
	for in, want := range map[string]ExpressFees{
		`[{"shipping_method":"ShippingMethod_Express"},{"shipping_method":"ShippingMethod_SameCity"}]`: {{ShippingMethodExpress}, {ShippingMethodSameCity}},
		`{"shipping_method":"ShippingMethod_Pickup"}`:                                                  {{ShippingMethodPickup}},
		`[]`: {},
	} {
		var f ExpressFees
		if err := json.Unmarshal([]byte(in), &f); err != nil || !slices.Equal(f, want) {
			t.Errorf("Unmarshal(%s) = %+v, %v", in, f, err)
		}
	}
	var f ExpressFees
	if err := json.Unmarshal([]byte(`"express"`), &f); err == nil {
		t.Error(`Unmarshal("express") succeeded`)
	}
}
