package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"wxshop/internal/db/dbtest"
)

func TestSignedOutPagesRedirectToLogin(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	for _, path := range []string{"/", "/users", "/settings", "/audit", "/products"} {
		a := b.get(path)
		wantStatus(t, a, http.StatusSeeOther)
		want := "/login"
		if path != "/" {
			want += "?next=" + url.QueryEscape(path)
		}
		if got := a.header.Get("Location"); got != want {
			t.Errorf("GET %s redirects to %q, want %q", path, got, want)
		}
	}
	a := b.post("/users", url.Values{"username": {"x"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
		t.Errorf("signed-out POST /users = %d to %q", a.status, a.header.Get("Location"))
	}
}

func TestLoginRenewsSessionToken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		b := s.browser(t)
		b.post("/lang", url.Values{"lang": {"en"}})
		b.signIn("admin", testAdminPassword)
		b.post("/logout", nil) // leaves a signed-out session (with its flash) before signing in again
		before := b.sessionCookie()
		if before == "" {
			t.Fatal("no session before login")
		}
		b.signIn("admin", testAdminPassword)
		after := b.sessionCookie()
		if after == "" || after == before {
			t.Fatalf("session token not renewed at login: before %q after %q", before, after)
		}
		// The language chosen before signing in survives the renewal.
		wantBody(t, b.get("/"), `lang="en"`)
	})
}

func TestLoginFailureSaysNothingAboutWhichPartWasWrong(t *testing.T) {
	s := newTestServer(t)
	s.app.cfg.Sandbox = true
	b := s.browser(t)
	wrongPassword := b.post("/login", url.Values{"username": {"admin"}, "password": {"nope-nope-nope"}})
	unknownUser := b.post("/login", url.Values{"username": {"ghost"}, "password": {"nope-nope-nope"}})
	for _, a := range []answer{wrongPassword, unknownUser} {
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantBody(t, a, "用户名或密码不正确。")
	}
	// The typed username is kept, the password is not.
	wantBody(t, unknownUser, `value="ghost"`)
	if strings.Contains(unknownUser.body, "nope-nope-nope") {
		t.Error("the password was echoed back")
	}
}

func TestDisabledUserCannotSignIn(t *testing.T) {
	s := newTestServer(t)
	AddUser(t.Context(), s.store, "wang", "operator-pass-1", "operator")
	u, _ := s.store.UserByUsername(t.Context(), "wang")
	// Signed in, then disabled by an admin: the next request finds the session worthless.
	b := s.browser(t)
	b.signIn("wang", "operator-pass-1")
	wantStatus(t, b.get("/"), http.StatusOK)
	if err := s.store.UpdateUserAccess(t.Context(), u.ID, "operator", true); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, b.get("/"), http.StatusSeeOther)
	a := b.post("/login", url.Values{"username": {"wang"}, "password": {"operator-pass-1"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "用户名或密码不正确。")
}

func TestLoginThrottledAfterRepeatedFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		b := s.browser(t)
		for range maxFailuresPerPair {
			wantStatus(t, b.post("/login", url.Values{"username": {"admin"}, "password": {"guess-guess-1"}}), http.StatusUnprocessableEntity)
		}
		// Now even the right password is refused, with a message that says when to come back.
		a := b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}})
		wantStatus(t, a, http.StatusTooManyRequests)
		wantBody(t, a, "登录失败次数过多，请 15 分钟后再试。")
		if b.get("/").status != http.StatusSeeOther {
			t.Error("a throttled attempt signed in")
		}
	})
}

func TestLoginRedirectsOnlyToLocalPaths(t *testing.T) {
	for next, want := range map[string]string{
		"":                     "/",
		"/orders?status=20":    "/orders?status=20",
		"https://evil.example": "/",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"javascript:alert(1)":  "/",
	} {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		b := s.browser(t)
		b.signIn("admin", testAdminPassword)
		token := b.sessionCookie()
		a := b.post("/logout", nil)
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/login" {
			t.Fatalf("logout = %d to %q", a.status, a.header.Get("Location"))
		}
		// Replaying the old cookie gets nowhere.
		replay := s.browser(t)
		u, _ := url.Parse(s.URL)
		replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: "wxshop_session", Value: token}})
		wantStatus(t, replay.get("/"), http.StatusSeeOther)
	})
}
