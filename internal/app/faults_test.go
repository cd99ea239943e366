package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The fault suites: WeChat answering a fifth of its calls with -1, every call 300 ms late and access tokens
// that expire every few seconds. The app must still bring every order exactly once, ship every order exactly
// once and show every failure, and keep what an operator typed when WeChat refuses it.

// faultyWeChat is the misbehaving WeChat of these suites.
func faultyWeChat(orders int) sandbox.Options {
	return sandbox.Options{Orders: orders, FailRate: 0.2, Latency: 300 * time.Millisecond, TokenTTL: 3 * time.Second}
}

func TestOrderSyncUnderFaultsBringsEveryOrderOnce(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, faultyWeChat(300))
	b := s.signedIn(t, "operator")
	tokensBefore := s.sandbox.Calls("/cgi-bin/stable_token") + s.sandbox.Calls("/cgi-bin/token")

	before := s.callsNow(pathChannelsGet, pathChannelsList, pathMerchantFilter)
	flash := flashOf(s.syncOrdersAs(t, b))
	for _, src := range []string{sandbox.SourceMerchant, sandbox.SourceChannels} {
		if want := zh("sync.source.ok", zh("source."+src), s.sandbox.OrderCount(src)); !strings.Contains(flash, want) {
			t.Errorf("flash %q lacks %q", flash, want)
		}
		checkMirrorMatches(t, s, src)
	}
	// The faults did happen: reads were asked again, and tokens were renewed as they expired.
	if n, orders := before.since(s, pathChannelsGet), s.sandbox.OrderCount(sandbox.SourceChannels); n <= orders {
		t.Errorf("%d reads for %d Channels orders: with a fifth of the calls failing, some must have been asked again", n, orders)
	}
	if n := s.sandbox.Calls("/cgi-bin/stable_token") + s.sandbox.Calls("/cgi-bin/token") - tokensBefore; n < 2 {
		t.Errorf("the sync asked for %d access tokens; they expire every 3 s", n)
	}

	// Each order once in the database, whatever the retries stored.
	var rows, distinct int
	if err := s.store.DB.QueryRowContext(t.Context(),
		`SELECT count(*), count(DISTINCT source || '/' || shop_appid || '/' || order_id) FROM orders`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if want := s.sandbox.OrderCount(sandbox.SourceMerchant) + s.sandbox.OrderCount(sandbox.SourceChannels); rows != distinct || rows != want {
		t.Errorf("the mirror has %d rows for %d orders; WeChat lists %d", rows, distinct, want)
	}

	// New paid orders arrive through the same faults at the next sync.
	added := []string{s.sandbox.NewPaidOrder(sandbox.SourceMerchant), s.sandbox.NewPaidOrder(sandbox.SourceChannels)}
	s.syncOrdersAs(t, b)
	for i, src := range []string{db.SourceMerchant, db.SourceChannels} {
		if o := s.mirrorOf(t, src, added[i]); o.Status != db.OrderToShip {
			t.Errorf("new paid %s order %s is %q in the mirror", src, added[i], o.Status)
		}
		checkMirrorMatches(t, s, src)
	}
}

// stoppableWeChat passes requests to the sandbox until it is stopped: from then on every connection is cut
// without an answer, as when WeChat cannot be reached. It notes the update-time start of each Channels list.
type stoppableWeChat struct {
	sb        *sandbox.Server
	mu        sync.Mutex
	stopped   bool
	stopAfter int // stop once this many Channels orders have been read (0: never)
	reads     int
	listFrom  []int64
}

func (w *stoppableWeChat) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	stopped := w.stopped
	if !stopped && r.URL.Path == pathChannelsList {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req wx.ChannelsOrderListRequest
		if json.Unmarshal(body, &req) == nil && req.UpdateTimeRange != nil && req.NextKey == "" {
			w.listFrom = append(w.listFrom, req.UpdateTimeRange.StartTime)
		}
	}
	if !stopped && r.URL.Path == pathChannelsGet {
		if w.reads++; w.stopAfter > 0 && w.reads >= w.stopAfter {
			w.stopped = true
		}
	}
	w.mu.Unlock()
	if stopped {
		loseConnection(rw)
		return
	}
	w.sb.ServeHTTP(rw, r)
}

func (w *stoppableWeChat) stopAfterReads(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopAfter = n
}

// listStarts is the update-time start of each Channels list call since the last restart.
func (w *stoppableWeChat) listStarts() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.listFrom)
}

func (w *stoppableWeChat) restart() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped, w.stopAfter, w.listFrom = false, 0, nil
}

func loseConnection(rw http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(rw).Hijack(); err == nil {
		conn.Close()
	}
}

func TestOrderSyncCutOffMidWayResumesFromTheWatermark(t *testing.T) {
	t.Parallel()
	var wechat *stoppableWeChat
	s := newOrderServer(t, sandbox.Options{Orders: 300}, func(sb *sandbox.Server, cfg *Config, _ *Options) {
		wechat = &stoppableWeChat{sb: sb}
		srv := httptest.NewServer(wechat)
		t.Cleanup(srv.Close)
		cfg.APIBase = srv.URL
	})
	b := s.signedIn(t, "operator")
	channels := s.sandbox.OrderCount(sandbox.SourceChannels)
	wechat.stopAfterReads(channels / 2)

	// WeChat goes away half way through the Channels orders: the sync says so and keeps what it finished.
	started := time.Now()
	page := s.syncOrdersAs(t, b)
	flash := flashOf(page)
	if want := zh("sync.source.failed", zh("source.channels"), zh("error.wx.unreachable")); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	state, err := s.store.OrderSourceState(t.Context(), db.SourceChannels)
	if err != nil {
		t.Fatal(err)
	}
	firstFrom := time.Unix(wechat.listStarts()[0], 0)
	if !state.Watermark.After(firstFrom) || !state.Watermark.Before(started) {
		t.Fatalf("after a sync cut off half way the watermark is %v; it should lie between the first window's start %v and now", state.Watermark, firstFrom)
	}
	kept := len(s.mirrorAll(t, db.SourceChannels))
	if kept == 0 || kept >= channels {
		t.Errorf("the cut-off sync kept %d of %d Channels orders", kept, channels)
	}

	// WeChat is back: the next sync starts at the watermark, not at the beginning, and loses nothing.
	wechat.restart()
	s.syncOrdersAs(t, b)
	starts := wechat.listStarts()
	if len(starts) == 0 {
		t.Fatal("the second sync did not list Channels orders")
	}
	if from := time.Unix(starts[0], 0); from.Before(state.Watermark.Add(-time.Minute)) {
		t.Errorf("the second sync listed from %v; the watermark was %v", from, state.Watermark)
	}
	checkMirrorMatches(t, s, sandbox.SourceChannels)
	checkMirrorMatches(t, s, sandbox.SourceMerchant)
}
