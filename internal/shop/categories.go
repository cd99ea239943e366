package shop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The category, SKU and property trees come from WeChat one branch at a time, the first time someone opens
// the branch, and are kept in the store: pages never call WeChat for a branch already cached. A refresh replaces
// a branch only when WeChat answers, so a failing WeChat leaves the old copy in place.

// cachedList returns the cached answer for (cateID, kind), fetching and caching it on first use.
func cachedList[T any](ctx context.Context, s *Shop, cateID string, kind db.CategoryKind, fetch func(context.Context, int64) ([]T, error)) ([]T, time.Time, error) {
	cached, err := s.store.CachedCategory(ctx, cateID, kind)
	if err == nil {
		var list []T
		if err := json.Unmarshal(cached.Body, &list); err != nil {
			return nil, time.Time{}, fmt.Errorf("category cache %s/%s: %w", cateID, kind, err)
		}
		return list, cached.FetchedAt, nil
	}
	if !errors.Is(err, db.ErrNoRecord) {
		return nil, time.Time{}, err
	}
	return fetchList(ctx, s, cateID, kind, fetch)
}

// fetchList asks WeChat and caches the answer.
func fetchList[T any](ctx context.Context, s *Shop, cateID string, kind db.CategoryKind, fetch func(context.Context, int64) ([]T, error)) ([]T, time.Time, error) {
	id, err := strconv.ParseInt(cateID, 10, 64)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("category id %q: %w", cateID, err)
	}
	list, err := fetch(ctx, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	if list == nil {
		list = []T{}
	}
	body, err := json.Marshal(list)
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := s.store.CacheCategory(ctx, cateID, kind, body); err != nil {
		return nil, time.Time{}, err
	}
	return list, time.Now(), nil
}

// SubCategories is the children of a category, and when they were fetched.
func (s *Shop) SubCategories(ctx context.Context, cateID string) ([]wx.Category, time.Time, error) {
	return cachedList(ctx, s, cateID, db.CategorySub, s.wx.SubCategories)
}

// CategorySKUs is a leaf category's SKU table, and when it was fetched.
func (s *Shop) CategorySKUs(ctx context.Context, cateID string) ([]wx.SKUAttribute, time.Time, error) {
	return cachedList(ctx, s, cateID, db.CategorySKU, s.wx.CategorySKUs)
}

// CategoryProperties is a leaf category's properties, and when they were fetched.
func (s *Shop) CategoryProperties(ctx context.Context, cateID string) ([]wx.Property, time.Time, error) {
	return cachedList(ctx, s, cateID, db.CategoryProperty, s.wx.CategoryProperties)
}

// RefreshCategory fetches again every answer cached for cateID. Each answer that fails keeps its old copy.
func (s *Shop) RefreshCategory(ctx context.Context, cateID string) error {
	var errs []error
	for _, kind := range []db.CategoryKind{db.CategorySub, db.CategorySKU, db.CategoryProperty} {
		if _, err := s.store.CachedCategory(ctx, cateID, kind); errors.Is(err, db.ErrNoRecord) && kind != db.CategorySub {
			continue // never fetched: nothing to refresh
		}
		var err error
		switch kind {
		case db.CategorySub:
			_, _, err = fetchList(ctx, s, cateID, kind, s.wx.SubCategories)
		case db.CategorySKU:
			_, _, err = fetchList(ctx, s, cateID, kind, s.wx.CategorySKUs)
		case db.CategoryProperty:
			_, _, err = fetchList(ctx, s, cateID, kind, s.wx.CategoryProperties)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// LocateCategories walks the category tree from the top, breadth first, until every id in want has been seen,
// so pages can name a product's category ("食品 › 零食 › 坚果"). Cached branches cost nothing; at most budget
// branches are fetched from WeChat, which keeps a sync of a shop in a huge tree from turning into a crawl.
func (s *Shop) LocateCategories(ctx context.Context, want map[string]bool, budget int) {
	missing := map[string]bool{}
	for id := range want {
		missing[id] = true
	}
	queue := []string{strconv.Itoa(wx.RootCategoryID)}
	for len(queue) > 0 && len(missing) > 0 {
		id := queue[0]
		queue = queue[1:]
		if _, err := s.store.CachedCategory(ctx, id, db.CategorySub); err != nil {
			if budget == 0 {
				continue
			}
			budget--
		}
		children, _, err := s.SubCategories(ctx, id)
		if err != nil {
			s.log.Warn("could not walk the category tree", "category", id, "err", err)
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

// cachedTree is every cached branch: each category's parent and name.
func (s *Shop) cachedTree(ctx context.Context) (map[string]categoryNode, error) {
	lists, err := s.store.CachedSubLists(ctx)
	if err != nil {
		return nil, err
	}
	nodes := map[string]categoryNode{}
	for parent, body := range lists {
		var children []wx.Category
		if json.Unmarshal(body, &children) != nil {
			continue
		}
		for _, ch := range children {
			nodes[string(ch.ID)] = categoryNode{parent, ch.Name}
		}
	}
	return nodes, nil
}

type categoryNode struct{ parent, name string }

// CategoryAncestors returns the ids from the top of the tree down to cateID, from the cache alone; nil when
// the cached tree does not reach it.
func (s *Shop) CategoryAncestors(ctx context.Context, cateID string) []string {
	nodes, err := s.cachedTree(ctx)
	if err != nil {
		return nil
	}
	chain := []string{cateID}
	for id := cateID; ; {
		n, ok := nodes[id]
		if !ok {
			return nil
		}
		if n.parent == strconv.Itoa(wx.RootCategoryID) {
			return chain
		}
		chain = append([]string{n.parent}, chain...)
		id = n.parent
		if len(chain) > 8 {
			return nil
		}
	}
}

// CategoryPath names a category with its ancestors ("服饰鞋包", "女装", "T恤") from the cache alone; an
// uncached category is named by its id.
func (s *Shop) CategoryPath(ctx context.Context, cateID string) []string {
	nodes, err := s.cachedTree(ctx)
	if err != nil {
		return []string{cateID}
	}
	var path []string
	for id, depth := cateID, 0; depth < 10; depth++ {
		n, ok := nodes[id]
		if !ok {
			break
		}
		path = append([]string{n.name}, path...)
		id = n.parent
	}
	if len(path) == 0 {
		return []string{cateID}
	}
	return path
}

// SKUNamer names SKUs ("颜色：红色 / 尺码：M") from a category's SKU table. It never asks WeChat: what is
// not known is shown by id, and custom values lose their "$".
type SKUNamer struct {
	attrs  map[wx.ID]string
	values map[wx.ID]map[wx.ID]string
}

// NamerOf names by the SKU table given.
func NamerOf(table []wx.SKUAttribute) SKUNamer {
	n := SKUNamer{attrs: map[wx.ID]string{}, values: map[wx.ID]map[wx.ID]string{}}
	for _, at := range table {
		n.attrs[at.ID] = at.Name
		n.values[at.ID] = map[wx.ID]string{}
		for _, v := range at.ValueList {
			n.values[at.ID][v.ID] = v.Name
		}
	}
	return n
}

// SKUNamer names by the category's cached SKU table.
func (s *Shop) SKUNamer(ctx context.Context, cateID string) SKUNamer {
	var table []wx.SKUAttribute
	if cached, err := s.store.CachedCategory(ctx, cateID, db.CategorySKU); err == nil {
		if json.Unmarshal(cached.Body, &table) != nil {
			table = nil
		}
	}
	return NamerOf(table)
}

func (n SKUNamer) attr(id wx.ID) string {
	if name, ok := n.attrs[id]; ok {
		return name
	}
	return strings.TrimPrefix(string(id), "$")
}

func (n SKUNamer) value(attr, id wx.ID) string {
	if name, ok := n.values[attr][id]; ok {
		return name
	}
	return strings.TrimPrefix(string(id), "$")
}

// Label names one sku_id; the uniform spec is "".
func (n SKUNamer) Label(skuID string) string {
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

// PropertyNamer names a product's properties ("材质：纯棉") from the category's cached property list.
func (s *Shop) PropertyNamer(ctx context.Context, cateID string) func(wx.ProductProperty) string {
	names := map[wx.ID]string{}
	values := map[wx.ID]string{}
	if cached, err := s.store.CachedCategory(ctx, cateID, db.CategoryProperty); err == nil {
		var props []wx.Property
		if json.Unmarshal(cached.Body, &props) == nil {
			for _, p := range props {
				names[p.ID] = p.Name
				for _, v := range p.PropertyValue {
					values[p.ID+":"+v.ID] = v.Name
				}
			}
		}
	}
	return func(pp wx.ProductProperty) string {
		name, ok := names[pp.ID]
		if !ok {
			name = string(pp.ID)
		}
		value, ok := values[pp.ID+":"+pp.VID]
		if !ok {
			value = strings.TrimPrefix(string(pp.VID), "$")
		}
		return name + "：" + value
	}
}

// RootCategory is the id of the top of WeChat's category tree.
var RootCategory = strconv.Itoa(wx.RootCategoryID)

// RefreshCategories fetches again the branch cateID, or every cached branch when cateID is "" (the top when
// none is cached yet), and audits it; it answers how many branches it asked for. A branch that fails keeps
// its old copy, and the first failure is returned.
func (s *Shop) RefreshCategories(ctx context.Context, j Journal, cateID string) (int, error) {
	ids, object := []string{cateID}, cateID
	if cateID == "" {
		var err error
		if ids, err = s.store.CachedCategoryIDs(ctx); err != nil {
			return 0, storeErr(err)
		}
		if len(ids) == 0 {
			ids = []string{RootCategory}
		}
		object = "all"
	}
	var failed error
	for _, id := range ids {
		if err := s.RefreshCategory(ctx, id); err != nil && failed == nil {
			failed = err
		}
	}
	j(db.AuditEntry{Action: "category.refresh", ObjectType: "category", ObjectID: object,
		Detail: fmt.Sprintf("%d branches", len(ids)), Outcome: Outcome(failed)})
	return len(ids), failed
}
