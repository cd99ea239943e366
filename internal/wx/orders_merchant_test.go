package wx

// The testdata/merchant_order_*.json files are the JSON examples of section 6 of 微信商铺API手册 V1.13
// (shared/api), copied verbatim; all of them were valid JSON as given. merchant/order/close has its own answer
// file although it is the same text as setdelivery's, so each call reads the example printed beside it.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// recordingClient is a client whose server checks that exactly one JSON POST to path arrives with the access
// token, keeps its body, and answers with answer. body returns what was sent.
func recordingClient(t *testing.T, path, answer string) (c *Client, body func() []byte) {
	t.Helper()
	var (
		mu    sync.Mutex
		got   []byte
		calls atomic.Int32
	)
	c, _ = newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != path {
			t.Errorf("got %s %s, want POST %s", r.Method, r.URL.Path, path)
		}
		if q := r.URL.Query(); q.Get("access_token") != "TOK" || len(q) != 1 {
			t.Errorf("query = %v, want only access_token=TOK", q)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = b
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	})
	t.Cleanup(func() {
		if n := calls.Load(); n != 1 {
			t.Errorf("%s was called %d times, want once", path, n)
		}
	})
	return c, func() []byte {
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

func intPtr(n int) *int { return &n }

// merchantOrderExample is the order of the manual's merchant/order/getbyid answer.
var merchantOrderExample = MerchantOrder{
	OrderID:           "7197417460812533543",
	OrderStatus:       6,
	OrderTotalPrice:   6,
	OrderCreateTime:   1394635817,
	OrderExpressPrice: 5,
	BuyerOpenID:       "oDF3iY17NsDAW4UP2qzJXPsz1S9Q",
	BuyerNick:         "likeacat",
	ReceiverName:      "张小猫",
	ReceiverProvince:  "广东省",
	ReceiverCity:      "广州市",
	ReceiverAddress:   "华景路一号南方通信大厦5楼",
	ReceiverMobile:    "123456789",
	ReceiverPhone:     "123456789",
	ProductID:         "pDF3iYx7KDQVGzB7kDg6Tge5OKFo",
	ProductName:       "安莉芳E-BRA专柜女士舒适内衣蕾丝3/4薄杯聚拢上托性感文胸KB0716",
	ProductPrice:      1,
	ProductSKU:        "10000983:10000995;10001007:10001010",
	ProductCount:      1,
	ProductImg:        "http://img2.paipaiimg.com/00000000/item-52B87243-63CCF66C00000000040100003565C1EA.0.300x300.jpg?watermark/1/image/aHR0cDovL3N0YXRpYy5uYmxhLmNuLzEzMTAxMTYxMDktMi5wbmc=/dissolve/100/gravity/SouthEast/dx/10/dy/0",
	DeliveryID:        "1900659372473",
	DeliveryCompany:   "059Yunda",
	TransID:           "1900000109201404103172199813",
}

func TestMerchantOrder(t *testing.T) {
	c := exampleClient(t, "/merchant/order/getbyid", "merchant_order_getbyid_request", "merchant_order_getbyid_answer")
	// The manual asks for ...584720 and answers with ...533543; the request is the one it prints.
	o, err := c.MerchantOrder(context.Background(), "7197417460812584720")
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Raw) == 0 || o.Raw[0] != '{' || len(o.Warnings) != 0 {
		t.Errorf("raw = %.40s…, warnings %v; want the answer's order object and none", o.Raw, o.Warnings)
	}
	got := *o
	got.Raw = nil
	if !reflect.DeepEqual(got, merchantOrderExample) {
		t.Errorf("order = %+v\nwant    %+v", got, merchantOrderExample)
	}
	if name, ok := MerchantCourierName(o.DeliveryCompany); !ok || name != "韵达快运" {
		t.Errorf("courier of the example = %q, %v", name, ok)
	}
}

// MerchantOrder has every field of the manual's order and no other: marshalled, it is the example again (the
// sandbox relies on this to answer as WeChat does).
func TestMerchantOrderMarshalsAsTheManualsExample(t *testing.T) {
	var ans struct {
		Order json.RawMessage `json:"order"`
	}
	if err := json.Unmarshal(example(t, "merchant_order_getbyid_answer"), &ans); err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(merchantOrderExample)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "order", got, ans.Order)
}

func TestMerchantOrders(t *testing.T) {
	c := exampleClient(t, "/merchant/order/getbyfilter", "merchant_order_getbyfilter_request", "merchant_order_getbyfilter_answer")
	orders, err := c.MerchantOrders(context.Background(), MerchantOrderFilter{
		Status:    intPtr(MerchantOrderToShip),
		BeginTime: 1397130460,
		EndTime:   1397130470,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 {
		t.Fatalf("got %d orders, want 2", len(orders))
	}
	first, second := orders[0], orders[1]
	if first.OrderID != "7197417460812533543" || first.OrderStatus != 6 || first.OrderTotalPrice != 6 ||
		first.OrderExpressPrice != 5 || first.OrderCreateTime != 1394635817 || first.ReceiverMobile != "123456" ||
		first.ProductImg != "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2icND8WwMThBEcehjhDv2icY4GrDSG5RLM3B2qd9kOicWGVJcsAhvXfibhWRNoGOvCfMC33G9z5yQr2Qw/0" {
		t.Errorf("first order = %+v", first)
	}
	if second.OrderID != "7197417460812533569" || second.OrderStatus != MerchantOrderInDispute || second.OrderTotalPrice != 1 ||
		second.OrderExpressPrice != 0 || second.OrderCreateTime != 1394636235 || second.ProductName != "项坠333" ||
		second.ProductSKU != "1075741873:1079742377" || second.ProductCount != 1 || second.TransID != "1900000109201404103172199813" {
		t.Errorf("second order = %+v", second)
	}
}

// A criterion the caller did not give is left out, as the manual says ("不带该字段"): no status 0, no time 0.
func TestMerchantOrdersLeavesOutAbsentCriteria(t *testing.T) {
	for _, tc := range []struct {
		filter MerchantOrderFilter
		want   string
	}{
		{MerchantOrderFilter{}, `{}`},
		{MerchantOrderFilter{Status: intPtr(MerchantOrderShipped)}, `{"status":3}`},
		{MerchantOrderFilter{BeginTime: 1397130460}, `{"begintime":1397130460}`},
		{MerchantOrderFilter{EndTime: 1397130470, Status: intPtr(MerchantOrderDone)}, `{"status":5,"endtime":1397130470}`},
	} {
		c, body := recordingClient(t, "/merchant/order/getbyfilter", `{"errcode":0,"errmsg":"success"}`)
		orders, err := c.MerchantOrders(context.Background(), tc.filter)
		if err != nil || orders != nil {
			t.Errorf("%+v: MerchantOrders = %v, %v; want no orders", tc.filter, orders, err)
		}
		assertSameJSON(t, "getbyfilter body", body(), []byte(tc.want))
	}
}

func TestSetMerchantDelivery(t *testing.T) {
	c := exampleClient(t, "/merchant/order/setdelivery", "merchant_order_setdelivery_request", "merchant_order_setdelivery_answer")
	if err := c.SetMerchantDelivery(context.Background(), "7197417460812533543", "059Yunda", "1900659372473"); err != nil {
		t.Fatal(err)
	}
}

func TestCloseMerchantOrder(t *testing.T) {
	c := exampleClient(t, "/merchant/order/close", "merchant_order_close_request", "merchant_order_close_answer")
	if err := c.CloseMerchantOrder(context.Background(), "7197417460812584720"); err != nil {
		t.Fatal(err)
	}
}

func TestMerchantCouriers(t *testing.T) {
	want := []Courier{
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
	got := MerchantCouriers()
	if !slices.Equal(got, want) {
		t.Fatalf("MerchantCouriers = %v", got)
	}
	got[0].Name = "changed"
	if MerchantCouriers()[0].Name != "邮政EMS" {
		t.Error("changing the returned list changed the package's list")
	}
	for _, c := range want {
		if name, ok := MerchantCourierName(c.ID); !ok || name != c.Name {
			t.Errorf("MerchantCourierName(%q) = %q, %v", c.ID, name, ok)
		}
	}
	// Ids are case-sensitive as the manual writes them: 059Yunda, not 059yunda.
	for _, id := range []string{"", "059yunda", "STO", "10000028"} {
		if name, ok := MerchantCourierName(id); ok {
			t.Errorf("MerchantCourierName(%q) = %q; want not found", id, name)
		}
	}
}

func TestMerchantOrderCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	filter := func(f MerchantOrderFilter) error { _, err := c.MerchantOrders(ctx, f); return err }
	for name, call := range map[string]func() error{
		"get no id":            func() error { _, err := c.MerchantOrder(ctx, ""); return err },
		"filter status 0":      func() error { return filter(MerchantOrderFilter{Status: intPtr(0)}) },
		"filter status 6":      func() error { return filter(MerchantOrderFilter{Status: intPtr(6)}) },
		"filter begin > end":   func() error { return filter(MerchantOrderFilter{BeginTime: 20, EndTime: 10}) },
		"filter negative time": func() error { return filter(MerchantOrderFilter{BeginTime: -1}) },
		"delivery no id":       func() error { return c.SetMerchantDelivery(ctx, "", "059Yunda", "1900659372473") },
		"delivery no company":  func() error { return c.SetMerchantDelivery(ctx, "7197417460812533543", "", "1900659372473") },
		"delivery no track no": func() error { return c.SetMerchantDelivery(ctx, "7197417460812533543", "059Yunda", "") },
		"close no id":          func() error { return c.CloseMerchantOrder(ctx, "") },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "wx: /merchant/order/") {
			t.Errorf("%s: err = %v, want a wx: /merchant/order/... error", name, err)
		}
	}
}

func TestMerchantOrderCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/order/getbyid", func(c *Client) error { _, err := c.MerchantOrder(ctx, "1"); return err }},
		{"/merchant/order/getbyfilter", func(c *Client) error { _, err := c.MerchantOrders(ctx, MerchantOrderFilter{}); return err }},
		{"/merchant/order/setdelivery", func(c *Client) error { return c.SetMerchantDelivery(ctx, "1", "059Yunda", "2") }},
		{"/merchant/order/close", func(c *Client) error { return c.CloseMerchantOrder(ctx, "1") }},
	})
}

func TestMerchantOrderAnswerWithoutOrder(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if o, err := c.MerchantOrder(context.Background(), "1"); err == nil || o != nil {
		t.Errorf("MerchantOrder = %v, %v; want an error", o, err)
	}
}
