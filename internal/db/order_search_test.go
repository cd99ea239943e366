package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"wxshop/internal/db/pgtest"
)

// countByScan counts as the list did before order_counts: over the table itself.
func countByScan(t *testing.T, s *Store, source string) map[string]int {
	t.Helper()
	q, args := `SELECT status, count(*) FROM orders`, []any{}
	if source != "" {
		q += ` WHERE source = ?`
		args = append(args, source)
	}
	rows, err := s.DB.Query(q+` GROUP BY status`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		rows.Scan(&st, &n)
		out[st] = n
	}
	return out
}

// The kept counts follow every insert, status change and re-sync, per source, as a count over the table does.
func TestOrderCountsKeptByTriggers(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		var batch []Order
		for i := range 40 {
			o := testOrder(fmt.Sprint(i), OrderStatuses[i%len(OrderStatuses)], at.Add(time.Duration(i)*time.Minute))
			o.Source = OrderSources[i%len(OrderSources)]
			batch = append(batch, o)
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		// Statuses move, and the same orders come again.
		for i := range batch {
			if i%3 == 0 {
				batch[i].Status = OrderDone
			}
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		o := batch[5]
		o.Status = OrderCancelled
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		for _, source := range append([]string{""}, OrderSources...) {
			got, err := s.OrderCounts(ctx, OrderFilter{Source: source, Status: OrderToShip})
			if err != nil {
				t.Fatal(err)
			}
			if want := countByScan(t, s, source); !maps.Equal(got, want) {
				t.Errorf("source %q: kept counts %v, counted %v", source, got, want)
			}
			for _, st := range append([]string{""}, OrderStatuses...) {
				list, total, err := s.Orders(ctx, OrderFilter{Source: source, Status: st, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				if total != len(list) {
					t.Errorf("source %q status %q: total %d, listed %d", source, st, total, len(list))
				}
			}
		}
		if _, err := s.DB.Exec(`DELETE FROM orders WHERE order_id = '7'`); err != nil {
			t.Fatal(err)
		}
		got, _ := s.OrderCounts(ctx, OrderFilter{})
		if want := countByScan(t, s, ""); !maps.Equal(got, want) {
			t.Errorf("after a delete: kept %v, counted %v", got, want)
		}
	})
}

// Search finds fragments of the receiver's name and of product titles, long (trigram index) and short
// (scan of the search table), exact phone numbers and order ids, and follows renames; what it finds is the
// same as the LIKE it replaced.
func TestOrderSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		mk := func(id, name, phone string, titles ...string) Order {
			o := testOrder(id, OrderToShip, at)
			o.ReceiverName, o.ReceiverPhone, o.Lines = name, phone, nil
			for _, title := range titles {
				o.Lines = append(o.Lines, OrderLine{Title: title, Quantity: 1})
			}
			return o
		}
		orders := []Order{
			mk("1001", "欧阳娜娜", "13800000001", "304不锈钢电热水壶 1.7L"),
			mk("1002", "王芳", "13800000002", "iPhone 15 Pro 手机壳", "100%纯棉T恤"),
			mk("1003", "Amy Lee", "13800000003", `"引号"礼盒`),
			mk("1004", "李四", "13800000001", "帆布包_大号"),
		}
		orders[3].Parcels = []Parcel{{CompanyID: "003shunfeng", CompanyName: "顺丰速运", TrackingNo: "SF1234567890", ShippedAt: at}}
		orders[3].Status = OrderShipped
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		search := func(q string) []string {
			list, total, err := s.Orders(ctx, OrderFilter{Query: q, Oldest: true})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var ids []string
			for _, o := range list {
				ids = append(ids, o.OrderID)
			}
			slices.Sort(ids)
			if total != len(ids) {
				t.Errorf("search %q: total %d, listed %d", q, total, len(ids))
			}
			counts, err := s.OrderCounts(ctx, OrderFilter{Query: q})
			if err != nil || counts[OrderToShip]+counts[OrderShipped] != len(ids) {
				t.Errorf("search %q: counts %v (%v), listed %d", q, counts, err, len(ids))
			}
			return ids
		}
		for q, want := range map[string][]string{
			"13800000001":  {"1001", "1004"}, // a phone number: exact
			"1002":         {"1002"},         // an order id
			"不锈钢":          {"1001"},         // a product fragment, three characters
			"电热水壶 1.7":     {"1001"},
			"iphone":       {"1002"}, // LIKE ignored ASCII case; so does the index
			"欧阳":           {"1001"}, // two characters: the short path
			"芳":            {"1002"},
			"王芳":           {"1002"},
			"amy lee":      {"1003"},
			`"引号"`:         {"1003"}, // quotes are literal
			"100%":         {"1002"}, // so are LIKE's wildcards
			"_大":           {"1004"},
			"%":            {"1002"},
			"不存在的商品":       nil,
			"SF1234567890": {"1004"}, // a parcel's tracking number, whole
			"sf1234567890": {"1004"}, // in any case
			"SF123456":     nil,
			"13800000":     nil, // a phone number is matched whole
			"王芳\x00zzz":    nil, // a NUL is a character like any other, not the end of the fragment
			"\x00":         nil,
		} {
			if got := search(q); !slices.Equal(got, want) {
				t.Errorf("search %q = %v, want %v", q, got, want)
			}
		}
		// A new title replaces the old one in the index.
		o := orders[0]
		o.Lines = []OrderLine{{Title: "陶瓷马克杯", Quantity: 1}}
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if got := search("不锈钢"); got != nil {
			t.Errorf("after the title changed, search for the old one = %v", got)
		}
		if got := search("马克杯"); !slices.Equal(got, []string{"1001"}) {
			t.Errorf("after the title changed, search for the new one = %v", got)
		}
		if testDialect(t) == Postgres {
			return // pg_trgm indexes the orders themselves
		}
		// Every order is indexed once, and nothing is left waiting to be (SQLite's FTS5 table).
		var indexed, orderRows, stale int
		s.DB.QueryRow(`SELECT count(*) FROM order_search`).Scan(&indexed)
		s.DB.QueryRow(`SELECT count(*) FROM orders`).Scan(&orderRows)
		s.DB.QueryRow(`SELECT count(*) FROM order_search_stale`).Scan(&stale)
		if indexed != orderRows || stale != 0 {
			t.Errorf("%d orders, %d indexed, %d waiting", orderRows, indexed, stale)
		}
	})
}

// Every page is the same slice of the whole list whichever end it is read from (pages past the middle are
// read backwards), with ties on the creation time broken by id, both ways round, filtered or not.
func TestOrderPagesFromBothEnds(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		var batch []Order
		for i := range 47 {
			o := testOrder(fmt.Sprint(1000+i), OrderStatuses[i%3], at.Add(time.Duration(i/4)*time.Minute)) // 4 at a time share a second
			batch = append(batch, o)
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		ids := func(list []Order) []int64 {
			var out []int64
			for _, o := range list {
				out = append(out, o.ID)
			}
			return out
		}
		for _, f := range []OrderFilter{{}, {Oldest: true}, {Status: OrderStatuses[1]}, {Status: OrderStatuses[0], Oldest: true}, {Query: "张三"}} {
			f.Limit = 1000
			all, total, err := s.Orders(ctx, f)
			if err != nil || total != len(all) {
				t.Fatalf("%+v: %d of %d, %v", f, len(all), total, err)
			}
			for _, size := range []int{1, 5, 7, 50} {
				for off := 0; off < total+size; off += size {
					f.Limit, f.Offset = size, off
					page, n, err := s.Orders(ctx, f)
					if err != nil || n != total {
						t.Fatalf("%+v: total %d, %v", f, n, err)
					}
					want := ids(all[min(off, total):min(off+size, total)])
					if got := ids(page); !slices.Equal(got, want) {
						t.Errorf("%+v: page %v, want %v", f, got, want)
					}
				}
			}
		}
	})
}

// A brief list holds the same orders as the full one, with what a row of the list shows.
func TestBriefOrderList(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		var batch []Order
		for i := range 12 {
			o := testOrder(fmt.Sprint(2000+i), OrderStatuses[i%2], at.Add(time.Duration(i)*time.Hour))
			o.Lines = append(o.Lines, OrderLine{Title: "第二件", Quantity: int64(i + 1)})
			o.Parcels = []Parcel{{CompanyName: "顺丰", TrackingNo: fmt.Sprint("SF", i)}}
			batch = append(batch, o)
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, f := range []OrderFilter{{Limit: 5}, {Limit: 5, Offset: 10}, {Status: OrderStatuses[1], Limit: 4, Offset: 4}} {
			full, n1, err1 := s.Orders(ctx, f)
			f.Brief = true
			brief, n2, err2 := s.Orders(ctx, f)
			if err1 != nil || err2 != nil || n1 != n2 || len(full) != len(brief) {
				t.Fatalf("%+v: %d/%d and %d/%d, %v %v", f, len(full), n1, len(brief), n2, err1, err2)
			}
			for i, b := range brief {
				o := full[i]
				if b.ID != o.ID || b.OrderID != o.OrderID || b.Source != o.Source || b.Status != o.Status || b.ShopAppID != o.ShopAppID ||
					b.ReceiverName != o.ReceiverName || b.ReceiverPhone != o.ReceiverPhone || b.TotalFen != o.TotalFen || !b.CreatedAt.Equal(o.CreatedAt) {
					t.Errorf("brief %+v, full %+v", b, o)
				}
				if len(b.Lines) != len(o.Lines) || len(b.Parcels) != 0 || len(o.Parcels) != 1 {
					t.Fatalf("brief has %d lines and %d parcels; full %d and %d", len(b.Lines), len(b.Parcels), len(o.Lines), len(o.Parcels))
				}
				for j := range b.Lines {
					if b.Lines[j].Title != o.Lines[j].Title || b.Lines[j].Quantity != o.Lines[j].Quantity {
						t.Errorf("line %d: brief %+v, full %+v", j, b.Lines[j], o.Lines[j])
					}
				}
			}
		}
	})
}

// searchByScan is what a search found when it was a LIKE over the orders themselves (ILIKE on PostgreSQL):
// the ids, newest first, and how many per status.
func searchByScan(t *testing.T, s *Store, q, source, status string) ([]string, map[string]int) {
	t.Helper()
	q = strings.TrimSpace(q) // as the list does
	like, match := "%"+escapeLike(q)+"%", "LIKE"
	if s.dialect == Postgres {
		match = "ILIKE"
	}
	rows, err := s.DB.Query(`SELECT order_id, status FROM orders
		WHERE (order_id = ? OR receiver_phone = ? OR receiver_name = ? OR receiver_name `+match+` ? ESCAPE '\'
		  OR product_names `+match+` ? ESCAPE '\'
		  OR id IN (SELECT order_pk FROM order_parcels WHERE lower(tracking_no) = lower(?)))
		  AND (? = '' OR source = ?)
		ORDER BY created_at DESC, id DESC`, q, q, q, like, like, q, source, source)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	counts := map[string]int{}
	for rows.Next() {
		var id, st string
		rows.Scan(&id, &st)
		counts[st]++
		if status == "" || st == status {
			ids = append(ids, id)
		}
	}
	return ids, counts
}

// Fragments of one and two characters (the pieces of receiver names and the sets of product names), and
// fragments of product titles, find what the LIKE over every order found, page by page, with the tabs'
// counts, after renames, new titles, status changes and a delete, whatever the source and status filter.
func TestOrderSearchShortAndTitleFragmentsMatchTheScan(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		names := []string{"王芳", "王小明", "李四", "Amy Lee", "amy", "欧阳娜娜", "100%先生", "a_b", "芳"}
		titles := []string{"304不锈钢电热水壶 1.7L", "iPhone 15 Pro 手机壳", "100%纯棉T恤", "帆布包_大号", "纯棉袜", "手机支架"}
		var batch []Order
		for i := range 90 {
			o := testOrder(fmt.Sprint(2000+i), OrderStatuses[i%len(OrderStatuses)], at.Add(time.Duration(i/3)*time.Minute))
			o.Source = OrderSources[i%len(OrderSources)]
			o.ReceiverName, o.ReceiverPhone = names[i%len(names)], fmt.Sprint(13900000000+i%5)
			o.Lines = nil
			for j := range 1 + i%3 {
				o.Lines = append(o.Lines, OrderLine{ProductID: fmt.Sprint("p", (i+j)%len(titles)), Title: titles[(i+j*2)%len(titles)], Quantity: 1})
			}
			batch = append(batch, o)
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		// Renames, new titles and new statuses, in a second transaction and one at a time.
		for i := range batch {
			switch i % 7 {
			case 1:
				batch[i].ReceiverName = "赵六"
			case 2:
				batch[i].Lines = []OrderLine{{ProductID: "p9", Title: "陶瓷马克杯", Quantity: 2}}
			case 3:
				batch[i].Status = OrderDone
			}
		}
		if err := s.UpsertOrders(ctx, batch); err != nil {
			t.Fatal(err)
		}
		o := batch[4]
		o.ReceiverName, o.Status = "Amy Chen", OrderCancelled
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.Exec(`DELETE FROM orders WHERE order_id = '2010'`); err != nil {
			t.Fatal(err)
		}
		fragments := map[string]bool{"AM": true, "aM": true, "%": true, "_": true, "0%": true, "T恤": true,
			"不锈钢": true, "纯棉": true, "手机": true, "帆布包_": true, "iphone 15": true, "王芳": true, "Amy C": true, "一": true,
			"王小明": true, "欧阳娜": true, "100%先生": true, "AMY": true, "赵六": true, "T恤 1": true}
		for _, text := range append(append(append([]string{}, names...), titles...), "赵六", "陶瓷马克杯", "Amy Chen") {
			r := []rune(text)
			for i := range r {
				fragments[string(r[i])] = true
				if i+1 < len(r) {
					fragments[string(r[i:i+2])] = true
				}
			}
		}
		for q := range fragments {
			if strings.TrimSpace(q) == "" {
				continue // no search: the whole list
			}
			for _, source := range []string{"", SourceChannels} {
				for _, status := range []string{"", OrderDone, OrderToShip} {
					want, wantCounts := searchByScan(t, s, q, source, status)
					counts, err := s.OrderCounts(ctx, OrderFilter{Query: q, Source: source, Status: status})
					if err != nil {
						t.Fatalf("%q: %v", q, err)
					}
					if !maps.Equal(counts, wantCounts) {
						t.Errorf("%q source %q: counts %v, the scan %v", q, source, counts, wantCounts)
					}
					var got []string
					for offset := 0; offset < len(want)+7; offset += 7 {
						list, total, err := s.Orders(ctx, OrderFilter{Query: q, Source: source, Status: status, Limit: 7, Offset: offset, Brief: offset%2 == 0})
						if err != nil {
							t.Fatalf("%q: %v", q, err)
						}
						if total != len(want) {
							t.Errorf("%q source %q status %q: total %d, the scan %d", q, source, status, total, len(want))
						}
						for _, o := range list {
							got = append(got, o.OrderID)
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%q source %q status %q: listed %v, the scan %v", q, source, status, got, want)
					}
				}
			}
		}
	})
}

// beforeMigration makes an empty database of t's dialect at the migrations up to version, runs statements
// in it (plain SQL, no arguments), and opens it as a Store, which applies the rest.
func beforeMigration(t *testing.T, version int64, statements ...string) *Store {
	t.Helper()
	ctx := context.Background()
	var old *sql.DB
	var err error
	dir, dialect, u := "migrations", goose.DialectSQLite3, filepath.Join(t.TempDir(), FileName)
	if testDialect(t) == Postgres {
		dir, dialect, u = "migrations_postgres", goose.DialectPostgres, pgtest.URL(t)
		old, err = pgtest.Connect(ctx, u)
	} else {
		old, err = sql.Open("sqlite", "file:"+u+"?_pragma=foreign_keys(1)")
	}
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, dir)
	provider, err := goose.NewProvider(dialect, old, sub, goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	for _, q := range statements {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	var s *Store
	if testDialect(t) == Postgres {
		s, err = OpenPostgres(ctx, u)
	} else {
		s, err = Open(ctx, u)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A database from before migration 00074 has its orders' receiver names cut into pieces, their titles and
// sets of product names listed and counted by the migration itself, one statement a table: short fragments,
// titles' fragments and the tabs' counts find them at once.
func TestMigrationIndexesTheStoredOrdersForShortFragments(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := beforeMigration(t, 73,
			`INSERT INTO orders (id, source, order_id, status, source_status, receiver_name, product_names, created_at, raw, synced_at) VALUES
			(1, 'channels', 'A1', 'toship', 0, '王芳', '纯棉T恤 帆布包', 100, '{}', 0),
			(2, 'merchant', 'M1', 'done', 0, 'Amy Lee', '纯棉T恤', 200, '{}', 0),
			(3, 'merchant', 'M2', 'toship', 0, '王小明', 'iPhone 15 手机壳', 300, '{}', 0)`,
			`INSERT INTO order_lines (order_pk, line_no, title, quantity) VALUES
			(1, 0, '纯棉T恤', 1), (1, 1, '帆布包', 1), (2, 0, '纯棉T恤', 2), (3, 0, 'iPhone 15 手机壳', 1)`)
		ctx := context.Background()
		for q, want := range map[string][]string{"王": {"M2", "A1"}, "芳": {"A1"}, "am": {"M1"}, "纯棉": {"M1", "A1"}, "恤": {"M1", "A1"},
			"手机壳": {"M2"}, "李": nil} {
			list, total, err := s.Orders(ctx, OrderFilter{Query: q})
			var got []string
			for _, o := range list {
				got = append(got, o.OrderID)
			}
			if err != nil || total != len(want) || !slices.Equal(got, want) {
				t.Errorf("search %q after the migration: %v (%d in all, %v), want %v", q, got, total, err, want)
			}
			counts, err := s.OrderCounts(ctx, OrderFilter{Query: q})
			if _, wantCounts := searchByScan(t, s, q, "", ""); err != nil || !maps.Equal(counts, wantCounts) {
				t.Errorf("search %q after the migration: counts %v (%v), the scan %v", q, counts, err, wantCounts)
			}
		}
	})
}

// A database from before migration 00075 has its products' sums per day made cumulative by the migration, in
// one statement: the ranking of any span of whole days is what adding up product_sales_days gives.
func TestMigrationMakesProductSalesCumulative(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		day := func(d int) int64 { return bj(3, d, 12, 0, 0).Unix() }
		var statements []string
		for i, o := range []struct {
			paid    int64
			product string
			units   int
		}{{day(1), "tee", 3}, {day(2), "bag", 5}, {day(3), "tee", 4}, {day(5), "mug", 1}, {day(5), "bag", 1}, {day(9), "tee", 2}} {
			statements = append(statements,
				fmt.Sprintf(`INSERT INTO orders (id, source, order_id, status, source_status, created_at, paid_at, total_fen, raw, synced_at)
				VALUES (%d, 'channels', 'o%d', 'toship', 0, %d, %d, %d, '{}', 0)`, i+1, i, o.paid, o.paid, o.units*100),
				fmt.Sprintf(`INSERT INTO order_lines (order_pk, line_no, product_id, title, quantity, total_fen) VALUES (%d, 0, '%s', '%s', %d, %d)`,
					i+1, o.product, o.product, o.units, o.units*100))
		}
		s := beforeMigration(t, 74, statements...)
		ctx := context.Background()
		for _, span := range [][2]int{{1, 10}, {2, 4}, {3, 6}, {6, 9}, {10, 20}} {
			top, err := s.TopProducts(ctx, bj(3, span[0], 0, 0, 0), bj(3, span[1], 0, 0, 0), 10)
			if err != nil {
				t.Fatal(err)
			}
			first, _ := beijingDay(bj(3, span[0], 0, 0, 0))
			last, _ := beijingDay(bj(3, span[1], 0, 0, 0))
			want := queryStrings(t, s.DB, `SELECT product_id, sum(units), sum(revenue) FROM product_sales_days WHERE day >= ? AND day < ?
				GROUP BY product_id HAVING sum(lines) > 0 ORDER BY sum(units) DESC, sum(revenue) DESC, product_id`, first, last)
			var got [][]string
			for _, p := range top {
				got = append(got, []string{p.ProductID, fmt.Sprint(p.Units), fmt.Sprint(p.Revenue)})
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("March %d to %d: ranked %v, the days add up to %v", span[0], span[1], got, want)
			}
			if span == [2]int{1, 10} && len(got) != 3 {
				t.Errorf("March 1 to 10: ranked %v, want the three products", got)
			}
		}
	})
}
