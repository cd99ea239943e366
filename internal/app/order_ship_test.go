package app

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"wxshop/internal/db/dbtest"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// shipForm is the shipping form as a person fills it in.
func shipForm(company, trackNo, token string, counts ...string) url.Values {
	f := url.Values{"delivery_company": {company}, "delivery_track_no": {trackNo}, "ship_token": {token}}
	for i, c := range counts {
		f.Set("count."+strconv.Itoa(i), c)
	}
	return f
}

// fieldErrorText is the message beside field on a form page; false when there is none.
func fieldErrorText(a answer, field string) (string, bool) { return textOf(a, "error-"+field) }

// auditOfOrder lists the audit entries of action about one order.
func (s *testServer) auditOfOrder(t *testing.T, action, source, orderID string) []db.AuditEntry {
	t.Helper()
	var out []db.AuditEntry
	for _, e := range s.auditOf(t, action) {
		if e.ObjectType == "order" && e.ObjectID == source+":"+orderID {
			out = append(out, e)
		}
	}
	return out
}

func TestShipMerchantOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: -1})
		b := s.signedIn(t, "operator")
		o := s.merchantOrderToShip(t, b)

		page := b.get(orderPath(o))
		wantStatus(t, page, http.StatusOK)
		wantBody(t, page, `data-testid="ship-panel"`, `<option value="003shunfeng">顺丰速运</option>`, `<option value="066zhongtong">中通速递</option>`)
		if strings.Contains(page.body, `data-testid="ship-count-0"`) {
			t.Error("a merchant order offers parcel contents; it ships whole")
		}
		token := shipTokenOf(t, page)
		otherTab := shipTokenOf(t, b.get(orderPath(o))) // the same order open in a second tab

		a := b.post(orderPath(o)+"/ship", shipForm("003shunfeng", " sf1234567890 ", token))
		wantStatus(t, a, http.StatusSeeOther)
		if loc(a) != orderPath(o) {
			t.Errorf("shipping redirects to %q", loc(a))
		}
		page = b.get(loc(a))
		if got := flashOf(page); got != zh("ship.done", o.OrderID) {
			t.Errorf("flash %q, want %q", got, zh("ship.done", o.OrderID))
		}
		if got, _ := textOf(page, "order-status"); got != zh("status.shipped") {
			t.Errorf("the badge says %q", got)
		}
		parcels := firstMatch(`(?s)data-testid="order-parcels"(.*?)</table>`, page.body)
		if !strings.Contains(parcels, "顺丰速运") || !strings.Contains(parcels, "SF1234567890") {
			t.Errorf("the parcels table is %q", parcels)
		}
		timeline := firstMatch(`(?s)data-testid="order-timeline"(.*?)</section>`, page.body)
		// The merchant manual's order carries no delivery time, so the shipment is on the timeline as the
		// operator's action.
		if want := "test-operator · " + zh("action.order.ship") + "（003shunfeng SF1234567890）"; !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q: %s", want, timeline)
		}
		if strings.Contains(page.body, `data-testid="ship-panel"`) {
			t.Error("a shipped order still offers shipping")
		}
		st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID)
		if st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 1 || st.Parcels[0].Company != "003shunfeng" || st.Parcels[0].TrackingNo != "SF1234567890" {
			t.Errorf("WeChat holds %+v", st)
		}
		if m := s.mirrorOf(t, db.SourceMerchant, o.OrderID); m.Status != db.OrderShipped || len(m.Parcels) != 1 {
			t.Errorf("the mirror holds %s with %d parcels", m.Status, len(m.Parcels))
		}
		entries := s.auditOfOrder(t, "order.ship", db.SourceMerchant, o.OrderID)
		if len(entries) != 1 || entries[0].Detail != "003shunfeng SF1234567890" || entries[0].Outcome != "ok" || entries[0].Username != "test-operator" {
			t.Errorf("audit entries = %+v", entries)
		}

		// The same form again (a double click, a resent request): it says so and ships nothing.
		a = b.post(orderPath(o)+"/ship", shipForm("003shunfeng", "SF1234567890", token))
		wantStatus(t, a, http.StatusSeeOther)
		if got := flashOf(b.get(loc(a))); got != zh("ship.repeat") {
			t.Errorf("flash %q, want %q", got, zh("ship.repeat"))
		}
		if n := s.sandbox.Calls(pathMerchantDelivery); n != 1 {
			t.Errorf("WeChat was asked to ship %d times", n)
		}

		// The second tab's form: the order is no longer waiting, so it is refused with why, before WeChat.
		a = b.post(orderPath(o)+"/ship", shipForm("066zhongtong", "73100000000001", otherTab))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		if want := html.EscapeString(zh("ship.err.status", zh("status.shipped"))); !strings.Contains(a.body, want) {
			t.Errorf("the 422 page does not say why the order cannot be shipped (%q)", zh("ship.err.status", zh("status.shipped")))
		}
		if n := s.sandbox.Calls(pathMerchantDelivery); n != 1 {
			t.Errorf("WeChat was asked to ship %d times", n)
		}
		if n := len(s.auditOfOrder(t, "order.ship", db.SourceMerchant, o.OrderID)); n != 1 {
			t.Errorf("%d shipments audited", n)
		}
	})
}

func TestDoubleSubmitShipsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: -1})
		b := s.signedIn(t, "operator")
		o := s.merchantOrderToShip(t, b)
		body := shipForm("003shunfeng", "SF1234567890", shipTokenOf(t, b.get(orderPath(o)))).Encode()

		// Two clicks at once, with the same session, as an impatient person sends them.
		const clicks = 4
		var wg sync.WaitGroup
		statuses := make([]int, clicks)
		for i := range clicks {
			wg.Go(func() {
				req, _ := http.NewRequest(http.MethodPost, s.URL+orderPath(o)+"/ship", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := b.client.Do(req)
				if err != nil {
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses[i] = resp.StatusCode
			})
		}
		wg.Wait()
		for i, st := range statuses {
			if st != http.StatusSeeOther {
				t.Errorf("click %d answered %d", i, st)
			}
		}
		if n := s.sandbox.Calls(pathMerchantDelivery); n != 1 {
			t.Errorf("%d clicks made %d shipping calls, want 1", clicks, n)
		}
		if n := len(s.auditOfOrder(t, "order.ship", db.SourceMerchant, o.OrderID)); n != 1 {
			t.Errorf("%d shipments audited, want 1", n)
		}
		if st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID); len(st.Parcels) != 1 {
			t.Errorf("WeChat holds %d parcels", len(st.Parcels))
		}
	})
}

func TestShipFormRefusesBadInputBesideTheFields(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.merchantOrderToShip(t, b)
	token := shipTokenOf(t, b.get(orderPath(o)))

	for _, c := range []struct {
		name, company, trackNo string
		errors                 map[string]string
	}{
		{"nothing", "", "", map[string]string{"delivery_company": zh("ship.err.company"), "delivery_track_no": zh("ship.err.trackno")}},
		{"unknown company, short number", "nope", "12345", map[string]string{"delivery_company": zh("ship.err.company"), "delivery_track_no": zh("ship.err.trackno")}},
		{"a Channels code", "SF", "SF1234567890", map[string]string{"delivery_company": zh("ship.err.company")}},
		{"a space in the number", "003shunfeng", "SF123 4567890", map[string]string{"delivery_track_no": zh("ship.err.trackno")}},
		{"a number too long", "003shunfeng", strings.Repeat("7", 41), map[string]string{"delivery_track_no": zh("ship.err.trackno")}},
	} {
		a := b.post(orderPath(o)+"/ship", shipForm(c.company, c.trackNo, token))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		for _, field := range []string{"delivery_company", "delivery_track_no"} {
			got, shown := fieldErrorText(a, field)
			want, wanted := c.errors[field]
			if shown != wanted || got != want {
				t.Errorf("%s: beside %s: %q (shown %v), want %q", c.name, field, got, shown, want)
			}
		}
		// What was typed is kept.
		if c.trackNo != "" && !strings.Contains(a.body, `value="`+html.EscapeString(strings.ToUpper(c.trackNo))+`"`) {
			t.Errorf("%s: the tracking number typed is lost", c.name)
		}
		if c.company == "003shunfeng" && !strings.Contains(a.body, `<option value="003shunfeng" selected>`) {
			t.Errorf("%s: the company chosen is lost", c.name)
		}
		// A fresh key for the next try.
		if next := shipTokenOf(t, a); next == token {
			t.Errorf("%s: the form kept its used key", c.name)
		}
		token = shipTokenOf(t, a)
	}
	if n := s.sandbox.Calls(pathMerchantDelivery); n != 0 {
		t.Errorf("refused forms made %d shipping calls", n)
	}
	if n := len(s.auditOf(t, "order.ship")); n != 0 {
		t.Errorf("refused forms wrote %d audit entries", n)
	}

	// Corrected, with the key of the last page, it ships; a courier may be given by its short name too.
	a := b.post(orderPath(o)+"/ship", shipForm("066zhongtong", "73100000000001", token))
	wantStatus(t, a, http.StatusSeeOther)
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID); st.Status != wx.MerchantOrderShipped {
		t.Errorf("WeChat's order is in %d", st.Status)
	}
}

func TestShipRefusedByWeChatKeepsTheForm(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.merchantOrderToShip(t, b)
	token := shipTokenOf(t, b.get(orderPath(o)))

	s.sandbox.FailNext(pathMerchantDelivery, 9402027, "delivery company not exist", 1)
	a := b.post(orderPath(o)+"/ship", shipForm("003shunfeng", "SF1234567890", token))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	problem, _ := textOf(a, "ship-problem")
	if !strings.HasPrefix(problem, zh("ship.failed", "")) || !strings.Contains(problem, "9402027") {
		t.Errorf("the problem shown is %q", problem)
	}
	if !strings.Contains(a.body, `value="SF1234567890"`) || !strings.Contains(a.body, `<option value="003shunfeng" selected>`) {
		t.Error("what was typed is lost")
	}
	entries := s.auditOfOrder(t, "order.ship", db.SourceMerchant, o.OrderID)
	if len(entries) != 1 || !strings.Contains(entries[0].Outcome, "9402027") {
		t.Errorf("audit entries = %+v", entries)
	}
	if m := s.mirrorOf(t, db.SourceMerchant, o.OrderID); m.Status != db.OrderToShip {
		t.Errorf("a refused shipment left the mirror %q", m.Status)
	}
	// Trying again (the refused key was given back, and the page has a new one) ships.
	a = b.post(orderPath(o)+"/ship", shipForm("003shunfeng", "SF1234567890", shipTokenOf(t, a)))
	wantStatus(t, a, http.StatusSeeOther)
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, o.OrderID); st.Status != wx.MerchantOrderShipped {
		t.Errorf("WeChat's order is in %d after the second try", st.Status)
	}
}

// channelsOrderOfPieces makes new paid Channels orders until one holds at least pieces pieces, and mirrors it.
func (s *testServer) channelsOrderOfPieces(t *testing.T, b *browser, pieces int) db.Order {
	t.Helper()
	for range 200 {
		id := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
		n := 0
		for _, l := range s.sandboxOrder(t, sandbox.SourceChannels, id).Lines {
			n += l.Count
		}
		if n >= pieces {
			s.syncOrdersAs(t, b)
			return s.mirrorOf(t, db.SourceChannels, id)
		}
	}
	t.Fatalf("no new Channels order of %d pieces in 200 tries", pieces)
	return db.Order{}
}

var shipCountInput = regexp.MustCompile(`<input[^>]*name="count\.(\d+)"[^>]*>`)

// shipCounts are the parcel counts the shipping form offers, by line.
func shipCounts(a answer) map[string]string {
	out := map[string]string{}
	for _, m := range shipCountInput.FindAllStringSubmatch(a.body, -1) {
		out[m[1]] = firstMatch(`value="([^"]*)"`, m[0])
	}
	return out
}

func TestShipChannelsOrderInTwoParcels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: -1})
		b := s.signedIn(t, "operator")
		o := s.channelsOrderOfPieces(t, b, 2)
		lines := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID).Lines

		// The first parcel holds one piece of the first line.
		first := make([]string, len(lines))
		second := make([]string, len(lines))
		for i, l := range lines {
			first[i], second[i] = "0", strconv.Itoa(l.Count)
		}
		first[0], second[0] = "1", strconv.Itoa(lines[0].Count-1)

		page := b.get(orderPath(o))
		offered := shipCounts(page)
		for i, l := range lines {
			if offered[strconv.Itoa(i)] != strconv.Itoa(l.Count) {
				t.Errorf("line %d: the form offers %q pieces, the order has %d", i, offered[strconv.Itoa(i)], l.Count)
			}
		}
		a := b.post(orderPath(o)+"/ship", shipForm("SF", "SF1000000000001", shipTokenOf(t, page), first...))
		wantStatus(t, a, http.StatusSeeOther)
		page = b.get(loc(a))
		if got := flashOf(page); got != zh("ship.done", o.OrderID) {
			t.Errorf("flash %q", got)
		}
		st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID)
		if st.Status != wx.ShopOrderPartlyShipped || len(st.Parcels) != 1 || st.Lines[0].Shipped != 1 || st.Parcels[0].Company != "SF" {
			t.Errorf("after the first parcel WeChat holds %+v", st)
		}
		if m := s.mirrorOf(t, db.SourceChannels, o.OrderID); m.Status != db.OrderPartial || len(m.Parcels) != 1 {
			t.Errorf("after the first parcel the mirror holds %s with %d parcels", m.Status, len(m.Parcels))
		}
		if got, _ := textOf(page, "order-status"); got != zh("status.partial") {
			t.Errorf("the badge says %q", got)
		}
		if !strings.Contains(page.body, `data-testid="ship-panel"`) {
			t.Fatal("a partly shipped order offers no shipping for the rest")
		}
		// The form now offers what is left to ship.
		offered = shipCounts(page)
		for i, l := range lines {
			if want := strconv.Itoa(l.Count - st.Lines[i].Shipped); offered[strconv.Itoa(i)] != want {
				t.Errorf("after the first parcel, line %d: the form offers %q pieces, %s are left", i, offered[strconv.Itoa(i)], want)
			}
		}

		// The second parcel holds the rest.
		a = b.post(orderPath(o)+"/ship", shipForm("ZTO", "73100000000009", shipTokenOf(t, page), second...))
		wantStatus(t, a, http.StatusSeeOther)
		page = b.get(loc(a))
		st = s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID)
		if st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 2 {
			t.Errorf("after the second parcel WeChat holds %+v", st)
		}
		m := s.mirrorOf(t, db.SourceChannels, o.OrderID)
		if m.Status != db.OrderShipped || len(m.Parcels) != 2 || m.Parcels[0].TrackingNo != "SF1000000000001" || m.Parcels[1].TrackingNo != "73100000000009" {
			t.Errorf("after the second parcel the mirror holds %s with parcels %+v", m.Status, m.Parcels)
		}
		parcels := firstMatch(`(?s)data-testid="order-parcels"(.*?)</table>`, page.body)
		for _, want := range []string{"顺丰速运", "SF1000000000001", "中通快递", "73100000000009"} {
			if !strings.Contains(parcels, want) {
				t.Errorf("the parcels table lacks %q", want)
			}
		}
		timeline := firstMatch(`(?s)data-testid="order-timeline"(.*?)</section>`, page.body)
		for _, want := range []string{zh("timeline.shipped", "顺丰速运", "SF1000000000001"), zh("timeline.shipped", "中通快递", "73100000000009")} {
			if !strings.Contains(timeline, want) {
				t.Errorf("the timeline lacks %q: %s", want, timeline)
			}
		}
		if strings.Contains(page.body, `data-testid="ship-panel"`) {
			t.Error("a shipped order still offers shipping")
		}
		if n := s.sandbox.Calls(pathChannelsSend); n != 2 {
			t.Errorf("%d delivery calls, want 2", n)
		}
		if n := len(s.auditOfOrder(t, "order.ship", db.SourceChannels, o.OrderID)); n != 2 {
			t.Errorf("%d shipments audited, want 2", n)
		}
	})
}

func TestShipChannelsOrderRefusesBadCounts(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.channelsOrderOfPieces(t, b, 1)
	token := shipTokenOf(t, b.get(orderPath(o)))
	zeros := make([]string, len(o.Lines))
	for i := range zeros {
		zeros[i] = "0"
	}
	tooMany := append([]string{strconv.FormatInt(o.Lines[0].Quantity+1, 10)}, zeros[1:]...)
	notANumber := append([]string{"两件"}, zeros[1:]...)
	for _, c := range []struct {
		name   string
		counts []string
		want   string
	}{
		{"nothing in the parcel", zeros, zh("ship.err.empty")},
		{"more than ordered", tooMany, zh("ship.err.counts")},
		{"not a number", notANumber, zh("ship.err.counts")},
	} {
		a := b.post(orderPath(o)+"/ship", shipForm("SF", "SF1000000000001", token, c.counts...))
		wantStatus(t, a, http.StatusUnprocessableEntity)
		if got, _ := fieldErrorText(a, "counts"); got != c.want {
			t.Errorf("%s: beside the counts %q, want %q", c.name, got, c.want)
		}
		if got := shipCounts(a)["0"]; got != c.counts[0] {
			t.Errorf("%s: the count typed (%q) came back as %q", c.name, c.counts[0], got)
		}
		token = shipTokenOf(t, a)
	}
	if n := s.sandbox.Calls(pathChannelsSend); n != 0 {
		t.Errorf("refused forms made %d delivery calls", n)
	}
}

func TestOrdersNotWaitingCannotBeShipped(t *testing.T) {
	t.Parallel()
	s, b := orderServerWithMirror(t)
	calls := s.callsNow(pathMerchantDelivery, pathChannelsSend)
	checked := 0
	for _, o := range s.mirrorAll(t, "") {
		if o.Status == db.OrderToShip || o.Status == db.OrderPartial {
			continue
		}
		if checked > 0 && o.Status == db.OrderDone {
			continue // one done order is enough; the others are the interesting ones
		}
		checked++
		page := b.get(orderPath(o))
		if strings.Contains(page.body, `data-testid="ship-panel"`) {
			t.Errorf("%s order %s (%s) offers shipping", o.Source, o.OrderID, o.Status)
		}
		company := "SF"
		if o.Source == db.SourceMerchant {
			company = "003shunfeng"
		}
		a := b.post(orderPath(o)+"/ship", shipForm(company, "SF1234567890", ""))
		if a.status != http.StatusUnprocessableEntity {
			t.Errorf("shipping %s order %s (%s): status %d, want 422", o.Source, o.OrderID, o.Status, a.status)
		}
		if checked > 12 {
			break
		}
	}
	if checked < 5 {
		t.Fatalf("only %d orders not waiting were tried", checked)
	}
	for _, p := range []string{pathMerchantDelivery, pathChannelsSend} {
		if n := calls.since(s, p); n != 0 {
			t.Errorf("%d calls to %s", n, p)
		}
	}
}

func TestShippedOrderWhoseReadBackFailsIsStillShownShipped(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.merchantOrderToShip(t, b)
	token := shipTokenOf(t, b.get(orderPath(o)))
	// WeChat ships the order, then cannot answer for it.
	s.sandbox.FailNext(pathMerchantGet, 9401020, "invalid parameter", 1)
	a := b.post(orderPath(o)+"/ship", shipForm("003shunfeng", "SF1234567890", token))
	wantStatus(t, a, http.StatusSeeOther)
	page := b.get(loc(a))
	if got := flashOf(page); got != zh("ship.done", o.OrderID) {
		t.Errorf("flash %q", got)
	}
	m := s.mirrorOf(t, db.SourceMerchant, o.OrderID)
	if m.Status != db.OrderShipped || len(m.Parcels) != 1 || m.Parcels[0].CompanyName != "顺丰速运" || m.Parcels[0].TrackingNo != "SF1234567890" {
		t.Errorf("the mirror holds %s with parcels %+v", m.Status, m.Parcels)
	}
	if strings.Contains(page.body, `data-testid="ship-panel"`) {
		t.Error("the order still offers shipping, so it could be shipped twice")
	}
	if n := s.sandbox.Calls(pathMerchantDelivery); n != 1 {
		t.Errorf("%d shipping calls", n)
	}
}

// Once an order is shipped its page offers the oldest order still waiting, so the operator goes from parcel to
// parcel; with none left, or for a viewer, it offers nothing.
func TestShippedOrderOffersTheNextToShip(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	viewer := s.signedIn(t, "viewer")
	ids := s.newPaidMerchantOrders(t, b, 3)
	first := s.mirrorOf(t, db.SourceMerchant, ids[1])
	if page := b.get(orderPath(first)); strings.Contains(page.body, `data-testid="next-to-ship"`) {
		t.Error("an order waiting to ship points to another one before it is shipped")
	}

	shipped := map[string]bool{}
	for _, id := range []string{ids[1], ids[0], ids[2]} {
		o := s.mirrorOf(t, db.SourceMerchant, id)
		a := b.post(orderPath(o)+"/ship", shipForm("003shunfeng", "SF30000000"+id[len(id)-4:], shipTokenOf(t, b.get(orderPath(o)))))
		wantStatus(t, a, http.StatusSeeOther)
		shipped[id] = true
		page := b.get(loc(a))
		waiting, total, err := s.store.Orders(t.Context(), db.OrderFilter{Status: db.OrderToShip, Oldest: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total == 0 {
			if strings.Contains(page.body, `data-testid="next-to-ship"`) {
				t.Errorf("after the last order, the page still offers a next one")
			}
			continue
		}
		if shipped[waiting[0].OrderID] {
			t.Fatalf("the mirror still has shipped order %s waiting", waiting[0].OrderID)
		}
		if got, _ := textOf(page, "next-to-ship-link"); got != zh("orders.next.go", waiting[0].OrderID) {
			t.Errorf("after shipping %s the page offers %q, want %q", id, got, zh("orders.next.go", waiting[0].OrderID))
		}
		if href := firstMatch(`data-testid="next-to-ship"[^>]*>.*?href="([^"]*)"`, strings.ReplaceAll(page.body, "\n", " ")); href != orderPath(waiting[0])+"#ship" {
			t.Errorf("the next order's link goes to %q, want %q", href, orderPath(waiting[0])+"#ship")
		}
		if !strings.Contains(page.body, zh("orders.next", total)) {
			t.Errorf("the page does not say %q", zh("orders.next", total))
		}
		if strings.Contains(viewer.get(loc(a)).body, `data-testid="next-to-ship"`) {
			t.Error("a viewer, who cannot ship, is offered the next order to ship")
		}
	}
}

// The courier an operator chose last for a source is chosen already on the next order of that source, for
// that operator only; a form sent back with an error keeps what was chosen.
func TestShipFormStartsWithTheLastCourier(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	admin := s.signedIn(t, "admin")
	ids := s.newPaidMerchantOrders(t, b, 3)
	chID := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	s.syncOrdersAs(t, b)
	ch := s.mirrorOf(t, db.SourceChannels, chID)
	chosen := func(page answer) string {
		return firstMatch(`<option value="([^"]*)" selected>`, firstMatch(`(?s)data-testid="ship-company">(.*?)</select>`, page.body))
	}
	a, o2, o3 := s.mirrorOf(t, db.SourceMerchant, ids[0]), s.mirrorOf(t, db.SourceMerchant, ids[1]), s.mirrorOf(t, db.SourceMerchant, ids[2])
	if got := chosen(b.get(orderPath(a))); got != "" {
		t.Errorf("before any shipment the form has %q chosen", got)
	}
	wantStatus(t, b.post(orderPath(a)+"/ship", shipForm("066zhongtong", "73100000000001", shipTokenOf(t, b.get(orderPath(a))))), http.StatusSeeOther)

	if got := chosen(b.get(orderPath(o2))); got != "066zhongtong" {
		t.Errorf("the next merchant order has %q chosen, want the last one, 066zhongtong", got)
	}
	if got := chosen(admin.get(orderPath(o2))); got != "" {
		t.Errorf("another person's form has %q chosen", got)
	}
	if got := chosen(b.get(orderPath(ch))); got != "" {
		t.Errorf("a Channels order has %q chosen: couriers of another source", got)
	}
	// A failed shipment does not count; a refused form keeps the choice made, even an empty one.
	s.sandbox.FailNext(pathMerchantDelivery, -1, "system error", 1)
	wantStatus(t, b.post(orderPath(o2)+"/ship", shipForm("003shunfeng", "SF3000000002", shipTokenOf(t, b.get(orderPath(o2))))), http.StatusUnprocessableEntity)
	if got := chosen(b.get(orderPath(o3))); got != "066zhongtong" {
		t.Errorf("after a refused shipment the form has %q chosen, want the last one shipped, 066zhongtong", got)
	}
	refused := b.post(orderPath(o3)+"/ship", shipForm("", "SF3000000003", shipTokenOf(t, b.get(orderPath(o3)))))
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	if got := chosen(refused); got != "" {
		t.Errorf("a form sent without a courier comes back with %q chosen", got)
	}
}

// merchantOrderToShip is a new paid merchant order, synced into the mirror by b's user.
func (s *testServer) merchantOrderToShip(t *testing.T, b *browser) db.Order {
	t.Helper()
	return s.mirrorOf(t, db.SourceMerchant, s.newPaidMerchantOrders(t, b, 1)[0])
}
