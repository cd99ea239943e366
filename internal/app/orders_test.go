package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// Helpers shared by the order tests (orders, order_sync, order_ship, bulk_ship, callback, permission), and the
// tests of the order list, its export, the packing list, closing orders and what a viewer may do.

// orderTweak changes the configuration of an order test server before the app is built; it sees the sandbox.
type orderTweak func(sb *sandbox.Server, cfg *Config, opts *Options)

// newOrderServer is newTestServer with sandbox options of the test's choosing (Seed 7 unless given) and
// tweaks of the app's configuration.
func newOrderServer(t *testing.T, sbOpts sandbox.Options, tweaks ...orderTweak) *testServer {
	t.Helper()
	ctx := context.Background()
	store := dbtest.Open(t) // SQLite, or PostgreSQL under dbtest.Each
	if sbOpts.Seed == 0 {
		sbOpts.Seed = 7
	}
	sb := sandbox.New(sbOpts)
	wxServer := httptest.NewServer(sb)
	t.Cleanup(wxServer.Close)
	if _, err := EnsureAdmin(ctx, store, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DataDir: t.TempDir(), APIBase: wxServer.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true}
	opts := Options{Logger: slog.New(slog.DiscardHandler)}
	for _, tweak := range tweaks {
		tweak(sb, &cfg, &opts)
	}
	a, err := New(cfg, store, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, app: a, store: store, sandbox: sb}
}

// syncOrdersAs runs "同步订单" as the browser's user and returns the page it leads to, where the flash is.
func (s *testServer) syncOrdersAs(t *testing.T, b *browser) answer {
	t.Helper()
	a := b.post("/orders/sync", url.Values{"back": {"/orders"}})
	wantStatus(t, a, http.StatusSeeOther)
	if loc := a.header.Get("Location"); loc != "/orders" {
		t.Fatalf("the order sync redirects to %q", loc)
	}
	return b.get(loc(a))
}

func loc(a answer) string { return a.header.Get("Location") }

// mirrorOf is the mirror's copy of an order of source (not partner), with lines and parcels.
func (s *testServer) mirrorOf(t *testing.T, source, orderID string) db.Order {
	t.Helper()
	o, err := s.store.OrderBySourceID(t.Context(), source, "", orderID)
	if err != nil {
		t.Fatalf("mirror of %s order %s: %v", source, orderID, err)
	}
	return o
}

// hasMirror tells whether the mirror holds the order.
func (s *testServer) hasMirror(t *testing.T, source, orderID string) bool {
	t.Helper()
	_, err := s.store.OrderBySourceID(t.Context(), source, "", orderID)
	return err == nil
}

// mirrorAll lists the mirror's orders of source ("" every source), newest first.
func (s *testServer) mirrorAll(t *testing.T, source string) []db.Order {
	t.Helper()
	orders, total, err := s.store.Orders(t.Context(), db.OrderFilter{Source: source, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(orders) {
		t.Fatalf("the mirror counts %d orders and lists %d", total, len(orders))
	}
	return orders
}

// newPaidMerchantOrders makes n new paid merchant orders in the sandbox and brings them into the mirror with
// an order sync; it returns the orders' ids.
func (s *testServer) newPaidMerchantOrders(t *testing.T, b *browser, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		ids = append(ids, s.sandbox.NewPaidOrder(sandbox.SourceMerchant))
	}
	s.syncOrdersAs(t, b)
	for _, id := range ids {
		if o := s.mirrorOf(t, db.SourceMerchant, id); o.Status != db.OrderToShip {
			t.Fatalf("new paid order %s is %q in the mirror, want toship", id, o.Status)
		}
	}
	return ids
}

// normalStatus is what the app's status of a sandbox order must be: the source's code read as the order
// model's status, after-sale going on winning over the delivery state.
func normalStatus(o sandbox.OrderState) string {
	if o.Source == sandbox.SourceMerchant {
		switch o.Status {
		case wx.MerchantOrderToShip:
			return db.OrderToShip
		case wx.MerchantOrderShipped:
			return db.OrderShipped
		case wx.MerchantOrderDone:
			return db.OrderDone
		case wx.MerchantOrderInDispute:
			return db.OrderAfterSale
		case 6:
			return db.OrderCancelled
		}
		return "unknown merchant status " + strconv.Itoa(o.Status)
	}
	var st string
	switch o.Status {
	case wx.ShopOrderToPay:
		return db.OrderToPay
	case wx.ShopOrderToShip:
		st = db.OrderToShip
	case wx.ShopOrderPartlyShipped:
		st = db.OrderPartial
	case wx.ShopOrderToReceive:
		st = db.OrderShipped
	case wx.ShopOrderDone:
		st = db.OrderDone
	case wx.ShopOrderCancelledRefunded, wx.ShopOrderCancelledOversold, wx.ShopOrderCancelledAftersale, wx.ShopOrderCancelledUnpaid:
		return db.OrderCancelled
	default:
		return "unknown status " + strconv.Itoa(o.Status)
	}
	if o.Aftersale {
		return db.OrderAfterSale
	}
	return st
}

// sandboxOrder is the sandbox's copy of an order.
func (s *testServer) sandboxOrder(t *testing.T, source, id string) sandbox.OrderState {
	t.Helper()
	o, ok := s.sandbox.Order(source, id)
	if !ok {
		t.Fatalf("the sandbox has no %s order %s", source, id)
	}
	return o
}

var (
	flashText   = regexp.MustCompile(`data-testid="flash">([^<]*)<`)
	orderRowTag = regexp.MustCompile(`data-testid="order-row-([^"]+)"`)
	shipTokenIn = regexp.MustCompile(`name="ship_token" value="([^"]+)"`)
	testIDText  = func(id string) *regexp.Regexp {
		return regexp.MustCompile(`data-testid="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	}
)

// flashOf is the flash message a page shows, unescaped; "" for none.
func flashOf(a answer) string {
	m := flashText.FindStringSubmatch(a.body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

// textOf is the text directly inside the first element with data-testid id, unescaped; false when none.
func textOf(a answer, id string) (string, bool) {
	m := testIDText(id).FindStringSubmatch(a.body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(strings.TrimSpace(m[1])), true
}

// orderRows are the order ids of the order rows a page shows, in order.
func orderRows(a answer) []string {
	var ids []string
	for _, m := range orderRowTag.FindAllStringSubmatch(a.body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// shipTokenOf is the single-use key of the shipping form on an order page.
func shipTokenOf(t *testing.T, a answer) string {
	t.Helper()
	m := shipTokenIn.FindStringSubmatch(a.body)
	if m == nil {
		t.Fatalf("the page has no shipping form\n%s", a.body)
	}
	return m[1]
}

// orderPath is the page of a mirrored order.
func orderPath(o db.Order) string { return "/orders/" + strconv.FormatInt(o.ID, 10) }

// listAllOrders walks every page of the order list with query and returns the order ids it shows, in order.
func listAllOrders(t *testing.T, b *browser, query url.Values) []string {
	t.Helper()
	var ids []string
	for page := 1; page <= 100; page++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		a := b.get("/orders?" + q.Encode())
		wantStatus(t, a, http.StatusOK)
		ids = append(ids, orderRows(a)...)
		if !strings.Contains(a.body, `rel="next"`) {
			return ids
		}
	}
	t.Fatal("the order list has more than 100 pages")
	return nil
}

// exportedOrders reads /orders.csv with query: the header and the rows.
func exportedOrders(t *testing.T, b *browser, query url.Values) ([]string, [][]string) {
	t.Helper()
	a := b.get("/orders.csv?" + query.Encode())
	wantStatus(t, a, http.StatusOK)
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("the export is %q, want text/csv", ct)
	}
	if cd := a.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("the export's Content-Disposition is %q", cd)
	}
	if !strings.HasPrefix(a.body, "\ufeff") {
		t.Error("the export has no BOM, so Excel would garble the Chinese")
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(a.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, a.body)
	}
	if len(records) == 0 {
		t.Fatal("the export is empty, not even a header")
	}
	// Long numbers carry a tab that keeps Excel from reading them as numbers (spreadsheetCells); a person
	// reads the number.
	for _, r := range records {
		for i, cell := range r {
			r[i] = strings.TrimPrefix(cell, "\t")
		}
	}
	return records[0], records[1:]
}

func firstColumn(records [][]string) []string {
	var out []string
	for _, r := range records {
		out = append(out, r[0])
	}
	return out
}

// matching filters the mirror's orders as the list must: status, source, created in [from, to) and a search
// that is an order id, a phone or a name exactly, or part of a name or a product title.
func matching(orders []db.Order, status, source string, from, to time.Time, q string) []string {
	var ids []string
	for _, o := range orders {
		if status != "" && o.Status != status || source != "" && o.Source != source {
			continue
		}
		if !from.IsZero() && o.CreatedAt.Before(from) || !to.IsZero() && !o.CreatedAt.Before(to) {
			continue
		}
		if q != "" {
			hit := o.OrderID == q || o.ReceiverPhone == q || strings.Contains(o.ReceiverName, q)
			for _, l := range o.Lines {
				hit = hit || strings.Contains(l.Title, q)
			}
			if !hit {
				continue
			}
		}
		ids = append(ids, o.OrderID)
	}
	return ids
}

func sortedCopy(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// orderServerWithMirror is a server whose mirror holds the demo orders of the sources that can be listed,
// with an operator signed in.
func orderServerWithMirror(t *testing.T) (*testServer, *browser) {
	t.Helper()
	s := newOrderServer(t, sandbox.Options{Orders: 200})
	b := s.signedIn(t, "operator")
	s.syncOrdersAs(t, b)
	return s, b
}

func TestOrderListFiltersAndItsExportAgree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s, b := orderServerWithMirror(t)
		all := s.mirrorAll(t, "")
		if len(all) < ordersPerPage+1 {
			t.Fatalf("the mirror holds %d orders: too few for paging", len(all))
		}
		calls := s.wxCalls() + s.orderCalls()

		// Search terms from real orders: a phone, a full name, a product word, an order id.
		var phone, name, product, orderID string
		for _, o := range all {
			if o.ReceiverPhone != "" && phone == "" {
				phone = o.ReceiverPhone
			}
			if o.ReceiverName != "" && name == "" {
				name = o.ReceiverName
			}
			if o.Source == db.SourceChannels && orderID == "" {
				orderID = o.OrderID
			}
		}
		product = string([]rune(all[0].Lines[0].Title)[:2])
		today := startOfDay(time.Now())
		from, to := today.AddDate(0, 0, -20), today.AddDate(0, 0, -10) // to: the last whole day included

		for _, c := range []struct {
			name                   string
			status, source, q      string
			fromDay, toDay         string
			from, toExclusive      time.Time
			wantSome, wantNarrower bool
		}{
			{name: "everything", wantSome: true},
			{name: "waiting to ship", status: db.OrderToShip, wantSome: true, wantNarrower: true},
			{name: "shipped", status: db.OrderShipped, wantSome: true, wantNarrower: true},
			{name: "done", status: db.OrderDone, wantSome: true, wantNarrower: true},
			{name: "channels", source: db.SourceChannels, wantSome: true, wantNarrower: true},
			{name: "merchant and done", status: db.OrderDone, source: db.SourceMerchant, wantSome: true, wantNarrower: true},
			{name: "a date range", fromDay: from.Format("2006-01-02"), toDay: to.Format("2006-01-02"),
				from: from, toExclusive: to.AddDate(0, 0, 1), wantSome: true, wantNarrower: true},
			{name: "a phone", q: phone, wantSome: true, wantNarrower: true},
			{name: "a receiver's name", q: name, wantSome: true, wantNarrower: true},
			{name: "a product", q: product, wantSome: true},
			{name: "an order id", q: orderID, wantSome: true, wantNarrower: true},
			{name: "nothing matches", q: "没有这样的订单", wantNarrower: true},
		} {
			t.Run(c.name, func(t *testing.T) {
				q := url.Values{}
				for k, v := range map[string]string{"status": c.status, "source": c.source, "q": c.q, "from": c.fromDay, "to": c.toDay} {
					if v != "" {
						q.Set(k, v)
					}
				}
				want := matching(all, c.status, c.source, c.from, c.toExclusive, c.q)
				if c.wantSome && len(want) == 0 {
					t.Fatalf("the demo orders have none for this filter; the test needs some")
				}
				if c.wantNarrower && len(want) == len(all) {
					t.Fatalf("the filter keeps every order; the test needs one that narrows")
				}
				got := listAllOrders(t, b, q)
				if !slices.Equal(sortedCopy(got), sortedCopy(want)) {
					t.Errorf("the list shows %d orders, want %d\nshown: %v\nwant:  %v", len(got), len(want), got, want)
				}
				if len(got) != len(slices.Compact(sortedCopy(got))) {
					t.Errorf("the pages show an order twice: %v", got)
				}
				first := b.get("/orders?" + q.Encode())
				if len(want) == 0 {
					wantBody(t, first, `data-testid="orders-empty"`, zh("orders.empty"))
				}
				// The active tab counts the filtered orders.
				tab := "tab-all"
				if c.status != "" {
					tab = "tab-" + c.status
				}
				if m := regexp.MustCompile(`data-testid="` + tab + `"[^>]*>([\s\S]*?)</a>`).FindStringSubmatch(first.body); m == nil {
					t.Errorf("no %s tab", tab)
				} else if text := strings.Join(strings.Fields(m[1]), " "); !strings.HasSuffix(text, fmt.Sprintf("(%d)", len(want))) {
					t.Errorf("the %s tab says %q, want the count %d", tab, text, len(want))
				}

				header, rows := exportedOrders(t, b, q)
				if header[0] != zh("orders.id") || !slices.Contains(header, zh("orders.phone")) || !slices.Contains(header, zh("orders.trackno")) {
					t.Errorf("the export's header is %v", header)
				}
				if exported := firstColumn(rows); !slices.Equal(exported, got) {
					t.Errorf("the export has %d rows, the list %d; they differ\nexport: %v\nlist:   %v", len(exported), len(got), exported, got)
				}
			})
		}

		// The export writes each order as the page shows it: status and source in words, money in yuan.
		header, rows := exportedOrders(t, b, url.Values{"status": {db.OrderShipped}, "source": {db.SourceMerchant}})
		col := func(name string) int { return slices.Index(header, zh(name)) }
		for _, r := range rows {
			o := s.mirrorOf(t, db.SourceMerchant, r[0])
			if r[col("orders.source")] != zh("source.merchant") || r[col("products.status")] != zh("status.shipped") {
				t.Errorf("export row of %s: source %q, status %q", r[0], r[col("orders.source")], r[col("products.status")])
			}
			if r[col("orders.phone")] != o.ReceiverPhone || r[col("orders.receiver")] != o.ReceiverName {
				t.Errorf("export row of %s: receiver %q %q, mirror %q %q", r[0], r[col("orders.receiver")], r[col("orders.phone")], o.ReceiverName, o.ReceiverPhone)
			}
			if want := fmt.Sprintf("%d.%02d", o.TotalFen/100, o.TotalFen%100); r[col("orders.total")] != want {
				t.Errorf("export row of %s: total %q, want %q", r[0], r[col("orders.total")], want)
			}
			if len(o.Parcels) == 0 || r[col("orders.trackno")] != o.Parcels[0].TrackingNo {
				t.Errorf("export row of %s: tracking number %q, parcels %+v", r[0], r[col("orders.trackno")], o.Parcels)
			}
		}

		if n := s.wxCalls() + s.orderCalls(); n != calls {
			t.Errorf("listing and exporting made %d WeChat calls; reads must come from the mirror", n-calls)
		}
	})
}

// orderCalls counts the order calls that reached the sandbox.
func (s *testServer) orderCalls() int {
	n := 0
	for _, p := range orderPaths {
		n += s.sandbox.Calls(p)
	}
	return n
}

var orderPaths = []string{
	"/merchant/order/getbyid", "/merchant/order/getbyfilter", "/merchant/order/setdelivery", "/merchant/order/close",
	"/product/order/get", "/channels/ec/order/list/get", "/channels/ec/order/get", "/channels/ec/order/delivery/send",
	"/channels/ec/cooperation/order/get", "/user-order/orders-permission/open",
}

func TestPackingListHasTheTickedOrders(t *testing.T) {
	t.Parallel()
	s, b := orderServerWithMirror(t)
	waiting := s.mirrorAll(t, db.SourceChannels)
	picked := []db.Order{waiting[0], waiting[3], waiting[5]}
	q := url.Values{}
	for _, o := range picked {
		q.Add("id", strconv.FormatInt(o.ID, 10))
	}
	q.Add("id", "999999") // an order that is gone is left out
	q.Add("id", "x")
	a := b.get("/orders/print?" + q.Encode())
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, zh("print.title", len(picked)))
	if n := strings.Count(a.body, `data-testid="packing-slip"`); n != len(picked) {
		t.Errorf("the packing list has %d slips, want %d", n, len(picked))
	}
	for _, o := range picked {
		wantBody(t, a, html.EscapeString(zh("orders.heading", o.OrderID)), html.EscapeString(o.ReceiverName), o.ReceiverPhone)
		for _, l := range o.Lines {
			wantBody(t, a, html.EscapeString(l.Title), "× "+strconv.FormatInt(l.Quantity, 10))
		}
	}
	// The list offers the ticking.
	list := b.get("/orders")
	wantBody(t, list, `id="print-form"`, `form="print-form"`, `data-testid="print-selected"`)
}

func TestCloseMerchantOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: 40})
		b := s.signedIn(t, "operator")
		ids := s.newPaidMerchantOrders(t, b, 1)
		o := s.mirrorOf(t, db.SourceMerchant, ids[0])
		page := b.get(orderPath(o))
		wantBody(t, page, `data-testid="order-close"`, html.EscapeString(zh("orders.close.confirm", o.OrderID)))

		a := b.post(orderPath(o)+"/close", nil)
		wantStatus(t, a, http.StatusSeeOther)
		if loc(a) != orderPath(o) {
			t.Errorf("closing redirects to %q", loc(a))
		}
		page = b.get(loc(a))
		if got := flashOf(page); got != zh("close.done", o.OrderID) {
			t.Errorf("flash %q, want %q", got, zh("close.done", o.OrderID))
		}
		if st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID).Status; st != 6 {
			t.Errorf("WeChat's order is in status %d after closing, want 6", st)
		}
		if got := s.mirrorOf(t, db.SourceMerchant, o.OrderID).Status; got != db.OrderCancelled {
			t.Errorf("the mirror says %q after closing, want cancelled", got)
		}
		if strings.Contains(page.body, `data-testid="order-close"`) || strings.Contains(page.body, `data-testid="ship-panel"`) {
			t.Error("a closed order still offers closing or shipping")
		}
		entries := s.auditOf(t, "order.close")
		if len(entries) != 1 || entries[0].ObjectID != "merchant:"+o.OrderID || entries[0].Outcome != "ok" || entries[0].Username != "test-operator" {
			t.Errorf("audit entries = %+v", entries)
		}

		// Closing again, or closing what cannot be closed, asks WeChat nothing.
		closes := s.sandbox.Calls("/merchant/order/close")
		for _, other := range []db.Order{o, s.mirrorAll(t, db.SourceChannels)[0]} {
			a = b.post(orderPath(other)+"/close", nil)
			wantStatus(t, a, http.StatusSeeOther)
			if got := flashOf(b.get(loc(a))); got != zh("close.err.status") {
				t.Errorf("closing %s %s: flash %q", other.Source, other.OrderID, got)
			}
		}
		if n := s.sandbox.Calls("/merchant/order/close") - closes; n != 0 {
			t.Errorf("refused closings made %d close calls", n)
		}
	})
}

func TestCloseRefusedByWeChatIsShownAndAudited(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	ids := s.newPaidMerchantOrders(t, b, 1)
	o := s.mirrorOf(t, db.SourceMerchant, ids[0])
	s.sandbox.FailNext("/merchant/order/close", 9402025, "order already shipped", 1)
	a := b.post(orderPath(o)+"/close", nil)
	wantStatus(t, a, http.StatusSeeOther)
	got := flashOf(b.get(loc(a)))
	if !strings.Contains(got, "9402025") || !strings.HasPrefix(got, zh("close.failed", "")) {
		t.Errorf("flash %q, want the refusal with its code", got)
	}
	if st := s.mirrorOf(t, db.SourceMerchant, o.OrderID).Status; st != db.OrderToShip {
		t.Errorf("a refused closing left the mirror %q", st)
	}
	entries := s.auditOf(t, "order.close")
	if len(entries) != 1 || !strings.Contains(entries[0].Outcome, "9402025") {
		t.Errorf("audit entries = %+v", entries)
	}
}

func TestViewerCannotWriteOrders(t *testing.T) {
	t.Parallel()
	s, operator := orderServerWithMirror(t)
	ids := s.newPaidMerchantOrders(t, operator, 1)
	o := s.mirrorOf(t, db.SourceMerchant, ids[0])
	ch := s.mirrorAll(t, db.SourceChannels)[0]
	// A file waiting for confirmation, uploaded by the operator.
	up := operator.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", "ship.csv", []byte(o.OrderID + ",003shunfeng,SF1234567890\n")}})
	wantStatus(t, up, http.StatusSeeOther)
	batch := loc(up)

	viewer := s.signedIn(t, "viewer")
	page := viewer.get(orderPath(o))
	wantStatus(t, page, http.StatusOK)
	list := viewer.get("/orders")
	dash := viewer.get("/")
	for _, c := range []struct {
		a    answer
		hook string
	}{
		{page, `data-testid="ship-panel"`}, {page, `data-testid="order-close"`}, {list, `data-testid="bulk-ship"`},
		{dash, `data-testid="orders-sync"`}, {dash, `data-testid="sandbox-new-order"`},
	} {
		if strings.Contains(c.a.body, c.hook) {
			t.Errorf("a viewer is offered %s", c.hook)
		}
	}

	before := s.orderCalls()
	orders := s.sandbox.OrderCount("")
	auditBefore, _, _ := s.store.AuditPage(t.Context(), 10000, 0)
	token := shipTokenOf(t, operator.get(orderPath(o)))
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodPost, orderPath(o) + "/ship", url.Values{"delivery_company": {"003shunfeng"}, "delivery_track_no": {"SF1234567890"}, "ship_token": {token}}},
		{http.MethodPost, orderPath(ch) + "/ship", url.Values{"delivery_company": {"SF"}, "delivery_track_no": {"SF1234567890"}}},
		{http.MethodPost, orderPath(o) + "/close", nil},
		{http.MethodPost, "/orders/sync", nil},
		{http.MethodPost, "/orders/sources/channels/retry", nil},
		{http.MethodGet, "/orders/bulk-ship", nil},
		{http.MethodPost, "/orders/bulk-ship", url.Values{}},
		{http.MethodGet, batch, nil},
		{http.MethodPost, batch + "/run", nil},
		{http.MethodPost, "/sandbox/new-order", nil},
		{http.MethodPost, "/permission/open", nil},
	} {
		if a := viewer.do(req.method, req.path, req.form); a.status != http.StatusForbidden {
			t.Errorf("viewer %s %s: status %d, want 403", req.method, req.path, a.status)
		}
	}
	// The upload as a browser sends it.
	if a := viewer.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", "ship.csv", []byte(o.OrderID + ",003shunfeng,SF1234567890\n")}}); a.status != http.StatusForbidden {
		t.Errorf("viewer's upload: status %d, want 403", a.status)
	}

	if n := s.orderCalls() - before; n != 0 {
		t.Errorf("a viewer's requests made %d order calls", n)
	}
	if n := s.sandbox.OrderCount(""); n != orders {
		t.Errorf("the sandbox has %d orders, had %d", n, orders)
	}
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID); st.Status != wx.MerchantOrderToShip || len(st.Parcels) != 0 {
		t.Errorf("WeChat's order changed: %+v", st)
	}
	if st := s.mirrorOf(t, db.SourceMerchant, o.OrderID).Status; st != db.OrderToShip {
		t.Errorf("the mirror says %q", st)
	}
	auditAfter, _, _ := s.store.AuditPage(t.Context(), 10000, 0)
	for _, e := range auditAfter[:len(auditAfter)-len(auditBefore)] {
		if e.Action != "auth.login" {
			t.Errorf("a viewer's refused request was recorded: %+v", e)
		}
	}
	// The operator's file was not started by the viewer's attempt.
	if b := operator.get(batch); !strings.Contains(b.body, `data-state="preview"`) {
		t.Errorf("the file is no longer in preview after the viewer's attempt\n%s", b.body)
	}
}

// csvBytes writes rows as CSV.
func csvBytes(rows ...[]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	return buf.Bytes()
}
