package app

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/web/templates"
)

// The shelf editor: controls are added from a palette, ordered and filled in; every change re-renders the
// editor with a phone-sized preview built from the real groups and products. The manual's control rules are
// checked before anything is sent.

func (a *App) showShelves(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	rows, err := a.store.Shelves(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.ShelvesView{CanWrite: canWrite(Role(currentUser(c).Role))}
	if t := a.shop.SyncedAt(ctx, shop.SettingShelvesSyncedAt); !t.IsZero() {
		v.SyncedAt = templates.FormatTime(t)
	}
	for _, row := range rows {
		s, err := shop.StoredShelf(row)
		if err != nil {
			a.serverError(c, err)
			return
		}
		var kinds []string
		for _, m := range s.ShelfInfo.ModuleInfos {
			kinds = append(kinds, p.T("shelves.control."+strconv.Itoa(m.EID)))
		}
		v.Rows = append(v.Rows, templates.ShelfRow{ID: s.ShelfID, Name: s.ShelfName, Controls: strings.Join(kinds, "、")})
	}
	a.render(c, http.StatusOK, templates.ShelvesPage(a.page(c, "title.shelves", "shelves"), v))
}

func (a *App) syncShelvesNow(c *gin.Context) {
	a.syncNow(c, shop.MirrorShelves, "/shelves")
}

// shelfInput is the editor as typed.
type shelfInput struct {
	name, banner string
	controls     []templates.ShelfControlField
}

func parseShelfInput(c *gin.Context) shelfInput {
	in := shelfInput{name: strings.TrimSpace(c.PostForm("name")), banner: c.PostForm("banner")}
	for i, e := range c.PostFormArray("eid") {
		eid, _ := strconv.Atoi(e)
		key := func(f string) string { return fmt.Sprintf("m%d.%s", i, f) }
		m := templates.ShelfControlField{EID: eid, Group: c.PostForm(key("group")), Count: strings.TrimSpace(c.PostForm(key("count"))), Img: c.PostForm(key("img"))}
		switch eid {
		case wx.ShelfModuleGroupNames, wx.ShelfModuleBackground:
			m.Groups = c.PostFormArray(key("groups"))
		case wx.ShelfModuleGroupImages:
			for j := range wx.MaxShelfGroupImages {
				m.Groups = append(m.Groups, c.PostForm(key(fmt.Sprintf("slot%d", j))))
				m.GroupImgs = append(m.GroupImgs, c.PostForm(key(fmt.Sprintf("slotimg%d", j))))
			}
		}
		in.controls = append(in.controls, m)
	}
	return in
}

func inputFromShelf(s wx.Shelf) shelfInput {
	in := shelfInput{name: s.ShelfName, banner: s.ShelfBanner}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, m := range s.ShelfInfo.ModuleInfos {
		f := templates.ShelfControlField{EID: m.EID}
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
			if m.EID == wx.ShelfModuleBackground {
				f.Img = gis.ImgBackground
			}
		}
		in.controls = append(in.controls, f)
	}
	return in
}

// images lists every image the shelf uses.
func (in shelfInput) images() []string {
	var urls []string
	add := func(u string) {
		if u != "" && !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	add(in.banner)
	for _, m := range in.controls {
		add(m.Img)
		for _, u := range m.GroupImgs {
			add(u)
		}
	}
	return urls
}

func newControl(eid int) templates.ShelfControlField {
	m := templates.ShelfControlField{EID: eid}
	if eid == wx.ShelfModuleProducts {
		m.Count = "4"
	}
	return m
}

// validate checks the manual's control rules and builds the shelf to send.
func (in shelfInput) validate(p i18n.Printer, groups map[int64]string, images map[string]bool) (*wx.Shelf, templates.FieldErrors) {
	errs := templates.FieldErrors{}
	s := &wx.Shelf{ShelfName: in.name, ShelfBanner: in.banner}
	switch n := utf8.RuneCountInString(in.name); {
	case n == 0:
		errs["name"] = p.T("shelves.err.name")
	case n > 30:
		errs["name"] = p.T("shelves.err.name.long", 30)
	}
	if in.banner != "" && !images[in.banner] {
		errs["banner"] = p.T("form.err.image")
	}
	if len(in.controls) == 0 {
		errs["controls"] = p.T("shelves.err.none")
	}
	hasBackground := slices.ContainsFunc(in.controls, func(m templates.ShelfControlField) bool { return m.EID == wx.ShelfModuleBackground })
	if hasBackground && len(in.controls) > 1 {
		errs["controls"] = p.T("shelves.err.alone")
	}
	if hasBackground && in.banner != "" {
		errs["banner"] = p.T("shelves.err.banner5")
	}
	group := func(v string) (int64, bool) {
		id, err := strconv.ParseInt(v, 10, 64)
		_, known := groups[id]
		return id, err == nil && known
	}
	for i, m := range in.controls {
		key := fmt.Sprintf("m%d.error", i)
		fail := func(msg string) {
			if errs[key] == "" {
				errs[key] = msg
			}
		}
		var mod wx.ShelfModule
		switch m.EID {
		case wx.ShelfModuleProducts:
			id, ok := group(m.Group)
			count, err := strconv.Atoi(m.Count)
			if !ok {
				fail(p.T("shelves.err.group"))
			}
			if err != nil || count < 1 || count > 50 {
				fail(p.T("shelves.err.count"))
			}
			mod = wx.NewShelfModuleProducts(id, count)
		case wx.ShelfModuleGroupNames:
			var ids []int64
			for _, g := range m.Groups {
				if id, ok := group(g); ok {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 || len(ids) > wx.MaxShelfGroupNames {
				fail(p.T("shelves.err.names", wx.MaxShelfGroupNames, len(ids)))
			}
			mod = wx.NewShelfModuleGroupNames(ids...)
		case wx.ShelfModuleGroupImage:
			id, ok := group(m.Group)
			if !ok {
				fail(p.T("shelves.err.group"))
			}
			if m.Img == "" || !images[m.Img] {
				fail(p.T("shelves.err.img"))
			}
			mod = wx.NewShelfModuleGroupImage(id, m.Img)
		case wx.ShelfModuleGroupImages:
			var slots []wx.ShelfGroup
			for j, g := range m.Groups {
				if g == "" && m.GroupImgs[j] == "" {
					continue
				}
				id, ok := group(g)
				if !ok {
					fail(p.T("shelves.err.group"))
				}
				if m.GroupImgs[j] == "" || !images[m.GroupImgs[j]] {
					fail(p.T("shelves.err.slotimg"))
				}
				slots = append(slots, wx.ShelfGroup{GroupID: id, Img: m.GroupImgs[j]})
			}
			if len(slots) == 0 {
				fail(p.T("shelves.err.slots", wx.MaxShelfGroupImages))
			}
			mod = wx.NewShelfModuleGroupImages(slots...)
		case wx.ShelfModuleBackground:
			var ids []int64
			for _, g := range m.Groups {
				if id, ok := group(g); ok {
					ids = append(ids, id)
				}
			}
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

// shelfView fills the editor and its preview from what was typed.
func (a *App) shelfView(c *gin.Context, id int64, in shelfInput) (templates.ShelfFormView, error) {
	ctx := c.Request.Context()
	v := templates.ShelfFormView{ID: id, Name: in.name, Banner: in.banner, Controls: in.controls,
		Errors: templates.FieldErrors{}, CanWrite: canWrite(Role(currentUser(c).Role))}
	groups, err := a.store.Groups(ctx)
	if err != nil {
		return v, err
	}
	byID := map[string]db.Group{}
	for _, g := range groups {
		key := strconv.FormatInt(g.GroupID, 10)
		byID[key] = g
		v.Groups = append(v.Groups, templates.Option{Value: key, Label: g.Name})
	}
	library, _, err := a.store.Images(ctx, 500, 0)
	if err != nil {
		return v, err
	}
	seen := map[string]bool{}
	for _, img := range library {
		v.Library = append(v.Library, templates.ImageChoice{URL: img.URL, Thumb: fmt.Sprintf("/images/%d/thumb", img.ID), Name: img.Filename})
		seen[img.URL] = true
	}
	// Images the shelf already shows that are not in the library (a shelf made elsewhere) stay choosable.
	for _, u := range in.images() {
		if !seen[u] {
			v.Library = append(v.Library, templates.ImageChoice{URL: u, Thumb: u, Name: u[strings.LastIndex(u, "/")+1:]})
			seen[u] = true
		}
	}
	for _, m := range in.controls {
		b := templates.PreviewBlock{EID: m.EID}
		names := func(ids []string) []string {
			var out []string
			for _, id := range ids {
				if g, ok := byID[id]; ok {
					out = append(out, g.Name)
				}
			}
			return out
		}
		switch m.EID {
		case wx.ShelfModuleProducts:
			g := byID[m.Group]
			b.Title = g.Name
			count, _ := strconv.Atoi(m.Count)
			for _, pid := range g.ProductIDs {
				if len(b.Products) >= count {
					break
				}
				if prod, err := a.store.Product(ctx, pid); err == nil {
					b.Products = append(b.Products, templates.PreviewProduct{Name: prod.Name, Img: prod.MainImg, Price: money.Yuan(prod.MinPrice)})
				}
			}
		case wx.ShelfModuleGroupNames, wx.ShelfModuleBackground:
			b.Names, b.Background = names(m.Groups), m.Img
		case wx.ShelfModuleGroupImage:
			b.Title, b.Imgs = byID[m.Group].Name, []string{m.Img}
		case wx.ShelfModuleGroupImages:
			for j, gid := range m.Groups {
				if g, ok := byID[gid]; ok {
					b.Names = append(b.Names, g.Name)
					b.Imgs = append(b.Imgs, m.GroupImgs[j])
				}
			}
		}
		v.Preview = append(v.Preview, b)
	}
	return v, nil
}

func (a *App) renderShelfForm(c *gin.Context, status int, id int64, in shelfInput, errs templates.FieldErrors, problem string) {
	v, err := a.shelfView(c, id, in)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if errs != nil {
		v.Errors = errs
	}
	v.Problem = problem
	title := "shelves.new"
	if id != 0 {
		title = "title.shelves"
	}
	a.render(c, status, templates.ShelfFormPage(a.page(c, title, "shelves"), v))
}

func (a *App) showNewShelf(c *gin.Context) {
	a.renderShelfForm(c, http.StatusOK, 0, shelfInput{}, nil, "")
}

func (a *App) loadShelf(c *gin.Context) (wx.Shelf, bool) {
	return loadByID(a, c, a.shop.Shelf)
}

func (a *App) showShelf(c *gin.Context) {
	s, ok := a.loadShelf(c)
	if !ok {
		return
	}
	a.renderShelfForm(c, http.StatusOK, s.ShelfID, inputFromShelf(s), nil, "")
}

// saveShelf answers every submit of the editor: palette, ordering, preview, save.
func (a *App) saveShelf(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var id int64
	var shown []string // the images the saved shelf shows
	if c.Param("id") != "" {
		s, ok := a.loadShelf(c)
		if !ok {
			return
		}
		id, shown = s.ShelfID, inputFromShelf(s).images()
	}
	in := parseShelfInput(c)
	action := c.PostForm("action")
	verb, arg, _ := strings.Cut(action, ".")
	n, _ := strconv.Atoi(arg)
	switch verb {
	case "preview":
		a.renderShelfForm(c, http.StatusOK, id, in, nil, "")
		return
	case "add":
		if n >= 1 && n <= 5 {
			in.controls = append(in.controls, newControl(n))
		}
		a.renderShelfForm(c, http.StatusOK, id, in, nil, "")
		return
	case "up", "down", "del":
		if n >= 0 && n < len(in.controls) {
			switch {
			case verb == "del":
				in.controls = slices.Delete(in.controls, n, n+1)
			case verb == "up" && n > 0:
				in.controls[n-1], in.controls[n] = in.controls[n], in.controls[n-1]
			case verb == "down" && n < len(in.controls)-1:
				in.controls[n+1], in.controls[n] = in.controls[n], in.controls[n+1]
			}
		}
		a.renderShelfForm(c, http.StatusOK, id, in, nil, "")
		return
	}

	groups, err := a.store.Groups(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	known := map[int64]string{}
	for _, g := range groups {
		known[g.GroupID] = g.Name
	}
	// What the shelf already shows may stay, even if it never passed through the library.
	images, err := a.shop.AllowedImages(ctx, shown...)
	if err != nil {
		a.serverError(c, err)
		return
	}
	shelf, errs := in.validate(p, known, images)
	if len(errs) > 0 {
		a.renderShelfForm(c, http.StatusUnprocessableEntity, id, in, errs, p.T("form.err.summary", len(errs)))
		return
	}
	saved, err := a.shop.SaveShelf(ctx, a.journalOf(c), id, shelf)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		a.renderShelfForm(c, http.StatusUnprocessableEntity, id, in, nil, p.T("shelves.err.wx", wxMessage(p, err)))
		return
	}
	id = saved
	a.flash(c, "ok", p.T("shelves.saved", shelf.ShelfName))
	a.redirect(c, "/shelves/"+strconv.FormatInt(id, 10))
}

func (a *App) deleteShelf(c *gin.Context) {
	s, ok := a.loadShelf(c)
	if !ok {
		return
	}
	a.deleted(c, "shelves", s.ShelfID, s.ShelfName, a.shop.DeleteShelf(c.Request.Context(), a.journalOf(c), s))
}
