package sandbox

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"wxshop/internal/wx"
)

// The demo storefront, over the demo products of demo.go: postage templates (some products charge by one),
// groups and shelves, with banner and group pictures the sandbox draws itself. Everything is written by
// name (products, groups, regions) and looked up when loaded; a test runs checkTemplate, checkGroup and
// checkShelf over all of it.

// feeRule is a FeeRule: StartFees for the first StartStandards pieces, AddFees for each further AddStandards.
func feeRule(startStd, startFees, addStd, addFees int) wx.FeeRule {
	return wx.FeeRule{StartStandards: startStd, StartFees: startFees, AddStandards: addStd, AddFees: addFees}
}

// destRule is a Custom rule for a province, or for one city of it.
func destRule(rule wx.FeeRule, province string, city ...string) wx.CustomFeeRule {
	c := wx.CustomFeeRule{FeeRule: rule, DestCountry: regionCountry, DestProvince: province}
	if len(city) > 0 {
		c.DestCity = city[0]
	}
	return c
}

// Rules several demo templates share.
var (
	freeRule      = feeRule(1, 0, 1, 0)
	remoteRule    = feeRule(1, 2500, 1, 1000) // 新疆, 西藏
	fartherRule   = feeRule(1, 1800, 1, 800)  // 青海, 内蒙古, 海南
	nearbyEMSRule = feeRule(1, 1000, 1, 300)  // EMS within 江浙沪
)

// demoTemplates are the shop's postage templates, added in this order.
var demoTemplates = []wx.DeliveryTemplate{
	{Name: "全国包邮", Assumer: wx.AssumerSeller, Valuation: wx.ValuationByPiece, TopFee: []wx.TopFee{
		{Type: wx.ExpressKuaiDi, Normal: freeRule},
		{Type: wx.ExpressEMS, Normal: freeRule},
	}},
	{Name: "江浙沪包邮其他地区按件", Assumer: wx.AssumerBuyer, Valuation: wx.ValuationByPiece, TopFee: []wx.TopFee{
		{Type: wx.ExpressKuaiDi, Normal: feeRule(1, 800, 1, 200), Custom: []wx.CustomFeeRule{
			destRule(freeRule, "浙江省"), destRule(freeRule, "江苏省"), destRule(freeRule, "上海市"),
		}},
		{Type: wx.ExpressEMS, Normal: feeRule(1, 2000, 1, 500), Custom: []wx.CustomFeeRule{
			destRule(nearbyEMSRule, "浙江省"), destRule(nearbyEMSRule, "江苏省"), destRule(nearbyEMSRule, "上海市"),
		}},
	}},
	{Name: "偏远地区加收运费", Assumer: wx.AssumerBuyer, Valuation: wx.ValuationByPiece, TopFee: []wx.TopFee{
		{Type: wx.ExpressKuaiDi, Normal: feeRule(1, 1000, 2, 500), Custom: []wx.CustomFeeRule{
			destRule(remoteRule, "新疆维吾尔自治区"), destRule(feeRule(1, 1500, 1, 800), "新疆维吾尔自治区", "乌鲁木齐市"),
			destRule(remoteRule, "西藏自治区"), destRule(fartherRule, "青海省"), destRule(fartherRule, "内蒙古自治区"), destRule(fartherRule, "海南省"),
		}},
		{Type: wx.ExpressPingYou, Normal: feeRule(1, 600, 1, 300), Custom: []wx.CustomFeeRule{
			destRule(feeRule(1, 1500, 1, 600), "新疆维吾尔自治区"), destRule(feeRule(1, 1500, 1, 600), "西藏自治区"),
		}},
	}},
}

// demoTemplateProducts names, per demo template, the demo products that charge postage by it instead of
// the fixed fees demo.go gives them.
var demoTemplateProducts = map[string][]string{
	"全国包邮":        {"黄油曲奇饼干 丹麦风味", "手工凤梨酥 台式糕点"},
	"江浙沪包邮其他地区按件": {"手剥山核桃 临安特产", "新疆阿克苏纸皮核桃", "内蒙古风干牛肉干 手撕", "靖江猪肉脯 蜜汁味"},
	"偏远地区加收运费":    {"褚橙 云南冰糖橙 当季现摘", "赣南脐橙 现摘现发"},
}

// demoGroup is one group: its name and its products by name.
type demoGroup struct {
	name     string
	products []string
}

// demoGroups are the shop's groups, added in this order.
var demoGroups = []demoGroup{
	{"夏季新品", []string{"纯棉圆领短袖T恤女 宽松百搭", "法式复古印花T恤 女款短袖", "碎花雪纺连衣裙 中长款收腰", "真丝吊带连衣裙 法式度假风", "男士运动速干T恤 圆领短袖"}},
	{"爆款推荐", []string{"每日坚果混合装 25g×30袋", "纯棉圆领短袖T恤女 宽松百搭", "快充数据线 尼龙编织 3A", "褚橙 云南冰糖橙 当季现摘", "明前西湖龙井 特级", "商务通勤双肩包 15.6英寸电脑包"}},
	{"坚果零食", []string{"每日坚果混合装 25g×30袋", "手剥山核桃 临安特产", "新疆阿克苏纸皮核桃", "坚果年货大礼包 1.5kg", "黄油曲奇饼干 丹麦风味", "手工凤梨酥 台式糕点", "内蒙古风干牛肉干 手撕", "靖江猪肉脯 蜜汁味"}},
	{"数码配件", []string{"快充数据线 尼龙编织 3A", "三合一磁吸充电线", "氮化镓快充充电器 多口", "USB-C 快充头 20W", "液态硅胶手机壳 全包防摔", "透明磁吸手机壳 MagSafe"}},
	{"茶叶", []string{"明前西湖龙井 特级", "安吉白茶 雨前一级", "武夷山正山小种红茶", "滇红金芽 云南凤庆"}},
}

// Sizes of the pictures a shelf shows, as the manual suggests them (5.1.3, 5.1.4).
const (
	bannerW, bannerH         = 640, 120
	bigTileW, bigTileH       = 350, 350 // the first group of control 4
	smallTileW, smallTileH   = 244, 172 // the other groups of control 4
	backgroundW, backgroundH = 640, 1008
)

// loadStorefront adds the demo templates, groups and shelves, after loadDemo. The caller holds s.mu or
// owns s.
func (s *Server) loadStorefront() {
	productIDs := map[string]string{} // name -> id
	for _, id := range s.products.order {
		productIDs[s.products.byID[id].p.ProductBase.Name] = id
	}
	product := func(name string) *storedProduct {
		id, found := productIDs[name]
		if !found {
			panic(fmt.Sprintf("sandbox: demo storefront: no demo product %q", name))
		}
		return s.products.byID[id]
	}

	for _, t := range demoTemplates {
		stored := cloneTemplate(&t)
		for i := range stored.TopFee {
			stored.TopFee[i].Custom = orEmpty(stored.TopFee[i].Custom)
		}
		id := s.templates.add(stored)
		users, found := demoTemplateProducts[t.Name]
		if !found {
			panic(fmt.Sprintf("sandbox: demo template %q charges no product", t.Name))
		}
		for _, name := range users {
			sp := product(name)
			if sp.p.AttrExt.IsPostFree == 1 {
				panic(fmt.Sprintf("sandbox: demo product %q is post-free and needs no template", name))
			}
			sp.p.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByTemplate, TemplateID: id}
		}
	}

	groupIDs := map[string]int64{} // name -> id
	for _, d := range demoGroups {
		g := &storedGroup{name: d.name}
		for _, name := range d.products {
			g.products = append(g.products, product(name).p.ProductID)
		}
		groupIDs[d.name] = s.groups.add(g)
	}
	group := func(name string) int64 {
		id, found := groupIDs[name]
		if !found {
			panic(fmt.Sprintf("sandbox: demo shelf: no demo group %q", name))
		}
		return id
	}

	picture := func(w, h, i int) string {
		return s.images.add("image/png", sync.OnceValue(func() []byte { return drawStorefrontImage(w, h, i) }))
	}
	s.shelves.add(&wx.Shelf{
		ShelfName:   "店铺首页",
		ShelfBanner: picture(bannerW, bannerH, 0),
		ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{
			wx.NewShelfModuleProducts(group("爆款推荐"), 4),
			wx.NewShelfModuleGroupNames(group("夏季新品"), group("坚果零食"), group("数码配件"), group("茶叶")),
			wx.NewShelfModuleGroupImages(
				wx.ShelfGroup{GroupID: group("坚果零食"), Img: picture(bigTileW, bigTileH, 1)},
				wx.ShelfGroup{GroupID: group("数码配件"), Img: picture(smallTileW, smallTileH, 2)},
				wx.ShelfGroup{GroupID: group("茶叶"), Img: picture(smallTileW, smallTileH, 3)},
			),
		}},
	})
	s.shelves.add(&wx.Shelf{
		ShelfName: "分类导航",
		ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{
			wx.NewShelfModuleBackground(picture(backgroundW, backgroundH, 4),
				group("夏季新品"), group("爆款推荐"), group("坚果零食"), group("数码配件"), group("茶叶")),
		}},
	})
}

// drawStorefrontImage draws storefront picture i, w×h: a colour of its own (apart from the product
// pictures', which start at hue 0) with a white shape in the middle.
func drawStorefrontImage(w, h, i int) []byte {
	bg := hsv(math.Mod(25+float64(i)*71, 360), 0.45, 0.8)
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{bg, white})
	n := min(w, h)
	ox, oy := (w-n)/2, (h-n)/2
	inside := shapes[i%len(shapes)]
	for y := range n {
		for x := range n {
			if inside(x, y, n) {
				img.Pix[(y+oy)*img.Stride+x+ox] = 1
			}
		}
	}
	return encodePNG(img)
}
