package sandbox_test

import (
	"fmt"
	"sync"
	"testing"
)

func TestStockRefuses(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.validProduct()
	id := sh.create(p)
	red := p.SKUList[0].SKUID
	before := sh.stored(id)

	wantCode(t, sh.wx.AddStock(ctx, "pDF3iYnosuchproductnosuchpro", red, 1), codeProductNotFound)
	wantCode(t, sh.wx.AddStock(ctx, id, attrColor+":"+vidBlack+";"+attrSize+":"+vidM, 1), codeSKUNotFound)
	wantCode(t, sh.wx.AddStock(ctx, id, "", 1), codeSKUNotFound) // not a uniform product
	// sku_info is compared as is: the same pairs in another order are not the sku_id.
	wantCode(t, sh.wx.ReduceStock(ctx, id, attrSize+":"+vidM+";"+attrColor+":"+vidRed, 1), codeSKUNotFound)
	wantCode(t, sh.wx.ReduceStock(ctx, id, red, 11), codeStockNotEnough)
	for _, q := range []int{0, -3} { // the client refuses these itself
		wantErr(t, sh.post("/merchant/stock/add", fmt.Sprintf(`{"product_id":%q,"sku_info":%q,"quantity":%d}`, id, red, q)), codeInvalidArgs)
		wantErr(t, sh.post("/merchant/stock/reduce", fmt.Sprintf(`{"product_id":%q,"sku_info":%q,"quantity":%d}`, id, red, q)), codeInvalidArgs)
	}
	wantErr(t, sh.post("/merchant/stock/add", fmt.Sprintf(`{"product_id":%q,"sku_info":%q,"quantity":%d}`, id, red, 1<<31-1)), codeInvalidArgs)
	wantErr(t, sh.post("/merchant/stock/add", `{"sku_info":"","quantity":1}`), codeInvalidArgs)
	sh.wantUnchanged(id, before)

	// Down to exactly zero is fine.
	if err := sh.wx.ReduceStock(ctx, id, red, 10); err != nil {
		t.Fatal(err)
	}
	if q := sh.stored(id).SKUList[0].Quantity; q != 0 {
		t.Errorf("quantity %d", q)
	}
}

// Concurrent stock changes add up: every change happens under the sandbox's lock.
func TestConcurrentStockChanges(t *testing.T) {
	sh := newEmptyShop(t)
	p := sh.validProduct()
	p.SKUList[0].Quantity = 100 // more than the reducers take, so none of them is refused
	id := sh.create(p)
	red := p.SKUList[0].SKUID
	const workers, rounds = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				var err error
				if w%2 == 0 {
					err = sh.wx.AddStock(t.Context(), id, red, 3)
				} else {
					err = sh.wx.ReduceStock(t.Context(), id, red, 1)
				}
				if err != nil {
					errs <- err
				}
				_ = sh.sb.Products()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if q := sh.stored(id).SKUList[0].Quantity; q != 100+3*3*rounds-3*rounds {
		t.Errorf("quantity %d, want %d", q, 100+3*3*rounds-3*rounds)
	}
}
