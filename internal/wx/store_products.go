package wx

import (
	"context"
	"encoding/json"
	"fmt"
)

// The 微信小店's products (shared/api/store/product.md). Every product has two copies: the draft
// (edit_product, whose state is EditStatus) that add and update write, and the online copy (product, whose
// state is Status) that exists only once a draft has passed audit and been listed.

// Online states of a product (StoreProduct.Status).
const (
	StoreStatusInitial      = 0  // 初始值
	StoreStatusOnSale       = 5  // 上架
	StoreStatusRecycled     = 6  // 回收站
	StoreStatusDeleted      = 9  // 彻底删除
	StoreStatusDelisted     = 11 // 自主下架
	StoreStatusSoldOut      = 12 // 售罄下架
	StoreStatusViolation    = 13 // 违规下架 / 风控下架
	StoreStatusDepositLow   = 14 // 保证金不足下架
	StoreStatusBrandExpired = 15 // 品牌过期下架
	StoreStatusBanned       = 20 // 封禁
)

// Draft states of a product (StoreProduct.EditStatus).
const (
	StoreEditInitial      = 0  // 初始值
	StoreEditEditing      = 1  // 编辑中 (also after audit/cancel)
	StoreEditInAudit      = 2  // 审核中: update, delete and listing are refused (10020049)
	StoreEditRejected     = 3  // 审核失败
	StoreEditPassed       = 4  // 审核成功
	StoreEditWriting      = 5  // 商品信息写入中
	StoreEditUploading    = 7  // 上传中 (more than 25 SKUs): listing answers 10020067
	StoreEditUploadFailed = 8  // 上传失败
	StoreEditQuotaShort   = 72 // 提审quota不足: submitted with the audit quota used up; submit again once there is quota
)

// StoreNoBrand is the brand_id of a product without a brand (无品牌).
const StoreNoBrand ID = "2100000000"

// StoreProductData is what product/add and product/update send: the whole product, since update overwrites
// the draft with exactly what it is given. Field names and tags are the add page's.
type StoreProductData struct {
	OutProductID    string             `json:"out_product_id,omitempty"` // never changes after add
	Title           string             `json:"title"`
	SubTitle        string             `json:"sub_title,omitempty"`   // deprecated
	ShortTitle      string             `json:"short_title,omitempty"` // ≤20 chars
	HeadImgs        []string           `json:"head_imgs"`             // 3–9 mmecimage.cn/p/ URLs
	DeliverMethod   int                `json:"deliver_method"`        // 0 快递发货, 1 无需快递(手机号), 3 无需快递(选账号类型)
	DeliverAcctType []int              `json:"deliver_acct_type,omitempty"`
	DescInfo        StoreDescInfo      `json:"desc_info"`
	Cats            []StoreCatRef      `json:"cats,omitempty"`    // old tree: exactly 3, level 1 first
	CatsV2          []StoreCatRef      `json:"cats_v2,omitempty"` // new tree: the whole path, leaf last
	Attrs           []StoreAttr        `json:"attrs,omitempty"`
	SPUCode         string             `json:"spu_code,omitempty"`
	BrandID         ID                 `json:"brand_id,omitempty"`
	Qualifications  []string           `json:"qualifications,omitempty"`
	ProductQuaInfos []StoreQuaInfo     `json:"product_qua_infos,omitempty"`
	ExpressInfo     *StoreExpressInfo  `json:"express_info,omitempty"` // with deliver_method 0
	AftersaleDesc   string             `json:"aftersale_desc,omitempty"`
	LimitedInfo     *StoreLimitedInfo  `json:"limited_info,omitempty"`
	ExtraService    StoreExtraService  `json:"extra_service"`
	SKUs            []StoreSKU         `json:"skus"`
	AfterSaleInfo   *StoreAfterSaleRef `json:"after_sale_info,omitempty"`
	HideInWindow    int                `json:"hide_in_window,omitempty"` // 1: hidden on the shop's home page
}

// StoreProduct is a product as product/get answers it (online or draft copy): the data plus what WeChat
// keeps itself.
type StoreProduct struct {
	ProductID ID `json:"product_id"`
	StoreProductData
	Status       int       `json:"status"`
	EditStatus   int       `json:"edit_status"`
	MinPrice     FlexInt   `json:"min_price"` // fen
	EditTime     Timestamp `json:"edit_time"`
	ProductType  int       `json:"product_type"`
	TotalSoldNum FlexInt   `json:"total_sold_num"`
}

// StoreDescInfo is the detail section: 1–50 images and a text.
type StoreDescInfo struct {
	Imgs []string `json:"imgs"`
	Desc string   `json:"desc,omitempty"`
}

// StoreCatRef names one level of a category path.
type StoreCatRef struct {
	CatID ID `json:"cat_id"`
}

// StoreAttr is a product attribute (商品参数) or a SKU's sale attribute (销售属性); see category.md for how
// each attribute type writes its value.
type StoreAttr struct {
	AttrKey   string `json:"attr_key"`
	AttrValue string `json:"attr_value"`
}

// StoreQuaInfo is one product qualification and its images; qua_id comes as a string in add and as a
// number in get.
type StoreQuaInfo struct {
	QuaID  ID       `json:"qua_id"`
	QuaURL []string `json:"qua_url"`
}

// StoreExpressInfo is the freight template of a product that ships by courier, and its weight in grams
// for a WEIGHT template.
type StoreExpressInfo struct {
	TemplateID ID  `json:"template_id"`
	Weight     int `json:"weight,omitempty"`
}

// StoreLimitedInfo limits how many a buyer may buy per period (0 none, 1 day, 2 week, 3 month, 4 year).
type StoreLimitedInfo struct {
	PeriodType    int `json:"period_type"`
	LimitedBuyNum int `json:"limited_buy_num"`
}

// StoreExtraService is the after-sale services. SevenDayReturn and FreightInsurance are required.
type StoreExtraService struct {
	SevenDayReturn   int `json:"seven_day_return"` // 0 no, 1 yes, 2 yes except customised, 3 yes unless used
	FreightInsurance int `json:"freight_insurance"`
	DamageGuarantee  int `json:"damage_guarantee,omitempty"`
	FakeOnePayThree  int `json:"fake_one_pay_three,omitempty"`
	ExchangeSupport  int `json:"exchange_support,omitempty"`
}

// StoreAfterSaleRef names the return address of a product.
type StoreAfterSaleRef struct {
	AfterSaleAddressID ID `json:"after_sale_address_id,omitempty"`
}

// StoreSKU is one SKU. SKUID is set by WeChat: update with it changes that SKU, without it adds one, and a
// SKU left out of an update is deleted.
type StoreSKU struct {
	SKUID          ID                   `json:"sku_id,omitempty"`
	OutSKUID       string               `json:"out_sku_id,omitempty"` // never changes after add
	ThumbImg       string               `json:"thumb_img,omitempty"`
	SalePrice      int64                `json:"sale_price"` // fen
	StockNum       int64                `json:"stock_num"`
	SKUCode        string               `json:"sku_code,omitempty"`
	BarCode        string               `json:"bar_code,omitempty"`
	SKUAttrs       []StoreAttr          `json:"sku_attrs,omitempty"`
	SKUDeliverInfo *StoreSKUDeliverInfo `json:"sku_deliver_info,omitempty"`
	Status         int                  `json:"status,omitempty"` // answers only
}

// StoreSKUDeliverInfo is a SKU's stock type: 0 现货, 1 全款预售.
type StoreSKUDeliverInfo struct {
	StockType int `json:"stock_type"`
}

// StoreProductAnswer is product/get's answer: the online copy (nil when asked for the draft only, or when
// the product was never listed), the draft (nil when asked for the online copy only), and the answer as
// WeChat sent it, for the mirror to keep.
type StoreProductAnswer struct {
	Product     *StoreProduct `json:"product"`
	EditProduct *StoreProduct `json:"edit_product"`
	Raw         json.RawMessage
}

// What product/get is asked for (data_type).
const (
	StoreOnline = 1
	StoreDraft  = 2
	StoreBoth   = 3
)

// AddStoreProduct writes a new product's draft and returns its id; listing submits it for audit in the same
// call (the way to go with more than 25 SKUs, which are written asynchronously).
func (c *Client) AddStoreProduct(ctx context.Context, p *StoreProductData, listing bool) (ID, error) {
	const path = "/channels/ec/product/add"
	if p == nil {
		return "", fmt.Errorf("wx: %s: no product", path)
	}
	req := struct {
		*StoreProductData
		Listing int `json:"listing"`
	}{p.requestBody(), boolInt(listing)}
	var ans struct {
		Data struct {
			ProductID  ID     `json:"product_id"`
			CreateTime string `json:"create_time"`
		} `json:"data"`
	}
	if err := c.PostWrite(ctx, path, req, &ans); err != nil {
		return "", err
	}
	if ans.Data.ProductID == "" {
		return "", fmt.Errorf("wx: %s: answer has no product_id", path)
	}
	return ans.Data.ProductID, nil
}

// UpdateStoreProduct overwrites the draft of productID with p, all of it: send every SKU (with its sku_id)
// or the ones left out are deleted. listing submits the draft for audit in the same call.
func (c *Client) UpdateStoreProduct(ctx context.Context, productID ID, p *StoreProductData, listing bool) error {
	const path = "/channels/ec/product/update"
	if productID == "" {
		return errNoProductID(path)
	}
	if p == nil {
		return fmt.Errorf("wx: %s: no product", path)
	}
	req := struct {
		ProductID ID `json:"product_id"`
		*StoreProductData
		Listing int `json:"listing"`
	}{productID, p.requestBody(), boolInt(listing)}
	return c.PostWrite(ctx, path, req, nil)
}

// StoreProduct reads a product: dataType StoreOnline, StoreDraft or StoreBoth.
func (c *Client) StoreProduct(ctx context.Context, productID ID, dataType int) (*StoreProductAnswer, error) {
	const path = "/channels/ec/product/get"
	if productID == "" {
		return nil, errNoProductID(path)
	}
	if dataType < StoreOnline || dataType > StoreBoth {
		return nil, fmt.Errorf("wx: %s: data_type %d is not 1, 2 or 3", path, dataType)
	}
	req := struct {
		ProductID ID  `json:"product_id"`
		DataType  int `json:"data_type"`
	}{productID, dataType}
	var raw json.RawMessage
	if err := c.PostRead(ctx, path, req, &raw); err != nil {
		return nil, err
	}
	ans := &StoreProductAnswer{Raw: raw}
	if err := json.Unmarshal(raw, ans); err != nil {
		return nil, fmt.Errorf("wx: %s: decode answer: %w", path, err)
	}
	if ans.Product == nil && ans.EditProduct == nil {
		return nil, fmt.Errorf("wx: %s: answer has neither product nor edit_product", path)
	}
	return ans, nil
}

// StoreProductList is one page of product/list/get: ids only, at most 30.
type StoreProductList struct {
	ProductIDs []ID    `json:"product_ids"`
	NextKey    string  `json:"next_key"`
	TotalNum   FlexInt `json:"total_num"`
}

// MaxStoreProductPage is the largest page product/list/get gives.
const MaxStoreProductPage = 30

// StoreProductIDs lists product ids; status 0 lists every product outside the recycle bin, another value
// only products in that online state. nextKey is "" for the first page; a page shorter than pageSize (or
// empty) is the last.
func (c *Client) StoreProductIDs(ctx context.Context, status, pageSize int, nextKey string) (*StoreProductList, error) {
	const path = "/channels/ec/product/list/get"
	if pageSize < 1 || pageSize > MaxStoreProductPage {
		return nil, fmt.Errorf("wx: %s: page_size %d is not 1–%d", path, pageSize, MaxStoreProductPage)
	}
	req := struct {
		Status   int    `json:"status,omitempty"`
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key,omitempty"`
	}{status, pageSize, nextKey}
	var ans StoreProductList
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// DeleteStoreProduct deletes a product (refused while in audit, 10020049).
func (c *Client) DeleteStoreProduct(ctx context.Context, productID ID) error {
	return c.storeProductAction(ctx, "/channels/ec/product/delete", productID)
}

// ListStoreProduct (上架) submits the draft for audit; it goes online once the audit passes.
func (c *Client) ListStoreProduct(ctx context.Context, productID ID) error {
	return c.storeProductAction(ctx, "/channels/ec/product/listing", productID)
}

// DelistStoreProduct (下架) takes the online copy off sale (status 11).
func (c *Client) DelistStoreProduct(ctx context.Context, productID ID) error {
	return c.storeProductAction(ctx, "/channels/ec/product/delisting", productID)
}

// CancelStoreAudit (撤回审核) takes a draft out of audit (edit_status 2 → 1); 10020044 when it is not in audit.
func (c *Client) CancelStoreAudit(ctx context.Context, productID ID) error {
	return c.storeProductAction(ctx, "/channels/ec/product/audit/cancel", productID)
}

func (c *Client) storeProductAction(ctx context.Context, path string, productID ID) error {
	if productID == "" {
		return errNoProductID(path)
	}
	return c.PostWrite(ctx, path, struct {
		ProductID ID `json:"product_id"`
	}{productID}, nil)
}

// StoreAuditQuota is how many more adds and updates the shop may submit for audit (they share one quota).
type StoreAuditQuota struct {
	BlockStatus          FlexBool `json:"block_status"`   // 1: submissions go to edit_status 72 (quota short) until quota is freed
	AvailQuota           FlexInt  `json:"avail_quota"`    // what is left; used up, submissions go to edit_status 72
	TotalQuota           FlexInt  `json:"total_quota"`    //
	UnlimitedType        FlexInt  `json:"unlimited_type"` // 1: no limit, the other fields do not count
	AuditTotalQuota      FlexInt  `json:"audit_total_quota"`
	AuditTotalRemaining  FlexInt  `json:"audit_total_remaining"` // 0: no submission of any kind
	NewProductTotalQuota FlexInt  `json:"new_product_total_quota"`
	NewProductRemaining  FlexInt  `json:"new_product_remaining"` // 0 (with audit_total_remaining left): only listed products' edits
}

// StoreAuditQuota reads the remaining audit quota (product/getauditquota, 获取商品提审限额; the page's fields of
// 2026-05-28).
func (c *Client) StoreAuditQuota(ctx context.Context) (*StoreAuditQuota, error) {
	var ans struct {
		AuditQuota StoreAuditQuota `json:"audit_quota"`
	}
	if err := c.PostRead(ctx, "/channels/ec/product/getauditquota", nil, &ans); err != nil {
		return nil, err
	}
	return &ans.AuditQuota, nil
}

// requestBody is p with nil lists as [], which WeChat wants present.
func (p *StoreProductData) requestBody() *StoreProductData {
	q := *p
	q.HeadImgs = orEmpty(q.HeadImgs)
	q.DescInfo.Imgs = orEmpty(q.DescInfo.Imgs)
	q.SKUs = make([]StoreSKU, len(p.SKUs))
	for i, s := range p.SKUs {
		s.Status = 0 // WeChat's, never sent
		q.SKUs[i] = s
	}
	return &q
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
