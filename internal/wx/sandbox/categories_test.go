package sandbox_test

import (
	"slices"
	"testing"

	"wxshop/internal/wx"
)

func names[T any](list []T, name func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = name(v)
	}
	return out
}

func categoryNames(list []wx.Category) []string {
	return names(list, func(c wx.Category) string { return c.Name })
}

// find returns the id of the category called name, failing the test if list has none.
func find(t *testing.T, list []wx.Category, name string) int64 {
	t.Helper()
	for _, c := range list {
		if c.Name == name {
			id, err := c.ID.Int64()
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
	}
	t.Fatalf("no %s among %v", name, categoryNames(list))
	return 0
}

// From the root down three levels to a leaf, which has no sub-categories but a SKU table and properties.
func TestCategoryTreeFromRoot(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	top, err := sh.wx.SubCategories(ctx, wx.RootCategoryID)
	if err != nil {
		t.Fatal(err)
	}
	if got := categoryNames(top); !slices.Equal(got, []string{"服饰鞋包", "食品生鲜", "数码家电"}) {
		t.Errorf("top level %v", got)
	}
	second, err := sh.wx.SubCategories(ctx, find(t, top, "服饰鞋包"))
	if err != nil {
		t.Fatal(err)
	}
	third, err := sh.wx.SubCategories(ctx, find(t, second, "女装"))
	if err != nil {
		t.Fatal(err)
	}
	if got := categoryNames(third); !slices.Equal(got, []string{"T恤", "连衣裙", "衬衫"}) {
		t.Errorf("女装 has %v", got)
	}
	tee := find(t, third, "T恤")
	if below, err := sh.wx.SubCategories(ctx, tee); err != nil || below == nil || len(below) != 0 {
		t.Errorf("a leaf answers %v, %v; want an empty list", below, err)
	}

	skus, err := sh.wx.CategorySKUs(ctx, tee)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(skus, func(a wx.SKUAttribute) string { return a.Name }); !slices.Equal(got, []string{"颜色", "尺码"}) {
		t.Fatalf("sku_table %v", got)
	}
	if colors := names(skus[0].ValueList, func(v wx.SKUValue) string { return v.Name }); !slices.Contains(colors, "红色") || !slices.Contains(colors, "白色") {
		t.Errorf("颜色 values %v", colors)
	}
	if sizes := names(skus[1].ValueList, func(v wx.SKUValue) string { return v.Name }); !slices.Equal(sizes, []string{"XS", "S", "M", "L", "XL", "XXL"}) {
		t.Errorf("尺码 values %v", sizes)
	}
	if skus[0].ID != attrColor || skus[0].ValueList[0].ID != vidRed {
		t.Errorf("颜色 is %s with %s first", skus[0].ID, skus[0].ValueList[0].ID)
	}

	props, err := sh.wx.CategoryProperties(ctx, tee)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(props, func(p wx.Property) string { return p.Name }); !slices.Equal(got, []string{"品牌", "材质", "适用季节", "风格", "产地"}) {
		t.Errorf("properties %v", got)
	}
	for _, p := range props {
		if len(p.PropertyValue) == 0 {
			t.Errorf("property %s has no values", p.Name)
		}
	}
}

// Every leaf of the tree sits three levels below the root and has a SKU table and properties; categories
// above the leaves have neither.
func TestEveryLeafIsComplete(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	leaves := 0
	var walk func(id int64, depth int)
	walk = func(id int64, depth int) {
		children, err := sh.wx.SubCategories(ctx, id)
		if err != nil {
			t.Fatalf("getsub %d: %v", id, err)
		}
		skus, err := sh.wx.CategorySKUs(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		props, err := sh.wx.CategoryProperties(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(children) > 0 {
			if len(skus) != 0 || len(props) != 0 {
				t.Errorf("category %d has children and a SKU table or properties", id)
			}
			for _, c := range children {
				n, _ := c.ID.Int64()
				walk(n, depth+1)
			}
			return
		}
		leaves++
		if depth != 3 || len(skus) == 0 || len(props) == 0 {
			t.Errorf("leaf %d at depth %d with %d SKU attributes and %d properties", id, depth, len(skus), len(props))
		}
	}
	walk(wx.RootCategoryID, 0)
	if leaves < 10 {
		t.Errorf("only %d leaves", leaves)
	}
}

func TestCategoryCallsRefuse(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	_, err := sh.wx.SubCategories(ctx, 42)
	wantCode(t, err, codeCategoryNotFound)
	_, err = sh.wx.CategorySKUs(ctx, 42)
	wantCode(t, err, codeCategoryNotFound)
	_, err = sh.wx.CategoryProperties(ctx, 42)
	wantCode(t, err, codeCategoryNotFound)
	wantErr(t, sh.post("/merchant/category/getsub", `{}`), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/category/getsub", `{"cate_id":"x1"}`), codeCategoryNotFound)
	wantErr(t, sh.post("/merchant/category/getsub", `{"cate_id":1.5}`), codeDataFormat)
	// The ids come back as strings; taking one back as a string works too.
	wantErr(t, sh.post("/merchant/category/getsku", `{"cate_id":"`+cateWomenTee+`"}`), 0)
}
