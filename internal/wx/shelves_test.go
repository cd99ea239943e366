package wx

// The testdata/merchant_shelf_*.json files are the JSON examples of the manual's section 5 (货架), copied
// verbatim (see products_test.go) except:
//   - merchant_shelf_mod_request.json: shelf_data was elided as "..." with a pointer to 增加货架; the
//     shelf_data of the shelf/add example (5.1.3) is copied in its place, as
//     TestShelfModExampleIsTheAddExample checks.
//   - merchant_shelf_getbyid_answer.json: "module_infos": [...] is written "module_infos": [].
//   - merchant_shelf_control1.json to control5.json are the one-line examples of 5.1.4.1 to 5.1.4.5; two
//     of them ended with the table border " |" of the PDF, which is left out.
//
// Where the manual disagrees with itself:
//   - 5.1.4.5 says control 5 cannot be combined with other controls, yet the shelf/add example has it after
//     controls 1 to 4. The calls send what they are given; ShelfData.Validate applies the rule.
//   - 5.1.4.5's field table describes img, its JSON has img_background; the JSON is followed.
//   - shelf_banner is said to be shown by controls 1 to 4 only, but the shelf/getall example gives the
//     control-5 shelf a banner too; the banner is sent whenever it is set.
//   - The shelf/getbyid answer's shelf_id (97) is not the one asked for (19).
//   - The contents list 5.6 货架上下架, but the text has no such section, so there is no call for it.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const (
	exampleShelfBanner = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2ibrWQn8zWFUh1YznsMV0XEiavFfLzDWYyvQOBBszXlMaiabGWzz5B2KhNn2IDemHa3iarmCyribYlZYyw/0"
	exampleGroupImg3   = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl29nqqObBwFwnIX3licVPnFV5Jm64z4I0TTicv0TjN7Vl9bykUUibYKIOjicAwIt6Oy0Y6a1Rjp5Tos8tg/0"
	exampleGroupImgA   = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl29nqqObBwFwnIX3licVPnFV5uUQx7TLx4tB9qZfbe3JmqR4NkkEmpb5LUWoXF1ek9nga0IkeSSFZ8g/0"
	exampleGroupImgB   = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl29nqqObBwFwnIX3licVPnFV5G1kdy3ViblHrR54gbCmbiaMnl5HpLGm5JFeENyO9FEZAy6mPypEpLibLA/0"
	exampleGetallImg   = "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl294FzPwnf9dAcaN7ButStztAZyy2yHY8pW6sTQKicIhAy5F0a2CqmrvDBjMFLtc2aEhAQ7uHsPow9A/0"
)

// shelfAddExample is the shelf of the manual's shelf/add example, built from the five controls.
func shelfAddExample() *Shelf {
	return &Shelf{
		ShelfInfo: ShelfData{ModuleInfos: []ShelfModule{
			NewShelfModuleProducts(50, 2),
			NewShelfModuleGroupNames(49, 50, 51),
			NewShelfModuleGroupImage(52, exampleGroupImg3),
			NewShelfModuleGroupImages(
				ShelfGroup{GroupID: 49, Img: exampleGroupImgA},
				ShelfGroup{GroupID: 50, Img: exampleGroupImgB},
				ShelfGroup{GroupID: 52, Img: exampleGroupImgA},
			),
			NewShelfModuleBackground(exampleGroupImgA, 43, 44, 45, 46),
		}},
		ShelfBanner: exampleShelfBanner,
		ShelfName:   "测试货架",
	}
}

// Each control built from Go values is exactly the manual's example of it (5.1.4.1 to 5.1.4.5).
func TestShelfModulesMarshalAsTheManualsControls(t *testing.T) {
	for name, m := range map[string]ShelfModule{
		"merchant_shelf_control1": NewShelfModuleProducts(50, 4),
		"merchant_shelf_control2": NewShelfModuleGroupNames(49, 50, 51),
		"merchant_shelf_control3": NewShelfModuleGroupImage(52, exampleGroupImg3),
		"merchant_shelf_control4": NewShelfModuleGroupImages(
			ShelfGroup{GroupID: 49, Img: exampleGroupImgA},
			ShelfGroup{GroupID: 50, Img: exampleGroupImgB},
			ShelfGroup{GroupID: 52, Img: exampleGroupImgA},
		),
		"merchant_shelf_control5": NewShelfModuleBackground(exampleGroupImgA, 43, 44, 45, 46),
	} {
		got, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		assertSameJSON(t, name, got, example(t, name))
		// And the manual's example decodes into the same value.
		var back ShelfModule
		if err := json.Unmarshal(example(t, name), &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Errorf("%s decodes to %+v, want %+v", name, back, m)
		}
	}
}

// A control with no groups still sends "groups": [], never null.
func TestShelfModuleWithoutGroupsSendsEmptyList(t *testing.T) {
	for _, m := range []ShelfModule{NewShelfModuleGroupNames(), NewShelfModuleGroupImages(), NewShelfModuleBackground("bg")} {
		got, _ := json.Marshal(m)
		if !strings.Contains(string(got), `"groups":[]`) {
			t.Errorf("eid %d: %s", m.EID, got)
		}
	}
}

func TestCreateShelf(t *testing.T) {
	c := exampleClient(t, "/merchant/shelf/add", "merchant_shelf_add_request", "merchant_shelf_add_answer")
	s := shelfAddExample()
	s.ShelfID = 7 // a stale id is not sent
	id, err := c.CreateShelf(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if id != 12 {
		t.Errorf("shelf id = %d", id)
	}
}

// A control-5 shelf has no banner to show; an empty one is left out rather than sent as "".
func TestCreateShelfLeavesOutEmptyBanner(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		want := `{"shelf_data":{"module_infos":[{"group_infos":{"groups":[{"group_id":1},{"group_id":2}],"img_background":"bg"},"eid":5}]},"shelf_name":"全屏"}`
		assertSameJSON(t, "body", body, []byte(want))
		io.WriteString(w, `{"errcode":0,"errmsg":"success","shelf_id":13}`)
	})
	s := &Shelf{ShelfInfo: ShelfData{ModuleInfos: []ShelfModule{NewShelfModuleBackground("bg", 1, 2)}}, ShelfName: "全屏"}
	if id, err := c.CreateShelf(context.Background(), s); err != nil || id != 13 {
		t.Errorf("CreateShelf = %d, %v", id, err)
	}
}

func TestCreateShelfAnswerWithoutID(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if id, err := c.CreateShelf(context.Background(), shelfAddExample()); err == nil || id != 0 {
		t.Errorf("CreateShelf = %d, %v; want an error", id, err)
	}
}

func TestDeleteShelf(t *testing.T) {
	c := exampleClient(t, "/merchant/shelf/del", "merchant_shelf_del_request", "merchant_shelf_del_answer")
	if err := c.DeleteShelf(context.Background(), 19); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateShelf(t *testing.T) {
	c := exampleClient(t, "/merchant/shelf/mod", "merchant_shelf_mod_request", "merchant_shelf_mod_answer")
	s := shelfAddExample()
	s.ShelfID = 12345
	if err := c.UpdateShelf(context.Background(), s); err != nil {
		t.Fatal(err)
	}
}

// The manual elides the mod's shelf_data; testdata fills it in from the add example.
func TestShelfModExampleIsTheAddExample(t *testing.T) {
	var add, mod struct {
		ShelfData json.RawMessage `json:"shelf_data"`
	}
	if err := json.Unmarshal(example(t, "merchant_shelf_add_request"), &add); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(example(t, "merchant_shelf_mod_request"), &mod); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "mod's shelf_data", mod.ShelfData, add.ShelfData)
}

func TestShelves(t *testing.T) {
	c := getExampleClient(t, "/merchant/shelf/getall", "merchant_shelf_getall_answer")
	got, err := c.Shelves(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Shelf{
		{
			ShelfID: 22,
			ShelfInfo: ShelfData{ModuleInfos: []ShelfModule{
				NewShelfModuleBackground(exampleGetallImg, 200080093, 200080118, 200080119, 200080135),
			}},
			ShelfBanner: exampleGetallImg,
			ShelfName:   "新新人类",
		},
		{
			ShelfID:     23,
			ShelfInfo:   ShelfData{ModuleInfos: []ShelfModule{NewShelfModuleProducts(200080119, 4)}},
			ShelfBanner: exampleGetallImg,
			ShelfName:   "店铺",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Shelves =\n%+v\nwant\n%+v", got, want)
	}
	// Nothing of the answer is lost in decoding: the shelves marshal back to the manual's.
	var ans struct {
		Shelves json.RawMessage `json:"shelves"`
	}
	if err := json.Unmarshal(example(t, "merchant_shelf_getall_answer"), &ans); err != nil {
		t.Fatal(err)
	}
	back, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "shelves", back, ans.Shelves)
}

func TestGetShelf(t *testing.T) {
	c := exampleClient(t, "/merchant/shelf/getbyid", "merchant_shelf_getbyid_request", "merchant_shelf_getbyid_answer")
	got, err := c.GetShelf(context.Background(), 19)
	if err != nil {
		t.Fatal(err)
	}
	want := &Shelf{
		ShelfID:     97,
		ShelfInfo:   ShelfData{ModuleInfos: []ShelfModule{}},
		ShelfBanner: "http://mmbiz.qpic.cn/mmbiz/4whpV1VZl2ibp2DgDXiaic6WdflMpNdInS8qUia2BztlPu1gPlCDLZXEjia2qBdjoLiaCGUno9zbs1UyoqnaTJJGeEew/0",
		ShelfName:   "新建货架",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetShelf = %+v, want %+v", got, want)
	}
}

func TestGetShelfAnswerWithoutID(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"errmsg":"success"}`)
	})
	if s, err := c.GetShelf(context.Background(), 1); err == nil || s != nil {
		t.Errorf("GetShelf = %v, %v; want an error", s, err)
	}
}

func TestShelfCallsRefuseBadArguments(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	noName, noModules, noID := shelfAddExample(), shelfAddExample(), shelfAddExample()
	noName.ShelfName = ""
	noModules.ShelfInfo.ModuleInfos = nil
	for name, call := range map[string]func() error{
		"create nil":        func() error { _, err := c.CreateShelf(ctx, nil); return err },
		"create no name":    func() error { _, err := c.CreateShelf(ctx, noName); return err },
		"create no modules": func() error { _, err := c.CreateShelf(ctx, noModules); return err },
		"delete 0":          func() error { return c.DeleteShelf(ctx, 0) },
		"update nil":        func() error { return c.UpdateShelf(ctx, nil) },
		"update no id":      func() error { return c.UpdateShelf(ctx, noID) },
		"get 0":             func() error { _, err := c.GetShelf(ctx, 0); return err },
	} {
		if err := call(); err == nil || !strings.HasPrefix(err.Error(), "wx: /merchant/shelf/") {
			t.Errorf("%s: err = %v, want a wx: /merchant/shelf/... error", name, err)
		}
	}
}

func TestShelfCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	withID := shelfAddExample()
	withID.ShelfID = 1
	assertWeChatErrors(t, []apiCallCase{
		{"/merchant/shelf/add", func(c *Client) error { _, err := c.CreateShelf(ctx, shelfAddExample()); return err }},
		{"/merchant/shelf/del", func(c *Client) error { return c.DeleteShelf(ctx, 1) }},
		{"/merchant/shelf/mod", func(c *Client) error { return c.UpdateShelf(ctx, withID) }},
		{"/merchant/shelf/getall", func(c *Client) error { _, err := c.Shelves(ctx); return err }},
		{"/merchant/shelf/getbyid", func(c *Client) error { _, err := c.GetShelf(ctx, 1); return err }},
	})
}

func TestShelfDataValidate(t *testing.T) {
	// The manual's five controls are each valid alone, and 1 to 4 together.
	manual := shelfAddExample().ShelfInfo.ModuleInfos
	for _, m := range manual {
		if err := (ShelfData{ModuleInfos: []ShelfModule{m}}).Validate(); err != nil {
			t.Errorf("eid %d alone: %v", m.EID, err)
		}
	}
	if err := (ShelfData{ModuleInfos: manual[:4]}).Validate(); err != nil {
		t.Errorf("controls 1 to 4: %v", err)
	}
	// The manual's shelf/add example breaks only the rule that control 5 stands alone.
	if err := (ShelfData{ModuleInfos: manual}).Validate(); err == nil || !strings.Contains(err.Error(), "control 5 cannot be combined") {
		t.Errorf("the manual's example: err = %v, want control 5 refused", err)
	}

	img := func(id int64) ShelfGroup { return ShelfGroup{GroupID: id, Img: "i"} }
	for name, m := range map[string]ShelfModule{
		"eid 0":                 {GroupInfo: &ShelfGroupInfo{GroupID: 1}},
		"eid 6":                 {GroupInfos: &ShelfGroupInfos{Groups: []ShelfGroup{{GroupID: 1}}}, EID: 6},
		"1 count 0":             NewShelfModuleProducts(1, 0),
		"1 no filter":           {GroupInfo: &ShelfGroupInfo{GroupID: 1}, EID: ShelfModuleProducts},
		"1 no group":            NewShelfModuleProducts(0, 2),
		"1 with group_infos":    {GroupInfos: &ShelfGroupInfos{Groups: []ShelfGroup{{GroupID: 1}}}, EID: ShelfModuleProducts},
		"2 no groups":           NewShelfModuleGroupNames(),
		"2 five groups":         NewShelfModuleGroupNames(1, 2, 3, 4, 5),
		"2 group 0":             NewShelfModuleGroupNames(1, 0),
		"2 with group_info":     {GroupInfo: &ShelfGroupInfo{GroupID: 1}, EID: ShelfModuleGroupNames},
		"3 no image":            NewShelfModuleGroupImage(1, ""),
		"4 four groups":         NewShelfModuleGroupImages(img(1), img(2), img(3), img(4)),
		"4 group without image": NewShelfModuleGroupImages(img(1), ShelfGroup{GroupID: 2}),
		"5 no background":       NewShelfModuleBackground("", 1, 2),
		"5 no groups":           NewShelfModuleBackground("bg"),
	} {
		if err := (ShelfData{ModuleInfos: []ShelfModule{m}}).Validate(); err == nil {
			t.Errorf("%s: Validate() = nil, want an error", name)
		}
	}
	if err := (ShelfData{}).Validate(); err == nil {
		t.Error("empty shelf: Validate() = nil, want an error")
	}
	// The limits themselves are allowed.
	ok := []ShelfModule{NewShelfModuleGroupNames(1, 2, 3, 4), NewShelfModuleGroupImages(img(1), img(2), img(3))}
	if err := (ShelfData{ModuleInfos: ok}).Validate(); err != nil {
		t.Errorf("controls at their limits: %v", err)
	}
}
