package shop

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// The kinds of shelf control (控件), as the shelf editor names them.
const (
	ShelfProducts       = wx.ShelfModuleProducts    // 控件1: one group, showing a number of its products
	ShelfGroupNames     = wx.ShelfModuleGroupNames  // 控件2: up to MaxShelfGroupNames groups, by name
	ShelfGroupImage     = wx.ShelfModuleGroupImage  // 控件3: one group, shown as an image
	ShelfGroupImages    = wx.ShelfModuleGroupImages // 控件4: up to MaxShelfGroupImages groups, each an image
	ShelfBackground     = wx.ShelfModuleBackground  // 控件5: groups by name over a background image, alone
	MaxShelfGroupNames  = wx.MaxShelfGroupNames
	MaxShelfGroupImages = wx.MaxShelfGroupImages
)

// ShelfControlDraft is one control of a shelf as typed.
type ShelfControlDraft struct {
	EID       int
	Group     string   // controls 1 and 3
	Count     string   // control 1
	Img       string   // control 3; the background of control 5
	Groups    []string // controls 2 and 5 (ticked), control 4 (one per slot)
	GroupImgs []string // control 4, one per slot
}

// ShelfDraft is a shelf as the operator typed it.
type ShelfDraft struct {
	Name, Banner string
	Controls     []ShelfControlDraft
}

// NewShelfControl is a control of kind eid as the palette adds it.
func NewShelfControl(eid int) ShelfControlDraft {
	m := ShelfControlDraft{EID: eid}
	if eid == ShelfProducts {
		m.Count = "4"
	}
	return m
}

// ShelfDraftOf fills the editor from a saved shelf.
func ShelfDraftOf(s wx.Shelf) ShelfDraft {
	d := ShelfDraft{Name: s.ShelfName, Banner: s.ShelfBanner}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, m := range s.ShelfInfo.ModuleInfos {
		f := ShelfControlDraft{EID: m.EID}
		if gi := m.GroupInfo; gi != nil {
			f.Group, f.Img = id(gi.GroupID), gi.Img
			if gi.Filter != nil {
				f.Count = strconv.Itoa(gi.Filter.Count)
			}
		}
		if gis := m.GroupInfos; gis != nil {
			for _, g := range gis.Groups {
				f.Groups = append(f.Groups, id(g.GroupID))
				f.GroupImgs = append(f.GroupImgs, g.Img)
			}
			if m.EID == ShelfBackground {
				f.Img = gis.ImgBackground
			}
		}
		d.Controls = append(d.Controls, f)
	}
	return d
}

// Images lists every image the shelf uses, each once.
func (d ShelfDraft) Images() []string {
	var urls []string
	add := func(u string) {
		if u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	add(d.Banner)
	for _, m := range d.Controls {
		add(m.Img)
		for _, u := range m.GroupImgs {
			add(u)
		}
	}
	return urls
}

// Edit applies one of the editor's buttons: "add" a control of kind n, move control n "up" or "down", "del"
// it. Anything else, or a control that is not there, changes nothing.
func (d *ShelfDraft) Edit(verb string, n int) {
	if verb == "add" {
		if n >= ShelfProducts && n <= ShelfBackground {
			d.Controls = append(d.Controls, NewShelfControl(n))
		}
		return
	}
	if n < 0 || n >= len(d.Controls) {
		return
	}
	switch {
	case verb == "del":
		d.Controls = slices.Delete(d.Controls, n, n+1)
	case verb == "up" && n > 0:
		d.Controls[n-1], d.Controls[n] = d.Controls[n], d.Controls[n-1]
	case verb == "down" && n < len(d.Controls)-1:
		d.Controls[n+1], d.Controls[n] = d.Controls[n], d.Controls[n+1]
	}
}

// CheckShelf checks the draft against the manual's control rules, the mirror's groups and the images a shelf
// may show (the library's, and shown: those the saved shelf already shows), and builds the shelf to send. The
// error is the store's.
func (s *Shop) CheckShelf(ctx context.Context, p i18n.Printer, d ShelfDraft, shown []string) (*wx.Shelf, FieldErrors, error) {
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return nil, nil, err
	}
	known := map[int64]bool{}
	for _, g := range groups {
		known[g.GroupID] = true
	}
	// What the shelf already shows may stay, even if it never passed through the library.
	images, err := s.AllowedImages(ctx, shown...)
	if err != nil {
		return nil, nil, err
	}
	sh, errs := d.check(p, known, images)
	return sh, errs, nil
}

func (d ShelfDraft) check(p i18n.Printer, groups map[int64]bool, images map[string]bool) (*wx.Shelf, FieldErrors) {
	errs := FieldErrors{}
	s := &wx.Shelf{ShelfName: d.Name, ShelfBanner: d.Banner}
	checkName(p, errs, d.Name, "shelves.err.name", "shelves.err.name.long")
	if d.Banner != "" && !images[d.Banner] {
		errs["banner"] = p.T("form.err.image")
	}
	if len(d.Controls) == 0 {
		errs["controls"] = p.T("shelves.err.none")
	}
	hasBackground := slices.ContainsFunc(d.Controls, func(m ShelfControlDraft) bool { return m.EID == ShelfBackground })
	if hasBackground && len(d.Controls) > 1 {
		errs["controls"] = p.T("shelves.err.alone")
	}
	if hasBackground && d.Banner != "" {
		errs["banner"] = p.T("shelves.err.banner5")
	}
	group := func(v string) (int64, bool) {
		id, err := strconv.ParseInt(v, 10, 64)
		return id, err == nil && groups[id]
	}
	knownGroups := func(list []string) []int64 {
		var ids []int64
		for _, g := range list {
			if id, ok := group(g); ok {
				ids = append(ids, id)
			}
		}
		return ids
	}
	for i, m := range d.Controls {
		key := fmt.Sprintf("m%d.error", i)
		fail := func(msg string) {
			if errs[key] == "" {
				errs[key] = msg
			}
		}
		var mod wx.ShelfModule
		switch m.EID {
		case ShelfProducts:
			id, ok := group(m.Group)
			count, err := strconv.Atoi(m.Count)
			if !ok {
				fail(p.T("shelves.err.group"))
			}
			if err != nil || count < 1 || count > 50 {
				fail(p.T("shelves.err.count"))
			}
			mod = wx.NewShelfModuleProducts(id, count)
		case ShelfGroupNames:
			ids := knownGroups(m.Groups)
			if len(ids) == 0 || len(ids) > MaxShelfGroupNames {
				fail(p.T("shelves.err.names", MaxShelfGroupNames, len(ids)))
			}
			mod = wx.NewShelfModuleGroupNames(ids...)
		case ShelfGroupImage:
			id, ok := group(m.Group)
			if !ok {
				fail(p.T("shelves.err.group"))
			}
			if m.Img == "" || !images[m.Img] {
				fail(p.T("shelves.err.img"))
			}
			mod = wx.NewShelfModuleGroupImage(id, m.Img)
		case ShelfGroupImages:
			var slots []wx.ShelfGroup
			for j, g := range m.Groups {
				img := ""
				if j < len(m.GroupImgs) {
					img = m.GroupImgs[j]
				}
				if g == "" && img == "" {
					continue
				}
				id, ok := group(g)
				if !ok {
					fail(p.T("shelves.err.group"))
				}
				if img == "" || !images[img] {
					fail(p.T("shelves.err.slotimg"))
				}
				slots = append(slots, wx.ShelfGroup{GroupID: id, Img: img})
			}
			if len(slots) == 0 {
				fail(p.T("shelves.err.slots", MaxShelfGroupImages))
			}
			mod = wx.NewShelfModuleGroupImages(slots...)
		case ShelfBackground:
			ids := knownGroups(m.Groups)
			if len(ids) == 0 {
				fail(p.T("shelves.err.groups"))
			}
			if m.Img == "" || !images[m.Img] {
				fail(p.T("shelves.err.background"))
			}
			mod = wx.NewShelfModuleBackground(m.Img, ids...)
		default:
			fail(p.T("shelves.err.kind"))
		}
		s.ShelfInfo.ModuleInfos = append(s.ShelfInfo.ModuleInfos, mod)
	}
	return s, errs
}

// CheckPostage checks the draft against the national region list and builds the template to send. The error
// is the store's.
func (s *Shop) CheckPostage(ctx context.Context, p i18n.Printer, d PostageDraft) (*wx.DeliveryTemplate, FieldErrors, error) {
	_, cities, err := s.RegionIndex(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, errs := d.Check(p, cities)
	return t, errs, nil
}
