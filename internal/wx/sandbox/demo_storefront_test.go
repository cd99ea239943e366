package sandbox_test

import (
	"bytes"
	"image"
	"image/png"
	"slices"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The demo storefront shows every view of the app's storefront pages: templates that charge products,
// seller-paid and by region; groups over the demo products; a shelf of controls 1, 2 and 4 with a banner and
// one of control 5, their pictures in the sizes the manual suggests.
func TestDemoStorefront(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()

	templates, err := sh.wx.DeliveryTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(templates) != 3 {
		t.Fatalf("%d templates", len(templates))
	}
	byName := map[string]wx.DeliveryTemplate{}
	for _, tp := range templates {
		byName[tp.Name] = tp
	}
	for _, c := range []struct {
		template, province, city string
		pieces, fen              int
	}{
		{"全国包邮", "西藏自治区", "拉萨市", 5, 0},
		{"江浙沪包邮其他地区按件", "浙江省", "杭州市", 3, 0},
		{"江浙沪包邮其他地区按件", "上海市", "上海市", 1, 0},
		{"江浙沪包邮其他地区按件", "广东省", "广州市", 1, 800},
		{"江浙沪包邮其他地区按件", "广东省", "广州市", 3, 1200},
		{"偏远地区加收运费", "广东省", "广州市", 3, 1500},
		{"偏远地区加收运费", "新疆维吾尔自治区", "喀什地区", 2, 3500},
		{"偏远地区加收运费", "新疆维吾尔自治区", "乌鲁木齐市", 2, 2300},
	} {
		if fen, ok := byName[c.template].Fee(wx.ExpressKuaiDi, c.pieces, "中国", c.province, c.city); !ok || fen != c.fen {
			t.Errorf("%s: %d pieces to %s %s cost %d (%v), want %d", c.template, c.pieces, c.province, c.city, fen, ok, c.fen)
		}
	}
	if byName["全国包邮"].Assumer != wx.AssumerSeller {
		t.Error("全国包邮 is not paid by the seller")
	}

	// Some demo products charge by each template; deleting a template in use is refused.
	users := map[int64]int{}
	for _, p := range sh.sb.Products() {
		if d := p.DeliveryInfo; d != nil && d.DeliveryType == wx.DeliveryByTemplate {
			users[d.TemplateID]++
		}
	}
	for _, tp := range templates {
		if users[tp.ID] == 0 {
			t.Errorf("no demo product charges by %s", tp.Name)
		}
	}
	wantCode(t, sh.wx.DeleteDeliveryTemplate(ctx, templates[1].ID), codeTemplateInUse)

	groups, err := sh.wx.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range groups {
		names = append(names, g.GroupName)
		full, err := sh.wx.GetGroup(ctx, g.GroupID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.ProductList) < 3 {
			t.Errorf("group %s holds %d products", g.GroupName, len(full.ProductList))
		}
		for _, id := range full.ProductList {
			if _, found := sh.sb.Product(id); !found {
				t.Errorf("group %s holds %s, which is no product", g.GroupName, id)
			}
		}
	}
	if !slices.Equal(names, []string{"夏季新品", "爆款推荐", "坚果零食", "数码配件", "茶叶"}) {
		t.Errorf("groups %v", names)
	}

	shelves, err := sh.wx.Shelves(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(shelves) != 2 {
		t.Fatalf("%d shelves", len(shelves))
	}
	var eids [][]int
	for _, s := range shelves {
		var kinds []int
		for _, m := range s.ShelfInfo.ModuleInfos {
			kinds = append(kinds, m.EID)
		}
		eids = append(eids, kinds)
		if err := s.ShelfInfo.Validate(); err != nil {
			t.Errorf("shelf %s: %v", s.ShelfName, err)
		}
	}
	if !slices.Equal(eids[0], []int{1, 2, 4}) || shelves[0].ShelfBanner == "" || !slices.Equal(eids[1], []int{5}) || shelves[1].ShelfBanner != "" {
		t.Errorf("shelves of controls %v, banners %q %q", eids, shelves[0].ShelfBanner, shelves[1].ShelfBanner)
	}
	wantCode(t, sh.wx.DeleteGroup(ctx, groups[0].GroupID), codeGroupInUse)

	// Every picture of the shelves loads, in the size the manual suggests.
	home, nav := shelves[0], shelves[1].ShelfInfo.ModuleInfos[0].GroupInfos
	tiles := home.ShelfInfo.ModuleInfos[2].GroupInfos.Groups
	for _, pic := range []struct {
		url  string
		w, h int
	}{
		{home.ShelfBanner, 640, 120}, {tiles[0].Img, 350, 350}, {tiles[1].Img, 244, 172}, {tiles[2].Img, 244, 172},
		{nav.ImgBackground, 640, 1008},
	} {
		ct, body := sh.fetch(pic.url)
		img, err := png.Decode(bytes.NewReader(body))
		if ct != "image/png" || err != nil {
			t.Errorf("%s is %s: %v", pic.url, ct, err)
			continue
		}
		if img.Bounds() != image.Rect(0, 0, pic.w, pic.h) {
			t.Errorf("%s is %v, want %dx%d", pic.url, img.Bounds(), pic.w, pic.h)
		}
	}
}

// An empty shop has no storefront either.
func TestEmptyShopHasNoStorefront(t *testing.T) {
	sh := newEmptyShop(t)
	if n, m, k := len(sh.sb.DeliveryTemplates()), len(sh.sb.Groups()), len(sh.sb.Shelves()); n+m+k != 0 {
		t.Errorf("%d templates, %d groups, %d shelves", n, m, k)
	}
}
