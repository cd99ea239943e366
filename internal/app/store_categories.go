package app

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// A 微信小店's category tree and leaf details, cached in SQLite like the V1.13 trees (category_cache, under
// ids written "store:<cat_id>" so the two trees never meet), and its valid brands.

const storeCategoryTTL = 24 * time.Hour

// storeSubCategories are the usable children of parent ("0" the top), new tree first.
func (a *App) storeSubCategories(ctx context.Context, parent string) (*wx.StoreSubCategories, error) {
	var out wx.StoreSubCategories
	err := a.cachedStore(ctx, "store:"+parent, db.CategorySub, &out, func() (any, error) {
		return a.wx.StoreSubCategories(ctx, wx.ID(parent))
	})
	return &out, err
}

// storeCategoryDetail is the attributes and rules of a leaf.
func (a *App) storeCategoryDetail(ctx context.Context, leaf string) (*wx.StoreCategoryDetail, error) {
	var out wx.StoreCategoryDetail
	err := a.cachedStore(ctx, "store:"+leaf, db.CategoryProperty, &out, func() (any, error) {
		return a.wx.StoreCategoryDetail(ctx, wx.ID(leaf))
	})
	return &out, err
}

func (a *App) cachedStore(ctx context.Context, key string, kind db.CategoryKind, out any, fetch func() (any, error)) error {
	if c, err := a.store.CachedCategory(ctx, key, kind); err == nil && time.Since(c.FetchedAt) < storeCategoryTTL {
		if json.Unmarshal(c.Body, out) == nil {
			return nil
		}
	} else if err != nil && !errors.Is(err, db.ErrNoRecord) {
		return err
	}
	v, err := fetch()
	if err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := a.store.CacheCategory(ctx, key, kind, body); err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}

// storeBrands are the brands the shop may use, every page of them.
func (a *App) storeBrands(ctx context.Context) ([]wx.StoreBrand, error) {
	var out []wx.StoreBrand
	next := ""
	for range 50 {
		page, err := a.wx.StoreValidBrands(ctx, 100, next)
		if err != nil {
			return out, err
		}
		out = append(out, page.Brands...)
		if !page.ContinueFlag || page.NextKey == "" || page.NextKey == next {
			break
		}
		next = page.NextKey
	}
	return out, nil
}

// storeCategoryPath resolves a path of ids to their names, reading each level's siblings.
func (a *App) storeCategoryPath(ctx context.Context, ids []string) ([]wx.StoreCategory, error) {
	var out []wx.StoreCategory
	parent := "0"
	for _, id := range ids {
		subs, err := a.storeSubCategories(ctx, parent)
		if err != nil {
			return nil, err
		}
		found := false
		for _, c := range append(subs.V2, subs.Old...) {
			if string(c.CatID) == id {
				out = append(out, c)
				found = true
				break
			}
		}
		if !found {
			return out, errNoSuchCategory
		}
		parent = id
	}
	return out, nil
}

var errNoSuchCategory = errors.New("app: not a category path of the shop")
