package shop

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// A 微信小店's category trees and leaf details, cached in the store like the V1.13 trees (category_cache, under
// ids written "store:<cat_id>" so the two never meet), its valid brands and the national region names.

const storeCategoryTTL = 24 * time.Hour

// ErrNoSuchCategory is a path of ids that is not a category path of the shop.
var ErrNoSuchCategory = errors.New("shop: not a category path of the shop")

// StoreSubCategories are the usable children of parent ("0" the top): V2 in the new tree, Old in the 3-level
// one.
func (s *Shop) StoreSubCategories(ctx context.Context, parent string) (*StoreSubCategories, error) {
	var out wx.StoreSubCategories
	err := s.cachedStore(ctx, "store:"+parent, db.CategorySub, &out, func() (any, error) {
		return s.wx.StoreSubCategories(ctx, wx.ID(parent))
	})
	return &out, err
}

// StoreCategoryDetail is the attributes and rules of a leaf.
func (s *Shop) StoreCategoryDetail(ctx context.Context, leaf string) (*StoreCategoryDetail, error) {
	var out wx.StoreCategoryDetail
	err := s.cachedStore(ctx, "store:"+leaf, db.CategoryProperty, &out, func() (any, error) {
		return s.wx.StoreCategoryDetail(ctx, wx.ID(leaf))
	})
	return &out, err
}

// cachedStore reads key from the category cache while it is fresh, else asks WeChat and keeps the answer.
func (s *Shop) cachedStore(ctx context.Context, key string, kind db.CategoryKind, out any, fetch func() (any, error)) error {
	if c, err := s.store.CachedCategory(ctx, key, kind); err == nil && time.Since(c.FetchedAt) < storeCategoryTTL {
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
	if err := s.store.CacheCategory(ctx, key, kind, body); err != nil {
		return err
	}
	return json.Unmarshal(body, out)
}

// StoreBrands are the brands the shop may use, every page of them.
func (s *Shop) StoreBrands(ctx context.Context) ([]StoreBrand, error) {
	var out []wx.StoreBrand
	next := ""
	for range 50 {
		page, err := s.wx.StoreValidBrands(ctx, 100, next)
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

// StoreCategoryPath resolves a path of ids to their categories, reading each level's children (either tree);
// ErrNoSuchCategory when an id is not a child of the one before.
func (s *Shop) StoreCategoryPath(ctx context.Context, ids []string) ([]StoreCategory, error) {
	var out []wx.StoreCategory
	parent := "0"
	for _, id := range ids {
		subs, err := s.StoreSubCategories(ctx, parent)
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
			return out, ErrNoSuchCategory
		}
		parent = id
	}
	return out, nil
}

// Provinces are the national province names (basics/addresscode/get), cached like the category tree; nil
// when WeChat cannot say.
func (s *Shop) Provinces(ctx context.Context) []string {
	var ans wx.RegionChildren
	err := s.cachedStore(ctx, "store:regions", db.CategorySub, &ans, func() (any, error) { return s.wx.Regions(ctx, 0) })
	if err != nil {
		s.log.Warn("could not read the national region names", "err", err)
		return nil
	}
	var out []string
	for _, r := range ans.NextLevelAddrs {
		out = append(out, r.Name)
	}
	return out
}

// IsOldTree says whether level1 is a level-1 category of the old 3-level tree (a product's cats) rather than
// of the new one (cats_v2). Both trees are offered while WeChat moves shops to the new one; a product the
// new tree has no place for still goes under the old.
func (s *Shop) IsOldTree(ctx context.Context, level1 string) bool {
	root, err := s.StoreSubCategories(ctx, "0")
	if err != nil {
		return false
	}
	for _, c := range root.Old {
		if string(c.CatID) == level1 {
			return true
		}
	}
	return false
}

// OldTreeLevels is how many levels a path of the old tree has, exactly.
const OldTreeLevels = 3

// foodWords name the level-1 categories of food, drink and fresh produce, whose products need at least 4 head
// images and 3 detail images [inferred: the add page states the rule for 食品饮料 and 生鲜 categories, but
// category/detail carries no flag for it, so the level-1 category's name tells].
var foodWords = []string{"食品", "饮料", "生鲜", "酒水", "粮油", "茶叶", "水果", "蔬菜", "肉", "水产", "乳品", "保健"}

// FoodCategory says whether a category path (level 1 first) is one of food, drink or fresh produce.
func FoodCategory(path []StoreCategory) bool {
	if len(path) == 0 {
		return false
	}
	for _, w := range foodWords {
		if strings.Contains(path[0].Name, w) {
			return true
		}
	}
	return false
}

// StoreMinDescImgsFood is how many detail images a product of food, drink or fresh produce needs.
const StoreMinDescImgsFood = 3

// RegionGroup is a province and its cities (for a 直辖市, its districts), by their national standard names.
type RegionGroup struct {
	Province string
	Cities   []RegionCity
}

// RegionCity is a city and, once asked for (WithCounties), its counties (区县).
type RegionCity struct {
	Name     string
	Code     int64
	Counties []string
}

// RegionTree is the national regions to the city level (basics/addresscode/get, each level cached like the
// category tree); a city's counties are read only for the cities a page needs them for (WithCounties), so
// the editor does not list some 3 000 counties in each rule. nil when WeChat cannot say.
func (s *Shop) RegionTree(ctx context.Context) []RegionGroup {
	var root wx.RegionChildren
	if err := s.cachedStore(ctx, "store:regions", db.CategorySub, &root, func() (any, error) { return s.wx.Regions(ctx, 0) }); err != nil {
		s.log.Warn("could not read the national region names", "err", err)
		return nil
	}
	out := make([]RegionGroup, 0, len(root.NextLevelAddrs))
	for _, p := range root.NextLevelAddrs {
		g := RegionGroup{Province: p.Name}
		cities, _ := s.regionChildren(ctx, p)
		for _, c := range cities {
			g.Cities = append(g.Cities, RegionCity{Name: c.Name, Code: int64(c.Code)})
		}
		out = append(out, g)
	}
	return out
}

// regionChildren is basics/addresscode/get one level below r, cached; ok is false when WeChat could not say.
func (s *Shop) regionChildren(ctx context.Context, r wx.Region) (_ []wx.Region, ok bool) {
	var ans wx.RegionChildren
	key := "store:regions:" + strconv.FormatInt(int64(r.Code), 10)
	if err := s.cachedStore(ctx, key, db.CategorySub, &ans, func() (any, error) { return s.wx.Regions(ctx, int64(r.Code)) }); err != nil {
		s.log.Warn("could not read a region's subdivisions", "region", r.Name, "err", err)
		return nil, false
	}
	return ans.NextLevelAddrs, true
}

// WithCounties fills in the counties of each city one of the form's regions names (a city, or a county of
// it), read from WeChat once and cached.
func (s *Shop) WithCounties(ctx context.Context, tree []RegionGroup, regions ...[]string) []RegionGroup {
	for _, list := range regions {
		for _, v := range list {
			a := RegionAddress(v)
			if a.CityName == "" {
				continue
			}
			for i := range tree {
				if tree[i].Province != a.ProvinceName {
					continue
				}
				for j := range tree[i].Cities {
					c := &tree[i].Cities[j]
					if c.Name != a.CityName || c.Counties != nil {
						continue
					}
					counties, ok := s.regionChildren(ctx, wx.Region{Name: c.Name, Code: wx.FlexInt(c.Code)})
					if ok {
						c.Counties = []string{}
					}
					for _, county := range counties {
						c.Counties = append(c.Counties, county.Name)
					}
				}
			}
		}
	}
	return tree
}

// A region in a form is its province's name, "province/city" or "province/city/county".
const regionSep = "/"

// RegionValue writes a region as a form holds it.
func RegionValue(a FreightAddress) string {
	switch {
	case a.CityName == "":
		return a.ProvinceName
	case a.CountyName == "":
		return a.ProvinceName + regionSep + a.CityName
	}
	return a.ProvinceName + regionSep + a.CityName + regionSep + a.CountyName
}

// RegionAddress reads a region as a form holds it.
func RegionAddress(v string) FreightAddress {
	prov, rest, _ := strings.Cut(v, regionSep)
	city, county, _ := strings.Cut(rest, regionSep)
	return FreightAddress{ProvinceName: strings.TrimSpace(prov), CityName: strings.TrimSpace(city), CountyName: strings.TrimSpace(county)}
}

// KnownRegion says whether the form's region v is one of tree's (a county: one of its city's, as WithCounties
// filled them in); any is known when the tree or the city's counties could not be read (WeChat then judges,
// 10021054).
func KnownRegion(tree []RegionGroup, v string) bool {
	if len(tree) == 0 {
		return true
	}
	a := RegionAddress(v)
	for _, g := range tree {
		if g.Province != a.ProvinceName {
			continue
		}
		if a.CityName == "" {
			return a.CountyName == ""
		}
		for _, c := range g.Cities {
			if c.Name == a.CityName {
				return a.CountyName == "" || c.Counties == nil || slices.Contains(c.Counties, a.CountyName)
			}
		}
		return false
	}
	return false
}
