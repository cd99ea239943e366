package app

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/shop"
)

// The 微信小店's freight templates, shop categories and window, through their pages: what is checked before
// sending comes back beside its field with 422 and the input kept; each write is in the audit log; viewers
// look and are refused the rest.

func freightPost() url.Values {
	return url.Values{"name": {"江浙沪 顺丰"}, "valuation": {shop.FreightByPiece}, "send_time": {shop.SendWithin48Hours},
		"from_province": {"浙江省"}, "from_city": {"杭州市"}, "from_county": {""}, "shipping": {shop.FreightNoFree},
		"default.first": {"1"}, "default.first_price": {"12"}, "default.second": {"1"}, "default.second_price": {"5"},
		"rule.0.first": {"1"}, "rule.0.first_price": {"6"}, "rule.0.second": {"1"}, "rule.0.second_price": {"2"},
		"rule.0.province": {"浙江省", "江苏省", "上海市"},
		"rule.1.first":    {"1"}, "rule.1.first_price": {"20"}, "rule.1.second": {"1"}, "rule.1.second_price": {"10"},
		"rule.1.province": {"新疆维吾尔自治区"}}
}

func TestStoreFreightEditorChecksKeepsAndAudits(t *testing.T) {
	s, b := newStoreServer(t)
	bad := freightPost()
	bad.Set("name", "")
	bad.Set("rule.0.first_price", "六元")
	bad["rule.1.province"] = nil
	bad.Set("rule.1.first_price", "20")
	page := b.post("/postage", bad)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, zh("freight.err.name"), zh("freight.err.rule"), zh("freight.err.regions"), `value="六元"`, `value="12"`)
	if !strings.Contains(page.body, `<option value="江苏省" selected`) {
		t.Error("the rule's provinces were not kept")
	}
	if n := len(s.auditOf(t, "postage.create")); n != 0 {
		t.Errorf("%d audit entries for a form that was not sent", n)
	}
	bad = freightPost()
	bad["rule.0.province"] = []string{"火星"}
	wantBody(t, b.post("/postage", bad), "10021054")

	ok := b.post("/postage", freightPost())
	wantStatus(t, ok, http.StatusSeeOther)
	id := strings.TrimPrefix(ok.header.Get("Location"), "/postage/")
	entries := s.auditOf(t, "postage.create")
	if len(entries) != 1 || entries[0].ObjectID != id || entries[0].Outcome != "ok" || entries[0].Detail != "江浙沪 顺丰" {
		t.Fatalf("audit: %+v", entries)
	}
	detail := b.get("/postage/" + id)
	wantBody(t, detail, "江浙沪 顺丰", "浙江省、江苏省、上海市", "¥6.00", "新疆维吾尔自治区")
	wantBody(t, b.get("/postage/"+id+"/fee?province=江苏省&qty=3"), "¥10.00")
	wantBody(t, b.get("/postage/"+id+"/fee?province=广东省&qty=2"), "¥17.00")
	wantStatus(t, b.get("/postage/"+id+"/fee?province=广东省&qty=0"), http.StatusOK)

	// An update keeps the id; there is no delete, and the page says so.
	edit := freightPost()
	edit.Set("default.first_price", "10")
	wantStatus(t, b.post("/postage/"+id, edit), http.StatusSeeOther)
	if e := s.auditOf(t, "postage.update"); len(e) != 1 || e[0].ObjectID != id {
		t.Errorf("update audit: %+v", e)
	}
	wantStatus(t, b.post("/postage/"+id+"/delete", nil), http.StatusSeeOther)
	wantBody(t, b.get("/postage/"+id), zh("freight.nodelete"))
	wantStatus(t, b.get("/postage/424242"), http.StatusNotFound)
}

func TestStoreFreightRoles(t *testing.T) {
	s, b := newStoreServer(t)
	ok := b.post("/postage", freightPost())
	id := strings.TrimPrefix(ok.header.Get("Location"), "/postage/")
	viewer := s.signedIn(t, "viewer")
	list := viewer.get("/postage")
	wantStatus(t, list, http.StatusOK)
	wantBody(t, list, "江浙沪 顺丰")
	if strings.Contains(list.body, `data-testid="postage-new"`) {
		t.Error("a viewer is offered a new template")
	}
	if strings.Contains(viewer.get("/postage/"+id).body, `data-testid="postage-edit"`) {
		t.Error("a viewer is offered the editor")
	}
	wantStatus(t, viewer.get("/postage/new"), http.StatusForbidden)
	wantStatus(t, viewer.post("/postage", freightPost()), http.StatusForbidden)
	wantStatus(t, viewer.post("/postage/"+id, freightPost()), http.StatusForbidden)
	operator := s.signedIn(t, "operator")
	form := freightPost()
	form.Set("name", "偏远地区")
	wantStatus(t, operator.post("/postage", form), http.StatusSeeOther)
	if e := s.auditOf(t, "postage.create"); len(e) != 2 || e[1].Username != "test-operator" {
		t.Errorf("audit: %+v", e)
	}
}

// shopTree is the sandbox's tree as the app reads it.
func shopTree(t *testing.T, s *testServer) *shop.ShopCategoryTree {
	t.Helper()
	tree, err := s.app.shop.ShopCategoryTree(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestShopCategoriesFormChecksKeepsAndAudits(t *testing.T) {
	s, b := newStoreServer(t)
	before := shopTree(t, s)
	version := strconv.FormatInt(before.Version, 10)
	// 1 零食坚果 · 2 服饰 › 3 上衣, 4 裙装
	form := url.Values{"version": {version}, "name.1": {""}, "shown.1": {"1"}, "name.2": {"服饰"}, "name.2.3": {"上衣"},
		"shown.2.3": {"1"}, "name.2.4": {"裙装"}, "new": {"一二三四五六七八九十一二三四五六七八九十一"}, "new.2": {"外套"}}
	page := b.post("/shop-categories", form)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, `data-testid="error-shopcat-1"`, zh("shopcats.err.name"), `data-testid="error-new"`, zh("shopcats.err.long", 20),
		`data-testid="error-shopcat-2.3"`, zh("shopcats.err.hidden"), `value="外套"`)
	if after := shopTree(t, s); after.Version != before.Version {
		t.Error("a form with problems changed the tree")
	}
	if n := len(s.auditOf(t, "shopcats.update")); n != 0 {
		t.Errorf("%d audit entries for a form that was not sent", n)
	}

	form = url.Values{"version": {version}, "name.1": {"坚果零食"}, "shown.1": {"1"}, "name.2": {"服饰"}, "shown.2": {"1"},
		"name.2.3": {"上衣"}, "shown.2.3": {"1"}, "name.2.4": {"裙装"}, "del.2.4": {"1"}, "new.2": {"外套"}, "new": {"家居"}}
	wantStatus(t, b.post("/shop-categories", form), http.StatusSeeOther)
	wantBody(t, b.get("/shop-categories"), zh("common.saved"), `value="坚果零食"`, "外套", "家居")
	after := shopTree(t, s)
	if len(after.Level1) != 3 || after.Version == before.Version {
		t.Fatalf("after the save: %+v", after)
	}
	if e := s.auditOf(t, "shopcats.update"); len(e) != 1 || e[0].Outcome != "ok" {
		t.Errorf("audit: %+v", e)
	}
	// The page read before that save is now stale: it reloads and says so, and writes nothing.
	stale := url.Values{"version": {version}, "name.1": {"零食"}, "shown.1": {"1"}}
	wantStatus(t, b.post("/shop-categories", stale), http.StatusSeeOther)
	wantBody(t, b.get("/shop-categories"), zh("shopcats.conflict"))
	if shopTree(t, s).Level1[0].Name != "坚果零食" {
		t.Error("a stale save changed the tree")
	}
}

func TestShopCategoryProductsAndRoles(t *testing.T) {
	s, b := newStoreServer(t)
	products := s.app.store
	rows, _, _ := products.StoreProducts(t.Context(), "all", "", 3, 0)
	ids := []string{rows[0].ProductID, rows[1].ProductID, rows[2].ProductID}
	wantStatus(t, b.post("/shop-categories/2/4/products", url.Values{"op": {"add"}, "id": ids}), http.StatusSeeOther)
	page := b.get("/shop-categories/2/4")
	wantBody(t, page, zh("shopcats.done.add", 3), zh("shopcats.in", 3), rows[0].Title)
	if e := s.auditOf(t, "shopcats.add"); len(e) != 1 || e[0].ObjectID != "2.4" || e[0].Detail != "3 products" {
		t.Errorf("audit: %+v", e)
	}
	wantStatus(t, b.post("/shop-categories/2/4/products", url.Values{"op": {"del"}, "id": ids[:1]}), http.StatusSeeOther)
	wantBody(t, b.get("/shop-categories/2/4"), zh("shopcats.in", 2))
	wantStatus(t, b.post("/shop-categories/2/4/products", url.Values{"op": {"add"}}), http.StatusSeeOther)
	wantBody(t, b.get("/shop-categories/2/4"), zh("products.bulk.none"))
	wantStatus(t, b.post("/shop-categories/2/4/products", url.Values{"op": {"move"}, "id": ids}), http.StatusBadRequest)
	wantStatus(t, b.get("/shop-categories/9/9"), http.StatusNotFound)

	viewer := s.signedIn(t, "viewer")
	list := viewer.get("/shop-categories")
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(list.body, `data-testid="shopcats-save"`) || strings.Contains(viewer.get("/shop-categories/2/4").body, `data-testid="shopcat-add"`) {
		t.Error("a viewer is offered changes")
	}
	wantStatus(t, viewer.post("/shop-categories", url.Values{"version": {"1"}}), http.StatusForbidden)
	wantStatus(t, viewer.post("/shop-categories/2/4/products", url.Values{"op": {"del"}, "id": ids}), http.StatusForbidden)
}

func TestWindowPageChangesAndRoles(t *testing.T) {
	s, b := newStoreServer(t)
	list, err := s.app.shop.WindowProducts(t.Context())
	if err != nil || len(list) < 3 {
		t.Fatalf("window: %v, %v", list, err)
	}
	last := string(list[len(list)-1].ProductID)
	wantStatus(t, b.post("/window/"+last, url.Values{"op": {"move"}, "index": {"99"}}), http.StatusSeeOther)
	wantBody(t, b.get("/window"), zh("window.err.index", len(list)))
	wantStatus(t, b.post("/window/"+last, url.Values{"op": {"top"}}), http.StatusSeeOther)
	// Pinned products come first: the last one is now among them.
	now, _ := s.app.shop.WindowProducts(t.Context())
	for i, w := range now {
		if string(w.ProductID) == last && (!bool(w.IsSetTop) || i > 0 && !bool(now[i-1].IsSetTop)) {
			t.Errorf("the pinned product is at %d: %+v", i+1, now)
		}
	}
	wantStatus(t, b.post("/window/"+last, url.Values{"op": {"hide"}}), http.StatusSeeOther)
	page := b.get("/window")
	wantBody(t, page, zh("common.saved"), zh("window.hidden"))
	entries := s.auditOf(t, "window.change")
	if len(entries) != 2 || entries[0].Detail != "top" || entries[1].Detail != "hide" || entries[1].ObjectID != last {
		t.Errorf("audit: %+v", entries)
	}
	wantStatus(t, b.post("/window/"+last, url.Values{"op": {"spin"}}), http.StatusBadRequest)
	wantStatus(t, b.post("/window/999", url.Values{"op": {"top"}}), http.StatusNotFound)

	viewer := s.signedIn(t, "viewer")
	vp := viewer.get("/window")
	wantStatus(t, vp, http.StatusOK)
	if strings.Contains(vp.body, `data-testid="window-move-`) {
		t.Error("a viewer is offered to move products")
	}
	wantStatus(t, viewer.post("/window/"+last, url.Values{"op": {"show"}}), http.StatusForbidden)
	if n := len(s.auditOf(t, "window.change")); n != 2 {
		t.Errorf("%d window entries after the viewer's try", n)
	}
}

// storeProductPost is the product form as an operator fills it for the leaf cats: the attributes and SKUs of
// the sandbox's categories, head and detail images, the freight template tpl.
func storeProductPost(cats, title string, head, desc []string, tpl string) url.Values {
	v := url.Values{"cats": {cats}, "title": {title}, "head": head, "desc_img": desc, "brand": {"2100000000"},
		"template": {tpl}, "seven_day": {"1"}, "submit": {"draft"}, "deliver": {"0"}}
	sku := func(r int, price string, values ...string) {
		v.Set("sku."+strconv.Itoa(r)+".id", "")
		for j, x := range values {
			v.Set("sku."+strconv.Itoa(r)+".v."+strconv.Itoa(j), x)
		}
		v.Set("sku."+strconv.Itoa(r)+".price", price)
		v.Set("sku."+strconv.Itoa(r)+".stock", "10")
		v.Set("sku."+strconv.Itoa(r)+".code", "")
	}
	switch {
	case strings.HasSuffix(cats, "1111"): // 坚果炒货: 产地, 净含量, 保质期, 储存方式; 规格
		v.Set("attr.0", "新疆")
		v.Set("attr.1", "500")
		v.Set("attr.1.unit", "g")
		v.Set("attr.2", "180")
		sku(0, "39.90", "500g 袋装")
	case strings.HasSuffix(cats, "2111"), strings.HasSuffix(cats, "6091"): // T恤: 材质, 适用季节, 产地, 重量; 颜色, 尺码
		v.Set("attr.0", "棉")
		v.Set("attr.2", "广东广州")
		sku(0, "59.90", "白色", "M")
	case strings.HasSuffix(cats, "5101"): // 话费充值: 面值
		sku(0, "49.80", "50元")
	}
	return v
}

func (s *testServer) storeDraft(t *testing.T, id string) *shop.StoreProduct {
	t.Helper()
	_, ans, err := s.app.shop.StoreProduct(t.Context(), id, true)
	if err != nil || ans.EditProduct == nil {
		t.Fatalf("product %s: %v", id, err)
	}
	return ans.EditProduct
}

func TestStoreProductFormFoodWeightOldTreeAndDelivery(t *testing.T) {
	s, b := newStoreServer(t)
	var imgs []string
	for i := range 4 {
		imgs = append(imgs, s.uploadToLibrary(t, b, "f"+strconv.Itoa(i)+".png", pngBytes(t, 40, 40, uint8(i*40))))
	}
	piece := ""
	for id, name := range s.app.shop.FreightNames(t.Context()) {
		if name == "按件计费" {
			piece = id
		}
	}
	// Food: 4 head images and 3 detail images, checked before sending.
	page := b.post("/products", storeProductPost("1001.1101.1111", "新疆薄皮核桃500g", imgs[:3], imgs[:2], piece))
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, zh("store.err.head.food", 4, 3), zh("store.err.descimg.food", 3, 2), `value="新疆薄皮核桃500g"`)
	wantStatus(t, b.post("/products", storeProductPost("1001.1101.1111", "新疆薄皮核桃500g", imgs, imgs[:3], piece)), http.StatusSeeOther)

	// A template by weight needs the product's weight in grams.
	weight, err := s.app.shop.SaveFreightTemplate(t.Context(), func(db.AuditEntry) {}, &shop.FreightTemplate{Name: "按重量", ValuationType: shop.FreightByWeight,
		SendTime: shop.SendWithin48Hours, DeliveryType: "EXPRESS", AddressInfo: shop.FreightAddress{ProvinceName: "广东省", CityName: "广州市"},
		ShippingMethod: shop.FreightNoFree, AllFreightCalcMethod: &shop.FreightCalcMethods{FreightCalcMethodList: []shop.FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1, FirstPrice: 1000, SecondValAmount: 1, SecondPrice: 500}}}})
	if err != nil {
		t.Fatal(err)
	}
	tee := storeProductPost("2001.2101.2111", "纯棉宽松短袖T恤夏季新款", imgs[:3], imgs[3:], weight)
	page = b.post("/products", tee)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, zh("store.err.weight.needed"))
	tee.Set("weight", "abc")
	wantBody(t, b.post("/products", tee), zh("store.err.weight"), `value="abc"`)
	tee.Set("weight", "300")
	ok := b.post("/products", tee)
	wantStatus(t, ok, http.StatusSeeOther)
	if d := s.storeDraft(t, strings.TrimPrefix(ok.header.Get("Location"), "/products/")); d.ExpressInfo == nil || d.ExpressInfo.Weight != 300 {
		t.Errorf("express_info %+v", d.ExpressInfo)
	}

	// The old 3-level tree is offered beside the new one, and a product goes under it with cats.
	wantBody(t, b.get("/products/new"), `data-testid="cat-6033"`, zh("store.cat.old"))
	if two := b.get("/products/new?cats=6033.6057"); strings.Contains(two.body, `data-testid="store-product-form"`) || !strings.Contains(two.body, `data-testid="cat-6091"`) {
		t.Error("two levels of the old tree were taken for a leaf")
	}
	wantBody(t, b.get("/products/new?cats=6033.6057.6091"), `data-testid="store-product-form"`)
	ok = b.post("/products", storeProductPost("6033.6057.6091", "纯棉圆领短袖T恤旧类目款", imgs[:3], imgs[3:], piece))
	wantStatus(t, ok, http.StatusSeeOther)
	if d := s.storeDraft(t, strings.TrimPrefix(ok.header.Get("Location"), "/products/")); len(d.Cats) != 3 || len(d.CatsV2) != 0 {
		t.Errorf("cats %v, cats_v2 %v", d.Cats, d.CatsV2)
	}

	// A category without courier delivery: the accounts to deliver to, and its mandatory qualification.
	form := b.get("/products/new?cats=5001.5101")
	wantBody(t, form, zh("store.deliver.3"), "增值电信业务经营许可证", `data-testid="qual-1111501"`)
	topup := storeProductPost("5001.5101", "中国移动话费充值50元", imgs[:3], imgs[3:], "")
	topup.Set("deliver", "3")
	page = b.post("/products", topup)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, zh("store.err.deliver.acct"), zh("store.err.qua", "增值电信业务经营许可证"))
	topup.Set("acct_type", "3")
	topup.Set("qua.1111501", imgs[0])
	ok = b.post("/products", topup)
	wantStatus(t, ok, http.StatusSeeOther)
	d := s.storeDraft(t, strings.TrimPrefix(ok.header.Get("Location"), "/products/"))
	if d.DeliverMethod != 3 || !slices.Equal(d.DeliverAcctType, []int{3}) || d.ExpressInfo != nil || len(d.ProductQuaInfos) != 1 {
		t.Errorf("delivery %d %v, express %+v, qualifications %+v", d.DeliverMethod, d.DeliverAcctType, d.ExpressInfo, d.ProductQuaInfos)
	}
	// A courier category refuses delivery without one before sending.
	tee = storeProductPost("2001.2101.2111", "纯棉宽松短袖T恤夏季新款二", imgs[:3], imgs[3:], piece)
	tee.Set("deliver", "1")
	wantBody(t, b.post("/products", tee), zh("store.err.deliver.category"))
	tee.Set("deliver", "0")
	tee.Set("address", "999")
	wantBody(t, b.post("/products", tee), zh("store.err.address"))
}

// Rules go down to the city, by the national names; free shipping may start from a number of pieces as well as
// from an amount.
func TestStoreFreightCitiesAndFreeByPieces(t *testing.T) {
	s, b := newStoreServer(t)
	wantBody(t, b.get("/postage/new"), `<option value="广东省/深圳市">深圳市 `+zh("freight.region.wholecity")+`</option>`)
	form := freightPost()
	form["rule.0.province"] = []string{"广东省/深圳市", "广东省/广州市"}
	form["rule.1.province"] = []string{"广东省/火星市"}
	form.Set("shipping", shop.FreightFreeOnCondition)
	form["free_province"] = []string{"浙江省"}
	form.Set("free_count", "两")
	page := b.post("/postage", form)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, "10021054", zh("freight.err.free"), `value="两"`, `<option value="广东省/深圳市" selected`)
	form["rule.1.province"] = []string{"新疆维吾尔自治区"}
	form.Set("free_count", "3")
	ok := b.post("/postage", form)
	wantStatus(t, ok, http.StatusSeeOther)
	id := strings.TrimPrefix(ok.header.Get("Location"), "/postage/")
	tpl, err := s.app.shop.FreightTemplate(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	rule := tpl.AllFreightCalcMethod.FreightCalcMethodList[1]
	if len(rule.AddressInfos) != 2 || rule.AddressInfos[0].CityName != "深圳市" {
		t.Errorf("the city rule: %+v", rule.AddressInfos)
	}
	free := tpl.AllConditionFreeDetail.ConditionFreeDetailList[0]
	if free.ValuationFlag != 1 || free.MinPiece != 3 || free.AmountFlag != 0 {
		t.Errorf("free shipping: %+v", free)
	}
	wantBody(t, b.get("/postage/"+id), "广东省深圳市", zh("freight.rule.freepiece", "浙江省", 3))
	wantBody(t, b.get("/postage/"+id+"/fee?province=浙江省&qty=3"), "¥0.00")
}

// A rule narrows to counties: the editor lists a city's counties once it is picked (and only then), refuses a
// county the city does not have, and the calculator charges by the county, the city, then the province.
func TestStoreFreightCounties(t *testing.T) {
	s, b := newStoreServer(t)
	if page := b.get("/postage/new"); strings.Contains(page.body, `value="广东省/深圳市/南山区"`) {
		t.Error("the new editor lists counties before a city is picked")
	}
	_, before, _ := s.store.AuditPage(t.Context(), 1, 0)
	form := freightPost()
	form["rule.0.province"] = []string{"广东省/深圳市"}
	form.Set("action", "counties")
	page := b.post("/postage", form)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `<option value="广东省/深圳市" selected`, `value="广东省/深圳市/南山区"`, `value="江浙沪 顺丰"`)
	if strings.Contains(page.body, `value="广东省/广州市/海珠区"`) {
		t.Error("the counties of a city not picked are listed")
	}
	if _, after, _ := s.store.AuditPage(t.Context(), 1, 0); after != before {
		t.Errorf("listing the counties wrote to the audit log (%d entries, %d before)", after, before)
	}
	form.Del("action")
	form["rule.0.province"] = []string{"广东省/深圳市/火星区"}
	page = b.post("/postage", form)
	wantStatus(t, page, http.StatusUnprocessableEntity)
	wantBody(t, page, "10021054")
	form["rule.0.province"] = []string{"广东省/深圳市/南山区", "北京市/北京市/海淀区"}
	form["rule.1.province"] = []string{"广东省"}
	form["nosend"] = []string{"广东省/珠海市"}
	ok := b.post("/postage", form)
	wantStatus(t, ok, http.StatusSeeOther)
	id := strings.TrimPrefix(ok.header.Get("Location"), "/postage/")
	tpl, err := s.app.shop.FreightTemplate(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := tpl.AllFreightCalcMethod.FreightCalcMethodList[1].AddressInfos; len(got) != 2 || got[0].CountyName != "南山区" || got[1].CityName != "北京市" {
		t.Errorf("the county rule: %+v", got)
	}
	wantBody(t, b.get("/postage/"+id), "广东省深圳市南山区、北京市海淀区：1 件内 ¥6.00")
	// The calculator lists the counties of the city picked, and charges by the most specific rule.
	wantBody(t, b.get("/postage/"+id+"/fee?pick=1&province=广东省/深圳市"), `value="广东省/深圳市/福田区"`)
	for dest, want := range map[string]string{
		"广东省/深圳市/南山区": zh("freight.fee.result", "广东省深圳市南山区", 2, "¥8.00"),
		"广东省/深圳市/福田区": zh("freight.fee.result", "广东省深圳市福田区", 2, "¥30.00"),
		"广东省/深圳市":     zh("freight.fee.result", "广东省深圳市", 2, "¥30.00"),
		"北京市/北京市/海淀区": zh("freight.fee.result", "北京市海淀区", 2, "¥8.00"),
		"北京市/北京市/朝阳区": zh("freight.fee.result", "北京市朝阳区", 2, "¥17.00"),
		"广东省/珠海市/香洲区": zh("freight.fee.nosend", "广东省珠海市香洲区"),
	} {
		wantBody(t, b.get("/postage/"+id+"/fee?qty=2&province="+url.QueryEscape(dest)), want)
	}
}

// A product event pushed as XML is answered success and read into the mirror, as a JSON one is.
func TestProductPushAsXML(t *testing.T) {
	s, _ := newStoreServer(t)
	rows, _, _ := s.store.StoreProducts(t.Context(), "inaudit", "纯棉圆领", 10, 0)
	if len(rows) != 1 {
		t.Fatalf("in audit: %+v", rows)
	}
	id := rows[0].ProductID
	if err := s.sandbox.DecideAudit(id, true, ""); err != nil {
		t.Fatal(err)
	}
	event := []byte(`<xml><ToUserName><![CDATA[gh_sandbox]]></ToUserName><FromUserName><![CDATA[o_sandbox]]></FromUserName>` +
		`<CreateTime>` + strconv.FormatInt(time.Now().Unix(), 10) + `</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
		`<Event><![CDATA[product_spu_audit]]></Event><ProductSpuAudit><product_id>` + id + `</product_id><status>3</status>` +
		`<reason><![CDATA[]]></reason><product_type>1</product_type></ProductSpuAudit></xml>`)
	wantAnswer(t, s.send(t, buildPush(t, SandboxCallbackToken, nil, event)), http.StatusOK, "success")
	row, err := s.store.StoreProductByID(t.Context(), id)
	if err != nil || row.EditStatus != shop.StoreEditPassed || row.Status != shop.StoreStatusOnSale {
		t.Errorf("after the push: %+v, %v", row, err)
	}
}
