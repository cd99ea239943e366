package shop

import (
	"context"
	"slices"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

const pathChannelsGet = "/channels/ec/order/get"

// channelsOrderWithPieces makes paid Channels orders until one has a line of two pieces or more, and answers it
// as the mirror holds it after a sync.
func channelsOrderWithPieces(t *testing.T, ts *testShop) db.Order {
	t.Helper()
	ctx := t.Context()
	for range 50 {
		id := ts.sandbox.NewPaidOrder(sandbox.SourceChannels)
		if _, err := ts.FetchOrderID(ctx, db.SourceChannels, "", id); err != nil {
			t.Fatal(err)
		}
		o, err := ts.store.OrderBySourceID(ctx, db.SourceChannels, "", id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Lines[0].Quantity >= 2 {
			return o
		}
	}
	t.Fatal("no Channels order with two pieces of a line")
	return db.Order{}
}

// A parcel's contents are the product, SKU and pieces it holds; what is left to ship is the order's lines less
// its parcels, whatever the titles say.
func TestShipAChannelsOrderInParts(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	o := channelsOrderWithPieces(t, ts)
	line := o.Lines[0]
	if err := ts.ShipOrder(ctx, o, Shipment{Company: "SF", TrackNo: "SF1000000001", Counts: map[int]int{0: 1}}); err != nil {
		t.Fatal(err)
	}
	o, _ = ts.store.Order(ctx, o.ID)
	if o.Status != db.OrderPartial || len(o.Parcels) != 1 {
		t.Fatalf("after one piece: %s with %d parcels", o.Status, len(o.Parcels))
	}
	if want := []db.ParcelItem{{ProductID: line.ProductID, SKUID: line.SKUID, Count: 1}}; !slices.Equal(o.Parcels[0].Items, want) {
		t.Errorf("the parcel holds %+v, want %+v", o.Parcels[0].Items, want)
	}
	if left := Remaining(o); left[0] != line.Quantity-1 {
		t.Errorf("left to ship %v, want %d of the first line", left, line.Quantity-1)
	}
	// The rest, as a CSV row ships it: whatever is left.
	if err := ts.ShipOrder(ctx, o, Shipment{Company: "SF", TrackNo: "SF1000000002"}); err != nil {
		t.Fatal(err)
	}
	o, _ = ts.store.Order(ctx, o.ID)
	if o.Status != db.OrderShipped || slices.ContainsFunc(Remaining(o), func(n int64) bool { return n != 0 }) {
		t.Errorf("after the rest: %s, left %v", o.Status, Remaining(o))
	}
}

// A title holding "×3" once made the pieces of a parcel kept as text miscount; kept as data, one piece of
// "袜子 ×3 双装" is one piece. The read-back after shipping fails here, so the parcel is the one the shop
// writes itself.
func TestATitleWithTimesThreeCountsItsPieces(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{Orders: -1})
	ctx := context.Background()
	o := channelsOrderWithPieces(t, ts)
	o.Lines[0].Title = "袜子 ×3 双装"
	if _, err := ts.store.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	ts.sandbox.FailNext(pathChannelsGet, -1, "system error", 10) // no read-back: the shop records the parcel
	if err := ts.ShipOrder(ctx, o, Shipment{Company: "SF", TrackNo: "SF2000000001", Counts: map[int]int{0: 1}}); err != nil {
		t.Fatal(err)
	}
	got, err := ts.store.Order(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != db.OrderPartial {
		t.Errorf("one of %d pieces shipped, the order is %s", o.Lines[0].Quantity, got.Status)
	}
	if left := Remaining(got); left[0] != o.Lines[0].Quantity-1 {
		t.Errorf("left %v, want %d of the first line", left, o.Lines[0].Quantity-1)
	}
	lines := ParcelLines(got, got.Parcels[len(got.Parcels)-1])
	if !slices.Equal(lines[:1], []ParcelLine{{Title: "袜子 ×3 双装", Count: 1}}) {
		t.Errorf("the parcel reads %+v", lines)
	}
}

// Remaining is worked out from the parcels alone, for every source.
func TestRemaining(t *testing.T) {
	lines := []db.OrderLine{{ProductID: "p", SKUID: "a", Quantity: 3}, {ProductID: "p", SKUID: "b", Quantity: 1}}
	for _, tc := range []struct {
		name    string
		o       db.Order
		want    []int64
		canShip bool
	}{
		{"channels, nothing sent", db.Order{Source: db.SourceChannels, Status: db.OrderToShip, Lines: lines}, []int64{3, 1}, true},
		{"channels, in part", db.Order{Source: db.SourceChannels, Status: db.OrderPartial, Lines: lines,
			Parcels: []db.Parcel{{Items: []db.ParcelItem{{ProductID: "p", SKUID: "a", Count: 2}}}}}, []int64{1, 1}, true},
		{"channels, all", db.Order{Source: db.SourceChannels, Status: db.OrderShipped, Lines: lines,
			Parcels: []db.Parcel{{Items: []db.ParcelItem{{ProductID: "p", SKUID: "a", Count: 3}, {ProductID: "p", SKUID: "b", Count: 1}}}}}, []int64{0, 0}, false},
		{"merchant, waiting", db.Order{Source: db.SourceMerchant, Status: db.OrderToShip, Lines: lines[:1]}, []int64{3}, true},
		{"merchant, shipped elsewhere", db.Order{Source: db.SourceMerchant, Status: db.OrderShipped, Lines: lines[:1]}, []int64{0}, false},
		{"shop orders ship in WeChat", db.Order{Source: db.SourceShop, Status: db.OrderToShip, Lines: lines[:1]}, []int64{3}, false},
	} {
		if got := Remaining(tc.o); !slices.Equal(got, tc.want) {
			t.Errorf("%s: remaining %v, want %v", tc.name, got, tc.want)
		}
		if got := CanShip(tc.o); got != tc.canShip {
			t.Errorf("%s: CanShip %v", tc.name, got)
		}
	}
}
