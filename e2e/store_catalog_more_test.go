package e2e

import (
	"fmt"
	"image/color"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// More of a 微信小店's catalog in the browser: a product under the old 3-level category tree, the food
// categories' rule of four head images, the form's delivery, weight, qualification and return-address fields,
// and a freight template narrowed to a county with its calculator.

// uploadStoreImages puts n plain pictures into the image library, each of its own colour, and waits until the
// library shows them.
func uploadStoreImages(t *testing.T, page playwright.Page, base, prefix string, n int) {
	t.Helper()
	open(t, page, base+"/images")
	var files []string
	for i := range n {
		c := color.RGBA{uint8(40 + 50*i), uint8(200 - 30*i), uint8(90 + 20*i), 255}
		files = append(files, writePNG(t, fmt.Sprintf("%s-%d.png", prefix, i+1), c))
	}
	must(t, testID(page, "image-files").SetInputFiles(files))
	navigateBy(t, page, clicker(testID(page, "upload-submit")))
	must(t, expect.Locator(testID(page, "image-tile")).ToHaveCount(n))
}

// pickImages ticks the first n thumbnails of one of the form's pickers (head, desc_img, qua.<id>), after skip.
func pickImages(t *testing.T, page playwright.Page, picker string, skip, n int) {
	t.Helper()
	boxes := page.Locator(`[data-testid="picker-` + picker + `"] input`)
	for i := skip; i < skip+n; i++ {
		must(t, boxes.Nth(i).Check())
	}
}

// TestStoreCatalogMoreOldCategoryTree puts a product under the old 3-level tree (cats), which the form offers
// beside the new one for what the new tree has no place for: all three levels must be chosen before the form
// appears, the leaf asks for its new-tree twin's attributes, and the product saves, passes audit and goes on sale
// with that path.
func TestStoreCatalogMoreOldCategoryTree(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	uploadStoreImages(t, page, s.URL, "old", 4)

	open(t, page, s.URL+"/products/new")
	// The top level lists both trees; the old one's categories say they need all three levels.
	must(t, expect.Locator(testID(page, "cat-2001")).ToHaveText("服饰内衣"))
	oldTop := page.Locator("li").Filter(playwright.LocatorFilterOptions{Has: testID(page, "cat-6033")})
	must(t, expect.Locator(oldTop).ToContainText("服饰"))
	must(t, expect.Locator(oldTop).ToContainText("旧类目，需选满三级"))
	navigateBy(t, page, clicker(testID(page, "cat-6033")))
	// Below an old category only the old tree goes on.
	must(t, expect.Locator(testID(page, "cat-6057")).ToHaveText("女装"))
	must(t, expect.Locator(testID(page, "cat-2101")).ToHaveCount(0))
	navigateBy(t, page, clicker(testID(page, "cat-6057")))
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("服饰 › 女装"))
	must(t, expect.Locator(testID(page, "store-product-form")).ToHaveCount(0))
	navigateBy(t, page, clicker(testID(page, "cat-6091")))
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("服饰 › 女装 › T恤"))
	must(t, expect.Locator(testID(page, "store-product-form")).ToBeVisible())

	// The old leaf asks for what its new twin asks: 材质 from a list, 产地 typed, 颜色 and 尺码 per SKU.
	must(t, testID(page, "field-title").Fill("复古印花宽松短袖T恤"))
	pickImages(t, page, "head", 0, 3)
	pickImages(t, page, "desc_img", 3, 1)
	selectValues(t, testID(page, "field-attr.0"), "棉")
	must(t, testID(page, "field-attr.2").Fill("浙江杭州"))
	_, err := testID(page, "field-template").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"按件计费"}})
	must(t, err)
	for r, size := range []string{"M", "L"} {
		must(t, testID(page, fmt.Sprintf("sku-%d-v-0", r)).Fill("米白"))
		selectValues(t, testID(page, fmt.Sprintf("sku-%d-v-1", r)), size)
		must(t, testID(page, fmt.Sprintf("sku-%d-price", r)).Fill("69"))
		must(t, testID(page, fmt.Sprintf("sku-%d-stock", r)).Fill("12"))
	}
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("草稿已保存。"))
	must(t, expect.Locator(testID(page, "store-draft-title")).ToHaveText("复古印花宽松短袖T恤"))
	must(t, expect.Locator(testID(page, "store-draft-category")).ToHaveText("服饰 › 女装 › T恤"))
	must(t, expect.Locator(testID(page, "store-draft-sku")).ToHaveCount(2))

	// The edit form opens on the same old path, its leaf reached, with what was saved.
	navigateBy(t, page, clicker(testID(page, "product-edit")))
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("服饰 › 女装 › T恤"))
	must(t, expect.Locator(testID(page, "field-title")).ToHaveValue("复古印花宽松短袖T恤"))
	must(t, expect.Locator(testID(page, "field-attr.2")).ToHaveValue("浙江杭州"))
	must(t, expect.Locator(testID(page, "sku-1-v-1")).ToHaveValue("L"))

	// Submitted and passed, it is on sale under the old path.
	navigateBy(t, page, clicker(testID(page, "save-audit")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存并提交审核。"))
	must(t, expect.Locator(testID(page, "store-edit-status")).ToHaveText("审核中"))
	navigateBy(t, page, clicker(testID(page, "sandbox-audit-pass")))
	must(t, expect.Locator(testID(page, "store-status")).ToHaveText("在售"))
	must(t, expect.Locator(testID(page, "store-online-price")).ToHaveText("¥69.00"))
	must(t, expect.Locator(testID(page, "store-online-category")).ToHaveText("服饰 › 女装 › T恤"))
}

// TestStoreCatalogMoreFoodNeedsFourHeadImages fills a product of 坚果炒货, a food category: with three head
// images the form comes back with the rule beside the head images and everything typed still there; a fourth
// picked, it saves.
func TestStoreCatalogMoreFoodNeedsFourHeadImages(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	uploadStoreImages(t, page, s.URL, "nuts", 7)

	open(t, page, s.URL+"/products/new")
	for _, cat := range []string{"cat-1001", "cat-1101", "cat-1111"} {
		navigateBy(t, page, clicker(testID(page, cat)))
	}
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("食品饮料 › 休闲零食 › 坚果炒货"))
	must(t, expect.Locator(testID(page, "store-product-form")).ToContainText("至少需要 4 张主图"))

	must(t, testID(page, "field-title").Fill("原味夏威夷果仁罐装"))
	pickImages(t, page, "head", 0, 3)
	pickImages(t, page, "desc_img", 4, 3)
	must(t, testID(page, "field-attr.0").Fill("云南临沧"))
	must(t, testID(page, "field-attr.1").Fill("500"))
	selectValues(t, testID(page, "field-attr.1-unit"), "g")
	must(t, testID(page, "field-attr.2").Fill("270"))
	selectValues(t, testID(page, "field-attr.3"), "常温")
	selectValues(t, testID(page, "field-seven-day"), "0")
	_, err := testID(page, "field-template").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"全国包邮"}})
	must(t, err)
	must(t, testID(page, "sku-0-v-0").Fill("500g 罐装"))
	must(t, testID(page, "sku-0-price").Fill("45.80"))
	must(t, testID(page, "sku-0-stock").Fill("60"))
	must(t, testID(page, "sku-0-code").Fill("NUT-500"))
	must(t, testID(page, "field-desc").Fill("颗颗饱满，开罐即食。"))

	resp := navigateBy(t, page, clicker(testID(page, "save-draft")))
	if resp.Status() != 422 {
		t.Errorf("a food product with 3 head images answered %d, want 422", resp.Status())
	}
	must(t, expect.Locator(testID(page, "error-head")).ToHaveText("食品饮料、生鲜类目至少需要 4 张主图（现在是 3 张）。"))
	// The message stands beside the head images, not at the top of the page.
	must(t, expect.Locator(page.Locator(`div:has(> [data-testid="picker-head"]) [data-testid="error-head"]`)).ToHaveCount(1))
	must(t, expect.Locator(testID(page, "error-desc_img")).ToHaveCount(0))
	// Everything typed is still there.
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("食品饮料 › 休闲零食 › 坚果炒货"))
	must(t, expect.Locator(testID(page, "field-title")).ToHaveValue("原味夏威夷果仁罐装"))
	heads := page.Locator(`[data-testid="picker-head"] input`)
	for i, want := range []bool{true, true, true, false, false, false, false} {
		must(t, checkedIs(heads.Nth(i), want))
	}
	descs := page.Locator(`[data-testid="picker-desc_img"] input`)
	for i, want := range []bool{false, false, false, false, true, true, true} {
		must(t, checkedIs(descs.Nth(i), want))
	}
	must(t, expect.Locator(testID(page, "field-attr.0")).ToHaveValue("云南临沧"))
	must(t, expect.Locator(testID(page, "field-attr.1")).ToHaveValue("500"))
	must(t, expect.Locator(testID(page, "field-attr.1-unit")).ToHaveValue("g"))
	must(t, expect.Locator(testID(page, "field-attr.2")).ToHaveValue("270"))
	must(t, expect.Locator(testID(page, "field-attr.3")).ToHaveValue("常温"))
	must(t, expect.Locator(testID(page, "field-seven-day")).ToHaveValue("0"))
	must(t, expect.Locator(testID(page, "field-template").Locator("option:checked")).ToHaveText("全国包邮"))
	must(t, expect.Locator(testID(page, "sku-0-v-0")).ToHaveValue("500g 罐装"))
	must(t, expect.Locator(testID(page, "sku-0-price")).ToHaveValue("45.80"))
	must(t, expect.Locator(testID(page, "sku-0-stock")).ToHaveValue("60"))
	must(t, expect.Locator(testID(page, "sku-0-code")).ToHaveValue("NUT-500"))
	must(t, expect.Locator(testID(page, "field-desc")).ToHaveValue("颗颗饱满，开罐即食。"))

	// A fourth head image, and it saves.
	must(t, heads.Nth(3).Check())
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("草稿已保存。"))
	must(t, expect.Locator(testID(page, "store-draft-title")).ToHaveText("原味夏威夷果仁罐装"))
	must(t, expect.Locator(testID(page, "store-draft-category")).ToHaveText("食品饮料 › 休闲零食 › 坚果炒货"))
	must(t, expect.Locator(testID(page, "store-draft").Locator("img.thumb")).ToHaveCount(4))
	must(t, expect.Locator(testID(page, "store-draft-price")).ToHaveText("¥45.80"))
	must(t, expect.Locator(testID(page, "store-draft")).ToContainText("净含量：500 g"))
}

// checkedIs says whether a checkbox is ticked as wanted, waiting for it like the other assertions.
func checkedIs(box playwright.Locator, want bool) error {
	return expect.Locator(box).ToBeChecked(playwright.LocatorAssertionsToBeCheckedOptions{Checked: playwright.Bool(want)})
}

// TestStoreCatalogMoreDeliveryWeightQualificationsAddress fills the form's later fields on two products: a
// T恤 sent by courier with its weight and a return address other than the shop's default; a phone top-up,
// delivered without a courier to the accounts the buyer gives, with the licence its category asks for. Each is
// saved, shown on the product page, and found again in its edit form.
func TestStoreCatalogMoreDeliveryWeightQualificationsAddress(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	uploadStoreImages(t, page, s.URL, "later", 5)

	// By courier, with a weight and the shop front as return address.
	open(t, page, s.URL+"/products/new?cats=2001.2101.2111")
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("服饰内衣 › 女装 › T恤"))
	must(t, testID(page, "field-title").Fill("重磅纯棉短袖T恤 男款"))
	pickImages(t, page, "head", 0, 3)
	pickImages(t, page, "desc_img", 3, 1)
	selectValues(t, testID(page, "field-attr.0"), "棉")
	must(t, testID(page, "field-attr.2").Fill("江苏南通"))
	must(t, testID(page, "sku-0-v-0").Fill("藏青"))
	selectValues(t, testID(page, "sku-0-v-1"), "XL")
	must(t, testID(page, "sku-0-price").Fill("89"))
	must(t, testID(page, "sku-0-stock").Fill("30"))
	// A courier product has only the courier to offer.
	must(t, expect.Locator(testID(page, "field-deliver").Locator("option")).ToHaveText([]string{"快递发货"}))
	_, err := testID(page, "field-template").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"按件计费"}})
	must(t, err)
	must(t, testID(page, "field-weight").Fill("三百克"))
	_, err = testID(page, "field-address").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"门店 · 李店长 · 上海市静安区南京西路 1266 号 2 楼"}})
	must(t, err)
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "error-weight")).ToHaveText("重量请填写大于 0 的整数（克）。"))
	must(t, expect.Locator(testID(page, "field-address").Locator("option:checked")).ToHaveText("门店 · 李店长 · 上海市静安区南京西路 1266 号 2 楼"))
	must(t, testID(page, "field-weight").Fill("320"))
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("草稿已保存。"))
	must(t, expect.Locator(testID(page, "store-draft-deliver")).ToHaveText("快递发货"))
	must(t, expect.Locator(testID(page, "store-draft-freight")).ToHaveText("按件计费"))
	must(t, expect.Locator(testID(page, "store-draft-weight")).ToHaveText("320 g"))
	must(t, expect.Locator(testID(page, "store-draft-address")).ToHaveText("门店 · 李店长 · 上海市静安区南京西路 1266 号 2 楼"))
	navigateBy(t, page, clicker(testID(page, "product-edit")))
	must(t, expect.Locator(testID(page, "field-weight")).ToHaveValue("320"))
	must(t, expect.Locator(testID(page, "field-deliver")).ToHaveValue("0"))
	must(t, expect.Locator(testID(page, "field-template").Locator("option:checked")).ToHaveText("按件计费"))
	must(t, expect.Locator(testID(page, "field-address").Locator("option:checked")).ToHaveText("门店 · 李店长 · 上海市静安区南京西路 1266 号 2 楼"))

	// Without a courier, to the accounts the buyer gives, with the licence 话费充值 needs.
	open(t, page, s.URL+"/products/new")
	for _, cat := range []string{"cat-5001", "cat-5101"} {
		navigateBy(t, page, clicker(testID(page, cat)))
	}
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("虚拟商品 › 话费充值"))
	must(t, testID(page, "field-title").Fill("全国移动话费充值 100元"))
	pickImages(t, page, "head", 0, 3)
	pickImages(t, page, "desc_img", 3, 1)
	must(t, testID(page, "sku-0-v-0").Fill("100元"))
	must(t, testID(page, "sku-0-price").Fill("99.50"))
	must(t, testID(page, "sku-0-stock").Fill("999"))
	selectValues(t, testID(page, "field-deliver"), "3")
	accts := testID(page, "field-acct-types")
	must(t, accts.GetByLabel("手机号").Check())
	must(t, accts.GetByLabel("QQ 号").Check())
	qual := testID(page, "qual-1111501")
	must(t, expect.Locator(page.Locator("label").Filter(playwright.LocatorFilterOptions{HasText: "增值电信业务经营许可证"})).ToHaveCount(1))
	must(t, expect.Locator(qual).ToContainText("请上传许可证正本照片"))
	// Without the licence the form says which one is missing.
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "error-qua.1111501")).ToHaveText("这个类目需要“增值电信业务经营许可证”，请选择资质图片。"))
	must(t, expect.Locator(testID(page, "field-deliver")).ToHaveValue("3"))
	must(t, checkedIs(accts.GetByLabel("手机号"), true))
	must(t, checkedIs(accts.GetByLabel("QQ 号"), true))
	must(t, checkedIs(accts.GetByLabel("邮箱"), false))
	pickImages(t, page, "qua.1111501", 4, 1)
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("草稿已保存。"))
	must(t, expect.Locator(testID(page, "store-draft-deliver")).ToHaveText("无需快递（选择账号类型）：QQ 号、手机号"))
	must(t, expect.Locator(testID(page, "store-draft-freight")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "store-draft-quals")).ToHaveText("增值电信业务经营许可证：1 张"))
	must(t, expect.Locator(testID(page, "store-draft-address")).ToHaveText("店铺默认退货地址"))
	navigateBy(t, page, clicker(testID(page, "product-edit")))
	must(t, expect.Locator(testID(page, "field-deliver")).ToHaveValue("3"))
	must(t, checkedIs(accts.GetByLabel("手机号"), true))
	must(t, checkedIs(accts.GetByLabel("QQ 号"), true))
	must(t, checkedIs(accts.GetByLabel("微信 openid"), false))
	quaBoxes := page.Locator(`[data-testid="picker-qua.1111501"] input`)
	for i, want := range []bool{false, false, false, false, true} {
		must(t, checkedIs(quaBoxes.Nth(i), want))
	}
	must(t, expect.Locator(testID(page, "field-title")).ToHaveValue("全国移动话费充值 100元"))
}

// TestStoreFreightCountyRule narrows a freight template to counties: the editor lists provinces and cities, a
// picked city's counties come after 列出所选城市的区县, a rule for one county sits beside one for its city, and
// one county is not delivered to. The calculator on the saved template charges the county's rule, the city's
// for its other counties, the default elsewhere, and says where it does not deliver.
func TestStoreFreightCountyRule(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	open(t, page, s.URL+"/postage")
	navigateBy(t, page, clicker(testID(page, "postage-new")))

	must(t, testID(page, "field-name").Fill("杭州区县加价"))
	selectValues(t, testID(page, "field-from-province"), "浙江省")
	must(t, testID(page, "default-first").Fill("1"))
	must(t, testID(page, "default-first-price").Fill("6"))
	must(t, testID(page, "default-second").Fill("1"))
	must(t, testID(page, "default-second-price").Fill("1"))
	rule0 := testID(page, "rule-0-provinces")
	// Provinces and their cities are listed; no county yet.
	must(t, expect.Locator(rule0.Locator(`option[value="浙江省"]`)).ToHaveText("浙江省 （全省）"))
	must(t, expect.Locator(rule0.Locator(`option[value="浙江省/杭州市"]`)).ToHaveText("杭州市 （全市）"))
	must(t, expect.Locator(rule0.Locator(`option[value^="浙江省/杭州市/"]`)).ToHaveCount(0))
	selectValues(t, rule0, "浙江省/杭州市")
	must(t, testID(page, "rule-0-first").Fill("1"))
	must(t, testID(page, "rule-0-first-price").Fill("3"))
	must(t, testID(page, "rule-0-second").Fill("1"))
	must(t, testID(page, "rule-0-second-price").Fill("1"))

	// The button lists 杭州市's counties in every list, and nothing typed is lost.
	resp := navigateBy(t, page, clicker(page.GetByRole(*playwright.AriaRoleButton, playwrightButton("列出所选城市的区县"))))
	if resp.Status() != 200 {
		t.Errorf("listing the counties answered %d, want 200 (nothing is saved yet)", resp.Status())
	}
	must(t, expect.Locator(testID(page, "postage-form")).ToBeVisible())
	rule0 = testID(page, "rule-0-provinces")
	must(t, expect.Locator(rule0.Locator(`option[value="浙江省/杭州市/西湖区"]`)).ToHaveText("\u3000杭州市西湖区"))
	must(t, expect.Locator(testID(page, "rule-1-provinces").Locator(`option[value="浙江省/杭州市/上城区"]`)).ToHaveCount(1))
	must(t, expect.Locator(testID(page, "nosend").Locator(`option[value="浙江省/杭州市/滨江区"]`)).ToHaveCount(1))
	must(t, expect.Locator(rule0.Locator(`option[value^="浙江省/宁波市/"]`)).ToHaveCount(0))
	must(t, expect.Locator(rule0).ToHaveValues([]any{"浙江省/杭州市"}))
	must(t, expect.Locator(testID(page, "field-name")).ToHaveValue("杭州区县加价"))
	must(t, expect.Locator(testID(page, "field-from-province")).ToHaveValue("浙江省"))
	must(t, expect.Locator(testID(page, "default-first-price")).ToHaveValue("6"))
	must(t, expect.Locator(testID(page, "rule-0-first-price")).ToHaveValue("3"))

	// The first rule narrows to 西湖区; the second takes the rest of 杭州市; 滨江区 is not delivered to.
	selectValues(t, rule0, "浙江省/杭州市/西湖区")
	selectValues(t, testID(page, "rule-1-provinces"), "浙江省/杭州市")
	must(t, testID(page, "rule-1-first").Fill("1"))
	must(t, testID(page, "rule-1-first-price").Fill("5"))
	must(t, testID(page, "rule-1-second").Fill("1"))
	must(t, testID(page, "rule-1-second-price").Fill("2"))
	selectValues(t, testID(page, "nosend"), "浙江省/杭州市/滨江区")
	navigateBy(t, page, clicker(testID(page, "postage-save")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存"))
	must(t, expect.Locator(testID(page, "postage-name")).ToHaveText("杭州区县加价"))
	rules := testID(page, "postage-rules").Locator("li")
	must(t, expect.Locator(rules).ToHaveText([]string{
		"默认运费：1 件内 ¥6.00，每增加 1 件加 ¥1.00",
		"浙江省杭州市西湖区：1 件内 ¥3.00，每增加 1 件加 ¥1.00",
		"浙江省杭州市：1 件内 ¥5.00，每增加 1 件加 ¥2.00",
		"不配送：浙江省杭州市滨江区",
	}))

	// The calculator: a city picked, its counties are offered; the fee follows the most specific rule.
	fee := "#fee-province"
	for _, tc := range []struct {
		city, county, qty, want string
	}{
		{"浙江省/杭州市", "浙江省/杭州市/西湖区", "3", "寄到浙江省杭州市西湖区，3 件/kg：运费 ¥5.00"},
		{"浙江省/杭州市", "浙江省/杭州市/上城区", "2", "寄到浙江省杭州市上城区，2 件/kg：运费 ¥7.00"},
		{"浙江省/宁波市", "", "3", "寄到浙江省宁波市，3 件/kg：运费 ¥8.00"},
		{"广东省", "", "2", "寄到广东省，2 件/kg：运费 ¥7.00"},
		{"浙江省/杭州市", "浙江省/杭州市/滨江区", "1", "这个模板不配送到浙江省杭州市滨江区。"},
	} {
		swappedBy(t, page, fee, func() error { return selectOne(testID(page, "fee-province"), tc.city) })
		if tc.county != "" {
			must(t, expect.Locator(testID(page, "fee-province").Locator(`option[value="`+tc.county+`"]`)).ToHaveCount(1))
			swappedBy(t, page, fee, func() error { return selectOne(testID(page, "fee-province"), tc.county) })
		}
		must(t, testID(page, "fee-qty").Fill(tc.qty))
		navigateBy(t, page, clicker(testID(page, "fee-submit")))
		must(t, expect.Locator(testID(page, "fee-result")).ToHaveText(tc.want))
		// The destination stays chosen for the next question.
		want := tc.county
		if want == "" {
			want = tc.city
		}
		must(t, expect.Locator(testID(page, "fee-province")).ToHaveValue(want))
	}
}

func selectOne(l playwright.Locator, value string) error {
	_, err := l.SelectOption(playwright.SelectOptionValues{Values: &[]string{value}})
	return err
}

func playwrightButton(name string) playwright.PageGetByRoleOptions {
	return playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}
