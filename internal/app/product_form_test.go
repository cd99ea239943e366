package app

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
)

// The leaf the form tests sell in: 服饰鞋包 › 女装 › T恤, with the sandbox's ids.
const (
	attrColor = "1075741873" // 颜色
	attrSize  = "1075741874" // 尺码
	colWhite  = "1079742361" // 白色
	colBlack  = "1079742362" // 黑色
	colPink   = "1079742365" // 粉色
	sizeS     = "1079742401"
	sizeM     = "1079742402"
	propBrand = "1075741879" // 品牌
	brandUniq = "200050860"  // 优衣库
	propFab   = "1075754127" // 材质
	fabCotton = "1079795190" // 纯棉
)

func sku(pairs ...string) string {
	var p []wx.SKUPair
	for i := 0; i+1 < len(pairs); i += 2 {
		p = append(p, wx.SKUPair{ID: wx.ID(pairs[i]), VID: wx.ID(pairs[i+1])})
	}
	return wx.SKUID(p)
}

// teeForm is a complete, valid form for a 2×2 T-shirt (白/黑 × S/M) whose pictures are img.
func teeForm(img string) url.Values {
	return url.Values{
		"category_id":            {cateWomenTee},
		"name":                   {"测试纯棉T恤 2×2"},
		"prop." + propBrand:      {brandUniq},
		"prop." + propFab:        {fabCotton},
		"sku." + attrColor:       {colWhite, colBlack},
		"sku." + attrSize:        {sizeS, sizeM},
		"skucustom." + attrColor: {""},
		"skucustom." + attrSize:  {""},
		"row_sku": {sku(attrColor, colWhite, attrSize, sizeS), sku(attrColor, colWhite, attrSize, sizeM),
			sku(attrColor, colBlack, attrSize, sizeS), sku(attrColor, colBlack, attrSize, sizeM)},
		"row_price":   {"49.90", "59.90", "69.90", "79.90"},
		"row_ori":     {"99", "99.00", "129", "129.5"},
		"row_qty":     {"10", "20", "0", "5"},
		"row_code":    {"T-WS", "T-WM", "T-BS", "T-BM"},
		"row_icon":    {img, "", "", ""},
		"main_img":    {img},
		"img":         {img},
		"detail_kind": {"text", "img"},
		"detail_text": {"100% 纯棉，宽松版型。", ""},
		"detail_img":  {"", img},
		"detail_pos":  {"2", "1"}, // the image block was moved to the top
		"buy_limit":   {"3"},
		"province":    {"广东省"},
		"city":        {"广州市"},
		"address":     {"天河区体育西路1号"},
		"receipt":     {"1"},
		"replace":     {"1"},
		"delivery":    {"express"},
		"fee_kuaidi":  {"10"},
		"fee_ems":     {"20.5"},
		"template_id": {""},
		"action":      {"save"},
	}
}

func with(form url.Values, changes ...func(url.Values)) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	for _, change := range changes {
		change(out)
	}
	return out
}

func set(key string, values ...string) func(url.Values) {
	return func(f url.Values) { f[key] = values }
}

func setAt(key string, i int, value string) func(url.Values) {
	return func(f url.Values) { f[key][i] = value }
}

// fieldError is the message beside field, as the form renders it.
func fieldError(field, msg string) string {
	return `data-testid="error-` + field + `">` + msg + `</p>`
}

// formServer is a test server with an operator signed in and one picture in the library.
func formServer(t *testing.T) (*testServer, *browser, string) {
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	img := s.uploadToLibrary(t, b, "tee.png", pngBytes(t, 80, 80, 20))
	return s, b, img
}

func TestProductFormRefusesBadInputBesideItsField(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	valid := teeForm(img)
	long := strings.Repeat("好", shop.MaxProductName+1)
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		field  string
		msg    string
		kept   []string // besides the prices, which every case keeps
	}{
		{"no name", set("name", "  "), "name", zh("form.err.name"), nil},
		{"name too long", set("name", long), "name", zh("form.err.name.long", shop.MaxProductName, shop.MaxProductName+1), []string{`value="` + long + `"`}},
		{"property value not offered", set("prop."+propBrand, "999"), "prop." + propBrand, zh("form.err.property"), nil},
		{"price not an amount", setAt("row_price", 0, "4x.90"), "row.0.price", zh("form.err.price"), []string{`value="4x.90"`}},
		{"price with three decimals", setAt("row_price", 0, "49.901"), "row.0.price", zh("form.err.price"), []string{`value="49.901"`}},
		{"price zero", setAt("row_price", 1, "0"), "row.1.price", zh("form.err.price.zero"), nil},
		{"original price not above the price", setAt("row_ori", 2, "69.90"), "row.2.ori", zh("form.err.ori", "¥69.90"), nil},
		{"original price not an amount", setAt("row_ori", 3, "abc"), "row.3.ori", zh("form.err.price"), []string{`value="abc"`}},
		{"negative stock", setAt("row_qty", 3, "-1"), "row.3.qty", zh("form.err.quantity"), []string{`value="-1"`}},
		{"stock not a number", setAt("row_qty", 0, "lots"), "row.0.qty", zh("form.err.quantity"), nil},
		{"ticked values not built into the table", set("sku."+attrColor, colWhite, colBlack, colPink), "skus", zh("form.err.matrix"), nil},
		{"rows out of order", set("row_sku", sku(attrColor, colWhite, attrSize, sizeM), sku(attrColor, colWhite, attrSize, sizeS),
			sku(attrColor, colBlack, attrSize, sizeS), sku(attrColor, colBlack, attrSize, sizeM)), "skus", zh("form.err.matrix"), nil},
		{"SKU icon from elsewhere", setAt("row_icon", 1, "https://example.com/a.png"), "row.1.icon", zh("form.err.image"), nil},
		{"no main image", set("main_img", ""), "main_img", zh("form.err.main"), nil},
		{"main image from elsewhere", set("main_img", "https://example.com/a.png"), "main_img", zh("form.err.image"), nil},
		{"gallery image from elsewhere", set("img", img, "https://example.com/b.png"), "img", zh("form.err.image"), nil},
		{"detail image from elsewhere", set("detail_img", "", "https://example.com/c.png"), "detail.0", zh("form.err.image"), nil},
		{"empty detail", func(f url.Values) {
			f["detail_kind"], f["detail_text"], f["detail_img"], f["detail_pos"] = []string{"text"}, []string{"  "}, []string{""}, []string{"1"}
		}, "detail", zh("form.err.detail"), nil},
		{"buy limit not a number", set("buy_limit", "many"), "buy_limit", zh("form.err.buylimit"), []string{`value="many"`}},
		{"buy limit negative", set("buy_limit", "-2"), "buy_limit", zh("form.err.buylimit"), nil},
		{"city of another province", set("city", "杭州市"), "location", zh("form.err.location"), nil},
		{"no province", func(f url.Values) { f["province"], f["city"] = []string{""}, []string{""} }, "location", zh("form.err.location"), nil},
		{"no delivery chosen", set("delivery", ""), "delivery", zh("form.err.delivery"), nil},
		{"express without a fee", func(f url.Values) { f["fee_kuaidi"], f["fee_ems"] = []string{""}, []string{""} }, "delivery", zh("form.err.express"), nil},
		{"fee not an amount", set("fee_kuaidi", "十元"), "delivery", zh("form.err.fee"), []string{`value="十元"`}},
		{"template not picked", set("delivery", "template"), "delivery", zh("form.err.template.pick"), nil},
		{"template id not a number", func(f url.Values) { f["delivery"], f["template_id"] = []string{"template"}, []string{"abc"} }, "delivery", zh("form.err.template.pick"), []string{`value="abc" selected`}},
		{"template the shop does not have", func(f url.Values) { f["delivery"], f["template_id"] = []string{"template"}, []string{"999999"} }, "delivery", zh("form.err.template.gone"), []string{`<option value="999999" selected>#999999</option>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := with(valid, tc.change)
			a := b.post("/products", form)
			wantStatus(t, a, http.StatusUnprocessableEntity)
			wantBody(t, a, fieldError(tc.field, tc.msg), zh("form.err.summary", 1))
			if n := strings.Count(a.body, `class="field-error"`); n != 1 {
				t.Errorf("the page shows %d field errors, want 1", n)
			}
			// What was typed is all still there.
			if form.Get("name") != "" && form.Get("name") != "  " {
				wantBody(t, a, `value="`+form.Get("name")+`"`)
			}
			for _, price := range form["row_price"] {
				wantBody(t, a, `value="`+price+`"`)
			}
			wantBody(t, a, tc.kept...)
		})
	}

	t.Run("no category", func(t *testing.T) {
		a := b.post("/products", with(valid, set("category_id", "")))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantBody(t, a, fieldError("category", zh("form.err.category")))
	})
	t.Run("every mistake at once", func(t *testing.T) {
		a := b.post("/products", with(valid, set("name", ""), setAt("row_price", 0, "x"), set("main_img", ""), set("delivery", "")))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantBody(t, a, zh("form.err.summary", 4), fieldError("name", zh("form.err.name")),
			fieldError("row.0.price", zh("form.err.price")), fieldError("main_img", zh("form.err.main")),
			fieldError("delivery", zh("form.err.delivery")))
	})

	if n := s.sandbox.Calls("/merchant/create"); n != 0 {
		t.Errorf("refused forms made %d calls to merchant/create", n)
	}
	if entries := s.auditOf(t, "product.create"); len(entries) != 0 {
		t.Errorf("refused forms were recorded: %+v", entries)
	}
}

func TestCreateProduct(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	form := teeForm(img)
	var files []formFile // the browser sends the form as multipart, with empty file fields
	files = append(files, formFile{"main_upload", "", nil})
	a := b.postMultipart("/products", form, files)
	wantStatus(t, a, http.StatusSeeOther)
	loc := a.header.Get("Location")
	id, found := strings.CutPrefix(loc, "/products/")
	if !found || id == "" {
		t.Fatalf("create redirects to %q", loc)
	}

	got, ok := s.sandbox.Product(id)
	if !ok {
		t.Fatalf("WeChat has no product %s", id)
	}
	base := got.ProductBase
	if base.Name != "测试纯棉T恤 2×2" || !slices.Equal(base.CategoryID, []wx.ID{cateWomenTee}) || base.BuyLimit != 3 {
		t.Errorf("WeChat holds name %q, category %v, buy limit %d", base.Name, base.CategoryID, base.BuyLimit)
	}
	wantInfo := []wx.SKUInfo{{ID: attrColor, VID: []wx.ID{colWhite, colBlack}}, {ID: attrSize, VID: []wx.ID{sizeS, sizeM}}}
	if !reflect.DeepEqual(base.SKUInfo, wantInfo) {
		t.Errorf("sku_info = %+v, want %+v", base.SKUInfo, wantInfo)
	}
	wantProps := []wx.ProductProperty{{ID: propBrand, VID: brandUniq}, {ID: propFab, VID: fabCotton}}
	if !reflect.DeepEqual(base.Property, wantProps) {
		t.Errorf("property = %+v, want %+v", base.Property, wantProps)
	}
	wantSKUs := []wx.SKU{
		{SKUID: form["row_sku"][0], Price: 4990, OriPrice: 9900, Quantity: 10, ProductCode: "T-WS", IconURL: img},
		{SKUID: form["row_sku"][1], Price: 5990, OriPrice: 9900, Quantity: 20, ProductCode: "T-WM"},
		{SKUID: form["row_sku"][2], Price: 6990, OriPrice: 12900, Quantity: 0, ProductCode: "T-BS"},
		{SKUID: form["row_sku"][3], Price: 7990, OriPrice: 12950, Quantity: 5, ProductCode: "T-BM"},
	}
	if !reflect.DeepEqual(got.SKUList, wantSKUs) {
		t.Errorf("sku_list =\n%+v\nwant\n%+v", got.SKUList, wantSKUs)
	}
	if base.MainImg != img || !slices.Equal(base.Img, []string{img}) {
		t.Errorf("main_img %q, img %v; want %q", base.MainImg, base.Img, img)
	}
	wantDetail := []wx.ProductDetail{{Img: img}, {Text: "100% 纯棉，宽松版型。"}}
	if !reflect.DeepEqual(base.Detail, wantDetail) {
		t.Errorf("detail = %+v, want %+v (in the order of their numbers)", base.Detail, wantDetail)
	}
	wantExt := wx.AttrExt{Location: wx.Location{Country: "中国", Province: "广东省", City: "广州市", Address: "天河区体育西路1号"},
		IsHasReceipt: 1, IsSupportReplace: 1}
	if got.AttrExt != wantExt {
		t.Errorf("attrext = %+v, want %+v", got.AttrExt, wantExt)
	}
	wantDelivery := &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress, Express: []wx.Express{{ID: wx.ExpressKuaiDi, Price: 1000}, {ID: wx.ExpressEMS, Price: 2050}}}
	if !reflect.DeepEqual(got.DeliveryInfo, wantDelivery) {
		t.Errorf("delivery_info = %+v, want %+v", got.DeliveryInfo, wantDelivery)
	}
	if got.Status != wx.ProductOffSale {
		t.Errorf("a new product has status %d, want off sale", got.Status)
	}

	row := s.mirrored(t, id)
	if row.Name != base.Name || row.Status != wx.ProductOffSale || row.MinPrice != 4990 || row.MaxPrice != 7990 || row.TotalStock != 35 || len(row.SKUs) != 4 {
		t.Errorf("mirror = %+v", row)
	}
	entries := s.auditOf(t, "product.create")
	if len(entries) != 1 || entries[0].ObjectID != id || entries[0].Detail != base.Name || entries[0].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}

	page := b.get(loc)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, zh("form.created", base.Name), "颜色：白色 / 尺码：S", "¥49.90", "¥129.50", "T-BM", "100% 纯棉，宽松版型。")
	if n := s.sandbox.Calls("/merchant/create"); n != 1 {
		t.Errorf("merchant/create called %d times", n)
	}
}

func TestCreateProductRefusedByWeChatKeepsTheForm(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	held := len(s.sandbox.Products())
	s.sandbox.FailNext("/merchant/create", 45011, "api freq out of limit", 1)
	a := b.post("/products", teeForm(img))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("form.err.wx", zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。")),
		`value="测试纯棉T恤 2×2"`, `value="49.90"`, `value="129.5"`, "100% 纯棉，宽松版型。")
	if n := len(s.sandbox.Products()); n != held {
		t.Errorf("WeChat holds %d products, had %d", n, held)
	}
	entries := s.auditOf(t, "product.create")
	if len(entries) != 1 || !strings.Contains(entries[0].Outcome, "45011") {
		t.Errorf("audit entries = %+v", entries)
	}
	all, _, _, _ := s.store.ProductCounts(t.Context())
	if all != 0 {
		t.Errorf("mirror holds %d products after a refused create", all)
	}
}

var rowSKU = regexp.MustCompile(`<input type="hidden" name="row_sku" value="([^"]*)"`)

func matrixRows(a answer) []string {
	var ids []string
	for _, m := range rowSKU.FindAllStringSubmatch(a.body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestBuildingTheSKUTable(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	form := with(teeForm(img),
		set("sku."+attrColor, colWhite), set("sku."+attrSize, sizeS),
		set("row_sku"), set("row_price"), set("row_ori"), set("row_qty"), set("row_code"), set("row_icon"),
		set("action", "matrix"))
	a := b.post("/products", form)
	wantStatus(t, a, http.StatusOK)
	whiteS := sku(attrColor, colWhite, attrSize, sizeS)
	if got := matrixRows(a); !slices.Equal(got, []string{whiteS}) {
		t.Fatalf("1×1 table rows = %v", got)
	}

	// Type the one row, then add a second colour (custom) and a second size: 2×2, the typed row kept.
	form = with(form,
		set("row_sku", whiteS), set("row_price", "39.90"), set("row_ori", "59"), set("row_qty", "7"), set("row_code", "KEEP-ME"), set("row_icon", ""),
		set("sku."+attrSize, sizeS, sizeM), set("skucustom."+attrColor, "天蓝，$天蓝 , "))
	a = b.postMultipart("/products", form, nil)
	wantStatus(t, a, http.StatusOK)
	sky := "$天蓝"
	want := []string{whiteS, sku(attrColor, colWhite, attrSize, sizeM), sku(attrColor, sky, attrSize, sizeS), sku(attrColor, sky, attrSize, sizeM)}
	if got := matrixRows(a); !slices.Equal(got, want) {
		t.Fatalf("2×2 table rows =\n%v\nwant\n%v", got, want)
	}
	wantBody(t, a, `value="39.90"`, `value="59"`, `value="7"`, `value="KEEP-ME"`, "颜色：天蓝 / 尺码：M", `value="天蓝，$天蓝 , "`)
	if strings.Contains(a.body, `class="field-error"`) {
		t.Error("building the table shows field errors")
	}

	// Building a table saves nothing; saving the built table sends the custom value to WeChat.
	if n := s.sandbox.Calls("/merchant/create"); n != 0 {
		t.Fatalf("building the table called merchant/create %d times", n)
	}
	form = with(form, set("row_sku", want...), set("row_price", "39.90", "39.90", "45", "45"), set("row_ori", "59", "59", "69", "69"),
		set("row_qty", "7", "0", "0", "1"), set("row_code", "A", "B", "C", "D"), set("row_icon", "", "", "", ""), set("action", "save"))
	a = b.post("/products", form)
	wantStatus(t, a, http.StatusSeeOther)
	got, ok := s.sandbox.Product(strings.TrimPrefix(a.header.Get("Location"), "/products/"))
	if !ok {
		t.Fatal("the product is not in WeChat")
	}
	wantInfo := []wx.SKUInfo{{ID: attrColor, VID: []wx.ID{colWhite, wx.ID(sky)}}, {ID: attrSize, VID: []wx.ID{sizeS, sizeM}}}
	if !reflect.DeepEqual(got.ProductBase.SKUInfo, wantInfo) {
		t.Errorf("sku_info = %+v, want %+v", got.ProductBase.SKUInfo, wantInfo)
	}
	if len(got.SKUList) != 4 || got.SKUList[2].SKUID != want[2] || got.SKUList[2].Price != 4500 {
		t.Errorf("sku_list = %+v", got.SKUList)
	}
}

func TestAddingDetailBlocks(t *testing.T) {
	t.Parallel()
	_, b, img := formServer(t)
	form := with(teeForm(img), set("action", "add_text"))
	a := b.postMultipart("/products", form, nil)
	wantStatus(t, a, http.StatusOK)
	if n := strings.Count(a.body, `data-testid="detail-text"`); n != 2 {
		t.Errorf("after add_text the form has %d text blocks, want 2", n)
	}
	if n := strings.Count(a.body, `data-testid="detail-img"`); n != 1 {
		t.Errorf("after add_text the form has %d image blocks, want 1", n)
	}
	wantBody(t, a, "100% 纯棉，宽松版型。", `value="49.90"`, `value="测试纯棉T恤 2×2"`)
	// The blocks come back in the order of their numbers, renumbered, the new one last.
	first, second := strings.Index(a.body, `data-testid="detail-img"`), strings.Index(a.body, "100% 纯棉")
	if first < 0 || second < first {
		t.Error("the image block numbered 1 is not shown first")
	}

	a = b.post("/products", with(form, set("action", "add_img")))
	wantStatus(t, a, http.StatusOK)
	if n := strings.Count(a.body, `data-testid="detail-img"`); n != 2 {
		t.Errorf("after add_img the form has %d image blocks, want 2", n)
	}
}

func TestChoosingAProvinceListsItsCities(t *testing.T) {
	t.Parallel()
	_, b, img := formServer(t)
	a := b.post("/products", with(teeForm(img), set("province", "浙江省"), set("action", "province")))
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, `<option value="杭州市">`, `<option value="宁波市">`, `value="测试纯棉T恤 2×2"`)
	if strings.Contains(a.body, `<option value="广州市"`) {
		t.Error("the cities of the earlier province are still offered")
	}
}

func TestImageUploadedInTheFormJoinsTheLibraryEvenWhenRefused(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	form := with(teeForm(img), set("main_img", ""), set("name", ""))
	a := b.postMultipart("/products", form, []formFile{{"main_upload", "front.jpg", jpegBytes(t, 60, 60, 21)}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("name", zh("form.err.name")))
	var uploaded string
	for _, im := range s.library(t) {
		if im.Filename == "front.jpg" {
			uploaded = im.URL
		}
	}
	if uploaded == "" {
		t.Fatal("the uploaded main image is not in the library")
	}
	if !strings.Contains(a.body, `name="main_img" value="`+uploaded+`" checked`) {
		t.Error("the uploaded image is not chosen as the main image in the page")
	}
}

// onSaleTee creates the test T-shirt through the form and puts it on sale through the list.
func onSaleTee(t *testing.T, s *testServer, b *browser, img string) string {
	t.Helper()
	a := b.post("/products", teeForm(img))
	wantStatus(t, a, http.StatusSeeOther)
	id := strings.TrimPrefix(a.header.Get("Location"), "/products/")
	wantStatus(t, b.post("/products/status", url.Values{"id": {id}, "status": {"1"}}), http.StatusSeeOther)
	if p, _ := s.sandbox.Product(id); p.Status != wx.ProductOnSale {
		t.Fatalf("could not put %s on sale", id)
	}
	return id
}

func TestEditingAProductThatWasOnSaleKeepsItsName(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	id := onSaleTee(t, s, b, img)
	edit := b.get("/products/" + id + "/edit")
	wantStatus(t, edit, http.StatusOK)
	wantBody(t, edit, `data-testid="category-frozen"`, zh("form.frozen"), `value="测试纯棉T恤 2×2" readonly`)

	// A tampered form renames it and changes a property: neither reaches WeChat, the rest is saved.
	form := with(teeForm(img), set("name", "改过的名字"), set("prop."+propBrand, "200050861"), setAt("row_price", 0, "45"))
	a := b.post("/products/"+id, form)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products/"+id {
		t.Fatalf("save redirects to %q", loc)
	}
	got, _ := s.sandbox.Product(id)
	if got.ProductBase.Name != "测试纯棉T恤 2×2" {
		t.Errorf("WeChat now calls it %q", got.ProductBase.Name)
	}
	if got.ProductBase.Property[0].VID != brandUniq {
		t.Errorf("WeChat's brand changed to %s", got.ProductBase.Property[0].VID)
	}
	if got.SKUList[0].Price != 4500 {
		t.Errorf("the new price did not reach WeChat: %d", got.SKUList[0].Price)
	}
	page := b.get("/products/" + id)
	wantBody(t, page, zh("form.updated", "测试纯棉T恤 2×2"), "¥45.00")
	if strings.Contains(page.body, "改过的名字") {
		t.Error("the product page shows the refused name")
	}
	if row := s.mirrored(t, id); row.Name != "测试纯棉T恤 2×2" || row.Status != wx.ProductOnSale {
		t.Errorf("mirror = %s, status %d", row.Name, row.Status)
	}
	entries := s.auditOf(t, "product.update")
	if len(entries) != 1 || entries[0].Outcome != "ok" || entries[0].Detail != "测试纯棉T恤 2×2" {
		t.Errorf("audit entries = %+v", entries)
	}
}

// formOf is the form a browser posts for p after the edit page was filled in from it.
func formOf(p wx.Product) url.Values {
	b := p.ProductBase
	f := url.Values{"category_id": {string(b.CategoryID[0])}, "name": {b.Name}, "main_img": {b.MainImg}, "img": b.Img,
		"buy_limit": {strconv.Itoa(b.BuyLimit)}, "province": {p.AttrExt.Location.Province}, "city": {p.AttrExt.Location.City},
		"address": {p.AttrExt.Location.Address}, "action": {"save"}}
	for _, pp := range b.Property {
		f.Set("prop."+string(pp.ID), string(pp.VID))
	}
	for _, info := range b.SKUInfo {
		for _, vid := range info.VID {
			if strings.HasPrefix(string(vid), "$") {
				f.Set("skucustom."+string(info.ID), strings.TrimPrefix(f.Get("skucustom."+string(info.ID))+","+string(vid), ","))
			} else {
				f.Add("sku."+string(info.ID), string(vid))
			}
		}
	}
	for _, k := range p.SKUList {
		f.Add("row_sku", k.SKUID)
		f.Add("row_price", money.Plain(int64(k.Price), false))
		f.Add("row_ori", money.Plain(int64(k.OriPrice), false))
		f.Add("row_qty", strconv.Itoa(k.Quantity))
		f.Add("row_code", k.ProductCode)
		f.Add("row_icon", k.IconURL)
	}
	for i, d := range b.Detail {
		kind := "text"
		if d.Img != "" {
			kind = "img"
		}
		f.Add("detail_kind", kind)
		f.Add("detail_text", d.Text)
		f.Add("detail_img", d.Img)
		f.Add("detail_pos", strconv.Itoa(i+1))
	}
	for flag, on := range map[string]int{"receipt": p.AttrExt.IsHasReceipt, "guaranty": p.AttrExt.IsUnderGuaranty, "replace": p.AttrExt.IsSupportReplace} {
		if on == 1 {
			f.Set(flag, "1")
		}
	}
	switch {
	case p.AttrExt.IsPostFree == 1:
		f.Set("delivery", "free")
	case p.DeliveryInfo.DeliveryType == wx.DeliveryByTemplate:
		f.Set("delivery", "template")
		f.Set("template_id", strconv.FormatInt(p.DeliveryInfo.TemplateID, 10))
	default:
		f.Set("delivery", "express")
		for _, e := range p.DeliveryInfo.Express {
			key := map[int]string{wx.ExpressPingYou: "fee_pingyou", wx.ExpressKuaiDi: "fee_kuaidi", wx.ExpressEMS: "fee_ems"}[e.ID]
			f.Set(key, money.Plain(int64(e.Price), false))
		}
	}
	return f
}

// A product that came from WeChat through a sync (not created in the app) and is on sale: saving its edit
// form with a new price must work, and must not rename it.
func TestEditingASyncedProductThatIsOnSale(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	p := s.shopProduct(t, "纯棉圆领短袖T恤女 宽松百搭")
	if p.Status != wx.ProductOnSale {
		t.Fatal("the demo T-shirt is expected on sale")
	}
	wantStatus(t, b.get("/products/"+p.ProductID+"/edit"), http.StatusOK)

	form := with(formOf(p), set("name", "改过的名字"), setAt("row_price", 0, "55"))
	a := b.post("/products/"+p.ProductID, form)
	if a.status != http.StatusSeeOther {
		problem := regexp.MustCompile(`data-testid="form-problem">([^<]*)<`).FindStringSubmatch(a.body)
		errs := regexp.MustCompile(`data-testid="error-[^"]*">[^<]*<`).FindAllString(a.body, -1)
		t.Fatalf("saving the edit of a synced on-sale product: status %d, problem %q, field errors %q", a.status, problem, errs)
	}
	got, _ := s.sandbox.Product(p.ProductID)
	if got.ProductBase.Name != p.ProductBase.Name || got.SKUList[0].Price != 5500 {
		t.Errorf("WeChat holds %q at %d fen", got.ProductBase.Name, got.SKUList[0].Price)
	}
	if !reflect.DeepEqual(got.ProductBase.Property, p.ProductBase.Property) {
		t.Errorf("WeChat's properties changed from %+v to %+v", p.ProductBase.Property, got.ProductBase.Property)
	}
}

func TestMatrix(t *testing.T) {
	t.Parallel()
	color, size := wx.ID(attrColor), wx.ID(attrSize)
	id := func(pairs ...string) string { return sku(pairs...) }
	for _, tc := range []struct {
		name  string
		infos []wx.SKUInfo
		typed []shop.SKURowDraft
		want  []shop.SKURowDraft
	}{
		{"no attributes is the one uniform row", nil, nil, []shop.SKURowDraft{{SKUID: "", Quantity: "0"}}},
		{"uniform row keeps what was typed", nil, []shop.SKURowDraft{{SKUID: "", Price: "9.90", OriPrice: "19", Quantity: "4"}},
			[]shop.SKURowDraft{{SKUID: "", Price: "9.90", OriPrice: "19", Quantity: "4"}}},
		{"2×2 in reading order, the last attribute turning fastest",
			[]wx.SKUInfo{{ID: color, VID: []wx.ID{colWhite, colBlack}}, {ID: size, VID: []wx.ID{sizeS, sizeM}}}, nil,
			[]shop.SKURowDraft{
				{SKUID: id(attrColor, colWhite, attrSize, sizeS), Quantity: "0"},
				{SKUID: id(attrColor, colWhite, attrSize, sizeM), Quantity: "0"},
				{SKUID: id(attrColor, colBlack, attrSize, sizeS), Quantity: "0"},
				{SKUID: id(attrColor, colBlack, attrSize, sizeM), Quantity: "0"},
			}},
		{"custom values are combined like the others, and typed rows that stay are kept, others dropped",
			[]wx.SKUInfo{{ID: color, VID: []wx.ID{colWhite, "$天蓝"}}, {ID: size, VID: []wx.ID{sizeS}}},
			[]shop.SKURowDraft{
				{SKUID: id(attrColor, colWhite, attrSize, sizeS), Price: "1", OriPrice: "2", Quantity: "3", Code: "c", Icon: "i"},
				{SKUID: id(attrColor, colBlack, attrSize, sizeS), Price: "gone"},
			},
			[]shop.SKURowDraft{
				{SKUID: id(attrColor, colWhite, attrSize, sizeS), Price: "1", OriPrice: "2", Quantity: "3", Code: "c", Icon: "i"},
				{SKUID: id(attrColor, "$天蓝", attrSize, sizeS), Quantity: "0"},
			}},
		{"2×3×1", []wx.SKUInfo{{ID: "a", VID: []wx.ID{"1", "2"}}, {ID: "b", VID: []wx.ID{"x", "y", "z"}}, {ID: "c", VID: []wx.ID{"$only"}}}, nil,
			[]shop.SKURowDraft{
				{SKUID: "a:1;b:x;c:$only", Quantity: "0"}, {SKUID: "a:1;b:y;c:$only", Quantity: "0"}, {SKUID: "a:1;b:z;c:$only", Quantity: "0"},
				{SKUID: "a:2;b:x;c:$only", Quantity: "0"}, {SKUID: "a:2;b:y;c:$only", Quantity: "0"}, {SKUID: "a:2;b:z;c:$only", Quantity: "0"},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shop.SKUMatrix(tc.infos, tc.typed)
			if !reflect.DeepEqual(got, tc.want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(tc.want)
				t.Errorf("matrix =\n%s\nwant\n%s", g, w)
			}
		})
	}
}

func TestCustomValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"天蓝", []string{"天蓝"}},
		{"天蓝,湖绿", []string{"天蓝", "湖绿"}},
		{"天蓝，湖绿、 米黄;藕粉；雾霾蓝", []string{"天蓝", "湖绿", "米黄", "藕粉", "雾霾蓝"}},
		{"$天蓝, 天蓝 ,,天蓝", []string{"天蓝"}}, // a typed "$" is not doubled, repeats are dropped
		{"均码: $:", []string{"均码"}},       // ":" would break a sku_id
		{"红:蓝：绿", []string{"红", "蓝", "绿"}},
		{"华为 Pura 70, 小米 14", []string{"华为 Pura 70", "小米 14"}}, // spaces belong to the value
	} {
		if got := shop.CustomValues(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("shop.CustomValues(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Whatever is typed as custom values, none may carry the separators of a sku_id ("id:vid;id:vid"): such a
// value makes a sku_id WeChat cannot parse, and a row label the app cannot name.
func TestCustomValuesNeverBreakASKUID(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"红:蓝", "A:B:C", "$x:y", "均码;加大"} {
		for _, v := range shop.CustomValues(in) {
			if strings.ContainsAny(v, ":;") {
				t.Errorf("shop.CustomValues(%q) gives %q", in, v)
			}
		}
	}
}

// The edit form is filled from a product and posted back: the sku_info it rebuilds must be the product's,
// custom values with spaces included (the demo shop sells a case for "$华为 Pura 70").
func TestEditFormRebuildsTheProductsSKUInfo(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, name := range []string{"液态硅胶手机壳 全包防摔", "纯棉圆领短袖T恤女 宽松百搭", "三合一磁吸充电线"} {
		p := s.shopProduct(t, name)
		fields, err := s.app.shop.CategoryFields(t.Context(), string(p.ProductBase.CategoryID[0]))
		if err != nil {
			t.Fatal(err)
		}
		in := shop.ProductDraftOf(p, fields)
		if got := in.SKUInfo(fields); !reflect.DeepEqual(got, p.ProductBase.SKUInfo) {
			t.Errorf("%s: the edit form rebuilds sku_info\n%+v\nfrom\n%+v", name, got, p.ProductBase.SKUInfo)
		}
	}
}

// A synced product's details come from WeChat as detail_html (merchant/get and getbystatus answer no detail
// blocks). Its page must show them, and its edit form must offer them, or saving the form drops them.
func TestSyncedProductKeepsItsDetail(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	p := s.shopProduct(t, "法式复古印花T恤 女款短袖") // off sale and never on sale: everything may be edited
	text := p.ProductBase.Detail[0].Text
	wantBody(t, b.get("/products/"+p.ProductID), `data-testid="product-detail"`, text)
	edit := b.get("/products/" + p.ProductID + "/edit")
	wantStatus(t, edit, http.StatusOK)
	wantBody(t, edit, `data-testid="detail-text"`, text, `data-testid="detail-img"`)
}
