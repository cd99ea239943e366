package app

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The V1.13 postage template editor: parse the form into a shop.PostageDraft, let the shop check and save it,
// render. Its own buttons (a region rule added or removed, a province's cities) re-render without saving.

func (a *App) showPostageTemplates(c *gin.Context) {
	p := a.printer(c)
	showMirrorList(a, c, postageList, a.store.PostageTemplates, func(row db.PostageTemplate) (templates.MirrorRow, error) {
		t, err := shop.StoredTemplate(row)
		assumer, couriers := shop.PostageSummary(p, t)
		return templates.MirrorRow{ID: t.ID, Name: t.Name, ShowID: true, Cells: []templates.MirrorCell{{Text: assumer}, {Text: couriers}}}, err
	})
}

func (a *App) syncPostageNow(c *gin.Context) {
	a.syncNow(c, shop.MirrorPostage, "/postage")
}

// parsePostageDraft reads the editor as typed.
func parsePostageDraft(c *gin.Context) shop.PostageDraft {
	d := shop.PostageDraft{Name: strings.TrimSpace(c.PostForm("name")), Assumer: c.PostForm("assumer")}
	for _, t := range shop.PostageCouriers {
		cd := shop.CourierDraft{Type: t, Enabled: c.PostForm(fmt.Sprintf("c%d.on", t)) == "1"}
		get := func(f string) string { return strings.TrimSpace(c.PostForm(fmt.Sprintf("c%d.%s", t, f))) }
		cd.Default = shop.FeeRuleDraft{Start: get("start"), StartFee: get("startfee"), Add: get("add"), AddFee: get("addfee")}
		list := func(f string) []string { return c.PostFormArray(fmt.Sprintf("r%d.%s", t, f)) }
		provinces, cities, starts, startFees, adds, addFees := list("province"), list("city"), list("start"), list("startfee"), list("add"), list("addfee")
		for i := range provinces {
			cd.Rules = append(cd.Rules, shop.RegionRuleDraft{Province: provinces[i], City: at(cities, i),
				FeeRuleDraft: shop.FeeRuleDraft{Start: at(starts, i), StartFee: at(startFees, i), Add: at(adds, i), AddFee: at(addFees, i)}})
		}
		d.Couriers = append(d.Couriers, cd)
	}
	return d
}

// at is the i-th of a form's repeated field, trimmed; "" past its end.
func at(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

func (a *App) renderPostageForm(c *gin.Context, status int, id int64, d shop.PostageDraft, errs shop.FieldErrors, problem string, calc *templates.CalcView) {
	provinces, cities, err := a.shop.RegionIndex(c.Request.Context())
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.PostageFormView{ID: id, Name: d.Name, Assumer: d.Assumer, Provinces: provinces,
		Errors: templates.FieldErrors(errs), Problem: problem, CanWrite: canWrite(Role(currentUser(c).Role)),
		Calc: templates.CalcView{TemplateID: id, Courier: strconv.Itoa(shop.DefaultPostageCourier), Pieces: "1"}}
	if v.Errors == nil {
		v.Errors = templates.FieldErrors{}
	}
	for _, cd := range d.Couriers {
		cf := templates.CourierField{Type: cd.Type, Enabled: cd.Enabled, Default: templates.FeeRuleField(cd.Default)}
		for _, r := range cd.Rules {
			cf.Rules = append(cf.Rules, templates.RegionRuleField{FeeRuleField: templates.FeeRuleField(r.FeeRuleDraft),
				Province: r.Province, City: r.City, Cities: cities[r.Province]})
		}
		v.Couriers = append(v.Couriers, cf)
	}
	if calc != nil {
		v.Calc = *calc
	}
	title := "postage.new"
	if id != 0 {
		title = "title.postage"
	}
	a.render(c, status, templates.PostageFormPage(a.page(c, title, "postage"), v))
}

func (a *App) showNewPostage(c *gin.Context) {
	a.renderPostageForm(c, http.StatusOK, 0, shop.NewPostageDraft(), nil, "", nil)
}

func (a *App) showPostage(c *gin.Context) {
	t, ok := loadByID(a, c, a.shop.PostageTemplate)
	if !ok {
		return
	}
	a.renderPostageForm(c, http.StatusOK, t.ID, shop.PostageDraftOf(t), nil, "", nil)
}

// savePostage answers every submit of the editor: adding or removing a region rule, listing a province's
// cities, or saving.
func (a *App) savePostage(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var id int64
	if c.Param("id") != "" {
		old, ok := loadByID(a, c, a.shop.PostageTemplate)
		if !ok {
			return
		}
		id = old.ID
	}
	d := parsePostageDraft(c)
	verb, arg, _ := strings.Cut(c.PostForm("action"), ".")
	switch verb {
	case "refresh":
		a.renderPostageForm(c, http.StatusOK, id, d, nil, "", nil)
		return
	case "add_rule", "del_rule":
		courier, n, _ := strings.Cut(arg, ".")
		t, _ := strconv.Atoi(courier)
		if verb == "add_rule" {
			d.AddRule(t)
		} else if i, err := strconv.Atoi(n); err == nil {
			d.DeleteRule(t, i)
		}
		a.renderPostageForm(c, http.StatusOK, id, d, nil, "", nil)
		return
	}
	t, errs, err := a.shop.CheckPostage(ctx, p, d)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if len(errs) > 0 {
		a.renderPostageForm(c, http.StatusUnprocessableEntity, id, d, errs, p.T("form.err.summary", len(errs)), nil)
		return
	}
	saved, err := a.shop.SavePostageTemplate(ctx, a.journalOf(c), id, t)
	if a.refused(c, err, func(msg string) {
		a.renderPostageForm(c, http.StatusUnprocessableEntity, id, d, nil, p.T("postage.err.wx", msg), nil)
	}) {
		return
	}
	a.flash(c, "ok", p.T("postage.saved", t.Name))
	a.redirect(c, "/postage/"+strconv.FormatInt(saved, 10))
}

func (a *App) deletePostage(c *gin.Context) {
	t, ok := loadByID(a, c, a.shop.PostageTemplate)
	if !ok {
		return
	}
	a.deleted(c, "postage", t.ID, t.Name, a.shop.DeletePostageTemplate(c.Request.Context(), a.journalOf(c), t))
}

// postageFee answers the calculator with the template exactly as saved.
func (a *App) postageFee(c *gin.Context) {
	t, ok := loadByID(a, c, a.shop.PostageTemplate)
	if !ok {
		return
	}
	_, cities, err := a.shop.RegionIndex(c.Request.Context())
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
	answer, ok := shop.PostageFee(a.printer(c), t, courier, calc.Pieces, calc.Province, calc.City)
	if ok {
		calc.Result = answer
	} else {
		calc.Error = answer
	}
	a.renderPostageForm(c, http.StatusOK, t.ID, shop.PostageDraftOf(t), nil, "", &calc)
}
