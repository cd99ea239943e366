package app

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"wxshop/internal/compress"
)

func gunzip(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

// A page is gzipped for a client that accepts it, and is the same page once decoded; a client that does not
// accept gzip gets it plain. The session cookie and the Vary for it survive the compression.
func TestPagesAreGzipped(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)

	for _, path := range []string{"/products", "/orders", "/audit"} {
		// Setting Accept-Encoding ourselves keeps Go's transport from decoding the answer for us.
		plain := b.do(http.MethodGet, path, nil, "Accept-Encoding", "identity")
		wantStatus(t, plain, http.StatusOK)
		if ce := plain.header.Get("Content-Encoding"); ce != "" {
			t.Errorf("%s for a client without gzip: Content-Encoding %q", path, ce)
		}
		if !strings.Contains(plain.body, "</html>") {
			t.Fatalf("%s plain is not a page:\n%.300s", path, plain.body)
		}

		zipped := b.do(http.MethodGet, path, nil, "Accept-Encoding", "gzip, deflate, br")
		wantStatus(t, zipped, http.StatusOK)
		if ce := zipped.header.Get("Content-Encoding"); ce != "gzip" {
			t.Fatalf("%s for a gzip client: Content-Encoding %q, want gzip", path, ce)
		}
		if !strings.HasPrefix(zipped.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", path, zipped.header.Get("Content-Type"))
		}
		for _, h := range []http.Header{plain.header, zipped.header} {
			if !compress.Varies(h, "Accept-Encoding") || !compress.Varies(h, "Cookie") {
				t.Errorf("%s: Vary %q, want Accept-Encoding and Cookie", path, h.Values("Vary"))
			}
		}
		if len(zipped.body) >= len(plain.body)/2 {
			t.Errorf("%s: gzipped %d bytes, plain %d: hardly compressed", path, len(zipped.body), len(plain.body))
		}
		if got := gunzip(t, zipped.body); got != plain.body {
			t.Errorf("%s decoded differs from the plain page (%d vs %d bytes)", path, len(got), len(plain.body))
		}
	}

	// q=0 refuses gzip.
	refused := b.do(http.MethodGet, "/products", nil, "Accept-Encoding", "gzip;q=0, identity")
	if ce := refused.header.Get("Content-Encoding"); ce != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q", ce)
	}
}

// Signing in through a gzip client still sets the session cookie, and an htmx request gets its fragment
// compressed like a page.
func TestGzipWithSessionsAndHtmx(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.do(http.MethodGet, "/login", nil, "Accept-Encoding", "gzip")
	a := b.signIn("admin", testAdminPassword)
	if b.sessionCookie() == "" {
		t.Fatalf("no session cookie after signing in through gzip; header %v", a.header)
	}
	page := b.do(http.MethodGet, "/", nil, "Accept-Encoding", "gzip")
	wantStatus(t, page, http.StatusOK)
	if page.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("dashboard: Content-Encoding %q", page.header.Get("Content-Encoding"))
	}
	if body := gunzip(t, page.body); !strings.Contains(body, "</html>") {
		t.Errorf("dashboard decoded is not a page:\n%.300s", body)
	}

	// The Go client's own transparent gzip (what the other tests use) reads the same page.
	auto := b.get("/products")
	wantStatus(t, auto, http.StatusOK)
	if !strings.Contains(auto.body, "</html>") {
		t.Errorf("transparent gzip: not a page:\n%.300s", auto.body)
	}

	// A redirect for htmx (signed out) stays a small plain answer with its HX-Redirect.
	out := s.browser(t)
	r := out.do(http.MethodGet, "/products", nil, "HX-Request", "true", "Accept-Encoding", "gzip")
	if r.status != http.StatusUnauthorized || r.header.Get("HX-Redirect") != "/login" || r.header.Get("Content-Encoding") != "" {
		t.Errorf("htmx signed out: %d, HX-Redirect %q, Content-Encoding %q", r.status, r.header.Get("HX-Redirect"), r.header.Get("Content-Encoding"))
	}
}

// Static files: CSS and JavaScript are gzipped, a range is served plain, and so is a tiny JSON answer.
func TestGzipStaticAndSmall(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	css := s.app.assets.URL("css/app.css")
	plain := b.do(http.MethodGet, css, nil, "Accept-Encoding", "identity")
	zipped := b.do(http.MethodGet, css, nil, "Accept-Encoding", "gzip")
	if zipped.header.Get("Content-Encoding") != "gzip" || !compress.Varies(zipped.header, "Accept-Encoding") {
		t.Fatalf("css: Content-Encoding %q Vary %q", zipped.header.Get("Content-Encoding"), zipped.header.Values("Vary"))
	}
	if zipped.header.Get("Cache-Control") != plain.header.Get("Cache-Control") || !strings.Contains(zipped.header.Get("Cache-Control"), "immutable") {
		t.Errorf("css Cache-Control %q, plain %q", zipped.header.Get("Cache-Control"), plain.header.Get("Cache-Control"))
	}
	if gunzip(t, zipped.body) != plain.body {
		t.Error("css decoded differs")
	}

	ranged := b.do(http.MethodGet, css, nil, "Accept-Encoding", "gzip", "Range", "bytes=0-2047")
	if ranged.status != http.StatusPartialContent || ranged.header.Get("Content-Encoding") != "" || len(ranged.body) != 2048 {
		t.Errorf("range: %d, Content-Encoding %q, %d bytes", ranged.status, ranged.header.Get("Content-Encoding"), len(ranged.body))
	}

	health := b.do(http.MethodGet, "/healthz", nil, "Accept-Encoding", "gzip")
	wantStatus(t, health, http.StatusOK)
	if health.header.Get("Content-Encoding") != "" || !strings.Contains(health.body, "ok") {
		t.Errorf("healthz: Content-Encoding %q body %q", health.header.Get("Content-Encoding"), health.body)
	}
}

// The writer on its own: a body written in small pieces without a Content-Length is held back until it is
// worth compressing, a small one goes out plain, images are never compressed, and HEAD has no body.
