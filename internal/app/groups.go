package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

const maxGroupNameLength = 30

func (a *App) showGroups(c *gin.Context) {
	ctx := c.Request.Context()
	groups, err := a.store.Groups(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.GroupsView{CanWrite: canWrite(Role(currentUser(c).Role))}
	if t := a.syncedAt(ctx, settingGroupsSyncedAt); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, g := range groups {
		shelves, err := a.shelvesUsingGroup(ctx, g.GroupID)
		if err != nil {
			a.serverError(c, err)
			return
		}
		v.Rows = append(v.Rows, templates.GroupRow{ID: g.GroupID, Name: g.Name, Products: len(g.ProductIDs), Shelves: shelves})
	}
	a.render(c, http.StatusOK, templates.GroupsPage(a.page(c, "title.groups", "groups"), v))
}

func (a *App) syncGroupsNow(c *gin.Context) {
	a.syncNow(c, "group.sync", "group", a.syncGroups, "/groups")
}

// syncNow runs one of the mirror syncs for an operator, records it and says how it went.
func (a *App) syncNow(c *gin.Context, action, object string, sync func(context.Context) (int, error), back string) {
	p := a.printer(c)
	n, err := sync(c.Request.Context())
	a.audit(c, currentUser(c), db.AuditEntry{Action: action, ObjectType: object, ObjectID: "all", Detail: fmt.Sprintf("%d", n), Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("common.sync.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("common.synced.now", n))
	}
	a.redirect(c, back)
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
			Price: money.Range(p.MinPrice, p.MaxPrice), OnSale: p.Status == wx.ProductOnSale, Checked: slices.Contains(chosen, p.ProductID)})
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
		if v.Shelves, err = a.shelvesUsingGroup(ctx, v.ID); err != nil {
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
		if taken, err := a.groupNameTaken(ctx, name, 0); err != nil {
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
	id, err := a.wx.CreateGroup(ctx, name, ids)
	if err != nil && wx.Temporary(err) {
		if g, ok := findCreated(ctx, a.wx.Groups, func(g wx.Group) bool { return g.GroupName == name },
			func(g wx.Group) error { _, err := a.store.Group(ctx, g.GroupID); return err }); ok {
			a.log.Warn("the create call failed, but WeChat has the group", "group", g.GroupID, "err", err)
			id, err = g.GroupID, nil
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "group.create", ObjectType: "group", ObjectID: strconv.FormatInt(id, 10),
		Detail: fmt.Sprintf("%s, %d products", name, len(ids)), Outcome: wxOutcome(err)})
	if err != nil {
		a.renderGroupForm(c, http.StatusUnprocessableEntity, templates.GroupFormView{Name: name, Problem: wxMessage(p, err)}, ids)
		return
	}
	if err := a.store.UpsertGroup(ctx, db.Group{GroupID: id, Name: name, ProductIDs: ids}); err != nil {
		a.serverError(c, err)
		return
	}
	a.flash(c, "ok", p.T("groups.created", name))
	a.redirect(c, "/groups")
}

func (a *App) groupNameTaken(ctx context.Context, name string, except int64) (bool, error) {
	groups, err := a.store.Groups(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(groups, func(g db.Group) bool { return g.Name == name && g.GroupID != except }), nil
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
		if taken, err := a.groupNameTaken(ctx, name, g.GroupID); err != nil {
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
	user := currentUser(c)
	if name != g.Name {
		err := a.wx.RenameGroup(ctx, g.GroupID, name)
		a.audit(c, user, db.AuditEntry{Action: "group.rename", ObjectType: "group", ObjectID: strconv.FormatInt(g.GroupID, 10),
			Detail: g.Name + " -> " + name, Outcome: wxOutcome(err)})
		if err != nil {
			view.Problem = wxMessage(p, err)
			a.renderGroupForm(c, http.StatusUnprocessableEntity, view, ids)
			return
		}
		g.Name = name
		if err := a.store.UpsertGroup(ctx, g); err != nil {
			a.serverError(c, err)
			return
		}
	}
	var mods []wx.GroupProductMod
	var added, removed []string
	for _, id := range ids {
		if !slices.Contains(g.ProductIDs, id) {
			mods = append(mods, wx.GroupProductMod{ProductID: id, ModAction: wx.GroupAddProduct})
			added = append(added, id)
		}
	}
	for _, id := range g.ProductIDs {
		if !slices.Contains(ids, id) {
			mods = append(mods, wx.GroupProductMod{ProductID: id, ModAction: wx.GroupRemoveProduct})
			removed = append(removed, id)
		}
	}
	if len(mods) > 0 {
		err := a.wx.ModifyGroupProducts(ctx, g.GroupID, mods)
		a.audit(c, user, db.AuditEntry{Action: "group.products", ObjectType: "group", ObjectID: strconv.FormatInt(g.GroupID, 10),
			Detail: fmt.Sprintf("%s: +%v -%v", g.Name, added, removed), Outcome: wxOutcome(err)})
		if err != nil {
			view.Problem = wxMessage(p, err)
			a.renderGroupForm(c, http.StatusUnprocessableEntity, view, ids)
			return
		}
		g.ProductIDs = ids
		if err := a.store.UpsertGroup(ctx, g); err != nil {
			a.serverError(c, err)
			return
		}
	}
	a.flash(c, "ok", p.T("groups.saved", g.Name, len(added), len(removed)))
	a.redirect(c, "/groups/"+strconv.FormatInt(g.GroupID, 10))
}

func (a *App) deleteGroup(c *gin.Context) {
	g, ok := a.loadGroup(c)
	if !ok {
		return
	}
	deleteMirrored(a, c, storefrontDeletion[wx.Group]{
		action: "group", messages: "groups", id: g.GroupID, name: g.Name,
		call: a.wx.DeleteGroup, list: a.wx.Groups,
		idOf: func(x wx.Group) int64 { return x.GroupID }, forget: a.store.DeleteGroup,
	})
}

// storefrontDeletion is the deletion of one mirrored postage template, group or shelf.
type storefrontDeletion[T any] struct {
	action   string // the audit's object type, and its action before ".delete"
	messages string // the catalog's prefix of the flash messages, and the list's path
	id       int64
	name     string
	call     func(context.Context, int64) error // deletes it in WeChat
	list     func(context.Context) ([]T, error) // what WeChat holds, to settle a failed call
	idOf     func(T) int64                      // the id of one listed object
	forget   func(context.Context, int64) error // deletes it from the mirror
}

// deleteMirrored deletes d's object in WeChat, then in the mirror, audits it and tells the operator. A call
// that fails while WeChat no longer lists the object (its answer was lost) counts as done.
func deleteMirrored[T any](a *App, c *gin.Context, d storefrontDeletion[T]) {
	ctx := c.Request.Context()
	p := a.printer(c)
	id := strconv.FormatInt(d.id, 10)
	err := d.call(ctx, d.id)
	if goneAnyway(ctx, err, d.list, func(x T) bool { return d.idOf(x) == d.id }) {
		a.log.Warn("the delete call failed, but WeChat no longer has the object", "kind", d.action, "id", d.id, "err", err)
		err = nil
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: d.action + ".delete", ObjectType: d.action, ObjectID: id, Detail: d.name, Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T(d.messages+".delete.failed", wxMessage(p, err)))
		a.redirect(c, "/"+d.messages+"/"+id)
		return
	}
	if err := d.forget(ctx, d.id); err != nil {
		a.serverError(c, err)
		return
	}
	a.flash(c, "ok", p.T(d.messages+".deleted", d.name))
	a.redirect(c, "/"+d.messages)
}
