package sandbox_test

import (
	"image/color"
	"reflect"
	"testing"

	"wxshop/internal/wx"
)

// Helpers of the storefront tests (postage templates, groups, shelves), beside those of the catalog tests.

// The sandbox's storefront codes (codes.go), as a client sees them.
const (
	codeRequireGET        = 43001
	codeTemplateNotFound  = 9402012
	codeTemplateInUse     = 9402013
	codeRegionNotFound    = 9402014
	codeValuation         = 9402015
	codeGroupNotFound     = 9402016
	codeGroupNameTaken    = 9402017
	codeGroupInUse        = 9402018
	codeProductInGroup    = 9402019
	codeProductNotInGroup = 9402020
	codeShelfNotFound     = 9402021
	codeShelfControl      = 9402022
	codeControl5NotAlone  = 9402023
)

// foreignImage is an image URL the sandbox never handed out (one of the manual's).
const foreignImage = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl29nqqObBwFwnIX3licVPnFV5Jm64z4I0TTicv0TjN7Vl9bykUUibYKIOjicAwIt6Oy0Y6a1Rjp5Tos8tg/0"

// unknownID is no template, group or shelf of any shop.
const unknownID = 42

// validTemplate is a template express/add accepts: 快递 by piece with rules for 广东省 and 广州市, and EMS.
func validTemplate() *wx.DeliveryTemplate {
	return &wx.DeliveryTemplate{
		Name: "测试运费", Assumer: wx.AssumerBuyer, Valuation: wx.ValuationByPiece,
		TopFee: []wx.TopFee{
			{Type: wx.ExpressKuaiDi, Normal: wx.FeeRule{StartStandards: 1, StartFees: 1000, AddStandards: 1, AddFees: 500},
				Custom: []wx.CustomFeeRule{
					{FeeRule: wx.FeeRule{StartStandards: 2, StartFees: 600, AddStandards: 1, AddFees: 200}, DestCountry: "中国", DestProvince: "广东省"},
					{FeeRule: wx.FeeRule{StartStandards: 1, StartFees: 0}, DestCountry: "中国", DestProvince: "广东省", DestCity: "广州市"},
				}},
			{Type: wx.ExpressEMS, Normal: wx.FeeRule{StartStandards: 1, StartFees: 2000, AddStandards: 2, AddFees: 800}, Custom: []wx.CustomFeeRule{}},
		},
	}
}

// addTemplate adds t through the client, failing the test if it is refused.
func (sh *shop) addTemplate(t *wx.DeliveryTemplate) int64 {
	sh.t.Helper()
	id, err := sh.wx.CreateDeliveryTemplate(sh.t.Context(), t)
	if err != nil {
		sh.t.Fatalf("express/add: %v", err)
	}
	return id
}

// products creates n products and returns their ids.
func (sh *shop) products(n int) []string {
	sh.t.Helper()
	ids := make([]string, n)
	for i := range ids {
		p := sh.validProduct()
		p.ProductBase.Name += string(rune('A' + i))
		ids[i] = sh.create(p)
	}
	return ids
}

// addGroup adds a group through the client, failing the test if it is refused.
func (sh *shop) addGroup(name string, products ...string) int64 {
	sh.t.Helper()
	id, err := sh.wx.CreateGroup(sh.t.Context(), name, products)
	if err != nil {
		sh.t.Fatalf("group/add %s: %v", name, err)
	}
	return id
}

// storefront is an empty shop with what shelves need: products, five groups over them, and images.
type storefront struct {
	*shop
	productIDs []string
	groups     []int64 // five groups
	images     []string
}

func newStorefront(t *testing.T) *storefront {
	t.Helper()
	sh := newEmptyShop(t)
	sf := &storefront{shop: sh, productIDs: sh.products(3)}
	for i, name := range []string{"新品", "热卖", "零食", "数码", "茶叶"} {
		sf.groups = append(sf.groups, sh.addGroup(name, sf.productIDs[i%3]))
	}
	for i := range 5 {
		sf.images = append(sf.images, sh.upload("shelf.png", drawPNG(t, color.RGBA{uint8(40 * i), 0x80, 0x40, 0xff})))
	}
	return sf
}

// shelf124 is a shelf of controls 1, 2 and 4 with a banner, over the storefront's groups and images.
func (sf *storefront) shelf124() *wx.Shelf {
	g, img := sf.groups, sf.images
	return &wx.Shelf{
		ShelfName:   "首页",
		ShelfBanner: img[0],
		ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{
			wx.NewShelfModuleProducts(g[0], 4),
			wx.NewShelfModuleGroupNames(g[1], g[2], g[3], g[4]),
			wx.NewShelfModuleGroupImages(wx.ShelfGroup{GroupID: g[2], Img: img[1]}, wx.ShelfGroup{GroupID: g[3], Img: img[2]}, wx.ShelfGroup{GroupID: g[4], Img: img[3]}),
		}},
	}
}

// shelf5 is a shelf of control 5 alone.
func (sf *storefront) shelf5() *wx.Shelf {
	return &wx.Shelf{
		ShelfName: "导航",
		ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{wx.NewShelfModuleBackground(sf.images[4], sf.groups...)}},
	}
}

// addShelf adds s through the client, failing the test if it is refused.
func (sh *shop) addShelf(s *wx.Shelf) int64 {
	sh.t.Helper()
	id, err := sh.wx.CreateShelf(sh.t.Context(), s)
	if err != nil {
		sh.t.Fatalf("shelf/add: %v", err)
	}
	return id
}

// storefrontState is everything the storefront calls change, to tell that a refused call changed nothing.
type storefrontState struct {
	templates []wx.DeliveryTemplate
	groups    []wx.Group
	shelves   []wx.Shelf
	products  []wx.Product
}

func (sh *shop) storefrontState() storefrontState {
	return storefrontState{sh.sb.DeliveryTemplates(), sh.sb.Groups(), sh.sb.Shelves(), sh.sb.Products()}
}

// wantStateUnchanged fails the test if the templates, groups, shelves or products differ from before.
func (sh *shop) wantStateUnchanged(before storefrontState) {
	sh.t.Helper()
	if after := sh.storefrontState(); !reflect.DeepEqual(after, before) {
		sh.t.Fatalf("a refused call changed the shop:\nbefore %+v\nafter  %+v", before, after)
	}
}
