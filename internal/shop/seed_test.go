package shop

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

// storeRows is every row of what a sync writes, one line per row, keyed by the order's source and id rather
// than the local ids the two stores gave. Partner orders' times are left out: their answers have none, so
// they are when the app heard of the order, which differs between the two ways of hearing.
func storeRows(t *testing.T, s *db.Store) map[string][]string {
	t.Helper()
	key := `o.source || '/' || o.shop_appid || '/' || o.order_id`
	queries := map[string]string{
		"orders": `SELECT ` + key + `, status, source_status, buyer_openid, buyer_nick, receiver_name, receiver_phone,
			receiver_province, receiver_city, receiver_district, receiver_address, total_fen, product_fen, freight_fen,
			discount_fen, CASE WHEN source = 'partner' THEN paid_at > 0 ELSE created_at || '/' || paid_at || '/' || updated_at END,
			shipped_at, product_names, merchant_note, note, raw FROM orders o`,
		"lines": `SELECT ` + key + `, l.line_no, l.product_id, l.sku_id, l.title, l.sku_attrs, l.quantity, l.unit_fen, l.total_fen, l.img
			FROM order_lines l JOIN orders o ON o.id = l.order_pk`,
		"parcels": `SELECT ` + key + `, p.parcel_no, p.company_id, p.company_name, p.tracking_no, p.shipped_at
			FROM order_parcels p JOIN orders o ON o.id = p.order_pk`,
		"items": `SELECT ` + key + `, i.parcel_no, i.item_no, i.product_id, i.sku_id, i.count
			FROM order_parcel_items i JOIN orders o ON o.id = i.order_pk`,
		"search index": `SELECT ` + key + `, x.receiver_name, x.product_names FROM order_search x JOIN orders o ON o.id = x.rowid`,
		"counts":       `SELECT source || '/' || status, n FROM order_counts o WHERE n > 0`,
		"sources":      `SELECT source, synced_at > 0, watermark > 0 FROM order_sources o`,
	}
	out := map[string][]string{}
	for name, q := range queries {
		rows, err := s.DB.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var line []string
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				line = append(line, fmt.Sprint(v))
			}
			out[name] = append(out[name], strings.Join(line, "|"))
		}
		rows.Close()
		slices.Sort(out[name])
	}
	return out
}

// The benchmark's seeding writes what a first sync and the fetches that events ask for write: the same
// orders, lines, parcels, search index, counts and sync state, from the same sandbox shop.
func TestSeedOrdersWritesWhatASyncWrites(t *testing.T) {
	ctx := context.Background()
	synced := newTestShop(t, sandbox.Options{Orders: 300})
	for _, r := range synced.SyncOrders(ctx) {
		if r.Err != nil {
			t.Fatalf("sync %s: %v", r.Source, r.Err)
		}
	}
	// Mini-shop and partner orders have no list: each arrives by an event, and the app fetches it.
	for _, source := range []string{sandbox.SourceShop, sandbox.SourcePartner} {
		for _, id := range synced.sandbox.OrderIDs(source, 0) {
			o, _ := synced.sandbox.Order(source, id)
			if err := synced.FetchOrder(ctx, source, o.ShopAppID, id); err != nil {
				t.Fatalf("fetch %s %s: %v", source, id, err)
			}
		}
	}

	seeded, err := db.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer seeded.Close()
	resp, err := http.Get(synced.url + "/sandbox/orders/export")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := SeedOrders(ctx, seeded, resp.Body, 64) // several batches
	if err != nil || n != synced.sandbox.OrderCount("") {
		t.Fatalf("seeded %d orders (%v), the shop has %d", n, err, synced.sandbox.OrderCount(""))
	}

	want, got := storeRows(t, synced.store), storeRows(t, seeded)
	for name, rows := range want {
		if len(rows) == 0 {
			t.Errorf("the sync wrote no %s", name)
		}
		if !slices.Equal(rows, got[name]) {
			for i := range max(len(rows), len(got[name])) {
				if i >= len(rows) || i >= len(got[name]) || rows[i] != got[name][i] {
					t.Errorf("%s: %d rows synced, %d seeded; first difference:\nsync %.300v\nseed %.300v", name, len(rows), len(got[name]),
						rows[min(i, len(rows)-1)], got[name][min(i, len(got[name])-1)])
					break
				}
			}
		}
	}
}
