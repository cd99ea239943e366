package sandbox

import (
	"html"
	"slices"
	"strings"

	"wxshop/internal/wx"
)

// Products (manual section 1): create, del, update, get, getbystatus, modproductstatus. A product is checked
// by checkProduct (validate.go) on create and update, is off sale when created, and remembers whether it was
// ever on sale, after which update may no longer change its name, category or properties.
//
// Answers follow the manual's merchant/get example rather than echo the request: detail comes back as
// detail_html, and property as names ("品牌": "三只松鼠") instead of ids. Clients must cope with both on the
// real WeChat, so the sandbox makes them.

// statusSuccess opens the answers of the merchant calls, which say "success" where newer APIs say "ok".
var statusSuccess = status{ErrCode: 0, ErrMsg: "success"}

// storedProduct is one product of the shop.
type storedProduct struct {
	p          *wx.Product // as checkProduct returned it, with ProductID; image fields hold paths
	status     int         // wx.ProductOnSale or wx.ProductOffSale
	everOnSale bool
}

// productStore holds the shop's products by id, in the order they were created.
type productStore struct {
	byID  map[string]*storedProduct
	order []string
}

func (ps *productStore) add(sp *storedProduct) {
	if ps.byID == nil {
		ps.byID = map[string]*storedProduct{}
	}
	ps.byID[sp.p.ProductID] = sp
	ps.order = append(ps.order, sp.p.ProductID)
}

func (ps *productStore) remove(id string) {
	delete(ps.byID, id)
	ps.order = slices.DeleteFunc(ps.order, func(o string) bool { return o == id })
}

// lookup finds a product by the id a request gave.
func (ps *productStore) lookup(id string) (*storedProduct, error) {
	if id == "" {
		return nil, errInvalidArgs.with("product_id missing")
	}
	sp, found := ps.byID[id]
	if !found {
		return nil, errProductNotFound.with("product_id %q", id)
	}
	return sp, nil
}

// productIDPrefix starts every product id, as in the manual's examples ("pDF3iYwktviE3BzU3BKiSWWi9Nkw").
const productIDPrefix = "pDF3iY"

// newProductID draws a WeChat-looking id from the id generator, which Options.Seed seeds, so that a run with
// a fixed seed creates the same ids. The caller holds s.mu.
func (s *Server) newProductID() string {
	for {
		b := []byte(productIDPrefix)
		for range 22 {
			b = append(b, tokenAlphabet[s.ids.IntN(len(tokenAlphabet))])
		}
		if _, taken := s.products.byID[string(b)]; !taken {
			return string(b)
		}
	}
}

// productInfo renders sp as the answers carry it, its image URLs absolute against base. withStatus adds
// status, which getbystatus answers and get does not.
func productInfo(sp *storedProduct, base string, withStatus bool) wx.Product {
	p := cloneProduct(sp.p)
	globalizeImages(p, base)
	b := &p.ProductBase

	cat := categories()[string(b.CategoryID[0])]
	for i, pp := range b.Property {
		if def, found := cat.property(pp.ID); found {
			b.Property[i] = wx.ProductProperty{ID: wx.ID(def.Name), VID: wx.ID(propertyValueName(def, pp.VID))}
		}
	}
	b.DetailHTML, b.Detail = detailHTML(b.Detail), nil

	b.Property = orEmpty(b.Property)
	b.SKUInfo = orEmpty(b.SKUInfo)
	b.Img = orEmpty(b.Img)
	if withStatus {
		p.Status = sp.status
	}
	return *p
}

// detailHTML renders the detail blocks the way merchant/get shows them: a paragraph per text, an img per
// image.
func detailHTML(blocks []wx.ProductDetail) string {
	var b strings.Builder
	for _, d := range blocks {
		if d.Text != "" {
			b.WriteString("<p>" + html.EscapeString(d.Text) + "</p>")
		}
		if d.Img != "" {
			b.WriteString(`<img src="` + html.EscapeString(d.Img) + `"/>`)
		}
	}
	return b.String()
}

type createProductAnswer struct {
	status
	ProductID string `json:"product_id"`
}

// createProduct is POST /merchant/create.
func (s *Server) createProduct(c *call) (any, error) {
	var req wx.Product
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	p, err := s.checkProduct(&req, requestBase(c.r))
	if err != nil {
		return nil, err
	}
	p.ProductID = s.newProductID()
	s.products.add(&storedProduct{p: p, status: wx.ProductOffSale})
	return createProductAnswer{status: statusSuccess, ProductID: p.ProductID}, nil
}

type productIDRequest struct {
	ProductID string `json:"product_id"`
}

// deleteProduct is POST /merchant/del. The product leaves every group that held it.
func (s *Server) deleteProduct(c *call) (any, error) {
	var req productIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.products.lookup(req.ProductID); err != nil {
		return nil, err
	}
	s.products.remove(req.ProductID)
	s.groups.removeProduct(req.ProductID)
	return statusSuccess, nil
}

// updateProduct is POST /merchant/update: the body replaces the product, which keeps its id and status.
// Once the product has been on sale, name, category_id and property must stay as they are.
func (s *Server) updateProduct(c *call) (any, error) {
	var req wx.Product
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.products.lookup(req.ProductID)
	if err != nil {
		return nil, err
	}
	p, err := s.checkProduct(&req, requestBase(c.r))
	if err != nil {
		return nil, err
	}
	if sp.everOnSale {
		old, now := sp.p.ProductBase, p.ProductBase
		switch {
		case now.Name != old.Name:
			return nil, errFrozenField.with("name")
		case !slices.Equal(now.CategoryID, old.CategoryID):
			return nil, errFrozenField.with("category_id")
		case !sameProperties(now.Property, old.Property):
			return nil, errFrozenField.with("property")
		}
	}
	p.ProductID = sp.p.ProductID
	sp.p = p
	return statusSuccess, nil
}

// sameProperties compares two property lists as sets: the order they are sent in means nothing.
func sameProperties(a, b []wx.ProductProperty) bool {
	if len(a) != len(b) {
		return false
	}
	vids := make(map[wx.ID]wx.ID, len(a))
	for _, p := range a {
		vids[p.ID] = p.VID
	}
	for _, p := range b {
		if vid, found := vids[p.ID]; !found || vid != p.VID {
			return false
		}
	}
	return true
}

type getProductAnswer struct {
	status
	ProductInfo wx.Product `json:"product_info"`
}

// getProduct is POST /merchant/get.
func (s *Server) getProduct(c *call) (any, error) {
	var req productIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.products.lookup(req.ProductID)
	if err != nil {
		return nil, err
	}
	return getProductAnswer{status: statusSuccess, ProductInfo: productInfo(sp, requestBase(c.r), false)}, nil
}

type productsByStatusAnswer struct {
	status
	ProductsInfo []wx.Product `json:"products_info"`
}

// getProductsByStatus is POST /merchant/getbystatus: status 0 all, 1 on sale, 2 off sale; each product
// carries its status. Products come in the order they were created.
func (s *Server) getProductsByStatus(c *call) (any, error) {
	var req struct {
		Status *int `json:"status"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.Status == nil {
		return nil, errInvalidArgs.with("status missing")
	}
	want := *req.Status
	if want != wx.ProductsAll && want != wx.ProductOnSale && want != wx.ProductOffSale {
		return nil, errInvalidArgs.with("status %d is not 0 (all), 1 (on sale) or 2 (off sale)", want)
	}
	base := requestBase(c.r)
	list := []wx.Product{}
	for _, id := range s.products.order {
		sp := s.products.byID[id]
		if want == wx.ProductsAll || sp.status == want {
			list = append(list, productInfo(sp, base, true))
		}
	}
	return productsByStatusAnswer{status: statusSuccess, ProductsInfo: list}, nil
}

// setProductStatus is POST /merchant/modproductstatus: status 1 puts the product on sale, 0 takes it off
// (which getbystatus then calls 2).
func (s *Server) setProductStatus(c *call) (any, error) {
	var req struct {
		ProductID string `json:"product_id"`
		Status    *int   `json:"status"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.products.lookup(req.ProductID)
	if err != nil {
		return nil, err
	}
	switch {
	case req.Status == nil:
		return nil, errInvalidArgs.with("status missing")
	case *req.Status == wx.SetOnSale:
		sp.status, sp.everOnSale = wx.ProductOnSale, true
	case *req.Status == wx.SetOffSale:
		sp.status = wx.ProductOffSale
	default:
		return nil, errInvalidArgs.with("status %d is not 0 (off sale) or 1 (on sale)", *req.Status)
	}
	return statusSuccess, nil
}

// Product returns a copy of product id as the sandbox holds it, for tests that check what WeChat was told:
// the fields as create or update sent them (detail blocks, property ids), with its Status, and its image URLs
// absolute against the host of the latest API call (paths before any call).
func (s *Server) Product(id string) (wx.Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, found := s.products.byID[id]
	if !found {
		return wx.Product{}, false
	}
	return s.exported(sp), true
}

// Products returns every product, in the order they were created, each as Product returns it.
func (s *Server) Products() []wx.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]wx.Product, 0, len(s.products.order))
	for _, id := range s.products.order {
		list = append(list, s.exported(s.products.byID[id]))
	}
	return list
}

// exported is sp as Product returns it. The caller holds s.mu.
func (s *Server) exported(sp *storedProduct) wx.Product {
	p := cloneProduct(sp.p)
	globalizeImages(p, s.lastBase)
	p.Status = sp.status
	return *p
}
