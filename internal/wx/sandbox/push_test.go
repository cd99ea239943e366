package sandbox_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const (
	pushToken  = "callbacktoken123"
	pushAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG" // 43 characters
)

// callback is an app's callback URL for tests: it checks every push as the app must (wx.OpenPush) and
// answers what answer says for the nth push (1-based), after waiting as long as delay says.
type callback struct {
	t       *testing.T
	crypter *wx.Crypter // nil: plain mode
	answer  func(n int) (status int, body string)
	delay   func(n int) time.Duration

	mu      sync.Mutex
	n       int
	events  []*wx.Event
	queries []url.Values
}

func newCallback(t *testing.T, crypter *wx.Crypter) (*callback, string) {
	cb := &callback{t: t, crypter: crypter, answer: func(int) (int, string) { return http.StatusOK, "success" }}
	ts := httptest.NewServer(cb)
	t.Cleanup(ts.Close)
	return cb, ts.URL + "/wx/callback?app=1"
}

func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cb.mu.Lock()
	cb.n++
	n := cb.n
	cb.mu.Unlock()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	ev, err := wx.OpenPush(pushToken, cb.crypter, r.URL.Query(), body)
	if err != nil {
		cb.t.Errorf("push %d: %v", n, err)
		http.Error(w, "bad push", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost || r.URL.Query().Get("app") != "1" {
		cb.t.Errorf("push %d: %s %s", n, r.Method, r.URL)
	}
	cb.mu.Lock()
	cb.events = append(cb.events, ev)
	cb.queries = append(cb.queries, r.URL.Query())
	cb.mu.Unlock()
	if cb.delay != nil {
		select {
		case <-time.After(cb.delay(n)):
		case <-r.Context().Done():
			return
		}
	}
	status, answer := cb.answer(n)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

func (cb *callback) count() int {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return cb.n
}

// received is what the pushes that passed the checks carried, in order.
func (cb *callback) received() ([]*wx.Event, []url.Values) {
	cb.mu.Lock()
	defer cb.mu.Unlock()
	return slices.Clone(cb.events), slices.Clone(cb.queries)
}

// wantEvent checks the merchant_order event against the order it announces.
// wantEvent checks the push of order o: merchant_order for a merchant order, channels_ec_order_pay for a
// mini-shop or Channels one, cooperation_shop_order for a partner-store one.
func wantEvent(t *testing.T, ev *wx.Event, o sandbox.OrderState) {
	t.Helper()
	if ev.MsgType != wx.MsgTypeEvent || ev.OrderID != o.ID || ev.ToUserName != "gh_sandbox" ||
		!strings.HasPrefix(ev.FromUserName, "o") || ev.CreateTime == 0 {
		t.Errorf("event %+v for order %+v", ev, o)
	}
	switch o.Source {
	case sandbox.SourceMerchant:
		if ev.Event != wx.EventMerchantOrder || ev.OrderStatus != 2 || ev.ProductID != o.Lines[0].ProductID || ev.SkuInfo != o.Lines[0].SKUID {
			t.Errorf("event %+v for merchant order %+v", ev, o)
		}
	case sandbox.SourcePartner:
		if ev.Event != wx.EventPartnerOrder || ev.ShopAppID != o.ShopAppID {
			t.Errorf("event %+v for partner order %+v", ev, o)
		}
	default:
		if ev.Event != wx.EventStoreOrderPay {
			t.Errorf("event %+v for %s order %+v", ev, o.Source, o)
		}
	}
}

func TestNewPaidOrders(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	sh.clock.Advance(time.Hour)
	for _, source := range []string{sandbox.SourceMerchant, sandbox.SourceShop, sandbox.SourceChannels, sandbox.SourcePartner} {
		n := sh.sb.OrderCount(source)
		id := sh.sb.NewPaidOrder(source)
		if sh.sb.OrderCount(source) != n+1 {
			t.Errorf("%s: %d orders, then %d", source, n, sh.sb.OrderCount(source))
		}
		o := sh.order(source, id)
		wantStatus := wx.ShopOrderToShip
		if source == sandbox.SourceMerchant {
			wantStatus = wx.MerchantOrderToShip
		}
		now := sh.clock.Now().Truncate(time.Second)
		if o.Status != wantStatus || !o.Created.Equal(now) || !o.Paid.Equal(now) || len(o.Lines) == 0 || len(o.Parcels) != 0 || o.TotalFen <= 0 {
			t.Errorf("%s: new order %+v", source, o)
		}
		// Each is there for its source's calls.
		var err error
		switch source {
		case sandbox.SourceMerchant:
			_, err = sh.wx.MerchantOrder(ctx, id)
		case sandbox.SourceShop:
			_, err = sh.wx.ShopOrder(ctx, id)
		case sandbox.SourceChannels:
			var ans *wx.ChannelsOrderListAnswer
			ans, err = sh.wx.ChannelsOrderIDs(ctx, wx.ChannelsOrderListRequest{CreateTimeRange: &wx.TimeRange{StartTime: now.Unix(), EndTime: now.Unix()}, Status: intPtr(20), PageSize: 10})
			if err == nil && (len(ans.OrderIDList) != 1 || string(ans.OrderIDList[0]) != id) {
				t.Errorf("the list answers %v, want %s", ans.OrderIDList, id)
			}
		case sandbox.SourcePartner:
			_, err = sh.wx.PartnerStoreOrder(ctx, o.ShopAppID, id)
		}
		if err != nil {
			t.Errorf("%s: %v", source, err)
		}
	}

	// A shop without products still takes orders.
	empty := newShop(t, sandbox.Options{Empty: true})
	if empty.sb.OrderCount("") != 0 {
		t.Fatalf("an empty shop has %d orders", empty.sb.OrderCount(""))
	}
	id := empty.sb.NewPaidOrder(sandbox.SourceMerchant)
	o, err := empty.wx.MerchantOrder(ctx, id)
	if err != nil || o.ProductName == "" || o.OrderTotalPrice <= 0 {
		t.Errorf("%+v %v", o, err)
	}
}

func TestPushPlainMode(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	cb, url := newCallback(t, nil)
	id := sh.sb.NewPaidOrder(sandbox.SourceMerchant)
	if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, "", id); err != nil {
		t.Fatal(err)
	}
	events, queries := cb.received()
	if cb.count() != 1 || len(events) != 1 {
		t.Fatalf("%d pushes", cb.count())
	}
	wantEvent(t, events[0], sh.order(sandbox.SourceMerchant, id))
	if q := queries[0]; q["encrypt_type"] != nil || q["msg_signature"] != nil {
		t.Errorf("a plain push has %v", q)
	}
	// Orders of the other sources are announced the same way.
	other := sh.sb.NewPaidOrder(sandbox.SourceChannels)
	if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, "", other); err != nil {
		t.Fatal(err)
	}
	events, _ = cb.received()
	wantEvent(t, events[1], sh.order(sandbox.SourceChannels, other))
	if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, "", "1"); err == nil {
		t.Error("a push of an unknown order was sent")
	}
}

func TestPushSafeMode(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	crypter, err := wx.NewCrypter(pushToken, pushAESKey, sh.sb.AppID())
	if err != nil {
		t.Fatal(err)
	}
	cb, url := newCallback(t, crypter)
	id := sh.sb.NewPaidOrder(sandbox.SourceMerchant)
	if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, pushAESKey, id); err != nil {
		t.Fatal(err)
	}
	events, queries := cb.received()
	if cb.count() != 1 || len(events) != 1 {
		t.Fatalf("%d pushes", cb.count())
	}
	wantEvent(t, events[0], sh.order(sandbox.SourceMerchant, id))
	if q := queries[0]; q.Get("encrypt_type") != "aes" || q.Get("msg_signature") == "" {
		t.Errorf("a safe push has %v", q)
	}
	if err := sh.sb.PushOrderEvent(t.Context(), url, pushToken, "short", id); err == nil {
		t.Error("a bad EncodingAESKey was taken")
	}
}

// A push is sent again while the answer is not "success", and once more when it is too slow; every try is the
// same push, so the app must handle it once.
func TestPushRetries(t *testing.T) {
	sh := newShop(t, sandbox.Options{PushTimeout: 200 * time.Millisecond})
	ctx := t.Context()
	id := sh.sb.NewPaidOrder(sandbox.SourceMerchant)

	cb, url := newCallback(t, nil)
	cb.answer = func(n int) (int, string) {
		switch n {
		case 1:
			return http.StatusOK, "fail"
		case 2:
			return http.StatusInternalServerError, "success"
		}
		return http.StatusOK, " success\n"
	}
	if err := sh.sb.PushOrderEvent(ctx, url, pushToken, "", id); err != nil {
		t.Fatal(err)
	}
	if cb.count() != 3 {
		t.Errorf("%d tries, want 3", cb.count())
	}
	events, queries := cb.received()
	for i, q := range queries {
		if q.Get("signature") != queries[0].Get("signature") || events[i].CreateTime != events[0].CreateTime {
			t.Errorf("try %d differs from the first", i+1)
		}
	}

	slow, slowURL := newCallback(t, nil)
	slow.delay = func(n int) time.Duration {
		if n == 1 {
			return 5 * time.Second // WeChat gives up after 5 s; PushTimeout is 200 ms here
		}
		return 0
	}
	start := time.Now()
	if err := sh.sb.PushOrderEvent(ctx, slowURL, pushToken, "", id); err != nil {
		t.Fatal(err)
	}
	if slow.count() != 2 || time.Since(start) > 3*time.Second {
		t.Errorf("%d tries in %v", slow.count(), time.Since(start))
	}

	never, neverURL := newCallback(t, nil)
	never.answer = func(int) (int, string) { return http.StatusOK, "" }
	if err := sh.sb.PushOrderEvent(ctx, neverURL, pushToken, "", id); err == nil {
		t.Error("a push never answered success succeeded")
	}
	if never.count() != 4 {
		t.Errorf("%d tries, want 4 (the push and 3 retries)", never.count())
	}
}

// POST /sandbox/orders/new, the app's sandbox button: a paid order pushed to the app's callback.
func TestNewOrderEndpoint(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	crypter, err := wx.NewCrypter(pushToken, pushAESKey, sh.sb.AppID())
	if err != nil {
		t.Fatal(err)
	}
	cb, cbURL := newCallback(t, crypter)
	post := func(body string) (int, map[string]string) {
		t.Helper()
		res, err := sh.ts.Client().Post(sh.ts.URL+"/sandbox/orders/new", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var ans map[string]string
		if err := json.NewDecoder(res.Body).Decode(&ans); err != nil {
			t.Fatalf("HTTP %d: %v", res.StatusCode, err)
		}
		return res.StatusCode, ans
	}
	n := sh.sb.OrderCount(sandbox.SourceChannels)
	status, ans := post(fmt.Sprintf(`{"source":"channels","callback_url":%q,"token":%q,"encoding_aes_key":%q}`, cbURL, pushToken, pushAESKey))
	if status != http.StatusOK || ans["order_id"] == "" {
		t.Fatalf("HTTP %d %v", status, ans)
	}
	events, _ := cb.received()
	if len(events) != 1 || sh.sb.OrderCount(sandbox.SourceChannels) != n+1 {
		t.Fatalf("%d events, %d orders", len(events), sh.sb.OrderCount(sandbox.SourceChannels))
	}
	wantEvent(t, events[0], sh.order(sandbox.SourceChannels, ans["order_id"]))

	for body, want := range map[string]int{
		`not json`: http.StatusBadRequest,
		fmt.Sprintf(`{"source":"taobao","callback_url":%q,"token":"t"}`, cbURL): http.StatusBadRequest,
		`{"callback_url":"ftp://x","token":"t"}`:                                http.StatusBadRequest,
		fmt.Sprintf(`{"callback_url":%q}`, cbURL):                               http.StatusBadRequest,
	} {
		if status, ans := post(body); status != want || ans["error"] == "" {
			t.Errorf("%s: HTTP %d %v", body, status, ans)
		}
	}
	// A callback that never says success: the order exists, and the error says why.
	cb.answer = func(int) (int, string) { return http.StatusOK, "nope" }
	status, ans = post(fmt.Sprintf(`{"callback_url":%q,"token":%q,"encoding_aes_key":%q}`, cbURL, pushToken, pushAESKey))
	if status != http.StatusBadGateway || ans["order_id"] == "" || !strings.Contains(ans["error"], "nope") {
		t.Errorf("HTTP %d %v", status, ans)
	}
	if _, found := sh.sb.Order(sandbox.SourceMerchant, ans["order_id"]); !found {
		t.Error("the merchant order was not made")
	}
}
