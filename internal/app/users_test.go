package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestAddUserValidatesAndKeepsInput(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)

	a := b.post("/users", url.Values{"username": {"李 四"}, "password": {"short"}, "role": {"boss"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `value="李 四"`, "用户名为 2 到 32 个字符", "密码至少需要 10 个字符。", "请选择一个角色。")

	a = b.post("/users", url.Values{"username": {"ADMIN"}, "password": {"long-enough-1"}, "role": {"viewer"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "这个用户名已经有人使用。", `value="ADMIN"`)

	a = b.post("/users", url.Values{"username": {"li.si"}, "password": {"long-enough-1"}, "role": {"viewer"}})
	wantStatus(t, a, http.StatusSeeOther)
	wantBody(t, b.get("/users"), "已添加用户 li.si。", `data-testid="user-row-li.si"`)
	u, err := s.store.UserByUsername(t.Context(), "li.si")
	if err != nil || u.Role != "viewer" {
		t.Fatalf("stored user = %+v, %v", u, err)
	}
	entries, _, _ := s.store.AuditPage(t.Context(), 1, 0)
	if e := entries[0]; e.Action != "user.create" || e.ObjectID != "li.si" || e.Username != "admin" {
		t.Errorf("audit entry = %+v", e)
	}
}

func TestUpdateUserThroughHtmxAnswersTheRow(t *testing.T) {
	s := newTestServer(t)
	AddUser(t.Context(), s.store, "wang", "operator-pass-1", "operator")
	u, _ := s.store.UserByUsername(t.Context(), "wang")
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	path := "/users/" + strconv.FormatInt(u.ID, 10)

	a := b.post(path, url.Values{"role": {"viewer"}, "status": {"disabled"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusOK)
	if strings.Contains(a.body, "<html") || !strings.HasPrefix(strings.TrimSpace(a.body), "<tr") {
		t.Fatalf("htmx got more than the row:\n%s", a.body)
	}
	wantBody(t, a, "已保存")
	if u, _ := s.store.UserByID(t.Context(), u.ID); u.Role != "viewer" || !u.Disabled {
		t.Errorf("user after update = %+v", u)
	}
	entries, _, _ := s.store.AuditPage(t.Context(), 1, 0)
	if e := entries[0]; e.Action != "user.update" || !strings.Contains(e.Detail, "operator -> viewer") {
		t.Errorf("audit entry = %+v", e)
	}

	// Without htmx the same form redirects back with a flash.
	a = b.post(path, url.Values{"role": {"operator"}, "status": {"active"}})
	wantStatus(t, a, http.StatusSeeOther)
}

func TestLastAdminCannotBeRemoved(t *testing.T) {
	s := newTestServer(t)
	admin, _ := s.store.UserByUsername(t.Context(), "admin")
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	a := b.post("/users/"+strconv.FormatInt(admin.ID, 10), url.Values{"role": {"viewer"}, "status": {"active"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "至少要保留一位启用中的管理员。")
	if u, _ := s.store.UserByID(t.Context(), admin.ID); u.Role != "admin" {
		t.Errorf("the last admin was demoted: %+v", u)
	}
	wantStatus(t, b.post("/users/99999", url.Values{"role": {"viewer"}}), http.StatusNotFound)
}

func TestRolesAreEnforced(t *testing.T) {
	s := newTestServer(t)
	AddUser(t.Context(), s.store, "kan", "viewer-pass-1", "viewer")
	AddUser(t.Context(), s.store, "op", "operator-pass-1", "operator")
	for _, who := range []struct{ name, password string }{{"kan", "viewer-pass-1"}, {"op", "operator-pass-1"}} {
		b := s.browser(t)
		b.signIn(who.name, who.password)
		wantStatus(t, b.get("/"), http.StatusOK)
		wantStatus(t, b.get("/audit"), http.StatusOK)
		for _, path := range []string{"/users", "/settings"} {
			a := b.get(path)
			wantStatus(t, a, http.StatusForbidden)
			wantBody(t, a, "没有权限")
		}
		a := b.post("/users", url.Values{"username": {"sneaky"}, "password": {"sneaky-pass-1"}, "role": {"admin"}})
		wantStatus(t, a, http.StatusForbidden)
		wantStatus(t, b.post("/settings/check", nil), http.StatusForbidden)
		// Everyone may still sign out and pick a language.
		wantStatus(t, b.post("/lang", url.Values{"lang": {"en"}}), http.StatusSeeOther)
		wantStatus(t, b.post("/logout", nil), http.StatusSeeOther)
	}
	if _, err := s.store.UserByUsername(t.Context(), "sneaky"); err == nil {
		t.Fatal("a non-admin created a user")
	}
}
