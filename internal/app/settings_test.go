package app

import (
	"net/http"
	"strings"
	"testing"
)

func TestSettingsNeverShowTheSecret(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	a := b.get("/settings")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, s.sandbox.AppID(), s.app.cfg.APIBase, s.URL+"/wx/callback")
	if strings.Contains(a.body, s.sandbox.Secret()) {
		t.Fatal("the settings page shows the secret")
	}
}

func TestConnectionCheckShowsWeChatErrors(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)

	wantStatus(t, b.post("/settings/check", nil), http.StatusSeeOther)
	wantBody(t, b.get("/settings"), "连接正常，店铺名称：沙箱小店。", "有效")
	if name, _ := s.store.Setting(t.Context(), settingShopName); name != "沙箱小店" {
		t.Errorf("shop name kept = %q", name)
	}

	s.sandbox.FailNext("/channels/ec/basics/info/get", 40164, "invalid ip 10.0.0.1, not in whitelist", 1)
	wantStatus(t, b.post("/settings/check", nil), http.StatusSeeOther)
	a := b.get("/settings")
	wantBody(t, a, "连接失败：微信返回错误 40164", "白名单")

	entries, _, _ := s.store.AuditPage(t.Context(), 2, 0)
	if entries[0].Action != "settings.check" || !strings.Contains(entries[0].Outcome, "40164") || entries[1].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}
}

func TestSettingsShowAnUnavailableOrderSource(t *testing.T) {
	s := newTestServer(t)
	s.sandbox.SetOrderSource("channels", false)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	wantStatus(t, b.post("/orders/sync", nil), http.StatusSeeOther)
	a := b.get("/settings")
	wantBody(t, a, `data-testid="settings-source-channels"`, "本账号不能使用：", "48001")
	if strings.Contains(between(a.body, `data-testid="settings-source-merchant"`, "</li>"), "48001") {
		t.Error("the merchant source is shown unavailable too")
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
