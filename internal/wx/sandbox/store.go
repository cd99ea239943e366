package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"wxshop/internal/wx"
)

// The 微信小店 (WeChat Store) catalog: products with their online copy and draft and the audit between them
// (store_products.go), stock (store_stock.go), categories, attributes and brands (store_categories.go),
// freight templates and region codes (store_freight.go), image upload (store_images.go), the shop's home-page
// categories and window (store_shop.go), and the sandbox's audit button (store_control.go). The rules and
// codes are those of shared/api/store; where a page names no code for a rule the sandbox says so beside it.

// Kind is which catalog API a shop has.
type Kind string

const (
	// KindStore is a 微信小店: the catalog lives under /channels/ec/* and the V1.13 catalog calls answer 48001.
	KindStore Kind = "store"
	// KindMerchant is a shop of the V1.13 merchant API (/merchant/*); the 微信小店 catalog answers 48001.
	KindMerchant Kind = "merchant"
)

// ParseKind reads "store" or "merchant"; "" is KindStore, the kind a shop opened today has.
func ParseKind(s string) (Kind, error) {
	switch Kind(s) {
	case "", KindStore:
		return KindStore, nil
	case KindMerchant:
		return KindMerchant, nil
	}
	return "", fmt.Errorf("sandbox: kind %q is neither store nor merchant", s)
}

func (k Kind) orDefault() Kind {
	if k == "" {
		return KindMerchant
	}
	return k
}

// apiName names the kind's API in an errmsg.
func (k Kind) apiName() string {
	if k == KindStore {
		return "微信小店 /channels/ec"
	}
	return "V1.13 /merchant"
}

// Kind is the kind of shop the sandbox plays.
func (s *Server) Kind() Kind { return s.kind }

// storeCatalog is the 微信小店's state. The caller of every method holds s.mu.
type storeCatalog struct {
	products   map[string]*storeProduct
	order      []string // product ids in creation order
	nextID     uint64   // product, SKU and template ids: above 2^53, as real ones are
	templates  map[string]*wx.FreightTemplate
	tplOrder   []string
	images     map[string]bool // the mmecimage.cn/p/ URLs handed out
	quotaTotal int
	quotaUsed  int
	auditDelay time.Duration
	tree       []wx.ShopCategory // 店铺首页分类
	treeVer    int64
	treeNextID int64
	catProds   map[string][]string // "level1.level2" → product ids
	window     []windowEntry
	pushTarget *pushTarget // product events (store_push.go)
}

type windowEntry struct {
	productID string
	top, hide bool
}

// storeQuota is the audit quota the sandbox's shop has (add and update share it); WeChat's grows with the
// shop's reputation and is read with getauditquota.
const storeQuota = 200

func (s *Server) initStore(opts Options) {
	s.store = storeCatalog{
		products:   map[string]*storeProduct{},
		templates:  map[string]*wx.FreightTemplate{},
		images:     map[string]bool{},
		nextID:     3705115058471200000,
		quotaTotal: storeQuota,
		auditDelay: opts.AuditDelay,
		treeVer:    1,
		treeNextID: 1,
		catProds:   map[string][]string{},
	}
	if s.store.auditDelay == 0 {
		s.store.auditDelay = 8 * time.Second
	}
}

// newID hands out the next id, as text.
func (st *storeCatalog) newID() string {
	st.nextID += 17
	return strconv.FormatUint(st.nextID, 10)
}

// registerStoreRoutes lists the 微信小店's catalog calls, and marks the V1.13 catalog calls as the merchant
// kind's. Order, token and shop-info calls belong to both kinds.
func (s *Server) registerStoreRoutes() {
	for _, r := range []struct {
		pattern string
		h       func(*call) (any, error)
	}{
		{"POST /channels/ec/product/add", s.addStoreProduct},
		{"POST /channels/ec/product/update", s.updateStoreProduct},
		{"POST /channels/ec/product/get", s.getStoreProduct},
		{"POST /channels/ec/product/list/get", s.listStoreProducts},
		{"POST /channels/ec/product/delete", s.deleteStoreProduct},
		{"POST /channels/ec/product/listing", s.listStoreProduct},
		{"POST /channels/ec/product/delisting", s.delistStoreProduct},
		{"POST /channels/ec/product/audit/cancel", s.cancelStoreAudit},
		{"POST /channels/ec/product/getauditquota", s.getStoreAuditQuota},
		{"POST /channels/ec/product/stock/update", s.updateStoreStock},
		{"POST /channels/ec/product/stock/get", s.getStoreStock},
		{"POST /channels/ec/product/stock/batchget", s.batchGetStoreStock},
		{"POST /channels/ec/category/availablesoncategories/get", s.getStoreSubCategories},
		{"POST /channels/ec/category/detail", s.getStoreCategoryDetail},
		{"POST /channels/ec/brand/valid/list/get", s.getStoreValidBrands},
		{"POST /channels/ec/merchant/getfreighttemplatelist", s.listFreightTemplates},
		{"POST /channels/ec/merchant/getfreighttemplatedetail", s.getFreightTemplate},
		{"POST /channels/ec/merchant/addfreighttemplate", s.addFreightTemplate},
		{"POST /channels/ec/merchant/updatefreighttemplate", s.updateFreightTemplate},
		{"POST /channels/ec/basics/addresscode/get", s.getAddressCodes},
		{"POST /channels/ec/store/classification/tree/get", s.getShopTree},
		{"POST /channels/ec/store/classification/tree/set", s.setShopTree},
		{"POST /channels/ec/store/classification/tree/product/add", s.addShopTreeProducts},
		{"POST /channels/ec/store/classification/tree/product/del", s.delShopTreeProducts},
		{"POST /channels/ec/store/classification/tree/product/get", s.getShopTreeProducts},
		{"POST /channels/ec/store/window/product/list/get", s.listWindow},
		{"POST /channels/ec/store/window/product/reorder", s.reorderWindow},
		{"POST /channels/ec/store/window/product/settop", s.setWindowTop},
		{"POST /channels/ec/store/window/product/hide", s.setWindowHide},
	} {
		s.apiRoute(r.pattern, r.h)
		_, path, _ := strings.Cut(r.pattern, " ")
		s.setRouteKind(path, KindStore)
	}
	// The image upload is one of the 微信小店's basics, which an account with a Channels store has whatever its
	// catalog: after-sales upload their evidence through it (resp_type=0).
	s.apiRoute("POST "+wx.StoreImagePath, s.uploadStoreImage)
	for _, path := range merchantCatalogPaths {
		s.setRouteKind(path, KindMerchant)
	}
	// Not WeChat: the audit button (store_control.go).
	s.files.HandleFunc("POST /sandbox/store/audit", s.serveStoreAudit)
}

// merchantCatalogPaths are the V1.13 catalog and storefront calls, which a 微信小店 does not have.
var merchantCatalogPaths = []string{
	"/merchant/create", "/merchant/del", "/merchant/update", "/merchant/get", "/merchant/getbystatus",
	"/merchant/modproductstatus", "/merchant/category/getsub", "/merchant/category/getsku",
	"/merchant/category/getproperty", "/merchant/stock/add", "/merchant/stock/reduce", "/merchant/common/upload_img",
	"/merchant/express/add", "/merchant/express/del", "/merchant/express/update", "/merchant/express/getbyid",
	"/merchant/express/getall", "/merchant/group/add", "/merchant/group/del", "/merchant/group/propertymod",
	"/merchant/group/productmod", "/merchant/group/getall", "/merchant/group/getbyid", "/merchant/shelf/add",
	"/merchant/shelf/del", "/merchant/shelf/mod", "/merchant/shelf/getall", "/merchant/shelf/getbyid",
}

func (s *Server) setRouteKind(path string, k Kind) {
	rt, found := s.routes[path]
	if !found {
		panic("sandbox: no route " + path)
	}
	rt.kind = k
	s.routes[path] = rt
}
