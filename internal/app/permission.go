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
	// The second step, orders-permission/confirm (submitting for review): when, WeChat's errcode ("0" once
	// submitted) and errmsg, and the last_result it answered (the previous review's result).
	settingConfirmAt     = "order_permission_confirm_at"
	settingConfirmCode   = "order_permission_confirm_code"
	settingConfirmMsg    = "order_permission_confirm_msg"
	settingConfirmResult = "order_permission_confirm_result"
)

// permissionNextSteps turns each documented answer into what the merchant should do next.
var permissionNextSteps = map[int]string{
	268486612: "permission.next.268486612",
	268486640: "permission.next.268486640",
	268485215: "permission.next.268485215",
	-1:        "permission.next.busy",
}

// confirmNextSteps is the same for the second step.
var confirmNextSteps = map[int]string{
	wx.CodeOrderPermissionNotOpen: "permission.confirm.next.268486570",
	-1:                            "permission.next.busy",
}

func (a *App) showPermission(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	admin := Role(currentUser(c).Role) == RoleAdmin
	v := templates.PermissionView{State: "permission.state.never", CanOpen: admin, ConfirmState: "permission.confirm.state.never"}
	if sec := a.settingInt(ctx, settingPermissionAt, 0); sec != 0 {
		v.At = templates.FormatTime(time.Unix(sec, 0))
		code := int(a.settingInt(ctx, settingPermissionCode, 0))
		msg, _ := a.store.Setting(ctx, settingPermissionMsg)
		// Open, or already open (268486612): the second step comes next.
		v.Opened = code == 0 || code == wx.CodeOrderPermissionState
		v.CanConfirm = admin && v.Opened
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
	if sec := a.settingInt(ctx, settingConfirmAt, 0); sec != 0 {
		v.ConfirmAt = templates.FormatTime(time.Unix(sec, 0))
		code := int(a.settingInt(ctx, settingConfirmCode, 0))
		msg, _ := a.store.Setting(ctx, settingConfirmMsg)
		if code == 0 {
			v.ConfirmState = "permission.confirm.state.submitted"
			v.LastResult, _ = a.store.Setting(ctx, settingConfirmResult)
		} else {
			v.ConfirmState = "permission.confirm.state.failed"
			v.ConfirmResult = wxMessage(p, &wx.Error{Code: code, Msg: msg})
			key, ok := confirmNextSteps[code]
			if !ok {
				key = "permission.next.other"
			}
			v.ConfirmNext = p.T(key)
		}
	}
	a.render(c, http.StatusOK, templates.PermissionPage(a.page(c, "title.permission", "permission"), v))
}

// confirmPermission is the second step: it submits the shopping-order integration for review
// (orders-permission/confirm) and remembers the answer, the previous review's result and when.
func (a *App) confirmPermission(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	last, err := a.wx.ConfirmOrderPermission(ctx)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "permission.confirm", ObjectType: "appid", ObjectID: a.cfg.AppID, Outcome: wxOutcome(err)})
	code, msg := 0, "ok"
	var we *wx.Error
	switch {
	case errors.As(err, &we):
		code, msg = we.Code, we.Msg
	case err != nil:
		// No answer: WeChat may or may not have it; nothing is recorded, the page says to look again.
		a.flash(c, "error", wxMessage(p, err))
		a.redirect(c, "/permission")
		return
	}
	values := map[string]string{
		settingConfirmAt: strconv.FormatInt(time.Now().Unix(), 10), settingConfirmCode: strconv.Itoa(code), settingConfirmMsg: msg,
	}
	if code == 0 {
		values[settingConfirmResult] = last
	}
	for key, value := range values {
		if err := a.store.SetSetting(ctx, key, value); err != nil {
			a.serverError(c, err)
			return
		}
	}
	if code == 0 {
		a.flash(c, "ok", p.T("permission.confirmed"))
	} else {
		a.flash(c, "error", wxMessage(p, err))
	}
	a.redirect(c, "/permission")
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
