package e2e

import (
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// chooseOption picks an option of a select by its visible label, as a person would.
func chooseOption(t *testing.T, sel playwright.Locator, label string) {
	t.Helper()
	_, err := sel.SelectOption(playwright.SelectOptionValues{Labels: &[]string{label}})
	must(t, err)
}

// selected is the visible text of the option a select shows.
func selected(sel playwright.Locator) playwright.Locator { return sel.Locator("option:checked") }

func TestUsersAddChangeDisableAndKeepAnAdmin(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// The admin finds the users page through the navigation.
	must(t, testID(page, "nav").GetByRole("link", playwrightName("用户")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/users"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("用户"))
	must(t, expect.Locator(testID(page, "user-row-admin")).ToContainText("你自己"))

	// A bad username and a short password: each error is shown beside its field, and what was typed stays.
	form := testID(page, "new-user-form")
	must(t, form.GetByLabel("用户名").Fill("a"))
	must(t, form.GetByLabel("密码").Fill("short"))
	resp := navigateBy(t, page, clicker(testID(page, "new-user-submit")))
	if resp.Status() != 422 {
		t.Errorf("add user with bad input answered %d, want 422", resp.Status())
	}
	must(t, expect.Locator(testID(page, "error-username")).ToHaveText("用户名为 2 到 32 个字符，只能包含字母、数字、点、横线和下划线。"))
	must(t, expect.Locator(testID(page, "error-password")).ToHaveText("密码至少需要 10 个字符。"))
	must(t, expect.Locator(form.GetByLabel("用户名")).ToHaveValue("a"))
	must(t, expect.Locator(form.GetByLabel("用户名")).ToHaveAttribute("aria-describedby", "err-username"))
	must(t, expect.Locator(testID(page, "user-row-a")).ToHaveCount(0))

	// Fixed: zhangsan is added as an operator.
	must(t, form.GetByLabel("用户名").Fill("zhangsan"))
	must(t, form.GetByLabel("密码").Fill("zhangsan-pass-1"))
	chooseOption(t, form.GetByLabel("角色"), "运营")
	must(t, testID(page, "new-user-submit").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已添加用户 zhangsan。"))
	must(t, expect.Page(page).ToHaveURL(s.URL+"/users"))
	row := testID(page, "user-row-zhangsan")
	must(t, expect.Locator(row).ToBeVisible())
	must(t, expect.Locator(selected(row.GetByLabel("角色"))).ToHaveText("运营"))
	must(t, expect.Locator(selected(row.GetByLabel("状态"))).ToHaveText("启用"))
	must(t, expect.Locator(testID(page, "error-username")).ToHaveCount(0))

	// zhangsan signs in elsewhere while still allowed to.
	zhang := NewPage(t)
	signIn(t, zhang, s.URL, "zhangsan", "zhangsan-pass-1")
	must(t, expect.Locator(testID(zhang, "whoami")).ToHaveText("zhangsan · 运营"))

	// Change zhangsan to viewer: only the row is swapped, the page stays where it is.
	_, err := page.Evaluate(`() => { window.__samePage = "still here" }`)
	must(t, err)
	chooseOption(t, row.GetByLabel("角色"), "只读")
	must(t, row.GetByTestId("user-save").Click())
	must(t, expect.Locator(row.GetByTestId("user-saved")).ToHaveText("已保存"))
	must(t, expect.Locator(selected(row.GetByLabel("角色"))).ToHaveText("只读"))
	marker, err := page.Evaluate(`() => window.__samePage`)
	must(t, err)
	if marker != "still here" {
		t.Errorf("saving a row reloaded the page (marker = %v); it should be swapped by htmx", marker)
	}
	must(t, expect.Page(page).ToHaveURL(s.URL+"/users"))
	_, err = page.Reload()
	must(t, err)
	must(t, expect.Locator(selected(row.GetByLabel("角色"))).ToHaveText("只读"))
	must(t, expect.Locator(row.GetByTestId("user-saved")).ToHaveCount(0))

	// Disable zhangsan.
	chooseOption(t, row.GetByLabel("状态"), "停用")
	must(t, row.GetByTestId("user-save").Click())
	must(t, expect.Locator(row.GetByTestId("user-saved")).ToHaveText("已保存"))
	must(t, expect.Locator(selected(row.GetByLabel("状态"))).ToHaveText("停用"))

	// The session zhangsan already had is over...
	open(t, zhang, s.URL+"/")
	must(t, expect.Page(zhang).ToHaveURL(s.URL+"/login"))
	// ...and signing in again is refused.
	again := NewPage(t)
	signIn(t, again, s.URL, "zhangsan", "zhangsan-pass-1")
	must(t, expect.Locator(testID(again, "login-error")).ToHaveText("用户名或密码不正确。"))
	must(t, expect.Page(again).ToHaveURL(s.URL+"/login"))

	// The only admin cannot demote themself.
	me := testID(page, "user-row-admin")
	chooseOption(t, me.GetByLabel("角色"), "只读")
	must(t, me.GetByTestId("user-save").Click())
	must(t, expect.Locator(me.GetByTestId("user-error")).ToHaveText("至少要保留一位启用中的管理员。"))
	must(t, expect.Locator(me.GetByTestId("user-saved")).ToHaveCount(0))
	_, err = page.Reload()
	must(t, err)
	must(t, expect.Locator(selected(me.GetByLabel("角色"))).ToHaveText("管理员"))
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("admin · 管理员"))
	must(t, expect.Locator(testID(page, "nav-users")).ToBeVisible())
}

func TestOperatorCannotReachUsersOrSettings(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "li", "operator-pass-1", "operator")
	page := NewPage(t)
	signIn(t, page, s.URL, "li", "operator-pass-1")
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("li · 运营"))
	must(t, expect.Locator(testID(page, "nav-users")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "nav-settings")).ToHaveCount(0))

	for _, path := range []string{"/users", "/settings"} {
		resp := open(t, page, s.URL+path)
		if resp.Status() != 403 {
			t.Errorf("operator GET %s = %d, want 403", path, resp.Status())
		}
		must(t, expect.Locator(testID(page, "error-page")).ToContainText("没有权限"))
		must(t, expect.Locator(testID(page, "users-table")).ToHaveCount(0))
		must(t, expect.Locator(testID(page, "settings")).ToHaveCount(0))
	}

	for _, c := range []struct{ path, heading string }{
		{"/", s.Sandbox.ShopName()},
		{"/audit", "操作日志"},
		{"/products", "商品"},
	} {
		resp := open(t, page, s.URL+c.path)
		if resp.Status() != 200 {
			t.Errorf("operator GET %s = %d, want 200", c.path, resp.Status())
		}
		must(t, expect.Locator(page.Locator("h1")).ToHaveText(c.heading))
		must(t, expect.Locator(testID(page, "error-page")).ToHaveCount(0))
	}
}

// An operator changes the password given to them: mistakes are said beside the fields, the other browser is
// signed out with the reason, and the new password signs in. An admin resets a forgotten one from the users page.
func TestChangeYourOwnPasswordAndResetAForgottenOne(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "zhou", "zhou-given-pass-1", "operator")
	page, other := NewPage(t), NewPage(t)
	signIn(t, page, s.URL, "zhou", "zhou-given-pass-1")
	signIn(t, other, s.URL, "zhou", "zhou-given-pass-1")

	navigateBy(t, page, clicker(testID(page, "whoami")))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("我的账号"))
	must(t, expect.Locator(testID(page, "account-facts")).ToContainText("运营"))
	must(t, testID(page, "current-password").Fill("not-my-password"))
	must(t, testID(page, "new-password").Fill("zhou-own-pass-2"))
	must(t, testID(page, "new-password-again").Fill("zhou-own-pass-3"))
	navigateBy(t, page, clicker(testID(page, "password-submit")))
	must(t, expect.Locator(testID(page, "error-current_password")).ToHaveText("当前密码不正确。"))

	must(t, testID(page, "current-password").Fill("zhou-given-pass-1"))
	must(t, testID(page, "new-password").Fill("zhou-own-pass-2"))
	must(t, testID(page, "new-password-again").Fill("zhou-own-pass-3"))
	navigateBy(t, page, clicker(testID(page, "password-submit")))
	must(t, expect.Locator(testID(page, "error-new_password_again")).ToHaveText("两次输入的新密码不一致。"))

	must(t, testID(page, "current-password").Fill("zhou-given-pass-1"))
	must(t, testID(page, "new-password").Fill("zhou-own-pass-2"))
	must(t, testID(page, "new-password-again").Fill("zhou-own-pass-2"))
	navigateBy(t, page, clicker(testID(page, "password-submit")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("密码已修改，其他设备上的登录已退出。"))
	open(t, page, s.URL+"/orders")
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("订单"))

	// The other browser, on its next click, is at the login page and told why.
	open(t, other, s.URL+"/orders")
	must(t, expect.Page(other).ToHaveURL(regexp.MustCompile(`/login`)))
	must(t, expect.Locator(testID(other, "flash")).ToHaveText("密码已更改，请用新密码重新登录。"))
	signIn(t, other, s.URL, "zhou", "zhou-own-pass-2")
	must(t, expect.Locator(testID(other, "whoami")).ToHaveText("zhou · 运营"))

	// zhou forgets it; the admin sets a new one, and zhou's sessions end.
	admin := NewPage(t)
	signIn(t, admin, s.URL, "admin", AdminPassword)
	open(t, admin, s.URL+"/users")
	row := testID(admin, "user-row-zhou")
	must(t, row.GetByTestId("user-reset-open").Click())
	must(t, row.GetByTestId("user-reset-password").Fill("zhou-reset-pass-4"))
	navigateBy(t, admin, clicker(row.GetByTestId("user-reset")))
	must(t, expect.Locator(testID(admin, "flash")).ToHaveText("已为 zhou 设置新密码，TA 在其他设备上的登录已退出。"))
	open(t, page, s.URL+"/")
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/login`)))
	signIn(t, page, s.URL, "zhou", "zhou-reset-pass-4")
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("zhou · 运营"))
}
