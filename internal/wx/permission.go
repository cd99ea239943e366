package wx

import "context"

// Codes of /user-order/orders-permission/open, for callers that act on them.
const (
	CodeOrderPermissionState      = 268486612 // the current state does not allow opening (already open, or opening)
	CodeOrderPermissionAgreement  = 268486640 // the agreement has not been accepted yet
	CodeOrderPermissionOutOfRange = 268485215 // this appid may not open the permission
	CodeOrderPermissionNotOpen    = 268486570 // confirm: the permission is not open yet
)

// OpenOrderPermission opens the shopping-order product permission (购物订单商品权限) for the account. The call
// takes no body; {} is sent. Its documented refusals, with meanings in the code table: 268486612 (the
// permission's state does not allow opening it, e.g. already open), 268486640 (the agreement must be accepted
// first), 268485215 (the appid is not in the range that may open it) and -1 (busy). It is a write, so -1 is
// not retried here.
func (c *Client) OpenOrderPermission(ctx context.Context) error {
	return c.PostWrite(ctx, "/user-order/orders-permission/open", nil, nil)
}

// ConfirmOrderPermission is the second step after OpenOrderPermission: it submits the account's shopping-order
// integration for review (提交购物订单接入审核, confirmProductPermission: POST
// /user-order/orders-permission/confirm, no body), which takes about six hours; only once it passes are the
// uploaded shopping orders shown to buyers. It answers last_result, the result of the previous review (empty
// the first time). Its documented refusals: 268486570 (the permission is not open yet: open it and test
// first) and -1 (busy). It is a write, so -1 is not retried here.
func (c *Client) ConfirmOrderPermission(ctx context.Context) (lastResult string, err error) {
	var ans struct {
		LastResult string `json:"last_result"`
	}
	if err := c.PostWrite(ctx, "/user-order/orders-permission/confirm", nil, &ans); err != nil {
		return "", err
	}
	return ans.LastResult, nil
}
