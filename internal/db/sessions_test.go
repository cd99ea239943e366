package db

import (
	"errors"
	"testing"
	"time"
)

// A session is stored, read back with its expiry, replaced, deleted; the expired ones are swept. Both
// dialects keep the expiry the way scs's own stores do.
func TestSessions(t *testing.T) { eachDialect(t, testSessions) }

func testSessions(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	if _, err := s.FindSession(ctx, "nope"); !errors.Is(err, ErrNoRecord) {
		t.Fatalf("a made-up token: %v, want ErrNoRecord", err)
	}
	expiry := time.Date(2026, 12, 10, 8, 30, 15, 250e6, time.UTC)
	if err := s.CommitSession(ctx, "tok", []byte("one"), expiry); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindSession(ctx, "tok")
	if err != nil || string(got.Data) != "one" {
		t.Fatalf("FindSession = %q, %v", got.Data, err)
	}
	if d := got.Expiry.Sub(expiry); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("expiry %v, want %v", got.Expiry.UTC(), expiry)
	}
	if err := s.CommitSession(ctx, "tok", []byte("two"), expiry.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindSession(ctx, "tok"); string(got.Data) != "two" {
		t.Errorf("after a second commit: %q", got.Data)
	}
	if err := s.CommitSession(ctx, "old", []byte("x"), expiry.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredSessions(ctx, expiry.Add(-24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want the old one", n, err)
	}
	if _, err := s.FindSession(ctx, "old"); !errors.Is(err, ErrNoRecord) {
		t.Errorf("an expired session survived the sweep: %v", err)
	}
	if err := s.DeleteSession(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, "tok"); !errors.Is(err, ErrNoRecord) {
		t.Errorf("a deleted session was found: %v", err)
	}
}
