package sandbox

import (
	"fmt"
	"time"

	"wxshop/internal/wx"
)

// The demo 微信小店: two freight templates, products in every online state and draft state, a window and
// shop categories. It is there in either kind (its calls answer 48001 in a merchant shop), so that a
// sandbox switched between kinds keeps its data.

func (s *Server) loadStoreDemo() {
	st := &s.store
	now := s.now()
	free := &wx.FreightTemplate{Name: "全国包邮", ValuationType: wx.ValuationPiece, SendTime: wx.SendTime48Hours,
		AddressInfo:  wx.FreightAddress{ProvinceName: "广东省", CityName: "广州市", CountyName: "海珠区"},
		DeliveryType: "EXPRESS", ShippingMethod: wx.ShippingFree, IsDefault: true,
		NotSendArea: &wx.FreightNotSendArea{AddressInfos: []wx.FreightAddress{{ProvinceName: "西藏自治区"}}}}
	piece := &wx.FreightTemplate{Name: "按件计费", ValuationType: wx.ValuationPiece, SendTime: wx.SendTime24Hours,
		AddressInfo:  wx.FreightAddress{ProvinceName: "广东省", CityName: "广州市", CountyName: "海珠区"},
		DeliveryType: "EXPRESS", ShippingMethod: wx.ShippingNoFree,
		AllFreightCalcMethod: &wx.FreightCalcMethods{FreightCalcMethodList: []wx.FreightCalcMethod{
			{IsDefault: true, FirstValAmount: 1, FirstPrice: 800, SecondValAmount: 1, SecondPrice: 200},
			{AddressInfos: []wx.FreightAddress{{ProvinceName: "新疆维吾尔自治区"}, {ProvinceName: "西藏自治区"}},
				FirstValAmount: 1, FirstPrice: 2000, SecondValAmount: 1, SecondPrice: 1000},
		}}}
	var tplIDs []string
	for _, t := range []*wx.FreightTemplate{free, piece} {
		t.TemplateID = wx.ID(st.newID())
		t.CreateTime, t.UpdateTime = wx.Timestamp(now.Unix()), wx.Timestamp(now.Unix())
		st.templates[string(t.TemplateID)] = t
		st.tplOrder = append(st.tplOrder, string(t.TemplateID))
		tplIDs = append(tplIDs, string(t.TemplateID))
	}
	imgs := func(name string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, s.storeImageURL(fmt.Sprintf("demo-%s-%d", name, i+1)))
		}
		return out
	}
	type demo struct {
		name       string
		title      string
		cats       []string
		attrs      []wx.StoreAttr
		brand      wx.ID
		skus       []wx.StoreSKU
		tpl        int
		status     int
		editStatus int
		reason     string
		draftTitle string // an online product's pending draft, when it differs
		draftPrice int64
	}
	nut := []wx.StoreAttr{{AttrKey: "产地", AttrValue: "新疆"}, {AttrKey: "净含量", AttrValue: "500 g"}, {AttrKey: "保质期", AttrValue: "270"}, {AttrKey: "储存方式", AttrValue: "常温"}}
	tee := []wx.StoreAttr{{AttrKey: "材质", AttrValue: "棉"}, {AttrKey: "适用季节", AttrValue: "春;夏"}, {AttrKey: "产地", AttrValue: "广东广州"}}
	sku := func(price, stock int64, attrs ...string) wx.StoreSKU {
		k := wx.StoreSKU{SalePrice: price, StockNum: stock, SKUDeliverInfo: &wx.StoreSKUDeliverInfo{}}
		for i := 0; i+1 < len(attrs); i += 2 {
			k.SKUAttrs = append(k.SKUAttrs, wx.StoreAttr{AttrKey: attrs[i], AttrValue: attrs[i+1]})
		}
		return k
	}
	demos := []demo{
		{name: "nuts", title: "每日坚果混合果仁礼盒750g", cats: []string{"1001", "1101", "1111"}, attrs: nut, brand: "10000102",
			skus:   []wx.StoreSKU{sku(6990, 120, "规格", "750g 礼盒"), sku(3990, 80, "规格", "375g 袋装")},
			status: wx.StoreStatusOnSale, editStatus: wx.StoreEditPassed},
		{name: "tee", title: "纯棉圆领短袖T恤 男女同款", cats: []string{"2001", "2101", "2111"}, attrs: tee, brand: "10000103",
			skus: []wx.StoreSKU{sku(5900, 30, "颜色", "白色", "尺码", "M"), sku(5900, 25, "颜色", "白色", "尺码", "L"),
				sku(5900, 18, "颜色", "黑色", "尺码", "M"), sku(5900, 0, "颜色", "黑色", "尺码", "L")},
			tpl: 1, status: wx.StoreStatusOnSale, editStatus: wx.StoreEditInAudit, draftPrice: 4900},
		{name: "dress", title: "法式碎花雪纺连衣裙", cats: []string{"2001", "2101", "2112"}, attrs: []wx.StoreAttr{{AttrKey: "材质", AttrValue: "涤纶"}},
			skus:   []wx.StoreSKU{sku(12900, 10, "颜色", "蓝色", "尺码", "S"), sku(12900, 6, "颜色", "蓝色", "尺码", "M")},
			status: wx.StoreStatusDelisted, editStatus: wx.StoreEditPassed},
		{name: "choc", title: "黑巧克力礼盒 70%可可", cats: []string{"1001", "1101", "1112"}, attrs: []wx.StoreAttr{{AttrKey: "产地", AttrValue: "比利时"}, {AttrKey: "净含量", AttrValue: "200 g"}},
			skus:   []wx.StoreSKU{sku(8800, 0, "口味", "70% 黑巧")},
			status: wx.StoreStatusSoldOut, editStatus: wx.StoreEditPassed},
		{name: "cable", title: "编织快充数据线 第一品质", cats: []string{"4001", "4101", "4111"}, attrs: []wx.StoreAttr{{AttrKey: "接口类型", AttrValue: "USB-C"}},
			skus:   []wx.StoreSKU{sku(2990, 200, "颜色", "灰色", "长度", "1m")},
			status: wx.StoreStatusInitial, editStatus: wx.StoreEditRejected, reason: "商品标题含有广告法禁用词「第一」，请修改后重新提交"},
		{name: "box", title: "布艺桌面收纳盒三件套", cats: []string{"3001", "3101"}, attrs: []wx.StoreAttr{{AttrKey: "材质", AttrValue: "布艺"}},
			skus:   []wx.StoreSKU{sku(3500, 60, "规格", "三件套")},
			status: wx.StoreStatusInitial, editStatus: wx.StoreEditEditing},
		{name: "socks", title: "精梳棉中筒袜五双装", cats: []string{"2001", "2101", "2111"}, attrs: tee,
			skus:   []wx.StoreSKU{sku(2500, 90, "颜色", "混色", "尺码", "M")},
			status: wx.StoreStatusViolation, editStatus: wx.StoreEditPassed, reason: "商品信息与实物不符，已被平台下架"},
		{name: "almond", title: "原味巴旦木仁罐装500g", cats: []string{"1001", "1101", "1111"}, attrs: nut,
			skus:   []wx.StoreSKU{sku(4590, 50, "规格", "500g 罐装")},
			status: wx.StoreStatusInitial, editStatus: wx.StoreEditInAudit},
	}
	for i, d := range demos {
		n := 3
		if storeCats()[d.cats[len(d.cats)-1]].food {
			n = 4
		}
		data := wx.StoreProductData{
			OutProductID: fmt.Sprintf("DEMO-%03d", i+1), Title: d.title, HeadImgs: imgs(d.name, n),
			DescInfo: wx.StoreDescInfo{Imgs: imgs(d.name+"-desc", 3), Desc: d.title + "，沙箱示例商品。"},
			Attrs:    d.attrs, BrandID: d.brand, ExpressInfo: &wx.StoreExpressInfo{TemplateID: wx.ID(tplIDs[d.tpl])},
			ExtraService: wx.StoreExtraService{SevenDayReturn: 1}, SKUs: d.skus,
		}
		for _, c := range d.cats {
			data.CatsV2 = append(data.CatsV2, wx.StoreCatRef{CatID: wx.ID(c)})
		}
		if data.BrandID == "" {
			data.BrandID = wx.StoreNoBrand
		}
		if err := s.checkStoreProduct(&data); err != nil {
			panic(fmt.Sprintf("sandbox: demo product %s: %v", d.name, err))
		}
		created := now.Add(-time.Duration(len(demos)-i) * 24 * time.Hour)
		sp := &storeProduct{id: st.newID(), status: d.status, editStatus: d.editStatus, reason: d.reason, created: created}
		sp.draft = s.storeCopy(sp, &data, nil, created)
		if d.status != wx.StoreStatusInitial {
			online := *sp.draft
			online.StoreProductData = cloneStoreData(sp.draft.StoreProductData)
			sp.online, sp.everListed = &online, true
		}
		if d.draftPrice > 0 {
			for j := range sp.draft.SKUs {
				sp.draft.SKUs[j].SalePrice = d.draftPrice
			}
		}
		if d.editStatus == wx.StoreEditInAudit && s.store.auditDelay > 0 {
			sp.auditDue = now.Add(s.store.auditDelay)
		}
		st.products[sp.id] = sp
		st.order = append(st.order, sp.id)
		st.window = append(st.window, windowEntry{productID: sp.id})
	}
	// Shop categories: 零食坚果 (with the nuts and the chocolate) and 服饰 > 上衣.
	st.tree = []wx.ShopCategory{
		{ID: 1, Name: "零食坚果", IsDisplayed: true},
		{ID: 2, Name: "服饰", IsDisplayed: true, Level2: []wx.ShopSubCategory{{ID: 3, Name: "上衣", IsDisplayed: true}, {ID: 4, Name: "裙装", IsDisplayed: true}}},
	}
	st.treeNextID, st.treeVer = 5, 7
	st.catProds[catKey(1, 0)] = []string{st.order[0], st.order[3]}
	st.catProds[catKey(2, 3)] = []string{st.order[1]}
	st.window[0].top = true
}
