package db

import (
	"sync"
	"testing"
	"time"
)

// WeChat's limits on forced token refreshes hold for every process on the database: one at a time wins the
// count, none within 30 s of the last, at most 20 in a day, and the next day starts afresh; the token itself
// is left as it was.
func TestForcedRefreshesAreCountedForEveryProcess(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		var mu sync.Mutex
		now := time.Unix(1_800_000_000, 0)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		s.SetClock(clock)
		// A second process: on PostgreSQL a store of its own on the same database.
		other := s
		if testDialect(t) == Postgres {
			var err error
			if other, err = OpenPostgres(ctx, postgresURLOf(t, s)); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			other.SetClock(clock)
		}
		if err := s.SaveAccessToken(ctx, "wx1", "TOKEN-1", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}

		claims := func() int {
			var wg sync.WaitGroup
			var won sync.Map
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st := s
					if i%2 == 1 {
						st = other
					}
					ok, err := st.ClaimForcedRefresh(ctx, "wx1", 20, 30*time.Second)
					if err != nil {
						t.Error(err)
					}
					if ok {
						won.Store(i, true)
					}
				}()
			}
			wg.Wait()
			n := 0
			won.Range(func(any, any) bool { n++; return true })
			return n
		}
		if n := claims(); n != 1 {
			t.Fatalf("%d processes counted the first forced refresh, want 1", n)
		}
		advance(29 * time.Second)
		if n := claims(); n != 0 {
			t.Fatalf("%d forced refreshes 29 s after the last, want none", n)
		}
		for i := 2; i <= 20; i++ {
			advance(31 * time.Second)
			if n := claims(); n != 1 {
				t.Fatalf("forced refresh %d of the day: %d counted, want 1", i, n)
			}
		}
		advance(31 * time.Second)
		if n := claims(); n != 0 {
			t.Fatalf("a 21st forced refresh in a day: %d counted", n)
		}
		if ok, _ := other.ClaimForcedRefresh(ctx, "wx2", 20, 30*time.Second); !ok {
			t.Error("another AppID has limits of its own")
		}
		advance(24 * time.Hour)
		if n := claims(); n != 1 {
			t.Fatalf("the next day: %d counted, want 1", n)
		}
		if tok, err := s.AccessToken(ctx, "wx1"); err != nil || tok.Value != "TOKEN-1" {
			t.Errorf("the token after counting: %+v, %v", tok, err)
		}
	})
}
