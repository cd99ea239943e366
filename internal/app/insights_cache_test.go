package app

import (
	"context"
	"testing"
	"time"
)

func TestInsightFiguresAreKeptUntilOrdersChange(t *testing.T) {
	s := newTestServer(t)
	ctx := context.Background()
	now := time.Now()
	sellOrders(t, s.store, map[string]time.Time{"c1": now.Add(-time.Hour)}, nil)

	first, err := s.app.insightFigures(ctx, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	// Rows changed behind the store's back are not seen while the figures are kept...
	if _, err := s.store.DB.Exec(`UPDATE orders SET total_fen = total_fen + 100000`); err != nil {
		t.Fatal(err)
	}
	kept, _ := s.app.insightFigures(ctx, 7, now.Add(time.Second))
	if figuresRevenue(kept) != figuresRevenue(first) {
		t.Fatalf("figures recomputed without an order write: %d then %d", figuresRevenue(first), figuresRevenue(kept))
	}
	// ...a minute at most,
	aged, _ := s.app.insightFigures(ctx, 7, now.Add(figuresMaxAge+time.Second))
	if figuresRevenue(aged) != figuresRevenue(first)+100000 {
		t.Fatalf("figures a minute old were kept: %d, want %d", figuresRevenue(aged), figuresRevenue(first)+100000)
	}
	// and an order the app writes shows at once.
	sellOrders(t, s.store, map[string]time.Time{"c2": now.Add(-time.Hour)}, nil)
	fresh, _ := s.app.insightFigures(ctx, 7, now.Add(figuresMaxAge+2*time.Second))
	if figuresOrders(fresh) != figuresOrders(aged)+1 {
		t.Fatalf("a new order is not counted: %d orders, want %d", figuresOrders(fresh), figuresOrders(aged)+1)
	}
}

func figuresRevenue(f figures) int64 {
	var n int64
	for _, d := range f.sales {
		n += d.Revenue
	}
	return n
}

func figuresOrders(f figures) int {
	n := 0
	for _, d := range f.sales {
		n += d.Orders
	}
	return n
}
