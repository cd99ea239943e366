package sandbox_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The demo orders cover every source in every stage, lie in the last 60 days, buy the demo products at their
// prices, and are the same for the same seed.
func TestDemoOrders(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	now := sh.clock.Now()
	if n := sh.sb.OrderCount(""); n != 400 {
		t.Fatalf("%d demo orders, want 400", n)
	}

	type sku struct {
		price int
		code  string
		name  string
	}
	skus := map[string]map[string]sku{} // merchant product id -> sku_id
	byCode := map[string]sku{}
	for _, p := range sh.sb.Products() {
		skus[p.ProductID] = map[string]sku{}
		for _, s := range p.SKUList {
			v := sku{s.Price, s.ProductCode, p.ProductBase.Name}
			skus[p.ProductID][s.SKUID] = v
			byCode[s.ProductCode] = v
		}
	}

	const cancelled = -1
	stages := map[string][]int{
		sandbox.SourceMerchant: {wx.MerchantOrderToShip, wx.MerchantOrderShipped, wx.MerchantOrderDone, wx.MerchantOrderInDispute, 6},
		sandbox.SourceShop:     {10, 20, 21, 30, 100, cancelled},
		sandbox.SourceChannels: {10, 20, 21, 30, 100, cancelled},
		sandbox.SourcePartner:  {10, 20, 21, 30, 100, cancelled},
	}
	for source, statuses := range stages {
		ids := sh.sb.OrderIDs(source, 0)
		seen := map[int]bool{}
		aftersale, discounted, freight, twoParcels := false, false, false, false
		for _, id := range ids {
			o := sh.order(source, id)
			seen[o.Status] = true
			if o.Status >= wx.ShopOrderCancelledRefunded {
				seen[cancelled] = true // 181, 190, 200, 250: every way of being cancelled
			}
			aftersale = aftersale || o.Aftersale
			if o.Created.Before(now.Add(-60*24*time.Hour)) || o.Created.After(now) || o.Updated.Before(o.Created) || o.Updated.After(now) ||
				(!o.Paid.IsZero() && (o.Paid.Before(o.Created) || o.Paid.After(o.Updated))) {
				t.Errorf("%s %s: created %v, paid %v, updated %v", source, id, o.Created, o.Paid, o.Updated)
			}
			sum := 0
			for _, l := range o.Lines {
				sum += l.PriceFen * l.Count
				if l.Count < 1 || l.Shipped > l.Count {
					t.Errorf("%s %s: line %+v", source, id, l)
				}
			}
			discounted = discounted || o.TotalFen < sum
			freight = freight || o.TotalFen > sum
			twoParcels = twoParcels || len(o.Parcels) > 1
			for _, p := range o.Parcels {
				// A virtual order's parcels went out with no courier (deliver_type 3).
				if (!o.Virtual && (p.Company == "" || len(p.TrackingNo) < 10)) || (o.Virtual && p.Company+p.TrackingNo != "") ||
					len(p.Items) == 0 || p.Time.Before(o.Created) || p.Time.After(now) {
					t.Errorf("%s %s: parcel %+v", source, id, p)
				}
				if _, known := wx.MerchantCourierName(p.Company); source == sandbox.SourceMerchant && !known {
					t.Errorf("%s %s: courier %q", source, id, p.Company)
				}
			}
			shipped := o.Status == 3 || o.Status == 5 || o.Status == 30 || o.Status == 100 || o.Status == 21
			if shipped != (len(o.Parcels) > 0) && !o.Aftersale {
				t.Errorf("%s %s: status %d with %d parcels", source, id, o.Status, len(o.Parcels))
			}
			if source == sandbox.SourceMerchant {
				s, found := skus[o.Lines[0].ProductID][o.Lines[0].SKUID]
				if len(o.Lines) != 1 || !found || s.price != o.Lines[0].PriceFen || s.name != o.Lines[0].Title {
					t.Errorf("merchant %s: line %+v is no demo SKU at its price", id, o.Lines)
				}
			}
		}
		for _, st := range statuses {
			if !seen[st] {
				t.Errorf("%s: no order in status %d (%d orders: %v)", source, st, len(ids), seen)
			}
		}
		if !aftersale {
			t.Errorf("%s: no order in after-sale", source)
		}
		if source != sandbox.SourceMerchant && !discounted {
			t.Errorf("%s: no discounts", source)
		}
		if !freight {
			t.Errorf("%s: no freight", source)
		}
		if source == sandbox.SourceChannels && !twoParcels {
			t.Errorf("%s: never two parcels", source)
		}
	}

	// The Channels answers name the demo SKUs by code, at their prices, and add up.
	for _, id := range sh.sb.OrderIDs(sandbox.SourceChannels, wx.ShopOrderDone)[:20] {
		o, err := sh.wx.ChannelsOrder(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		price := o.OrderDetail.PriceInfo
		sum := 0
		for _, p := range o.OrderDetail.ProductInfos {
			s, found := byCode[p.SKUCode]
			if !found || s.price != p.SalePrice || s.name != p.Title {
				t.Errorf("%s: line %+v", id, p)
			}
			sum += p.SalePrice * p.SKUCnt
		}
		if price.ProductPrice != sum || price.OrderPrice != sum+price.Freight-price.DiscountedPrice {
			t.Errorf("%s: price %+v, lines %d", id, price, sum)
		}
	}

	// Receivers look Chinese, with mobiles of 13/15/18.
	orders, err := sh.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, o := range orders {
		names[o.ReceiverName] = true
		n := utf8.RuneCountInString(o.ReceiverName)
		if n < 2 || n > 5 || !mobilePattern.MatchString(o.ReceiverMobile) || o.ReceiverAddress == "" ||
			!(strings.HasSuffix(o.ReceiverProvince, "省") || strings.HasSuffix(o.ReceiverProvince, "市") || strings.HasSuffix(o.ReceiverProvince, "自治区")) ||
			!strings.HasPrefix(o.BuyerOpenID, "o") || len(o.BuyerOpenID) != 28 || len(o.TransID) != 28 {
			t.Errorf("order %+v", o)
		}
	}
	if len(names) < len(orders)/3 {
		t.Errorf("%d names for %d orders", len(names), len(orders))
	}
}

func TestDemoOrdersAreDeterministic(t *testing.T) {
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	mk := func(seed int64) *sandbox.Server {
		return sandbox.New(sandbox.Options{Seed: seed, Orders: 300, Now: func() time.Time { return at }})
	}
	a, b := mk(5), mk(5)
	for _, source := range []string{sandbox.SourceMerchant, sandbox.SourceShop, sandbox.SourceChannels, sandbox.SourcePartner} {
		ids := a.OrderIDs(source, 0)
		if !slices.Equal(ids, b.OrderIDs(source, 0)) {
			t.Fatalf("%s: the same seed made other orders", source)
		}
		for _, id := range ids {
			oa, _ := a.Order(source, id)
			ob, _ := b.Order(source, id)
			if !reflect.DeepEqual(oa, ob) {
				t.Fatalf("%s %s: %+v vs %+v", source, id, oa, ob)
			}
		}
		if slices.Equal(ids, mk(6).OrderIDs(source, 0)) {
			t.Errorf("%s: another seed made the same orders", source)
		}
	}
	// New orders follow the seed too.
	if a.NewPaidOrder(sandbox.SourceChannels) != b.NewPaidOrder(sandbox.SourceChannels) {
		t.Error("NewPaidOrder differs for the same seed")
	}
}

func TestDemoOrdersCount(t *testing.T) {
	for orders, want := range map[int]int{-1: 0, 1: 1, 30: 30, 1000: 1000} {
		sb := sandbox.New(sandbox.Options{Seed: 2, Orders: orders})
		if got := sb.OrderCount(""); got != want {
			t.Errorf("Orders %d: %d orders", orders, got)
		}
	}
	if got := sandbox.New(sandbox.Options{Seed: 2, Orders: 50, Empty: true}).OrderCount(""); got != 0 {
		t.Errorf("an Empty shop has %d orders", got)
	}
}
