// Package templates holds the templ components of every page, and the view-model types they render.
package templates

import (
	"fmt"
	"net/url"
	"strconv"
	"time"
	_ "time/tzdata" // times are shown in Asia/Shanghai on any machine
)

// Page is what every full page needs besides its own content.
type Page struct {
	Title    string // a catalog key
	Nav      string // the navigation entry to highlight
	User     *CurrentUser
	Sandbox  bool
	ShopName string
	Flash    *Flash
	Lang     string
	Path     string // the current path and query, where the language switch comes back to
	Kind     string // the catalog API of the shop: "store" (微信小店) or "merchant" (V1.13)
	CSS      string // asset URLs carrying their content hash
	JS       []string
}

// CurrentUser is the signed-in person as the layout shows them.
type CurrentUser struct {
	Name     string
	Role     string
	IsAdmin  bool
	CanWrite bool
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "ok" or "error"
	Message string // already translated
}

// NavItem is one entry of the side navigation.
type NavItem struct {
	Key, Href string
	AdminOnly bool
	Kind      string // "store" or "merchant": an area only that kind of shop has; "" both
}

// Nav lists every area of the app, in the order the side navigation shows them.
var Nav = []NavItem{
	{Key: "dashboard", Href: "/"},
	{Key: "orders", Href: "/orders"},
	{Key: "aftersales", Href: "/aftersales"},
	{Key: "products", Href: "/products"},
	{Key: "categories", Href: "/categories"},
	{Key: "stock", Href: "/stock"},
	{Key: "postage", Href: "/postage"},
	{Key: "groups", Href: "/groups", Kind: "merchant"},
	{Key: "shelves", Href: "/shelves", Kind: "merchant"},
	{Key: "shopcats", Href: "/shop-categories", Kind: "store"},
	{Key: "window", Href: "/window", Kind: "store"},
	{Key: "images", Href: "/images"},
	{Key: "permission", Href: "/permission"},
	{Key: "audit", Href: "/audit"},
	{Key: "users", Href: "/users", AdminOnly: true},
	{Key: "settings", Href: "/settings", AdminOnly: true},
}

// storeNames are the catalog areas a 微信小店's backend names otherwise than the V1.13 one.
var storeNames = map[string]bool{"products": true, "categories": true, "stock": true, "postage": true, "images": true}

// Shown says whether the item is an area of the shop's kind.
func (n NavItem) Shown(kind string) bool { return n.Kind == "" || n.Kind == kind }

// Label is the catalog key of the item's name in the shop's kind: a 微信小店 names its areas as its own backend
// does (nav.store.*).
func (n NavItem) Label(kind string) string {
	if kind == "store" && (storeNames[n.Key] || n.Kind == "store") {
		return "nav.store." + n.Key
	}
	return "nav." + n.Key
}

// FieldErrors maps a form field to the (translated) message shown beside it.
type FieldErrors map[string]string

// Pager describes one page of a long list.
type Pager struct {
	Page, PerPage, Total int
	Base                 url.URL // the list's URL; the page number goes in its "page" query parameter
}

// Pages is the number of pages, at least one.
func (p Pager) Pages() int {
	if p.Total <= 0 || p.PerPage <= 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// URL returns the link to page n.
func (p Pager) URL(n int) string {
	u := p.Base
	q := u.Query()
	q.Set("page", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return u.String()
}

var shanghai = mustLoadLocation("Asia/Shanghai")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("templates: %v", err))
	}
	return loc
}

// FormatTime shows t in Beijing time to the second; the zero time is a dash.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006-01-02 15:04:05")
}
