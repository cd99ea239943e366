package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// syncShop fills the mirror from the sandbox's demo shop, as an operator's "Sync now" does.
func (s *testServer) syncShop(t *testing.T, b *browser) {
	t.Helper()
	a := b.post("/products/sync", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products" {
		t.Fatalf("sync redirects to %q", loc)
	}
}

// shopProduct is the sandbox's product called name.
func (s *testServer) shopProduct(t *testing.T, name string) wx.Product {
	t.Helper()
	for _, p := range s.sandbox.Products() {
		if p.ProductBase.Name == name {
			return p
		}
	}
	t.Fatalf("the sandbox has no product %q", name)
	return wx.Product{}
}

// mirrored is the mirror's row of product id.
func (s *testServer) mirrored(t *testing.T, id string) db.Product {
	t.Helper()
	row, err := s.store.Product(t.Context(), id)
	if err != nil {
		t.Fatalf("mirror of %s: %v", id, err)
	}
	return row
}

var productRowID = regexp.MustCompile(`data-testid="product-row-([^"]+)"`)

// listedProducts are the ids of the product rows a list page shows, in order.
func listedProducts(a answer) []string {
	var ids []string
	for _, m := range productRowID.FindAllStringSubmatch(a.body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func countByStatus(products []wx.Product) (on, off int) {
	for _, p := range products {
		if p.Status == wx.ProductOnSale {
			on++
		} else {
			off++
		}
	}
	return on, off
}

func TestSyncFillsTheMirrorAndTheListNeverCallsWeChat(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	wantBody(t, b.get("/products"), zh("products.never.synced"), `data-testid="products-empty"`)

	s.syncShop(t, b)
	shop := s.sandbox.Products()
	on, off := countByStatus(shop)
	if len(shop) < productsPerPage+1 || on == 0 || off == 0 {
		t.Fatalf("the demo shop has %d products (%d on sale): too few for this test", len(shop), on)
	}
	all, mOn, mOff, err := s.store.ProductCounts(t.Context())
	if err != nil || all != len(shop) || mOn != on || mOff != off {
		t.Fatalf("mirror counts %d/%d/%d, sandbox %d/%d/%d (%v)", all, mOn, mOff, len(shop), on, off, err)
	}
	for _, p := range shop {
		row := s.mirrored(t, p.ProductID)
		if row.Name != p.ProductBase.Name || row.Status != p.Status || len(row.SKUs) != len(p.SKUList) {
			t.Errorf("mirror of %s = %s/%d/%d SKUs, sandbox %s/%d/%d SKUs", p.ProductID,
				row.Name, row.Status, len(row.SKUs), p.ProductBase.Name, p.Status, len(p.SKUList))
		}
	}
	entries := s.auditOf(t, "product.sync")
	if len(entries) != 1 || entries[0].Detail != fmt.Sprintf("%d products", len(shop)) || entries[0].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}

	// From here on, reading never asks WeChat.
	calls := s.wxCalls()
	first := b.get("/products")
	wantStatus(t, first, http.StatusOK)
	wantBody(t, first,
		zh("products.synced.now", len(shop)),
		fmt.Sprintf("%s (%d)", zh("products.tab.all"), len(shop)),
		fmt.Sprintf("%s (%d)", zh("products.tab.on"), on),
		fmt.Sprintf("%s (%d)", zh("products.tab.off"), off),
		zh("pager.position", 1, 2, len(shop)),
	)
	if strings.Contains(first.body, zh("products.never.synced")) {
		t.Error("the list still says it was never synced")
	}
	page1 := listedProducts(first)
	if len(page1) != productsPerPage {
		t.Errorf("page 1 lists %d products, want %d", len(page1), productsPerPage)
	}
	page2 := listedProducts(b.get("/products?page=2"))
	if len(page2) != len(shop)-productsPerPage {
		t.Errorf("page 2 lists %d products, want %d", len(page2), len(shop)-productsPerPage)
	}
	seen := append(slices.Clone(page1), page2...)
	slices.Sort(seen)
	if len(slices.Compact(seen)) != len(shop) {
		t.Errorf("the two pages list %d distinct products, want %d", len(slices.Compact(seen)), len(shop))
	}
	// Past the end: the last page rather than an empty list.
	if got := listedProducts(b.get("/products?page=99")); !slices.Equal(got, page2) {
		t.Errorf("page 99 lists %v, want the last page %v", got, page2)
	}

	onSale := listedProducts(b.get("/products?status=1"))
	if len(onSale) != min(on, productsPerPage) {
		t.Errorf("on-sale tab lists %d, want %d", len(onSale), min(on, productsPerPage))
	}
	for _, id := range onSale {
		if p, _ := s.sandbox.Product(id); p.Status != wx.ProductOnSale {
			t.Errorf("on-sale tab lists %s, which is off sale", id)
		}
	}
	offSale := listedProducts(b.get("/products?status=2"))
	if len(offSale) != min(off, productsPerPage) {
		t.Errorf("off-sale tab lists %d, want %d", len(offSale), min(off, productsPerPage))
	}

	// Search by name and by product code.
	walnut := s.shopProduct(t, "新疆阿克苏纸皮核桃")
	if got := listedProducts(b.get("/products?q=" + url.QueryEscape("纸皮核桃"))); !slices.Equal(got, []string{walnut.ProductID}) {
		t.Errorf("search by name found %v, want %s", got, walnut.ProductID)
	}
	pecan := s.shopProduct(t, "手剥山核桃 临安特产")
	if got := listedProducts(b.get("/products?q=SP-JG-002")); !slices.Equal(got, []string{pecan.ProductID}) {
		t.Errorf("search by product code found %v, want %s", got, pecan.ProductID)
	}
	both := listedProducts(b.get("/products?q=" + url.QueryEscape("核桃")))
	if len(both) != 2 || !slices.Contains(both, walnut.ProductID) || !slices.Contains(both, pecan.ProductID) {
		t.Errorf("search for 核桃 found %v", both)
	}
	// The search keeps its words and narrows within a tab: the walnuts are sold out and off sale.
	a := b.get("/products?status=1&q=" + url.QueryEscape("核桃"))
	wantBody(t, a, `value="核桃"`)
	if got := listedProducts(a); !slices.Equal(got, []string{pecan.ProductID}) {
		t.Errorf("on-sale search for 核桃 found %v, want %s", got, pecan.ProductID)
	}
	wantBody(t, b.get("/products?q=nothing-like-this"), `data-testid="products-empty"`)

	// The product page too comes from the mirror.
	p := b.get("/products/" + pecan.ProductID)
	wantStatus(t, p, http.StatusOK)
	wantBody(t, p, "手剥山核桃 临安特产", "SP-JG-002-01", "¥49.90", "规格：250g", "食品生鲜 › 零食 › 坚果")
	wantStatus(t, b.get("/products/no-such-product"), http.StatusNotFound)

	if n := s.wxCalls(); n != calls {
		t.Errorf("reading the list and a product page made %d WeChat calls", n-calls)
	}
}

func TestSyncFailureKeepsTheMirror(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	s.syncShop(t, b)
	all, _, _, _ := s.store.ProductCounts(t.Context())
	b.get("/products") // takes the flash

	s.sandbox.FailNext("/merchant/getbystatus", 48001, "api unauthorized", 1)
	s.syncShop(t, b)
	wantBody(t, b.get("/products"), zh("products.sync.failed", zh("error.wx", 48001, "该账号没有此接口的权限，请在公众平台确认已开通相应功能或已获得该接口权限。")))
	if n, _, _, _ := s.store.ProductCounts(t.Context()); n != all {
		t.Errorf("a failed sync left %d products in the mirror, was %d", n, all)
	}
}

func TestBulkStatusChange(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	var offSale []wx.Product
	for _, p := range s.sandbox.Products() {
		if p.Status == wx.ProductOffSale && len(offSale) < 3 {
			offSale = append(offSale, p)
		}
	}
	ids := url.Values{}
	for _, p := range offSale {
		ids.Add("id", p.ProductID)
	}

	form := url.Values{"id": ids["id"], "status": {"1"}}
	a := b.post("/products/status", form)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products" {
		t.Errorf("bulk change redirects to %q", loc)
	}
	wantBody(t, b.get("/products"), zh("products.onsale.done", 3))
	for _, p := range offSale {
		if got, _ := s.sandbox.Product(p.ProductID); got.Status != wx.ProductOnSale {
			t.Errorf("WeChat has %s with status %d, want on sale", p.ProductID, got.Status)
		}
		if row := s.mirrored(t, p.ProductID); row.Status != wx.ProductOnSale || !row.EverOnSale {
			t.Errorf("mirror has %s with status %d, ever on sale %v", p.ProductID, row.Status, row.EverOnSale)
		}
	}
	entries := s.auditOf(t, "product.onsale")
	if len(entries) != 3 {
		t.Fatalf("audit has %d product.onsale entries, want 3", len(entries))
	}
	for i, e := range entries {
		if e.ObjectID != offSale[i].ProductID || e.Detail != offSale[i].ProductBase.Name || e.Outcome != "ok" || e.Username != "test-operator" {
			t.Errorf("audit entry %d = %+v", i, e)
		}
	}

	// WeChat refuses the first: it is named with WeChat's answer, the others go off sale.
	s.sandbox.FailNext("/merchant/modproductstatus", 45011, "api freq out of limit", 1)
	a = b.post("/products/status", url.Values{"id": ids["id"], "status": {"0"}, "back": {"/products?status=1"}})
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products?status=1" {
		t.Errorf("bulk change redirects to %q, want back to the tab", loc)
	}
	refused := offSale[0]
	wantBody(t, b.get("/products?status=1"),
		zh("products.offsale.done", 2)+" "+zh("products.bulk.failed",
			refused.ProductBase.Name+"："+zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。")))
	if got, _ := s.sandbox.Product(refused.ProductID); got.Status != wx.ProductOnSale {
		t.Errorf("the refused product has status %d in WeChat", got.Status)
	}
	if row := s.mirrored(t, refused.ProductID); row.Status != wx.ProductOnSale {
		t.Errorf("the refused product has status %d in the mirror", row.Status)
	}
	for _, p := range offSale[1:] {
		if got, _ := s.sandbox.Product(p.ProductID); got.Status != wx.ProductOffSale {
			t.Errorf("WeChat has %s with status %d, want off sale", p.ProductID, got.Status)
		}
		if row := s.mirrored(t, p.ProductID); row.Status != wx.ProductOffSale || !row.EverOnSale {
			t.Errorf("mirror has %s with status %d, ever on sale %v", p.ProductID, row.Status, row.EverOnSale)
		}
	}
	entries = s.auditOf(t, "product.offsale")
	if len(entries) != 3 || !strings.Contains(entries[0].Outcome, "45011") || entries[1].Outcome != "ok" || entries[2].Outcome != "ok" {
		t.Errorf("audit entries = %+v", entries)
	}

	// Nothing ticked, and a status that is neither 0 nor 1.
	calls := s.sandbox.Calls("/merchant/modproductstatus")
	wantStatus(t, b.post("/products/status", url.Values{"status": {"1"}}), http.StatusSeeOther)
	wantBody(t, b.get("/products"), zh("products.bulk.none"))
	wantStatus(t, b.post("/products/status", url.Values{"id": ids["id"], "status": {"2"}}), http.StatusBadRequest)
	if s.sandbox.Calls("/merchant/modproductstatus") != calls {
		t.Error("WeChat was called for a bulk change that was refused")
	}
	// An off-site back address is not followed.
	a = b.post("/products/status", url.Values{"id": {offSale[1].ProductID}, "status": {"1"}, "back": {"//evil.example/x"}})
	if loc := a.header.Get("Location"); loc != "/products" {
		t.Errorf("back=//evil.example/x redirects to %q", loc)
	}
}

func TestDeleteProduct(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	s.syncShop(t, b)
	victim := s.shopProduct(t, "帆布学生书包 大容量")
	path := "/products/" + victim.ProductID

	// WeChat refuses: nothing is removed and the product page says why.
	s.sandbox.FailNext("/merchant/del", 45011, "api freq out of limit", 1)
	a := b.post(path+"/delete", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != path {
		t.Errorf("a refused delete redirects to %q", loc)
	}
	wantBody(t, b.get(path), zh("products.delete.failed", zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。")))
	if _, ok := s.sandbox.Product(victim.ProductID); !ok {
		t.Fatal("WeChat lost the product on a refused delete")
	}
	s.mirrored(t, victim.ProductID)

	a = b.post(path+"/delete", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products" {
		t.Errorf("delete redirects to %q", loc)
	}
	wantBody(t, b.get("/products"), zh("products.deleted", victim.ProductBase.Name))
	if _, ok := s.sandbox.Product(victim.ProductID); ok {
		t.Error("WeChat still has the deleted product")
	}
	if _, err := s.store.Product(t.Context(), victim.ProductID); !errors.Is(err, db.ErrNoRecord) {
		t.Errorf("mirror still has the deleted product: %v", err)
	}
	wantStatus(t, b.get(path), http.StatusNotFound)
	if slices.Contains(listedProducts(b.get("/products?q="+url.QueryEscape("帆布学生书包"))), victim.ProductID) {
		t.Error("the list still shows the deleted product")
	}
	entries := s.auditOf(t, "product.delete")
	if len(entries) != 2 || !strings.Contains(entries[0].Outcome, "45011") || entries[1].Outcome != "ok" ||
		entries[1].ObjectID != victim.ProductID || entries[1].Detail != victim.ProductBase.Name {
		t.Errorf("audit entries = %+v", entries)
	}
	wantStatus(t, b.post(path+"/delete", nil), http.StatusNotFound)
}

func TestViewerCannotChangeProducts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	admin := s.signedIn(t, "admin")
	s.syncShop(t, admin)
	viewer := s.signedIn(t, "viewer")
	p := s.shopProduct(t, "每日坚果混合装 25g×30袋")
	before := s.sandbox.Products()
	auditBefore, _, _ := s.store.AuditPage(t.Context(), 10000, 0)
	calls := s.wxCalls()

	list := viewer.get("/products")
	wantStatus(t, list, http.StatusOK)
	for _, hook := range []string{`data-testid="bulk-onsale"`, `data-testid="products-sync"`, `data-testid="product-new"`, `type="checkbox" name="id"`} {
		if strings.Contains(list.body, hook) {
			t.Errorf("a viewer's list offers %s", hook)
		}
	}
	page := viewer.get("/products/" + p.ProductID)
	wantStatus(t, page, http.StatusOK)
	for _, hook := range []string{`data-testid="product-edit"`, `data-testid="product-delete"`, `data-testid="product-offsale"`, `data-testid="stock-add"`} {
		if strings.Contains(page.body, hook) {
			t.Errorf("a viewer's product page offers %s", hook)
		}
	}

	sku := p.SKUList[0].SKUID
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodPost, "/products/sync", nil},
		{http.MethodPost, "/products/status", url.Values{"id": {p.ProductID}, "status": {"0"}}},
		{http.MethodPost, "/products/" + p.ProductID + "/delete", nil},
		{http.MethodPost, "/products/" + p.ProductID + "/stock", url.Values{"sku_id": {sku}, "op": {"add"}, "quantity": {"5"}}},
		{http.MethodPost, "/products", url.Values{"category_id": {"538081101"}, "name": {"x"}}},
		{http.MethodPost, "/products/" + p.ProductID, url.Values{"name": {"x"}}},
		{http.MethodGet, "/products/new", nil},
		{http.MethodGet, "/products/" + p.ProductID + "/edit", nil},
	} {
		a := viewer.do(req.method, req.path, req.form)
		if a.status != http.StatusForbidden {
			t.Errorf("viewer %s %s: status %d, want 403", req.method, req.path, a.status)
		}
	}

	if n := s.wxCalls(); n != calls {
		t.Errorf("a viewer's requests made %d WeChat calls", n-calls)
	}
	after := s.sandbox.Products()
	if len(after) != len(before) {
		t.Fatalf("WeChat holds %d products, had %d", len(after), len(before))
	}
	for i := range before {
		if before[i].Status != after[i].Status || before[i].ProductBase.Name != after[i].ProductBase.Name ||
			before[i].SKUList[0].Quantity != after[i].SKUList[0].Quantity {
			t.Errorf("WeChat's %s changed", before[i].ProductID)
		}
	}
	row := s.mirrored(t, p.ProductID)
	if row.Status != p.Status || row.SKUs[0].Quantity != int64(p.SKUList[0].Quantity) {
		t.Errorf("mirror of %s changed: %+v", p.ProductID, row)
	}
	auditAfter, _, _ := s.store.AuditPage(t.Context(), 10000, 0)
	for _, e := range auditAfter[:len(auditAfter)-len(auditBefore)] {
		if e.Action != "auth.login" {
			t.Errorf("a viewer's refused request was recorded: %+v", e)
		}
	}
}
