package shop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// Shipment is one parcel to send: the courier, the tracking number and, for Channels orders, what is in it.
// An order of virtual goods may go out with no logistics at all: a merchant order with need_delivery 0, a
// Channels order whose deliver_method is 1 with deliver_type 3 (see Terms). A merchant order may also go out
// with a courier the manual's table does not have (is_others 1, Company then the courier's name).
type Shipment struct {
	Company, TrackNo string
	Counts           map[int]int // line index -> pieces; nil: everything left
	NoLogistics      bool        // nothing to hand to a courier: merchant orders, virtual Channels orders
	OtherCourier     bool        // merchant orders: Company is the name of a courier not in the table
}

// CanShipWithoutLogistics reports whether the order may go out with no courier: every merchant order (the
// operator says need_delivery 0) and a Channels order of virtual goods.
func CanShipWithoutLogistics(o db.Order) bool {
	return o.Source == db.SourceMerchant || (o.Source == db.SourceChannels && Terms(o).Virtual)
}

// maxCourierName is how long the name of another courier may be.
const maxCourierName = 40

// CanShip reports whether the app can ship the order now.
func CanShip(o db.Order) bool {
	return CouriersFor(o.Source) != nil && (o.Status == db.OrderToShip || (o.Status == db.OrderPartial && o.Source == db.SourceChannels))
}

// Remaining is how many pieces of each line are still to ship: what was ordered less what the order's parcels
// hold. Only Channels orders ship in parts; an order of another source that no longer waits has nothing left.
func Remaining(o db.Order) []int64 {
	left := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		left[i] = l.Quantity
	}
	if o.Source != db.SourceChannels && o.Status != db.OrderToShip {
		clear(left)
		return left
	}
	for _, pc := range o.Parcels {
		for _, it := range pc.Items {
			n := it.Count
			// Two lines may be the same SKU: the pieces go to the first with some left.
			for i, l := range o.Lines {
				if n > 0 && l.ProductID == it.ProductID && l.SKUID == it.SKUID {
					take := min(left[i], n)
					left[i] -= take
					n -= take
				}
			}
		}
	}
	return left
}

// ParcelLine is one item of a parcel as a person reads it: the line's title and the pieces.
type ParcelLine struct {
	Title string
	Count int64
}

// ParcelLines names what is in a parcel by the order's own lines.
func ParcelLines(o db.Order, pc db.Parcel) []ParcelLine {
	out := make([]ParcelLine, 0, len(pc.Items))
	for _, it := range pc.Items {
		title := it.ProductID
		for _, l := range o.Lines {
			if l.ProductID == it.ProductID && l.SKUID == it.SKUID {
				title = l.Title
				break
			}
		}
		out = append(out, ParcelLine{Title: title, Count: it.Count})
	}
	return out
}

// CheckShipment says what is wrong with a shipment before WeChat is asked, field by field, in p's language.
func (sp *Shop) CheckShipment(p i18n.Printer, o db.Order, s Shipment) map[string]string {
	errs := map[string]string{}
	if !CanShip(o) {
		errs["order"] = p.T("ship.err.status", p.T("status."+o.Status))
		return errs
	}
	if (s.NoLogistics && !CanShipWithoutLogistics(o)) || (s.OtherCourier && o.Source != db.SourceMerchant) {
		errs["ship_method"] = p.T("ship.err.method")
		return errs
	}
	switch {
	case s.NoLogistics:
	case s.OtherCourier:
		if n := len([]rune(s.Company)); n < 2 || n > maxCourierName || strings.ContainsAny(s.Company, "<>\"'") {
			errs["other_company"] = p.T("ship.err.other_company", maxCourierName)
		}
	default:
		found := false
		for _, c := range sp.Couriers(o.Source) {
			found = found || c.ID == s.Company
		}
		if !found {
			errs["delivery_company"] = p.T("ship.err.company")
		}
	}
	if n := len(s.TrackNo); !s.NoLogistics && (n < 6 || n > 40 || strings.ContainsAny(s.TrackNo, " \t/\\\"'<>")) {
		errs["delivery_track_no"] = p.T("ship.err.trackno")
	}
	if s.Counts != nil {
		left := Remaining(o)
		total := 0
		for i, n := range s.Counts {
			if i < 0 || i >= len(o.Lines) || n < 0 || int64(n) > left[i] {
				errs["counts"] = p.T("ship.err.counts")
			}
			total += n
		}
		if total == 0 {
			errs["counts"] = p.T("ship.err.empty")
		}
	}
	return errs
}

// items is what the parcel holds: the counts given, or everything left.
func (sh Shipment) items(o db.Order) []db.ParcelItem {
	left := Remaining(o)
	var items []db.ParcelItem
	for i, l := range o.Lines {
		n := left[i]
		if sh.Counts != nil {
			n = int64(sh.Counts[i])
		}
		if n > 0 {
			items = append(items, db.ParcelItem{ProductID: l.ProductID, SKUID: l.SKUID, Count: n})
		}
	}
	return items
}

// ShipOrder asks WeChat to ship and reads the order back. A failed call after which WeChat holds the parcel (an
// answer lost on the way) is a shipment made. A failure to read it back is not a failed shipment: the order is
// marked shipped locally, so it cannot be shipped twice, and the next sync corrects it.
func (s *Shop) ShipOrder(ctx context.Context, o db.Order, sh Shipment) error {
	var err error
	items := sh.items(o)
	switch o.Source {
	case db.SourceMerchant:
		err = s.wx.SendMerchantDelivery(ctx, o.OrderID, wx.MerchantDelivery{
			NoLogistics: sh.NoLogistics, Company: sh.Company, TrackNo: sh.TrackNo, OtherCourier: sh.OtherCourier})
	case db.SourceChannels:
		parcel := wx.ChannelsDelivery{DeliveryID: sh.Company, WaybillID: sh.TrackNo, DeliverType: wx.ChannelsDeliverSelf}
		if sh.NoLogistics {
			parcel = wx.ChannelsDelivery{DeliverType: wx.ChannelsDeliverVirtual}
		}
		for _, it := range items {
			parcel.ProductInfos = append(parcel.ProductInfos, wx.ChannelsDeliveryProduct{ProductID: it.ProductID, SKUID: it.SKUID, ProductCnt: int(it.Count)})
		}
		err = s.wx.SendChannelsDelivery(ctx, o.OrderID, []wx.ChannelsDelivery{parcel})
	default:
		return fmt.Errorf("orders of %s are shipped in WeChat's own backend", o.Source)
	}
	if err != nil {
		if s.parcelArrived(ctx, o, sh) {
			s.log.Warn("the shipping call failed, but WeChat has the parcel", "order", o.OrderID, "err", err)
			return nil
		}
		return err
	}
	if ferr := s.FetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID); ferr != nil {
		s.log.Warn("shipped, but could not read the order back", "order", o.OrderID, "err", ferr)
		name := sh.Company
		for _, c := range s.Couriers(o.Source) {
			if c.ID == sh.Company {
				name = c.Name
			}
		}
		if !sh.NoLogistics || o.Source == db.SourceChannels {
			o.Parcels = append(o.Parcels, db.Parcel{CompanyID: sh.Company, CompanyName: name, TrackingNo: sh.TrackNo,
				ShippedAt: time.Now(), Items: items})
		}
		o.Status, o.ShippedAt = db.OrderShipped, time.Now()
		if o.Source == db.SourceChannels && anyLeft(Remaining(o)) {
			o.Status = db.OrderPartial
		}
		if _, err := s.store.UpsertOrder(ctx, o); err != nil {
			return storeErr(err)
		}
	}
	return nil
}

func anyLeft(left []int64) bool {
	for _, n := range left {
		if n > 0 {
			return true
		}
	}
	return false
}

// parcelArrived reads the order back after a shipping call that failed, and reports whether WeChat holds
// the parcel all the same: an answer lost on the way, or a -1 after the work was done, is not a failure, and
// the operator must not be asked to ship again what has left.
func (s *Shop) parcelArrived(ctx context.Context, o db.Order, sh Shipment) bool {
	if ctx.Err() != nil || s.FetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID) != nil {
		return false
	}
	fresh, err := s.store.Order(ctx, o.ID)
	if sh.NoLogistics {
		// Shipped without a parcel (merchant), or with one of no tracking number (Channels).
		return err == nil && (fresh.Status != o.Status || len(fresh.Parcels) > len(o.Parcels))
	}
	return err == nil && parcelsWith(fresh, sh.TrackNo) > parcelsWith(o, sh.TrackNo)
}

// parcelsWith counts the order's parcels with this tracking number.
func parcelsWith(o db.Order, trackNo string) int {
	n := 0
	for _, pc := range o.Parcels {
		if strings.EqualFold(pc.TrackingNo, trackNo) {
			n++
		}
	}
	return n
}

// FormShipment is the outcome of the shipping form.
type FormShipment struct {
	Repeat   bool              // the same form again: it was handled already, nothing was sent
	Problems map[string]string // what is wrong with it, field by field; nothing was sent
	Failed   error             // WeChat refused or did not answer
}

// ShipByForm ships one order as the shipping form asks. The form's single-use token makes a double submit
// ship once; a refused or failed shipment frees it, so the operator can try again. The error is the store's.
func (s *Shop) ShipByForm(ctx context.Context, j Journal, p i18n.Printer, o db.Order, token string, sh Shipment) (FormShipment, error) {
	claimed, err := s.store.ClaimShipRequest(ctx, token, o.ID)
	if err != nil {
		return FormShipment{}, storeErr(err)
	}
	if !claimed {
		return FormShipment{Repeat: true}, nil
	}
	if errs := s.CheckShipment(p, o, sh); len(errs) > 0 {
		s.finishShipRequest(ctx, token, false, "")
		return FormShipment{Problems: errs}, nil
	}
	err = s.ShipOrder(ctx, o, sh)
	detail := sh.Company + " " + sh.TrackNo
	switch {
	case sh.NoLogistics && o.Source == db.SourceChannels:
		detail = "deliver_type=3"
	case sh.NoLogistics:
		detail = "need_delivery=0"
	case sh.OtherCourier:
		detail = "is_others=1 " + detail
	}
	j(db.AuditEntry{Action: "order.ship", ObjectType: "order", ObjectID: OrderObject(o), Detail: detail, Outcome: Outcome(err)})
	s.finishShipRequest(ctx, token, err == nil, Outcome(err))
	if IsStoreError(err) {
		return FormShipment{}, err
	}
	return FormShipment{Failed: err}, nil
}

// finishShipRequest records how the form's request ended. Failing to record it does not undo the shipment: a
// success left unrecorded still counts as a repeat; a failure left unrecorded keeps its token, which the
// re-rendered form no longer carries.
func (s *Shop) finishShipRequest(ctx context.Context, token string, shipped bool, outcome string) {
	if err := s.store.FinishShipRequest(context.WithoutCancel(ctx), token, shipped, outcome); err != nil {
		s.log.Error("could not record the outcome of a shipping form", "err", err, "shipped", shipped)
	}
}

// OrderObject is how the audit log names an order.
func OrderObject(o db.Order) string { return o.Source + ":" + o.OrderID }
