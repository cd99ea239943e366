package e2e

import (
	"image/color"
	"regexp"
	"strconv"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/wx"
)

// pickThumb opens the thumbnail picker of the field name and clicks the image called file (the click is the
// returned action, for swappedBy: the choice is what changes the form).
func pickThumb(t *testing.T, page playwright.Page, name, file string) func() error {
	t.Helper()
	picker := page.Locator(`[data-name="` + name + `"]`)
	must(t, picker.Locator("summary").Click())
	must(t, expect.Locator(picker.Locator(`label[title="`+file+`"] img`)).ToBeVisible())
	return func() error { return picker.Locator(`label[title="` + file + `"]`).Click() }
}

// chooseFirstLeaf walks the V1.13 category picker down its first choices until the product form shows.
func chooseFirstLeaf(t *testing.T, page playwright.Page) {
	t.Helper()
	for level := 0; ; level++ {
		if n, _ := testID(page, "product-form").Count(); n > 0 {
			return
		}
		if level > 5 {
			t.Fatal("no leaf category reached after 6 levels")
		}
		// Choosing sends the form (app.js): wait for the page it leads to, scripts loaded, before the next level.
		navigateBy(t, page, func() error {
			_, err := testID(page, "cat-level-"+strconv.Itoa(level)).SelectOption(playwright.SelectOptionValues{Indexes: &[]int{1}})
			return err
		})
		must(t, expect.Locator(testID(page, "cat-level-"+strconv.Itoa(level))).Not().ToHaveValue(""))
	}
}

// No id is typed by hand in the V1.13 product form: the postage template is picked by its name, the SKU
// picture and a detail picture from the library's thumbnails. What WeChat receives is the template and the
// pictures chosen, and the edit form shows them chosen again.
func TestProductFormPicksTemplateByNameAndPicturesFromThumbnails(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	open(t, page, s.URL+"/images")
	must(t, testID(page, "image-files").SetInputFiles([]string{writePNG(t, "tea-cup.png", color.RGBA{30, 120, 60, 255})}))
	must(t, testID(page, "upload-submit").Click())
	must(t, expect.Locator(testID(page, "upload-results")).ToContainText("tea-cup.png：已上传"))
	templates := s.Sandbox.DeliveryTemplates()
	if len(templates) == 0 {
		t.Fatal("the demo shop has no postage template")
	}
	chosen := templates[len(templates)-1]

	open(t, page, s.URL+"/products/new")
	chooseFirstLeaf(t, page)
	must(t, testID(page, "field-name").Fill("青瓷茶杯"))
	must(t, page.Locator("input[name=main_img]").First().Check())
	must(t, testID(page, "detail-text").First().Fill("手工青瓷，一套两只。"))

	// The SKU picture: thumbnails, not names in a list.
	row := testID(page, "sku-matrix").Locator("tbody tr").First()
	must(t, row.GetByTestId("row-price").Fill("39"))
	must(t, row.GetByTestId("row-ori").Fill("59"))
	must(t, expect.Locator(row.Locator("select")).ToHaveCount(0))
	must(t, pickThumb(t, page, "row_icon.0", "tea-cup.png")())
	must(t, expect.Locator(row.Locator(`input[name="row_icon.0"]:checked`)).ToHaveAttribute("aria-label", "tea-cup.png"))

	// A picture block in the detail, picked the same way.
	must(t, testID(page, "detail-add_img").Click())
	must(t, expect.Locator(testID(page, "detail-img")).ToHaveCount(1))
	must(t, pickThumb(t, page, "detail_img.1", "tea-cup.png")())

	_, err := testID(page, "field-province").SelectOption(playwright.SelectOptionValues{Values: &[]string{"浙江省"}})
	must(t, err)
	must(t, expect.Locator(testID(page, "field-city").Locator("option", playwright.LocatorLocatorOptions{HasText: "杭州市"})).ToHaveCount(1))
	_, err = testID(page, "field-city").SelectOption(playwright.SelectOptionValues{Values: &[]string{"杭州市"}})
	must(t, err)

	// The template by its name.
	must(t, testID(page, "delivery-template").Check())
	must(t, expect.Locator(testID(page, "field-template").Locator("option")).ToHaveCount(len(templates)+1))
	_, err = testID(page, "field-template").SelectOption(playwright.SelectOptionValues{Labels: &[]string{chosen.Name}})
	must(t, err)
	must(t, testID(page, "product-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToContainText("已创建商品“青瓷茶杯”"))

	var made *wx.Product
	for _, p := range s.Sandbox.Products() {
		if p.ProductBase.Name == "青瓷茶杯" {
			made = &p
		}
	}
	if made == nil {
		t.Fatal("WeChat holds no 青瓷茶杯")
	}
	if made.DeliveryInfo == nil || made.DeliveryInfo.TemplateID != chosen.ID {
		t.Errorf("WeChat got delivery %+v, want template %d (%s)", made.DeliveryInfo, chosen.ID, chosen.Name)
	}
	icon := made.SKUList[0].IconURL
	if icon == "" || len(made.ProductBase.Detail) != 2 || made.ProductBase.Detail[1].Img != icon {
		t.Errorf("WeChat got icon %q and detail %+v, want the library's tea-cup.png in both", icon, made.ProductBase.Detail)
	}

	// Editing shows what was chosen, by name and by picture.
	must(t, testID(page, "product-edit").Click())
	must(t, expect.Locator(testID(page, "field-template").Locator("option:checked")).ToHaveText(chosen.Name))
	must(t, expect.Locator(page.Locator(`[data-name="row_icon.0"] > summary`)).ToHaveText("tea-cup.png"))
	must(t, expect.Locator(page.Locator(`[data-name="row_icon.0"] > summary img`)).ToHaveAttribute("src", regexp.MustCompile(`^/images/\d+/thumb$`)))
}

// Each region rule of the V1.13 postage editor fits on one line: the region, the four numbers and the remove
// button side by side.
func TestPostageRegionRulesFitOnOneLine(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	var id int64
	for _, tpl := range s.Sandbox.DeliveryTemplates() {
		for _, tf := range tpl.TopFee {
			if len(tf.Custom) >= 3 {
				id = tpl.ID
			}
		}
	}
	if id == 0 {
		t.Fatal("no demo template with three region rules")
	}
	open(t, page, s.URL+"/postage/"+strconv.FormatInt(id, 10))
	rules := page.Locator(".region-rule")
	n, err := rules.Count()
	must(t, err)
	if n < 3 {
		t.Fatalf("%d region rules shown", n)
	}
	for i := range n {
		rule := rules.Nth(i)
		var tops []float64
		for _, part := range []string{`[data-testid="rule-province"]`, `[data-testid="rule-city"]`, `[data-testid="rule-start"]`,
			`[data-testid="rule-addfee"]`, `[data-testid="rule-delete"]`} {
			box, err := rule.Locator(part).BoundingBox()
			must(t, err)
			if box == nil {
				t.Fatalf("rule %d: %s not shown", i, part)
			}
			tops = append(tops, box.Y+box.Height/2)
		}
		for _, y := range tops[1:] {
			if d := y - tops[0]; d > 4 || d < -4 {
				t.Errorf("rule %d spans more than one line: the middles of its parts are at %v", i, tops)
				break
			}
		}
	}
}
