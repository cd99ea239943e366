package sandbox

import (
	"reflect"
	"testing"

	"wxshop/internal/wx"
)

// The demo templates, groups and shelves pass the rules their calls apply, through the same validators; and
// what the validators store is what the demo stored. The demo products, some of which now charge by a demo
// template, are checked by TestDemoProductsPassValidation.
func TestDemoStorefrontPassesValidation(t *testing.T) {
	s := New(Options{Seed: 1})
	const base = "http://sandbox.test"
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.templates.order) != len(demoTemplates) || len(s.groups.order) != len(demoGroups) || len(s.shelves.order) != 2 {
		t.Fatalf("%d templates, %d groups, %d shelves", len(s.templates.order), len(s.groups.order), len(s.shelves.order))
	}
	for _, id := range s.templates.order {
		held := s.templates.byID[id]
		stored, err := checkTemplate(cloneTemplate(held))
		if err != nil {
			t.Errorf("template %s: %v", held.Name, err)
			continue
		}
		stored.ID = id
		if !reflect.DeepEqual(stored, held) {
			t.Errorf("template %s: checkTemplate stores\n%+v\nbut the demo holds\n%+v", held.Name, stored, held)
		}
	}
	for _, id := range s.groups.order {
		g := s.groups.byID[id]
		if err := s.checkGroup(g.name, g.products, id); err != nil {
			t.Errorf("group %s: %v", g.name, err)
		}
	}
	for _, id := range s.shelves.order {
		held := s.shelves.byID[id]
		sent := shelfInfo(held, base)
		stored, err := s.checkShelf(&shelfRequest{ShelfData: &sent.ShelfInfo, ShelfBanner: sent.ShelfBanner, ShelfName: sent.ShelfName}, base)
		if err != nil {
			t.Errorf("shelf %s: %v", held.ShelfName, err)
			continue
		}
		stored.ShelfID = id
		if !reflect.DeepEqual(stored, held) {
			t.Errorf("shelf %s: checkShelf stores\n%+v\nbut the demo holds\n%+v", held.ShelfName, stored, held)
		}
	}
}

// The region list is the manual's: 中国, 31 provinces, 339 cities.
func TestRegions(t *testing.T) {
	cities := 0
	for _, c := range regions() {
		cities += len(c)
	}
	if len(regions()) != 31 || cities != 339 {
		t.Errorf("%d provinces, %d cities", len(regions()), cities)
	}
	for _, r := range []wx.CustomFeeRule{
		{DestCountry: "中国", DestProvince: "北京市", DestCity: "北京市"},
		{DestCountry: "中国", DestProvince: "新疆维吾尔自治区"},
		{DestCountry: "中国", DestProvince: "吉林省", DestCity: "延边朝鲜族自治州"},
	} {
		if err := checkDestination(r); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
}
