package wx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// ID is an identifier that the merchant manual writes sometimes as a JSON string and sometimes as a
// number: category_id is ["537074298"] in merchant/create but [537074298] in the merchant/get answer, and
// the same answer gives property ids as names ("品牌"). ID accepts either form and always marshals as a
// string, which is what every documented request sends.
type ID string

// UnmarshalJSON accepts a string or an integer number; null leaves the ID as it was, as encoding/json does
// for plain strings.
func (id *ID) UnmarshalJSON(data []byte) error {
	switch {
	case string(data) == "null":
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	// Keep the number's own digits: converting through float64 would round ids above 2^53. Any whole
	// number is kept, even one beyond 64 bits, since the id is only ever compared and sent back.
	if !isInteger(data) {
		return fmt.Errorf("wx: id %s is neither a string nor an integer", data)
	}
	*id = ID(data)
	return nil
}

// isUint64 reports whether s is a whole number of the uint64 range.
func isUint64(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// isInteger reports whether data is a JSON integer: an optional minus and decimal digits.
func isInteger(data []byte) bool {
	digits := bytes.TrimPrefix(data, []byte("-"))
	if len(digits) == 0 {
		return false
	}
	for _, b := range digits {
		if b < '0' || b > '9' {
			return false
		}
	}
	return true
}

// Int64 returns the ID as a number, for the calls that take one (category/getsub wants cate_id as a number
// although category/getsub answers with ids as strings).
func (id ID) Int64() (int64, error) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("wx: id %q is not a number", string(id))
	}
	return n, nil
}

// Product is one product of the merchant manual (section 1): the body of merchant/create and
// merchant/update, the product_info of merchant/get and an item of merchant/getbystatus.
type Product struct {
	// ProductID is set by WeChat; merchant/create never sends it, merchant/update requires it.
	ProductID   string      `json:"product_id,omitempty"`
	ProductBase ProductBase `json:"product_base"`
	SKUList     []SKU       `json:"sku_list"`
	AttrExt     AttrExt     `json:"attrext"`
	// DeliveryInfo may be nil when AttrExt.IsPostFree is 1: the manual lets a post-free product leave it out.
	DeliveryInfo *DeliveryInfo `json:"delivery_info,omitempty"`
	// Status comes only with merchant/getbystatus: ProductOnSale or ProductOffSale. It is never sent; use
	// SetProductStatus to change it.
	Status int `json:"status,omitempty"`
}

// ProductBase is product_base: what the buyer sees of the product.
type ProductBase struct {
	Name string `json:"name"`
	// CategoryID holds one leaf category id from category/getsub.
	CategoryID []ID              `json:"category_id"`
	Property   []ProductProperty `json:"property"`
	SKUInfo    []SKUInfo         `json:"sku_info"`
	MainImg    string            `json:"main_img"` // a URL returned by UploadImage
	Img        []string          `json:"img"`      // URLs returned by UploadImage
	// Detail is required by merchant/create; merchant/get leaves it out and answers DetailHTML instead.
	Detail []ProductDetail `json:"detail,omitempty"`
	// DetailHTML is what merchant/get answers instead of Detail: the details rendered as one HTML string.
	// It is an answer-only field and is not sent by CreateProduct or UpdateProduct.
	DetailHTML string `json:"detail_html,omitempty"`
	// BuyLimit is how many a buyer may buy.
	BuyLimit int `json:"buy_limit"`
}

// ProductProperty is one entry of product_base.property: a property of the category (id) and its chosen
// value (vid), from CategoryProperties. merchant/get answers with names here ("品牌": "Fujifilm/富士").
type ProductProperty struct {
	ID  ID `json:"id"`
	VID ID `json:"vid"`
}

// SKUInfo is one entry of product_base.sku_info: a SKU attribute of the category (id) and the values the
// product comes in (vid), from CategorySKUs. A custom attribute or value is written "$text".
type SKUInfo struct {
	ID  ID   `json:"id"`
	VID []ID `json:"vid"`
}

// ProductDetail is one block of product_base.detail: either Text or Img (a URL from UploadImage).
type ProductDetail struct {
	Text string `json:"text,omitempty"`
	Img  string `json:"img,omitempty"`
}

// SKU is one entry of sku_list: one concrete thing a buyer can buy, say the white shoe in size 37.
type SKU struct {
	// SKUID is "id1:vid1;id2:vid2", one pair per entry of sku_info, or "" for a product with one uniform
	// spec; see SKUID and ParseSKUInfo.
	SKUID       string `json:"sku_id"`
	Price       int    `json:"price"`    // 微信价 in fen; must be lower than OriPrice or WeChat refuses the product
	IconURL     string `json:"icon_url"` // a URL returned by UploadImage
	ProductCode string `json:"product_code"`
	OriPrice    int    `json:"ori_price"` // 原价 in fen
	Quantity    int    `json:"quantity"`  // stock
}

// AttrExt is attrext. The flags are 0 (no) or 1 (yes), as on the wire.
type AttrExt struct {
	Location         Location `json:"location"`
	IsPostFree       int      `json:"isPostFree"` // 1: free delivery, and delivery_info may be left out
	IsHasReceipt     int      `json:"isHasReceipt"`
	IsUnderGuaranty  int      `json:"isUnderGuaranty"`
	IsSupportReplace int      `json:"isSupportReplace"`
}

// Location is where the product ships from, named as in the manual's region list.
type Location struct {
	Country  string `json:"country"`
	Province string `json:"province"`
	City     string `json:"city"`
	Address  string `json:"address"`
}

// Delivery types of DeliveryInfo.
const (
	DeliveryByExpress  = 0 // fixed fees per courier, in Express
	DeliveryByTemplate = 1 // the postage template TemplateID
)

// DeliveryInfo is delivery_info: how postage is charged.
type DeliveryInfo struct {
	DeliveryType int   `json:"delivery_type"`
	TemplateID   int64 `json:"template_id"` // the manual sends 0 with DeliveryByExpress
	// Express is left out by merchant/get for a product that uses a template.
	Express []Express `json:"express,omitempty"`
}

// Courier ids of Express.ID (the manual's 快递列表).
const (
	ExpressPingYou = 10000027 // 平邮, surface mail
	ExpressKuaiDi  = 10000028 // 快递, courier
	ExpressEMS     = 10000029 // EMS
)

// Express is the postage one courier charges for the product.
type Express struct {
	ID    int `json:"id"`
	Price int `json:"price"` // fen
}

// Values of Product.Status and of the filter of ProductsByStatus (merchant/getbystatus).
const (
	ProductsAll    = 0 // the filter only: every product
	ProductOnSale  = 1
	ProductOffSale = 2
)

// Values for SetProductStatus. merchant/modproductstatus numbers them differently from
// merchant/getbystatus (there 2 means off sale), so they get names of their own.
const (
	SetOffSale = 0
	SetOnSale  = 1
)

// CreateProduct adds p (its ProductID and Status are not sent) and returns the new product's id.
func (c *Client) CreateProduct(ctx context.Context, p *Product) (string, error) {
	const path = "/merchant/create"
	if p == nil {
		return "", fmt.Errorf("wx: %s: no product", path)
	}
	body := p.requestBody()
	body.ProductID = ""
	var ans struct {
		ProductID string `json:"product_id"`
	}
	if err := c.PostWrite(ctx, path, body, &ans); err != nil {
		return "", err
	}
	// Without an id the app could not find the product again; better to say so than store "".
	if ans.ProductID == "" {
		return "", fmt.Errorf("wx: %s: answer has no product_id", path)
	}
	return ans.ProductID, nil
}

// DeleteProduct deletes the product.
func (c *Client) DeleteProduct(ctx context.Context, productID string) error {
	const path = "/merchant/del"
	if productID == "" {
		return errNoProductID(path)
	}
	return c.PostWrite(ctx, path, productIDRequest{productID}, nil)
}

// UpdateProduct replaces the product p.ProductID with p. Once a product has been on sale, WeChat no longer
// lets its name, category_id or property change.
func (c *Client) UpdateProduct(ctx context.Context, p *Product) error {
	const path = "/merchant/update"
	if p == nil {
		return fmt.Errorf("wx: %s: no product", path)
	}
	if p.ProductID == "" {
		return errNoProductID(path)
	}
	return c.PostWrite(ctx, path, p.requestBody(), nil)
}

// GetProduct returns one product. Beware that its answer differs from what CreateProduct sends: see ID,
// ProductBase.DetailHTML and ProductProperty.
func (c *Client) GetProduct(ctx context.Context, productID string) (*Product, error) {
	const path = "/merchant/get"
	if productID == "" {
		return nil, errNoProductID(path)
	}
	var ans struct {
		ProductInfo *Product `json:"product_info"`
	}
	if err := c.PostRead(ctx, path, productIDRequest{productID}, &ans); err != nil {
		return nil, err
	}
	if ans.ProductInfo == nil {
		return nil, fmt.Errorf("wx: %s: answer has no product_info", path)
	}
	return ans.ProductInfo, nil
}

// ProductsByStatus returns the products with status ProductOnSale or ProductOffSale, or all of them for
// ProductsAll. Each carries its Status.
func (c *Client) ProductsByStatus(ctx context.Context, status int) ([]Product, error) {
	const path = "/merchant/getbystatus"
	if status != ProductsAll && status != ProductOnSale && status != ProductOffSale {
		return nil, fmt.Errorf("wx: %s: status %d is not 0 (all), 1 (on sale) or 2 (off sale)", path, status)
	}
	req := struct {
		Status int `json:"status"`
	}{status}
	var ans struct {
		ProductsInfo []Product `json:"products_info"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return ans.ProductsInfo, nil
}

// SetProductStatus puts the product on sale (SetOnSale) or takes it off sale (SetOffSale).
func (c *Client) SetProductStatus(ctx context.Context, productID string, status int) error {
	const path = "/merchant/modproductstatus"
	if productID == "" {
		return errNoProductID(path)
	}
	// 2 would be "off sale" in getbystatus's numbering; refusing it here catches mixing the two up.
	if status != SetOffSale && status != SetOnSale {
		return fmt.Errorf("wx: %s: status %d is not 0 (off sale) or 1 (on sale)", path, status)
	}
	req := struct {
		ProductID string `json:"product_id"`
		Status    int    `json:"status"`
	}{productID, status}
	return c.PostWrite(ctx, path, req, nil)
}

type productIDRequest struct {
	ProductID string `json:"product_id"`
}

// errNoProductID stops a call that WeChat could only refuse, with a message that says why.
func errNoProductID(path string) error {
	return fmt.Errorf("wx: %s: empty product id", path)
}

// requestBody is p as merchant/create and merchant/update take it: without the answer-only fields, and with
// empty lists rather than null, since the manual never shows null and a nil slice would marshal as one.
func (p *Product) requestBody() *Product {
	b := *p
	b.Status = 0
	b.ProductBase.DetailHTML = ""
	b.ProductBase.CategoryID = orEmpty(b.ProductBase.CategoryID)
	b.ProductBase.Property = orEmpty(b.ProductBase.Property)
	b.ProductBase.Img = orEmpty(b.ProductBase.Img)
	b.SKUList = orEmpty(b.SKUList)
	// Copy sku_info rather than write into the caller's slice.
	infos := make([]SKUInfo, len(b.ProductBase.SKUInfo))
	for i, si := range b.ProductBase.SKUInfo {
		infos[i] = SKUInfo{ID: si.ID, VID: orEmpty(si.VID)}
	}
	b.ProductBase.SKUInfo = infos
	return &b
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
