package db

import (
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
