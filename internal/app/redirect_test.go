package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// secRedirects are targets an attacker could put in next= or back=, and where the browser must be sent instead
// ("" means the handler's default: the target is refused). The family of the open redirect: paths that pass
// a check of the raw string but that http.Redirect cleans into "/\evil.example", which browsers read as
// "//evil.example"; backslashes, encoded or not; tabs and newlines that browsers drop; other schemes.
var secRedirects = []struct{ next, want string }{
	{"//evil.example", ""},
	{"///evil.example", ""},
	{"/\\evil.example", ""},
	{"\\\\evil.example", ""},
	{"/\\/evil.example", ""},
	{"/./\\evil.example", ""},
	{"/../\\x", ""},
	{"/a/../\\x", ""},
	{"/..\\evil.example", ""},
	{"/%5Cevil.example", ""},
	{"/%5cevil.example", ""},
	{"/./%5Cevil.example", ""},
	{"/%2e%2e/%5cevil.example", ""},
	{"/%2F%2Fevil.example", ""},
	{"/%2f/evil.example", ""},
	{"/\t/evil.example", ""},
	{"/\n/evil.example", ""},
	{"/\r\n/evil.example", ""},
	{"/ /evil.example", ""},
	{"/\u3000/evil.example", ""},
	{" /\\evil.example", ""},
	{"https://evil.example", ""},
	{"http:/evil.example", ""},
	{"javascript:alert(1)", ""},
	{"evil.example", ""},
	{"/" + strings.Repeat("a", 3000), ""},
	// Local paths stay where they point, cleaned as they would be sent.
	{"/orders?status=20", "/orders?status=20"},
	{"/orders/", "/orders/"},
	{"/a/b/../c", "/a/c"},
	{"/.//evil.example", "/evil.example"},
	{"/a/..//evil.example", "/evil.example"},
	{"/orders?next=//evil.example", "/orders?next=//evil.example"},
	{"/@evil.example", "/@evil.example"},
}

// browserResolves is where a browser on base goes for a Location header: it drops tabs and newlines, reads a
// backslash as a slash (for http and https) and resolves the rest against base.
func browserResolves(t *testing.T, base, location string) *url.URL {
	t.Helper()
	s := strings.Trim(location, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	b, _ := url.Parse(base)
	ref, err := url.Parse(s)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", location, err)
	}
	return b.ResolveReference(ref)
}

// Every handler that redirects to a target from the request sends the browser only to a path on this site,
// whatever the target says; checked on what the answer's Location (or HX-Redirect) actually is.
func TestSecurityRedirectTargetsStayOnThisSite(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.browser(t)
	admin.signIn("admin", testAdminPassword)
	host := strings.TrimPrefix(s.URL, "http://")
	check := func(handler string, a answer, header, next, want string) {
		t.Helper()
		got := a.header.Get(header)
		if a.status != http.StatusSeeOther && a.status != http.StatusNoContent {
			t.Errorf("%s with %q: status %d", handler, next, a.status)
			return
		}
		if got != want {
			t.Errorf("%s with %q: %s %q, want %q", handler, next, header, got, want)
		}
		if u := browserResolves(t, s.URL, got); u.Host != host {
			t.Errorf("%s with %q: %s %q takes the browser to %s", handler, next, header, got, u.Host)
		}
	}
	for _, tc := range secRedirects {
		want := tc.want
		if want == "" {
			want = "/"
		}
		// Signed in, the login page sends the browser on to next.
		check("GET /login", admin.get("/login?next="+url.QueryEscape(tc.next)), "Location", tc.next, want)
		check("POST /lang", admin.post("/lang", url.Values{"lang": {"zh"}, "next": {tc.next}}), "Location", tc.next, want)
		check("htmx POST /lang", admin.post("/lang", url.Values{"lang": {"zh"}, "next": {tc.next}}, "HX-Request", "true"), "HX-Redirect", tc.next, want)
		wantBack := tc.want
		if wantBack == "" || wantBack == "/" {
			wantBack = "/products"
		}
		check("POST /products/status", admin.post("/products/status", url.Values{"status": {"0"}, "back": {tc.next}}), "Location", tc.next, wantBack)
	}
	// Signing in goes to next, under the same rule.
	for _, tc := range secRedirects[:8] {
		b := s.browser(t)
		a := b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}, "next": {tc.next}})
		check("POST /login", a, "Location", tc.next, "/")
	}
	b := s.browser(t)
	check("POST /login", b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}, "next": {"/a/b/../c"}}), "Location", "/a/b/../c", "/a/c")
}
