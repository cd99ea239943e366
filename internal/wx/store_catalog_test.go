package wx

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestUpdateStoreStock(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/stock/update", "channels_ec_product_stock_update_request", "channels_ec_ok_answer")
	if err := c.UpdateStoreStock(context.Background(), "324545", "9328425", StockAdd, 10); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateStoreStockRefusesBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	for _, tc := range []struct {
		product, sku ID
		diff         int
		num          int64
	}{{"", "1", StockAdd, 1}, {"1", "", StockAdd, 1}, {"1", "2", 4, 1}, {"1", "2", StockAdd, 0}, {"1", "2", StockReduce, -3}} {
		if err := c.UpdateStoreStock(ctx, tc.product, tc.sku, tc.diff, tc.num); err == nil {
			t.Errorf("%+v: want an error", tc)
		}
	}
}

func TestStoreStock(t *testing.T) {
	c := exampleClient(t, "/channels/ec/product/stock/get", "channels_ec_product_stock_get_request", "channels_ec_product_stock_get_answer")
	s, err := c.StoreStock(context.Background(), "324545", "9328425")
	if err != nil {
		t.Fatal(err)
	}
	if s.NormalStockNum != 998 || s.TotalStockNum != 1030 || len(s.WarehouseStocks) != 2 || s.WarehouseStocks[1].Num != 22 {
		t.Errorf("stock = %+v", s)
	}
}

func TestStoreStocksBatch(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assertSameJSON(t, "batchget body", body, []byte(`{"product_id":["324545","324546"]}`))
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","data":{"spu_stock_list":[{"product_id":"324545","sku_stock":[{"sku_id":9328425,"normal_stock_num":3,"limited_discount_stock_num":"0","total_stock_num":3}]}]}}`)
	})
	list, err := c.StoreStocks(context.Background(), []ID{"324545", "324546"})
	if err != nil || len(list) != 1 || list[0].SKUStock[0].SKUID != "9328425" || list[0].SKUStock[0].TotalStockNum != 3 {
		t.Fatalf("batch = %+v, %v", list, err)
	}
}

func TestStoreSubCategories(t *testing.T) {
	c := exampleClient(t, "/channels/ec/category/availablesoncategories/get",
		"channels_ec_category_availablesoncategories_get_request", "channels_ec_category_availablesoncategories_get_answer")
	subs, err := c.StoreSubCategories(context.Background(), "0")
	if err != nil {
		t.Fatal(err)
	}
	want := []StoreCategory{{CatID: "1", FCatID: "0", Name: "服饰"}, {CatID: "2", FCatID: "0", Name: "鞋帽"}}
	if !reflect.DeepEqual(subs.Old, want) || !reflect.DeepEqual(subs.V2, want) {
		t.Errorf("subs = %+v", subs)
	}
}

func TestStoreCategoryDetail(t *testing.T) {
	c := exampleClient(t, "/channels/ec/category/detail", "channels_ec_category_detail_request", "channels_ec_category_detail_answer")
	d, err := c.StoreCategoryDetail(context.Background(), "6194")
	if err != nil {
		t.Fatal(err)
	}
	if d.Info.Name != "安全座椅" || d.Attr.Deposit != 500000 || d.Attr.TransactionFeeInfo.BasisPoint != 250 {
		t.Errorf("detail = %+v", d)
	}
	attrs := d.Attr.ProductAttrList
	if len(attrs) != 3 || !attrs[0].IsRequired || attrs[1].Kind() != "select_many" || attrs[2].Kind() != "integer_unit" || attrs[2].Value != "mg;g;kg" {
		t.Errorf("attrs = %+v", attrs)
	}
	if len(d.ProductQuaList) != 1 || d.ProductQuaList[0].QuaID != "1111488" || !d.ProductQuaList[0].NeedToApply {
		t.Errorf("qualifications = %+v", d.ProductQuaList)
	}
}

func TestStoreValidBrands(t *testing.T) {
	c := exampleClient(t, "/channels/ec/brand/valid/list/get", "channels_ec_brand_valid_list_get_request", "channels_ec_brand_valid_list_get_answer")
	page, err := c.StoreValidBrands(context.Background(), 10, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Brands) != 2 || page.Brands[1] != (StoreBrand{"10000001", "中兴", "ZTE"}) || page.NextKey != "10000005" || !page.ContinueFlag {
		t.Errorf("page = %+v", page)
	}
}

func TestFreightTemplateIDs(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/getfreighttemplatelist",
		"channels_ec_merchant_getfreighttemplatelist_request", "channels_ec_merchant_getfreighttemplatelist_answer")
	ids, err := c.FreightTemplateIDs(context.Background(), 0, 10)
	if err != nil || !reflect.DeepEqual(ids, []ID{"38983386001", "3705115058471208928"}) {
		t.Fatalf("ids = %v, %v", ids, err)
	}
}

func TestFreightTemplateDetail(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/getfreighttemplatedetail",
		"channels_ec_merchant_getfreighttemplatedetail_request", "channels_ec_merchant_getfreighttemplatedetail_answer")
	ft, err := c.FreightTemplate(context.Background(), "38983386001")
	if err != nil {
		t.Fatal(err)
	}
	// is_default is 0 here (false in the table), not_send_area's list is address_info (address_infos in the table).
	if ft.TemplateID != "38983386001" || ft.Name != "运费险" || ft.ShippingMethod != ShippingFree || bool(ft.IsDefault) ||
		ft.AddressInfo.CountyName != "海珠区" || ft.CreateTime != 1653892643 || ft.NotSendArea == nil {
		t.Errorf("template = %+v", ft)
	}
}

func TestAddFreightTemplate(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/addfreighttemplate",
		"channels_ec_merchant_addfreighttemplate_request", "channels_ec_merchant_addfreighttemplate_answer")
	id, err := c.AddFreightTemplate(context.Background(), &FreightTemplate{
		Name: "测试api", ValuationType: ValuationPiece, SendTime: SendTime24Hours,
		AddressInfo: FreightAddress{PostalCode: "12345", ProvinceName: "广东省", CityName: "广州市", CountyName: "海珠区",
			DetailInfo: "新港中路", NationalCode: "23456", TelNumber: "12345"},
		DeliveryType: "EXPRESS", ShippingMethod: ShippingFree,
	})
	if err != nil || id != "123123" {
		t.Fatalf("id = %q, %v", id, err)
	}
}

// noFreeTemplate is the digest's NO_FREE example: 8 元 for the first piece and 2 元 each after; Xinjiang and
// Tibet 20 元 and 10 元.
func noFreeTemplate() *FreightTemplate {
	return &FreightTemplate{
		TemplateID: "123123", Name: "按件计费", ValuationType: ValuationPiece, SendTime: SendTime48Hours,
		AddressInfo:  FreightAddress{ProvinceName: "广东省", CityName: "广州市", CountyName: "海珠区"},
		DeliveryType: "EXPRESS", ShippingMethod: ShippingNoFree,
		AllFreightCalcMethod: &FreightCalcMethods{FreightCalcMethodList: []FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1, FirstPrice: 800, SecondValAmount: 1, SecondPrice: 200},
			{AddressInfos: []FreightAddress{{ProvinceName: "新疆维吾尔自治区"}, {ProvinceName: "西藏自治区"}},
				FirstValAmount: 1, FirstPrice: 2000, SecondValAmount: 1, SecondPrice: 1000},
		}},
	}
}

func TestUpdateFreightTemplate(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/updatefreighttemplate",
		"channels_ec_merchant_updatefreighttemplate_request", "channels_ec_ok_answer")
	ft := noFreeTemplate()
	ft.CreateTime = 1653892643 // read from detail; never sent back
	if err := c.UpdateFreightTemplate(context.Background(), ft); err != nil {
		t.Fatal(err)
	}
}

func TestFreightFee(t *testing.T) {
	ft := noFreeTemplate()
	ft.NotSendArea = &FreightNotSendArea{AddressInfos: []FreightAddress{{ProvinceName: "台湾省"}}}
	ft.AllFreightCalcMethod.FreightCalcMethodList = append(ft.AllFreightCalcMethod.FreightCalcMethodList,
		FreightCalcMethod{AddressInfos: []FreightAddress{{ProvinceName: "新疆维吾尔自治区", CityName: "乌鲁木齐市"}},
			FirstValAmount: 2, FirstPrice: 1500, SecondValAmount: 2, SecondPrice: 500})
	for _, tc := range []struct {
		qty            int
		province, city string
		want           int64
		ok             bool
	}{
		{1, "广东省", "深圳市", 800, true},
		{3, "广东省", "深圳市", 1200, true},
		{0, "广东省", "深圳市", 800, true},
		{2, "西藏自治区", "拉萨市", 3000, true},
		{2, "新疆维吾尔自治区", "喀什地区", 3000, true},
		{5, "新疆维吾尔自治区", "乌鲁木齐市", 2500, true}, // the city's rule beats the province's: 15 + 2 blocks × 5
		{1, "台湾省", "台北市", 0, false},
	} {
		got, ok := ft.FreightFee(tc.qty, 0, tc.province, tc.city, "")
		if got != tc.want || ok != tc.ok {
			t.Errorf("%d to %s %s = %d, %v; want %d, %v", tc.qty, tc.province, tc.city, got, ok, tc.want, tc.ok)
		}
	}
	ft.ShippingMethod = ShippingConditionFree
	ft.AllConditionFreeDetail = &FreightConditionFrees{ConditionFreeDetailList: []FreightConditionFree{
		{AddressInfos: []FreightAddress{{ProvinceName: "广东省"}}, MinAmount: 9900, AmountFlag: 1}}}
	if fee, _ := ft.FreightFee(2, 9900, "广东省", "深圳市", ""); fee != 0 {
		t.Errorf("free from 99 元 in 广东: fee %d", fee)
	}
	if fee, _ := ft.FreightFee(2, 9899, "广东省", "深圳市", ""); fee != 1000 {
		t.Errorf("below 99 元: fee %d", fee)
	}
}

func TestRegions(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		assertSameJSON(t, "addresscode body", body, []byte(`{"addr_code":0}`))
		io.WriteString(w, `{"errcode":0,"errmsg":"ok","addrs_msg":{"name":"","code":0,"level":0},"next_level_addrs":[{"name":"北京市","code":110000,"level":1},{"name":"广东省","code":"440000","level":1}]}`)
	})
	rc, err := c.Regions(context.Background(), 0)
	if err != nil || len(rc.NextLevelAddrs) != 2 || rc.NextLevelAddrs[1] != (Region{"广东省", 440000, 1}) {
		t.Fatalf("regions = %+v, %v", rc, err)
	}
}

func TestUploadStoreImage(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nrest-of-image")
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != StoreImagePath || q.Get("upload_type") != "0" || q.Get("resp_type") != "1" || q.Get("width") != "800" || q.Get("height") != "600" {
			t.Errorf("request %s %v", r.URL.Path, q)
		}
		mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "multipart/form-data" {
			t.Fatalf("Content-Type %q", mt)
		}
		part, err := multipart.NewReader(r.Body, params["boundary"]).NextPart()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(part)
		if part.FormName() != "media" || part.FileName() != "red.png" || part.Header.Get("Content-Type") != "image/png" || string(data) != string(png) {
			t.Errorf("part %q %q %q %q", part.FormName(), part.FileName(), part.Header.Get("Content-Type"), data)
		}
		io.WriteString(w, `{"errcode":0,"pic_file":{"img_url":"https://mmecimage.cn/p/wxsandbox/abc"}}`)
	})
	u, err := c.UploadStoreImage(context.Background(), "red.png", png, 800, 600)
	if err != nil || u != "https://mmecimage.cn/p/wxsandbox/abc" {
		t.Fatalf("url = %q, %v", u, err)
	}
}

func TestUploadStoreImageURL(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if q := r.URL.Query(); q.Get("upload_type") != "1" || q.Get("resp_type") != "1" {
			t.Errorf("query %v", q)
		}
		assertSameJSON(t, "img_url body", body, []byte(`{"img_url":"https://URL地址/yyy"}`))
		io.WriteString(w, `{"errcode":0,"pic_file":{"img_url":"xxxxx"}}`)
	})
	u, err := c.UploadStoreImageURL(context.Background(), "https://URL地址/yyy")
	if err != nil || u != "xxxxx" {
		t.Fatalf("url = %q, %v", u, err)
	}
	// An mmecimage.cn/p/ URL is usable as it is (uploading it is refused with 10020061).
	already := StoreImagePrefix + "wx1/abc"
	if u, err := refusingClient(t).UploadStoreImageURL(context.Background(), already); err != nil || u != already {
		t.Errorf("mmecimage URL = %q, %v", u, err)
	}
}

func TestUploadStoreImageRefusesBadFiles(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	if _, err := c.UploadStoreImage(ctx, "a.png", nil, 1, 1); err == nil {
		t.Error("empty image accepted")
	}
	if _, err := c.UploadStoreImage(ctx, "a.png", make([]byte, MaxStoreImageBytes+1), 1, 1); err == nil {
		t.Error("image over 10 MB accepted")
	}
	if _, err := c.UploadStoreImage(ctx, "a.png", []byte("x"), 0, 1); err == nil {
		t.Error("image without size accepted")
	}
}

func TestShopCategoryTree(t *testing.T) {
	c := exampleClient(t, "/channels/ec/store/classification/tree/get", "channels_ec_empty_request", "channels_ec_store_classification_tree_get_answer")
	tree, err := c.ShopCategoryTree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []ShopCategory{{ID: 4, Name: "测试7", IsDisplayed: true, Level2: []ShopSubCategory{{ID: 5, Name: "1", IsDisplayed: true}}}}
	if tree.Version != 122 || !reflect.DeepEqual(tree.Level1, want) {
		t.Errorf("tree = %+v", tree)
	}
}

func TestSetShopCategoryTree(t *testing.T) {
	c := exampleClient(t, "/channels/ec/store/classification/tree/set", "channels_ec_store_classification_tree_set_request", "channels_ec_ok_answer")
	level1 := []ShopCategory{{ID: 4, Name: "测试7", IsDisplayed: true, Level2: []ShopSubCategory{{ID: 5, Name: "1", IsDisplayed: true}}}}
	if err := c.SetShopCategoryTree(context.Background(), 121, level1, []string{"1.2"}); err != nil {
		t.Fatal(err)
	}
}

func TestShopCategoryProducts(t *testing.T) {
	c := exampleClient(t, "/channels/ec/store/classification/tree/product/add", "channels_ec_store_classification_tree_product_add_request", "channels_ec_ok_answer")
	if err := c.AddShopCategoryProducts(context.Background(), 1, 0, []ID{"1", "2"}); err != nil {
		t.Fatal(err)
	}
	c = exampleClient(t, "/channels/ec/store/classification/tree/product/get", "channels_ec_store_classification_tree_product_get_request", "channels_ec_store_classification_tree_product_get_answer")
	page, err := c.ShopCategoryProducts(context.Background(), 1, 0, 5, "")
	if err != nil || !reflect.DeepEqual(page.ProductIDs, []ID{"1", "2"}) || page.PageContext != "" {
		t.Fatalf("page = %+v, %v", page, err)
	}
	// Ids above 2^53 go out as bare numbers with every digit.
	c2, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), `"product_ids":[3705115058471208928]`) {
			t.Errorf("body %s", body)
		}
		io.WriteString(w, `{"errcode":0}`)
	})
	if err := c2.RemoveShopCategoryProducts(context.Background(), 1, 2, []ID{"3705115058471208928"}); err != nil {
		t.Fatal(err)
	}
	if err := refusingClient(t).AddShopCategoryProducts(context.Background(), 1, 0, []ID{"abc"}); err == nil {
		t.Error("a non-numeric product id was sent")
	}
}

func TestWindowCalls(t *testing.T) {
	ctx := context.Background()
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/channels/ec/store/window/product/list/get":
			assertSameJSON(t, "list", body, []byte(`{"page_size":10}`))
			io.WriteString(w, `{"errcode":0,"errmsg":"ok","products":[{"product_id":3705115058471208928,"is_set_hide":0,"is_set_top":1},{"product_id":"2","is_set_hide":true,"is_set_top":false}],"total_num":2,"next_key":""}`)
		case "/channels/ec/store/window/product/reorder":
			assertSameJSON(t, "reorder", body, []byte(`{"product_id":3705115058471208928,"index_num":3}`))
			io.WriteString(w, `{"errcode":0}`)
		case "/channels/ec/store/window/product/settop":
			assertSameJSON(t, "settop", body, []byte(`{"product_id":2,"is_set_top":1}`))
			io.WriteString(w, `{"errcode":0}`)
		case "/channels/ec/store/window/product/hide":
			assertSameJSON(t, "hide", body, []byte(`{"product_id":2,"is_set_hide":0}`))
			io.WriteString(w, `{"errcode":0}`)
		default:
			t.Errorf("path %s", r.URL.Path)
		}
	})
	page, err := c.WindowProducts(ctx, 10, "")
	want := []WindowProduct{{"3705115058471208928", false, true}, {"2", true, false}}
	if err != nil || !reflect.DeepEqual(page.Products, want) || page.TotalNum != 2 {
		t.Fatalf("window = %+v, %v", page, err)
	}
	if err := c.ReorderWindowProduct(ctx, "3705115058471208928", 3); err != nil {
		t.Error(err)
	}
	if err := c.PinWindowProduct(ctx, "2", true); err != nil {
		t.Error(err)
	}
	if err := c.HideWindowProduct(ctx, "2", false); err != nil {
		t.Error(err)
	}
}
