package wx

import "context"

// RootCategoryID is the cate_id of the top of the category tree.
const RootCategoryID = 1

// Category is one entry of cate_list (category/getsub). Its ID is a string on the wire; pass
// ID.Int64() to SubCategories to go one level down.
type Category struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// SKUAttribute is one entry of sku_table (category/getsku): an attribute a product of the category can
// vary by, such as 颜色, with the values it may take.
type SKUAttribute struct {
	ID        ID         `json:"id"`
	Name      string     `json:"name"`
	ValueList []SKUValue `json:"value_list"`
}

// SKUValue is one entry of value_list; its ID is what sku_info and sku_id call the vid.
type SKUValue struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// Property is one entry of properties (category/getproperty): a property of the category, such as 品牌,
// with the values it may take. A product picks one value per property in ProductBase.Property.
type Property struct {
	ID            ID              `json:"id"`
	Name          string          `json:"name"`
	PropertyValue []PropertyValue `json:"property_value"`
}

// PropertyValue is one entry of property_value; its ID is the vid of a ProductProperty.
type PropertyValue struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// cateRequest is the body of the three category calls. The manual sends cate_id as a number, although
// their answers give ids as strings.
type cateRequest struct {
	CateID int64 `json:"cate_id"`
}

// SubCategories returns the children of category cateID (RootCategoryID for the top level).
func (c *Client) SubCategories(ctx context.Context, cateID int64) ([]Category, error) {
	var ans struct {
		CateList []Category `json:"cate_list"`
	}
	if err := c.PostRead(ctx, "/merchant/category/getsub", cateRequest{cateID}, &ans); err != nil {
		return nil, err
	}
	return ans.CateList, nil
}

// CategorySKUs returns the SKU attributes of leaf category cateID, from which ProductBase.SKUInfo and
// SKU.SKUID are built.
func (c *Client) CategorySKUs(ctx context.Context, cateID int64) ([]SKUAttribute, error) {
	var ans struct {
		SKUTable []SKUAttribute `json:"sku_table"`
	}
	if err := c.PostRead(ctx, "/merchant/category/getsku", cateRequest{cateID}, &ans); err != nil {
		return nil, err
	}
	return ans.SKUTable, nil
}

// CategoryProperties returns the properties of category cateID, from which ProductBase.Property is built.
func (c *Client) CategoryProperties(ctx context.Context, cateID int64) ([]Property, error) {
	var ans struct {
		Properties []Property `json:"properties"`
	}
	if err := c.PostRead(ctx, "/merchant/category/getproperty", cateRequest{cateID}, &ans); err != nil {
		return nil, err
	}
	return ans.Properties, nil
}
