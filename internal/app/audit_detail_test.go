package app

import (
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// The details the app writes in a fixed form read in the page's language; anything else is shown as written.
func TestAuditDetailInTheReadersLanguage(t *testing.T) {
	zhP, enP := i18n.Printer{Lang: i18n.Chinese}, i18n.Printer{Lang: i18n.English}
	for _, c := range []struct {
		action, detail, zh, en string
	}{
		{"order.sync", "133 orders, 2 calls", "133 个订单，调用微信 2 次", "133 orders, 2 WeChat calls"},
		{"product.sync", "35 products", "35 个商品", "35 products"},
		{"group.sync", "5", "共 5 个", "5 in all"},
		{"shelf.sync", "2", "共 2 个", "2 in all"},
		{"category.refresh", "12 branches", "12 个类目分支", "12 branches"},
		{"group.create", "夏季新品, 1, 2 和 3, 4 products", "夏季新品, 1, 2 和 3，4 个商品", "夏季新品, 1, 2 和 3, 4 products"},
		{"auth.login", "ip 127.0.0.1", "IP 地址 127.0.0.1", "IP address 127.0.0.1"},
		{"user.create", "role operator", "角色：运营", "Role: Operator"},
		{"user.update", "role operator -> viewer, disabled false -> true", "角色：运营 → 只读；状态：启用 → 停用", "Role: Operator → Viewer; state: Active → Disabled"},
		{"settings.update", "low stock <= 5, images <= 2 MB", "低库存阈值 ≤ 5，图片上限 2 MB", "Low stock at ≤ 5, images up to 2 MB"},
		// Not in the fixed form: as written.
		{"user.create", "role boss", "role boss", "role boss"},
		{"order.ship", "003shunfeng SF1234567890", "003shunfeng SF1234567890", "003shunfeng SF1234567890"},
		{"order.sync", "12 orders", "12 orders", "12 orders"},
		{"group.sync", "five", "five", "five"},
		{"product.update", "纯棉T恤", "纯棉T恤", "纯棉T恤"},
	} {
		e := db.AuditEntry{Action: c.action, Detail: c.detail}
		if got := auditDetail(zhP, e); got != c.zh {
			t.Errorf("%s %q in Chinese: %q, want %q", c.action, c.detail, got, c.zh)
		}
		if got := auditDetail(enP, e); got != c.en {
			t.Errorf("%s %q in English: %q, want %q", c.action, c.detail, got, c.en)
		}
	}
}

// An entry that failed at WeChat says what the code means, in the reader's language.
func TestAuditOutcomeInTheReadersLanguage(t *testing.T) {
	zhP, enP := i18n.Printer{Lang: i18n.Chinese}, i18n.Printer{Lang: i18n.English}
	busy, _ := wx.CodeMeaning(-1, "zh")
	busyEn, _ := wx.CodeMeaning(-1, "en")
	for _, c := range []struct{ outcome, zh, en string }{
		{"ok", "成功", "OK"},
		{"errcode -1: system error", "微信返回错误 -1：" + busy, "WeChat answered error -1: " + busyEn},
		{"errcode 9999999: something new", "微信返回错误 9999999：something new", "WeChat answered error 9999999: something new"},
		{"shipped in WeChat's own backend", "shipped in WeChat's own backend", "shipped in WeChat's own backend"},
	} {
		if got := auditOutcome(zhP, c.outcome); got != c.zh {
			t.Errorf("%q in Chinese: %q, want %q", c.outcome, got, c.zh)
		}
		if got := auditOutcome(enP, c.outcome); got != c.en {
			t.Errorf("%q in English: %q, want %q", c.outcome, got, c.en)
		}
	}
}
