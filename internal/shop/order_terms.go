package shop

import (
	"encoding/json"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// OrderTerms is what a Channels order says of how it is delivered and paid beyond the order model: read from
// the answer kept with the order (db.Order.Raw), so orders stored before the app read these fields show them
// too. Orders of the other sources, and answers without the fields, have the zero value.
type OrderTerms struct {
	// Virtual: delivery_info.deliver_method is 1, virtual goods; shipped with no courier (deliver_type 3).
	Virtual bool
	// PaymentMethod is pay_info.payment_method (wx.PaymentWeChatPay and friends); 0 when the answer has none.
	PaymentMethod int
	// UserCouponID is coupon_info.user_coupon_id, the buyer's coupon used on the order; "" when none.
	UserCouponID string
}

// Terms reads the order's OrderTerms. A raw answer that cannot be read gives the zero value: the order is
// then shown and shipped as an ordinary one, as WeChat would refuse a virtual shipment of it anyway.
func Terms(o db.Order) OrderTerms {
	if o.Source != db.SourceChannels || len(o.Raw) == 0 {
		return OrderTerms{}
	}
	var raw struct {
		OrderDetail struct {
			DeliveryInfo struct {
				DeliverMethod json.Number `json:"deliver_method"`
			} `json:"delivery_info"`
			PayInfo struct {
				PaymentMethod json.Number `json:"payment_method"`
			} `json:"pay_info"`
			CouponInfo struct {
				UserCouponID wx.ID `json:"user_coupon_id"`
			} `json:"coupon_info"`
		} `json:"order_detail"`
	}
	if json.Unmarshal(o.Raw, &raw) != nil {
		return OrderTerms{}
	}
	d := raw.OrderDetail
	method, _ := d.DeliveryInfo.DeliverMethod.Int64()
	pay, _ := d.PayInfo.PaymentMethod.Int64()
	return OrderTerms{Virtual: method == wx.DeliverMethodVirtual, PaymentMethod: int(pay), UserCouponID: string(d.CouponInfo.UserCouponID)}
}

// PaymentKnown reports whether the catalog names the order's payment method ("payment.method.N"): one of the
// four WeChat documents. 0 (no method in the answer) and others are not.
func (t OrderTerms) PaymentKnown() bool {
	switch t.PaymentMethod {
	case wx.PaymentWeChatPay, wx.PaymentPayLater, wx.PaymentPrizeFree, wx.PaymentPointsSwaps:
		return true
	}
	return false
}
