package app

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
)

// allAudit is the whole audit log, oldest first.
func (s *testServer) allAudit(t *testing.T) []db.AuditEntry {
	t.Helper()
	entries, _, err := s.store.AuditPage(t.Context(), 10000, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	return entries
}

func TestJournalLeavesOneEntryPerWriteAndNoneForRefusedInput(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	before := len(s.allAudit(t))

	// Refused input writes nothing, and the log stays as it was.
	a := b.post("/users", url.Values{"username": {""}, "password": {"long-enough-1"}, "role": {"viewer"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	if n := len(s.allAudit(t)); n != before {
		t.Errorf("a refused form left %d audit entries", n-before)
	}

	// A write is one entry, the real one: the pending entry became it.
	a = b.post("/users", url.Values{"username": {"packer"}, "password": {"long-enough-1"}, "role": {"operator"}})
	wantStatus(t, a, http.StatusSeeOther)
	entries := s.allAudit(t)[before:]
	if len(entries) != 1 || entries[0].Action != "user.create" || entries[0].ObjectID != "packer" || entries[0].Outcome != "ok" {
		t.Errorf("after adding a user the log gained %+v", entries)
	}
}

func TestAuditLogShowsAWriteThatAStoppedProcessLeftUnfinished(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	// What a process killed in the middle of shipping leaves behind.
	if _, err := s.store.BeginAudit(t.Context(), db.AuditEntry{Username: "test-operator", Action: "request",
		ObjectType: "request", ObjectID: "POST /orders/12/ship"}); err != nil {
		t.Fatal(err)
	}
	page := b.get("/audit")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, html.EscapeString(zh("audit.pending")), "POST /orders/12/ship", zh("action.request"))
	if !strings.Contains(page.body, `class="bad"`) {
		t.Error("an unfinished write is not marked as a problem")
	}
}
