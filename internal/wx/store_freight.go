package wx

import (
	"context"
	"encoding/json"
	"fmt"
)

// The 微信小店's freight templates (shared/api/store/freight.md): PIECE or WEIGHT, a default rule and rules per
// region (by national region name), conditional free shipping, areas not delivered to. There is no delete.

// Valuation types, shipping methods and send times of a freight template.
const (
	ValuationPiece  = "PIECE"
	ValuationWeight = "WEIGHT"

	ShippingFree          = "FREE"
	ShippingConditionFree = "CONDITION_FREE"
	ShippingNoFree        = "NO_FREE"

	SendTime24Hours = "SendTime_TWENTYFOUR_HOUR"
	SendTime48Hours = "SendTime_FOUTYEIGHT_HOUR" // sic: the real value
)

// FreightTemplate is one template, as add and update send it and detail answers it.
type FreightTemplate struct {
	TemplateID             ID                     `json:"template_id,omitempty"`
	Name                   string                 `json:"name"`
	ValuationType          string                 `json:"valuation_type"`
	SendTime               string                 `json:"send_time"`
	AddressInfo            FreightAddress         `json:"address_info"`
	DeliveryType           string                 `json:"delivery_type"` // EXPRESS
	DeliveryID             []string               `json:"delivery_id,omitempty"`
	ShippingMethod         string                 `json:"shipping_method"`
	AllConditionFreeDetail *FreightConditionFrees `json:"all_condition_free_detail,omitempty"`
	AllFreightCalcMethod   *FreightCalcMethods    `json:"all_freight_calc_method,omitempty"`
	NotSendArea            *FreightNotSendArea    `json:"not_send_area,omitempty"`
	IsDefault              FlexBool               `json:"is_default"`
	CreateTime             Timestamp              `json:"create_time,omitempty"`
	UpdateTime             Timestamp              `json:"update_time,omitempty"`
}

// FreightAddress is a region or an address by national standard names; a province alone covers it all.
type FreightAddress struct {
	UserName     string `json:"user_name,omitempty"`
	PostalCode   string `json:"postal_code,omitempty"`
	ProvinceName string `json:"province_name"`
	CityName     string `json:"city_name,omitempty"`
	CountyName   string `json:"county_name,omitempty"`
	DetailInfo   string `json:"detail_info,omitempty"`
	NationalCode string `json:"national_code,omitempty"`
	TelNumber    string `json:"tel_number,omitempty"`
	HouseNumber  string `json:"house_number,omitempty"`
}

// FreightConditionFrees wraps the condition-free rules.
type FreightConditionFrees struct {
	ConditionFreeDetailList []FreightConditionFree `json:"condition_free_detail_list"`
}

// FreightConditionFree makes shipping free to its regions from a number of pieces, a weight (kg) or an
// amount (fen); the flags say which thresholds are set.
type FreightConditionFree struct {
	AddressInfos  []FreightAddress `json:"address_infos"`
	MinPiece      int              `json:"min_piece"`
	MinWeight     int              `json:"min_weight"`
	MinAmount     int64            `json:"min_amount"`
	ValuationFlag int              `json:"valuation_flag"`
	AmountFlag    int              `json:"amount_flag"`
}

// FreightCalcMethods wraps the fee rules.
type FreightCalcMethods struct {
	FreightCalcMethodList []FreightCalcMethod `json:"freight_calc_method_list"`
}

// FreightCalcMethod is one fee rule: the default (no regions) or one for its regions. Amounts are pieces
// or kg as the template values; prices are fen.
type FreightCalcMethod struct {
	IsDefault       bool             `json:"is_default"`
	AddressInfos    []FreightAddress `json:"address_infos,omitempty"`
	DeliveryID      string           `json:"delivery_id,omitempty"`
	FirstValAmount  int              `json:"first_val_amount"`
	FirstPrice      int64            `json:"first_price"`
	SecondValAmount int              `json:"second_val_amount"`
	SecondPrice     int64            `json:"second_price"`
}

// FreightNotSendArea lists the regions the template does not deliver to. The table names the list
// address_infos, the detail example address_info: both are read, the table's name is written.
type FreightNotSendArea struct {
	AddressInfos []FreightAddress `json:"address_infos"`
}

// UnmarshalJSON reads address_infos or address_info.
func (a *FreightNotSendArea) UnmarshalJSON(data []byte) error {
	var both struct {
		AddressInfos []FreightAddress `json:"address_infos"`
		AddressInfo  []FreightAddress `json:"address_info"`
	}
	if err := json.Unmarshal(data, &both); err != nil {
		return err
	}
	a.AddressInfos = append(both.AddressInfos, both.AddressInfo...)
	return nil
}

// FreightTemplateIDs lists template ids, limit at a time from offset.
func (c *Client) FreightTemplateIDs(ctx context.Context, offset, limit int) ([]ID, error) {
	const path = "/channels/ec/merchant/getfreighttemplatelist"
	if offset < 0 || limit <= 0 {
		return nil, fmt.Errorf("wx: %s: offset %d, limit %d", path, offset, limit)
	}
	req := struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}{offset, limit}
	var ans struct {
		TemplateIDList []ID `json:"template_id_list"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return ans.TemplateIDList, nil
}

// FreightTemplate reads one template; 10020005 when it does not exist.
func (c *Client) FreightTemplate(ctx context.Context, templateID ID) (*FreightTemplate, error) {
	const path = "/channels/ec/merchant/getfreighttemplatedetail"
	if templateID == "" {
		return nil, fmt.Errorf("wx: %s: no template_id", path)
	}
	var ans struct {
		FreightTemplate *FreightTemplate `json:"freight_template"`
	}
	if err := c.PostRead(ctx, path, struct {
		TemplateID ID `json:"template_id"`
	}{templateID}, &ans); err != nil {
		return nil, err
	}
	if ans.FreightTemplate == nil {
		return nil, fmt.Errorf("wx: %s: answer has no freight_template", path)
	}
	return ans.FreightTemplate, nil
}

// AddFreightTemplate creates a template and returns its id.
func (c *Client) AddFreightTemplate(ctx context.Context, t *FreightTemplate) (ID, error) {
	const path = "/channels/ec/merchant/addfreighttemplate"
	if t == nil {
		return "", fmt.Errorf("wx: %s: no template", path)
	}
	body := t.requestBody()
	body.TemplateID = ""
	var ans struct {
		TemplateID ID `json:"template_id"`
	}
	if err := c.PostWrite(ctx, path, struct {
		FreightTemplate *FreightTemplate `json:"freight_template"`
	}{body}, &ans); err != nil {
		return "", err
	}
	if ans.TemplateID == "" {
		return "", fmt.Errorf("wx: %s: answer has no template_id", path)
	}
	return ans.TemplateID, nil
}

// UpdateFreightTemplate replaces the template t.TemplateID with t.
func (c *Client) UpdateFreightTemplate(ctx context.Context, t *FreightTemplate) error {
	const path = "/channels/ec/merchant/updatefreighttemplate"
	if t == nil || t.TemplateID == "" {
		return fmt.Errorf("wx: %s: no template_id", path)
	}
	return c.PostWrite(ctx, path, struct {
		FreightTemplate *FreightTemplate `json:"freight_template"`
	}{t.requestBody()}, nil)
}

// requestBody leaves out what only answers carry.
func (t *FreightTemplate) requestBody() *FreightTemplate {
	q := *t
	q.CreateTime, q.UpdateTime = 0, 0
	return &q
}

// FreightFee is what the template charges for sending quantity (pieces, or kg for WEIGHT: rounded up to at
// least 1) worth amount fen to a region. ok is false when the template does not deliver there. The docs give
// no formula; this is the model of the V1.13 templates: the most specific region rule, else the default one,
// charges first_price for the first block and second_price per further block begun; a met condition-free
// rule for the region makes it free.
func (t FreightTemplate) FreightFee(quantity int, amount int64, province, city, county string) (fen int64, ok bool) {
	if t.NotSendArea != nil && matchRegion(t.NotSendArea.AddressInfos, province, city, county) > 0 {
		return 0, false
	}
	if quantity < 1 {
		quantity = 1
	}
	switch t.ShippingMethod {
	case ShippingFree:
		return 0, true
	case ShippingConditionFree:
		if t.AllConditionFreeDetail != nil {
			for _, r := range t.AllConditionFreeDetail.ConditionFreeDetailList {
				if matchRegion(r.AddressInfos, province, city, county) == 0 {
					continue
				}
				if r.ValuationFlag == 1 && (t.ValuationType == ValuationWeight && quantity >= r.MinWeight ||
					t.ValuationType != ValuationWeight && quantity >= r.MinPiece) {
					return 0, true
				}
				if r.AmountFlag == 1 && amount >= r.MinAmount {
					return 0, true
				}
			}
		}
	}
	if t.AllFreightCalcMethod == nil {
		return 0, true
	}
	var rule, fallback *FreightCalcMethod
	best := 0
	for i := range t.AllFreightCalcMethod.FreightCalcMethodList {
		r := &t.AllFreightCalcMethod.FreightCalcMethodList[i]
		if r.IsDefault {
			if fallback == nil {
				fallback = r
			}
		} else if s := matchRegion(r.AddressInfos, province, city, county); s > best {
			best, rule = s, r
		}
	}
	if rule == nil {
		rule = fallback
	}
	if rule == nil {
		return 0, true
	}
	fen = rule.FirstPrice
	if extra := quantity - rule.FirstValAmount; extra > 0 && rule.SecondValAmount > 0 {
		blocks := (extra + rule.SecondValAmount - 1) / rule.SecondValAmount
		fen += int64(blocks) * rule.SecondPrice
	}
	return fen, true
}

// matchRegion says how specifically one of the regions covers the destination: 0 not at all, 1 by its
// province, 2 by its city, 3 by its county.
func matchRegion(regions []FreightAddress, province, city, county string) int {
	best := 0
	for _, r := range regions {
		if r.ProvinceName != province {
			continue
		}
		s := 0
		switch {
		case r.CityName == "":
			s = 1
		case r.CityName != city:
			continue
		case r.CountyName == "":
			s = 2
		case r.CountyName == county:
			s = 3
		}
		best = max(best, s)
	}
	return best
}

// Region is one national region from basics/addresscode/get; level 1 province, 2 city, 3 county.
type Region struct {
	Name  string  `json:"name"`
	Code  FlexInt `json:"code"`
	Level int     `json:"level"`
}

// RegionChildren is a region and the regions one level down.
type RegionChildren struct {
	AddrsMsg       Region   `json:"addrs_msg"`
	NextLevelAddrs []Region `json:"next_level_addrs"`
}

// Regions reads a region's children by code; 0 gives the provinces.
func (c *Client) Regions(ctx context.Context, code int64) (*RegionChildren, error) {
	var ans RegionChildren
	if err := c.PostRead(ctx, "/channels/ec/basics/addresscode/get", struct {
		AddrCode int64 `json:"addr_code"`
	}{code}, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}
