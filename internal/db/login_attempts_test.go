package db

import (
	"errors"
	"testing"
	"time"
)

func TestLoginAttemptsCountedAndGivenBack(t *testing.T) {
	t.Run(Postgres.String(), func(t *testing.T) {
		s := newTestStore(t)
		ctx := t.Context()
		t0 := time.Unix(1_800_000_000, 0)
		var seen map[string][]time.Time
		look := func(m map[string][]time.Time) error { seen = m; return nil }
		for i := range 3 {
			if err := s.ReserveLoginAttempt(ctx, []string{"p", "u"}, t0.Add(-time.Hour), t0.Add(time.Duration(i)*time.Second), look); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen["p"]) != 2 || len(seen["u"]) != 2 || !seen["p"][1].Equal(t0.Add(time.Second)) {
			t.Fatalf("the third attempt saw %v, want the two before it", seen)
		}
		refused := errors.New("refused")
		if err := s.ReserveLoginAttempt(ctx, []string{"p"}, t0.Add(-time.Hour), t0.Add(3*time.Second), func(map[string][]time.Time) error { return refused }); err != refused {
			t.Fatalf("a refused attempt = %v, want the refusal itself", err)
		}
		// Given back: the one attempt under both keys; a success forgets the pair's.
		if err := s.ReleaseLoginAttempt(ctx, []string{"p", "u"}, t0.Add(2*time.Second), []string{"p"}); err != nil {
			t.Fatal(err)
		}
		s.ReserveLoginAttempt(ctx, []string{"p", "u"}, t0.Add(-time.Hour), t0.Add(4*time.Second), look)
		if len(seen["p"]) != 0 || len(seen["u"]) != 2 {
			t.Errorf("after a success, the attempts seen are %v, want none by pair and two by user", seen)
		}
		// Attempts older than the window are gone.
		s.ReserveLoginAttempt(ctx, []string{"u"}, t0.Add(3*time.Second), t0.Add(5*time.Second), look)
		if len(seen["u"]) != 1 {
			t.Errorf("attempts outside the window are still counted: %v", seen["u"])
		}
	})
}
