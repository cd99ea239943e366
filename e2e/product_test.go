package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// writePNG makes a small real PNG of one colour, as a phone photo stand-in.
func writePNG(t *testing.T, name string, c color.Color) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 90))
	for y := range 90 {
		for x := range 120 {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	path := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

// TestProductLifecycle is an operator's day with one product: upload a photo, create a product with two
// attributes (2×2 SKUs), put it on sale, add stock, change a price, take it off sale, delete it.
func TestProductLifecycle(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// Upload a photo into the library.
	open(t, page, s.URL+"/images")
	must(t, testID(page, "image-files").SetInputFiles([]string{writePNG(t, "tshirt-red.png", color.RGBA{200, 30, 30, 255})}))
	must(t, testID(page, "upload-submit").Click())
	must(t, expect.Locator(testID(page, "upload-results")).ToContainText("tshirt-red.png：已上传"))
	must(t, expect.Locator(testID(page, "image-tile")).ToHaveCount(1))

	// Choose a category level by level until the form appears.
	open(t, page, s.URL+"/products/new")
	chooseFirstLeaf(t, page)
	must(t, expect.Locator(testID(page, "category-chosen")).ToContainText("已选类目"))

	must(t, testID(page, "field-name").Fill("纯棉圆领T恤"))
	attrs := page.Locator("fieldset.sku-attr")
	if n, _ := attrs.Count(); n < 2 {
		t.Fatalf("the first leaf category has %d SKU attributes; the journey needs two", n)
	}
	for i := range 2 {
		boxes := attrs.Nth(i).Locator("input[type=checkbox]")
		must(t, boxes.Nth(0).Check())
		must(t, boxes.Nth(1).Check())
	}
	must(t, testID(page, "build-matrix").Click())
	rows := testID(page, "sku-matrix").Locator("tbody tr")
	must(t, expect.Locator(rows).ToHaveCount(4))

	// A price above the original price is refused next to the field, and nothing typed is lost.
	for i := range 4 {
		row := rows.Nth(i)
		must(t, row.GetByTestId("row-price").Fill("49.90"))
		must(t, row.GetByTestId("row-ori").Fill("69"))
		must(t, row.GetByTestId("row-qty").Fill("10"))
	}
	must(t, rows.Nth(3).GetByTestId("row-ori").Fill("39"))
	must(t, page.Locator("input[name=main_img]").First().Check())
	must(t, testID(page, "detail-text").First().Fill("100% 新疆长绒棉，亲肤透气。"))
	_, err := testID(page, "field-province").SelectOption(playwright.SelectOptionValues{Values: &[]string{"广东省"}})
	must(t, err)
	must(t, expect.Locator(testID(page, "field-city").Locator("option", playwright.LocatorLocatorOptions{HasText: "广州市"})).ToHaveCount(1))
	_, err = testID(page, "field-city").SelectOption(playwright.SelectOptionValues{Values: &[]string{"广州市"}})
	must(t, err)
	must(t, testID(page, "product-save").Click())
	must(t, expect.Locator(testID(page, "form-problem")).ToContainText("有 1 处需要修改"))
	must(t, expect.Locator(testID(page, "error-row.3.ori")).ToHaveText("原价必须高于微信价（¥49.90）。"))
	must(t, expect.Locator(testID(page, "field-name")).ToHaveValue("纯棉圆领T恤"))
	must(t, expect.Locator(rows.Nth(0).GetByTestId("row-price")).ToHaveValue("49.90"))
	must(t, expect.Locator(testID(page, "field-city")).ToHaveValue("广州市"))

	must(t, rows.Nth(3).GetByTestId("row-ori").Fill("69"))
	must(t, testID(page, "product-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToContainText("已创建商品“纯棉圆领T恤”"))
	must(t, expect.Locator(testID(page, "product-name")).ToHaveText("纯棉圆领T恤"))
	must(t, expect.Locator(testID(page, "status-badge")).ToHaveText("已下架"))
	skuRows := testID(page, "stock-table").Locator("tbody tr")
	must(t, expect.Locator(skuRows).ToHaveCount(4))
	src, err := testID(page, "product-main-img").GetAttribute("src")
	must(t, err)
	if src == "" || !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/`).MatchString(src) {
		t.Errorf("main image src = %q, want the URL WeChat (the sandbox) gave the upload", src)
	}

	// On sale.
	must(t, testID(page, "product-onsale").Click())
	must(t, expect.Locator(testID(page, "status-badge")).ToHaveText("在售"))

	// Add 5 to the first SKU: the row changes in place.
	first := skuRows.Nth(0)
	must(t, first.GetByTestId("stock-quantity").Fill("5"))
	must(t, first.GetByTestId("stock-add").Click())
	first = testID(page, "stock-table").Locator("tbody tr").Nth(0)
	must(t, expect.Locator(first.GetByTestId("stock-saved")).ToHaveText("已增加 5 件"))
	must(t, expect.Locator(first.GetByTestId("sku-quantity")).ToContainText("15"))
	// Taking more than there is, is refused before WeChat is asked.
	must(t, first.GetByTestId("stock-quantity").Fill("99"))
	must(t, first.GetByTestId("stock-reduce").Click())
	first = testID(page, "stock-table").Locator("tbody tr").Nth(0)
	must(t, expect.Locator(first.GetByTestId("stock-error")).ToHaveText("不能减少 99 件：当前库存只有 15 件。"))

	// Change a price. The product has been on sale, so its name is read-only now.
	must(t, testID(page, "product-edit").Click())
	must(t, expect.Locator(page.Locator("input[name=name]")).ToHaveAttribute("readonly", ""))
	must(t, expect.Locator(testID(page, "category-frozen")).ToBeVisible())
	editRows := testID(page, "sku-matrix").Locator("tbody tr")
	must(t, expect.Locator(editRows.Nth(0).GetByTestId("row-qty")).ToHaveValue("15"))
	must(t, editRows.Nth(0).GetByTestId("row-price").Fill("45"))
	must(t, testID(page, "product-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToContainText("已保存商品“纯棉圆领T恤”"))
	must(t, expect.Locator(testID(page, "stock-table").Locator("tbody tr").Nth(0)).ToContainText("¥45.00"))

	// Off sale.
	must(t, testID(page, "product-offsale").Click())
	must(t, expect.Locator(testID(page, "status-badge")).ToHaveText("已下架"))

	// Delete, confirming the question.
	page.OnDialog(func(d playwright.Dialog) { d.Accept() })
	must(t, testID(page, "product-delete").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/products"))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已删除商品“纯棉圆领T恤”。"))
}
