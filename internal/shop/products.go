package shop

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/wx"
)

// MirrorProduct turns WeChat's description of a product into the mirror's row.
func MirrorProduct(p wx.Product) (db.Product, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return db.Product{}, err
	}
	row := db.Product{
		ProductID: p.ProductID, Name: p.ProductBase.Name, Status: p.Status,
		MainImg: p.ProductBase.MainImg, Raw: raw,
	}
	if len(p.ProductBase.CategoryID) > 0 {
		row.CategoryID = string(p.ProductBase.CategoryID[0])
	}
	for _, k := range p.SKUList {
		row.SKUs = append(row.SKUs, db.SKU{SKUID: k.SKUID, Price: int64(k.Price), OriPrice: int64(k.OriPrice),
			Quantity: int64(k.Quantity), ProductCode: k.ProductCode, IconURL: k.IconURL})
	}
	return row, nil
}

// StoredProduct decodes the mirror's copy of WeChat's product.
func StoredProduct(row db.Product) (wx.Product, error) {
	var p wx.Product
	if err := json.Unmarshal(row.Raw, &p); err != nil {
		return p, fmt.Errorf("product %s: stored JSON: %w", row.ProductID, err)
	}
	p.ProductID, p.Status = row.ProductID, row.Status
	if len(p.ProductBase.Detail) == 0 && p.ProductBase.DetailHTML != "" {
		// WeChat's answers give the detail as HTML only; the app works with its blocks.
		p.ProductBase.Detail = detailBlocks(p.ProductBase.DetailHTML)
	}
	// Stock changes land in the SKU rows, not in the stored JSON: the rows are current.
	qty := map[string]int64{}
	for _, k := range row.SKUs {
		qty[k.SKUID] = k.Quantity
	}
	for i, k := range p.SKUList {
		if q, ok := qty[k.SKUID]; ok {
			p.SKUList[i].Quantity = int(q)
		}
	}
	return p, nil
}

// Product reads one product from the mirror, as its row and in WeChat's form; db.ErrNoRecord when the mirror
// holds none by that id.
func (s *Shop) Product(ctx context.Context, id string) (db.Product, wx.Product, error) {
	row, err := s.store.Product(ctx, id)
	if err != nil {
		return row, wx.Product{}, err
	}
	p, err := StoredProduct(row)
	return row, p, err
}

// SyncProducts makes the mirror match WeChat's products, and warms the category cache for the categories
// they use so product pages can name their SKUs without asking WeChat.
func (s *Shop) SyncProducts(ctx context.Context) (int, error) {
	products, err := s.wx.ProductsByStatus(ctx, wx.ProductsAll)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Product, 0, len(products))
	categories := map[string]bool{}
	for _, p := range products {
		row, err := MirrorProduct(p)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
		if row.CategoryID != "" {
			categories[row.CategoryID] = true
		}
	}
	if err := s.store.ReplaceProducts(ctx, rows); err != nil {
		return 0, err
	}
	if err := s.markSynced(ctx, SettingProductsSyncedAt); err != nil {
		return 0, err
	}
	s.LocateCategories(ctx, categories, 80)
	for id := range categories {
		// A category WeChat won't describe only costs the page its SKU names; the sync itself succeeded.
		if _, _, err := s.CategorySKUs(ctx, id); err != nil {
			s.log.Warn("could not fetch the SKU table of a product's category", "category", id, "err", err)
		}
		if _, _, err := s.CategoryProperties(ctx, id); err != nil {
			s.log.Warn("could not fetch the properties of a product's category", "category", id, "err", err)
		}
	}
	return len(rows), nil
}

func (s *Shop) productKind() Kind[wx.Product, string] {
	return Kind[wx.Product, string]{Name: "product",
		ID:       func(p wx.Product) string { return p.ProductID },
		List:     func(ctx context.Context) ([]wx.Product, error) { return s.wx.ProductsByStatus(ctx, wx.ProductsAll) },
		Mirrored: func(ctx context.Context, id string) error { _, err := s.store.Product(ctx, id); return err },
		Delete:   s.wx.DeleteProduct,
		Forget:   s.store.DeleteProduct,
	}
}

// SaveProduct creates prod (row nil) or updates the product row mirrors, and mirrors what was sent with the
// status the product had. Stock may have moved since the form was opened (sales, another operator): an
// existing SKU keeps what WeChat holds now; only a new SKU takes the stock sent.
func (s *Shop) SaveProduct(ctx context.Context, j Journal, row *db.Product, prod *wx.Product) (string, error) {
	w := Save[wx.Product, string]{Detail: prod.ProductBase.Name,
		Create: func(ctx context.Context) (string, error) { return s.wx.CreateProduct(ctx, prod) },
		Update: func(ctx context.Context, id string) error {
			prod.ProductID = id
			return s.wx.UpdateProduct(ctx, prod)
		},
		Like: func(p wx.Product) bool { return sameProduct(p, prod) },
		Mirror: func(ctx context.Context, id string) error {
			kept := *prod
			kept.ProductID, kept.Status = id, wx.ProductOffSale
			if row != nil {
				kept.Status = row.Status
			}
			mirror, err := MirrorProduct(kept)
			if err != nil {
				return err
			}
			return s.store.UpsertProduct(ctx, mirror)
		},
	}
	if row != nil {
		w.ID = row.ProductID
		current := map[string]int64{}
		for _, k := range row.SKUs {
			current[k.SKUID] = k.Quantity
		}
		if fresh, err := s.wx.GetProduct(ctx, row.ProductID); err == nil {
			for _, k := range fresh.SKUList {
				current[k.SKUID] = int64(k.Quantity)
			}
		}
		for i, k := range prod.SKUList {
			if q, ok := current[k.SKUID]; ok {
				prod.SKUList[i].Quantity = int(q)
			}
		}
	}
	return save(ctx, s, j, s.productKind(), w)
}

// sameProduct recognises, after a create call whose outcome is unknown, the product that call made: the name,
// category and SKUs (ids, prices, codes) just sent.
func sameProduct(p wx.Product, sent *wx.Product) bool {
	return p.ProductBase.Name == sent.ProductBase.Name && slices.Equal(p.ProductBase.CategoryID, sent.ProductBase.CategoryID) &&
		slices.EqualFunc(p.SKUList, sent.SKUList, func(x, y wx.SKU) bool {
			return x.SKUID == y.SKUID && x.Price == y.Price && x.OriPrice == y.OriPrice && x.ProductCode == y.ProductCode
		})
}

// DeleteProduct deletes the product in WeChat and in the mirror.
func (s *Shop) DeleteProduct(ctx context.Context, j Journal, row db.Product) error {
	return remove(ctx, s, j, s.productKind(), row.ProductID, row.Name)
}

// AllowedImages is every image URL a product or shelf may use: the library's, and those given (the ones the
// object already shows, which may have come from elsewhere).
func (s *Shop) AllowedImages(ctx context.Context, existing ...string) (map[string]bool, error) {
	allowed := map[string]bool{}
	library, _, err := s.store.Images(ctx, 100000, 0)
	if err != nil {
		return nil, err
	}
	for _, img := range library {
		allowed[img.URL] = true
	}
	for _, u := range existing {
		if u != "" {
			allowed[u] = true
		}
	}
	return allowed, nil
}

// ProductImages lists every image the product shows, once each.
func ProductImages(p wx.Product) []string {
	var urls []string
	add := func(u string) {
		if u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	add(p.ProductBase.MainImg)
	for _, u := range p.ProductBase.Img {
		add(u)
	}
	for _, d := range p.ProductBase.Detail {
		add(d.Img)
	}
	for _, k := range p.SKUList {
		add(k.IconURL)
	}
	return urls
}

// The mirror's product statuses, as WeChat's merchant API numbers them.
const (
	ProductOnSale  = wx.ProductOnSale
	ProductOffSale = wx.ProductOffSale
)

// StatusFailure is one product WeChat would not put on or off sale: its name, and why.
type StatusFailure struct {
	Name string
	Err  error
}

// SetOnSale puts each product of ids on sale (or off), each on its own: one refusal does not stop the rest.
// It answers how many went through and the refusals; the error is the store's.
func (s *Shop) SetOnSale(ctx context.Context, j Journal, ids []string, onSale bool) (int, []StatusFailure, error) {
	status, mirrorStatus, action := wx.SetOffSale, wx.ProductOffSale, "product.offsale"
	if onSale {
		status, mirrorStatus, action = wx.SetOnSale, wx.ProductOnSale, "product.onsale"
	}
	var done int
	var failures []StatusFailure
	for _, id := range ids {
		err := s.wx.SetProductStatus(ctx, id, status)
		name := id
		if row, err := s.store.Product(ctx, id); err == nil {
			name = row.Name
		}
		j(db.AuditEntry{Action: action, ObjectType: "product", ObjectID: id, Detail: name, Outcome: Outcome(err)})
		if err != nil {
			failures = append(failures, StatusFailure{Name: name, Err: err})
			continue
		}
		if err := s.store.SetProductStatus(ctx, id, mirrorStatus); err != nil {
			return done, failures, storeErr(err)
		}
		done++
	}
	return done, failures, nil
}

// DescribeDelivery says how a product ships, as its page shows it: free, by a template, or each courier's fee.
func DescribeDelivery(p i18n.Printer, wp wx.Product) string {
	if wp.AttrExt.IsPostFree == 1 {
		return p.T("products.delivery.free")
	}
	d := wp.DeliveryInfo
	if d == nil {
		return "—"
	}
	if d.DeliveryType == wx.DeliveryByTemplate {
		return p.T("products.delivery.template", d.TemplateID)
	}
	var parts []string
	for _, e := range d.Express {
		parts = append(parts, CourierName(p, e.ID)+" "+money.Yuan(int64(e.Price)))
	}
	return strings.Join(parts, "，")
}

// CourierName names one of the merchant API's three ways to ship (平邮, 快递, EMS) in p's language.
func CourierName(p i18n.Printer, id int) string {
	key := "courier." + strconv.Itoa(id)
	if i18n.Has(key) {
		return p.T(key)
	}
	return strconv.Itoa(id)
}
