package app

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The V1.13 product form creates and edits products. Everything typed travels in the form itself, so any
// answer (a rebuilt SKU matrix, a new detail block, the cities of a province, a refusal) comes back exactly as
// typed. The handlers parse the form into a shop.ProductDraft; the shop checks it (every rule WeChat applies,
// each beside its field) and saves it.

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

// The error is a body that could not be read (too large, cut off); a form sent without files is not one.
func parseProductDraft(c *gin.Context) (shop.ProductDraft, error) {
	err := c.Request.ParseMultipartForm(32 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = nil
	}
	form := c.Request.PostForm
	in := shop.ProductDraft{
		CategoryID: c.PostForm("category_id"),
		Name:       strings.TrimSpace(c.PostForm("name")),
		Props:      map[string]string{},
		SKUValues:  map[string][]string{},
		SKUCustom:  map[string]string{},
		MainImg:    c.PostForm("main_img"),
		Imgs:       c.PostFormArray("img"),
		BuyLimit:   strings.TrimSpace(c.PostForm("buy_limit")),
		Province:   c.PostForm("province"),
		City:       c.PostForm("city"),
		Address:    strings.TrimSpace(c.PostForm("address")),
		Receipt:    c.PostForm("receipt") == "1",
		Guaranty:   c.PostForm("guaranty") == "1",
		Replace:    c.PostForm("replace") == "1",
		Delivery:   c.PostForm("delivery"),
		TemplateID: strings.TrimSpace(c.PostForm("template_id")),
		Fees:       [3]string{strings.TrimSpace(c.PostForm("fee_pingyou")), strings.TrimSpace(c.PostForm("fee_kuaidi")), strings.TrimSpace(c.PostForm("fee_ems"))},
	}
	if c.Request.MultipartForm != nil {
		form = c.Request.MultipartForm.Value
	}
	for key, values := range form {
		switch {
		case strings.HasPrefix(key, "prop."):
			in.Props[strings.TrimPrefix(key, "prop.")] = values[0]
		case strings.HasPrefix(key, "sku."):
			in.SKUValues[strings.TrimPrefix(key, "sku.")] = values
		case strings.HasPrefix(key, "skucustom."):
			in.SKUCustom[strings.TrimPrefix(key, "skucustom.")] = values[0]
		}
	}
	skus, prices, oris, qtys, codes, icons := form["row_sku"], form["row_price"], form["row_ori"], form["row_qty"], form["row_code"], form["row_icon"]
	// A picked image comes as field.i (a thumbnail picker per row or block); a form of the list kind as the
	// i-th of field.
	picked := func(field string, list []string, i int) string {
		if v, ok := form[field+"."+strconv.Itoa(i)]; ok && len(v) > 0 {
			return v[0]
		}
		return at(list, i)
	}
	for i := range skus {
		in.Rows = append(in.Rows, shop.SKURowDraft{SKUID: skus[i], Price: at(prices, i), OriPrice: at(oris, i),
			Quantity: at(qtys, i), Code: at(codes, i), Icon: picked("row_icon", icons, i)})
	}
	kinds, texts, imgs, positions := form["detail_kind"], form["detail_text"], form["detail_img"], form["detail_pos"]
	type placed struct {
		pos   int
		field shop.DetailDraft
	}
	var blocks []placed
	for i, kind := range kinds {
		pos, err := strconv.Atoi(at(positions, i))
		if err != nil {
			pos = i + 1
		}
		blocks = append(blocks, placed{pos, shop.DetailDraft{Kind: kind, Text: strings.TrimSpace(at(texts, i)), Img: picked("detail_img", imgs, i)}})
	}
	// The operator orders the blocks by their numbers; equal numbers keep the order they had.
	slices.SortStableFunc(blocks, func(x, y placed) int { return cmp.Compare(x.pos, y.pos) })
	for _, b := range blocks {
		in.Detail = append(in.Detail, b.field)
	}
	return in, err
}

// formView fills the view from what was typed. allowed is every image the product may use; stock the stock
// WeChat holds of the SKUs the product has.
func (a *App) formView(c *gin.Context, d shop.ProductDraft, fields shop.CategoryFields, allowed map[string]bool, stock map[string]int64) (templates.ProductFormView, error) {
	ctx := c.Request.Context()
	v := templates.ProductFormView{
		CategoryID: d.CategoryID, Leaf: d.CategoryID != "", Name: d.Name,
		MainImg: d.MainImg, Imgs: map[string]bool{}, BuyLimit: d.BuyLimit,
		Province: d.Province, City: d.City, Address: d.Address,
		Receipt: d.Receipt, Guaranty: d.Guaranty, Replace: d.Replace, Delivery: d.Delivery,
		TemplateID: d.TemplateID, FeePingYou: d.Fees[0], FeeKuaiDi: d.Fees[1], FeeEMS: d.Fees[2],
		Errors: templates.FieldErrors{},
	}
	for _, u := range d.Imgs {
		v.Imgs[u] = true
	}
	for _, b := range d.Detail {
		v.Detail = append(v.Detail, templates.DetailField(b))
	}
	for _, pr := range fields.Props {
		f := templates.PropertyField{ID: string(pr.ID), Name: pr.Name, Selected: d.Props[string(pr.ID)]}
		for _, val := range pr.PropertyValue {
			f.Options = append(f.Options, templates.Option{Value: string(val.ID), Label: val.Name})
		}
		v.Properties = append(v.Properties, f)
	}
	for _, at := range fields.SKUs {
		f := templates.SKUAttrField{ID: string(at.ID), Name: at.Name, Checked: map[string]bool{}, Custom: d.SKUCustom[string(at.ID)]}
		for _, val := range at.ValueList {
			f.Options = append(f.Options, templates.Option{Value: string(val.ID), Label: val.Name})
		}
		for _, vid := range d.SKUValues[string(at.ID)] {
			f.Checked[vid] = true
		}
		v.SKUAttrs = append(v.SKUAttrs, f)
	}
	names := shop.NamerOf(fields.SKUs)
	for _, r := range d.Rows {
		row := templates.SKURowField{SKUID: r.SKUID, Label: names.Label(r.SKUID), Price: r.Price, OriPrice: r.OriPrice,
			Quantity: r.Quantity, Code: r.Code, Icon: r.Icon}
		if q, ok := stock[r.SKUID]; ok {
			row.Existing, row.Quantity = true, strconv.FormatInt(q, 10)
		}
		v.Rows = append(v.Rows, row)
	}
	// The library, plus images the product already uses that came from elsewhere (a product made before the
	// app kept a library).
	var err error
	if v.Library, err = a.imageChoices(ctx, 200, slices.Sorted(maps.Keys(allowed))); err != nil {
		return v, err
	}
	provinces, cities, err := a.shop.RegionIndex(ctx)
	if err != nil {
		return v, err
	}
	v.Provinces, v.Cities = provinces, cities[d.Province]
	// The shop's postage templates, by name; a template the product names that the mirror does not hold stays
	// choosable by its id, so editing never loses it unseen.
	tpls, err := a.store.PostageTemplates(ctx)
	if err != nil {
		return v, err
	}
	for _, t := range tpls {
		v.Templates = append(v.Templates, templates.Option{Value: strconv.FormatInt(t.TemplateID, 10), Label: t.Name})
	}
	if d.TemplateID != "" && !slices.ContainsFunc(v.Templates, func(o templates.Option) bool { return o.Value == d.TemplateID }) {
		v.Templates = append(v.Templates, templates.Option{Value: d.TemplateID, Label: "#" + d.TemplateID})
	}
	return v, nil
}

func (a *App) showNewProduct(c *gin.Context) {
	a.showProductForm(c, nil)
}

func (a *App) showEditProduct(c *gin.Context) {
	ed, ok := a.loadProduct(c)
	if !ok {
		return
	}
	a.showProductForm(c, ed)
}

// loadProduct reads the product the path's :id names from the mirror, with it in WeChat's form; one the mirror
// does not hold gets the 404 page.
func (a *App) loadProduct(c *gin.Context) (*shop.EditedProduct, bool) {
	row, wp, err := a.shop.Product(c.Request.Context(), c.Param("id"))
	_, ok := found(a, c, row, err)
	return &shop.EditedProduct{Row: row, Product: wp}, ok
}

// showProductForm shows the form at the category the picker is on (the product's own, when editing).
func (a *App) showProductForm(c *gin.Context, ed *shop.EditedProduct) {
	ctx := c.Request.Context()
	p := a.printer(c)
	chosen := c.QueryArray("cat")
	if ed != nil && (len(chosen) == 0 || ed.Row.EverOnSale) {
		chosen = a.shop.CategoryAncestors(ctx, ed.Row.CategoryID)
	}
	levels, leaf, path, err := a.pickerLevels(ctx, chosen)
	problem := ""
	if err != nil {
		problem = wxMessage(p, err)
	}
	if ed != nil && leaf == "" && len(chosen) == 0 {
		// A category the cached tree does not reach: keep the product's own.
		leaf, path = ed.Row.CategoryID, a.shop.CategoryPath(ctx, ed.Row.CategoryID)
	}
	var d shop.ProductDraft
	var fields shop.CategoryFields
	if leaf != "" {
		if fields, err = a.shop.CategoryFields(ctx, leaf); err != nil {
			problem = wxMessage(p, err)
			leaf = ""
		}
	}
	switch {
	case leaf == "":
	case ed != nil && ed.Row.CategoryID == leaf:
		d = shop.ProductDraftOf(ed.Product, fields)
	case ed != nil:
		// Moving to another category keeps everything but what belongs to the old one.
		d = shop.ProductDraftOf(ed.Product, shop.CategoryFields{})
		d.MoveTo(leaf)
	default:
		d = shop.NewProductDraft(leaf)
	}
	allowed, err := a.shop.AllowedImages(ctx, ed.Images()...)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v, err := a.formView(c, d, fields, allowed, stockOf(ed))
	if err != nil {
		a.serverError(c, err)
		return
	}
	decorateForm(&v, ed, levels, path)
	v.Problem = problem
	a.render(c, http.StatusOK, templates.ProductFormPage(a.page(c, formTitle(ed), "products"), v))
}

func formTitle(ed *shop.EditedProduct) string {
	if ed != nil {
		return "form.title.edit"
	}
	return "form.title.new"
}

func decorateForm(v *templates.ProductFormView, ed *shop.EditedProduct, levels []templates.CategoryLevel, path []string) {
	v.Levels, v.CategoryPath = levels, strings.Join(path, " › ")
	v.Action, v.PickerAction = "/products", "/products/new"
	if ed != nil {
		v.IsEdit, v.Frozen = true, ed.Row.EverOnSale
		v.Action, v.PickerAction = "/products/"+ed.Row.ProductID, "/products/"+ed.Row.ProductID+"/edit"
	}
}

// saveProduct answers every submit of the form: rebuilding the matrix, adding a detail block, listing a
// province's cities, or saving.
func (a *App) saveProduct(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var ed *shop.EditedProduct
	if c.Param("id") != "" {
		var ok bool
		if ed, ok = a.loadProduct(c); !ok {
			return
		}
	}
	d, err := parseProductDraft(c)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		a.renderError(c, http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		a.renderError(c, http.StatusBadRequest)
		return
	}
	frozen := ed != nil && ed.Row.EverOnSale
	if frozen {
		// Frozen by WeChat: whatever was posted, these stay as they are.
		d.Name, d.CategoryID = ed.Product.ProductBase.Name, ed.Row.CategoryID
	}
	fields, err := a.shop.CategoryFields(ctx, d.CategoryID)
	if d.CategoryID == "" {
		err = nil
	}
	if err == nil && frozen {
		d.Freeze(ed.Product, ed.Row.CategoryID, fields)
	}
	if err != nil {
		a.log.Warn("product form: category fields unavailable", "category", d.CategoryID, "err", err)
	}
	allowed, aerr := a.shop.AllowedImages(ctx, ed.Images()...)
	if aerr != nil {
		a.serverError(c, aerr)
		return
	}
	levels, _, path, perr := a.pickerLevels(ctx, a.shop.CategoryAncestors(ctx, d.CategoryID))
	if perr != nil {
		// The picker above the form cannot be shown in full; the form itself still works.
		a.log.Warn("product form: category picker unavailable", "category", d.CategoryID, "err", perr)
	}
	if len(path) == 0 && d.CategoryID != "" {
		path = a.shop.CategoryPath(ctx, d.CategoryID)
	}
	render := func(status int, d shop.ProductDraft, errs shop.FieldErrors, problem string) {
		v, err := a.formView(c, d, fields, allowed, stockOf(ed))
		if err != nil {
			a.serverError(c, err)
			return
		}
		decorateForm(&v, ed, levels, path)
		v.Problem = problem
		if errs != nil {
			v.Errors = templates.FieldErrors(errs)
		}
		a.render(c, status, templates.ProductFormPage(a.page(c, formTitle(ed), "products"), v))
	}
	if err != nil {
		render(http.StatusUnprocessableEntity, d, nil, wxMessage(p, err))
		return
	}

	switch action := c.PostForm("action"); action {
	case "matrix":
		if !d.RebuildMatrix(fields) {
			render(http.StatusUnprocessableEntity, d, shop.FieldErrors{"skus": p.T("form.err.toomany", shop.MaxSKUs)}, "")
			return
		}
		render(http.StatusOK, d, nil, "")
		return
	case "add_text", "add_img":
		d.Detail = append(d.Detail, shop.DetailDraft{Kind: strings.TrimPrefix(action, "add_")})
		render(http.StatusOK, d, nil, "")
		return
	case "province":
		d.City = ""
		render(http.StatusOK, d, nil, "")
		return
	}

	// Images uploaded in place go to the library first, so they are kept even if something else is wrong.
	uploadErrs := shop.FieldErrors{}
	if url, msg := a.uploadFormImage(c, p, "main_upload"); url != "" {
		d.MainImg, allowed[url] = url, true
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
			d.Imgs, allowed[url] = append(d.Imgs, url), true
		}
	}

	prod, errs, err := a.shop.CheckProduct(ctx, p, d, fields, allowed)
	if err != nil {
		a.serverError(c, err)
		return
	}
	maps.Copy(errs, uploadErrs)
	if len(errs) > 0 {
		render(http.StatusUnprocessableEntity, d, errs, p.T("form.err.summary", len(errs)))
		return
	}
	var row *db.Product
	if ed != nil {
		row = &ed.Row
	}
	id, err := a.shop.SaveProduct(ctx, a.journalOf(c), row, prod)
	if a.refused(c, err, func(msg string) { render(http.StatusUnprocessableEntity, d, nil, p.T("form.err.wx", msg)) }) {
		return
	}
	if ed == nil {
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
func stockOf(ed *shop.EditedProduct) map[string]int64 {
	stock := map[string]int64{}
	if ed != nil {
		for _, k := range ed.Row.SKUs {
			stock[k.SKUID] = k.Quantity
		}
	}
	return stock
}

// boolInt is WeChat's 0/1 for a flag.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
