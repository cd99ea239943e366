package session

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"wxshop/internal/db"
)

// rows is a sessions table in memory that counts its reads and writes.
type rows struct {
	sessions       map[string]db.Session
	finds, commits int
	failFind       error
}

func newRows() *rows { return &rows{sessions: map[string]db.Session{}} }

func (r *rows) FindSession(ctx context.Context, token string) (db.Session, error) {
	r.finds++
	if r.failFind != nil {
		return db.Session{}, r.failFind
	}
	s, ok := r.sessions[token]
	if !ok {
		return db.Session{}, db.ErrNoRecord
	}
	return s, nil
}

func (r *rows) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	r.commits++
	r.sessions[token] = db.Session{Data: data, Expiry: expiry}
	return nil
}

func (r *rows) DeleteSession(ctx context.Context, token string) error {
	delete(r.sessions, token)
	return nil
}

func (r *rows) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	for t, s := range r.sessions {
		if s.Expiry.Before(now) {
			delete(r.sessions, t)
			n++
		}
	}
	return n, nil
}

// A session read again and again is written once a minute at most; a change is written at once.
func TestStoreSkipsIdleTouches(t *testing.T) {
	under := newRows()
	codec := scs.GobCodec{}
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	q := NewStore(under, codec, Options{TouchEvery: time.Minute, Now: func() time.Time { return now }})
	deadline := now.Add(7 * 24 * time.Hour)
	enc := func(values map[string]any) []byte {
		b, err := codec.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Several keys: their encoding comes in any order.
	values := map[string]any{"userID": int64(7), "lang": "zh", "a": 1, "b": 2, "c": "three"}
	commit := func(values map[string]any, expiry time.Time) {
		t.Helper()
		if err := q.Commit("tok", enc(values), expiry); err != nil {
			t.Fatal(err)
		}
	}
	commit(values, now.Add(12*time.Hour))
	for i := range 20 {
		now = now.Add(2 * time.Second)
		commit(map[string]any{"c": "three", "b": 2, "a": 1, "lang": "zh", "userID": int64(7)}, now.Add(12*time.Hour))
		if under.commits != 1 {
			t.Fatalf("touch %d: %d writes, want 1", i, under.commits)
		}
	}
	// A change is written.
	values["lang"] = "en"
	commit(values, now.Add(12*time.Hour))
	if under.commits != 2 {
		t.Fatalf("a changed value: %d writes, want 2", under.commits)
	}
	// A minute on, the deadline is written again.
	now = now.Add(time.Minute)
	commit(values, now.Add(12*time.Hour))
	if under.commits != 3 {
		t.Fatalf("a minute later: %d writes, want 3", under.commits)
	}
	// Another session, and a deleted one, are written.
	if err := q.Commit("other", enc(values), now.Add(12*time.Hour)); err != nil || under.commits != 4 {
		t.Fatalf("another token: %d writes, %v", under.commits, err)
	}
	q.Delete("tok")
	commit(values, now.Add(12*time.Hour))
	if under.commits != 5 {
		t.Fatalf("after a delete: %d writes, want 5", under.commits)
	}
}

// Find answers from memory while the data version holds, reads the row again when it moves, never keeps a
// made-up token, and never finds an expired session.
func TestStoreFindsFromMemoryWhileTheVersionHolds(t *testing.T) {
	under := newRows()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	version := int64(1)
	q := NewStore(under, scs.GobCodec{}, Options{Now: func() time.Time { return now },
		Version: func(context.Context) (int64, error) { return version, nil }})
	under.sessions["tok"] = db.Session{Data: []byte("values"), Expiry: now.Add(time.Hour)}
	for range 3 {
		if b, found, err := q.Find("tok"); err != nil || !found || string(b) != "values" {
			t.Fatalf("Find = %q, %v, %v", b, found, err)
		}
	}
	if under.finds != 1 {
		t.Fatalf("%d reads of the table under one version, want 1", under.finds)
	}
	// Another process deletes it: the version moves, and the session is gone.
	delete(under.sessions, "tok")
	version++
	if _, found, _ := q.Find("tok"); found {
		t.Fatal("a session deleted elsewhere was found")
	}
	// Made-up tokens are read each time, not kept.
	for range 2 {
		q.Find("made-up")
	}
	if _, kept := q.found.Get(version, "made-up"); kept {
		t.Error("a row kept for a token that does not exist")
	}
	// An expired session is not found, from memory or not.
	under.sessions["old"] = db.Session{Data: []byte("x"), Expiry: now.Add(time.Minute)}
	if _, found, _ := q.Find("old"); !found {
		t.Fatal("a live session not found")
	}
	now = now.Add(time.Minute)
	if _, found, _ := q.Find("old"); found {
		t.Fatal("an expired session was found from memory")
	}
	// Without a version, every Find reads the table; a failure is the table's.
	under.failFind = errors.New("disk I/O error")
	if _, _, err := q.Find("tok"); err == nil {
		t.Error("a failed read was not reported")
	}
}

// Sweep deletes the expired sessions, and stops with its context.
func TestSweep(t *testing.T) {
	under := newRows()
	now := time.Now()
	under.sessions["old"] = db.Session{Expiry: now.Add(-time.Hour)}
	under.sessions["live"] = db.Session{Expiry: now.Add(time.Hour)}
	q := NewStore(under, scs.GobCodec{}, Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	q.Sweep(ctx, 10*time.Millisecond, nil) // returns when ctx ends
	if _, ok := under.sessions["old"]; ok {
		t.Error("the expired session survived")
	}
	if _, ok := under.sessions["live"]; !ok {
		t.Error("the live session was swept")
	}
}

// The decode cache gives every caller a map of its own, the same as gob's, and keeps only plain values.
func TestDecodeCacheGivesEachCallerItsOwnMap(t *testing.T) {
	c := NewDecodeCache(scs.GobCodec{})
	deadline := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	b, err := scs.GobCodec{}.Encode(deadline, map[string]any{"userID": int64(7), "lang": "en"})
	if err != nil {
		t.Fatal(err)
	}
	d1, v1, err := c.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	v1["userID"] = int64(8) // as scs does, in place
	delete(v1, "lang")
	d2, v2, err := c.Decode(b)
	if err != nil || !d1.Equal(deadline) || !d2.Equal(deadline) {
		t.Fatalf("deadlines %v %v, %v", d1, d2, err)
	}
	if v2["userID"] != int64(7) || v2["lang"] != "en" || len(v2) != 2 {
		t.Fatalf("a change to one decoded session reached the next: %v", v2)
	}
	if len(c.decoded) != 1 {
		t.Fatalf("%d sessions kept, want 1", len(c.decoded))
	}
	if _, _, err := c.Decode([]byte("not gob")); err == nil {
		t.Fatal("bad bytes decoded")
	}
	b2, _ := scs.GobCodec{}.Encode(deadline, map[string]any{"list": []string{"a"}})
	if _, _, err := c.Decode(b2); err != nil {
		t.Fatal(err)
	}
	if len(c.decoded) != 1 {
		t.Fatal("a session holding a slice was kept")
	}
}
