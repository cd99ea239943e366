package wx

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// AddStock adds quantity to the stock of one SKU of the product. skuInfo is the SKU's sku_id
// ("id1:vid1;id2:vid2", see SKUID), or "" for a product with one uniform spec.
func (c *Client) AddStock(ctx context.Context, productID, skuInfo string, quantity int) error {
	return c.changeStock(ctx, "/merchant/stock/add", productID, skuInfo, quantity)
}

// ReduceStock takes quantity off the stock of one SKU of the product; skuInfo as for AddStock.
func (c *Client) ReduceStock(ctx context.Context, productID, skuInfo string, quantity int) error {
	return c.changeStock(ctx, "/merchant/stock/reduce", productID, skuInfo, quantity)
}

func (c *Client) changeStock(ctx context.Context, path, productID, skuInfo string, quantity int) error {
	if productID == "" {
		return errNoProductID(path)
	}
	// The manual gives no meaning to a zero or negative change; the other call is the way to go down.
	if quantity <= 0 {
		return fmt.Errorf("wx: %s: quantity %d must be positive", path, quantity)
	}
	if _, err := ParseSKUInfo(skuInfo); err != nil {
		return fmt.Errorf("wx: %s: %w", path, err)
	}
	req := struct {
		ProductID string `json:"product_id"`
		SKUInfo   string `json:"sku_info"`
		Quantity  int    `json:"quantity"`
	}{productID, skuInfo, quantity}
	return c.PostWrite(ctx, path, req, nil)
}

// SKUPair is one "id:vid" of a sku_info string: a SKU attribute (SKUAttribute.ID, or "$text" for a custom
// one) and the value chosen for it (SKUValue.ID, or "$text").
type SKUPair struct {
	ID  ID
	VID ID
}

// ErrInvalidSKUInfo is wrapped by every error of ParseSKUInfo, so a form can tell bad input from other
// failures.
var ErrInvalidSKUInfo = errors.New("invalid sku_info")

// SKUID formats pairs as the manual's "id1:vid1;id2:vid2", the sku_id of a SKU and the sku_info of the
// stock calls; no pairs give "", the product with one uniform spec. The pairs must be valid for
// ParseSKUInfo (no empty part, no ':' or ';' inside one, no attribute twice), or the result will not parse.
func SKUID(pairs []SKUPair) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(p.ID))
		b.WriteByte(':')
		b.WriteString(string(p.VID))
	}
	return b.String()
}

// ParseSKUInfo splits "id1:vid1;id2:vid2" into its pairs, in order; "" gives no pairs (uniform spec).
// It is strict, with no trimming of spaces, so that SKUID(ParseSKUInfo(s)) == s: the string is a key that
// WeChat compares as is.
func ParseSKUInfo(s string) ([]SKUPair, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	pairs := make([]SKUPair, 0, len(parts))
	seen := make(map[ID]bool, len(parts))
	for i, part := range parts {
		id, vid, ok := strings.Cut(part, ":")
		switch {
		case part == "":
			return nil, fmt.Errorf("%w %q: pair %d is empty", ErrInvalidSKUInfo, s, i+1)
		case !ok:
			return nil, fmt.Errorf("%w %q: pair %q has no ':'", ErrInvalidSKUInfo, s, part)
		case strings.Contains(vid, ":"):
			return nil, fmt.Errorf("%w %q: pair %q has more than one ':'", ErrInvalidSKUInfo, s, part)
		case id == "":
			return nil, fmt.Errorf("%w %q: pair %q has no attribute id", ErrInvalidSKUInfo, s, part)
		case vid == "":
			return nil, fmt.Errorf("%w %q: pair %q has no value id", ErrInvalidSKUInfo, s, part)
		case seen[ID(id)]:
			// One value per attribute: a SKU is a single point in the sku_table, like "white, size 37".
			return nil, fmt.Errorf("%w %q: attribute %q appears twice", ErrInvalidSKUInfo, s, id)
		}
		seen[ID(id)] = true
		pairs = append(pairs, SKUPair{ID: ID(id), VID: ID(vid)})
	}
	return pairs, nil
}
