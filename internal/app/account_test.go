package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"wxshop/internal/db/dbtest"

	"golang.org/x/crypto/bcrypt"

	"wxshop/internal/db"
)

// passwordChange is the change-password form.
func passwordChange(current, password, again string) url.Values {
	return url.Values{"current_password": {current}, "new_password": {password}, "new_password_again": {again}}
}

// Everyone, a viewer too, changes their own password on /account: each mistake is said beside its field, the
// new one works, the old one no longer does, this browser stays signed in and every other one is signed out.
func TestChangeOwnPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		AddUser(t.Context(), s.store, "zhao", "zhao-old-pass-1", "viewer")
		here, elsewhere := s.browser(t), s.browser(t)
		here.signIn("zhao", "zhao-old-pass-1")
		elsewhere.signIn("zhao", "zhao-old-pass-1")

		page := here.get("/account")
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, `data-testid="password-form"`, "zhao", zh("role.viewer"))
		if !strings.Contains(here.get("/").body, `href="/account"`) {
			t.Error("the top bar does not lead to the account page")
		}

		for _, c := range []struct {
			form         url.Values
			field, error string
		}{
			{passwordChange("", "zhao-new-pass-2", "zhao-new-pass-2"), "current_password", zh("account.err.current.empty")},
			{passwordChange("zhao-wrong-pass", "zhao-new-pass-2", "zhao-new-pass-2"), "current_password", zh("account.err.current")},
			{passwordChange("zhao-old-pass-1", "short", "short"), "new_password", zh("users.err.password")},
			{passwordChange("zhao-old-pass-1", "zhao-new-pass-2", "zhao-new-pass-3"), "new_password_again", zh("account.err.again")},
		} {
			a := here.post("/account/password", c.form)
			wantStatus(t, a, http.StatusUnprocessableEntity)
			if got, _ := textOf(a, "error-"+c.field); got != c.error {
				t.Errorf("%v: beside %s %q, want %q", c.form, c.field, got, c.error)
			}
			if strings.Contains(a.body, c.form.Get("current_password")+`"`) && c.form.Get("current_password") != "" {
				t.Errorf("the refused form sends a password back")
			}
		}
		if u, _ := s.store.UserByUsername(t.Context(), "zhao"); !passwordIs(u, "zhao-old-pass-1") {
			t.Fatal("a refused form changed the password")
		}

		a := here.post("/account/password", passwordChange("zhao-old-pass-1", "zhao-new-pass-2", "zhao-new-pass-2"))
		wantStatus(t, a, http.StatusSeeOther)
		if loc(a) != "/account" {
			t.Errorf("the change redirects to %q", loc(a))
		}
		if got := flashOf(here.get("/account")); got != zh("account.changed") {
			t.Errorf("flash %q, want %q", got, zh("account.changed"))
		}
		wantStatus(t, here.get("/"), http.StatusOK)

		// The other browser is signed out, and told why on the login page.
		other := elsewhere.get("/orders")
		wantStatus(t, other, http.StatusSeeOther)
		if !strings.HasPrefix(loc(other), "/login") {
			t.Fatalf("the other browser goes to %q, want the login page", loc(other))
		}
		if got := flashOf(elsewhere.get("/login")); got != zh("account.signedout") {
			t.Errorf("the login page says %q, want %q", got, zh("account.signedout"))
		}
		if a := s.browser(t).post("/login", url.Values{"username": {"zhao"}, "password": {"zhao-old-pass-1"}}); a.status != http.StatusUnprocessableEntity {
			t.Errorf("the old password still signs in (%d)", a.status)
		}
		s.browser(t).signIn("zhao", "zhao-new-pass-2")

		entries := s.auditOf(t, "user.passwd")
		if len(entries) != 1 || entries[0].Username != "zhao" || entries[0].ObjectID != "zhao" || entries[0].Outcome != "ok" {
			t.Errorf("audit entries = %+v", entries)
		}
	})
}

// Guessing the current password through the form is throttled as guessing at the login page is.
func TestChangeOwnPasswordIsThrottled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		AddUser(t.Context(), s.store, "qian", "qian-old-pass-1", "operator")
		b := s.browser(t)
		b.signIn("qian", "qian-old-pass-1")
		for range 5 {
			wantStatus(t, b.post("/account/password", passwordChange("guess-guess-1", "qian-new-pass-2", "qian-new-pass-2")), http.StatusUnprocessableEntity)
		}
		a := b.post("/account/password", passwordChange("qian-old-pass-1", "qian-new-pass-2", "qian-new-pass-2"))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		if got, _ := textOf(a, "error-current_password"); !strings.Contains(got, "分钟") {
			t.Errorf("after five wrong guesses the right password is answered %q, want the wait", got)
		}
		if u, _ := s.store.UserByUsername(t.Context(), "qian"); !passwordIs(u, "qian-old-pass-1") {
			t.Error("the password changed while guessing was throttled")
		}
	})
}

// An admin gives someone who forgot their password a new one; that person's sessions end. A password too
// short is refused with why.
func TestAdminResetsAPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		s := newTestServer(t)
		AddUser(t.Context(), s.store, "sun", "sun-old-pass-1", "operator")
		u, _ := s.store.UserByUsername(t.Context(), "sun")
		sun := s.browser(t)
		sun.signIn("sun", "sun-old-pass-1")
		admin := s.browser(t)
		admin.signIn("admin", testAdminPassword)
		path := "/users/" + strconv.FormatInt(u.ID, 10) + "/password"

		wantStatus(t, admin.post(path, url.Values{"new_password": {"short"}}), http.StatusSeeOther)
		if got := flashOf(admin.get("/users")); got != zh("users.reset.refused", "sun", zh("users.err.password")) {
			t.Errorf("a short password: flash %q", got)
		}
		wantStatus(t, sun.get("/"), http.StatusOK)

		wantStatus(t, admin.post(path, url.Values{"new_password": {"sun-new-pass-2"}}), http.StatusSeeOther)
		if got := flashOf(admin.get("/users")); got != zh("users.reset.done", "sun") {
			t.Errorf("flash %q", got)
		}
		if a := sun.get("/"); a.status != http.StatusSeeOther || !strings.HasPrefix(loc(a), "/login") {
			t.Errorf("sun's old session still opens the dashboard (%d %s)", a.status, loc(a))
		}
		s.browser(t).signIn("sun", "sun-new-pass-2")
		wantStatus(t, admin.get("/"), http.StatusOK) // the admin's own session is untouched

		entries := s.auditOf(t, "user.passwd")
		if len(entries) != 1 || entries[0].Username != "admin" || entries[0].ObjectID != "sun" {
			t.Errorf("audit entries = %+v", entries)
		}
		wantStatus(t, admin.post("/users/99999/password", url.Values{"new_password": {"whatever-pass-1"}}), http.StatusNotFound)
	})
}

func passwordIs(u db.User, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
}
