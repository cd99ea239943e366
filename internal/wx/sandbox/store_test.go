package sandbox_test

import (
	"context"
	"image/color"
	"strings"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

func newStore(t *testing.T, opts sandbox.Options) *shop {
	t.Helper()
	opts.Kind = sandbox.KindStore
	return newShop(t, opts)
}

// storeImages uploads n different images and returns their URLs.
func (sh *shop) storeImages(n int) []string {
	sh.t.Helper()
	var out []string
	for i := range n {
		u, err := sh.wx.UploadStoreImage(context.Background(), "p.png", drawPNG(sh.t, color.RGBA{uint8(i * 20), 100, 50, 255}), 8, 8)
		if err != nil {
			sh.t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

// tee is a valid T恤 with 2×2 SKUs, on the shop's first freight template.
func (sh *shop) tee() *wx.StoreProductData {
	sh.t.Helper()
	ctx := context.Background()
	tpls, err := sh.wx.FreightTemplateIDs(ctx, 0, 10)
	if err != nil || len(tpls) == 0 {
		sh.t.Fatalf("templates %v, %v", tpls, err)
	}
	imgs := sh.storeImages(4)
	var skus []wx.StoreSKU
	for _, c := range []string{"白色", "黑色"} {
		for _, size := range []string{"M", "L"} {
			skus = append(skus, wx.StoreSKU{SalePrice: 5900, StockNum: 10, SKUAttrs: []wx.StoreAttr{{AttrKey: "颜色", AttrValue: c}, {AttrKey: "尺码", AttrValue: size}}})
		}
	}
	return &wx.StoreProductData{
		Title: "纯棉宽松短袖T恤夏季新款", HeadImgs: imgs[:3], DescInfo: wx.StoreDescInfo{Imgs: imgs[3:]},
		CatsV2:      []wx.StoreCatRef{{CatID: "2001"}, {CatID: "2101"}, {CatID: "2111"}},
		Attrs:       []wx.StoreAttr{{AttrKey: "材质", AttrValue: "棉"}, {AttrKey: "产地", AttrValue: "广东广州"}, {AttrKey: "重量", AttrValue: "180 g"}},
		ExpressInfo: &wx.StoreExpressInfo{TemplateID: tpls[0]}, ExtraService: wx.StoreExtraService{SevenDayReturn: 1},
		SKUs: skus,
	}
}

func TestKindsAnswerOnlyTheirCatalog(t *testing.T) {
	ctx := context.Background()
	store := newStore(t, sandbox.Options{})
	if _, err := store.wx.ProductsByStatus(ctx, 0); !wx.IsCode(err, 48001) {
		t.Errorf("V1.13 getbystatus in a 微信小店: %v, want 48001", err)
	}
	if _, err := store.wx.StoreProductIDs(ctx, 0, 10, ""); err != nil {
		t.Errorf("product/list/get in a 微信小店: %v", err)
	}
	merchant := newShop(t, sandbox.Options{})
	if merchant.sb.Kind() != sandbox.KindMerchant {
		t.Errorf("the zero Options play %q, want the V1.13 merchant shop", merchant.sb.Kind())
	}
	if _, err := merchant.wx.StoreProductIDs(ctx, 0, 10, ""); !wx.IsCode(err, 48001) {
		t.Errorf("product/list/get in a V1.13 shop: %v, want 48001", err)
	}
	if _, err := merchant.wx.ProductsByStatus(ctx, 0); err != nil {
		t.Errorf("V1.13 getbystatus: %v", err)
	}
	for _, k := range []struct {
		in   string
		want sandbox.Kind
	}{{"", sandbox.KindStore}, {"store", sandbox.KindStore}, {"merchant", sandbox.KindMerchant}} {
		if got, err := sandbox.ParseKind(k.in); err != nil || got != k.want {
			t.Errorf("ParseKind(%q) = %q, %v", k.in, got, err)
		}
	}
	if _, err := sandbox.ParseKind("shop"); err == nil {
		t.Error("ParseKind accepted an unknown kind")
	}
}

// The demo store has a product in every online state and draft state the app shows as tabs.
func TestStoreDemoHasEveryState(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{AuditDelay: -1})
	page, err := sh.wx.StoreProductIDs(ctx, 0, 30, "")
	if err != nil {
		t.Fatal(err)
	}
	status, edit := map[int]bool{}, map[int]bool{}
	for _, id := range page.ProductIDs {
		if len(id) < 17 {
			t.Errorf("id %s is not a uint64 above 2^53", id)
		}
		ans, err := sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
		if err != nil {
			t.Fatal(err)
		}
		status[ans.EditProduct.Status], edit[ans.EditProduct.EditStatus] = true, true
	}
	for _, s := range []int{wx.StoreStatusInitial, wx.StoreStatusOnSale, wx.StoreStatusDelisted, wx.StoreStatusSoldOut, wx.StoreStatusViolation} {
		if !status[s] {
			t.Errorf("no demo product with status %d", s)
		}
	}
	for _, s := range []int{wx.StoreEditEditing, wx.StoreEditInAudit, wx.StoreEditRejected, wx.StoreEditPassed} {
		if !edit[s] {
			t.Errorf("no demo product with edit_status %d", s)
		}
	}
	onSale, err := sh.wx.StoreProductIDs(ctx, wx.StoreStatusOnSale, 30, "")
	if err != nil || len(onSale.ProductIDs) != 2 {
		t.Errorf("on sale: %v, %v", onSale, err)
	}
}

// A product's life: draft, submit, audit passes after the delay, on sale with an online copy, stock, a new
// draft beside the online copy, delist.
func TestStoreProductLifecycle(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{Empty: false, AuditDelay: 5 * time.Second})
	p := sh.tee()
	id, err := sh.wx.AddStoreProduct(ctx, p, false)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if err != nil || ans.Product != nil || ans.EditProduct.EditStatus != wx.StoreEditEditing || len(ans.EditProduct.SKUs) != 4 {
		t.Fatalf("new draft = %+v, %v", ans, err)
	}
	if err := sh.wx.UpdateStoreStock(ctx, id, ans.EditProduct.SKUs[0].SKUID, wx.StockAdd, 5); !wx.IsCode(err, 10020289) {
		t.Errorf("stock of a never-listed product: %v, want 10020289", err)
	}
	if err := sh.wx.ListStoreProduct(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.UpdateStoreProduct(ctx, id, p, false); !wx.IsCode(err, wx.CodeStoreInAudit) {
		t.Errorf("update in audit: %v, want 10020049", err)
	}
	if err := sh.wx.ListStoreProduct(ctx, id); !wx.IsCode(err, wx.CodeStoreInAudit) {
		t.Errorf("listing twice: %v, want 10020049", err)
	}
	sh.clock.Advance(6 * time.Second)
	ans, _ = sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if ans.Product == nil || ans.Product.Status != wx.StoreStatusOnSale || ans.Product.EditStatus != wx.StoreEditPassed || ans.Product.MinPrice != 5900 {
		t.Fatalf("after the audit: %+v", ans.Product)
	}
	sku := ans.Product.SKUs[0].SKUID
	if err := sh.wx.UpdateStoreStock(ctx, id, sku, wx.StockAdd, 5); err != nil {
		t.Fatal(err)
	}
	if st, _ := sh.wx.StoreStock(ctx, id, sku); st.NormalStockNum != 15 {
		t.Errorf("stock after +5 = %d", st.NormalStockNum)
	}
	if err := sh.wx.UpdateStoreStock(ctx, id, sku, wx.StockReduce, 99); !wx.IsCode(err, 10020219) {
		t.Errorf("reduce below zero: %v", err)
	}
	// A new price is a draft beside the online copy; the SKUs keep their ids.
	edit := ans.EditProduct.StoreProductData
	for i := range edit.SKUs {
		edit.SKUs[i].SalePrice = 4900
	}
	if err := sh.wx.UpdateStoreProduct(ctx, id, &edit, true); err != nil {
		t.Fatal(err)
	}
	ans, _ = sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if ans.Product.MinPrice != 5900 || ans.EditProduct.MinPrice != 4900 || ans.EditProduct.EditStatus != wx.StoreEditInAudit || ans.EditProduct.SKUs[0].SKUID != sku {
		t.Errorf("draft beside online: online %d, draft %d, edit %d", ans.Product.MinPrice, ans.EditProduct.MinPrice, ans.EditProduct.EditStatus)
	}
	if err := sh.wx.CancelStoreAudit(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.CancelStoreAudit(ctx, id); !wx.IsCode(err, wx.CodeStoreNotInAudit) {
		t.Errorf("cancel twice: %v, want 10020044", err)
	}
	if err := sh.wx.DelistStoreProduct(ctx, id); err != nil {
		t.Fatal(err)
	}
	if ans, _ = sh.wx.StoreProduct(ctx, id, wx.StoreOnline); ans.Product.Status != wx.StoreStatusDelisted {
		t.Errorf("delisted status %d", ans.Product.Status)
	}
}

func TestStoreAuditRefusesBannedWordsAndButtonDecides(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{AuditDelay: time.Second})
	p := sh.tee()
	p.Title = "全网第一纯棉T恤"
	id, err := sh.wx.AddStoreProduct(ctx, p, true)
	if err != nil {
		t.Fatal(err)
	}
	sh.clock.Advance(2 * time.Second)
	ans, _ := sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if ans.EditProduct.EditStatus != wx.StoreEditRejected || !strings.Contains(string(ans.Raw), "第一") {
		t.Errorf("banned word: edit_status %d, answer %s", ans.EditProduct.EditStatus, ans.Raw)
	}
	// Fixed and sent again (its SKUs without ids replace the old ones), the button passes it at once.
	p.Title = "纯棉T恤夏季款式"
	if err := sh.wx.UpdateStoreProduct(ctx, id, p, true); err != nil {
		t.Fatal(err)
	}
	if err := sh.sb.DecideAudit(string(id), true, ""); err != nil {
		t.Fatal(err)
	}
	ans, _ = sh.wx.StoreProduct(ctx, id, wx.StoreOnline)
	if ans.Product.Status != wx.StoreStatusOnSale || ans.Product.Title != "纯棉T恤夏季款式" {
		t.Errorf("after the button: %+v", ans.Product)
	}
	if err := sh.sb.DecideAudit(string(id), false, ""); err == nil {
		t.Error("the button decided a product not in audit")
	}
	// The button over HTTP, refusing with a reason.
	if err := sh.wx.UpdateStoreProduct(ctx, id, p, true); err != nil {
		t.Fatal(err)
	}
	res, err := sh.ts.Client().Post(sh.ts.URL+"/sandbox/store/audit", "application/json",
		strings.NewReader(`{"product_id":"`+string(id)+`","pass":false,"reason":"主图模糊"}`))
	if err != nil || res.StatusCode != 204 {
		t.Fatalf("audit button: %v %v", res, err)
	}
	ans, _ = sh.wx.StoreProduct(ctx, id, wx.StoreBoth)
	if ans.EditProduct.EditStatus != wx.StoreEditRejected || !strings.Contains(string(ans.Raw), "主图模糊") || ans.Product.Status != wx.StoreStatusOnSale {
		t.Errorf("refused by the button: %s", ans.Raw)
	}
}

func TestStoreProductRules(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{})
	base := sh.tee()
	clone := func(edit func(p *wx.StoreProductData)) *wx.StoreProductData {
		p := *base
		p.SKUs = append([]wx.StoreSKU(nil), base.SKUs...)
		p.Attrs = append([]wx.StoreAttr(nil), base.Attrs...)
		p.HeadImgs = append([]string(nil), base.HeadImgs...)
		edit(&p)
		return &p
	}
	for name, tc := range map[string]struct {
		edit func(p *wx.StoreProductData)
		code int
	}{
		"title letters only": {func(p *wx.StoreProductData) { p.Title = "Classic Whole Wheat" }, 10020045},
		"title too short":    {func(p *wx.StoreProductData) { p.Title = "短袖T" }, 10020042},
		"two head images":    {func(p *wx.StoreProductData) { p.HeadImgs = p.HeadImgs[:2] }, 10020022},
		"ten head images":    {func(p *wx.StoreProductData) { p.HeadImgs = append(p.HeadImgs, sh.storeImages(7)...) }, 10020023},
		"foreign image":      {func(p *wx.StoreProductData) { p.HeadImgs[0] = "https://example.com/a.png" }, 10020035},
		"path not to a leaf": {func(p *wx.StoreProductData) { p.CatsV2 = p.CatsV2[:2] }, 10020017},
		"old tree two levels": {func(p *wx.StoreProductData) {
			p.CatsV2, p.Cats = nil, []wx.StoreCatRef{{CatID: "6033"}, {CatID: "6057"}}
		}, 10020011},
		"required attr":      {func(p *wx.StoreProductData) { p.Attrs = p.Attrs[1:] }, 10020051},
		"option not offered": {func(p *wx.StoreProductData) { p.Attrs[0].AttrValue = "羊毛" }, 10020051},
		"unit without space": {func(p *wx.StoreProductData) { p.Attrs[2].AttrValue = "180g" }, 10020051},
		"not a sale attribute": {func(p *wx.StoreProductData) {
			p.SKUs[0].SKUAttrs = []wx.StoreAttr{{AttrKey: "口味", AttrValue: "甜"}}
		}, 10020012},
		"price 0":             {func(p *wx.StoreProductData) { p.SKUs[1].SalePrice = 0 }, 10020039},
		"no SKU":              {func(p *wx.StoreProductData) { p.SKUs = nil }, 10020013},
		"same SKU twice":      {func(p *wx.StoreProductData) { p.SKUs[1] = p.SKUs[0] }, 10020051},
		"no freight template": {func(p *wx.StoreProductData) { p.ExpressInfo = &wx.StoreExpressInfo{TemplateID: "1"} }, 10020019},
		"seven-day category":  {func(p *wx.StoreProductData) { p.ExtraService.SevenDayReturn = 0 }, 10020051},
		"unknown brand":       {func(p *wx.StoreProductData) { p.BrandID = "999" }, 10020051},
	} {
		if _, err := sh.wx.AddStoreProduct(ctx, clone(tc.edit), false); !wx.IsCode(err, tc.code) {
			t.Errorf("%s: %v, want %d", name, err, tc.code)
		}
	}
	// The old tree's 3 levels are accepted, with the rules of the leaf they map to.
	if _, err := sh.wx.AddStoreProduct(ctx, clone(func(p *wx.StoreProductData) {
		p.CatsV2, p.Cats = nil, []wx.StoreCatRef{{CatID: "6033"}, {CatID: "6057"}, {CatID: "6091"}}
	}), false); err != nil {
		t.Errorf("old tree: %v", err)
	}
	// With the quota used up a draft is still saved; submitting it leaves it short of quota (edit_status 72).
	sh.sb.SetAuditQuota(0)
	id, err := sh.wx.AddStoreProduct(ctx, base, true)
	if err != nil {
		t.Fatalf("add without quota: %v", err)
	}
	if ans, err := sh.wx.StoreProduct(ctx, id, wx.StoreDraft); err != nil || ans.EditProduct.EditStatus != wx.StoreEditQuotaShort {
		t.Errorf("submitted without quota: %+v, %v", ans, err)
	}
	if q, _ := sh.wx.StoreAuditQuota(ctx); q.AvailQuota != 0 || !bool(q.BlockStatus) {
		t.Errorf("quota = %+v", q)
	}
}

func TestStoreCategoriesAndBrands(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{Empty: true})
	root, err := sh.wx.StoreSubCategories(ctx, "0")
	if err != nil || len(root.V2) == 0 || len(root.Old) != 1 {
		t.Fatalf("root = %+v, %v", root, err)
	}
	sub, _ := sh.wx.StoreSubCategories(ctx, "2101")
	if len(sub.V2) != 2 || !sub.V2[0].Leaf || sub.Old != nil {
		t.Errorf("女装 = %+v", sub)
	}
	// Every child of 手机通讯 needs targeted admission: none is listed.
	if admit, _ := sh.wx.StoreSubCategories(ctx, "4102"); len(admit.V2) != 0 {
		t.Errorf("手机通讯 = %+v", admit)
	}
	d, err := sh.wx.StoreCategoryDetail(ctx, "2111")
	if err != nil || len(d.Attr.SaleAttrList) != 2 || !d.Attr.SevenDayReturn || d.Attr.ProductAttrList[1].Kind() != "select_many" {
		t.Errorf("detail = %+v, %v", d, err)
	}
	if _, err := sh.wx.StoreCategoryDetail(ctx, "2101"); !wx.IsCode(err, 10020017) {
		t.Errorf("detail of a non-leaf: %v", err)
	}
	page, err := sh.wx.StoreValidBrands(ctx, 2, "")
	if err != nil || len(page.Brands) != 2 || !page.ContinueFlag {
		t.Fatalf("brands = %+v, %v", page, err)
	}
	last, _ := sh.wx.StoreValidBrands(ctx, 2, page.NextKey)
	if len(last.Brands) != 1 || last.ContinueFlag {
		t.Errorf("last brands page = %+v", last)
	}
}

func TestStoreFreightTemplates(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{})
	ft := &wx.FreightTemplate{Name: "偏远加价", ValuationType: wx.ValuationPiece, SendTime: wx.SendTime48Hours,
		AddressInfo: wx.FreightAddress{ProvinceName: "浙江省", CityName: "杭州市"}, DeliveryType: "EXPRESS", ShippingMethod: wx.ShippingNoFree,
		AllFreightCalcMethod: &wx.FreightCalcMethods{FreightCalcMethodList: []wx.FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1, FirstPrice: 600, SecondValAmount: 1, SecondPrice: 100},
			{AddressInfos: []wx.FreightAddress{{ProvinceName: "青海省"}}, FirstValAmount: 1, FirstPrice: 1500, SecondValAmount: 1, SecondPrice: 500},
		}}}
	id, err := sh.wx.AddFreightTemplate(ctx, ft)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sh.wx.AddFreightTemplate(ctx, ft); !wx.IsCode(err, 10021200) {
		t.Errorf("same name: %v", err)
	}
	got, err := sh.wx.FreightTemplate(ctx, id)
	if err != nil || got.Name != "偏远加价" || got.CreateTime == 0 {
		t.Fatalf("detail = %+v, %v", got, err)
	}
	if fee, ok := got.FreightFee(3, 0, "青海省", "西宁市", ""); !ok || fee != 2500 {
		t.Errorf("fee to 青海 = %d, %v", fee, ok)
	}
	bad := *got
	bad.AllFreightCalcMethod = &wx.FreightCalcMethods{FreightCalcMethodList: bad.AllFreightCalcMethod.FreightCalcMethodList[1:]}
	if err := sh.wx.UpdateFreightTemplate(ctx, &bad); !wx.IsCode(err, 10021055) {
		t.Errorf("no default rule: %v", err)
	}
	bad = *got
	bad.AllFreightCalcMethod = &wx.FreightCalcMethods{FreightCalcMethodList: []wx.FreightCalcMethod{
		{IsDefault: true, FirstValAmount: 1}, {AddressInfos: []wx.FreightAddress{{ProvinceName: "火星"}}, FirstValAmount: 1}}}
	if err := sh.wx.UpdateFreightTemplate(ctx, &bad); !wx.IsCode(err, 10021054) {
		t.Errorf("unknown region: %v", err)
	}
	if _, err := sh.wx.FreightTemplate(ctx, "42"); !wx.IsCode(err, 10020005) {
		t.Errorf("unknown template: %v", err)
	}
	provinces, err := sh.wx.Regions(ctx, 0)
	if err != nil || len(provinces.NextLevelAddrs) < 30 {
		t.Fatalf("provinces = %v, %v", provinces, err)
	}
	cities, _ := sh.wx.Regions(ctx, int64(provinces.NextLevelAddrs[0].Code))
	if cities.AddrsMsg.Name != provinces.NextLevelAddrs[0].Name || len(cities.NextLevelAddrs) == 0 || cities.NextLevelAddrs[0].Level != 2 {
		t.Errorf("cities = %+v", cities)
	}
	counties, _ := sh.wx.Regions(ctx, int64(cities.NextLevelAddrs[0].Code))
	if counties.AddrsMsg.Level != 2 || len(counties.NextLevelAddrs) == 0 || counties.NextLevelAddrs[0].Level != 3 {
		t.Errorf("counties = %+v", counties)
	}
	if _, err := sh.wx.Regions(ctx, 99999999); err == nil {
		t.Error("an unknown addr_code was answered")
	}
	for _, region := range []wx.FreightAddress{
		{ProvinceName: "广东省", CityName: "深圳市", CountyName: "火星区"}, // no such county
		{ProvinceName: "广东省", CountyName: "南山区"},                  // a county without its city
		{ProvinceName: "广东省", CityName: "杭州市"},                    // a city of another province
	} {
		bad = *got
		bad.AllFreightCalcMethod = &wx.FreightCalcMethods{FreightCalcMethodList: []wx.FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1}, {AddressInfos: []wx.FreightAddress{region}, FirstValAmount: 1}}}
		if err := sh.wx.UpdateFreightTemplate(ctx, &bad); !wx.IsCode(err, 10021054) {
			t.Errorf("region %+v: %v", region, err)
		}
	}
	good := *got
	good.AllFreightCalcMethod = &wx.FreightCalcMethods{FreightCalcMethodList: []wx.FreightCalcMethod{
		{IsDefault: true, FirstValAmount: 1}, {AddressInfos: []wx.FreightAddress{{ProvinceName: "广东省", CityName: "深圳市", CountyName: "南山区"}}, FirstValAmount: 1}}}
	if err := sh.wx.UpdateFreightTemplate(ctx, &good); err != nil {
		t.Errorf("a county rule: %v", err)
	}
}

func TestStoreShopCategoriesAndWindow(t *testing.T) {
	ctx := context.Background()
	sh := newStore(t, sandbox.Options{AuditDelay: -1})
	tree, err := sh.wx.ShopCategoryTree(ctx)
	if err != nil || len(tree.Level1) != 2 {
		t.Fatalf("tree = %+v, %v", tree, err)
	}
	level1 := append(tree.Level1, wx.ShopCategory{Name: "新品", IsDisplayed: true})
	if err := sh.wx.SetShopCategoryTree(ctx, tree.Version-1, level1, nil); !wx.IsCode(err, wx.CodeShopTreeVersion) {
		t.Errorf("stale version: %v", err)
	}
	if err := sh.wx.SetShopCategoryTree(ctx, tree.Version, level1[1:], nil); err == nil {
		t.Error("a category left out without being named deleted was accepted")
	}
	if err := sh.wx.SetShopCategoryTree(ctx, tree.Version, level1, nil); err != nil {
		t.Fatal(err)
	}
	tree, _ = sh.wx.ShopCategoryTree(ctx)
	added := tree.Level1[2]
	if added.Name != "新品" || added.ID == 0 {
		t.Fatalf("added = %+v", added)
	}
	ids, _ := sh.wx.StoreProductIDs(ctx, 0, 30, "")
	if err := sh.wx.AddShopCategoryProducts(ctx, added.ID, 0, ids.ProductIDs[:3]); err != nil {
		t.Fatal(err)
	}
	page, err := sh.wx.ShopCategoryProducts(ctx, added.ID, 0, 2, "")
	if err != nil || len(page.ProductIDs) != 2 || page.PageContext == "" {
		t.Fatalf("page 1 = %+v, %v", page, err)
	}
	page, _ = sh.wx.ShopCategoryProducts(ctx, added.ID, 0, 2, page.PageContext)
	if len(page.ProductIDs) != 1 || page.ProductIDs[0] != ids.ProductIDs[2] || page.PageContext != "" {
		t.Errorf("page 2 = %+v", page)
	}

	win, err := sh.wx.WindowProducts(ctx, 30, "")
	if err != nil || len(win.Products) < 3 || !bool(win.Products[0].IsSetTop) {
		t.Fatalf("window = %+v, %v", win, err)
	}
	last := win.Products[len(win.Products)-1].ProductID
	if err := sh.wx.ReorderWindowProduct(ctx, last, 1); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.HideWindowProduct(ctx, last, true); err != nil {
		t.Fatal(err)
	}
	win, _ = sh.wx.WindowProducts(ctx, 30, "")
	if win.Products[1].ProductID != last || !bool(win.Products[1].IsSetHide) {
		t.Errorf("after reorder: %+v", win.Products)
	}
}
