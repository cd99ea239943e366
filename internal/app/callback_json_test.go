package app

import (
	"math/big"
	"net/http"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

// waitCallbacks waits for the order fetches the pushes started.
func (s *testServer) waitCallbacks(t *testing.T) {
	t.Helper()
	s.app.fetches.wait()
}

// pushedOrder is the one mirror row of order id, whatever its source.
func (s *testServer) pushedOrder(t *testing.T, id string) db.Order {
	t.Helper()
	orders, err := s.store.OrdersBySourceID(t.Context(), id)
	if err != nil || len(orders) != 1 {
		t.Fatalf("the mirror holds %d rows of order %s (%v)", len(orders), id, err)
	}
	o, err := s.store.Order(t.Context(), orders[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// The 微信小店 pushes JSON, in safe mode {"ToUserName","Encrypt"} with msg_signature, its order events naming the
// order in order_info.order_id as a number above 2^53. Each such push fetches its order once and stores it
// under every digit of its id; a repeat of the push changes nothing.
func TestCallbackJSONPushFetchesTheOrderOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, source, key, path string
		tweak                   []orderTweak
	}{
		{"plain JSON, mini-shop order", sandbox.SourceShop, "", "/product/order/get", nil},
		{"safe-mode JSON, mini-shop order", sandbox.SourceShop, testAESKey, "/product/order/get", []orderTweak{safeMode}},
		{"safe-mode JSON, Channels order", sandbox.SourceChannels, testAESKey, "/channels/ec/order/get", []orderTweak{safeMode}},
		{"plain JSON, partner-store order", sandbox.SourcePartner, "", "/channels/ec/cooperation/order/get", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newOrderServer(t, sandbox.Options{Orders: -1}, c.tweak...)
			token := SandboxCallbackToken
			if c.key != "" {
				token = testCallbackToken
			}
			id := s.sandbox.NewPaidOrder(c.source)
			if n, ok := new(big.Int).SetString(id, 10); c.source == sandbox.SourceShop && (!ok || n.Cmp(big.NewInt(1<<53)) <= 0) {
				t.Fatalf("the mini-shop order id %s is not above 2^53", id)
			}
			before := s.sandbox.Calls(c.path)
			if err := s.sandbox.PushOrderEvent(t.Context(), s.URL+"/wx/callback", token, c.key, id); err != nil {
				t.Fatal(err)
			}
			s.waitCallbacks(t)
			if got := s.sandbox.Calls(c.path) - before; got != 1 {
				t.Errorf("%s was called %d times for one push, want once", c.path, got)
			}
			o := s.pushedOrder(t, id)
			if o.OrderID != id || o.Source != c.source {
				t.Errorf("stored %s order %q, want %s %q", o.Source, o.OrderID, c.source, id)
			}
			if c.source != sandbox.SourcePartner && o.Status != db.OrderToShip {
				t.Errorf("status %q, want to ship", o.Status)
			}
			// WeChat repeats a push whose answer it did not get: the order is fetched again, stored once.
			if err := s.sandbox.PushOrderEvent(t.Context(), s.URL+"/wx/callback", token, c.key, id); err != nil {
				t.Fatal(err)
			}
			s.waitCallbacks(t)
			if n := s.ordersWithID(t, id); n != 1 {
				t.Errorf("after a repeat the mirror holds %d rows of order %s", n, id)
			}
		})
	}
}

// An event the app does not handle is answered success (WeChat would repeat a refused push for hours).
func TestCallbackAnswersSuccessForUnknownEvents(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	for _, ev := range []string{
		`{"ToUserName":"gh_sandbox","FromUserName":"o1","CreateTime":1662480000,"MsgType":"event","Event":"channels_ec_acct_notify","acct_info":{"x":1}}`,
		`{"ToUserName":"gh_sandbox","FromUserName":"o1","CreateTime":1662480000,"MsgType":"event","Event":"channels_ec_acct_notify","acct_info":{"x":2}}`,
		`<xml><ToUserName>gh_sandbox</ToUserName><MsgType>event</MsgType><Event>view_miniprogram</Event></xml>`,
		`<xml><ToUserName>gh_sandbox</ToUserName><MsgType>text</MsgType><Content>你好</Content></xml>`,
		`{"ToUserName":"gh_sandbox","MsgType":"event","Event":"channels_ec_order_pay","order_info":{}}`,
	} {
		wantAnswer(t, s.send(t, buildPush(t, SandboxCallbackToken, nil, []byte(ev))), http.StatusOK, "success")
	}
}

// WeChat slow to answer the fetch: the push is answered within its 5 s all the same, the fetch finishes after,
// once.
func TestCallbackAnswersBeforeASlowFetch(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	s.app.pushAnswerWithin = 100 * time.Millisecond
	id := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	_, _ = s.app.wx.Token(t.Context()) // the token is no part of the test
	s.sandbox.SetLatency(600 * time.Millisecond)
	start := time.Now()
	if err := s.sandbox.PushOrderEvent(t.Context(), s.URL+"/wx/callback", SandboxCallbackToken, "", id); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("the push was answered after %v", took)
	}
	if s.hasMirror(t, db.SourceChannels, id) {
		t.Fatal("the order is stored before WeChat answered its fetch")
	}
	s.waitCallbacks(t)
	if !s.hasMirror(t, db.SourceChannels, id) || s.sandbox.Calls("/channels/ec/order/get") != 1 {
		t.Errorf("after the fetch: stored %v, %d calls", s.hasMirror(t, db.SourceChannels, id), s.sandbox.Calls("/channels/ec/order/get"))
	}
}

// A fetch that fails after the push was answered is not lost: the next sync fetches the order, even a
// mini-shop order, which no list call would find.
func TestCallbackLostFetchIsPickedUpByTheNextSync(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	s.app.pushAnswerWithin = 50 * time.Millisecond
	id := s.sandbox.NewPaidOrder(sandbox.SourceShop)
	_, _ = s.app.wx.Token(t.Context())
	s.sandbox.SetLatency(300 * time.Millisecond)
	// The mini-shop answers busy to each of the client's three tries; the Channels store does not know it.
	s.sandbox.FailNext("/product/order/get", -1, "system error", 3)
	s.sandbox.FailNext("/channels/ec/order/get", 100002, "order not exist", 1)
	if err := s.sandbox.PushOrderEvent(t.Context(), s.URL+"/wx/callback", SandboxCallbackToken, "", id); err != nil {
		t.Fatal(err)
	}
	s.waitCallbacks(t)
	if s.hasMirror(t, db.SourceShop, id) {
		t.Fatal("the order was stored although every fetch failed")
	}
	s.sandbox.SetLatency(0)
	s.app.shop.SyncOrders(t.Context())
	if o := s.mirrorOf(t, db.SourceShop, id); o.OrderID != id {
		t.Errorf("the next sync stored %q", o.OrderID)
	}
	if q, _ := s.store.QueuedOrderFetches(t.Context()); len(q) != 0 {
		t.Errorf("still queued: %+v", q)
	}
}

// Orders of the shapes real accounts answer land whole: a partner-store order without status is unknown, a
// Channels order keeps both notes, the raw JSON is WeChat's own bytes.
func TestPushedOrdersOfRealShapes(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{})
	var unknown, known int
	for _, id := range s.sandbox.OrderIDs(sandbox.SourcePartner, 0) {
		held, _ := s.sandbox.Order(sandbox.SourcePartner, id)
		if _, err := s.app.shop.FetchOrderID(t.Context(), db.SourcePartner, held.ShopAppID, id); err != nil {
			t.Fatal(err)
		}
		o, err := s.store.OrderBySourceID(t.Context(), db.SourcePartner, held.ShopAppID, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == db.OrderUnknown {
			unknown++
			if !o.PaidAt.IsZero() || o.SourceStatus != -1 {
				t.Errorf("an unknown-status order counts as paid: %+v", o)
			}
			var lines int64
			for _, l := range o.Lines {
				lines += l.TotalFen
			}
			if lines == 0 {
				t.Errorf("order %s: zero line totals", id)
			}
			continue
		}
		known++
	}
	if unknown == 0 || known == 0 {
		t.Fatalf("%d partner orders of unknown status, %d known", unknown, known)
	}
	counts, _ := s.store.OrderCounts(t.Context(), db.OrderFilter{Source: db.SourcePartner})
	if counts[db.OrderUnknown] != unknown {
		t.Errorf("counts %v, want %d unknown", counts, unknown)
	}

	var noted bool
	for _, id := range s.sandbox.OrderIDs(sandbox.SourceChannels, 0) {
		o, err := s.app.wx.ChannelsOrder(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		buyer, merchant := o.Notes()
		if buyer == "" {
			continue
		}
		if err := s.app.shop.FetchOrder(t.Context(), db.SourceChannels, "", id); err != nil {
			t.Fatal(err)
		}
		m := s.mirrorOf(t, db.SourceChannels, id)
		if m.Note != buyer || m.MerchantNote != merchant || string(m.Raw) != string(o.Raw) {
			t.Errorf("stored notes %q / %q, want %q / %q; raw kept: %v", m.Note, m.MerchantNote, buyer, merchant, string(m.Raw) == string(o.Raw))
		}
		noted = true
		break
	}
	if !noted {
		t.Error("no Channels order with a buyer note")
	}
}
