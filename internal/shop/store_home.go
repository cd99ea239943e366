package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// A 微信小店's home page: its shop categories (店铺首页分类), a two-level tree set as a whole under the version
// it was read at, each category holding up to 500 products; and its window (橱窗), where products are
// reordered, pinned and hidden.

// ErrTreeChanged is a tree saved under a version that is no longer WeChat's: someone changed it meanwhile.
var ErrTreeChanged = errors.New("shop: the shop categories changed meanwhile")

// ShopCategoryTree reads the tree and its version.
func (s *Shop) ShopCategoryTree(ctx context.Context) (*ShopCategoryTree, error) {
	return s.wx.ShopCategoryTree(ctx)
}

// SaveShopCategoryTree sets the whole tree (level1, and the ids whose products are let go) under the version
// it was read at. A tree changed meanwhile is ErrTreeChanged, before the write when the version read now
// differs, or after WeChat's refusal when it does then: WeChat's pages name no code for a stale version.
func (s *Shop) SaveShopCategoryTree(ctx context.Context, j Journal, version int64, level1 []ShopCategory, deleted []string) error {
	if now, err := s.wx.ShopCategoryTree(ctx); err != nil {
		return err
	} else if now.Version != version {
		return ErrTreeChanged
	}
	err := s.wx.SetShopCategoryTree(ctx, version, level1, deleted)
	if err != nil && !wx.Temporary(err) && ctx.Err() == nil {
		if now, rerr := s.wx.ShopCategoryTree(ctx); rerr == nil && now.Version != version {
			j(db.AuditEntry{Action: "shopcats.update", ObjectType: "shopcats", ObjectID: "tree", Detail: fmt.Sprintf("version %d", version), Outcome: Outcome(err)})
			return ErrTreeChanged
		}
	}
	j(db.AuditEntry{Action: "shopcats.update", ObjectType: "shopcats", ObjectID: "tree",
		Detail: fmt.Sprintf("version %d, %d categories, %d deleted", version, len(level1), len(deleted)), Outcome: Outcome(err)})
	return err
}

// ShopCategoryProductIDs are the products of a category (level2 0: the level-1 category itself), every page
// of them (at most 500).
func (s *Shop) ShopCategoryProductIDs(ctx context.Context, level1, level2 int64) ([]string, error) {
	var out []string
	pc := ""
	for range 20 {
		page, err := s.wx.ShopCategoryProducts(ctx, level1, level2, 50, pc)
		if err != nil {
			return out, err
		}
		for _, id := range page.ProductIDs {
			out = append(out, string(id))
		}
		if page.PageContext == "" || page.PageContext == pc {
			break
		}
		pc = page.PageContext
	}
	return out, nil
}

// ChangeShopCategoryProducts adds (op "add") or removes (op "del") products of a category, audited. A category
// holds at most 500: adding beyond is refused first.
func (s *Shop) ChangeShopCategoryProducts(ctx context.Context, j Journal, p i18n.Printer, level1, level2 int64, op string, ids []string) error {
	if len(ids) == 0 {
		return refuse(p.T("products.bulk.none"))
	}
	wids := make([]wx.ID, 0, len(ids))
	for _, id := range ids {
		wids = append(wids, wx.ID(id))
	}
	var err error
	switch op {
	case "add":
		if have, herr := s.ShopCategoryProductIDs(ctx, level1, level2); herr == nil && len(have)+len(ids) > wx.MaxShopCategoryProducts {
			return refuse(p.T("shopcats.err.full", wx.MaxShopCategoryProducts))
		}
		err = s.wx.AddShopCategoryProducts(ctx, level1, level2, wids)
	case "del":
		err = s.wx.RemoveShopCategoryProducts(ctx, level1, level2, wids)
	default:
		return fmt.Errorf("shop: no shop category change %q", op)
	}
	j(db.AuditEntry{Action: "shopcats." + op, ObjectType: "shopcats", ObjectID: fmt.Sprintf("%d.%d", level1, level2),
		Detail: fmt.Sprintf("%d products", len(ids)), Outcome: Outcome(err)})
	return err
}

// WindowProducts is the whole window in WeChat's order.
func (s *Shop) WindowProducts(ctx context.Context) ([]WindowProduct, error) {
	var out []wx.WindowProduct
	next := ""
	for range 50 {
		page, err := s.wx.WindowProducts(ctx, 50, next)
		if err != nil {
			return out, err
		}
		out = append(out, page.Products...)
		if page.NextKey == "" || page.NextKey == next || len(page.Products) == 0 {
			break
		}
		next = page.NextKey
	}
	return out, nil
}

// WindowOps are the window's changes: up, down, move (to a place, 1 first), top, untop, hide, show.
var WindowOps = []string{"up", "down", "move", "top", "untop", "hide", "show"}

// ErrNotInWindow is a product the window does not show.
var ErrNotInWindow = errors.New("shop: the product is not in the window")

// ChangeWindow makes one change to the window's product id, audited; place is where "move" puts it (1 first).
func (s *Shop) ChangeWindow(ctx context.Context, j Journal, p i18n.Printer, id, op string, place int) error {
	if !slices.Contains(WindowOps, op) {
		return fmt.Errorf("shop: no window change %q", op)
	}
	list, err := s.WindowProducts(ctx)
	if err != nil {
		return err
	}
	at := slices.IndexFunc(list, func(w wx.WindowProduct) bool { return string(w.ProductID) == id })
	if at < 0 {
		return ErrNotInWindow
	}
	detail := op
	switch op {
	case "up", "down", "move":
		to := at - 1
		if op == "down" {
			to = at + 1
		}
		if op == "move" {
			if place < 1 || place > len(list) {
				return refuse(p.T("window.err.index", len(list)))
			}
			to = place - 1
		}
		to = max(0, min(to, len(list)-1))
		detail = strconv.Itoa(at+1) + " → " + strconv.Itoa(to+1)
		err = s.wx.ReorderWindowProduct(ctx, wx.ID(id), to)
	case "top", "untop":
		err = s.wx.PinWindowProduct(ctx, wx.ID(id), op == "top")
	case "hide", "show":
		err = s.wx.HideWindowProduct(ctx, wx.ID(id), op == "hide")
	}
	j(db.AuditEntry{Action: "window.change", ObjectType: "product", ObjectID: id, Detail: detail, Outcome: Outcome(err)})
	return err
}
