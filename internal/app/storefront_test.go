package app

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Handler tests of the storefront pages: postage templates, groups and shelves.

// storefrontWritePaths are the sandbox paths of every storefront write.
var storefrontWritePaths = []string{
	"/merchant/express/add", "/merchant/express/update", "/merchant/express/del",
	"/merchant/group/add", "/merchant/group/del", "/merchant/group/propertymod", "/merchant/group/productmod",
	"/merchant/shelf/add", "/merchant/shelf/mod", "/merchant/shelf/del",
}

// storefrontWrites counts the storefront writes that reached the sandbox.
func (s *testServer) storefrontWrites() int {
	n := 0
	for _, p := range storefrontWritePaths {
		n += s.sandbox.Calls(p)
	}
	return n
}

// storefrontServer is a test server whose mirror holds the demo shop's products, groups, postage templates
// and shelves, with an operator signed in.
func storefrontServer(t *testing.T) (*testServer, *browser) {
	t.Helper()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	for _, area := range []string{"groups", "postage", "shelves"} {
		a := b.post("/"+area+"/sync", nil)
		wantStatus(t, a, http.StatusSeeOther)
		if loc := a.header.Get("Location"); loc != "/"+area {
			t.Fatalf("sync of %s redirects to %q", area, loc)
		}
	}
	return s, b
}

// follow reads the page a 303 points at, where the flash is shown.
func (b *browser) follow(a answer) answer {
	b.t.Helper()
	if a.status != http.StatusSeeOther {
		b.t.Fatalf("status %d, want 303\n%s", a.status, a.body)
	}
	return b.get(a.header.Get("Location"))
}

// shopGroup is the sandbox's group called name.
func (s *testServer) shopGroup(t *testing.T, name string) wx.Group {
	t.Helper()
	for _, g := range s.sandbox.Groups() {
		if g.GroupName == name {
			return g
		}
	}
	t.Fatalf("the sandbox has no group %q", name)
	return wx.Group{}
}

func (s *testServer) hasShopGroup(name string) bool {
	return slices.ContainsFunc(s.sandbox.Groups(), func(g wx.Group) bool { return g.GroupName == name })
}

// shopTemplate is the sandbox's postage template called name.
func (s *testServer) shopTemplate(t *testing.T, name string) wx.DeliveryTemplate {
	t.Helper()
	for _, d := range s.sandbox.DeliveryTemplates() {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("the sandbox has no postage template %q", name)
	return wx.DeliveryTemplate{}
}

func (s *testServer) shopShelf(name string) (wx.Shelf, bool) {
	for _, sh := range s.sandbox.Shelves() {
		if sh.ShelfName == name {
			return sh, true
		}
	}
	return wx.Shelf{}, false
}

func productIDs(t *testing.T, s *testServer, names ...string) []string {
	t.Helper()
	ids := make([]string, 0, len(names))
	for _, n := range names {
		ids = append(ids, s.shopProduct(t, n).ProductID)
	}
	return ids
}

func idOf(n int64) string { return strconv.FormatInt(n, 10) }

var fieldErrorTag = regexp.MustCompile(`data-testid="error-([^"]+)"`)

// fieldErrors lists the fields an answer shows an error beside.
func fieldErrors(a answer) []string {
	var out []string
	for _, m := range fieldErrorTag.FindAllStringSubmatch(a.body, -1) {
		out = append(out, m[1])
	}
	return out
}

// Couriers by their codes in the manual.
const (
	pingYou = "10000027"
	kuaiDi  = "10000028"
)

// postageForm is the template editor with courier's default rule filled in and saved.
func postageForm(name, courier, start, startFee, add, addFee string) url.Values {
	return url.Values{"name": {name}, "assumer": {"0"}, "action": {"save"},
		"c" + courier + ".on": {"1"}, "c" + courier + ".start": {start}, "c" + courier + ".startfee": {startFee},
		"c" + courier + ".add": {add}, "c" + courier + ".addfee": {addFee}}
}

// withRule adds a region rule for courier to the editor's parallel lists.
func withRule(form url.Values, courier, province, city, start, startFee, add, addFee string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	for f, v := range map[string]string{"province": province, "city": city, "start": start, "startfee": startFee, "add": add, "addfee": addFee} {
		out.Add("r"+courier+"."+f, v)
	}
	return out
}

func TestGroupProductsSendOnlyTheDifference(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	tea := s.shopGroup(t, "茶叶")
	if len(tea.ProductList) != 4 {
		t.Fatalf("demo group 茶叶 holds %d products, want 4", len(tea.ProductList))
	}
	path := "/groups/" + idOf(tea.GroupID)
	page := b.get(path)
	wantStatus(t, page, http.StatusOK)
	for _, id := range tea.ProductList {
		wantBody(t, page, `value="`+id+`" checked`)
	}

	// Keep three, drop one, add one: WeChat is told one removal and one addition, not the whole list
	// (the sandbox, like WeChat, refuses to add a product the group already holds).
	dropped := tea.ProductList[1]
	added := s.shopProduct(t, "三合一磁吸充电线").ProductID
	keep := slices.DeleteFunc(slices.Clone(tea.ProductList), func(id string) bool { return id == dropped })
	form := url.Values{"name": {"茶叶"}, "product": append(slices.Clone(keep), added)}
	page = b.follow(b.post(path, form))
	wantBody(t, page, zh("groups.saved", "茶叶", 1, 1))
	if n := s.sandbox.Calls("/merchant/group/productmod"); n != 1 {
		t.Errorf("productmod called %d times, want 1", n)
	}
	if n := s.sandbox.Calls("/merchant/group/propertymod"); n != 0 {
		t.Errorf("the name did not change, yet propertymod was called %d times", n)
	}
	want := append(slices.Clone(keep), added)
	if got := s.shopGroup(t, "茶叶").ProductList; !slices.Equal(got, want) {
		t.Errorf("the sandbox's group holds %v, want %v", got, want)
	}
	entries := s.auditOf(t, "group.products")
	if len(entries) != 1 {
		t.Fatalf("%d group.products audit entries, want 1", len(entries))
	}
	if wantDetail := fmt.Sprintf("茶叶: +[%s] -[%s]", added, dropped); entries[0].Detail != wantDetail || entries[0].Outcome != "ok" {
		t.Errorf("audit entry = %q / %q, want %q / ok", entries[0].Detail, entries[0].Outcome, wantDetail)
	}
	mirror, err := s.store.Group(t.Context(), tea.GroupID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mirror.ProductIDs, want) {
		t.Errorf("the mirror's group holds %v, want %v", mirror.ProductIDs, want)
	}

	// Saving again without a change sends nothing at all.
	page = b.follow(b.post(path, url.Values{"name": {"茶叶"}, "product": want}))
	wantBody(t, page, zh("groups.saved", "茶叶", 0, 0))
	if n := s.sandbox.Calls("/merchant/group/productmod"); n != 1 {
		t.Errorf("an unchanged group called productmod again (%d calls)", n)
	}

	// Renaming alone is one propertymod and no productmod.
	page = b.follow(b.post(path, url.Values{"name": {"好茶"}, "product": want}))
	wantBody(t, page, zh("groups.saved", "好茶", 0, 0))
	if s.sandbox.Calls("/merchant/group/propertymod") != 1 || s.sandbox.Calls("/merchant/group/productmod") != 1 {
		t.Errorf("rename: propertymod %d, productmod %d calls; want 1 and 1",
			s.sandbox.Calls("/merchant/group/propertymod"), s.sandbox.Calls("/merchant/group/productmod"))
	}
	if got := s.shopGroup(t, "好茶").ProductList; !slices.Equal(got, want) {
		t.Errorf("after the rename the group holds %v, want %v", got, want)
	}
}

func TestGroupNameTakenIsRefusedBeforeWeChat(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	ids := productIDs(t, s, "安吉白茶 雨前一级")
	before := len(s.sandbox.Groups())

	a := b.post("/groups", url.Values{"name": {"茶叶"}, "product": ids})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("name", zh("groups.err.taken")), `value="茶叶"`, `value="`+ids[0]+`" checked`)
	if n := s.sandbox.Calls("/merchant/group/add"); n != 0 {
		t.Errorf("a taken name still reached WeChat (%d group/add calls)", n)
	}
	if got := len(s.sandbox.Groups()); got != before {
		t.Errorf("the sandbox has %d groups, want %d", got, before)
	}

	// Renaming a group to another group's name is refused the same way.
	nuts := s.shopGroup(t, "坚果零食")
	a = b.post("/groups/"+idOf(nuts.GroupID), url.Values{"name": {"茶叶"}, "product": nuts.ProductList})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("name", zh("groups.err.taken")), `value="茶叶"`)
	if n := s.sandbox.Calls("/merchant/group/propertymod"); n != 0 {
		t.Errorf("a taken name still reached WeChat (%d propertymod calls)", n)
	}
	if s.shopGroup(t, "坚果零食").GroupID != nuts.GroupID {
		t.Error("the group was renamed anyway")
	}

	// No name and no products: refused too.
	a = b.post("/groups", url.Values{"name": {"  "}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("name", zh("groups.err.name")))
	if n := s.storefrontWrites(); n != 0 {
		t.Errorf("%d storefront writes reached WeChat, want none", n)
	}
	if n := len(s.auditOf(t, "group.create")) + len(s.auditOf(t, "group.rename")); n != 0 {
		t.Errorf("%d audit entries for refused forms, want none (nothing was sent)", n)
	}
}

func TestDeletingAGroupAShelfShowsKeepsTheGroup(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	digital := s.shopGroup(t, "数码配件")
	path := "/groups/" + idOf(digital.GroupID)
	page := b.get(path)
	wantStatus(t, page, http.StatusOK)
	// The page warns before the delete is tried: the group is on both demo shelves.
	warning := regexp.MustCompile(`data-testid="group-shelves">这个分组正在货架上展示：([^<]+)。</p>`).FindStringSubmatch(page.body)
	if warning == nil || !strings.Contains(warning[1], "店铺首页") || !strings.Contains(warning[1], "分类导航") {
		t.Errorf("the group page does not warn that both demo shelves show it (%q)", warning)
	}

	a := b.post(path+"/delete", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != path {
		t.Errorf("a refused delete redirects to %q, want back to %q", loc, path)
	}
	page = b.follow(a)
	// The sandbox's code is not in the table of known codes, so WeChat's own words are shown with it.
	wantBody(t, page, `data-testid="flash">`+zh("groups.delete.failed", zh("error.wx.raw", 9402018, "group is used by shelves")))
	if !s.hasShopGroup("数码配件") {
		t.Error("the sandbox lost the group")
	}
	if _, err := s.store.Group(t.Context(), digital.GroupID); err != nil {
		t.Errorf("the mirror lost the group: %v", err)
	}
	wantBody(t, b.get("/groups"), `data-testid="group-row-数码配件"`)
	entries := s.auditOf(t, "group.delete")
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Outcome, "errcode 9402018") {
		t.Errorf("audit of the refused delete = %+v, want one entry with errcode 9402018", entries)
	}

	// A group no shelf shows can go.
	ids := productIDs(t, s, "安吉白茶 雨前一级")
	page = b.follow(b.post("/groups", url.Values{"name": {"临时分组"}, "product": ids}))
	wantBody(t, page, zh("groups.created", "临时分组"))
	temp := s.shopGroup(t, "临时分组")
	page = b.follow(b.post("/groups/"+idOf(temp.GroupID)+"/delete", nil))
	wantBody(t, page, zh("groups.deleted", "临时分组"))
	if s.hasShopGroup("临时分组") {
		t.Error("the sandbox still has the deleted group")
	}
	if _, err := s.store.Group(t.Context(), temp.GroupID); err == nil {
		t.Error("the mirror still has the deleted group")
	}
}

func TestPostageTemplateValidation(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	valid := postageForm("测试模板", kuaiDi, "1", "10", "1", "2")
	noCourier := postageForm("测试模板", kuaiDi, "1", "10", "1", "2")
	noCourier.Del("c" + kuaiDi + ".on")
	badFee := postageForm("测试模板", kuaiDi, "1", "abc", "1", "2")
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
		kept  []string
	}{
		{"no courier", noCourier, "couriers", zh("postage.err.couriers"), nil},
		{"fee not an amount", badFee, "c" + kuaiDi + ".default", zh("postage.err.rule"), []string{`value="abc"`}},
		{"no name", postageForm(" ", kuaiDi, "1", "10", "1", "2"), "name", zh("postage.err.name"), nil},
		{"first pieces zero", postageForm("测试模板", kuaiDi, "0", "10", "1", "2"), "c" + kuaiDi + ".default", zh("postage.err.rule"), nil},
		{"region without a province", withRule(valid, kuaiDi, "", "", "1", "15", "1", "5"), "r" + kuaiDi + ".0", zh("postage.err.region"), []string{`value="15"`}},
		{"city not in the province", withRule(valid, kuaiDi, "广东省", "北京市", "1", "15", "1", "5"), "r" + kuaiDi + ".0", zh("postage.err.region"),
			[]string{`<option value="广东省" selected>`}},
		{"duplicate region", withRule(withRule(valid, kuaiDi, "广东省", "", "1", "15", "1", "5"), kuaiDi, "广东省", "", "1", "16", "1", "6"),
			"r" + kuaiDi + ".1", zh("postage.err.duplicate"), []string{`value="16"`, `<option value="广东省" selected>`}},
		{"duplicate city", withRule(withRule(valid, kuaiDi, "广东省", "广州市", "1", "15", "1", "5"), kuaiDi, "广东省", "广州市", "1", "16", "1", "6"),
			"r" + kuaiDi + ".1", zh("postage.err.duplicate"), []string{`<option value="广州市" selected>`}},
		{"region fee not an amount", withRule(valid, kuaiDi, "广东省", "", "1", "1.234", "1", "5"), "r" + kuaiDi + ".0", zh("postage.err.rule"),
			[]string{`value="1.234"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := b.post("/postage", tc.form)
			wantStatus(t, a, http.StatusUnprocessableEntity)
			wantBody(t, a, fieldError(tc.field, tc.msg), zh("form.err.summary", 1))
			if got := fieldErrors(a); !slices.Equal(got, []string{tc.field}) {
				t.Errorf("errors shown beside %v, want only beside %s", got, tc.field)
			}
			if name := strings.TrimSpace(tc.form.Get("name")); name != "" {
				wantBody(t, a, `value="`+name+`"`)
			}
			wantBody(t, a, tc.kept...)
		})
	}
	if n := s.storefrontWrites(); n != 0 {
		t.Errorf("%d storefront writes reached WeChat, want none", n)
	}
	if n := len(s.auditOf(t, "postage.create")); n != 0 {
		t.Errorf("%d postage.create audit entries for refused forms, want none", n)
	}

	// The same rules hold for an existing template; the valid form saves.
	a := b.post("/postage", withRule(valid, kuaiDi, "广东省", "", "1", "15", "1", "5"))
	wantStatus(t, a, http.StatusSeeOther)
	wantBody(t, b.follow(a), zh("postage.saved", "测试模板"))
	saved := s.shopTemplate(t, "测试模板")
	a = b.post("/postage/"+idOf(saved.ID), withRule(withRule(valid, kuaiDi, "广东省", "", "1", "15", "1", "5"), kuaiDi, "广东省", "", "1", "15", "1", "5"))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("r"+kuaiDi+".1", zh("postage.err.duplicate")))
	if n := s.sandbox.Calls("/merchant/express/update"); n != 0 {
		t.Errorf("a refused edit reached WeChat (%d update calls)", n)
	}
}

// TestPostageCalculatorWithTheManualsExample builds the manual's example template (平邮: first piece 2 fen,
// each further 3 pieces 1 fen; 广东省广州市: first piece 100 fen, each further piece 3 fen) through the
// editor, typed in yuan, and asks the calculator.
func TestPostageCalculatorWithTheManualsExample(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	form := withRule(postageForm("手册示例", pingYou, "1", "0.02", "3", "0.01"), pingYou, "广东省", "广州市", "1", "1.00", "1", "0.03")
	a := b.post("/postage", form)
	wantStatus(t, a, http.StatusSeeOther)
	page := b.follow(a)
	wantBody(t, page, zh("postage.saved", "手册示例"))

	// WeChat was sent exact fen, by piece, to the city.
	tpl := s.shopTemplate(t, "手册示例")
	if loc := a.header.Get("Location"); loc != "/postage/"+idOf(tpl.ID) {
		t.Errorf("save redirects to %q, want /postage/%d", loc, tpl.ID)
	}
	if tpl.Valuation != wx.ValuationByPiece || tpl.Assumer != wx.AssumerBuyer || len(tpl.TopFee) != 1 {
		t.Fatalf("template as sent = %+v", tpl)
	}
	top := tpl.TopFee[0]
	if top.Type != wx.ExpressPingYou || top.Normal != (wx.FeeRule{StartStandards: 1, StartFees: 2, AddStandards: 3, AddFees: 1}) {
		t.Errorf("平邮 default rule = %+v", top)
	}
	if len(top.Custom) != 1 || top.Custom[0].FeeRule != (wx.FeeRule{StartStandards: 1, StartFees: 100, AddStandards: 1, AddFees: 3}) ||
		top.Custom[0].DestProvince != "广东省" || top.Custom[0].DestCity != "广州市" || top.Custom[0].DestCountry != "中国" {
		t.Errorf("广州 rule = %+v", top.Custom)
	}
	// The editor shows the rules back in yuan.
	wantBody(t, page, `value="0.02"`, `value="0.01"`, `value="1.00"`, `value="0.03"`, `<option value="广州市" selected>`)

	fee := func(pieces int, province, city, courier string) answer {
		t.Helper()
		q := url.Values{"pieces": {strconv.Itoa(pieces)}, "province": {province}, "city": {city}, "courier": {courier}}
		a := b.get("/postage/" + idOf(tpl.ID) + "/fee?" + q.Encode())
		wantStatus(t, a, http.StatusOK)
		return a
	}
	result := func(msg string) string { return `data-testid="calc-result">` + msg + `</p>` }
	for _, tc := range []struct {
		pieces         int
		province, city string
		place, yuan    string
	}{
		{1, "北京市", "北京市", "北京市", "¥0.02"},                  // default: first piece
		{4, "北京市", "北京市", "北京市", "¥0.03"},                  // 1 piece + one block of 3
		{5, "北京市", "北京市", "北京市", "¥0.04"},                  // a started block counts
		{1, "广东省", "广州市", "广东省广州市", "¥1.00"},               // the city's rule
		{3, "广东省", "广州市", "广东省广州市", "¥1.06"},               // 100 + 2×3 fen
		{1, "广东省", "深圳市", "广东省深圳市", "¥0.02"},               // the rule is for 广州 only
		{4, "广东省", "", "广东省", "¥0.03"},                     // the whole province: no city rule applies
		{1, "新疆维吾尔自治区", "乌鲁木齐市", "新疆维吾尔自治区乌鲁木齐市", "¥0.02"}, // default again
	} {
		a := fee(tc.pieces, tc.province, tc.city, pingYou)
		wantBody(t, a, result(zh("postage.calc.result", tc.pieces, tc.place, "平邮", tc.yuan)))
	}
	wantBody(t, fee(1, "广东省", "广州市", kuaiDi), `data-testid="calc-error">`+zh("postage.calc.err.courier", "快递")+`</p>`)
	wantBody(t, fee(0, "广东省", "广州市", pingYou), `data-testid="calc-error">`+zh("postage.calc.err.pieces")+`</p>`)
	wantBody(t, fee(2, "", "", pingYou), `data-testid="calc-error">`+zh("postage.calc.err.region")+`</p>`)
	if n := s.sandbox.Calls("/merchant/express/getbyid") + s.sandbox.Calls("/merchant/express/getall"); n != 1 {
		t.Errorf("the calculator asked WeChat (%d template reads besides the first sync)", n-1)
	}
}

// shelfForm is the shelf editor saved with the controls given as eid and their fields.
func shelfForm(name, banner string, controls ...map[string][]string) url.Values {
	v := url.Values{"name": {name}, "banner": {banner}, "action": {"save"}}
	for i, c := range controls {
		for k, vals := range c {
			if k == "eid" {
				v.Add("eid", vals[0])
				continue
			}
			v[fmt.Sprintf("m%d.%s", i, k)] = vals
		}
	}
	return v
}

func TestShelfValidationAnswers422WithoutWeChat(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	img := s.uploadToLibrary(t, b, "banner.png", pngBytes(t, 64, 12, 3))
	var five []string
	for _, g := range s.sandbox.Groups() {
		five = append(five, idOf(g.GroupID))
	}
	if len(five) != 5 {
		t.Fatalf("the demo shop has %d groups, want 5", len(five))
	}
	tea := idOf(s.shopGroup(t, "茶叶").GroupID)
	shelvesBefore := len(s.sandbox.Shelves())
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"control 2 with five groups", shelfForm("新货架", "", map[string][]string{"eid": {"2"}, "groups": five}),
			"m0.error", zh("shelves.err.names", wx.MaxShelfGroupNames, 5)},
		{"control 2 with no group", shelfForm("新货架", "", map[string][]string{"eid": {"2"}}),
			"m0.error", zh("shelves.err.names", wx.MaxShelfGroupNames, 0)},
		{"control 3 without a picture", shelfForm("新货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {""}}),
			"m0.error", zh("shelves.err.img")},
		{"control 3 with a picture from elsewhere", shelfForm("新货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {"https://example.com/x.png"}}),
			"m0.error", zh("shelves.err.img")},
		{"control 5 with a banner", shelfForm("新货架", img, map[string][]string{"eid": {"5"}, "groups": five, "img": {img}}),
			"banner", zh("shelves.err.banner5")},
		{"control 5 with another control", shelfForm("新货架", "", map[string][]string{"eid": {"5"}, "groups": five, "img": {img}},
			map[string][]string{"eid": {"1"}, "group": {tea}, "count": {"4"}}), "controls", zh("shelves.err.alone")},
		{"control 1 without a group", shelfForm("新货架", "", map[string][]string{"eid": {"1"}, "group": {""}, "count": {"4"}}),
			"m0.error", zh("shelves.err.group")},
		{"control 1 showing 51 products", shelfForm("新货架", "", map[string][]string{"eid": {"1"}, "group": {tea}, "count": {"51"}}),
			"m0.error", zh("shelves.err.count")},
		{"control 4 slot without a picture", shelfForm("新货架", "", map[string][]string{"eid": {"4"}, "slot0": {tea}, "slotimg0": {""}}),
			"m0.error", zh("shelves.err.slotimg")},
		{"no control", shelfForm("新货架", ""), "controls", zh("shelves.err.none")},
		{"no name", shelfForm("", "", map[string][]string{"eid": {"1"}, "group": {tea}, "count": {"4"}}), "name", zh("shelves.err.name")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := b.post("/shelves", tc.form)
			wantStatus(t, a, http.StatusUnprocessableEntity)
			wantBody(t, a, fieldError(tc.field, tc.msg), zh("form.err.summary", 1))
			if got := fieldErrors(a); !slices.Equal(got, []string{tc.field}) {
				t.Errorf("errors shown beside %v, want only beside %s", got, tc.field)
			}
			if name := tc.form.Get("name"); name != "" {
				wantBody(t, a, `value="`+name+`"`)
			}
		})
	}
	if n := s.storefrontWrites(); n != 0 {
		t.Errorf("%d storefront writes reached WeChat, want none", n)
	}
	if got := len(s.sandbox.Shelves()); got != shelvesBefore {
		t.Errorf("the sandbox has %d shelves, want %d", got, shelvesBefore)
	}

	// A valid shelf of every control 1–4 saves, and comes back as it was built.
	digital, nuts := idOf(s.shopGroup(t, "数码配件").GroupID), idOf(s.shopGroup(t, "坚果零食").GroupID)
	form := shelfForm("新货架", img,
		map[string][]string{"eid": {"1"}, "group": {tea}, "count": {"3"}},
		map[string][]string{"eid": {"2"}, "groups": {tea, digital}},
		map[string][]string{"eid": {"3"}, "group": {nuts}, "img": {img}},
		map[string][]string{"eid": {"4"}, "slot0": {tea}, "slotimg0": {img}, "slot1": {""}, "slotimg1": {""}, "slot2": {digital}, "slotimg2": {img}})
	a := b.post("/shelves", form)
	wantStatus(t, a, http.StatusSeeOther)
	page := b.follow(a)
	wantBody(t, page, zh("shelves.saved", "新货架"))
	shelf, ok := s.shopShelf("新货架")
	if !ok {
		t.Fatal("the sandbox has no shelf 新货架")
	}
	mods := shelf.ShelfInfo.ModuleInfos
	if len(mods) != 4 || mods[0].EID != 1 || mods[1].EID != 2 || mods[2].EID != 3 || mods[3].EID != 4 || shelf.ShelfBanner != img {
		t.Fatalf("shelf as sent = %+v", shelf)
	}
	if gi := mods[0].GroupInfo; gi == nil || idOf(gi.GroupID) != tea || gi.Filter == nil || gi.Filter.Count != 3 {
		t.Errorf("control 1 as sent = %+v", mods[0])
	}
	if gis := mods[3].GroupInfos; gis == nil || len(gis.Groups) != 2 || idOf(gis.Groups[1].GroupID) != digital {
		t.Errorf("control 4 as sent = %+v (the empty middle slot should be left out)", mods[3])
	}
	if n := s.sandbox.Calls("/merchant/shelf/add"); n != 1 {
		t.Errorf("shelf/add called %d times, want 1", n)
	}
}

func TestShelfEditorPreviewAndPalette(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	tea := s.shopGroup(t, "茶叶")
	// Adding a control answers the editor with the control and no error, as htmx asks.
	a := b.post("/shelves", url.Values{"name": {"预览"}, "action": {"add.1"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, `data-testid="control-0"`, zh("shelves.control.1"), `name="m0.count"`, `value="4"`)
	if got := fieldErrors(a); len(got) != 0 {
		t.Errorf("adding a control shows errors beside %v", got)
	}
	// Choosing the group fills the preview with its first products, by name.
	a = b.post("/shelves", url.Values{"name": {"预览"}, "eid": {"1"}, "m0.group": {idOf(tea.GroupID)}, "m0.count": {"2"}, "action": {"preview"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, "明前西湖龙井 特级", "安吉白茶 雨前一级")
	if strings.Contains(a.body[strings.Index(a.body, `data-testid="shelf-preview"`):], "武夷山正山小种红茶") {
		t.Error("the preview shows a third product of a control showing 2")
	}
	if n := s.storefrontWrites(); n != 0 {
		t.Errorf("the editor's palette and preview wrote to WeChat (%d calls)", n)
	}
}

// TestEveryStorefrontWriteIsAudited runs every write of the three pages once and reads the audit log.
func TestEveryStorefrontWriteIsAudited(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	img := s.uploadToLibrary(t, b, "pic.png", pngBytes(t, 40, 40, 9))

	b.follow(b.post("/postage", postageForm("审计模板", kuaiDi, "1", "8", "1", "1")))
	tpl := s.shopTemplate(t, "审计模板")
	b.follow(b.post("/postage/"+idOf(tpl.ID), postageForm("审计模板二", kuaiDi, "1", "9", "1", "1")))
	b.follow(b.post("/postage/"+idOf(tpl.ID)+"/delete", nil))
	used := s.shopTemplate(t, "全国包邮") // demo products charge by it: WeChat refuses
	page := b.follow(b.post("/postage/"+idOf(used.ID)+"/delete", nil))
	wantBody(t, page, "9402013")

	ids := productIDs(t, s, "安吉白茶 雨前一级", "滇红金芽 云南凤庆")
	b.follow(b.post("/groups", url.Values{"name": {"审计分组"}, "product": ids}))
	g := s.shopGroup(t, "审计分组")
	b.follow(b.post("/groups/"+idOf(g.GroupID), url.Values{"name": {"审计分组二"}, "product": ids[:1]}))
	b.follow(b.post("/groups/"+idOf(g.GroupID)+"/delete", nil))

	tea := idOf(s.shopGroup(t, "茶叶").GroupID)
	b.follow(b.post("/shelves", shelfForm("审计货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {img}})))
	sh, ok := s.shopShelf("审计货架")
	if !ok {
		t.Fatal("shelf not created")
	}
	b.follow(b.post("/shelves/"+idOf(sh.ShelfID), shelfForm("审计货架二", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {img}})))
	b.follow(b.post("/shelves/"+idOf(sh.ShelfID)+"/delete", nil))

	for _, tc := range []struct {
		action, objectID, outcome string
		n                         int
	}{
		{"postage.sync", "all", "ok", 1},
		{"postage.create", idOf(tpl.ID), "ok", 1},
		{"postage.update", idOf(tpl.ID), "ok", 1},
		{"postage.delete", idOf(tpl.ID), "ok", 2},
		{"group.sync", "all", "ok", 1},
		{"group.create", idOf(g.GroupID), "ok", 1},
		{"group.rename", idOf(g.GroupID), "ok", 1},
		{"group.products", idOf(g.GroupID), "ok", 1},
		{"group.delete", idOf(g.GroupID), "ok", 1},
		{"shelf.sync", "all", "ok", 1},
		{"shelf.create", idOf(sh.ShelfID), "ok", 1},
		{"shelf.update", idOf(sh.ShelfID), "ok", 1},
		{"shelf.delete", idOf(sh.ShelfID), "ok", 1},
	} {
		entries := s.auditOf(t, tc.action)
		if len(entries) != tc.n {
			t.Errorf("%s: %d audit entries, want %d", tc.action, len(entries), tc.n)
			continue
		}
		e := entries[0]
		if e.Username != "test-operator" || e.ObjectID != tc.objectID || e.Outcome != tc.outcome {
			t.Errorf("%s: audit entry %+v, want by test-operator on %s with outcome %s", tc.action, e, tc.objectID, tc.outcome)
		}
	}
	refused := s.auditOf(t, "postage.delete")
	if len(refused) == 2 && (refused[1].ObjectID != idOf(used.ID) || !strings.HasPrefix(refused[1].Outcome, "errcode 9402013")) {
		t.Errorf("the refused delete's audit entry = %+v, want WeChat's errcode 9402013", refused[1])
	}
}

func TestViewerSeesTheStorefrontButCannotChangeIt(t *testing.T) {
	t.Parallel()
	s, _ := storefrontServer(t)
	v := s.signedIn(t, "viewer")
	tpl := idOf(s.shopTemplate(t, "偏远地区加收运费").ID)
	group := idOf(s.shopGroup(t, "茶叶").GroupID)
	shelf, _ := s.shopShelf("店铺首页")
	shelfID := idOf(shelf.ShelfID)

	for _, tc := range []struct {
		path   string
		shows  []string
		hidden []string
	}{
		{"/postage", []string{`data-testid="postage-row-全国包邮"`}, []string{`data-testid="postage-new"`, `data-testid="postage-sync"`}},
		{"/postage/" + tpl, []string{`data-testid="calculator"`, `value="新疆维吾尔自治区" selected`}, []string{`data-testid="postage-save"`, `data-testid="postage-delete"`}},
		{"/postage/" + tpl + "/fee?pieces=3&province=%E6%96%B0%E7%96%86%E7%BB%B4%E5%90%BE%E5%B0%94%E8%87%AA%E6%B2%BB%E5%8C%BA&city=&courier=10000028",
			[]string{zh("postage.calc.result", 3, "新疆维吾尔自治区", "快递", "¥45.00")}, nil},
		{"/groups", []string{`data-testid="group-row-茶叶"`}, []string{`data-testid="group-new"`, `data-testid="groups-sync"`}},
		{"/groups/" + group, []string{"明前西湖龙井 特级", "disabled"}, []string{`data-testid="group-save"`, `data-testid="group-delete"`}},
		{"/shelves", []string{`data-testid="shelf-row-店铺首页"`}, []string{`data-testid="shelf-new"`, `data-testid="shelves-sync"`}},
		{"/shelves/" + shelfID, []string{`data-testid="shelf-preview"`, "爆款推荐"}, []string{`data-testid="shelf-save"`, `data-testid="shelf-delete"`}},
	} {
		a := v.get(tc.path)
		wantStatus(t, a, http.StatusOK)
		wantBody(t, a, tc.shows...)
		for _, h := range tc.hidden {
			if strings.Contains(a.body, h) {
				t.Errorf("a viewer's %s shows %s", tc.path, h)
			}
		}
	}
	for _, path := range []string{"/postage/new", "/groups/new", "/shelves/new"} {
		wantStatus(t, v.get(path), http.StatusForbidden)
	}
	forms := map[string]url.Values{
		"/postage":                        postageForm("只读模板", kuaiDi, "1", "1", "1", "1"),
		"/postage/sync":                   nil,
		"/postage/" + tpl:                 postageForm("只读模板", kuaiDi, "1", "1", "1", "1"),
		"/postage/" + tpl + "/delete":     nil,
		"/groups":                         {"name": {"只读分组"}},
		"/groups/sync":                    nil,
		"/groups/" + group:                {"name": {"只读分组"}},
		"/groups/" + group + "/delete":    nil,
		"/shelves":                        shelfForm("只读货架", "", map[string][]string{"eid": {"1"}, "group": {group}, "count": {"4"}}),
		"/shelves/sync":                   nil,
		"/shelves/" + shelfID:             {"name": {"只读货架"}, "action": {"preview"}},
		"/shelves/" + shelfID + "/delete": nil,
	}
	auditBefore := len(s.auditOf(t, "postage.sync")) + len(s.auditOf(t, "group.sync")) + len(s.auditOf(t, "shelf.sync"))
	readsBefore := s.sandbox.Calls("/merchant/group/getall") + s.sandbox.Calls("/merchant/express/getall") + s.sandbox.Calls("/merchant/shelf/getall")
	for path, form := range forms {
		wantStatus(t, v.post(path, form), http.StatusForbidden)
	}
	if n := s.storefrontWrites(); n != 0 {
		t.Errorf("a viewer's posts made %d storefront writes", n)
	}
	if n := s.sandbox.Calls("/merchant/group/getall") + s.sandbox.Calls("/merchant/express/getall") + s.sandbox.Calls("/merchant/shelf/getall"); n != readsBefore {
		t.Errorf("a viewer's sync posts reached WeChat (%d reads, want %d)", n, readsBefore)
	}
	if n := len(s.auditOf(t, "postage.sync")) + len(s.auditOf(t, "group.sync")) + len(s.auditOf(t, "shelf.sync")); n != auditBefore {
		t.Errorf("a viewer's refused posts were audited as syncs (%d entries, want %d)", n, auditBefore)
	}
	entries, _, err := s.store.AuditPage(t.Context(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(entries, func(e db.AuditEntry) bool {
		return e.Username == "test-viewer" && !strings.HasPrefix(e.Action, "auth.")
	}) {
		t.Error("the audit log records a change by the viewer, who changed nothing")
	}
}

// TestViewerIsOfferedNoEditingControls: a viewer's postage and shelf pages must not offer buttons and
// live fields that post to the writers' routes, which answer a viewer 403.
func TestViewerIsOfferedNoEditingControls(t *testing.T) {
	t.Parallel()
	s, _ := storefrontServer(t)
	v := s.signedIn(t, "viewer")
	tpl := idOf(s.shopTemplate(t, "偏远地区加收运费").ID)
	shelf, _ := s.shopShelf("店铺首页")
	for path, offers := range map[string][]string{
		"/postage/" + tpl:                 {`data-testid="rule-add"`, `hx-post="/postage/` + tpl + `"`, `value="del_rule.`},
		"/shelves/" + idOf(shelf.ShelfID): {`data-testid="palette"`, `data-testid="add-control-1"`, `data-testid="control-remove"`, `hx-post="/shelves/`},
	} {
		a := v.get(path)
		wantStatus(t, a, http.StatusOK)
		for _, o := range offers {
			if strings.Contains(a.body, o) {
				t.Errorf("a viewer's %s offers %s, which posts to a route that answers a viewer 403", path, o)
			}
		}
	}
}

// TestWeChatRefusalKeepsTheStorefrontForms: when WeChat refuses a save, the form comes back with its code
// and meaning, everything typed is kept, and the audit log has WeChat's answer.
func TestWeChatRefusalKeepsTheStorefrontForms(t *testing.T) {
	t.Parallel()
	s, b := storefrontServer(t)
	img := s.uploadToLibrary(t, b, "pic.png", pngBytes(t, 40, 40, 5))
	tea := idOf(s.shopGroup(t, "茶叶").GroupID)
	ids := productIDs(t, s, "安吉白茶 雨前一级")
	for _, tc := range []struct {
		what, path, wxPath, action string
		form                       url.Values
		kept                       []string
	}{
		{"postage template", "/postage", "/merchant/express/add", "postage.create",
			withRule(postageForm("被拒模板", kuaiDi, "1", "10", "1", "2"), kuaiDi, "广东省", "", "1", "15", "1", "5"),
			[]string{`value="被拒模板"`, `value="15"`, `<option value="广东省" selected>`}},
		{"group", "/groups", "/merchant/group/add", "group.create",
			url.Values{"name": {"被拒分组"}, "product": ids}, []string{`value="被拒分组"`, `value="` + ids[0] + `" checked`}},
		{"shelf", "/shelves", "/merchant/shelf/add", "shelf.create",
			shelfForm("被拒货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {img}}),
			[]string{`value="被拒货架"`, `name="m0.img" value="` + img + `" checked`}},
	} {
		t.Run(tc.what, func(t *testing.T) {
			s.sandbox.FailNext(tc.wxPath, 45009, "api freq out of limit", 1)
			a := b.post(tc.path, tc.form)
			wantStatus(t, a, http.StatusUnprocessableEntity)
			problem := regexp.MustCompile(`data-testid="form-problem">([^<]*)<`).FindStringSubmatch(a.body)
			if problem == nil || !strings.Contains(problem[1], "45009") {
				t.Fatalf("no problem naming WeChat's code 45009 (%q)", problem)
			}
			// The message speaks of what was being saved, never of a product.
			if strings.Contains(problem[1], "商品") {
				t.Errorf("saving a %s, the operator reads %q, which speaks of a product", tc.what, problem[1])
			}
			wantBody(t, a, tc.kept...)
			entries := s.auditOf(t, tc.action)
			if len(entries) != 1 || !strings.HasPrefix(entries[0].Outcome, "errcode 45009") {
				t.Errorf("audit of the refused save = %+v, want WeChat's errcode 45009", entries)
			}
		})
	}
}
