package sandbox

import (
	"slices"
	"strings"

	"wxshop/internal/wx"
)

// The rules a product must follow, in one place: merchant/create and merchant/update run checkProduct, and
// the demo data is tested against it. The codes are in codes.go.

// maxQuantity bounds prices and stock, as WeChat keeps them in 32 bits.
const maxQuantity = 1<<31 - 1

// Courier ids delivery_info.express may name (the manual's 快递列表).
var knownExpress = []int{wx.ExpressPingYou, wx.ExpressKuaiDi, wx.ExpressEMS}

// checkProduct checks p as merchant/create or merchant/update received it through base (scheme://host of the
// request, which its image URLs must name) and returns it as the sandbox stores it: a copy without the
// answer-only fields, whose image URLs are replaced by the paths of the sandbox's images. It returns the first
// rule p breaks. The caller holds s.mu.
func (s *Server) checkProduct(p *wx.Product, base string) (*wx.Product, error) {
	out := cloneProduct(p)
	out.ProductID, out.Status = "", 0
	out.ProductBase.DetailHTML = ""
	b := &out.ProductBase

	if strings.TrimSpace(b.Name) == "" {
		return nil, errInvalidArgs.with("product_base.name missing")
	}
	cat, err := checkCategory(b.CategoryID)
	if err != nil {
		return nil, err
	}
	if err := checkProperties(cat, b.Property); err != nil {
		return nil, err
	}
	if err := checkSKUInfo(cat, b.SKUInfo); err != nil {
		return nil, err
	}
	if err := checkSKUList(b.SKUInfo, out.SKUList); err != nil {
		return nil, err
	}
	if b.BuyLimit < 0 {
		return nil, errInvalidArgs.with("buy_limit %d is negative", b.BuyLimit)
	}
	if err := checkAttrExt(out.AttrExt, out.DeliveryInfo); err != nil {
		return nil, err
	}
	if d := out.DeliveryInfo; d != nil && d.DeliveryType == wx.DeliveryByTemplate {
		if _, err := s.templates.lookup(d.TemplateID); err != nil {
			return nil, err
		}
	}
	if err := s.localizeImages(out, base); err != nil {
		return nil, err
	}
	return out, nil
}

// checkCategory wants exactly one category_id, a leaf the sandbox knows.
func checkCategory(ids []wx.ID) (*category, error) {
	if len(ids) != 1 {
		return nil, errInvalidArgs.with("category_id must hold exactly one id, not %d", len(ids))
	}
	cat, err := lookupCategory(ids[0])
	if err != nil {
		return nil, err
	}
	if !cat.leaf() {
		return nil, errCategoryNotLeaf.with("category_id %q (%s) has sub-categories", cat.id, cat.name)
	}
	return cat, nil
}

// checkProperties wants each property id to be one of the category's, once, with one of its values.
func checkProperties(cat *category, props []wx.ProductProperty) error {
	seen := map[wx.ID]bool{}
	for _, pp := range props {
		p, found := cat.property(pp.ID)
		switch {
		case !found:
			return errInvalidProperty.with("category %q has no property id %q", cat.id, string(pp.ID))
		case seen[pp.ID]:
			return errInvalidProperty.with("property id %q given twice", string(pp.ID))
		case propertyValueName(p, pp.VID) == "":
			return errInvalidProperty.with("property %q (%s) has no vid %q", string(pp.ID), p.Name, string(pp.VID))
		}
		seen[pp.ID] = true
	}
	return nil
}

// isCustom tells a custom SKU attribute or value, which the manual writes "$text".
func isCustom(id wx.ID) bool { return len(id) > 1 && id[0] == '$' }

// checkSKUInfo wants each attribute once, from the category's SKU table or custom, each with a non-empty
// list of distinct values from that attribute's value_list or custom. A custom attribute has custom values
// only, as there is no table to take them from.
func checkSKUInfo(cat *category, infos []wx.SKUInfo) error {
	seen := map[wx.ID]bool{}
	for _, si := range infos {
		attr, found := cat.skuAttr(si.ID)
		switch {
		case !found && !isCustom(si.ID):
			return errInvalidSKUInfo.with("category %q has no SKU attribute id %q", cat.id, string(si.ID))
		case seen[si.ID]:
			return errInvalidSKUInfo.with("attribute id %q given twice", string(si.ID))
		case len(si.VID) == 0:
			return errInvalidSKUInfo.with("attribute id %q has no vid", string(si.ID))
		}
		seen[si.ID] = true
		vids := map[wx.ID]bool{}
		for _, vid := range si.VID {
			switch {
			case vids[vid]:
				return errInvalidSKUInfo.with("attribute id %q lists vid %q twice", string(si.ID), string(vid))
			case isCustom(vid):
			case !found:
				return errInvalidSKUInfo.with("custom attribute %q takes custom values only, not %q", string(si.ID), string(vid))
			case !hasSKUValue(attr, vid):
				return errInvalidSKUInfo.with("attribute %q (%s) has no vid %q", string(si.ID), attr.Name, string(vid))
			}
			vids[vid] = true
		}
	}
	return nil
}

// checkSKUList wants at least one SKU; each sku_id names every sku_info attribute once with one of the vids
// it lists, and no two SKUs are the same (in whatever order their pairs are written); a product without
// sku_info has exactly one SKU, "". Each SKU's price is positive and lower than its ori_price.
func checkSKUList(infos []wx.SKUInfo, skus []wx.SKU) error {
	if len(skus) == 0 {
		return errInvalidArgs.with("sku_list is empty")
	}
	if len(infos) == 0 {
		if len(skus) != 1 || skus[0].SKUID != "" {
			return errSKUIDMismatch.with(`a product without sku_info has exactly one SKU, with sku_id ""`)
		}
	}
	vidsOf := make(map[wx.ID][]wx.ID, len(infos))
	for _, si := range infos {
		vidsOf[si.ID] = si.VID
	}
	seen := map[string]bool{}
	for _, sku := range skus {
		if len(infos) > 0 {
			key, err := skuKey(sku.SKUID, vidsOf)
			if err != nil {
				return err
			}
			if seen[key] {
				return errSKUIDMismatch.with("sku_id %q given twice", sku.SKUID)
			}
			seen[key] = true
		}
		switch {
		case sku.Price <= 0:
			return errInvalidArgs.with("sku_id %q: price %d must be positive", sku.SKUID, sku.Price)
		case sku.Price >= sku.OriPrice:
			return errPriceNotBelowOri.with("sku_id %q: price %d, ori_price %d", sku.SKUID, sku.Price, sku.OriPrice)
		case sku.OriPrice > maxQuantity:
			return errInvalidArgs.with("sku_id %q: ori_price %d is too large", sku.SKUID, sku.OriPrice)
		case sku.Quantity < 0 || sku.Quantity > maxQuantity:
			return errInvalidArgs.with("sku_id %q: quantity %d is out of range", sku.SKUID, sku.Quantity)
		}
	}
	return nil
}

// skuKey checks one sku_id against sku_info and returns it with its pairs sorted, so that "a:1;b:2" and
// "b:2;a:1" are seen to be the same SKU.
func skuKey(skuID string, vidsOf map[wx.ID][]wx.ID) (string, error) {
	pairs, err := wx.ParseSKUInfo(skuID)
	if err != nil {
		return "", errSKUIDMismatch.with("sku_id %q: %v", skuID, err)
	}
	if len(pairs) != len(vidsOf) {
		return "", errSKUIDMismatch.with("sku_id %q names %d attributes, sku_info has %d", skuID, len(pairs), len(vidsOf))
	}
	for _, p := range pairs {
		vids, found := vidsOf[p.ID]
		switch {
		case !found:
			return "", errSKUIDMismatch.with("sku_id %q: attribute %q is not in sku_info", skuID, string(p.ID))
		case !slices.Contains(vids, p.VID):
			return "", errSKUIDMismatch.with("sku_id %q: sku_info does not list vid %q for attribute %q", skuID, string(p.VID), string(p.ID))
		}
	}
	slices.SortFunc(pairs, func(a, b wx.SKUPair) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return wx.SKUID(pairs), nil
}

// checkAttrExt wants the flags to be 0 or 1, and delivery_info unless the product is post-free: fixed fees
// for known couriers, or a postage template id (which checkProduct then looks up).
func checkAttrExt(a wx.AttrExt, d *wx.DeliveryInfo) error {
	flags := []struct {
		name  string
		value int
	}{
		{"isPostFree", a.IsPostFree}, {"isHasReceipt", a.IsHasReceipt},
		{"isUnderGuaranty", a.IsUnderGuaranty}, {"isSupportReplace", a.IsSupportReplace},
	}
	for _, f := range flags {
		if f.value != 0 && f.value != 1 {
			return errInvalidArgs.with("attrext.%s %d is not 0 or 1", f.name, f.value)
		}
	}
	if d == nil {
		if a.IsPostFree != 1 {
			return errInvalidArgs.with("delivery_info missing, and attrext.isPostFree is not 1")
		}
		return nil
	}
	switch d.DeliveryType {
	case wx.DeliveryByExpress:
		if len(d.Express) == 0 && a.IsPostFree != 1 {
			return errInvalidArgs.with("delivery_info.express is empty")
		}
		for _, e := range d.Express {
			if !slices.Contains(knownExpress, e.ID) {
				return errInvalidArgs.with("delivery_info.express id %d is not a known courier", e.ID)
			}
			if e.Price < 0 {
				return errInvalidArgs.with("delivery_info.express %d: price %d is negative", e.ID, e.Price)
			}
		}
	case wx.DeliveryByTemplate:
		// That the template exists is checkProduct's part, as it needs the shop.
		if d.TemplateID <= 0 {
			return errInvalidArgs.with("delivery_info.template_id %d is not a template", d.TemplateID)
		}
	default:
		return errInvalidArgs.with("delivery_info.delivery_type %d is not 0 or 1", d.DeliveryType)
	}
	return nil
}

// localizeImages wants main_img, and replaces it, every img, every detail img and every icon_url with the
// path of the sandbox image it names; a URL the sandbox did not hand out through base is refused. Detail
// blocks must hold text or an image.
func (s *Server) localizeImages(p *wx.Product, base string) error {
	b := &p.ProductBase
	local := func(field, url string) (string, error) {
		path, ok := s.images.pathOf(url, base)
		if !ok {
			return "", errImageNotOurs.with("%s %q", field, url)
		}
		return path, nil
	}
	var err error
	if b.MainImg == "" {
		return errInvalidArgs.with("product_base.main_img missing")
	}
	if b.MainImg, err = local("main_img", b.MainImg); err != nil {
		return err
	}
	for i := range b.Img {
		if b.Img[i], err = local("img", b.Img[i]); err != nil {
			return err
		}
	}
	for i := range b.Detail {
		d := &b.Detail[i]
		if d.Text == "" && d.Img == "" {
			return errInvalidArgs.with("detail block %d holds neither text nor img", i+1)
		}
		if d.Img != "" {
			if d.Img, err = local("detail img", d.Img); err != nil {
				return err
			}
		}
	}
	for i := range p.SKUList {
		sku := &p.SKUList[i]
		if sku.IconURL != "" {
			if sku.IconURL, err = local("icon_url", sku.IconURL); err != nil {
				return err
			}
		}
	}
	return nil
}

// globalizeImages is the reverse of localizeImages: it writes base in front of every image path of p.
func globalizeImages(p *wx.Product, base string) {
	b := &p.ProductBase
	abs := func(path string) string {
		if path == "" {
			return ""
		}
		return base + path
	}
	b.MainImg = abs(b.MainImg)
	for i := range b.Img {
		b.Img[i] = abs(b.Img[i])
	}
	for i := range b.Detail {
		b.Detail[i].Img = abs(b.Detail[i].Img)
	}
	for i := range p.SKUList {
		p.SKUList[i].IconURL = abs(p.SKUList[i].IconURL)
	}
}

// cloneProduct copies p deeply, so that what the sandbox stores shares nothing with a request or an answer.
func cloneProduct(p *wx.Product) *wx.Product {
	out := *p
	b := &out.ProductBase
	b.CategoryID = slices.Clone(b.CategoryID)
	b.Property = slices.Clone(b.Property)
	b.SKUInfo = slices.Clone(b.SKUInfo)
	for i := range b.SKUInfo {
		b.SKUInfo[i].VID = slices.Clone(b.SKUInfo[i].VID)
	}
	b.Img = slices.Clone(b.Img)
	b.Detail = slices.Clone(b.Detail)
	out.SKUList = slices.Clone(out.SKUList)
	if p.DeliveryInfo != nil {
		d := *p.DeliveryInfo
		d.Express = slices.Clone(d.Express)
		out.DeliveryInfo = &d
	}
	return &out
}
