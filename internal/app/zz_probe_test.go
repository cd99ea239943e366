package app

import (
	"net/http"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	p := s.shopProduct(t, "法式复古印花T恤 女款短袖") // off sale, never on sale
	e := b.get("/products/" + p.ProductID + "/edit")
	t.Logf("edit status %d; text blocks %d; image blocks %d; has product's first detail text: %v",
		e.status, strings.Count(e.body, `data-testid="detail-text"`), strings.Count(e.body, `data-testid="detail-img"`),
		strings.Contains(e.body, p.ProductBase.Detail[0].Text))
	pg := b.get("/products/" + p.ProductID)
	t.Logf("product page shows detail: %v", strings.Contains(pg.body, `data-testid="product-detail"`))
	_ = http.StatusOK
}
