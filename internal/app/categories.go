package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The category, SKU and property trees come from WeChat one branch at a time, the first time someone opens
// the branch, and are kept in SQLite: pages never call WeChat for a branch already cached. A refresh replaces a
// branch only when WeChat answers, so a failing WeChat leaves the old copy in place.

// cachedList returns the cached answer for (cateID, kind), fetching and caching it on first use.
func cachedList[T any](ctx context.Context, a *App, cateID string, kind db.CategoryKind, fetch func(context.Context, int64) ([]T, error)) ([]T, time.Time, error) {
	cached, err := a.store.CachedCategory(ctx, cateID, kind)
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
	return fetchList(ctx, a, cateID, kind, fetch)
}

// fetchList asks WeChat and caches the answer.
func fetchList[T any](ctx context.Context, a *App, cateID string, kind db.CategoryKind, fetch func(context.Context, int64) ([]T, error)) ([]T, time.Time, error) {
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
	if err := a.store.CacheCategory(ctx, cateID, kind, body); err != nil {
		return nil, time.Time{}, err
	}
	return list, time.Now(), nil
}

func (a *App) subCategories(ctx context.Context, cateID string) ([]wx.Category, time.Time, error) {
	return cachedList(ctx, a, cateID, db.CategorySub, a.wx.SubCategories)
}

func (a *App) categorySKUs(ctx context.Context, cateID string) ([]wx.SKUAttribute, time.Time, error) {
	return cachedList(ctx, a, cateID, db.CategorySKU, a.wx.CategorySKUs)
}

func (a *App) categoryProperties(ctx context.Context, cateID string) ([]wx.Property, time.Time, error) {
	return cachedList(ctx, a, cateID, db.CategoryProperty, a.wx.CategoryProperties)
}

// refreshCategory fetches again every answer cached for cateID. Each answer that fails keeps its old copy.
func (a *App) refreshCategory(ctx context.Context, cateID string) error {
	var errs []error
	for _, kind := range []db.CategoryKind{db.CategorySub, db.CategorySKU, db.CategoryProperty} {
		if _, err := a.store.CachedCategory(ctx, cateID, kind); errors.Is(err, db.ErrNoRecord) && kind != db.CategorySub {
			continue // never fetched: nothing to refresh
		}
		var err error
		switch kind {
		case db.CategorySub:
			_, _, err = fetchList(ctx, a, cateID, kind, a.wx.SubCategories)
		case db.CategorySKU:
			_, _, err = fetchList(ctx, a, cateID, kind, a.wx.CategorySKUs)
		case db.CategoryProperty:
			_, _, err = fetchList(ctx, a, cateID, kind, a.wx.CategoryProperties)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// categoryView builds what the page shows for one category: its children, or, for a leaf, its SKU table and
// properties. A WeChat failure becomes a note on the view, never a failed page.
func (a *App) categoryView(c *gin.Context, cateID string) templates.CategoryView {
	ctx := c.Request.Context()
	p := a.printer(c)
	v := templates.CategoryView{ID: cateID, IsAdmin: Role(currentUser(c).Role) == RoleAdmin}
	children, fetched, err := a.subCategories(ctx, cateID)
	if err != nil {
		v.Error = wxMessage(p, err)
		return v
	}
	v.FetchedAt = templates.FormatTime(fetched)
	for _, ch := range children {
		v.Children = append(v.Children, templates.CategoryNode{ID: string(ch.ID), Name: ch.Name})
	}
	if len(children) > 0 {
		return v
	}
	v.Leaf = true
	skus, _, err := a.categorySKUs(ctx, cateID)
	if err != nil {
		v.Error = wxMessage(p, err)
		return v
	}
	for _, s := range skus {
		attr := templates.CategoryAttr{ID: string(s.ID), Name: s.Name}
		for _, val := range s.ValueList {
			attr.Values = append(attr.Values, val.Name)
		}
		v.SKUs = append(v.SKUs, attr)
	}
	props, _, err := a.categoryProperties(ctx, cateID)
	if err != nil {
		v.Error = wxMessage(p, err)
		return v
	}
	for _, pr := range props {
		attr := templates.CategoryAttr{ID: string(pr.ID), Name: pr.Name}
		for _, val := range pr.PropertyValue {
			attr.Values = append(attr.Values, val.Name)
		}
		v.Properties = append(v.Properties, attr)
	}
	return v
}

func (a *App) showCategories(c *gin.Context) {
	root := a.categoryView(c, strconv.Itoa(wx.RootCategoryID))
	a.render(c, http.StatusOK, templates.CategoriesPage(a.page(c, "title.categories", "categories"), root, nil))
}

// showCategory answers one branch: the fragment for htmx, a page of its own otherwise.
func (a *App) showCategory(c *gin.Context) {
	id := c.Param("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		a.renderError(c, http.StatusNotFound)
		return
	}
	v := a.categoryView(c, id)
	if c.GetHeader("HX-Request") == "true" {
		a.render(c, http.StatusOK, templates.CategoryBranch(v))
		return
	}
	a.render(c, http.StatusOK, templates.CategoriesPage(a.page(c, "title.categories", "categories"), v, nil))
}

// refreshCategories refreshes one branch (id set) or every cached branch.
func (a *App) refreshCategories(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	ids := []string{c.Param("id")}
	if ids[0] == "" {
		var err error
		if ids, err = a.store.CachedCategoryIDs(ctx); err != nil {
			a.serverError(c, err)
			return
		}
		if len(ids) == 0 {
			ids = []string{strconv.Itoa(wx.RootCategoryID)}
		}
	}
	var failed error
	for _, id := range ids {
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			a.renderError(c, http.StatusNotFound)
			return
		}
		if err := a.refreshCategory(ctx, id); err != nil && failed == nil {
			failed = err
		}
	}
	object := c.Param("id")
	if object == "" {
		object = "all"
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "category.refresh", ObjectType: "category", ObjectID: object,
		Detail: fmt.Sprintf("%d branches", len(ids)), Outcome: wxOutcome(failed)})
	if failed != nil {
		a.flash(c, "error", p.T("categories.refresh.failed", wxMessage(p, failed)))
	} else {
		a.flash(c, "ok", p.T("categories.refreshed", len(ids)))
	}
	back := "/categories"
	if c.Param("id") != "" {
		back += "/" + c.Param("id")
	}
	a.redirect(c, back)
}

// categoryPath names a category with its ancestors ("服饰鞋包 › 女装 › T恤") from the cache alone; an
// uncached category is shown by its id.
func (a *App) categoryPath(ctx context.Context, cateID string) []string {
	lists, err := a.store.CachedSubLists(ctx)
	if err != nil {
		return []string{cateID}
	}
	type node struct{ parent, name string }
	nodes := map[string]node{}
	for parent, body := range lists {
		var children []wx.Category
		if json.Unmarshal(body, &children) != nil {
			continue
		}
		for _, ch := range children {
			nodes[string(ch.ID)] = node{parent, ch.Name}
		}
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

func (a *App) categoryName(c *gin.Context, cateID string) string {
	if cateID == "" {
		return "—"
	}
	return strings.Join(a.categoryPath(c.Request.Context(), cateID), " › ")
}

// propertyNamer names a product's properties from the category's cached property list.
func (a *App) propertyNamer(c *gin.Context, cateID string) func(wx.ProductProperty) string {
	names := map[wx.ID]string{}
	values := map[wx.ID]string{}
	if cached, err := a.store.CachedCategory(c.Request.Context(), cateID, db.CategoryProperty); err == nil {
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
