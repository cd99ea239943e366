package sandbox_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"wxshop/internal/wx"
)

// One postage template through its whole life, as the app will drive it.
func TestTemplateLifecycle(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	sent := validTemplate()
	id := sh.addTemplate(sent)

	got, err := sh.wx.GetDeliveryTemplate(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := *sent
	want.ID = id
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("getbyid answered\n%+v\nwant\n%+v", *got, want)
	}
	if fen, ok := got.Fee(wx.ExpressKuaiDi, 3, "中国", "广东省", "深圳市"); !ok || fen != 800 {
		t.Errorf("3 pieces to 深圳 cost %d (%v), want 800", fen, ok)
	}

	// update replaces the template and keeps its id; what getbyid answered may be sent back as it is.
	got.Name = "测试运费（新）"
	got.Assumer = wx.AssumerSeller
	got.TopFee = got.TopFee[:1]
	got.TopFee[0].Custom = got.TopFee[0].Custom[1:]
	if err := sh.wx.UpdateDeliveryTemplate(ctx, id, got); err != nil {
		t.Fatal(err)
	}
	again, err := sh.wx.GetDeliveryTemplate(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, got) {
		t.Fatalf("after update getbyid answered\n%+v\nwant\n%+v", again, got)
	}

	second := sh.addTemplate(validTemplate())
	if second == id {
		t.Fatalf("two templates share id %d", id)
	}
	all, err := sh.wx.DeliveryTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || !reflect.DeepEqual(all[0], *got) || all[1].ID != second {
		t.Fatalf("getall answered %+v", all)
	}

	if err := sh.wx.DeleteDeliveryTemplate(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = sh.wx.GetDeliveryTemplate(ctx, id)
	wantCode(t, err, codeTemplateNotFound)
	wantCode(t, sh.wx.DeleteDeliveryTemplate(ctx, id), codeTemplateNotFound)
	wantCode(t, sh.wx.UpdateDeliveryTemplate(ctx, id, validTemplate()), codeTemplateNotFound)
	if all, _ := sh.wx.DeliveryTemplates(ctx); len(all) != 1 || all[0].ID != second {
		t.Errorf("getall after delete: %+v", all)
	}
	if third := sh.addTemplate(validTemplate()); third == id || third == second {
		t.Errorf("id %d handed out again", third)
	}
}

// The manual's own express/add example is accepted, and getall answers the way the manual shows it.
func TestTemplateManualExample(t *testing.T) {
	sh := newEmptyShop(t)
	body, err := os.ReadFile("../testdata/merchant_express_add_request.json")
	if err != nil {
		t.Fatal(err)
	}
	a := sh.post("/merchant/express/add", string(body))
	var added struct {
		TemplateID int64 `json:"template_id"`
	}
	if err := json.Unmarshal(a.raw, &added); a.ErrCode != 0 || a.ErrMsg != "success" || err != nil || added.TemplateID == 0 {
		t.Fatalf("the manual's example: %s", a.raw)
	}
	raw := sh.get("/merchant/express/getall", map[string][]string{"access_token": {sh.token()}}).raw
	for _, part := range []string{`"templates_info":[{"Id":`, `"Name":"testexpress"`, `"DestProvince":"广东省"`, `"Type":10000029`} {
		if !strings.Contains(string(raw), part) {
			t.Errorf("getall answer lacks %s: %s", part, raw)
		}
	}
	// getall is a GET without a body, as the manual has it.
	if a := sh.post("/merchant/express/getall", ""); a.ErrCode != codeRequireGET {
		t.Errorf("POST getall: %s", a.raw)
	}
}

// Every rule of a template, each refused with its own code, by add and by update, without changing anything.
func TestTemplateRefusesBrokenRules(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	existing := sh.addTemplate(validTemplate())
	custom := func(tp *wx.DeliveryTemplate) *wx.CustomFeeRule { return &tp.TopFee[0].Custom[1] }
	cases := []struct {
		name   string
		code   int
		change func(tp *wx.DeliveryTemplate)
	}{
		{"no name", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.Name = " " }},
		{"Assumer 2", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.Assumer = 2 }},
		{"Valuation by weight", codeValuation, func(tp *wx.DeliveryTemplate) { tp.Valuation = wx.ValuationByWeight }},
		{"Valuation by volume", codeValuation, func(tp *wx.DeliveryTemplate) { tp.Valuation = wx.ValuationByVolume }},
		{"Valuation 3", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.Valuation = 3 }},
		{"no TopFee", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee = nil }},
		{"unknown courier", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[1].Type = 10000030 }},
		{"courier twice", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[1].Type = wx.ExpressKuaiDi }},
		{"negative StartFees", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[0].Normal.StartFees = -1 }},
		{"negative AddStandards", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[1].Normal.AddStandards = -1 }},
		{"negative AddFees", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[1].Normal.AddFees = -300 }},
		{"StartStandards 0", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { tp.TopFee[0].Normal.StartStandards = 0 }},
		{"Custom StartStandards 0", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { custom(tp).StartStandards = 0 }},
		{"Custom negative AddFees", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { custom(tp).AddFees = -1 }},
		{"fee too large", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { custom(tp).StartFees = 1 << 31 }},
		{"destination twice", codeInvalidArgs, func(tp *wx.DeliveryTemplate) { *custom(tp) = tp.TopFee[0].Custom[0] }},
		{"country not 中国", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestCountry = "美国" }},
		{"no country", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestCountry = "" }},
		{"province not in the list", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestProvince = "广东" }},
		{"no province", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestProvince = "" }},
		{"city of another province", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestCity = "杭州市" }},
		{"city not in the list", codeRegionNotFound, func(tp *wx.DeliveryTemplate) { custom(tp).DestCity = "天河区" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := sh.storefrontState()
			tp := validTemplate()
			tc.change(tp)
			_, err := sh.wx.CreateDeliveryTemplate(ctx, tp)
			wantCode(t, err, tc.code)
			wantCode(t, sh.wx.UpdateDeliveryTemplate(ctx, existing, tp), tc.code)
			sh.wantStateUnchanged(before)
		})
	}

	// What the client would not send.
	before := sh.storefrontState()
	for _, body := range []string{`{}`, `{"delivery_template": null}`} {
		if a := sh.post("/merchant/express/add", body); a.ErrCode != codeInvalidArgs {
			t.Errorf("add %s: %s", body, a.raw)
		}
	}
	if a := sh.post("/merchant/express/add", `{"delivery_template": `); a.ErrCode != codeDataFormat {
		t.Errorf("add with a broken body: %s", a.raw)
	}
	for _, path := range []string{"/merchant/express/getbyid", "/merchant/express/del", "/merchant/express/update"} {
		if a := sh.post(path, `{}`); a.ErrCode != codeInvalidArgs {
			t.Errorf("%s without template_id: %s", path, a.raw)
		}
	}
	_, err := sh.wx.GetDeliveryTemplate(ctx, unknownID)
	wantCode(t, err, codeTemplateNotFound)
	wantCode(t, sh.wx.UpdateDeliveryTemplate(ctx, unknownID, validTemplate()), codeTemplateNotFound)
	wantCode(t, sh.wx.DeleteDeliveryTemplate(ctx, unknownID), codeTemplateNotFound)
	sh.wantStateUnchanged(before)
}

// What the rules allow: a rule for a whole province beside one for a city of it, a city rule for each
// courier, free post, no increments (AddStandards 0), and the same destination under two couriers.
func TestTemplateAccepts(t *testing.T) {
	sh := newEmptyShop(t)
	tp := validTemplate()
	tp.Assumer = wx.AssumerSeller
	tp.TopFee[1].Custom = append(tp.TopFee[1].Custom, tp.TopFee[0].Custom...)
	tp.TopFee[1].Normal = wx.FeeRule{StartStandards: 1}
	tp.TopFee = append(tp.TopFee, wx.TopFee{Type: wx.ExpressPingYou, Normal: wx.FeeRule{StartStandards: 5, StartFees: 300},
		Custom: []wx.CustomFeeRule{{FeeRule: wx.FeeRule{StartStandards: 1, StartFees: 900}, DestCountry: "中国", DestProvince: "新疆维吾尔自治区", DestCity: "自治区直辖县级行政区划"}}})
	sh.addTemplate(tp)
	if n := len(sh.sb.DeliveryTemplates()); n != 1 {
		t.Fatalf("%d templates", n)
	}
}

// A product may only charge by a template the shop has, and a template a product charges by cannot be
// deleted until no product does.
func TestProductTemplates(t *testing.T) {
	sh := newEmptyShop(t)
	ctx := t.Context()
	p := sh.validProduct()
	p.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByTemplate, TemplateID: unknownID}
	_, err := sh.wx.CreateProduct(ctx, p)
	wantCode(t, err, codeTemplateNotFound)
	if n := len(sh.sb.Products()); n != 0 {
		t.Fatalf("a refused create left %d products", n)
	}

	tid := sh.addTemplate(validTemplate())
	p.DeliveryInfo.TemplateID = tid
	pid := sh.create(p)
	held := sh.stored(pid)
	if d := held.DeliveryInfo; d == nil || d.DeliveryType != wx.DeliveryByTemplate || d.TemplateID != tid {
		t.Fatalf("delivery_info held as %+v", d)
	}

	before := sh.storefrontState()
	wantCode(t, sh.wx.DeleteDeliveryTemplate(ctx, tid), codeTemplateInUse)
	sh.wantStateUnchanged(before)

	// Updating the product to an unknown template is refused; the template may still be updated.
	q := *p
	q.ProductID = pid
	q.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByTemplate, TemplateID: tid + 1}
	wantCode(t, sh.wx.UpdateProduct(ctx, &q), codeTemplateNotFound)
	sh.wantUnchanged(pid, held)
	if err := sh.wx.UpdateDeliveryTemplate(ctx, tid, validTemplate()); err != nil {
		t.Fatal(err)
	}

	// Once the product charges fixed fees, the template goes.
	q.DeliveryInfo = &wx.DeliveryInfo{DeliveryType: wx.DeliveryByExpress, Express: []wx.Express{{ID: wx.ExpressKuaiDi, Price: 800}}}
	if err := sh.wx.UpdateProduct(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.DeleteDeliveryTemplate(ctx, tid); err != nil {
		t.Fatal(err)
	}

	// A deleted product no longer holds its template either.
	tid = sh.addTemplate(validTemplate())
	p.DeliveryInfo.TemplateID = tid
	pid = sh.create(p)
	wantCode(t, sh.wx.DeleteDeliveryTemplate(ctx, tid), codeTemplateInUse)
	if err := sh.wx.DeleteProduct(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.DeleteDeliveryTemplate(ctx, tid); err != nil {
		t.Fatal(err)
	}
}
