package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// When the sandbox makes no order, the operator reads why in their language, never a Go error; the audit
// log keeps the sandbox's own words.
func TestSandboxButtonExplainsAFailure(t *testing.T) {
	t.Parallel()
	answering := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	en := func(key string, args ...any) string { return i18n.Printer{Lang: i18n.Parse("en")}.T(key, args...) }
	for _, c := range []struct {
		name, base, lang, want, audit string
	}{
		{"unreachable", gone.URL, "zh", zh("sandbox.order.unreachable"), "connect"},
		{"refused", answering(http.StatusBadRequest, `{"error":"token missing"}`), "zh", zh("sandbox.order.refused"), "token missing"},
		{"made, not pushed", answering(http.StatusBadGateway, `{"order_id":"3721","error":"dial tcp 10.0.0.1:80: i/o timeout"}`), "en",
			en("sandbox.order.unpushed", "3721"), "i/o timeout"},
		{"not JSON", answering(http.StatusInternalServerError, `<html>oops</html>`), "zh", zh("sandbox.order.refused"), "not JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1})
			s.app.cfg.APIBase = c.base
			b := s.signedIn(t, "operator")
			if c.lang != "zh" {
				b.post("/lang", url.Values{"lang": {c.lang}, "next": {"/"}})
			}
			a := b.post("/sandbox/new-order", nil)
			wantStatus(t, a, http.StatusSeeOther)
			got := flashOf(b.get(loc(a)))
			if got != c.want {
				t.Errorf("flash %q, want %q", got, c.want)
			}
			for _, raw := range []string{"sandbox:", "dial", "127.0.0.1", "token missing", "json"} {
				if strings.Contains(got, raw) {
					t.Errorf("the flash shows %q: %q", raw, got)
				}
			}
			if e := s.auditOf(t, "sandbox.order"); len(e) != 1 || !strings.Contains(e[0].Outcome, c.audit) {
				t.Errorf("audit entries = %+v, want the outcome to say %q", e, c.audit)
			}
		})
	}
}

// The dashboard's second sandbox button makes a Channels order of virtual goods arrive by push, as a buyer
// paying one would: its page says it goes to no address, shows the buyer's contact number, and offers to ship
// it with no logistics, which WeChat takes as a virtual delivery.
func TestSandboxButtonMakesAVirtualOrder(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	wantBody(t, b.get("/"), `data-testid="sandbox-new-virtual-order"`, `name="virtual" value="1"`)
	a := b.post("/sandbox/new-order", url.Values{"virtual": {"1"}})
	wantStatus(t, a, http.StatusSeeOther)
	dash := b.get(loc(a))
	ids := s.sandbox.OrderIDs(sandbox.SourceChannels, 0)
	if len(ids) != 1 || len(s.sandbox.OrderIDs(sandbox.SourceMerchant, 0)) != 0 {
		t.Fatalf("the sandbox has Channels orders %v and %d merchant orders", ids, len(s.sandbox.OrderIDs(sandbox.SourceMerchant, 0)))
	}
	st := s.sandboxOrder(t, sandbox.SourceChannels, ids[0])
	if !st.Virtual {
		t.Fatalf("the order is not of virtual goods: %+v", st)
	}
	if got := flashOf(dash); got != zh("sandbox.order.virtual.done", ids[0]) {
		t.Errorf("flash %q", got)
	}
	if e := s.auditOf(t, "sandbox.order"); len(e) != 1 || e[0].ObjectID != "channels:"+ids[0] || e[0].Outcome != "ok" {
		t.Errorf("audit entries = %+v", e)
	}

	o := s.mirrorOf(t, db.SourceChannels, ids[0])
	if o.Address != "" || o.ReceiverProvince != "" || o.ReceiverPhone == "" {
		t.Errorf("the mirror's address %q %q, phone %q: want no address and the buyer's number", o.ReceiverProvince, o.Address, o.ReceiverPhone)
	}
	page := b.get(orderPath(o))
	if got, _ := textOf(page, "order-address"); got != zh("orders.address.virtual") {
		t.Errorf("address %q", got)
	}
	if got, _ := textOf(page, "order-receiver"); got != o.ReceiverPhone {
		t.Errorf("receiver %q, want only the number %q", got, o.ReceiverPhone)
	}
	if got, _ := textOf(page, "order-virtual"); got != zh("orders.delivery.virtual") {
		t.Errorf("delivery %q", got)
	}
	wantBody(t, page, `value="none" checked`)
	a = b.post(orderPath(o)+"/ship", url.Values{"ship_method": {"none"}, "ship_token": {shipTokenOf(t, page)}})
	wantStatus(t, a, http.StatusSeeOther)
	if st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID); st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "" {
		t.Errorf("WeChat holds %+v; want shipped as a virtual delivery", st)
	}

	// The sandbox sells virtual goods only in the Channels store.
	if code, _ := postJSON(t, s.app.cfg.APIBase+"/sandbox/orders/new", `{"source":"merchant","virtual":true,"callback_url":"http://127.0.0.1:1/wx/callback","token":"t"}`); code != http.StatusBadRequest {
		t.Errorf("a virtual merchant order: HTTP %d, want 400", code)
	}
}

// postJSON posts body and answers the status and the body.
func postJSON(t *testing.T, url, body string) (int, string) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = io.Copy(&b, res.Body)
	return res.StatusCode, b.String()
}
