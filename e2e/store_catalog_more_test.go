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
