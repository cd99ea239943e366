package db

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// newRunningShipBatch stores a running file of n valid rows.
func newRunningShipBatch(t *testing.T, s *Store, n int) int64 {
	t.Helper()
	b := ShipBatch{Filename: "发货.csv", CreatedBy: "admin"}
	for i := range n {
		b.Rows = append(b.Rows, ShipBatchRow{RowNo: i + 1, OrderID: fmt.Sprint(1000 + i), Company: "顺丰", TrackingNo: fmt.Sprintf("SF%04d", i),
			OrderPK: int64(i + 1), CompanyID: "SF", State: ShipRowValid})
	}
	id, err := s.CreateShipBatch(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.StartShipBatch(t.Context(), id, "zh"); err != nil || !ok {
		t.Fatal(ok, err)
	}
	return id
}

// Servers claiming a file's rows at once each get rows of their own: every row is claimed once, and a claimed
// row is nobody else's until its lease runs out.
func TestShipRowsAreClaimedOnceEach(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		const rows, claimers = 40, 8
		id := newRunningShipBatch(t, s, rows)
		var mu sync.Mutex
		claimed := map[int]string{}
		var wg sync.WaitGroup
		for c := range claimers {
			owner := fmt.Sprintf("server-%d", c)
			wg.Go(func() {
				for {
					r, ok, err := s.ClaimShipRow(t.Context(), id, owner, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						return
					}
					mu.Lock()
					if prev, dup := claimed[r.RowNo]; dup {
						t.Errorf("row %d claimed by %s and by %s", r.RowNo, prev, owner)
					}
					claimed[r.RowNo] = owner
					mu.Unlock()
					if r.Attempts != 1 || r.State != ShipRowValid || r.TrackingNo != fmt.Sprintf("SF%04d", r.RowNo-1) {
						t.Errorf("row %d claimed as %+v", r.RowNo, r)
					}
				}
			})
		}
		wg.Wait()
		if len(claimed) != rows {
			t.Errorf("%d of %d rows claimed", len(claimed), rows)
		}
		if _, ok, _ := s.ClaimShipRow(t.Context(), id, "late", time.Minute); ok {
			t.Error("a row held under a live lease was claimed again")
		}
	})
}

// A row whose server died is taken by another once its lease has run out, counted as a second attempt; the dead
// server's late answer can no longer record its fate, and the file is done only when no row is left valid.
func TestAShipRowWhoseLeaseRanOutIsTakenOver(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		id := newRunningShipBatch(t, s, 2)
		first, ok, err := s.ClaimShipRow(ctx, id, "a", 300*time.Millisecond)
		if err != nil || !ok || first.RowNo != 1 {
			t.Fatal(first, ok, err)
		}
		second, ok, err := s.ClaimShipRow(ctx, id, "a", time.Minute)
		if err != nil || !ok || second.RowNo != 2 {
			t.Fatal(second, ok, err)
		}
		if _, ok, _ := s.ClaimShipRow(ctx, id, "b", time.Minute); ok {
			t.Fatal("b claimed a row a holds")
		}
		// a renews: row 1 stays a's past its first lease.
		time.Sleep(150 * time.Millisecond)
		if err := s.RenewShipLeases(ctx, id, "a", 300*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if _, ok, _ := s.ClaimShipRow(ctx, id, "b", time.Minute); ok {
			t.Fatal("b claimed a row whose lease a renewed")
		}
		// a dies: its renewed lease runs out.
		time.Sleep(250 * time.Millisecond)
		taken, ok, err := s.ClaimShipRow(ctx, id, "b", time.Minute)
		if err != nil || !ok || taken.RowNo != 1 || taken.Attempts != 2 {
			t.Fatalf("after a's lease ran out b claimed %+v %v %v; want row 1, its second attempt", taken, ok, err)
		}
		if ok, err := s.FinishClaimedShipRow(ctx, id, 1, "a", ShipRowFailed, "late"); err != nil || ok {
			t.Errorf("a, whose lease ran out, recorded the row's fate: %v %v", ok, err)
		}
		if ok, err := s.FinishClaimedShipRow(ctx, id, 1, "b", ShipRowShipped, ""); err != nil || !ok {
			t.Errorf("b could not record the row it holds: %v %v", ok, err)
		}
		if done, err := s.FinishShipBatchIfDone(ctx, id); err != nil || done {
			t.Errorf("the file was finished with row 2 still on its way: %v %v", done, err)
		}
		// a stops with row 2 on its way and gives it up: it can be taken at once, as attempted.
		if err := s.ReleaseShipRow(ctx, id, 2, "a", 0); err != nil {
			t.Fatal(err)
		}
		again, ok, err := s.ClaimShipRow(ctx, id, "b", time.Minute)
		if err != nil || !ok || again.RowNo != 2 || again.Attempts != 2 {
			t.Fatalf("the row given up was claimed as %+v %v %v", again, ok, err)
		}
		// Given up for later: nobody may take it before then.
		if err := s.ReleaseShipRow(ctx, id, 2, "b", time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.ClaimShipRow(ctx, id, "c", time.Minute); ok {
			t.Error("a row left for later was claimed at once")
		}
		if err := s.ReleaseOthersShipLeases(ctx, "d"); err != nil {
			t.Fatal(err)
		}
		last, ok, err := s.ClaimShipRow(ctx, id, "d", time.Minute)
		if err != nil || !ok || last.RowNo != 2 || last.Attempts != 3 {
			t.Fatalf("after the leases were ended, claimed %+v %v %v", last, ok, err)
		}
		if ok, _ := s.FinishClaimedShipRow(ctx, id, 2, "d", ShipRowShipped, ""); !ok {
			t.Fatal("d could not finish its row")
		}
		if done, err := s.FinishShipBatchIfDone(ctx, id); err != nil || !done {
			t.Errorf("every row done, the file was not finished: %v %v", done, err)
		}
		b, _ := s.ShipBatch(ctx, id)
		if b.State != ShipFileDone {
			t.Errorf("the file is %s", b.State)
		}
		if _, ok, _ := s.ClaimShipRow(ctx, id, "e", time.Minute); ok {
			t.Error("a row of a finished file was claimed")
		}
	})
}
