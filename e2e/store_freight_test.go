package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

func selectValues(t *testing.T, l playwright.Locator, values ...string) {
	t.Helper()
	_, err := l.SelectOption(playwright.SelectOptionValues{Values: &values})
	must(t, err)
}

// TestStoreFreightTemplate makes a 微信小店 freight template charged by piece with a default rule and two
// region rules, then asks its calculator what sending to each costs.
func TestStoreFreightTemplate(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	open(t, page, s.URL+"/postage")
	must(t, expect.Locator(testID(page, "postage-table")).ToContainText("按件计费"))
	navigateBy(t, page, clicker(testID(page, "postage-new")))

	must(t, testID(page, "field-name").Fill("偏远地区加价"))
	selectValues(t, testID(page, "field-from-province"), "浙江省")
	must(t, testID(page, "default-first").Fill("1"))
	must(t, testID(page, "default-first-price").Fill("6"))
	must(t, testID(page, "default-second").Fill("1"))
	must(t, testID(page, "default-second-price").Fill("1"))
	selectValues(t, testID(page, "rule-0-provinces"), "新疆维吾尔自治区", "西藏自治区")
	must(t, testID(page, "rule-0-first").Fill("1"))
	must(t, testID(page, "rule-0-first-price").Fill("20"))
	must(t, testID(page, "rule-0-second").Fill("1"))
	must(t, testID(page, "rule-0-second-price").Fill("10"))
	selectValues(t, testID(page, "rule-1-provinces"), "青海省")
	must(t, testID(page, "rule-1-first").Fill("2"))
	must(t, testID(page, "rule-1-first-price").Fill("15"))
	must(t, testID(page, "rule-1-second").Fill("1"))
	// A further fee that is not an amount is refused beside the rule, and what was typed stays.
	must(t, testID(page, "rule-1-second-price").Fill("五块"))
	navigateBy(t, page, clicker(testID(page, "postage-save")))
	must(t, expect.Locator(testID(page, "error-rule.1.rule")).ToBeVisible())
	must(t, expect.Locator(testID(page, "field-name")).ToHaveValue("偏远地区加价"))
	must(t, testID(page, "rule-1-second-price").Fill("5"))
	navigateBy(t, page, clicker(testID(page, "postage-save")))
	must(t, expect.Locator(testID(page, "postage-name")).ToHaveText("偏远地区加价"))
	must(t, expect.Locator(testID(page, "postage-rules")).ToContainText("西藏自治区、新疆维吾尔自治区：1 件内 ¥20.00，每增加 1 件加 ¥10.00"))

	for _, tc := range []struct{ province, qty, want string }{
		{"广东省", "3", "寄到广东省，3 件/kg：运费 ¥8.00"},
		{"西藏自治区", "2", "寄到西藏自治区，2 件/kg：运费 ¥30.00"},
		{"青海省", "4", "寄到青海省，4 件/kg：运费 ¥25.00"},
	} {
		selectValues(t, testID(page, "fee-province"), tc.province)
		must(t, testID(page, "fee-qty").Fill(tc.qty))
		navigateBy(t, page, clicker(testID(page, "fee-submit")))
		must(t, expect.Locator(testID(page, "fee-result")).ToHaveText(tc.want))
	}
}
