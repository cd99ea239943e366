package sandbox

import (
	"strconv"
	"sync"

	"wxshop/internal/wx"
)

// WeChat's category tree as the sandbox knows it: category/getsub walks it from the root (id 1), and the leaves
// carry the SKU table (category/getsku) and the properties (category/getproperty) that products of the leaf
// are checked against. The tree belongs to WeChat, not to the shop, so every sandbox has it, even an Empty one.
// It never changes, so one copy is shared by every Server and read without a lock.

// category is one node of the tree.
type category struct {
	id, name string
	children []*category
	skus     []wx.SKUAttribute // leaves only
	props    []wx.Property     // leaves only
}

func (c *category) leaf() bool { return len(c.children) == 0 }

// skuAttr finds an attribute of the category's SKU table by id.
func (c *category) skuAttr(id wx.ID) (wx.SKUAttribute, bool) {
	for _, a := range c.skus {
		if a.ID == id {
			return a, true
		}
	}
	return wx.SKUAttribute{}, false
}

// property finds one of the category's properties by id.
func (c *category) property(id wx.ID) (wx.Property, bool) {
	for _, p := range c.props {
		if p.ID == id {
			return p, true
		}
	}
	return wx.Property{}, false
}

func hasSKUValue(a wx.SKUAttribute, vid wx.ID) bool {
	for _, v := range a.ValueList {
		if v.ID == vid {
			return true
		}
	}
	return false
}

// propertyValueName is the name of value vid of p; "" when p has no such value.
func propertyValueName(p wx.Property, vid wx.ID) string {
	for _, v := range p.PropertyValue {
		if v.ID == vid {
			return v.Name
		}
	}
	return ""
}

// rootCategoryID is wx.RootCategoryID as the tree keys it.
var rootCategoryID = strconv.Itoa(wx.RootCategoryID)

// categories is the tree by id, the root included.
var categories = sync.OnceValue(func() map[string]*category {
	byID := map[string]*category{}
	var add func(spec cateSpec) *category
	add = func(spec cateSpec) *category {
		if _, dup := byID[spec.id]; dup {
			panic("sandbox: category " + spec.id + " defined twice")
		}
		c := &category{id: spec.id, name: spec.name, skus: spec.skus, props: spec.props}
		byID[c.id] = c
		for _, child := range spec.children {
			c.children = append(c.children, add(child))
		}
		return c
	}
	add(categoryTree)
	return byID
})

// lookupCategory finds a category by the id a request gave, "" or unknown being errCategoryNotFound.
func lookupCategory(id wx.ID) (*category, error) {
	c, found := categories()[string(id)]
	if !found {
		return nil, errCategoryNotFound.with("cate_id %q", string(id))
	}
	return c, nil
}

// cateRequest is the body of the three category calls. The manual sends cate_id as a number; a string is
// taken too, as the ids come back as strings.
type cateRequest struct {
	CateID *wx.ID `json:"cate_id"`
}

func (c *call) category() (*category, error) {
	var req cateRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.CateID == nil {
		return nil, errInvalidArgs.with("cate_id missing")
	}
	return lookupCategory(*req.CateID)
}

type subCategoriesAnswer struct {
	status
	CateList []wx.Category `json:"cate_list"`
}

// getSubCategories is POST /merchant/category/getsub. A leaf has no sub-categories: its list is empty, which
// is how a client tells a leaf.
func (s *Server) getSubCategories(c *call) (any, error) {
	cat, err := c.category()
	if err != nil {
		return nil, err
	}
	list := make([]wx.Category, 0, len(cat.children))
	for _, ch := range cat.children {
		list = append(list, wx.Category{ID: wx.ID(ch.id), Name: ch.name})
	}
	return subCategoriesAnswer{status: statusSuccess, CateList: list}, nil
}

type categorySKUsAnswer struct {
	status
	SKUTable []wx.SKUAttribute `json:"sku_table"`
}

// getCategorySKUs is POST /merchant/category/getsku: the SKU table of a leaf; empty for other categories.
func (s *Server) getCategorySKUs(c *call) (any, error) {
	cat, err := c.category()
	if err != nil {
		return nil, err
	}
	return categorySKUsAnswer{status: statusSuccess, SKUTable: orEmpty(cat.skus)}, nil
}

type categoryPropertiesAnswer struct {
	status
	Properties []wx.Property `json:"properties"`
}

// getCategoryProperties is POST /merchant/category/getproperty: the properties of a leaf; empty for other
// categories.
func (s *Server) getCategoryProperties(c *call) (any, error) {
	cat, err := c.category()
	if err != nil {
		return nil, err
	}
	return categoryPropertiesAnswer{status: statusSuccess, Properties: orEmpty(cat.props)}, nil
}

// orEmpty makes a nil list answer [] rather than null, as WeChat's answers do.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// cateSpec is how the tree below is written down.
type cateSpec struct {
	id, name string
	children []cateSpec
	skus     []wx.SKUAttribute
	props    []wx.Property
}

func leaf(id, name string, skus []wx.SKUAttribute, props []wx.Property) cateSpec {
	return cateSpec{id: id, name: name, skus: skus, props: props}
}

// skuAttr is a SKU attribute whose values get ids counting up from firstVID.
func skuAttr(id, name string, firstVID int, values ...string) wx.SKUAttribute {
	a := wx.SKUAttribute{ID: wx.ID(id), Name: name}
	for i, v := range values {
		a.ValueList = append(a.ValueList, wx.SKUValue{ID: wx.ID(strconv.Itoa(firstVID + i)), Name: v})
	}
	return a
}

// only narrows a to the named values, for a category that offers fewer of them.
func only(a wx.SKUAttribute, names ...string) wx.SKUAttribute {
	out := wx.SKUAttribute{ID: a.ID, Name: a.Name}
	for _, n := range names {
		found := false
		for _, v := range a.ValueList {
			if v.Name == n {
				out.ValueList = append(out.ValueList, v)
				found = true
			}
		}
		if !found {
			panic("sandbox: " + a.Name + " has no value " + n)
		}
	}
	return out
}

// prop is a property whose values get ids counting up from firstVID.
func prop(id, name string, firstVID int, values ...string) wx.Property {
	p := wx.Property{ID: wx.ID(id), Name: name}
	for i, v := range values {
		p.PropertyValue = append(p.PropertyValue, wx.PropertyValue{ID: wx.ID(strconv.Itoa(firstVID + i)), Name: v})
	}
	return p
}

// SKU attributes. Ids follow the manual's (颜色 is 1075741873 there); a category may offer a subset.
var (
	skuColor = skuAttr("1075741873", "颜色", 1079742360,
		"红色", "白色", "黑色", "蓝色", "灰色", "粉色", "绿色", "卡其色", "米白色", "藏青色")
	skuSize     = skuAttr("1075741874", "尺码", 1079742400, "XS", "S", "M", "L", "XL", "XXL")
	skuSpec     = skuAttr("1075741875", "规格", 1079742420, "50g", "100g", "250g", "500g", "1kg", "2.5kg", "5kg", "礼盒装")
	skuLength   = skuAttr("1075741876", "长度", 1079742440, "0.5m", "1m", "1.5m", "2m", "3m")
	skuPort     = skuAttr("1075741877", "接口", 1079742460, "USB-C", "Lightning", "Micro-USB", "USB-C转Lightning")
	skuPower    = skuAttr("1075741878", "功率", 1079742480, "20W", "33W", "65W", "100W")
	skuModel    = skuAttr("1075741880", "适用机型", 1079742500, "iPhone 15", "iPhone 15 Pro", "iPhone 15 Pro Max", "华为 Mate 60", "小米 14", "OPPO Find X7")
	skuCapacity = skuAttr("1075741881", "容量", 1079742520, "1.5L", "1.7L", "2L", "3L", "4L")
)

// Properties. 品牌 and 材质 have other values in other branches of the tree, as on WeChat.
var (
	propFashionBrand   = prop("1075741879", "品牌", 200050860, "优衣库", "太平鸟", "江南布衣", "森马", "李宁", "新秀丽")
	propFoodBrand      = prop("1075741879", "品牌", 200051860, "三只松鼠", "良品铺子", "百草味", "来伊份", "西湖牌", "正山堂", "张一元", "科尔沁", "褚橙")
	propDigitalBrand   = prop("1075741879", "品牌", 200052860, "绿联", "公牛", "安克", "倍思", "小米", "华为")
	propApplianceBrand = prop("1075741879", "品牌", 200053860, "美的", "苏泊尔", "小熊", "米家", "九阳")

	propFabric         = prop("1075754127", "材质", 1079795190, "纯棉", "涤纶", "真丝", "亚麻", "羊毛", "莫代尔")
	propBagMaterial    = prop("1075754127", "材质", 1079795210, "尼龙", "牛津布", "帆布", "头层牛皮")
	propDigitalMat     = prop("1075754127", "材质", 1079795230, "硅胶", "TPU", "尼龙编织", "PC", "素皮")
	propApplianceMat   = prop("1075754127", "材质", 1079795250, "304不锈钢", "高硼硅玻璃", "PP")
	propOrigin         = prop("1075777334", "产地", 1079837430, "广东", "浙江", "福建", "江苏", "新疆", "云南", "安徽", "湖南", "内蒙古", "江西")
	propShelfLife      = prop("1075777340", "保质期", 1079837460, "15天", "3个月", "6个月", "9个月", "12个月", "18个月", "24个月")
	propSeason         = prop("1075777341", "适用季节", 1079837480, "春季", "夏季", "秋季", "冬季", "四季")
	propPackaging      = prop("1075777342", "包装方式", 1079837500, "袋装", "罐装", "盒装", "礼盒装", "散装")
	propStyle          = prop("1075777343", "风格", 1079837520, "简约", "休闲", "通勤", "复古", "运动")
	propRatedPower     = prop("1075777344", "额定功率", 1079837540, "25W", "30W", "1500W", "1800W")
	propWarranty       = prop("1075777345", "保修期", 1079837560, "1年", "2年", "3年")
	fashionProps       = []wx.Property{propFashionBrand, propFabric, propSeason, propStyle, propOrigin}
	bagProps           = []wx.Property{propFashionBrand, propBagMaterial, propStyle}
	foodProps          = []wx.Property{propFoodBrand, propOrigin, propShelfLife, propPackaging}
	fruitProps         = []wx.Property{propFoodBrand, propOrigin, propShelfLife, propPackaging}
	digitalProps       = []wx.Property{propDigitalBrand, propDigitalMat, propWarranty}
	applianceProps     = []wx.Property{propApplianceBrand, propApplianceMat, propRatedPower, propWarranty}
	clothingSKUs       = []wx.SKUAttribute{skuColor, skuSize}
	kettleCapacities   = only(skuCapacity, "1.5L", "1.7L", "2L")
	humidifierCapacity = only(skuCapacity, "3L", "4L")
)

// categoryTree has three levels below the root; every product lives on a leaf of the third.
var categoryTree = cateSpec{id: rootCategoryID, name: "全部分类", children: []cateSpec{
	{id: "538070001", name: "服饰鞋包", children: []cateSpec{
		{id: "538071001", name: "女装", children: []cateSpec{
			leaf("538071101", "T恤", clothingSKUs, fashionProps),
			leaf("538071102", "连衣裙", []wx.SKUAttribute{only(skuColor, "红色", "白色", "黑色", "蓝色", "粉色", "米白色"), only(skuSize, "S", "M", "L", "XL")}, fashionProps),
			leaf("538071103", "衬衫", clothingSKUs, fashionProps),
		}},
		{id: "538072001", name: "男装", children: []cateSpec{
			leaf("538072101", "T恤", clothingSKUs, fashionProps),
			leaf("538072102", "夹克", []wx.SKUAttribute{only(skuColor, "黑色", "灰色", "卡其色", "藏青色"), only(skuSize, "M", "L", "XL", "XXL")}, fashionProps),
		}},
		{id: "538073001", name: "箱包", children: []cateSpec{
			leaf("538073101", "双肩包", []wx.SKUAttribute{only(skuColor, "黑色", "灰色", "蓝色", "卡其色")}, bagProps),
		}},
	}},
	{id: "538080001", name: "食品生鲜", children: []cateSpec{
		{id: "538081001", name: "零食", children: []cateSpec{
			leaf("538081101", "坚果", []wx.SKUAttribute{only(skuSpec, "250g", "500g", "1kg", "礼盒装")}, foodProps),
			leaf("538081102", "饼干糕点", []wx.SKUAttribute{only(skuSpec, "250g", "500g", "1kg", "礼盒装")}, foodProps),
			leaf("538081103", "肉干肉脯", []wx.SKUAttribute{only(skuSpec, "100g", "250g", "500g")}, foodProps),
		}},
		{id: "538082001", name: "茶叶", children: []cateSpec{
			leaf("538082101", "绿茶", []wx.SKUAttribute{only(skuSpec, "50g", "100g", "250g", "礼盒装")}, foodProps),
			leaf("538082102", "红茶", []wx.SKUAttribute{only(skuSpec, "50g", "100g", "250g", "礼盒装")}, foodProps),
		}},
		{id: "538083001", name: "水果", children: []cateSpec{
			leaf("538083101", "柑橘", []wx.SKUAttribute{only(skuSpec, "2.5kg", "5kg")}, fruitProps),
		}},
	}},
	{id: "538090001", name: "数码家电", children: []cateSpec{
		{id: "538091001", name: "手机配件", children: []cateSpec{
			leaf("538091101", "数据线", []wx.SKUAttribute{skuPort, skuLength}, digitalProps),
			leaf("538091102", "充电器", []wx.SKUAttribute{skuPower, only(skuColor, "白色", "黑色")}, digitalProps),
			leaf("538091103", "手机壳", []wx.SKUAttribute{skuModel, only(skuColor, "黑色", "白色", "蓝色", "粉色", "绿色")}, digitalProps),
		}},
		{id: "538092001", name: "生活电器", children: []cateSpec{
			leaf("538092101", "电热水壶", []wx.SKUAttribute{kettleCapacities, only(skuColor, "白色", "黑色", "绿色")}, applianceProps),
			leaf("538092102", "加湿器", []wx.SKUAttribute{humidifierCapacity, only(skuColor, "白色", "粉色")}, applianceProps),
		}},
	}},
}}
