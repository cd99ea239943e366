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
