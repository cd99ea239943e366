package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// couriers are the three ways WeChat can ship, in the order the editor shows them.
var couriers = []int{wx.ExpressPingYou, wx.ExpressKuaiDi, wx.ExpressEMS}

func (a *App) showPostageTemplates(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	rows, err := a.store.PostageTemplates(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.PostageListView{CanWrite: canWrite(Role(currentUser(c).Role))}
	if t := a.shop.SyncedAt(ctx, shop.SettingTemplatesSyncedAt); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, row := range rows {
		t, err := shop.StoredTemplate(row)
		if err != nil {
			a.serverError(c, err)
			return
		}
		var parts []string
		for _, tf := range t.TopFee {
			parts = append(parts, shop.CourierName(p, tf.Type)+" "+describeRule(p, tf.Normal))
		}
		v.Rows = append(v.Rows, templates.PostageRow{ID: t.ID, Name: t.Name, Assumer: assumerName(p, t.Assumer), Couriers: strings.Join(parts, "；")})
	}
	a.render(c, http.StatusOK, templates.PostageListPage(a.page(c, "title.postage", "postage"), v))
}

func assumerName(p i18n.Printer, assumer int) string {
	if assumer == wx.AssumerSeller {
		return p.T("postage.assumer.seller")
	}
	return p.T("postage.assumer.buyer")
}

func describeRule(p i18n.Printer, r wx.FeeRule) string {
	return p.T("postage.rule.text", r.StartStandards, money.Yuan(int64(r.StartFees)), r.AddStandards, money.Yuan(int64(r.AddFees)))
}

func (a *App) syncPostageNow(c *gin.Context) {
	a.syncNow(c, shop.MirrorPostage, "/postage")
}

// postageInput is the editor as typed.
type postageInput struct {
	name     string
	assumer  string
	couriers []templates.CourierField
}

func parsePostageInput(c *gin.Context) postageInput {
	in := postageInput{name: strings.TrimSpace(c.PostForm("name")), assumer: c.PostForm("assumer")}
	for _, t := range couriers {
		cf := templates.CourierField{Type: t, Enabled: c.PostForm(fmt.Sprintf("c%d.on", t)) == "1"}
		get := func(prefix, f string) string {
			return strings.TrimSpace(c.PostForm(fmt.Sprintf("%s%d.%s", prefix, t, f)))
		}
		cf.Default = templates.FeeRuleField{Start: get("c", "start"), StartFee: get("c", "startfee"), Add: get("c", "add"), AddFee: get("c", "addfee")}
		list := func(f string) []string { return c.PostFormArray(fmt.Sprintf("r%d.%s", t, f)) }
		provinces, cities, starts, startFees, adds, addFees := list("province"), list("city"), list("start"), list("startfee"), list("add"), list("addfee")
		at := func(l []string, i int) string {
			if i < len(l) {
				return strings.TrimSpace(l[i])
			}
			return ""
		}
		for i := range provinces {
			cf.Rules = append(cf.Rules, templates.RegionRuleField{Province: provinces[i], City: at(cities, i),
				FeeRuleField: templates.FeeRuleField{Start: at(starts, i), StartFee: at(startFees, i), Add: at(adds, i), AddFee: at(addFees, i)}})
		}
		in.couriers = append(in.couriers, cf)
	}
	return in
}

// inputFromTemplate fills the editor from a saved template.
func inputFromTemplate(t wx.DeliveryTemplate) postageInput {
	in := postageInput{name: t.Name, assumer: strconv.Itoa(t.Assumer)}
	field := func(r wx.FeeRule) templates.FeeRuleField {
		return templates.FeeRuleField{Start: strconv.Itoa(r.StartStandards), StartFee: money.Plain(int64(r.StartFees), false),
			Add: strconv.Itoa(r.AddStandards), AddFee: money.Plain(int64(r.AddFees), false)}
	}
	for _, typ := range couriers {
		cf := templates.CourierField{Type: typ}
		for _, tf := range t.TopFee {
			if tf.Type != typ {
				continue
			}
			cf.Enabled, cf.Default = true, field(tf.Normal)
			for _, r := range tf.Custom {
				cf.Rules = append(cf.Rules, templates.RegionRuleField{FeeRuleField: field(r.FeeRule), Province: r.DestProvince, City: r.DestCity})
			}
		}
		in.couriers = append(in.couriers, cf)
	}
	return in
}

func newPostageInput() postageInput {
	in := postageInput{assumer: "0"}
	for _, t := range couriers {
		in.couriers = append(in.couriers, templates.CourierField{Type: t, Enabled: t == wx.ExpressKuaiDi,
			Default: templates.FeeRuleField{Start: "1", StartFee: "", Add: "1", AddFee: ""}})
	}
	return in
}

// regionIndex is the region list by province.
func (a *App) regionIndex(ctx context.Context) ([]string, map[string][]string, error) {
	regions, err := a.store.Regions(ctx)
	if err != nil {
		return nil, nil, err
	}
	var provinces []string
	cities := map[string][]string{}
	for _, r := range regions {
		if _, ok := cities[r.Province]; !ok {
			provinces = append(provinces, r.Province)
		}
		cities[r.Province] = append(cities[r.Province], r.City)
	}
	return provinces, cities, nil
}

func (a *App) postageView(c *gin.Context, id int64, in postageInput) (templates.PostageFormView, error) {
	provinces, cities, err := a.regionIndex(c.Request.Context())
	if err != nil {
		return templates.PostageFormView{}, err
	}
	v := templates.PostageFormView{ID: id, Name: in.name, Assumer: in.assumer, Couriers: in.couriers, Provinces: provinces,
		Errors: templates.FieldErrors{}, CanWrite: canWrite(Role(currentUser(c).Role)),
		Calc: templates.CalcView{TemplateID: id, Courier: strconv.Itoa(wx.ExpressKuaiDi), Pieces: "1"}}
	for i := range v.Couriers {
		for j := range v.Couriers[i].Rules {
			v.Couriers[i].Rules[j].Cities = cities[v.Couriers[i].Rules[j].Province]
		}
	}
	return v, nil
}

func (a *App) renderPostageForm(c *gin.Context, status int, id int64, in postageInput, errs templates.FieldErrors, problem string, calc *templates.CalcView) {
	v, err := a.postageView(c, id, in)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if errs != nil {
		v.Errors = errs
	}
	v.Problem = problem
	if calc != nil {
		v.Calc = *calc
	}
	title := "postage.new"
	if id != 0 {
		title = "title.postage"
	}
	a.render(c, status, templates.PostageFormPage(a.page(c, title, "postage"), v))
}

// validate checks the editor and builds the template to send.
func (in postageInput) validate(p i18n.Printer, cities map[string][]string) (*wx.DeliveryTemplate, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	t := &wx.DeliveryTemplate{Name: in.name, Valuation: wx.ValuationByPiece}
	switch n := utf8.RuneCountInString(in.name); {
	case n == 0:
		errs["name"] = p.T("postage.err.name")
	case n > 30:
		errs["name"] = p.T("postage.err.name.long", 30)
	}
	if in.assumer == "1" {
		t.Assumer = wx.AssumerSeller
	}
	parseRule := func(f templates.FeeRuleField) (wx.FeeRule, bool) {
		start, err1 := strconv.Atoi(f.Start)
		add, err2 := strconv.Atoi(f.Add)
		startFee, err3 := money.ParseYuan(f.StartFee)
		addFee, err4 := money.ParseYuan(f.AddFee)
		if f.AddFee == "" && add == 0 {
			addFee, err4 = 0, nil
		}
		ok := err1 == nil && err2 == nil && err3 == nil && err4 == nil && start >= 1 && start <= 10000 && add >= 0 && add <= 10000
		return wx.FeeRule{StartStandards: start, StartFees: int(startFee), AddStandards: add, AddFees: int(addFee)}, ok
	}
	for _, cf := range in.couriers {
		if !cf.Enabled {
			continue
		}
		tf := wx.TopFee{Type: cf.Type, Custom: []wx.CustomFeeRule{}}
		var ok bool
		if tf.Normal, ok = parseRule(cf.Default); !ok {
			errs[fmt.Sprintf("c%d.default", cf.Type)] = p.T("postage.err.rule")
		}
		seen := map[string]bool{}
		for i, r := range cf.Rules {
			key := fmt.Sprintf("r%d.%d", cf.Type, i)
			rule, ok := parseRule(r.FeeRuleField)
			switch {
			case r.Province == "" || cities[r.Province] == nil:
				errs[key] = p.T("postage.err.region")
			case r.City != "" && !slices.Contains(cities[r.Province], r.City):
				errs[key] = p.T("postage.err.region")
			case seen[r.Province+"/"+r.City]:
				errs[key] = p.T("postage.err.duplicate")
			case !ok:
				errs[key] = p.T("postage.err.rule")
			}
			seen[r.Province+"/"+r.City] = true
			tf.Custom = append(tf.Custom, wx.CustomFeeRule{FeeRule: rule, DestCountry: "中国", DestProvince: r.Province, DestCity: r.City})
		}
		t.TopFee = append(t.TopFee, tf)
	}
	if len(t.TopFee) == 0 {
		errs["couriers"] = p.T("postage.err.couriers")
	}
	return t, errs
}

func (a *App) showNewPostage(c *gin.Context) {
	a.renderPostageForm(c, http.StatusOK, 0, newPostageInput(), nil, "", nil)
}

func (a *App) loadTemplate(c *gin.Context) (wx.DeliveryTemplate, bool) {
	return loadByID(a, c, a.shop.PostageTemplate)
}

func (a *App) showPostage(c *gin.Context) {
	t, ok := a.loadTemplate(c)
	if !ok {
		return
	}
	a.renderPostageForm(c, http.StatusOK, t.ID, inputFromTemplate(t), nil, "", nil)
}

// savePostage answers every submit of the editor: adding or removing a region rule, listing a province's
// cities, or saving.
func (a *App) savePostage(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var id int64
	var old wx.DeliveryTemplate
	if c.Param("id") != "" {
		var ok bool
		if old, ok = a.loadTemplate(c); !ok {
			return
		}
		id = old.ID
	}
	in := parsePostageInput(c)
	action := c.PostForm("action")
	switch {
	case action == "refresh":
		a.renderPostageForm(c, http.StatusOK, id, in, nil, "", nil)
		return
	case strings.HasPrefix(action, "add_rule."):
		for i := range in.couriers {
			if action == fmt.Sprintf("add_rule.%d", in.couriers[i].Type) {
				in.couriers[i].Enabled = true
				in.couriers[i].Rules = append(in.couriers[i].Rules, templates.RegionRuleField{FeeRuleField: in.couriers[i].Default})
			}
		}
		a.renderPostageForm(c, http.StatusOK, id, in, nil, "", nil)
		return
	case strings.HasPrefix(action, "del_rule."):
		for i := range in.couriers {
			prefix := fmt.Sprintf("del_rule.%d.", in.couriers[i].Type)
			if n, err := strconv.Atoi(strings.TrimPrefix(action, prefix)); strings.HasPrefix(action, prefix) && err == nil && n >= 0 && n < len(in.couriers[i].Rules) {
				in.couriers[i].Rules = slices.Delete(in.couriers[i].Rules, n, n+1)
			}
		}
		a.renderPostageForm(c, http.StatusOK, id, in, nil, "", nil)
		return
	}

	_, cities, err := a.regionIndex(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	t, errs := in.validate(p, cities)
	if len(errs) > 0 {
		a.renderPostageForm(c, http.StatusUnprocessableEntity, id, in, errs, p.T("form.err.summary", len(errs)), nil)
		return
	}
	id, err = a.shop.SavePostageTemplate(ctx, a.journalOf(c), id, t)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		a.renderPostageForm(c, http.StatusUnprocessableEntity, old.ID, in, nil, p.T("postage.err.wx", wxMessage(p, err)), nil)
		return
	}
	a.flash(c, "ok", p.T("postage.saved", t.Name))
	a.redirect(c, "/postage/"+strconv.FormatInt(id, 10))
}

func (a *App) deletePostage(c *gin.Context) {
	t, ok := a.loadTemplate(c)
	if !ok {
		return
	}
	a.deleted(c, "postage", t.ID, t.Name, a.shop.DeletePostageTemplate(c.Request.Context(), a.journalOf(c), t))
}

// postageFee answers the calculator with the template exactly as saved.
func (a *App) postageFee(c *gin.Context) {
	p := a.printer(c)
	t, ok := a.loadTemplate(c)
	if !ok {
		return
	}
	_, cities, err := a.regionIndex(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	calc := templates.CalcView{TemplateID: t.ID, Courier: c.Query("courier"), Pieces: strings.TrimSpace(c.Query("pieces")),
		Province: c.Query("province"), City: c.Query("city")}
	calc.Cities = cities[calc.Province]
	if !slices.Contains(calc.Cities, calc.City) {
		calc.City = ""
	}
	courier, _ := strconv.Atoi(calc.Courier)
	pieces, perr := strconv.Atoi(calc.Pieces)
	switch {
	case perr != nil || pieces < 1 || pieces > 100000:
		calc.Error = p.T("postage.calc.err.pieces")
	case calc.Province == "":
		calc.Error = p.T("postage.calc.err.region")
	default:
		fee, ok := t.Fee(courier, pieces, "中国", calc.Province, calc.City)
		place := calc.Province + calc.City
		if calc.City == calc.Province {
			place = calc.City
		}
		if !ok {
			calc.Error = p.T("postage.calc.err.courier", shop.CourierName(p, courier))
		} else {
			calc.Result = p.T("postage.calc.result", pieces, place, shop.CourierName(p, courier), money.Yuan(int64(fee)))
		}
	}
	a.renderPostageForm(c, http.StatusOK, t.ID, inputFromTemplate(t), nil, "", &calc)
}
