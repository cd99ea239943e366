package sandbox_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// Helpers of the catalog tests (products, categories, stock, images): a sandbox seen through the app's real
// client, wx.Client.

// The sandbox's catalog codes (codes.go), as a client sees them.
const (
	codeInvalidArgs      = 40097
	codeDataFormat       = 47001
	codeInvalidFileType  = 40005
	codeInvalidMediaSize = 40006
	codeEmptyMedia       = 44001
	codeProductNotFound  = 9402001
	codeCategoryNotFound = 9402002
	codeCategoryNotLeaf  = 9402003
	codeInvalidProperty  = 9402004
	codeInvalidSKUInfo   = 9402005
	codeSKUIDMismatch    = 9402006
	codePriceNotBelowOri = 9402007
	codeImageNotOurs     = 9402008
	codeFrozenField      = 9402009
	codeSKUNotFound      = 9402010
	codeStockNotEnough   = 9402011
)

// Ids of the category tree (categories.go) the tests build products from.
const (
	cateFashion  = "538070001" // 服饰鞋包
	cateWomen    = "538071001" // 女装
	cateWomenTee = "538071101" // 女装 > T恤: SKUs 颜色 × 尺码
	cateShirt    = "538071103" // 女装 > 衬衫: the same SKU table and properties
	cateNuts     = "538081101" // 零食 > 坚果: SKU 规格

	attrColor = "1075741873" // 颜色
	vidRed    = "1079742360" // 红色
	vidWhite  = "1079742361" // 白色
	vidBlack  = "1079742362" // 黑色
	attrSize  = "1075741874" // 尺码
	vidM      = "1079742402" // M
	vidL      = "1079742403" // L

	propBrand    = "1075741879" // 品牌
	vidUniqlo    = "200050860"  // 优衣库 (服饰鞋包's brands)
	vidPeacebird = "200050861"  // 太平鸟
	propFabric   = "1075754127" // 材质
	vidCotton    = "1079795190" // 纯棉
)

// shop is a sandbox behind a real HTTP server and the client the app would use against it.
type shop struct {
	*env
	wx     *wx.Client
	images []string // uploaded by validProduct, once per shop
}

func newShop(t *testing.T, opts sandbox.Options) *shop {
	t.Helper()
	e := newEnv(t, opts)
	c := wx.NewClient(wx.Config{
		BaseURL: e.ts.URL, AppID: e.sb.AppID(), Secret: e.sb.Secret(),
		HTTPClient: e.ts.Client(), Logger: slog.New(slog.DiscardHandler),
	})
	return &shop{env: e, wx: c}
}

// newEmptyShop is a shop without the demo products.
func newEmptyShop(t *testing.T) *shop { return newShop(t, sandbox.Options{Empty: true}) }

// post sends a raw JSON body with a fresh token, for what the client refuses to send.
func (sh *shop) post(path, body string) answer {
	sh.t.Helper()
	return sh.do(http.MethodPost, path, url.Values{"access_token": {sh.token()}}, body)
}

// drawPNG makes a small PNG of one colour; different colours give different bytes.
func drawPNG(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for y := range 8 {
		for x := range 8 {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload sends an image through the client and returns its URL.
func (sh *shop) upload(name string, data []byte) string {
	sh.t.Helper()
	u, err := sh.wx.UploadImage(sh.t.Context(), name, data)
	if err != nil {
		sh.t.Fatalf("upload %s: %v", name, err)
	}
	return u
}

// validProduct is a product that create accepts: a T恤 in red and white, size M, with uploaded images.
func (sh *shop) validProduct() *wx.Product {
	sh.t.Helper()
	if sh.images == nil {
		sh.images = []string{
			sh.upload("main.png", drawPNG(sh.t, color.RGBA{0xd0, 0x30, 0x30, 0xff})),
			sh.upload("detail.png", drawPNG(sh.t, color.RGBA{0x30, 0x30, 0xd0, 0xff})),
		}
	}
	main, detail := sh.images[0], sh.images[1]
	return &wx.Product{
		ProductBase: wx.ProductBase{
			Name:       "测试纯棉T恤",
			CategoryID: []wx.ID{cateWomenTee},
			Property:   []wx.ProductProperty{{ID: propBrand, VID: vidUniqlo}, {ID: propFabric, VID: vidCotton}},
			SKUInfo: []wx.SKUInfo{
				{ID: attrColor, VID: []wx.ID{vidRed, vidWhite}},
				{ID: attrSize, VID: []wx.ID{vidM}},
			},
			MainImg:  main,
			Img:      []string{main, detail},
			Detail:   []wx.ProductDetail{{Text: "柔软<亲肤>"}, {Img: detail}},
			BuyLimit: 5,
		},
		SKUList: []wx.SKU{
			{SKUID: attrColor + ":" + vidRed + ";" + attrSize + ":" + vidM, Price: 5900, OriPrice: 9900, Quantity: 10, IconURL: main, ProductCode: "T-RED-M"},
			{SKUID: attrColor + ":" + vidWhite + ";" + attrSize + ":" + vidM, Price: 6900, OriPrice: 9900, Quantity: 4, ProductCode: "T-WHITE-M"},
		},
		AttrExt: wx.AttrExt{
			Location:   wx.Location{Country: "中国", Province: "广东省", City: "广州市", Address: "天河区"},
			IsPostFree: 0, IsHasReceipt: 1,
		},
		DeliveryInfo: &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress, Express: []wx.Express{{ID: wx.ExpressKuaiDi, Price: 1000}}},
	}
}

// create adds p through the client, failing the test if it is refused.
func (sh *shop) create(p *wx.Product) string {
	sh.t.Helper()
	id, err := sh.wx.CreateProduct(sh.t.Context(), p)
	if err != nil {
		sh.t.Fatalf("create: %v", err)
	}
	return id
}

// stored is what the sandbox holds for id, failing the test if it holds nothing.
func (sh *shop) stored(id string) wx.Product {
	sh.t.Helper()
	p, found := sh.sb.Product(id)
	if !found {
		sh.t.Fatalf("the sandbox has no product %s", id)
	}
	return p
}

// wantCode fails the test unless err is a WeChat error with errcode code.
func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	var werr *wx.Error
	if !errors.As(err, &werr) {
		t.Fatalf("error %v, want errcode %d", err, code)
	}
	if werr.Code != code || werr.Msg == "" {
		t.Fatalf("errcode %d (%q), want %d", werr.Code, werr.Msg, code)
	}
}

// wantUnchanged fails the test if the sandbox's copy of product id differs from before.
func (sh *shop) wantUnchanged(id string, before wx.Product) {
	sh.t.Helper()
	if after := sh.stored(id); !reflect.DeepEqual(after, before) {
		sh.t.Fatalf("a refused call changed the product:\nbefore %+v\nafter  %+v", before, after)
	}
}
