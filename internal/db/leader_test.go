package db

import (
	"context"
	"testing"
	"time"
)

func TestOneServerLeadsAtATime(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		first, ok, err := s.TryLead(t.Context(), "first sync")
		if err != nil || !ok {
			t.Fatalf("the first to ask does not lead: %v %v", ok, err)
		}
		if testDialect(t) == SQLite {
			first.Release()
			return // one server has the file to itself
		}
		other, err := OpenPostgres(t.Context(), postgresURLOf(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if _, ok, err := other.TryLead(t.Context(), "first sync"); ok || err != nil {
			t.Fatalf("a second server leads while the first does: %v %v", ok, err)
		}
		if l, ok, _ := other.TryLead(t.Context(), "another job"); !ok {
			t.Error("another job's lock is taken too")
		} else {
			l.Release()
		}
		first.Release()
		l, ok, err := other.TryLead(t.Context(), "first sync")
		if !ok || err != nil {
			t.Fatalf("released, the lock is not had by the other server: %v %v", ok, err)
		}
		l.Release()
		// A server that goes away (its connections closed) loses the lock.
		dying, ok, _ := s.TryLead(t.Context(), "first sync")
		if !ok {
			t.Fatal("the first server cannot lead again")
		}
		dying.conn.Raw(func(c any) error { return c.(*pgConn).Conn.Close() }) // as a killed process's would
		time.Sleep(200 * time.Millisecond)
		if l2, ok, _ := other.TryLead(t.Context(), "first sync"); !ok {
			t.Error("the lock outlives its server's connection")
		} else {
			l2.Release()
		}
	})
}

// Lead waits its turn: a second server asking for a lock another holds gets it once that one gives it up, and
// gives up waiting when its context ends.
func TestLeadWaitsForTheLockHolder(t *testing.T) {
	t.Run(Postgres.String(), func(t *testing.T) {
		s := newTestStore(t)
		other, err := OpenPostgres(t.Context(), postgresURLOf(t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		held, err := s.Lead(t.Context(), "order sync merchant")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		if _, err := other.Lead(ctx, "order sync merchant"); err == nil {
			t.Fatal("the second server took the lock the first holds")
		}
		got := make(chan error, 1)
		go func() {
			l, err := other.Lead(t.Context(), "order sync merchant")
			if err == nil {
				l.Release()
			}
			got <- err
		}()
		select {
		case err := <-got:
			t.Fatalf("the second server did not wait: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		held.Release()
		select {
		case err := <-got:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the second server did not get the lock once it was released")
		}
	})
}
