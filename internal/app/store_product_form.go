package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/wx"
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
	f := templates.StoreProductForm{CatPath: strings.Join(cats, "."), SevenDay: "1", Errors: templates.FieldErrors{}}
	a.renderStoreForm(c, http.StatusOK, &f, nil)
}

func (a *App) showEditStoreProduct(c *gin.Context) {
	row, ans, ok := a.loadStoreProduct(c, true)
	if !ok {
		return
	}
	p := a.printer(c)
	if msg := storeRefusal(p, "edit", row); msg != "" {
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
func storeFormFrom(d *wx.StoreProduct) templates.StoreProductForm {
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
func (a *App) renderStoreForm(c *gin.Context, status int, f *templates.StoreProductForm, _ *wx.StoreProduct) {
	ctx := c.Request.Context()
	p := a.printer(c)
	path := splitCatPath(f.CatPath)
	cats, err := a.storeCategoryPath(ctx, path)
	if err != nil {
		f.Errors["cats"] = p.T("store.err.cats")
		path, cats = nil, nil
	}
	f.Path = nil
	for i, cat := range cats {
		f.Path = append(f.Path, templates.StoreCatChoice{ID: string(cat.CatID), Name: cat.Name,
			URL: a.storeFormURL(f, strings.Join(path[:i], "."))})
	}
	leaf := len(cats) > 0 && (cats[len(cats)-1].Leaf || f.OldTree && len(cats) == 3)
	f.Leaf = leaf
	if !leaf {
		parent := "0"
		if len(path) > 0 {
			parent = path[len(path)-1]
		}
		subs, err := a.storeSubCategories(ctx, parent)
		if err != nil {
			f.Errors["cats"] = wxMessage(p, err)
		} else {
			for _, sc := range subs.V2 {
				if f.LevelOneFixed && parent == "0" && len(f.FixedLevelOne) > 0 && string(sc.CatID) != f.FixedLevelOne {
					continue
				}
				f.Children = append(f.Children, templates.StoreCatChoice{ID: string(sc.CatID), Name: sc.Name, Leaf: sc.Leaf,
					URL: a.storeFormURL(f, strings.Trim(strings.Join(path, ".")+"."+string(sc.CatID), "."))})
			}
			if len(f.Children) == 0 {
				f.Errors["cats"] = p.T("store.err.admission")
			}
		}
	}
	if leaf {
		detail, err := a.storeCategoryDetail(ctx, path[len(path)-1])
		if err != nil {
			f.Errors["cats"] = wxMessage(p, err)
		} else {
			f.Attrs = storeAttrFields(detail.Attr.ProductAttrList)
			for _, sa := range detail.Attr.SaleAttrList {
				f.SaleAttrs = append(f.SaleAttrs, templates.StoreAttrField{Name: sa.Name, Kind: sa.Kind(), Options: splitOptions(sa.Value), Hint: sa.Hint, Required: sa.IsRequired})
			}
			f.Requirement = detail.Attr.ProductRequirement.ProductImgRequirement
			f.SevenDayRequired = detail.Attr.SevenDayReturn
		}
		for len(f.SKUs) < storeBlankSKURows || len(f.SKUs) > 0 && f.SKUs[len(f.SKUs)-1].Filled() && len(f.SKUs) < wx.StoreMaxSKUs {
			f.SKUs = append(f.SKUs, templates.StoreSKUField{Values: map[string]string{}})
			if len(f.SKUs) >= storeBlankSKURows && !f.SKUs[len(f.SKUs)-2].Filled() {
				break
			}
		}
	}
	if brands, err := a.storeBrands(ctx); err == nil {
		f.Brands = []templates.Option{{Value: string(wx.StoreNoBrand), Label: p.T("store.brand.none")}}
		for _, b := range brands {
			f.Brands = append(f.Brands, templates.Option{Value: string(b.BrandID), Label: strings.TrimSpace(b.ChName + " " + b.EnName)})
		}
	}
	f.Templates = nil
	for _, t := range a.freightTemplates(ctx) {
		f.Templates = append(f.Templates, templates.Option{Value: string(t.TemplateID), Label: t.Name})
	}
	imgs, _, err := a.store.Images(ctx, 200, 0)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, img := range imgs {
		if strings.HasPrefix(img.URL, wx.StoreImagePrefix) {
			f.Images = append(f.Images, templates.StoreImageChoice{ID: img.ID, URL: img.URL, Name: img.Filename})
		}
	}
	if q, err := a.wx.StoreAuditQuota(ctx); err == nil {
		f.Quota = p.T("store.quota", int64(q.AvailQuota), int64(q.TotalQuota))
	}
	title := "form.title.new"
	if f.ID != "" {
		title = "form.title.edit"
	}
	a.render(c, status, templates.StoreProductFormPage(a.page(c, title, "products"), *f))
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

func storeAttrFields(list []wx.StoreProductAttr) []templates.StoreAttrField {
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
		OutProductID: c.PostForm("out_product_id"), OldTree: c.PostForm("old_tree") == "1",
		AttrValues: map[string]string{}, Errors: templates.FieldErrors{}}
	var prev *wx.StoreProduct
	if id != "" {
		row, ans, ok := a.loadStoreProduct(c, true)
		if !ok {
			return
		}
		if msg := storeRefusal(p, "edit", row); msg != "" {
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
	var detail *wx.StoreCategoryDetail
	if len(path) == 0 {
		f.Errors["cats"] = p.T("store.err.cats")
	} else if d, err := a.storeCategoryDetail(ctx, path[len(path)-1]); err != nil {
		f.Errors["cats"] = p.T("store.err.leaf")
	} else {
		detail = d
	}
	if f.FixedLevelOne != "" && len(path) > 0 && path[0] != f.FixedLevelOne {
		f.Errors["cats"] = p.T("store.err.levelone")
	}
	data := &wx.StoreProductData{OutProductID: f.OutProductID, Title: f.Title, HeadImgs: f.HeadImgs,
		DescInfo: wx.StoreDescInfo{Imgs: f.DescImgs, Desc: f.Desc}, BrandID: wx.ID(f.Brand)}
	for _, cat := range path {
		if f.OldTree {
			data.Cats = append(data.Cats, wx.StoreCatRef{CatID: wx.ID(cat)})
		} else {
			data.CatsV2 = append(data.CatsV2, wx.StoreCatRef{CatID: wx.ID(cat)})
		}
	}
	if code := wx.StoreTitleCode(f.Title); code != 0 {
		f.Errors["title"] = wxMessage(p, &wx.Error{Code: code})
	}
	switch n := len(f.HeadImgs); {
	case n < wx.StoreMinHeadImgs || n > wx.StoreMaxHeadImgs:
		f.Errors["head"] = p.T("store.err.head", n)
	case slices.ContainsFunc(f.HeadImgs, func(u string) bool { return !strings.HasPrefix(u, wx.StoreImagePrefix) }):
		f.Errors["head"] = wxMessage(p, &wx.Error{Code: wx.CodeStoreBadImageURL})
	}
	if n := len(f.DescImgs); n < 1 || n > wx.StoreMaxDescImgs {
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
			data.Attrs = append(data.Attrs, wx.StoreAttr{AttrKey: at.Name, AttrValue: v})
		}
		if detail.Attr.SevenDayReturn && f.SevenDay == "0" {
			f.Errors["seven_day"] = p.T("store.err.sevenday")
		}
		data.SKUs = a.storeSKUsFromForm(c, p, &f, detail.Attr.SaleAttrList, prev)
	}
	sd, err := strconv.Atoi(f.SevenDay)
	if err != nil || sd < 0 || sd > 3 {
		f.Errors["seven_day"] = p.T("store.err.sevenday")
	}
	data.ExtraService = wx.StoreExtraService{SevenDayReturn: sd, FreightInsurance: boolInt(f.Insurance)}
	if f.Template == "" {
		f.Errors["template"] = p.T("store.err.template")
	} else {
		data.ExpressInfo = &wx.StoreExpressInfo{TemplateID: wx.ID(f.Template)}
	}
	// Saving a draft uses the audit quota as submitting does: add and update share it.
	if msg := a.quotaRefusal(ctx, p); msg != "" {
		f.Errors["form"] = msg
	}
	if len(f.Errors) > 0 {
		a.renderStoreForm(c, http.StatusUnprocessableEntity, &f, prev)
		return
	}
	user := currentUser(c)
	action := "product.create"
	if id == "" {
		var newID wx.ID
		newID, err = a.wx.AddStoreProduct(ctx, data, submit)
		if err != nil && wx.Temporary(err) {
			newID, err = a.findLostStoreProduct(ctx, data, err)
		}
		id = string(newID)
	} else {
		action = "product.update"
		err = a.wx.UpdateStoreProduct(ctx, wx.ID(id), data, submit)
		if err != nil && wx.Temporary(err) {
			if ans, rerr := a.wx.StoreProduct(ctx, wx.ID(id), wx.StoreDraft); rerr == nil && ans.EditProduct != nil && sameStoreData(ans.EditProduct, data) {
				err = nil
			}
		}
	}
	detailText := data.Title
	if submit {
		detailText += " (submitted for audit)"
	}
	a.audit(c, user, db.AuditEntry{Action: action, ObjectType: "product", ObjectID: id, Detail: detailText, Outcome: wxOutcome(err)})
	if err != nil {
		f.Errors["form"] = wxMessage(p, err)
		a.renderStoreForm(c, http.StatusUnprocessableEntity, &f, prev)
		return
	}
	if _, err := a.refreshStoreProduct(ctx, wx.ID(id)); err != nil {
		a.log.Warn("product saved but not read back", "product", id, "err", err)
	}
	if submit {
		a.flash(c, "ok", p.T("store.saved.audit"))
	} else {
		a.flash(c, "ok", p.T("store.saved.draft"))
	}
	a.redirect(c, "/products/"+id)
}

// findLostStoreProduct looks for the product an add whose answer was lost may have made: one WeChat lists with
// the same title and SKUs that the mirror does not hold. Without one the original error stands.
func (a *App) findLostStoreProduct(ctx context.Context, data *wx.StoreProductData, lost error) (wx.ID, error) {
	page, err := a.wx.StoreProductIDs(ctx, 0, wx.MaxStoreProductPage, "")
	if err != nil {
		return "", lost
	}
	for _, id := range page.ProductIDs {
		if _, err := a.store.StoreProductByID(ctx, string(id)); err == nil {
			continue
		}
		ans, err := a.wx.StoreProduct(ctx, id, wx.StoreDraft)
		if err == nil && ans.EditProduct != nil && sameStoreData(ans.EditProduct, data) {
			return id, nil
		}
	}
	return "", lost
}

// sameStoreData says whether a draft read back is what was sent (title, category and SKUs' prices and specs).
func sameStoreData(got *wx.StoreProduct, sent *wx.StoreProductData) bool {
	if got.Title != sent.Title || len(got.SKUs) != len(sent.SKUs) || !slices.Equal(got.CatsV2, sent.CatsV2) {
		return false
	}
	for i := range sent.SKUs {
		if got.SKUs[i].SalePrice != sent.SKUs[i].SalePrice || !slices.Equal(got.SKUs[i].SKUAttrs, sent.SKUs[i].SKUAttrs) {
			return false
		}
	}
	return true
}

// storeAttrInput reads attribute i as the form sent it, written as WeChat wants it (category.md): options
// joined by ";", a number and its unit with one space.
func storeAttrInput(c *gin.Context, i int, at wx.StoreProductAttr) string {
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
func storeAttrProblem(p i18n.Printer, at wx.StoreProductAttr, v string) string {
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
func (a *App) storeSKUsFromForm(c *gin.Context, p i18n.Printer, f *templates.StoreProductForm, sale []wx.StoreProductAttr, prev *wx.StoreProduct) []wx.StoreSKU {
	known := map[string]wx.StoreSKU{}
	if prev != nil {
		for _, k := range prev.SKUs {
			known[string(k.SKUID)] = k
		}
	}
	var out []wx.StoreSKU
	seen := map[string]int{}
	for r := 0; r < wx.StoreMaxSKUs; r++ {
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
		k := wx.StoreSKU{SKUCode: row.Code, SKUDeliverInfo: &wx.StoreSKUDeliverInfo{}}
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
			k.SKUAttrs = append(k.SKUAttrs, wx.StoreAttr{AttrKey: sa.Name, AttrValue: v})
			key = append(key, strconv.Itoa(j)+"="+v)
		}
		fen, err := money.ParseYuan(row.Price)
		switch {
		case err != nil:
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.price")
		case fen <= 0:
			f.Errors[fmt.Sprintf("sku.%d", r)] = wxMessage(p, &wx.Error{Code: 10020039})
		case fen > wx.StoreMaxSalePrice:
			f.Errors[fmt.Sprintf("sku.%d", r)] = wxMessage(p, &wx.Error{Code: 10020028})
		}
		k.SalePrice = fen
		stock, err := strconv.ParseInt(row.Stock, 10, 64)
		if err != nil || stock < 0 {
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.stock")
		}
		k.StockNum = stock
		if len([]rune(row.Code)) > 100 {
			f.Errors[fmt.Sprintf("sku.%d", r)] = wxMessage(p, &wx.Error{Code: 10020029})
		}
		if other, dup := seen[strings.Join(key, ";")]; dup {
			f.Errors[fmt.Sprintf("sku.%d", r)] = p.T("store.err.skudup", other+1)
		}
		seen[strings.Join(key, ";")] = r
		out = append(out, k)
	}
	if len(out) == 0 {
		f.Errors["skus"] = wxMessage(p, &wx.Error{Code: 10020013})
	}
	return out
}
