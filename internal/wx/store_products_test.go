package wx

// The testdata/channels_ec_*.json files are the examples of the 微信小店 digest (shared/api/store), copied
// verbatim; the freight update request is the digest's constructed NO_FREE example with a template_id, and
// the freight list answer adds an id sent as a bare number above 2^53, and the freight add request leaves
// out the example's empty user_name (empty fields are not sent).

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
)

const exampleStoreImg = "https://mmecimage.cn/p/wx37f38d59298839c3/HJE9eJaEc5bJk-eaArVdILSB7MMaHgdK2-JIn51nMQ"

// exampleStoreProduct is the add page's example product, as a form would build it.
func exampleStoreProduct() *StoreProductData {
	return &StoreProductData{
		Title:         "任天堂 Nintendo Switch 国行续航增强版 NS家用体感游戏机掌机 便携掌上游戏机 红蓝主机",
		HeadImgs:      []string{exampleStoreImg},
		DeliverMethod: 0,
		DescInfo:      StoreDescInfo{Imgs: []string{exampleStoreImg}, Desc: "物美价廉"},
		Cats:          []StoreCatRef{{"6033"}, {"6057"}, {"6091"}},
		Attrs: []StoreAttr{{"产地", "四川成都"}, {"适用人群", "青年;中年"},
			{"重量", "38 mg"}},
		ExpressInfo:  &StoreExpressInfo{TemplateID: "47428464001"},
		ExtraService: StoreExtraService{SevenDayReturn: 1, FreightInsurance: 0},
		SKUs: []StoreSKU{{ThumbImg: exampleStoreImg, SalePrice: 1300, StockNum: 100, SKUCode: "A24525252",
			SKUAttrs: []StoreAttr{{"颜色", "红蓝主机"}}, SKUDeliverInfo: &StoreSKUDeliverInfo{StockType: 0}}},
		ProductQuaInfos: []StoreQuaInfo{{QuaID: "1111488", QuaURL: []string{"https://mmecimage.cn/p/wx37f38d59298839c3/HJE9eJaEc5bJk-eaArVdILSB7MMaHgdK2-JIn71nCC"}}},
	}
}

func TestAddStoreProduct(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/add", "channels_ec_product_add_request", "channels_ec_product_add_answer")
	id, err := c.AddStoreProduct(context.Background(), exampleStoreProduct(), false)
	if err != nil {
		t.Fatal(err)
	}
	if id != "23423523452345235" {
		t.Errorf("product id = %q", id)
	}
}

// The add page's example writes the new product id as a bare number above 2^53: every digit must survive.
func TestAddStoreProductKeepsBareNumberID(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","data":{"product_id":23423523452345235,"create_time":"2020-03-25 12:05:25"}}`)
	})
	id, err := c.AddStoreProduct(context.Background(), exampleStoreProduct(), true)
	if err != nil || id != "23423523452345235" {
		t.Fatalf("AddStoreProduct = %q, %v", id, err)
	}
	// uint64 ids may exceed the int64 range too.
	var big ID
	if err := json.Unmarshal([]byte(`18446744073709551615`), &big); err != nil || big != "18446744073709551615" {
		t.Errorf("uint64 max id = %q, %v", big, err)
	}
}

func TestUpdateStoreProduct(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/update", "channels_ec_product_update_request", "channels_ec_product_update_answer")
	p := exampleStoreProduct()
	p.DescInfo.Desc = ""
	p.Attrs, p.ProductQuaInfos = nil, nil
	// The SKU read back from get carries its status, which update must not send.
	p.SKUs = []StoreSKU{
		{SKUID: "123456001", SalePrice: 1200, StockNum: 100, SKUAttrs: []StoreAttr{{"颜色", "红蓝主机"}}, Status: 5},
		{SalePrice: 1300, StockNum: 50, SKUAttrs: []StoreAttr{{"颜色", "灰色主机"}}},
	}
	if err := c.UpdateStoreProduct(context.Background(), "23423523452345235", p, true); err != nil {
		t.Fatal(err)
	}
	if p.SKUs[0].Status != 5 {
		t.Error("UpdateStoreProduct changed the caller's SKU")
	}
}

func TestStoreProductGet(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/get", "channels_ec_product_get_request", "channels_ec_product_get_answer")
	ans, err := c.StoreProduct(context.Background(), "324545", StoreBoth)
	if err != nil {
		t.Fatal(err)
	}
	p := ans.Product
	if p == nil || ans.EditProduct != nil {
		t.Fatalf("product = %v, edit_product = %v; the example has the online copy only", p, ans.EditProduct)
	}
	if p.ProductID != "123456789" || p.Status != StoreStatusOnSale || p.EditStatus != StoreEditInAudit || p.MinPrice != 1 {
		t.Errorf("product = %+v", p)
	}
	if p.ExpressInfo == nil || p.ExpressInfo.TemplateID != "123456" || p.SPUCode != "SPU_CODE_TEST" {
		t.Errorf("express/spu = %+v %q", p.ExpressInfo, p.SPUCode)
	}
	// qua_id is a number in this answer and a string in add: both read as the same text.
	if len(p.ProductQuaInfos) != 1 || p.ProductQuaInfos[0].QuaID != "1111484" {
		t.Errorf("qualifications = %+v", p.ProductQuaInfos)
	}
	want := StoreSKU{SKUID: "123456001", OutSKUID: "OUT_SKU_ID_TEST", SalePrice: 1, StockNum: 5, SKUCode: "SKU_CODE_TEST",
		SKUAttrs: []StoreAttr{{"产地", "四川成都"}}}
	if len(p.SKUs) != 1 || !reflect.DeepEqual(p.SKUs[0], want) {
		t.Errorf("skus = %+v, want %+v", p.SKUs, want)
	}
	if len(ans.Raw) == 0 || !json.Valid(ans.Raw) {
		t.Error("the answer's bytes are not kept")
	}
}

func TestStoreProductIDs(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/list/get", "channels_ec_product_list_get_request", "channels_ec_product_list_get_answer")
	page, err := c.StoreProductIDs(context.Background(), StoreStatusOnSale, 10, "THE_NEXT_KEY")
	if err != nil {
		t.Fatal(err)
	}
	want := StoreProductList{ProductIDs: []ID{"1234567001", "1234567002"}, NextKey: "THE_NEXT_KEY_NEW", TotalNum: 100}
	if !reflect.DeepEqual(*page, want) {
		t.Errorf("page = %+v, want %+v", *page, want)
	}
}

// The first page of every product sends neither status nor next_key.
func TestStoreProductIDsFirstPage(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assertSameJSON(t, "list body", body, []byte(`{"page_size":30}`))
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","product_ids":[3705115058471208928],"next_key":"","total_num":"1"}`)
	})
	page, err := c.StoreProductIDs(context.Background(), 0, MaxStoreProductPage, "")
	if err != nil || len(page.ProductIDs) != 1 || page.ProductIDs[0] != "3705115058471208928" || page.TotalNum != 1 {
		t.Fatalf("page = %+v, %v", page, err)
	}
}

func TestStoreProductActions(t *testing.T) {
	ctx := context.Background()
	for path, call := range map[string]func(*Client) error{
		"/channels/ec/product/delete":       func(c *Client) error { return c.DeleteStoreProduct(ctx, "324545") },
		"/channels/ec/product/listing":      func(c *Client) error { return c.ListStoreProduct(ctx, "324545") },
		"/channels/ec/product/delisting":    func(c *Client) error { return c.DelistStoreProduct(ctx, "324545") },
		"/channels/ec/product/audit/cancel": func(c *Client) error { return c.CancelStoreAudit(ctx, "324545") },
	} {
		t.Run(path, func(t *testing.T) {
			c := exampleClient(t, path, "channels_ec_product_id_request", "channels_ec_ok_answer")
			if err := call(c); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStoreAuditQuota(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/channels/ec/product/getauditquota" {
			t.Errorf("path %s", r.URL.Path)
		}
		// The page's example (block_status a number since 2026-04-28), with the fields added on 2026-05-28.
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","audit_quota":{"block_status":1,"avail_quota":200,"total_quota":1000,`+
			`"unlimited_type":0,"audit_total_quota":1000,"audit_total_remaining":0,"new_product_total_quota":300,"new_product_remaining":12}}`)
	})
	q, err := c.StoreAuditQuota(context.Background())
	want := StoreAuditQuota{BlockStatus: true, AvailQuota: 200, TotalQuota: 1000, AuditTotalQuota: 1000, AuditTotalRemaining: 0,
		NewProductTotalQuota: 300, NewProductRemaining: 12}
	if err != nil || *q != want {
		t.Fatalf("quota = %+v, %v", q, err)
	}
}

func TestStoreProductCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"add nil":       func() error { _, err := c.AddStoreProduct(ctx, nil, false); return err }(),
		"update no id":  c.UpdateStoreProduct(ctx, "", exampleStoreProduct(), false),
		"get no id":     func() error { _, err := c.StoreProduct(ctx, "", StoreBoth); return err }(),
		"get data_type": func() error { _, err := c.StoreProduct(ctx, "1", 4); return err }(),
		"list 31":       func() error { _, err := c.StoreProductIDs(ctx, 0, 31, ""); return err }(),
		"delete no id":  c.DeleteStoreProduct(ctx, ""),
	} {
		if err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestStoreCatalogCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	p := exampleStoreProduct()
	assertWeChatErrors(t, []apiCallCase{
		{"/channels/ec/product/add", func(c *Client) error { _, err := c.AddStoreProduct(ctx, p, false); return err }},
		{"/channels/ec/product/update", func(c *Client) error { return c.UpdateStoreProduct(ctx, "1", p, false) }},
		{"/channels/ec/product/get", func(c *Client) error { _, err := c.StoreProduct(ctx, "1", StoreBoth); return err }},
		{"/channels/ec/product/list/get", func(c *Client) error { _, err := c.StoreProductIDs(ctx, 0, 10, ""); return err }},
		{"/channels/ec/product/delete", func(c *Client) error { return c.DeleteStoreProduct(ctx, "1") }},
		{"/channels/ec/product/listing", func(c *Client) error { return c.ListStoreProduct(ctx, "1") }},
		{"/channels/ec/product/delisting", func(c *Client) error { return c.DelistStoreProduct(ctx, "1") }},
		{"/channels/ec/product/audit/cancel", func(c *Client) error { return c.CancelStoreAudit(ctx, "1") }},
		{"/channels/ec/product/getauditquota", func(c *Client) error { _, err := c.StoreAuditQuota(ctx); return err }},
		{"/channels/ec/product/stock/update", func(c *Client) error { return c.UpdateStoreStock(ctx, "1", "2", StockAdd, 1) }},
		{"/channels/ec/product/stock/get", func(c *Client) error { _, err := c.StoreStock(ctx, "1", "2"); return err }},
		{"/channels/ec/product/stock/batchget", func(c *Client) error { _, err := c.StoreStocks(ctx, []ID{"1"}); return err }},
		{"/channels/ec/category/availablesoncategories/get", func(c *Client) error { _, err := c.StoreSubCategories(ctx, "0"); return err }},
		{"/channels/ec/category/detail", func(c *Client) error { _, err := c.StoreCategoryDetail(ctx, "6194"); return err }},
		{"/channels/ec/brand/valid/list/get", func(c *Client) error { _, err := c.StoreValidBrands(ctx, 10, ""); return err }},
		{"/channels/ec/merchant/getfreighttemplatelist", func(c *Client) error { _, err := c.FreightTemplateIDs(ctx, 0, 10); return err }},
		{"/channels/ec/merchant/getfreighttemplatedetail", func(c *Client) error { _, err := c.FreightTemplate(ctx, "1"); return err }},
		{"/channels/ec/merchant/addfreighttemplate", func(c *Client) error { _, err := c.AddFreightTemplate(ctx, &FreightTemplate{}); return err }},
		{"/channels/ec/merchant/updatefreighttemplate", func(c *Client) error { return c.UpdateFreightTemplate(ctx, &FreightTemplate{TemplateID: "1"}) }},
		{"/channels/ec/basics/addresscode/get", func(c *Client) error { _, err := c.Regions(ctx, 0); return err }},
		{StoreImagePath, func(c *Client) error { _, err := c.UploadStoreImage(ctx, "a.png", []byte("\x89PNG"), 1, 1); return err }},
		{StoreImagePath, func(c *Client) error { _, err := c.UploadStoreImageURL(ctx, "https://example.com/a.png"); return err }},
		{"/channels/ec/store/classification/tree/get", func(c *Client) error { _, err := c.ShopCategoryTree(ctx); return err }},
		{"/channels/ec/store/classification/tree/set", func(c *Client) error { return c.SetShopCategoryTree(ctx, 1, nil, nil) }},
		{"/channels/ec/store/classification/tree/product/add", func(c *Client) error { return c.AddShopCategoryProducts(ctx, 1, 0, []ID{"1"}) }},
		{"/channels/ec/store/classification/tree/product/del", func(c *Client) error { return c.RemoveShopCategoryProducts(ctx, 1, 0, []ID{"1"}) }},
		{"/channels/ec/store/classification/tree/product/get", func(c *Client) error { _, err := c.ShopCategoryProducts(ctx, 1, 0, 5, ""); return err }},
		{"/channels/ec/store/window/product/list/get", func(c *Client) error { _, err := c.WindowProducts(ctx, 10, ""); return err }},
		{"/channels/ec/store/window/product/reorder", func(c *Client) error { return c.ReorderWindowProduct(ctx, "1", 0) }},
		{"/channels/ec/store/window/product/settop", func(c *Client) error { return c.PinWindowProduct(ctx, "1", true) }},
		{"/channels/ec/store/window/product/hide", func(c *Client) error { return c.HideWindowProduct(ctx, "1", true) }},
	})
}

func TestStoreCodesHaveMeaningsInBothLanguages(t *testing.T) {
	for _, code := range []int{CodeStoreInAudit, CodeStoreNotInAudit, CodeStoreUploading, CodeStoreNeverListed,
		CodeStoreBadImageURL, CodeFreightNameTaken, 10021055, 10020219, CodeInterfaceRetired} {
		zh, ok1 := CodeMeaning(code, "zh")
		en, ok2 := CodeMeaning(code, "en")
		if !ok1 || !ok2 || zh == en || zh == "" || en == "" {
			t.Errorf("code %d: zh %q, en %q", code, zh, en)
		}
	}
	if m, _ := CodeMeaning(CodeStoreInAudit, "zh"); m != "商品正在审核中，不能编辑、删除或上架；请先撤回审核。" {
		t.Errorf("10020049 = %q", m)
	}
}

func TestStoreTitleCode(t *testing.T) {
	for title, want := range map[string]int{
		"糖醋排骨【预订价10元】":        0, // the page's accepted examples
		"CheddarCheese切达干酪":   0,
		"正宗五指毛桃根√":            10020045, // the page's refused examples
		"Classic Whole Wheat": 10020045,
		"iPhone 13":           10020045,
		"Mac999":              10020045,
		"":                    10020020,
		"   ":                 10020020,
		"茶叶四":                 10020042,
		"新鲜　苹果 ５斤":            0,
		"超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超长标题超": 10020021,
	} {
		if got := StoreTitleCode(title); got != want {
			t.Errorf("StoreTitleCode(%q) = %d, want %d", title, got, want)
		}
	}
}
