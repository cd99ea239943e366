package e2e

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestStoreProductLifecycle is an operator's way with one product of a 微信小店: upload three head images and a
// detail image, pick a category and its required attributes, build a 2×2 SKU product, save it as a draft,
// submit it, see it in audit, see it pass, add stock, change its price (a new draft beside the online copy), delist it.
func TestStoreProductLifecycle(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	must(t, expect.Locator(testID(page, "dashboard-kind")).ToHaveText("微信小店"))
	must(t, expect.Locator(testID(page, "nav-window")).ToHaveText("橱窗"))

	open(t, page, s.URL+"/images")
	var files []string
	for i, c := range []color.RGBA{{200, 30, 30, 255}, {30, 200, 30, 255}, {30, 30, 200, 255}, {200, 200, 30, 255}} {
		files = append(files, writePNG(t, fmt.Sprintf("tee-%d.png", i+1), c))
	}
	must(t, testID(page, "image-files").SetInputFiles(files))
	navigateBy(t, page, clicker(testID(page, "upload-submit")))
	must(t, expect.Locator(testID(page, "image-tile")).ToHaveCount(4))
	must(t, expect.Locator(testID(page, "image-api").First()).ToHaveText("微信小店可用"))

	// The category, level by level, to the leaf T恤.
	open(t, page, s.URL+"/products/new")
	for _, cat := range []string{"cat-2001", "cat-2101", "cat-2111"} {
		navigateBy(t, page, clicker(testID(page, cat)))
	}
	must(t, expect.Locator(testID(page, "category-path")).ToHaveText("服饰内衣 › 女装 › T恤"))
	must(t, expect.Locator(testID(page, "audit-quota")).ToContainText("剩余提审次数"))

	must(t, testID(page, "field-title").Fill("纯棉宽松短袖T恤夏季新款"))
	heads := page.Locator(`[data-testid="picker-head"] input`)
	for i := range 3 {
		must(t, heads.Nth(i).Check())
	}
	must(t, page.Locator(`[data-testid="picker-desc_img"] input`).Nth(3).Check())
	_, err := testID(page, "field-attr.0").SelectOption(playwright.SelectOptionValues{Values: &[]string{"棉"}})
	must(t, err)
	must(t, testID(page, "field-attr.2").Fill("广东广州"))
	_, err = testID(page, "field-template").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"按件计费"}})
	must(t, err)
	r := 0
	for _, colour := range []string{"白色", "黑色"} {
		for _, size := range []string{"M", "L"} {
			must(t, testID(page, fmt.Sprintf("sku-%d-v-0", r)).Fill(colour))
			_, err := testID(page, fmt.Sprintf("sku-%d-v-1", r)).SelectOption(playwright.SelectOptionValues{Values: &[]string{size}})
			must(t, err)
			must(t, testID(page, fmt.Sprintf("sku-%d-price", r)).Fill("59.90"))
			must(t, testID(page, fmt.Sprintf("sku-%d-stock", r)).Fill("10"))
			r++
		}
	}
	navigateBy(t, page, clicker(testID(page, "save-draft")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("草稿已保存。"))
	must(t, expect.Locator(testID(page, "store-no-online")).ToBeVisible())
	must(t, expect.Locator(testID(page, "store-draft-sku")).ToHaveCount(4))
	productURL := page.URL()

	// Submit: in audit, the audit's cancel offered, editing refused with WeChat's reason.
	navigateBy(t, page, clicker(testID(page, "product-listing")))
	must(t, expect.Locator(testID(page, "store-edit-status")).ToHaveText("审核中"))
	must(t, expect.Locator(testID(page, "refusal-edit")).ToContainText("10020049"))

	// The platform passes it: on sale, with its online copy.
	navigateBy(t, page, clicker(testID(page, "sandbox-audit-pass")))
	must(t, expect.Locator(testID(page, "store-status")).ToHaveText("在售"))
	must(t, expect.Locator(testID(page, "store-online-price")).ToHaveText("¥59.90"))

	// Stock changes at once, without audit.
	must(t, page.Locator(`[data-testid^="stock-qty-"]`).First().Fill("5"))
	navigateBy(t, page, clicker(page.Locator(`[data-testid^="stock-save-"]`).First()))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("库存已更新：白色 / M 现在是 15。"))
	must(t, expect.Locator(page.Locator(`[data-testid^="store-online-stock-"]`).First()).ToHaveText("15"))

	// A new price is a draft beside the online copy until its own audit passes.
	navigateBy(t, page, clicker(testID(page, "product-edit")))
	for i := range 4 {
		must(t, testID(page, fmt.Sprintf("sku-%d-price", i)).Fill("49.90"))
	}
	navigateBy(t, page, clicker(testID(page, "save-audit")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存并提交审核。"))
	must(t, expect.Locator(testID(page, "store-online-price")).ToHaveText("¥59.90"))
	must(t, expect.Locator(testID(page, "store-draft-price")).ToHaveText("¥49.90"))
	must(t, expect.Locator(testID(page, "store-draft-state")).ToHaveText("审核中"))

	navigateBy(t, page, clicker(testID(page, "product-delisting")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已下架。"))
	must(t, expect.Locator(testID(page, "store-status")).ToHaveText("已下架"))

	// The list finds it under 已下架.
	open(t, page, s.URL+"/products?tab=delisted")
	id := productURL[strings.LastIndex(productURL, "/")+1:]
	must(t, expect.Locator(testID(page, "product-row-"+id)).ToContainText("纯棉宽松短袖T恤夏季新款"))
}
