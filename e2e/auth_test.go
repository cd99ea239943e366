package e2e

import (
	"strings"
	"testing"
)

func TestWrongPasswordKeepsYouOut(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)

	signIn(t, page, s.URL, "admin", "not-the-password")
	must(t, expect.Locator(testID(page, "login-error")).ToHaveText("用户名或密码不正确。"))
	must(t, expect.Locator(page.GetByLabel("用户名")).ToHaveValue("admin"))

	// An unknown user gets exactly the same message.
	signIn(t, page, s.URL, "nobody", "whatever-password")
	must(t, expect.Locator(testID(page, "login-error")).ToHaveText("用户名或密码不正确。"))

	// Still signed out: the dashboard sends us back to the login page.
	open(t, page, s.URL+"/")
	must(t, expect.Page(page).ToHaveURL(s.URL+"/login"))
	must(t, expect.Locator(testID(page, "login-form")).ToBeVisible())
}

func TestSignInSwitchLanguageSignOut(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)

	// The login page already says which WeChat it talks to.
	open(t, page, s.URL+"/")
	must(t, expect.Locator(testID(page, "sandbox-banner")).ToContainText("沙箱 / Sandbox"))

	signIn(t, page, s.URL, "admin", AdminPassword)
	must(t, expect.Page(page).ToHaveURL(s.URL+"/"))
	must(t, expect.Locator(testID(page, "shop-name")).ToHaveText(s.Sandbox.ShopName()))
	must(t, expect.Locator(testID(page, "dashboard-heading")).ToHaveText(s.Sandbox.ShopName()))
	must(t, expect.Locator(testID(page, "sandbox-banner")).ToBeVisible())
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("admin · 管理员"))

	// Every area of the shop is in the navigation.
	nav := testID(page, "nav")
	for _, area := range []string{"概览", "订单", "商品", "库存", "运费模板", "分组", "货架", "图片库", "购物订单权限", "操作日志", "用户", "设置"} {
		must(t, expect.Locator(nav.GetByRole("link", playwrightName(area))).ToBeVisible())
	}

	// Switch to English; the choice sticks while moving around.
	must(t, testID(page, "lang-en").Click())
	must(t, expect.Locator(testID(page, "nav-products")).ToHaveText("Products"))
	must(t, testID(page, "nav-orders").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/orders"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("Orders"))
	must(t, expect.Locator(testID(page, "nav-settings")).ToHaveText("Settings"))
	lang, err := page.Locator("html").GetAttribute("lang")
	must(t, err)
	if lang != "en" {
		t.Errorf("html lang = %q after switching to English", lang)
	}
	must(t, testID(page, "lang-zh").Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("订单"))

	// Sign out: back at the login page, and the dashboard is closed again.
	must(t, testID(page, "logout").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/login"))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("您已退出登录。"))
	open(t, page, s.URL+"/settings")
	must(t, expect.Page(page).ToHaveURL(s.URL+"/login?next=%2Fsettings"))

	// The audit log recorded the sign-in and sign-out.
	entries, _, err := s.Store.AuditPage(t.Context(), 10, 0)
	must(t, err)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "auth.logout,auth.login,user.create" {
		t.Errorf("audit actions = %s, want auth.logout,auth.login,user.create (the first admin)", got)
	}
}

func TestViewerCannotReachUsers(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "kanban", "viewer-password-1", "viewer")
	page := NewPage(t)

	signIn(t, page, s.URL, "kanban", "viewer-password-1")
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("kanban · 只读"))
	// Admin areas are not offered...
	must(t, expect.Locator(testID(page, "nav-users")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "nav-settings")).ToHaveCount(0))
	// ...and typing their address gets a clear refusal.
	resp := open(t, page, s.URL+"/users")
	if resp.Status() != 403 {
		t.Errorf("viewer GET /users = %d, want 403", resp.Status())
	}
	must(t, expect.Locator(testID(page, "error-page")).ToContainText("没有权限"))
	must(t, expect.Locator(testID(page, "error-page")).ToContainText("你的角色不能执行这个操作"))
	// The viewer may still read the audit log.
	open(t, page, s.URL+"/audit")
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("操作日志"))
}
