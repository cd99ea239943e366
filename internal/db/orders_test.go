package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

func testOrder(id, status string, created time.Time) Order {
	return Order{Source: SourceShop, OrderID: id, Status: status, SourceStatus: 20, ReceiverName: "张三", ReceiverPhone: "13800138000",
		TotalFen: 9900, CreatedAt: created, PaidAt: created.Add(time.Minute), Raw: []byte(`{}`),
		Lines:   []OrderLine{{ProductID: "p1", Title: "纯棉T恤", Quantity: 1, UnitFen: 9900, TotalFen: 9900}},
		Parcels: nil}
}

func TestOrderUpsertIsIdempotent(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		at := time.Unix(1_800_000_000, 0)
		o := testOrder("3705", OrderToShip, at)
		id1, err := s.UpsertOrder(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		o.Status = OrderShipped
		o.Parcels = []Parcel{{CompanyID: "003shunfeng", CompanyName: "顺丰", TrackingNo: "SF1", ShippedAt: at.Add(time.Hour)}}
		id2, err := s.UpsertOrder(ctx, o)
		if err != nil || id2 != id1 {
			t.Fatalf("second upsert: id %d vs %d, %v", id2, id1, err)
		}
		got, err := s.Order(ctx, id1)
		if err != nil || got.Status != OrderShipped || len(got.Lines) != 1 || len(got.Parcels) != 1 || got.Parcels[0].TrackingNo != "SF1" {
			t.Fatalf("order = %+v, %v", got, err)
		}
		if _, total, _ := s.Orders(ctx, OrderFilter{}); total != 1 {
			t.Errorf("%d orders after two upserts of one", total)
		}
		// The same id from another source is another order.
		o.Source = SourceChannels
		s.UpsertOrder(ctx, o)
		if _, total, _ := s.Orders(ctx, OrderFilter{}); total != 2 {
			t.Errorf("%d orders, want 2 (same id, two sources)", total)
		}
		if _, err := s.OrderBySourceID(ctx, SourceMerchant, "", "3705"); !errors.Is(err, ErrNoRecord) {
			t.Errorf("unknown source/id: %v", err)
		}
	})
}

func TestOrderFiltersAndCounts(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		var orders []Order
		for i, st := range []string{OrderToShip, OrderToShip, OrderShipped, OrderCancelled, OrderToPay} {
			o := testOrder(string(rune('a'+i)), st, day.Add(time.Duration(i)*24*time.Hour))
			if i == 1 {
				o.ReceiverName, o.ReceiverPhone, o.Lines[0].Title = "李四", "13900000000", "帆布包"
			}
			if st == OrderToPay {
				o.PaidAt = time.Time{}
			}
			orders = append(orders, o)
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		list, total, _ := s.Orders(ctx, OrderFilter{Status: OrderToShip, Oldest: true})
		if total != 2 || list[0].OrderID != "a" {
			t.Errorf("to ship, oldest first: %d, first %q", total, list[0].OrderID)
		}
		for q, want := range map[string]string{"13900000000": "b", "李四": "b", "帆布": "b", "c": "c"} {
			list, total, _ := s.Orders(ctx, OrderFilter{Query: q})
			if total != 1 || list[0].OrderID != want {
				t.Errorf("search %q: %d results", q, total)
			}
		}
		if _, total, _ := s.Orders(ctx, OrderFilter{From: day.Add(24 * time.Hour), To: day.Add(3 * 24 * time.Hour)}); total != 2 {
			t.Errorf("date range: %d", total)
		}
		counts, _ := s.OrderCounts(ctx, OrderFilter{Status: OrderShipped})
		if counts[OrderToShip] != 2 || counts[OrderShipped] != 1 || counts[OrderCancelled] != 1 || counts[OrderToPay] != 1 {
			t.Errorf("counts = %v", counts)
		}
		n, sum, _ := s.PaidBetween(ctx, day, day.Add(10*24*time.Hour))
		if n != 3 || sum != 3*9900 {
			t.Errorf("paid: %d orders, %d fen; want 3 (cancelled and unpaid left out)", n, sum)
		}
	})
}

// The order list reads its tabs' counts first and hands them to Orders for the total: the page and total are
// the same as when Orders counts for itself, for every status and narrowing, on the first page and the last.
func TestOrdersTotalFromTheTabsCounts(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		statuses := []string{OrderToShip, OrderShipped, OrderToShip, OrderCancelled, OrderToPay, OrderToShip, OrderShipped}
		var orders []Order
		for i := range 70 {
			o := testOrder(fmt.Sprintf("o%03d", i), statuses[i%len(statuses)], day.Add(time.Duration(i)*time.Hour))
			if i%3 == 0 {
				o.ReceiverName, o.ReceiverPhone = "李四", "13900000000"
			}
			orders = append(orders, o)
		}
		if err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		ids := func(list []Order) []string {
			var out []string
			for _, o := range list {
				out = append(out, o.OrderID)
			}
			return out
		}
		for _, f := range []OrderFilter{
			{}, {Query: "李四"}, {Query: "13900000000"}, {From: day.Add(10 * time.Hour), To: day.Add(50 * time.Hour)},
			{Source: SourceShop, Query: "李四", From: day.Add(5 * time.Hour)}, {Source: SourceChannels},
		} {
			for _, status := range append([]string{""}, OrderToShip, OrderShipped, OrderAfterSale) {
				for _, offset := range []int{0, 10, 20} {
					f := f
					f.Status, f.Limit, f.Offset = status, 10, offset
					want, wantTotal, err := s.Orders(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if f.Counts, err = s.OrderCounts(ctx, f); err != nil {
						t.Fatal(err)
					}
					got, total, err := s.Orders(ctx, f)
					if err != nil || total != wantTotal || !slices.Equal(ids(got), ids(want)) {
						t.Errorf("%+v: with the counts %d %v (%v), counted %d %v", f, total, ids(got), err, wantTotal, ids(want))
					}
					if offset == 0 && status == "" && wantTotal == 0 && f.Source != SourceChannels {
						t.Errorf("%+v matches nothing: the case proves little", f)
					}
				}
			}
		}
	})
}

func TestOrderSourceState(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		st, err := s.OrderSourceState(ctx, SourceChannels)
		if err != nil || !st.Watermark.IsZero() {
			t.Fatalf("new state = %+v, %v", st, err)
		}
		st.Watermark = time.Unix(1_800_000_000, 0)
		st.Unavailable, st.ErrCode, st.ErrMsg = true, 48001, "api unauthorized"
		s.SaveOrderSourceState(ctx, st)
		got, _ := s.OrderSourceState(ctx, SourceChannels)
		if !got.Watermark.Equal(st.Watermark) || !got.Unavailable || got.ErrCode != 48001 {
			t.Errorf("state = %+v", got)
		}
		all, err := s.OrderSourceStates(ctx)
		if err != nil || len(all) != len(OrderSources) {
			t.Fatalf("states = %+v, %v", all, err)
		}
		for i, src := range OrderSources {
			want, _ := s.OrderSourceState(ctx, src)
			if all[i] != want {
				t.Errorf("%s: %+v among all, %+v alone", src, all[i], want)
			}
		}
	})
}
