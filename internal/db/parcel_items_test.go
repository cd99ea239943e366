package db

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite"
)

func TestParcelItemsAreStoredAndReadBack(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		o := testOrder("P1", OrderPartial, at)
		o.Lines = append(o.Lines, OrderLine{ProductID: "p2", SKUID: "s2", Title: "袜子 ×3 双装", Quantity: 4})
		o.Parcels = []Parcel{
			{CompanyID: "SF", TrackingNo: "SF1", ShippedAt: at, Items: []ParcelItem{{ProductID: "p1", Count: 1}, {ProductID: "p2", SKUID: "s2", Count: 2}}},
			{CompanyID: "ZTO", TrackingNo: "ZT1", ShippedAt: at, Items: []ParcelItem{{ProductID: "p2", SKUID: "s2", Count: 1}}},
		}
		id, err := s.UpsertOrder(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Parcels) != 2 || !slices.Equal(got.Parcels[0].Items, o.Parcels[0].Items) || !slices.Equal(got.Parcels[1].Items, o.Parcels[1].Items) {
			t.Fatalf("parcels read back %+v, want %+v", got.Parcels, o.Parcels)
		}
		list, _, err := s.Orders(ctx, OrderFilter{})
		if err != nil || len(list) != 1 || !slices.Equal(list[0].Parcels[1].Items, o.Parcels[1].Items) {
			t.Fatalf("the list's parcels %+v, %v", list, err)
		}
		// Written again with fewer parcels, the order keeps no item of the parcel gone.
		o.Parcels = o.Parcels[:1]
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.DB.QueryRow(`SELECT count(*) FROM order_parcel_items WHERE order_pk = ?`, id).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d items stored after the rewrite, want 2 (%v)", n, err)
		}
	})
}

// An installation from before typed parcels has their contents as text; migration 00011 turns it into items,
// by the order's lines, even where a title holds "×3" or "，".
func TestMigrationTurnsParcelTextIntoItems(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	old, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	provider, err := goose.NewProvider(goose.DialectSQLite3, old, sub, goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO orders (id, source, order_id, status, source_status, raw, synced_at) VALUES (1, 'channels', 'A1', 'partial', 0, '{}', 0), (2, 'merchant', 'M1', 'shipped', 0, '{}', 0)`,
		`INSERT INTO order_lines (order_pk, line_no, product_id, sku_id, title, quantity) VALUES
		   (1, 0, 'p1', 's1', '袜子 ×3 双装', 5), (1, 1, 'p2', 's2', '纯棉T恤，男款', 2), (1, 2, 'p3', 's3', '袜子', 1),
		   (2, 0, 'm1', 'k1', '帆布包', 2)`,
		`INSERT INTO order_parcels (order_pk, parcel_no, tracking_no, products) VALUES
		   (1, 0, 'SF1', '袜子 ×3 双装 ×2，纯棉T恤，男款 ×1'), (1, 1, 'SF2', '袜子 ×1，袜子 ×3 双装 ×3'), (2, 0, 'YT1', '帆布包 ×2')`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, err := s.Order(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]ParcelItem{
		{{ProductID: "p1", SKUID: "s1", Count: 2}, {ProductID: "p2", SKUID: "s2", Count: 1}},
		{{ProductID: "p3", SKUID: "s3", Count: 1}, {ProductID: "p1", SKUID: "s1", Count: 3}},
	}
	if len(o.Parcels) != 2 || !slices.Equal(o.Parcels[0].Items, want[0]) || !slices.Equal(o.Parcels[1].Items, want[1]) {
		t.Fatalf("parcels after the migration %+v, want items %+v", o.Parcels, want)
	}
	m, err := s.Order(ctx, 2)
	if err != nil || len(m.Parcels) != 1 || !slices.Equal(m.Parcels[0].Items, []ParcelItem{{ProductID: "m1", SKUID: "k1", Count: 2}}) {
		t.Fatalf("merchant parcel after the migration %+v, %v", m.Parcels, err)
	}
}
