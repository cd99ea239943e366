package e2e

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/db"
)

// auditRows are the lines of the audit table on page.
func auditRows(page playwright.Page) playwright.Locator {
	return testID(page, "audit-table").Locator("tbody tr")
}

// auditCell is column col (0 time, 1 user, 2 action, 3 object, 4 detail, 5 outcome) of a row.
func auditCell(row playwright.Locator, col int) playwright.Locator { return row.Locator("td").Nth(col) }

func TestAuditLogShowsWhatHappened(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// Add a user, then check the WeChat connection.
	open(t, page, s.URL+"/users")
	form := testID(page, "new-user-form")
	must(t, form.GetByLabel("用户名").Fill("wangwu"))
	must(t, form.GetByLabel("密码").Fill("wangwu-pass-1"))
	must(t, testID(page, "new-user-submit").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已添加用户 wangwu。"))
	open(t, page, s.URL+"/settings")
	must(t, testID(page, "settings-check").Click())
	must(t, expect.Locator(testID(page, "flash")).ToContainText("连接正常"))

	// The log shows it, newest first, with who did it.
	must(t, testID(page, "nav").GetByRole("link", playwrightName("操作日志")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("操作日志"))
	rows := auditRows(page)
	// The first admin (from the command line), the sign-in, the new user, the check.
	must(t, expect.Locator(rows).ToHaveCount(4))
	want := []struct{ user, action, object, detail, outcome string }{
		{"admin", "检查微信连接", "公众号 " + s.Sandbox.AppID(), "", "成功"},
		{"admin", "添加用户", "用户 wangwu", "角色：运营", "成功"},
		{"admin", "登录", "用户 admin", "IP 地址 127.0.0.1", "成功"},
		{"命令行 (cli)", "添加用户", "用户 admin", "角色：管理员", "成功"},
	}
	for i, w := range want {
		row := rows.Nth(i)
		must(t, expect.Locator(auditCell(row, 1)).ToHaveText(w.user))
		must(t, expect.Locator(auditCell(row, 2)).ToHaveText(w.action))
		must(t, expect.Locator(auditCell(row, 3)).ToHaveText(w.object))
		if w.detail != "" {
			must(t, expect.Locator(auditCell(row, 4)).ToHaveText(w.detail))
		}
		must(t, expect.Locator(auditCell(row, 5)).ToHaveText(w.outcome))
	}
	must(t, expect.Locator(testID(page, "pager")).ToHaveCount(0))

	// In English the actions are English.
	must(t, testID(page, "lang-en").Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("Audit log"))
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit"))
	for i, action := range []string{"Checked the WeChat connection", "Added a user", "Signed in", "Added a user"} {
		must(t, expect.Locator(auditCell(rows.Nth(i), 2)).ToHaveText(action))
		must(t, expect.Locator(auditCell(rows.Nth(i), 5)).ToHaveText("OK"))
	}
	must(t, expect.Locator(auditCell(rows.Nth(1), 4)).ToHaveText("Role: Operator"))
}

func TestAuditLogPages(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// 60 more entries: 62 in all with the first admin's creation and the sign-in.
	for i := 1; i <= 60; i++ {
		must(t, s.Store.AddAudit(t.Context(), db.AuditEntry{
			Username: "admin", Action: "test.bulk", ObjectType: "note", ObjectID: fmt.Sprintf("n%02d", i),
			Detail: fmt.Sprintf("bulk %02d", i), Outcome: "ok",
		}))
	}

	must(t, testID(page, "nav").GetByRole("link", playwrightName("操作日志")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit"))
	rows := auditRows(page)
	must(t, expect.Locator(rows).ToHaveCount(50))
	must(t, expect.Locator(auditCell(rows.First(), 4)).ToHaveText("bulk 60"))
	must(t, expect.Locator(auditCell(rows.Last(), 4)).ToHaveText("bulk 11"))
	pager := testID(page, "pager")
	must(t, expect.Locator(pager).ToBeVisible())
	must(t, expect.Locator(pager).ToContainText("第 1 / 2 页，共 62 条"))
	must(t, expect.Locator(pager.GetByRole("link", playwrightName("上一页"))).ToHaveCount(0))

	// Page 2 holds the oldest entries, ending with the very first one.
	must(t, pager.GetByRole("link", playwrightName("下一页")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit?page=2"))
	must(t, expect.Locator(rows).ToHaveCount(12))
	must(t, expect.Locator(auditCell(rows.First(), 4)).ToHaveText("bulk 10"))
	must(t, expect.Locator(auditCell(rows.Nth(10), 2)).ToHaveText("登录"))
	must(t, expect.Locator(auditCell(rows.Last(), 1)).ToHaveText("命令行 (cli)"))
	must(t, expect.Locator(auditCell(rows.Last(), 2)).ToHaveText("添加用户"))
	must(t, expect.Locator(pager).ToContainText("第 2 / 2 页，共 62 条"))
	must(t, expect.Locator(pager.GetByRole("link", playwrightName("下一页"))).ToHaveCount(0))

	// And back.
	must(t, pager.GetByRole("link", playwrightName("上一页")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit?page=1"))
	must(t, expect.Locator(auditCell(rows.First(), 4)).ToHaveText("bulk 60"))
}

// A page number past the end (a typed or stale link) must not claim that nothing was ever recorded.
// Today /audit?page=99 answers 200 with "还没有任何操作记录。" although the log has entries.
func TestAuditLogPagePastTheEndIsNotEmpty(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	resp := open(t, page, s.URL+"/audit?page=99")
	must(t, expect.Locator(page.Locator("h1")).ToBeVisible())
	// The page has loaded: count now rather than wait for the message to go away.
	n, err := page.GetByText("还没有任何操作记录。").Count()
	must(t, err)
	if n > 0 {
		t.Errorf("GET /audit?page=99 = %d and says 还没有任何操作记录。 although the log has 2 entries "+
			"(the first admin's creation and this sign-in); it should show the last page or a not-found page", resp.Status())
	}
}

// The log of a busy shop is long: an operator narrows it to one person's failed shipments, finds one order's
// entries by its id, pages through what matches, and clears the filters again.
func TestAuditLogFilters(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	add := func(e db.AuditEntry) { must(t, s.Store.AddAudit(t.Context(), e)) }
	for i := 1; i <= 55; i++ {
		add(db.AuditEntry{Username: "zhangsan", Action: "order.ship", ObjectType: "order", ObjectID: fmt.Sprintf("merchant:37050%02d", i),
			Detail: "顺丰速运 SF" + fmt.Sprint(i), Outcome: "ok"})
	}
	add(db.AuditEntry{Username: "zhangsan", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705901", Detail: "中通 731", Outcome: "-1 系统繁忙"})
	add(db.AuditEntry{Username: "lisi", Action: "order.ship", ObjectType: "order", ObjectID: "merchant:3705902", Detail: "中通 732", Outcome: "-1 系统繁忙"})
	add(db.AuditEntry{Username: "zhangsan", Action: "product.update", ObjectType: "product", ObjectID: "10001", Detail: "纯棉T恤", Outcome: "40001 access_token 无效"})

	open(t, page, s.URL+"/audit")
	chooseOption(t, testID(page, "audit-user"), "zhangsan")
	chooseOption(t, testID(page, "audit-action"), "发货")
	chooseOption(t, testID(page, "audit-outcome"), "失败")
	navigateBy(t, page, clicker(testID(page, "audit-filter")))
	rows := auditRows(page)
	must(t, expect.Locator(rows).ToHaveCount(1))
	must(t, expect.Locator(auditCell(rows.First(), 3)).ToHaveText("订单 merchant:3705901"))
	must(t, expect.Locator(auditCell(rows.First(), 5)).ToHaveText("-1 系统繁忙"))
	must(t, expect.Locator(testID(page, "audit-count")).ToHaveText("共 1 条符合条件的记录。"))
	// The choices stay as made, and the address can be bookmarked.
	must(t, expect.Locator(selected(testID(page, "audit-user"))).ToHaveText("zhangsan"))
	must(t, expect.Locator(selected(testID(page, "audit-action"))).ToHaveText("发货"))
	must(t, expect.Locator(selected(testID(page, "audit-outcome"))).ToHaveText("失败"))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/audit\?.*outcome=failed`)))

	// Every failure, whoever it was.
	chooseOption(t, testID(page, "audit-user"), "全部用户")
	chooseOption(t, testID(page, "audit-action"), "全部操作")
	navigateBy(t, page, clicker(testID(page, "audit-filter")))
	must(t, expect.Locator(rows).ToHaveCount(3))
	must(t, expect.Locator(auditCell(rows.First(), 2)).ToHaveText("修改商品"))

	// One order, by a piece of its id.
	chooseOption(t, testID(page, "audit-outcome"), "全部结果")
	must(t, testID(page, "audit-search").Fill("3705902"))
	navigateBy(t, page, clicker(testID(page, "audit-filter")))
	must(t, expect.Locator(rows).ToHaveCount(1))
	must(t, expect.Locator(auditCell(rows.First(), 1)).ToHaveText("lisi"))

	// Nothing matches: said so, not "nothing was ever recorded".
	must(t, testID(page, "audit-search").Fill("不存在的订单"))
	navigateBy(t, page, clicker(testID(page, "audit-filter")))
	must(t, expect.Locator(testID(page, "audit-none")).ToHaveText("没有符合条件的记录。"))

	// zhangsan's successful shipments fill two pages; the next page keeps the filters.
	must(t, testID(page, "audit-search").Fill(""))
	chooseOption(t, testID(page, "audit-user"), "zhangsan")
	chooseOption(t, testID(page, "audit-outcome"), "成功")
	navigateBy(t, page, clicker(testID(page, "audit-filter")))
	must(t, expect.Locator(rows).ToHaveCount(50))
	pager := testID(page, "pager")
	must(t, expect.Locator(pager).ToContainText("第 1 / 2 页，共 55 条"))
	navigateBy(t, page, clicker(pager.GetByRole("link", playwrightName("下一页"))))
	must(t, expect.Locator(rows).ToHaveCount(5))
	must(t, expect.Locator(auditCell(rows.Last(), 3)).ToHaveText("订单 merchant:3705001"))
	must(t, expect.Locator(selected(testID(page, "audit-user"))).ToHaveText("zhangsan"))

	// Cleared: the whole log again.
	navigateBy(t, page, clicker(testID(page, "audit-clear")))
	must(t, expect.Page(page).ToHaveURL(s.URL+"/audit"))
	must(t, expect.Locator(testID(page, "audit-count")).ToHaveCount(0))
	must(t, expect.Locator(pager).ToContainText("共 60 条"))
}
