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

// A 微信小店's freight templates at /postage: list, detail with the fee calculator on the saved rules, add and
// update. WeChat has no delete for them, and the page says so. The editor writes rules by the national region
// names of basics/addresscode/get (cached), one province a line in each rule.

// storeRegionBlankRules is how many empty region rules the editor offers beyond the template's own.
const storeRegionBlankRules = 2

// storeProvinces are the national province names, cached like the category tree.
func (a *App) storeProvinces(ctx context.Context) []string {
	var ans wx.RegionChildren
	err := a.cachedStore(ctx, "store:regions", db.CategorySub, &ans, func() (any, error) { return a.wx.Regions(ctx, 0) })
	if err != nil {
		a.log.Warn("could not read the national region names", "err", err)
		return nil
	}
	var out []string
	for _, r := range ans.NextLevelAddrs {
		out = append(out, r.Name)
	}
	return out
}

func (a *App) showStoreFreights(c *gin.Context) {
	ctx := c.Request.Context()
	v := templates.StoreFreightsView{CanWrite: canWrite(Role(currentUser(c).Role))}
	ids, err := a.wx.FreightTemplateIDs(ctx, 0, 100)
	if err != nil {
		v.Error = wxMessage(a.printer(c), err)
	}
	for _, id := range ids {
		t, err := a.wx.FreightTemplate(ctx, id)
		if err != nil {
			v.Error = wxMessage(a.printer(c), err)
			continue
		}
		v.Rows = append(v.Rows, templates.StoreFreightRow{ID: string(t.TemplateID), Name: t.Name, Valuation: t.ValuationType,
			Shipping: t.ShippingMethod, From: strings.TrimSpace(t.AddressInfo.ProvinceName + " " + t.AddressInfo.CityName)})
	}
	a.render(c, http.StatusOK, templates.StoreFreightsPage(a.page(c, "title.postage", "postage"), v))
}

func (a *App) loadStoreFreight(c *gin.Context) (*wx.FreightTemplate, bool) {
	t, err := a.wx.FreightTemplate(c.Request.Context(), wx.ID(c.Param("id")))
	if wx.IsCode(err, wx.CodeFreightNoTemplate) {
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
		Provinces: a.storeProvinces(c.Request.Context()), Rules: freightRuleLines(p, t)}
	a.render(c, http.StatusOK, templates.StoreFreightPage(a.page(c, "title.postage", "postage"), v))
}

// freightRuleLines describes the template's rules, one a line.
func freightRuleLines(p i18n.Printer, t *wx.FreightTemplate) []string {
	unit := p.T("freight.unit.piece")
	if t.ValuationType == wx.ValuationWeight {
		unit = p.T("freight.unit.kg")
	}
	var out []string
	if t.ShippingMethod == wx.ShippingFree {
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
			if r.ValuationFlag == 1 {
				out = append(out, p.T("freight.rule.freepiece", regionNames(r.AddressInfos), r.MinPiece))
			}
		}
	}
	if t.NotSendArea != nil && len(t.NotSendArea.AddressInfos) > 0 {
		out = append(out, p.T("freight.rule.nosend", regionNames(t.NotSendArea.AddressInfos)))
	}
	return out
}

func regionNames(list []wx.FreightAddress) string {
	var names []string
	for _, a := range list {
		names = append(names, strings.TrimSpace(a.ProvinceName+a.CityName+a.CountyName))
	}
	return strings.Join(names, "、")
}

// storeFreightFee is the calculator: /postage/:id/fee?province=&city=&qty=&amount= on the saved rules.
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
	case err != nil || qty < 1:
		msg = p.T("freight.fee.badqty")
	case aerr != nil:
		msg = p.T("freight.fee.badamount")
	default:
		fee, ok := t.FreightFee(qty, amount, c.Query("province"), c.Query("city"), "")
		if !ok {
			msg = p.T("freight.fee.nosend", c.Query("province"))
		} else {
			msg = p.T("freight.fee.result", c.Query("province"), qty, money.Yuan(fee))
		}
	}
	v := templates.StoreFreightView{Form: freightForm(t), CanWrite: canWrite(Role(currentUser(c).Role)),
		Provinces: a.storeProvinces(c.Request.Context()), Rules: freightRuleLines(p, t), Fee: msg,
		FeeProvince: c.Query("province"), FeeQty: c.Query("qty"), FeeAmount: c.Query("amount")}
	a.render(c, http.StatusOK, templates.StoreFreightPage(a.page(c, "title.postage", "postage"), v))
}

// freightForm is the template as the editor shows it.
func freightForm(t *wx.FreightTemplate) templates.StoreFreightForm {
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
				rule.Provinces = append(rule.Provinces, a.ProvinceName)
			}
			f.Rules = append(f.Rules, rule)
		}
	}
	if t.AllConditionFreeDetail != nil {
		for _, r := range t.AllConditionFreeDetail.ConditionFreeDetailList {
			for _, a := range r.AddressInfos {
				f.FreeProvinces = append(f.FreeProvinces, a.ProvinceName)
			}
			if r.AmountFlag == 1 {
				f.FreeAmount = strings.TrimPrefix(money.Yuan(r.MinAmount), "¥")
			}
		}
	}
	if t.NotSendArea != nil {
		for _, a := range t.NotSendArea.AddressInfos {
			f.NoSend = append(f.NoSend, a.ProvinceName)
		}
	}
	return f
}

func (a *App) showNewStoreFreight(c *gin.Context) {
	f := templates.StoreFreightForm{Valuation: wx.ValuationPiece, SendTime: wx.SendTime48Hours, Shipping: wx.ShippingNoFree,
		Default: templates.StoreFreightRule{First: "1", Second: "1"}, Errors: templates.FieldErrors{}}
	a.renderFreightForm(c, http.StatusOK, f)
}

func (a *App) renderFreightForm(c *gin.Context, status int, f templates.StoreFreightForm) {
	for len(f.Rules) < storeRegionBlankRules || len(f.Rules) > 0 && len(f.Rules[len(f.Rules)-1].Provinces) > 0 {
		f.Rules = append(f.Rules, templates.StoreFreightRule{})
	}
	v := templates.StoreFreightView{Form: f, CanWrite: true, Provinces: a.storeProvinces(c.Request.Context()), Editing: true}
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
		NoSend: c.PostFormArray("nosend"), Errors: templates.FieldErrors{}}
	provinces := a.storeProvinces(ctx)
	known := func(list []string) bool {
		return len(provinces) == 0 || !slices.ContainsFunc(list, func(n string) bool { return !slices.Contains(provinces, n) })
	}
	t := &wx.FreightTemplate{TemplateID: wx.ID(f.ID), Name: f.Name, ValuationType: f.Valuation, SendTime: f.SendTime,
		AddressInfo:  wx.FreightAddress{ProvinceName: f.FromProvince, CityName: f.FromCity, CountyName: f.FromCounty},
		DeliveryType: "EXPRESS", ShippingMethod: f.Shipping}
	if f.Name == "" {
		f.Errors["name"] = p.T("freight.err.name")
	}
	if f.Valuation != wx.ValuationPiece && f.Valuation != wx.ValuationWeight {
		f.Errors["valuation"] = p.T("freight.err.valuation")
	}
	if f.SendTime != wx.SendTime24Hours && f.SendTime != wx.SendTime48Hours {
		f.Errors["send_time"] = p.T("freight.err.sendtime")
	}
	if f.FromProvince == "" || !known([]string{f.FromProvince}) {
		f.Errors["from"] = p.T("freight.err.from")
	}
	readRule := func(prefix string) (templates.StoreFreightRule, wx.FreightCalcMethod, string) {
		r := templates.StoreFreightRule{First: strings.TrimSpace(c.PostForm(prefix + "first")), FirstPrice: strings.TrimSpace(c.PostForm(prefix + "first_price")),
			Second: strings.TrimSpace(c.PostForm(prefix + "second")), SecondPrice: strings.TrimSpace(c.PostForm(prefix + "second_price")),
			Provinces: c.PostFormArray(prefix + "province")}
		first, e1 := strconv.Atoi(r.First)
		second, e2 := strconv.Atoi(r.Second)
		fp, e3 := money.ParseYuan(r.FirstPrice)
		sp, e4 := money.ParseYuan(r.SecondPrice)
		if e1 != nil || e2 != nil || first < 1 || second < 0 || e3 != nil || e4 != nil {
			return r, wx.FreightCalcMethod{}, p.T("freight.err.rule")
		}
		m := wx.FreightCalcMethod{FirstValAmount: first, FirstPrice: fp, SecondValAmount: second, SecondPrice: sp}
		for _, name := range r.Provinces {
			m.AddressInfos = append(m.AddressInfos, wx.FreightAddress{ProvinceName: name})
		}
		return r, m, ""
	}
	if f.Shipping == wx.ShippingNoFree || f.Shipping == wx.ShippingConditionFree {
		rule, m, msg := readRule("default.")
		f.Default = rule
		if msg != "" {
			f.Errors["default"] = msg
		}
		m.IsDefault, m.AddressInfos = true, nil
		methods := []wx.FreightCalcMethod{m}
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
				f.Errors[prefix+"rule"] = wxMessage(p, &wx.Error{Code: 10021054})
			case msg != "":
				f.Errors[prefix+"rule"] = msg
			}
			methods = append(methods, m)
		}
		t.AllFreightCalcMethod = &wx.FreightCalcMethods{FreightCalcMethodList: methods}
	} else if f.Shipping != wx.ShippingFree {
		f.Errors["shipping"] = p.T("freight.err.shipping")
	}
	if f.Shipping == wx.ShippingConditionFree {
		fen, err := money.ParseYuan(f.FreeAmount)
		if err != nil || fen <= 0 || len(f.FreeProvinces) == 0 || !known(f.FreeProvinces) {
			f.Errors["free"] = p.T("freight.err.free")
		} else {
			r := wx.FreightConditionFree{MinAmount: fen, AmountFlag: 1}
			for _, name := range f.FreeProvinces {
				r.AddressInfos = append(r.AddressInfos, wx.FreightAddress{ProvinceName: name})
			}
			t.AllConditionFreeDetail = &wx.FreightConditionFrees{ConditionFreeDetailList: []wx.FreightConditionFree{r}}
		}
	}
	if len(f.NoSend) > 0 {
		if !known(f.NoSend) {
			f.Errors["nosend"] = wxMessage(p, &wx.Error{Code: 10021054})
		} else if len(provinces) > 0 && len(f.NoSend) >= len(provinces) {
			f.Errors["nosend"] = wxMessage(p, &wx.Error{Code: 10025501})
		}
		t.NotSendArea = &wx.FreightNotSendArea{}
		for _, name := range f.NoSend {
			t.NotSendArea.AddressInfos = append(t.NotSendArea.AddressInfos, wx.FreightAddress{ProvinceName: name})
		}
	}
	if len(f.Errors) > 0 {
		a.renderFreightForm(c, http.StatusUnprocessableEntity, f)
		return
	}
	var err error
	action := "postage.create"
	if f.ID == "" {
		var id wx.ID
		id, err = a.wx.AddFreightTemplate(ctx, t)
		if err != nil && wx.Temporary(err) {
			id, err = a.findLostFreight(ctx, f.Name, err)
		}
		f.ID = string(id)
	} else {
		action = "postage.update"
		err = a.wx.UpdateFreightTemplate(ctx, t)
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: action, ObjectType: "postage", ObjectID: f.ID, Detail: f.Name, Outcome: wxOutcome(err)})
	if err != nil {
		f.Errors["form"] = wxMessage(p, err)
		a.renderFreightForm(c, http.StatusUnprocessableEntity, f)
		return
	}
	a.flash(c, "ok", p.T("common.saved"))
	a.redirect(c, "/postage/"+f.ID)
}

// findLostFreight finds the template an add whose answer was lost made: names are unique in a shop.
func (a *App) findLostFreight(ctx context.Context, name string, lost error) (wx.ID, error) {
	for _, t := range a.freightTemplates(ctx) {
		if t.Name == name {
			return t.TemplateID, nil
		}
	}
	return "", lost
}

// refuseStoreFreightDelete: WeChat has no call to delete a 微信小店's freight template.
func (a *App) refuseStoreFreightDelete(c *gin.Context) {
	a.flash(c, "error", a.printer(c).T("freight.nodelete"))
	a.redirect(c, "/postage/"+c.Param("id"))
}

func (a *App) syncStoreFreightNow(c *gin.Context) { a.redirect(c, "/postage") }
