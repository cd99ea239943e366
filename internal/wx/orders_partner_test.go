package wx

// partner-store-order-get.md (shared/api) has headings for a request example and an answer example but no
// JSON under them, and no testdata file could be copied from it. The bodies below are written here from its
// tables, with errcode as a string, as the document types it.

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const partnerOrderAnswer = `{"errcode":"0","errmsg":"ok","order":{
	"status":20,"openid":"oBUYER","unionid":"uBUYER",
	"order_detail":{
		"product_infos":[{
			"product_id":10000041234567,"sku_id":"1380000000001","thumb_img":"https://img/cup","sku_cnt":2,
			"sale_price":1500,"title":"茶杯","sku_code":"CUP-W","market_price":1800,
			"sku_attrs":[{"attr_key":"颜色","attr_value":"白"}],
			"real_price":2700,"is_discounted":true,"estimate_price":2800,"is_change_price":true,"change_price":2700}],
		"price_info":{
			"product_price":3000,"order_price":2900,"freight":500,"discounted_price":200,"is_discounted":true,
			"original_order_price":3500,"estimate_product_price":2800,"change_down_price":100,"change_freight":500,
			"is_change_freight":false,"use_deduction":true,"deduction_price":200,"merchant_receieve_price":3000,
			"merchant_discounted_price":200,"finder_discounted_price":100}}}}`

func TestPartnerStoreOrder(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/cooperation/order/get", partnerOrderAnswer)
	o, err := c.PartnerStoreOrder(context.Background(), "wxSHOPAPPID", "3704612354559743232")
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "cooperation/order/get body", body(), []byte(`{"shop_appid":"wxSHOPAPPID","order_id":"3704612354559743232"}`))
	want := PartnerOrder{
		Status:  intPtr(ShopOrderToShip),
		OpenID:  "oBUYER",
		UnionID: "uBUYER",
		OrderDetail: PartnerOrderDetail{
			ProductInfos: []PartnerOrderProduct{{
				ProductID:     "10000041234567",
				SKUID:         "1380000000001",
				ThumbImg:      "https://img/cup",
				SKUCnt:        2,
				SalePrice:     1500,
				Title:         "茶杯",
				SKUCode:       "CUP-W",
				MarketPrice:   1800,
				SKUAttrs:      []OrderSKUAttr{{AttrKey: "颜色", AttrValue: "白"}},
				RealPrice:     intPtr(2700),
				IsDiscounted:  true,
				EstimatePrice: 2800,
				IsChangePrice: true,
				ChangePrice:   2700,
			}},
			PriceInfo: PartnerOrderPrice{
				ProductPrice:            3000,
				OrderPrice:              2900,
				Freight:                 500,
				DiscountedPrice:         200,
				IsDiscounted:            true,
				OriginalOrderPrice:      3500,
				EstimateProductPrice:    2800,
				ChangeDownPrice:         100,
				ChangeFreight:           500,
				UseDeduction:            true,
				DeductionPrice:          200,
				MerchantReceievePrice:   3000,
				MerchantDiscountedPrice: 200,
				FinderDiscountedPrice:   100,
			},
		},
	}
	if !bytes.Contains(o.Raw, []byte(`"merchant_receieve_price":3000`)) {
		t.Errorf("raw = %s; want the answer's order object", o.Raw)
	}
	o.Raw = nil
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("order = %+v\nwant    %+v", *o, want)
	}
	// The document's formulas hold for the body above: order_price and merchant_receieve_price.
	p := o.OrderDetail.PriceInfo
	if p.OrderPrice != p.OriginalOrderPrice-p.DiscountedPrice-p.FinderDiscountedPrice-p.DeductionPrice-p.ChangeDownPrice ||
		p.MerchantReceievePrice != p.OriginalOrderPrice-p.DiscountedPrice-p.DeductionPrice-p.ChangeDownPrice {
		t.Errorf("price_info does not add up: %+v", p)
	}
}

// errcode typed as a string, as this document does, still becomes *Error.
func TestPartnerStoreOrderStringErrcode(t *testing.T) {
	c, _ := recordingClient(t, "/channels/ec/cooperation/order/get", `{"errcode":"48001","errmsg":"api unauthorized"}`)
	o, err := c.PartnerStoreOrder(context.Background(), "wxSHOPAPPID", "1")
	var werr *Error
	if o != nil || !errors.As(err, &werr) || werr.Code != 48001 || werr.Path != "/channels/ec/cooperation/order/get" {
		t.Fatalf("PartnerStoreOrder = %v, %#v; want *Error 48001", o, err)
	}
}

func TestPartnerStoreOrderCalls(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/channels/ec/cooperation/order/get", func(c *Client) error { _, err := c.PartnerStoreOrder(ctx, "wxA", "1"); return err }},
	})
	c := refusingClient(t)
	for name, args := range map[string][2]string{"no shop appid": {"", "1"}, "no order id": {"wxA", ""}} {
		o, err := c.PartnerStoreOrder(ctx, args[0], args[1])
		if o != nil || err == nil || !strings.HasPrefix(err.Error(), "wx: /channels/ec/cooperation/order/get: ") {
			t.Errorf("%s: PartnerStoreOrder = %v, %v; want a local error", name, o, err)
		}
	}
	ok, _ := recordingClient(t, "/channels/ec/cooperation/order/get", `{"errcode":"0","errmsg":"ok"}`)
	if o, err := ok.PartnerStoreOrder(ctx, "wxA", "1"); o != nil || err == nil {
		t.Errorf("answer without order: PartnerStoreOrder = %v, %v; want an error", o, err)
	}
}
