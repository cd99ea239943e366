package sandbox

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"

	"wxshop/internal/wx"
)

// The demo shop: products over several leaves of the category tree, on sale and off, some sold out and some
// nearly, each with images the sandbox draws itself. New loads it unless Options.Empty is set. The products
// are written with names ("品牌" = "三只松鼠") that are looked up in their category, so they can only name
// what the tree offers; a test runs checkProduct over every one of them.

// demoProduct is one product as written below.
type demoProduct struct {
	name    string
	cate    string      // a leaf of categoryTree
	props   []string    // property name, value name, property name, value name...
	axes    []demoAxis  // SKU attributes by name; none for a product with one uniform spec
	price   int         // 微信价 of the first SKU, in fen
	ori     int         // 原价 of the first SKU
	step    int         // added to both prices for each further SKU
	stock   []int       // quantities of the SKUs in turn, repeated as needed
	code    string      // product_code; SKUs get -01, -02... when there are several
	onSale  bool        //
	sold    bool        // off sale now but on sale before, so name, category and property are frozen
	limit   int         // buy_limit
	shipped demoAddress // where it ships from
}

// demoAxis is one sku_info entry: an attribute name and value names ("$text" for a custom value).
type demoAxis struct {
	attr   string
	values []string
}

func axis(attr string, values ...string) demoAxis { return demoAxis{attr: attr, values: values} }

func props(nameValue ...string) []string { return nameValue }

type demoAddress struct{ province, city, address string }

var (
	fromGuangzhou = demoAddress{"广东省", "广州市", "天河区体育西路191号"}
	fromShenzhen  = demoAddress{"广东省", "深圳市", "南山区科技园科苑路15号"}
	fromHangzhou  = demoAddress{"浙江省", "杭州市", "余杭区文一西路969号"}
	fromXiamen    = demoAddress{"福建省", "厦门市", "思明区软件园二期观日路"}
	fromShanghai  = demoAddress{"上海市", "上海市", "浦东新区张江路88号"}
	fromKunming   = demoAddress{"云南省", "昆明市", "官渡区春城路219号"}
)

// Leaves the demo products live on.
const (
	cateWomenTee   = "538071101"
	cateDress      = "538071102"
	cateShirt      = "538071103"
	cateMenTee     = "538072101"
	cateJacket     = "538072102"
	cateBackpack   = "538073101"
	cateNuts       = "538081101"
	cateBiscuits   = "538081102"
	cateJerky      = "538081103"
	cateGreenTea   = "538082101"
	cateBlackTea   = "538082102"
	cateCitrus     = "538083101"
	cateCable      = "538091101"
	cateCharger    = "538091102"
	catePhoneCase  = "538091103"
	cateKettle     = "538092101"
	cateHumidifier = "538092102"
)

var demoProducts = []demoProduct{
	{name: "纯棉圆领短袖T恤女 宽松百搭", cate: cateWomenTee, props: props("品牌", "优衣库", "材质", "纯棉", "适用季节", "夏季", "风格", "简约", "产地", "广东"),
		axes: []demoAxis{axis("颜色", "白色", "黑色", "粉色"), axis("尺码", "S", "M", "L")}, price: 5900, ori: 9900,
		stock: []int{30, 12, 0, 8, 25, 3, 40, 5, 0}, code: "NZ-TX-001", onSale: true, shipped: fromGuangzhou},
	{name: "法式复古印花T恤 女款短袖", cate: cateWomenTee, props: props("品牌", "太平鸟", "材质", "莫代尔", "适用季节", "夏季", "风格", "复古", "产地", "浙江"),
		axes: []demoAxis{axis("颜色", "米白色", "蓝色"), axis("尺码", "S", "M", "L", "XL")}, price: 12900, ori: 19900,
		stock: []int{6, 4, 2, 0, 10, 8, 3, 1}, code: "NZ-TX-002", shipped: fromHangzhou},
	{name: "碎花雪纺连衣裙 中长款收腰", cate: cateDress, props: props("品牌", "江南布衣", "材质", "涤纶", "适用季节", "夏季", "风格", "通勤", "产地", "浙江"),
		axes: []demoAxis{axis("颜色", "粉色", "蓝色", "白色"), axis("尺码", "S", "M", "L")}, price: 25900, ori: 39900,
		stock: []int{15, 20, 9}, code: "NZ-LYQ-001", onSale: true, limit: 5, shipped: fromHangzhou},
	{name: "真丝吊带连衣裙 法式度假风", cate: cateDress, props: props("品牌", "江南布衣", "材质", "真丝", "适用季节", "夏季", "风格", "复古", "产地", "江苏"),
		axes: []demoAxis{axis("颜色", "黑色", "红色"), axis("尺码", "S", "M", "L")}, price: 59900, ori: 89900,
		stock: []int{2, 3, 1, 0, 2, 1}, code: "NZ-LYQ-002", onSale: true, limit: 2, shipped: fromShanghai},
	{name: "亚麻休闲衬衫女 长袖宽松", cate: cateShirt, props: props("品牌", "森马", "材质", "亚麻", "适用季节", "春季", "风格", "休闲", "产地", "福建"),
		axes: []demoAxis{axis("颜色", "白色", "卡其色"), axis("尺码", "M", "L", "XL")}, price: 16900, ori: 23900,
		stock: []int{18, 22, 7}, code: "NZ-CS-001", onSale: true, shipped: fromXiamen},
	{name: "男士运动速干T恤 圆领短袖", cate: cateMenTee, props: props("品牌", "李宁", "材质", "涤纶", "适用季节", "夏季", "风格", "运动", "产地", "福建"),
		axes: []demoAxis{axis("颜色", "黑色", "灰色", "蓝色"), axis("尺码", "M", "L", "XL", "XXL")}, price: 7900, ori: 12900,
		stock: []int{50, 42, 36, 12}, code: "NanZ-TX-001", onSale: true, shipped: fromXiamen},
	{name: "重磅纯棉T恤男 美式宽松", cate: cateMenTee, props: props("品牌", "森马", "材质", "纯棉", "适用季节", "四季", "风格", "休闲", "产地", "广东"),
		axes: []demoAxis{axis("颜色", "白色", "黑色"), axis("尺码", "M", "L", "XL")}, price: 9900, ori: 15900,
		stock: []int{0}, code: "NanZ-TX-002", sold: true, shipped: fromGuangzhou},
	{name: "男士立领夹克 春秋款商务休闲外套", cate: cateJacket, props: props("品牌", "太平鸟", "材质", "涤纶", "适用季节", "秋季", "风格", "通勤", "产地", "浙江"),
		axes: []demoAxis{axis("颜色", "黑色", "藏青色", "卡其色"), axis("尺码", "M", "L", "XL", "XXL")}, price: 39900, ori: 59900,
		stock: []int{8, 14, 11, 4, 6, 9}, code: "NanZ-JK-001", onSale: true, shipped: fromHangzhou},
	{name: "复古工装夹克 男款宽松", cate: cateJacket, props: props("品牌", "森马", "材质", "纯棉", "适用季节", "春季", "风格", "复古", "产地", "广东"),
		axes: []demoAxis{axis("颜色", "卡其色", "灰色"), axis("尺码", "L", "XL")}, price: 29900, ori: 45900,
		stock: []int{20, 16, 12, 10}, code: "NanZ-JK-002", shipped: fromGuangzhou},
	{name: "商务通勤双肩包 15.6英寸电脑包", cate: cateBackpack, props: props("品牌", "新秀丽", "材质", "尼龙", "风格", "通勤"),
		axes: []demoAxis{axis("颜色", "黑色", "灰色")}, price: 49900, ori: 79900,
		stock: []int{18, 0}, code: "XB-SJB-001", onSale: true, shipped: fromShanghai},
	{name: "帆布学生书包 大容量", cate: cateBackpack, props: props("品牌", "森马", "材质", "帆布", "风格", "休闲"),
		axes: []demoAxis{axis("颜色", "卡其色", "蓝色", "黑色")}, price: 12900, ori: 19900,
		stock: []int{33, 27, 45}, code: "XB-SJB-002", onSale: true, shipped: fromGuangzhou},
	{name: "每日坚果混合装 25g×30袋", cate: cateNuts, props: props("品牌", "三只松鼠", "产地", "安徽", "保质期", "9个月", "包装方式", "盒装"),
		price: 9900, ori: 15900, stock: []int{200}, code: "SP-JG-001", onSale: true, limit: 10, shipped: fromShanghai},
	{name: "手剥山核桃 临安特产", cate: cateNuts, props: props("品牌", "良品铺子", "产地", "浙江", "保质期", "6个月", "包装方式", "罐装"),
		axes: []demoAxis{axis("规格", "250g", "500g")}, price: 4990, ori: 6990, step: 4000,
		stock: []int{60, 3}, code: "SP-JG-002", onSale: true, shipped: fromHangzhou},
	{name: "新疆阿克苏纸皮核桃", cate: cateNuts, props: props("品牌", "百草味", "产地", "新疆", "保质期", "12个月", "包装方式", "袋装"),
		axes: []demoAxis{axis("规格", "500g", "1kg")}, price: 2990, ori: 3990, step: 2500,
		stock: []int{0, 0}, code: "SP-JG-003", sold: true, shipped: fromHangzhou},
	{name: "坚果年货大礼包 1.5kg", cate: cateNuts, props: props("品牌", "三只松鼠", "产地", "安徽", "保质期", "9个月", "包装方式", "礼盒装"),
		price: 16800, ori: 26800, stock: []int{35}, code: "SP-JG-004", onSale: true, shipped: fromShanghai},
	{name: "黄油曲奇饼干 丹麦风味", cate: cateBiscuits, props: props("品牌", "来伊份", "产地", "广东", "保质期", "12个月", "包装方式", "罐装"),
		axes: []demoAxis{axis("规格", "500g", "礼盒装")}, price: 3990, ori: 5990, step: 3000,
		stock: []int{88, 40}, code: "SP-BG-001", onSale: true, shipped: fromGuangzhou},
	{name: "手工凤梨酥 台式糕点", cate: cateBiscuits, props: props("品牌", "良品铺子", "产地", "福建", "保质期", "6个月", "包装方式", "盒装"),
		axes: []demoAxis{axis("规格", "250g", "500g")}, price: 2990, ori: 4590, step: 2500,
		stock: []int{4, 2}, code: "SP-BG-002", onSale: true, shipped: fromXiamen},
	{name: "内蒙古风干牛肉干 手撕", cate: cateJerky, props: props("品牌", "科尔沁", "产地", "内蒙古", "保质期", "9个月", "包装方式", "袋装"),
		axes: []demoAxis{axis("规格", "100g", "250g", "500g")}, price: 3990, ori: 5990, step: 4000,
		stock: []int{120, 64, 25}, code: "SP-RG-001", onSale: true, shipped: fromShanghai},
	{name: "靖江猪肉脯 蜜汁味", cate: cateJerky, props: props("品牌", "来伊份", "产地", "江苏", "保质期", "6个月", "包装方式", "袋装"),
		axes: []demoAxis{axis("规格", "100g", "250g")}, price: 1990, ori: 2990, step: 2500,
		stock: []int{70, 30}, code: "SP-RG-002", shipped: fromShanghai},
	{name: "明前西湖龙井 特级", cate: cateGreenTea, props: props("品牌", "西湖牌", "产地", "浙江", "保质期", "18个月", "包装方式", "罐装"),
		axes: []demoAxis{axis("规格", "50g", "100g", "250g")}, price: 16800, ori: 23800, step: 15000,
		stock: []int{10, 5, 1}, code: "CY-LC-001", onSale: true, limit: 3, shipped: fromHangzhou},
	{name: "安吉白茶 雨前一级", cate: cateGreenTea, props: props("品牌", "张一元", "产地", "浙江", "保质期", "18个月", "包装方式", "袋装"),
		axes: []demoAxis{axis("规格", "100g", "礼盒装")}, price: 12800, ori: 18800, step: 10000,
		stock: []int{26, 14}, code: "CY-LC-002", onSale: true, shipped: fromHangzhou},
	{name: "武夷山正山小种红茶", cate: cateBlackTea, props: props("品牌", "正山堂", "产地", "福建", "保质期", "24个月", "包装方式", "礼盒装"),
		axes: []demoAxis{axis("规格", "100g", "礼盒装")}, price: 19800, ori: 29800, step: 10000,
		stock: []int{16, 9}, code: "CY-HC-001", onSale: true, shipped: fromXiamen},
	{name: "滇红金芽 云南凤庆", cate: cateBlackTea, props: props("品牌", "张一元", "产地", "云南", "保质期", "24个月", "包装方式", "袋装"),
		axes: []demoAxis{axis("规格", "50g", "100g")}, price: 6800, ori: 9800, step: 6000,
		stock: []int{0, 7}, code: "CY-HC-002", sold: true, shipped: fromKunming},
	{name: "褚橙 云南冰糖橙 当季现摘", cate: cateCitrus, props: props("品牌", "褚橙", "产地", "云南", "保质期", "15天", "包装方式", "礼盒装"),
		axes: []demoAxis{axis("规格", "2.5kg", "5kg")}, price: 5990, ori: 7990, step: 4000,
		stock: []int{80, 26}, code: "SG-GJ-001", onSale: true, shipped: fromKunming},
	{name: "赣南脐橙 现摘现发", cate: cateCitrus, props: props("产地", "江西", "保质期", "15天", "包装方式", "散装"),
		axes: []demoAxis{axis("规格", "2.5kg", "5kg")}, price: 3990, ori: 4990, step: 3000,
		stock: []int{0, 12}, code: "SG-GJ-002", onSale: true, shipped: fromShenzhen},
	{name: "快充数据线 尼龙编织 3A", cate: cateCable, props: props("品牌", "绿联", "材质", "尼龙编织", "保修期", "2年"),
		axes: []demoAxis{axis("接口", "USB-C", "Lightning"), axis("长度", "1m", "2m")}, price: 2990, ori: 4990, step: 500,
		stock: []int{150, 90, 0, 4}, code: "SJ-SJX-001", onSale: true, shipped: fromShenzhen},
	{name: "三合一磁吸充电线", cate: cateCable, props: props("品牌", "倍思", "材质", "TPU", "保修期", "1年"),
		axes: []demoAxis{axis("接口", "Micro-USB", "$三合一"), axis("长度", "1.5m")}, price: 3990, ori: 5990,
		stock: []int{40, 60}, code: "SJ-SJX-002", shipped: fromShenzhen},
	{name: "氮化镓快充充电器 多口", cate: cateCharger, props: props("品牌", "安克", "材质", "PC", "保修期", "2年"),
		axes: []demoAxis{axis("功率", "33W", "65W"), axis("颜色", "白色")}, price: 14900, ori: 19900, step: 5000,
		stock: []int{22, 9}, code: "SJ-CDQ-001", onSale: true, shipped: fromShenzhen},
	{name: "USB-C 快充头 20W", cate: cateCharger, props: props("品牌", "公牛", "材质", "PC", "保修期", "1年"),
		axes: []demoAxis{axis("功率", "20W"), axis("颜色", "白色", "黑色")}, price: 3900, ori: 5900,
		stock: []int{300, 2}, code: "SJ-CDQ-002", onSale: true, shipped: fromHangzhou},
	{name: "液态硅胶手机壳 全包防摔", cate: catePhoneCase, props: props("品牌", "绿联", "材质", "硅胶", "保修期", "1年"),
		axes: []demoAxis{axis("适用机型", "iPhone 15", "iPhone 15 Pro", "$华为 Pura 70"), axis("颜色", "黑色", "粉色")}, price: 3900, ori: 6900,
		stock: []int{40, 12, 0, 6, 15, 3}, code: "SJ-SJK-001", onSale: true, shipped: fromShenzhen},
	{name: "透明磁吸手机壳 MagSafe", cate: catePhoneCase, props: props("品牌", "倍思", "材质", "TPU", "保修期", "1年"),
		axes: []demoAxis{axis("适用机型", "iPhone 15 Pro", "iPhone 15 Pro Max"), axis("颜色", "$透明")}, price: 5900, ori: 9900,
		stock: []int{25, 25}, code: "SJ-SJK-002", shipped: fromShenzhen},
	{name: "304不锈钢电热水壶 1.7L", cate: cateKettle, props: props("品牌", "美的", "材质", "304不锈钢", "额定功率", "1800W", "保修期", "1年"),
		axes: []demoAxis{axis("容量", "1.7L"), axis("颜色", "白色", "黑色")}, price: 9900, ori: 15900,
		stock: []int{55, 0}, code: "DQ-SHH-001", onSale: true, shipped: fromGuangzhou},
	{name: "恒温玻璃养生壶 多功能", cate: cateKettle, props: props("品牌", "小熊", "材质", "高硼硅玻璃", "额定功率", "1500W", "保修期", "1年"),
		axes: []demoAxis{axis("容量", "1.5L"), axis("颜色", "白色", "绿色")}, price: 12900, ori: 19900,
		stock: []int{7, 3}, code: "DQ-SHH-002", onSale: true, shipped: fromGuangzhou},
	{name: "静音卧室加湿器 4L大容量", cate: cateHumidifier, props: props("品牌", "米家", "材质", "PP", "额定功率", "25W", "保修期", "1年"),
		price: 19900, ori: 29900, stock: []int{0}, code: "DQ-JSQ-001", sold: true, shipped: fromShenzhen},
	{name: "桌面迷你加湿器 香薰款", cate: cateHumidifier, props: props("品牌", "小熊", "材质", "PP", "额定功率", "25W", "保修期", "1年"),
		axes: []demoAxis{axis("容量", "3L"), axis("颜色", "白色", "粉色")}, price: 8900, ori: 12900,
		stock: []int{25, 18}, code: "DQ-JSQ-002", onSale: true, shipped: fromGuangzhou},
}

// swatchColors are the colours of the 颜色 values, for the SKU icons.
var swatchColors = map[string]color.RGBA{
	"红色": {0xe5, 0x39, 0x35, 0xff}, "白色": {0xf7, 0xf7, 0xf7, 0xff}, "黑色": {0x21, 0x21, 0x21, 0xff},
	"蓝色": {0x1e, 0x88, 0xe5, 0xff}, "灰色": {0x9e, 0x9e, 0x9e, 0xff}, "粉色": {0xf4, 0x8f, 0xb1, 0xff},
	"绿色": {0x43, 0xa0, 0x47, 0xff}, "卡其色": {0xc3, 0xb0, 0x91, 0xff}, "米白色": {0xf3, 0xec, 0xd8, 0xff},
	"藏青色": {0x1a, 0x23, 0x7e, 0xff},
}

// loadDemo fills the shop with demoProducts and their images. The caller holds s.mu or owns s.
func (s *Server) loadDemo() {
	swatches := map[string]string{} // colour value name -> image path
	for i, d := range demoProducts {
		p := s.demoProduct(i, d, swatches)
		status := wx.ProductOffSale
		if d.onSale {
			status = wx.ProductOnSale
		}
		s.products.add(&storedProduct{p: p, status: status, everOnSale: d.onSale || d.sold})
	}
}

// demoProduct builds product number i in the form the sandbox stores: ids and image paths.
func (s *Server) demoProduct(i int, d demoProduct, swatches map[string]string) *wx.Product {
	cat := categories()[d.cate]
	if cat == nil || !cat.leaf() {
		panic(fmt.Sprintf("sandbox: demo product %q: %s is not a leaf category", d.name, d.cate))
	}
	mainImg := s.images.add("image/png", sync.OnceValue(func() []byte { return drawProductImage(i, false) }))
	altImg := s.images.add("image/png", sync.OnceValue(func() []byte { return drawProductImage(i, true) }))

	p := &wx.Product{
		ProductID: s.newProductID(),
		ProductBase: wx.ProductBase{
			Name:       d.name,
			CategoryID: []wx.ID{wx.ID(cat.id)},
			MainImg:    mainImg,
			Img:        []string{mainImg, altImg},
			Detail: []wx.ProductDetail{
				{Text: d.name + "。正品保证，下单后48小时内发货，支持七天无理由退换。"},
				{Img: altImg},
				{Text: "商品编码 " + d.code + "，如有疑问请联系在线客服。"},
			},
			BuyLimit: d.limit,
		},
		AttrExt: wx.AttrExt{
			Location:         wx.Location{Country: "中国", Province: d.shipped.province, City: d.shipped.city, Address: d.shipped.address},
			IsHasReceipt:     1,
			IsSupportReplace: 1,
		},
	}
	if strings.HasPrefix(d.cate, "53809") { // 数码家电 come with a warranty
		p.AttrExt.IsUnderGuaranty = 1
	}
	if d.ori >= 9900 {
		p.AttrExt.IsPostFree = 1
	} else {
		p.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress, Express: []wx.Express{
			{ID: wx.ExpressPingYou, Price: 600}, {ID: wx.ExpressKuaiDi, Price: 1000}, {ID: wx.ExpressEMS, Price: 2000},
		}}
	}

	for j := 0; j+1 < len(d.props); j += 2 {
		pr, vid := demoProperty(cat, d.props[j], d.props[j+1])
		p.ProductBase.Property = append(p.ProductBase.Property, wx.ProductProperty{ID: pr, VID: vid})
	}

	// sku_info, then one SKU per combination of the axes' values, in reading order: the last axis turning
	// fastest (白色 S, 白色 M, ..., 黑色 S, ...).
	type choice struct {
		pair  wx.SKUPair
		color string // the value's name when the attribute is 颜色, for its icon
	}
	combos := [][]choice{nil}
	for _, ax := range d.axes {
		attr, found := demoSKUAttr(cat, ax.attr)
		if !found {
			panic(fmt.Sprintf("sandbox: demo product %q: category %s has no SKU attribute %s", d.name, cat.id, ax.attr))
		}
		info := wx.SKUInfo{ID: attr.ID}
		var choices []choice
		for _, name := range ax.values {
			vid := demoSKUValue(attr, name, d.name)
			info.VID = append(info.VID, vid)
			ch := choice{pair: wx.SKUPair{ID: attr.ID, VID: vid}}
			if attr.Name == "颜色" {
				ch.color = name
			}
			choices = append(choices, ch)
		}
		var next [][]choice
		for _, c := range combos {
			for _, ch := range choices {
				next = append(next, append(slices.Clone(c), ch))
			}
		}
		combos = next
		p.ProductBase.SKUInfo = append(p.ProductBase.SKUInfo, info)
	}
	for j, combo := range combos {
		sku := wx.SKU{
			Price:       d.price + j*d.step,
			OriPrice:    d.ori + j*d.step,
			Quantity:    d.stock[j%len(d.stock)],
			ProductCode: d.code,
			IconURL:     mainImg,
		}
		if len(combos) > 1 {
			sku.ProductCode = fmt.Sprintf("%s-%02d", d.code, j+1)
		}
		pairs := make([]wx.SKUPair, len(combo))
		for k, ch := range combo {
			pairs[k] = ch.pair
			if rgba, known := swatchColors[ch.color]; known {
				sku.IconURL = s.swatch(ch.color, rgba, swatches)
			}
		}
		sku.SKUID = wx.SKUID(pairs)
		p.SKUList = append(p.SKUList, sku)
	}
	return p
}

// demoProperty looks a property and its value up by name in cat.
func demoProperty(cat *category, name, value string) (wx.ID, wx.ID) {
	for _, p := range cat.props {
		if p.Name != name {
			continue
		}
		for _, v := range p.PropertyValue {
			if v.Name == value {
				return p.ID, v.ID
			}
		}
	}
	panic(fmt.Sprintf("sandbox: category %s has no property %s = %s", cat.id, name, value))
}

func demoSKUAttr(cat *category, name string) (wx.SKUAttribute, bool) {
	for _, a := range cat.skus {
		if a.Name == name {
			return a, true
		}
	}
	return wx.SKUAttribute{}, false
}

// demoSKUValue is the vid of the value called name, or name itself for a custom "$text" value.
func demoSKUValue(attr wx.SKUAttribute, name, product string) wx.ID {
	if isCustom(wx.ID(name)) {
		return wx.ID(name)
	}
	for _, v := range attr.ValueList {
		if v.Name == name {
			return v.ID
		}
	}
	panic(fmt.Sprintf("sandbox: demo product %q: %s has no value %s", product, attr.Name, name))
}

// swatch is the path of the icon of one colour, drawn once for the whole shop.
func (s *Server) swatch(name string, c color.RGBA, swatches map[string]string) string {
	if p, drawn := swatches[name]; drawn {
		return p
	}
	p := s.images.add("image/png", sync.OnceValue(func() []byte { return drawSwatch(c) }))
	swatches[name] = p
	return p
}

// Demo images are drawn, not committed, so the repository holds no binary files; a paletted PNG of a few
// colours is small and quick to encode.
const (
	productImageSize = 200
	swatchSize       = 64
)

// drawProductImage draws product i's picture: a square of its own colour with a white shape. The alternate
// picture (alt) swaps the shape and darkens the colour, so that every picture of the shop differs.
func drawProductImage(i int, alt bool) []byte {
	hue := math.Mod(float64(i)*137.508, 360) // the golden angle spreads neighbours far apart
	bg := hsv(hue, 0.55, 0.88)
	shape := i % len(shapes)
	if alt {
		bg = hsv(hue, 0.7, 0.62)
		shape = (i + 3) % len(shapes)
	}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	img := image.NewPaletted(image.Rect(0, 0, productImageSize, productImageSize), color.Palette{bg, white})
	for y := range productImageSize {
		for x := range productImageSize {
			if shapes[shape](x, y, productImageSize) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	return encodePNG(img)
}

// drawSwatch draws a colour sample with a grey border, so that white shows on a white page.
func drawSwatch(c color.RGBA) []byte {
	border := color.RGBA{0xbd, 0xbd, 0xbd, 0xff}
	img := image.NewPaletted(image.Rect(0, 0, swatchSize, swatchSize), color.Palette{c, border})
	for y := range swatchSize {
		for x := range swatchSize {
			if x < 2 || y < 2 || x >= swatchSize-2 || y >= swatchSize-2 {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	return encodePNG(img)
}

// shapes tell whether pixel (x, y) of an n×n picture is inside the shape.
var shapes = []func(x, y, n int) bool{
	func(x, y, n int) bool { // circle
		dx, dy := x-n/2, y-n/2
		return dx*dx+dy*dy < (n*3/10)*(n*3/10)
	},
	func(x, y, n int) bool { // triangle, point up
		top, bottom := n/4, n*3/4
		if y < top || y >= bottom {
			return false
		}
		half := (y - top) * n * 3 / 10 / (bottom - top)
		return x >= n/2-half && x <= n/2+half
	},
	func(x, y, n int) bool { // diamond
		return abs(x-n/2)+abs(y-n/2) < n*3/10
	},
	func(x, y, n int) bool { // square
		return x >= n*3/10 && x < n*7/10 && y >= n*3/10 && y < n*7/10
	},
	func(x, y, n int) bool { // ring
		dx, dy := x-n/2, y-n/2
		r2 := dx*dx + dy*dy
		return r2 < (n*3/10)*(n*3/10) && r2 >= (n/6)*(n/6)
	},
	func(x, y, n int) bool { // cross
		return (abs(x-n/2) < n/14 && abs(y-n/2) < n*3/10) || (abs(y-n/2) < n/14 && abs(x-n/2) < n*3/10)
	},
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// hsv converts a hue (degrees) with saturation and value (0..1) to a colour.
func hsv(h, s, v float64) color.RGBA {
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	to8 := func(f float64) uint8 { return uint8(math.Round((f + m) * 255)) }
	return color.RGBA{to8(r), to8(g), to8(b), 0xff}
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic("sandbox: unable to draw a demo image: " + err.Error()) // an in-memory write, it cannot fail
	}
	return buf.Bytes()
}
