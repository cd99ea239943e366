package e2e

import (
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The storefront journeys: postage templates with their calculator, groups built from the product picker,
// shelves built from the control palette with the phone preview, and what a viewer may do there.

// swappedBy runs action and waits until htmx has replaced the element selector names with the server's
// answer and made it live. The old element is marked first, so the wait ends only when a new one stands in
// its place; the next step never races a swap still on its way. htmx inserts the new element with the class
// htmx-added and gives its controls their behaviour only when it takes the class off, a settle delay later:
// a choice made in between would send nothing.
func swappedBy(t *testing.T, page playwright.Page, selector string, action func() error) {
	t.Helper()
	_, err := page.Locator(selector).Evaluate(`el => el.setAttribute("data-stale", "")`, nil)
	must(t, err)
	must(t, action())
	must(t, expect.Locator(page.Locator(selector+":not([data-stale]):not(.htmx-added):not(.htmx-settling)")).ToHaveCount(1))
}

// yuanOf formats fen as the pages show money.
func yuanOf(fen int) string { return fmt.Sprintf("¥%d.%02d", fen/100, fen%100) }

// pieceFee is what a rule "the first piece costs first fen, each further piece add fen" charges.
func pieceFee(first, add, pieces int) int { return first + (pieces-1)*add }

func pickLabel(sel playwright.Locator, label string) func() error {
	return func() error {
		_, err := sel.SelectOption(playwright.SelectOptionValues{Labels: &[]string{label}})
		return err
	}
}

// clicker clicks l when called; a checkbox whose change swaps the editor is clicked, not checked, since
// Check would look for its new state on the element the swap removed.
func clicker(l playwright.Locator) func() error { return func() error { return l.Click() } }

func exactLabel() playwright.LocatorGetByLabelOptions {
	return playwright.LocatorGetByLabelOptions{Exact: playwright.Bool(true)}
}

func TestStorefrontPostageTemplateAndCalculator(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// The demo templates are in the list; a new template starts with 快递 ticked.
	must(t, testID(page, "nav-postage").Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("运费模板"))
	must(t, expect.Locator(testID(page, "postage-row-全国包邮")).ToBeVisible())
	must(t, testID(page, "postage-new").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/postage/new"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("新建运费模板"))
	const courier = "#courier-10000028" // 快递
	kd := page.Locator(courier)
	must(t, expect.Locator(kd.GetByTestId("courier-on")).ToBeChecked())
	must(t, expect.Locator(page.Locator("#courier-10000027").GetByTestId("courier-on")).Not().ToBeChecked())

	// 快递 by default: the first piece ¥10, each further piece ¥2.
	const firstFee, addFee = 1000, 200
	must(t, testID(page, "postage-name").Fill("广东加价"))
	def := kd.Locator("p.rule-line")
	must(t, expect.Locator(def.GetByTestId("rule-start")).ToHaveValue("1"))
	must(t, def.GetByTestId("rule-startfee").Fill("10"))
	must(t, expect.Locator(def.GetByTestId("rule-add-pieces")).ToHaveValue("1"))
	must(t, def.GetByTestId("rule-addfee").Fill("2"))

	// 为指定地区设置运费 swaps in a region row, starting from the default's fees; the page stays.
	_, err := page.Evaluate(`() => { window.__samePage = "still here" }`)
	must(t, err)
	must(t, expect.Locator(kd.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "为指定地区设置运费"})).ToBeVisible())
	swappedBy(t, page, courier, clicker(kd.GetByTestId("rule-add")))
	rule := kd.GetByTestId("rule-0")
	must(t, expect.Locator(rule).ToBeVisible())
	must(t, expect.Locator(selected(rule.GetByTestId("rule-province"))).ToHaveText("省份"))
	must(t, expect.Locator(rule.GetByTestId("rule-startfee")).ToHaveValue("10"))
	must(t, expect.Locator(rule.GetByTestId("rule-addfee")).ToHaveValue("2"))
	marker, err := page.Evaluate(`() => window.__samePage`)
	must(t, err)
	if marker != "still here" {
		t.Errorf("adding a region rule reloaded the page (marker = %v); htmx should swap the courier's section", marker)
	}
	must(t, expect.Locator(testID(page, "postage-name")).ToHaveValue("广东加价"))

	// Saved without a province: refused beside the row, nothing typed is lost.
	must(t, rule.GetByTestId("rule-startfee").Fill("15"))
	resp := navigateBy(t, page, clicker(testID(page, "postage-save")))
	if resp.Status() != 422 {
		t.Errorf("saving a region rule without a province answered %d, want 422", resp.Status())
	}
	must(t, expect.Locator(testID(page, "form-problem")).ToHaveText("有 1 处需要修改，请查看标红的提示。"))
	must(t, expect.Locator(rule.GetByTestId("error-r10000028.0")).ToHaveText("请选择省份，城市可选“全省”或该省的城市。"))
	must(t, expect.Locator(testID(page, "postage-name")).ToHaveValue("广东加价"))
	must(t, expect.Locator(def.GetByTestId("rule-startfee")).ToHaveValue("10"))
	must(t, expect.Locator(rule.GetByTestId("rule-startfee")).ToHaveValue("15"))
	if n := s.Sandbox.Calls("/merchant/express/add"); n != 0 {
		t.Errorf("the refused template reached WeChat (%d express/add calls)", n)
	}

	// 广东省, the whole province: the first piece ¥15, each further piece ¥5. Choosing the province lists
	// its cities.
	const gdFirst, gdAdd = 1500, 500
	swappedBy(t, page, courier, pickLabel(rule.GetByTestId("rule-province"), "广东省"))
	must(t, expect.Locator(rule.GetByTestId("rule-city").Locator("option", playwright.LocatorLocatorOptions{HasText: "广州市"})).ToHaveCount(1))
	must(t, expect.Locator(selected(rule.GetByTestId("rule-city"))).ToHaveText("全省"))
	must(t, expect.Locator(rule.GetByTestId("rule-startfee")).ToHaveValue("15"))
	must(t, rule.GetByTestId("rule-addfee").Fill("5"))
	must(t, testID(page, "postage-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存运费模板“广东加价”。"))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/postage/\d+$`)))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("广东加价"))
	must(t, expect.Locator(selected(rule.GetByTestId("rule-province"))).ToHaveText("广东省"))
	must(t, expect.Locator(rule.GetByTestId("rule-startfee")).ToHaveValue("15.00"))
	must(t, expect.Locator(rule.GetByTestId("rule-addfee")).ToHaveValue("5.00"))
	templateURL := page.URL()

	// The list shows it with its default rule.
	must(t, testID(page, "nav-postage").Click())
	row := testID(page, "postage-row-广东加价")
	must(t, expect.Locator(row).ToContainText("买家承担运费"))
	must(t, expect.Locator(row).ToContainText("快递 1 件内 ¥10.00，每增加 1 件加 ¥2.00"))
	must(t, row.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "广东加价"}).Click())
	must(t, expect.Page(page).ToHaveURL(templateURL))

	// The calculator: 3 pieces to 广州 follow the province's rule.
	const calc = "#calculator"
	pieces, province, city := testID(page, "calc-pieces"), testID(page, "calc-province"), testID(page, "calc-city")
	swappedBy(t, page, calc, pickLabel(province, "广东省"))
	must(t, expect.Locator(testID(page, "calc-result")).ToHaveText("1 件寄到广东省（快递）运费 "+yuanOf(pieceFee(gdFirst, gdAdd, 1))))
	swappedBy(t, page, calc, pickLabel(city, "广州市"))
	must(t, pieces.Fill("3"))
	swappedBy(t, page, calc, clicker(testID(page, "calc-submit")))
	must(t, expect.Locator(testID(page, "calc-result")).ToHaveText("3 件寄到广东省广州市（快递）运费 "+yuanOf(pieceFee(gdFirst, gdAdd, 3))))
	if got := yuanOf(pieceFee(gdFirst, gdAdd, 3)); got != "¥25.00" {
		t.Fatalf("the journey's arithmetic: %s", got)
	}

	// 北京 has no rule of its own: the default.
	swappedBy(t, page, calc, pickLabel(province, "北京市"))
	swappedBy(t, page, calc, pickLabel(city, "北京市"))
	must(t, expect.Locator(selected(city)).ToHaveText("北京市"))
	must(t, expect.Locator(pieces).ToHaveValue("3"))
	must(t, expect.Locator(testID(page, "calc-result")).ToHaveText("3 件寄到北京市（快递）运费 "+yuanOf(pieceFee(firstFee, addFee, 3))))

	// 平邮 is not in the template.
	swappedBy(t, page, calc, pickLabel(testID(page, "calc-courier"), "平邮"))
	must(t, expect.Locator(testID(page, "calc-error")).ToHaveText("这个模板没有设置平邮的运费。"))
	must(t, expect.Locator(testID(page, "calc-result")).ToHaveCount(0))

	// WeChat holds the template exactly as typed.
	var sent *wx.DeliveryTemplate
	for _, d := range s.Sandbox.DeliveryTemplates() {
		if d.Name == "广东加价" {
			sent = &d
		}
	}
	if sent == nil || len(sent.TopFee) != 1 || sent.TopFee[0].Type != wx.ExpressKuaiDi ||
		sent.TopFee[0].Normal != (wx.FeeRule{StartStandards: 1, StartFees: firstFee, AddStandards: 1, AddFees: addFee}) ||
		len(sent.TopFee[0].Custom) != 1 || sent.TopFee[0].Custom[0].DestProvince != "广东省" || sent.TopFee[0].Custom[0].DestCity != "" ||
		sent.TopFee[0].Custom[0].FeeRule != (wx.FeeRule{StartStandards: 1, StartFees: gdFirst, AddStandards: 1, AddFees: gdAdd}) {
		t.Errorf("the sandbox holds %+v", sent)
	}
}

func TestStorefrontGroupFromThePicker(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	products := map[string]string{} // name -> id
	for _, p := range s.Sandbox.Products() {
		products[p.ProductBase.Name] = p.ProductID
	}
	picked := []string{"明前西湖龙井 特级", "安吉白茶 雨前一级", "武夷山正山小种红茶"}

	must(t, testID(page, "nav-groups").Click())
	must(t, expect.Locator(testID(page, "group-row-茶叶").GetByTestId("group-count")).ToHaveText("4"))
	must(t, testID(page, "group-new").Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("新建分组"))
	must(t, testID(page, "group-name").Fill("待客茶礼"))

	// The filter box narrows the picker to what matches; ticked products stay ticked when hidden.
	filter := testID(page, "picker-filter")
	for _, f := range []struct{ needle, name string }{{"龙井", picked[0]}, {"安吉", picked[1]}, {"正山小种", picked[2]}} {
		must(t, filter.Fill(f.needle))
		must(t, expect.Locator(page.Locator("#picker-list li:visible")).ToHaveCount(1))
		must(t, expect.Locator(page.Locator("#picker-list li:visible")).ToContainText(f.name))
		must(t, testID(page, "pick-"+f.name).Check())
	}
	must(t, filter.Fill(""))
	must(t, expect.Locator(page.Locator("#picker-list li:visible")).ToHaveCount(len(products)))
	for _, name := range picked {
		must(t, expect.Locator(testID(page, "pick-"+name)).ToBeChecked())
	}
	must(t, testID(page, "group-save").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/groups"))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已创建分组“待客茶礼”。"))
	must(t, expect.Locator(testID(page, "group-row-待客茶礼").GetByTestId("group-count")).ToHaveText("3"))

	// Open it: the three are ticked, listed first. Rename it and take one out.
	must(t, testID(page, "group-row-待客茶礼").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "待客茶礼"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("待客茶礼"))
	must(t, expect.Locator(page.Locator("#picker-list input:checked")).ToHaveCount(3))
	must(t, expect.Locator(page.Locator("#picker-list li").Nth(0).Locator("input")).ToBeChecked())
	must(t, expect.Locator(page.Locator("#picker-list li").Nth(2).Locator("input")).ToBeChecked())
	must(t, testID(page, "group-name").Fill("待客茶礼精选"))
	must(t, testID(page, "pick-"+picked[1]).Uncheck())
	must(t, testID(page, "group-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存分组“待客茶礼精选”：加入 0 个商品，移出 1 个。"))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("待客茶礼精选"))
	must(t, expect.Locator(testID(page, "pick-"+picked[1])).Not().ToBeChecked())
	must(t, expect.Locator(page.Locator("#picker-list input:checked")).ToHaveCount(2))

	must(t, testID(page, "nav-groups").Click())
	must(t, expect.Locator(testID(page, "group-row-待客茶礼精选").GetByTestId("group-count")).ToHaveText("2"))
	must(t, expect.Locator(testID(page, "group-row-待客茶礼")).ToHaveCount(0))

	// WeChat holds exactly the two, under the new name.
	want := []string{products[picked[0]], products[picked[2]]}
	slices.Sort(want)
	found := false
	for _, g := range s.Sandbox.Groups() {
		if g.GroupName == "待客茶礼" {
			t.Error("the sandbox still has the old name")
		}
		if g.GroupName == "待客茶礼精选" {
			found = true
			got := slices.Sorted(slices.Values(g.ProductList))
			if !slices.Equal(got, want) {
				t.Errorf("the sandbox's group holds %v, want %v", got, want)
			}
		}
	}
	if !found {
		t.Error("the sandbox has no group 待客茶礼精选")
	}
	if n := s.Sandbox.Calls("/merchant/group/productmod"); n != 1 {
		t.Errorf("productmod called %d times, want 1", n)
	}
}

func TestStorefrontShelfFromThePalette(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// Two pictures in the library first.
	must(t, testID(page, "nav-images").Click())
	must(t, testID(page, "image-files").SetInputFiles([]string{
		writePNG(t, "shelf-a.png", color.RGBA{30, 140, 200, 255}), writePNG(t, "shelf-b.png", color.RGBA{240, 160, 20, 255})}))
	must(t, testID(page, "upload-submit").Click())
	must(t, expect.Locator(testID(page, "upload-results")).ToContainText("shelf-a.png：已上传"))
	must(t, expect.Locator(testID(page, "upload-results")).ToContainText("shelf-b.png：已上传"))
	must(t, expect.Locator(testID(page, "image-tile")).ToHaveCount(2))

	// The products 茶叶 shows first, by name, as WeChat has them.
	names := map[string]string{}
	for _, p := range s.Sandbox.Products() {
		names[p.ProductID] = p.ProductBase.Name
	}
	var tea []string
	for _, g := range s.Sandbox.Groups() {
		if g.GroupName == "茶叶" {
			for _, id := range g.ProductList {
				tea = append(tea, names[id])
			}
		}
	}
	if len(tea) < 4 {
		t.Fatalf("demo group 茶叶 has %d products, the journey needs 4", len(tea))
	}
	shelvesBefore := len(s.Sandbox.Shelves())

	must(t, testID(page, "nav-shelves").Click())
	must(t, expect.Locator(testID(page, "shelf-row-店铺首页")).ToBeVisible())
	must(t, testID(page, "shelf-new").Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("新建货架"))
	const editor = "#shelf-editor"
	preview := testID(page, "shelf-preview")
	must(t, expect.Locator(preview).ToContainText("从左侧添加控件，这里会显示买家看到的货架。"))
	swappedBy(t, page, editor, func() error {
		if err := testID(page, "shelf-name").Fill("夏日首页"); err != nil {
			return err
		}
		return testID(page, "shelf-name").Blur()
	})
	must(t, expect.Locator(preview.Locator(".phone-title")).ToHaveText("夏日首页"))

	// Control 1: the first products of a group.
	swappedBy(t, page, editor, clicker(testID(page, "add-control-1")))
	c1 := testID(page, "control-0")
	if err := expect.Locator(c1).ToBeVisible(); err != nil {
		t.Fatalf("clicking 控件1 in the palette answered the editor without the control: %v", err)
	}
	must(t, expect.Locator(c1.Locator("h2")).ToHaveText("1. 控件1 · 分组商品"))
	must(t, expect.Locator(c1.GetByTestId("control-count")).ToHaveValue("4"))
	swappedBy(t, page, editor, pickLabel(c1.GetByTestId("control-group"), "茶叶"))
	p1 := testID(page, "preview-1")
	must(t, expect.Locator(p1.Locator("h4")).ToHaveText("茶叶"))
	must(t, expect.Locator(p1.GetByTestId("preview-product").Locator("span")).ToHaveText(tea[:4]))
	swappedBy(t, page, editor, func() error {
		if err := c1.GetByTestId("control-count").Fill("3"); err != nil {
			return err
		}
		return c1.GetByTestId("control-count").Blur()
	})
	must(t, expect.Locator(p1.GetByTestId("preview-product").Locator("span")).ToHaveText(tea[:3]))

	// Control 2: group names.
	swappedBy(t, page, editor, clicker(testID(page, "add-control-2")))
	c2 := testID(page, "control-1")
	must(t, expect.Locator(c2.Locator("h2")).ToHaveText("2. 控件2 · 分组导航"))
	swappedBy(t, page, editor, clicker(c2.GetByLabel("夏季新品", exactLabel())))
	swappedBy(t, page, editor, clicker(c2.GetByLabel("坚果零食", exactLabel())))
	// The phone lists them in the order the control lists its groups.
	labels, err := c2.Locator("label.check").AllTextContents()
	must(t, err)
	var ticked []string
	for _, l := range labels {
		if l = strings.TrimSpace(l); l == "夏季新品" || l == "坚果零食" {
			ticked = append(ticked, l)
		}
	}
	must(t, expect.Locator(testID(page, "preview-2").Locator("span")).ToHaveText(ticked))

	// Control 4: groups with pictures.
	swappedBy(t, page, editor, clicker(testID(page, "add-control-4")))
	c4 := testID(page, "control-2")
	must(t, expect.Locator(c4.Locator("h2")).ToHaveText("3. 控件4 · 分组图片墙"))
	swappedBy(t, page, editor, pickLabel(page.Locator(`select[name="m2.slot0"]`), "数码配件"))
	swappedBy(t, page, editor, pickThumb(t, page, "m2.slotimg0", "shelf-a.png"))
	swappedBy(t, page, editor, pickLabel(page.Locator(`select[name="m2.slot1"]`), "茶叶"))
	swappedBy(t, page, editor, pickThumb(t, page, "m2.slotimg1", "shelf-b.png"))
	// Closed again after the swap, each picker shows the picture chosen.
	must(t, expect.Locator(page.Locator(`[data-name="m2.slotimg0"] > summary`)).ToHaveText("shelf-a.png"))
	imgA, err := page.Locator(`input[name="m2.slotimg0"]:checked`).InputValue()
	must(t, err)
	imgB, err := page.Locator(`input[name="m2.slotimg1"]:checked`).InputValue()
	must(t, err)
	if imgA == "" || imgB == "" || imgA == imgB {
		t.Fatalf("picture choices: %q and %q", imgA, imgB)
	}
	p4 := testID(page, "preview-4")
	must(t, expect.Locator(p4.Locator("figcaption")).ToHaveText([]string{"数码配件", "茶叶"}))
	must(t, expect.Locator(p4.Locator("img").Nth(0)).ToHaveAttribute("src", imgA))
	must(t, expect.Locator(p4.Locator("img").Nth(1)).ToHaveAttribute("src", imgB))
	// The whole phone, top to bottom.
	must(t, expect.Locator(preview.Locator(".pv")).ToHaveCount(3))
	must(t, expect.Locator(p1.GetByTestId("preview-product").Locator("span")).ToHaveText(tea[:3]))

	must(t, testID(page, "shelf-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存货架“夏日首页”。"))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/shelves/\d+$`)))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("夏日首页"))
	must(t, expect.Locator(testID(page, "preview-4").Locator("figcaption")).ToHaveText([]string{"数码配件", "茶叶"}))
	must(t, testID(page, "nav-shelves").Click())
	must(t, expect.Locator(testID(page, "shelf-row-夏日首页")).ToContainText("控件1 · 分组商品、控件2 · 分组导航、控件4 · 分组图片墙"))
	if got := len(s.Sandbox.Shelves()); got != shelvesBefore+1 {
		t.Fatalf("the sandbox has %d shelves, want %d", got, shelvesBefore+1)
	}
	shelvesBefore++
	adds := s.Sandbox.Calls("/merchant/shelf/add")

	// Control 5 must stand alone: refused before WeChat, with the reason.
	must(t, testID(page, "shelf-new").Click())
	swappedBy(t, page, editor, func() error {
		if err := testID(page, "shelf-name").Fill("背景导航"); err != nil {
			return err
		}
		return testID(page, "shelf-name").Blur()
	})
	swappedBy(t, page, editor, clicker(testID(page, "add-control-5")))
	c5 := testID(page, "control-0")
	swappedBy(t, page, editor, clicker(c5.GetByLabel("茶叶", exactLabel())))
	swappedBy(t, page, editor, pickThumb(t, page, "m0.img", "shelf-a.png"))
	swappedBy(t, page, editor, clicker(testID(page, "add-control-1")))
	swappedBy(t, page, editor, pickLabel(testID(page, "control-1").GetByTestId("control-group"), "茶叶"))
	resp := navigateBy(t, page, clicker(testID(page, "shelf-save")))
	if resp.Status() != 422 {
		t.Errorf("saving control 5 with another control answered %d, want 422", resp.Status())
	}
	must(t, expect.Locator(testID(page, "error-controls")).ToHaveText("控件5 不能和其他控件一起使用：请删除其他控件，或改用控件1–4。"))
	must(t, expect.Locator(testID(page, "form-problem")).ToHaveText("有 1 处需要修改，请查看标红的提示。"))
	must(t, expect.Locator(testID(page, "shelf-name")).ToHaveValue("背景导航"))
	must(t, expect.Locator(testID(page, "control-0").GetByLabel("茶叶", exactLabel())).ToBeChecked())
	must(t, expect.Locator(testID(page, "control-1")).ToBeVisible())
	if got := len(s.Sandbox.Shelves()); got != shelvesBefore {
		t.Errorf("the sandbox has %d shelves after the refusal, want %d", got, shelvesBefore)
	}
	if n := s.Sandbox.Calls("/merchant/shelf/add"); n != adds {
		t.Errorf("the refused shelf reached WeChat (%d shelf/add calls, want %d)", n, adds)
	}
	shelves, err := s.Store.Shelves(t.Context())
	must(t, err)
	if slices.ContainsFunc(shelves, func(sh db.Shelf) bool { return sh.Name == "背景导航" }) {
		t.Error("the refused shelf is in the mirror")
	}

	// Taking the other control out makes it a valid shelf of control 5 alone.
	swappedBy(t, page, editor, clicker(testID(page, "control-1").GetByTestId("control-remove")))
	must(t, expect.Locator(testID(page, "control-1")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "preview-5").Locator("span")).ToHaveText("茶叶"))
	must(t, testID(page, "shelf-save").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("已保存货架“背景导航”。"))
	if got := len(s.Sandbox.Shelves()); got != shelvesBefore+1 {
		t.Errorf("the sandbox has %d shelves, want %d", got, shelvesBefore+1)
	}
	must(t, testID(page, "nav-shelves").Click())
	must(t, expect.Locator(testID(page, "shelf-row-背景导航")).ToContainText("控件5 · 背景图导航"))
}

func TestStorefrontViewerReadsOnly(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "guest", "guest-password-1", "viewer")
	page := NewPage(t)
	signIn(t, page, s.URL, "guest", "guest-password-1")
	must(t, expect.Locator(testID(page, "whoami")).ToHaveText("guest · 只读"))

	must(t, testID(page, "nav-postage").Click())
	must(t, expect.Locator(testID(page, "postage-row-偏远地区加收运费")).ToBeVisible())
	must(t, expect.Locator(testID(page, "postage-new")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "postage-sync")).ToHaveCount(0))
	must(t, testID(page, "postage-row-偏远地区加收运费").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "偏远地区加收运费"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("偏远地区加收运费"))
	must(t, expect.Locator(testID(page, "postage-save")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "postage-delete")).ToHaveCount(0))
	// The calculator is for everyone: 2 pieces to 新疆 by 快递 is that province's rule (¥25, each further ¥10).
	swappedBy(t, page, "#calculator", pickLabel(testID(page, "calc-province"), "新疆维吾尔自治区"))
	must(t, testID(page, "calc-pieces").Fill("2"))
	swappedBy(t, page, "#calculator", clicker(testID(page, "calc-submit")))
	must(t, expect.Locator(testID(page, "calc-result")).ToHaveText("2 件寄到新疆维吾尔自治区（快递）运费 "+yuanOf(pieceFee(2500, 1000, 2))))

	must(t, testID(page, "nav-groups").Click())
	must(t, expect.Locator(testID(page, "group-row-茶叶")).ToBeVisible())
	must(t, expect.Locator(testID(page, "group-new")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "groups-sync")).ToHaveCount(0))
	must(t, testID(page, "group-row-茶叶").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "茶叶"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("茶叶"))
	must(t, expect.Locator(testID(page, "group-save")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "group-delete")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "group-name")).ToBeDisabled())
	must(t, expect.Locator(page.Locator("#picker-list input:checked")).ToHaveCount(4))
	must(t, expect.Locator(page.Locator("#picker-list input:enabled")).ToHaveCount(0))

	must(t, testID(page, "nav-shelves").Click())
	must(t, expect.Locator(testID(page, "shelf-row-店铺首页")).ToBeVisible())
	must(t, expect.Locator(testID(page, "shelf-new")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "shelves-sync")).ToHaveCount(0))
	must(t, testID(page, "shelf-row-店铺首页").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "店铺首页"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("店铺首页"))
	must(t, expect.Locator(testID(page, "preview-2").Locator("span")).ToHaveText([]string{"夏季新品", "坚果零食", "数码配件", "茶叶"}))
	must(t, expect.Locator(testID(page, "shelf-save")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "shelf-delete")).ToHaveCount(0))

	// The forms' pages are not for a viewer, and whatever a viewer posts is refused.
	for _, path := range []string{"/postage/new", "/groups/new", "/shelves/new"} {
		resp := open(t, page, s.URL+path)
		if resp.Status() != 403 {
			t.Errorf("viewer GET %s = %d, want 403", path, resp.Status())
		}
	}
	open(t, page, s.URL+"/groups")
	statuses, err := page.Evaluate(`async (paths) => {
		const out = {};
		for (const p of paths) {
			const r = await fetch(p, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"},
				body: "name=guest&action=save&c10000028.on=1&c10000028.start=1&c10000028.startfee=1&c10000028.add=1&c10000028.addfee=1", redirect: "manual"});
			out[p] = r.status;
		}
		return out;
	}`, []string{"/postage", "/postage/sync", "/groups", "/groups/sync", "/shelves", "/shelves/sync",
		"/groups/1/delete", "/postage/1/delete", "/shelves/1/delete"})
	must(t, err)
	got, _ := statuses.(map[string]any)
	if len(got) != 9 {
		t.Fatalf("statuses = %v", statuses)
	}
	for path, status := range got {
		if fmt.Sprint(status) != "403" {
			t.Errorf("viewer POST %s = %v, want 403", path, status)
		}
	}
	for _, p := range []string{"/merchant/express/add", "/merchant/group/add", "/merchant/shelf/add",
		"/merchant/express/del", "/merchant/group/del", "/merchant/shelf/del"} {
		if n := s.Sandbox.Calls(p); n != 0 {
			t.Errorf("a viewer's post reached WeChat: %s called %d times", p, n)
		}
	}
}

// TestStorefrontViewerIsOfferedNoEditing: the shelf palette and the region-rule buttons post to routes that
// refuse a viewer, so a viewer's pages do not offer them (a click would only end in a refusal).
func TestStorefrontViewerIsOfferedNoEditing(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "guest", "guest-password-1", "viewer")
	page := NewPage(t)
	signIn(t, page, s.URL, "guest", "guest-password-1")

	must(t, testID(page, "nav-shelves").Click())
	must(t, testID(page, "shelf-row-店铺首页").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "店铺首页"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("店铺首页"))
	must(t, expect.Locator(testID(page, "shelf-preview")).ToBeVisible())
	must(t, expect.Locator(testID(page, "palette")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "control-remove")).ToHaveCount(0))
	must(t, expect.Locator(page.Locator("[hx-post]")).ToHaveCount(0))

	must(t, testID(page, "nav-postage").Click())
	must(t, testID(page, "postage-row-偏远地区加收运费").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "偏远地区加收运费"}).Click())
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("偏远地区加收运费"))
	must(t, expect.Locator(testID(page, "rule-province").First()).ToBeVisible())
	must(t, expect.Locator(testID(page, "rule-add")).ToHaveCount(0))
	must(t, expect.Locator(page.Locator("[hx-post]")).ToHaveCount(0))
}
