package shop

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/wx"
)

// FieldErrors are the problems of a draft, by field, in the operator's language.
type FieldErrors map[string]string

// PostageCouriers are the three ways a V1.13 postage template can ship, in the order the editor shows them.
var PostageCouriers = []int{wx.ExpressPingYou, wx.ExpressKuaiDi, wx.ExpressEMS}

// DefaultPostageCourier is the courier a new template ships with and the calculator starts on (快递).
const DefaultPostageCourier = wx.ExpressKuaiDi

// FeeRuleDraft is one fee rule as typed: the first Start pieces cost StartFee yuan, each further Add pieces
// AddFee yuan more.
type FeeRuleDraft struct {
	Start, StartFee, Add, AddFee string
}

// RegionRuleDraft is a rule for a province, or one of its cities, as typed.
type RegionRuleDraft struct {
	FeeRuleDraft
	Province, City string
}

// CourierDraft is the part of a template for one courier.
type CourierDraft struct {
	Type    int
	Enabled bool
	Default FeeRuleDraft
	Rules   []RegionRuleDraft
}

// PostageDraft is a V1.13 postage template as the operator typed it.
type PostageDraft struct {
	Name     string
	Assumer  string // "0" the buyer pays, "1" the seller
	Couriers []CourierDraft
}

// NewPostageDraft is the editor of a new template: the buyer pays, 快递 by the piece.
func NewPostageDraft() PostageDraft {
	d := PostageDraft{Assumer: "0"}
	for _, t := range PostageCouriers {
		d.Couriers = append(d.Couriers, CourierDraft{Type: t, Enabled: t == DefaultPostageCourier,
			Default: FeeRuleDraft{Start: "1", Add: "1"}})
	}
	return d
}

// PostageDraftOf fills the editor from a saved template.
func PostageDraftOf(t wx.DeliveryTemplate) PostageDraft {
	d := PostageDraft{Name: t.Name, Assumer: strconv.Itoa(t.Assumer)}
	field := func(r wx.FeeRule) FeeRuleDraft {
		return FeeRuleDraft{Start: strconv.Itoa(r.StartStandards), StartFee: money.Plain(int64(r.StartFees), false),
			Add: strconv.Itoa(r.AddStandards), AddFee: money.Plain(int64(r.AddFees), false)}
	}
	for _, typ := range PostageCouriers {
		cd := CourierDraft{Type: typ}
		for _, tf := range t.TopFee {
			if tf.Type != typ {
				continue
			}
			cd.Enabled, cd.Default = true, field(tf.Normal)
			for _, r := range tf.Custom {
				cd.Rules = append(cd.Rules, RegionRuleDraft{FeeRuleDraft: field(r.FeeRule), Province: r.DestProvince, City: r.DestCity})
			}
		}
		d.Couriers = append(d.Couriers, cd)
	}
	return d
}

// AddRule adds a region rule to the courier, starting from its default rule, and enables the courier.
func (d *PostageDraft) AddRule(courier int) {
	for i := range d.Couriers {
		if d.Couriers[i].Type == courier {
			d.Couriers[i].Enabled = true
			d.Couriers[i].Rules = append(d.Couriers[i].Rules, RegionRuleDraft{FeeRuleDraft: d.Couriers[i].Default})
		}
	}
}

// DeleteRule takes the courier's n-th region rule away; a rule it does not have changes nothing.
func (d *PostageDraft) DeleteRule(courier, n int) {
	for i := range d.Couriers {
		if d.Couriers[i].Type == courier && n >= 0 && n < len(d.Couriers[i].Rules) {
			d.Couriers[i].Rules = slices.Delete(d.Couriers[i].Rules, n, n+1)
		}
	}
}

// Check checks the draft as WeChat would and builds the template to send. cities is the region list by
// province (RegionIndex); a rule names a province of it, or one of its cities.
func (d PostageDraft) Check(p i18n.Printer, cities map[string][]string) (*wx.DeliveryTemplate, FieldErrors) {
	errs := FieldErrors{}
	t := &wx.DeliveryTemplate{Name: d.Name, Valuation: wx.ValuationByPiece}
	checkName(p, errs, d.Name, "postage.err.name", "postage.err.name.long")
	if d.Assumer == "1" {
		t.Assumer = wx.AssumerSeller
	}
	parseRule := func(f FeeRuleDraft) (wx.FeeRule, bool) {
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
	for _, cd := range d.Couriers {
		if !cd.Enabled {
			continue
		}
		tf := wx.TopFee{Type: cd.Type, Custom: []wx.CustomFeeRule{}}
		var ok bool
		if tf.Normal, ok = parseRule(cd.Default); !ok {
			errs[fmt.Sprintf("c%d.default", cd.Type)] = p.T("postage.err.rule")
		}
		seen := map[string]bool{}
		for i, r := range cd.Rules {
			key := fmt.Sprintf("r%d.%d", cd.Type, i)
			rule, ok := parseRule(r.FeeRuleDraft)
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

// maxMirrorName is the longest name WeChat takes for a postage template, a shelf or a group.
const maxMirrorName = 30

// checkName checks a template's, shelf's or group's name: given (else the message missing), and at most 30
// characters (else tooLong).
func checkName(p i18n.Printer, errs FieldErrors, name, missing, tooLong string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		errs["name"] = p.T(missing)
	case n > maxMirrorName:
		errs["name"] = p.T(tooLong, maxMirrorName)
	}
}

// PostageSummary is how the list shows a template: who pays, and each courier with its default rule.
func PostageSummary(p i18n.Printer, t wx.DeliveryTemplate) (assumer, couriers string) {
	assumer = p.T("postage.assumer.buyer")
	if t.Assumer == wx.AssumerSeller {
		assumer = p.T("postage.assumer.seller")
	}
	var parts []string
	for _, tf := range t.TopFee {
		r := tf.Normal
		parts = append(parts, CourierName(p, tf.Type)+" "+
			p.T("postage.rule.text", r.StartStandards, money.Yuan(int64(r.StartFees)), r.AddStandards, money.Yuan(int64(r.AddFees))))
	}
	return assumer, strings.Join(parts, "；")
}

// PostageFee is what the calculator answers for the saved template: pieces sent by courier to a province (and
// city, "" for the whole province), in the operator's language; ok is false with the reason when it cannot.
func PostageFee(p i18n.Printer, t wx.DeliveryTemplate, courier int, pieces, province, city string) (answer string, ok bool) {
	n, err := strconv.Atoi(pieces)
	switch {
	case err != nil || n < 1 || n > 100000:
		return p.T("postage.calc.err.pieces"), false
	case province == "":
		return p.T("postage.calc.err.region"), false
	}
	fee, found := t.Fee(courier, n, "中国", province, city)
	if !found {
		return p.T("postage.calc.err.courier", CourierName(p, courier)), false
	}
	place := province + city
	if city == province {
		place = city
	}
	return p.T("postage.calc.result", n, place, CourierName(p, courier), money.Yuan(int64(fee))), true
}

// RegionIndex is the national region list by province, in the list's order.
func (s *Shop) RegionIndex(ctx context.Context) (provinces []string, cities map[string][]string, err error) {
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, nil, err
	}
	cities = map[string][]string{}
	for _, r := range regions {
		if _, ok := cities[r.Province]; !ok {
			provinces = append(provinces, r.Province)
		}
		cities[r.Province] = append(cities[r.Province], r.City)
	}
	return provinces, cities, nil
}
