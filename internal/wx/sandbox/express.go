package sandbox

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"wxshop/internal/wx"
)

// Postage templates (manual section 3): express/add, del, update, getbyid, getall. A template is checked by
// checkTemplate on add and update. Products name a template in delivery_info.template_id, which must exist
// (checkProduct), and a template that a product names cannot be deleted, as WeChat refuses that too.
//
// Template ids come from a counter, never reused, starting at the id of the manual's getbyid example.

// firstTemplateID is the id of the shop's first template.
const firstTemplateID = 103312916

// templateStore holds the shop's postage templates by id, in the order they were added.
type templateStore struct {
	byID  map[int64]*wx.DeliveryTemplate // as checkTemplate returned them, with ID
	order []int64
	last  int64 // the latest id handed out
}

func (ts *templateStore) add(t *wx.DeliveryTemplate) int64 {
	if ts.byID == nil {
		ts.byID = map[int64]*wx.DeliveryTemplate{}
		ts.last = firstTemplateID - 1
	}
	ts.last++
	t.ID = ts.last
	ts.byID[t.ID] = t
	ts.order = append(ts.order, t.ID)
	return t.ID
}

func (ts *templateStore) remove(id int64) {
	delete(ts.byID, id)
	ts.order = slices.DeleteFunc(ts.order, func(o int64) bool { return o == id })
}

// lookup finds a template by the id a request gave.
func (ts *templateStore) lookup(id int64) (*wx.DeliveryTemplate, error) {
	if id <= 0 {
		return nil, errInvalidArgs.with("template_id missing")
	}
	t, found := ts.byID[id]
	if !found {
		return nil, errTemplateNotFound.with("template_id %d", id)
	}
	return t, nil
}

// The region list of the manual (3.1.5), one row per city: country, province, city, under a header line.
//
//go:embed regions.tsv
var regionsTSV string

// regionCountry is the only country of the region list.
const regionCountry = "中国"

// regions maps each province of the list to the set of its cities.
var regions = sync.OnceValue(func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	lines := strings.Split(strings.TrimSpace(regionsTSV), "\n")
	for i, line := range lines[1:] {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != 3 || f[0] != regionCountry || f[1] == "" || f[2] == "" {
			panic(fmt.Sprintf("sandbox: regions.tsv line %d: %q", i+2, line))
		}
		if m[f[1]] == nil {
			m[f[1]] = map[string]bool{}
		}
		m[f[1]][f[2]] = true
	}
	return m
})

// checkTemplate checks t as express/add or express/update received it and returns it as the sandbox stores
// it: a copy without Id, whose Custom lists are never null. It returns the first rule t breaks.
func checkTemplate(t *wx.DeliveryTemplate) (*wx.DeliveryTemplate, error) {
	if t == nil {
		return nil, errInvalidArgs.with("delivery_template missing")
	}
	out := cloneTemplate(t)
	out.ID = 0
	switch {
	case strings.TrimSpace(out.Name) == "":
		return nil, errInvalidArgs.with("Name missing")
	case out.Assumer != wx.AssumerBuyer && out.Assumer != wx.AssumerSeller:
		return nil, errInvalidArgs.with("Assumer %d is not 0 (buyer) or 1 (seller)", out.Assumer)
	case out.Valuation == wx.ValuationByWeight || out.Valuation == wx.ValuationByVolume:
		return nil, errValuation.with("Valuation %d; only 0 (by piece) is supported", out.Valuation)
	case out.Valuation != wx.ValuationByPiece:
		return nil, errInvalidArgs.with("Valuation %d is not 0 (by piece)", out.Valuation)
	case len(out.TopFee) == 0:
		return nil, errInvalidArgs.with("TopFee is empty")
	}
	couriers := map[int]bool{}
	for i := range out.TopFee {
		tf := &out.TopFee[i]
		switch {
		case !slices.Contains(knownExpress, tf.Type):
			return nil, errInvalidArgs.with("TopFee Type %d is not a known courier", tf.Type)
		case couriers[tf.Type]:
			return nil, errInvalidArgs.with("TopFee Type %d given twice", tf.Type)
		}
		couriers[tf.Type] = true
		if err := checkFeeRule(fmt.Sprintf("TopFee %d Normal", tf.Type), tf.Normal); err != nil {
			return nil, err
		}
		dests := map[[2]string]bool{}
		for _, cr := range tf.Custom {
			where := fmt.Sprintf("TopFee %d Custom %s/%s/%s", tf.Type, cr.DestCountry, cr.DestProvince, cr.DestCity)
			if err := checkDestination(cr); err != nil {
				return nil, err
			}
			dest := [2]string{cr.DestProvince, cr.DestCity}
			if dests[dest] {
				return nil, errInvalidArgs.with("%s: destination given twice", where)
			}
			dests[dest] = true
			if err := checkFeeRule(where, cr.FeeRule); err != nil {
				return nil, err
			}
		}
		if tf.Custom == nil {
			tf.Custom = []wx.CustomFeeRule{}
		}
	}
	return out, nil
}

// checkFeeRule wants every number non-negative and within 32 bits, and StartStandards at least 1.
func checkFeeRule(where string, r wx.FeeRule) error {
	for _, f := range []struct {
		name  string
		value int
	}{
		{"StartStandards", r.StartStandards}, {"StartFees", r.StartFees},
		{"AddStandards", r.AddStandards}, {"AddFees", r.AddFees},
	} {
		if f.value < 0 || f.value > maxQuantity {
			return errInvalidArgs.with("%s: %s %d is out of range", where, f.name, f.value)
		}
	}
	if r.StartStandards < 1 {
		return errInvalidArgs.with("%s: StartStandards %d must be at least 1", where, r.StartStandards)
	}
	return nil
}

// checkDestination wants a Custom rule to name 中国, a province of the region list and, if any, a city of
// that province.
func checkDestination(cr wx.CustomFeeRule) error {
	if cr.DestCountry != regionCountry {
		return errRegionNotFound.with("DestCountry %q is not %s", cr.DestCountry, regionCountry)
	}
	cities, found := regions()[cr.DestProvince]
	if !found {
		return errRegionNotFound.with("DestProvince %q is not a province", cr.DestProvince)
	}
	if cr.DestCity != "" && !cities[cr.DestCity] {
		return errRegionNotFound.with("DestCity %q is not a city of %s", cr.DestCity, cr.DestProvince)
	}
	return nil
}

// cloneTemplate copies t deeply.
func cloneTemplate(t *wx.DeliveryTemplate) *wx.DeliveryTemplate {
	out := *t
	out.TopFee = slices.Clone(t.TopFee)
	for i := range out.TopFee {
		out.TopFee[i].Custom = slices.Clone(out.TopFee[i].Custom)
	}
	return &out
}

// templateUsers lists the products whose delivery_info names template id, in the order they were created.
// The caller holds s.mu.
func (s *Server) templateUsers(id int64) []string {
	var users []string
	for _, pid := range s.products.order {
		d := s.products.byID[pid].p.DeliveryInfo
		if d != nil && d.DeliveryType == wx.DeliveryByTemplate && d.TemplateID == id {
			users = append(users, pid)
		}
	}
	return users
}

type deliveryTemplateRequest struct {
	TemplateID       int64                `json:"template_id"`
	DeliveryTemplate *wx.DeliveryTemplate `json:"delivery_template"`
}

type addTemplateAnswer struct {
	status
	TemplateID int64 `json:"template_id"`
}

// addTemplate is POST /merchant/express/add.
func (s *Server) addTemplate(c *call) (any, error) {
	var req deliveryTemplateRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	t, err := checkTemplate(req.DeliveryTemplate)
	if err != nil {
		return nil, err
	}
	return addTemplateAnswer{status: statusSuccess, TemplateID: s.templates.add(t)}, nil
}

type templateIDRequest struct {
	TemplateID int64 `json:"template_id"`
}

// deleteTemplate is POST /merchant/express/del. A template that a product's delivery_info names stays.
func (s *Server) deleteTemplate(c *call) (any, error) {
	var req templateIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.templates.lookup(req.TemplateID); err != nil {
		return nil, err
	}
	if users := s.templateUsers(req.TemplateID); len(users) > 0 {
		return nil, errTemplateInUse.with("template_id %d is the postage of %d products, such as %s", req.TemplateID, len(users), users[0])
	}
	s.templates.remove(req.TemplateID)
	return statusSuccess, nil
}

// updateTemplate is POST /merchant/express/update: delivery_template replaces the template, which keeps its
// id. Products that name it charge by the new rules.
func (s *Server) updateTemplate(c *call) (any, error) {
	var req deliveryTemplateRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if _, err := s.templates.lookup(req.TemplateID); err != nil {
		return nil, err
	}
	t, err := checkTemplate(req.DeliveryTemplate)
	if err != nil {
		return nil, err
	}
	t.ID = req.TemplateID
	s.templates.byID[t.ID] = t
	return statusSuccess, nil
}

type getTemplateAnswer struct {
	status
	TemplateInfo *wx.DeliveryTemplate `json:"template_info"`
}

// getTemplate is POST /merchant/express/getbyid.
func (s *Server) getTemplate(c *call) (any, error) {
	var req templateIDRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	t, err := s.templates.lookup(req.TemplateID)
	if err != nil {
		return nil, err
	}
	return getTemplateAnswer{status: statusSuccess, TemplateInfo: cloneTemplate(t)}, nil
}

type allTemplatesAnswer struct {
	status
	TemplatesInfo []wx.DeliveryTemplate `json:"templates_info"`
}

// getAllTemplates is GET /merchant/express/getall, without a body: every template with its Id, in the
// order they were added.
func (s *Server) getAllTemplates(*call) (any, error) {
	return allTemplatesAnswer{status: statusSuccess, TemplatesInfo: s.templateList()}, nil
}

// templateList copies every template, in the order they were added. The caller holds s.mu.
func (s *Server) templateList() []wx.DeliveryTemplate {
	list := make([]wx.DeliveryTemplate, 0, len(s.templates.order))
	for _, id := range s.templates.order {
		list = append(list, *cloneTemplate(s.templates.byID[id]))
	}
	return list
}

// DeliveryTemplates returns a copy of every postage template the sandbox holds, each with its ID, in the
// order they were added, for tests that check what WeChat was told.
func (s *Server) DeliveryTemplates() []wx.DeliveryTemplate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.templateList()
}

// moreChannelsCouriers are couriers the Channels store's list has beyond those the demo ships with, so that
// the list the app caches is more than its built-in one.
var moreChannelsCouriers = []wx.Courier{{ID: "ZJS", Name: "宅急送"}, {ID: "KYSY", Name: "跨越速运"}, {ID: "FWX", Name: "丰网速运"}}

// channelsCourierListName is the name of courier id in the Channels store's whole list (deliverycompanylist),
// "" when the list has no such courier.
func channelsCourierListName(id string) string {
	if name := courierName(srcChannels, id); name != "" {
		return name
	}
	for _, c := range moreChannelsCouriers {
		if c.ID == id {
			return c.Name
		}
	}
	return ""
}

// channelsCourierList is POST /channels/ec/order/deliverycompanylist/get {}: company_list[] {delivery_id,
// delivery_name} (store/delivery.md).
func (s *Server) channelsCourierList(*call) (any, error) {
	if err := s.orders.available(srcChannels); err != nil {
		return nil, err
	}
	type company struct {
		DeliveryID   string `json:"delivery_id"`
		DeliveryName string `json:"delivery_name"`
	}
	var list []company
	for _, c := range channelsCouriers {
		list = append(list, company{c.id, c.name})
	}
	for _, c := range moreChannelsCouriers {
		list = append(list, company{c.ID, c.Name})
	}
	return struct {
		status
		CompanyList []company `json:"company_list"`
	}{statusOK, list}, nil
}
