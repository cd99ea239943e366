package wx

import (
	"context"
	"fmt"
	"math"
)

// Who pays the postage: DeliveryTemplate.Assumer.
const (
	AssumerBuyer  = 0 // 买家承担运费
	AssumerSeller = 1 // 卖家承担运费
)

// What the postage is counted in: DeliveryTemplate.Valuation. The manual says WeChat only supports
// ValuationByPiece, and that it is the default.
const (
	ValuationByPiece  = 0 // 按件计费
	ValuationByWeight = 1 // 按重量计费
	ValuationByVolume = 2 // 按体积计费
)

// DeliveryTemplate is a postage template (邮费模板, manual section 3): the delivery_template of
// express/add and express/update, the template_info of express/getbyid and an item of express/getall.
// Its JSON keys are capitalised, as on the wire.
type DeliveryTemplate struct {
	// ID is set by WeChat and comes only in answers (as "Id"); it is never sent: express/update names
	// the template by its own template_id.
	ID        int64    `json:"Id,omitempty"`
	Name      string   `json:"Name"`
	Assumer   int      `json:"Assumer"`   // AssumerBuyer or AssumerSeller
	Valuation int      `json:"Valuation"` // ValuationByPiece, ...
	TopFee    []TopFee `json:"TopFee"`
}

// TopFee is the postage of one courier: a default rule and rules for particular destinations.
type TopFee struct {
	Type   int             `json:"Type"` // the courier: ExpressPingYou, ExpressKuaiDi or ExpressEMS
	Normal FeeRule         `json:"Normal"`
	Custom []CustomFeeRule `json:"Custom"`
}

// FeeRule is how postage grows with the count (Normal, and the arithmetic of Custom): StartFees for up
// to StartStandards pieces, then AddFees more for each started block of AddStandards pieces. Fees in fen.
type FeeRule struct {
	StartStandards int `json:"StartStandards"`
	StartFees      int `json:"StartFees"`
	AddStandards   int `json:"AddStandards"`
	AddFees        int `json:"AddFees"`
}

// CustomFeeRule is a FeeRule for one destination, named as in the manual's region list (中国, 广东省,
// 广州市). A rule with DestCity empty covers the whole province, one with DestProvince empty too the
// whole country.
type CustomFeeRule struct {
	FeeRule
	DestCountry  string `json:"DestCountry"`
	DestProvince string `json:"DestProvince"`
	DestCity     string `json:"DestCity"`
}

// CreateDeliveryTemplate adds t (its ID is not sent) and returns the new template's id, which products
// name in DeliveryInfo.TemplateID.
func (c *Client) CreateDeliveryTemplate(ctx context.Context, t *DeliveryTemplate) (int64, error) {
	const path = "/merchant/express/add"
	if t == nil {
		return 0, fmt.Errorf("wx: %s: no template", path)
	}
	req := struct {
		DeliveryTemplate *DeliveryTemplate `json:"delivery_template"`
	}{t.requestBody()}
	var ans struct {
		TemplateID int64 `json:"template_id"`
	}
	if err := c.PostWrite(ctx, path, req, &ans); err != nil {
		return 0, err
	}
	if ans.TemplateID == 0 {
		return 0, fmt.Errorf("wx: %s: answer has no template_id", path)
	}
	return ans.TemplateID, nil
}

// DeleteDeliveryTemplate deletes the template.
func (c *Client) DeleteDeliveryTemplate(ctx context.Context, templateID int64) error {
	const path = "/merchant/express/del"
	if templateID <= 0 {
		return errNoTemplateID(path, templateID)
	}
	return c.PostWrite(ctx, path, templateIDRequest{templateID}, nil)
}

// UpdateDeliveryTemplate replaces template templateID with t. t.ID may be 0 or templateID (a template
// fetched with GetDeliveryTemplate carries its id); any other id is refused as a mix-up.
func (c *Client) UpdateDeliveryTemplate(ctx context.Context, templateID int64, t *DeliveryTemplate) error {
	const path = "/merchant/express/update"
	if templateID <= 0 {
		return errNoTemplateID(path, templateID)
	}
	if t == nil {
		return fmt.Errorf("wx: %s: no template", path)
	}
	if t.ID != 0 && t.ID != templateID {
		return fmt.Errorf("wx: %s: template carries id %d but template_id is %d", path, t.ID, templateID)
	}
	req := struct {
		TemplateID       int64             `json:"template_id"`
		DeliveryTemplate *DeliveryTemplate `json:"delivery_template"`
	}{templateID, t.requestBody()}
	return c.PostWrite(ctx, path, req, nil)
}

// GetDeliveryTemplate returns one template, with its ID.
func (c *Client) GetDeliveryTemplate(ctx context.Context, templateID int64) (*DeliveryTemplate, error) {
	const path = "/merchant/express/getbyid"
	if templateID <= 0 {
		return nil, errNoTemplateID(path, templateID)
	}
	var ans struct {
		TemplateInfo *DeliveryTemplate `json:"template_info"`
	}
	if err := c.PostRead(ctx, path, templateIDRequest{templateID}, &ans); err != nil {
		return nil, err
	}
	if ans.TemplateInfo == nil {
		return nil, fmt.Errorf("wx: %s: answer has no template_info", path)
	}
	return ans.TemplateInfo, nil
}

// DeliveryTemplates returns every template of the shop, each with its ID. The manual documents this
// call as a GET without a body.
func (c *Client) DeliveryTemplates(ctx context.Context) ([]DeliveryTemplate, error) {
	var ans struct {
		TemplatesInfo []DeliveryTemplate `json:"templates_info"`
	}
	if err := c.GetRead(ctx, "/merchant/express/getall", nil, &ans); err != nil {
		return nil, err
	}
	return ans.TemplatesInfo, nil
}

type templateIDRequest struct {
	TemplateID int64 `json:"template_id"`
}

func errNoTemplateID(path string, id int64) error {
	return fmt.Errorf("wx: %s: template id %d is not a template id", path, id)
}

// requestBody is t as express/add and express/update take it: without the answer-only Id, and with empty
// lists rather than null, which the manual never shows. The caller's slices are copied, not changed.
func (t *DeliveryTemplate) requestBody() *DeliveryTemplate {
	b := *t
	b.ID = 0
	b.TopFee = make([]TopFee, len(t.TopFee))
	for i, f := range t.TopFee {
		f.Custom = orEmpty(f.Custom)
		b.TopFee[i] = f
	}
	return &b
}

// Fee is the postage, in fen, that the template charges for sending pieces pieces with courier
// (ExpressPingYou, ...) to country/province/city, named as in the manual's region list and compared
// exactly. The most specific matching Custom rule applies (city, then province, then country; the first
// of equals), else the courier's Normal rule. ok is false when the template has no TopFee for courier.
//
// pieces counts the template's Valuation unit. Zero or fewer pieces cost 0; negative numbers in a rule
// count as 0 (so AddStandards 0 means nothing beyond StartFees is charged), and the result stops at
// math.MaxInt rather than overflow. Fee does no I/O.
func (t DeliveryTemplate) Fee(courier int, pieces int, country, province, city string) (fen int, ok bool) {
	for _, tf := range t.TopFee {
		if tf.Type != courier {
			continue
		}
		rule, best := tf.Normal, 0
		for _, cr := range tf.Custom {
			if s := cr.specificity(country, province, city); s > best {
				rule, best = cr.FeeRule, s
			}
		}
		return rule.fee(pieces), true
	}
	return 0, false
}

// specificity is 3 for a matching city rule, 2 for a matching province rule, 1 for a matching country
// rule and 0 for a rule that does not match or names no destination at all. Every part the rule names
// must equal the destination's.
func (c CustomFeeRule) specificity(country, province, city string) int {
	if (c.DestCountry != "" && c.DestCountry != country) ||
		(c.DestProvince != "" && c.DestProvince != province) ||
		(c.DestCity != "" && c.DestCity != city) {
		return 0
	}
	switch {
	case c.DestCity != "":
		return 3
	case c.DestProvince != "":
		return 2
	case c.DestCountry != "":
		return 1
	}
	return 0
}

// fee applies the rule to pieces: StartFees for up to StartStandards pieces, AddFees for each started
// block of AddStandards pieces beyond them.
func (r FeeRule) fee(pieces int) int {
	if pieces <= 0 {
		return 0
	}
	startStd, startFee := max(r.StartStandards, 0), max(r.StartFees, 0)
	addStd, addFee := max(r.AddStandards, 0), max(r.AddFees, 0)
	if pieces <= startStd || addStd == 0 || addFee == 0 {
		return startFee
	}
	extra := pieces - startStd
	blocks := (extra-1)/addStd + 1 // ceil(extra/addStd) without overflowing
	if blocks > (math.MaxInt-startFee)/addFee {
		return math.MaxInt
	}
	return startFee + blocks*addFee
}
