package app

import (
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

// A 微信小店's freight templates at /postage: list, detail with the fee calculator on the saved rules, add and
// update. WeChat has no delete for them, and the page says so. The editor writes rules by the national region
// names of basics/addresscode/get (cached), at province, city or county depth.

// storeRegionBlankRules is how many empty region rules the editor offers beyond the template's own.
const storeRegionBlankRules = 2

func (a *App) showStoreFreights(c *gin.Context) {
	ctx := c.Request.Context()
	v := templates.StoreFreightsView{CanWrite: canWrite(Role(currentUser(c).Role))}
	list, err := a.shop.FreightTemplates(ctx)
	if err != nil {
		v.Error = wxMessage(a.printer(c), err)
	}
	for _, t := range list {
		v.Rows = append(v.Rows, templates.StoreFreightRow{ID: string(t.TemplateID), Name: t.Name, Valuation: t.ValuationType,
			Shipping: t.ShippingMethod, From: strings.TrimSpace(t.AddressInfo.ProvinceName + " " + t.AddressInfo.CityName)})
	}
	a.render(c, http.StatusOK, templates.StoreFreightsPage(a.page(c, "title.postage", "postage"), v))
}

func (a *App) loadStoreFreight(c *gin.Context) (*shop.FreightTemplate, bool) {
	t, err := a.shop.FreightTemplate(c.Request.Context(), c.Param("id"))
	if errors.Is(err, shop.ErrNoFreightTemplate) {
		a.renderError(c, http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		a.flash(c, "error", wxMessage(a.printer(c), err))
		a.redirect(c, "/postage")
		return nil, false
	}
	return t, true
}

func (a *App) showStoreFreight(c *gin.Context) {
	t, ok := a.loadStoreFreight(c)
	if !ok {
		return
	}
	p := a.printer(c)
	v := templates.StoreFreightView{Form: freightForm(t), CanWrite: canWrite(Role(currentUser(c).Role)),
		Regions: a.regionGroups(c), Rules: freightRuleLines(p, t)}
	a.render(c, http.StatusOK, templates.StoreFreightPage(a.page(c, "title.postage", "postage"), v))
}

// freightRuleLines describes the template's rules, one a line.
func freightRuleLines(p i18n.Printer, t *shop.FreightTemplate) []string {
	unit := p.T("freight.unit.piece")
	if t.ValuationType == shop.FreightByWeight {
		unit = p.T("freight.unit.kg")
	}
	var out []string
	if t.ShippingMethod == shop.FreightFree {
		out = append(out, p.T("freight.rule.free"))
	}
	if t.AllFreightCalcMethod != nil {
		for _, r := range t.AllFreightCalcMethod.FreightCalcMethodList {
			where := p.T("freight.rule.default")
			if !r.IsDefault {
				where = regionNames(r.AddressInfos)
			}
			out = append(out, p.T("freight.rule.line", where, r.FirstValAmount, unit, money.Yuan(r.FirstPrice), r.SecondValAmount, unit, money.Yuan(r.SecondPrice)))
		}
	}
	if t.AllConditionFreeDetail != nil {
		for _, r := range t.AllConditionFreeDetail.ConditionFreeDetailList {
			if r.AmountFlag == 1 {
				out = append(out, p.T("freight.rule.freeamount", regionNames(r.AddressInfos), money.Yuan(r.MinAmount)))
			}
			if r.ValuationFlag == 1 && t.ValuationType == shop.FreightByWeight {
				out = append(out, p.T("freight.rule.freeweight", regionNames(r.AddressInfos), r.MinWeight))
			} else if r.ValuationFlag == 1 {
				out = append(out, p.T("freight.rule.freepiece", regionNames(r.AddressInfos), r.MinPiece))
			}
		}
	}
	if t.NotSendArea != nil && len(t.NotSendArea.AddressInfos) > 0 {
		out = append(out, p.T("freight.rule.nosend", regionNames(t.NotSendArea.AddressInfos)))
	}
	return out
}

func regionNames(list []shop.FreightAddress) string {
	var names []string
	for _, a := range list {
		city := a.CityName
		if city == a.ProvinceName { // a 直辖市 is its own city
			city = ""
		}
		names = append(names, strings.TrimSpace(a.ProvinceName+city+a.CountyName))
	}
	return strings.Join(names, "、")
}

// regionGroups is the national region tree as the pickers show it, with the counties of the cities the
// regions chosen name; the provinces alone when only they can be read.
func (a *App) regionGroups(c *gin.Context, chosen ...[]string) []templates.RegionGroup {
	ctx := c.Request.Context()
	var out []templates.RegionGroup
	for _, g := range a.shop.WithCounties(ctx, a.shop.RegionTree(ctx), chosen...) {
		r := templates.RegionGroup{Province: g.Province}
		for _, city := range g.Cities {
			r.Cities = append(r.Cities, templates.RegionCity{Name: city.Name, Counties: city.Counties})
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		for _, p := range a.shop.Provinces(ctx) {
			out = append(out, templates.RegionGroup{Province: p})
		}
	}
	return out
}

// storeFreightFee is the calculator: /postage/:id/fee?province=&qty=&amount= on the saved rules, province
// being the destination as a form holds a region (province, province/city or province/city/county). With
// pick=1 (the destination was just changed) it only lists the counties of the city picked, without a fee.
func (a *App) storeFreightFee(c *gin.Context) {
	t, ok := a.loadStoreFreight(c)
	if !ok {
		return
	}
	p := a.printer(c)
	qty, err := strconv.Atoi(c.Query("qty"))
	var amount int64
	var aerr error
	if typed := strings.TrimSpace(c.Query("amount")); typed != "" {
		amount, aerr = money.ParseYuan(typed)
	}
	var msg string
	switch {
	case c.Query("pick") == "1":
	case err != nil || qty < 1:
		msg = p.T("freight.fee.badqty")
	case aerr != nil:
		msg = p.T("freight.fee.badamount")
	default:
		to := shop.RegionAddress(c.Query("province"))
		if city := strings.TrimSpace(c.Query("city")); city != "" && to.CityName == "" {
			to.CityName = city
		}
		fee, ok := t.FreightFee(qty, amount, to.ProvinceName, to.CityName, to.CountyName)
		if !ok {
			msg = p.T("freight.fee.nosend", regionNames([]shop.FreightAddress{to}))
		} else {
			msg = p.T("freight.fee.result", regionNames([]shop.FreightAddress{to}), qty, money.Yuan(fee))
		}
	}
	v := templates.StoreFreightView{Form: freightForm(t), CanWrite: canWrite(Role(currentUser(c).Role)),
		Regions: a.regionGroups(c, []string{c.Query("province")}), Rules: freightRuleLines(p, t), Fee: msg,
		FeeProvince: c.Query("province"), FeeQty: c.Query("qty"), FeeAmount: c.Query("amount")}
	a.render(c, http.StatusOK, templates.StoreFreightPage(a.page(c, "title.postage", "postage"), v))
}

// freightForm is the template as the editor shows it.
func freightForm(t *shop.FreightTemplate) templates.StoreFreightForm {
	f := templates.StoreFreightForm{ID: string(t.TemplateID), Name: t.Name, Valuation: t.ValuationType, SendTime: t.SendTime,
		FromProvince: t.AddressInfo.ProvinceName, FromCity: t.AddressInfo.CityName, FromCounty: t.AddressInfo.CountyName,
		Shipping: t.ShippingMethod, Errors: templates.FieldErrors{}}
	if t.AllFreightCalcMethod != nil {
		for _, r := range t.AllFreightCalcMethod.FreightCalcMethodList {
			rule := templates.StoreFreightRule{First: strconv.Itoa(r.FirstValAmount), FirstPrice: strings.TrimPrefix(money.Yuan(r.FirstPrice), "¥"),
				Second: strconv.Itoa(r.SecondValAmount), SecondPrice: strings.TrimPrefix(money.Yuan(r.SecondPrice), "¥")}
			if r.IsDefault {
				f.Default = rule
				continue
			}
			for _, a := range r.AddressInfos {
				rule.Provinces = append(rule.Provinces, shop.RegionValue(a))
			}
			f.Rules = append(f.Rules, rule)
		}
	}
	if t.AllConditionFreeDetail != nil {
		for _, r := range t.AllConditionFreeDetail.ConditionFreeDetailList {
			for _, a := range r.AddressInfos {
				f.FreeProvinces = append(f.FreeProvinces, shop.RegionValue(a))
			}
			if r.AmountFlag == 1 {
				f.FreeAmount = strings.TrimPrefix(money.Yuan(r.MinAmount), "¥")
			}
			if r.ValuationFlag == 1 {
				f.FreeCount = strconv.Itoa(r.MinPiece)
				if t.ValuationType == shop.FreightByWeight {
					f.FreeCount = strconv.Itoa(r.MinWeight)
				}
			}
		}
	}
	if t.NotSendArea != nil {
		for _, a := range t.NotSendArea.AddressInfos {
			f.NoSend = append(f.NoSend, shop.RegionValue(a))
		}
	}
	return f
}

func (a *App) showNewStoreFreight(c *gin.Context) {
	f := templates.StoreFreightForm{Valuation: shop.FreightByPiece, SendTime: shop.SendWithin48Hours, Shipping: shop.FreightNoFree,
		Default: templates.StoreFreightRule{First: "1", Second: "1"}, Errors: templates.FieldErrors{}}
	a.renderFreightForm(c, http.StatusOK, f)
}

func (a *App) renderFreightForm(c *gin.Context, status int, f templates.StoreFreightForm) {
	for len(f.Rules) < storeRegionBlankRules || len(f.Rules) > 0 && len(f.Rules[len(f.Rules)-1].Provinces) > 0 {
		f.Rules = append(f.Rules, templates.StoreFreightRule{})
	}
	chosen := [][]string{f.FreeProvinces, f.NoSend}
	for _, r := range f.Rules {
		chosen = append(chosen, r.Provinces)
	}
	v := templates.StoreFreightView{Form: f, CanWrite: true, Provinces: a.shop.Provinces(c.Request.Context()), Editing: true,
		Regions: a.regionGroups(c, chosen...)}
	a.render(c, status, templates.StoreFreightPage(a.page(c, "title.postage", "postage"), v))
}

// saveStoreFreight adds (POST /postage) or updates (POST /postage/:id) a template from the editor.
func (a *App) saveStoreFreight(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	if c.PostForm("edit") == "1" {
		t, ok := a.loadStoreFreight(c)
		if !ok {
			return
		}
		a.renderFreightForm(c, http.StatusOK, freightForm(t))
		return
	}
	f := templates.StoreFreightForm{ID: c.Param("id"), Name: strings.TrimSpace(c.PostForm("name")), Valuation: c.PostForm("valuation"),
		SendTime: c.PostForm("send_time"), FromProvince: c.PostForm("from_province"), FromCity: strings.TrimSpace(c.PostForm("from_city")),
		FromCounty: strings.TrimSpace(c.PostForm("from_county")), Shipping: c.PostForm("shipping"),
		FreeProvinces: c.PostFormArray("free_province"), FreeAmount: strings.TrimSpace(c.PostForm("free_amount")),
		FreeCount: strings.TrimSpace(c.PostForm("free_count")),
		NoSend:    c.PostFormArray("nosend"), Errors: templates.FieldErrors{}}
	provinces := a.shop.Provinces(ctx)
	chosen := [][]string{f.FreeProvinces, f.NoSend}
	for i := 0; ; i++ {
		if _, ok := c.GetPostForm(fmt.Sprintf("rule.%d.first", i)); !ok {
			break
		}
		chosen = append(chosen, c.PostFormArray(fmt.Sprintf("rule.%d.province", i)))
	}
	regions := a.shop.WithCounties(ctx, a.shop.RegionTree(ctx), chosen...)
	known := func(list []string) bool {
		return !slices.ContainsFunc(list, func(v string) bool { return !shop.KnownRegion(regions, v) })
	}
	addresses := func(list []string) []shop.FreightAddress {
		var out []shop.FreightAddress
		for _, v := range list {
			out = append(out, shop.RegionAddress(v))
		}
		return out
	}
	t := &shop.FreightTemplate{TemplateID: shop.StoreID(f.ID), Name: f.Name, ValuationType: f.Valuation, SendTime: f.SendTime,
		AddressInfo:  shop.FreightAddress{ProvinceName: f.FromProvince, CityName: f.FromCity, CountyName: f.FromCounty},
		DeliveryType: "EXPRESS", ShippingMethod: f.Shipping}
	if f.Name == "" {
		f.Errors["name"] = p.T("freight.err.name")
	}
	if f.Valuation != shop.FreightByPiece && f.Valuation != shop.FreightByWeight {
		f.Errors["valuation"] = p.T("freight.err.valuation")
	}
	if f.SendTime != shop.SendWithin24Hours && f.SendTime != shop.SendWithin48Hours {
		f.Errors["send_time"] = p.T("freight.err.sendtime")
	}
	if f.FromProvince == "" || !known([]string{f.FromProvince}) {
		f.Errors["from"] = p.T("freight.err.from")
	}
	readRule := func(prefix string) (templates.StoreFreightRule, shop.FreightCalcMethod, string) {
		r := templates.StoreFreightRule{First: strings.TrimSpace(c.PostForm(prefix + "first")), FirstPrice: strings.TrimSpace(c.PostForm(prefix + "first_price")),
			Second: strings.TrimSpace(c.PostForm(prefix + "second")), SecondPrice: strings.TrimSpace(c.PostForm(prefix + "second_price")),
			Provinces: c.PostFormArray(prefix + "province")}
		first, e1 := strconv.Atoi(r.First)
		second, e2 := strconv.Atoi(r.Second)
		fp, e3 := money.ParseYuan(r.FirstPrice)
		sp, e4 := money.ParseYuan(r.SecondPrice)
		if e1 != nil || e2 != nil || first < 1 || second < 0 || e3 != nil || e4 != nil {
			return r, shop.FreightCalcMethod{}, p.T("freight.err.rule")
		}
		m := shop.FreightCalcMethod{FirstValAmount: first, FirstPrice: fp, SecondValAmount: second, SecondPrice: sp}
		m.AddressInfos = addresses(r.Provinces)
		return r, m, ""
	}
	if f.Shipping == shop.FreightNoFree || f.Shipping == shop.FreightFreeOnCondition {
		rule, m, msg := readRule("default.")
		f.Default = rule
		if msg != "" {
			f.Errors["default"] = msg
		}
		m.IsDefault, m.AddressInfos = true, nil
		methods := []shop.FreightCalcMethod{m}
		for i := 0; ; i++ {
			prefix := fmt.Sprintf("rule.%d.", i)
			if _, ok := c.GetPostForm(prefix + "first"); !ok {
				break
			}
			rule, m, msg := readRule(prefix)
			if len(rule.Provinces) == 0 && rule.FirstPrice == "" && rule.SecondPrice == "" {
				continue
			}
			f.Rules = append(f.Rules, rule)
			switch {
			case len(rule.Provinces) == 0:
				f.Errors[prefix+"rule"] = p.T("freight.err.regions")
			case !known(rule.Provinces):
				f.Errors[prefix+"rule"] = shop.ExplainCode(p, shop.CodeFreightBadRegion, "")
			case msg != "":
				f.Errors[prefix+"rule"] = msg
			}
			methods = append(methods, m)
		}
		t.AllFreightCalcMethod = &shop.FreightCalcMethods{FreightCalcMethodList: methods}
	} else if f.Shipping != shop.FreightFree {
		f.Errors["shipping"] = p.T("freight.err.shipping")
	}
	if f.Shipping == shop.FreightFreeOnCondition {
		// Free from an amount, from a number of pieces (or kg, for a template by weight), or either.
		r := shop.FreightConditionFree{AddressInfos: addresses(f.FreeProvinces)}
		var bad bool
		if f.FreeAmount != "" {
			fen, err := money.ParseYuan(f.FreeAmount)
			bad = err != nil || fen <= 0
			r.MinAmount, r.AmountFlag = fen, 1
		}
		if f.FreeCount != "" {
			n, err := strconv.Atoi(f.FreeCount)
			bad = bad || err != nil || n <= 0
			r.ValuationFlag = 1
			if f.Valuation == shop.FreightByWeight {
				r.MinWeight = n
			} else {
				r.MinPiece = n
			}
		}
		if bad || r.AmountFlag == 0 && r.ValuationFlag == 0 || len(f.FreeProvinces) == 0 || !known(f.FreeProvinces) {
			f.Errors["free"] = p.T("freight.err.free")
		} else {
			t.AllConditionFreeDetail = &shop.FreightConditionFrees{ConditionFreeDetailList: []shop.FreightConditionFree{r}}
		}
	}
	if len(f.NoSend) > 0 {
		if !known(f.NoSend) {
			f.Errors["nosend"] = shop.ExplainCode(p, shop.CodeFreightBadRegion, "")
		} else if len(provinces) > 0 && len(f.NoSend) >= len(provinces) {
			f.Errors["nosend"] = shop.ExplainCode(p, shop.CodeFreightNoSendAll, "")
		}
		t.NotSendArea = &shop.FreightNotSendArea{AddressInfos: addresses(f.NoSend)}
	}
	if c.PostForm("action") == "counties" { // list the counties of the cities picked, and save nothing yet
		f.Errors = templates.FieldErrors{}
		a.renderFreightForm(c, http.StatusOK, f)
		return
	}
	if len(f.Errors) > 0 {
		a.renderFreightForm(c, http.StatusUnprocessableEntity, f)
		return
	}
	id, err := a.shop.SaveFreightTemplate(ctx, a.journalOf(c), t)
	if err != nil {
		f.Errors["form"] = wxMessage(p, err)
		a.renderFreightForm(c, http.StatusUnprocessableEntity, f)
		return
	}
	a.flash(c, "ok", p.T("common.saved"))
	a.redirect(c, "/postage/"+id)
}

// refuseStoreFreightDelete: WeChat has no call to delete a 微信小店's freight template.
func (a *App) refuseStoreFreightDelete(c *gin.Context) {
	a.flash(c, "error", a.printer(c).T("freight.nodelete"))
	a.redirect(c, "/postage/"+c.Param("id"))
}

func (a *App) syncStoreFreightNow(c *gin.Context) { a.redirect(c, "/postage") }
