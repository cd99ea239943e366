package shop

import (
	"context"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

// The first start fills each mirror and each source's orders once; a later start, finding them synced, asks
// WeChat nothing again.
func TestFirstSyncFillsEachMirrorOnce(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: 30})
	ctx := context.Background()
	ts.FirstSync(ctx, ts.MerchantMirrors())

	products, _, err := ts.store.Products(ctx, db.ProductFilter{Limit: 1000})
	if err != nil || len(products) != len(ts.sandbox.Products()) {
		t.Errorf("the mirror holds %d products, WeChat %d (%v)", len(products), len(ts.sandbox.Products()), err)
	}
	groups, _ := ts.store.Groups(ctx)
	shelves, _ := ts.store.Shelves(ctx)
	templates, _ := ts.store.PostageTemplates(ctx)
	if len(groups) != len(ts.sandbox.Groups()) || len(shelves) != len(ts.sandbox.Shelves()) || len(templates) != len(ts.sandbox.DeliveryTemplates()) {
		t.Errorf("mirrored %d groups, %d shelves, %d templates; WeChat holds %d, %d, %d", len(groups), len(shelves), len(templates),
			len(ts.sandbox.Groups()), len(ts.sandbox.Shelves()), len(ts.sandbox.DeliveryTemplates()))
	}
	for _, key := range []string{SettingProductsSyncedAt, SettingGroupsSyncedAt, SettingTemplatesSyncedAt, SettingShelvesSyncedAt} {
		if ts.SyncedAt(ctx, key).IsZero() {
			t.Errorf("%s not set after the first sync", key)
		}
	}
	orders, total, err := ts.store.Orders(ctx, db.OrderFilter{Source: db.SourceMerchant, Limit: 1000})
	if err != nil || total != ts.sandbox.OrderCount(sandbox.SourceMerchant) || len(orders) != total {
		t.Errorf("the mirror holds %d merchant orders, WeChat %d (%v)", total, ts.sandbox.OrderCount(sandbox.SourceMerchant), err)
	}

	paths := []string{"/merchant/getbystatus", "/merchant/group/getall", "/merchant/express/getall", "/merchant/shelf/getall", "/merchant/order/getbyfilter"}
	before := map[string]int{}
	for _, p := range paths {
		before[p] = ts.sandbox.Calls(p)
	}
	ts.FirstSync(ctx, ts.MerchantMirrors())
	for _, p := range paths {
		if n := ts.sandbox.Calls(p) - before[p]; n != 0 {
			t.Errorf("the second start called %s %d times", p, n)
		}
	}
	if got := ts.journal.take(); len(got) != 0 {
		t.Errorf("the first sync is the app's, not an operator's; it wrote %+v", got)
	}
}

// An operator's sync of a mirror is audited with what it found.
func TestSyncMirrorIsAudited(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	n, err := ts.SyncMirror(context.Background(), ts.j(), MirrorGroups)
	if err != nil || n != len(ts.sandbox.Groups()) {
		t.Fatalf("synced %d groups, WeChat holds %d (%v)", n, len(ts.sandbox.Groups()), err)
	}
	wantEntry(t, ts, "group.sync", "all", "ok")
}
