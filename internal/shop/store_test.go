package shop

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// newStoreShop is a shop of a 微信小店 whose audits only DecideAudit decides, its products mirrored.
func newStoreShop(t *testing.T) *testShop {
	t.Helper()
	ts := newTestShop(t, sandbox.Options{Kind: sandbox.KindStore, Orders: -1, AuditDelay: -1})
	if n, err := ts.SyncStoreProducts(t.Context()); err != nil || n == 0 {
		t.Fatalf("sync: %d products, %v", n, err)
	}
	return ts
}

// storeRow is the mirror's product whose title holds part.
func storeRow(t *testing.T, ts *testShop, part string) db.StoreProduct {
	t.Helper()
	rows, _, err := ts.store.StoreProducts(t.Context(), db.StoreTabAll, part, 10, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("products titled %q: %+v, %v", part, rows, err)
	}
	row, err := ts.store.StoreProductByID(t.Context(), rows[0].ProductID)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// newProductLike is a product to add, made from a demo product's online copy under a new title.
func newProductLike(t *testing.T, ts *testShop, part, title string) *StoreProductData {
	t.Helper()
	_, ans, err := ts.StoreProduct(t.Context(), storeRow(t, ts, part).ProductID, false)
	if err != nil || ans.Product == nil {
		t.Fatalf("product %q: %v", part, err)
	}
	data := ans.Product.StoreProductData
	data.Title, data.OutProductID = title, ""
	data.SKUs = slices.Clone(data.SKUs)
	for i := range data.SKUs {
		data.SKUs[i].SKUID, data.SKUs[i].OutSKUID, data.SKUs[i].Status = "", "", 0
	}
	return &data
}

func countTitled(t *testing.T, ts *testShop, title string) int {
	t.Helper()
	ids, err := ts.storeProductIDs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, id := range ids {
		ans, err := ts.wx.StoreProduct(t.Context(), id, wx.StoreDraft)
		if err == nil && ans.EditProduct != nil && ans.EditProduct.Title == title {
			n++
		}
	}
	return n
}

func TestSyncStoreProductsMirrorsBothCopies(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "纯棉圆领")
	if row.EditStatus != wx.StoreEditInAudit || !row.HasOnline {
		t.Fatalf("the demo tee: %+v", row)
	}
	_, ans, err := ts.StoreProduct(t.Context(), row.ProductID, false)
	if err != nil || ans.Product == nil || ans.EditProduct == nil {
		t.Fatalf("both copies: %+v, %v", ans, err)
	}
	if ans.Product.SKUs[0].SalePrice == ans.EditProduct.SKUs[0].SalePrice {
		t.Error("the pending draft has the online copy's price")
	}
	if _, _, err := ts.StoreProduct(t.Context(), "999999", false); !errors.Is(err, ErrNoStoreProduct) {
		t.Errorf("a product nobody has: %v", err)
	}
}

// An add whose answer is lost has made the product: the save finds it in WeChat's list and mirrors it, so the
// operator's second click does not make another.
func TestSaveStoreProductFindsTheProductALostAddMade(t *testing.T) {
	ts := newStoreShop(t)
	data := newProductLike(t, ts, "纯棉圆领", "纯棉宽松短袖T恤夏季新款")
	ts.sandbox.LoseNext("/channels/ec/product/add", 1)
	id, err := ts.SaveStoreProduct(t.Context(), ts.j(), "", data, false)
	if err != nil || id == "" {
		t.Fatalf("add with its answer lost: %q, %v", id, err)
	}
	wantEntry(t, ts, "product.create", id, "ok")
	if n := countTitled(t, ts, data.Title); n != 1 {
		t.Errorf("%d products of the title in WeChat", n)
	}
	if row, err := ts.store.StoreProductByID(t.Context(), id); err != nil || row.Title != data.Title || row.HasOnline {
		t.Errorf("mirror: %+v, %v", row, err)
	}
}

// An update writes the whole draft; submitting sends it to audit in the same call.
func TestSaveStoreProductUpdatesAndSubmits(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "布艺桌面")
	_, ans, _ := ts.StoreProduct(t.Context(), row.ProductID, false)
	draft := ans.EditProduct.StoreProductData
	draft.Title = "布艺桌面收纳盒三件套 加厚款"
	if _, err := ts.SaveStoreProduct(t.Context(), ts.j(), row.ProductID, &draft, true); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "product.update", row.ProductID, "ok")
	after, _ := ts.store.StoreProductByID(t.Context(), row.ProductID)
	if after.Title != draft.Title || after.EditStatus != wx.StoreEditInAudit {
		t.Errorf("after the update: %+v", after)
	}
}

// Where WeChat would refuse, the shop refuses first with WeChat's code and sends nothing.
func TestStoreActionRefusesWhatWeChatWould(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "纯棉圆领") // in audit
	err := ts.StoreAction(t.Context(), ts.j(), zh, "delete", row.ProductID)
	var r *Refused
	if !errors.As(err, &r) || !strings.Contains(Explain(zh, err), "10020049") {
		t.Fatalf("delete in audit: %v", err)
	}
	if got := ts.journal.take(); len(got) != 0 {
		t.Errorf("a refusal made entries %+v", got)
	}
	if ts.sandbox.Calls("/channels/ec/product/delete") != 0 {
		t.Error("the refused delete reached WeChat")
	}
	if err := ts.StoreAction(t.Context(), ts.j(), zh, "cancel", row.ProductID); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "product.cancel", row.ProductID, "ok")
	if after, _ := ts.store.StoreProductByID(t.Context(), row.ProductID); after.EditStatus != wx.StoreEditEditing {
		t.Errorf("edit_status %d after the cancel", after.EditStatus)
	}
}

// A listing whose answer is lost went through: the product read back is in audit, and it counts as done.
func TestStoreListingAfterALostAnswer(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "布艺桌面")
	ts.sandbox.LoseNext("/channels/ec/product/listing", 1)
	if err := ts.StoreAction(t.Context(), ts.j(), zh, "listing", row.ProductID); err != nil {
		t.Fatalf("listing with its answer lost: %v", err)
	}
	wantEntry(t, ts, "product.listing", row.ProductID, "ok")
	if after, _ := ts.store.StoreProductByID(t.Context(), row.ProductID); after.EditStatus != wx.StoreEditInAudit {
		t.Errorf("edit_status %d", after.EditStatus)
	}
	if ts.sandbox.Calls("/channels/ec/product/listing") != 1 {
		t.Error("the listing was sent again")
	}
}

// A stock change whose answer is lost is read back with stock/get and counted once.
func TestChangeStoreStockCountsALostChangeOnce(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "黑巧克力")
	_, ans, _ := ts.StoreProduct(t.Context(), row.ProductID, false)
	sku := ans.Product.SKUs[0]
	ts.sandbox.LoseNext("/channels/ec/product/stock/update", 1)
	now, err := ts.ChangeStoreStock(t.Context(), ts.j(), zh, row, sku, "add", 5)
	if err != nil || now != sku.StockNum+5 {
		t.Fatalf("add 5 to %d with the answer lost: %d, %v", sku.StockNum, now, err)
	}
	wantEntry(t, ts, "stock.add", row.ProductID, "ok")
	st, err := ts.wx.StoreStock(t.Context(), wx.ID(row.ProductID), sku.SKUID)
	if err != nil || int64(st.NormalStockNum) != sku.StockNum+5 {
		t.Errorf("WeChat's stock %+v, %v; want %d", st, err, sku.StockNum+5)
	}
}

func TestChangeStoreStockRefusesAProductNeverListed(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "布艺桌面") // never listed
	_, ans, _ := ts.StoreProduct(t.Context(), row.ProductID, false)
	_, err := ts.ChangeStoreStock(t.Context(), ts.j(), zh, row, ans.EditProduct.SKUs[0], "add", 1)
	var r *Refused
	if !errors.As(err, &r) || ts.sandbox.Calls("/channels/ec/product/stock/update") != 0 {
		t.Fatalf("stock of a product never listed: %v", err)
	}
}

// A freight template added with its answer lost is found by its name (unique in a shop): one template.
func TestSaveFreightTemplateFindsALostAdd(t *testing.T) {
	ts := newStoreShop(t)
	tpl := &FreightTemplate{Name: "江浙沪包邮", ValuationType: FreightByPiece, SendTime: SendWithin48Hours, DeliveryType: "EXPRESS",
		AddressInfo: FreightAddress{ProvinceName: "浙江省", CityName: "杭州市"}, ShippingMethod: FreightNoFree,
		AllFreightCalcMethod: &FreightCalcMethods{FreightCalcMethodList: []FreightCalcMethod{{IsDefault: true, FirstValAmount: 1, FirstPrice: 800, SecondValAmount: 1, SecondPrice: 200}}}}
	ts.sandbox.LoseNext("/channels/ec/merchant/addfreighttemplate", 1)
	id, err := ts.SaveFreightTemplate(t.Context(), ts.j(), tpl)
	if err != nil || id == "" {
		t.Fatalf("add with its answer lost: %q, %v", id, err)
	}
	wantEntry(t, ts, "postage.create", id, "ok")
	list, _ := ts.FreightTemplates(t.Context())
	n := 0
	for _, t := range list {
		if t.Name == tpl.Name {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d templates named %s", n, tpl.Name)
	}
	got, err := ts.FreightTemplate(t.Context(), id)
	if err != nil || got.Name != tpl.Name {
		t.Errorf("read back: %+v, %v", got, err)
	}
	if _, err := ts.FreightTemplate(t.Context(), "424242"); !errors.Is(err, ErrNoFreightTemplate) {
		t.Errorf("a template nobody has: %v", err)
	}
}

// The tree is set under the version it was read at; a stale version is ErrTreeChanged and writes nothing.
func TestSaveShopCategoryTreeUnderItsVersion(t *testing.T) {
	ts := newStoreShop(t)
	tree, err := ts.ShopCategoryTree(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	level1 := append(slices.Clone(tree.Level1), ShopCategory{Name: "家居", IsDisplayed: true})
	if err := ts.SaveShopCategoryTree(t.Context(), ts.j(), tree.Version-1, level1, nil); !errors.Is(err, ErrTreeChanged) {
		t.Fatalf("a stale version: %v", err)
	}
	if got := ts.journal.take(); len(got) != 0 {
		t.Errorf("a stale version made entries %+v", got)
	}
	if err := ts.SaveShopCategoryTree(t.Context(), ts.j(), tree.Version, level1, nil); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "shopcats.update", "tree", "ok")
	after, _ := ts.ShopCategoryTree(t.Context())
	if len(after.Level1) != len(tree.Level1)+1 || after.Version == tree.Version {
		t.Errorf("after the save: %d categories, version %d (was %d)", len(after.Level1), after.Version, tree.Version)
	}
}

// A category holds at most 500 products; products added are listed.
func TestChangeShopCategoryProducts(t *testing.T) {
	ts := newStoreShop(t)
	id := storeRow(t, ts, "布艺桌面").ProductID
	if err := ts.ChangeShopCategoryProducts(t.Context(), ts.j(), zh, 1, 0, "add", []string{id}); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "shopcats.add", "1.0", "ok")
	ids, err := ts.ShopCategoryProductIDs(t.Context(), 1, 0)
	if err != nil || !slices.Contains(ids, id) {
		t.Fatalf("category 1: %v, %v", ids, err)
	}
	many := make([]string, MaxShopCategoryProducts)
	for i := range many {
		many[i] = id
	}
	err = ts.ChangeShopCategoryProducts(t.Context(), ts.j(), zh, 1, 0, "add", many)
	var r *Refused
	if !errors.As(err, &r) || !strings.Contains(r.Reason, "500") {
		t.Errorf("more than 500: %v", err)
	}
}

func TestChangeWindow(t *testing.T) {
	ts := newStoreShop(t)
	list, err := ts.WindowProducts(t.Context())
	if err != nil || len(list) < 2 {
		t.Fatalf("window: %v, %v", list, err)
	}
	// Pinned products come first; the last one moves to the first place after them.
	pinned := 0
	for _, w := range list {
		if w.IsSetTop {
			pinned++
		}
	}
	last := string(list[len(list)-1].ProductID)
	if err := ts.ChangeWindow(t.Context(), ts.j(), zh, last, "move", pinned+1); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, ts, "window.change", last, "ok")
	if now, _ := ts.WindowProducts(t.Context()); string(now[pinned].ProductID) != last {
		t.Errorf("place %d after the move: %s, want %s", pinned+1, now[pinned].ProductID, last)
	}
	var r *Refused
	if err := ts.ChangeWindow(t.Context(), ts.j(), zh, last, "move", len(list)+1); !errors.As(err, &r) {
		t.Errorf("a place beyond the window: %v", err)
	}
	if err := ts.ChangeWindow(t.Context(), ts.j(), zh, "999", "top", 0); !errors.Is(err, ErrNotInWindow) {
		t.Errorf("a product not in the window: %v", err)
	}
}

// A product event read from an XML push updates the mirror as a JSON one does, with the refusal's reason.
func TestProductPushedFromXML(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "纯棉圆领")
	// WeChat decides; the mirror learns of it from the push alone.
	if err := ts.sandbox.DecideAudit(row.ProductID, false, "主图与商品不符"); err != nil {
		t.Fatal(err)
	}
	xml := `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1662480000</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
		`<Event><![CDATA[product_spu_audit]]></Event><ProductSpuAudit><product_id>` + row.ProductID + `</product_id><status>2</status>` +
		`<reason><![CDATA[主图与商品不符]]></reason></ProductSpuAudit></xml>`
	if err := ts.ProductPushed(t.Context(), []byte(xml)); err != nil {
		t.Fatal(err)
	}
	after, _ := ts.store.StoreProductByID(t.Context(), row.ProductID)
	if after.EditStatus != wx.StoreEditRejected || after.AuditReason != "主图与商品不符" {
		t.Errorf("after the push: edit_status %d, reason %q", after.EditStatus, after.AuditReason)
	}
}

// A submission beyond the audit quota would only leave the draft short of quota (edit_status 72): the shop
// refuses it first; a draft is still saved without using any.
func TestListingRefusedWithTheQuotaUsedUp(t *testing.T) {
	ts := newStoreShop(t)
	row := storeRow(t, ts, "布艺桌面")
	ts.sandbox.SetAuditQuota(0)
	err := ts.StoreAction(t.Context(), ts.j(), zh, "listing", row.ProductID)
	var r *Refused
	if !errors.As(err, &r) || !strings.Contains(r.Reason, "提审次数已用完") || ts.sandbox.Calls("/channels/ec/product/listing") != 0 {
		t.Fatalf("listing without quota: %v", err)
	}
	if q := ts.AuditQuota(t.Context()); !q.Known || q.Avail != 0 {
		t.Errorf("quota %+v", q)
	}
	_, ans, _ := ts.StoreProduct(t.Context(), row.ProductID, false)
	draft := ans.EditProduct.StoreProductData
	if _, err := ts.SaveStoreProduct(t.Context(), ts.j(), row.ProductID, &draft, false); err != nil {
		t.Errorf("saving a draft without quota: %v", err)
	}
	// Sent anyway (another client, or a quota read that failed), WeChat takes it and the draft waits for quota.
	if err := ts.wx.ListStoreProduct(t.Context(), wx.ID(row.ProductID)); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.RefreshStoreProduct(t.Context(), row.ProductID); err != nil {
		t.Fatal(err)
	}
	after, _ := ts.store.StoreProductByID(t.Context(), row.ProductID)
	if after.EditStatus != wx.StoreEditQuotaShort || StoreRefusal(zh, "listing", after) != "" {
		t.Errorf("edit_status %d; listing refused: %q", after.EditStatus, StoreRefusal(zh, "listing", after))
	}
}
