package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The product form creates and edits products. Everything typed travels in the form itself, so any answer
// (a rebuilt SKU matrix, a new detail block, the cities of a province, a refusal) comes back exactly as typed.
// Every rule WeChat applies is checked here first, next to its field.

const maxNameLength = 60

// categoryFields is what a leaf category offers the form.
type categoryFields struct {
	props []wx.Property
	skus  []wx.SKUAttribute
}

func (a *App) loadCategoryFields(ctx context.Context, cateID string) (categoryFields, error) {
	var f categoryFields
	var err error
	if f.props, _, err = a.shop.CategoryProperties(ctx, cateID); err != nil {
		return f, err
	}
	f.skus, _, err = a.shop.CategorySKUs(ctx, cateID)
	return f, err
}

// pickerLevels walks the chosen path down the tree. Each level offers the children of the one above; the
// walk stops at the first choice that is not a child of its parent. It answers the leaf reached, if any.
func (a *App) pickerLevels(ctx context.Context, chosen []string) (levels []templates.CategoryLevel, leaf string, path []string, err error) {
	parent := shop.RootCategory
	for depth := 0; depth < 8; depth++ {
		children, _, err := a.shop.SubCategories(ctx, parent)
		if err != nil {
			return levels, "", path, err
		}
		if len(children) == 0 {
			if parent == shop.RootCategory {
				return levels, "", path, nil
			}
			return levels, parent, path, nil
		}
		level := templates.CategoryLevel{}
		next := ""
		for _, ch := range children {
			level.Options = append(level.Options, templates.Option{Value: string(ch.ID), Label: ch.Name})
			if depth < len(chosen) && string(ch.ID) == chosen[depth] {
				level.Selected, next = chosen[depth], ch.Name
			}
		}
		levels = append(levels, level)
		if level.Selected == "" {
			return levels, "", path, nil
		}
		path = append(path, next)
		parent = level.Selected
	}
	return levels, "", path, nil
}

// productInput is the form as typed.
type productInput struct {
	categoryID string
	name       string
	props      map[string]string   // property id -> value id
	skuValues  map[string][]string // attribute id -> ticked value ids
	skuCustom  map[string]string   // attribute id -> custom values as typed
	rows       []templates.SKURowField
	mainImg    string
	imgs       []string
	detail     []templates.DetailField
	buyLimit   string
	province   string
	city       string
	address    string
	receipt    bool
	guaranty   bool
	replace    bool
	delivery   string
	templateID string
	fees       [3]string // 平邮, 快递, EMS
}

// The error is a body that could not be read (too large, cut off); a form sent without files is not one.
func parseProductInput(c *gin.Context) (productInput, error) {
	err := c.Request.ParseMultipartForm(32 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = nil
	}
	form := c.Request.PostForm
	in := productInput{
		categoryID: c.PostForm("category_id"),
		name:       strings.TrimSpace(c.PostForm("name")),
		props:      map[string]string{},
		skuValues:  map[string][]string{},
		skuCustom:  map[string]string{},
		mainImg:    c.PostForm("main_img"),
		imgs:       c.PostFormArray("img"),
		buyLimit:   strings.TrimSpace(c.PostForm("buy_limit")),
		province:   c.PostForm("province"),
		city:       c.PostForm("city"),
		address:    strings.TrimSpace(c.PostForm("address")),
		receipt:    c.PostForm("receipt") == "1",
		guaranty:   c.PostForm("guaranty") == "1",
		replace:    c.PostForm("replace") == "1",
		delivery:   c.PostForm("delivery"),
		templateID: strings.TrimSpace(c.PostForm("template_id")),
		fees:       [3]string{strings.TrimSpace(c.PostForm("fee_pingyou")), strings.TrimSpace(c.PostForm("fee_kuaidi")), strings.TrimSpace(c.PostForm("fee_ems"))},
	}
	if c.Request.MultipartForm != nil {
		form = c.Request.MultipartForm.Value
	}
	for key, values := range form {
		switch {
		case strings.HasPrefix(key, "prop."):
			in.props[strings.TrimPrefix(key, "prop.")] = values[0]
		case strings.HasPrefix(key, "sku."):
			in.skuValues[strings.TrimPrefix(key, "sku.")] = values
		case strings.HasPrefix(key, "skucustom."):
			in.skuCustom[strings.TrimPrefix(key, "skucustom.")] = values[0]
		}
	}
	skus, prices, oris, qtys, codes, icons := form["row_sku"], form["row_price"], form["row_ori"], form["row_qty"], form["row_code"], form["row_icon"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	for i := range skus {
		in.rows = append(in.rows, templates.SKURowField{SKUID: skus[i], Price: at(prices, i), OriPrice: at(oris, i),
			Quantity: at(qtys, i), Code: at(codes, i), Icon: at(icons, i)})
	}
	kinds, texts, imgs, positions := form["detail_kind"], form["detail_text"], form["detail_img"], form["detail_pos"]
	type placed struct {
		pos   int
		field templates.DetailField
	}
	var blocks []placed
	for i, kind := range kinds {
		pos, err := strconv.Atoi(at(positions, i))
		if err != nil {
			pos = i + 1
		}
		blocks = append(blocks, placed{pos, templates.DetailField{Kind: kind, Text: strings.TrimSpace(at(texts, i)), Img: at(imgs, i)}})
	}
	// The operator orders the blocks by their numbers; equal numbers keep the order they had.
	slices.SortStableFunc(blocks, func(x, y placed) int { return cmp.Compare(x.pos, y.pos) })
	for _, b := range blocks {
		in.detail = append(in.detail, b.field)
	}
	return in, err
}

// customValues splits what was typed as custom values. Commas (either width), 、 and semicolons separate them;
// ':' and ';' can never be part of one (they delimit sku_id), and '$' is added by the app, so those are dropped.
func customValues(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ':' || r == '：'
	})
	var out []string
	for _, v := range f {
		v = strings.TrimSpace(strings.ReplaceAll(v, "$", ""))
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// skuInfo is the product's sku_info: each attribute with at least one value, in the category's order, the
// ticked values first and then the custom ones ("$text").
func (in productInput) skuInfo(fields categoryFields) []wx.SKUInfo {
	var infos []wx.SKUInfo
	for _, at := range fields.skus {
		id := string(at.ID)
		var vids []wx.ID
		for _, v := range at.ValueList {
			if slices.Contains(in.skuValues[id], string(v.ID)) {
				vids = append(vids, v.ID)
			}
		}
		for _, cv := range customValues(in.skuCustom[id]) {
			vids = append(vids, wx.ID("$"+cv))
		}
		if len(vids) > 0 {
			infos = append(infos, wx.SKUInfo{ID: at.ID, VID: vids})
		}
	}
	return infos
}

// maxSKUs bounds the SKU table: beyond it the matrix is not built (a few hundred values would make a page of
// millions of rows) and the form says why.
const maxSKUs = 500

// matrixSize is how many rows the sku_info makes.
func matrixSize(infos []wx.SKUInfo) int {
	n := 1
	for _, info := range infos {
		n *= len(info.VID)
		if n > maxSKUs {
			return n
		}
	}
	return n
}

// matrix is every combination of the sku_info values, one row each, keeping what was typed for rows that
// were there before. Without attributes it is the one row of a uniform spec.
func matrix(infos []wx.SKUInfo, typed []templates.SKURowField) []templates.SKURowField {
	combos := [][]wx.SKUPair{nil}
	for _, info := range infos {
		var next [][]wx.SKUPair
		for _, combo := range combos {
			for _, vid := range info.VID {
				next = append(next, append(slices.Clone(combo), wx.SKUPair{ID: info.ID, VID: vid}))
			}
		}
		combos = next
	}
	old := map[string]templates.SKURowField{}
	for _, r := range typed {
		old[r.SKUID] = r
	}
	rows := make([]templates.SKURowField, 0, len(combos))
	for _, combo := range combos {
		id := wx.SKUID(combo)
		r, ok := old[id]
		if !ok {
			r = templates.SKURowField{SKUID: id, Quantity: "0"}
		}
		rows = append(rows, r)
	}
	return rows
}

// formView fills the view from what was typed.
func (a *App) formView(c *gin.Context, in productInput, fields categoryFields, allowed map[string]bool, existingStock map[string]int64) (templates.ProductFormView, error) {
	ctx := c.Request.Context()
	v := templates.ProductFormView{
		CategoryID: in.categoryID, Leaf: in.categoryID != "", Name: in.name,
		MainImg: in.mainImg, Imgs: map[string]bool{}, Detail: in.detail, BuyLimit: in.buyLimit,
		Province: in.province, City: in.city, Address: in.address,
		Receipt: in.receipt, Guaranty: in.guaranty, Replace: in.replace, Delivery: in.delivery,
		TemplateID: in.templateID, FeePingYou: in.fees[0], FeeKuaiDi: in.fees[1], FeeEMS: in.fees[2],
		Rows: in.rows, Errors: templates.FieldErrors{},
	}
	for _, u := range in.imgs {
		v.Imgs[u] = true
	}
	for _, pr := range fields.props {
		f := templates.PropertyField{ID: string(pr.ID), Name: pr.Name, Selected: in.props[string(pr.ID)]}
		for _, val := range pr.PropertyValue {
			f.Options = append(f.Options, templates.Option{Value: string(val.ID), Label: val.Name})
		}
		v.Properties = append(v.Properties, f)
	}
	for _, at := range fields.skus {
		f := templates.SKUAttrField{ID: string(at.ID), Name: at.Name, Checked: map[string]bool{}, Custom: in.skuCustom[string(at.ID)]}
		for _, val := range at.ValueList {
			f.Options = append(f.Options, templates.Option{Value: string(val.ID), Label: val.Name})
		}
		for _, vid := range in.skuValues[string(at.ID)] {
			f.Checked[vid] = true
		}
		v.SKUAttrs = append(v.SKUAttrs, f)
	}
	names := shop.NamerOf(fields.skus)
	for i := range v.Rows {
		v.Rows[i].Label = names.Label(v.Rows[i].SKUID)
		_, v.Rows[i].Existing = existingStock[v.Rows[i].SKUID]
		if v.Rows[i].Existing {
			v.Rows[i].Quantity = strconv.FormatInt(existingStock[v.Rows[i].SKUID], 10)
		}
	}
	// The library, plus images the product already uses that came from elsewhere (a product made before the
	// app kept a library).
	library, _, err := a.store.Images(ctx, 200, 0)
	if err != nil {
		return v, err
	}
	seen := map[string]bool{}
	for _, img := range library {
		v.Library = append(v.Library, templates.ImageChoice{URL: img.URL, Thumb: fmt.Sprintf("/images/%d/thumb", img.ID), Name: img.Filename})
		seen[img.URL] = true
	}
	for u := range allowed {
		if !seen[u] {
			v.Library = append(v.Library, templates.ImageChoice{URL: u, Thumb: u, Name: u[strings.LastIndex(u, "/")+1:]})
			seen[u] = true
		}
	}
	regions, err := a.store.Regions(ctx)
	if err != nil {
		return v, err
	}
	for _, r := range regions {
		if !slices.Contains(v.Provinces, r.Province) {
			v.Provinces = append(v.Provinces, r.Province)
		}
		if r.Province == in.province {
			v.Cities = append(v.Cities, r.City)
		}
	}
	return v, nil
}

// validate checks every rule before WeChat is asked, and builds the product to send.
// The error is the store's.
func (a *App) validate(ctx context.Context, p i18n.Printer, in productInput, fields categoryFields, allowed map[string]bool) (*wx.Product, templates.FieldErrors, error) {
	errs := templates.FieldErrors{}
	prod := &wx.Product{}
	base := &prod.ProductBase
	if in.categoryID == "" {
		errs["category"] = p.T("form.err.category")
		return nil, errs, nil
	}
	base.CategoryID = []wx.ID{wx.ID(in.categoryID)}

	switch n := utf8.RuneCountInString(in.name); {
	case n == 0:
		errs["name"] = p.T("form.err.name")
	case n > maxNameLength:
		errs["name"] = p.T("form.err.name.long", maxNameLength, n)
	}
	base.Name = in.name

	for _, pr := range fields.props {
		vid := in.props[string(pr.ID)]
		if vid == "" {
			continue
		}
		if !slices.ContainsFunc(pr.PropertyValue, func(v wx.PropertyValue) bool { return string(v.ID) == vid }) {
			errs["prop."+string(pr.ID)] = p.T("form.err.property")
			continue
		}
		base.Property = append(base.Property, wx.ProductProperty{ID: pr.ID, VID: wx.ID(vid)})
	}

	base.SKUInfo = in.skuInfo(fields)
	if matrixSize(base.SKUInfo) > maxSKUs {
		errs["skus"] = p.T("form.err.toomany", maxSKUs)
		return prod, errs, nil
	}
	want := matrix(base.SKUInfo, nil)
	if len(in.rows) != len(want) || !slices.EqualFunc(in.rows, want, func(x, y templates.SKURowField) bool { return x.SKUID == y.SKUID }) {
		errs["skus"] = p.T("form.err.matrix")
	}
	for i, r := range in.rows {
		key := "row." + strconv.Itoa(i)
		price, perr := money.ParseYuan(r.Price)
		ori, oerr := money.ParseYuan(r.OriPrice)
		switch {
		case perr != nil:
			errs[key+".price"] = p.T("form.err.price")
		case price == 0:
			errs[key+".price"] = p.T("form.err.price.zero")
		}
		switch {
		case oerr != nil:
			errs[key+".ori"] = p.T("form.err.price")
		case perr == nil && price >= ori:
			errs[key+".ori"] = p.T("form.err.ori", money.Yuan(price))
		}
		qty, qerr := strconv.Atoi(r.Quantity)
		if qerr != nil || qty < 0 || qty > 10_000_000 {
			errs[key+".qty"] = p.T("form.err.quantity")
		}
		if r.Icon != "" && !allowed[r.Icon] {
			errs[key+".icon"] = p.T("form.err.image")
		}
		prod.SKUList = append(prod.SKUList, wx.SKU{SKUID: r.SKUID, Price: int(price), OriPrice: int(ori),
			Quantity: qty, ProductCode: r.Code, IconURL: r.Icon})
	}

	switch {
	case in.mainImg == "":
		errs["main_img"] = p.T("form.err.main")
	case !allowed[in.mainImg]:
		errs["main_img"] = p.T("form.err.image")
	}
	base.MainImg = in.mainImg
	for _, u := range in.imgs {
		if !allowed[u] {
			errs["img"] = p.T("form.err.image")
		}
	}
	base.Img = in.imgs

	for i, d := range in.detail {
		switch {
		case d.Kind == "img" && d.Img != "":
			if !allowed[d.Img] {
				errs["detail."+strconv.Itoa(i)] = p.T("form.err.image")
			}
			base.Detail = append(base.Detail, wx.ProductDetail{Img: d.Img})
		case d.Kind != "img" && d.Text != "":
			base.Detail = append(base.Detail, wx.ProductDetail{Text: d.Text})
		}
	}
	if len(base.Detail) == 0 {
		errs["detail"] = p.T("form.err.detail")
	}

	if in.buyLimit != "" {
		n, err := strconv.Atoi(in.buyLimit)
		if err != nil || n < 0 || n > 100000 {
			errs["buy_limit"] = p.T("form.err.buylimit")
		}
		base.BuyLimit = n
	}

	regions, err := a.store.Regions(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(regions, db.Region{Country: "中国", Province: in.province, City: in.city}) {
		errs["location"] = p.T("form.err.location")
	}
	prod.AttrExt = wx.AttrExt{
		Location:         wx.Location{Country: "中国", Province: in.province, City: in.city, Address: in.address},
		IsHasReceipt:     boolInt(in.receipt),
		IsUnderGuaranty:  boolInt(in.guaranty),
		IsSupportReplace: boolInt(in.replace),
	}

	switch in.delivery {
	case "free":
		prod.AttrExt.IsPostFree = 1
	case "template":
		id, err := strconv.ParseInt(in.templateID, 10, 64)
		if err != nil || id <= 0 {
			errs["delivery"] = p.T("form.err.template")
		}
		prod.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByTemplate, TemplateID: id}
	case "express":
		d := &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress}
		for i, courier := range []int{wx.ExpressPingYou, wx.ExpressKuaiDi, wx.ExpressEMS} {
			if in.fees[i] == "" {
				continue
			}
			fee, err := money.ParseYuan(in.fees[i])
			if err != nil {
				errs["delivery"] = p.T("form.err.fee")
				continue
			}
			d.Express = append(d.Express, wx.Express{ID: courier, Price: int(fee)})
		}
		if len(d.Express) == 0 && errs["delivery"] == "" {
			errs["delivery"] = p.T("form.err.express")
		}
		prod.DeliveryInfo = d
	default:
		errs["delivery"] = p.T("form.err.delivery")
	}
	return prod, errs, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// allowedImages is every image URL a product may use: the library's, and the ones the product already has.
func (a *App) allowedImages(ctx context.Context, existing *wx.Product) (map[string]bool, error) {
	var shown []string
	if existing != nil {
		shown = shop.ProductImages(*existing)
	}
	return a.shop.AllowedImages(ctx, shown...)
}

// inputFromProduct fills the form from a stored product, for editing.
func inputFromProduct(p wx.Product, fields categoryFields) productInput {
	base := p.ProductBase
	in := productInput{
		name: base.Name, props: map[string]string{}, skuValues: map[string][]string{}, skuCustom: map[string]string{},
		mainImg: base.MainImg, imgs: base.Img, province: p.AttrExt.Location.Province, city: p.AttrExt.Location.City,
		address: p.AttrExt.Location.Address, receipt: p.AttrExt.IsHasReceipt == 1, guaranty: p.AttrExt.IsUnderGuaranty == 1,
		replace: p.AttrExt.IsSupportReplace == 1, delivery: "free",
	}
	if len(base.CategoryID) > 0 {
		in.categoryID = string(base.CategoryID[0])
	}
	if base.BuyLimit > 0 {
		in.buyLimit = strconv.Itoa(base.BuyLimit)
	}
	// merchant/get names properties by their names rather than their ids: match either.
	for _, pp := range base.Property {
		for _, pr := range fields.props {
			if pr.ID != pp.ID && pr.Name != string(pp.ID) {
				continue
			}
			for _, val := range pr.PropertyValue {
				if val.ID == pp.VID || val.Name == string(pp.VID) {
					in.props[string(pr.ID)] = string(val.ID)
				}
			}
		}
	}
	for _, info := range base.SKUInfo {
		var custom []string
		for _, vid := range info.VID {
			if strings.HasPrefix(string(vid), "$") {
				custom = append(custom, strings.TrimPrefix(string(vid), "$"))
			} else {
				in.skuValues[string(info.ID)] = append(in.skuValues[string(info.ID)], string(vid))
			}
		}
		in.skuCustom[string(info.ID)] = strings.Join(custom, ", ")
	}
	for _, k := range p.SKUList {
		in.rows = append(in.rows, templates.SKURowField{SKUID: k.SKUID, Price: money.Plain(int64(k.Price), false),
			OriPrice: money.Plain(int64(k.OriPrice), false), Quantity: strconv.Itoa(k.Quantity), Code: k.ProductCode, Icon: k.IconURL})
	}
	for _, d := range base.Detail {
		if d.Img != "" {
			in.detail = append(in.detail, templates.DetailField{Kind: "img", Img: d.Img})
		} else {
			in.detail = append(in.detail, templates.DetailField{Kind: "text", Text: d.Text})
		}
	}
	if p.AttrExt.IsPostFree != 1 && p.DeliveryInfo != nil {
		if p.DeliveryInfo.DeliveryType == wx.DeliveryByTemplate {
			in.delivery, in.templateID = "template", strconv.FormatInt(p.DeliveryInfo.TemplateID, 10)
		} else {
			in.delivery = "express"
			for _, e := range p.DeliveryInfo.Express {
				switch e.ID {
				case wx.ExpressPingYou:
					in.fees[0] = money.Plain(int64(e.Price), false)
				case wx.ExpressKuaiDi:
					in.fees[1] = money.Plain(int64(e.Price), false)
				case wx.ExpressEMS:
					in.fees[2] = money.Plain(int64(e.Price), false)
				}
			}
		}
	}
	return in
}

// newInput is the empty form for a category: one uniform SKU row, one text block, free shipping.
func newInput(cateID string) productInput {
	return productInput{
		categoryID: cateID, props: map[string]string{}, skuValues: map[string][]string{}, skuCustom: map[string]string{},
		rows:     []templates.SKURowField{{SKUID: "", Quantity: "0"}},
		detail:   []templates.DetailField{{Kind: "text"}},
		delivery: "free",
	}
}

func (a *App) showNewProduct(c *gin.Context) {
	a.showProductForm(c, nil)
}

func (a *App) showEditProduct(c *gin.Context) {
	row, _, ok := a.loadProduct(c)
	if !ok {
		return
	}
	a.showProductForm(c, &row)
}

// loadProduct reads the product the path's :id names from the mirror, with it in WeChat's form; one the mirror
// does not hold gets the 404 page.
func (a *App) loadProduct(c *gin.Context) (db.Product, wx.Product, bool) {
	row, wp, err := a.shop.Product(c.Request.Context(), c.Param("id"))
	wp, ok := found(a, c, wp, err)
	return row, wp, ok
}

// showProductForm shows the form at the category the picker is on (the product's own, when editing).
func (a *App) showProductForm(c *gin.Context, row *db.Product) {
	ctx := c.Request.Context()
	p := a.printer(c)
	chosen := c.QueryArray("cat")
	var existing *wx.Product
	if row != nil {
		wp, err := shop.StoredProduct(*row)
		if err != nil {
			a.serverError(c, err)
			return
		}
		existing = &wp
		if len(chosen) == 0 || row.EverOnSale {
			chosen = a.shop.CategoryAncestors(ctx, row.CategoryID)
		}
	}
	levels, leaf, path, err := a.pickerLevels(ctx, chosen)
	problem := ""
	if err != nil {
		problem = wxMessage(p, err)
	}
	if row != nil && leaf == "" && len(chosen) == 0 {
		// A category the cached tree does not reach: keep the product's own.
		leaf, path = row.CategoryID, a.shop.CategoryPath(ctx, row.CategoryID)
	}
	var in productInput
	var fields categoryFields
	if leaf != "" {
		if fields, err = a.loadCategoryFields(ctx, leaf); err != nil {
			problem = wxMessage(p, err)
			leaf = ""
		}
	}
	switch {
	case leaf == "":
		in = productInput{}
	case existing != nil && row.CategoryID == leaf:
		in = inputFromProduct(*existing, fields)
	case existing != nil:
		// Moving to another category keeps everything but what belongs to the old one.
		in = inputFromProduct(*existing, categoryFields{})
		in.categoryID, in.props, in.skuValues, in.skuCustom = leaf, map[string]string{}, map[string][]string{}, map[string]string{}
		in.rows = matrix(nil, nil)
	default:
		in = newInput(leaf)
	}
	allowed, err := a.allowedImages(ctx, existing)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v, err := a.formView(c, in, fields, allowed, stockOf(row))
	if err != nil {
		a.serverError(c, err)
		return
	}
	a.decorateForm(&v, row, levels, path)
	v.Problem = problem
	a.render(c, http.StatusOK, templates.ProductFormPage(a.page(c, formTitle(row), "products"), v))
}

func formTitle(row *db.Product) string {
	if row != nil {
		return "form.title.edit"
	}
	return "form.title.new"
}

func (a *App) decorateForm(v *templates.ProductFormView, row *db.Product, levels []templates.CategoryLevel, path []string) {
	v.Levels, v.CategoryPath = levels, strings.Join(path, " › ")
	v.Action, v.PickerAction = "/products", "/products/new"
	if row != nil {
		v.IsEdit, v.Frozen = true, row.EverOnSale
		v.Action, v.PickerAction = "/products/"+row.ProductID, "/products/"+row.ProductID+"/edit"
	}
}

// saveProduct answers every submit of the form: rebuilding the matrix, adding a detail block, listing a
// province's cities, or saving.
func (a *App) saveProduct(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var row *db.Product
	var existing *wx.Product
	if c.Param("id") != "" {
		r, wp, ok := a.loadProduct(c)
		if !ok {
			return
		}
		row, existing = &r, &wp
	}
	in, err := parseProductInput(c)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		a.renderError(c, http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		a.renderError(c, http.StatusBadRequest)
		return
	}
	if row != nil && row.EverOnSale {
		// Frozen by WeChat: whatever was posted, these stay as they are.
		in.name, in.categoryID = existing.ProductBase.Name, row.CategoryID
	}
	fields, err := a.loadCategoryFields(ctx, in.categoryID)
	if in.categoryID == "" {
		err = nil
	}
	if err == nil && row != nil && row.EverOnSale {
		// The frozen properties are sent as they are, by id: WeChat's answers name them by their names, so they
		// are matched back to the category's ids the same way the form was filled.
		in.props = inputFromProduct(*existing, fields).props
	}
	if err != nil {
		a.log.Warn("product form: category fields unavailable", "category", in.categoryID, "err", err)
	}
	allowed, aerr := a.allowedImages(ctx, existing)
	if aerr != nil {
		a.serverError(c, aerr)
		return
	}
	levels, _, path, perr := a.pickerLevels(ctx, a.shop.CategoryAncestors(ctx, in.categoryID))
	if perr != nil {
		// The picker above the form cannot be shown in full; the form itself still works.
		a.log.Warn("product form: category picker unavailable", "category", in.categoryID, "err", perr)
	}
	if len(path) == 0 && in.categoryID != "" {
		path = a.shop.CategoryPath(ctx, in.categoryID)
	}
	render := func(status int, in productInput, errs templates.FieldErrors, problem string) {
		v, err := a.formView(c, in, fields, allowed, stockOf(row))
		if err != nil {
			a.serverError(c, err)
			return
		}
		a.decorateForm(&v, row, levels, path)
		v.Errors, v.Problem = errs, problem
		if v.Errors == nil {
			v.Errors = templates.FieldErrors{}
		}
		a.render(c, status, templates.ProductFormPage(a.page(c, formTitle(row), "products"), v))
	}
	if err != nil {
		render(http.StatusUnprocessableEntity, in, nil, wxMessage(p, err))
		return
	}

	switch c.PostForm("action") {
	case "matrix":
		infos := in.skuInfo(fields)
		if matrixSize(infos) > maxSKUs {
			render(http.StatusUnprocessableEntity, in, templates.FieldErrors{"skus": p.T("form.err.toomany", maxSKUs)}, "")
			return
		}
		in.rows = matrix(infos, in.rows)
		render(http.StatusOK, in, nil, "")
		return
	case "add_text", "add_img":
		in.detail = append(in.detail, templates.DetailField{Kind: strings.TrimPrefix(c.PostForm("action"), "add_")})
		render(http.StatusOK, in, nil, "")
		return
	case "province":
		in.city = ""
		render(http.StatusOK, in, nil, "")
		return
	}

	// Images uploaded in place go to the library first, so they are kept even if something else is wrong.
	uploadErrs := templates.FieldErrors{}
	if url, msg := a.uploadFormImage(c, p, "main_upload"); url != "" {
		in.mainImg, allowed[url] = url, true
	} else if msg != "" {
		uploadErrs["main_img"] = msg
	}
	var gallery []*multipart.FileHeader
	if c.Request.MultipartForm != nil {
		gallery = c.Request.MultipartForm.File["gallery_upload"]
	}
	// One form sends at most as many files as one upload to the library: each is a call to WeChat.
	if len(gallery) > maxFilesPerUpload {
		uploadErrs["img"] = p.T("images.err.toomany", maxFilesPerUpload)
	} else {
		for _, fh := range gallery {
			url, res := a.uploadOne(c, p, fh, a.imageMaxSize(c))
			if url == "" {
				uploadErrs["img"] = res.Filename + "：" + res.Message
				continue
			}
			in.imgs, allowed[url] = append(in.imgs, url), true
		}
	}

	prod, errs, err := a.validate(ctx, p, in, fields, allowed)
	if err != nil {
		a.serverError(c, err)
		return
	}
	for k, v := range uploadErrs {
		errs[k] = v
	}
	if len(errs) > 0 {
		render(http.StatusUnprocessableEntity, in, errs, p.T("form.err.summary", len(errs)))
		return
	}
	id, err := a.shop.SaveProduct(ctx, a.journalOf(c), row, prod)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		render(http.StatusUnprocessableEntity, in, nil, p.T("form.err.wx", wxMessage(p, err)))
		return
	}
	if row == nil {
		a.flash(c, "ok", p.T("form.created", prod.ProductBase.Name))
	} else {
		a.flash(c, "ok", p.T("form.updated", prod.ProductBase.Name))
	}
	a.redirect(c, "/products/"+id)
}

// uploadFormImage uploads the file of one file field, if any: its URL, or why it failed.
func (a *App) uploadFormImage(c *gin.Context, p i18n.Printer, field string) (string, string) {
	if c.Request.MultipartForm == nil || len(c.Request.MultipartForm.File[field]) == 0 {
		return "", ""
	}
	fh := c.Request.MultipartForm.File[field][0]
	if fh.Size == 0 && fh.Filename == "" {
		return "", ""
	}
	url, res := a.uploadOne(c, p, fh, a.imageMaxSize(c))
	if url == "" {
		return "", res.Filename + "：" + res.Message
	}
	return url, ""
}

// stockOf is the stock of each SKU the product has; empty for a new product.
func stockOf(row *db.Product) map[string]int64 {
	stock := map[string]int64{}
	if row != nil {
		for _, k := range row.SKUs {
			stock[k.SKUID] = k.Quantity
		}
	}
	return stock
}
