package app

import (
	"context"
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

const maxGroupNameLength = 30

func (a *App) showGroups(c *gin.Context) {
	ctx := c.Request.Context()
	showMirrorList(a, c, groupsList, a.store.Groups, func(g db.Group) (templates.MirrorRow, error) {
		shelves, err := a.shop.ShelvesUsingGroup(ctx, g.GroupID)
		return templates.MirrorRow{ID: g.GroupID, Name: g.Name, Cells: []templates.MirrorCell{
			{Text: strconv.Itoa(len(g.ProductIDs)), TestID: "group-count"}, {List: shelves}}}, err
	})
}

func (a *App) syncGroupsNow(c *gin.Context) {
	a.syncNow(c, shop.MirrorGroups, "/groups")
}

// pickProducts lists the mirror's products for a picker, ticking those in chosen.
func (a *App) pickProducts(ctx context.Context, chosen []string) ([]templates.PickProduct, error) {
	products, _, err := a.store.Products(ctx, db.ProductFilter{Limit: 5000})
	if err != nil {
		return nil, err
	}
	out := make([]templates.PickProduct, 0, len(products))
	for _, p := range products {
		out = append(out, templates.PickProduct{ID: p.ProductID, Name: p.Name, Img: p.MainImg,
			Price: money.Range(p.MinPrice, p.MaxPrice), OnSale: p.Status == shop.ProductOnSale, Checked: slices.Contains(chosen, p.ProductID)})
	}
	// Ticked products first, so an edit shows what the group holds at a glance.
	slices.SortStableFunc(out, func(x, y templates.PickProduct) int {
		switch {
		case x.Checked == y.Checked:
			return 0
		case x.Checked:
			return -1
		}
		return 1
	})
	return out, nil
}

func (a *App) showNewGroup(c *gin.Context) {
	a.renderGroupForm(c, http.StatusOK, templates.GroupFormView{}, nil)
}

func (a *App) showGroup(c *gin.Context) {
	g, ok := a.loadGroup(c)
	if !ok {
		return
	}
	a.renderGroupForm(c, http.StatusOK, templates.GroupFormView{ID: g.GroupID, Name: g.Name}, g.ProductIDs)
}

func (a *App) loadGroup(c *gin.Context) (db.Group, bool) {
	return loadByID(a, c, a.store.Group)
}

func (a *App) renderGroupForm(c *gin.Context, status int, v templates.GroupFormView, chosen []string) {
	ctx := c.Request.Context()
	var err error
	if v.Products, err = a.pickProducts(ctx, chosen); err != nil {
		a.serverError(c, err)
		return
	}
	if v.ID != 0 {
		if v.Shelves, err = a.shop.ShelvesUsingGroup(ctx, v.ID); err != nil {
			a.serverError(c, err)
			return
		}
	}
	if v.Errors == nil {
		v.Errors = templates.FieldErrors{}
	}
	v.CanWrite = canWrite(Role(currentUser(c).Role))
	title := "groups.new"
	if v.ID != 0 {
		title = "title.groups"
	}
	a.render(c, status, templates.GroupFormPage(a.page(c, title, "groups"), v))
}

// groupInput is the group form, checked: the name and the products ticked, which must be in the mirror.
func (a *App) groupInput(c *gin.Context) (string, []string, templates.FieldErrors) {
	p := a.printer(c)
	errs := templates.FieldErrors{}
	name := strings.TrimSpace(c.PostForm("name"))
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs["name"] = p.T("groups.err.name")
	case n > maxGroupNameLength:
		errs["name"] = p.T("groups.err.name.long", maxGroupNameLength)
	}
	var ids []string
	for _, id := range c.PostFormArray("product") {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		if _, err := a.store.Product(c.Request.Context(), id); err != nil {
			errs["products"] = p.T("groups.err.product")
		}
	}
	return name, ids, errs
}

func (a *App) createGroup(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	name, ids, errs := a.groupInput(c)
	if len(errs) == 0 {
		if taken, err := a.shop.GroupNameTaken(ctx, name, 0); err != nil {
			a.serverError(c, err)
			return
		} else if taken {
			errs["name"] = p.T("groups.err.taken")
		}
	}
	if len(errs) > 0 {
		a.renderGroupForm(c, http.StatusUnprocessableEntity, templates.GroupFormView{Name: name, Errors: errs}, ids)
		return
	}
	_, err := a.shop.CreateGroup(ctx, a.journalOf(c), name, ids)
	if a.refused(c, err, func(msg string) {
		a.renderGroupForm(c, http.StatusUnprocessableEntity, templates.GroupFormView{Name: name, Problem: msg}, ids)
	}) {
		return
	}
	a.flash(c, "ok", p.T("groups.created", name))
	a.redirect(c, "/groups")
}

// updateGroup renames the group if its name changed and sends WeChat only the products added and removed.
func (a *App) updateGroup(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	g, ok := a.loadGroup(c)
	if !ok {
		return
	}
	name, ids, errs := a.groupInput(c)
	if len(errs) == 0 && name != g.Name {
		if taken, err := a.shop.GroupNameTaken(ctx, name, g.GroupID); err != nil {
			a.serverError(c, err)
			return
		} else if taken {
			errs["name"] = p.T("groups.err.taken")
		}
	}
	view := templates.GroupFormView{ID: g.GroupID, Name: name, Errors: errs}
	if len(errs) > 0 {
		a.renderGroupForm(c, http.StatusUnprocessableEntity, view, ids)
		return
	}
	change, err := a.shop.UpdateGroup(ctx, a.journalOf(c), g, name, ids)
	if a.refused(c, err, func(msg string) {
		view.Problem = msg
		a.renderGroupForm(c, http.StatusUnprocessableEntity, view, ids)
	}) {
		return
	}
	a.flash(c, "ok", p.T("groups.saved", name, len(change.Added), len(change.Removed)))
	a.redirect(c, "/groups/"+strconv.FormatInt(g.GroupID, 10))
}
func (a *App) deleteGroup(c *gin.Context) {
	g, ok := a.loadGroup(c)
	if !ok {
		return
	}
	a.deleted(c, "groups", g.GroupID, g.Name, a.shop.DeleteGroup(c.Request.Context(), a.journalOf(c), g))
}
