package sandbox_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"wxshop/internal/wx"
)

func addMod(id string) wx.GroupProductMod {
	return wx.GroupProductMod{ProductID: id, ModAction: wx.GroupAddProduct}
}
func removeMod(id string) wx.GroupProductMod {
	return wx.GroupProductMod{ProductID: id, ModAction: wx.GroupRemoveProduct}
}

// One group through its whole life, as the app will drive it.
func TestGroupLifecycle(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.products(3)
	id := sh.addGroup("测试分组", p[0])

	if err := sh.wx.RenameGroup(ctx, id, "特惠专场"); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.RenameGroup(ctx, id, "特惠专场"); err != nil {
		t.Fatalf("renaming a group to its own name: %v", err)
	}
	if err := sh.wx.ModifyGroupProducts(ctx, id, []wx.GroupProductMod{addMod(p[2]), addMod(p[1]), removeMod(p[0])}); err != nil {
		t.Fatal(err)
	}
	got, err := sh.wx.GetGroup(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.GroupID != id || got.GroupName != "特惠专场" || !slices.Equal(got.ProductList, []string{p[2], p[1]}) {
		t.Fatalf("getbyid answered %+v", got)
	}

	other := sh.addGroup("最新上架")
	all, err := sh.wx.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []wx.Group{{GroupID: id, GroupName: "特惠专场"}, {GroupID: other, GroupName: "最新上架"}}
	if !slices.EqualFunc(all, want, func(a, b wx.Group) bool {
		return a.GroupID == b.GroupID && a.GroupName == b.GroupName && a.ProductList == nil
	}) {
		t.Fatalf("getall answered %+v, want %+v", all, want)
	}
	// getbyid of an empty group still sends product_list, as the manual shows it; getall sends none.
	raw := string(sh.post("/merchant/group/getbyid", fmt.Sprintf(`{"group_id": %d}`, other)).raw)
	if !strings.Contains(raw, `"product_list":[]`) {
		t.Errorf("getbyid of an empty group: %s", raw)
	}
	raw = string(sh.get("/merchant/group/getall", map[string][]string{"access_token": {sh.token()}}).raw)
	if !strings.Contains(raw, `"groups_detail":[{"group_id":`) || strings.Contains(raw, "product_list") {
		t.Errorf("getall: %s", raw)
	}
	if a := sh.post("/merchant/group/getall", ""); a.ErrCode != codeRequireGET {
		t.Errorf("POST getall: %s", a.raw)
	}

	// Deleting a group leaves its products; deleting a product takes it out of its groups.
	if err := sh.wx.ModifyGroupProducts(ctx, other, []wx.GroupProductMod{addMod(p[1])}); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.DeleteProduct(ctx, p[1]); err != nil {
		t.Fatal(err)
	}
	for _, g := range sh.sb.Groups() {
		if slices.Contains(g.ProductList, p[1]) {
			t.Errorf("group %s still holds the deleted product", g.GroupName)
		}
	}
	if err := sh.wx.DeleteGroup(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = sh.wx.GetGroup(ctx, id)
	wantCode(t, err, codeGroupNotFound)
	wantCode(t, sh.wx.DeleteGroup(ctx, id), codeGroupNotFound)
	if len(sh.sb.Products()) != 2 {
		t.Errorf("deleting a group deleted products")
	}
	// The name of a deleted group is free again, its id is not.
	if again := sh.addGroup("特惠专场"); again == id || again == other {
		t.Errorf("id %d handed out again", again)
	}
}

// Every rule of the group calls, each refused with its own code and without changing anything.
func TestGroupRefusesBrokenRules(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.products(3)
	g := sh.addGroup("坚果", p[0], p[1])
	sh.addGroup("茶叶")
	const unknownProduct = "pDF3iYaaaaaaaaaaaaaaaaaaaaaa"

	cases := []struct {
		name string
		code int
		call func() error
	}{
		{"add: blank name", codeInvalidArgs, func() error { _, err := sh.wx.CreateGroup(ctx, " ", nil); return err }},
		{"add: name taken", codeGroupNameTaken, func() error { _, err := sh.wx.CreateGroup(ctx, "茶叶", nil); return err }},
		{"add: unknown product", codeProductNotFound, func() error { _, err := sh.wx.CreateGroup(ctx, "新", []string{p[0], unknownProduct}); return err }},
		{"add: product twice", codeInvalidArgs, func() error { _, err := sh.wx.CreateGroup(ctx, "新", []string{p[0], p[0]}); return err }},
		{"rename: blank", codeInvalidArgs, func() error { return sh.wx.RenameGroup(ctx, g, "  ") }},
		{"rename: another group's name", codeGroupNameTaken, func() error { return sh.wx.RenameGroup(ctx, g, "茶叶") }},
		{"rename: unknown group", codeGroupNotFound, func() error { return sh.wx.RenameGroup(ctx, unknownID, "新") }},
		{"productmod: add a product the group holds", codeProductInGroup, func() error {
			return sh.wx.ModifyGroupProducts(ctx, g, []wx.GroupProductMod{addMod(p[2]), addMod(p[0])})
		}},
		{"productmod: remove a product the group lacks", codeProductNotInGroup, func() error {
			return sh.wx.ModifyGroupProducts(ctx, g, []wx.GroupProductMod{removeMod(p[0]), removeMod(p[2])})
		}},
		{"productmod: add a product twice", codeProductInGroup, func() error {
			return sh.wx.ModifyGroupProducts(ctx, g, []wx.GroupProductMod{addMod(p[2]), addMod(p[2])})
		}},
		{"productmod: unknown product", codeProductNotFound, func() error {
			return sh.wx.ModifyGroupProducts(ctx, g, []wx.GroupProductMod{addMod(p[2]), addMod(unknownProduct)})
		}},
		{"productmod: unknown group", codeGroupNotFound, func() error {
			return sh.wx.ModifyGroupProducts(ctx, unknownID, []wx.GroupProductMod{addMod(p[2])})
		}},
		{"getbyid: unknown group", codeGroupNotFound, func() error { _, err := sh.wx.GetGroup(ctx, unknownID); return err }},
		{"del: unknown group", codeGroupNotFound, func() error { return sh.wx.DeleteGroup(ctx, unknownID) }},
	}
	// What the client would not send.
	raw := func(path, body string) func() error {
		return func() error {
			if a := sh.post(path, body); a.ErrCode != 0 {
				return &wx.Error{Code: a.ErrCode, Msg: a.ErrMsg}
			}
			return nil
		}
	}
	mod := func(product string) string { return fmt.Sprintf(`{"group_id": %d, "product": %s}`, g, product) }
	cases = append(cases, []struct {
		name string
		code int
		call func() error
	}{
		{"add: no group_detail", codeInvalidArgs, raw("/merchant/group/add", `{}`)},
		{"add: no name", codeInvalidArgs, raw("/merchant/group/add", `{"group_detail": {"product_list": []}}`)},
		{"add: broken body", codeDataFormat, raw("/merchant/group/add", `{"group_detail": [`)},
		{"del: no group_id", codeInvalidArgs, raw("/merchant/group/del", `{}`)},
		{"getbyid: no group_id", codeInvalidArgs, raw("/merchant/group/getbyid", `{}`)},
		{"propertymod: no group_id", codeInvalidArgs, raw("/merchant/group/propertymod", `{"group_name": "新"}`)},
		{"productmod: no products", codeInvalidArgs, raw("/merchant/group/productmod", mod(`[]`))},
		{"productmod: mod_action 2", codeInvalidArgs, raw("/merchant/group/productmod", mod(`[{"product_id": "`+p[2]+`", "mod_action": 2}]`))},
		{"productmod: no mod_action", codeInvalidArgs, raw("/merchant/group/productmod", mod(`[{"product_id": "`+p[2]+`"}]`))},
		{"productmod: no product_id", codeInvalidArgs, raw("/merchant/group/productmod", mod(`[{"mod_action": 1}]`))},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := sh.storefrontState()
			wantCode(t, tc.call(), tc.code)
			sh.wantStateUnchanged(before)
		})
	}
}

// The manual's group/add example names products of its own shop, which this one does not have.
func TestGroupManualExample(t *testing.T) {
	sh := newEmptyShop(t)
	body, err := os.ReadFile("../testdata/merchant_group_add_request.json")
	if err != nil {
		t.Fatal(err)
	}
	if a := sh.post("/merchant/group/add", string(body)); a.ErrCode != codeProductNotFound {
		t.Errorf("the manual's example: %s", a.raw)
	}
	p := sh.products(2)
	example := strings.NewReplacer("pDF3iY9cEWyMimNlKbik_NYJTzYU", p[0], "pDF3iY4kpZagQfwJ_LVQBaOC-LsM", p[1]).Replace(string(body))
	if a := sh.post("/merchant/group/add", example); a.ErrCode != 0 || a.ErrMsg != "success" || !strings.Contains(string(a.raw), `"group_id":`) {
		t.Errorf("the manual's example with this shop's products: %s", a.raw)
	}
	if g := sh.sb.Groups(); len(g) != 1 || g[0].GroupName != "测试分组" || !slices.Equal(g[0].ProductList, p) {
		t.Errorf("groups %+v", g)
	}
}

// The storefront calls share the token check and the injected faults of every API call: a failed call
// changes nothing.
func TestStorefrontFaults(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	before := sh.storefrontState()
	sh.sb.FailNext("/merchant/group/add", 45011, "api freq out of limit", 1)
	_, err := sh.wx.CreateGroup(ctx, "分组", nil)
	wantCode(t, err, 45011)
	sh.sb.FailNext("/merchant/express/add", -1, "system error", 1)
	_, err = sh.wx.CreateDeliveryTemplate(ctx, validTemplate())
	wantCode(t, err, -1)
	sh.wantStateUnchanged(before)
	if a := sh.get("/merchant/shelf/getall", nil); a.ErrCode != 41001 {
		t.Errorf("getall without a token: %s", a.raw)
	}
	sh.addGroup("分组")
}
