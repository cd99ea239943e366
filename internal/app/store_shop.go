package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// A 微信小店's home page: its shop categories (店铺首页分类, /shop-categories), a two-level tree edited as a whole
// under the version it was read at, each category holding up to 500 products; and its window (橱窗, /window),
// where products are reordered, pinned and hidden, with a phone-sized preview in WeChat's order.

func (a *App) showShopCategories(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	tree, err := a.shop.ShopCategoryTree(ctx)
	v := templates.ShopCategoriesView{CanWrite: canWrite(Role(currentUser(c).Role))}
	if err != nil {
		v.Error = wxMessage(p, err)
	} else {
		v.Version = strconv.FormatInt(tree.Version, 10)
		for _, l1 := range tree.Level1 {
			row := templates.ShopCategoryRow{ID: l1.ID, Name: l1.Name, Displayed: l1.IsDisplayed, Count: a.shopCategoryCount(ctx, l1.ID, 0)}
			for _, l2 := range l1.Level2 {
				row.Children = append(row.Children, templates.ShopCategoryRow{ID: l2.ID, Parent: l1.ID, Name: l2.Name,
					Displayed: l2.IsDisplayed, Count: a.shopCategoryCount(ctx, l1.ID, l2.ID)})
			}
			v.Rows = append(v.Rows, row)
		}
	}
	a.render(c, http.StatusOK, templates.ShopCategoriesPage(a.page(c, "title.shopcats", "shopcats"), v))
}

func (a *App) shopCategoryCount(ctx context.Context, l1, l2 int64) int {
	ids, _ := a.shop.ShopCategoryProductIDs(ctx, l1, l2)
	return len(ids)
}

// The shop-category rules of tree/set: at most 20 categories a level, names of at most 20 characters, and a
// hidden level-1 category hides its children too.
const (
	maxShopCategoriesPerLevel = 20
	maxShopCategoryName       = 20
)

// saveShopCategories sets the whole tree from the form: names, displayed, deletions and additions, under the
// version the page was read at. What breaks the rules comes back beside its field with 422, as typed; a
// change made meanwhile elsewhere reloads the tree and says so.
func (a *App) saveShopCategories(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	version, _ := strconv.ParseInt(c.PostForm("version"), 10, 64)
	current, err := a.shop.ShopCategoryTree(ctx)
	if err != nil {
		a.flash(c, "error", wxMessage(p, err))
		a.redirect(c, "/shop-categories")
		return
	}
	v := templates.ShopCategoriesView{Version: c.PostForm("version"), New: strings.TrimSpace(c.PostForm("new")), Errors: templates.FieldErrors{}, CanWrite: true}
	typed := func(key, name string, id, parent int64) templates.ShopCategoryRow {
		return templates.ShopCategoryRow{ID: id, Parent: parent, Name: strings.TrimSpace(c.DefaultPostForm("name."+key, name)),
			Displayed: c.PostForm("shown."+key) == "1", Deleted: c.PostForm("del."+key) == "1"}
	}
	for _, l1 := range current.Level1 {
		key := strconv.FormatInt(l1.ID, 10)
		row := typed(key, l1.Name, l1.ID, 0)
		row.NewSub = strings.TrimSpace(c.PostForm("new." + key))
		for _, l2 := range l1.Level2 {
			row.Children = append(row.Children, typed(key+"."+strconv.FormatInt(l2.ID, 10), l2.Name, l2.ID, l1.ID))
		}
		v.Rows = append(v.Rows, row)
	}
	level1, deleted := shopCategoryTree(p, &v)
	if len(v.Errors) > 0 || slices.ContainsFunc(v.Rows, rowHasProblem) {
		for i, r := range v.Rows {
			v.Rows[i].Count = a.shopCategoryCount(ctx, r.ID, 0)
			for j, ch := range r.Children {
				v.Rows[i].Children[j].Count = a.shopCategoryCount(ctx, r.ID, ch.ID)
			}
		}
		a.render(c, http.StatusUnprocessableEntity, templates.ShopCategoriesPage(a.page(c, "title.shopcats", "shopcats"), v))
		return
	}
	switch err := a.shop.SaveShopCategoryTree(ctx, a.journalOf(c), version, level1, deleted); {
	case errors.Is(err, shop.ErrTreeChanged):
		a.flash(c, "error", p.T("shopcats.conflict"))
	case err != nil:
		a.flash(c, "error", wxMessage(p, err))
	default:
		a.flash(c, "ok", p.T("common.saved"))
	}
	a.redirect(c, "/shop-categories")
}

func rowHasProblem(r templates.ShopCategoryRow) bool {
	return r.Problem != "" || slices.ContainsFunc(r.Children, rowHasProblem)
}

// shopCategoryTree checks the tree as typed in v against the rules, marking each problem beside its row or
// field, and builds what tree/set sends: the categories kept, and the ids whose products are let go.
func shopCategoryTree(p interface{ T(string, ...any) string }, v *templates.ShopCategoriesView) ([]shop.ShopCategory, []string) {
	nameProblem := func(name string) string {
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			return p.T("shopcats.err.name")
		case n > maxShopCategoryName:
			return p.T("shopcats.err.long", maxShopCategoryName)
		}
		return ""
	}
	var level1 []shop.ShopCategory
	var deleted []string
	for i := range v.Rows {
		r := &v.Rows[i]
		key := strconv.FormatInt(r.ID, 10)
		if r.Deleted {
			deleted = append(deleted, key)
			continue
		}
		r.Problem = nameProblem(r.Name)
		cat := shop.ShopCategory{ID: r.ID, Name: r.Name, IsDisplayed: r.Displayed}
		for j := range r.Children {
			ch := &r.Children[j]
			if ch.Deleted {
				deleted = append(deleted, key+"."+strconv.FormatInt(ch.ID, 10))
				continue
			}
			ch.Problem = nameProblem(ch.Name)
			if ch.Problem == "" && ch.Displayed && !r.Displayed {
				ch.Problem = p.T("shopcats.err.hidden")
			}
			cat.Level2 = append(cat.Level2, shop.ShopSubCategory{ID: ch.ID, Name: ch.Name, IsDisplayed: ch.Displayed})
		}
		if r.NewSub != "" {
			if msg := nameProblem(r.NewSub); msg != "" {
				v.Errors["new."+key] = msg
			}
			cat.Level2 = append(cat.Level2, shop.ShopSubCategory{Name: r.NewSub, IsDisplayed: r.Displayed})
		}
		if len(cat.Level2) > maxShopCategoriesPerLevel {
			v.Errors["new."+key] = p.T("shopcats.err.many", maxShopCategoriesPerLevel)
		}
		level1 = append(level1, cat)
	}
	if v.New != "" {
		if msg := nameProblem(v.New); msg != "" {
			v.Errors["new"] = msg
		}
		level1 = append(level1, shop.ShopCategory{Name: v.New, IsDisplayed: true})
	}
	if len(level1) > maxShopCategoriesPerLevel {
		v.Errors["tree"] = p.T("shopcats.err.many", maxShopCategoriesPerLevel)
	}
	return level1, deleted
}

func shopCategoryParams(c *gin.Context) (int64, int64, bool) {
	l1, err1 := strconv.ParseInt(c.Param("l1"), 10, 64)
	l2, err2 := strconv.ParseInt(c.Param("l2"), 10, 64)
	return l1, l2, err1 == nil && err2 == nil && l1 > 0 && l2 >= 0
}

// showShopCategory is a category's products, and the shop's other products to add.
func (a *App) showShopCategory(c *gin.Context) {
	ctx := c.Request.Context()
	l1, l2, ok := shopCategoryParams(c)
	if !ok {
		a.renderError(c, http.StatusNotFound)
		return
	}
	v := templates.ShopCategoryView{L1: l1, L2: l2, CanWrite: canWrite(Role(currentUser(c).Role))}
	tree, err := a.shop.ShopCategoryTree(ctx)
	if err != nil {
		a.flash(c, "error", wxMessage(a.printer(c), err))
		a.redirect(c, "/shop-categories")
		return
	}
	for _, c1 := range tree.Level1 {
		if c1.ID != l1 {
			continue
		}
		v.Name = c1.Name
		for _, c2 := range c1.Level2 {
			if c2.ID == l2 {
				v.Name += " › " + c2.Name
			}
		}
	}
	if v.Name == "" {
		a.renderError(c, http.StatusNotFound)
		return
	}
	ids, err := a.shop.ShopCategoryProductIDs(ctx, l1, l2)
	if err != nil {
		v.Error = wxMessage(a.printer(c), err)
	}
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
		title := id
		if row, err := a.store.StoreProductByID(ctx, id); err == nil {
			title = row.Title
		}
		v.Products = append(v.Products, templates.Option{Value: id, Label: title})
	}
	all, _, err := a.store.StoreProducts(ctx, db.StoreTabAll, "", 500, 0)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, r := range all {
		if !in[r.ProductID] {
			v.Others = append(v.Others, templates.Option{Value: r.ProductID, Label: r.Title})
		}
	}
	a.render(c, http.StatusOK, templates.ShopCategoryPage(a.page(c, "title.shopcats", "shopcats"), v))
}

// changeShopCategoryProducts adds (op=add) or removes (op=del) the chosen products.
func (a *App) changeShopCategoryProducts(c *gin.Context) {
	p := a.printer(c)
	l1, l2, ok := shopCategoryParams(c)
	op := c.PostForm("op")
	if !ok {
		a.renderError(c, http.StatusNotFound)
		return
	}
	if op != "add" && op != "del" {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	ids := c.PostFormArray("id")
	if err := a.shop.ChangeShopCategoryProducts(c.Request.Context(), a.journalOf(c), p, l1, l2, op, ids); err != nil {
		a.flash(c, "error", wxMessage(p, err))
	} else {
		a.flash(c, "ok", p.T("shopcats.done."+op, len(ids)))
	}
	a.redirect(c, fmt.Sprintf("/shop-categories/%d/%d", l1, l2))
}

func (a *App) showWindow(c *gin.Context) {
	ctx := c.Request.Context()
	v := templates.WindowView{CanWrite: canWrite(Role(currentUser(c).Role))}
	list, err := a.shop.WindowProducts(ctx)
	if err != nil {
		v.Error = wxMessage(a.printer(c), err)
	}
	for i, w := range list {
		row := templates.WindowRow{ID: string(w.ProductID), Index: i, Top: bool(w.IsSetTop), Hidden: bool(w.IsSetHide), Title: string(w.ProductID)}
		if r, err := a.store.StoreProductByID(ctx, string(w.ProductID)); err == nil {
			row.Title, row.Img, row.Price = r.Title, r.HeadImg, money.Yuan(r.MinPrice)
		}
		v.Rows = append(v.Rows, row)
	}
	a.render(c, http.StatusOK, templates.WindowPage(a.page(c, "title.window", "window"), v))
}

// changeWindow is POST /window/:id with op up, down, move (index), top, untop, hide, show.
func (a *App) changeWindow(c *gin.Context) {
	p := a.printer(c)
	op := c.PostForm("op")
	if !slices.Contains(shop.WindowOps, op) {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	place, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("index")))
	switch err := a.shop.ChangeWindow(c.Request.Context(), a.journalOf(c), p, c.Param("id"), op, place); {
	case errors.Is(err, shop.ErrNotInWindow):
		a.renderError(c, http.StatusNotFound)
		return
	case err != nil:
		a.flash(c, "error", wxMessage(p, err))
	default:
		a.flash(c, "ok", p.T("common.saved"))
	}
	a.redirect(c, "/window")
}
