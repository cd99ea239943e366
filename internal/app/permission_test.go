package app

import (
	"net/http"
	"strings"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const pathPermissionOpen = "/user-order/orders-permission/open"

func TestPermissionPageTurnsEachAnswerIntoTheNextStep(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1, PermissionState: sandbox.PermissionNeedsAgreement})
	admin := s.signedIn(t, "admin")

	page := admin.get("/permission")
	wantStatus(t, page, http.StatusOK)
	if got, _ := textOf(page, "permission-status"); got != zh("permission.state.never") {
		t.Errorf("before any try the state is %q", got)
	}
	wantBody(t, page, `data-testid="permission-open"`, zh("permission.what"), zh("permission.before"))
	if strings.Contains(page.body, `data-testid="permission-next"`) {
		t.Error("a next step is shown before any try")
	}

	meaning := func(code int) string {
		m, known := wx.CodeMeaning(code, "zh")
		if !known {
			t.Fatalf("the code table has no meaning for %d", code)
		}
		return m
	}
	for _, c := range []struct {
		name  string
		set   func()
		code  int
		next  string
		state string
	}{
		{"agreement not accepted", func() {}, wx.CodeOrderPermissionAgreement, "permission.next.268486640", "permission.state.failed"},
		{"appid out of range", func() { s.sandbox.SetPermissionState(sandbox.PermissionOutOfRange) }, wx.CodeOrderPermissionOutOfRange, "permission.next.268485215", "permission.state.failed"},
		{"state does not allow it", func() { s.sandbox.SetPermissionState(sandbox.PermissionOpen) }, wx.CodeOrderPermissionState, "permission.next.268486612", "permission.state.failed"},
		{"WeChat busy", func() {
			s.sandbox.SetPermissionState(sandbox.PermissionClosed)
			s.sandbox.FailNext(pathPermissionOpen, -1, "system error", 1)
		}, -1, "permission.next.busy", "permission.state.failed"},
		{"an undocumented code", func() { s.sandbox.FailNext(pathPermissionOpen, 48001, "api unauthorized", 1) }, 48001, "permission.next.other", "permission.state.failed"},
		{"opened", func() {}, 0, "", "permission.state.open"},
	} {
		c.set()
		calls := s.sandbox.Calls(pathPermissionOpen)
		a := admin.post("/permission/open", nil)
		wantStatus(t, a, http.StatusSeeOther)
		if loc(a) != "/permission" {
			t.Errorf("%s: redirects to %q", c.name, loc(a))
		}
		if n := s.sandbox.Calls(pathPermissionOpen) - calls; n != 1 {
			t.Errorf("%s: %d calls to WeChat, want 1 (a write is not retried)", c.name, n)
		}
		page := admin.get(loc(a))
		if got, _ := textOf(page, "permission-status"); got != zh(c.state) {
			t.Errorf("%s: the state is %q, want %q", c.name, got, zh(c.state))
		}
		next, shown := textOf(page, "permission-next")
		result, _ := textOf(page, "permission-result")
		flash := flashOf(page)
		if c.code == 0 {
			if shown || result != "" {
				t.Errorf("%s: still shows %q / %q", c.name, result, next)
			}
			if flash != zh("permission.opened") {
				t.Errorf("%s: flash %q", c.name, flash)
			}
			if strings.Contains(page.body, `data-testid="permission-open"`) {
				t.Errorf("%s: the permission is open and still offered", c.name)
			}
			if s.sandbox.Permission() != sandbox.PermissionOpen {
				t.Errorf("%s: WeChat's permission is %v", c.name, s.sandbox.Permission())
			}
		} else {
			if want := zh("error.wx", c.code, meaning(c.code)); result != want {
				t.Errorf("%s: WeChat's answer shown as %q, want %q", c.name, result, want)
			}
			if next != zh(c.next) {
				t.Errorf("%s: the next step is %q, want %q", c.name, next, zh(c.next))
			}
			if !strings.Contains(flash, strings.TrimSpace(zh("error.wx", c.code, meaning(c.code)))) {
				t.Errorf("%s: flash %q", c.name, flash)
			}
			if !strings.Contains(page.body, `data-testid="permission-open"`) {
				t.Errorf("%s: trying again is not offered", c.name)
			}
		}
		if !strings.Contains(page.body, strings.SplitN(zh("permission.at", ""), "：", 2)[0]) {
			t.Errorf("%s: the page does not say when it was tried", c.name)
		}
	}

	entries := s.auditOf(t, "permission.open")
	if len(entries) != 6 {
		t.Fatalf("%d audit entries, want 6: %+v", len(entries), entries)
	}
	for i, code := range []string{"268486640", "268485215", "268486612", "-1", "48001"} {
		if !strings.Contains(entries[i].Outcome, "errcode "+code) || entries[i].Username != "test-admin" {
			t.Errorf("audit entry %d = %+v", i, entries[i])
		}
	}
	if entries[5].Outcome != "ok" || entries[5].ObjectID != s.sandbox.AppID() {
		t.Errorf("the last audit entry = %+v", entries[5])
	}
}

func TestOnlyAdminsOpenThePermission(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	for _, role := range []string{"operator", "viewer"} {
		b := s.signedIn(t, role)
		page := b.get("/permission")
		wantStatus(t, page, http.StatusOK)
		if strings.Contains(page.body, `data-testid="permission-open"`) {
			t.Errorf("an %s is offered opening the permission", role)
		}
		wantStatus(t, b.post("/permission/open", nil), http.StatusForbidden)
	}
	if n := s.sandbox.Calls(pathPermissionOpen); n != 0 {
		t.Errorf("%d calls to WeChat", n)
	}
	if s.sandbox.Permission() != sandbox.PermissionClosed {
		t.Error("the permission changed")
	}
	if e := s.auditOf(t, "permission.open"); len(e) != 0 {
		t.Errorf("audit entries = %+v", e)
	}
}
