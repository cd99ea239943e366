package db

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db/pgtest"
)

// tableRows is every row of table, each as one line of its values in the given columns, sorted.
func tableRows(t *testing.T, d *sql.DB, table string, cols []string) []string {
	t.Helper()
	rows, err := d.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
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
		out = append(out, strings.Join(line, "|"))
	}
	slices.Sort(out)
	return out
}

func TestCopySQLiteToPostgres(t *testing.T) {
	ctx := t.Context()
	from, err := OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := OpenPostgres(ctx, pgtest.URLFrom(t, "db", migrated))
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()

	// A shop with something in every area.
	uid, _ := from.CreateUser(ctx, "li", "hash-1", "admin")
	from.CreateUser(ctx, "Wang", "hash-2", "viewer")
	from.SetSetting(ctx, "shop_name", "小店")
	from.SaveAccessToken(ctx, "wxappid", "token-1", time.Unix(1_900_000_000, 0))
	from.UpsertProduct(ctx, Product{ProductID: "p1", Name: "马克杯", Status: 1, Raw: []byte(`{"title":"马克杯"}`),
		SKUs: []SKU{{SKUID: "a", Price: 1990, Quantity: 3}, {SKUID: "b", Price: 2990, Quantity: 0}}})
	for i := range 30 {
		o := Order{Source: SourceMerchant, OrderID: fmt.Sprint(9000 + i), Status: OrderToShip, ReceiverName: "张三",
			CreatedAt: time.Unix(1_800_000_000+int64(i), 0), PaidAt: time.Unix(1_800_000_100+int64(i), 0), TotalFen: int64(100 * i),
			Raw: []byte(`{"order_id":` + fmt.Sprint(9000+i) + `}`), Lines: []OrderLine{{ProductID: "p1", SKUID: "a", Title: "马克杯", Quantity: 2}}}
		if i%3 == 0 {
			o.Status = OrderShipped
			o.Parcels = []Parcel{{CompanyID: "SF", TrackingNo: fmt.Sprint("SF", i), Items: []ParcelItem{{ProductID: "p1", SKUID: "a", Count: 2}}}}
		}
		if _, err := from.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	from.AddAudit(ctx, AuditEntry{UserID: uid, Username: "li", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:9000", Outcome: "ok"})
	from.AddImage(ctx, Image{URL: "https://mmbiz.qpic.cn/x", Filename: "x.jpg", ContentType: "image/jpeg", Thumb: []byte{0xff, 0xd8, 0, 1}, UploadedBy: "li"})
	from.CreateShipBatch(ctx, ShipBatch{Filename: "f.csv", CreatedBy: "li", Rows: []ShipBatchRow{{RowNo: 1, OrderID: "9001", Company: "顺丰", TrackingNo: "SF9", State: "valid"}}})

	counts, err := from.CopyTo(ctx, to)
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	if counts["orders"] != 30 || counts["order_lines"] != 30 || counts["users"] != 2 || counts["images"] != 1 {
		t.Errorf("copied %v", counts)
	}
	// Every copied table holds the same rows on both sides.
	for table, n := range counts {
		var cols []string
		for _, c := range queryStrings(t, from.DB, `SELECT name FROM pragma_table_info(?)`, table) {
			cols = append(cols, c[0])
		}
		lite, pg := tableRows(t, from.DB, table, cols), tableRows(t, to.DB, table, cols)
		if len(lite) != n || !slices.Equal(lite, pg) {
			t.Errorf("table %s: %d rows in SQLite, %d in PostgreSQL, or they differ:\n%v\n%v", table, len(lite), len(pg), lite, pg)
		}
	}
	// And the app reads them back the same: lists, counts, search, ids going on.
	lo, ln, _ := from.Orders(ctx, OrderFilter{Query: "马克"})
	po, pn, err := to.Orders(ctx, OrderFilter{Query: "马克"})
	if err != nil || ln != pn || len(lo) != len(po) || po[0].ID != lo[0].ID {
		t.Errorf("a search finds %d orders in SQLite, %d (%v) after the copy", ln, pn, err)
	}
	lc, _ := from.OrderCounts(ctx, OrderFilter{})
	pc, _ := to.OrderCounts(ctx, OrderFilter{})
	if fmt.Sprint(lc) != fmt.Sprint(pc) {
		t.Errorf("order counts %v in SQLite, %v after the copy", lc, pc)
	}
	// The daily roll-ups are not copied but made again by the triggers, the same on both sides.
	for table, cols := range map[string][]string{"sales_days": {"day", "orders", "revenue"},
		"order_status_days": {"day", "status", "n"}, "product_sales_days": {"day", "product_id", "lines", "units", "revenue"}} {
		lite, pg := tableRows(t, from.DB, table, cols), tableRows(t, to.DB, table, cols)
		if len(lite) == 0 || !slices.Equal(lite, pg) {
			t.Errorf("roll-up %s: %v in SQLite, %v after the copy", table, lite, pg)
		}
	}
	if p, err := to.Product(ctx, "p1"); err != nil || len(p.SKUs) != 2 || p.SKUs[0].SKUID != "a" {
		t.Errorf("the copied product %+v %v", p, err)
	}
	if id, err := to.CreateUser(ctx, "zhao", "h", "operator"); err != nil || id <= 2 {
		t.Errorf("a user added after the copy gets id %d (%v), want one past the copied ones", id, err)
	}
	if _, err := from.CopyTo(ctx, to); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second copy into the same database = %v, want a refusal", err)
	}
}
