package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var beijing = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// bj is a time in Beijing.
func bj(month time.Month, day, hour, minute, second int) time.Time {
	return time.Date(2026, month, day, hour, minute, second, 0, beijing)
}

// paidOrder is an order of one line, placed a minute before it was paid (zero paid: never paid).
func paidOrder(id, status string, paid time.Time, totalFen int64) Order {
	created := paid.Add(-time.Minute)
	if paid.IsZero() {
		created = bj(3, 1, 12, 0, 0)
	}
	return Order{Source: SourceShop, OrderID: id, Status: status, SourceStatus: 20, TotalFen: totalFen,
		CreatedAt: created, PaidAt: paid, Raw: []byte(`{}`),
		Lines: []OrderLine{{ProductID: "p-" + id, Title: "商品 " + id, Quantity: 1, UnitFen: totalFen, TotalFen: totalFen}}}
}

func TestDailySalesCountsBeijingDays(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		orders := []Order{
			paidOrder("late-on-the-1st", OrderToShip, bj(3, 1, 23, 30, 0), 1000),                     // 15:30 UTC: still the 1st in Beijing
			paidOrder("midnight-1st", OrderDone, bj(3, 1, 0, 0, 0), 200),                             // the first second of the 1st
			paidOrder("before", OrderDone, bj(2, 28, 23, 59, 59), 50000),                             // the day before the period
			paidOrder("utc-evening", OrderShipped, time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), 30), // 04:00 on the 2nd in Beijing
			paidOrder("midnight-2nd", OrderShipped, bj(3, 2, 0, 0, 0), 4),
			paidOrder("dispute", OrderAfterSale, bj(3, 2, 10, 0, 0), 500), // in dispute: paid, not refunded yet
			paidOrder("cancelled", OrderCancelled, bj(3, 1, 12, 0, 0), 70000),
			paidOrder("unpaid", OrderToPay, time.Time{}, 80000),
			paidOrder("after", OrderDone, bj(3, 4, 0, 0, 0), 90000), // the midnight after the period
			paidOrder("last-second", OrderDone, bj(3, 3, 23, 59, 59), 7),
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		days, err := s.DailySales(ctx, bj(3, 1, 0, 0, 0), 3)
		if err != nil {
			t.Fatal(err)
		}
		want := []SalesDay{
			{Day: bj(3, 1, 0, 0, 0), Orders: 2, Revenue: 1200},
			{Day: bj(3, 2, 0, 0, 0), Orders: 3, Revenue: 534},
			{Day: bj(3, 3, 0, 0, 0), Orders: 1, Revenue: 7},
		}
		if len(days) != len(want) {
			t.Fatalf("%d days, want %d: %+v", len(days), len(want), days)
		}
		for i, w := range want {
			if !days[i].Day.Equal(w.Day) || days[i].Orders != w.Orders || days[i].Revenue != w.Revenue {
				t.Errorf("day %d = %s %d orders %d fen, want %s %d orders %d fen", i, days[i].Day, days[i].Orders,
					days[i].Revenue, w.Day, w.Orders, w.Revenue)
			}
			// The dashboard's "paid today" figure and the chart's bar for today are the same number.
			n, total, err := s.PaidBetween(ctx, w.Day, w.Day.AddDate(0, 0, 1))
			if err != nil || n != days[i].Orders || total != days[i].Revenue {
				t.Errorf("day %d: PaidBetween = %d, %d (%v); DailySales = %d, %d", i, n, total, err, days[i].Orders, days[i].Revenue)
			}
		}
	})
}

func TestDailySalesLeavesRefundedOrdersOut(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		o := paidOrder("refunded", OrderShipped, bj(3, 1, 9, 0, 0), 12300)
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		days, _ := s.DailySales(ctx, bj(3, 1, 0, 0, 0), 1)
		if days[0].Orders != 1 || days[0].Revenue != 12300 {
			t.Fatalf("before the refund: %+v", days[0])
		}
		top, _ := s.TopProducts(ctx, bj(3, 1, 0, 0, 0), bj(3, 2, 0, 0, 0), 10)
		if len(top) != 1 {
			t.Fatalf("before the refund: top %+v", top)
		}
		// Refunded in full, WeChat's order ends "cancelled, refunded": the model's cancelled. It leaves every figure.
		o.Status = OrderCancelled
		if _, err := s.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		days, _ = s.DailySales(ctx, bj(3, 1, 0, 0, 0), 1)
		if days[0].Orders != 0 || days[0].Revenue != 0 {
			t.Errorf("after the refund: %+v", days[0])
		}
		if top, _ := s.TopProducts(ctx, bj(3, 1, 0, 0, 0), bj(3, 2, 0, 0, 0), 10); len(top) != 0 {
			t.Errorf("after the refund: top %+v", top)
		}
	})
}

func TestDailySalesEmptyAndDaylightSaving(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		days, err := s.DailySales(ctx, bj(3, 1, 0, 0, 0), 7)
		if err != nil || len(days) != 7 {
			t.Fatalf("empty shop: %d days, %v", len(days), err)
		}
		for i, d := range days {
			if d.Orders != 0 || d.Revenue != 0 || !d.Day.Equal(bj(3, 1+i, 0, 0, 0)) {
				t.Errorf("empty day %d = %+v", i, d)
			}
		}
		if days, err := s.DailySales(ctx, bj(3, 1, 0, 0, 0), 0); err != nil || len(days) != 0 {
			t.Errorf("no days: %v, %v", days, err)
		}
		// New York moves its clocks on 8 March 2026: a day of 23 hours would shift every later bucket.
		ny := mustLocation("America/New_York")
		if _, err := s.DailySales(ctx, time.Date(2026, 3, 1, 0, 0, 0, 0, ny), 30); err == nil {
			t.Error("a range over a daylight-saving change was accepted")
		}
	})
}

func TestTopProductsRanksUnitsThenRevenue(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := bj(3, 1, 10, 0, 0)
		line := func(pid, title string, qty, unit int64) OrderLine {
			return OrderLine{ProductID: pid, SKUID: "s", Title: title, Quantity: qty, UnitFen: unit, TotalFen: qty * unit}
		}
		order := func(id, status string, paid time.Time, lines ...OrderLine) Order {
			o := paidOrder(id, status, paid, 0)
			o.Lines = lines
			for _, l := range lines {
				o.TotalFen += l.TotalFen
			}
			return o
		}
		orders := []Order{
			order("1", OrderDone, at, line("tee", "纯棉T恤", 2, 9900), line("bag", "帆布包", 1, 4900)),
			// The same product twice in one order (two SKUs) adds up.
			order("2", OrderShipped, at.Add(time.Hour), line("tee", "纯棉T恤（新款）", 1, 9900), line("tee", "纯棉T恤（新款）", 1, 10900)),
			order("3", OrderToShip, at, line("mug", "马克杯", 4, 2500)),
			order("4", OrderDone, at, line("cap", "棒球帽", 4, 3000)),                             // 4 units like the mug, more revenue
			order("5", OrderCancelled, at, line("bag", "帆布包", 50, 4900)),                       // cancelled: left out
			order("6", OrderDone, bj(2, 28, 23, 0, 0), line("bag", "帆布包", 60, 4900)),           // before the period
			order("7", OrderAfterSale, at, line("sock", "袜子", 1, 900), line("", "赠品贴纸", 3, 0)), // a line without a product id
		}
		unpaid := order("8", OrderToPay, time.Time{}, line("bag", "帆布包", 70, 4900))
		orders[3].Source = SourceChannels // a product id belongs to one source's catalogue
		if err := s.UpsertOrders(ctx, append(orders, unpaid)); err != nil {
			t.Fatal(err)
		}
		// The mug is in the product mirror under its current name.
		if err := s.UpsertProduct(ctx, Product{ProductID: "mug", Name: "陶瓷马克杯", Status: 1, Raw: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		top, err := s.TopProducts(ctx, bj(3, 1, 0, 0, 0), bj(3, 2, 0, 0, 0), 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []ProductSales{
			{ProductID: "tee", Title: "纯棉T恤（新款）", Source: SourceShop, Units: 4, Revenue: 2*9900 + 9900 + 10900}, // the latest title
			{ProductID: "cap", Title: "棒球帽", Source: SourceChannels, Units: 4, Revenue: 12000},
			{ProductID: "mug", Title: "陶瓷马克杯", Source: SourceShop, Units: 4, Revenue: 10000, Mirrored: true},
			{ProductID: "", Title: "赠品贴纸", Source: SourceShop, Units: 3, Revenue: 0},
			{ProductID: "bag", Title: "帆布包", Source: SourceShop, Units: 1, Revenue: 4900},
			{ProductID: "sock", Title: "袜子", Source: SourceShop, Units: 1, Revenue: 900},
		}
		if fmt.Sprint(top) != fmt.Sprint(want) {
			t.Errorf("top products\n got %+v\nwant %+v", top, want)
		}
		top, _ = s.TopProducts(ctx, bj(3, 1, 0, 0, 0), bj(3, 2, 0, 0, 0), 2)
		if len(top) != 2 || top[0].ProductID != "tee" || top[1].ProductID != "cap" {
			t.Errorf("limited to 2: %+v", top)
		}
		if top, err := s.TopProducts(ctx, bj(4, 1, 0, 0, 0), bj(4, 2, 0, 0, 0), 10); err != nil || len(top) != 0 {
			t.Errorf("a period without orders: %+v, %v", top, err)
		}
	})
}

// The status bar's numbers are the order list's: StatusCounts and OrderCounts agree for any dates.
func TestStatusCountsMatchTheOrderList(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		r := rand.New(rand.NewPCG(1, 2))
		start := bj(3, 1, 0, 0, 0)
		var orders []Order
		for i := range 400 {
			created := start.Add(time.Duration(r.Int64N(int64(20 * 24 * time.Hour))))
			if i%50 == 0 {
				created = bj(3, 5, 0, 0, 0) // on a boundary
			}
			o := paidOrder(fmt.Sprint(i), OrderStatuses[r.IntN(len(OrderStatuses))], created.Add(time.Minute), 100)
			orders = append(orders, o)
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		for _, span := range [][2]time.Time{
			{bj(3, 5, 0, 0, 0), bj(3, 12, 0, 0, 0)},
			{bj(3, 1, 0, 0, 0), bj(3, 31, 0, 0, 0)},
			{bj(4, 1, 0, 0, 0), bj(4, 8, 0, 0, 0)},
		} {
			got, err := s.StatusCounts(ctx, span[0], span[1])
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.OrderCounts(ctx, OrderFilter{From: span[0], To: span[1]})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s to %s: StatusCounts %v, OrderCounts %v", span[0], span[1], got, want)
			}
		}
	})
}

// The dashboard stays fast on 100 000 orders because every figure is read from an index alone; a plan that
// starts reading the table (or stops using the indexes) fails here rather than on a large shop.
func TestInsightQueriesReadIndexesOnly(t *testing.T) {
	s := newTestStore(t)
	from, to := bj(3, 1, 0, 0, 0).Unix(), bj(3, 31, 0, 0, 0).Unix()
	statusArgs := []any{}
	for _, st := range OrderStatuses {
		statusArgs = append(statusArgs, st)
	}
	for _, tc := range []struct {
		name  string
		query string
		args  []any
		want  []string
	}{
		{"daily sales", dailySalesSQL, []any{from, to}, []string{"COVERING INDEX orders_paid_sales_idx"}},
		{"top products", topProductsSQL, []any{from, to, 10},
			[]string{"COVERING INDEX orders_paid_sales_idx", "COVERING INDEX order_lines_sales_idx"}},
		{"status counts", statusCountsSQL, append(statusArgs, from, to), []string{"COVERING INDEX orders_status_created_idx"}},
		{"daily sales of whole days", dailySalesRollupSQL, []any{20500, 20590}, []string{"SEARCH sales_days USING PRIMARY KEY"}},
		{"top products of whole days", topProductsRollupSQL, []any{20500, 20590, 10},
			[]string{"SEARCH hi USING PRIMARY KEY (product_id=? AND day=?)", "SEARCH b USING PRIMARY KEY (product_id=? AND day=?)"}},
		{"status counts of whole days", statusCountsRollupSQL, []any{20500, 20590}, []string{"SEARCH order_status_days USING PRIMARY KEY"}},
	} {
		plan := queryPlan(t, s, tc.query, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(plan, w) {
				t.Errorf("%s: the plan does not use %s:\n%s", tc.name, w, plan)
			}
		}
		for _, line := range strings.Split(plan, "\n") {
			// t is the query's own few rows; s the list of products sold, which the ranking is of.
			if strings.HasPrefix(line, "SCAN ") && line != "SCAN t" && !(tc.query == topProductsRollupSQL && line == "SCAN s") {
				t.Errorf("%s: the plan scans a whole table or index: %s\n%s", tc.name, line, plan)
			}
		}
	}
}

func queryPlan(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.DB.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// seedOrders writes n orders of one to three lines over the year before now, in SQL, for the benchmarks; each
// carries 1.5 KB of raw JSON like a real order, so reading the table costs what it would.
func seedOrders(tb testing.TB, s *Store, n int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	start := now.Add(-365 * 24 * time.Hour).Unix()
	if _, err := s.DB.ExecContext(ctx, `
		WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
		INSERT INTO orders (source, order_id, status, source_status, total_fen, created_at, paid_at, raw, synced_at)
		SELECT 'shop', 'o' || i,
		  CASE i % 10 WHEN 0 THEN 'topay' WHEN 1 THEN 'toship' WHEN 2 THEN 'partial' WHEN 3 THEN 'shipped'
		    WHEN 4 THEN 'aftersale' WHEN 5 THEN 'cancelled' ELSE 'done' END,
		  20, 1000 + (i * 7919) % 100000, ?2 + i * (365 * 86400 / ?1), 0, printf('%.1500c', 'x'), 0
		FROM seq`, n, start); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE orders SET paid_at = created_at + 60 WHERE status <> 'topay'`); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, `
		WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 2)
		INSERT INTO order_lines (order_pk, line_no, product_id, title, quantity, unit_fen, total_fen)
		SELECT o.id, k.j, 'p' || ((o.id * 7 + k.j * 13) % 200), '商品 ' || ((o.id * 7 + k.j * 13) % 200),
		  1 + o.id % 3, 1000, 1000 * (1 + o.id % 3)
		FROM orders o JOIN k ON k.j <= o.id % 3`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkInsights100k times the dashboard's three queries for 90 days (the longest period) of a shop with
// 100 000 orders over a year.
func BenchmarkInsights100k(b *testing.B) {
	ctx := context.Background()
	s, err := OpenDir(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := time.Now()
	seedOrders(b, s, 100_000, now)
	today := time.Date(now.In(beijing).Year(), now.In(beijing).Month(), now.In(beijing).Day(), 0, 0, 0, 0, beijing)
	from, to := today.AddDate(0, 0, -89), today.AddDate(0, 0, 1)
	b.Run("DailySales", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.DailySales(ctx, from, 90); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("StatusCounts", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.StatusCounts(ctx, from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TopProducts", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.TopProducts(ctx, from, to, 10); err != nil {
				b.Fatal(err)
			}
		}
	})
}
