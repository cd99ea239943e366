package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// scannedFigures computes the dashboard's figures for days days from from by summing the orders themselves
// (the queries the dashboard ran before the roll-ups), to hold the roll-ups against.
func scannedFigures(t *testing.T, s *Store, from time.Time, days int) string {
	t.Helper()
	ctx := context.Background()
	to := from.AddDate(0, 0, days)
	sales := make([][2]int64, days)
	rows, err := s.query(ctx, dailySalesSQL, from.Unix(), to.Unix())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var day, n, total int64
		if err := rows.Scan(&day, &n, &total); err != nil {
			t.Fatal(err)
		}
		sales[day] = [2]int64{n, total}
	}
	rows.Close()
	args := []any{}
	for _, st := range OrderStatuses {
		args = append(args, st)
	}
	counts := map[string]int{}
	rows, err = s.query(ctx, statusCountsSQL, append(args, from.Unix(), to.Unix())...)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			t.Fatal(err)
		}
		counts[st] = n
	}
	rows.Close()
	var top []ProductSales
	rows, err = s.query(ctx, topProductsSQL, from.Unix(), to.Unix(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p ProductSales
		if err := rows.Scan(&p.ProductID, &p.Units, &p.Revenue, &p.Mirrored, &p.Title, &p.Source); err != nil {
			t.Fatal(err)
		}
		top = append(top, p)
	}
	rows.Close()
	return fmt.Sprint(sales, counts, top)
}

// rolledUpFigures reads the same figures the way the dashboard does, from the roll-ups.
func rolledUpFigures(t *testing.T, s *Store, from time.Time, days int) string {
	t.Helper()
	ctx := context.Background()
	days2, err := s.DailySales(ctx, from, days)
	if err != nil {
		t.Fatal(err)
	}
	sales := make([][2]int64, days)
	for i, d := range days2 {
		sales[i] = [2]int64{int64(d.Orders), d.Revenue}
	}
	counts, err := s.StatusCounts(ctx, from, from.AddDate(0, 0, days))
	if err != nil {
		t.Fatal(err)
	}
	top, err := s.TopProducts(ctx, from, from.AddDate(0, 0, days), 10)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(sales, counts, top)
}

// The roll-ups hold what summing the orders gives, through everything that writes orders: a first sync, the
// same orders synced again, payments, shipping (one parcel, then the rest), cancellations, orders moving
// between days, lines changing, and a push of a single order.
func TestRollupsEqualTheOrdersSums(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		r := rand.New(rand.NewPCG(7, 8))
		start := bj(3, 1, 0, 0, 0)
		products := []string{"tee", "bag", "mug", "cap", ""}
		randomLines := func() []OrderLine {
			var lines []OrderLine
			for range 1 + r.IntN(3) {
				q := 1 + r.Int64N(4)
				lines = append(lines, OrderLine{ProductID: products[r.IntN(len(products))], SKUID: "s", Title: "商品",
					Quantity: q, UnitFen: 990, TotalFen: q * 990})
			}
			return lines
		}
		orders := make([]Order, 300)
		for i := range orders {
			created := start.Add(time.Duration(r.Int64N(int64(40 * 24 * time.Hour))))
			o := Order{Source: OrderSources[i%len(OrderSources)], OrderID: fmt.Sprint("o", i), Status: OrderToPay,
				SourceStatus: 10, CreatedAt: created, Raw: []byte(`{}`), Lines: randomLines()}
			for _, l := range o.Lines {
				o.TotalFen += l.TotalFen
			}
			if i%3 != 0 {
				o.Status, o.PaidAt = OrderToShip, created.Add(time.Duration(r.Int64N(int64(3*time.Hour))))
			}
			orders[i] = o
		}
		check := func(step string) {
			t.Helper()
			for _, span := range []struct {
				from time.Time
				days int
			}{{start, 7}, {start, 30}, {start.AddDate(0, 0, -10), 90}, {bj(3, 20, 0, 0, 0), 1}} {
				want, got := scannedFigures(t, s, span.from, span.days), rolledUpFigures(t, s, span.from, span.days)
				if got != want {
					t.Fatalf("%s, %d days from %s:\nroll-ups %s\n    sums %s", step, span.days, span.from.Format(time.DateOnly), got, want)
				}
			}
		}
		if err := s.UpsertOrders(ctx, orders[:200]); err != nil {
			t.Fatal(err)
		}
		check("first sync")
		if err := s.UpsertOrders(ctx, orders); err != nil { // a re-sync of the first 200 and 100 new
			t.Fatal(err)
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		check("the same orders synced again")
		for i := range orders {
			o := &orders[i]
			switch i % 7 {
			case 0: // paid late
				if o.PaidAt.IsZero() {
					o.Status, o.PaidAt = OrderToShip, o.CreatedAt.Add(30*time.Hour)
				}
			case 1: // shipped in one parcel
				if !o.PaidAt.IsZero() {
					o.Status, o.ShippedAt = OrderShipped, o.PaidAt.Add(time.Hour)
					o.Parcels = []Parcel{{CompanyID: "SF", TrackingNo: fmt.Sprint("SF", i), ShippedAt: o.ShippedAt}}
				}
			case 2: // cancelled, refunded
				o.Status = OrderCancelled
			case 3: // the buyer changed the lines before paying again
				o.Lines = randomLines()
				o.TotalFen = 0
				for _, l := range o.Lines {
					o.TotalFen += l.TotalFen
				}
			case 4: // done
				if !o.PaidAt.IsZero() {
					o.Status = OrderDone
				}
			case 5: // the payment time corrected to another day
				if !o.PaidAt.IsZero() {
					o.PaidAt = o.PaidAt.Add(-50 * time.Hour)
				}
			}
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		check("payments, shipping, cancellations and changed lines")
		// Pushes: one order at a time, a cancellation undone by a later answer, an order partly shipped.
		for _, i := range []int{2, 9, 16} {
			orders[i].Status, orders[i].PaidAt = OrderToShip, orders[i].CreatedAt.Add(time.Hour)
			if _, err := s.UpsertOrder(ctx, orders[i]); err != nil {
				t.Fatal(err)
			}
		}
		orders[8].Status = OrderPartial
		orders[8].Parcels = []Parcel{{CompanyID: "YTO", TrackingNo: "YT1", ShippedAt: orders[8].CreatedAt.Add(5 * time.Hour)}}
		if _, err := s.UpsertOrder(ctx, orders[8]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertOrder(ctx, orders[8]); err != nil {
			t.Fatal(err)
		}
		check("pushes")
		// Nothing negative and nothing counted twice: the sums over every day are the orders' own.
		var n, revenue int64
		if err := s.queryRow(ctx, `SELECT COALESCE(sum(n), 0) FROM order_status_days`).Scan(&n); err != nil || n != int64(len(orders)) {
			t.Errorf("order_status_days holds %d orders (%v), want %d", n, err, len(orders))
		}
		if err := s.queryRow(ctx, `SELECT CAST(COALESCE(sum(revenue), 0) AS BIGINT) FROM sales_days`).Scan(&revenue); err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, o := range orders {
			if !o.PaidAt.IsZero() && o.Status != OrderCancelled {
				want += o.TotalFen
			}
		}
		if revenue != want {
			t.Errorf("sales_days holds %d fen, the paid orders %d", revenue, want)
		}
	})
}

// An order deleted leaves the roll-ups with its lines.
func TestRollupsForgetADeletedOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		kept, gone := paidOrder("kept", OrderDone, bj(3, 2, 10, 0, 0), 500), paidOrder("gone", OrderDone, bj(3, 2, 11, 0, 0), 700)
		gone.Lines[0].ProductID = kept.Lines[0].ProductID
		if err := s.UpsertOrders(ctx, []Order{kept, gone}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.ExecContext(ctx, s.pick(`DELETE FROM orders WHERE order_id = ?`, `DELETE FROM orders WHERE order_id = $1`), "gone"); err != nil {
			t.Fatal(err)
		}
		if want, got := scannedFigures(t, s, bj(3, 1, 0, 0, 0), 7), rolledUpFigures(t, s, bj(3, 1, 0, 0, 0), 7); got != want {
			t.Errorf("after the delete:\nroll-ups %s\n    sums %s", got, want)
		}
	})
}
