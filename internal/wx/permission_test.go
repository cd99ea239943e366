package wx

// testdata/user_order_orders_permission_open_answer.json is the answer example of
// shopping-order-permission-open.md (shared/api), copied verbatim (valid JSON as given). The call has no body
// (the document's fetch sends none), so there is no request file; the client sends {}.

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

func TestOpenOrderPermission(t *testing.T) {
	c, body := recordingClient(t, "/user-order/orders-permission/open", string(example(t, "user_order_orders_permission_open_answer")))
	if err := c.OpenOrderPermission(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := string(body()); got != "{}" {
		t.Errorf("body = %q, want {}", got)
	}
}

// Each documented code comes back as *Error, is not retried (the call is a write, -1 included), and has a
// meaning in the code table that says what to do.
func TestOpenOrderPermissionDocumentedCodes(t *testing.T) {
	for _, code := range []int{CodeOrderPermissionState, CodeOrderPermissionAgreement, CodeOrderPermissionOutOfRange, CodeSystemBusy} {
		c, _ := recordingClient(t, "/user-order/orders-permission/open", `{"errcode":`+strconv.Itoa(code)+`,"errmsg":"x"}`)
		err := c.OpenOrderPermission(context.Background())
		var werr *Error
		if !errors.As(err, &werr) || werr.Code != code || werr.Path != "/user-order/orders-permission/open" {
			t.Errorf("code %d: err = %#v", code, err)
			continue
		}
		zh, okZh := CodeMeaning(code, "zh")
		en, okEn := CodeMeaning(code, "en")
		if !okZh || !okEn || zh == "" || en == "" {
			t.Errorf("code %d: no meaning in the code table", code)
		}
	}
}

func TestOpenOrderPermissionReturnsWeChatErrors(t *testing.T) {
	assertWeChatErrors(t, []apiCallCase{
		{"/user-order/orders-permission/open", func(c *Client) error { return c.OpenOrderPermission(context.Background()) }},
	})
}
