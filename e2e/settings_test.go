package e2e

import (
	"regexp"
	"strings"
	"testing"
)

func TestSettingsShowAccountAndCheckConnection(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	must(t, testID(page, "nav").GetByRole("link", playwrightName("设置")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/settings"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("设置"))

	// What the admin needs to know about the WeChat account, at a glance.
	must(t, expect.Locator(testID(page, "settings-appid")).ToHaveText(s.Sandbox.AppID()))
	must(t, expect.Locator(testID(page, "settings-apibase")).ToHaveText(s.Sandbox.URL))
	callback := testID(page, "settings-callback").Locator("code")
	must(t, expect.Locator(callback).ToHaveText(regexp.MustCompile(`^`+regexp.QuoteMeta(s.URL)+`/wx/callback$`)))
	must(t, expect.Locator(testID(page, "settings-token")).ToContainText("有效"))
	must(t, expect.Locator(testID(page, "settings-shopname")).ToHaveText(s.Sandbox.ShopName()))
	must(t, expect.Locator(testID(page, "settings")).ToContainText("已配置，出于安全考虑不显示"))

	// The secret is never on the page, not even hidden in the markup.
	html, err := page.Content()
	must(t, err)
	if strings.Contains(html, s.Sandbox.Secret()) {
		t.Errorf("the settings page contains the AppSecret")
	}
	text, err := page.Locator("body").InnerText()
	must(t, err)
	if strings.Contains(text, s.Sandbox.Secret()) {
		t.Errorf("the settings page shows the AppSecret")
	}

	// Checking the connection says so plainly.
	must(t, testID(page, "settings-check").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("连接正常，店铺名称："+s.Sandbox.ShopName()+"。"))
	must(t, expect.Page(page).ToHaveURL(s.URL+"/settings"))

	// WeChat refuses this server's IP: the operator sees the code and what to do about it.
	s.Sandbox.FailNext("/channels/ec/basics/info/get", 40164, "invalid ip 1.2.3.4, not in whitelist", 1)
	must(t, testID(page, "settings-check").Click())
	flash := testID(page, "flash")
	must(t, expect.Locator(flash).ToHaveText("连接失败：微信返回错误 40164：调用接口的服务器 IP 不在白名单中，请在公众平台（开发 > 基本配置 > IP 白名单）把服务器 IP 加入白名单。"))
	must(t, expect.Locator(flash).ToHaveClass(regexp.MustCompile(`\bflash-error\b`)))
	must(t, expect.Page(page).ToHaveURL(s.URL+"/settings"))
	// The page itself still shows the last known shop name.
	must(t, expect.Locator(testID(page, "settings-shopname")).ToHaveText(s.Sandbox.ShopName()))

	// Once WeChat answers again, so does the check.
	must(t, testID(page, "settings-check").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("连接正常，店铺名称："+s.Sandbox.ShopName()+"。"))
}
