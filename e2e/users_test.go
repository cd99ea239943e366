package e2e

import (
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
