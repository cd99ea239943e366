package e2e

import (
	"strings"
	"testing"
)

// TestStoreShopCategoryAndWindow makes a shop category, puts three products in it, and reorders the window,
// checking the phone preview follows.
func TestStoreShopCategoryAndWindow(t *testing.T) {
	s := StartStoreServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	open(t, page, s.URL+"/shop-categories")
	must(t, testID(page, "shopcat-new").Fill("夏季新品"))
	navigateBy(t, page, clicker(testID(page, "shopcats-save")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存"))
	cat := page.Locator(`[data-testid^="shopcat-products-"]`).Filter().Last()
	must(t, expect.Locator(cat).ToHaveText("0 个商品"))
	navigateBy(t, page, clicker(cat))
	must(t, expect.Locator(testID(page, "shopcat-title")).ToHaveText("夏季新品"))
	picks := page.Locator(`[data-testid^="shopcat-pick-"]`)
	for i := range 3 {
		must(t, picks.Nth(i).Check())
	}
	navigateBy(t, page, clicker(testID(page, "shopcat-add")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已加入 3 个商品。"))
	must(t, expect.Locator(page.Locator(`[data-testid="shopcat-in"] li`)).ToHaveCount(3))
	open(t, page, s.URL+"/shop-categories")
	must(t, expect.Locator(page.Locator(`[data-testid^="shopcat-products-"]`).Last()).ToHaveText("3 个商品"))

	// The window: move the last product to the second place.
	open(t, page, s.URL+"/window")
	rows := page.Locator(`[data-testid^="window-row-"]`)
	n, err := rows.Count()
	must(t, err)
	if n < 3 {
		t.Fatalf("the window has %d products", n)
	}
	lastID, err := rows.Nth(n - 1).GetAttribute("data-testid")
	must(t, err)
	id := strings.TrimPrefix(lastID, "window-row-")
	title, err := rows.Nth(n - 1).Locator("td").Nth(1).TextContent()
	must(t, err)
	must(t, testID(page, "window-index-"+id).Fill("2"))
	navigateBy(t, page, clicker(testID(page, "window-move-"+id)))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存"))
	must(t, expect.Locator(rows.Nth(1)).ToHaveAttribute("data-testid", "window-row-"+id))
	must(t, expect.Locator(page.Locator(`[data-testid="preview-item"]`).Nth(1)).ToContainText(strings.TrimSpace(title)))
	// Hidden products leave the preview.
	navigateBy(t, page, clicker(testID(page, "window-hide-"+id)))
	must(t, expect.Locator(page.Locator(`[data-testid="preview-item"]`)).ToHaveCount(n-1))
}
