package shop

import (
	"context"
	"errors"
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

// The last attempt to open the order permission: when, WeChat's errcode ("0" once opened) and its words.
const (
	settingPermissionAt   = "order_permission_at"
	settingPermissionCode = "order_permission_code"
	settingPermissionMsg  = "order_permission_msg"
)

// PermissionAttempt is the last attempt to open the order permission; At is zero when there was none.
type PermissionAttempt struct {
	At   time.Time
	Code int // WeChat's errcode; 0: opened
	Msg  string
}

// LastPermissionAttempt reads what the last attempt to open the order permission got.
func (s *Shop) LastPermissionAttempt(ctx context.Context) (PermissionAttempt, error) {
	var a PermissionAttempt
	get := func(key string) (string, error) {
		v, err := s.store.Setting(ctx, key)
		if errors.Is(err, db.ErrNoRecord) {
			return "", nil
		}
		return v, err
	}
	at, err := get(settingPermissionAt)
	if err != nil || at == "" {
		return a, err
	}
	sec, _ := strconv.ParseInt(at, 10, 64)
	code, err := get(settingPermissionCode)
	if err != nil {
		return a, err
	}
	a.At, a.Code = time.Unix(sec, 0), atoiOr(code, 0)
	a.Msg, err = get(settingPermissionMsg)
	return a, err
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// OpenOrderPermission asks WeChat to open the order permission and remembers what it answered and when. An
// error that is not WeChat's answer (no connection) records nothing; WeChat's refusal is recorded and returned.
func (s *Shop) OpenOrderPermission(ctx context.Context, j Journal, appID string) error {
	err := s.wx.OpenOrderPermission(ctx)
	j(db.AuditEntry{Action: "permission.open", ObjectType: "appid", ObjectID: appID, Outcome: Outcome(err)})
	code, msg := 0, "ok"
	var we *wx.Error
	switch {
	case errors.As(err, &we):
		code, msg = we.Code, we.Msg
	case err != nil:
		return err
	}
	for key, value := range map[string]string{
		settingPermissionAt: strconv.FormatInt(time.Now().Unix(), 10), settingPermissionCode: strconv.Itoa(code), settingPermissionMsg: msg,
	} {
		if serr := s.store.SetSetting(ctx, key, value); serr != nil {
			return storeErr(serr)
		}
	}
	return err
}

// The last submission of the shopping-order integration for review (orders-permission/confirm): when,
// WeChat's errcode ("0" once submitted) and words, and the last_result it answered.
const (
	settingConfirmAt     = "order_permission_confirm_at"
	settingConfirmCode   = "order_permission_confirm_code"
	settingConfirmMsg    = "order_permission_confirm_msg"
	settingConfirmResult = "order_permission_confirm_result"
)

// PermissionReview is the last submission for review; At is zero when there was none. LastResult is the
// previous review's result as WeChat wrote it, given when the submission went through.
type PermissionReview struct {
	PermissionAttempt
	LastResult string
}

// LastPermissionReview reads what the last submission for review got.
func (s *Shop) LastPermissionReview(ctx context.Context) (PermissionReview, error) {
	var r PermissionReview
	get := func(key string) (string, error) {
		v, err := s.store.Setting(ctx, key)
		if errors.Is(err, db.ErrNoRecord) {
			return "", nil
		}
		return v, err
	}
	at, err := get(settingConfirmAt)
	if err != nil || at == "" {
		return r, err
	}
	sec, _ := strconv.ParseInt(at, 10, 64)
	code, err := get(settingConfirmCode)
	if err != nil {
		return r, err
	}
	r.At, r.Code = time.Unix(sec, 0), atoiOr(code, 0)
	if r.Msg, err = get(settingConfirmMsg); err != nil {
		return r, err
	}
	r.LastResult, err = get(settingConfirmResult)
	return r, err
}

// ConfirmOrderPermission is the second step after opening: it submits the shopping-order integration for
// review and remembers what WeChat answered and when. An error that is not WeChat's answer (no connection)
// records nothing; WeChat's refusal (268486570 before the permission is open) is recorded and returned.
func (s *Shop) ConfirmOrderPermission(ctx context.Context, j Journal, appID string) error {
	last, err := s.wx.ConfirmOrderPermission(ctx)
	j(db.AuditEntry{Action: "permission.confirm", ObjectType: "appid", ObjectID: appID, Outcome: Outcome(err)})
	code, msg := 0, "ok"
	var we *wx.Error
	switch {
	case errors.As(err, &we):
		code, msg = we.Code, we.Msg
	case err != nil:
		return err
	}
	values := map[string]string{
		settingConfirmAt: strconv.FormatInt(time.Now().Unix(), 10), settingConfirmCode: strconv.Itoa(code), settingConfirmMsg: msg,
	}
	if code == 0 {
		values[settingConfirmResult] = last
	}
	for key, value := range values {
		if serr := s.store.SetSetting(ctx, key, value); serr != nil {
			return storeErr(serr)
		}
	}
	return err
}
