package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

const settingProductsSyncedAt = "products_synced_at"

// mirrorProduct turns WeChat's description of a product into the mirror's row.
func mirrorProduct(p wx.Product) (db.Product, error) {
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

// syncProducts makes the mirror match WeChat's products, and warms the category cache for the categories
// they use so product pages can name their SKUs without asking WeChat.
func (a *App) syncProducts(ctx context.Context) (int, error) {
	products, err := a.wx.ProductsByStatus(ctx, wx.ProductsAll)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Product, 0, len(products))
	categories := map[string]bool{}
	for _, p := range products {
		row, err := mirrorProduct(p)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
		if row.CategoryID != "" {
			categories[row.CategoryID] = true
		}
	}
	if err := a.store.ReplaceProducts(ctx, rows); err != nil {
		return 0, err
	}
	if err := a.markSynced(ctx, settingProductsSyncedAt); err != nil {
		return 0, err
	}
	a.locateCategories(ctx, categories, 80)
	for id := range categories {
		// A category WeChat won't describe only costs the page its SKU names; the sync itself succeeded.
		if _, _, err := a.categorySKUs(ctx, id); err != nil {
			a.log.Warn("could not fetch the SKU table of a product's category", "category", id, "err", err)
		}
		if _, _, err := a.categoryProperties(ctx, id); err != nil {
			a.log.Warn("could not fetch the properties of a product's category", "category", id, "err", err)
		}
	}
	return len(rows), nil
}

// refreshProduct reads one product back from WeChat after a change and stores it. merchant/get does not
// say whether the product is on sale, so the mirror's status is kept unless status is given.
func (a *App) refreshProduct(ctx context.Context, productID string, status int) error {
	p, err := a.wx.GetProduct(ctx, productID)
	if err != nil {
		return err
	}
	p.ProductID = productID
	if status == 0 {
		if old, err := a.store.Product(ctx, productID); err == nil {
			status = old.Status
		} else if !errors.Is(err, db.ErrNoRecord) {
			return err
		} else {
			status = wx.ProductOffSale
		}
	}
	p.Status = status
	row, err := mirrorProduct(*p)
	if err != nil {
		return err
	}
	return a.store.UpsertProduct(ctx, row)
}

// wxProduct decodes the mirror's copy of WeChat's product.
func wxProduct(row db.Product) (wx.Product, error) {
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

// skuNamer names SKUs ("颜色: 红色 / 尺码: M") from a category's cached SKU table. It never asks WeChat:
// what is not cached is shown by id, and custom values lose their "$".
type skuNamer struct {
	attrs  map[wx.ID]string
	values map[wx.ID]map[wx.ID]string
}

func (a *App) skuNamer(ctx context.Context, cateID string) skuNamer {
	n := skuNamer{attrs: map[wx.ID]string{}, values: map[wx.ID]map[wx.ID]string{}}
	cached, err := a.store.CachedCategory(ctx, cateID, db.CategorySKU)
	if err != nil {
		return n
	}
	var table []wx.SKUAttribute
	if json.Unmarshal(cached.Body, &table) != nil {
		return n
	}
	for _, at := range table {
		n.attrs[at.ID] = at.Name
		n.values[at.ID] = map[wx.ID]string{}
		for _, v := range at.ValueList {
			n.values[at.ID][v.ID] = v.Name
		}
	}
	return n
}

func (n skuNamer) attr(id wx.ID) string {
	if name, ok := n.attrs[id]; ok {
		return name
	}
	return strings.TrimPrefix(string(id), "$")
}

func (n skuNamer) value(attr, id wx.ID) string {
	if name, ok := n.values[attr][id]; ok {
		return name
	}
	return strings.TrimPrefix(string(id), "$")
}

// label names one sku_id; the uniform spec is "" .
func (n skuNamer) label(skuID string) string {
	pairs, err := wx.ParseSKUInfo(skuID)
	if err != nil {
		return skuID
	}
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = n.attr(p.ID) + "：" + n.value(p.ID, p.VID)
	}
	return strings.Join(parts, " / ")
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// locateCategories walks the category tree from the top, breadth first, until every id in want has been seen,
// so pages can name a product's category ("食品 › 零食 › 坚果"). Cached branches cost nothing; at most budget
// branches are fetched from WeChat, which keeps a sync of a shop in a huge tree from turning into a crawl.
func (a *App) locateCategories(ctx context.Context, want map[string]bool, budget int) {
	missing := map[string]bool{}
	for id := range want {
		missing[id] = true
	}
	queue := []string{strconv.Itoa(wx.RootCategoryID)}
	for len(queue) > 0 && len(missing) > 0 {
		id := queue[0]
		queue = queue[1:]
		if _, err := a.store.CachedCategory(ctx, id, db.CategorySub); err != nil {
			if budget == 0 {
				continue
			}
			budget--
		}
		children, _, err := a.subCategories(ctx, id)
		if err != nil {
			a.log.Warn("could not walk the category tree", "category", id, "err", err)
			return
		}
		for _, ch := range children {
			delete(missing, string(ch.ID))
			if !want[string(ch.ID)] {
				queue = append(queue, string(ch.ID))
			}
		}
	}
}
