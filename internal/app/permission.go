package app

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

const (
	settingPermissionAt   = "order_permission_at"
	settingPermissionCode = "order_permission_code" // WeChat's errcode of the last attempt; "0" once opened
	settingPermissionMsg  = "order_permission_msg"
)

// permissionNextSteps turns each documented answer into what the merchant should do next.
var permissionNextSteps = map[int]string{
	268486612: "permission.next.268486612",
	268486640: "permission.next.268486640",
	268485215: "permission.next.268485215",
	-1:        "permission.next.busy",
}

func (a *App) showPermission(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	v := templates.PermissionView{State: "permission.state.never", CanOpen: Role(currentUser(c).Role) == RoleAdmin}
	if sec := a.settingInt(ctx, settingPermissionAt, 0); sec != 0 {
		v.At = templates.FormatTime(time.Unix(sec, 0))
		code := int(a.settingInt(ctx, settingPermissionCode, 0))
		msg, _ := a.store.Setting(ctx, settingPermissionMsg)
		if code == 0 {
			v.State, v.CanOpen = "permission.state.open", false
		} else {
			v.State = "permission.state.failed"
			v.Result = wxMessage(p, &wx.Error{Code: code, Msg: msg})
			key, ok := permissionNextSteps[code]
			if !ok {
				key = "permission.next.other"
			}
			v.NextStep = p.T(key)
		}
	}
	a.render(c, http.StatusOK, templates.PermissionPage(a.page(c, "title.permission", "permission"), v))
}

// openPermission asks WeChat to open the permission and remembers the answer and when.
func (a *App) openPermission(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	err := a.wx.OpenOrderPermission(ctx)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "permission.open", ObjectType: "appid", ObjectID: a.cfg.AppID, Outcome: wxOutcome(err)})
	code, msg := 0, "ok"
	var we *wx.Error
	switch {
	case errors.As(err, &we):
		code, msg = we.Code, we.Msg
	case err != nil:
		// Not an answer from WeChat: nothing is known, nothing is recorded.
		a.flash(c, "error", wxMessage(p, err))
		a.redirect(c, "/permission")
		return
	}
	for key, value := range map[string]string{
		settingPermissionAt: strconv.FormatInt(time.Now().Unix(), 10), settingPermissionCode: strconv.Itoa(code), settingPermissionMsg: msg,
	} {
		if err := a.store.SetSetting(ctx, key, value); err != nil {
			a.serverError(c, err)
			return
		}
	}
	if code == 0 {
		a.flash(c, "ok", p.T("permission.opened"))
	} else {
		a.flash(c, "error", wxMessage(p, err))
	}
	a.redirect(c, "/permission")
}
