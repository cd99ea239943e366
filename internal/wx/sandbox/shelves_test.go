package sandbox_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"wxshop/internal/wx"
)

// One shelf through its whole life, as the app will drive it.
func TestShelfLifecycle(t *testing.T) {
	sf := newStorefront(t)
	ctx := t.Context()
	sent := sf.shelf124()
	id := sf.addShelf(sent)

	got, err := sf.wx.GetShelf(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := *sent
	want.ShelfID = id
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("getbyid answered\n%+v\nwant\n%+v", *got, want)
	}

	// mod replaces the shelf and keeps its id; what getbyid answered may be sent back as it is.
	got.ShelfName = "首页（改）"
	got.ShelfBanner = ""
	got.ShelfInfo.ModuleInfos = append(got.ShelfInfo.ModuleInfos[1:], wx.NewShelfModuleGroupImage(sf.groups[0], sf.images[4]))
	if err := sf.wx.UpdateShelf(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, err := sf.wx.GetShelf(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, got) {
		t.Fatalf("after mod getbyid answered\n%+v\nwant\n%+v", again, got)
	}

	other := sf.addShelf(sf.shelf5())
	all, err := sf.wx.Shelves(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || !reflect.DeepEqual(all[0], *got) || all[1].ShelfID != other || all[1].ShelfInfo.ModuleInfos[0].EID != wx.ShelfModuleBackground {
		t.Fatalf("getall answered %+v", all)
	}
	raw := string(sf.get("/merchant/shelf/getall", map[string][]string{"access_token": {sf.token()}}).raw)
	for _, part := range []string{`"shelves":[{`, `"shelf_info":{"module_infos":[{"group_infos":`, `"shelf_banner":""`, `"shelf_name":"导航"`, fmt.Sprintf(`"shelf_id":%d`, other)} {
		if !strings.Contains(raw, part) {
			t.Errorf("getall answer lacks %s: %s", part, raw)
		}
	}
	if a := sf.post("/merchant/shelf/getall", ""); a.ErrCode != codeRequireGET {
		t.Errorf("POST getall: %s", a.raw)
	}

	if err := sf.wx.DeleteShelf(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = sf.wx.GetShelf(ctx, id)
	wantCode(t, err, codeShelfNotFound)
	wantCode(t, sf.wx.DeleteShelf(ctx, id), codeShelfNotFound)
	wantCode(t, sf.wx.UpdateShelf(ctx, got), codeShelfNotFound)
	if all := sf.sb.Shelves(); len(all) != 1 || all[0].ShelfID != other {
		t.Errorf("shelves after delete: %+v", all)
	}
}

// A group a shelf shows cannot be deleted until no shelf shows it.
func TestGroupUsedByShelf(t *testing.T) {
	sf := newStorefront(t)
	ctx := t.Context()
	id := sf.addShelf(sf.shelf124())
	before := sf.storefrontState()
	for _, g := range sf.groups[:4] { // controls 1, 2 and 4 show groups 0, 1 to 4 and 2 to 4
		wantCode(t, sf.wx.DeleteGroup(ctx, g), codeGroupInUse)
	}
	sf.wantStateUnchanged(before)

	s := sf.shelf124()
	s.ShelfID = id
	s.ShelfInfo.ModuleInfos = s.ShelfInfo.ModuleInfos[1:] // no longer control 1 of group 0
	if err := sf.wx.UpdateShelf(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := sf.wx.DeleteGroup(ctx, sf.groups[0]); err != nil {
		t.Fatalf("deleting a group no shelf shows: %v", err)
	}
	wantCode(t, sf.wx.DeleteGroup(ctx, sf.groups[1]), codeGroupInUse)
	if err := sf.wx.DeleteShelf(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := sf.wx.DeleteGroup(ctx, sf.groups[1]); err != nil {
		t.Fatalf("deleting a group after its shelf: %v", err)
	}
}

// Control 5 stands alone (5.1.4.5): with no other control and no shelf_banner.
func TestShelfControl5(t *testing.T) {
	sf := newStorefront(t)
	ctx := t.Context()
	id := sf.addShelf(sf.shelf5())

	before := sf.storefrontState()
	with1 := sf.shelf5()
	with1.ShelfInfo.ModuleInfos = append(with1.ShelfInfo.ModuleInfos, wx.NewShelfModuleProducts(sf.groups[0], 2))
	after1 := sf.shelf124()
	after1.ShelfInfo.ModuleInfos = append(after1.ShelfInfo.ModuleInfos, sf.shelf5().ShelfInfo.ModuleInfos...)
	after1.ShelfBanner = ""
	banner := sf.shelf5()
	banner.ShelfBanner = sf.images[0]
	for name, s := range map[string]*wx.Shelf{"control 5 then 1": with1, "controls 1, 2, 4 then 5": after1, "control 5 with a banner": banner} {
		_, err := sf.wx.CreateShelf(ctx, s)
		wantCode(t, err, codeControl5NotAlone)
		s.ShelfID = id
		wantCode(t, sf.wx.UpdateShelf(ctx, s), codeControl5NotAlone)
		if t.Failed() {
			t.Fatalf("%s was accepted", name)
		}
	}
	sf.wantStateUnchanged(before)
}

// The manual's own shelf/add example mixes control 5 with controls 1 to 4 and a banner, which its 5.1.4.5
// forbids. The sandbox follows 5.1.4.5 and refuses the example, whatever its groups and images.
func TestShelfManualExampleBreaksControl5Rule(t *testing.T) {
	sf := newStorefront(t)
	body, err := os.ReadFile("../testdata/merchant_shelf_add_request.json")
	if err != nil {
		t.Fatal(err)
	}
	if a := sf.post("/merchant/shelf/add", string(body)); a.ErrCode != codeControl5NotAlone {
		t.Errorf("the manual's shelf/add example: %s", a.raw)
	}

	// Without control 5, and with this shop's groups and images, the example is accepted.
	var ex struct {
		ShelfData   wx.ShelfData `json:"shelf_data"`
		ShelfBanner string       `json:"shelf_banner"`
		ShelfName   string       `json:"shelf_name"`
	}
	if err := json.Unmarshal(body, &ex); err != nil {
		t.Fatal(err)
	}
	mods := ex.ShelfData.ModuleInfos
	if n := len(mods); n != 5 || mods[4].EID != wx.ShelfModuleBackground {
		t.Fatalf("the example has %d controls: %+v", n, mods)
	}
	s := &wx.Shelf{ShelfName: ex.ShelfName, ShelfBanner: sf.images[0], ShelfInfo: wx.ShelfData{ModuleInfos: mods[:4]}}
	ours := map[int64]int64{49: sf.groups[0], 50: sf.groups[1], 51: sf.groups[2], 52: sf.groups[3]}
	for _, m := range s.ShelfInfo.ModuleInfos {
		if gi := m.GroupInfo; gi != nil {
			gi.GroupID = ours[gi.GroupID]
			if gi.Img != "" {
				gi.Img = sf.images[1]
			}
		}
		if gi := m.GroupInfos; gi != nil {
			for i := range gi.Groups {
				gi.Groups[i].GroupID = ours[gi.Groups[i].GroupID]
				if gi.Groups[i].Img != "" {
					gi.Groups[i].Img = sf.images[2]
				}
			}
		}
	}
	sf.addShelf(s)
}

// Every rule of a shelf, each refused with its own code, by add and by mod, without changing anything.
func TestShelfRefusesBrokenRules(t *testing.T) {
	sf := newStorefront(t)
	ctx := t.Context()
	existing := sf.addShelf(sf.shelf124())
	g, img := sf.groups, sf.images
	control := func(s *wx.Shelf, i int) *wx.ShelfModule { return &s.ShelfInfo.ModuleInfos[i] }
	only := func(s *wx.Shelf, m wx.ShelfModule) { s.ShelfInfo.ModuleInfos = []wx.ShelfModule{m}; s.ShelfBanner = "" }
	cases := []struct {
		name   string
		code   int
		change func(s *wx.Shelf)
	}{
		{"blank name", codeInvalidArgs, func(s *wx.Shelf) { s.ShelfName = " " }},
		{"eid 0", codeShelfControl, func(s *wx.Shelf) { control(s, 1).EID = 0 }},
		{"eid 6", codeShelfControl, func(s *wx.Shelf) { control(s, 1).EID = 6 }},
		{"control 1 showing 0 products", codeShelfControl, func(s *wx.Shelf) { control(s, 0).GroupInfo.Filter.Count = 0 }},
		{"control 1 without filter", codeShelfControl, func(s *wx.Shelf) { control(s, 0).GroupInfo.Filter = nil }},
		{"control 1 with group_infos", codeShelfControl, func(s *wx.Shelf) { control(s, 0).GroupInfos = control(s, 1).GroupInfos }},
		{"control 1 without group_info", codeShelfControl, func(s *wx.Shelf) { control(s, 0).GroupInfo = nil }},
		{"control 1 with an img", codeShelfControl, func(s *wx.Shelf) { control(s, 0).GroupInfo.Img = img[1] }},
		{"control 2 with 5 groups", codeShelfControl, func(s *wx.Shelf) { *control(s, 1) = wx.NewShelfModuleGroupNames(g...) }},
		{"control 2 without groups", codeShelfControl, func(s *wx.Shelf) { *control(s, 1) = wx.NewShelfModuleGroupNames() }},
		{"control 2 with group_info", codeShelfControl, func(s *wx.Shelf) { control(s, 1).GroupInfo = control(s, 0).GroupInfo }},
		{"control 2 with a group img", codeShelfControl, func(s *wx.Shelf) { control(s, 1).GroupInfos.Groups[0].Img = img[1] }},
		{"control 2 with img_background", codeShelfControl, func(s *wx.Shelf) { control(s, 1).GroupInfos.ImgBackground = img[1] }},
		{"control 3 without img", codeShelfControl, func(s *wx.Shelf) { s.ShelfInfo.ModuleInfos[0] = wx.NewShelfModuleGroupImage(g[0], "") }},
		{"control 3 with filter", codeShelfControl, func(s *wx.Shelf) {
			m := wx.NewShelfModuleGroupImage(g[0], img[1])
			m.GroupInfo.Filter = &wx.ShelfFilter{Count: 2}
			s.ShelfInfo.ModuleInfos[0] = m
		}},
		{"control 4 with 4 groups", codeShelfControl, func(s *wx.Shelf) {
			control(s, 2).GroupInfos.Groups = append(control(s, 2).GroupInfos.Groups, wx.ShelfGroup{GroupID: g[0], Img: img[4]})
		}},
		{"control 4 without groups", codeShelfControl, func(s *wx.Shelf) { *control(s, 2) = wx.NewShelfModuleGroupImages() }},
		{"control 4 group without img", codeShelfControl, func(s *wx.Shelf) { control(s, 2).GroupInfos.Groups[1].Img = "" }},
		{"control 4 with img_background", codeShelfControl, func(s *wx.Shelf) { control(s, 2).GroupInfos.ImgBackground = img[4] }},
		{"control 5 without img_background", codeShelfControl, func(s *wx.Shelf) { only(s, wx.NewShelfModuleBackground("", g...)) }},
		{"control 5 without groups", codeShelfControl, func(s *wx.Shelf) { only(s, wx.NewShelfModuleBackground(img[4])) }},
		{"control 5 with a group img", codeShelfControl, func(s *wx.Shelf) {
			m := wx.NewShelfModuleBackground(img[4], g...)
			m.GroupInfos.Groups[2].Img = img[1]
			only(s, m)
		}},
		{"control 5 with another control", codeControl5NotAlone, func(s *wx.Shelf) {
			s.ShelfInfo.ModuleInfos = append(s.ShelfInfo.ModuleInfos, wx.NewShelfModuleBackground(img[4], g...))
		}},
		{"control 5 with a banner", codeControl5NotAlone, func(s *wx.Shelf) {
			s.ShelfInfo.ModuleInfos = []wx.ShelfModule{wx.NewShelfModuleBackground(img[4], g...)}
		}},
		{"control 1 of an unknown group", codeGroupNotFound, func(s *wx.Shelf) { control(s, 0).GroupInfo.GroupID = unknownID }},
		{"control 2 of an unknown group", codeGroupNotFound, func(s *wx.Shelf) { control(s, 1).GroupInfos.Groups[3].GroupID = unknownID }},
		{"control 3 of an unknown group", codeGroupNotFound, func(s *wx.Shelf) { s.ShelfInfo.ModuleInfos[0] = wx.NewShelfModuleGroupImage(unknownID, img[1]) }},
		{"control 4 of an unknown group", codeGroupNotFound, func(s *wx.Shelf) { control(s, 2).GroupInfos.Groups[0].GroupID = unknownID }},
		{"control 5 of an unknown group", codeGroupNotFound, func(s *wx.Shelf) { only(s, wx.NewShelfModuleBackground(img[4], g[0], unknownID)) }},
		{"control of group 0", codeInvalidArgs, func(s *wx.Shelf) { control(s, 1).GroupInfos.Groups[0].GroupID = 0 }},
		{"banner not uploaded", codeImageNotOurs, func(s *wx.Shelf) { s.ShelfBanner = foreignImage }},
		{"control 3 img not uploaded", codeImageNotOurs, func(s *wx.Shelf) { s.ShelfInfo.ModuleInfos[0] = wx.NewShelfModuleGroupImage(g[0], foreignImage) }},
		{"control 4 img not uploaded", codeImageNotOurs, func(s *wx.Shelf) { control(s, 2).GroupInfos.Groups[2].Img = foreignImage }},
		{"control 5 img_background not uploaded", codeImageNotOurs, func(s *wx.Shelf) { only(s, wx.NewShelfModuleBackground(foreignImage, g...)) }},
		{"image never handed out", codeImageNotOurs, func(s *wx.Shelf) { s.ShelfBanner = sf.ts.URL + "/sandbox/img/999.png" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := sf.storefrontState()
			s := sf.shelf124()
			tc.change(s)
			_, err := sf.wx.CreateShelf(ctx, s)
			wantCode(t, err, tc.code)
			s.ShelfID = existing
			wantCode(t, sf.wx.UpdateShelf(ctx, s), tc.code)
			sf.wantStateUnchanged(before)
		})
	}

	// What the client would not send.
	before := sf.storefrontState()
	for path, body := range map[string]string{
		"/merchant/shelf/add":     `{"shelf_name": "空", "shelf_data": {"module_infos": []}}`,
		"/merchant/shelf/mod":     fmt.Sprintf(`{"shelf_id": %d, "shelf_name": "空"}`, existing),
		"/merchant/shelf/del":     `{}`,
		"/merchant/shelf/getbyid": `{"shelf_id": 0}`,
	} {
		if a := sf.post(path, body); a.ErrCode != codeInvalidArgs {
			t.Errorf("%s %s: %s", path, body, a.raw)
		}
	}
	if a := sf.post("/merchant/shelf/add", `{"shelf_data": `); a.ErrCode != codeDataFormat {
		t.Errorf("add with a broken body: %s", a.raw)
	}
	_, err := sf.wx.GetShelf(ctx, unknownID)
	wantCode(t, err, codeShelfNotFound)
	wantCode(t, sf.wx.DeleteShelf(ctx, unknownID), codeShelfNotFound)
	s := sf.shelf124()
	s.ShelfID = unknownID
	wantCode(t, sf.wx.UpdateShelf(ctx, s), codeShelfNotFound)
	sf.wantStateUnchanged(before)
}

// What the rules allow: a shelf of one control 1 to 4 each, several of one kind, controls 2 and 4 at their
// largest, a group shown by several controls, no banner.
func TestShelfAccepts(t *testing.T) {
	sf := newStorefront(t)
	g, img := sf.groups, sf.images
	for _, m := range []wx.ShelfModule{
		wx.NewShelfModuleProducts(g[0], 1),
		wx.NewShelfModuleGroupNames(g[0]),
		wx.NewShelfModuleGroupImage(g[0], img[0]),
		wx.NewShelfModuleGroupImages(wx.ShelfGroup{GroupID: g[0], Img: img[0]}),
		wx.NewShelfModuleBackground(img[0], g[0]),
	} {
		sf.addShelf(&wx.Shelf{ShelfName: fmt.Sprintf("控件%d", m.EID), ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{m}}})
	}
	sf.addShelf(&wx.Shelf{ShelfName: "全部", ShelfBanner: img[1], ShelfInfo: wx.ShelfData{ModuleInfos: []wx.ShelfModule{
		wx.NewShelfModuleProducts(g[0], 10), wx.NewShelfModuleProducts(g[1], 2),
		wx.NewShelfModuleGroupNames(g[0], g[1], g[2], g[3]),
		wx.NewShelfModuleGroupImage(g[4], img[2]),
		wx.NewShelfModuleGroupImages(wx.ShelfGroup{GroupID: g[0], Img: img[3]}, wx.ShelfGroup{GroupID: g[1], Img: img[3]}, wx.ShelfGroup{GroupID: g[2], Img: img[4]}),
	}}})
	if n := len(sf.sb.Shelves()); n != 6 {
		t.Fatalf("%d shelves", n)
	}
	for _, s := range sf.sb.Shelves() {
		if err := s.ShelfInfo.Validate(); err != nil {
			t.Errorf("%s: the sandbox holds what wx.ShelfData.Validate refuses: %v", s.ShelfName, err)
		}
	}
}
