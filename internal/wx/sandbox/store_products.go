package sandbox

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wxshop/internal/wx"
)

// 微信小店 products (shared/api/store/product.md). add and update write the draft, which the platform audits
// once it is submitted (listing, or listing:1 in add/update); an audit that passes puts the draft online and
// lists it. The sandbox decides an audit AuditDelay after it began, when a call next looks at the product, or
// at once through its audit button (store_control.go): it refuses a draft whose title holds a word the
// advertising law bans (storeBannedWords), with a reason, and passes any other.
//
// Codes, all from product.md §8 unless marked:
//
//	10020020/21/42/45  title empty / over 60 characters / under 5 valid characters / letters only or bad characters
//	10020022/23        head images: fewer than 3 (4 for food) / more than 9 (or repeated)
//	10020025           detail images: none, more than 50, or fewer than 3 for food
//	10020035           an image that is not an mmecimage.cn/p/ URL the sandbox handed out
//	10020011/17        cats not exactly 3 levels of the old tree / cats_v2 not a root-to-leaf path of the new tree
//	10020012           a sku_attrs key that is not a sale attribute of the leaf
//	10020013           no SKU, or more than 500
//	10020019           deliver_method 0 without a freight template of the shop
//	10020028/39        sale_price above 1 000 000 000 fen / 0
//	10020027           more than 10 images for one product qualification
//	10020029/32/33     sku_code over 100 / attr_key over 40 / attr_value over 40 characters
//	10020051           anything else that is missing or wrong: a mandatory product qualification, deliver_method 3
//	                   without deliver_acct_type, a required attribute, an option not offered, a
//	                   brand the shop may not use, seven_day_return 0 in a category that demands it, an unknown
//	                   sku_id in update, two SKUs with the same sale attributes
//	10020008           update changes out_product_id, an out_sku_id, or the level-1 category of a listed product
//	10020049           update, delete or listing while in audit
//	10020044           audit/cancel of a product not in audit
//	10020067           listing while a draft of more than 25 SKUs is still uploading
//	10020052           an unknown product_id
//	(no code)          a submission with the audit quota used up goes through, its draft in edit_status 72
//	                   (提审quota不足), as getauditquota's page says; saving without submitting uses no quota

// storeBannedWords make an audit fail: words the advertising law forbids in product titles.
var storeBannedWords = []string{"第一", "最好", "国家级", "顶级"}

type storeProduct struct {
	id         string
	online     *wx.StoreProduct // nil until a draft first passes audit
	draft      *wx.StoreProduct
	status     int // online state
	editStatus int
	reason     string    // the last audit's refusal
	auditDue   time.Time // while in audit (or uploading)
	listAfter  bool      // uploading: submit for audit when the upload is done
	everListed bool
	created    time.Time
}

type storeProductAnswer struct {
	status
	Product     *wx.StoreProduct `json:"product,omitempty"`
	EditProduct *wx.StoreProduct `json:"edit_product,omitempty"`
	AuditInfo   *storeAuditInfo  `json:"audit_info,omitempty"`
}

// storeAuditInfo is the audit's outcome as product/get carries it [new: audit_info; fields as the event's].
type storeAuditInfo struct {
	AuditReason string `json:"audit_reason,omitempty"`
}

type storeProductRequest struct {
	ProductID wx.ID `json:"product_id"`
	wx.StoreProductData
	Listing int `json:"listing"`
}

type storeAddAnswer struct {
	status
	Data struct {
		ProductID  wx.ID  `json:"product_id"`
		CreateTime string `json:"create_time,omitempty"`
		UpdateTime string `json:"update_time,omitempty"`
	} `json:"data"`
}

var (
	errStoreBadParam    = &apiError{10020051, "invalid parameter"}
	errStoreNoProduct   = &apiError{10020052, "product not exist"}
	errStoreInAudit     = &apiError{10020049, "product is in audit, cancel audit first"}
	errStoreNotInAudit  = &apiError{10020044, "product is not in audit"}
	errStoreUploading   = &apiError{10020067, "product is uploading"}
	errStoreFrozen      = &apiError{10020008, "product field cannot be modified"}
	errStoreImage       = &apiError{10020035, "图片/视频url非法, url前缀应为mmecimage.cn/p/"}
	errStoreTooFewHead  = &apiError{10020022, "head_imgs is empty or too few"}
	errStoreTooManyHead = &apiError{10020023, "head_imgs too many"}
	errStoreDescImgs    = &apiError{10020025, "desc_info.imgs count invalid"}
	errStoreCatLevels   = &apiError{10020011, "cats must have 3 levels"}
	errStoreCategory    = &apiError{10020017, "category invalid"}
	errStoreSaleAttr    = &apiError{10020012, "sku_attrs not valid for category"}
	errStoreSKUCount    = &apiError{10020013, "sku count invalid"}
	errStoreFreight     = &apiError{10020019, "freight template invalid"}
	errStorePriceHigh   = &apiError{10020028, "sku price too high"}
	errStorePriceZero   = &apiError{10020039, "sku price is 0"}
	errStoreSKUCode     = &apiError{10020029, "sku_code too long"}
	errStoreAttrKeyLong = &apiError{10020032, "attr_key too long"}
	errStoreAttrValLong = &apiError{10020033, "attr_value too long"}
	storeTitleErrs      = map[int]*apiError{10020020: {10020020, "title is empty"}, 10020021: {10020021, "title too long"}, 10020042: {10020042, "title too short"}, 10020045: {10020045, "title contains illegal characters"}}
)

// lookupStore finds a product by the id a request gave, after deciding any audit that is due.
func (s *Server) lookupStore(id wx.ID) (*storeProduct, error) {
	if id == "" {
		return nil, errStoreBadParam.with("product_id missing")
	}
	sp, found := s.store.products[string(id)]
	if !found {
		return nil, errStoreNoProduct.with("product_id %s", id)
	}
	s.advanceAudit(sp)
	return sp, nil
}

// checkStoreProduct applies the add page's rules to p.
func (s *Server) checkStoreProduct(p *wx.StoreProductData) error {
	if code := wx.StoreTitleCode(p.Title); code != 0 {
		return storeTitleErrs[code].with("title %q", p.Title)
	}
	leaf, err := s.checkStoreCategory(p)
	if err != nil {
		return err
	}
	minHead := wx.StoreMinHeadImgs
	if leaf.food {
		minHead = wx.StoreMinHeadImgsFood
	}
	switch n := len(p.HeadImgs); {
	case n < minHead:
		return errStoreTooFewHead.with("%d head images, this category needs at least %d", n, minHead)
	case n > wx.StoreMaxHeadImgs:
		return errStoreTooManyHead.with("%d head images, at most %d", n, wx.StoreMaxHeadImgs)
	}
	if dup := firstDuplicate(p.HeadImgs); dup != "" {
		return errStoreTooManyHead.with("head image %q given twice", dup)
	}
	minDesc := 1
	if leaf.food {
		minDesc = 3
	}
	if n := len(p.DescInfo.Imgs); n < minDesc || n > wx.StoreMaxDescImgs {
		return errStoreDescImgs.with("%d detail images, want %d–%d", n, minDesc, wx.StoreMaxDescImgs)
	}
	for _, u := range slices.Concat(p.HeadImgs, p.DescInfo.Imgs) {
		if !s.store.images[u] {
			return errStoreImage.with("%q", u)
		}
	}
	if err := checkStoreAttrs(leaf, p.Attrs); err != nil {
		return err
	}
	if p.BrandID != "" && p.BrandID != wx.StoreNoBrand && !storeBrandValid(p.BrandID) {
		return errStoreBadParam.with("brand_id %s is not a brand the shop may use", p.BrandID)
	}
	if leaf.sevenDay && p.ExtraService.SevenDayReturn == 0 {
		return errStoreBadParam.with("category %s requires seven_day_return", leaf.name)
	}
	switch p.DeliverMethod {
	case 0:
		if p.ExpressInfo == nil || s.store.templates[string(p.ExpressInfo.TemplateID)] == nil {
			return errStoreFreight.with("express_info.template_id is not a freight template of the shop")
		}
	case 1, 3:
		if !leaf.noShipment {
			return errStoreBadParam.with("deliver_method %d: category %s ships by courier", p.DeliverMethod, leaf.name)
		}
	default:
		return errStoreBadParam.with("deliver_method %d", p.DeliverMethod)
	}
	if p.DeliverMethod == 3 && len(p.DeliverAcctType) == 0 {
		return errStoreBadParam.with("deliver_method 3 needs deliver_acct_type")
	}
	given := map[wx.ID]int{}
	for _, q := range p.ProductQuaInfos {
		if len(q.QuaURL) > 10 {
			return &apiError{10020027, "too many qualification images"}
		}
		for _, u := range q.QuaURL {
			if !s.store.images[u] {
				return errStoreImage.with("product_qua_infos %q", u)
			}
		}
		given[q.QuaID] = len(q.QuaURL)
	}
	for _, q := range leaf.quals {
		if q.Mandatory && given[q.QuaID] == 0 {
			return errStoreBadParam.with("product qualification %s (%s) is required", q.QuaID, q.Name)
		}
	}
	return s.checkStoreSKUs(leaf, p.SKUs)
}

func (s *Server) checkStoreSKUs(leaf *storeCat, skus []wx.StoreSKU) error {
	if len(skus) == 0 || len(skus) > wx.StoreMaxSKUs {
		return errStoreSKUCount.with("%d SKUs, want 1–%d", len(skus), wx.StoreMaxSKUs)
	}
	seen := map[string]bool{}
	for i, k := range skus {
		switch {
		case k.SalePrice <= 0:
			return errStorePriceZero.with("skus[%d].sale_price %d", i, k.SalePrice)
		case k.SalePrice > wx.StoreMaxSalePrice:
			return errStorePriceHigh.with("skus[%d].sale_price %d", i, k.SalePrice)
		case k.StockNum < 0:
			return errStoreBadParam.with("skus[%d].stock_num %d", i, k.StockNum)
		case utf8.RuneCountInString(k.SKUCode) > 100:
			return errStoreSKUCode.with("skus[%d].sku_code", i)
		case k.ThumbImg != "" && !s.store.images[k.ThumbImg]:
			return errStoreImage.with("skus[%d].thumb_img %q", i, k.ThumbImg)
		}
		var key []string
		for _, a := range k.SKUAttrs {
			switch {
			case utf8.RuneCountInString(a.AttrKey) > 40:
				return errStoreAttrKeyLong.with("%q", a.AttrKey)
			case utf8.RuneCountInString(a.AttrValue) > 40:
				return errStoreAttrValLong.with("%q", a.AttrValue)
			case strings.TrimSpace(a.AttrValue) == "":
				return errStoreBadParam.with("skus[%d] %s has no value", i, a.AttrKey)
			}
			attr, found := leaf.saleAttr(a.AttrKey)
			if !found {
				return errStoreSaleAttr.with("%q is not a sale attribute of %s", a.AttrKey, leaf.name)
			}
			if err := checkAttrValue(attr, a.AttrValue); err != nil {
				return err
			}
			key = append(key, a.AttrKey+"="+a.AttrValue)
		}
		slices.Sort(key)
		k := strings.Join(key, ";")
		if seen[k] {
			return errStoreBadParam.with("two SKUs have the sale attributes %q", k)
		}
		seen[k] = true
	}
	return nil
}

func firstDuplicate(list []string) string {
	seen := map[string]bool{}
	for _, v := range list {
		if seen[v] {
			return v
		}
		seen[v] = true
	}
	return ""
}

// useQuota takes one submission from the audit quota; false when it is used up.
func (s *Server) useQuota() bool {
	if s.store.quotaUsed >= s.store.quotaTotal {
		return false
	}
	s.store.quotaUsed++
	return true
}

func (s *Server) addStoreProduct(c *call) (any, error) {
	var req storeProductRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := s.checkStoreProduct(&req.StoreProductData); err != nil {
		return nil, err
	}
	now := s.now()
	sp := &storeProduct{id: s.store.newID(), editStatus: wx.StoreEditEditing, created: now}
	sp.draft = s.storeCopy(sp, &req.StoreProductData, nil, now)
	s.store.products[sp.id] = sp
	s.store.order = append(s.store.order, sp.id)
	s.store.window = append(s.store.window, windowEntry{productID: sp.id, hide: req.HideInWindow == 1})
	s.submitAfterWrite(sp, req.Listing == 1, len(req.SKUs), now)
	ans := storeAddAnswer{status: statusOK}
	ans.Data.ProductID = wx.ID(sp.id)
	ans.Data.CreateTime = now.In(beijingZone).Format("2006-01-02 15:04:05")
	return ans, nil
}

func (s *Server) updateStoreProduct(c *call) (any, error) {
	var req storeProductRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.lookupStore(req.ProductID)
	if err != nil {
		return nil, err
	}
	switch sp.editStatus {
	case wx.StoreEditInAudit:
		return nil, errStoreInAudit.with("product_id %s", sp.id)
	case wx.StoreEditUploading:
		return nil, errStoreUploading.with("product_id %s", sp.id)
	}
	if err := s.checkStoreProduct(&req.StoreProductData); err != nil {
		return nil, err
	}
	prev := sp.draft
	if req.OutProductID != prev.OutProductID {
		return nil, errStoreFrozen.with("out_product_id cannot change after add")
	}
	if sp.everListed && len(req.CatsV2) > 0 && len(prev.CatsV2) > 0 && req.CatsV2[0] != prev.CatsV2[0] {
		return nil, errStoreFrozen.with("the level-1 category cannot change after listing")
	}
	known := map[wx.ID]wx.StoreSKU{}
	for _, k := range prev.SKUs {
		known[k.SKUID] = k
	}
	for i, k := range req.SKUs {
		if k.SKUID == "" {
			continue
		}
		old, found := known[k.SKUID]
		if !found {
			return nil, errStoreBadParam.with("skus[%d].sku_id %s is not a SKU of the product", i, k.SKUID)
		}
		if k.OutSKUID != old.OutSKUID {
			return nil, errStoreFrozen.with("skus[%d].out_sku_id cannot change after add", i)
		}
	}
	now := s.now()
	sp.draft = s.storeCopy(sp, &req.StoreProductData, prev, now)
	sp.editStatus, sp.reason = wx.StoreEditEditing, ""
	s.submitAfterWrite(sp, req.Listing == 1, len(req.SKUs), now)
	ans := storeAddAnswer{status: statusOK}
	ans.Data.ProductID = wx.ID(sp.id)
	ans.Data.UpdateTime = now.In(beijingZone).Format("2006-01-02 15:04:05")
	return ans, nil
}

var beijingZone = time.FixedZone("CST", 8*60*60)

// storeCopy makes the stored draft from what add or update sent: new SKUs get ids; the SKUs of prev keep
// theirs.
func (s *Server) storeCopy(sp *storeProduct, d *wx.StoreProductData, prev *wx.StoreProduct, now time.Time) *wx.StoreProduct {
	p := &wx.StoreProduct{ProductID: wx.ID(sp.id), StoreProductData: cloneStoreData(*d), EditTime: wx.Timestamp(now.Unix())}
	for i := range p.SKUs {
		if p.SKUs[i].SKUID == "" {
			p.SKUs[i].SKUID = wx.ID(s.store.newID())
		}
		p.SKUs[i].Status = 0
	}
	if p.BrandID == "" {
		p.BrandID = wx.StoreNoBrand
	}
	return p
}

func cloneStoreData(d wx.StoreProductData) wx.StoreProductData {
	b, _ := json.Marshal(d)
	var out wx.StoreProductData
	_ = json.Unmarshal(b, &out)
	return out
}

// submitAfterWrite starts the audit a write asked for; more than 25 SKUs are first "uploaded" asynchronously.
func (s *Server) submitAfterWrite(sp *storeProduct, listing bool, skus int, now time.Time) {
	if skus > wx.StoreAsyncSKUs {
		sp.editStatus, sp.listAfter, sp.auditDue = wx.StoreEditUploading, listing, now.Add(time.Second)
		return
	}
	if listing {
		s.startAudit(sp, now)
	}
}

func (s *Server) startAudit(sp *storeProduct, now time.Time) {
	if !s.useQuota() {
		sp.editStatus, sp.reason, sp.auditDue = wx.StoreEditQuotaShort, "", time.Time{}
		return
	}
	sp.editStatus, sp.reason = wx.StoreEditInAudit, ""
	if s.store.auditDelay > 0 {
		sp.auditDue = now.Add(s.store.auditDelay)
	} else {
		sp.auditDue = time.Time{}
	}
}

// advanceAudit finishes an upload or decides an audit whose time has come.
func (s *Server) advanceAudit(sp *storeProduct) {
	if sp.auditDue.IsZero() || s.now().Before(sp.auditDue) {
		return
	}
	switch sp.editStatus {
	case wx.StoreEditUploading:
		sp.auditDue = time.Time{}
		if sp.listAfter {
			sp.listAfter = false
			s.startAudit(sp, s.now())
		} else {
			sp.editStatus = wx.StoreEditEditing
		}
	case wx.StoreEditInAudit:
		reason := ""
		for _, w := range storeBannedWords {
			if strings.Contains(sp.draft.Title, w) {
				reason = "商品标题含有广告法禁用词「" + w + "」，请修改后重新提交"
				break
			}
		}
		s.decideAudit(sp, reason == "", reason)
	}
}

// decideAudit ends the audit of sp: a pass puts the draft online and lists it.
func (s *Server) decideAudit(sp *storeProduct, pass bool, reason string) {
	sp.auditDue = time.Time{}
	if !pass {
		sp.editStatus, sp.reason = wx.StoreEditRejected, reason
		s.pushAudit(sp, 2, reason)
		return
	}
	online := *sp.draft
	online.StoreProductData = cloneStoreData(sp.draft.StoreProductData)
	sp.online = &online
	sp.editStatus, sp.reason = wx.StoreEditPassed, ""
	sp.everListed = true
	sp.status = wx.StoreStatusOnSale
	if storeTotalStock(sp.online) == 0 {
		sp.status = wx.StoreStatusSoldOut
	}
	s.pushAudit(sp, 3, "")
	s.pushListing(sp)
}

func storeTotalStock(p *wx.StoreProduct) int64 {
	var n int64
	for _, k := range p.SKUs {
		n += k.StockNum
	}
	return n
}

// view renders a copy of sp's product as get answers it, with both states and the lowest price.
func (sp *storeProduct) view(p *wx.StoreProduct) *wx.StoreProduct {
	if p == nil {
		return nil
	}
	v := *p
	v.StoreProductData = cloneStoreData(p.StoreProductData)
	v.Status, v.EditStatus = sp.status, sp.editStatus
	v.MinPrice = 0
	for i, k := range v.SKUs {
		if v.MinPrice == 0 || wx.FlexInt(k.SalePrice) < v.MinPrice {
			v.MinPrice = wx.FlexInt(k.SalePrice)
		}
		v.SKUs[i].Status = sp.status
	}
	return &v
}

func (s *Server) getStoreProduct(c *call) (any, error) {
	var req struct {
		ProductID wx.ID `json:"product_id"`
		DataType  int   `json:"data_type"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.lookupStore(req.ProductID)
	if err != nil {
		return nil, err
	}
	ans := storeProductAnswer{status: statusOK}
	switch req.DataType {
	case 0, wx.StoreOnline:
		if sp.online == nil {
			return nil, errStoreNoProduct.with("product_id %s has no online copy: it was never listed", sp.id)
		}
		ans.Product = sp.view(sp.online)
	case wx.StoreDraft:
		ans.EditProduct = sp.view(sp.draft)
	case wx.StoreBoth:
		ans.Product, ans.EditProduct = sp.view(sp.online), sp.view(sp.draft)
	default:
		return nil, errStoreBadParam.with("data_type %d", req.DataType)
	}
	if sp.reason != "" {
		ans.AuditInfo = &storeAuditInfo{AuditReason: sp.reason}
	}
	return ans, nil
}

type storeListAnswer struct {
	status
	ProductIDs []wx.ID `json:"product_ids"`
	NextKey    string  `json:"next_key"`
	TotalNum   int     `json:"total_num"`
}

func (s *Server) listStoreProducts(c *call) (any, error) {
	var req struct {
		Status   int    `json:"status"`
		PageSize int    `json:"page_size"`
		NextKey  string `json:"next_key"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.PageSize < 1 || req.PageSize > wx.MaxStoreProductPage {
		return nil, errStoreBadParam.with("page_size %d, want 1–%d", req.PageSize, wx.MaxStoreProductPage)
	}
	var ids []wx.ID
	for _, id := range s.store.order {
		sp := s.store.products[id]
		s.advanceAudit(sp)
		if req.Status == 0 && sp.status != wx.StoreStatusRecycled || req.Status != 0 && sp.status == req.Status {
			ids = append(ids, wx.ID(id))
		}
	}
	start := 0
	if req.NextKey != "" {
		i := slices.Index(ids, wx.ID(strings.TrimPrefix(req.NextKey, "after:")))
		if i < 0 || !strings.HasPrefix(req.NextKey, "after:") {
			return nil, errStoreBadParam.with("next_key %q", req.NextKey)
		}
		start = i + 1
	}
	end := min(start+req.PageSize, len(ids))
	ans := storeListAnswer{status: statusOK, ProductIDs: orEmptyIDs(ids[start:end]), TotalNum: len(ids)}
	if end < len(ids) {
		ans.NextKey = "after:" + string(ids[end-1])
	}
	return ans, nil
}

func orEmptyIDs(ids []wx.ID) []wx.ID {
	if ids == nil {
		return []wx.ID{}
	}
	return ids
}

type storeIDRequest struct {
	ProductID wx.ID `json:"product_id"`
}

func (s *Server) storeAction(c *call, act func(*storeProduct) error) (any, error) {
	var req storeIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	sp, err := s.lookupStore(req.ProductID)
	if err != nil {
		return nil, err
	}
	if err := act(sp); err != nil {
		return nil, err
	}
	return statusOK, nil
}

func (s *Server) deleteStoreProduct(c *call) (any, error) {
	return s.storeAction(c, func(sp *storeProduct) error {
		if sp.editStatus == wx.StoreEditInAudit {
			return errStoreInAudit.with("product_id %s", sp.id)
		}
		delete(s.store.products, sp.id)
		s.store.order = slices.DeleteFunc(s.store.order, func(id string) bool { return id == sp.id })
		s.store.window = slices.DeleteFunc(s.store.window, func(w windowEntry) bool { return w.productID == sp.id })
		for k, ids := range s.store.catProds {
			s.store.catProds[k] = slices.DeleteFunc(ids, func(id string) bool { return id == sp.id })
		}
		return nil
	})
}

func (s *Server) listStoreProduct(c *call) (any, error) {
	return s.storeAction(c, func(sp *storeProduct) error {
		switch sp.editStatus {
		case wx.StoreEditInAudit:
			return errStoreInAudit.with("product_id %s is already in audit", sp.id)
		case wx.StoreEditUploading:
			return errStoreUploading.with("product_id %s", sp.id)
		}
		if len(sp.draft.SKUs) == 0 {
			return &apiError{10020038, "product has no sku"}
		}
		s.startAudit(sp, s.now())
		return nil
	})
}

func (s *Server) delistStoreProduct(c *call) (any, error) {
	return s.storeAction(c, func(sp *storeProduct) error {
		if sp.online == nil || sp.status != wx.StoreStatusOnSale && sp.status != wx.StoreStatusSoldOut {
			return errStoreBadParam.with("product_id %s is not on sale (status %d)", sp.id, sp.status)
		}
		sp.status = wx.StoreStatusDelisted
		s.pushListing(sp)
		return nil
	})
}

func (s *Server) cancelStoreAudit(c *call) (any, error) {
	return s.storeAction(c, func(sp *storeProduct) error {
		if sp.editStatus != wx.StoreEditInAudit {
			return errStoreNotInAudit.with("product_id %s has edit_status %d", sp.id, sp.editStatus)
		}
		sp.editStatus, sp.auditDue = wx.StoreEditEditing, time.Time{}
		s.pushAudit(sp, 4, "")
		return nil
	})
}

// storeQuotaAnswer is getauditquota's answer with the fields of its page of 2026-05-28 (block_status a
// number since 2026-04-28).
type storeQuotaAnswer struct {
	status
	AuditQuota struct {
		BlockStatus         int `json:"block_status"`
		AvailQuota          int `json:"avail_quota"`
		TotalQuota          int `json:"total_quota"`
		UnlimitedType       int `json:"unlimited_type"`
		AuditTotalQuota     int `json:"audit_total_quota"`
		AuditTotalRemaining int `json:"audit_total_remaining"`
	} `json:"audit_quota"`
}

func (s *Server) getStoreAuditQuota(c *call) (any, error) {
	ans := storeQuotaAnswer{status: statusOK}
	q := &ans.AuditQuota
	q.AvailQuota = s.store.quotaTotal - s.store.quotaUsed
	q.TotalQuota = s.store.quotaTotal
	q.AuditTotalQuota, q.AuditTotalRemaining = q.TotalQuota, q.AvailQuota
	if q.AvailQuota <= 0 {
		q.BlockStatus = 1
	}
	return ans, nil
}

// SetAuditQuota sets how many audits the shop has left, for tests of the quota's refusal.
func (s *Server) SetAuditQuota(left int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.quotaUsed = max(0, s.store.quotaTotal-left)
}
