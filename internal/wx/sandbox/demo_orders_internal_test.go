package sandbox

import (
	"regexp"
	"runtime"
	"slices"
	"testing"
	"time"

	"wxshop/internal/wx"
)

// Buyers live in cities of the region list, with 11-digit mobiles of 13, 15 or 18.
func TestDemoBuyers(t *testing.T) {
	s := New(Options{Seed: 9, Orders: 10})
	mobile := regexp.MustCompile(`^1[358][0-9]{9}$`)
	provinces := map[string]bool{}
	for i := range uint32(2000) {
		b := s.orders.buyer(i)
		if !regions()[b.province][b.city] {
			t.Fatalf("buyer %d lives in %s %s, not in the region list", i, b.province, b.city)
		}
		if !mobile.MatchString(b.mobile) || b.name == "" || b.nick == "" || b.county == "" || b.address == "" {
			t.Fatalf("buyer %d: %+v", i, b)
		}
		provinces[b.province] = true
	}
	if len(provinces) < 25 {
		t.Errorf("2000 buyers in %d provinces", len(provinces))
	}
	for city := range districts {
		found := false
		for _, cities := range regions() {
			found = found || cities[city]
		}
		if !found {
			t.Errorf("districts names %s, which is not a city of the region list", city)
		}
	}
	if len(regionList().list) != len(regions()) {
		t.Errorf("%d provinces with weights, %d in the list", len(regionList().list), len(regions()))
	}
}

// The merchant couriers the demo ships with are the manual's.
func TestDemoCouriers(t *testing.T) {
	var ids []string
	for _, c := range merchantCouriers {
		ids = append(ids, c.id)
		if name, known := wx.MerchantCourierName(c.id); !known || name != c.name {
			t.Errorf("courier %s %s is not the manual's", c.id, c.name)
		}
	}
	if len(ids) != len(wx.MerchantCouriers()) {
		t.Errorf("%d couriers, the manual has %d", len(ids), len(wx.MerchantCouriers()))
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Error("a courier is listed twice")
	}
}

// A large shop is quick to make and small to keep. The bound on time is generous, for -race on a slow machine;
// BenchmarkDemoOrders measures.
func TestManyDemoOrders(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 100 000 orders")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	s := New(Options{Seed: 1, Orders: 100_000})
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n := s.OrderCount(""); n != 100_000 {
		t.Fatalf("%d orders", n)
	}
	if took > 10*time.Second {
		t.Errorf("100 000 orders took %v", took)
	}
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 100<<20 {
		t.Errorf("100 000 orders hold %d MB", grown>>20)
	}
	runtime.KeepAlive(s)
	t.Logf("100 000 orders in %v, %d MB", took, (int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
}

func BenchmarkDemoOrders(b *testing.B) {
	for b.Loop() {
		New(Options{Seed: 1, Orders: 100_000})
	}
}
