package wx

import (
	"context"
	"fmt"
)

// Group is a product group (分组, manual section 4): the group_detail of group/getbyid and, without
// ProductList, an item of group/getall's groups_detail. Shelves show products by group.
type Group struct {
	GroupID   int64  `json:"group_id"`
	GroupName string `json:"group_name"`
	// ProductList holds product ids; group/getall leaves it out.
	ProductList []string `json:"product_list,omitempty"`
}

// Values of GroupProductMod.ModAction.
const (
	GroupRemoveProduct = 0 // 删除
	GroupAddProduct    = 1 // 增加
)

// GroupProductMod is one entry of group/productmod's product: a product to add to or remove from a group.
type GroupProductMod struct {
	ProductID string `json:"product_id"`
	ModAction int    `json:"mod_action"` // GroupAddProduct or GroupRemoveProduct
}

// CreateGroup adds a group named name holding the products productIDs (none is fine) and returns its id.
func (c *Client) CreateGroup(ctx context.Context, name string, productIDs []string) (int64, error) {
	const path = "/merchant/group/add"
	if name == "" {
		return 0, errNoGroupName(path)
	}
	for _, id := range productIDs {
		if id == "" {
			return 0, errNoProductID(path)
		}
	}
	type groupDetail struct {
		GroupName   string   `json:"group_name"`
		ProductList []string `json:"product_list"`
	}
	req := struct {
		GroupDetail groupDetail `json:"group_detail"`
	}{groupDetail{name, orEmpty(productIDs)}}
	var ans struct {
		GroupID int64 `json:"group_id"`
	}
	if err := c.PostWrite(ctx, path, req, &ans); err != nil {
		return 0, err
	}
	if ans.GroupID == 0 {
		return 0, fmt.Errorf("wx: %s: answer has no group_id", path)
	}
	return ans.GroupID, nil
}

// DeleteGroup deletes the group (not its products).
func (c *Client) DeleteGroup(ctx context.Context, groupID int64) error {
	const path = "/merchant/group/del"
	if groupID <= 0 {
		return errNoGroupID(path, groupID)
	}
	return c.PostWrite(ctx, path, groupIDRequest{groupID}, nil)
}

// RenameGroup sets the group's name, the one property group/propertymod (修改分组属性) changes.
func (c *Client) RenameGroup(ctx context.Context, groupID int64, name string) error {
	const path = "/merchant/group/propertymod"
	if groupID <= 0 {
		return errNoGroupID(path, groupID)
	}
	if name == "" {
		return errNoGroupName(path)
	}
	req := struct {
		GroupID   int64  `json:"group_id"`
		GroupName string `json:"group_name"`
	}{groupID, name}
	return c.PostWrite(ctx, path, req, nil)
}

// ModifyGroupProducts adds products to the group and removes others from it, in one call.
func (c *Client) ModifyGroupProducts(ctx context.Context, groupID int64, mods []GroupProductMod) error {
	const path = "/merchant/group/productmod"
	if groupID <= 0 {
		return errNoGroupID(path, groupID)
	}
	if len(mods) == 0 {
		return fmt.Errorf("wx: %s: no products to add or remove", path)
	}
	for _, m := range mods {
		if m.ProductID == "" {
			return errNoProductID(path)
		}
		if m.ModAction != GroupRemoveProduct && m.ModAction != GroupAddProduct {
			return fmt.Errorf("wx: %s: mod_action %d for %s is not 0 (remove) or 1 (add)", path, m.ModAction, m.ProductID)
		}
	}
	req := struct {
		GroupID int64             `json:"group_id"`
		Product []GroupProductMod `json:"product"`
	}{groupID, mods}
	return c.PostWrite(ctx, path, req, nil)
}

// Groups returns every group of the shop, with ids and names but no products. The manual documents this
// call as a GET without a body.
func (c *Client) Groups(ctx context.Context) ([]Group, error) {
	var ans struct {
		GroupsDetail []Group `json:"groups_detail"`
	}
	if err := c.GetRead(ctx, "/merchant/group/getall", nil, &ans); err != nil {
		return nil, err
	}
	return ans.GroupsDetail, nil
}

// GetGroup returns one group with its products.
func (c *Client) GetGroup(ctx context.Context, groupID int64) (*Group, error) {
	const path = "/merchant/group/getbyid"
	if groupID <= 0 {
		return nil, errNoGroupID(path, groupID)
	}
	var ans struct {
		GroupDetail *Group `json:"group_detail"`
	}
	if err := c.PostRead(ctx, path, groupIDRequest{groupID}, &ans); err != nil {
		return nil, err
	}
	if ans.GroupDetail == nil {
		return nil, fmt.Errorf("wx: %s: answer has no group_detail", path)
	}
	return ans.GroupDetail, nil
}

type groupIDRequest struct {
	GroupID int64 `json:"group_id"`
}

func errNoGroupID(path string, id int64) error {
	return fmt.Errorf("wx: %s: group id %d is not a group id", path, id)
}

func errNoGroupName(path string) error {
	return fmt.Errorf("wx: %s: empty group name", path)
}
