package db

import (
	"testing"
	"time"
)

func TestAftersalesMirror(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		base := time.Unix(1_700_000_000, 0)
		put := func(a Aftersale) bool {
			t.Helper()
			if a.Raw == nil {
				a.Raw = []byte(`{}`)
			}
			changed, err := s.UpsertAftersale(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			return changed
		}
		if !put(Aftersale{ID: "1", OrderID: "O1", Type: "REFUND", Status: "MERCHANT_PROCESSING", Tab: AftersaleTabPending, NeedsMerchant: true,
			Deadline: base.Add(5 * time.Hour), UpdatedAt: base, BuyerPhone: "13800000000"}) {
			t.Error("a new after-sale is a change")
		}
		put(Aftersale{ID: "2", OrderID: "O1", Type: "RETURN", Status: "MERCHANT_PROCESSING", Tab: AftersaleTabPending, NeedsMerchant: true,
			Deadline: base.Add(2 * time.Hour), UpdatedAt: base})
		put(Aftersale{ID: "3", OrderID: "O2", Type: "REFUND", Status: "MERCHANT_REFUND_SUCCESS", Tab: AftersaleTabDone, UpdatedAt: base})
		if put(Aftersale{ID: "1", OrderID: "O1", Type: "REFUND", Status: "MERCHANT_PROCESSING", Tab: AftersaleTabPending, NeedsMerchant: true,
			Deadline: base.Add(5 * time.Hour), UpdatedAt: base, BuyerPhone: "13800000000"}) {
			t.Error("the same status again is no change")
		}
		// An older answer arriving late does not undo a newer one.
		put(Aftersale{ID: "3", OrderID: "O2", Type: "REFUND", Status: "PLATFORM_REFUNDING", Tab: AftersaleTabOngoing, UpdatedAt: base.Add(-time.Minute)})
		if a, _ := s.Aftersale(ctx, "3"); a.Status != "MERCHANT_REFUND_SUCCESS" {
			t.Errorf("stale answer overwrote: %s", a.Status)
		}

		list, total, err := s.Aftersales(ctx, AftersaleFilter{})
		if err != nil || total != 3 || len(list) != 3 || list[0].ID != "2" || list[1].ID != "1" || list[2].ID != "3" {
			t.Fatalf("list = %v %d %v; want soonest deadline first", ids(list), total, err)
		}
		if list, _, _ := s.Aftersales(ctx, AftersaleFilter{Query: "13800000000"}); len(list) != 1 || list[0].ID != "1" {
			t.Errorf("by phone: %v", ids(list))
		}
		if list, _, _ := s.Aftersales(ctx, AftersaleFilter{Query: "O1", Tab: AftersaleTabPending}); len(list) != 2 {
			t.Errorf("by order: %v", ids(list))
		}
		counts, _ := s.AftersaleTabCounts(ctx, "")
		if counts[AftersaleTabPending] != 2 || counts[AftersaleTabDone] != 1 {
			t.Errorf("counts = %v", counts)
		}
		n, soonest, err := s.AftersalesWaiting(ctx)
		if err != nil || n != 2 || !soonest.Equal(base.Add(2*time.Hour)) {
			t.Errorf("waiting = %d %v %v", n, soonest, err)
		}
		put(Aftersale{ID: "1", OrderID: "O1", Type: "REFUND", Status: "PLATFORM_REFUNDING", Tab: AftersaleTabOngoing, UpdatedAt: base.Add(time.Minute)})
		refund := base.Add(time.Minute)
		if err := s.AddAftersaleEvent(ctx, AftersaleEvent{AftersaleID: "1", OrderID: "O1", Kind: "accept", Username: "op", Outcome: "ok", RefundAt: refund}); err != nil {
			t.Fatal(err)
		}
		events, _ := s.AftersaleEvents(ctx, "1")
		if len(events) != 3 || events[0].Status != "MERCHANT_PROCESSING" || events[1].Status != "PLATFORM_REFUNDING" || events[2].Kind != "accept" {
			t.Errorf("history = %+v", events)
		}
		if last, _ := s.LastRefundOfOrder(ctx, "O1"); !last.Equal(refund) {
			t.Errorf("last refund = %v", last)
		}
		if last, _ := s.LastRefundOfOrder(ctx, "O2"); !last.IsZero() {
			t.Errorf("O2 last refund = %v", last)
		}
		of, _ := s.AftersalesOfOrder(ctx, "O1")
		if len(of) != 2 {
			t.Errorf("of order = %v", ids(of))
		}
		if _, err := s.Aftersale(ctx, "9"); err != ErrNoRecord {
			t.Errorf("unknown: %v", err)
		}
	})
}

func ids(list []Aftersale) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}
