package app

import (
	"net/http"
	"testing"
	"time"

	"wxshop/internal/session"
)

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

// Through the app: a session deleted by another process is gone at once, though the store answers from
// memory while the database is unchanged (internal/session).
func TestSessionDeletedElsewhereIsGone(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	tok := b.sessionCookie()
	q := s.app.sessions.Store.(*session.Store)
	data, found, err := q.Find(tok)
	if err != nil || !found || len(data) == 0 {
		t.Fatalf("a live session: found %v, %v", found, err)
	}
	wantStatus(t, b.get("/products"), http.StatusOK)

	other := openSameDB(t, s)
	if _, err := other.Exec(`DELETE FROM sessions WHERE token = ?`, tok); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := q.Find(tok); found {
		t.Fatal("a session deleted by another process was still found")
	}
	wantStatus(t, b.get("/products"), http.StatusSeeOther)
}
