package app

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// testAESKey is an EncodingAESKey of the platform's shape: 43 base64 characters, 32 bytes.
const (
	testAESKey        = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testCallbackToken = "callback-token-for-tests"
)

// safeMode configures the callback token and the EncodingAESKey, as WX_CALLBACK_TOKEN and
// WX_ENCODING_AES_KEY do.
func safeMode(_ *sandbox.Server, cfg *Config, _ *Options) {
	cfg.CallbackToken, cfg.EncodingAESKey = testCallbackToken, testAESKey
}

var pushNonce atomic.Int64

// paidEvent is the merchant_order event WeChat pushes when order id of source is paid (manual 6.1).
func (s *testServer) paidEvent(t *testing.T, source, id string) []byte {
	t.Helper()
	o := s.sandboxOrder(t, source, id)
	return fmt.Appendf(nil, `<xml><ToUserName><![CDATA[gh_sandbox]]></ToUserName><FromUserName><![CDATA[oDF3iYbuyer]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[merchant_order]]></Event>`+
		`<OrderId><![CDATA[%s]]></OrderId><OrderStatus>2</OrderStatus><ProductId><![CDATA[%s]]></ProductId>`+
		`<SkuInfo><![CDATA[%s]]></SkuInfo></xml>`, time.Now().Unix(), id, o.Lines[0].ProductID, o.Lines[0].SKUID)
}

// pushRequest is one push as WeChat sends it: the query and the body.
type pushRequest struct {
	query url.Values
	body  []byte
}

// buildPush signs (and with a crypter encrypts) event as WeChat does.
func buildPush(t *testing.T, token string, crypter *wx.Crypter, event []byte) pushRequest {
	t.Helper()
	q, body, err := wx.BuildPush(token, crypter, event, strconv.FormatInt(time.Now().Unix(), 10),
		strconv.FormatInt(1000000+pushNonce.Add(1), 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	return pushRequest{q, body}
}

// send posts the push to the app's callback URL, with no session, as WeChat does.
func (s *testServer) send(t *testing.T, p pushRequest) answer {
	t.Helper()
	resp, err := http.Post(s.URL+"/wx/callback?"+p.query.Encode(), "text/xml; charset=utf-8", bytes.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

func wantAnswer(t *testing.T, a answer, status int, body string) {
	t.Helper()
	if a.status != status || strings.TrimSpace(a.body) != body {
		t.Errorf("callback answered %d %q, want %d %q", a.status, a.body, status, body)
	}
}

// ordersWithID counts the mirror's rows of an order id, whatever the source.
func (s *testServer) ordersWithID(t *testing.T, id string) int {
	t.Helper()
	orders, err := s.store.OrdersBySourceID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(orders)
}

func TestCallbackHandshake(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		token string
		tweak []orderTweak
	}{
		{"sandbox token", SandboxCallbackToken, nil},
		{"configured token", testCallbackToken, []orderTweak{safeMode}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1}, c.tweak...)
			get := func(q url.Values) answer {
				resp, err := http.Get(s.URL + "/wx/callback?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				data, _ := io.ReadAll(resp.Body)
				return answer{status: resp.StatusCode, body: string(data)}
			}
			ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "4781926"
			good := url.Values{"signature": {wx.Signature(c.token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {"7193846201"}}
			wantAnswer(t, get(good), http.StatusOK, "7193846201")

			for name, q := range map[string]url.Values{
				"wrong signature": {"signature": {wx.Signature("another-token", ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {"1"}},
				"changed nonce":   {"signature": good["signature"], "timestamp": {ts}, "nonce": {"4781927"}, "echostr": {"1"}},
				"no signature":    {"timestamp": {ts}, "nonce": {nonce}, "echostr": {"1"}},
				"nothing":         {},
			} {
				if a := get(q); a.status != http.StatusForbidden || a.body == q.Get("echostr") {
					t.Errorf("%s: answered %d %q, want 403", name, a.status, a.body)
				}
			}
		})
	}
}

func TestCallbackStoresThePaidOrderOnceInPlainMode(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: 40})
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	push := buildPush(t, SandboxCallbackToken, nil, s.paidEvent(t, sandbox.SourceMerchant, id))

	wantAnswer(t, s.send(t, push), http.StatusOK, "success")
	o := s.mirrorOf(t, db.SourceMerchant, id)
	want := s.sandboxOrder(t, sandbox.SourceMerchant, id)
	if o.Status != db.OrderToShip || o.TotalFen != int64(want.TotalFen) || len(o.Lines) != 1 || o.Lines[0].Title != want.Lines[0].Title ||
		o.ReceiverName == "" || o.ReceiverPhone == "" || o.PaidAt.IsZero() {
		t.Errorf("the pushed order is mirrored as %+v", o)
	}

	// The dashboard shows it waiting, and counts it as paid today.
	b := s.signedIn(t, "operator")
	dash := b.get("/")
	if !strings.Contains(dash.body, `data-testid="order-row-`+id+`"`) {
		t.Errorf("the dashboard's queue does not show order %s", id)
	}
	if got, _ := textOf(dash, "today-paid"); got == "" || got == "0" {
		t.Errorf("paid today: %q", got)
	}

	// WeChat repeats the push: still one order, the same one.
	getbyid := s.sandbox.Calls(pathMerchantGet)
	wantAnswer(t, s.send(t, push), http.StatusOK, "success")
	if n := s.ordersWithID(t, id); n != 1 {
		t.Errorf("after the repeat the mirror holds %d rows of order %s", n, id)
	}
	if again := s.mirrorOf(t, db.SourceMerchant, id); again.ID != o.ID || again.Status != o.Status || again.TotalFen != o.TotalFen {
		t.Errorf("the repeat changed the order: %+v, was %+v", again, o)
	}
	if n := s.sandbox.Calls(pathMerchantGet) - getbyid; n > 1 {
		t.Errorf("the repeat asked WeChat %d times", n)
	}

	// A late repeat after the order was shipped does not put it back in the queue.
	ship := b.get(orderPath(o))
	a := b.post(orderPath(o)+"/ship", url.Values{"delivery_company": {"003shunfeng"}, "delivery_track_no": {"SF1234567890"}, "ship_token": {shipTokenOf(t, ship)}})
	wantStatus(t, a, http.StatusSeeOther)
	wantAnswer(t, s.send(t, push), http.StatusOK, "success")
	if got := s.mirrorOf(t, db.SourceMerchant, id); got.Status != db.OrderShipped || len(got.Parcels) != 1 {
		t.Errorf("a late repeat of the payment push left the shipped order %q with %d parcels", got.Status, len(got.Parcels))
	}
	if strings.Contains(b.get("/").body, `data-testid="order-row-`+id+`"`) {
		t.Error("the shipped order is back in the dashboard's queue")
	}
}

func TestCallbackRefusesBadSignaturesAndMalformedPushes(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	event := s.paidEvent(t, sandbox.SourceMerchant, id)
	good := buildPush(t, SandboxCallbackToken, nil, event)

	tampered := func(change func(p *pushRequest)) pushRequest {
		p := pushRequest{url.Values{}, bytes.Clone(good.body)}
		for k, v := range good.query {
			p.query[k] = append([]string(nil), v...)
		}
		change(&p)
		return p
	}
	for _, c := range []struct {
		name   string
		push   pushRequest
		status int
	}{
		{"signed with another token", buildPush(t, "not-the-token", nil, event), http.StatusForbidden},
		{"timestamp changed", tampered(func(p *pushRequest) { p.query.Set("timestamp", "1") }), http.StatusForbidden},
		{"no signature", tampered(func(p *pushRequest) { p.query.Del("signature") }), http.StatusForbidden},
		{"not XML", buildPush(t, SandboxCallbackToken, nil, []byte("order paid: "+id)), http.StatusBadRequest},
		{"no MsgType", buildPush(t, SandboxCallbackToken, nil, []byte("<xml><OrderId>"+id+"</OrderId></xml>")), http.StatusBadRequest},
		{"a DOCTYPE", buildPush(t, SandboxCallbackToken, nil, []byte(`<!DOCTYPE xml [<!ENTITY x "y">]>`+string(event))), http.StatusBadRequest},
		{"two roots", buildPush(t, SandboxCallbackToken, nil, append(bytes.Clone(event), event...)), http.StatusBadRequest},
		{"encrypted, but no key configured", buildPush(t, SandboxCallbackToken, mustCrypter(t, SandboxCallbackToken, testAESKey, s.sandbox.AppID()), event), http.StatusBadRequest},
	} {
		a := s.send(t, c.push)
		if a.status != c.status {
			t.Errorf("%s: status %d %q, want %d", c.name, a.status, a.body, c.status)
		}
		if strings.Contains(a.body, "success") {
			t.Errorf("%s: answered %q", c.name, a.body)
		}
	}
	if s.hasMirror(t, db.SourceMerchant, id) {
		t.Error("a refused push stored the order")
	}
	if n := s.sandbox.Calls(pathMerchantGet); n != 0 {
		t.Errorf("refused pushes made %d calls to WeChat", n)
	}

	// An event the app does not handle is acknowledged and changes nothing.
	other := buildPush(t, SandboxCallbackToken, nil, []byte(`<xml><ToUserName>gh_sandbox</ToUserName><MsgType>event</MsgType><Event>subscribe</Event></xml>`))
	wantAnswer(t, s.send(t, other), http.StatusOK, "success")
	if s.hasMirror(t, db.SourceMerchant, id) {
		t.Error("an unrelated event stored the order")
	}
	// And the good push still works.
	wantAnswer(t, s.send(t, good), http.StatusOK, "success")
	if !s.hasMirror(t, db.SourceMerchant, id) {
		t.Error("the good push did not store the order")
	}
}

func mustCrypter(t *testing.T, token, key, appID string) *wx.Crypter {
	t.Helper()
	c, err := wx.NewCrypter(token, key, appID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCallbackInSafeMode(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1}, safeMode)
	crypter := mustCrypter(t, testCallbackToken, testAESKey, s.sandbox.AppID())
	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	event := s.paidEvent(t, sandbox.SourceMerchant, id)
	good := buildPush(t, testCallbackToken, crypter, event)
	if good.query.Get("msg_signature") == "" || good.query.Get("encrypt_type") != "aes" || bytes.Contains(good.body, []byte(id)) {
		t.Fatalf("the safe-mode push is not encrypted: %v %s", good.query, good.body)
	}

	for _, c := range []struct {
		name   string
		push   pushRequest
		status int
	}{
		{"plain push", buildPush(t, testCallbackToken, nil, event), http.StatusForbidden},
		{"signed with the sandbox token", buildPush(t, SandboxCallbackToken, mustCrypter(t, SandboxCallbackToken, testAESKey, s.sandbox.AppID()), event), http.StatusForbidden},
		{"msg_signature changed", func() pushRequest {
			p := buildPush(t, testCallbackToken, crypter, event)
			p.query.Set("msg_signature", wx.Signature("x", "y", "z", "w"))
			return p
		}(), http.StatusForbidden},
		{"encrypted for another AppID", buildPush(t, testCallbackToken, mustCrypter(t, testCallbackToken, testAESKey, "wxanotherapp0000001"), event), http.StatusBadRequest},
		{"encrypted with another key", buildPush(t, testCallbackToken, mustCrypter(t, testCallbackToken, "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut", s.sandbox.AppID()), event), http.StatusBadRequest},
		{"not XML inside", buildPush(t, testCallbackToken, crypter, []byte("order paid")), http.StatusBadRequest},
	} {
		a := s.send(t, c.push)
		if a.status != c.status {
			t.Errorf("%s: status %d %q, want %d", c.name, a.status, a.body, c.status)
		}
	}
	if s.hasMirror(t, db.SourceMerchant, id) {
		t.Fatal("a refused push stored the order")
	}

	wantAnswer(t, s.send(t, good), http.StatusOK, "success")
	if o := s.mirrorOf(t, db.SourceMerchant, id); o.Status != db.OrderToShip {
		t.Errorf("the order is %q", o.Status)
	}
	wantAnswer(t, s.send(t, good), http.StatusOK, "success")
	if n := s.ordersWithID(t, id); n != 1 {
		t.Errorf("after a repeat the mirror holds %d rows of the order", n)
	}

	// The sandbox's own push, as WeChat sends it.
	id2 := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	if err := s.sandbox.PushOrderEvent(t.Context(), s.URL+"/wx/callback", testCallbackToken, testAESKey, id2); err != nil {
		t.Fatal(err)
	}
	if !s.hasMirror(t, db.SourceMerchant, id2) {
		t.Error("the sandbox's safe-mode push did not store the order")
	}
}

// The sandbox pushes merchant_order for a paid order of every source, as WeChat does. A mini-shop order has
// no list call: the push is the only way it arrives, so the app must fetch it from the source that has it.
func TestCallbackStoresPaidOrdersOfTheOtherSources(t *testing.T) {
	t.Parallel()
	for _, source := range []string{sandbox.SourceShop, sandbox.SourceChannels} {
		t.Run(source, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1})
			id := s.sandbox.NewPaidOrder(source)
			a := s.send(t, buildPush(t, SandboxCallbackToken, nil, s.paidEvent(t, source, id)))
			wantAnswer(t, a, http.StatusOK, "success")
			if !s.hasMirror(t, source, id) {
				t.Fatalf("the paid %s order %s pushed by WeChat is not in the mirror", source, id)
			}
			if o := s.mirrorOf(t, source, id); o.Status != db.OrderToShip {
				t.Errorf("the %s order is %q", source, o.Status)
			}
		})
	}
}

func TestSandboxButtonMakesAnOrderArriveByPush(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		tweak []orderTweak
	}{{"plain mode", nil}, {"safe mode", []orderTweak{safeMode}}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1}, c.tweak...)
			b := s.signedIn(t, "operator")
			if dash := b.get("/"); !strings.Contains(dash.body, `data-testid="sandbox-new-order"`) || !strings.Contains(dash.body, `data-testid="queue-empty"`) {
				t.Fatalf("the dashboard offers no sandbox order or has a queue\n%s", dash.body)
			}
			a := b.post("/sandbox/new-order", nil)
			wantStatus(t, a, http.StatusSeeOther)
			dash := b.get(loc(a))
			ids := s.sandbox.OrderIDs(sandbox.SourceMerchant, 0)
			if len(ids) != 1 {
				t.Fatalf("the sandbox has %d merchant orders", len(ids))
			}
			if got := flashOf(dash); got != zh("sandbox.order.done", ids[0]) {
				t.Errorf("flash %q", got)
			}
			if !strings.Contains(dash.body, `data-testid="order-row-`+ids[0]+`"`) {
				t.Error("the new order is not in the dashboard's queue")
			}
			if got, _ := textOf(dash, "today-paid"); got != "1" {
				t.Errorf("paid today: %q", got)
			}
			if e := s.auditOf(t, "sandbox.order"); len(e) != 1 || e[0].ObjectID != "merchant:"+ids[0] || e[0].Outcome != "ok" {
				t.Errorf("audit entries = %+v", e)
			}
		})
	}
}
