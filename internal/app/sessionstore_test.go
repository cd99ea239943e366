package app

import (
	"net/http"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// countingStore is a session store that counts its writes.
type countingStore struct {
	rows    map[string][]byte
	commits int
}

func (s *countingStore) Find(token string) ([]byte, bool, error) {
	b, ok := s.rows[token]
	return b, ok, nil
}

func (s *countingStore) Commit(token string, b []byte, expiry time.Time) error {
	s.commits++
	s.rows[token] = b
	return nil
}

func (s *countingStore) Delete(token string) error {
	delete(s.rows, token)
	return nil
}

// A session read again and again is written once a minute at most; a change is written at once.
func TestQuietStoreSkipsIdleTouches(t *testing.T) {
	under := &countingStore{rows: map[string][]byte{}}
	codec := scs.GobCodec{}
	q := newQuietStore(under, codec, time.Minute)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	q.now = func() time.Time { return now }
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

// Through the app: page views after signing in do not rewrite the session row each time.
func TestPageViewsDoNotRewriteTheSession(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	expiry := func() float64 {
		var e float64
		if err := s.store.DB.QueryRow(`SELECT expiry FROM sessions WHERE token = ?`, b.sessionCookie()).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	b.get("/products")
	before := expiry()
	time.Sleep(1100 * time.Millisecond) // the stored expiry has a resolution of a second at best
	for range 3 {
		wantStatus(t, b.get("/products"), http.StatusOK)
	}
	if after := expiry(); after != before {
		t.Errorf("three page views rewrote the session: expiry %v, was %v", after, before)
	}
	// Still signed in, and a change to the session is kept.
	// (The language lives in a cookie of its own; a flash is what goes on the session.)
	wantStatus(t, b.post("/products/sync", nil), http.StatusSeeOther)
	if got := flashOf(b.get("/products")); got == "" {
		t.Errorf("the flash put on the session was not kept")
	}
}

// The decode cache gives every caller a map of its own, the same as gob's, and keeps only plain values.
func TestDecodeCacheGivesEachCallerItsOwnMap(t *testing.T) {
	c := newDecodeCache(scs.GobCodec{})
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

// Sessions read from memory: the same answers as the table's, an expired session is gone, and a session
// deleted by another process is gone at once.
func TestQuietStoreFindsFromMemoryWhileNothingChanged(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	tok := b.sessionCookie()
	q := s.app.sessions.Store.(*quietStore)
	data, found, err := q.Find(tok)
	if err != nil || !found || len(data) == 0 {
		t.Fatalf("a live session: found %v, %v", found, err)
	}
	q.mu.Lock()
	_, kept := q.found[tok]
	q.mu.Unlock()
	if !kept {
		t.Fatal("the session row was not kept")
	}
	if again, found, _ := q.Find(tok); !found || string(again) != string(data) {
		t.Fatal("the kept session differs from the row")
	}
	// Past its expiry, a kept session is not found, as the table would not find it.
	real := q.now
	q.now = func() time.Time { return real().Add(8 * 24 * time.Hour) }
	if _, found, _ := q.Find(tok); found {
		t.Fatal("an expired session was found")
	}
	q.now = real
	if _, found, _ := q.Find("no-such-token"); found {
		t.Fatal("a made-up token was found")
	}

	// Another process signs the session out.
	other := openSameDB(t, s)
	if _, err := other.Exec(`DELETE FROM sessions WHERE token = ?`, tok); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := q.Find(tok); found {
		t.Fatal("a session deleted by another process was still found")
	}
	wantStatus(t, b.get("/products"), http.StatusSeeOther)
}
