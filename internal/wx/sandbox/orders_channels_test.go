package sandbox_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const (
	codeTooManyOrders = 31042
	codeBadNextKey    = 606006
)

// listAll pages through req, failing the test on an error, and returns every id in the order answered and
// how many pages it took.
func (sh *shop) listAll(req wx.ChannelsOrderListRequest) ([]string, int) {
	sh.t.Helper()
	var ids []string
	for pages := 1; ; pages++ {
		ans, err := sh.wx.ChannelsOrderIDs(sh.t.Context(), req)
		if err != nil {
			sh.t.Fatalf("page %d: %v", pages, err)
		}
		if len(ans.OrderIDList) > req.PageSize {
			sh.t.Fatalf("page %d holds %d ids, page_size %d", pages, len(ans.OrderIDList), req.PageSize)
		}
		for _, id := range ans.OrderIDList {
			ids = append(ids, string(id))
		}
		if !ans.HasMore {
			return ids, pages
		}
		if ans.NextKey == "" {
			sh.t.Fatal("has_more without next_key")
		}
		req.NextKey = ans.NextKey
	}
}

// channelsIn lists the ids of the Channels orders whose field (created or updated) is in [from, to], as the
// sandbox holds them.
func (sh *shop) channelsIn(from, to time.Time, updated bool, keep func(sandbox.OrderState) bool) []string {
	sh.t.Helper()
	var ids []string
	for _, id := range sh.sb.OrderIDs(sandbox.SourceChannels, 0) {
		o := sh.order(sandbox.SourceChannels, id)
		t := o.Created
		if updated {
			t = o.Updated
		}
		if !t.Before(from) && !t.After(to) && (keep == nil || keep(o)) {
			ids = append(ids, id)
		}
	}
	return ids
}

func weekTo(end time.Time) *wx.TimeRange {
	return &wx.TimeRange{StartTime: end.Add(-7 * 24 * time.Hour).Unix(), EndTime: end.Unix()}
}

// Paging over several pages answers every order of the window exactly once, oldest first.
func TestChannelsListPaging(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	now := sh.clock.Now()
	for _, tr := range []*wx.TimeRange{weekTo(now), weekTo(now.Add(-20 * 24 * time.Hour))} {
		want := sh.channelsIn(time.Unix(tr.StartTime, 0), time.Unix(tr.EndTime, 0), false, nil)
		got, pages := sh.listAll(wx.ChannelsOrderListRequest{CreateTimeRange: tr, PageSize: 7})
		if pages < 3 {
			t.Fatalf("%d orders in %d pages: too few to test paging", len(want), pages)
		}
		slices.Sort(want)
		sorted := slices.Sorted(slices.Values(got))
		if !slices.Equal(sorted, want) {
			t.Errorf("paging answered %d ids, %d distinct; want the %d of the window", len(got), len(slices.Compact(sorted)), len(want))
		}
		for i := 1; i < len(got); i++ {
			a, b := sh.order(sandbox.SourceChannels, got[i-1]), sh.order(sandbox.SourceChannels, got[i])
			if a.Created.After(b.Created) {
				t.Fatalf("%s (%v) before %s (%v)", a.ID, a.Created, b.ID, b.Created)
			}
		}
	}

	// The status filter: 20 includes partly shipped orders, 250 every cancellation.
	for status, keep := range map[int]func(sandbox.OrderState) bool{
		wx.ShopOrderToShip: func(o sandbox.OrderState) bool {
			return o.Status == wx.ShopOrderToShip || o.Status == wx.ShopOrderPartlyShipped
		},
		wx.ShopOrderCancelledUnpaid: func(o sandbox.OrderState) bool { return o.Status >= 181 },
		wx.ShopOrderDone:            func(o sandbox.OrderState) bool { return o.Status == wx.ShopOrderDone },
	} {
		tr := weekTo(now.Add(-10 * 24 * time.Hour))
		if status != wx.ShopOrderDone {
			tr = weekTo(now)
		}
		want := sh.channelsIn(time.Unix(tr.StartTime, 0), time.Unix(tr.EndTime, 0), false, keep)
		got, _ := sh.listAll(wx.ChannelsOrderListRequest{CreateTimeRange: tr, Status: intPtr(status), PageSize: 100})
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("status %d: %d ids, want %d", status, len(got), len(want))
		}
	}

	// The openid filter answers the buyer's orders only.
	first := sh.sb.OrderIDs(sandbox.SourceChannels, 0)[0]
	o, err := sh.wx.ChannelsOrder(t.Context(), first)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := sh.listAll(wx.ChannelsOrderListRequest{CreateTimeRange: &wx.TimeRange{StartTime: int64(o.CreateTime), EndTime: int64(o.CreateTime)}, OpenID: o.OpenID, PageSize: 10})
	if !slices.Contains(got, first) {
		t.Errorf("openid %s: %v lacks %s", o.OpenID, got, first)
	}
	got, _ = sh.listAll(wx.ChannelsOrderListRequest{CreateTimeRange: weekTo(now), OpenID: "oNOBODY", PageSize: 10})
	if len(got) != 0 {
		t.Errorf("an unknown openid has orders %v", got)
	}
}

// next_key only works with the rest of the request unchanged.
func TestChannelsListNextKey(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	req := wx.ChannelsOrderListRequest{CreateTimeRange: weekTo(sh.clock.Now()), PageSize: 3}
	first, err := sh.wx.ChannelsOrderIDs(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !first.HasMore {
		t.Fatal("one page only")
	}
	changed := map[string]func(r *wx.ChannelsOrderListRequest){
		"page_size": func(r *wx.ChannelsOrderListRequest) { r.PageSize = 4 },
		"status":    func(r *wx.ChannelsOrderListRequest) { r.Status = intPtr(wx.ShopOrderDone) },
		"start_time": func(r *wx.ChannelsOrderListRequest) {
			r.CreateTimeRange = &wx.TimeRange{StartTime: r.CreateTimeRange.StartTime + 1, EndTime: r.CreateTimeRange.EndTime}
		},
		"update":      func(r *wx.ChannelsOrderListRequest) { r.UpdateTimeRange = weekTo(sh.clock.Now()) },
		"openid":      func(r *wx.ChannelsOrderListRequest) { r.OpenID = "oSOMEONE" },
		"forged key":  func(r *wx.ChannelsOrderListRequest) { r.NextKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
		"garbage key": func(r *wx.ChannelsOrderListRequest) { r.NextKey = "not a key!" },
	}
	for name, change := range changed {
		r := req
		r.NextKey = first.NextKey
		change(&r)
		_, err := sh.wx.ChannelsOrderIDs(ctx, r)
		if !wx.IsCode(err, codeBadNextKey) {
			t.Errorf("%s: %v, want 606006", name, err)
		}
	}
	// Unchanged, it answers the next page, which starts after the first.
	req.NextKey = first.NextKey
	second, err := sh.wx.ChannelsOrderIDs(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.OrderIDList) == 0 || slices.Contains(first.OrderIDList, second.OrderIDList[0]) {
		t.Errorf("pages %v then %v", first.OrderIDList, second.OrderIDList)
	}
	// The same key again answers the same page: a key is a place, not a session.
	again, err := sh.wx.ChannelsOrderIDs(ctx, req)
	if err != nil || !slices.Equal(again.OrderIDList, second.OrderIDList) {
		t.Errorf("replayed key: %v, %v", again, err)
	}
}

// A window holding more than ChannelsWindowLimit orders is 31042; a narrower one works.
func TestChannelsListTooMany(t *testing.T) {
	sh := newShop(t, sandbox.Options{ChannelsWindowLimit: 5})
	ctx := t.Context()
	now := sh.clock.Now()
	req := wx.ChannelsOrderListRequest{CreateTimeRange: weekTo(now), PageSize: 100}
	if n := len(sh.channelsIn(now.Add(-7*24*time.Hour), now, false, nil)); n <= 5 {
		t.Fatalf("only %d orders in the week", n)
	}
	_, err := sh.wx.ChannelsOrderIDs(ctx, req)
	wantCode(t, err, codeTooManyOrders)
	// Halving the window until it fits, as the app does, gets there.
	from, to := now.Add(-7*24*time.Hour), now
	for {
		_, err := sh.wx.ChannelsOrderIDs(ctx, wx.ChannelsOrderListRequest{CreateTimeRange: &wx.TimeRange{StartTime: from.Unix(), EndTime: to.Unix()}, PageSize: 100})
		if err == nil {
			break
		}
		wantCode(t, err, codeTooManyOrders)
		from = to.Add(-to.Sub(from) / 2)
	}
	if len(sh.channelsIn(from, to, false, nil)) > 5 {
		t.Error("a window of more than 5 orders was answered")
	}
}

func TestChannelsListRefuses(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	start := sh.clock.Now().Add(-24 * time.Hour).Unix()
	for name, body := range map[string]string{
		"no range":       `{"page_size":10}`,
		"over 7 days":    fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d},"page_size":10}`, start, start+7*86400+1),
		"update 8 days":  fmt.Sprintf(`{"update_time_range":{"start_time":%d,"end_time":%d},"page_size":10}`, start, start+8*86400),
		"backwards":      fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d},"page_size":10}`, start, start-1),
		"page_size 101":  fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d},"page_size":101}`, start, start+60),
		"page_size 0":    fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d}}`, start, start+60),
		"status 15":      fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d},"page_size":10,"status":15}`, start, start+60),
		"negative start": `{"create_time_range":{"start_time":-5,"end_time":10},"page_size":10}`,
	} {
		if a := sh.post("/channels/ec/order/list/get", body); a.ErrCode != codeInvalidArgs {
			t.Errorf("%s: %s", name, a.raw)
		}
	}
	wantErr(t, sh.post("/channels/ec/order/list/get", `{"create_time_range":{"start_time":"x"},"page_size":10}`), codeDataFormat)
	// Exactly 7 days is allowed.
	wantErr(t, sh.post("/channels/ec/order/list/get", fmt.Sprintf(`{"create_time_range":{"start_time":%d,"end_time":%d},"page_size":10}`, start-6*86400, start+86400)), 0)
}

// Shipping in two parcels: 21 after the first, 30 after the second; each change shows in an update-time
// window; every rule refused leaves the order as it was.
func TestChannelsShipInParcels(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	before := sh.firstOrder(sandbox.SourceChannels, wx.ShopOrderToShip, func(o sandbox.OrderState) bool {
		return len(o.Lines) >= 2 || o.Lines[0].Count >= 2
	})
	id := before.ID
	l0 := before.Lines[0]
	item := func(l sandbox.OrderLine, n int) wx.ChannelsDeliveryProduct {
		return wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: n}
	}
	parcel := func(waybill string, items ...wx.ChannelsDeliveryProduct) wx.ChannelsDelivery {
		return wx.ChannelsDelivery{DeliveryID: "SF", WaybillID: waybill, ProductInfos: items}
	}

	// Refused, the order unchanged.
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF1", item(sandbox.OrderLine{ProductID: l0.ProductID, SKUID: "1"}, 1))}), codeChannelsShipFailed)
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF1", item(l0, l0.Count+1))}), codeChannelsShipFailed)
	// The count is over the whole request: two parcels that together send too many.
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF1", item(l0, l0.Count)), parcel("SF2", item(l0, 1))}), codeChannelsShipFailed)
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, "3704000000000000001", []wx.ChannelsDelivery{parcel("SF1", item(l0, 1))}), codeShopOrderNotFound)
	// The same courier and tracking number in two parcels of one request (WeChat's 109000, as its community
	// answers explain it).
	second := l0
	if l0.Count < 2 {
		second = before.Lines[1]
	}
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF1", item(l0, 1)), parcel("SF1", item(second, 1))}), codeChannelsShipFailed)
	tok := sh.token()
	product := fmt.Sprintf(`[{"product_id":%q,"sku_id":%q,"product_cnt":1}]`, l0.ProductID, l0.SKUID)
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"deliver_type 2", fmt.Sprintf(`{"order_id":%q,"delivery_list":[{"delivery_id":"SF","waybill_id":"SF1","deliver_type":2,"product_infos":%s}]}`, id, product), codeInvalidArgs},
		{"count 0", fmt.Sprintf(`{"order_id":%q,"delivery_list":[{"delivery_id":"SF","waybill_id":"SF1","deliver_type":1,"product_infos":[{"product_id":%q,"sku_id":%q,"product_cnt":0}]}]}`, id, l0.ProductID, l0.SKUID), codeInvalidArgs},
		{"no order_id", `{"delivery_list":[]}`, codeInvalidArgs},
		// What WeChat answers 109002 (its community's answers): no parcel, a parcel without courier, tracking
		// number or products.
		{"no parcels", fmt.Sprintf(`{"order_id":%q,"delivery_list":[]}`, id), codeChannelsIncomplete},
		{"no waybill", fmt.Sprintf(`{"order_id":%q,"delivery_list":[{"delivery_id":"SF","deliver_type":1,"product_infos":%s}]}`, id, product), codeChannelsIncomplete},
		{"no courier", fmt.Sprintf(`{"order_id":%q,"delivery_list":[{"waybill_id":"SF1","deliver_type":1,"product_infos":%s}]}`, id, product), codeChannelsIncomplete},
		{"no products", fmt.Sprintf(`{"order_id":%q,"delivery_list":[{"delivery_id":"SF","waybill_id":"SF1","deliver_type":1}]}`, id), codeChannelsIncomplete},
	} {
		a := sh.do("POST", "/channels/ec/order/delivery/send", map[string][]string{"access_token": {tok}}, tc.body)
		if a.ErrCode != tc.code {
			t.Errorf("%s: %s, want errcode %d", tc.name, a.raw, tc.code)
		}
	}
	sh.wantOrderUnchanged(before)

	// The first parcel: part of line 0. The order is partly shipped, and changed now.
	sh.clock.Advance(2 * time.Hour)
	shipped1 := sh.clock.Now()
	if err := sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF100000000001", item(l0, 1))}); err != nil {
		t.Fatal(err)
	}
	held := sh.order(sandbox.SourceChannels, id)
	if held.Status != wx.ShopOrderPartlyShipped || len(held.Parcels) != 1 || held.Lines[0].Shipped != 1 || !held.Updated.Equal(shipped1.Truncate(time.Second)) {
		t.Fatalf("after the first parcel: %+v", held)
	}
	changed, _ := sh.listAll(wx.ChannelsOrderListRequest{UpdateTimeRange: &wx.TimeRange{StartTime: shipped1.Add(-time.Minute).Unix(), EndTime: shipped1.Unix()}, PageSize: 50})
	if !slices.Equal(changed, []string{id}) {
		t.Errorf("changed in the last minute: %v, want %s", changed, id)
	}
	o, err := sh.wx.ChannelsOrder(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != wx.ShopOrderPartlyShipped || len(o.OrderDetail.DeliveryInfo.DeliveryProductInfo) != 1 ||
		o.OrderDetail.DeliveryInfo.DeliveryProductInfo[0].WaybillID != "SF100000000001" {
		t.Errorf("order/get after the first parcel: %+v", o)
	}

	// The rest, in two parcels of one request: shipped.
	sh.clock.Advance(time.Hour)
	var rest []wx.ChannelsDelivery
	if l0.Count > 1 {
		rest = append(rest, parcel("SF100000000002", item(l0, l0.Count-1)))
	}
	if len(before.Lines) > 1 {
		var others []wx.ChannelsDeliveryProduct
		for _, l := range before.Lines[1:] {
			others = append(others, item(l, l.Count))
		}
		rest = append(rest, wx.ChannelsDelivery{DeliveryID: "ZTO", WaybillID: "73100000000001", ProductInfos: others})
	}
	if err := sh.wx.SendChannelsDelivery(ctx, id, rest); err != nil {
		t.Fatal(err)
	}
	held = sh.order(sandbox.SourceChannels, id)
	if held.Status != wx.ShopOrderToReceive || len(held.Parcels) != 1+len(rest) {
		t.Fatalf("after the rest: %+v", held)
	}
	for _, l := range held.Lines {
		if l.Shipped != l.Count {
			t.Errorf("line %+v", l)
		}
	}
	if o, err := sh.wx.ChannelsOrder(ctx, id); err != nil || o.Status != wx.ShopOrderToReceive || o.OrderDetail.DeliveryInfo.ShipDoneTime == 0 {
		t.Errorf("order/get when shipped: %+v %v", o, err)
	}
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{parcel("SF3", item(l0, 1))}), codeChannelsShipped)
	sh.wantOrderUnchanged(held)

	// Orders not to ship are refused.
	for _, status := range []int{wx.ShopOrderToPay, wx.ShopOrderCancelledUnpaid} {
		o := sh.firstOrder(sandbox.SourceChannels, status, nil)
		wantCode(t, sh.wx.SendChannelsDelivery(ctx, o.ID, []wx.ChannelsDelivery{parcel("SF4", item(o.Lines[0], 1))}), codeChannelsOrderState)
		sh.wantOrderUnchanged(o)
	}
	done := sh.firstOrder(sandbox.SourceChannels, wx.ShopOrderDone, nil)
	wantCode(t, sh.wx.SendChannelsDelivery(ctx, done.ID, []wx.ChannelsDelivery{parcel("SF5", item(done.Lines[0], 1))}), codeChannelsShipped)
}

// Orders made, listed, read and shipped at once: every call runs under the sandbox's lock.
func TestOrdersConcurrently(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	const workers = 6
	errs := make(chan error, workers*20)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range 5 {
				id := sh.sb.NewPaidOrder(sandbox.SourceChannels)
				o := sh.order(sandbox.SourceChannels, id)
				var items []wx.ChannelsDeliveryProduct
				for _, l := range o.Lines {
					items = append(items, wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: l.Count})
				}
				if err := sh.wx.SendChannelsDelivery(ctx, id, []wx.ChannelsDelivery{{DeliveryID: "SF", WaybillID: fmt.Sprintf("SF%d", w), ProductInfos: items}}); err != nil {
					errs <- err
				}
				if _, err := sh.wx.ChannelsOrderIDs(ctx, wx.ChannelsOrderListRequest{UpdateTimeRange: weekTo(sh.clock.Now()), PageSize: 100, Status: intPtr(wx.ShopOrderToReceive)}); err != nil {
					errs <- err
				}
				if _, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{Status: intPtr(wx.MerchantOrderToShip)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(sh.sb.OrderIDs(sandbox.SourceChannels, wx.ShopOrderToReceive)); n < workers*5 {
		t.Errorf("%d shipped", n)
	}
}
