package shop

import (
	"slices"
	"strconv"
	"testing"

	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

var zh = i18n.Printer{Lang: i18n.Chinese}

// A saved template comes back into the editor as it was, and checking that draft sends the same template.
func TestPostageDraftRoundTrip(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	if _, err := ts.SyncPostageTemplates(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, saved := range ts.sandbox.DeliveryTemplates() {
		d := PostageDraftOf(saved)
		got, errs, err := ts.CheckPostage(t.Context(), zh, d)
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s: the saved template's own draft: %v %v", saved.Name, errs, err)
		}
		if got.Name != saved.Name || got.Assumer != saved.Assumer || len(got.TopFee) != len(saved.TopFee) {
			t.Errorf("%s: sends %+v, saved %+v", saved.Name, got, saved)
		}
		for _, tf := range got.TopFee {
			i := slices.IndexFunc(saved.TopFee, func(s wx.TopFee) bool { return s.Type == tf.Type })
			if i < 0 || tf.Normal != saved.TopFee[i].Normal || !slices.Equal(tf.Custom, saved.TopFee[i].Custom) {
				t.Errorf("%s: courier %d sends %+v, saved %+v", saved.Name, tf.Type, tf, saved.TopFee)
			}
		}
	}
}

// The editor's checks, each beside its field, in the operator's language.
func TestPostageDraftCheck(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	d := NewPostageDraft()
	d.Name = "偏远加价"
	d.Couriers[1].Default.StartFee, d.Couriers[1].Default.AddFee = "10", "2"
	d.AddRule(DefaultPostageCourier)
	d.AddRule(DefaultPostageCourier)
	d.AddRule(DefaultPostageCourier)
	kd := &d.Couriers[1]
	kd.Rules[0].Province = "新疆维吾尔自治区"
	kd.Rules[1].Province, kd.Rules[1].City = "广东省", "火星市"
	kd.Rules[2].Province = "新疆维吾尔自治区"
	_, errs, err := ts.CheckPostage(t.Context(), zh, d)
	if err != nil {
		t.Fatal(err)
	}
	k := "r" + strconv.Itoa(DefaultPostageCourier) + "."
	if errs[k+"0"] != "" || errs[k+"1"] != zh.T("postage.err.region") || errs[k+"2"] != zh.T("postage.err.duplicate") {
		t.Errorf("errors %v: want the unknown city and the repeated province named", errs)
	}
	d.DeleteRule(DefaultPostageCourier, 2)
	d.DeleteRule(DefaultPostageCourier, 1)
	d.DeleteRule(DefaultPostageCourier, 5) // not there: nothing changes
	tmpl, errs, err := ts.CheckPostage(t.Context(), zh, d)
	if err != nil || len(errs) > 0 {
		t.Fatalf("after removing the bad rules: %v %v", errs, err)
	}
	if len(tmpl.TopFee) != 1 || len(tmpl.TopFee[0].Custom) != 1 || tmpl.TopFee[0].Normal.StartFees != 1000 {
		t.Errorf("sends %+v, want 快递 at ¥10 with the one rule for 新疆", tmpl.TopFee)
	}

	empty := PostageDraft{Name: string(make([]rune, 31))}
	_, errs, _ = ts.CheckPostage(t.Context(), zh, empty)
	if errs["name"] != zh.T("postage.err.name.long", 30) || errs["couriers"] != zh.T("postage.err.couriers") {
		t.Errorf("a draft with a long name and no courier: %v", errs)
	}
}

// The calculator answers from the template as saved, or says why it cannot.
func TestPostageFee(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	d := NewPostageDraft()
	d.Name, d.Couriers[1].Default = "快递", FeeRuleDraft{Start: "1", StartFee: "10", Add: "1", AddFee: "2"}
	tmpl, _, _ := ts.CheckPostage(t.Context(), zh, d)
	if got, ok := PostageFee(zh, *tmpl, DefaultPostageCourier, "3", "广东省", ""); !ok || got != zh.T("postage.calc.result", 3, "广东省", CourierName(zh, DefaultPostageCourier), "¥14.00") {
		t.Errorf("3 pieces to 广东省: %q %v", got, ok)
	}
	if got, ok := PostageFee(zh, *tmpl, DefaultPostageCourier, "0", "广东省", ""); ok || got != zh.T("postage.calc.err.pieces") {
		t.Errorf("0 pieces: %q %v", got, ok)
	}
	if _, ok := PostageFee(zh, *tmpl, PostageCouriers[0], "1", "广东省", ""); ok {
		t.Error("a courier the template does not have got a fee")
	}
}

// The shelf editor's buttons: add from the palette, move, delete; a button for a control that is not there
// changes nothing.
func TestShelfDraftEdit(t *testing.T) {
	var d ShelfDraft
	d.Edit("add", ShelfProducts)
	d.Edit("add", ShelfGroupNames)
	d.Edit("add", 9)
	if len(d.Controls) != 2 || d.Controls[0].Count != "4" {
		t.Fatalf("after adding 1, 2 and 9: %+v", d.Controls)
	}
	d.Edit("down", 0)
	d.Edit("down", 1)
	d.Edit("up", 0)
	if d.Controls[0].EID != ShelfGroupNames || d.Controls[1].EID != ShelfProducts {
		t.Errorf("after moving: %+v", d.Controls)
	}
	d.Edit("del", 7)
	d.Edit("del", 0)
	if len(d.Controls) != 1 || d.Controls[0].EID != ShelfProducts {
		t.Errorf("after deleting: %+v", d.Controls)
	}
}

// A shelf is checked against the mirror's groups and the images it may show; every saved shelf of the demo
// shop passes with the images it already shows.
func TestCheckShelf(t *testing.T) {
	ts := newTestShop(t, sandbox.Options{})
	if _, err := ts.SyncGroups(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, saved := range ts.sandbox.Shelves() {
		d := ShelfDraftOf(saved)
		got, errs, err := ts.CheckShelf(t.Context(), zh, d, d.Images())
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s: %v %v", saved.ShelfName, errs, err)
		}
		if len(got.ShelfInfo.ModuleInfos) != len(saved.ShelfInfo.ModuleInfos) {
			t.Errorf("%s: sends %d controls, saved %d", saved.ShelfName, len(got.ShelfInfo.ModuleInfos), len(saved.ShelfInfo.ModuleInfos))
		}
		if imgs := d.Images(); len(imgs) > 0 {
			_, errs, _ := ts.CheckShelf(t.Context(), zh, d, nil)
			if len(errs) == 0 {
				t.Errorf("%s: images outside the library %v accepted when the shelf does not show them already", saved.ShelfName, imgs)
			}
		}
	}
	groups := ts.sandbox.Groups()
	d := ShelfDraft{Name: "首页", Controls: []ShelfControlDraft{NewShelfControl(ShelfProducts), {EID: ShelfBackground, Groups: []string{"1"}}}}
	d.Controls[0].Group = strconv.FormatInt(groups[0].GroupID, 10)
	_, errs, _ := ts.CheckShelf(t.Context(), zh, d, nil)
	if errs["controls"] != zh.T("shelves.err.alone") || errs["m1.error"] == "" || errs["m0.error"] != "" {
		t.Errorf("a background control beside another: %v", errs)
	}
	d.Controls[0].Group = "999999"
	d.Controls = d.Controls[:1]
	_, errs, _ = ts.CheckShelf(t.Context(), zh, d, nil)
	if errs["m0.error"] != zh.T("shelves.err.group") {
		t.Errorf("a group the mirror does not hold: %v", errs)
	}
	if !slices.Equal(ShelfDraft{Banner: "a", Controls: []ShelfControlDraft{{Img: "a"}, {GroupImgs: []string{"b", "", "a"}}}}.Images(), []string{"a", "b"}) {
		t.Error("Images lists each image once, in order")
	}
}
