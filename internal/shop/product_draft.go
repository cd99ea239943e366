package shop

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/wx"
)

// The V1.13 product form's draft: everything typed, checked here against every rule WeChat applies before
// anything is sent, so the form can show each problem beside its field and keep what was typed.

// MaxProductName is the longest product name WeChat takes, in characters.
const MaxProductName = 60

// MaxSKUs bounds the SKU table: beyond it the matrix is not built (a few hundred values would make a page of
// millions of rows) and the form says why.
const MaxSKUs = 500

// CategoryFields is what a leaf category offers the form: its properties and its SKU attributes.
type CategoryFields struct {
	Props []wx.Property
	SKUs  []wx.SKUAttribute
}

// CategoryFields reads the leaf category's properties and SKU attributes from the category cache.
func (s *Shop) CategoryFields(ctx context.Context, cateID string) (CategoryFields, error) {
	var f CategoryFields
	var err error
	if f.Props, _, err = s.CategoryProperties(ctx, cateID); err != nil {
		return f, err
	}
	f.SKUs, _, err = s.CategorySKUs(ctx, cateID)
	return f, err
}

// SKURowDraft is one row of the SKU matrix, as typed.
type SKURowDraft struct {
	SKUID                                 string
	Price, OriPrice, Quantity, Code, Icon string
}

// DetailDraft is one block of the detail, as typed.
type DetailDraft struct {
	Kind, Text, Img string // Kind: "text" or "img"
}

// ProductDraft is a V1.13 product as the operator typed it.
type ProductDraft struct {
	CategoryID string
	Name       string
	Props      map[string]string   // property id -> value id
	SKUValues  map[string][]string // attribute id -> ticked value ids
	SKUCustom  map[string]string   // attribute id -> custom values as typed
	Rows       []SKURowDraft
	MainImg    string
	Imgs       []string
	Detail     []DetailDraft
	BuyLimit   string
	Province   string
	City       string
	Address    string
	Receipt    bool
	Guaranty   bool
	Replace    bool
	Delivery   string    // "free", "template" or "express"
	TemplateID string    // the postage template's id, with "template"
	Fees       [3]string // 平邮, 快递, EMS, with "express"
}

// NewProductDraft is the empty form for a category: one uniform SKU row, one text block, free shipping.
func NewProductDraft(cateID string) ProductDraft {
	return ProductDraft{
		CategoryID: cateID, Props: map[string]string{}, SKUValues: map[string][]string{}, SKUCustom: map[string]string{},
		Rows:     []SKURowDraft{{SKUID: "", Quantity: "0"}},
		Detail:   []DetailDraft{{Kind: "text"}},
		Delivery: "free",
	}
}

// MoveTo puts the draft in another category: it keeps everything but what belonged to the old one (its
// properties and SKU attributes), with the one row of a uniform spec.
func (d *ProductDraft) MoveTo(cateID string) {
	d.CategoryID, d.Props, d.SKUValues, d.SKUCustom = cateID, map[string]string{}, map[string][]string{}, map[string]string{}
	d.Rows = SKUMatrix(nil, nil)
}

// Freeze keeps what WeChat fixes once a product was on sale: its name, category and properties stay the
// product's, whatever was posted. The properties are sent as they are, by id: WeChat's answers name them by
// their names, so they are matched back to the category's ids the same way the form was filled.
func (d *ProductDraft) Freeze(p wx.Product, categoryID string, f CategoryFields) {
	d.Name, d.CategoryID = p.ProductBase.Name, categoryID
	d.Props = ProductDraftOf(p, f).Props
}

// CustomValues splits what was typed as custom values. Commas (either width), 、 and semicolons separate them;
// ':' and ';' can never be part of one (they delimit sku_id), and '$' is added by the app, so those are dropped.
func CustomValues(s string) []string {
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

// SKUInfo is the product's sku_info: each attribute with at least one value, in the category's order, the
// ticked values first and then the custom ones ("$text").
func (d ProductDraft) SKUInfo(f CategoryFields) []wx.SKUInfo {
	var infos []wx.SKUInfo
	for _, at := range f.SKUs {
		id := string(at.ID)
		var vids []wx.ID
		for _, v := range at.ValueList {
			if slices.Contains(d.SKUValues[id], string(v.ID)) {
				vids = append(vids, v.ID)
			}
		}
		for _, cv := range CustomValues(d.SKUCustom[id]) {
			vids = append(vids, wx.ID("$"+cv))
		}
		if len(vids) > 0 {
			infos = append(infos, wx.SKUInfo{ID: at.ID, VID: vids})
		}
	}
	return infos
}

// RebuildMatrix makes the SKU table again from the ticked and typed values, keeping what was typed for rows
// that stay; false, changing nothing, when the table would pass MaxSKUs.
func (d *ProductDraft) RebuildMatrix(f CategoryFields) bool {
	infos := d.SKUInfo(f)
	if MatrixSize(infos) > MaxSKUs {
		return false
	}
	d.Rows = SKUMatrix(infos, d.Rows)
	return true
}

// MatrixSize is how many rows the sku_info makes (counting stops past MaxSKUs).
func MatrixSize(infos []wx.SKUInfo) int {
	n := 1
	for _, info := range infos {
		n *= len(info.VID)
		if n > MaxSKUs {
			return n
		}
	}
	return n
}

// SKUMatrix is every combination of the sku_info values, one row each, keeping what was typed for rows that
// were there before. Without attributes it is the one row of a uniform spec.
func SKUMatrix(infos []wx.SKUInfo, typed []SKURowDraft) []SKURowDraft {
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
	old := map[string]SKURowDraft{}
	for _, r := range typed {
		old[r.SKUID] = r
	}
	rows := make([]SKURowDraft, 0, len(combos))
	for _, combo := range combos {
		id := wx.SKUID(combo)
		r, ok := old[id]
		if !ok {
			r = SKURowDraft{SKUID: id, Quantity: "0"}
		}
		rows = append(rows, r)
	}
	return rows
}

// CheckProduct checks every rule before WeChat is asked, and builds the product to send. allowed is every
// image the product may use (AllowedImages). The error is the store's.
func (s *Shop) CheckProduct(ctx context.Context, p i18n.Printer, d ProductDraft, f CategoryFields, allowed map[string]bool) (*wx.Product, FieldErrors, error) {
	errs := FieldErrors{}
	prod := &wx.Product{}
	base := &prod.ProductBase
	if d.CategoryID == "" {
		errs["category"] = p.T("form.err.category")
		return nil, errs, nil
	}
	base.CategoryID = []wx.ID{wx.ID(d.CategoryID)}

	switch n := utf8.RuneCountInString(d.Name); {
	case n == 0:
		errs["name"] = p.T("form.err.name")
	case n > MaxProductName:
		errs["name"] = p.T("form.err.name.long", MaxProductName, n)
	}
	base.Name = d.Name

	for _, pr := range f.Props {
		vid := d.Props[string(pr.ID)]
		if vid == "" {
			continue
		}
		if !slices.ContainsFunc(pr.PropertyValue, func(v wx.PropertyValue) bool { return string(v.ID) == vid }) {
			errs["prop."+string(pr.ID)] = p.T("form.err.property")
			continue
		}
		base.Property = append(base.Property, wx.ProductProperty{ID: pr.ID, VID: wx.ID(vid)})
	}

	base.SKUInfo = d.SKUInfo(f)
	if MatrixSize(base.SKUInfo) > MaxSKUs {
		errs["skus"] = p.T("form.err.toomany", MaxSKUs)
		return prod, errs, nil
	}
	want := SKUMatrix(base.SKUInfo, nil)
	if len(d.Rows) != len(want) || !slices.EqualFunc(d.Rows, want, func(x, y SKURowDraft) bool { return x.SKUID == y.SKUID }) {
		errs["skus"] = p.T("form.err.matrix")
	}
	for i, r := range d.Rows {
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
	case d.MainImg == "":
		errs["main_img"] = p.T("form.err.main")
	case !allowed[d.MainImg]:
		errs["main_img"] = p.T("form.err.image")
	}
	base.MainImg = d.MainImg
	for _, u := range d.Imgs {
		if !allowed[u] {
			errs["img"] = p.T("form.err.image")
		}
	}
	base.Img = d.Imgs

	for i, b := range d.Detail {
		switch {
		case b.Kind == "img" && b.Img != "":
			if !allowed[b.Img] {
				errs["detail."+strconv.Itoa(i)] = p.T("form.err.image")
			}
			base.Detail = append(base.Detail, wx.ProductDetail{Img: b.Img})
		case b.Kind != "img" && b.Text != "":
			base.Detail = append(base.Detail, wx.ProductDetail{Text: b.Text})
		}
	}
	if len(base.Detail) == 0 {
		errs["detail"] = p.T("form.err.detail")
	}

	if d.BuyLimit != "" {
		n, err := strconv.Atoi(d.BuyLimit)
		if err != nil || n < 0 || n > 100000 {
			errs["buy_limit"] = p.T("form.err.buylimit")
		}
		base.BuyLimit = n
	}

	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(regions, db.Region{Country: "中国", Province: d.Province, City: d.City}) {
		errs["location"] = p.T("form.err.location")
	}
	prod.AttrExt = wx.AttrExt{
		Location:         wx.Location{Country: "中国", Province: d.Province, City: d.City, Address: d.Address},
		IsHasReceipt:     boolInt(d.Receipt),
		IsUnderGuaranty:  boolInt(d.Guaranty),
		IsSupportReplace: boolInt(d.Replace),
	}

	switch d.Delivery {
	case "free":
		prod.AttrExt.IsPostFree = 1
	case "template":
		// Picked by name from the mirror's templates: one WeChat does not hold is refused here, not by WeChat.
		id, err := strconv.ParseInt(d.TemplateID, 10, 64)
		switch {
		case err != nil || id <= 0:
			errs["delivery"] = p.T("form.err.template.pick")
		default:
			if _, err := s.store.PostageTemplate(ctx, id); errors.Is(err, db.ErrNoRecord) {
				errs["delivery"] = p.T("form.err.template.gone")
			} else if err != nil {
				return nil, nil, err
			}
		}
		prod.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByTemplate, TemplateID: id}
	case "express":
		di := &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress}
		for i, courier := range PostageCouriers {
			if d.Fees[i] == "" {
				continue
			}
			fee, err := money.ParseYuan(d.Fees[i])
			if err != nil {
				errs["delivery"] = p.T("form.err.fee")
				continue
			}
			di.Express = append(di.Express, wx.Express{ID: courier, Price: int(fee)})
		}
		if len(di.Express) == 0 && errs["delivery"] == "" {
			errs["delivery"] = p.T("form.err.express")
		}
		prod.DeliveryInfo = di
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

// ProductDraftOf fills the form from a stored product, for editing.
func ProductDraftOf(p wx.Product, f CategoryFields) ProductDraft {
	base := p.ProductBase
	d := ProductDraft{
		Name: base.Name, Props: map[string]string{}, SKUValues: map[string][]string{}, SKUCustom: map[string]string{},
		MainImg: base.MainImg, Imgs: base.Img, Province: p.AttrExt.Location.Province, City: p.AttrExt.Location.City,
		Address: p.AttrExt.Location.Address, Receipt: p.AttrExt.IsHasReceipt == 1, Guaranty: p.AttrExt.IsUnderGuaranty == 1,
		Replace: p.AttrExt.IsSupportReplace == 1, Delivery: "free",
	}
	if len(base.CategoryID) > 0 {
		d.CategoryID = string(base.CategoryID[0])
	}
	if base.BuyLimit > 0 {
		d.BuyLimit = strconv.Itoa(base.BuyLimit)
	}
	// merchant/get names properties by their names rather than their ids: match either.
	for _, pp := range base.Property {
		for _, pr := range f.Props {
			if pr.ID != pp.ID && pr.Name != string(pp.ID) {
				continue
			}
			for _, val := range pr.PropertyValue {
				if val.ID == pp.VID || val.Name == string(pp.VID) {
					d.Props[string(pr.ID)] = string(val.ID)
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
				d.SKUValues[string(info.ID)] = append(d.SKUValues[string(info.ID)], string(vid))
			}
		}
		d.SKUCustom[string(info.ID)] = strings.Join(custom, ", ")
	}
	for _, k := range p.SKUList {
		d.Rows = append(d.Rows, SKURowDraft{SKUID: k.SKUID, Price: money.Plain(int64(k.Price), false),
			OriPrice: money.Plain(int64(k.OriPrice), false), Quantity: strconv.Itoa(k.Quantity), Code: k.ProductCode, Icon: k.IconURL})
	}
	// The table in the matrix's order (the category's order of values), as the check wants it back: WeChat
	// may list a product's SKUs in another. A list that is not the matrix's stays as it is, for the check to say.
	if want := SKUMatrix(d.SKUInfo(f), d.Rows); len(want) == len(d.Rows) && sameSKUs(want, d.Rows) {
		d.Rows = want
	}
	for _, b := range base.Detail {
		if b.Img != "" {
			d.Detail = append(d.Detail, DetailDraft{Kind: "img", Img: b.Img})
		} else {
			d.Detail = append(d.Detail, DetailDraft{Kind: "text", Text: b.Text})
		}
	}
	if p.AttrExt.IsPostFree != 1 && p.DeliveryInfo != nil {
		if p.DeliveryInfo.DeliveryType == wx.DeliveryByTemplate {
			d.Delivery, d.TemplateID = "template", strconv.FormatInt(p.DeliveryInfo.TemplateID, 10)
		} else {
			d.Delivery = "express"
			for _, e := range p.DeliveryInfo.Express {
				if i := slices.Index(PostageCouriers, e.ID); i >= 0 {
					d.Fees[i] = money.Plain(int64(e.Price), false)
				}
			}
		}
	}
	return d
}

// sameSKUs reports whether x and y hold the same sku_ids, in any order.
func sameSKUs(x, y []SKURowDraft) bool {
	ids := map[string]int{}
	for _, r := range x {
		ids[r.SKUID]++
	}
	for _, r := range y {
		ids[r.SKUID]--
	}
	for _, n := range ids {
		if n != 0 {
			return false
		}
	}
	return true
}

// EditedProduct is a mirrored V1.13 product opened in the form: its mirror row and the product as WeChat
// holds it.
type EditedProduct struct {
	Row     db.Product
	Product wx.Product
}

// Images is every image URL the product shows.
func (e *EditedProduct) Images() []string {
	if e == nil {
		return nil
	}
	return ProductImages(e.Product)
}
