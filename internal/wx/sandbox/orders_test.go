package sandbox_test

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The sandbox's order codes (codes.go and the order files), as a client sees them.
const (
	codeAPIUnauthorized   = 48001
	codeShopOrderNotFound = 100002
	codeShopBadParameter  = 9401020
	codeOrderNotFound     = 9402024
	codeOrderShipped      = 9402025
	codeOrderStatus       = 9402026
	codeCourierNotFound   = 9402027

	// Channels shipping answers WeChat's own codes.
	codeChannelsOrderState = 101100
	codeChannelsShipFailed = 109000
	codeChannelsShipped    = 109001
	codeChannelsIncomplete = 109002
)

var mobilePattern = regexp.MustCompile(`^1[358][0-9]{9}$`)

// order is the sandbox's copy of an order, failing the test if there is none.
func (sh *shop) order(source, id string) sandbox.OrderState {
	sh.t.Helper()
	o, found := sh.sb.Order(source, id)
	if !found {
		sh.t.Fatalf("the sandbox has no %s order %s", source, id)
	}
	return o
}

// wantOrderUnchanged fails the test if the sandbox's copy of the order differs from before.
func (sh *shop) wantOrderUnchanged(before sandbox.OrderState) {
	sh.t.Helper()
	if after := sh.order(before.Source, before.ID); !reflect.DeepEqual(after, before) {
		sh.t.Fatalf("a refused call changed the order:\nbefore %+v\nafter  %+v", before, after)
	}
}

// firstOrder is the first order of source in status that fits, failing the test if none does.
func (sh *shop) firstOrder(source string, status int, fits func(sandbox.OrderState) bool) sandbox.OrderState {
	sh.t.Helper()
	for _, id := range sh.sb.OrderIDs(source, status) {
		if o := sh.order(source, id); fits == nil || fits(o) {
			return o
		}
	}
	sh.t.Fatalf("no %s order in status %d that fits", source, status)
	return sandbox.OrderState{}
}

func intPtr(v int) *int { return &v }

func TestMerchantOrderGetAndFilter(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	all, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != sh.sb.OrderCount(sandbox.SourceMerchant) || len(all) < 50 {
		t.Fatalf("getbyfilter answered %d orders, the sandbox holds %d", len(all), sh.sb.OrderCount(sandbox.SourceMerchant))
	}
	for _, status := range []int{wx.MerchantOrderToShip, wx.MerchantOrderShipped, wx.MerchantOrderDone, wx.MerchantOrderInDispute} {
		list, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{Status: intPtr(status)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 || len(list) != len(sh.sb.OrderIDs(sandbox.SourceMerchant, status)) {
			t.Errorf("status %d: %d orders, the sandbox holds %d", status, len(list), len(sh.sb.OrderIDs(sandbox.SourceMerchant, status)))
		}
		for _, o := range list {
			if o.OrderStatus != status {
				t.Errorf("status %d filter answered order %s in %d", status, o.OrderID, o.OrderStatus)
			}
		}
	}

	// A creation-time window answers exactly the orders created in it, both ends included.
	mid := all[len(all)/2].OrderCreateTime
	begin, end := mid-5*86400, mid
	window, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{BeginTime: begin, EndTime: end})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, o := range all {
		if o.OrderCreateTime >= begin && o.OrderCreateTime <= end {
			want++
		}
	}
	if len(window) != want || want == 0 {
		t.Errorf("window answered %d orders, want %d", len(window), want)
	}

	// getbyid answers the order as getbyfilter does, and as the sandbox holds it.
	o, err := sh.wx.MerchantOrder(ctx, all[0].OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*o, all[0]) {
		t.Errorf("getbyid %+v\ngetbyfilter %+v", *o, all[0])
	}
	held := sh.order(sandbox.SourceMerchant, o.OrderID)
	if held.Status != o.OrderStatus || held.TotalFen != o.OrderTotalPrice || held.Lines[0].ProductID != o.ProductID ||
		held.Lines[0].SKUID != o.ProductSKU || held.Lines[0].Count != o.ProductCount || held.Created.Unix() != o.OrderCreateTime {
		t.Errorf("getbyid %+v, held %+v", *o, held)
	}

	wantCode(t, func() error { _, err := sh.wx.MerchantOrder(ctx, "7197000000000000001"); return err }(), codeOrderNotFound)
	wantErr(t, sh.post("/merchant/order/getbyid", `{}`), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/order/getbyfilter", `{"status":6}`), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/order/getbyfilter", `{"begintime":200,"endtime":100}`), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/order/getbyfilter", `{"status":"2"}`), codeDataFormat)
	wantErr(t, sh.post("/merchant/order/getbyfilter", ``), 0)
}

func TestMerchantSetDelivery(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	before := sh.firstOrder(sandbox.SourceMerchant, wx.MerchantOrderToShip, nil)
	id := before.ID

	// Refused: an unknown company, missing fields, an unknown order. Nothing changes.
	wantErr(t, sh.post("/merchant/order/setdelivery", fmt.Sprintf(`{"order_id":%q,"delivery_company":"SF","delivery_track_no":"SF1234567890123"}`, id)), codeCourierNotFound)
	wantErr(t, sh.post("/merchant/order/setdelivery", fmt.Sprintf(`{"order_id":%q,"need_delivery":2}`, id)), codeInvalidArgs)
	wantCode(t, sh.wx.SetMerchantDelivery(ctx, "7197000000000000001", "003shunfeng", "SF1234567890123"), codeOrderNotFound)
	wantErr(t, sh.post("/merchant/order/setdelivery", fmt.Sprintf(`{"order_id":%q,"delivery_company":"003shunfeng"}`, id)), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/order/setdelivery", fmt.Sprintf(`{"order_id":%q,"delivery_track_no":"1"}`, id)), codeInvalidArgs)
	sh.wantOrderUnchanged(before)

	sh.clock.Advance(time.Hour)
	if err := sh.wx.SetMerchantDelivery(ctx, id, "059Yunda", "4312345678901"); err != nil {
		t.Fatal(err)
	}
	got, err := sh.wx.MerchantOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderStatus != wx.MerchantOrderShipped || got.DeliveryCompany != "059Yunda" || got.DeliveryID != "4312345678901" {
		t.Errorf("after setdelivery: status %d, delivery %q %q", got.OrderStatus, got.DeliveryCompany, got.DeliveryID)
	}
	held := sh.order(sandbox.SourceMerchant, id)
	if len(held.Parcels) != 1 || held.Parcels[0].TrackingNo != "4312345678901" || !held.Updated.Equal(sh.clock.Now().Truncate(time.Second)) ||
		held.Lines[0].Shipped != held.Lines[0].Count {
		t.Errorf("held %+v", held)
	}
	shipped, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{Status: intPtr(wx.MerchantOrderShipped)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(shipped, func(o wx.MerchantOrder) bool { return o.OrderID == id }) {
		t.Error("the shipped order is not among the shipped ones")
	}

	// A second setdelivery, of this order or any shipped one, is refused; so is one of a closed order.
	wantCode(t, sh.wx.SetMerchantDelivery(ctx, id, "003shunfeng", "SF1234567890123"), codeOrderShipped)
	sh.wantOrderUnchanged(held)
	done := sh.firstOrder(sandbox.SourceMerchant, wx.MerchantOrderDone, nil)
	wantCode(t, sh.wx.SetMerchantDelivery(ctx, done.ID, "003shunfeng", "SF1234567890123"), codeOrderShipped)
	sh.wantOrderUnchanged(done)
	closed := sh.firstOrder(sandbox.SourceMerchant, 6, nil)
	wantCode(t, sh.wx.SetMerchantDelivery(ctx, closed.ID, "003shunfeng", "SF1234567890123"), codeOrderStatus)
	sh.wantOrderUnchanged(closed)
}

func TestMerchantClose(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	toShip := sh.firstOrder(sandbox.SourceMerchant, wx.MerchantOrderToShip, nil)
	if err := sh.wx.CloseMerchantOrder(ctx, toShip.ID); err != nil {
		t.Fatal(err)
	}
	got, err := sh.wx.MerchantOrder(ctx, toShip.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderStatus != 6 {
		t.Errorf("a closed order answers status %d", got.OrderStatus)
	}
	closed := sh.order(sandbox.SourceMerchant, toShip.ID)
	wantCode(t, sh.wx.CloseMerchantOrder(ctx, toShip.ID), codeOrderStatus)
	sh.wantOrderUnchanged(closed)
	wantCode(t, sh.wx.SetMerchantDelivery(ctx, toShip.ID, "059Yunda", "4312345678901"), codeOrderStatus)
	sh.wantOrderUnchanged(closed)

	// Only unshipped orders close.
	for _, status := range []int{wx.MerchantOrderShipped, wx.MerchantOrderDone} {
		o := sh.firstOrder(sandbox.SourceMerchant, status, nil)
		wantCode(t, sh.wx.CloseMerchantOrder(ctx, o.ID), codeOrderShipped)
		sh.wantOrderUnchanged(o)
	}
	wantCode(t, sh.wx.CloseMerchantOrder(ctx, "7197000000000000001"), codeOrderNotFound)
}

func TestShopOrder(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	held := sh.firstOrder(sandbox.SourceShop, wx.ShopOrderToReceive, nil)
	o, err := sh.wx.ShopOrder(ctx, held.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := o.OrderDetail
	if string(o.OrderID) != held.ID || o.Status != held.Status || int64(o.CreateTime) != held.Created.Unix() ||
		int64(o.UpdateTime) != held.Updated.Unix() || d.PriceInfo.OrderPrice != held.TotalFen {
		t.Errorf("answered %+v, held %+v", o, held)
	}
	if len(d.ProductInfos) != len(held.Lines) || len(d.DeliveryInfo.DeliveryProductInfo) != len(held.Parcels) {
		t.Fatalf("%d lines, %d parcels; held %+v", len(d.ProductInfos), len(d.DeliveryInfo.DeliveryProductInfo), held)
	}
	addr := d.DeliveryInfo.AddressInfo
	if addr.UserName == "" || !mobilePattern.MatchString(addr.TelNumber) || addr.ProvinceName == "" || addr.CityName == "" || addr.DetailInfo == "" {
		t.Errorf("address %+v", addr)
	}
	if d.PayInfo.PayTime == 0 || d.PayInfo.TransactionID == "" || d.PriceInfo.ProductPrice+d.PriceInfo.Freight-d.PriceInfo.DiscountedPrice != d.PriceInfo.OrderPrice {
		t.Errorf("pay %+v, price %+v", d.PayInfo, d.PriceInfo)
	}

	// On the wire as the document has it: order_id a number, times as text.
	a := sh.post("/product/order/get", fmt.Sprintf(`{"order_id":%s}`, held.ID))
	wantErr(t, a, 0)
	for _, want := range []string{`"order_id":` + held.ID + `,`, `"create_time":"` + held.Created.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05") + `"`} {
		if !strings.Contains(string(a.raw), want) {
			t.Errorf("the answer lacks %s: %.300s", want, a.raw)
		}
	}

	wantCode(t, func() error { _, err := sh.wx.ShopOrder(ctx, "32000000000000001"); return err }(), codeShopOrderNotFound)
	wantErr(t, sh.post("/product/order/get", `{}`), codeShopBadParameter)
	wantErr(t, sh.post("/product/order/get", fmt.Sprintf(`{"order_id":%q}`, held.ID)), codeShopBadParameter)
	wantErr(t, sh.post("/product/order/get", `{"order_id":-5}`), codeShopBadParameter)
	wantErr(t, sh.post("/product/order/get", `{"order_id":`), codeDataFormat)
}

func TestPartnerOrder(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	// Some orders are answered as the document's example is: no status, no real_price.
	var full, bare int
	for _, id := range sh.sb.OrderIDs(sandbox.SourcePartner, 0) {
		held, _ := sh.sb.Order(sandbox.SourcePartner, id)
		o, err := sh.wx.PartnerStoreOrder(ctx, held.ShopAppID, held.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := o.OrderDetail.PriceInfo
		if p.OrderPrice != held.TotalFen || len(o.OrderDetail.ProductInfos) != len(held.Lines) ||
			p.OriginalOrderPrice != p.ProductPrice+p.Freight || p.MerchantReceievePrice != p.OriginalOrderPrice-p.DiscountedPrice {
			t.Errorf("answered %+v, held %+v", o, held)
		}
		paid := 0
		for _, item := range o.OrderDetail.ProductInfos {
			if (item.RealPrice == nil) != (o.Status == nil) {
				t.Errorf("order %s: status %v but real_price %v", id, o.Status, item.RealPrice)
			}
			paid += item.LineTotal()
		}
		if paid != p.ProductPrice-p.DiscountedPrice {
			t.Errorf("the lines add up to %d, products less discount %d", paid, p.ProductPrice-p.DiscountedPrice)
		}
		if o.Status == nil {
			bare++
			if bytes.Contains(o.Raw, []byte(`"status"`)) || bytes.Contains(o.Raw, []byte(`"real_price"`)) {
				t.Errorf("order %s: %s", id, o.Raw)
			}
			continue
		}
		full++
		if *o.Status != held.Status {
			t.Errorf("order %s: status %d, held %d", id, *o.Status, held.Status)
		}
	}
	if full == 0 || bare == 0 {
		t.Errorf("%d partner orders with a status, %d without; the demo should have both", full, bare)
	}
	held := sh.firstOrder(sandbox.SourcePartner, wx.ShopOrderDone, nil)
	// Another store does not have it.
	wantCode(t, func() error { _, err := sh.wx.PartnerStoreOrder(ctx, "wx0000000000000000", held.ID); return err }(), codeShopOrderNotFound)
	wantCode(t, func() error { _, err := sh.wx.PartnerStoreOrder(ctx, held.ShopAppID, "1"); return err }(), codeShopOrderNotFound)
	wantErr(t, sh.post("/channels/ec/cooperation/order/get", fmt.Sprintf(`{"order_id":%q}`, held.ID)), codeInvalidArgs)
}

func TestOrderSourceUnavailable(t *testing.T) {
	sh := newShop(t, sandbox.Options{OrderSources: map[string]bool{sandbox.SourceMerchant: false, sandbox.SourcePartner: false, sandbox.SourceShop: true}})
	ctx := t.Context()
	partner := sh.firstOrder(sandbox.SourcePartner, 0, nil)
	shopID := sh.sb.OrderIDs(sandbox.SourceShop, 0)[0]
	week := &wx.TimeRange{StartTime: sh.clock.Now().Add(-7 * 24 * time.Hour).Unix(), EndTime: sh.clock.Now().Unix()}
	calls := map[string]func() error{
		"merchant getbyfilter": func() error { _, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{}); return err },
		"merchant getbyid":     func() error { _, err := sh.wx.MerchantOrder(ctx, "1"); return err },
		"merchant setdelivery": func() error { return sh.wx.SetMerchantDelivery(ctx, "1", "059Yunda", "1") },
		"merchant close":       func() error { return sh.wx.CloseMerchantOrder(ctx, "1") },
		"partner":              func() error { _, err := sh.wx.PartnerStoreOrder(ctx, partner.ShopAppID, partner.ID); return err },
	}
	for name, call := range calls {
		if err := call(); !wx.IsCode(err, codeAPIUnauthorized) {
			t.Errorf("%s: %v, want 48001", name, err)
		}
	}
	if _, err := sh.wx.ShopOrder(ctx, shopID); err != nil {
		t.Errorf("shop: %v", err)
	}
	if _, err := sh.wx.ChannelsOrderIDs(ctx, wx.ChannelsOrderListRequest{CreateTimeRange: week, PageSize: 10}); err != nil {
		t.Errorf("channels: %v", err)
	}

	sh.sb.SetOrderSource(sandbox.SourceMerchant, true)
	sh.sb.SetOrderSource(sandbox.SourceChannels, false)
	if _, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{}); err != nil {
		t.Errorf("merchant made available: %v", err)
	}
	if _, err := sh.wx.ChannelsOrderIDs(ctx, wx.ChannelsOrderListRequest{CreateTimeRange: week, PageSize: 10}); !wx.IsCode(err, codeAPIUnauthorized) {
		t.Errorf("channels made unavailable: %v", err)
	}
}

func TestOrderPermission(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	if err := sh.wx.OpenOrderPermission(ctx); err != nil {
		t.Fatalf("first open: %v", err)
	}
	if sh.sb.Permission() != sandbox.PermissionOpen {
		t.Errorf("state %d after opening", sh.sb.Permission())
	}
	wantCode(t, sh.wx.OpenOrderPermission(ctx), wx.CodeOrderPermissionState)

	for state, code := range map[sandbox.PermissionState]int{
		sandbox.PermissionNeedsAgreement: wx.CodeOrderPermissionAgreement,
		sandbox.PermissionOutOfRange:     wx.CodeOrderPermissionOutOfRange,
		sandbox.PermissionOpen:           wx.CodeOrderPermissionState,
	} {
		other := newShop(t, sandbox.Options{PermissionState: state})
		wantCode(t, other.wx.OpenOrderPermission(ctx), code)
		wantCode(t, other.wx.OpenOrderPermission(ctx), code) // a refusal changes nothing
		if other.sb.Permission() != state {
			t.Errorf("state %d became %d", state, other.sb.Permission())
		}
	}

	// Accepting the agreement (in the test, SetPermissionState) lets it open.
	sh.sb.SetPermissionState(sandbox.PermissionNeedsAgreement)
	wantCode(t, sh.wx.OpenOrderPermission(ctx), wx.CodeOrderPermissionAgreement)
	sh.sb.SetPermissionState(sandbox.PermissionClosed)
	if err := sh.wx.OpenOrderPermission(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sh.sb.Calls("/user-order/orders-permission/open"); got != 4 {
		t.Errorf("%d calls", got)
	}
}
