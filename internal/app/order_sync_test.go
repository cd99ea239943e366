package app

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"wxshop/internal/db/dbtest"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

const (
	pathChannelsList     = "/channels/ec/order/list/get"
	pathChannelsGet      = "/channels/ec/order/get"
	pathChannelsSend     = "/channels/ec/order/delivery/send"
	pathMerchantFilter   = "/merchant/order/getbyfilter"
	pathMerchantGet      = "/merchant/order/getbyid"
	pathMerchantDelivery = "/merchant/order/setdelivery"
)

// checkMirrorMatches compares the mirror of source with the sandbox: the same orders, each once, each with
// its status read right, its total, its lines and its parcels.
func checkMirrorMatches(t *testing.T, s *testServer, source string) {
	t.Helper()
	ids := s.sandbox.OrderIDs(source, 0)
	if len(ids) != s.sandbox.OrderCount(source) {
		t.Fatalf("the sandbox lists %d %s orders and counts %d", len(ids), source, s.sandbox.OrderCount(source))
	}
	mirror := s.mirrorAll(t, source)
	if len(mirror) != len(ids) {
		t.Errorf("the mirror holds %d %s orders, WeChat %d", len(mirror), source, len(ids))
	}
	got := make([]string, 0, len(mirror))
	for _, o := range mirror {
		got = append(got, o.OrderID)
	}
	if missing := slicesMinus(ids, got); len(missing) > 0 {
		t.Errorf("%d %s orders are missing from the mirror: %v", len(missing), source, missing)
	}
	bad := 0
	for _, o := range mirror {
		want, ok := s.sandbox.Order(source, o.OrderID)
		if !ok {
			t.Errorf("the mirror holds %s order %s, which WeChat does not have", source, o.OrderID)
			continue
		}
		parcels := len(want.Parcels)
		if source == sandbox.SourceMerchant {
			parcels = min(parcels, 1) // the manual's order names one delivery
		}
		if o.Status != normalStatus(want) || o.TotalFen != int64(want.TotalFen) || len(o.Lines) != len(want.Lines) ||
			len(o.Parcels) != parcels || o.SourceStatus != want.Status {
			if bad++; bad <= 5 {
				t.Errorf("%s order %s: mirror %s (%d) ¥%d %d lines %d parcels; WeChat %d (want %s) aftersale %v ¥%d %d lines %d parcels",
					source, o.OrderID, o.Status, o.SourceStatus, o.TotalFen, len(o.Lines), len(o.Parcels),
					want.Status, normalStatus(want), want.Aftersale, want.TotalFen, len(want.Lines), len(want.Parcels))
			}
		}
	}
	if bad > 5 {
		t.Errorf("… and %d more orders differ", bad-5)
	}
}

// firstMatch is the first group of pattern's first match in s (the whole match when it has no group),
// HTML-unescaped; "" when none.
func firstMatch(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	switch {
	case m == nil:
		return ""
	case len(m) > 1:
		return html.UnescapeString(m[1])
	}
	return html.UnescapeString(m[0])
}

// slicesMinus lists what a holds and b does not.
func slicesMinus(a, b []string) []string {
	have := map[string]bool{}
	for _, x := range b {
		have[x] = true
	}
	var out []string
	for _, x := range a {
		if !have[x] {
			out = append(out, x)
		}
	}
	return out
}

// countedCalls snapshots the calls to paths, so a test can ask what one step cost.
type countedCalls map[string]int

func (s *testServer) callsNow(paths ...string) countedCalls {
	c := countedCalls{}
	for _, p := range paths {
		c[p] = s.sandbox.Calls(p)
	}
	return c
}

// since is how many calls reached path after the snapshot.
func (c countedCalls) since(s *testServer, path string) int { return s.sandbox.Calls(path) - c[path] }

func TestOrderSyncImportsThenAsksOnlyForWhatChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: 200})
		b := s.signedIn(t, "operator")
		if s.sandbox.OrderCount(sandbox.SourceMerchant) == 0 || s.sandbox.OrderCount(sandbox.SourceChannels) == 0 {
			t.Fatal("the demo shop has no merchant or Channels orders")
		}
		if dash := b.get("/"); strings.Count(dash.body, zh("sources.never")) != len(db.OrderSources) {
			t.Errorf("before any sync the dashboard does not say of every source that it never synced")
		}

		// The first sync brings every order the account can list.
		before := s.callsNow(pathChannelsList, pathChannelsGet, pathMerchantFilter)
		page := s.syncOrdersAs(t, b)
		flash := flashOf(page)
		for _, src := range []string{sandbox.SourceMerchant, sandbox.SourceChannels} {
			if want := zh("sync.source.ok", zh("source."+src), s.sandbox.OrderCount(src)); !strings.Contains(flash, want) {
				t.Errorf("flash %q lacks %q", flash, want)
			}
			checkMirrorMatches(t, s, src)
		}
		if n := before.since(s, pathChannelsGet); n != s.sandbox.OrderCount(sandbox.SourceChannels) {
			t.Errorf("the first sync read %d Channels orders, WeChat has %d: some were read twice or not at all",
				n, s.sandbox.OrderCount(sandbox.SourceChannels))
		}
		if n := before.since(s, pathMerchantFilter); n != 1 {
			t.Errorf("the first sync asked for the merchant orders %d times", n)
		}
		// 60 days in windows of at most 7 days.
		if n := before.since(s, pathChannelsList); n < 9 || n > 10 {
			t.Errorf("the first sync listed Channels orders %d times, want one call per 7-day window of 60 days", n)
		}
		entries := s.auditOf(t, "order.sync")
		if len(entries) != len(db.OrderSources) {
			t.Errorf("the sync wrote %d audit entries, want one per source: %+v", len(entries), entries)
		}
		for _, e := range entries {
			if e.Outcome != "ok" || e.ObjectType != "source" || e.Username != "test-operator" {
				t.Errorf("audit entry %+v", e)
			}
		}
		dash := b.get("/")
		if strings.Contains(dash.body, zh("sources.unavailable")) {
			t.Error("the dashboard says a source is unavailable")
		}

		// Nothing changed: the Channels list is asked once, from the watermark, and reads only what was
		// updated since (nothing, or an order updated in the overlap minute).
		state, err := s.store.OrderSourceState(t.Context(), db.SourceChannels)
		if err != nil || state.Watermark.IsZero() || time.Since(state.Watermark) > time.Minute {
			t.Fatalf("Channels watermark after the first sync: %v (%v)", state.Watermark, err)
		}
		recent := 0
		for _, id := range s.sandbox.OrderIDs(sandbox.SourceChannels, 0) {
			if o := s.sandboxOrder(t, sandbox.SourceChannels, id); !o.Updated.Before(state.Watermark.Add(-time.Minute).Truncate(time.Second)) {
				recent++
			}
		}
		before = s.callsNow(pathChannelsList, pathChannelsGet, pathMerchantFilter)
		s.syncOrdersAs(t, b)
		if n := before.since(s, pathChannelsList); n != 1 {
			t.Errorf("the second sync listed Channels orders %d times, want 1 (from the watermark)", n)
		}
		if n := before.since(s, pathChannelsGet); n != recent {
			t.Errorf("the second sync read %d Channels orders, want the %d updated since the watermark", n, recent)
		}
		if n := before.since(s, pathMerchantFilter); n != 1 {
			t.Errorf("the second sync asked for the merchant orders %d times", n)
		}
		checkMirrorMatches(t, s, sandbox.SourceChannels)

		// Orders shipped elsewhere (in WeChat's own back office) are picked up by the next sync.
		ch := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
		s.syncOrdersAs(t, b)
		if o := s.mirrorOf(t, db.SourceChannels, ch); o.Status != db.OrderToShip {
			t.Fatalf("new Channels order %s is %q in the mirror", ch, o.Status)
		}
		merchant := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
		s.syncOrdersAs(t, b)
		st := s.sandboxOrder(t, sandbox.SourceChannels, ch)
		var items []wx.ChannelsDeliveryProduct
		for _, l := range st.Lines {
			items = append(items, wx.ChannelsDeliveryProduct{ProductID: l.ProductID, SKUID: l.SKUID, ProductCnt: l.Count})
		}
		ctx := t.Context()
		if err := s.app.wx.SendChannelsDelivery(ctx, ch, []wx.ChannelsDelivery{{DeliveryID: "ZTO", WaybillID: "73100000000001",
			DeliverType: wx.ChannelsDeliverSelf, ProductInfos: items}}); err != nil {
			t.Fatal(err)
		}
		if err := s.app.wx.SetMerchantDelivery(ctx, merchant, "066zhongtong", "73100000000002"); err != nil {
			t.Fatal(err)
		}
		before = s.callsNow(pathChannelsList, pathChannelsGet)
		s.syncOrdersAs(t, b)
		if n := before.since(s, pathChannelsList); n != 1 {
			t.Errorf("the sync after the shipment listed Channels orders %d times", n)
		}
		if n := before.since(s, pathChannelsGet); n < 1 || n > 3 {
			t.Errorf("the sync after the shipment read %d Channels orders; one was shipped", n)
		}
		o := s.mirrorOf(t, db.SourceChannels, ch)
		if o.Status != db.OrderShipped || len(o.Parcels) != 1 || o.Parcels[0].TrackingNo != "73100000000001" || o.Parcels[0].CompanyName != "中通快递" {
			t.Errorf("the Channels order shipped elsewhere is %s with parcels %+v", o.Status, o.Parcels)
		}
		m := s.mirrorOf(t, db.SourceMerchant, merchant)
		if m.Status != db.OrderShipped || len(m.Parcels) != 1 || m.Parcels[0].TrackingNo != "73100000000002" || m.Parcels[0].CompanyName != "中通速递" {
			t.Errorf("the merchant order shipped elsewhere is %s with parcels %+v", m.Status, m.Parcels)
		}
		checkMirrorMatches(t, s, sandbox.SourceMerchant)
		checkMirrorMatches(t, s, sandbox.SourceChannels)
	})
}

func TestOrderSyncNarrowsAWindowWeChatFindsTooFull(t *testing.T) {
	t.Parallel()
	const limit = 4
	s := newOrderServer(t, sandbox.Options{Orders: 200, ChannelsWindowLimit: limit})
	b := s.signedIn(t, "operator")
	channels := s.sandbox.OrderCount(sandbox.SourceChannels)
	if channels/9 <= limit {
		t.Fatalf("%d Channels orders do not overfill 7-day windows of %d", channels, limit)
	}
	before := s.callsNow(pathChannelsList, pathChannelsGet)
	flash := flashOf(s.syncOrdersAs(t, b))
	if want := zh("sync.source.ok", zh("source.channels"), channels); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	checkMirrorMatches(t, s, sandbox.SourceChannels)
	if n := before.since(s, pathChannelsGet); n != channels {
		t.Errorf("the sync read %d Channels orders, WeChat has %d: each must be read once", n, channels)
	}
	// At least one call per order group of the limit, and the refused ones besides.
	if n := before.since(s, pathChannelsList); n <= channels/limit {
		t.Errorf("the sync listed Channels orders %d times; with %d orders and 31042 above %d it must narrow its windows", n, channels, limit)
	}
	state, _ := s.store.OrderSourceState(t.Context(), db.SourceChannels)
	if time.Since(state.Watermark) > time.Minute {
		t.Errorf("the watermark is %v after a complete sync", state.Watermark)
	}
}

// nextKeyFault is the app's HTTP transport to the sandbox: the first time the Channels list is asked for a
// page after the first (a request with next_key), it has the sandbox refuse that key with 606006, as WeChat
// does when it no longer accepts it.
type nextKeyFault struct {
	sb       *sandbox.Server
	mu       sync.Mutex
	injected int
	pages    int // requests that carried a next_key
}

func (f *nextKeyFault) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == pathChannelsList && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var req struct {
			NextKey string `json:"next_key"`
		}
		json.Unmarshal(body, &req)
		if req.NextKey != "" {
			f.mu.Lock()
			f.pages++
			if f.injected == 0 {
				f.injected++
				f.sb.FailNext(pathChannelsList, wx.CodeChannelsBadNextKey, "next_key does not match the request", 1)
			}
			f.mu.Unlock()
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestOrderSyncPagesAndRestartsAWindowWhoseKeyIsRefused(t *testing.T) {
	t.Parallel()
	fault := &nextKeyFault{}
	// No demo orders: 250 new ones, all paid now, fill the last window with three pages of 100.
	s := newOrderServer(t, sandbox.Options{Orders: -1}, func(sb *sandbox.Server, _ *Config, opts *Options) {
		fault.sb = sb
		opts.HTTPClient = &http.Client{Transport: fault, Timeout: 30 * time.Second}
	})
	b := s.signedIn(t, "operator")
	const channels = 2*shop.ChannelsPage + shop.ChannelsPage/2
	for range channels {
		s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	}
	before := s.callsNow(pathChannelsList, pathChannelsGet)
	flash := flashOf(s.syncOrdersAs(t, b))
	if want := zh("sync.source.ok", zh("source.channels"), channels); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	checkMirrorMatches(t, s, sandbox.SourceChannels)
	if n := before.since(s, pathChannelsGet); n != channels {
		t.Errorf("the sync read %d Channels orders, WeChat has %d: each must be read once", n, channels)
	}
	fault.mu.Lock()
	injected, pages := fault.injected, fault.pages
	fault.mu.Unlock()
	// The last window: page 1, page 2 refused (606006), then pages 1, 2 and 3 again.
	if injected != 1 || pages != 3 {
		t.Errorf("the sync asked for %d later pages (606006 injected %d times), want 3: 2, 2 again and 3", pages, injected)
	}
	// 8 empty 7-day windows, then the last: 2 calls refused on page 2, 3 more to finish it.
	if n := before.since(s, pathChannelsList); n != 8+2+3 {
		t.Errorf("the sync listed Channels orders %d times, want %d", n, 8+2+3)
	}
	state, _ := s.store.OrderSourceState(t.Context(), db.SourceChannels)
	if time.Since(state.Watermark) > time.Minute {
		t.Errorf("the watermark is %v after a complete sync", state.Watermark)
	}
}

func TestOrderSyncRestartsAWindowOnceAndResumesAfterAFailure(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: 150})
	b := s.signedIn(t, "operator")
	channels := s.sandbox.OrderCount(sandbox.SourceChannels)

	// 606006 once: the window starts over and the sync still gets everything.
	s.sandbox.FailNext(pathChannelsList, wx.CodeChannelsBadNextKey, "next_key does not match the request", 1)
	flash := flashOf(s.syncOrdersAs(t, b))
	if want := zh("sync.source.ok", zh("source.channels"), channels); !strings.Contains(flash, want) {
		t.Errorf("after one 606006: flash %q lacks %q", flash, want)
	}
	checkMirrorMatches(t, s, sandbox.SourceChannels)

	// 606006 twice in a row: the Channels sync stops with WeChat's code and meaning, the merchant sync goes
	// on, and the watermark stays where the last finished window ended.
	s2 := newOrderServer(t, sandbox.Options{Orders: 150})
	b2 := s2.signedIn(t, "operator")
	s2.sandbox.FailNext(pathChannelsList, wx.CodeChannelsBadNextKey, "next_key does not match the request", 2)
	page := s2.syncOrdersAs(t, b2)
	flash = flashOf(page)
	meaning, _ := wx.CodeMeaning(wx.CodeChannelsBadNextKey, "zh")
	if want := zh("sync.source.failed", zh("source.channels"), zh("error.wx", wx.CodeChannelsBadNextKey, meaning)); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	if !strings.Contains(page.body, "flash-error") {
		t.Error("a failed source is not flashed as an error")
	}
	if want := zh("sync.source.ok", zh("source.merchant"), s2.sandbox.OrderCount(sandbox.SourceMerchant)); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	checkMirrorMatches(t, s2, sandbox.SourceMerchant)
	entries := s2.auditOf(t, "order.sync")
	if i := slices.IndexFunc(entries, func(e db.AuditEntry) bool { return e.ObjectID == db.SourceChannels }); i < 0 ||
		!strings.Contains(entries[i].Outcome, "606006") {
		t.Errorf("the failed Channels sync is not audited with its code: %+v", entries)
	}
	state, _ := s2.store.OrderSourceState(t.Context(), db.SourceChannels)
	if state.Unavailable || !state.SyncedAt.IsZero() {
		t.Errorf("after a failed first sync the Channels state is %+v", state)
	}
	s2.syncOrdersAs(t, b2)
	checkMirrorMatches(t, s2, sandbox.SourceChannels)
}

func TestUnavailableSourceIsShownAndRetriedOnlyOnRequest(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: 150, OrderSources: map[string]bool{sandbox.SourceChannels: false}})
	b := s.signedIn(t, "operator")

	before := s.callsNow(pathChannelsList, pathMerchantFilter)
	flash := flashOf(s.syncOrdersAs(t, b))
	if want := zh("sync.source.unavailable", zh("source.channels")); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}
	if want := zh("sync.source.ok", zh("source.merchant"), s.sandbox.OrderCount(sandbox.SourceMerchant)); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q: the other sources must go on", flash, want)
	}
	if before.since(s, pathChannelsList) != 1 {
		t.Errorf("the Channels list was asked %d times", before.since(s, pathChannelsList))
	}
	checkMirrorMatches(t, s, sandbox.SourceMerchant)
	if n := len(s.mirrorAll(t, db.SourceChannels)); n != 0 {
		t.Errorf("the mirror holds %d Channels orders", n)
	}
	state, _ := s.store.OrderSourceState(t.Context(), db.SourceChannels)
	if !state.Unavailable || state.ErrCode != 48001 {
		t.Errorf("Channels state %+v, want unavailable with 48001", state)
	}

	// The dashboard says which source, with WeChat's code and what it means, and offers a retry.
	meaning, _ := wx.CodeMeaning(48001, "zh")
	dash := b.get("/")
	li := firstMatch(`(?s)<li[^>]*data-testid="source-channels"[^>]*>(.*?)</li>`, dash.body)
	for _, want := range []string{zh("source.channels"), zh("sources.unavailable"), zh("error.wx", 48001, meaning),
		`action="/orders/sources/channels/retry"`, zh("sources.retry")} {
		if !strings.Contains(li, want) {
			t.Errorf("the dashboard's Channels source lacks %q: %s", want, li)
		}
	}
	if !strings.Contains(firstMatch(`<li[^>]*data-testid="source-channels"`, dash.body), `class="bad"`) {
		t.Error("the unavailable source is not marked")
	}
	merchantLi := firstMatch(`(?s)<li[^>]*data-testid="source-merchant"[^>]*>(.*?)</li>`, dash.body)
	if strings.Contains(merchantLi, zh("sources.unavailable")) || strings.Contains(merchantLi, zh("sources.never")) {
		t.Errorf("the merchant source shows %q", merchantLi)
	}

	// Skipped from now on, even once the account may use it, until someone asks.
	s.sandbox.SetOrderSource(sandbox.SourceChannels, true)
	before = s.callsNow(pathChannelsList, pathMerchantFilter)
	flash = flashOf(s.syncOrdersAs(t, b))
	if n := before.since(s, pathChannelsList); n != 0 {
		t.Errorf("an unavailable source was asked %d times by the next sync", n)
	}
	if n := before.since(s, pathMerchantFilter); n != 1 {
		t.Errorf("the merchant source was asked %d times by the next sync", n)
	}
	if want := zh("sync.source.unavailable", zh("source.channels")); !strings.Contains(flash, want) {
		t.Errorf("flash %q lacks %q", flash, want)
	}

	// Retry: the source is tried again and syncs.
	a := b.post("/orders/sources/channels/retry", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc(a) != "/" {
		t.Errorf("retry redirects to %q", loc(a))
	}
	flash = flashOf(b.get(loc(a)))
	if want := zh("sync.source.ok", zh("source.channels"), s.sandbox.OrderCount(sandbox.SourceChannels)); !strings.Contains(flash, want) {
		t.Errorf("after the retry, flash %q lacks %q", flash, want)
	}
	checkMirrorMatches(t, s, sandbox.SourceChannels)
	if e := s.auditOf(t, "order.source.retry"); len(e) != 1 || e[0].ObjectID != db.SourceChannels {
		t.Errorf("retry audit entries = %+v", e)
	}
	if dash := b.get("/"); strings.Contains(dash.body, zh("sources.unavailable")) {
		t.Error("the dashboard still says a source is unavailable after it synced")
	}
}
