package app

import (
	"strconv"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// addOrderTerms fills in what a Channels order says of its delivery and payment (shop.Terms): virtual
// goods, the payment method in words, the buyer's coupon; and the shipping form's default for virtual goods,
// no logistics.
func addOrderTerms(p i18n.Printer, o db.Order, v *templates.OrderView) {
	t := shop.Terms(o)
	v.Virtual, v.NoLogisticsOK = t.Virtual, shop.CanShipWithoutLogistics(o)
	if t.Virtual && v.Ship.Method == "" {
		v.Ship.Method = templates.ShipNoLogistics
	}
	switch {
	case t.PaymentMethod == 0:
	case t.PaymentKnown():
		v.PaymentMethod = p.T("payment.method." + strconv.Itoa(t.PaymentMethod))
	default:
		v.PaymentMethod = p.T("payment.method.other", t.PaymentMethod)
	}
	if t.UserCouponID != "" {
		v.UserCoupon = p.T("orders.user_coupon.id", t.UserCouponID)
	}
	for i := range v.Parcels {
		if v.Parcels[i].Company == "" && v.Parcels[i].TrackingNo == "" {
			v.Parcels[i].Company = p.T("parcel.no_logistics")
		}
	}
}
