package wx

// The examples are testdata/merchant_category_*.json, copied verbatim from the manual (see products_test.go)
// except merchant_category_getproperty_answer.json, whose second property_value was elided as "..." in the
// manual and is written [] there: a syntax fix only.

import (
	"context"
	"io"
	"net/http"
	"slices"
	"testing"
)

func TestSubCategories(t *testing.T) {
	c := exampleClient(t, "/merchant/category/getsub", "merchant_category_getsub_request", "merchant_category_getsub_answer")
	got, err := c.SubCategories(context.Background(), 537874913)
	if err != nil {
		t.Fatal(err)
	}
	want := []Category{
		{ID: "537074292", Name: "数码相机"},
		{ID: "537074293", Name: "家用摄像机"},
		{ID: "537074298", Name: "单反相机"},
		{ID: "537082412", Name: "镜头"},
		{ID: "537102001", Name: "单电/微单"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("SubCategories = %+v, want %+v", got, want)
	}
	// The ids feed the next level down, which wants a number.
	if n, err := got[0].ID.Int64(); err != nil || n != 537074292 {
		t.Errorf("Int64 = %d, %v", n, err)
	}
}

// The manual's getsub answer has string ids, but merchant/get shows category ids as numbers; a tree walk
// must survive WeChat sending either, even mixed in one list.
func TestSubCategoriesAcceptNumericIDs(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success","cate_list":[{"id":537074292,"name":"数码相机"},{"id":"537074293","name":"家用摄像机"}]}`)
	})
	got, err := c.SubCategories(context.Background(), RootCategoryID)
	if err != nil {
		t.Fatal(err)
	}
	want := []Category{{ID: "537074292", Name: "数码相机"}, {ID: "537074293", Name: "家用摄像机"}}
	if !slices.Equal(got, want) {
		t.Errorf("SubCategories = %+v, want %+v", got, want)
	}
}

func TestCategorySKUs(t *testing.T) {
	c := exampleClient(t, "/merchant/category/getsku", "merchant_category_getsku_request", "merchant_category_getsku_answer")
	got, err := c.CategorySKUs(context.Background(), 537074292)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != "1075741873" || got[0].Name != "颜色" {
		t.Fatalf("CategorySKUs = %+v", got)
	}
	want := []SKUValue{{ID: "1079742375", Name: "撞色"}, {ID: "1079742376", Name: "桔色"}}
	if !slices.Equal(got[0].ValueList, want) {
		t.Errorf("value_list = %+v, want %+v", got[0].ValueList, want)
	}
}

func TestCategoryProperties(t *testing.T) {
	c := exampleClient(t, "/merchant/category/getproperty", "merchant_category_getproperty_request", "merchant_category_getproperty_answer")
	got, err := c.CategoryProperties(context.Background(), 537072692)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("CategoryProperties = %+v", got)
	}
	if got[0].ID != "1075741879" || got[0].Name != "品牌" || got[1].ID != "123456789" || got[1].Name != "颜色" {
		t.Errorf("properties = %+v", got)
	}
	// The names keep their "&": the client must not HTML-escape or unescape them.
	want := []PropertyValue{
		{ID: "200050867", Name: "VIC&"},
		{ID: "200050868", Name: "Kate&"},
		{ID: "200050971", Name: "M&"},
		{ID: "200050972", Name: "Black&"},
	}
	if !slices.Equal(got[0].PropertyValue, want) {
		t.Errorf("property_value = %+v, want %+v", got[0].PropertyValue, want)
	}
	if len(got[1].PropertyValue) != 0 {
		t.Errorf("second property_value = %+v", got[1].PropertyValue)
	}
}

func TestCategoryCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/category/getsub", func(c *Client) error { _, err := c.SubCategories(ctx, RootCategoryID); return err }},
		{"/merchant/category/getsku", func(c *Client) error { _, err := c.CategorySKUs(ctx, 1); return err }},
		{"/merchant/category/getproperty", func(c *Client) error { _, err := c.CategoryProperties(ctx, 1); return err }},
	})
}
