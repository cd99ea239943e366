package app

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// What the pages of the V1.13 mirrored kinds (postage templates, groups, shelves) share: the list, the sync
// button, the answer to a save WeChat refused and to a deletion.

// mirrorList is the list page of a mirrored kind: its area (path, messages), what its test ids call one, the
// columns after the name (messages under the area) and the setting that says when it was synced.
type mirrorList struct {
	area, one string
	title     string // the page's title
	columns   []string
	synced    string
}

var (
	postageList = mirrorList{area: "postage", one: "postage", title: "title.postage", columns: []string{"assumer", "couriers"}, synced: shop.SettingTemplatesSyncedAt}
	groupsList  = mirrorList{area: "groups", one: "group", title: "title.groups", columns: []string{"products", "shelves"}, synced: shop.SettingGroupsSyncedAt}
	shelvesList = mirrorList{area: "shelves", one: "shelf", title: "title.shelves", columns: []string{"controls"}, synced: shop.SettingShelvesSyncedAt}
)

// showMirrorList renders the list page of l: every row the mirror holds, each made into a line by row.
func showMirrorList[R any](a *App, c *gin.Context, l mirrorList, rows func(context.Context) ([]R, error), row func(R) (templates.MirrorRow, error)) {
	ctx := c.Request.Context()
	all, err := rows(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.MirrorListView{Area: l.area, One: l.one, Columns: l.columns, CanWrite: canWrite(Role(currentUser(c).Role))}
	if t := a.shop.SyncedAt(ctx, l.synced); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, r := range all {
		line, err := row(r)
		if err != nil {
			a.serverError(c, err)
			return
		}
		v.Rows = append(v.Rows, line)
	}
	a.render(c, http.StatusOK, templates.MirrorListPage(a.page(c, l.title, l.area), v))
}

// syncNow runs one of the mirror syncs for an operator and says how it went.
func (a *App) syncNow(c *gin.Context, m shop.Mirror, back string) {
	p := a.printer(c)
	n, err := a.shop.SyncMirror(c.Request.Context(), a.journalOf(c), m)
	if err != nil {
		a.flash(c, "error", p.T("common.sync.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("common.synced.now", n))
	}
	a.redirect(c, back)
}

// refused answers a save that failed: the store failing after WeChat did it is the 500 page, WeChat's refusal
// (or no answer) goes to show with its code and meaning, for the form again. It reports whether it answered:
// false when err is nil and the save went through.
func (a *App) refused(c *gin.Context, err error, show func(msg string)) bool {
	switch {
	case err == nil:
		return false
	case shop.IsStoreError(err):
		a.serverError(c, err)
	default:
		show(wxMessage(a.printer(c), err))
	}
	return true
}

// deleted tells the operator how the deletion of a mirrored object went: messages is the catalog's prefix of
// the flash messages and the list's path, id and name the object's.
func (a *App) deleted(c *gin.Context, messages string, id any, name string, err error) {
	p := a.printer(c)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
	case err != nil:
		a.flash(c, "error", p.T(messages+".delete.failed", wxMessage(p, err)))
		a.redirect(c, fmt.Sprint("/", messages, "/", id))
	default:
		a.flash(c, "ok", p.T(messages+".deleted", name))
		a.redirect(c, "/"+messages)
	}
}
