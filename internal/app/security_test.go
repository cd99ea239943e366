package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
	"wxshop/web/static"
)

// Security tests: who may reach which route, cross-site requests, redirect targets and what a request can put in
// the log (both checked on every route), markup in names, search input, uploads and WeChat's pushes. Two properties live elsewhere and are not repeated here: the session token changes at
// login (TestLoginRenewsSessionToken, auth_test.go) and repeated failed logins are throttled
// (TestLoginThrottledAfterRepeatedFailures, auth_test.go, and throttle_test.go). The callback's
// signature checks are in callback_test.go; what it lacks (an old push replayed later) is here.

// secPublicRoutes are the only routes anyone may use without signing in. A new route is either added here, on
// purpose, or put behind requireUser; TestSecurityEveryRouteIsProtected fails otherwise.
var secPublicRoutes = map[string]bool{
	"GET " + static.Prefix + "*file":  true,
	"HEAD " + static.Prefix + "*file": true,
	"GET /healthz":                    true,
	"GET /wx/callback":                true,
	"POST /wx/callback":               true,
	"GET /login":                      true,
	"POST /login":                     true,
	"POST /lang":                      true,
}

// secSignedInWrites are the state-changing routes every signed-in role may use.
var secSignedInWrites = map[string]bool{"POST /logout": true, "POST /account/password": true}

// secViewerForbiddenPages are the pages a viewer may not open (the writers' and the admins'); a viewer may
// open every other signed-in page.
var secViewerForbiddenPages = map[string]bool{
	"GET /products/new":               true,
	"GET /products/:id/edit":          true,
	"GET /orders/bulk-ship":           true,
	"GET /orders/bulk-ship/:id":       true,
	"GET /orders/bulk-ship/sheet.csv": true,
	"GET /orders/:id/aftersale":       true,
	"GET /postage/new":                true,
	"GET /shelves/new":                true,
	"GET /groups/new":                 true,
	"GET /users":                      true,
	"GET /settings":                   true,
	"GET /return-addresses/new":       true,
	"GET /return-addresses/:id/edit":  true,
}

// secStorePages are the pages only a 微信小店 has; the V1.13 shop these tests run against answers them 404.
var secStorePages = map[string]bool{
	"GET /shop-categories": true, "GET /shop-categories/:l1/:l2": true, "GET /window": true,
}

// secAdminRoutes are the routes only admins may use: an operator gets 403.
var secAdminRoutes = map[string]bool{
	"GET /users":                   true,
	"POST /users":                  true,
	"POST /users/:id":              true,
	"POST /categories/refresh":     true,
	"POST /categories/:id/refresh": true,
	"POST /permission/open":        true,
	"GET /settings":                true,
	"POST /settings":               true,
	"POST /settings/check":         true,
	"POST /settings/catalog-kind":  true,
}

// secWritePaths are the sandbox paths of every call that changes the shop, and the sandbox's own order maker.
var secWritePaths = []string{
	"/merchant/create", "/merchant/del", "/merchant/update", "/merchant/modproductstatus",
	"/merchant/stock/add", "/merchant/stock/reduce", "/merchant/common/upload_img",
	"/merchant/express/add", "/merchant/express/del", "/merchant/express/update",
	"/merchant/group/add", "/merchant/group/del", "/merchant/group/propertymod", "/merchant/group/productmod",
	"/merchant/shelf/add", "/merchant/shelf/del", "/merchant/shelf/mod",
	"/merchant/order/setdelivery", "/merchant/order/close", "/channels/ec/order/delivery/send",
	"/user-order/orders-permission/open", "/sandbox/orders/new",
	"/channels/ec/aftersale/acceptapply", "/channels/ec/aftersale/rejectapply", "/channels/ec/aftersale/merchantupdateaftersale",
	"/channels/ec/aftersale/uploadrefundcertificate", "/channels/ec/aftersale/acceptexchangereship",
	"/channels/ec/aftersale/rejectexchangereship", "/channels/ec/merchant/address/add", "/channels/ec/merchant/address/update",
	"/channels/ec/merchant/address/delete", "/sandbox/aftersales/buyer", "/sandbox/aftersales/new",
	"/channels/ec/product/add", "/channels/ec/product/update", "/channels/ec/product/delete", "/channels/ec/product/listing",
	"/channels/ec/product/delisting", "/channels/ec/product/audit/cancel", "/channels/ec/product/stock/update",
	"/channels/ec/basics/img/upload", "/sandbox/store/audit",
}

// secIgnoredTables hold what changes on any request and is no state of the shop: sessions (a flash taken off
// the session, a renewed cookie), the access token, the migration bookkeeping.
var secIgnoredTables = map[string]bool{"sessions": true, "wx_tokens": true, "goose_db_version": true}

// secState is everything a request could change: each table's row count and a digest of its rows, and the
// write calls that reached WeChat. A quick state digests only the small tables that a write changes without
// WeChat (users, settings) and counts the rows of the others: the race detector makes reading every row too
// slow to do around each of some four hundred requests, so the full digest is taken around each group of them.
type secState struct {
	rows  map[string]int
	sums  map[string][sha256.Size]byte
	calls map[string]int
}

// secQuickTables are digested even in a quick state.
var secQuickTables = map[string]bool{"users": true, "settings": true}

func (s *testServer) secTables(t *testing.T) []string {
	t.Helper()
	list, err := s.store.DB.QueryContext(t.Context(), `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer list.Close()
	var tables []string
	for list.Next() {
		var name string
		if err := list.Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !secIgnoredTables[name] {
			tables = append(tables, name)
		}
	}
	return tables
}

// secSnapshot is the full state.
func (s *testServer) secSnapshot(t *testing.T) secState { return s.secState(t, true) }

// secQuick is the quick state.
func (s *testServer) secQuick(t *testing.T) secState { return s.secState(t, false) }

func (s *testServer) secState(t *testing.T, full bool) secState {
	t.Helper()
	ctx := t.Context()
	st := secState{rows: map[string]int{}, sums: map[string][sha256.Size]byte{}, calls: map[string]int{}}
	tables := s.secTables(t)
	var counts []string
	for _, table := range tables {
		counts = append(counts, `(SELECT count(*) FROM "`+table+`")`)
	}
	n := make([]int, len(tables))
	ptrs := make([]any, len(tables))
	for i := range n {
		ptrs[i] = &n[i]
	}
	if err := s.store.DB.QueryRowContext(ctx, `SELECT `+strings.Join(counts, ", ")).Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	for i, table := range tables {
		st.rows[table] = n[i]
		if full || secQuickTables[table] {
			st.sums[table] = s.secDigest(t, table)
		}
	}
	for _, p := range secWritePaths {
		st.calls[p] = s.sandbox.Calls(p)
	}
	return st
}

// secDigest digests every row of table, in no particular order (a table may have no rowid to order by).
func (s *testServer) secDigest(t *testing.T, table string) [sha256.Size]byte {
	t.Helper()
	rows, err := s.store.DB.QueryContext(t.Context(), `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatalf("snapshot of %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var lines []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var line strings.Builder
		for _, v := range vals {
			switch v := v.(type) {
			case []byte:
				fmt.Fprintf(&line, "b%d:%s|", len(v), v)
			case string:
				fmt.Fprintf(&line, "s%d:%s|", len(v), v)
			default:
				fmt.Fprintf(&line, "%T:%v|", v, v)
			}
		}
		lines = append(lines, line.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return sha256.Sum256([]byte(strings.Join(lines, "\n")))
}

// changes lists what differs from before, as "table: 3 rows -> 4 rows" and "calls /path: +1".
func (st secState) changes(before secState) []string {
	var out []string
	for table, n := range st.rows {
		old, hadSum := before.sums[table]
		sum, hasSum := st.sums[table]
		if n != before.rows[table] || hadSum && hasSum && old != sum {
			out = append(out, fmt.Sprintf("table %s changed (%d rows -> %d rows)", table, before.rows[table], n))
		}
	}
	for p, n := range st.calls {
		if n != before.calls[p] {
			out = append(out, fmt.Sprintf("WeChat %s called %d times", p, n-before.calls[p]))
		}
	}
	sort.Strings(out)
	return out
}

// without drops tables from the state, for requests that may fill a cache.
func (st secState) without(tables ...string) secState {
	for _, table := range tables {
		delete(st.rows, table)
		delete(st.sums, table)
	}
	return st
}

// secWorld is a shop whose mirror holds something of every kind a route can name, with an admin signed in.
type secWorld struct {
	*testServer
	admin *browser
	ids   map[string]string // the path before "/:id" -> an existing id
	ship  string            // the shipping form's key for the order ids["/orders"]
	img   string            // a picture of the library
	logs  *lockedWriter     // what the app logged
}

func newSecWorld(t *testing.T) *secWorld {
	t.Helper()
	logs := &lockedWriter{w: &bytes.Buffer{}}
	s := newOrderServer(t, sandbox.Options{Orders: 12}, func(_ *sandbox.Server, _ *Config, opts *Options) {
		opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	w := &secWorld{testServer: s, admin: s.signedIn(t, "admin"), ids: map[string]string{}, logs: logs}
	ctx := t.Context()
	for _, area := range []string{"products", "groups", "postage", "shelves"} {
		wantStatus(t, w.admin.post("/"+area+"/sync", nil), http.StatusSeeOther)
	}
	s.syncOrdersAs(t, w.admin)
	wantStatus(t, w.admin.post("/aftersales/sync", nil), http.StatusSeeOther)
	if pending := s.sandbox.AftersaleIDs("", wx.AftersaleMerchantProcessing); len(pending) > 0 {
		w.ids["/aftersales"] = pending[0]
		for _, id := range pending { // one with the buyer's pictures, so that /aftersales/:id/media has one
			if len(s.sandbox.MediaIDs(id)) > 0 {
				w.ids["/aftersales"] = id
				break
			}
		}
	}
	if addrs, err := s.app.wx.AddressIDs(ctx, 0, 10); err == nil && len(addrs) > 0 {
		w.ids["/return-addresses"] = string(addrs[0])
	}
	w.img = s.uploadToLibrary(t, w.admin, "sec.png", pngBytes(t, 40, 40, 9))

	products, _, err := s.store.Products(ctx, db.ProductFilter{Limit: 1})
	if err != nil || len(products) == 0 {
		t.Fatalf("no products in the mirror: %v", err)
	}
	w.ids["/products"] = products[0].ProductID
	groups, err := s.store.Groups(ctx)
	if err != nil || len(groups) == 0 {
		t.Fatalf("no groups in the mirror: %v", err)
	}
	w.ids["/groups"] = idOf(groups[0].GroupID)
	templates, err := s.store.PostageTemplates(ctx)
	if err != nil || len(templates) == 0 {
		t.Fatalf("no postage templates in the mirror: %v", err)
	}
	w.ids["/postage"] = idOf(templates[0].TemplateID)
	shelves, err := s.store.Shelves(ctx)
	if err != nil || len(shelves) == 0 {
		t.Fatalf("no shelves in the mirror: %v", err)
	}
	w.ids["/shelves"] = idOf(shelves[0].ShelfID)
	w.ids["/images"] = idOf(s.library(t)[0].ID)
	w.ids["/categories"] = cateWomenTee
	admin, err := s.store.UserByUsername(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	w.ids["/users"] = idOf(admin.ID)

	var toShip *db.Order
	for _, o := range s.mirrorAll(t, db.SourceMerchant) {
		if o.Status == db.OrderToShip {
			toShip = &o
			break
		}
	}
	if toShip == nil {
		id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
		s.syncOrdersAs(t, w.admin)
		o := s.mirrorOf(t, db.SourceMerchant, id)
		toShip = &o
	}
	w.ids["/orders"] = idOf(toShip.ID)
	w.ship = shipTokenOf(t, w.admin.get(orderPath(*toShip)))
	a := w.admin.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", "ship.csv",
		csvBytes([]string{"order_id", "delivery_company", "delivery_track_no"}, []string{toShip.OrderID, "顺丰速运", "SF1234567890"})}})
	wantStatus(t, a, http.StatusSeeOther)
	batch, ok := strings.CutPrefix(loc(a), "/orders/bulk-ship/")
	if !ok {
		t.Fatalf("the bulk upload leads to %q", loc(a))
	}
	w.ids["/orders/bulk-ship"] = batch
	return w
}

// fill puts existing ids into a route's parameters.
func (w *secWorld) fill(route string) string {
	if i := strings.Index(route, "/:id"); i >= 0 {
		id, ok := w.ids[route[:i]]
		if !ok {
			id = "1"
		}
		route = route[:i] + "/" + id + route[i+len("/:id"):]
	}
	route = strings.ReplaceAll(route, ":source", db.SourceMerchant)
	if strings.Contains(route, "*file") {
		return "/static/css/app.css"
	}
	return route
}

// secForm is what a state-changing route is sent: a form that would change something were the request let
// through, so that "nothing changed" means something.
func (w *secWorld) secForm(route string) url.Values {
	product := w.ids["/products"]
	switch route {
	case "/login":
		return url.Values{"username": {"admin"}, "password": {testAdminPassword}}
	case "/lang":
		return url.Values{"lang": {"en"}, "next": {"/"}}
	case "/users":
		return url.Values{"username": {"intruder"}, "password": {"intruder-pass-1"}, "role": {"admin"}}
	case "/users/:id":
		return url.Values{"role": {"viewer"}, "status": {"disabled"}}
	case "/products", "/products/:id":
		return teeForm(w.img)
	case "/products/status":
		return url.Values{"id": {product}, "status": {strconv.Itoa(wx.SetOffSale)}}
	case "/products/:id/stock":
		row, _ := w.store.Product(w.ctx(), product)
		sku := ""
		if len(row.SKUs) > 0 {
			sku = row.SKUs[0].SKUID
		}
		return url.Values{"sku_id": {sku}, "op": {"add"}, "quantity": {"5"}}
	case "/groups", "/groups/:id":
		return url.Values{"name": {"入侵者分组"}, "product": {product}}
	case "/postage", "/postage/:id":
		return postageForm("入侵者模板", kuaiDi, "1", "10", "1", "5")
	case "/shelves", "/shelves/:id":
		return shelfForm("入侵者货架", "", map[string][]string{"eid": {"1"}, "group": {w.ids["/groups"]}, "count": {"4"}})
	case "/orders/:id/ship":
		return url.Values{"delivery_company": {"003shunfeng"}, "delivery_track_no": {"SF1234567890"}, "ship_token": {w.ship}}
	case "/orders/sync":
		return url.Values{"back": {"/orders"}}
	case "/aftersales/:id/answer":
		return url.Values{"action": {"refund"}}
	case "/aftersales/:id/sandbox":
		return url.Values{"move": {"deadline"}}
	case "/aftersales/sandbox/new":
		return url.Values{"type": {"REFUND"}}
	case "/return-addresses", "/return-addresses/:id":
		return url.Values{"name": {"入侵者"}, "phone": {"13700000000"}, "province": {"浙江省"}, "city": {"杭州市"}, "county": {"西湖区"},
			"detail": {"文三路 1 号"}, "recv": {"1"}}
	case "/settings":
		return url.Values{"low_stock": {"99"}, "image_max": {"10"}}
	}
	return url.Values{"name": {"入侵者"}, "id": {product}, "action": {"save"}}
}

func (w *secWorld) ctx() context.Context { return w.admin.t.Context() }

func secRouteKey(method, path string) string { return method + " " + path }

// TestSecurityEveryRouteIsProtected walks every route the engine has.
func TestSecurityEveryRouteIsProtected(t *testing.T) {
	t.Parallel()
	w := newSecWorld(t)

	// The session cookie is out of reach of scripts and of other sites' forms. (That its token changes at
	// login is TestLoginRenewsSessionToken.)
	login := w.browser(t).signIn("test-admin", cheapPassword)
	var session *http.Cookie
	for _, c := range (&http.Response{Header: login.header}).Cookies() {
		if c.Name == "wxshop_session" {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Errorf("the session cookie set at login is %+v", session)
	}

	routes := w.app.engine.Routes()
	registered := map[string]bool{}
	for _, r := range routes {
		registered[secRouteKey(r.Method, r.Path)] = true
	}
	for _, list := range []map[string]bool{secPublicRoutes, secSignedInWrites, secViewerForbiddenPages, secAdminRoutes} {
		for key := range list {
			if !registered[key] {
				t.Errorf("%s is listed by this test but not registered: update the lists", key)
			}
		}
	}
	slices.SortFunc(routes, func(x, y gin.RouteInfo) int { return strings.Compare(x.Path+x.Method, y.Path+y.Method) })

	// Signed out: every route but the public ones sends the browser to the login page, and changes nothing.
	anon := w.browser(t)
	before := w.secSnapshot(t)
	for _, r := range routes {
		key, path := secRouteKey(r.Method, r.Path), w.fill(r.Path)
		if secPublicRoutes[key] {
			continue
		}
		switch r.Method {
		case http.MethodGet:
			a := anon.get(path)
			want := "/login" + nextQuery(path)
			if a.status != http.StatusSeeOther || loc(a) != want {
				t.Errorf("signed out, %s (%s) answered %d to %q, want 303 to %q", key, path, a.status, loc(a), want)
			}
		case http.MethodPost:
			a := anon.post(path, w.secForm(r.Path))
			if a.status != http.StatusSeeOther || loc(a) != "/login" {
				t.Errorf("signed out, %s (%s) answered %d to %q, want 303 to /login", key, path, a.status, loc(a))
			}
			a = anon.post(path, w.secForm(r.Path), "HX-Request", "true")
			if a.status != http.StatusUnauthorized || a.header.Get("HX-Redirect") != "/login" {
				t.Errorf("signed out, htmx %s answered %d with HX-Redirect %q, want 401 to /login", key, a.status, a.header.Get("HX-Redirect"))
			}
		default:
			t.Errorf("%s: a route with a method this test does not know; decide who may use it and add it here", key)
		}
	}
	if ch := w.secSnapshot(t).changes(before); len(ch) > 0 {
		t.Errorf("signed-out requests changed: %v", ch)
	}
	// The public routes answer without a login.
	for key, path := range map[string]string{
		"GET /healthz": "/healthz", "GET /login": "/login", "GET static": w.app.assets.URL("css/app.css"),
	} {
		if a := anon.get(path); a.status != http.StatusOK {
			t.Errorf("signed out, public %s answered %d", key, a.status)
		}
	}

	// refused sends one request that must be refused with 403 and change nothing.
	refused := func(who, key string, send func() answer) {
		t.Helper()
		before := w.secQuick(t)
		if a := send(); a.status != http.StatusForbidden {
			t.Errorf("%s: %s answered %d, want 403", who, key, a.status)
		}
		if ch := w.secQuick(t).changes(before); len(ch) > 0 {
			t.Errorf("%s: %s changed %v", who, key, ch)
		}
	}

	// A viewer may look at everything but the writers' and admins' pages, and may change nothing.
	viewer := w.signedIn(t, "viewer")
	before = w.secSnapshot(t)
	for _, r := range routes {
		key, path := secRouteKey(r.Method, r.Path), w.fill(r.Path)
		if secPublicRoutes[key] || secSignedInWrites[key] {
			continue
		}
		switch {
		case r.Method == http.MethodPost:
			refused("viewer", key, func() answer { return viewer.post(path, w.secForm(r.Path)) })
		case secViewerForbiddenPages[key]:
			refused("viewer", key, func() answer { return viewer.get(path) })
		case r.Method == http.MethodGet && secStorePages[key]:
			if a := viewer.get(path); a.status != http.StatusNotFound {
				t.Errorf("viewer: %s (%s) answered %d in a V1.13 shop, want 404", key, path, a.status)
			}
		case r.Method == http.MethodGet:
			if a := viewer.get(path); a.status != http.StatusOK {
				t.Errorf("viewer: %s (%s) answered %d, want 200", key, path, a.status)
			}
		}
	}
	// Looking may fill the caches of WeChat's lists (category trees, after-sale reject reasons and addresses),
	// and nothing else.
	caches := []string{"category_cache", "aftersale_lists"}
	if ch := w.secSnapshot(t).without(caches...).changes(before.without(caches...)); len(ch) > 0 {
		t.Errorf("the viewer's requests changed %v", ch)
	}
	if u, err := w.store.UserByUsername(t.Context(), "test-viewer"); err != nil || u.Role != "viewer" {
		t.Errorf("the viewer is now %+v (%v)", u, err)
	}

	// An operator does the shop's work but not the admin's.
	operator := w.signedIn(t, "operator")
	before = w.secSnapshot(t)
	for _, r := range routes {
		key, path := secRouteKey(r.Method, r.Path), w.fill(r.Path)
		if !secAdminRoutes[key] {
			continue
		}
		if r.Method == http.MethodGet {
			refused("operator", key, func() answer { return operator.get(path) })
		} else {
			refused("operator", key, func() answer { return operator.post(path, w.secForm(r.Path)) })
		}
	}
	if ch := w.secSnapshot(t).changes(before); len(ch) > 0 {
		t.Errorf("the operator's refused requests changed %v", ch)
	}

	// Every state-changing route refuses a request another site's page makes the browser send, even from a
	// signed-in admin, and even the public ones. WeChat's pushes are server to server and signed instead.
	before = w.secSnapshot(t)
	for _, r := range routes {
		key, path := secRouteKey(r.Method, r.Path), w.fill(r.Path)
		if r.Method == http.MethodGet || r.Method == http.MethodHead || key == "POST /wx/callback" {
			continue
		}
		for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			refused("cross-origin "+hdr[0]+": "+hdr[1], key, func() answer { return w.admin.post(path, w.secForm(r.Path), hdr...) })
		}
	}
	if ch := w.secSnapshot(t).changes(before); len(ch) > 0 {
		t.Errorf("the cross-origin requests changed %v", ch)
	}
	// The cross-site logout did not end the admin's session, and the cross-site login started none.
	wantStatus(t, w.admin.get("/"), http.StatusOK)
	stranger := w.browser(t)
	stranger.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, stranger.get("/"), http.StatusSeeOther)

	// Whatever a request sends, the log takes a bounded piece of it: every route, sent a 64 KB query value, a
	// 64 KB Origin and a 64 KB field, signed out and as a viewer, writes no log line of more than a few KB.
	pad := strings.Repeat("长", 64<<10/3)
	for _, who := range []*browser{anon, viewer} {
		for _, r := range routes {
			path := w.fill(r.Path) + "?q=" + url.QueryEscape(pad) + "&id=" + pad
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				who.do(r.Method, path, nil, "Origin", pad)
			} else {
				who.post(path, url.Values{"username": {pad}, "name": {pad}, "id": {pad}}, "Origin", pad)
				who.post(path, url.Values{"username": {pad}, "name": {pad}, "id": {pad}})
			}
		}
	}
	for _, line := range strings.Split(w.logs.String(), "\n") {
		if len(line) > 4<<10 {
			t.Errorf("a log line of %d bytes: %.300s…", len(line), line)
		}
	}

	// Every redirect any route answers, to a page opened or a form sent with next= and back= naming another
	// site, leads to this site: the admin opens every page and sends every form (empty but for those, so little
	// changes; signing out is left out). This comes last: the forms may delete what the walks above need.
	host := strings.TrimPrefix(w.URL, "http://")
	for _, target := range []string{"/./\\evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example"} {
		variant := url.Values{"next": {target}, "back": {target}}
		for _, r := range routes {
			key, path := secRouteKey(r.Method, r.Path), w.fill(r.Path)
			if key == "POST /logout" || key == "POST /wx/callback" || key == "GET /wx/callback" {
				continue
			}
			var a answer
			switch r.Method {
			case http.MethodGet, http.MethodHead:
				a = w.admin.do(r.Method, path+"?"+variant.Encode(), nil)
			default:
				a = w.admin.post(path, variant)
			}
			for _, hdr := range []string{"Location", "HX-Redirect"} {
				if to := a.header.Get(hdr); to != "" {
					if u := browserResolves(t, w.URL, to); u.Host != host {
						t.Errorf("%s with %v: %s %q leads to %s", key, variant, hdr, to, u.Host)
					}
				}
			}
		}
	}
}

// Markup an operator or a buyer could put in a name; it must reach every page as text.
const (
	secScript = `<script>alert(1)</script>`
	secImg    = `"><img src=x onerror=alert(1)>`
	secSVG    = `"><svg onload=alert(2)>`
)

// secRawMarkup are pieces of the markup that only an unescaped copy contains.
var secRawMarkup = []string{"<script>alert", "<img src=x", "<svg onload"}

// wantEscaped fails when body holds the markup unescaped, or lacks the escaped copies of shown (so that a page
// that stopped showing the name does not pass for a page that escapes it).
func wantEscaped(t *testing.T, where, body string, shown ...string) {
	t.Helper()
	for _, raw := range secRawMarkup {
		if i := strings.Index(body, raw); i >= 0 {
			t.Errorf("%s: markup %q reaches the page unescaped: …%s…", where, raw, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	for _, s := range shown {
		if !strings.Contains(body, html.EscapeString(s)) {
			t.Errorf("%s: the page does not show %q (escaped as %q)", where, s, html.EscapeString(s))
		}
	}
}

func TestSecurityMarkupInNamesIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	// An empty shop, so the sandbox's new orders buy the product made here.
	s := newOrderServer(t, sandbox.Options{Empty: true, Orders: -1})
	b := s.signedIn(t, "operator")
	wantStatus(t, b.postMultipart("/images", nil, []formFile{{"files", secImg + ".png", pngBytes(t, 60, 60, 4)}}), http.StatusOK)
	img := s.library(t)[0].URL

	// A product whose name, custom SKU value, product code, detail and address carry markup.
	name := secScript + secImg
	colors := []string{colWhite, colBlack, "$" + secSVG}
	form := with(teeForm(img), set("name", name), set("skucustom."+attrColor, secSVG), set("address", secImg),
		set("detail_kind", "text"), set("detail_text", secSVG+secScript), set("detail_img", ""), set("detail_pos", "1"))
	var rows []string
	for _, col := range colors {
		for _, size := range []string{sizeS, sizeM} {
			rows = append(rows, sku(attrColor, col, attrSize, size))
		}
	}
	form["row_sku"] = rows
	form["row_price"] = slices.Repeat([]string{"49.90"}, len(rows))
	form["row_ori"] = slices.Repeat([]string{"99"}, len(rows))
	form["row_qty"] = slices.Repeat([]string{"1"}, len(rows))
	form["row_code"] = slices.Repeat([]string{secScript}, len(rows))
	form["row_icon"] = slices.Repeat([]string{""}, len(rows))
	a := b.postMultipart("/products", form, nil)
	wantStatus(t, a, http.StatusSeeOther)
	productPage := loc(a)
	productID := strings.TrimPrefix(productPage, "/products/")
	wantEscaped(t, "the page after saving, with its flash", b.get(productPage).body, name, secSVG)
	a = b.post("/products/status", url.Values{"id": {productID}, "status": {strconv.Itoa(wx.SetOnSale)}})
	wantStatus(t, a, http.StatusSeeOther)

	// Groups named with markup, holding the product.
	for _, g := range []string{secScript, secImg} {
		wantStatus(t, b.post("/groups", url.Values{"name": {g}, "product": {productID}}), http.StatusSeeOther)
	}
	groups, err := s.store.Groups(t.Context())
	if err != nil || len(groups) != 2 {
		t.Fatalf("groups: %+v %v", groups, err)
	}
	// A postage template and a shelf too.
	wantStatus(t, b.post("/postage", postageForm(secScript, kuaiDi, "1", "10", "1", "5")), http.StatusSeeOther)
	templates, err := s.store.PostageTemplates(t.Context())
	if err != nil || len(templates) != 1 {
		t.Fatalf("postage templates: %+v %v", templates, err)
	}
	wantStatus(t, b.post("/shelves", shelfForm(secImg, "", map[string][]string{"eid": {"1"}, "group": {idOf(groups[0].GroupID)}, "count": {"4"}})),
		http.StatusSeeOther)
	shelves, err := s.store.Shelves(t.Context())
	if err != nil || len(shelves) != 1 {
		t.Fatalf("shelves: %+v %v", shelves, err)
	}

	// An order WeChat sends for the product (its line names it), and one whose buyer typed markup everywhere.
	wxOrder := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	s.syncOrdersAs(t, b)
	synced := s.mirrorOf(t, db.SourceMerchant, wxOrder)
	if len(synced.Lines) == 0 || synced.Lines[0].Title != name {
		t.Fatalf("the sandbox's order bought %+v, not the product", synced.Lines)
	}
	now := time.Now()
	localID, err := s.store.UpsertOrder(t.Context(), db.Order{
		Source: db.SourceMerchant, OrderID: "9900000000000000001", Status: db.OrderToShip, SourceStatus: wx.MerchantOrderToShip,
		BuyerNick: secImg, ReceiverName: secScript + secImg, ReceiverPhone: "13800000000",
		ReceiverProvince: "广东省", ReceiverCity: "广州市", ReceiverDistrict: secSVG, Address: secImg, Note: secScript,
		TotalFen: 5990, ProductFen: 4990, FreightFen: 1000, CreatedAt: now, PaidAt: now, UpdatedAt: now, Raw: []byte(`{}`),
		Lines: []db.OrderLine{{ProductID: productID, SKUID: rows[4], Title: name, SKUAttrs: secSVG, Quantity: 1, UnitFen: 4990, TotalFen: 4990}},
	})
	if err != nil {
		t.Fatal(err)
	}
	buyerOrder := "/orders/" + idOf(localID)

	// A bulk-shipping file whose cells are markup.
	a = b.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", secImg + ".csv",
		csvBytes([]string{secScript, secImg, secSVG}, []string{"9900000000000000001", secImg, secScript})}})
	wantStatus(t, a, http.StatusSeeOther)
	batchPage := loc(a)

	for _, c := range []struct {
		path  string
		shown []string
	}{
		{"/", []string{secScript + secImg}}, // the shipping queue
		{"/?days=30", nil},
		{"/products", []string{name}},
		{"/products?q=" + url.QueryEscape(secScript), []string{name}},
		{"/products?q=" + url.QueryEscape(secImg), []string{secImg}},
		{productPage, []string{name, secSVG + secScript, secScript}},
		{productPage + "/edit", []string{name, secSVG, secScript}},
		{"/stock", []string{name, secScript}},
		{"/groups", []string{secScript, secImg}},
		{"/groups/" + idOf(groups[0].GroupID), []string{groups[0].Name, name}},
		{"/groups/" + idOf(groups[1].GroupID), []string{groups[1].Name, name}},
		{"/groups/new", []string{name}},
		{"/postage", []string{secScript}},
		{"/postage/" + idOf(templates[0].TemplateID), []string{secScript}},
		{"/shelves", []string{secImg}},
		{"/shelves/" + idOf(shelves[0].ShelfID), []string{secImg, groups[0].Name}},
		{"/shelves/new", nil},
		{"/orders", []string{secScript + secImg, name}},
		{"/orders?q=" + url.QueryEscape(secScript), []string{secScript}},
		{"/orders?q=" + url.QueryEscape(secImg), []string{secImg}},
		{buyerOrder, []string{secScript + secImg, secImg, secScript, name, secSVG}},
		{orderPath(synced), []string{name}},
		{"/orders/print?id=" + idOf(localID) + "&id=" + idOf(synced.ID), []string{secScript + secImg, secImg, secScript, name, secSVG}},
		{batchPage, []string{secImg, strings.ToUpper(secScript)}},
		{"/audit", []string{name, secScript, secImg}},
		{"/images", nil},
		{"/nowhere?q=" + secScript, nil},
		{"/products/" + url.PathEscape(secScript), nil},
	} {
		a := b.get(c.path)
		if a.status >= 500 {
			t.Errorf("%s answered %d", c.path, a.status)
		}
		wantEscaped(t, c.path, a.body, c.shown...)
	}
	// The htmx fragments too.
	for _, path := range []string{"/orders?q=" + url.QueryEscape(secScript), "/products?q=" + url.QueryEscape(secScript), "/stock", batchPage} {
		wantEscaped(t, path+" (htmx)", b.do(http.MethodGet, path, nil, "HX-Request", "true").body)
	}

	// The export is data for a spreadsheet, never a page a browser would render.
	exp := b.get("/orders.csv")
	wantStatus(t, exp, http.StatusOK)
	if ct := exp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("the export is served as %q", ct)
	}
	if cd := exp.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("the export is not an attachment: %q", cd)
	}
	if exp.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("the export may be sniffed as HTML")
	}
	if !strings.Contains(exp.body, secScript) {
		t.Error("the export does not hold the receiver's name as typed")
	}
}

// secLike is what a search must find: the query as a literal piece of text, ASCII letters in either case (as
// SQLite's LIKE compares them).
func secLike(text, q string) bool {
	return strings.Contains(secFoldASCII(text), secFoldASCII(q))
}

func secFoldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// secListAll walks every page of a list and collects the ids its rows show.
func secListAll(t *testing.T, b *browser, path string, q string, ids func(answer) []string) []string {
	t.Helper()
	var out []string
	for page := 1; page <= 50; page++ {
		a := b.get(path + "?" + url.Values{"q": {q}, "page": {strconv.Itoa(page)}}.Encode())
		if a.status != http.StatusOK {
			t.Fatalf("%s?q=%q answered %d\n%s", path, q, a.status, a.body)
		}
		out = append(out, ids(a)...)
		if !strings.Contains(a.body, `rel="next"`) {
			return out
		}
	}
	t.Fatalf("%s has more than 50 pages", path)
	return nil
}

func TestSecuritySearchInputCannotAlterSQL(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: 40})
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	s.syncOrdersAs(t, b)
	ctx := t.Context()

	// Names and codes holding LIKE's wildcards, its escape character and quotes, literally.
	for i, p := range []struct{ name, code string }{
		{"折扣100%纯棉", "PCT-1"},
		{"new_arrival 短袖", "USC-1"},
		{`C:\路径\款式`, "BSL-1"},
		{"It's ' OR 1=1 -- 特价", "SQL-1"},
		{"普通商品", `CODE%_\1`},
	} {
		err := s.store.UpsertProduct(ctx, db.Product{ProductID: "pSecSearch" + strconv.Itoa(i), Name: p.name, Status: wx.ProductOffSale,
			CategoryID: cateWomenTee, Raw: []byte(`{}`), SKUs: []db.SKU{{Price: 100, OriPrice: 200, Quantity: 1, ProductCode: p.code}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	for i, name := range []string{"百分百100%满意", "a_b 先生", `反斜杠\女士`, "O'Brien' OR 1=1 --"} {
		_, err := s.store.UpsertOrder(ctx, db.Order{Source: db.SourceMerchant, OrderID: "99000000000000001" + strconv.Itoa(i),
			Status: db.OrderToShip, SourceStatus: wx.MerchantOrderToShip, ReceiverName: name, ReceiverPhone: "1390000000" + strconv.Itoa(i),
			CreatedAt: now, PaidAt: now, UpdatedAt: now, Raw: []byte(`{}`),
			Lines: []db.OrderLine{{Title: "测试商品" + strconv.Itoa(i), Quantity: 1, UnitFen: 100, TotalFen: 100}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	products, _, err := s.store.Products(ctx, db.ProductFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	orders := s.mirrorAll(t, "")

	for _, q := range []string{`' OR 1=1 --`, `%`, `_`, `\`, `%%`, `\%`, `\_`, `'`, `"`, `''`, `100%`, `a_b`, `_b`, `%纯棉`,
		`' OR '1'='1`, `"; DROP TABLE products; --`, `') OR ('x'='x`, `*`, `[a-z]`, `%' --`, strings.Repeat("%_", 500), "纯棉",
		// A NUL byte (%00 in the URL) ends a pattern inside SQLite's LIKE, so whatever follows it must not be
		// dropped from the search: "纯棉\x00zzz" matches nothing, "\x00" nothing either.
		"纯棉\x00zzz", "\x00"} {
		var wantProducts []string
		for _, p := range products {
			if secLike(p.Name, q) || secLike(p.ProductCodes, q) || p.ProductID == q {
				wantProducts = append(wantProducts, p.ProductID)
			}
		}
		gotProducts := secListAll(t, b, "/products", q, listedProducts)
		if !slices.Equal(sortedCopy(gotProducts), sortedCopy(wantProducts)) {
			t.Errorf("/products?q=%q lists %d products %.200v, want %d %v", q, len(gotProducts), gotProducts, len(wantProducts), wantProducts)
		}

		var wantOrders []string
		for _, o := range orders {
			hit := o.OrderID == q || o.ReceiverPhone == q || o.ReceiverName == q || secLike(o.ReceiverName, q)
			for _, l := range o.Lines {
				hit = hit || secLike(l.Title, q)
			}
			if hit {
				wantOrders = append(wantOrders, o.OrderID)
			}
		}
		gotOrders := secListAll(t, b, "/orders", q, orderRows)
		if !slices.Equal(sortedCopy(gotOrders), sortedCopy(wantOrders)) {
			t.Errorf("/orders?q=%q lists %d orders %.200v, want %d %v", q, len(gotOrders), gotOrders, len(wantOrders), wantOrders)
		}
		_, exported := exportedOrders(t, b, url.Values{"q": {q}})
		if got := firstColumn(exported); !slices.Equal(sortedCopy(got), sortedCopy(wantOrders)) {
			t.Errorf("/orders.csv?q=%q exports %d orders %.200v, want %d %v", q, len(got), got, len(wantOrders), wantOrders)
		}
	}
	// The wildcards found exactly the rows that hold them.
	for q, want := range map[string]int{`%`: 2, `_`: 2, `\`: 2, `' OR 1=1 --`: 1} {
		if got := len(secListAll(t, b, "/products", q, listedProducts)); got != want {
			t.Errorf("/products?q=%q lists %d products, want %d", q, got, want)
		}
	}
	for q, want := range map[string]int{`%`: 1, `_`: 1, `\`: 1, `' OR 1=1 --`: 1} {
		if got := len(secListAll(t, b, "/orders", q, orderRows)); got != want {
			t.Errorf("/orders?q=%q lists %d orders, want %d", q, got, want)
		}
	}
	// And nothing was dropped.
	if n, _, _, err := s.store.ProductCounts(ctx); err != nil || n != len(products) {
		t.Errorf("after the searches the mirror has %d products (%v), want %d", n, err, len(products))
	}
}

// secPNGHeader is a PNG whose header says width×height and whose pixels are a few bytes of nothing: enough for
// image.DecodeConfig, not for a decoder.
func secPNGHeader(width, height uint32) []byte { return secPNGHeaderOf(width, height, 8, 0) }

// secPNGHeaderOf is secPNGHeader with the bit depth and colour type of the PNG's choosing (6: RGBA).
func secPNGHeaderOf(width, height uint32, depth, colorType byte) []byte {
	chunk := func(kind string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, kind...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, depth, colorType, 0, 0, 0) // no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

// secNotImages are files that claim to be images by their names, or begin like one, and are not.
func secNotImages(t *testing.T) []formFile {
	gifHeader := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff")
	pngData := pngBytes(t, 10, 10, 1)
	return []formFile{
		{"files", "page.png", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")},
		{"files", "vector.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`)},
		{"files", "shell.jpg", []byte("<?php system($_GET['c']); ?>")},
		{"files", "polyglot.gif", append(gifHeader, "/*<script>alert(1)</script>*/"...)},
		{"files", "html-after-png.png", append(pngData[:33], "<script>alert(1)</script>"...)}, // signature and IHDR only
		{"files", "jpeg-start.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00<script>alert(1)</script>")},
		{"files", "empty.png", nil},
		{"files", "archive.png", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")},
		{"files", "bmp.png", append([]byte("BM"), make([]byte, 64)...)},
	}
}

func TestSecurityUploadsThatAreNotImagesOrTooLargeAreRefused(t *testing.T) {
	t.Parallel()
	s, b, img := formServer(t)
	uploads := s.sandbox.Calls("/merchant/common/upload_img")
	library := len(s.library(t))

	// The library's upload page: every file refused on its own line, none sent to WeChat.
	files := secNotImages(t)
	a := b.postMultipart("/images", nil, files)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	for _, f := range files {
		wantBody(t, a, uploadLine(f.name, zh("images.err.type")))
	}
	wantEscaped(t, "the upload answer", a.body)

	// The product form's in-place uploads: the main picture and the gallery.
	form := with(teeForm(img), set("main_img", ""))
	for _, f := range files {
		f.field = "main_upload"
		a := b.postMultipart("/products", form, []formFile{f})
		wantStatus(t, a, http.StatusUnprocessableEntity)
		wantBody(t, a, fieldError("main_img", cleanFilename(f.name)+"："+zh("images.err.type")))
	}
	a = b.postMultipart("/products", form, []formFile{{"gallery_upload", "page.png", files[0].data}, {"gallery_upload", "shell.jpg", files[2].data}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("images.err.type"))

	// Over the size limit (0.1 MB, the smallest the settings take), in either place.
	admin := s.signedIn(t, "admin")
	wantStatus(t, admin.post("/settings", url.Values{"low_stock": {"5"}, "image_max": {"0.1"}}), http.StatusSeeOther)
	big := noisePNG(t, 200, 200)
	limit := int64(1<<20) / 10
	tooLarge := zh("images.err.toolarge", formatBytes(int64(len(big))), formatBytes(limit))
	a = b.postMultipart("/images", nil, []formFile{{"files", "big.png", big}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, uploadLine("big.png", tooLarge))
	a = b.postMultipart("/products", form, []formFile{{"main_upload", "big.png", big}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, fieldError("main_img", "big.png："+tooLarge))
	a = b.postMultipart("/products", with(teeForm(img)), []formFile{{"gallery_upload", "big.png", big}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, "big.png："+tooLarge)

	// A body over what the upload routes take (20 files at the limit, and a megabyte of fields) is refused
	// before it is read: with its length announced, and sent in chunks without one.
	huge := bytes.Repeat([]byte{0}, int(20*limit+2<<20))
	for _, path := range []string{"/images", "/products"} {
		for _, chunked := range []bool{false, true} {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			part, _ := mw.CreateFormFile(map[string]string{"/images": "files", "/products": "main_upload"}[path], "huge.png")
			part.Write(huge)
			mw.Close()
			var r io.Reader = bytes.NewReader(body.Bytes())
			if chunked {
				r = io.MultiReader(r) // no length known: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, s.URL+path, r)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			resp, err := b.client.Do(req)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge && !(chunked && path == "/products" && resp.StatusCode == http.StatusUnprocessableEntity) {
				t.Errorf("%s with a body of %d bytes (chunked %v) answered %d, want 413", path, body.Len(), chunked, resp.StatusCode)
			}
		}
	}

	if n := s.sandbox.Calls("/merchant/common/upload_img"); n != uploads {
		t.Errorf("refused files reached WeChat: %d uploads", n-uploads)
	}
	if n := len(s.library(t)); n != library {
		t.Errorf("the library grew from %d to %d images", library, n)
	}
	if n := s.sandbox.Calls("/merchant/create"); n != 0 {
		t.Errorf("a product was created %d times", n)
	}

	// A file name is the sender's to choose: one whose suffix alone is longer than the name the library keeps
	// (cleanFilename cuts at 100 bytes) is still an upload with an answer, not a server error.
	longSuffix := "x." + strings.Repeat("b", 150)
	if a := b.postMultipart("/images", nil, []formFile{{"files", longSuffix, pngBytes(t, 12, 12, 3)}}); a.status >= 500 {
		t.Errorf("an image named \"x.\" and 150 b's answered %d", a.status)
	}
	if a := b.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", longSuffix, csvBytes([]string{"1", "顺丰速运", "SF1"})}}); a.status >= 500 {
		t.Errorf("a shipping file named \"x.\" and 150 b's answered %d", a.status)
	}
}

// A PNG or GIF of a few kilobytes can say it is tens of thousands of pixels on a side: decoding it to make the
// thumbnail takes gigabytes and minutes. The header says so before anything is decoded, so such a file must be
// refused there, like a file over the byte limit.
func TestSecuritySniffRefusesDecompressionBombs(t *testing.T) {
	t.Parallel()
	if ct, err := sniffImage(secPNGHeader(4000, 3000)); err != nil || ct != "image/png" {
		t.Fatalf("a 12-megapixel photo's header: %q %v, want image/png", ct, err)
	}
	for _, size := range [][2]uint32{{30000, 30000}, {60000, 20000}, {100000, 100000}} {
		if ct, err := sniffImage(secPNGHeader(size[0], size[1])); err == nil {
			t.Errorf("a PNG header of %d×%d pixels is accepted as %s: decoding it would allocate %d MB",
				size[0], size[1], ct, uint64(size[0])*uint64(size[1])>>20)
		}
	}
	// Within the pixel cap, but not within the memory budget once the bytes per pixel are counted.
	for _, h := range []struct {
		width, height uint32
		depth, kind   byte
		ok            bool
	}{
		{10000, 4000, 8, 0, true},   // 40 MB of grey
		{4000, 3000, 16, 6, true},   // 96 MB: a large 16-bit photo
		{10000, 4000, 16, 6, false}, // 320 MB: 16-bit RGBA
		{10000, 4000, 8, 6, false},  // 160 MB: 8-bit RGBA
		{10000, 4000, 16, 0, true},  // 80 MB: 16-bit grey
	} {
		_, err := sniffImage(secPNGHeaderOf(h.width, h.height, h.depth, h.kind))
		if (err == nil) != h.ok {
			t.Errorf("a %d×%d PNG of %d-bit colour type %d: accepted %v, want %v", h.width, h.height, h.depth, h.kind, err == nil, h.ok)
		}
	}
}

// Decoding is bounded whoever asks: with every decoding slot taken, a thumbnail waits for one.
func TestSecurityImagesAreDecodedAFewAtATime(t *testing.T) {
	png := pngBytes(t, 40, 40, 3)
	for range cap(decodeSlots) {
		decodeSlots <- struct{}{}
	}
	done := make(chan error, 1)
	go func() {
		_, _, _, err := thumbnail(png, "image/png")
		done <- err
	}()
	select {
	case <-done:
		t.Fatal("a thumbnail was decoded while every slot was taken")
	case <-time.After(200 * time.Millisecond):
	}
	<-decodeSlots
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for range cap(decodeSlots) - 1 {
		<-decodeSlots
	}
	if cap(decodeSlots) > 2 {
		t.Errorf("%d images may be decoded at once", cap(decodeSlots))
	}
}

var secTimeline = regexp.MustCompile(`(?s)data-testid="order-timeline">(.*?)</section>`)

// secOrderReads are the calls a push can make the app send to WeChat.
var secOrderReads = []string{"/merchant/order/getbyid", "/channels/ec/order/get", "/product/order/get"}

func (s *testServer) secReads() int {
	n := 0
	for _, p := range secOrderReads {
		n += s.sandbox.Calls(p)
	}
	return n
}

// WeChat repeats a push it got no "success" for, with the same query and body; anyone who saw one can send it
// again. A push is taken once: sent again (with the same body, or in plain mode, where the signature does not
// cover the body, with another), it is answered "success" and costs nothing, neither a row nor a WeChat call;
// the order stays one order, as it is, with the same history. A push whose timestamp is more than five minutes
// from now is refused, however well signed.
func TestSecurityReplayedPushChangesNothing(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	push := buildPush(t, SandboxCallbackToken, nil, s.paidEvent(t, sandbox.SourceMerchant, id))
	wantAnswer(t, s.send(t, push), http.StatusOK, "success")

	// The operator ships it; the history now says so.
	o := s.mirrorOf(t, db.SourceMerchant, id)
	a := b.post(orderPath(o)+"/ship", url.Values{"delivery_company": {"003shunfeng"}, "delivery_track_no": {"SF1234567890"},
		"ship_token": {shipTokenOf(t, b.get(orderPath(o)))}})
	wantStatus(t, a, http.StatusSeeOther)
	shipped := s.mirrorOf(t, db.SourceMerchant, id)
	history, err := s.store.AuditForObject(t.Context(), "order", db.SourceMerchant+":"+id)
	if err != nil {
		t.Fatal(err)
	}
	audit := s.secQuick(t).rows["audit_log"]
	timeline := secTimeline.FindString(b.get(orderPath(o)).body)
	if shipped.Status != db.OrderShipped || len(history) == 0 || timeline == "" {
		t.Fatalf("after shipping: status %q, %d history entries, timeline %q", shipped.Status, len(history), timeline)
	}

	reads := s.secReads()
	other := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	for _, body := range [][]byte{push.body, push.body, push.body, s.paidEvent(t, sandbox.SourceMerchant, other)} {
		wantAnswer(t, s.send(t, pushRequest{push.query, body}), http.StatusOK, "success")
	}
	if n := s.secReads() - reads; n != 0 {
		t.Errorf("the replays cost %d WeChat calls", n)
	}
	if n := s.ordersWithID(t, other); n != 0 {
		t.Errorf("the replayed query with another body stored order %s", other)
	}
	if n := s.ordersWithID(t, id); n != 1 {
		t.Errorf("after the replays the mirror holds %d rows of order %s", n, id)
	}
	again := s.mirrorOf(t, db.SourceMerchant, id)
	again.SyncedAt, shipped.SyncedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(again, shipped) {
		t.Errorf("the replays changed the order:\n%+v\nwas\n%+v", again, shipped)
	}
	if h, _ := s.store.AuditForObject(t.Context(), "order", db.SourceMerchant+":"+id); !reflect.DeepEqual(h, history) {
		t.Errorf("the replays changed the order's history: %+v, was %+v", h, history)
	}
	if n := s.secQuick(t).rows["audit_log"]; n != audit {
		t.Errorf("the replays wrote %d audit entries", n-audit)
	}
	if got := secTimeline.FindString(b.get(orderPath(o)).body); got != timeline {
		t.Errorf("the timeline changed:\n%s\nwas\n%s", got, timeline)
	}
	if strings.Contains(b.get("/").body, `data-testid="order-row-`+id+`"`) {
		t.Error("a replay put the shipped order back in the shipping queue")
	}

	// The replayed query with its timestamp or nonce changed is refused.
	for _, change := range []func(url.Values){
		// One second before the push's own timestamp, so it differs however long the test took to get here.
		func(q url.Values) {
			ts, err := strconv.ParseInt(push.query.Get("timestamp"), 10, 64)
			if err != nil {
				t.Fatalf("the push's timestamp %q: %v", push.query.Get("timestamp"), err)
			}
			q.Set("timestamp", strconv.FormatInt(ts-1, 10))
		},
		func(q url.Values) { q.Set("nonce", "5550002") },
	} {
		q := url.Values{}
		for k, v := range push.query {
			q[k] = slices.Clone(v)
		}
		change(q)
		if a := s.send(t, pushRequest{q, push.body}); a.status != http.StatusForbidden {
			t.Errorf("a replay with %v answered %d", q, a.status)
		}
	}

	// Signed, but from more than five minutes ago or ahead: refused, nothing fetched; within the window: taken.
	reads = s.secReads()
	for _, at := range []time.Duration{-6 * time.Hour, -pushWindow - time.Minute, pushWindow + time.Minute} {
		ts := strconv.FormatInt(time.Now().Add(at).Unix(), 10)
		query, body, err := wx.BuildPush(SandboxCallbackToken, nil, s.paidEvent(t, sandbox.SourceMerchant, other), ts, "5550003", nil)
		if err != nil {
			t.Fatal(err)
		}
		if a := s.send(t, pushRequest{query, body}); a.status != http.StatusForbidden {
			t.Errorf("a push signed %v from now answered %d %q", at, a.status, a.body)
		}
	}
	if n := s.secReads() - reads; n != 0 || s.ordersWithID(t, other) != 0 {
		t.Errorf("stale pushes cost %d WeChat calls and stored %d orders", n, s.ordersWithID(t, other))
	}
	ts := strconv.FormatInt(time.Now().Add(-pushWindow+time.Minute).Unix(), 10)
	query, body, err := wx.BuildPush(SandboxCallbackToken, nil, s.paidEvent(t, sandbox.SourceMerchant, other), ts, "5550004", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantAnswer(t, s.send(t, pushRequest{query, body}), http.StatusOK, "success")
	if s.ordersWithID(t, other) != 1 {
		t.Error("a push from four minutes ago was not taken")
	}

	// The handshake echoes echostr back: as plain text the browser may not sniff, so it can never be a page.
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "778"
	resp, err := http.Get(s.URL + "/wx/callback?" + url.Values{"signature": {wx.Signature(SandboxCallbackToken, ts, nonce)},
		"timestamp": {ts}, "nonce": {nonce}, "echostr": {secScript}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/plain") ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the echo is %d %q, nosniff %q", resp.StatusCode, ct, resp.Header.Get("X-Content-Type-Options"))
	}
}

// Outside the sandbox and with no WX_CALLBACK_TOKEN, nothing can be signed, so nothing is accepted: not even
// what is signed with the empty token.
func TestSecurityCallbackWithoutATokenRefusesEverything(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1}, func(_ *sandbox.Server, cfg *Config, _ *Options) {
		cfg.Sandbox, cfg.CallbackToken = false, ""
	})
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "777"
	resp, err := http.Get(s.URL + "/wx/callback?" + url.Values{"signature": {wx.Signature("", ts, nonce)}, "timestamp": {ts},
		"nonce": {nonce}, "echostr": {"42"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the handshake signed with no token answered %d", resp.StatusCode)
	}
	signed := url.Values{"signature": {wx.Signature("", ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}}
	a := s.send(t, pushRequest{signed, s.paidEvent(t, sandbox.SourceMerchant, id)})
	if a.status != http.StatusForbidden || s.hasMirror(t, db.SourceMerchant, id) {
		t.Errorf("a push signed with no token answered %d, stored %v", a.status, s.hasMirror(t, db.SourceMerchant, id))
	}
}
