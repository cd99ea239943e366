package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// The shelf editor: controls are added from a palette, ordered and filled in; every change re-renders the
// editor with a phone-sized preview built from the real groups and products. The manual's control rules are
// checked before anything is sent.

func (a *App) showShelves(c *gin.Context) {
	p := a.printer(c)
	showMirrorList(a, c, shelvesList, a.store.Shelves, func(row db.Shelf) (templates.MirrorRow, error) {
		s, err := shop.StoredShelf(row)
		var kinds []string
		for _, m := range s.ShelfInfo.ModuleInfos {
			kinds = append(kinds, p.T("shelves.control."+strconv.Itoa(m.EID)))
		}
		return templates.MirrorRow{ID: s.ShelfID, Name: s.ShelfName, Cells: []templates.MirrorCell{{Text: strings.Join(kinds, "、")}}}, err
	})
}

func (a *App) syncShelvesNow(c *gin.Context) {
	a.syncNow(c, shop.MirrorShelves, "/shelves")
}

// parseShelfDraft reads the editor as typed.
func parseShelfDraft(c *gin.Context) shop.ShelfDraft {
	d := shop.ShelfDraft{Name: strings.TrimSpace(c.PostForm("name")), Banner: c.PostForm("banner")}
	for i, e := range c.PostFormArray("eid") {
		eid, _ := strconv.Atoi(e)
		key := func(f string) string { return fmt.Sprintf("m%d.%s", i, f) }
		m := shop.ShelfControlDraft{EID: eid, Group: c.PostForm(key("group")), Count: strings.TrimSpace(c.PostForm(key("count"))), Img: c.PostForm(key("img"))}
		switch eid {
		case shop.ShelfGroupNames, shop.ShelfBackground:
			m.Groups = c.PostFormArray(key("groups"))
		case shop.ShelfGroupImages:
			for j := range shop.MaxShelfGroupImages {
				m.Groups = append(m.Groups, c.PostForm(key(fmt.Sprintf("slot%d", j))))
				m.GroupImgs = append(m.GroupImgs, c.PostForm(key(fmt.Sprintf("slotimg%d", j))))
			}
		}
		d.Controls = append(d.Controls, m)
	}
	return d
}

// shelfView fills the editor and its preview from what was typed.
func (a *App) shelfView(c *gin.Context, id int64, d shop.ShelfDraft) (templates.ShelfFormView, error) {
	ctx := c.Request.Context()
	v := templates.ShelfFormView{ID: id, Name: d.Name, Banner: d.Banner,
		Errors: templates.FieldErrors{}, CanWrite: canWrite(Role(currentUser(c).Role))}
	for _, m := range d.Controls {
		v.Controls = append(v.Controls, templates.ShelfControlField(m))
	}
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
	// Images the shelf already shows that are not in the library (a shelf made elsewhere) stay choosable.
	if v.Library, err = a.imageChoices(ctx, 500, d.Images()); err != nil {
		return v, err
	}
	for _, m := range d.Controls {
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
		case shop.ShelfProducts:
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
		case shop.ShelfGroupNames, shop.ShelfBackground:
			b.Names, b.Background = names(m.Groups), m.Img
		case shop.ShelfGroupImage:
			b.Title, b.Imgs = byID[m.Group].Name, []string{m.Img}
		case shop.ShelfGroupImages:
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

func (a *App) renderShelfForm(c *gin.Context, status int, id int64, d shop.ShelfDraft, errs shop.FieldErrors, problem string) {
	v, err := a.shelfView(c, id, d)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if errs != nil {
		v.Errors = templates.FieldErrors(errs)
	}
	v.Problem = problem
	title := "shelves.new"
	if id != 0 {
		title = "title.shelves"
	}
	a.render(c, status, templates.ShelfFormPage(a.page(c, title, "shelves"), v))
}

func (a *App) showNewShelf(c *gin.Context) {
	a.renderShelfForm(c, http.StatusOK, 0, shop.ShelfDraft{}, nil, "")
}

func (a *App) showShelf(c *gin.Context) {
	s, ok := loadByID(a, c, a.shop.Shelf)
	if !ok {
		return
	}
	a.renderShelfForm(c, http.StatusOK, s.ShelfID, shop.ShelfDraftOf(s), nil, "")
}

// saveShelf answers every submit of the editor: palette, ordering, preview, save.
func (a *App) saveShelf(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	var id int64
	var shown []string // the images the saved shelf shows
	if c.Param("id") != "" {
		s, ok := loadByID(a, c, a.shop.Shelf)
		if !ok {
			return
		}
		id, shown = s.ShelfID, shop.ShelfDraftOf(s).Images()
	}
	d := parseShelfDraft(c)
	verb, arg, _ := strings.Cut(c.PostForm("action"), ".")
	switch verb {
	case "preview", "add", "up", "down", "del":
		n, _ := strconv.Atoi(arg)
		d.Edit(verb, n)
		a.renderShelfForm(c, http.StatusOK, id, d, nil, "")
		return
	}
	shelf, errs, err := a.shop.CheckShelf(ctx, p, d, shown)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if len(errs) > 0 {
		a.renderShelfForm(c, http.StatusUnprocessableEntity, id, d, errs, p.T("form.err.summary", len(errs)))
		return
	}
	saved, err := a.shop.SaveShelf(ctx, a.journalOf(c), id, shelf)
	if a.refused(c, err, func(msg string) {
		a.renderShelfForm(c, http.StatusUnprocessableEntity, id, d, nil, p.T("shelves.err.wx", msg))
	}) {
		return
	}
	a.flash(c, "ok", p.T("shelves.saved", shelf.ShelfName))
	a.redirect(c, "/shelves/"+strconv.FormatInt(saved, 10))
}

func (a *App) deleteShelf(c *gin.Context) {
	s, ok := loadByID(a, c, a.shop.Shelf)
	if !ok {
		return
	}
	a.deleted(c, "shelves", s.ShelfID, s.ShelfName, a.shop.DeleteShelf(c.Request.Context(), a.journalOf(c), s))
}
