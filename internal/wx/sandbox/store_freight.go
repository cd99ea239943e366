package sandbox

import (
	"encoding/json"
	"slices"
	"strings"

	"wxshop/internal/wx"
)

// 微信小店 freight templates (shared/api/store/freight.md) and the national region codes. There is no delete.
// Codes: 10021200 a name another template has, 10021055 no default rule (for NO_FREE and CONDITION_FREE),
// 10021053 a default rule with regions, 10021054 a region not in the national list, 10021081 no ship-from
// province, 10021082 a send_time that is not a known value, 10025501 every province not delivered to,
// 10020005 an unknown template_id, 10020051 anything else (valuation, shipping method, amounts).

var storeSendTimes = []string{wx.SendTime24Hours, wx.SendTime48Hours, "SendTime_SHIP_TODAY", "SendTime_THREE_DAY",
	"SendTime_FIVE_DAY", "SendTime_SEVEN_DAY", "SendTime_FOUR_HOUR"}

func checkRegion(a wx.FreightAddress) error {
	cities, found := regions()[a.ProvinceName]
	if !found || a.CityName != "" && !cities[a.CityName] || a.CountyName != "" && (a.CityName == "" || !slices.Contains(counties(a.CityName), a.CountyName)) {
		return &apiError{10021054, "invalid province/city/county: " + strings.TrimSpace(a.ProvinceName+" "+a.CityName+" "+a.CountyName)}
	}
	return nil
}

// counties are a city's 区县 as the sandbox knows them: the districts of the big cities its buyers live in,
// else the generic ones its buyers' addresses use.
func counties(city string) []string {
	if ds, found := districts[city]; found {
		return ds
	}
	return genericDistricts
}

func (s *Server) checkFreightTemplate(t *wx.FreightTemplate, self string) error {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return errStoreBadParam.with("name missing")
	case t.ValuationType != wx.ValuationPiece && t.ValuationType != wx.ValuationWeight:
		return errStoreBadParam.with("valuation_type %q", t.ValuationType)
	case !slices.Contains(storeSendTimes, t.SendTime):
		return &apiError{10021082, "invalid send_time " + t.SendTime}
	case t.AddressInfo.ProvinceName == "":
		return &apiError{10021081, "address_info.province_name missing"}
	case t.DeliveryType != "EXPRESS":
		return errStoreBadParam.with("delivery_type %q, want EXPRESS", t.DeliveryType)
	}
	if err := checkRegion(t.AddressInfo); err != nil {
		return err
	}
	for id, other := range s.store.templates {
		if id != self && other.Name == t.Name {
			return &apiError{10021200, "freight template name already exists"}
		}
	}
	switch t.ShippingMethod {
	case wx.ShippingFree:
	case wx.ShippingNoFree, wx.ShippingConditionFree:
		defaults := 0
		if t.AllFreightCalcMethod != nil {
			for _, r := range t.AllFreightCalcMethod.FreightCalcMethodList {
				if r.IsDefault {
					defaults++
					if len(r.AddressInfos) > 0 {
						return &apiError{10021053, "default rule must not have address_infos"}
					}
				} else if len(r.AddressInfos) == 0 {
					return errStoreBadParam.with("a rule that is not the default needs address_infos")
				}
				if r.FirstValAmount < 1 || r.SecondValAmount < 0 || r.FirstPrice < 0 || r.SecondPrice < 0 {
					return errStoreBadParam.with("a rule's amounts and prices must be positive")
				}
				for _, a := range r.AddressInfos {
					if err := checkRegion(a); err != nil {
						return err
					}
				}
			}
		}
		if defaults != 1 {
			return &apiError{10021055, "freight template needs exactly one default rule"}
		}
		if t.ShippingMethod == wx.ShippingConditionFree {
			if t.AllConditionFreeDetail == nil || len(t.AllConditionFreeDetail.ConditionFreeDetailList) == 0 {
				return errStoreBadParam.with("CONDITION_FREE needs condition_free_detail_list")
			}
			for _, r := range t.AllConditionFreeDetail.ConditionFreeDetailList {
				if r.ValuationFlag != 1 && r.AmountFlag != 1 || len(r.AddressInfos) == 0 {
					return errStoreBadParam.with("a condition-free rule needs regions and a threshold")
				}
				for _, a := range r.AddressInfos {
					if err := checkRegion(a); err != nil {
						return err
					}
				}
			}
		}
	default:
		return errStoreBadParam.with("shipping_method %q", t.ShippingMethod)
	}
	if t.NotSendArea != nil {
		provinces := map[string]bool{}
		for _, a := range t.NotSendArea.AddressInfos {
			if err := checkRegion(a); err != nil {
				return err
			}
			if a.CityName == "" {
				provinces[a.ProvinceName] = true
			}
		}
		if len(provinces) == len(regions()) {
			return &apiError{10025501, "cannot set the whole country as not delivered to"}
		}
	}
	return nil
}

func cloneFreight(t *wx.FreightTemplate) *wx.FreightTemplate {
	var out wx.FreightTemplate
	b, _ := json.Marshal(t)
	_ = json.Unmarshal(b, &out)
	return &out
}

func (s *Server) listFreightTemplates(c *call) (any, error) {
	var req struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.Offset < 0 || req.Limit <= 0 {
		return nil, errStoreBadParam.with("offset %d, limit %d", req.Offset, req.Limit)
	}
	start := min(req.Offset, len(s.store.tplOrder))
	end := min(start+req.Limit, len(s.store.tplOrder))
	ids := make([]wx.ID, 0, end-start)
	for _, id := range s.store.tplOrder[start:end] {
		ids = append(ids, wx.ID(id))
	}
	return struct {
		status
		TemplateIDList []wx.ID `json:"template_id_list"`
	}{statusOK, ids}, nil
}

func (s *Server) getFreightTemplate(c *call) (any, error) {
	var req struct {
		TemplateID wx.ID `json:"template_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	t, found := s.store.templates[string(req.TemplateID)]
	if !found {
		return nil, &apiError{10020005, "freight template not exist"}
	}
	return struct {
		status
		FreightTemplate *wx.FreightTemplate `json:"freight_template"`
	}{statusOK, cloneFreight(t)}, nil
}

type freightRequest struct {
	FreightTemplate *wx.FreightTemplate `json:"freight_template"`
}

func (s *Server) addFreightTemplate(c *call) (any, error) {
	var req freightRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.FreightTemplate == nil {
		return nil, errStoreBadParam.with("freight_template missing")
	}
	if err := s.checkFreightTemplate(req.FreightTemplate, ""); err != nil {
		return nil, err
	}
	t := cloneFreight(req.FreightTemplate)
	t.TemplateID = wx.ID(s.store.newID())
	t.CreateTime = wx.Timestamp(s.now().Unix())
	t.UpdateTime = t.CreateTime
	s.store.templates[string(t.TemplateID)] = t
	s.store.tplOrder = append(s.store.tplOrder, string(t.TemplateID))
	return struct {
		status
		TemplateID wx.ID `json:"template_id"`
	}{statusOK, t.TemplateID}, nil
}

func (s *Server) updateFreightTemplate(c *call) (any, error) {
	var req freightRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.FreightTemplate == nil {
		return nil, errStoreBadParam.with("freight_template missing")
	}
	id := string(req.FreightTemplate.TemplateID)
	old, found := s.store.templates[id]
	if !found {
		return nil, &apiError{10020005, "freight template not exist"}
	}
	if err := s.checkFreightTemplate(req.FreightTemplate, id); err != nil {
		return nil, err
	}
	t := cloneFreight(req.FreightTemplate)
	t.CreateTime, t.UpdateTime = old.CreateTime, wx.Timestamp(s.now().Unix())
	s.store.templates[id] = t
	return statusOK, nil
}

// getAddressCodes is basics/addresscode/get over the sandbox's region list (provinces and cities, the names of
// the national standard, and each city's counties); codes are made up in its order: province n is n×10000,
// its city m n×10000+m×100, that city's county k n×10000+m×100+k. An unknown code is refused (10020051).
func (s *Server) getAddressCodes(c *call) (any, error) {
	var req struct {
		AddrCode int64 `json:"addr_code"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	type region struct {
		Name  string `json:"name"`
		Code  int64  `json:"code"`
		Level int    `json:"level"`
	}
	var ans struct {
		status
		AddrsMsg       region   `json:"addrs_msg"`
		NextLevelAddrs []region `json:"next_level_addrs"`
	}
	ans.status, ans.NextLevelAddrs = statusOK, []region{}
	for i, p := range regionList().list {
		pcode := int64(i+1) * 10000
		if req.AddrCode == 0 {
			ans.NextLevelAddrs = append(ans.NextLevelAddrs, region{p.name, pcode, 1})
			continue
		}
		if req.AddrCode == pcode {
			ans.AddrsMsg = region{p.name, pcode, 1}
			for j, city := range p.cities {
				ans.NextLevelAddrs = append(ans.NextLevelAddrs, region{city, pcode + int64(j+1)*100, 2})
			}
			return ans, nil
		}
		for j, city := range p.cities {
			ccode := pcode + int64(j+1)*100
			if req.AddrCode == ccode {
				ans.AddrsMsg = region{city, ccode, 2}
				for k, county := range counties(city) {
					ans.NextLevelAddrs = append(ans.NextLevelAddrs, region{county, ccode + int64(k+1), 3})
				}
				return ans, nil
			}
			for k, county := range counties(city) {
				if req.AddrCode == ccode+int64(k+1) {
					ans.AddrsMsg = region{county, req.AddrCode, 3}
					return ans, nil
				}
			}
		}
	}
	if req.AddrCode != 0 {
		return nil, errStoreBadParam.with("addr_code %d", req.AddrCode)
	}
	return ans, nil
}
