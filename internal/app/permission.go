package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/shop"
	"wxshop/web/templates"
)

func (a *App) showPermission(c *gin.Context) {
	p := a.printer(c)
	last, err := a.shop.LastPermissionAttempt(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	review, err := a.shop.LastPermissionReview(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	admin := Role(currentUser(c).Role) == RoleAdmin
	v := templates.PermissionView{State: "permission.state.never", CanOpen: admin, ConfirmState: "permission.confirm.state.never"}
	if !last.At.IsZero() {
		v.At = templates.FormatTime(last.At)
		// Open, or already open (268486612): the second step comes next.
		v.Opened = last.Opened()
		v.CanConfirm = admin && v.Opened
		if last.Code == 0 {
			v.State, v.CanOpen = "permission.state.open", false
		} else {
			v.State = "permission.state.failed"
			v.Result = shop.ExplainCode(p, last.Code, last.Msg)
			v.NextStep = p.T(last.NextStep())
		}
	}
	if !review.At.IsZero() {
		v.ConfirmAt = templates.FormatTime(review.At)
		if review.Code == 0 {
			v.ConfirmState, v.LastResult = "permission.confirm.state.submitted", review.LastResult
		} else {
			v.ConfirmState = "permission.confirm.state.failed"
			v.ConfirmResult = shop.ExplainCode(p, review.Code, review.Msg)
			v.ConfirmNext = p.T(review.NextStep())
		}
	}
	a.render(c, http.StatusOK, templates.PermissionPage(a.page(c, "title.permission", "permission"), v))
}

// confirmPermission is the second step: it submits the shopping-order integration for review; the shop
// remembers the answer, the previous review's result and when.
func (a *App) confirmPermission(c *gin.Context) {
	p := a.printer(c)
	switch err := a.shop.ConfirmOrderPermission(c.Request.Context(), a.journalOf(c), a.cfg.AppID); {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err == nil:
		a.flash(c, "ok", p.T("permission.confirmed"))
	default:
		a.flash(c, "error", wxMessage(p, err))
	}
	a.redirect(c, "/permission")
}

// openPermission asks WeChat to open the permission; the shop remembers the answer and when.
func (a *App) openPermission(c *gin.Context) {
	p := a.printer(c)
	switch err := a.shop.OpenOrderPermission(c.Request.Context(), a.journalOf(c), a.cfg.AppID); {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err == nil:
		a.flash(c, "ok", p.T("permission.opened"))
	default:
		a.flash(c, "error", wxMessage(p, err))
	}
	a.redirect(c, "/permission")
}
