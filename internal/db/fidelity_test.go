package db

import (
	"context"
	"sync"
	"testing"
	"time"
)

// An order whose answer has no status is stored as unknown, from any connection of the pool, and counted as
// unknown only; any other value the CHECK still refuses. The merchant's note is kept beside the buyer's.
func TestUnknownStatusAndMerchantNote(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Unix(1_800_000_000, 0)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 { // several connections at once, each must know the widened check
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := testOrder("coiq"+string(rune('a'+i)), OrderUnknown, at)
			o.Source, o.ShopAppID = SourcePartner, "wxSHOP"
			_, err := s.UpsertOrder(ctx, o)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("an unknown-status order was refused: %v", err)
		}
	}
	counts, err := s.OrderCounts(ctx, OrderFilter{Source: SourcePartner})
	if err != nil {
		t.Fatal(err)
	}
	if counts[OrderUnknown] != 8 || counts[OrderDone] != 0 || counts[OrderToShip] != 0 {
		t.Errorf("counts = %v, want 8 unknown and nothing done or to ship", counts)
	}
	if _, err := s.UpsertOrder(ctx, testOrder("x", "bogus", at)); err == nil {
		t.Error("a status outside the list was stored")
	}

	o := testOrder("3705", OrderToShip, at)
	o.Source, o.Note, o.MerchantNote = SourceChannels, "发顺丰", "已电话确认"
	id, err := s.UpsertOrder(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Order(ctx, id)
	if err != nil || got.Note != "发顺丰" || got.MerchantNote != "已电话确认" {
		t.Errorf("notes %q / %q, %v", got.Note, got.MerchantNote, err)
	}
	list, _, err := s.Orders(ctx, OrderFilter{Source: SourceChannels, Limit: 10})
	if err != nil || len(list) != 1 || list[0].MerchantNote != "已电话确认" {
		t.Errorf("listed %+v, %v", list, err)
	}
	s.Close()

	// Opening again migrates nothing and keeps it all.
	s, err = OpenDir(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := s.OrderBySourceID(ctx, SourcePartner, "wxSHOP", "coiqa"); err != nil || got.Status != OrderUnknown {
		t.Errorf("after reopening: %+v, %v", got.Status, err)
	}
}

func TestCourierCache(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		if _, err := s.CachedCourierList(ctx, SourceChannels); err != ErrNoRecord {
			t.Fatalf("an empty cache: %v", err)
		}
		s.SetClock(func() time.Time { return time.Unix(1_800_000_000, 0) })
		if err := s.CacheCourierList(ctx, SourceChannels, []byte(`[{"ID":"SF","Name":"顺丰速运"}]`)); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return time.Unix(1_800_000_600, 0) })
		if err := s.CacheCourierList(ctx, SourceChannels, []byte(`[{"ID":"ZJS","Name":"宅急送"}]`)); err != nil {
			t.Fatal(err)
		}
		c, err := s.CachedCourierList(ctx, SourceChannels)
		if err != nil || string(c.Body) != `[{"ID":"ZJS","Name":"宅急送"}]` || c.FetchedAt.Unix() != 1_800_000_600 {
			t.Errorf("cached %s at %v, %v", c.Body, c.FetchedAt, err)
		}
	})
}
