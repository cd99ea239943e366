package wx

import (
	"context"
	"fmt"
)

// The shop window (橱窗, store/window/product/*): the order of the products on the shop's home page, which
// of them are pinned and which hidden. Shapes from SKIT's models; not the 视频号 creator's /channels/ec/window.

// WindowProduct is one product of the window in its order.
type WindowProduct struct {
	ProductID ID       `json:"product_id"`
	IsSetHide FlexBool `json:"is_set_hide"`
	IsSetTop  FlexBool `json:"is_set_top"`
}

// WindowPage is one page of the window.
type WindowPage struct {
	Products []WindowProduct `json:"products"`
	TotalNum FlexInt         `json:"total_num"`
	NextKey  string          `json:"next_key"`
}

// WindowProducts reads a page of the window in the order buyers see it.
func (c *Client) WindowProducts(ctx context.Context, pageSize int, nextKey string) (*WindowPage, error) {
	if pageSize <= 0 {
		pageSize = 10
	}
	req := struct {
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key,omitempty"`
	}{pageSize, nextKey}
	var ans WindowPage
	if err := c.PostRead(ctx, "/channels/ec/store/window/product/list/get", req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// ReorderWindowProduct moves a product to position index (index_num).
func (c *Client) ReorderWindowProduct(ctx context.Context, productID ID, index int) error {
	const path = "/channels/ec/store/window/product/reorder"
	if index < 0 {
		return fmt.Errorf("wx: %s: index %d", path, index)
	}
	return c.windowCall(ctx, path, productID, "index_num", index)
}

// PinWindowProduct pins (or unpins) a product at the top of the window.
func (c *Client) PinWindowProduct(ctx context.Context, productID ID, top bool) error {
	return c.windowCall(ctx, "/channels/ec/store/window/product/settop", productID, "is_set_top", boolInt(top))
}

// HideWindowProduct hides (or shows again) a product in the window.
func (c *Client) HideWindowProduct(ctx context.Context, productID ID, hide bool) error {
	return c.windowCall(ctx, "/channels/ec/store/window/product/hide", productID, "is_set_hide", boolInt(hide))
}

func (c *Client) windowCall(ctx context.Context, path string, productID ID, field string, value int) error {
	if productID == "" {
		return errNoProductID(path)
	}
	id, err := numericID(path, "product_id", productID)
	if err != nil {
		return err
	}
	return c.PostWrite(ctx, path, map[string]any{"product_id": id, field: value}, nil)
}
