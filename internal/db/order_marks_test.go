package db

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// Every page of a long list is the same read through the page marks as walked from the start, in both
// directions, with ties in created_at, and again after orders change.
func TestPageMarksGiveTheSamePages(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		base := time.Unix(1_800_000_000, 0)
		var orders []Order
		for i := range 3*markStep + 137 {
			status := OrderDone
			if i%5 == 0 {
				status = OrderShipped
			}
			// Three orders a second: created_at has ties, told apart by id.
			orders = append(orders, testOrder(fmt.Sprintf("m%05d", i), status, base.Add(time.Duration(i/3)*time.Second)))
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		// ids walks the whole list in one query, the reference.
		ids := func(status string, oldest bool) []int64 {
			order := "created_at DESC, id DESC"
			if oldest {
				order = "created_at, id"
			}
			rows, err := s.DB.QueryContext(ctx, `SELECT id FROM orders WHERE status = ? ORDER BY `+order, status)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				out = append(out, id)
			}
			return out
		}
		check := func(status string, oldest bool) {
			t.Helper()
			want := ids(status, oldest)
			const per = 50
			for offset := 0; offset < len(want); offset += per {
				page, total, err := s.Orders(ctx, OrderFilter{Status: status, Oldest: oldest, Limit: per, Offset: offset, Brief: true})
				if err != nil {
					t.Fatal(err)
				}
				if total != len(want) {
					t.Fatalf("total %d, want %d", total, len(want))
				}
				var got []int64
				for _, o := range page {
					got = append(got, o.ID)
				}
				if w := want[offset:min(offset+per, len(want))]; !slices.Equal(got, w) {
					t.Fatalf("%s oldest=%v offset %d: got %v, want %v", status, oldest, offset, got, w)
				}
			}
		}
		for _, oldest := range []bool{false, true} {
			check(OrderDone, oldest)
			check(OrderShipped, oldest)
		}
		if len(s.marks.lists) == 0 {
			t.Fatal("no list was marked")
		}

		// New orders, some in the middle of the list: the marks are made again.
		var more []Order
		for i := range markStep / 2 {
			more = append(more, testOrder(fmt.Sprintf("n%05d", i), OrderDone, base.Add(time.Duration(i)*time.Second)))
		}
		if err := s.UpsertOrders(ctx, more); err != nil {
			t.Fatal(err)
		}
		for _, oldest := range []bool{false, true} {
			check(OrderDone, oldest)
		}
	})
}

// A list of one status, or of every order, spread over many Beijing days finds its deep pages through the
// day counts of order_status_days: the same pages as walked from the start, in both directions, with orders
// on the stroke of midnight, and again after orders change, without making any marks.
func TestDaySeekGivesTheSamePages(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		midnight := time.Date(2027, 1, 10, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
		var orders []Order
		for i := range 2400 {
			status := []string{OrderDone, OrderDone, OrderShipped, OrderToShip}[i%4]
			// Some 300 orders a day for eight days, every eleventh on a midnight exactly; ties in created_at.
			at := midnight.Add(time.Duration(i/2) * 576 * time.Second)
			if i%11 == 0 {
				at = midnight.AddDate(0, 0, i/300)
			}
			orders = append(orders, testOrder(fmt.Sprintf("d%05d", i), status, at))
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		ids := func(status string, oldest bool) []int64 {
			order := "created_at DESC, id DESC"
			if oldest {
				order = "created_at, id"
			}
			rows, err := s.DB.QueryContext(ctx, `SELECT id FROM orders WHERE status = ? OR ? = '' ORDER BY `+order, status, status)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				out = append(out, id)
			}
			return out
		}
		check := func(status string, oldest bool) {
			t.Helper()
			want := ids(status, oldest)
			const per = 50
			for offset := 0; offset < len(want); offset += per {
				page, total, err := s.Orders(ctx, OrderFilter{Status: status, Oldest: oldest, Limit: per, Offset: offset, Brief: true})
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, o := range page {
					got = append(got, o.ID)
				}
				if w := want[offset:min(offset+per, len(want))]; total != len(want) || !slices.Equal(got, w) {
					t.Fatalf("%q oldest=%v offset %d: %d in all, got %v, want %d in all, %v", status, oldest, offset, total, got, len(want), w)
				}
			}
		}
		for _, status := range []string{"", OrderDone, OrderShipped} {
			for _, oldest := range []bool{false, true} {
				check(status, oldest)
			}
		}
		// Orders moved between statuses and added in the middle: the day counts follow in the same commit.
		for i := range 200 {
			orders[i*7].Status = OrderShipped
		}
		for i := range 150 {
			orders = append(orders, testOrder(fmt.Sprintf("e%05d", i), OrderDone, midnight.AddDate(0, 0, 3).Add(time.Duration(i)*time.Minute)))
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		for _, status := range []string{"", OrderDone, OrderShipped} {
			for _, oldest := range []bool{false, true} {
				check(status, oldest)
			}
		}
		if len(s.marks.lists) != 0 {
			t.Errorf("%d lists were marked; the day counts should have found every page", len(s.marks.lists))
		}
	})
}
