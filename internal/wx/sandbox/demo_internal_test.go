package sandbox

import (
	"reflect"
	"testing"
)

// Every demo product passes the rules create applies, through the same checkProduct; and what it stores is
// what the demo stored, so nothing in the demo data depends on being put in without a check.
func TestDemoProductsPassValidation(t *testing.T) {
	s := New(Options{Seed: 1})
	const base = "http://sandbox.test"
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.products.order) != len(demoProducts) {
		t.Fatalf("%d products for %d demo products", len(s.products.order), len(demoProducts))
	}
	for _, id := range s.products.order {
		sp := s.products.byID[id]
		sent := cloneProduct(sp.p)
		globalizeImages(sent, base)
		stored, err := s.checkProduct(sent, base)
		if err != nil {
			t.Errorf("%s (%s): %v", sp.p.ProductBase.Name, id, err)
			continue
		}
		stored.ProductID = id
		if !reflect.DeepEqual(stored, sp.p) {
			t.Errorf("%s: checkProduct stores\n%+v\nbut the demo holds\n%+v", sp.p.ProductBase.Name, stored, sp.p)
		}
	}
}

// The error codes are one table: no two variables share a code.
func TestCatalogCodesAreDistinct(t *testing.T) {
	seen := map[int]string{}
	for _, e := range []*apiError{
		errInvalidArgs, errInvalidFileType, errInvalidMediaSize, errEmptyMedia, errProductNotFound,
		errCategoryNotFound, errCategoryNotLeaf, errInvalidProperty, errInvalidSKUInfo, errSKUIDMismatch,
		errPriceNotBelowOri, errImageNotOurs, errFrozenField, errSKUNotFound, errStockNotEnough,
		errTemplateNotFound, errTemplateInUse, errRegionNotFound, errValuation, errGroupNotFound,
		errGroupNameTaken, errGroupInUse, errProductInGroup, errProductNotInGroup, errShelfNotFound,
		errShelfControl, errControl5Alone, errDataFormat, errSystem,
	} {
		if other, dup := seen[e.Code]; dup {
			t.Errorf("%d is both %q and %q", e.Code, other, e.Msg)
		}
		seen[e.Code] = e.Msg
	}
}
