package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The category tree is the shop's cache (shop/categories.go): these pages show it, branch by branch, and let
// an admin refresh it.

// categoryView builds what the page shows for one category: its children, or, for a leaf, its SKU table and
// properties. A WeChat failure becomes a note on the view, never a failed page.
func (a *App) categoryView(c *gin.Context, cateID string) templates.CategoryView {
	ctx := c.Request.Context()
	p := a.printer(c)
	v := templates.CategoryView{ID: cateID, IsAdmin: Role(currentUser(c).Role) == RoleAdmin}
	children, fetched, err := a.shop.SubCategories(ctx, cateID)
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
	skus, _, err := a.shop.CategorySKUs(ctx, cateID)
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
	props, _, err := a.shop.CategoryProperties(ctx, cateID)
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
	root := a.categoryView(c, shop.RootCategory)
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
	p := a.printer(c)
	id := c.Param("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil && id != "" {
		a.renderError(c, http.StatusNotFound)
		return
	}
	n, err := a.shop.RefreshCategories(c.Request.Context(), a.journalOf(c), id)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		a.flash(c, "error", p.T("categories.refresh.failed", wxMessage(p, err)))
	default:
		a.flash(c, "ok", p.T("categories.refreshed", n))
	}
	back := "/categories"
	if id != "" {
		back += "/" + id
	}
	a.redirect(c, back)
}

func (a *App) categoryName(c *gin.Context, cateID string) string {
	if cateID == "" {
		return "—"
	}
	return strings.Join(a.shop.CategoryPath(c.Request.Context(), cateID), " › ")
}
