package wx

// The testdata/merchant_express_*.json files are the JSON examples of the manual's section 3 (邮费模板),
// copied verbatim (see products_test.go) except for two that were not valid JSON:
//   - merchant_express_update_request.json: delivery_template was elided as "..." with a pointer to
//     增加邮费模板; the delivery_template of the express/add example (3.1.3) is copied in its place, as
//     TestExpressUpdateExampleIsTheAddExample checks.
//   - merchant_express_getall_answer.json: each "TopFee": [...], (an elision followed by a trailing comma)
//     is written "TopFee": [].
//
// The manual disagrees with itself about the example template, and the tests follow the express/add JSON:
//   - the prose under 3.1.3 says 平邮 costs 3 fen more per 3 further pieces; the JSON says AddFees 1;
//   - the prose says 1 yuan (100 fen) for the first piece to 广州市, as the add JSON does, but the
//     express/getbyid answer, otherwise the same template, has StartFees 1000 there.

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"math/big"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// getExampleClient is exampleClient for the calls the manual documents as GET without a body
// (express/getall, group/getall, shelf/getall): it checks the method, path, access token and the empty
// body, and answers with testdata/answer.json. It fails the test unless exactly one request arrives.
func getExampleClient(t *testing.T, path, answer string) *Client {
	t.Helper()
	ans := example(t, answer)
	var calls atomic.Int32
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != path {
			t.Errorf("got %s %s, want GET %s", r.Method, r.URL.Path, path)
		}
		if q := r.URL.Query(); q.Get("access_token") != "TOK" || len(q) != 1 {
			t.Errorf("query = %v, want only access_token=TOK", q)
		}
		if body, _ := io.ReadAll(r.Body); len(body) != 0 {
			t.Errorf("GET %s has a body: %q", path, body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ans)
	})
	t.Cleanup(func() {
		if n := calls.Load(); n != 1 {
			t.Errorf("%s was called %d times, want once", path, n)
		}
	})
	return c
}

// guangzhou is the destination of the manual's Custom rules.
func guangzhou(r FeeRule) []CustomFeeRule {
	return []CustomFeeRule{{FeeRule: r, DestCountry: "中国", DestProvince: "广东省", DestCity: "广州市"}}
}

// expressExample is the template of the manual's express/add example, written as the app would build it.
// FeeRule values are StartStandards, StartFees, AddStandards, AddFees.
func expressExample() *DeliveryTemplate {
	return &DeliveryTemplate{
		Name:      "testexpress",
		Assumer:   AssumerBuyer,
		Valuation: ValuationByPiece,
		TopFee: []TopFee{
			{Type: ExpressPingYou, Normal: FeeRule{1, 2, 3, 1}, Custom: guangzhou(FeeRule{1, 100, 1, 3})},
			{Type: ExpressKuaiDi, Normal: FeeRule{1, 3, 3, 2}, Custom: guangzhou(FeeRule{1, 10, 1, 30})},
			{Type: ExpressEMS, Normal: FeeRule{1, 4, 3, 3}, Custom: guangzhou(FeeRule{1, 8, 2, 11})},
		},
	}
}

func TestCreateDeliveryTemplate(t *testing.T) {
	c := exampleClient(t, "/merchant/express/add", "merchant_express_add_request", "merchant_express_add_answer")
	id, err := c.CreateDeliveryTemplate(context.Background(), expressExample())
	if err != nil {
		t.Fatal(err)
	}
	if id != 123456 {
		t.Errorf("template id = %d", id)
	}
}

func TestCreateDeliveryTemplateAnswerWithoutID(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if id, err := c.CreateDeliveryTemplate(context.Background(), expressExample()); err == nil || id != 0 {
		t.Errorf("CreateDeliveryTemplate = %d, %v; want an error", id, err)
	}
}

// A template copied from a fetched one carries its Id, which add must not send; Custom rules the
// operator left out go as [], not null; and the caller's template is left as it was.
func TestCreateDeliveryTemplateSendsOnlyRequestFields(t *testing.T) {
	tpl := &DeliveryTemplate{ID: 103312916, Name: "包邮", Assumer: AssumerSeller, TopFee: []TopFee{{Type: ExpressKuaiDi}}}
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		want := `{"delivery_template":{"Name":"包邮","Assumer":1,"Valuation":0,"TopFee":[{"Type":10000028,
			"Normal":{"StartStandards":0,"StartFees":0,"AddStandards":0,"AddFees":0},"Custom":[]}]}}`
		assertSameJSON(t, "body", body, []byte(want))
		io.WriteString(w, `{"errcode":0,"errmsg":"success","template_id":7}`)
	})
	if _, err := c.CreateDeliveryTemplate(context.Background(), tpl); err != nil {
		t.Fatal(err)
	}
	if tpl.ID != 103312916 || tpl.TopFee[0].Custom != nil {
		t.Errorf("CreateDeliveryTemplate changed the caller's template: %+v", tpl)
	}
}

func TestDeleteDeliveryTemplate(t *testing.T) {
	c := exampleClient(t, "/merchant/express/del", "merchant_express_del_request", "merchant_express_del_answer")
	if err := c.DeleteDeliveryTemplate(context.Background(), 123456); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateDeliveryTemplate(t *testing.T) {
	fetched := expressExample()
	fetched.ID = 123456 // as GetDeliveryTemplate would give it; the Id must stay home
	for name, tpl := range map[string]*DeliveryTemplate{"new": expressExample(), "fetched": fetched} {
		t.Run(name, func(t *testing.T) {
			c := exampleClient(t, "/merchant/express/update", "merchant_express_update_request", "merchant_express_update_answer")
			if err := c.UpdateDeliveryTemplate(context.Background(), 123456, tpl); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The manual elides the update's delivery_template; testdata fills it in from the add example.
func TestExpressUpdateExampleIsTheAddExample(t *testing.T) {
	var add, update struct {
		DeliveryTemplate json.RawMessage `json:"delivery_template"`
	}
	if err := json.Unmarshal(example(t, "merchant_express_add_request"), &add); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(example(t, "merchant_express_update_request"), &update); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "update's delivery_template", update.DeliveryTemplate, add.DeliveryTemplate)
}

func TestGetDeliveryTemplate(t *testing.T) {
	c := exampleClient(t, "/merchant/express/getbyid", "merchant_express_getbyid_request", "merchant_express_getbyid_answer")
	got, err := c.GetDeliveryTemplate(context.Background(), 123456)
	if err != nil {
		t.Fatal(err)
	}
	// The answer is the add example's template with its Id, and 1000 fen where add has 100.
	want := expressExample()
	want.ID = 103312916
	want.TopFee[0].Custom[0].StartFees = 1000
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetDeliveryTemplate =\n%+v\nwant\n%+v", got, want)
	}
	// Nothing of the answer is lost in decoding: the template marshals back to the manual's template_info.
	var ans struct {
		TemplateInfo json.RawMessage `json:"template_info"`
	}
	if err := json.Unmarshal(example(t, "merchant_express_getbyid_answer"), &ans); err != nil {
		t.Fatal(err)
	}
	back, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "template_info", back, ans.TemplateInfo)
}

func TestGetDeliveryTemplateAnswerWithoutInfo(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if tpl, err := c.GetDeliveryTemplate(context.Background(), 1); err == nil || tpl != nil {
		t.Errorf("GetDeliveryTemplate = %v, %v; want an error", tpl, err)
	}
}

func TestDeliveryTemplates(t *testing.T) {
	c := getExampleClient(t, "/merchant/express/getall", "merchant_express_getall_answer")
	got, err := c.DeliveryTemplates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []DeliveryTemplate{
		{ID: 103312916, Name: "testexpress1", Assumer: AssumerBuyer, Valuation: ValuationByPiece, TopFee: []TopFee{}},
		{ID: 103312917, Name: "testexpress2", Assumer: AssumerBuyer, Valuation: ValuationByVolume, TopFee: []TopFee{}},
		{ID: 103312918, Name: "testexpress3", Assumer: AssumerBuyer, Valuation: ValuationByWeight, TopFee: []TopFee{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DeliveryTemplates = %+v, want %+v", got, want)
	}
}

func TestDeliveryTemplateCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	other := expressExample()
	other.ID = 99
	for name, call := range map[string]func() error{
		"create nil":      func() error { _, err := c.CreateDeliveryTemplate(ctx, nil); return err },
		"delete 0":        func() error { return c.DeleteDeliveryTemplate(ctx, 0) },
		"delete -1":       func() error { return c.DeleteDeliveryTemplate(ctx, -1) },
		"update 0":        func() error { return c.UpdateDeliveryTemplate(ctx, 0, expressExample()) },
		"update nil":      func() error { return c.UpdateDeliveryTemplate(ctx, 1, nil) },
		"update other id": func() error { return c.UpdateDeliveryTemplate(ctx, 1, other) },
		"get 0":           func() error { _, err := c.GetDeliveryTemplate(ctx, 0); return err },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "wx: /merchant/express/") {
			t.Errorf("%s: err = %v, want a wx: /merchant/express/... error", name, err)
		}
	}
}

func TestDeliveryTemplateCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/express/add", func(c *Client) error { _, err := c.CreateDeliveryTemplate(ctx, expressExample()); return err }},
		{"/merchant/express/del", func(c *Client) error { return c.DeleteDeliveryTemplate(ctx, 1) }},
		{"/merchant/express/update", func(c *Client) error { return c.UpdateDeliveryTemplate(ctx, 1, expressExample()) }},
		{"/merchant/express/getbyid", func(c *Client) error { _, err := c.GetDeliveryTemplate(ctx, 1); return err }},
		{"/merchant/express/getall", func(c *Client) error { _, err := c.DeliveryTemplates(ctx); return err }},
	})
}

// addExampleTemplate is the manual's express/add template decoded from its JSON, so that Fee is checked
// against what the manual wrote rather than against expressExample.
func addExampleTemplate(t *testing.T) DeliveryTemplate {
	t.Helper()
	var req struct {
		DeliveryTemplate DeliveryTemplate `json:"delivery_template"`
	}
	if err := json.Unmarshal(example(t, "merchant_express_add_request"), &req); err != nil {
		t.Fatal(err)
	}
	return req.DeliveryTemplate
}

// regionsTemplate has a rule for each level, listed city first so that order cannot be what decides.
var regionsTemplate = DeliveryTemplate{
	Name: "regions",
	TopFee: []TopFee{{
		Type:   ExpressKuaiDi,
		Normal: FeeRule{1, 1000, 1, 100},
		Custom: []CustomFeeRule{
			{FeeRule: FeeRule{1, 10, 1, 1}, DestCountry: "中国", DestProvince: "广东省", DestCity: "广州市"},
			{FeeRule: FeeRule{1, 20, 1, 2}, DestCountry: "中国", DestProvince: "广东省"},
			{FeeRule: FeeRule{1, 50, 1, 5}, DestCountry: "中国"},
			// A city of the same name in another province must not catch 广东省's 广州市.
			{FeeRule: FeeRule{1, 7, 1, 7}, DestCountry: "中国", DestProvince: "江苏省", DestCity: "广州市"},
		},
	}, {
		Type:   ExpressEMS,
		Normal: FeeRule{2, 30, 0, 99}, // AddStandards 0: StartFees covers any count
		Custom: []CustomFeeRule{
			{FeeRule: FeeRule{1, 40, 0, 0}, DestCountry: "中国", DestProvince: "广东省"},
			{FeeRule: FeeRule{1, 60, 1, 1}}, // names no destination: never applies
		},
	}},
}

func TestDeliveryTemplateFee(t *testing.T) {
	manual := addExampleTemplate(t)
	for _, tc := range []struct {
		name                    string
		tpl                     DeliveryTemplate
		courier, pieces         int
		country, province, city string
		want                    int
		ok                      bool
	}{
		// The manual's example: 平邮 2 fen for the first piece, 1 more per started 3; to 广州市 100, then 3 each.
		{"1 piece default", manual, ExpressPingYou, 1, "中国", "北京市", "北京市", 2, true},
		{"2 pieces start a block", manual, ExpressPingYou, 2, "中国", "北京市", "北京市", 3, true},
		{"4 pieces default", manual, ExpressPingYou, 4, "中国", "北京市", "北京市", 3, true},
		{"5 pieces default", manual, ExpressPingYou, 5, "中国", "北京市", "北京市", 4, true},
		{"1 piece to 广州", manual, ExpressPingYou, 1, "中国", "广东省", "广州市", 100, true},
		{"3 pieces to 广州", manual, ExpressPingYou, 3, "中国", "广东省", "广州市", 106, true},
		{"city rule skips other cities", manual, ExpressPingYou, 1, "中国", "广东省", "深圳市", 2, true},
		{"zero pieces", manual, ExpressPingYou, 0, "中国", "广东省", "广州市", 0, true},
		{"negative pieces", manual, ExpressPingYou, -3, "中国", "北京市", "北京市", 0, true},
		{"快递 default", manual, ExpressKuaiDi, 2, "中国", "北京市", "北京市", 5, true},
		{"快递 to 广州", manual, ExpressKuaiDi, 2, "中国", "广东省", "广州市", 40, true},
		{"EMS to 广州", manual, ExpressEMS, 4, "中国", "广东省", "广州市", 30, true},
		{"no such courier", manual, 10000030, 1, "中国", "广东省", "广州市", 0, false},
		{"empty template", DeliveryTemplate{}, ExpressPingYou, 1, "中国", "广东省", "广州市", 0, false},

		{"city beats province", regionsTemplate, ExpressKuaiDi, 3, "中国", "广东省", "广州市", 12, true},
		{"province covers its cities", regionsTemplate, ExpressKuaiDi, 3, "中国", "广东省", "深圳市", 24, true},
		{"province rule, no city given", regionsTemplate, ExpressKuaiDi, 1, "中国", "广东省", "", 20, true},
		{"country covers the rest", regionsTemplate, ExpressKuaiDi, 3, "中国", "北京市", "北京市", 60, true},
		{"same city name elsewhere", regionsTemplate, ExpressKuaiDi, 1, "中国", "江苏省", "广州市", 7, true},
		{"other country: Normal", regionsTemplate, ExpressKuaiDi, 2, "日本", "广东省", "广州市", 1100, true},
		{"AddStandards 0", regionsTemplate, ExpressEMS, 1000, "中国", "北京市", "北京市", 30, true},
		{"AddStandards 0, province", regionsTemplate, ExpressEMS, 9, "中国", "广东省", "广州市", 40, true},
		{"empty destination: Normal", regionsTemplate, ExpressEMS, 1, "", "", "", 30, true},
	} {
		got, ok := tc.tpl.Fee(tc.courier, tc.pieces, tc.country, tc.province, tc.city)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: Fee(%d, %d, %s/%s/%s) = %d, %v; want %d, %v",
				tc.name, tc.courier, tc.pieces, tc.country, tc.province, tc.city, got, ok, tc.want, tc.ok)
		}
	}
}

// refFee is FeeRule.fee restated with unbounded integers, for the fuzz test.
func refFee(r FeeRule, pieces int) int {
	if pieces <= 0 {
		return 0
	}
	fee := big.NewInt(int64(max(r.StartFees, 0)))
	extra, add := pieces-max(r.StartStandards, 0), max(r.AddStandards, 0)
	if extra > 0 && add > 0 {
		blocks := new(big.Int).Add(big.NewInt(int64(extra)), big.NewInt(int64(add-1)))
		blocks.Quo(blocks, big.NewInt(int64(add)))
		fee.Add(fee, blocks.Mul(blocks, big.NewInt(int64(max(r.AddFees, 0)))))
	}
	if !fee.IsInt64() || fee.Int64() > math.MaxInt {
		return math.MaxInt
	}
	return int(fee.Int64())
}

// FuzzDeliveryTemplateFee: the fee is never negative, never falls as pieces grow, is exact (or stops at
// math.MaxInt), and follows the destination's rule.
func FuzzDeliveryTemplateFee(f *testing.F) {
	// normal rule, province rule (StartStandards, StartFees, AddStandards, AddFees), pieces, destination
	f.Add(1, 2, 3, 1, 1, 100, 1, 3, 4, uint8(0)) // the manual's 平邮
	f.Add(1, 2, 3, 1, 1, 100, 1, 3, 3, uint8(1))
	f.Add(1, 4, 3, 3, 1, 8, 2, 11, 7, uint8(1)) // the manual's EMS
	f.Add(0, 0, 0, 0, 0, 0, 0, 0, 0, uint8(0))
	f.Add(0, 5, 1, 1, 0, 0, 0, 0, 1, uint8(2))
	f.Add(2, 5, 0, 7, 1, 5, 0, 9, 100, uint8(1))       // AddStandards 0
	f.Add(-3, -1, -2, -5, -1, -1, -1, -1, 5, uint8(0)) // negative rules
	f.Add(1, 1, 1, 1, 1, 1, 1, 1, -7, uint8(1))        // negative pieces
	f.Add(1, math.MaxInt, 1, math.MaxInt, 1, 1, 1, 1, 3, uint8(0))
	f.Add(1, 1, 1, 1, 1, 1, 1, math.MaxInt/2, math.MaxInt, uint8(1))
	f.Fuzz(func(t *testing.T, s1, f1, a1, af1, s2, f2, a2, af2, pieces int, dest uint8) {
		province := FeeRule{s2, f2, a2, af2}
		tpl := DeliveryTemplate{TopFee: []TopFee{{
			Type:   ExpressKuaiDi,
			Normal: FeeRule{s1, f1, a1, af1},
			Custom: []CustomFeeRule{{FeeRule: province, DestCountry: "中国", DestProvince: "广东省"}},
		}}}
		dests := [][3]string{{"中国", "北京市", "北京市"}, {"中国", "广东省", "广州市"}, {"", "", ""}}
		d := dests[int(dest)%len(dests)]
		rule := tpl.TopFee[0].Normal
		if d[1] == "广东省" {
			rule = province
		}
		fee, ok := tpl.Fee(ExpressKuaiDi, pieces, d[0], d[1], d[2])
		if !ok {
			t.Fatal("ok = false for a courier the template has")
		}
		if fee < 0 {
			t.Fatalf("Fee(%d pieces) = %d, negative", pieces, fee)
		}
		if want := refFee(rule, pieces); fee != want {
			t.Fatalf("Fee(%d pieces to %v) = %d, want %d", pieces, d, fee, want)
		}
		if pieces < math.MaxInt {
			if next, _ := tpl.Fee(ExpressKuaiDi, pieces+1, d[0], d[1], d[2]); next < fee {
				t.Fatalf("Fee(%d) = %d but Fee(%d) = %d: postage fell", pieces, fee, pieces+1, next)
			}
		}
		if fee, ok := tpl.Fee(ExpressEMS, pieces, d[0], d[1], d[2]); ok || fee != 0 {
			t.Fatalf("Fee for a courier the template lacks = %d, %v", fee, ok)
		}
	})
}
