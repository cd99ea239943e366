package wx

import (
	"context"
	"encoding/json"
	"fmt"
)

// PartnerOrder is the Order structure of partner-store-order-get.md: an order a Mini Program placed, as a
// sales channel, in a Weixin Store whose co-account it is. The document gives it no order id nor times, and
// its answer example has no status and no real_price: both are pointers, nil when absent.
type PartnerOrder struct {
	// Status is the store's order status (ShopOrderToPay and friends); nil when the answer has none, which
	// means unknown, not 0.
	Status  *int   `json:"status,omitempty"`
	OpenID  string `json:"openid"`
	UnionID string `json:"unionid,omitempty"` // only when the store is bound to an open platform account
	// OrderDetail holds the products and the prices.
	OrderDetail PartnerOrderDetail `json:"order_detail"`

	// Raw is the order as WeChat answered it; Warnings the fields of an unexpected shape, only in Raw.
	Raw      json.RawMessage `json:"-"`
	Warnings []FieldWarning  `json:"-"`
}

// PartnerOrderDetail is OrderDetail.
type PartnerOrderDetail struct {
	ProductInfos []PartnerOrderProduct `json:"product_infos"`
	PriceInfo    PartnerOrderPrice     `json:"price_info"`
}

// PartnerOrderProduct is ProductInfo: one SKU of the order. Prices are in fen; SalePrice and MarketPrice are per
// piece, RealPrice, EstimatePrice and ChangePrice for all SKUCnt pieces.
type PartnerOrderProduct struct {
	ProductID   ID             `json:"product_id"`
	SKUID       ID             `json:"sku_id"`
	ThumbImg    string         `json:"thumb_img"`
	SKUCnt      int            `json:"sku_cnt"`
	SalePrice   int            `json:"sale_price"`
	Title       string         `json:"title"`
	SKUCode     string         `json:"sku_code"`
	MarketPrice int            `json:"market_price"`
	SKUAttrs    []OrderSKUAttr `json:"sku_attrs"`
	// RealPrice is what was paid for the SKU: the smaller of EstimatePrice and ChangePrice. The document's
	// answer example leaves it out: nil then, and LineTotal works it out from what is there.
	RealPrice     *int `json:"real_price,omitempty"`
	IsDiscounted  bool `json:"is_discounted,omitempty"`
	EstimatePrice int  `json:"estimate_price,omitempty"` // after every discount; given when IsDiscounted
	IsChangePrice bool `json:"is_change_price,omitempty"`
	ChangePrice   int  `json:"change_price,omitempty"` // after the merchant changed the price; given when IsChangePrice
}

// LineTotal is what the SKU's SKUCnt pieces cost, in fen: RealPrice when the answer gives it, else the
// smaller of the discounted and the changed price that are given, else SalePrice × SKUCnt.
func (p PartnerOrderProduct) LineTotal() int {
	if p.RealPrice != nil {
		return *p.RealPrice
	}
	total := p.SalePrice * p.SKUCnt
	if p.IsDiscounted && p.EstimatePrice > 0 {
		total = min(total, p.EstimatePrice)
	}
	if p.IsChangePrice && p.ChangePrice > 0 {
		total = min(total, p.ChangePrice)
	}
	return total
}

// PartnerOrderPrice is PriceInfo. Every amount is in fen. MerchantReceievePrice keeps the document's spelling
// of merchant_receieve_price, since that is the key on the wire.
type PartnerOrderPrice struct {
	ProductPrice int `json:"product_price"`
	// OrderPrice is what the buyer paid: OriginalOrderPrice - DiscountedPrice - FinderDiscountedPrice -
	// DeductionPrice - ChangeDownPrice.
	OrderPrice           int  `json:"order_price"`
	Freight              int  `json:"freight"`
	DiscountedPrice      int  `json:"discounted_price,omitempty"` // given when there is a merchant discount
	IsDiscounted         bool `json:"is_discounted"`
	OriginalOrderPrice   int  `json:"original_order_price"` // ProductPrice + Freight
	EstimateProductPrice int  `json:"estimate_product_price"`
	ChangeDownPrice      int  `json:"change_down_price"`
	ChangeFreight        int  `json:"change_freight"`
	IsChangeFreight      bool `json:"is_change_freight"`
	UseDeduction         bool `json:"use_deduction"` // member points were used
	DeductionPrice       int  `json:"deduction_price"`
	// MerchantReceievePrice is what the merchant receives: OriginalOrderPrice - DiscountedPrice -
	// DeductionPrice - ChangeDownPrice.
	MerchantReceievePrice   int `json:"merchant_receieve_price"`
	MerchantDiscountedPrice int `json:"merchant_discounted_price"` // the same as DiscountedPrice
	FinderDiscountedPrice   int `json:"finder_discounted_price"`
}

// PartnerStoreOrder returns an order that the Mini Program placed in the partner store shopAppID. Both values
// come from the partner-store order event; orderID is not the store's own order id.
func (c *Client) PartnerStoreOrder(ctx context.Context, shopAppID, orderID string) (*PartnerOrder, error) {
	const path = "/channels/ec/cooperation/order/get"
	if shopAppID == "" {
		return nil, fmt.Errorf("wx: %s: empty shop appid", path)
	}
	if orderID == "" {
		return nil, errNoOrderID(path)
	}
	req := struct {
		ShopAppID string `json:"shop_appid"`
		OrderID   string `json:"order_id"`
	}{shopAppID, orderID}
	raw, err := c.readOrder(ctx, path, req)
	if err != nil {
		return nil, err
	}
	o := &PartnerOrder{}
	o.Warnings = c.decodeOrder(ctx, path, raw, o)
	o.Raw = raw
	return o, nil
}
