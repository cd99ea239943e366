package wx

import (
	"context"
	"fmt"
)

// The 微信小店's categories and brands (shared/api/store/category.md). Two trees live side by side: the old
// one of exactly 3 levels (a product's cats) and the new N-level one (cats_v2) whose last level is a leaf.

// StoreCategory is one child category from availablesoncategories/get.
type StoreCategory struct {
	CatID  ID     `json:"cat_id"`
	FCatID ID     `json:"f_cat_id"`
	Name   string `json:"name"`
	Leaf   bool   `json:"leaf"` // new tree only: products may be put here
}

// StoreSubCategories are the children of one category the shop may use: Old in the 3-level tree, V2 in the
// new tree. The root ("0") has both; any other node only those of its own tree. No children at all means
// every child needs targeted admission (定向准入).
type StoreSubCategories struct {
	Old []StoreCategory `json:"cat_list"`
	V2  []StoreCategory `json:"cat_list_v2"`
}

// StoreSubCategories lists the usable children of parent ("0" for the top level).
func (c *Client) StoreSubCategories(ctx context.Context, parent ID) (*StoreSubCategories, error) {
	const path = "/channels/ec/category/availablesoncategories/get"
	if parent == "" {
		parent = "0"
	}
	// The page's example sends f_cat_id as a number although its table types it string(uint64).
	id, err := numericID(path, "f_cat_id", parent)
	if err != nil {
		return nil, err
	}
	req := struct {
		FCatID any `json:"f_cat_id"`
	}{id}
	var ans StoreSubCategories
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// StoreCategoryDetail is what category/detail says about one leaf: the attributes a product gives, the
// sale attributes its SKUs are built from, and the rules.
type StoreCategoryDetail struct {
	Info struct {
		CatID ID     `json:"cat_id"`
		Name  string `json:"name"`
	} `json:"info"`
	Attr           StoreCategoryRules       `json:"attr"`
	ProductQuaList []StoreQualificationNeed `json:"product_qua_list"`
}

// StoreCategoryRules is category/detail's attr object.
type StoreCategoryRules struct {
	ShopNoShipment       bool               `json:"shop_no_shipment"`
	AccessPermitRequired bool               `json:"access_permit_required"`
	PreSale              bool               `json:"pre_sale"`
	SevenDayReturn       bool               `json:"seven_day_return"`
	IsLimitBrand         bool               `json:"is_limit_brand"`
	BrandList            []StoreCatRefBrand `json:"brand_list"`
	Deposit              FlexInt            `json:"deposit"` // fen
	ProductAttrList      []StoreProductAttr `json:"product_attr_list"`
	SaleAttrList         []StoreProductAttr `json:"sale_attr_list"`
	TransactionFeeInfo   struct {
		BasisPoint         int `json:"basis_point"`
		OriginalBasisPoint int `json:"original_basis_point"`
		IncentiveType      int `json:"incentive_type"`
	} `json:"transactionfee_info"`
	ProductRequirement struct {
		ProductTitleRequirement string `json:"product_title_requirement"`
		ProductImgRequirement   string `json:"product_img_requirement"`
		ProductDescRequirement  string `json:"product_desc_requirement"`
	} `json:"product_requirement"`
}

// StoreCatRefBrand names a brand allowed in a brand-limited category.
type StoreCatRefBrand struct {
	BrandID ID `json:"brand_id"`
}

// StoreProductAttr is one attribute of a category (商品参数 or 销售属性).
type StoreProductAttr struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	TypeV2        string `json:"type_v2"`
	Value         string `json:"value"` // options, or units for *_unit types, separated by ';'
	IsRequired    bool   `json:"is_required"`
	Hint          string `json:"hint"`
	AppendAllowed bool   `json:"append_allowed"`
}

// Kind is type_v2, or type where an answer gives no type_v2 (the two disagree: type_v2 wins).
func (a StoreProductAttr) Kind() string {
	if a.TypeV2 != "" {
		return a.TypeV2
	}
	return a.Type
}

// StoreQualificationNeed is one qualification a category asks for.
type StoreQualificationNeed struct {
	QuaID       ID     `json:"qua_id"`
	Name        string `json:"name"`
	Tips        string `json:"tips"`
	NeedToApply bool   `json:"need_to_apply"`
	Mandatory   bool   `json:"mandatory"`
}

// StoreCategoryDetail reads the attributes and rules of a leaf category.
func (c *Client) StoreCategoryDetail(ctx context.Context, catID ID) (*StoreCategoryDetail, error) {
	const path = "/channels/ec/category/detail"
	if catID == "" || catID == "0" {
		return nil, fmt.Errorf("wx: %s: no cat_id", path)
	}
	var ans StoreCategoryDetail
	if err := c.PostRead(ctx, path, struct {
		CatID ID `json:"cat_id"`
	}{catID}, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// StoreBrand is one brand.
type StoreBrand struct {
	BrandID ID     `json:"brand_id"`
	ChName  string `json:"ch_name"`
	EnName  string `json:"en_name"`
}

// StoreBrandPage is one page of a brand list; ContinueFlag says whether another follows.
type StoreBrandPage struct {
	Brands       []StoreBrand `json:"brands"`
	NextKey      string       `json:"next_key"`
	ContinueFlag bool         `json:"continue_flag"`
}

// StoreValidBrands lists a page of the brands the shop may put on products.
func (c *Client) StoreValidBrands(ctx context.Context, pageSize int, nextKey string) (*StoreBrandPage, error) {
	const path = "/channels/ec/brand/valid/list/get"
	if pageSize <= 0 {
		pageSize = 10
	}
	req := struct {
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key"`
	}{pageSize, nextKey}
	var ans StoreBrandPage
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}
