package db

import (
	"context"
	"errors"
	"testing"
)

func TestRegionsLoadedOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		regions, err := s.Regions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(regions) != 339 {
			t.Fatalf("%d regions, want the manual's 339 cities", len(regions))
		}
		if r := regions[0]; r != (Region{"中国", "北京市", "北京市"}) {
			t.Errorf("first region = %+v", r)
		}
		provinces := map[string]bool{}
		for _, r := range regions {
			provinces[r.Province] = true
		}
		if len(provinces) != 31 {
			t.Errorf("%d provinces, want 31", len(provinces))
		}
		if err := s.loadRegions(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Regions(ctx); len(again) != 339 {
			t.Errorf("loading twice made %d rows", len(again))
		}
	})
}

func TestCategoryCache(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		if _, err := s.CachedCategory(ctx, "1", CategorySub); !errors.Is(err, ErrNoRecord) {
			t.Fatalf("uncached branch: %v", err)
		}
		s.CacheCategory(ctx, "1", CategorySub, []byte(`[{"id":"2","name":"服饰"}]`))
		s.CacheCategory(ctx, "1", CategorySub, []byte(`[{"id":"2","name":"服装"}]`))
		s.CacheCategory(ctx, "2", CategorySKU, []byte(`[]`))
		c, err := s.CachedCategory(ctx, "1", CategorySub)
		if err != nil || string(c.Body) != `[{"id":"2","name":"服装"}]` || c.FetchedAt.IsZero() {
			t.Fatalf("cached = %+v, %v", c, err)
		}
		if ids, _ := s.CachedCategoryIDs(ctx); len(ids) != 2 {
			t.Errorf("cached ids = %v", ids)
		}
		s.ForgetCategories(ctx, "1")
		if _, err := s.CachedCategory(ctx, "1", CategorySub); !errors.Is(err, ErrNoRecord) {
			t.Error("forgotten branch still cached")
		}
		s.ForgetCategories(ctx)
		if ids, _ := s.CachedCategoryIDs(ctx); len(ids) != 0 {
			t.Errorf("after forgetting all: %v", ids)
		}
	})
}

func TestProductMirror(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		p := Product{ProductID: "pA", Name: "纯棉T恤 100%", Status: 2, Raw: []byte(`{}`), SKUs: []SKU{
			{SKUID: "1:1", Price: 4900, OriPrice: 5900, Quantity: 10, ProductCode: "TS-RED"},
			{SKUID: "1:2", Price: 5900, OriPrice: 6900, Quantity: 3, ProductCode: "TS-BLUE"},
		}}
		if err := s.UpsertProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		s.UpsertProduct(ctx, Product{ProductID: "pB", Name: "帆布包", Status: 1, Raw: []byte(`{}`), SKUs: []SKU{{Price: 100, OriPrice: 200, Quantity: 0}}})

		got, err := s.Product(ctx, "pA")
		if err != nil || got.MinPrice != 4900 || got.MaxPrice != 5900 || got.TotalStock != 13 || len(got.SKUs) != 2 || got.EverOnSale {
			t.Fatalf("product = %+v, %v", got, err)
		}
		list, total, _ := s.Products(ctx, ProductFilter{Query: "ts-blue"})
		if total != 1 || list[0].ProductID != "pA" {
			t.Errorf("search by product code: %d %v", total, list)
		}
		// LIKE wildcards in the query are plain characters.
		if _, total, _ := s.Products(ctx, ProductFilter{Query: "100%"}); total != 1 {
			t.Errorf("search for '100%%' matched %d", total)
		}
		if _, total, _ := s.Products(ctx, ProductFilter{Query: "_"}); total != 0 {
			t.Errorf("search for '_' matched %d", total)
		}
		if _, total, _ := s.Products(ctx, ProductFilter{Status: 1}); total != 1 {
			t.Errorf("on sale: %d", total)
		}
		all, on, off, _ := s.ProductCounts(ctx)
		if all != 2 || on != 1 || off != 1 {
			t.Errorf("counts %d %d %d", all, on, off)
		}

		// Going on sale freezes the product; a later sync that sees it off sale does not unfreeze it.
		s.SetProductStatus(ctx, "pA", 1)
		s.UpsertProduct(ctx, p)
		if got, _ := s.Product(ctx, "pA"); !got.EverOnSale || got.Status != 2 {
			t.Errorf("after on sale then synced off sale: %+v", got)
		}

		if err := s.SetSKUQuantity(ctx, "pA", "1:2", 7); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Product(ctx, "pA"); got.TotalStock != 17 {
			t.Errorf("total after stock change = %d", got.TotalStock)
		}
		if err := s.SetSKUQuantity(ctx, "pA", "9:9", 1); !errors.Is(err, ErrNoRecord) {
			t.Errorf("unknown SKU: %v", err)
		}
		if n, _ := s.LowStockSKUs(ctx, 0); n != 1 {
			t.Errorf("low stock at 0 = %d", n)
		}

		// A full sync removes what WeChat no longer has.
		if err := s.ReplaceProducts(ctx, []Product{p}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Product(ctx, "pB"); !errors.Is(err, ErrNoRecord) {
			t.Errorf("pB survived a full sync: %v", err)
		}
		var skus int
		s.DB.QueryRow(`SELECT count(*) FROM product_skus WHERE product_id = 'pB'`).Scan(&skus)
		if skus != 0 {
			t.Errorf("pB's SKUs survived: %d", skus)
		}
	})
}

func TestImageLibrary(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		id, err := s.AddImage(ctx, Image{URL: "http://mmbiz/1.jpg", Filename: "a.jpg", ContentType: "image/jpeg", Bytes: 10, Width: 2, Height: 3, Thumb: []byte{1}, UploadedBy: "li"})
		if err != nil {
			t.Fatal(err)
		}
		again, _ := s.AddImage(ctx, Image{URL: "http://mmbiz/1.jpg", Filename: "b.jpg", ContentType: "image/jpeg", Thumb: []byte{1}})
		if again != id {
			t.Errorf("same URL got a second id %d != %d", again, id)
		}
		s.AddImage(ctx, Image{URL: "http://mmbiz/2.png", Filename: "c.png", ContentType: "image/png", Thumb: []byte{2}})
		list, total, _ := s.Images(ctx, 10, 0)
		if total != 2 || list[0].URL != "http://mmbiz/2.png" {
			t.Errorf("images = %d %+v", total, list)
		}
		known, _ := s.KnownImageURLs(ctx, []string{"http://mmbiz/1.jpg", "http://elsewhere/x.jpg"})
		if !known["http://mmbiz/1.jpg"] || known["http://elsewhere/x.jpg"] {
			t.Errorf("known = %v", known)
		}
		if th, err := s.ImageThumb(ctx, id); err != nil || len(th) != 1 {
			t.Errorf("thumb = %v, %v", th, err)
		}
	})
}
