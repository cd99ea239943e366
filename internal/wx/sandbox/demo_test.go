package sandbox_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The demo shop is big and varied enough to show every view of the app: both statuses, several categories,
// sold-out and low-stock SKUs, and pictures that load.
func TestDemoShop(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	all, err := sh.wx.ProductsByStatus(ctx, wx.ProductsAll)
	if err != nil {
		t.Fatal(err)
	}
	onSale, err := sh.wx.ProductsByStatus(ctx, wx.ProductOnSale)
	if err != nil {
		t.Fatal(err)
	}
	offSale, err := sh.wx.ProductsByStatus(ctx, wx.ProductOffSale)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 28 || len(onSale) == 0 || len(offSale) == 0 || len(onSale)+len(offSale) != len(all) {
		t.Fatalf("%d products: %d on sale, %d off sale", len(all), len(onSale), len(offSale))
	}

	// Every image the sandbox holds loads as a PNG.
	served := map[string][]byte{}
	for _, u := range sh.sb.ImageURLs() {
		ct, body := sh.fetch(u)
		if _, err := png.Decode(bytes.NewReader(body)); ct != "image/png" || err != nil {
			t.Errorf("%s is %s: %v", u, ct, err)
		}
		served[u] = body
	}

	leaves := map[wx.ID]bool{}
	var soldOut, low, multiSKU, uniform int
	pictures := map[string]string{} // main image bytes -> product
	for _, p := range all {
		b := p.ProductBase
		leaves[b.CategoryID[0]] = true
		if p.Status != wx.ProductOnSale && p.Status != wx.ProductOffSale {
			t.Errorf("%s: status %d", b.Name, p.Status)
		}
		if !strings.ContainsFunc(b.Name, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("name %q is not Chinese", b.Name)
		}
		if len(p.SKUList) > 1 {
			multiSKU++
		} else if p.SKUList[0].SKUID == "" {
			uniform++
		}
		for _, sku := range p.SKUList {
			switch {
			case sku.Quantity == 0:
				soldOut++
			case sku.Quantity <= 5:
				low++
			}
			if sku.Price >= sku.OriPrice || sku.ProductCode == "" || sku.IconURL == "" {
				t.Errorf("%s: SKU %+v", b.Name, sku)
			}
		}
		if b.DetailHTML == "" || len(b.Img) == 0 || len(b.Property) == 0 {
			t.Errorf("%s: detail_html %q, img %v, property %v", b.Name, b.DetailHTML, b.Img, b.Property)
		}
		body, found := served[b.MainImg]
		if !found {
			t.Errorf("%s shows %s, which the sandbox does not hold", b.Name, b.MainImg)
		}
		if other, dup := pictures[string(body)]; dup {
			t.Errorf("%s has the same picture as %s", b.Name, other)
		}
		pictures[string(body)] = b.Name
	}
	if len(leaves) < 8 || soldOut == 0 || low == 0 || multiSKU == 0 || uniform == 0 {
		t.Errorf("%d leaves, %d SKUs sold out, %d low, %d products with SKUs, %d uniform", len(leaves), soldOut, low, multiSKU, uniform)
	}

	// Every image a demo product shows is one the sandbox holds.
	for _, p := range sh.sb.Products() {
		urls := append([]string{p.ProductBase.MainImg}, p.ProductBase.Img...)
		for _, d := range p.ProductBase.Detail {
			if d.Img != "" {
				urls = append(urls, d.Img)
			}
		}
		for _, sku := range p.SKUList {
			urls = append(urls, sku.IconURL)
		}
		for _, u := range urls {
			if _, found := served[u]; !found {
				t.Errorf("%s shows %s, which the sandbox does not hold", p.ProductBase.Name, u)
			}
		}
	}
}

// A demo product can be edited like any other: what get answers, with ids put back for the names, is
// accepted by update. Its images, handed out by the demo rather than upload_img, count as the sandbox's.
func TestDemoProductCanBeUpdated(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	id := sh.sb.Products()[1].ProductID // never on sale
	got, err := sh.wx.GetProduct(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := *got
	held := sh.stored(id)
	if held.Status != wx.ProductOffSale || held.ProductBase.MainImg != p.ProductBase.MainImg {
		t.Fatalf("demo product 2 is held as %+v", held)
	}
	// get answers property names and detail_html; the app puts back what it knows.
	p.ProductBase.Property, p.ProductBase.Detail = held.ProductBase.Property, held.ProductBase.Detail
	p.ProductBase.Name += "（新款）"
	p.SKUList[0].Price--
	if err := sh.wx.UpdateProduct(t.Context(), &p); err != nil {
		t.Fatal(err)
	}
	if got := sh.stored(id); got.ProductBase.Name != p.ProductBase.Name || got.SKUList[0].Price != p.SKUList[0].Price {
		t.Errorf("update not applied: %+v", got)
	}
}
