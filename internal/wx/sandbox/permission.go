package sandbox

import "wxshop/internal/wx"

// The shopping-order product permission (shopping-order-permission-open.md): POST
// /user-order/orders-permission/open, with no body. The first call opens it; once open, the state no longer
// allows opening and the call answers 268486612. Options.PermissionState, or SetPermissionState, puts the
// account in the states the other documented codes describe.

// PermissionState is the state of the account's shopping-order product permission.
type PermissionState int

const (
	// PermissionClosed: not open yet; opening succeeds and leaves PermissionOpen. The zero value.
	PermissionClosed PermissionState = iota
	// PermissionOpen: open already; opening answers 268486612.
	PermissionOpen
	// PermissionNeedsAgreement: the agreement has not been accepted; opening answers 268486640.
	PermissionNeedsAgreement
	// PermissionOutOfRange: the appid may not open it; opening answers 268485215.
	PermissionOutOfRange
)

// Codes of orders-permission/open, from its document.
var (
	errPermissionState      = &apiError{wx.CodeOrderPermissionState, "current permission state does not allow opening"}
	errPermissionAgreement  = &apiError{wx.CodeOrderPermissionAgreement, "please read and confirm the agreement first"}
	errPermissionOutOfRange = &apiError{wx.CodeOrderPermissionOutOfRange, "appid is not in the range that can open the permission"}
)

// SetPermissionState puts the shopping-order product permission in state p.
func (s *Server) SetPermissionState(p PermissionState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders.permission = p
}

// Permission is the state of the shopping-order product permission now.
func (s *Server) Permission() PermissionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orders.permission
}

// errPermissionNotOpen is confirm's answer before the permission is open, from its document.
var errPermissionNotOpen = &apiError{wx.CodeOrderPermissionNotOpen, "当前状态不允许提交审核，请先开通购物订单产品权限"}

// confirmOrderPermission is POST /user-order/orders-permission/confirm (提交购物订单接入审核), with no body:
// once the permission is open it submits the integration for review and answers last_result, the previous
// review's result ("" the first time; the sandbox passes every review at once); before, 268486570.
func (s *Server) confirmOrderPermission(*call) (any, error) {
	if s.orders.permission != PermissionOpen {
		return nil, errPermissionNotOpen
	}
	last := s.orders.permissionReview
	s.orders.permissionReview = "审核通过"
	return struct {
		status
		LastResult string `json:"last_result"`
	}{statusOK, last}, nil
}

// openOrderPermission is POST /user-order/orders-permission/open. Whatever body comes is ignored, as the
// call takes none.
func (s *Server) openOrderPermission(*call) (any, error) {
	switch s.orders.permission {
	case PermissionClosed:
		s.orders.permission = PermissionOpen
		return statusOK, nil
	case PermissionNeedsAgreement:
		return nil, errPermissionAgreement
	case PermissionOutOfRange:
		return nil, errPermissionOutOfRange
	}
	return nil, errPermissionState
}
