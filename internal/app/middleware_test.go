package app

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestSecurityHeaders(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	for _, path := range []string{"/login", "/nowhere"} {
		a := b.get(path)
		csp := a.header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", path, csp)
		}
		if a.header.Get("X-Content-Type-Options") != "nosniff" || a.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, a.header)
		}
	}
	if a := b.get("/nowhere"); a.status != http.StatusNotFound || !strings.Contains(a.body, "页面不存在") {
		t.Errorf("unknown page: %d", a.status)
	}
	b.signIn("admin", testAdminPassword)
	if cc := b.get("/").header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("signed-in page Cache-Control = %q, want no-store", cc)
	}
}

func TestPagesHaveNoInlineScript(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	for _, path := range []string{"/", "/users", "/settings", "/audit", "/login"} {
		body := b.get(path).body
		for _, bad := range []string{"<script>", " onclick=", " onsubmit=", "hx-on"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q, which the CSP would block", path, bad)
			}
		}
	}
}

func TestCrossOriginWritesAreRefused(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	form := url.Values{"username": {"intruder"}, "password": {"intruder-pass-1"}, "role": {"admin"}}
	a := b.post("/users", form, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, a, http.StatusForbidden)
	wantBody(t, a, "请求来自其他网站")
	a = b.post("/users", form, "Origin", "https://evil.example")
	wantStatus(t, a, http.StatusForbidden)
	if _, err := s.store.UserByUsername(t.Context(), "intruder"); err == nil {
		t.Fatal("a cross-origin request created a user")
	}
	// The same form from this site works.
	wantStatus(t, b.post("/users", form, "Sec-Fetch-Site", "same-origin"), http.StatusSeeOther)
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	big := url.Values{"username": {strings.Repeat("x", 2<<20)}, "password": {"x"}}
	a := b.post("/login", big)
	wantStatus(t, a, http.StatusRequestEntityTooLarge)
	wantBody(t, a, "提交的内容太大")
}

func TestPanicBecomesFriendlyPage(t *testing.T) {
	s := newTestServer(t)
	var logs bytes.Buffer
	s.app.log = slog.New(slog.NewTextHandler(&logs, nil))
	s.app.engine.GET("/boom", func(*gin.Context) { panic("kaboom") })
	rec := httptest.NewRecorder()
	s.app.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "服务器处理请求时出错") {
		t.Fatalf("panic answered %d:\n%s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "kaboom") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Error("the panic's details reached the page")
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "stack=") {
		t.Errorf("the panic was not logged with its stack: %s", logs.String())
	}
}

func TestHealthzAndStaticAssets(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	a := b.get("/healthz")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, `"ok"`)
	if a.header.Get("Set-Cookie") != "" {
		t.Error("the health check started a session")
	}

	cssURL := s.app.assets.URL("css/app.css")
	if !strings.Contains(b.get("/login").body, cssURL) {
		t.Fatalf("the page does not link %s", cssURL)
	}
	css := b.get(cssURL)
	wantStatus(t, css, http.StatusOK)
	if cc := css.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("hashed asset Cache-Control = %q", cc)
	}
	if ct := css.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("css Content-Type = %q", ct)
	}
	htmx := b.get(s.app.assets.URL("vendor/htmx.min.js"))
	wantStatus(t, htmx, http.StatusOK)
	wantBody(t, htmx, "htmx")
	stale := b.get("/static/0000000000/css/app.css")
	if stale.status != http.StatusOK || stale.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("old hash: %d %q", stale.status, stale.header.Get("Cache-Control"))
	}
	wantStatus(t, b.get("/static/"+"abc/nope.css"), http.StatusNotFound)
}
