package shop

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// testShop is a shop on a fresh store, talking to a sandbox WeChat.
type testShop struct {
	*Shop
	store   *db.Store
	sandbox *sandbox.Server
	journal *journalLog
	url     string // the sandbox's
}

func newTestShop(t *testing.T, opts sandbox.Options) *testShop {
	t.Helper()
	ctx := context.Background()
	store, err := db.OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	client := wx.NewClient(wx.Config{BaseURL: srv.URL, AppID: sb.AppID(), Secret: sb.Secret(), Logger: slog.New(slog.DiscardHandler)})
	s := New(store, client, slog.New(slog.DiscardHandler))
	t.Cleanup(s.Close)
	return &testShop{Shop: s, store: store, sandbox: sb, journal: &journalLog{}, url: srv.URL}
}

// journalLog keeps the entries an action wrote, as the app's journal would write them.
type journalLog struct {
	mu      sync.Mutex
	entries []db.AuditEntry
}

func (l *journalLog) record(e db.AuditEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *journalLog) take() []db.AuditEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.entries
	l.entries = nil
	return out
}

func (ts *testShop) j() Journal { return ts.journal.record }

// wantEntry checks that the action wrote exactly one entry, with this action, object and outcome.
func wantEntry(t *testing.T, ts *testShop, action, objectID, outcome string) {
	t.Helper()
	got := ts.journal.take()
	if len(got) != 1 || got[0].Action != action || got[0].ObjectID != objectID || got[0].Outcome != outcome {
		t.Errorf("audit entries %+v, want one %s of %s: %s", got, action, objectID, outcome)
	}
}
