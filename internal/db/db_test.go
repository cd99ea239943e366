package db

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestOpenSetsPragmas(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	var mode string
	var fk, busy int
	if err := s.DB.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := s.DB.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || busy < 1000 {
		t.Errorf("journal_mode=%q foreign_keys=%d busy_timeout=%d, want wal, 1, >=1000", mode, fk, busy)
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := OpenDir(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "li", "h", "admin"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = OpenDir(ctx, dir)
	if err != nil {
		t.Fatalf("second open (migrations must be idempotent): %v", err)
	}
	defer s.Close()
	if n, _ := s.CountUsers(ctx); n != 1 {
		t.Errorf("users after reopen = %d, want 1", n)
	}
}

func TestOpenRefusesCorruptFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(strings.Repeat("this is not a database ", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenDir(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), FileName) {
		t.Fatalf("OpenDir on a corrupt file = %v, want an error naming the file", err)
	}
}

func TestOpenRefusesUnwritableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere; a path under a regular file cannot be created by anyone.
		file := filepath.Join(t.TempDir(), "file")
		os.WriteFile(file, nil, 0o600)
		_, err := OpenDir(context.Background(), filepath.Join(file, "data"))
		if err == nil || !strings.Contains(err.Error(), "data dir") {
			t.Fatalf("OpenDir under a file = %v, want a data dir error", err)
		}
		return
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o500)
	defer os.Chmod(dir, 0o700)
	_, err := OpenDir(context.Background(), dir)
	if err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("OpenDir on a read-only dir = %v, want 'not writable'", err)
	}
}

func TestUsers(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		adminID, err := s.CreateUser(ctx, "Admin", "hash1", "admin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, "admin", "hash2", "viewer"); !errors.Is(err, ErrDuplicateUsername) {
			t.Errorf("duplicate name differing in case: %v, want ErrDuplicateUsername", err)
		}
		opID, err := s.CreateUser(ctx, "zhang", "hash3", "operator")
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.UserByUsername(ctx, "ADMIN")
		if err != nil || u.ID != adminID || u.Role != "admin" || u.PasswordHash != "hash1" {
			t.Errorf("UserByUsername = %+v, %v", u, err)
		}
		if _, err := s.UserByUsername(ctx, "nobody"); !errors.Is(err, ErrNoRecord) {
			t.Errorf("unknown user: %v, want ErrNoRecord", err)
		}
		if err := s.UpdateUserAccess(ctx, adminID, "viewer", false); !errors.Is(err, ErrLastAdmin) {
			t.Errorf("demoting the only admin: %v, want ErrLastAdmin", err)
		}
		if err := s.UpdateUserAccess(ctx, adminID, "admin", true); !errors.Is(err, ErrLastAdmin) {
			t.Errorf("disabling the only admin: %v, want ErrLastAdmin", err)
		}
		if u, _ := s.UserByID(ctx, adminID); u.Role != "admin" || u.Disabled {
			t.Errorf("refused change was applied anyway: %+v", u)
		}
		if err := s.UpdateUserAccess(ctx, opID, "admin", false); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateUserAccess(ctx, adminID, "viewer", true); err != nil {
			t.Errorf("demoting one of two admins: %v", err)
		}
		if err := s.UpdateUserAccess(ctx, 999, "viewer", false); !errors.Is(err, ErrNoRecord) {
			t.Errorf("unknown id: %v", err)
		}
		users, err := s.Users(ctx)
		if err != nil || len(users) != 2 || users[0].Username != "Admin" || !users[0].Disabled || users[0].Role != "viewer" {
			t.Errorf("Users = %+v, %v", users, err)
		}
		if err := s.SetUserPassword(ctx, opID, "new"); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.UserByID(ctx, opID); u.PasswordHash != "new" {
			t.Errorf("password hash = %q", u.PasswordHash)
		}
	})
}

func TestAuditPageNewestFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		for i := range 25 {
			if err := s.AddAudit(ctx, AuditEntry{Username: "li", Action: "user.create", ObjectID: string(rune('a' + i))}); err != nil {
				t.Fatal(err)
			}
		}
		page, total, err := s.AuditPage(ctx, 10, 0)
		if err != nil || total != 25 || len(page) != 10 {
			t.Fatalf("AuditPage = %d entries, total %d, %v", len(page), total, err)
		}
		if page[0].ObjectID != "y" || page[9].ObjectID != "p" {
			t.Errorf("first page runs %q..%q, want y..p", page[0].ObjectID, page[9].ObjectID)
		}
		last, _, _ := s.AuditPage(ctx, 10, 20)
		if len(last) != 5 || last[4].ObjectID != "a" {
			t.Errorf("last page = %d entries ending %q", len(last), last[len(last)-1].ObjectID)
		}
	})
}

// The audit log narrowed by who, what, how it ended and a piece of text: the entries that match, newest first,
// and how many, whatever the page.
func TestAuditSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		entries := []AuditEntry{
			{Username: "li", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705001", Detail: "顺丰 SF1", Outcome: AuditOK},
			{Username: "wang", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705002", Detail: "中通 73", Outcome: "-1 系统繁忙"},
			{Username: "li", Action: "product.update", ObjectType: "product", ObjectID: "10001", Detail: "纯棉T恤 100%", Outcome: AuditOK},
			{Username: "wang", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705003", Detail: "顺丰 SF3", Outcome: AuditPending},
			{Username: "li", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705004", Detail: "EMS E4", Outcome: "unreachable"},
		}
		for _, e := range entries {
			if err := s.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			f    AuditFilter
			want []string // object ids, newest first
		}{
			{AuditFilter{}, []string{"merchant:3705004", "merchant:3705003", "10001", "merchant:3705002", "merchant:3705001"}},
			{AuditFilter{Username: "li"}, []string{"merchant:3705004", "10001", "merchant:3705001"}},
			{AuditFilter{Action: "order.ship"}, []string{"merchant:3705004", "merchant:3705003", "merchant:3705002", "merchant:3705001"}},
			{AuditFilter{Outcome: AuditFailed}, []string{"merchant:3705004", "merchant:3705002"}},
			{AuditFilter{Outcome: AuditPending}, []string{"merchant:3705003"}},
			{AuditFilter{Outcome: AuditOK, Username: "li"}, []string{"10001", "merchant:3705001"}},
			{AuditFilter{Query: "3705002"}, []string{"merchant:3705002"}},
			{AuditFilter{Query: " 顺丰 "}, []string{"merchant:3705003", "merchant:3705001"}},
			{AuditFilter{Query: "100%"}, []string{"10001"}}, // a literal percent sign, not LIKE's wildcard
			{AuditFilter{Query: "_"}, nil},
			{AuditFilter{Username: "wang", Action: "product.update"}, nil},
		} {
			got, total, err := s.AuditSearch(ctx, c.f, 2, 0)
			if err != nil {
				t.Fatalf("%+v: %v", c.f, err)
			}
			var all []AuditEntry
			for offset := 0; offset < total+2; offset += 2 {
				page, _, _ := s.AuditSearch(ctx, c.f, 2, offset)
				all = append(all, page...)
			}
			var ids []string
			for _, e := range all {
				ids = append(ids, e.ObjectID)
			}
			if total != len(c.want) || !slices.Equal(ids, c.want) || len(got) != min(2, len(c.want)) {
				t.Errorf("%+v: total %d, pages %q; want %q", c.f, total, ids, c.want)
			}
		}
		names, err := s.AuditUsernames(ctx)
		if err != nil || !slices.Equal(names, []string{"li", "wang"}) {
			t.Errorf("AuditUsernames = %q, %v", names, err)
		}
	})
}

func TestSettings(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		if _, err := s.Setting(ctx, "k"); !errors.Is(err, ErrNoRecord) {
			t.Errorf("missing setting: %v", err)
		}
		s.SetSetting(ctx, "k", "1")
		s.SetSetting(ctx, "k", "2")
		if v, err := s.Setting(ctx, "k"); v != "2" || err != nil {
			t.Errorf("Setting = %q, %v", v, err)
		}
	})
}

func TestTokenLeaseHasOneHolder(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		var mu sync.Mutex
		winners := 0
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.AcquireTokenLease(ctx, "wx1", string(rune('A'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					winners++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if winners != 1 {
			t.Fatalf("%d processes took the lease at once, want 1", winners)
		}
	})
}

func TestTokenLeaseExpiresAndReleases(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		now := time.Unix(1_800_000_000, 0)
		s.SetClock(func() time.Time { return now })
		if ok, _ := s.AcquireTokenLease(ctx, "wx1", "A", 30*time.Second); !ok {
			t.Fatal("first lease refused")
		}
		if ok, _ := s.AcquireTokenLease(ctx, "wx1", "B", 30*time.Second); ok {
			t.Fatal("B took a running lease")
		}
		now = now.Add(31 * time.Second)
		if ok, _ := s.AcquireTokenLease(ctx, "wx1", "B", 30*time.Second); !ok {
			t.Fatal("B could not take an expired lease")
		}
		s.ReleaseTokenLease(ctx, "wx1", "A") // A no longer holds it: no effect
		if ok, _ := s.AcquireTokenLease(ctx, "wx1", "C", 30*time.Second); ok {
			t.Fatal("a stale holder released someone else's lease")
		}
		s.ReleaseTokenLease(ctx, "wx1", "B")
		if ok, _ := s.AcquireTokenLease(ctx, "wx1", "C", 30*time.Second); !ok {
			t.Fatal("C could not take a released lease")
		}
	})
}

func TestAccessTokenRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		if tok, err := s.AccessToken(ctx, "wx1"); err != nil || tok.Value != "" {
			t.Fatalf("empty store: %+v, %v", tok, err)
		}
		s.AcquireTokenLease(ctx, "wx1", "A", time.Minute) // a lease row without a token yet
		if tok, _ := s.AccessToken(ctx, "wx1"); tok.Value != "" {
			t.Fatalf("lease row read as a token: %+v", tok)
		}
		exp := time.Unix(1_800_007_200, 0)
		if err := s.SaveAccessToken(ctx, "wx1", "TOKEN", exp); err != nil {
			t.Fatal(err)
		}
		tok, err := s.AccessToken(ctx, "wx1")
		if err != nil || tok.Value != "TOKEN" || !tok.ExpiresAt.Equal(exp) {
			t.Errorf("AccessToken = %+v, %v", tok, err)
		}
	})
}

func TestPushNonceIsClaimedOnceAndForgottenAfterTheWindow(t *testing.T) {
	ctx := context.Background()
	s, err := OpenDir(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Unix(1_800_000_000, 0)
	s.SetClock(func() time.Time { return now })
	claim := func(nonce string, ts int64) bool {
		t.Helper()
		ok, err := s.ClaimPushNonce(ctx, nonce, ts, now.Add(-10*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim("123", now.Unix()) || claim("123", now.Unix()) {
		t.Fatal("a nonce is new once, then a replay")
	}
	if !claim("123", now.Unix()+1) || !claim("124", now.Unix()) {
		t.Fatal("another timestamp or another nonce is another push")
	}
	if err := s.ReleasePushNonce(ctx, "124", now.Unix()); err != nil || !claim("124", now.Unix()) {
		t.Fatalf("a released claim can be taken again (%v)", err)
	}
	now = now.Add(11 * time.Minute)
	if !claim("123", now.Unix()-11*60) {
		t.Error("a claim older than the window was not forgotten")
	}
	var n int
	s.DB.QueryRow(`SELECT count(*) FROM callback_nonces`).Scan(&n)
	if n != 1 {
		t.Errorf("%d claims kept, want 1 (the old ones deleted)", n)
	}
}
