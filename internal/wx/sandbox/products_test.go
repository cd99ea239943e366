package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

var productIDPattern = regexp.MustCompile(`^pDF3iY[A-Za-z0-9_-]{22}$`)

// One product through its whole life, as the app will drive it.
func TestProductLifecycle(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.validProduct()
	id := sh.create(p)
	if !productIDPattern.MatchString(id) {
		t.Errorf("product id %q does not look like WeChat's", id)
	}

	// get answers the product the manual's way: detail as HTML, property as names, no status.
	got, err := sh.wx.GetProduct(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	b := got.ProductBase
	switch {
	case got.ProductID != id || b.Name != p.ProductBase.Name || !slices.Equal(b.CategoryID, p.ProductBase.CategoryID):
		t.Errorf("get answered %+v", got)
	case b.MainImg != p.ProductBase.MainImg || !slices.Equal(b.Img, p.ProductBase.Img):
		t.Errorf("images %q %q, want %q %q", b.MainImg, b.Img, p.ProductBase.MainImg, p.ProductBase.Img)
	case len(b.Detail) != 0 || b.DetailHTML != `<p>柔软&lt;亲肤&gt;</p><img src="`+p.ProductBase.Img[1]+`"/>`:
		t.Errorf("detail %+v, detail_html %q", b.Detail, b.DetailHTML)
	case !slices.Equal(b.Property, []wx.ProductProperty{{ID: "品牌", VID: "优衣库"}, {ID: "材质", VID: "纯棉"}}):
		t.Errorf("property %+v, want names", b.Property)
	case !slices.Equal(got.SKUList, p.SKUList) || got.Status != 0:
		t.Errorf("sku_list %+v status %d", got.SKUList, got.Status)
	}
	if held := sh.stored(id); held.Status != wx.ProductOffSale || !slices.Equal(held.ProductBase.Property, p.ProductBase.Property) {
		t.Errorf("a new product is held as %+v, want off sale with property ids", held)
	}

	// Never on sale: everything may change, the category too.
	p.ProductID = id
	p.ProductBase.Name = "测试纯棉衬衫"
	p.ProductBase.CategoryID = []wx.ID{cateShirt}
	p.ProductBase.Property = []wx.ProductProperty{{ID: propBrand, VID: vidPeacebird}}
	if err := sh.wx.UpdateProduct(ctx, p); err != nil {
		t.Fatalf("update before sale: %v", err)
	}
	if held := sh.stored(id); held.ProductBase.Name != "测试纯棉衬衫" || held.ProductBase.CategoryID[0] != cateShirt {
		t.Errorf("update not applied: %+v", held.ProductBase)
	}

	if err := sh.wx.SetProductStatus(ctx, id, wx.SetOnSale); err != nil {
		t.Fatal(err)
	}
	onSale, err := sh.wx.ProductsByStatus(ctx, wx.ProductOnSale)
	if err != nil {
		t.Fatal(err)
	}
	if len(onSale) != 1 || onSale[0].ProductID != id || onSale[0].Status != wx.ProductOnSale {
		t.Fatalf("on sale: %+v", onSale)
	}

	// Once on sale, name, category and property are frozen; the rest may change.
	before := sh.stored(id)
	for field, change := range map[string]func(q *wx.Product){
		"name":        func(q *wx.Product) { q.ProductBase.Name = "改名" },
		"category_id": func(q *wx.Product) { q.ProductBase.CategoryID = []wx.ID{cateWomenTee} },
		"property":    func(q *wx.Product) { q.ProductBase.Property = []wx.ProductProperty{{ID: propBrand, VID: vidUniqlo}} },
	} {
		q := *p
		q.ProductBase.Property = slices.Clone(p.ProductBase.Property)
		change(&q)
		err := sh.wx.UpdateProduct(ctx, &q)
		wantCode(t, err, codeFrozenField)
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error %v does not name %s", err, field)
		}
		sh.wantUnchanged(id, before)
	}
	p.SKUList[0].Price, p.ProductBase.BuyLimit = 4900, 2
	if err := sh.wx.UpdateProduct(ctx, p); err != nil {
		t.Fatalf("update of the price on sale: %v", err)
	}
	if held := sh.stored(id); held.SKUList[0].Price != 4900 || held.ProductBase.BuyLimit != 2 || held.Status != wx.ProductOnSale {
		t.Errorf("update on sale: %+v", held)
	}

	// Stock lives in the SKU's quantity.
	red := p.SKUList[0].SKUID
	if err := sh.wx.AddStock(ctx, id, red, 5); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.ReduceStock(ctx, id, red, 15); err != nil {
		t.Fatal(err)
	}
	before = sh.stored(id)
	if q := before.SKUList[0].Quantity; q != 0 {
		t.Fatalf("quantity %d after +5 -15 from 10", q)
	}
	wantCode(t, sh.wx.ReduceStock(ctx, id, red, 1), codeStockNotEnough)
	sh.wantUnchanged(id, before)
	got, err = sh.wx.GetProduct(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.SKUList[0].Quantity != 0 || got.SKUList[1].Quantity != 4 {
		t.Errorf("get answers quantities %d and %d", got.SKUList[0].Quantity, got.SKUList[1].Quantity)
	}

	// Off sale: getbystatus calls it 2, and the fields stay frozen for good.
	if err := sh.wx.SetProductStatus(ctx, id, wx.SetOffSale); err != nil {
		t.Fatal(err)
	}
	offSale, err := sh.wx.ProductsByStatus(ctx, wx.ProductOffSale)
	if err != nil {
		t.Fatal(err)
	}
	if len(offSale) != 1 || offSale[0].Status != wx.ProductOffSale {
		t.Fatalf("off sale: %+v", offSale)
	}
	if onSale, _ := sh.wx.ProductsByStatus(ctx, wx.ProductOnSale); len(onSale) != 0 {
		t.Errorf("still on sale: %+v", onSale)
	}
	q := *p
	q.ProductBase.Name = "下架后改名"
	wantCode(t, sh.wx.UpdateProduct(ctx, &q), codeFrozenField)

	if err := sh.wx.DeleteProduct(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = sh.wx.GetProduct(ctx, id)
	wantCode(t, err, codeProductNotFound)
	wantCode(t, sh.wx.DeleteProduct(ctx, id), codeProductNotFound)
	if _, found := sh.sb.Product(id); found || len(sh.sb.Products()) != 0 {
		t.Error("the deleted product is still held")
	}
	all, err := sh.wx.ProductsByStatus(ctx, wx.ProductsAll)
	if err != nil || len(all) != 0 {
		t.Errorf("getbystatus 0 after delete: %v %+v", err, all)
	}
}

// Every rule of create, each refused with its own code and without creating anything.
func TestCreateRefusesBrokenRules(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	foreign := "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2iccsvYbHvnphkyGtnvjD3ulEKogfsiaua49pvLfUS8Ym0GSYjViaLic0FD3vN0V8PILcibEGb2fPfEOmw/0"
	sku := func(color, size string) string { return attrColor + ":" + color + ";" + attrSize + ":" + size }
	cases := []struct {
		name   string
		code   int
		change func(p *wx.Product)
	}{
		{"no name", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.Name = " " }},
		{"price equal to ori_price", codePriceNotBelowOri, func(p *wx.Product) { p.SKUList[1].Price = p.SKUList[1].OriPrice }},
		{"price above ori_price", codePriceNotBelowOri, func(p *wx.Product) { p.SKUList[0].Price = 10000 }},
		{"price zero", codeInvalidArgs, func(p *wx.Product) { p.SKUList[0].Price = 0 }},
		{"negative stock", codeInvalidArgs, func(p *wx.Product) { p.SKUList[0].Quantity = -1 }},
		{"sku_id missing an attribute", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[0].SKUID = attrColor + ":" + vidRed }},
		{"sku_id with a vid sku_info does not list", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[0].SKUID = sku(vidBlack, vidM) }},
		{"sku_id with an attribute not in sku_info", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[0].SKUID = sku(vidRed, vidM) + ";1075741875:1079742423" }},
		{"sku_id naming an attribute twice", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[0].SKUID = sku(vidRed, vidM) + ";" + attrColor + ":" + vidWhite }},
		{"duplicate sku_id", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[1].SKUID = p.SKUList[0].SKUID }},
		{"duplicate sku_id in another order", codeSKUIDMismatch, func(p *wx.Product) {
			p.SKUList[1].SKUID = attrSize + ":" + vidM + ";" + attrColor + ":" + vidRed
		}},
		{"empty sku_id with sku_info", codeSKUIDMismatch, func(p *wx.Product) { p.SKUList[0].SKUID = "" }},
		{"no sku_info but a sku_id", codeSKUIDMismatch, func(p *wx.Product) {
			p.ProductBase.SKUInfo = nil
			p.SKUList = p.SKUList[:1]
		}},
		{"no sku_info but two SKUs", codeSKUIDMismatch, func(p *wx.Product) {
			p.ProductBase.SKUInfo = nil
			p.SKUList[0].SKUID, p.SKUList[1].SKUID = "", ""
		}},
		{"no SKU at all", codeInvalidArgs, func(p *wx.Product) { p.SKUList = nil }},
		{"sku_info vid not in the category", codeInvalidSKUInfo, func(p *wx.Product) { p.ProductBase.SKUInfo[1].VID = append(p.ProductBase.SKUInfo[1].VID, "1079742999") }},
		{"sku_info attribute not in the category", codeInvalidSKUInfo, func(p *wx.Product) {
			p.ProductBase.SKUInfo = append(p.ProductBase.SKUInfo, wx.SKUInfo{ID: "1075741875", VID: []wx.ID{"1079742423"}}) // 规格 is not a T恤's
		}},
		{"sku_info attribute twice", codeInvalidSKUInfo, func(p *wx.Product) {
			p.ProductBase.SKUInfo = append(p.ProductBase.SKUInfo, wx.SKUInfo{ID: attrSize, VID: []wx.ID{vidL}})
		}},
		{"sku_info vid twice", codeInvalidSKUInfo, func(p *wx.Product) { p.ProductBase.SKUInfo[1].VID = []wx.ID{vidM, vidM} }},
		{"sku_info without vids", codeInvalidSKUInfo, func(p *wx.Product) { p.ProductBase.SKUInfo[1].VID = nil }},
		{"custom attribute with a table vid", codeInvalidSKUInfo, func(p *wx.Product) {
			p.ProductBase.SKUInfo = append(p.ProductBase.SKUInfo, wx.SKUInfo{ID: "$款式", VID: []wx.ID{vidM}})
		}},
		{"category unknown", codeCategoryNotFound, func(p *wx.Product) { p.ProductBase.CategoryID = []wx.ID{"999999999"} }},
		{"category not a leaf", codeCategoryNotLeaf, func(p *wx.Product) { p.ProductBase.CategoryID = []wx.ID{cateWomen} }},
		{"no category", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.CategoryID = nil }},
		{"two categories", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.CategoryID = []wx.ID{cateWomenTee, cateShirt} }},
		{"property of another category", codeInvalidProperty, func(p *wx.Product) {
			p.ProductBase.Property = append(p.ProductBase.Property, wx.ProductProperty{ID: "1075777340", VID: "1079837462"}) // 保质期
		}},
		{"property vid of another category", codeInvalidProperty, func(p *wx.Product) { p.ProductBase.Property[0].VID = "200051860" }}, // a food brand
		{"property twice", codeInvalidProperty, func(p *wx.Product) {
			p.ProductBase.Property = append(p.ProductBase.Property, wx.ProductProperty{ID: propBrand, VID: vidPeacebird})
		}},
		{"no main_img", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.MainImg = "" }},
		{"main_img not uploaded", codeImageNotOurs, func(p *wx.Product) { p.ProductBase.MainImg = foreign }},
		{"img not uploaded", codeImageNotOurs, func(p *wx.Product) { p.ProductBase.Img = append(p.ProductBase.Img, foreign) }},
		{"detail img not uploaded", codeImageNotOurs, func(p *wx.Product) { p.ProductBase.Detail[1].Img = foreign }},
		{"icon_url not uploaded", codeImageNotOurs, func(p *wx.Product) { p.SKUList[1].IconURL = foreign }},
		{"image of ours on another host", codeImageNotOurs, func(p *wx.Product) {
			u, _ := url.Parse(p.ProductBase.MainImg)
			u.Host = "example.com"
			p.ProductBase.MainImg = u.String()
		}},
		{"image never handed out", codeImageNotOurs, func(p *wx.Product) { p.ProductBase.MainImg = sh.ts.URL + "/sandbox/img/999.png" }},
		{"empty detail block", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.Detail = append(p.ProductBase.Detail, wx.ProductDetail{}) }},
		{"no delivery_info without free post", codeInvalidArgs, func(p *wx.Product) { p.DeliveryInfo = nil }},
		{"unknown courier", codeInvalidArgs, func(p *wx.Product) { p.DeliveryInfo.Express[0].ID = 10000030 }},
		{"bad attrext flag", codeInvalidArgs, func(p *wx.Product) { p.AttrExt.IsHasReceipt = 2 }},
		{"negative buy_limit", codeInvalidArgs, func(p *wx.Product) { p.ProductBase.BuyLimit = -1 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := sh.validProduct()
			tc.change(p)
			_, err := sh.wx.CreateProduct(ctx, p)
			wantCode(t, err, tc.code)
			if n := len(sh.sb.Products()); n != 0 {
				t.Fatalf("a refused create left %d products", n)
			}
		})
	}
}

// What the rules allow: custom SKU values, a uniform product, free post without delivery_info.
func TestCreateAccepts(t *testing.T) {
	sh := newEmptyShop(t)
	custom := sh.validProduct()
	custom.ProductBase.SKUInfo = append(custom.ProductBase.SKUInfo, wx.SKUInfo{ID: "$款式", VID: []wx.ID{"$宽松", "$修身"}})
	custom.ProductBase.SKUInfo[1].VID = append(custom.ProductBase.SKUInfo[1].VID, "$均码")
	custom.SKUList[0].SKUID += ";$款式:$宽松"
	custom.SKUList[1].SKUID = attrSize + ":$均码;$款式:$修身;" + attrColor + ":" + vidWhite // any order
	sh.create(custom)

	uniform := sh.validProduct()
	uniform.ProductBase.CategoryID = []wx.ID{cateNuts}
	uniform.ProductBase.Property = nil
	uniform.ProductBase.SKUInfo = nil
	uniform.SKUList = uniform.SKUList[:1]
	uniform.SKUList[0].SKUID = ""
	uniform.AttrExt.IsPostFree, uniform.DeliveryInfo = 1, nil
	id := sh.create(uniform)
	if err := sh.wx.AddStock(t.Context(), id, "", 3); err != nil {
		t.Fatal(err)
	}
	if q := sh.stored(id).SKUList[0].Quantity; q != 13 {
		t.Errorf("uniform stock %d, want 13", q)
	}
	if n := len(sh.sb.Products()); n != 2 {
		t.Errorf("%d products, want 2", n)
	}
}

// update runs the same rules as create, and refuses unknown products; a refusal changes nothing.
func TestUpdateRefusesBrokenRules(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.validProduct()
	p.ProductID = sh.create(p)
	before := sh.stored(p.ProductID)
	for name, tc := range map[string]struct {
		code   int
		change func(q *wx.Product)
	}{
		"price":      {codePriceNotBelowOri, func(q *wx.Product) { q.SKUList[0].OriPrice = q.SKUList[0].Price }},
		"sku_id":     {codeSKUIDMismatch, func(q *wx.Product) { q.SKUList[0].SKUID = attrColor + ":" + vidRed }},
		"category":   {codeCategoryNotLeaf, func(q *wx.Product) { q.ProductBase.CategoryID = []wx.ID{cateFashion} }},
		"image":      {codeImageNotOurs, func(q *wx.Product) { q.ProductBase.MainImg = "http://example.com/a.png" }},
		"unknown id": {codeProductNotFound, func(q *wx.Product) { q.ProductID = "pDF3iYnosuchproductnosuchpro" }},
	} {
		q := *p
		q.ProductBase.CategoryID = slices.Clone(p.ProductBase.CategoryID)
		q.SKUList = slices.Clone(p.SKUList)
		q.ProductBase.Name = "改过的名字"
		tc.change(&q)
		err := sh.wx.UpdateProduct(ctx, &q)
		if err == nil {
			t.Fatalf("%s: update accepted", name)
		}
		wantCode(t, err, tc.code)
		sh.wantUnchanged(p.ProductID, before)
	}
	a := sh.post("/merchant/update", `{"product_base":{"name":"x"}}`)
	wantErr(t, a, codeInvalidArgs)
}

func TestProductStatusCalls(t *testing.T) {
	sh := newEmptyShop(t)
	p := sh.validProduct()
	id := sh.create(p)
	before := sh.stored(id)
	for _, body := range []string{
		fmt.Sprintf(`{"product_id":%q,"status":2}`, id), // getbystatus's numbering, not this call's
		fmt.Sprintf(`{"product_id":%q}`, id),
	} {
		wantErr(t, sh.post("/merchant/modproductstatus", body), codeInvalidArgs)
	}
	wantErr(t, sh.post("/merchant/modproductstatus", `{"product_id":"pDF3iYnosuchproductnosuchpro","status":1}`), codeProductNotFound)
	wantErr(t, sh.post("/merchant/modproductstatus", `{"product_id":"`), codeDataFormat)
	sh.wantUnchanged(id, before)

	a := sh.post("/merchant/modproductstatus", fmt.Sprintf(`{"product_id":%q,"status":1}`, id))
	wantErr(t, a, 0)
	if a.ErrMsg != "success" {
		t.Errorf("errmsg %q, want the manual's success", a.ErrMsg)
	}
	wantErr(t, sh.post("/merchant/getbystatus", `{"status":3}`), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/getbystatus", `{}`), codeInvalidArgs)

	// The answer carries status per product, like the manual's example.
	a = sh.post("/merchant/getbystatus", `{"status":0}`)
	var ans struct {
		ProductsInfo []map[string]json.RawMessage `json:"products_info"`
	}
	if err := json.Unmarshal(a.raw, &ans); err != nil || len(ans.ProductsInfo) != 1 {
		t.Fatalf("getbystatus: %v %s", err, a.raw)
	}
	for _, key := range []string{"product_id", "product_base", "sku_list", "attrext", "delivery_info", "status"} {
		if _, found := ans.ProductsInfo[0][key]; !found {
			t.Errorf("products_info item lacks %s: %s", key, a.raw)
		}
	}
	if string(ans.ProductsInfo[0]["status"]) != "1" {
		t.Errorf("status %s, want 1", ans.ProductsInfo[0]["status"])
	}
}

// Calls go through the token check and the injected faults, which change nothing.
func TestProductCallsAreGuarded(t *testing.T) {
	sh := newEmptyShop(t)
	p := sh.validProduct()
	sh.sb.FailNext("/merchant/create", 45009, "reach max api daily quota limit", 1)
	_, err := sh.wx.CreateProduct(t.Context(), p)
	wantCode(t, err, 45009)
	wantErr(t, sh.do("POST", "/merchant/create", url.Values{"access_token": {"nope"}}, "{}"), 40001)
	wantErr(t, sh.do("GET", "/merchant/getbystatus", url.Values{"access_token": {sh.token()}}, ""), 43002)
	if n := len(sh.sb.Products()); n != 0 {
		t.Fatalf("%d products after refused creates", n)
	}
	sh.create(p)
}

func TestEmptyOptionStartsWithoutProducts(t *testing.T) {
	sh := newEmptyShop(t)
	all, err := sh.wx.ProductsByStatus(t.Context(), wx.ProductsAll)
	if err != nil || len(all) != 0 || len(sh.sb.ImageURLs()) != 0 {
		t.Fatalf("empty shop: %v, %d products, images %v", err, len(all), sh.sb.ImageURLs())
	}
	if !strings.Contains(string(sh.post("/merchant/getbystatus", `{"status":0}`).raw), `"products_info":[]`) {
		t.Error("an empty list is not answered as []")
	}
	// The category tree is WeChat's and is there all the same.
	if list, err := sh.wx.SubCategories(t.Context(), wx.RootCategoryID); err != nil || len(list) == 0 {
		t.Errorf("no categories in an empty shop: %v", err)
	}
}

// Product ids follow the seed, so a run can be repeated.
func TestProductIDsFollowSeed(t *testing.T) {
	ids := func(seed int64) []string {
		var out []string
		for _, p := range sandbox.New(sandbox.Options{Seed: seed}).Products() {
			out = append(out, p.ProductID)
		}
		return out
	}
	a, b, c := ids(5), ids(5), ids(6)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave other product ids")
	}
	if slices.Equal(a, c) {
		t.Error("another seed gave the same product ids")
	}
	for _, id := range a {
		if !productIDPattern.MatchString(id) {
			t.Errorf("demo product id %q", id)
		}
	}
}
