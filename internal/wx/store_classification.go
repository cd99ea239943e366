package wx

import (
	"context"
	"fmt"
)

// The shop's home-page categories (店铺首页分类, store/classification/tree/*): a two-level tree edited as a whole
// under a version, and the products attached to each (level_1_id, level_2_id). These replace V1.13's groups.
// Shapes from the pages' and SKIT's samples (shared/api/store/README.md).

// ShopCategory is one level-1 category and its level-2 children.
type ShopCategory struct {
	ID          int64             `json:"id,omitempty"` // 0: new
	Name        string            `json:"name"`
	IsDisplayed bool              `json:"is_displayed"`
	Level2      []ShopSubCategory `json:"level_2,omitempty"`
}

// ShopSubCategory is one level-2 category.
type ShopSubCategory struct {
	ID          int64  `json:"id,omitempty"`
	Name        string `json:"name"`
	IsDisplayed bool   `json:"is_displayed"`
}

// ShopCategoryTree is the whole tree with the version it was read at.
type ShopCategoryTree struct {
	Level1  []ShopCategory
	Version int64
}

// MaxShopCategoryProducts is how many products one shop category holds.
const MaxShopCategoryProducts = 500

type shopTree struct {
	Level1 []ShopCategory `json:"level_1"`
}

// ShopCategoryTree reads the tree.
func (c *Client) ShopCategoryTree(ctx context.Context) (*ShopCategoryTree, error) {
	var ans struct {
		Resp struct {
			Tree    shopTree `json:"tree"`
			Version int64    `json:"version"`
		} `json:"resp"`
	}
	if err := c.PostRead(ctx, "/channels/ec/store/classification/tree/get", nil, &ans); err != nil {
		return nil, err
	}
	return &ShopCategoryTree{Level1: ans.Resp.Tree.Level1, Version: ans.Resp.Version}, nil
}

// SetShopCategoryTree replaces the tree read at version; deleted names the categories removed, as
// "level1" or "level1.level2" ids. A version that is no longer current is refused: read the tree again.
func (c *Client) SetShopCategoryTree(ctx context.Context, version int64, level1 []ShopCategory, deleted []string) error {
	type setReq struct {
		Version                 int64    `json:"version"`
		Tree                    shopTree `json:"tree"`
		ClassificationIDDeleted []string `json:"classification_id_deleted,omitempty"`
	}
	return c.PostWrite(ctx, "/channels/ec/store/classification/tree/set", struct {
		Req setReq `json:"req"`
	}{setReq{version, shopTree{orEmpty(level1)}, deleted}}, nil)
}

type shopCategoryProducts struct {
	Level1ID   int64 `json:"level_1_id"`
	Level2ID   int64 `json:"level_2_id"`
	ProductIDs []any `json:"product_ids"`
}

// AddShopCategoryProducts puts products in a category (level2 0: the level-1 category itself).
func (c *Client) AddShopCategoryProducts(ctx context.Context, level1, level2 int64, productIDs []ID) error {
	return c.shopCategoryProducts(ctx, "/channels/ec/store/classification/tree/product/add", level1, level2, productIDs)
}

// RemoveShopCategoryProducts takes products out of a category.
func (c *Client) RemoveShopCategoryProducts(ctx context.Context, level1, level2 int64, productIDs []ID) error {
	return c.shopCategoryProducts(ctx, "/channels/ec/store/classification/tree/product/del", level1, level2, productIDs)
}

func (c *Client) shopCategoryProducts(ctx context.Context, path string, level1, level2 int64, productIDs []ID) error {
	if level1 <= 0 {
		return fmt.Errorf("wx: %s: no level_1_id", path)
	}
	if len(productIDs) == 0 || len(productIDs) > MaxShopCategoryProducts {
		return fmt.Errorf("wx: %s: %d products, want 1–%d", path, len(productIDs), MaxShopCategoryProducts)
	}
	ids := make([]any, len(productIDs))
	for i, id := range productIDs {
		n, err := numericID(path, "product_id", id)
		if err != nil {
			return err
		}
		ids[i] = n
	}
	return c.PostWrite(ctx, path, struct {
		Req shopCategoryProducts `json:"req"`
	}{shopCategoryProducts{level1, level2, ids}}, nil)
}

// ShopCategoryProductPage is one page of a category's products; an empty PageContext is the last page.
type ShopCategoryProductPage struct {
	ProductIDs  []ID   `json:"product_ids"`
	PageContext string `json:"page_context"`
}

// ShopCategoryProducts reads a page of a category's products.
func (c *Client) ShopCategoryProducts(ctx context.Context, level1, level2 int64, pageSize int, pageContext string) (*ShopCategoryProductPage, error) {
	const path = "/channels/ec/store/classification/tree/product/get"
	if level1 <= 0 {
		return nil, fmt.Errorf("wx: %s: no level_1_id", path)
	}
	if pageSize <= 0 {
		pageSize = 50
	}
	type getReq struct {
		Level1ID    int64  `json:"level_1_id"`
		Level2ID    int64  `json:"level_2_id"`
		PageSize    int    `json:"page_size"`
		PageContext string `json:"page_context"`
	}
	var ans struct {
		Resp ShopCategoryProductPage `json:"resp"`
	}
	if err := c.PostRead(ctx, path, struct {
		Req getReq `json:"req"`
	}{getReq{level1, level2, pageSize, pageContext}}, &ans); err != nil {
		return nil, err
	}
	return &ans.Resp, nil
}
