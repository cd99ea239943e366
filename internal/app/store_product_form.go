package app

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The product form of a 微信小店 (/products/new, /products/:id/edit): the category path first, one level at a
// time through availablesoncategories/get (the new cats_v2 tree), then the leaf's attributes from
// category/detail, the brand, the title, head and detail images picked from the library's thumbnails, the SKUs
// built from the leaf's sale attributes with prices in yuan, the freight template by name and the after-sale
// services. Everything is checked before sending, the form keeps what was typed, and update always sends the
// whole product (with every SKU's id), because WeChat overwrites the draft with what it is given.

// storeBlankSKURows is how many empty SKU rows the form offers beyond the product's own.
const storeBlankSKURows = 4

func (a *App) showNewStoreProduct(c *gin.Context) {
	cats := splitCatPath(c.Query("cats"))
	f := templates.StoreProductForm{CatPath: strings.Join(cats, "."), SevenDay: "1", Deliver: "0", Errors: templates.FieldErrors{}}
	a.renderStoreForm(c, http.StatusOK, &f, nil)
}

func (a *App) showEditStoreProduct(c *gin.Context) {
	row, ans, ok := a.loadStoreProduct(c, true)
	if !ok {
		return
	}
	p := a.printer(c)
	if msg := shop.StoreRefusal(p, "edit", row); msg != "" {
		a.flash(c, "error", msg)
		a.redirect(c, "/products/"+row.ProductID)
		return
	}
	d := ans.EditProduct
	if d == nil {
		d = ans.Product
	}
	f := storeFormFrom(d)
	f.ID, f.LevelOneFixed = row.ProductID, ans.Product != nil
	if q := c.Query("cats"); q != "" {
		f.CatPath = strings.Join(splitCatPath(q), ".")
	}
	a.renderStoreForm(c, http.StatusOK, &f, d)
}

func splitCatPath(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ',' }) {
		if _, err := strconv.ParseUint(part, 10, 64); err == nil {
			out = append(out, part)
		}
	}
	return out
}

// storeFormFrom fills the form from a product copy.
func storeFormFrom(d *shop.StoreProduct) templates.StoreProductForm {
	f := templates.StoreProductForm{Title: d.Title, Desc: d.DescInfo.Desc, HeadImgs: d.HeadImgs, DescImgs: d.DescInfo.Imgs,
		Brand: string(d.BrandID), SevenDay: strconv.Itoa(d.ExtraService.SevenDayReturn), Insurance: d.ExtraService.FreightInsurance == 1,
		OutProductID: d.OutProductID, AttrValues: map[string]string{}, Errors: templates.FieldErrors{}}
	var path []string
	for _, c := range d.CatsV2 {
		path = append(path, string(c.CatID))
	}
	if len(path) == 0 {
		for _, c := range d.Cats {
			path = append(path, string(c.CatID))
		}
		f.OldTree = true
	}
	f.CatPath = strings.Join(path, ".")
	if d.ExpressInfo != nil {
		f.Template = string(d.ExpressInfo.TemplateID)
		if d.ExpressInfo.Weight > 0 {
			f.Weight = strconv.Itoa(d.ExpressInfo.Weight)
		}
	}
	f.Deliver = strconv.Itoa(d.DeliverMethod)
	for _, t := range d.DeliverAcctType {
		f.AcctTypes = append(f.AcctTypes, strconv.Itoa(t))
	}
	if d.AfterSaleInfo != nil && d.AfterSaleInfo.AfterSaleAddressID != "" && d.AfterSaleInfo.AfterSaleAddressID != "0" {
		f.Address = string(d.AfterSaleInfo.AfterSaleAddressID)
	}
	for _, q := range d.ProductQuaInfos {
		f.Quals = append(f.Quals, templates.StoreQualField{ID: string(q.QuaID), Imgs: q.QuaURL})
	}
	for _, at := range d.Attrs {
		f.AttrValues[at.AttrKey] = at.AttrValue
	}
	for _, k := range d.SKUs {
		r := templates.StoreSKUField{ID: string(k.SKUID), OutID: k.OutSKUID, Price: money.Yuan(k.SalePrice),
			Stock: strconv.FormatInt(k.StockNum, 10), Code: k.SKUCode, Values: map[string]string{}}
		r.Price = strings.TrimPrefix(r.Price, "¥")
		for _, at := range k.SKUAttrs {
			r.Values[at.AttrKey] = at.AttrValue
		}
		f.SKUs = append(f.SKUs, r)
	}
	return f
}

// renderStoreForm fills in what the form offers (the category level to choose, the leaf's attributes, brands,
// templates, images, the quota) around what f holds.
func (a *App) renderStoreForm(c *gin.Context, status int, f *templates.StoreProductForm, _ *shop.StoreProduct) {
	ctx := c.Request.Context()
	p := a.printer(c)
	path := splitCatPath(f.CatPath)
	cats, err := a.shop.StoreCategoryPath(ctx, path)
	if err != nil {
		f.Errors["cats"] = p.T("store.err.cats")
		path, cats = nil, nil
	}
	f.Path = nil
	for i, cat := range cats {
		f.Path = append(f.Path, templates.StoreCatChoice{ID: string(cat.CatID), Name: cat.Name,
			URL: a.storeFormURL(f, strings.Join(path[:i], "."))})
	}
	f.OldTree = len(path) > 0 && a.shop.IsOldTree(ctx, path[0])
	leaf := len(cats) > 0 && (!f.OldTree && cats[len(cats)-1].Leaf || f.OldTree && len(cats) == shop.OldTreeLevels)
	f.Leaf = leaf
	if !leaf {
		parent := "0"
		if len(path) > 0 {
			parent = path[len(path)-1]
		}
		subs, err := a.shop.StoreSubCategories(ctx, parent)
		if err != nil {
			f.Errors["cats"] = wxMessage(p, err)
		} else {
			// The new tree first; the old 3-level tree beside it, for what the new one has no place for.
			for i, list := range [][]shop.StoreCategory{subs.V2, subs.Old} {
				if i == 1 && len(path) > 0 && !f.OldTree || i == 0 && f.OldTree {
					continue
				}
				for _, sc := range list {
					if f.LevelOneFixed && parent == "0" && len(f.FixedLevelOne) > 0 && string(sc.CatID) != f.FixedLevelOne {
						continue
					}
					f.Children = append(f.Children, templates.StoreCatChoice{ID: string(sc.CatID), Name: sc.Name, Leaf: sc.Leaf, Old: i == 1,
						URL: a.storeFormURL(f, strings.Trim(strings.Join(path, ".")+"."+string(sc.CatID), "."))})
				}
			}
			if len(f.Children) == 0 {
				f.Errors["cats"] = p.T("store.err.admission")
			}
		}
	}
	if leaf {
		detail, err := a.shop.StoreCategoryDetail(ctx, path[len(path)-1])
		if err != nil {
			f.Errors["cats"] = wxMessage(p, err)
		} else {
			f.Attrs = storeAttrFields(detail.Attr.ProductAttrList)
			for _, sa := range detail.Attr.SaleAttrList {
				f.SaleAttrs = append(f.SaleAttrs, templates.StoreAttrField{Name: sa.Name, Kind: sa.Kind(), Options: splitOptions(sa.Value), Hint: sa.Hint, Required: sa.IsRequired})
			}
			f.Requirement = detail.Attr.ProductRequirement.ProductImgRequirement
			if f.Requirement == "" && shop.FoodCategory(cats) {
				f.Requirement = p.T("store.food.help", shop.StoreMinHeadImgsFood, shop.StoreMinDescImgsFood)
			}
			f.SevenDayRequired = detail.Attr.SevenDayReturn
			f.NoShipment = detail.Attr.ShopNoShipment
			chosen := map[string][]string{}
			for _, q := range f.Quals {
				chosen[q.ID] = q.Imgs
			}
			f.Quals = nil
			for _, q := range detail.ProductQuaList {
				f.Quals = append(f.Quals, templates.StoreQualField{ID: string(q.QuaID), Name: q.Name, Tips: q.Tips, Mandatory: q.Mandatory, Imgs: chosen[string(q.QuaID)]})
			}
		}
		for len(f.SKUs) < storeBlankSKURows || len(f.SKUs) > 0 && f.SKUs[len(f.SKUs)-1].Filled() && len(f.SKUs) < shop.StoreMaxSKUs {
			f.SKUs = append(f.SKUs, templates.StoreSKUField{Values: map[string]string{}})
			if len(f.SKUs) >= storeBlankSKURows && !f.SKUs[len(f.SKUs)-2].Filled() {
				break
			}
		}
	}
	if brands, err := a.shop.StoreBrands(ctx); err == nil {
		f.Brands = []templates.Option{{Value: string(shop.StoreNoBrand), Label: p.T("store.brand.none")}}
		for _, b := range brands {
			f.Brands = append(f.Brands, templates.Option{Value: string(b.BrandID), Label: strings.TrimSpace(b.ChName + " " + b.EnName)})
		}
	}
	f.Templates = nil
	templatesList, err := a.shop.FreightTemplates(ctx)
	if err != nil {
		a.log.Warn("could not list the freight templates", "err", err)
	}
	for _, t := range templatesList {
		f.Templates = append(f.Templates, templates.Option{Value: string(t.TemplateID), Label: t.Name})
	}
	f.Addresses = nil
	for _, ad := range a.aftersales.Addresses(ctx, false).Items {
		if bool(ad.RecvAddr) {
			f.Addresses = append(f.Addresses, templates.Option{Value: string(ad.AddressID), Label: storeAddressLabel(ad)})
		}
	}
	imgs, _, err := a.store.Images(ctx, 200, 0)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, img := range imgs {
		if strings.HasPrefix(img.URL, shop.StoreImagePrefix) {
			f.Images = append(f.Images, templates.StoreImageChoice{ID: img.ID, URL: img.URL, Name: img.Filename})
		}
	}
	if q := a.shop.AuditQuota(ctx); q.Unlimited {
		f.Quota = p.T("store.quota.unlimited")
	} else if q.Known {
		f.Quota = p.T("store.quota", q.Avail, q.Total)
	}
	title := "form.title.new"
	if f.ID != "" {
		title = "form.title.edit"
	}
	a.render(c, status, templates.StoreProductFormPage(a.page(c, title, "products"), *f))
}

// storeAddressLabel is a return address as the form's list and the product page name it: its name (or the
// remark that tells it), the person who takes the parcels in, and where (a 直辖市 named once).
func storeAddressLabel(ad shop.MerchantAddress) string {
	i := ad.AddressInfo
	city := i.CityName
	if city == i.ProvinceName {
		city = ""
	}
	var parts []string
	for _, s := range []string{cmp.Or(ad.Name, ad.Remark), i.UserName, i.ProvinceName + city + i.CountyName + i.DetailInfo} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func (a *App) storeFormURL(f *templates.StoreProductForm, cats string) string {
	if f.ID != "" {
		return "/products/" + f.ID + "/edit?cats=" + cats
	}
	return "/products/new?cats=" + cats
}

func splitOptions(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ";") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

func storeAttrFields(list []shop.StoreProductAttr) []templates.StoreAttrField {
	var out []templates.StoreAttrField
	for _, at := range list {
		out = append(out, templates.StoreAttrField{Name: at.Name, Kind: at.Kind(), Options: splitOptions(at.Value),
			Required: at.IsRequired, Hint: at.Hint, AppendAllowed: at.AppendAllowed})
	}
	return out
}

// saveStoreProduct checks the form and writes the draft: add for a new product, update (the whole product) for
// one that exists; "audit" submits it in the same call (listing: 1).
func (a *App) saveStoreProduct(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	id := c.Param("id")
	submit := c.PostForm("submit") == "audit"
	f := templates.StoreProductForm{ID: id, CatPath: strings.Join(splitCatPath(c.PostForm("cats")), "."),
		Title: strings.TrimSpace(c.PostForm("title")), Desc: strings.TrimSpace(c.PostForm("desc")),
		HeadImgs: c.PostFormArray("head"), DescImgs: c.PostFormArray("desc_img"), Brand: c.PostForm("brand"),
		Template: c.PostForm("template"), SevenDay: c.PostForm("seven_day"), Insurance: c.PostForm("insurance") == "1",
		OutProductID: c.PostForm("out_product_id"), Weight: strings.TrimSpace(c.PostForm("weight")),
		Deliver: c.DefaultPostForm("deliver", "0"), AcctTypes: c.PostFormArray("acct_type"), Address: c.PostForm("address"),
		AttrValues: map[string]string{}, Errors: templates.FieldErrors{}}
	var prev *shop.StoreProduct
	if id != "" {
		row, ans, ok := a.loadStoreProduct(c, true)
		if !ok {
			return
		}
		if msg := shop.StoreRefusal(p, "edit", row); msg != "" {
			f.Errors["form"] = msg
		}
		prev = ans.EditProduct
		f.LevelOneFixed = ans.Product != nil
		if f.LevelOneFixed && len(ans.Product.CatsV2) > 0 {
			f.FixedLevelOne = string(ans.Product.CatsV2[0].CatID)
		}
		f.OutProductID = prev.OutProductID // never changes
	}
	path := splitCatPath(f.CatPath)
	f.OldTree = len(path) > 0 && a.shop.IsOldTree(ctx, path[0])
	cats, _ := a.shop.StoreCategoryPath(ctx, path)
	var detail *shop.StoreCategoryDetail
	if len(path) == 0 {
		f.Errors["cats"] = p.T("store.err.cats")
	} else if f.OldTree && len(path) != shop.OldTreeLevels {
		f.Errors["cats"] = shop.ExplainCode(p, shop.CodeStoreOldTreeLevels, "")
	} else if d, err := a.shop.StoreCategoryDetail(ctx, path[len(path)-1]); err != nil {
		f.Errors["cats"] = p.T("store.err.leaf")
	} else {
		detail = d
	}
	if f.FixedLevelOne != "" && len(path) > 0 && path[0] != f.FixedLevelOne {
		f.Errors["cats"] = p.T("store.err.levelone")
	}
	data := &shop.StoreProductData{OutProductID: f.OutProductID, Title: f.Title, HeadImgs: f.HeadImgs,
		DescInfo: shop.StoreDescInfo{Imgs: f.DescImgs, Desc: f.Desc}, BrandID: shop.StoreID(f.Brand)}
	for _, cat := range path {
		if f.OldTree {
			data.Cats = append(data.Cats, shop.StoreCatRef{CatID: shop.StoreID(cat)})
		} else {
			data.CatsV2 = append(data.CatsV2, shop.StoreCatRef{CatID: shop.StoreID(cat)})
		}
	}
	if code := shop.StoreTitleCode(f.Title); code != 0 {
		f.Errors["title"] = shop.ExplainCode(p, code, "")
	}
	food := shop.FoodCategory(cats)
	switch n := len(f.HeadImgs); {
	case food && n < shop.StoreMinHeadImgsFood:
		f.Errors["head"] = p.T("store.err.head.food", shop.StoreMinHeadImgsFood, n)
	case n < shop.StoreMinHeadImgs || n > shop.StoreMaxHeadImgs:
		f.Errors["head"] = p.T("store.err.head", n)
	case slices.ContainsFunc(f.HeadImgs, func(u string) bool { return !strings.HasPrefix(u, shop.StoreImagePrefix) }):
		f.Errors["head"] = shop.ExplainCode(p, shop.CodeStoreBadImageURL, "")
	}
	switch n := len(f.DescImgs); {
	case food && n < shop.StoreMinDescImgsFood:
		f.Errors["desc_img"] = p.T("store.err.descimg.food", shop.StoreMinDescImgsFood, n)
	case n < 1 || n > shop.StoreMaxDescImgs:
		f.Errors["desc_img"] = p.T("store.err.descimg", n)
	}
	if detail != nil {
		for i, at := range detail.Attr.ProductAttrList {
			v := storeAttrInput(c, i, at)
			f.AttrValues[at.Name] = v
			if v == "" {
				if at.IsRequired {
					f.Errors[fmt.Sprintf("attr.%d", i)] = p.T("store.err.required")
				}
				continue
			}
			if msg := storeAttrProblem(p, at, v); msg != "" {
				f.Errors[fmt.Sprintf("attr.%d", i)] = msg
			}
			data.Attrs = append(data.Attrs, shop.StoreAttr{AttrKey: at.Name, AttrValue: v})
		}
		if detail.Attr.SevenDayReturn && f.SevenDay == "0" {
			f.Errors["seven_day"] = p.T("store.err.sevenday")
		}
		for _, q := range detail.ProductQuaList {
			imgs := c.PostFormArray("qua." + string(q.QuaID))
			f.Quals = append(f.Quals, templates.StoreQualField{ID: string(q.QuaID), Imgs: imgs})
			switch {
			case len(imgs) == 0 && q.Mandatory:
				f.Errors["qua."+string(q.QuaID)] = p.T("store.err.qua", q.Name)
			case len(imgs) > shop.StoreMaxQuaImgs:
				f.Errors["qua."+string(q.QuaID)] = p.T("store.err.qua.many", shop.StoreMaxQuaImgs)
			}
			if len(imgs) > 0 {
				data.ProductQuaInfos = append(data.ProductQuaInfos, shop.StoreQuaInfo{QuaID: q.QuaID, QuaURL: imgs})
			}
		}
		if f.Deliver != "0" && !detail.Attr.ShopNoShipment {
			f.Errors["deliver"] = p.T("store.err.deliver.category")
		}
		data.SKUs = a.storeSKUsFromForm(c, p, &f, detail.Attr.SaleAttrList, prev)
	}
	sd, err := strconv.Atoi(f.SevenDay)
	if err != nil || sd < 0 || sd > 3 {
		f.Errors["seven_day"] = p.T("store.err.sevenday")
	}
	data.ExtraService = shop.StoreExtraService{SevenDayReturn: sd, FreightInsurance: boolInt(f.Insurance)}
	a.storeDelivery(c, p, &f, data)
	// Submitting uses the audit quota; a submission beyond it would only leave the draft short of quota.
	if submit {
		if msg := a.shop.QuotaRefusal(ctx, p, !f.LevelOneFixed); msg != "" {
			f.Errors["form"] = msg
		}
	}
	if len(f.Errors) > 0 {
		a.renderStoreForm(c, http.StatusUnprocessableEntity, &f, prev)
		return
	}
	id, err = a.shop.SaveStoreProduct(ctx, a.journalOf(c), id, data, submit)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		f.Errors["form"] = wxMessage(p, err)
		a.renderStoreForm(c, http.StatusUnprocessableEntity, &f, prev)
		return
	}
	if submit {
		a.flash(c, "ok", p.T("store.saved.audit"))
	} else {
		a.flash(c, "ok", p.T("store.saved.draft"))
	}
	a.redirect(c, "/products/"+id)
}

// storeDelivery reads how the product reaches the buyer: by courier (deliver_method 0) with a freight template of
// the shop, and its weight in grams when the template charges by weight; or without a courier (1: by the
// buyer's phone, 3: by the accounts chosen), then with no template. And the return address, if one is chosen.
func (a *App) storeDelivery(c *gin.Context, p i18n.Printer, f *templates.StoreProductForm, data *shop.StoreProductData) {
	ctx := c.Request.Context()
	switch f.Deliver {
	case "0":
		if f.Template == "" {
			f.Errors["template"] = p.T("store.err.template")
			break
		}
		info := &shop.StoreExpressInfo{TemplateID: shop.StoreID(f.Template)}
		byWeight := false
		if t, err := a.shop.FreightTemplate(ctx, f.Template); errors.Is(err, shop.ErrNoFreightTemplate) {
			f.Errors["template"] = p.T("store.err.template")
		} else if err == nil {
			byWeight = t.ValuationType == shop.FreightByWeight
		}
		if g, err := strconv.Atoi(f.Weight); f.Weight != "" && (err != nil || g <= 0) {
			f.Errors["weight"] = p.T("store.err.weight")
		} else if byWeight && f.Weight == "" {
			f.Errors["weight"] = p.T("store.err.weight.needed")
		} else {
			info.Weight = g
		}
		data.ExpressInfo = info
	case "1", "3":
		data.DeliverMethod, _ = strconv.Atoi(f.Deliver)
		if f.Deliver == "3" {
			for _, t := range f.AcctTypes {
				if n, err := strconv.Atoi(t); err == nil && n >= 1 && n <= 4 && !slices.Contains(data.DeliverAcctType, n) {
					data.DeliverAcctType = append(data.DeliverAcctType, n)
				}
			}
			if len(data.DeliverAcctType) == 0 {
				f.Errors["deliver"] = p.T("store.err.deliver.acct")
			}
		}
	default:
		f.Errors["deliver"] = p.T("store.err.deliver")
	}
	if f.Address != "" {
		known := false
		for _, ad := range a.aftersales.Addresses(ctx, false).Items {
			known = known || string(ad.AddressID) == f.Address && bool(ad.RecvAddr)
		}
		if !known {
			f.Errors["address"] = p.T("store.err.address")
		}
		data.AfterSaleInfo = &shop.StoreAfterSaleRef{AfterSaleAddressID: shop.StoreID(f.Address)}
	}
}

// storeAttrInput reads attribute i as the form sent it, written as WeChat wants it (category.md): options
// joined by ";", a number and its unit with one space.
func storeAttrInput(c *gin.Context, i int, at shop.StoreProductAttr) string {
	name := fmt.Sprintf("attr.%d", i)
	switch at.Kind() {
	case "select_many":
		return strings.Join(c.PostFormArray(name), ";")
	case "integer_unit", "decimal4_unit":
		num := strings.TrimSpace(c.PostForm(name))
		if num == "" {
			return ""
		}
		return num + " " + c.PostForm(name+".unit")
	}
	return strings.TrimSpace(c.PostForm(name))
}

// storeAttrProblem says what is wrong with an attribute's value, "" when nothing.
func storeAttrProblem(p i18n.Printer, at shop.StoreProductAttr, v string) string {
	options := splitOptions(at.Value)
	switch at.Kind() {
	case "select_one":
		if !at.AppendAllowed && !slices.Contains(options, v) {
			return p.T("store.err.option")
		}
	case "select_many":
		for _, part := range strings.Split(v, ";") {
			if !at.AppendAllowed && !slices.Contains(options, part) {
				return p.T("store.err.option")
			}
		}
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return p.T("store.err.integer")
		}
	case "decimal4":
		if !isDecimal4(v) {
			return p.T("store.err.decimal")
		}
	case "integer_unit", "decimal4_unit":
		num, unit, _ := strings.Cut(v, " ")
		if !slices.Contains(options, unit) {
			return p.T("store.err.unit")
		}
		if _, err := strconv.ParseInt(num, 10, 64); at.Kind() == "integer_unit" && err != nil {
			return p.T("store.err.integer")
		}
		if at.Kind() == "decimal4_unit" && !isDecimal4(num) {
			return p.T("store.err.decimal")
		}
	}
	return ""
}

func isDecimal4(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	if _, err := strconv.ParseUint(whole, 10, 64); err != nil || len(frac) > 4 {
		return false
	}
	if frac != "" {
		if _, err := strconv.ParseUint(frac, 10, 64); err != nil {
			return false
		}
	}
	return true
}

// storeSKUsFromForm reads the SKU rows: a row with nothing typed is skipped; each other one needs every sale
// attribute, a price in yuan and a stock. A row keeps its sku_id (and out_sku_id) from the product.
func (a *App) storeSKUsFromForm(c *gin.Context, p i18n.Printer, f *templates.StoreProductForm, sale []shop.StoreProductAttr, prev *shop.StoreProduct) []shop.StoreSKU {
	known := map[string]shop.StoreSKU{}
	if prev != nil {
		for _, k := range prev.SKUs {
			known[string(k.SKUID)] = k
		}
	}
	var out []shop.StoreSKU
	seen := map[string]int{}
	for r := 0; r < shop.StoreMaxSKUs; r++ {
		pre := fmt.Sprintf("sku.%d.", r)
		if _, ok := c.GetPostForm(pre + "price"); !ok {
			break
		}
		row := templates.StoreSKUField{ID: c.PostForm(pre + "id"), Price: strings.TrimSpace(c.PostForm(pre + "price")),
			Stock: strings.TrimSpace(c.PostForm(pre + "stock")), Code: strings.TrimSpace(c.PostForm(pre + "code")), Values: map[string]string{}}
		for j, sa := range sale {
			row.Values[sa.Name] = strings.TrimSpace(c.PostForm(fmt.Sprintf("%sv.%d", pre, j)))
		}
		f.SKUs = append(f.SKUs, row)
		if !row.Filled() {
			continue
		}
		k := shop.StoreSKU{SKUCode: row.Code, SKUDeliverInfo: &shop.StoreSKUDeliverInfo{}}
		if old, ok := known[row.ID]; ok {
			k.SKUID, k.OutSKUID, k.ThumbImg = old.SKUID, old.OutSKUID, old.ThumbImg
		}
		var key []string
		for j, sa := range sale {
			v := row.Values[sa.Name]
			if v == "" {
				f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.skuattr", sa.Name)
				continue
			}
			if msg := storeAttrProblem(p, sa, v); msg != "" {
				f.Errors[fmt.Sprintf("sku.%d", r)] = sa.Name + "：" + msg
			}
			k.SKUAttrs = append(k.SKUAttrs, shop.StoreAttr{AttrKey: sa.Name, AttrValue: v})
			key = append(key, strconv.Itoa(j)+"="+v)
		}
		fen, err := money.ParseYuan(row.Price)
		switch {
		case err != nil:
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.price")
		case fen <= 0:
			f.Errors[fmt.Sprintf("sku.%d", r)] = shop.ExplainCode(p, shop.CodeStorePriceZero, "")
		case fen > shop.StoreMaxSalePrice:
			f.Errors[fmt.Sprintf("sku.%d", r)] = shop.ExplainCode(p, shop.CodeStorePriceTooHigh, "")
		}
		k.SalePrice = fen
		stock, err := strconv.ParseInt(row.Stock, 10, 64)
		if err != nil || stock < 0 {
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.stock")
		}
		k.StockNum = stock
		if len([]rune(row.Code)) > 100 {
			f.Errors[fmt.Sprintf("sku.%d", r)] = shop.ExplainCode(p, shop.CodeStoreSKUCodeLong, "")
		}
		if other, dup := seen[strings.Join(key, ";")]; dup {
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.skudup", other+1)
		}
		seen[strings.Join(key, ";")] = r
		out = append(out, k)
	}
	if len(out) == 0 {
		f.Errors["skus"] = shop.ExplainCode(p, shop.CodeStoreNoSKU, "")
	}
	return out
}
