package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The pushes come in WeChat's forms: merchant_order as XML, the 微信小店 and partner-store events as JSON,
// unless the setting asks for one form for all; in safe mode the JSON envelope is {ToUserName, Encrypt}.
func TestPushFormats(t *testing.T) {
	cr, err := wx.NewCrypter(pushToken, pushAESKey, "wxsandbox00000001")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, setting, source, wantFormat string
		crypter                           *wx.Crypter
	}{
		{"merchant order, native", sandbox.PushFormatNative, sandbox.SourceMerchant, wx.FormatXML, nil},
		{"Channels order, native", sandbox.PushFormatNative, sandbox.SourceChannels, wx.FormatJSON, nil},
		{"mini-shop order, native, safe mode", sandbox.PushFormatNative, sandbox.SourceShop, wx.FormatJSON, cr},
		{"partner order, native", sandbox.PushFormatNative, sandbox.SourcePartner, wx.FormatJSON, nil},
		{"Channels order as XML", sandbox.PushFormatXML, sandbox.SourceChannels, wx.FormatXML, nil},
		{"partner order as XML, safe mode", sandbox.PushFormatXML, sandbox.SourcePartner, wx.FormatXML, cr},
		{"merchant order as JSON", sandbox.PushFormatJSON, sandbox.SourceMerchant, wx.FormatJSON, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh := newShop(t, sandbox.Options{Orders: -1, PushFormat: tc.setting})
			cb, url := newCallback(t, tc.crypter)
			id := sh.sb.NewPaidOrder(tc.source)
			key := ""
			if tc.crypter != nil {
				key = pushAESKey
			}
			if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, key, id); err != nil {
				t.Fatal(err)
			}
			events, queries := cb.received()
			if len(events) != 1 {
				t.Fatalf("%d events", len(events))
			}
			wantEvent(t, events[0], sh.order(tc.source, id))
			if events[0].Format != tc.wantFormat {
				t.Errorf("format %s, want %s", events[0].Format, tc.wantFormat)
			}
			if (queries[0].Get("msg_signature") != "") != (tc.crypter != nil) {
				t.Errorf("query %v", queries[0])
			}
			// A JSON order event carries the id as a number, every digit of it.
			if tc.wantFormat == wx.FormatJSON && tc.source != sandbox.SourceMerchant && tc.source != sandbox.SourcePartner &&
				!bytes.Contains(events[0].Raw, []byte(`"order_id":`+id+`,`)) {
				t.Errorf("order_id is not the number %s: %s", id, events[0].Raw)
			}
		})
	}
}

func TestNewOrderEndpointFormat(t *testing.T) {
	sh := newShop(t, sandbox.Options{Orders: -1})
	cb, cbURL := newCallback(t, nil)
	post := func(body string) int {
		t.Helper()
		res, err := sh.ts.Client().Post(sh.ts.URL+"/sandbox/orders/new", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := post(fmt.Sprintf(`{"source":"merchant","callback_url":%q,"token":%q,"format":"json"}`, cbURL, pushToken)); s != http.StatusOK {
		t.Fatalf("HTTP %d", s)
	}
	if s := post(fmt.Sprintf(`{"source":"merchant","callback_url":%q,"token":%q,"format":"yaml"}`, cbURL, pushToken)); s != http.StatusBadRequest {
		t.Errorf("format yaml: HTTP %d", s)
	}
	events, _ := cb.received()
	if len(events) != 1 || events[0].Format != wx.FormatJSON || events[0].Event != wx.EventMerchantOrder {
		t.Errorf("events %+v", events)
	}
}

// The demo answers in the shapes real accounts see: some mini-shop orders give their one parcel as an object,
// Channels orders keep the notes in order_detail.ext_info.
func TestDemoAnswerShapes(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	var asObject, asList int
	for _, id := range sh.sb.OrderIDs(sandbox.SourceShop, 0) {
		held := sh.order(sandbox.SourceShop, id)
		if len(held.Parcels) != 1 {
			continue
		}
		a := sh.post("/product/order/get", fmt.Sprintf(`{"order_id":%s}`, id))
		if bytes.Contains(a.raw, []byte(`"delivery_product_info":{`)) {
			asObject++
		} else {
			asList++
		}
		o, err := sh.wx.ShopOrder(ctx, id)
		if err != nil || len(o.OrderDetail.DeliveryInfo.DeliveryProductInfo) != 1 || len(o.Warnings) != 0 {
			t.Fatalf("order %s: %v, %+v", id, err, o)
		}
		if o.OrderDetail.DeliveryInfo.DeliveryProductInfo[0].WaybillID != held.Parcels[0].TrackingNo {
			t.Errorf("order %s: parcel %+v, held %+v", id, o.OrderDetail.DeliveryInfo.DeliveryProductInfo, held.Parcels)
		}
	}
	if asObject == 0 || asList == 0 {
		t.Errorf("%d single parcels as an object, %d as a list; the demo should have both", asObject, asList)
	}

	var noted int
	for _, id := range sh.sb.OrderIDs(sandbox.SourceChannels, 0) {
		a := sh.post("/channels/ec/order/get", fmt.Sprintf(`{"order_id":%q}`, id))
		var ans struct {
			Order struct {
				ExtInfo     json.RawMessage `json:"ext_info"`
				OrderDetail struct {
					ExtInfo wx.ShopOrderExtInfo `json:"ext_info"`
					PayInfo struct {
						PaymentMethod int `json:"payment_method"`
					} `json:"pay_info"`
				} `json:"order_detail"`
			} `json:"order"`
		}
		if err := json.Unmarshal(a.raw, &ans); err != nil {
			t.Fatal(err)
		}
		if ans.Order.ExtInfo != nil || ans.Order.OrderDetail.PayInfo.PaymentMethod != wx.PaymentWeChatPay {
			t.Fatalf("order %s: order-level ext_info %s, payment_method %d", id, ans.Order.ExtInfo, ans.Order.OrderDetail.PayInfo.PaymentMethod)
		}
		if ans.Order.OrderDetail.ExtInfo.CustomerNotes != "" {
			noted++
		}
	}
	if noted == 0 {
		t.Error("no Channels order has a buyer note")
	}
}

func TestChannelsCourierList(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	list, err := sh.wx.ChannelsCouriers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, c := range list {
		names[c.ID] = c.Name
	}
	if names["SF"] != "顺丰速运" || names["ZJS"] != "宅急送" || len(list) < 10 {
		t.Errorf("couriers = %v", list)
	}
	sh.sb.SetOrderSource(sandbox.SourceChannels, false)
	if _, err := sh.wx.ChannelsCouriers(t.Context()); !wx.Unavailable(err) {
		t.Errorf("a store without Channels: %v", err)
	}
}

func TestConfirmOrderPermission(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	if _, err := sh.wx.ConfirmOrderPermission(ctx); !wx.IsCode(err, wx.CodeOrderPermissionNotOpen) {
		t.Fatalf("confirm before open: %v, want 268486570", err)
	}
	if err := sh.wx.OpenOrderPermission(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := sh.wx.ConfirmOrderPermission(ctx)
	if err != nil || first != "" {
		t.Fatalf("first confirm: %q, %v; no earlier review", first, err)
	}
	if again, err := sh.wx.ConfirmOrderPermission(ctx); err != nil || again != "审核通过" {
		t.Errorf("second confirm: %q, %v; want the first review's result", again, err)
	}
}
