package shop

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// SettingShopName keeps the shop's name as WeChat last told it.
const SettingShopName = "shop_name"

// RefreshShopInfo asks WeChat for the shop's details and remembers its name; it answers the name.
func (s *Shop) RefreshShopInfo(ctx context.Context) (string, error) {
	info, err := s.wx.ShopInfo(ctx)
	if err != nil {
		return "", err
	}
	if info.Nickname != "" {
		if err := s.store.SetSetting(ctx, SettingShopName, info.Nickname); err != nil {
			return "", err
		}
	}
	return info.Nickname, nil
}

// An attempt (to open the order permission, to submit it for review) is kept as settings: when, WeChat's
// errcode ("0" once it went through) and its words.
type attemptKeys struct{ at, code, msg string }

var (
	permissionKeys = attemptKeys{"order_permission_at", "order_permission_code", "order_permission_msg"}
	confirmKeys    = attemptKeys{"order_permission_confirm_at", "order_permission_confirm_code", "order_permission_confirm_msg"}
)

// settingConfirmResult keeps the last_result WeChat answered to a submission for review that went through.
const settingConfirmResult = "order_permission_confirm_result"

// PermissionAttempt is the last attempt to open the order permission; At is zero when there was none.
type PermissionAttempt struct {
	At   time.Time
	Code int // WeChat's errcode; 0: opened
	Msg  string
}

// PermissionReview is the last submission for review; At is zero when there was none. LastResult is the
// previous review's result as WeChat wrote it, given when the submission went through.
type PermissionReview struct {
	PermissionAttempt
	LastResult string
}

// setting reads a setting; "" when it was never set.
func (s *Shop) setting(ctx context.Context, key string) (string, error) {
	v, err := s.store.Setting(ctx, key)
	if errors.Is(err, db.ErrNoRecord) {
		return "", nil
	}
	return v, err
}

// lastAttempt reads the attempt kept under k.
func (s *Shop) lastAttempt(ctx context.Context, k attemptKeys) (PermissionAttempt, error) {
	var a PermissionAttempt
	at, err := s.setting(ctx, k.at)
	if err != nil || at == "" {
		return a, err
	}
	sec, _ := strconv.ParseInt(at, 10, 64)
	code, err := s.setting(ctx, k.code)
	if err != nil {
		return a, err
	}
	a.At, a.Code = time.Unix(sec, 0), atoiOr(code, 0)
	a.Msg, err = s.setting(ctx, k.msg)
	return a, err
}

// recordAttempt keeps what a call answered under k, with extra settings when it went through, and returns
// the call's error. An error that is not WeChat's answer (no connection) records nothing.
func (s *Shop) recordAttempt(ctx context.Context, k attemptKeys, err error, extra map[string]string) error {
	code, msg := 0, "ok"
	var we *wx.Error
	switch {
	case errors.As(err, &we):
		code, msg = we.Code, we.Msg
	case err != nil:
		return err
	}
	values := map[string]string{k.at: strconv.FormatInt(time.Now().Unix(), 10), k.code: strconv.Itoa(code), k.msg: msg}
	if code == 0 {
		maps.Copy(values, extra)
	}
	for key, value := range values {
		if serr := s.store.SetSetting(ctx, key, value); serr != nil {
			return storeErr(serr)
		}
	}
	return err
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// LastPermissionAttempt reads what the last attempt to open the order permission got.
func (s *Shop) LastPermissionAttempt(ctx context.Context) (PermissionAttempt, error) {
	return s.lastAttempt(ctx, permissionKeys)
}

// OpenOrderPermission asks WeChat to open the order permission and remembers what it answered and when. An
// error that is not WeChat's answer (no connection) records nothing; WeChat's refusal is recorded and returned.
func (s *Shop) OpenOrderPermission(ctx context.Context, j Journal, appID string) error {
	err := s.wx.OpenOrderPermission(ctx)
	j(db.AuditEntry{Action: "permission.open", ObjectType: "appid", ObjectID: appID, Outcome: Outcome(err)})
	return s.recordAttempt(ctx, permissionKeys, err, nil)
}

// LastPermissionReview reads what the last submission for review got.
func (s *Shop) LastPermissionReview(ctx context.Context) (PermissionReview, error) {
	a, err := s.lastAttempt(ctx, confirmKeys)
	r := PermissionReview{PermissionAttempt: a}
	if err != nil || a.At.IsZero() {
		return r, err
	}
	r.LastResult, err = s.setting(ctx, settingConfirmResult)
	return r, err
}

// ConfirmOrderPermission is the second step after opening: it submits the shopping-order integration for
// review and remembers what WeChat answered and when. An error that is not WeChat's answer (no connection)
// records nothing; WeChat's refusal (268486570 before the permission is open) is recorded and returned.
func (s *Shop) ConfirmOrderPermission(ctx context.Context, j Journal, appID string) error {
	last, err := s.wx.ConfirmOrderPermission(ctx)
	j(db.AuditEntry{Action: "permission.confirm", ObjectType: "appid", ObjectID: appID, Outcome: Outcome(err)})
	return s.recordAttempt(ctx, confirmKeys, err, map[string]string{settingConfirmResult: last})
}

// Opened reports whether the attempt left the permission open: it went through, or WeChat answered that it
// already was (268486612), so submitting for review comes next.
func (a PermissionAttempt) Opened() bool {
	return !a.At.IsZero() && (a.Code == 0 || a.Code == wx.CodeOrderPermissionState)
}

// permissionNextSteps turns each documented answer to opening into what the merchant should do next.
var permissionNextSteps = map[int]string{
	268486612: "permission.next.268486612",
	268486640: "permission.next.268486640",
	268485215: "permission.next.268485215",
	-1:        "permission.next.busy",
}

// confirmNextSteps is the same for the second step, submitting for review.
var confirmNextSteps = map[int]string{
	wx.CodeOrderPermissionNotOpen: "permission.confirm.next.268486570",
	-1:                            "permission.next.busy",
}

// NextStep is the catalog key of what the merchant should do after the attempt failed.
func (a PermissionAttempt) NextStep() string { return nextStep(permissionNextSteps, a.Code) }

// NextStep is the catalog key of what the merchant should do after the submission failed.
func (r PermissionReview) NextStep() string { return nextStep(confirmNextSteps, r.Code) }

func nextStep(steps map[int]string, code int) string {
	if key, ok := steps[code]; ok {
		return key
	}
	return "permission.next.other"
}
