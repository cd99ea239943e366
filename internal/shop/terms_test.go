package shop

import (
	"errors"
	"fmt"
	"testing"

	"wxshop/internal/wx"
)

// A shipment refused as "updated too often" may be tried again in a moment; any other failure may not.
func TestRetrySoon(t *testing.T) {
	busy := fmt.Errorf("ship: %w", &wx.Error{Code: wx.CodeUpdatedTooOften, Msg: "too often"})
	if !RetrySoon(busy) {
		t.Error("a wrapped 'updated too often' is not offered a retry")
	}
	for _, err := range []error{nil, errors.New("no answer"), &wx.Error{Code: 40001}} {
		if RetrySoon(err) {
			t.Errorf("%v is offered a retry", err)
		}
	}
}

// The four payment methods WeChat documents have their names; 0 (none given) and others do not.
func TestPaymentKnown(t *testing.T) {
	for method, known := range map[int]bool{0: false, wx.PaymentWeChatPay: true, wx.PaymentPayLater: true,
		wx.PaymentPrizeFree: true, wx.PaymentPointsSwaps: true, 99: false} {
		if got := (OrderTerms{PaymentMethod: method}).PaymentKnown(); got != known {
			t.Errorf("payment method %d: known %v, want %v", method, got, known)
		}
	}
}
