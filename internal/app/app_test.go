package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
	"wxshop/internal/wx/sandbox"
)

const testAdminPassword = "admin-password-1"

type testServer struct {
	*httptest.Server
	app     *App
	store   *db.Store
	sandbox *sandbox.Server
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ctx := context.Background()
	store := dbtest.Open(t) // SQLite, or PostgreSQL under dbtest.Each
	sb := sandbox.New(sandbox.Options{Seed: 7})
	wxServer := httptest.NewServer(sb)
	t.Cleanup(wxServer.Close)
	if _, err := EnsureAdmin(ctx, store, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DataDir: t.TempDir(), APIBase: wxServer.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true}
	a, err := New(cfg, store, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, app: a, store: store, sandbox: sb}
}

// browser is an HTTP client that keeps cookies and does not follow redirects, so tests see each answer.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (s *testServer) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: s.URL, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values, headers ...string) answer {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func (b *browser) get(path string) answer { return b.do(http.MethodGet, path, nil) }
func (b *browser) post(path string, form url.Values, headers ...string) answer {
	return b.do(http.MethodPost, path, form, headers...)
}

func (b *browser) signIn(username, password string) answer {
	b.t.Helper()
	a := b.post("/login", url.Values{"username": {username}, "password": {password}})
	if a.status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d\n%s", username, a.status, a.body)
	}
	return a
}

func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "wxshop_session" {
			return c.Value
		}
	}
	return ""
}

func wantStatus(t *testing.T, a answer, status int) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d\n%s", a.status, status, a.body)
	}
}

func wantBody(t *testing.T, a answer, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(a.body, p) {
			t.Errorf("answer lacks %q\n%s", p, a.body)
		}
	}
}
