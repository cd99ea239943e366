package e2e

import (
	"fmt"
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
		{"admin", "添加用户", "用户 wangwu", "role operator", "成功"},
		{"admin", "登录", "用户 admin", "", "成功"},
		{"命令行 (cli)", "添加用户", "用户 admin", "role admin", "成功"},
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
