package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// skuQuantity is the stock WeChat holds for one SKU.
func (s *testServer) skuQuantity(t *testing.T, productID, skuID string) int {
	t.Helper()
	p, ok := s.sandbox.Product(productID)
	if !ok {
		t.Fatalf("WeChat has no product %s", productID)
	}
	for _, k := range p.SKUList {
		if k.SKUID == skuID {
			return k.Quantity
		}
	}
	t.Fatalf("WeChat's %s has no SKU %q", productID, skuID)
	return 0
}

// mirroredQuantity is the stock the mirror holds for one SKU.
func (s *testServer) mirroredQuantity(t *testing.T, productID, skuID string) int64 {
	t.Helper()
	for _, k := range s.mirrored(t, productID).SKUs {
		if k.SKUID == skuID {
			return k.Quantity
		}
	}
	t.Fatalf("the mirror's %s has no SKU %q", productID, skuID)
	return 0
}

func TestChangeStock(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	p := s.shopProduct(t, "手剥山核桃 临安特产") // 250g: 60, 500g: 3
	big, small := p.SKUList[0].SKUID, p.SKUList[1].SKUID
	if p.SKUList[0].Quantity != 60 || p.SKUList[1].Quantity != 3 {
		t.Fatalf("demo stock changed: %+v", p.SKUList)
	}
	path := "/products/" + p.ProductID + "/stock"

	// Add: WeChat and the mirror both gain, and the product page says so.
	a := b.post(path, url.Values{"sku_id": {big}, "op": {"add"}, "quantity": {"15"}, "with_product": {"false"}})
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/products/"+p.ProductID {
		t.Errorf("stock change redirects to %q", loc)
	}
	if got := s.skuQuantity(t, p.ProductID, big); got != 75 {
		t.Errorf("WeChat holds %d, want 75", got)
	}
	if got := s.mirroredQuantity(t, p.ProductID, big); got != 75 {
		t.Errorf("mirror holds %d, want 75", got)
	}
	if row := s.mirrored(t, p.ProductID); row.TotalStock != 78 {
		t.Errorf("mirror's total stock %d, want 78", row.TotalStock)
	}
	wantBody(t, b.get("/products/"+p.ProductID), zh("stock.saved.add", 15))
	entries := s.auditOf(t, "stock.add")
	if len(entries) != 1 || entries[0].ObjectID != p.ProductID || entries[0].Outcome != "ok" ||
		!strings.Contains(entries[0].Detail, "+15 (60)") || !strings.Contains(entries[0].Detail, "规格：250g") {
		t.Errorf("audit entries = %+v", entries)
	}

	// Reduce more than there is: refused here, WeChat never asked.
	reduces := s.sandbox.Calls("/merchant/stock/reduce")
	a = b.post(path, url.Values{"sku_id": {small}, "op": {"reduce"}, "quantity": {"4"}})
	wantStatus(t, a, http.StatusSeeOther)
	wantBody(t, b.get("/products/"+p.ProductID), zh("stock.err.below", 4, 3))
	if s.sandbox.Calls("/merchant/stock/reduce") != reduces {
		t.Error("a reduction below zero was sent to WeChat")
	}
	if s.skuQuantity(t, p.ProductID, small) != 3 || s.mirroredQuantity(t, p.ProductID, small) != 3 {
		t.Error("a refused reduction changed the stock")
	}

	// Through htmx the answer is the row alone, carrying the new stock.
	a = b.post(path, url.Values{"sku_id": {small}, "op": {"reduce"}, "quantity": {"2"}, "with_product": {"false"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusOK)
	body := strings.TrimSpace(a.body)
	if strings.Contains(body, "<html") || !strings.HasPrefix(body, "<tr") || !strings.HasSuffix(body, "</tr>") {
		t.Fatalf("htmx got more than the row:\n%s", a.body)
	}
	wantBody(t, a, `data-testid="sku-row-`+small+`"`, zh("stock.saved.reduce", 2), zh("stock.low"))
	if got := quantityShown(t, a); got != 1 {
		t.Errorf("the row shows %d in stock, want 1", got)
	}
	if s.skuQuantity(t, p.ProductID, small) != 1 || s.mirroredQuantity(t, p.ProductID, small) != 1 {
		t.Errorf("after reducing by 2: WeChat %d, mirror %d, want 1", s.skuQuantity(t, p.ProductID, small), s.mirroredQuantity(t, p.ProductID, small))
	}

	// Refusals through htmx: 422 with the row, the message and what was typed.
	for _, tc := range []struct {
		form url.Values
		msg  string
	}{
		{url.Values{"sku_id": {small}, "op": {"reduce"}, "quantity": {"5"}}, zh("stock.err.below", 5, 1)},
		{url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"abc"}}, zh("stock.err.quantity")},
		{url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"0"}}, zh("stock.err.quantity")},
		{url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"1000001"}}, zh("stock.err.quantity")},
		{url.Values{"sku_id": {small}, "op": {"set"}, "quantity": {"5"}}, zh("stock.err.op")},
	} {
		a := b.post(path, tc.form, "HX-Request", "true")
		wantStatus(t, a, http.StatusUnprocessableEntity)
		if !strings.HasPrefix(strings.TrimSpace(a.body), "<tr") {
			t.Errorf("%v: htmx got more than the row", tc.form)
		}
		wantBody(t, a, `data-testid="stock-error">`+tc.msg+`<`, `value="`+tc.form.Get("quantity")+`"`)
	}

	// WeChat refuses: its code and meaning in the row, nothing changes.
	s.sandbox.FailNext("/merchant/stock/add", 45011, "api freq out of limit", 1)
	a = b.post(path, url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"9"}}, "HX-Request", "true")
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。"), `value="9"`)
	if s.skuQuantity(t, p.ProductID, small) != 1 || s.mirroredQuantity(t, p.ProductID, small) != 1 {
		t.Error("a stock change WeChat refused changed the stock")
	}
	if entries := s.auditOf(t, "stock.add"); len(entries) != 2 || !strings.Contains(entries[1].Outcome, "45011") {
		t.Errorf("audit entries = %+v", entries)
	}
	// Without htmx, WeChat's refusal is the flash.
	s.sandbox.FailNext("/merchant/stock/add", 45011, "api freq out of limit", 1)
	wantStatus(t, b.post(path, url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"9"}}), http.StatusSeeOther)
	wantBody(t, b.get("/products/"+p.ProductID), zh("error.wx", 45011, "接口调用太频繁，请稍等一会儿再试。"))

	// From the stock page, the change goes back there.
	a = b.post(path, url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"1"}, "with_product": {"true"}})
	if loc := a.header.Get("Location"); loc != "/stock" {
		t.Errorf("a change from the stock page redirects to %q", loc)
	}
	wantStatus(t, b.post(path, url.Values{"sku_id": {"no:such"}, "op": {"add"}, "quantity": {"1"}}), http.StatusNotFound)
	wantStatus(t, b.post("/products/nope/stock", url.Values{"sku_id": {small}, "op": {"add"}, "quantity": {"1"}}), http.StatusNotFound)
}

var shownQuantity = regexp.MustCompile(`data-testid="sku-quantity">\s*(\d+)`)

// quantityShown is the stock a single row shows.
func quantityShown(t *testing.T, a answer) int {
	t.Helper()
	m := shownQuantity.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("no quantity in\n%s", a.body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func lowSKUs(s *testServer, threshold int) int {
	n := 0
	for _, p := range s.sandbox.Products() {
		for _, k := range p.SKUList {
			if k.Quantity <= threshold {
				n++
			}
		}
	}
	return n
}

func TestStockPageAndDashboardShowLowStock(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "admin")
	s.syncShop(t, b)
	// A threshold that leaves fewer low SKUs than a page holds.
	wantStatus(t, b.post("/settings", url.Values{"low_stock": {"2"}, "image_max": {"2"}}), http.StatusSeeOther)
	low := lowSKUs(s, 2)
	if low == 0 || low > stockPerPage {
		t.Fatalf("%d SKUs at or below 2: pick another threshold", low)
	}
	calls := s.wxCalls()

	a := b.get("/stock?low=1")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, zh("stock.threshold", 2))
	shown := shownQuantity.FindAllStringSubmatch(a.body, -1)
	if len(shown) != low {
		t.Errorf("low-stock view lists %d SKUs, want %d", len(shown), low)
	}
	for _, m := range shown {
		if n, _ := strconv.Atoi(m[1]); n > 2 {
			t.Errorf("low-stock view lists a SKU with %d in stock", n)
		}
	}
	all := shownQuantity.FindAllStringSubmatch(b.get("/stock").body, -1)
	if len(all) != stockPerPage {
		t.Errorf("the full stock view lists %d SKUs on its first page, want %d", len(all), stockPerPage)
	}

	dash := b.get("/")
	wantStatus(t, dash, http.StatusOK)
	wantBody(t, dash, `data-testid="dashboard-lowstock"><strong>`+strconv.Itoa(low)+`</strong><span>`+zh("dashboard.lowstock", 2)+`</span>`)
	if s.wxCalls() != calls {
		t.Error("the stock view or the dashboard called WeChat")
	}

	// Restocking a low SKU takes it off the list and the count.
	p := s.shopProduct(t, "手工凤梨酥 台式糕点") // 500g: 2
	skuID := p.SKUList[1].SKUID
	if p.SKUList[1].Quantity != 2 {
		t.Fatalf("demo stock changed: %+v", p.SKUList)
	}
	wantStatus(t, b.post("/products/"+p.ProductID+"/stock", url.Values{"sku_id": {skuID}, "op": {"add"}, "quantity": {"10"}, "with_product": {"true"}}), http.StatusSeeOther)
	a = b.get("/stock?low=1")
	if strings.Contains(a.body, `data-testid="sku-row-`+skuID+`"`) && strings.Contains(a.body, `/products/`+p.ProductID+`"`) {
		t.Error("the restocked SKU is still listed as low")
	}
	if n := len(shownQuantity.FindAllStringSubmatch(a.body, -1)); n != low-1 {
		t.Errorf("low-stock view lists %d SKUs after a restock, want %d", n, low-1)
	}
	wantBody(t, b.get("/"), `data-testid="dashboard-lowstock"><strong>`+strconv.Itoa(low-1)+`</strong>`)
	if got := s.skuQuantity(t, p.ProductID, skuID); got != 12 {
		t.Errorf("WeChat holds %d, want 12", got)
	}
}

func TestDashboardCountsWithTheDefaultThreshold(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	b := s.signedIn(t, "viewer")
	wantBody(t, b.get("/"), `data-testid="dashboard-lowstock"><strong>0</strong>`)
	admin := s.signedIn(t, "admin")
	s.syncShop(t, admin)
	on, _ := countByStatus(s.sandbox.Products())
	if on == 0 {
		t.Fatal("no product on sale in the demo shop")
	}
	dash := b.get("/")
	wantBody(t, dash,
		`data-testid="dashboard-lowstock"><strong>`+strconv.Itoa(lowSKUs(s, defaultLowStockThreshold))+`</strong>`,
		zh("dashboard.lowstock", defaultLowStockThreshold),
		`<strong>`+strconv.Itoa(on)+`</strong><span>`+zh("dashboard.onsale")+`</span>`)
}
