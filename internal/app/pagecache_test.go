package app

import (
	"compress/gzip"
	"database/sql"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
	"wxshop/internal/shop"
)

// keptPages counts the pages kept for user.
func (s *testServer) keptPages(user int64) int { return s.app.pages.Len(user) }

func (s *testServer) userID(t *testing.T, name string) int64 {
	t.Helper()
	u, err := s.store.UserByUsername(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// A kept page is sent again only while the database is unchanged, whoever changes it.
func TestKeptPagesFollowTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		b := s.signedIn(t, "admin")
		id := s.userID(t, "test-admin")
		for _, path := range []string{"/", "/products", "/orders?status=toship"} {
			first := b.get(path)
			wantStatus(t, first, http.StatusOK)
			again := b.get(path)
			if again.body != first.body {
				t.Errorf("%s: the kept page differs from the one rendered", path)
			}
			if again.header.Get("Cache-Control") != "no-store" || !strings.Contains(again.header.Get("Content-Security-Policy"), "default-src") {
				t.Errorf("%s: the kept page lacks the headers of a rendered one: %v", path, again.header)
			}
		}
		if n := s.keptPages(id); n != 3 {
			t.Fatalf("%d pages kept, want 3", n)
		}

		// A change through the app's store.
		if err := s.store.SetSetting(t.Context(), settingShopName, "Shop One"); err != nil {
			t.Fatal(err)
		}
		wantBody(t, b.get("/"), "Shop One")

		// A change by another process.
		other := openSameDB(t, s)
		if _, err := other.Exec(`UPDATE settings SET value = 'Shop Two' WHERE key = ?`, settingShopName); err != nil {
			t.Fatal(err)
		}
		wantBody(t, b.get("/"), "Shop Two")
		wantBody(t, b.get("/products"), "Shop Two")
	})
}

// openSameDB opens the test server's database as another process would.
func openSameDB(t *testing.T, s *testServer) *sql.DB { return dbtest.Other(t, s.store) }

// Each user gets their own pages, in their own language.
func TestKeptPagesAreNeverSharedBetweenUsers(t *testing.T) {
	s := newTestServer(t)
	admin := s.signedIn(t, "admin")
	viewer := s.signedIn(t, "viewer")
	for range 2 {
		a, v := admin.get("/orders"), viewer.get("/orders")
		wantBody(t, a, "test-admin", `data-testid="nav-users"`)
		wantBody(t, v, "test-viewer")
		if strings.Contains(v.body, "test-admin") || strings.Contains(v.body, `data-testid="nav-users"`) {
			t.Fatal("the viewer was sent the admin's page")
		}
	}
	wantStatus(t, viewer.post("/lang", url.Values{"lang": {"en"}, "next": {"/orders"}}), http.StatusSeeOther)
	if en, zh := viewer.get("/orders"), admin.get("/orders"); !strings.Contains(en.body, `lang="en"`) || strings.Contains(zh.body, `lang="en"`) {
		t.Fatal("a language switch did not change the viewer's page, or changed the admin's")
	}

	// A user whose role changes sees the pages of their new role at once.
	if err := s.store.UpdateUserAccess(t.Context(), s.userID(t, "test-admin"), string(RoleViewer), false); err != nil {
		t.Fatal(err)
	}
	if a := admin.get("/orders"); strings.Contains(a.body, `data-testid="nav-users"`) {
		t.Fatal("a user made viewer still sees the admin's navigation")
	}
	// A disabled user is signed out at once.
	if err := s.store.UpdateUserAccess(t.Context(), s.userID(t, "test-viewer"), string(RoleViewer), true); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, viewer.get("/orders"), http.StatusSeeOther)
}

// A flash message is shown once, kept page or not; htmx's fragment and the full page are kept apart.
func TestKeptPagesAndFlashAndHtmx(t *testing.T) {
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	wantStatus(t, b.get("/products"), http.StatusOK)
	s.app.flashForTest(t, b, "ok", "flash once")
	wantBody(t, b.get("/products"), "flash once")
	if a := b.get("/products"); strings.Contains(a.body, "flash once") {
		t.Fatal("the flash message was shown twice")
	}

	full := b.get("/?days=7")
	frag := b.do(http.MethodGet, "/?days=7", nil, "HX-Request", "true")
	if !strings.Contains(full.body, "<html") || strings.Contains(frag.body, "<html") {
		t.Fatal("htmx's fragment and the full page were mixed up")
	}
	if again := b.do(http.MethodGet, "/?days=7", nil, "HX-Request", "true"); again.body != frag.body {
		t.Fatal("the kept fragment differs")
	}
	if again := b.get("/?days=7"); again.body != full.body {
		t.Fatal("the kept page differs")
	}
}

// flashForTest leaves a flash message in b's session, as a form post would.
func (a *App) flashForTest(t *testing.T, b *browser, kind, msg string) {
	t.Helper()
	tok := b.sessionCookie()
	ctx, err := a.sessions.Load(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	a.sessions.Put(ctx, sessionFlashKind, kind)
	a.sessions.Put(ctx, sessionFlashMsg, msg)
	if _, _, err := a.sessions.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// A client that does not take gzip gets the same page, plain.
func TestKeptPagesForClientsWithoutGzip(t *testing.T) {
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	plain := func() (string, string) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/products", nil)
		req.Header.Set("Accept-Encoding", "identity")
		req.AddCookie(&http.Cookie{Name: "wxshop_session", Value: b.sessionCookie()})
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.Header.Get("Content-Encoding"), string(body)
	}
	gzipped := func() string {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/products", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req.AddCookie(&http.Cookie{Name: "wxshop_session", Value: b.sessionCookie()})
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("a gzip client got Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Values("Vary"))
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		return string(body)
	}
	enc1, first := plain()
	second := gzipped()
	enc3, third := plain()
	if enc1 != "" || enc3 != "" {
		t.Fatalf("a client refusing gzip got Content-Encoding %q, %q", enc1, enc3)
	}
	if first != second || second != third || !strings.Contains(first, "</html>") {
		t.Fatal("the plain and gzipped pages differ")
	}
}

// A kept order page gets a new single-use shipping token every time it is sent.
func TestKeptOrderPageHasANewTokenEachTime(t *testing.T) {
	s, b := orderServerWithMirror(t)
	var path string
	for _, o := range s.mirrorAll(t, db.SourceMerchant) {
		if shop.CanShip(o) {
			path = orderPath(o)
			break
		}
	}
	if path == "" {
		t.Fatal("no order to ship in the mirror")
	}
	seen := map[string]bool{}
	var bodies []string
	for range 3 {
		a := b.get(path)
		wantStatus(t, a, http.StatusOK)
		tok := shipTokenOf(t, a)
		if seen[tok] || strings.Contains(a.body, "wxshop-token-") {
			t.Fatalf("token %q sent twice, or the placeholder sent", tok)
		}
		seen[tok] = true
		bodies = append(bodies, strings.Replace(a.body, tok, "", 1))
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Fatal("the kept order page differs but for its token")
	}
	if n := s.keptPages(s.userID(t, "test-operator")); n != 1 {
		t.Fatalf("%d pages kept, want the order page", n)
	}
	// An order page without the shipping form is kept as it is.
	for _, o := range s.mirrorAll(t, db.SourceMerchant) {
		if !shop.CanShip(o) {
			first, again := b.get(orderPath(o)), b.get(orderPath(o))
			wantStatus(t, again, http.StatusOK)
			if first.body != again.body || strings.Contains(again.body, "wxshop-token-") {
				t.Fatal("the kept order page without a form differs, or shows the placeholder")
			}
			break
		}
	}
	if n := s.keptPages(s.userID(t, "test-operator")); n != 2 {
		t.Fatalf("%d pages kept, want both order pages", n)
	}
}

// Only the routes routes.go declares kept reach the page cache: other pages, however often they are asked
// for, are made anew each time; a declared page with a flash message is not kept either, and the next one is.
func TestOnlyDeclaredPagesAreKept(t *testing.T) {
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	id := s.userID(t, "test-admin")
	for _, path := range []string{"/groups", "/postage", "/shelves", "/images", "/stock", "/audit", "/settings", "/account"} {
		wantStatus(t, b.get(path), http.StatusOK)
		wantStatus(t, b.get(path), http.StatusOK)
	}
	if n := s.keptPages(id); n != 0 {
		t.Fatalf("%d pages kept of routes not declared kept", n)
	}
	s.app.flashForTest(t, b, "ok", "saved")
	wantBody(t, b.get("/orders"), "saved")
	if n := s.keptPages(id); n != 0 {
		t.Fatalf("the page showing a flash message was kept (%d pages)", n)
	}
	first := b.get("/orders")
	if n := s.keptPages(id); n != 1 || strings.Contains(first.body, "saved") {
		t.Fatalf("%d pages kept after the flash was shown, want the order list", n)
	}
	if !strings.Contains(strings.Join(first.header.Values("Vary"), ","), "HX-Request") {
		t.Errorf("a kept page's Vary %q does not name HX-Request", first.header.Values("Vary"))
	}
}
