package db

import (
	"testing"
	"time"
)

// Pushes are counted per address in fixed periods, by whichever server they reach: a second connection (a
// second server) adds to the same count, a new period starts again from one, and another address has its own.
func TestPushesAreCountedTogetherPerPeriod(t *testing.T) {
	t.Run(Postgres.String(), func(t *testing.T) {
		s := newTestStore(t)
		other, err := OpenPostgres(t.Context(), postgresURLOf(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		ctx := t.Context()
		at := time.Unix(1_700_000_000, 0)
		for i := range 5 {
			server := []*Store{s, other}[i%2]
			n, err := server.CountPush(ctx, "203.0.113.7", at.Add(time.Duration(i)*time.Second), time.Minute)
			if err != nil || n != i+1 {
				t.Fatalf("push %d counted as %d (%v)", i+1, n, err)
			}
		}
		if n, _ := other.CountPush(ctx, "198.51.100.1", at, time.Minute); n != 1 {
			t.Errorf("another address's first push counted as %d", n)
		}
		before, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The minute begun by the first push is over: counting starts again, and the ended periods are forgotten.
		if n, _ := s.CountPush(ctx, "203.0.113.7", at.Add(time.Minute), time.Minute); n != 1 {
			t.Errorf("the first push of the next minute counted as %d", n)
		}
		if n, _ := s.CountPush(ctx, "203.0.113.7", at.Add(time.Minute+time.Second), time.Minute); n != 2 {
			t.Errorf("the second push of the next minute counted as %d", n)
		}
		var kept int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM push_rates`).Scan(&kept); err != nil || kept != 1 {
			t.Errorf("%d counts kept (%v), want the current one", kept, err)
		}
		// Counting pushes is not a change any page shows: kept pages stay valid.
		if after, _ := s.DataVersion(ctx); after != before {
			t.Errorf("counting pushes changed the data version from %d to %d", before, after)
		}
	})
}
