package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// openableOrder is a finished Channels order of the mirror none of whose lines has an after-sale.
func openableOrder(t *testing.T, s *testServer) db.Order {
	t.Helper()
	done, _, err := s.store.Orders(t.Context(), db.OrderFilter{Source: db.SourceChannels, Status: db.OrderDone, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, brief := range done {
		if list, err := s.store.AftersalesOfOrder(t.Context(), brief.OrderID); err == nil && len(list) == 0 {
			o, err := s.store.Order(t.Context(), brief.ID)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
	}
	t.Fatal("no finished Channels order without after-sales")
	return db.Order{}
}

var requestIDField = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

// An operator opens a refund for the buyer on one line of a finished order: the page offers the order's lines
// and the documented reasons; a quantity over the line's is refused beside the field with what was typed
// kept; sent, the after-sale waits for the buyer (进行中, not the merchant's to-do), is in the audit log, and
// the same form sent again opens nothing new. A viewer reaches neither the page nor the call; an unpaid order
// has no such page.
func TestOpenAftersaleForBuyer(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	wantStatus(t, b.post("/orders/sync", url.Values{}), http.StatusSeeOther)
	s.syncAftersales(t, b)
	o := openableOrder(t, s)
	path := "/orders/" + strconv.FormatInt(o.ID, 10) + "/aftersale"

	wantBody(t, b.get("/orders/"+strconv.FormatInt(o.ID, 10)), `data-testid="open-for-buyer-link"`)
	page := b.get(path)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, o.Lines[0].Title, zh("aftersale.gen.reason.10000014"), zh("aftersale.gen.reason.10000008"))
	m := requestIDField.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the form has no request_id\n%s", page.body)
	}
	form := url.Values{"request_id": {m[1]}, "line": {"0"}, "type": {"REFUND"}, "count": {strconv.FormatInt(o.Lines[0].Quantity+1, 10)},
		"amount": {"0.01"}, "reason": {"10000014"}, "desc": {"与买家电话确认退一分钱"}}
	refused := b.post(path, form)
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	wantBody(t, refused, zh("aftersale.gen.error.count", o.Lines[0].Quantity), "与买家电话确认退一分钱", m[1])

	before := len(s.sandbox.AftersaleIDs("", ""))
	form.Set("count", "1")
	opened := b.post(path, form)
	wantStatus(t, opened, http.StatusSeeOther)
	id := strings.TrimPrefix(opened.header.Get("Location"), "/aftersales/")
	state, found := s.sandbox.AftersaleState(id)
	if !found || state.Status != wx.AftersaleUserWaitMerchantSale || state.RefundInfo.Amount != 1 || string(state.OrderID) != o.OrderID {
		t.Fatalf("after-sale %q: found %v, %+v", id, found, state)
	}
	row, err := s.store.Aftersale(t.Context(), id)
	if err != nil || row.Tab != db.AftersaleTabOngoing || row.NeedsMerchant {
		t.Errorf("mirror row %+v, %v: want it in progress, waiting on the buyer", row, err)
	}
	audit, err := s.store.AuditForObject(t.Context(), "aftersale", id)
	if err != nil || len(audit) != 1 || audit[0].Action != "aftersale.open_for_buyer" || !strings.Contains(audit[0].Detail, "request_id="+m[1]) {
		t.Errorf("audit %+v, %v", audit, err)
	}
	// The same form again: the line has an after-sale in progress now, so nothing is asked of WeChat.
	calls := s.sandbox.Calls("/channels/ec/aftersale/genaftersaleorder")
	again := b.post(path, form)
	wantStatus(t, again, http.StatusUnprocessableEntity)
	wantBody(t, again, zh("aftersale.gen.error.open"))
	if n := s.sandbox.Calls("/channels/ec/aftersale/genaftersaleorder"); n != calls {
		t.Errorf("the form sent again called genaftersaleorder %d more times", n-calls)
	}
	if n := len(s.sandbox.AftersaleIDs("", "")); n != before+1 {
		t.Errorf("%d after-sales opened, want 1", n-before)
	}

	v := s.signedIn(t, "viewer")
	wantStatus(t, v.get(path), http.StatusForbidden)
	wantStatus(t, v.post(path, form), http.StatusForbidden)
	if body := v.get("/orders/" + strconv.FormatInt(o.ID, 10)).body; strings.Contains(body, "open-for-buyer-link") {
		t.Error("a viewer is offered the page")
	}
	unpaid, _, err := s.store.Orders(t.Context(), db.OrderFilter{Source: db.SourceChannels, Status: db.OrderToPay, Limit: 1})
	if err != nil || len(unpaid) == 0 {
		t.Fatalf("no unpaid Channels order: %v", err)
	}
	wantStatus(t, b.get("/orders/"+strconv.FormatInt(unpaid[0].ID, 10)+"/aftersale"), http.StatusNotFound)
}

// WeChat's refusal is shown with its code and meaning, the form kept: a return to an address WeChat does not
// know.
func TestOpenAftersaleForBuyerShowsWeChatsRefusal(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	wantStatus(t, b.post("/orders/sync", url.Values{}), http.StatusSeeOther)
	s.syncAftersales(t, b)
	o := openableOrder(t, s)
	path := "/orders/" + strconv.FormatInt(o.ID, 10) + "/aftersale"
	form := url.Values{"request_id": {"req-refused-1"}, "line": {"0"}, "type": {"RETURN"}, "count": {"1"}, "amount": {"0"},
		"reason": {"10000021"}, "address_id": {"999999"}, "desc": {"坏了"}}
	refused := b.post(path, form)
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	wantBody(t, refused, "9700224", `data-testid="gen-problem"`, "坏了")
}
