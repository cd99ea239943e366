package wx

// The testdata/merchant_*.json files are the JSON examples of 微信商铺API手册 V1.13 (shared/api), one file per
// request and per answer, copied verbatim. Two of them in this file's area were not valid JSON in the
// flattened PDF, and only their syntax was fixed:
//   - merchant_get_answer.json: the string detail_html spanned several lines (the PDF dropped its HTML tags
//     and kept the line breaks); the breaks are written \n, the text is unchanged.
//   - merchant_getbystatus_answer.json: product_base, sku_list, attrext and delivery_info were elided as
//     "..."; they are written {}, [], {} and {}.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// example returns testdata/name.json, one of the manual's examples.
func example(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// assertSameJSON compares two JSON texts by meaning: key order, spacing and escaping do not matter.
func assertSameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: got invalid JSON %q: %v", what, got, err)
		return
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: want invalid JSON: %v", what, err)
	}
	if diffs := jsonDiff("$", g, w, nil); len(diffs) > 0 {
		t.Errorf("%s differs from the manual:\n%s", what, strings.Join(diffs, "\n"))
	}
}

// jsonDiff lists where two decoded JSON values differ, by path, so a failure names the field at fault
// instead of printing two long documents.
func jsonDiff(path string, got, want any, diffs []string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		for k, wv := range w {
			if gv, ok := g[k]; ok {
				diffs = jsonDiff(path+"."+k, gv, wv, diffs)
			} else {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing, want %v", path, k, wv))
			}
		}
		for k, gv := range g {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: unexpected %v", path, k, gv))
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			break
		}
		for i := range w {
			diffs = jsonDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], diffs)
		}
		return diffs
	}
	if !reflect.DeepEqual(got, want) {
		diffs = append(diffs, fmt.Sprintf("%s: got %#v, want %#v", path, got, want))
	}
	return diffs
}

// exampleClient is a client whose server plays one call of the manual: it checks that the request is a
// JSON POST to path with the access token and a body meaning the same as testdata/request.json, and
// answers with testdata/answer.json. It fails the test unless exactly one request arrives.
func exampleClient(t *testing.T, path, request, answer string) *Client {
	t.Helper()
	wantBody := example(t, request)
	ans := example(t, answer)
	var calls atomic.Int32
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != path {
			t.Errorf("got %s %s, want POST %s", r.Method, r.URL.Path, path)
		}
		if q := r.URL.Query(); q.Get("access_token") != "TOK" || len(q) != 1 {
			t.Errorf("query = %v, want only access_token=TOK", q)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		body, _ := io.ReadAll(r.Body)
		assertSameJSON(t, path+" body", body, wantBody)
		w.Header().Set("Content-Type", "application/json")
		w.Write(ans)
	})
	t.Cleanup(func() {
		if n := calls.Load(); n != 1 {
			t.Errorf("%s was called %d times, want once", path, n)
		}
	})
	return c
}

// refusingClient is a client for calls that must fail before reaching WeChat.
func refusingClient(t *testing.T) *Client {
	t.Helper()
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
	})
	return c
}

// apiCallCase is one call of an API area, for the tests every call must pass.
type apiCallCase struct {
	path string
	call func(*Client) error
}

// assertWeChatErrors checks that an errcode answered with HTTP 200 comes back from each call as *Error
// with the code and the path, and that no call mistakes it for success.
func assertWeChatErrors(t *testing.T, cases []apiCallCase) {
	t.Helper()
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"errcode":40097,"errmsg":"invalid args"}`)
	})
	for _, tc := range cases {
		err := tc.call(c)
		var werr *Error
		if !errors.As(err, &werr) || werr.Code != 40097 || werr.Msg != "invalid args" || werr.Path != tc.path {
			t.Errorf("%s: err = %#v, want *Error{40097, invalid args, %s}", tc.path, err, tc.path)
		}
	}
}

const (
	exampleMainImg = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2iccsvYbHvnphkyGtnvjD3ulEKogfsiaua49pvLfUS8Ym0GSYjViaLic0FD3vN0V8PILcibEGb2fPfEOmw/0"
	exampleIcon    = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl28bJj62XgfHPibY3ORKicN1oJ4CcoIr4BMbfA8LqyyjzOZzqrOGz3f5KWq1QGP3fo6TOTSYD3TBQjuw/0"
	exampleDetail  = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2iccsvYbHvnphkyGtnvjD3ul1UcLcwxrFdwTKYhH9Q5YZoCfX4Ncx655ZK6ibnlibCCErbKQtReySaVA/0"
)

// createExample is the product of the manual's merchant/create example, written as the app would build it.
func createExample() *Product {
	return &Product{
		ProductBase: ProductBase{
			CategoryID: []ID{"537074298"},
			Property: []ProductProperty{
				{ID: "1075741879", VID: "1079749967"},
				{ID: "1075754127", VID: "1079795198"},
				{ID: "1075777334", VID: "1079837440"},
			},
			Name:    "testaddproduct",
			SKUInfo: []SKUInfo{{ID: "1075741873", VID: []ID{"1079742386", "1079742363"}}},
			MainImg: exampleMainImg,
			Img:     []string{exampleMainImg},
			Detail: []ProductDetail{
				{Text: "test first"},
				{Img: exampleDetail},
				{Text: "test again"},
			},
			BuyLimit: 10,
		},
		SKUList: []SKU{
			{
				SKUID:       SKUID([]SKUPair{{ID: "1075741873", VID: "1079742386"}}),
				Price:       30,
				IconURL:     exampleIcon,
				ProductCode: "testing",
				OriPrice:    9000000,
				Quantity:    800,
			},
			{
				SKUID:       SKUID([]SKUPair{{ID: "1075741873", VID: "1079742363"}}),
				Price:       30,
				IconURL:     exampleIcon,
				ProductCode: "testingtesting",
				OriPrice:    9000000,
				Quantity:    800,
			},
		},
		AttrExt: AttrExt{
			Location:     Location{Country: "中国", Province: "广东省", City: "广州市", Address: "T.I.T创意园"},
			IsHasReceipt: 1,
		},
		DeliveryInfo: &DeliveryInfo{
			DeliveryType: DeliveryByExpress,
			Express: []Express{
				{ID: ExpressPingYou, Price: 100},
				{ID: ExpressKuaiDi, Price: 100},
				{ID: ExpressEMS, Price: 100},
			},
		},
	}
}

// updateExample is the manual's merchant/update example: the created product with one detail image, a
// buy limit of 3, and the main image as the first SKU's icon.
func updateExample() *Product {
	p := createExample()
	p.ProductID = "pDF3iY6Kr_BV_CXaiYysoGqJhppQ"
	p.ProductBase.Detail = []ProductDetail{{Img: exampleDetail}}
	p.ProductBase.BuyLimit = 3
	p.SKUList[0].IconURL = exampleMainImg
	return p
}

func TestProductMarshalsAsTheManualsExamples(t *testing.T) {
	for name, p := range map[string]*Product{
		"merchant_create_request": createExample(),
		"merchant_update_request": updateExample(),
	} {
		got, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		assertSameJSON(t, name, got, example(t, name))
	}
}

func TestCreateProduct(t *testing.T) {
	c := exampleClient(t, "/merchant/create", "merchant_create_request", "merchant_create_answer")
	id, err := c.CreateProduct(context.Background(), createExample())
	if err != nil {
		t.Fatal(err)
	}
	if id != "pDF3iYwktviE3BzU3BKiSWWi9Nkw" {
		t.Errorf("product id = %q", id)
	}
}

// A product copied from a fetched one carries fields that only answers have; create must not send them,
// and must not send null for lists the operator left empty.
func TestCreateProductSendsOnlyRequestFields(t *testing.T) {
	p := &Product{
		ProductID:   "pOLD",
		Status:      ProductOnSale,
		ProductBase: ProductBase{Name: "包邮的书", DetailHTML: "<p>old</p>", SKUInfo: []SKUInfo{{ID: "$颜色"}}},
		SKUList:     []SKU{{SKUID: "", Price: 100, OriPrice: 200, Quantity: 5}},
		AttrExt:     AttrExt{IsPostFree: 1},
	}
	before := *p
	var body map[string]any
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Error(err)
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "success", "product_id": "pNEW"})
	})
	if _, err := c.CreateProduct(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"product_id", "status", "delivery_info"} {
		if _, ok := body[k]; ok {
			t.Errorf("body has %s: %v", k, body)
		}
	}
	base := body["product_base"].(map[string]any)
	if _, ok := base["detail_html"]; ok {
		t.Errorf("product_base has detail_html: %v", base)
	}
	for _, k := range []string{"category_id", "property", "img"} {
		if l, ok := base[k].([]any); !ok || len(l) != 0 {
			t.Errorf("product_base.%s = %#v, want []", k, base[k])
		}
	}
	if vid := base["sku_info"].([]any)[0].(map[string]any)["vid"]; !reflect.DeepEqual(vid, []any{}) {
		t.Errorf("sku_info[0].vid = %#v, want []", vid)
	}
	if p.ProductID != before.ProductID || p.Status != before.Status || p.ProductBase.DetailHTML != before.ProductBase.DetailHTML || p.ProductBase.SKUInfo[0].VID != nil {
		t.Errorf("CreateProduct changed the caller's product: %+v", p)
	}
}

func TestCreateProductAnswerWithoutID(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if id, err := c.CreateProduct(context.Background(), createExample()); err == nil || id != "" {
		t.Errorf("CreateProduct = %q, %v; want an error", id, err)
	}
}

func TestDeleteProduct(t *testing.T) {
	c := exampleClient(t, "/merchant/del", "merchant_del_request", "merchant_del_answer")
	if err := c.DeleteProduct(context.Background(), "pDF3iYwktviE3BzU3BKiSWWi9Nkw"); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateProduct(t *testing.T) {
	c := exampleClient(t, "/merchant/update", "merchant_update_request", "merchant_update_answer")
	if err := c.UpdateProduct(context.Background(), updateExample()); err != nil {
		t.Fatal(err)
	}
}

// getExample is the product_info of the manual's merchant/get answer, decoded.
func getExample(t *testing.T) *Product {
	t.Helper()
	c := exampleClient(t, "/merchant/get", "merchant_get_request", "merchant_get_answer")
	p, err := c.GetProduct(context.Background(), "pDF3iYwktviE3BzU3BKiSWWi9Nkw")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGetProduct(t *testing.T) {
	p := getExample(t)
	if p.ProductID != "pDF3iY6Kr_BV_CXaiYysoGqJhppQ" || p.ProductBase.Name != "testaddproduct" {
		t.Errorf("product = %q %q", p.ProductID, p.ProductBase.Name)
	}
	b := p.ProductBase
	// category_id comes as a number here, where create sends a string.
	if !slices.Equal(b.CategoryID, []ID{"537074298"}) {
		t.Errorf("category_id = %q", b.CategoryID)
	}
	// property comes as names here, where create sends ids.
	wantProps := []ProductProperty{{"品牌", "Fujifilm/富士"}, {"屏幕尺寸", "1.8英寸"}, {"防抖性能", "CCD防抖"}}
	if !slices.Equal(b.Property, wantProps) {
		t.Errorf("property = %q", b.Property)
	}
	if len(b.SKUInfo) != 1 || b.SKUInfo[0].ID != "1075741873" || !slices.Equal(b.SKUInfo[0].VID, []ID{"1079742386", "1079742363"}) {
		t.Errorf("sku_info = %+v", b.SKUInfo)
	}
	if b.BuyLimit != 10 || b.MainImg != exampleMainImg || !slices.Equal(b.Img, []string{exampleMainImg}) {
		t.Errorf("buy_limit, main_img, img = %d %q %q", b.BuyLimit, b.MainImg, b.Img)
	}
	if b.Detail != nil || b.DetailHTML != "\ntest\n\ntest again\n" {
		t.Errorf("detail, detail_html = %v %q", b.Detail, b.DetailHTML)
	}
	wantSKUs := []SKU{
		{SKUID: "1075741873:1079742386", Price: 30, IconURL: exampleMainImg, Quantity: 800, ProductCode: "testing", OriPrice: 9000000},
		{SKUID: "1075741873:1079742363", Price: 30, IconURL: exampleIcon, Quantity: 800, ProductCode: "testingtesting", OriPrice: 9000000},
	}
	if !slices.Equal(p.SKUList, wantSKUs) {
		t.Errorf("sku_list = %+v", p.SKUList)
	}
	wantAttr := AttrExt{
		Location:     Location{Country: "中国", Province: "广东省", City: "广州市", Address: "T.I.T创意园"},
		IsHasReceipt: 1,
	}
	if p.AttrExt != wantAttr {
		t.Errorf("attrext = %+v", p.AttrExt)
	}
	if d := p.DeliveryInfo; d == nil || d.DeliveryType != DeliveryByTemplate || d.TemplateID != 103312920 || d.Express != nil {
		t.Errorf("delivery_info = %+v", d)
	}
	if p.Status != 0 {
		t.Errorf("status = %d; merchant/get does not send one", p.Status)
	}
}

// Sending a fetched product back: category_id goes out as a string again and detail_html stays home.
func TestUpdateFetchedProduct(t *testing.T) {
	p := getExample(t)
	body := p.requestBody()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ProductID   string         `json:"product_id"`
		ProductBase map[string]any `json:"product_base"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.ProductID != p.ProductID {
		t.Errorf("product_id = %q", m.ProductID)
	}
	if got := m.ProductBase["category_id"]; !reflect.DeepEqual(got, []any{"537074298"}) {
		t.Errorf("category_id = %#v", got)
	}
	if _, ok := m.ProductBase["detail_html"]; ok {
		t.Error("detail_html was sent")
	}
}

func TestGetProductAnswerWithoutProductInfo(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if p, err := c.GetProduct(context.Background(), "p1"); err == nil || p != nil {
		t.Errorf("GetProduct = %v, %v; want an error", p, err)
	}
}

func TestProductsByStatus(t *testing.T) {
	c := exampleClient(t, "/merchant/getbystatus", "merchant_getbystatus_request", "merchant_getbystatus_answer")
	ps, err := c.ProductsByStatus(context.Background(), ProductsAll)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ProductID)
		if p.Status != ProductOnSale {
			t.Errorf("%s: status = %d", p.ProductID, p.Status)
		}
	}
	if want := []string{"pDF3iY-mql6CncpbVajaB_obC3Bk", "pDF3iY-mql6CncpbVajaB_obC321"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %q, want %q", ids, want)
	}
}

func TestSetProductStatus(t *testing.T) {
	c := exampleClient(t, "/merchant/modproductstatus", "merchant_modproductstatus_request", "merchant_modproductstatus_answer")
	if err := c.SetProductStatus(context.Background(), "p0FfkjnSNm4NQj0_4a9l9MtRRxzA", SetOffSale); err != nil {
		t.Fatal(err)
	}
}

func TestProductCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	noID := createExample()
	for name, call := range map[string]func() error{
		"create nil":        func() error { _, err := c.CreateProduct(ctx, nil); return err },
		"update nil":        func() error { return c.UpdateProduct(ctx, nil) },
		"update no id":      func() error { return c.UpdateProduct(ctx, noID) },
		"delete no id":      func() error { return c.DeleteProduct(ctx, "") },
		"get no id":         func() error { _, err := c.GetProduct(ctx, ""); return err },
		"getbystatus 3":     func() error { _, err := c.ProductsByStatus(ctx, 3); return err },
		"getbystatus -1":    func() error { _, err := c.ProductsByStatus(ctx, -1); return err },
		"status no id":      func() error { return c.SetProductStatus(ctx, "", SetOnSale) },
		"status 2 mixed up": func() error { return c.SetProductStatus(ctx, "p1", ProductOffSale) },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "wx: /merchant/") {
			t.Errorf("%s: err = %v, want a wx: /merchant/... error", name, err)
		}
	}
}

func TestProductCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/create", func(c *Client) error { _, err := c.CreateProduct(ctx, createExample()); return err }},
		{"/merchant/del", func(c *Client) error { return c.DeleteProduct(ctx, "p1") }},
		{"/merchant/update", func(c *Client) error { return c.UpdateProduct(ctx, updateExample()) }},
		{"/merchant/get", func(c *Client) error { _, err := c.GetProduct(ctx, "p1"); return err }},
		{"/merchant/getbystatus", func(c *Client) error { _, err := c.ProductsByStatus(ctx, ProductOnSale); return err }},
		{"/merchant/modproductstatus", func(c *Client) error { return c.SetProductStatus(ctx, "p1", SetOnSale) }},
	})
}

func TestIDUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ID
		ok   bool
	}{
		{`"537074298"`, "537074298", true},
		{`537074298`, "537074298", true},
		{`"品牌"`, "品牌", true},
		{`"$红色"`, "$红色", true},
		{`""`, "", true},
		{`9007199254740993`, "9007199254740993", true}, // above 2^53: a float64 would round it
		{`-1`, "-1", true},
		{`null`, "kept", true},
		{`1.5`, "", false},
		{`1e9`, "", false},
		{`true`, "", false},
		{`{}`, "", false},
		{`[]`, "", false},
	} {
		id := ID("kept")
		err := json.Unmarshal([]byte(tc.in), &id)
		if tc.ok && (err != nil || id != tc.want) {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q", tc.in, id, err, tc.want)
		}
		if !tc.ok && err == nil {
			t.Errorf("Unmarshal(%s) = %q; want an error", tc.in, id)
		}
	}
}

func TestIDMarshalsAsString(t *testing.T) {
	got, err := json.Marshal([]ID{"537074298", "品牌"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `["537074298","品牌"]` {
		t.Errorf("Marshal = %s", got)
	}
}

func TestIDInt64(t *testing.T) {
	if n, err := ID("537074292").Int64(); err != nil || n != 537074292 {
		t.Errorf("Int64 = %d, %v", n, err)
	}
	for _, id := range []ID{"", "品牌", "1.5", "99999999999999999999"} {
		if _, err := id.Int64(); err == nil {
			t.Errorf("ID(%q).Int64(): want an error", id)
		}
	}
}
