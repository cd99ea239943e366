package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// permissionNextSteps turns each documented answer into what the merchant should do next.
var permissionNextSteps = map[int]string{
	268486612: "permission.next.268486612",
	268486640: "permission.next.268486640",
	268485215: "permission.next.268485215",
	-1:        "permission.next.busy",
}

func (a *App) showPermission(c *gin.Context) {
	p := a.printer(c)
	last, err := a.shop.LastPermissionAttempt(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.PermissionView{State: "permission.state.never", CanOpen: Role(currentUser(c).Role) == RoleAdmin}
	if !last.At.IsZero() {
		v.At = templates.FormatTime(last.At)
		if last.Code == 0 {
			v.State, v.CanOpen = "permission.state.open", false
		} else {
			v.State = "permission.state.failed"
			v.Result = shop.ExplainCode(p, last.Code, last.Msg)
			key, ok := permissionNextSteps[last.Code]
			if !ok {
				key = "permission.next.other"
			}
			v.NextStep = p.T(key)
		}
	}
	a.render(c, http.StatusOK, templates.PermissionPage(a.page(c, "title.permission", "permission"), v))
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
