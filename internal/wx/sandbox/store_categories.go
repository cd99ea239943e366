package sandbox

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"wxshop/internal/wx"
)

// The 微信小店's categories (shared/api/store/category.md): the new N-level tree (cats_v2), whose leaves carry
// attributes, sale attributes and rules, and one path of the old 3-level tree (cats) mapped onto a leaf of
// the new one, as the transition has both. They are WeChat's, not the shop's, so an Empty sandbox has them
// too. 手机通讯 has only children that need targeted admission, so availablesoncategories lists none.

type storeCat struct {
	id, parent, name string
	leaf             bool
	old              bool // a node of the old tree
	hidden           bool // needs 定向准入: never listed
	food             bool // 4 head images, 3 detail images
	sevenDay         bool
	noShipment       bool
	quals            []wx.StoreQualificationNeed // product qualifications (product_qua_list)
	attrs, saleAttrs []wx.StoreProductAttr
	mapsTo           string // old-tree leaf: the new-tree leaf with its rules
}

func (c *storeCat) saleAttr(name string) (wx.StoreProductAttr, bool) {
	for _, a := range c.saleAttrs {
		if a.Name == name {
			return a, true
		}
	}
	return wx.StoreProductAttr{}, false
}

func attr(name, typ, value string, required bool, hint string) wx.StoreProductAttr {
	t := typ
	if strings.HasSuffix(t, "_unit") || t == "integer" || t == "decimal4" {
		t = "string"
	}
	if t == "select_many" {
		t = "select_one" // the old type, as the SKIT sample has it
	}
	return wx.StoreProductAttr{Name: name, Type: t, TypeV2: typ, Value: value, IsRequired: required, Hint: hint}
}

var storeCats = sync.OnceValue(func() map[string]*storeCat {
	list := []*storeCat{
		{id: "1001", parent: "0", name: "食品饮料"},
		{id: "1101", parent: "1001", name: "休闲零食"},
		{id: "1111", parent: "1101", name: "坚果炒货", leaf: true, food: true, sevenDay: false,
			attrs: []wx.StoreProductAttr{
				attr("产地", "string", "", true, "请填写产地，如：新疆"),
				attr("净含量", "integer_unit", "g;kg", true, "请填写净含量"),
				attr("保质期", "integer", "", true, "单位：天"),
				attr("储存方式", "select_one", "常温;冷藏;冷冻", false, ""),
			},
			saleAttrs: []wx.StoreProductAttr{attr("规格", "string", "", true, "如：500g 袋装")}},
		{id: "1112", parent: "1101", name: "糖果巧克力", leaf: true, food: true,
			attrs:     []wx.StoreProductAttr{attr("产地", "string", "", true, ""), attr("净含量", "integer_unit", "g;kg", true, "")},
			saleAttrs: []wx.StoreProductAttr{attr("口味", "string", "", true, "")}},
		{id: "2001", parent: "0", name: "服饰内衣"},
		{id: "2101", parent: "2001", name: "女装"},
		{id: "2111", parent: "2101", name: "T恤", leaf: true, sevenDay: true,
			attrs: []wx.StoreProductAttr{
				attr("材质", "select_one", "棉;涤纶;莫代尔;亚麻;其他", true, ""),
				attr("适用季节", "select_many", "春;夏;秋;冬", false, "可多选"),
				attr("产地", "string", "", true, "如：广东广州"),
				attr("重量", "integer_unit", "g;kg", false, "请设置产品重量"),
			},
			saleAttrs: []wx.StoreProductAttr{
				attr("颜色", "string", "", true, "如：白色"),
				{Name: "尺码", Type: "select_one", TypeV2: "select_one", Value: "S;M;L;XL;XXL", IsRequired: true, AppendAllowed: true},
			}},
		{id: "2112", parent: "2101", name: "连衣裙", leaf: true, sevenDay: true,
			attrs:     []wx.StoreProductAttr{attr("材质", "select_one", "棉;涤纶;真丝;其他", true, "")},
			saleAttrs: []wx.StoreProductAttr{attr("颜色", "string", "", true, ""), attr("尺码", "select_one", "S;M;L;XL", true, "")}},
		{id: "3001", parent: "0", name: "家居日用"},
		{id: "3101", parent: "3001", name: "收纳整理", leaf: true, sevenDay: true,
			attrs:     []wx.StoreProductAttr{attr("材质", "select_one", "塑料;布艺;木质;金属", false, "")},
			saleAttrs: []wx.StoreProductAttr{attr("规格", "string", "", true, "")}},
		{id: "4001", parent: "0", name: "数码"},
		{id: "4101", parent: "4001", name: "手机配件"},
		{id: "4111", parent: "4101", name: "数据线", leaf: true, sevenDay: true,
			attrs:     []wx.StoreProductAttr{attr("接口类型", "select_many", "USB-C;Lightning;Micro USB", true, ""), attr("线长", "decimal4_unit", "m;cm", false, "")},
			saleAttrs: []wx.StoreProductAttr{attr("颜色", "string", "", true, ""), attr("长度", "select_one", "1m;1.5m;2m", true, "")}},
		{id: "4102", parent: "4001", name: "手机通讯"},
		{id: "4121", parent: "4102", name: "手机", leaf: true, hidden: true},
		{id: "5001", parent: "0", name: "虚拟商品"},
		{id: "5101", parent: "5001", name: "话费充值", leaf: true, noShipment: true,
			quals:     []wx.StoreQualificationNeed{{QuaID: "1111501", Name: "增值电信业务经营许可证", Tips: "请上传许可证正本照片", Mandatory: true}},
			saleAttrs: []wx.StoreProductAttr{attr("面值", "string", "", true, "")}},
		// The old tree: 服饰 > 女装 > T恤 (the add page's example ids), with the rules of the new 2111.
		{id: "6033", parent: "0", name: "服饰", old: true},
		{id: "6057", parent: "6033", name: "女装", old: true},
		{id: "6091", parent: "6057", name: "T恤", old: true, leaf: true, mapsTo: "2111"},
	}
	m := map[string]*storeCat{}
	for _, c := range list {
		m[c.id] = c
	}
	return m
})

func storeCatChildren(parent string, old bool) []wx.StoreCategory {
	var out []wx.StoreCategory
	cats := storeCats()
	ids := make([]string, 0, len(cats))
	for id := range cats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c := cats[id]
		if c.parent == parent && c.old == old && !c.hidden {
			sc := wx.StoreCategory{CatID: wx.ID(c.id), FCatID: wx.ID(c.parent), Name: c.name}
			if !old {
				sc.Leaf = c.leaf
			}
			out = append(out, sc)
		}
	}
	return out
}

// storeCatRules is the leaf whose rules apply to cat (an old-tree leaf maps to a new one).
func storeCatRules(id string) (*storeCat, bool) {
	c, found := storeCats()[id]
	if !found || !c.leaf || c.hidden {
		return nil, false
	}
	if c.mapsTo != "" {
		c = storeCats()[c.mapsTo]
	}
	return c, true
}

type storeSubCatsAnswer struct {
	status
	CatList   []storeCatOld      `json:"cat_list,omitempty"`
	CatListV2 []wx.StoreCategory `json:"cat_list_v2,omitempty"`
}

type storeCatOld struct {
	CatID  wx.ID  `json:"cat_id"`
	FCatID wx.ID  `json:"f_cat_id"`
	Name   string `json:"name"`
}

func (s *Server) getStoreSubCategories(c *call) (any, error) {
	var req struct {
		FCatID wx.ID `json:"f_cat_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	parent := string(req.FCatID)
	if parent == "" {
		parent = "0"
	}
	ans := storeSubCatsAnswer{status: statusOK}
	p, known := storeCats()[parent]
	if parent != "0" && (!known || p.leaf) {
		return nil, errStoreCategory.with("f_cat_id %s is not a category with children", parent)
	}
	if parent == "0" || p.old {
		for _, sc := range storeCatChildren(parent, true) {
			ans.CatList = append(ans.CatList, storeCatOld{sc.CatID, sc.FCatID, sc.Name})
		}
	}
	if parent == "0" || !p.old {
		ans.CatListV2 = storeCatChildren(parent, false)
	}
	return ans, nil
}

type storeDetailAnswer struct {
	status
	wx.StoreCategoryDetail
}

func (s *Server) getStoreCategoryDetail(c *call) (any, error) {
	var req struct {
		CatID wx.ID `json:"cat_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	leaf, ok := storeCatRules(string(req.CatID))
	if !ok {
		return nil, errStoreCategory.with("cat_id %s is not a leaf category the shop may use", req.CatID)
	}
	ans := storeDetailAnswer{status: statusOK}
	ans.Info.CatID, ans.Info.Name = req.CatID, storeCats()[string(req.CatID)].name
	ans.Attr.SevenDayReturn = leaf.sevenDay
	ans.Attr.ShopNoShipment = leaf.noShipment
	ans.Attr.ProductAttrList = slices.Clone(leaf.attrs)
	ans.Attr.SaleAttrList = slices.Clone(leaf.saleAttrs)
	ans.Attr.Deposit = 500000
	ans.Attr.TransactionFeeInfo.BasisPoint, ans.Attr.TransactionFeeInfo.OriginalBasisPoint = 250, 250
	if leaf.food {
		ans.Attr.ProductRequirement.ProductImgRequirement = "食品类目至少需要 4 张主图、3 张详情图"
	}
	ans.ProductQuaList = slices.Clone(leaf.quals)
	if ans.ProductQuaList == nil {
		ans.ProductQuaList = []wx.StoreQualificationNeed{}
	}
	return ans, nil
}

// checkStoreCategory checks a product's category path: cats_v2 from the root to a leaf of the new tree, or
// cats with exactly the 3 levels of the old tree. It returns the leaf whose rules apply.
func (s *Server) checkStoreCategory(p *wx.StoreProductData) (*storeCat, error) {
	path, old := p.CatsV2, false
	if len(path) == 0 {
		path, old = p.Cats, true
		if len(path) == 0 {
			return nil, errStoreBadParam.with("cats_v2 (or cats) missing")
		}
		if len(path) != 3 {
			return nil, errStoreCatLevels.with("cats has %d levels", len(path))
		}
	}
	parent := "0"
	for i, ref := range path {
		c, found := storeCats()[string(ref.CatID)]
		if !found || c.parent != parent || c.old != old || c.hidden {
			return nil, errStoreCategory.with("level %d: cat_id %s is not a child of %s", i+1, ref.CatID, parent)
		}
		if c.leaf != (i == len(path)-1) {
			return nil, errStoreCategory.with("level %d: cat_id %s: the path must end at its first leaf", i+1, ref.CatID)
		}
		parent = c.id
	}
	leaf, _ := storeCatRules(parent)
	return leaf, nil
}

var (
	integerValue = regexp.MustCompile(`^-?[0-9]+$`)
	decimalValue = regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,4})?$`)
)

// checkStoreAttrs checks the product attributes against the leaf's: each known, each required one present,
// each value in the form its type asks for.
func checkStoreAttrs(leaf *storeCat, attrs []wx.StoreAttr) error {
	given := map[string]bool{}
	for _, a := range attrs {
		var def *wx.StoreProductAttr
		for i := range leaf.attrs {
			if leaf.attrs[i].Name == a.AttrKey {
				def = &leaf.attrs[i]
			}
		}
		if def == nil {
			return errStoreBadParam.with("attrs: %q is not an attribute of %s", a.AttrKey, leaf.name)
		}
		if given[a.AttrKey] {
			return errStoreBadParam.with("attrs: %q given twice", a.AttrKey)
		}
		given[a.AttrKey] = true
		if strings.TrimSpace(a.AttrValue) == "" {
			if def.IsRequired {
				return errStoreBadParam.with("attrs: %q is required", a.AttrKey)
			}
			continue
		}
		if err := checkAttrValue(*def, a.AttrValue); err != nil {
			return err
		}
	}
	for _, def := range leaf.attrs {
		if def.IsRequired && !given[def.Name] {
			return errStoreBadParam.with("attrs: %q is required in %s", def.Name, leaf.name)
		}
	}
	return nil
}

// checkAttrValue checks one value in the attr_value format of its type (category.md).
func checkAttrValue(def wx.StoreProductAttr, v string) error {
	options := strings.Split(def.Value, ";")
	bad := func(why string) error {
		return errStoreBadParam.with("%s %q: %s", def.Name, v, why)
	}
	switch def.Kind() {
	case "select_one":
		if !def.AppendAllowed && !slices.Contains(options, v) {
			return bad("not one of " + def.Value)
		}
	case "select_many":
		for _, part := range strings.Split(v, ";") {
			if !def.AppendAllowed && !slices.Contains(options, part) {
				return bad("not among " + def.Value)
			}
		}
	case "integer":
		if !integerValue.MatchString(v) {
			return bad("not an integer")
		}
	case "decimal4":
		if !decimalValue.MatchString(v) {
			return bad("not a number with at most 4 decimals")
		}
	case "integer_unit", "decimal4_unit":
		num, unit, found := strings.Cut(v, " ")
		re := integerValue
		if def.Kind() == "decimal4_unit" {
			re = decimalValue
		}
		if !found || !re.MatchString(num) || !slices.Contains(options, unit) {
			return bad("want a number, one space and a unit of " + def.Value)
		}
	}
	return nil
}

// storeBrands are the brands the sandbox's shop may use; 无品牌 is always allowed.
var storeBrands = []wx.StoreBrand{
	{BrandID: "10000101", ChName: "沙箱优选", EnName: "Sandbox Select"},
	{BrandID: "10000102", ChName: "山野坚果", EnName: "Wild Nuts"},
	{BrandID: "10000103", ChName: "棉语", EnName: "Cotton Talk"},
}

func storeBrandValid(id wx.ID) bool {
	return slices.ContainsFunc(storeBrands, func(b wx.StoreBrand) bool { return b.BrandID == id })
}

type storeBrandAnswer struct {
	status
	Brands       []wx.StoreBrand `json:"brands"`
	NextKey      string          `json:"next_key"`
	ContinueFlag bool            `json:"continue_flag"`
}

func (s *Server) getStoreValidBrands(c *call) (any, error) {
	var req struct {
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.PageSize <= 0 {
		req.PageSize = 10
	}
	start := 0
	if req.NextKey != "" {
		start = slices.IndexFunc(storeBrands, func(b wx.StoreBrand) bool { return string(b.BrandID) == req.NextKey })
		if start < 0 {
			return nil, errStoreBadParam.with("next_key %q", req.NextKey)
		}
	}
	end := min(start+req.PageSize, len(storeBrands))
	ans := storeBrandAnswer{status: statusOK, Brands: slices.Clone(storeBrands[start:end])}
	if end < len(storeBrands) {
		ans.NextKey, ans.ContinueFlag = string(storeBrands[end].BrandID), true
	}
	return ans, nil
}
