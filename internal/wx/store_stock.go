package wx

import (
	"context"
	"fmt"
)

// Stock of a 微信小店 product's SKUs (shared/api/store/stock.md). It changes at once, without audit, but only
// for products listed successfully at least once and not in audit.

// How stock/update changes the stock (diff_type).
const (
	StockAdd    = 1 // 增加
	StockReduce = 2 // 减少
	StockSet    = 3 // 设置: discouraged, concurrent orders make it unpredictable
)

// UpdateStoreStock changes one SKU's stock by num (StockAdd, StockReduce) or to num (StockSet).
func (c *Client) UpdateStoreStock(ctx context.Context, productID, skuID ID, diffType int, num int64) error {
	const path = "/channels/ec/product/stock/update"
	switch {
	case productID == "":
		return errNoProductID(path)
	case skuID == "":
		return fmt.Errorf("wx: %s: no sku_id", path)
	case diffType < StockAdd || diffType > StockSet:
		return fmt.Errorf("wx: %s: diff_type %d is not 1, 2 or 3", path, diffType)
	case num < 0 || num == 0 && diffType != StockSet:
		// WeChat answers 10020218 for an add or reduce of 0.
		return fmt.Errorf("wx: %s: num %d must be positive", path, num)
	}
	req := struct {
		ProductID ID    `json:"product_id"`
		SKUID     ID    `json:"sku_id"`
		DiffType  int   `json:"diff_type"`
		Num       int64 `json:"num"`
	}{productID, skuID, diffType, num}
	return c.PostWrite(ctx, path, req, nil)
}

// StoreStock is one SKU's stock as stock/get and stock/batchget answer it.
type StoreStock struct {
	SKUID                   ID                    `json:"sku_id,omitempty"` // batchget only
	NormalStockNum          FlexInt               `json:"normal_stock_num"`
	LimitedDiscountStockNum FlexInt               `json:"limited_discount_stock_num"`
	WarehouseStocks         []StoreWarehouseStock `json:"warehouse_stocks"`
	FinderTotalNum          FlexInt               `json:"finder_total_num,omitempty"`
	TotalStockNum           FlexInt               `json:"total_stock_num"`
}

// StoreWarehouseStock is the stock of one regional warehouse.
type StoreWarehouseStock struct {
	OutWarehouseID string  `json:"out_warehouse_id"`
	Num            FlexInt `json:"num"`
	LockStock      FlexInt `json:"lock_stock,omitempty"`
}

// StoreStock reads one SKU's stock, e.g. after a stock/update whose answer was lost.
func (c *Client) StoreStock(ctx context.Context, productID, skuID ID) (*StoreStock, error) {
	const path = "/channels/ec/product/stock/get"
	if productID == "" {
		return nil, errNoProductID(path)
	}
	if skuID == "" {
		return nil, fmt.Errorf("wx: %s: no sku_id", path)
	}
	req := struct {
		ProductID ID `json:"product_id"`
		SKUID     ID `json:"sku_id"`
	}{productID, skuID}
	var ans struct {
		Data StoreStock `json:"data"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans.Data, nil
}

// StoreProductStock is the stock of every SKU of one product, from stock/batchget.
type StoreProductStock struct {
	ProductID ID           `json:"product_id"`
	SKUStock  []StoreStock `json:"sku_stock"`
}

// MaxStockBatch is how many products one stock/batchget may ask for.
const MaxStockBatch = 50

// StoreStocks reads the stock of all SKUs of up to 50 products.
func (c *Client) StoreStocks(ctx context.Context, productIDs []ID) ([]StoreProductStock, error) {
	const path = "/channels/ec/product/stock/batchget"
	if len(productIDs) == 0 || len(productIDs) > MaxStockBatch {
		return nil, fmt.Errorf("wx: %s: %d products, want 1–%d", path, len(productIDs), MaxStockBatch)
	}
	req := struct {
		ProductID []ID `json:"product_id"` // singular, as the page names it
	}{productIDs}
	var ans struct {
		Data struct {
			SPUStockList []StoreProductStock `json:"spu_stock_list"`
		} `json:"data"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return ans.Data.SPUStockList, nil
}
