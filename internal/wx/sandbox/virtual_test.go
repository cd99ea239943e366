package sandbox_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The demo has Channels orders of virtual goods: deliver_method 1 in the answer, shipped with deliver_type 3
// and no courier; deliver_type 3 on an order of ordinary goods is refused as WeChat refuses it.
func TestChannelsVirtualOrders(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	sh.firstOrder(sandbox.SourceChannels, wx.ShopOrderToShip, func(o sandbox.OrderState) bool { return o.Virtual }) // in the demo
	virtual := sh.order(sandbox.SourceChannels, sh.sb.NewPaidVirtualOrder())
	ordinary := sh.order(sandbox.SourceChannels, sh.sb.NewPaidOrder(sandbox.SourceChannels))
	if !virtual.Virtual || ordinary.Virtual {
		t.Fatalf("virtual %v, ordinary %v", virtual.Virtual, ordinary.Virtual)
	}

	for _, o := range []sandbox.OrderState{virtual, ordinary} {
		got, err := sh.wx.ChannelsOrder(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: wx.DeliverMethodVirtual, false: wx.DeliverMethodExpress}[o.Virtual]; got.OrderDetail.DeliveryInfo.DeliverMethod != want {
			t.Errorf("order %s (virtual %v): deliver_method %d", o.ID, o.Virtual, got.OrderDetail.DeliveryInfo.DeliverMethod)
		}
	}

	items := func(o sandbox.OrderState) []wx.ChannelsDeliveryProduct {
		var out []wx.ChannelsDeliveryProduct
		for _, l := range o.Lines {
			out = append(out, wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: l.Count})
		}
		return out
	}
	virtualParcel := func(o sandbox.OrderState) []wx.ChannelsDelivery {
		return []wx.ChannelsDelivery{{DeliverType: wx.ChannelsDeliverVirtual, ProductInfos: items(o)}}
	}
	err := sh.wx.SendChannelsDelivery(ctx, ordinary.ID, virtualParcel(ordinary))
	wantCode(t, err, codeInvalidArgs)
	if !strings.Contains(err.Error(), "deliver_method") {
		t.Errorf("refusal %v does not name deliver_method", err)
	}
	sh.wantOrderUnchanged(ordinary)

	if err := sh.wx.SendChannelsDelivery(ctx, virtual.ID, virtualParcel(virtual)); err != nil {
		t.Fatal(err)
	}
	after := sh.order(sandbox.SourceChannels, virtual.ID)
	if after.Status != wx.ShopOrderToReceive || len(after.Parcels) != 1 || after.Parcels[0].Company != "" || after.Parcels[0].TrackingNo != "" {
		t.Fatalf("after a virtual shipment: status %d, parcels %+v", after.Status, after.Parcels)
	}
	got, err := sh.wx.ChannelsOrder(ctx, virtual.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pcs := got.OrderDetail.DeliveryInfo.DeliveryProductInfo; len(pcs) != 1 || pcs[0].DeliverType != "3" || pcs[0].WaybillID != "" {
		t.Errorf("the answer's parcels: %+v", pcs)
	}
}

// An order changed OrderUpdateLimit times within 10 s refuses the next change with 100003 and the order stays
// as it was; once the window has passed the same call goes through.
func TestChannelsShipUpdatedTooOften(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	sh := newShop(t, sandbox.Options{OrderUpdateLimit: 1, Now: clock})
	ctx := t.Context()
	var before sandbox.OrderState
	for range 100 { // a new order has two lines one time in three
		if before = sh.order(sandbox.SourceChannels, sh.sb.NewPaidOrder(sandbox.SourceChannels)); len(before.Lines) >= 2 {
			break
		}
	}
	if len(before.Lines) < 2 {
		t.Fatal("no new order of two lines")
	}
	parcel := func(l sandbox.OrderLine, waybill string) []wx.ChannelsDelivery {
		return []wx.ChannelsDelivery{{DeliveryID: "SF", WaybillID: waybill,
			ProductInfos: []wx.ChannelsDeliveryProduct{{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: l.Count}}}}
	}
	if err := sh.wx.SendChannelsDelivery(ctx, before.ID, parcel(before.Lines[0], "SF1000000001")); err != nil {
		t.Fatal(err)
	}
	partly := sh.order(sandbox.SourceChannels, before.ID)
	mu.Lock()
	now = now.Add(9 * time.Second)
	mu.Unlock()
	err := sh.wx.SendChannelsDelivery(ctx, before.ID, parcel(before.Lines[1], "SF1000000002"))
	wantCode(t, err, wx.CodeUpdatedTooOften)
	sh.wantOrderUnchanged(partly)
	if m, _ := wx.CodeMeaning(wx.CodeUpdatedTooOften, "zh"); m == "" {
		t.Error("100003 has no meaning")
	}

	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if err := sh.wx.SendChannelsDelivery(ctx, before.ID, parcel(before.Lines[1], "SF1000000002")); err != nil {
		t.Fatalf("10 s after the first change: %v", err)
	}
	if o := sh.order(sandbox.SourceChannels, before.ID); len(o.Parcels) != 2 {
		t.Errorf("parcels %s", fmt.Sprint(o.Parcels))
	}
}
