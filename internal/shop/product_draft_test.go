package shop

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// Every product of the demo shop comes back into the form as it is, and checking that draft sends the same
// product: its SKUs, images, detail and delivery.
func TestProductDraftRoundTrip(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	ctx := t.Context()
	if _, err := ts.SyncProducts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.SyncPostageTemplates(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _, err := ts.store.Products(ctx, dbAll)
	if err != nil || len(rows) == 0 {
		t.Fatalf("products: %d %v", len(rows), err)
	}
	for _, row := range rows {
		p, err := StoredProduct(row)
		if err != nil {
			t.Fatal(err)
		}
		fields, err := ts.CategoryFields(ctx, row.CategoryID)
		if err != nil {
			t.Fatal(err)
		}
		allowed, err := ts.AllowedImages(ctx, ProductImages(p)...)
		if err != nil {
			t.Fatal(err)
		}
		// Saved again as it is: a product whose SKU list WeChat holds in another order than the category's
		// values still passes (its rows come in the matrix's order).
		d := ProductDraftOf(p, fields)
		got, errs, err := ts.CheckProduct(ctx, zh, d, fields, allowed)
		if err != nil || len(errs) > 0 {
			t.Errorf("%s: its own draft: %v %v", row.Name, errs, err)
			continue
		}
		if MatrixSize(got.ProductBase.SKUInfo) != MatrixSize(p.ProductBase.SKUInfo) || len(got.SKUList) != len(p.SKUList) {
			t.Errorf("%s: sends sku_info %+v with %d SKUs, holds %+v with %d", row.Name, got.ProductBase.SKUInfo, len(got.SKUList), p.ProductBase.SKUInfo, len(p.SKUList))
		}
		if got.ProductBase.MainImg != p.ProductBase.MainImg || !reflect.DeepEqual(got.ProductBase.Detail, p.ProductBase.Detail) ||
			!reflect.DeepEqual(got.DeliveryInfo, p.DeliveryInfo) {
			t.Errorf("%s: sends %+v, holds %+v", row.Name, got, p)
		}
	}
}

// A draft is refused field by field, and the shop's limits are WeChat's.
func TestCheckProductFields(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	ctx := t.Context()
	d := NewProductDraft("538078001") // any leaf: the checks below do not depend on its fields
	d.Name = string(make([]rune, MaxProductName+1))
	d.Rows[0].Price, d.Rows[0].OriPrice, d.Rows[0].Quantity = "10", "9", "-1"
	d.MainImg = "https://elsewhere.example/a.png"
	d.Delivery, d.TemplateID = "template", "abc"
	_, errs, err := ts.CheckProduct(ctx, zh, d, CategoryFields{}, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{
		"name":      zh.T("form.err.name.long", MaxProductName, MaxProductName+1),
		"row.0.ori": zh.T("form.err.ori", "¥10.00"),
		"row.0.qty": zh.T("form.err.quantity"),
		"main_img":  zh.T("form.err.image"),
		"detail":    zh.T("form.err.detail"),
		"location":  zh.T("form.err.location"),
		"delivery":  zh.T("form.err.template.pick"),
	} {
		if errs[field] != want {
			t.Errorf("%s: %q, want %q", field, errs[field], want)
		}
	}
	if _, errs, _ := ts.CheckProduct(ctx, zh, ProductDraft{}, CategoryFields{}, nil); errs["category"] == "" {
		t.Error("a draft without a category is not refused for it")
	}
}

// The matrix is rebuilt from what is ticked, keeping typed rows; past MaxSKUs it is not built at all.
func TestRebuildMatrix(t *testing.T) {
	f := CategoryFields{SKUs: testSKUAttrs(2, 3)}
	d := NewProductDraft("c")
	d.SKUValues = map[string][]string{"a0": {"a0v0", "a0v1"}, "a1": {"a1v2"}}
	d.Rows[0].Price = "kept? no: the uniform row goes"
	if !d.RebuildMatrix(f) || len(d.Rows) != 2 || d.Rows[0].SKUID != "a0:a0v0;a1:a1v2" {
		t.Fatalf("rows %+v", d.Rows)
	}
	d.Rows[1].Price = "12"
	d.SKUValues["a1"] = append(d.SKUValues["a1"], "a1v0")
	if !d.RebuildMatrix(f) || len(d.Rows) != 4 || d.Rows[3].Price != "12" {
		t.Errorf("after ticking another value: %+v", d.Rows)
	}
	big := CategoryFields{SKUs: testSKUAttrs(2, 0)}
	d.SKUCustom = map[string]string{"a0": commaList(30), "a1": commaList(30)}
	before := len(d.Rows)
	if d.RebuildMatrix(big) || len(d.Rows) != before {
		t.Errorf("a 900-row matrix was built: %d rows", len(d.Rows))
	}
}

var dbAll = db.ProductFilter{Limit: 1000}

// testSKUAttrs is n attributes "a0"… of m values "a0v0"… each.
func testSKUAttrs(n, m int) []wx.SKUAttribute {
	var out []wx.SKUAttribute
	for i := range n {
		at := wx.SKUAttribute{ID: wx.ID("a" + strconv.Itoa(i)), Name: "属性" + strconv.Itoa(i)}
		for j := range m {
			at.ValueList = append(at.ValueList, wx.SKUValue{ID: wx.ID("a" + strconv.Itoa(i) + "v" + strconv.Itoa(j)), Name: strconv.Itoa(j)})
		}
		out = append(out, at)
	}
	return out
}

// commaList is n custom values typed with commas.
func commaList(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, "值"+strconv.Itoa(i))
	}
	return strings.Join(parts, ",")
}
