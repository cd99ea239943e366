package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/db/dbtest"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The fault suites: WeChat answering a fifth of its calls with -1, every call 300 ms late and access tokens
// that expire every few seconds. The app must still bring every order exactly once, ship every order exactly
// once and show every failure, and keep what an operator typed when WeChat refuses it.

// Each suite runs on SQLite and on PostgreSQL, at once. The slowest ones, which mostly wait on the late WeChat,
// run smaller on PostgreSQL (suiteSize), where the same rules hold and make test's time is shared.

// suiteSize is n on SQLite, onPostgres on PostgreSQL.
func suiteSize(t *testing.T, n, onPostgres int) int {
	if dbtest.Dialect(t) == db.Postgres {
		return onPostgres
	}
	return n
}

// faultyWeChat is the misbehaving WeChat of these suites.
func faultyWeChat(orders int) sandbox.Options {
	return sandbox.Options{Orders: orders, FailRate: 0.2, Latency: 300 * time.Millisecond, TokenTTL: 3 * time.Second}
}

func TestOrderSyncUnderFaultsBringsEveryOrderOnce(t *testing.T) {
	dbtest.EachParallel(t, testOrderSyncUnderFaultsBringsEveryOrderOnce)
}

func testOrderSyncUnderFaultsBringsEveryOrderOnce(t *testing.T) {
	s := newOrderServer(t, faultyWeChat(suiteSize(t, 300, 80)))
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
	dbtest.EachParallel(t, testOrderSyncCutOffMidWayResumesFromTheWatermark)
}

func testOrderSyncCutOffMidWayResumesFromTheWatermark(t *testing.T) {
	var wechat *stoppableWeChat
	s := newOrderServer(t, sandbox.Options{Orders: suiteSize(t, 300, 150)}, func(sb *sandbox.Server, cfg *Config, _ *Options) {
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

// shipUntilDone ships one order through its page as an operator does: fill in the form, send it, and when
// the page says it failed, read why and send it again. It returns the failures the pages showed.
func shipUntilDone(t *testing.T, b *browser, o db.Order, trackNo string) []string {
	company := "066zhongtong"
	if o.Source == db.SourceChannels {
		company = "ZTO"
	}
	page := b.get(orderPath(o))
	if page.status != http.StatusOK {
		t.Errorf("order %s: its page answers %d", o.OrderID, page.status)
		return nil
	}
	var shown []string
	for try := 1; try <= 12; try++ {
		var counts []string
		offered := shipCounts(page)
		for i := range len(offered) {
			counts = append(counts, offered[strconv.Itoa(i)])
		}
		form := shipForm(company, trackNo, shipTokenOf(t, page), counts...)
		a := b.post(orderPath(o)+"/ship", form)
		switch a.status {
		case http.StatusSeeOther:
			if got := flashOf(b.get(loc(a))); got != zh("ship.done", o.OrderID) {
				t.Errorf("order %s: after shipping the flash says %q", o.OrderID, got)
			}
			return shown
		case http.StatusUnprocessableEntity:
			problem, ok := textOf(a, "ship-problem")
			if !ok {
				t.Errorf("order %s: a failed shipment shows no problem", o.OrderID)
				return shown
			}
			if !strings.Contains(a.body, `value="`+trackNo+`"`) {
				t.Errorf("order %s: the failed form lost the tracking number typed", o.OrderID)
			}
			shown = append(shown, problem)
			page = a // the form as typed, with a fresh key: send it again
		default:
			t.Errorf("order %s: shipping answered %d", o.OrderID, a.status)
			return shown
		}
	}
	t.Errorf("order %s: not shipped after 12 tries: %v", o.OrderID, shown)
	return shown
}

func TestTwoHundredShipmentsUnderFaultsShipEachOrderOnce(t *testing.T) {
	dbtest.EachParallel(t, testTwoHundredShipmentsUnderFaultsShipEachOrderOnce)
}

func testTwoHundredShipmentsUnderFaultsShipEachOrderOnce(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Orders: -1, TokenTTL: 3 * time.Second})
	b := s.signedIn(t, "operator")
	perSource := suiteSize(t, 100, 25)
	for range perSource {
		s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
		s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	}
	s.syncOrdersAs(t, b)
	orders, _, err := s.store.Orders(t.Context(), db.OrderFilter{Status: db.OrderToShip, Limit: 1000})
	if err != nil || len(orders) != 2*perSource {
		t.Fatalf("%d orders to ship in the mirror (%v), want %d", len(orders), err, 2*perSource)
	}

	// Now WeChat misbehaves: a fifth of the calls answer -1, a twentieth run but lose their answer, and
	// every call takes 300 ms. Eight operators ship the orders (200 on SQLite) at once.
	s.sandbox.SetFailRate(0.2)
	s.sandbox.SetLoseRate(0.05)
	s.sandbox.SetLatency(300 * time.Millisecond)
	var (
		mu    sync.Mutex
		shown []string
		wg    sync.WaitGroup
		next  = make(chan int)
	)
	for range 8 {
		wb := s.browser(t)
		wb.signIn("test-operator", cheapPassword)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				got := shipUntilDone(t, wb, orders[i], fmt.Sprintf("ZT%08d", i))
				mu.Lock()
				shown = append(shown, got...)
				mu.Unlock()
			}
		}()
	}
	for i := range orders {
		next <- i
	}
	close(next)
	wg.Wait()
	s.sandbox.SetFailRate(0)
	s.sandbox.SetLoseRate(0)
	s.sandbox.SetLatency(0)

	// Each failure was shown with what WeChat said, and none was WeChat refusing a second shipment.
	if len(shown) == 0 {
		t.Error("with a fifth of WeChat's calls failing, no shipment failed: the faults did not reach the handlers")
	}
	busy := zh("ship.failed", zh("error.wx", -1, mustMeaning(t, -1)))
	for _, p := range shown {
		if p != busy && p != zh("ship.failed", zh("error.wx.unreachable")) {
			t.Errorf("a failure shown as %q; want WeChat's -1 and its meaning, or that WeChat could not be reached", p)
		}
	}
	// Every order left once, as WeChat, the mirror and the audit log all say.
	for i, o := range orders {
		st := s.sandboxOrder(t, o.Source, o.OrderID)
		if len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != fmt.Sprintf("ZT%08d", i) {
			t.Errorf("%s order %s: WeChat holds %d parcels %+v, want exactly one", o.Source, o.OrderID, len(st.Parcels), st.Parcels)
		}
		if m := s.mirrorOf(t, o.Source, o.OrderID); m.Status != db.OrderShipped || len(m.Parcels) != 1 {
			t.Errorf("%s order %s: the mirror says %s with %d parcels", o.Source, o.OrderID, m.Status, len(m.Parcels))
		}
		ok := 0
		for _, e := range s.auditOfOrder(t, "order.ship", o.Source, o.OrderID) {
			if e.Outcome == "ok" {
				ok++
			}
		}
		if ok != 1 {
			t.Errorf("%s order %s: %d successful shipments in the audit log", o.Source, o.OrderID, ok)
		}
	}
	if failed := len(s.auditOf(t, "order.ship")) - len(orders); failed != len(shown) {
		t.Errorf("%d failed shipments audited, %d shown to the operators", failed, len(shown))
	}
}

// mustMeaning is the Chinese meaning of a WeChat error code the table knows.
func mustMeaning(t *testing.T, code int) string {
	t.Helper()
	m, ok := wx.CodeMeaning(code, "zh")
	if !ok {
		t.Fatalf("the code table does not know %d", code)
	}
	return m
}

func TestProductEditRefusedUnderFaultsKeepsTheForm(t *testing.T) {
	dbtest.EachParallel(t, testProductEditRefusedUnderFaultsKeepsTheForm)
}

func testProductEditRefusedUnderFaultsKeepsTheForm(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Orders: -1, TokenTTL: 3 * time.Second})
	b := s.signedIn(t, "operator")
	img := s.uploadToLibrary(t, b, "tee.png", pngBytes(t, 80, 80, 20))
	a := b.post("/products", teeForm(img))
	wantStatus(t, a, http.StatusSeeOther)
	id := strings.TrimPrefix(loc(a), "/products/")
	before, _ := s.sandbox.Product(id)

	// The operator changes the name, two prices, a code and the description; WeChat is slow, the token
	// has expired, and the update answers -1.
	edit := with(teeForm(img), set("name", "夏季新款纯棉T恤"), setAt("row_price", 0, "45.50"), setAt("row_price", 3, "88"),
		setAt("row_code", 1, "NEW-CODE-1"), set("detail_text", "改过的介绍：透气，不起球。", ""))
	typed := []string{`value="夏季新款纯棉T恤"`, `value="45.50"`, `value="88"`, `value="NEW-CODE-1"`, "改过的介绍：透气，不起球。", `value="129.5"`}
	s.sandbox.SetLatency(300 * time.Millisecond)
	s.sandbox.ExpireTokens()
	s.sandbox.FailNext("/merchant/update", -1, "system error", 1)
	a = b.post("/products/"+id, edit)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, append(typed, html.EscapeString(zh("form.err.wx", zh("error.wx", -1, mustMeaning(t, -1)))))...)
	if got, _ := s.sandbox.Product(id); got.ProductBase.Name != before.ProductBase.Name || got.SKUList[0].Price != before.SKUList[0].Price {
		t.Errorf("a refused update changed WeChat's product: %q ¥%d", got.ProductBase.Name, got.SKUList[0].Price)
	}
	if row := s.mirrored(t, id); row.Name != "测试纯棉T恤 2×2" {
		t.Errorf("a refused update renamed the mirror to %q", row.Name)
	}

	// Sent again, the answer is lost on the way: the page says WeChat could not be reached and still holds
	// the form; an update sent once more does no harm and goes through.
	s.sandbox.SetLoseRate(1)
	a = b.post("/products/"+id, edit)
	s.sandbox.SetLoseRate(0)
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, append(typed, html.EscapeString(zh("form.err.wx", zh("error.wx.unreachable"))))...)
	a = b.post("/products/"+id, edit)
	wantStatus(t, a, http.StatusSeeOther)
	if got, _ := s.sandbox.Product(id); got.ProductBase.Name != "夏季新款纯棉T恤" || got.SKUList[0].Price != 4550 || got.SKUList[3].Price != 8800 {
		t.Errorf("after the update went through WeChat holds %q ¥%d ¥%d", got.ProductBase.Name, got.SKUList[0].Price, got.SKUList[3].Price)
	}
	outcomes := []string{}
	for _, e := range s.auditOf(t, "product.update") {
		outcomes = append(outcomes, e.Outcome)
	}
	if len(outcomes) != 3 || !strings.Contains(outcomes[0], "-1") || outcomes[2] != "ok" {
		t.Errorf("the audit log has the updates as %q", outcomes)
	}
}

// A product created by a call whose answer was lost is found and kept, not made a second time.
func TestProductCreatedWhoseAnswerIsLostIsNotMadeTwice(t *testing.T) {
	dbtest.EachParallel(t, testProductCreatedWhoseAnswerIsLostIsNotMadeTwice)
}

func testProductCreatedWhoseAnswerIsLostIsNotMadeTwice(t *testing.T) {
	s, b, img := formServer(t)
	held := len(s.sandbox.Products())
	s.sandbox.LoseNext("/merchant/create", 1)
	a := b.post("/products", teeForm(img))
	wantStatus(t, a, http.StatusSeeOther)
	products := s.sandbox.Products()
	if len(products) != held+1 {
		t.Fatalf("WeChat holds %d products, had %d: want exactly one more", len(products), held)
	}
	id := strings.TrimPrefix(loc(a), "/products/")
	if got, ok := s.sandbox.Product(id); !ok || got.ProductBase.Name != "测试纯棉T恤 2×2" {
		t.Errorf("the save led to %q, which WeChat does not hold as the new product", loc(a))
	}
	if row := s.mirrored(t, id); row.Name != "测试纯棉T恤 2×2" {
		t.Errorf("the mirror holds %q", row.Name)
	}
	entries := s.auditOf(t, "product.create")
	if len(entries) != 1 || entries[0].Outcome != "ok" || entries[0].ObjectID != id {
		t.Errorf("audit entries = %+v", entries)
	}

	// The same product made again on purpose (a second time, with its answer) is a second product.
	a = b.post("/products", teeForm(img))
	wantStatus(t, a, http.StatusSeeOther)
	if n := len(s.sandbox.Products()); n != held+2 {
		t.Errorf("WeChat holds %d products after a second create, want %d", n, held+2)
	}
}

// A stock change whose outcome is unknown is settled by WeChat's stock, so a second click cannot add twice.
func TestStockChangeWhoseAnswerIsLostIsCountedOnce(t *testing.T) {
	dbtest.EachParallel(t, testStockChangeWhoseAnswerIsLostIsCountedOnce)
}

func testStockChangeWhoseAnswerIsLostIsCountedOnce(t *testing.T) {
	s := newTestServer(t)
	b := s.signedIn(t, "operator")
	s.syncShop(t, b)
	p := s.shopProduct(t, "手剥山核桃 临安特产") // 250g: 60
	big := p.SKUList[0].SKUID
	path := "/products/" + p.ProductID + "/stock"
	change := func(op, qty string) answer {
		return b.post(path, url.Values{"sku_id": {big}, "op": {op}, "quantity": {qty}, "with_product": {"false"}}, "HX-Request", "true")
	}

	// The answer is lost after WeChat added: the row says it is saved, with the new stock.
	s.sandbox.LoseNext("/merchant/stock/add", 1)
	a := change("add", "15")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, zh("stock.saved.add", 15))
	if got, mirror := s.skuQuantity(t, p.ProductID, big), s.mirroredQuantity(t, p.ProductID, big); got != 75 || mirror != 75 {
		t.Errorf("WeChat holds %d and the mirror %d, want 75", got, mirror)
	}

	// -1 before anything was done: the row says so, with WeChat's code, and nothing changed.
	s.sandbox.FailNext("/merchant/stock/add", -1, "system error", 1)
	a = change("add", "5")
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, html.EscapeString(zh("error.wx", -1, mustMeaning(t, -1))), `value="5"`)
	if got := s.skuQuantity(t, p.ProductID, big); got != 75 {
		t.Errorf("WeChat holds %d after a refused change, want 75", got)
	}

	// Stock that moved meanwhile (sold elsewhere while the page was open), then an answer lost: the row shows
	// what WeChat holds and asks the operator to check, rather than guessing.
	if err := s.app.wx.ReduceStock(t.Context(), p.ProductID, big, 2); err != nil {
		t.Fatal(err)
	}
	s.sandbox.LoseNext("/merchant/stock/add", 1)
	a = change("add", "10")
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, html.EscapeString(zh("stock.err.unknown", zh("error.wx.unreachable"), 83)))
	if got := s.mirroredQuantity(t, p.ProductID, big); got != 83 {
		t.Errorf("the mirror holds %d, WeChat 83", got)
	}
	if got := s.skuQuantity(t, p.ProductID, big); got != 83 {
		t.Errorf("WeChat holds %d, want 83: the stock was changed twice or not at all", got)
	}
}

// A template, group or shelf created by a call whose answer was lost is found and kept, not made twice.
func TestStorefrontCreatedWhoseAnswerIsLostIsNotMadeTwice(t *testing.T) {
	dbtest.EachParallel(t, testStorefrontCreatedWhoseAnswerIsLostIsNotMadeTwice)
}

func testStorefrontCreatedWhoseAnswerIsLostIsNotMadeTwice(t *testing.T) {
	s, b := storefrontServer(t)
	img := s.uploadToLibrary(t, b, "pic.png", pngBytes(t, 40, 40, 9))
	tea := idOf(s.shopGroup(t, "茶叶").GroupID)
	ids := productIDs(t, s, "安吉白茶 雨前一级", "滇红金芽 云南凤庆")
	for _, tc := range []struct {
		what, path, wxPath, action string
		form                       url.Values
		count                      func() int
		mirrored                   func() bool
	}{
		{"postage template", "/postage", "/merchant/express/add", "postage.create", postageForm("丢了回答的模板", kuaiDi, "1", "8", "1", "1"),
			func() int { return len(s.sandbox.DeliveryTemplates()) },
			func() bool {
				ts, _ := s.store.PostageTemplates(t.Context())
				return slices.ContainsFunc(ts, func(x db.PostageTemplate) bool { return x.Name == "丢了回答的模板" })
			}},
		{"group", "/groups", "/merchant/group/add", "group.create", url.Values{"name": {"丢了回答的分组"}, "product": ids},
			func() int { return len(s.sandbox.Groups()) },
			func() bool {
				gs, _ := s.store.Groups(t.Context())
				return slices.ContainsFunc(gs, func(x db.Group) bool { return x.Name == "丢了回答的分组" })
			}},
		{"shelf", "/shelves", "/merchant/shelf/add", "shelf.create", shelfForm("丢了回答的货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {img}}),
			func() int { return len(s.sandbox.Shelves()) },
			func() bool {
				ss, _ := s.store.Shelves(t.Context())
				return slices.ContainsFunc(ss, func(x db.Shelf) bool { return x.Name == "丢了回答的货架" })
			}},
	} {
		held := tc.count()
		s.sandbox.LoseNext(tc.wxPath, 1)
		a := b.post(tc.path, tc.form)
		if a.status != http.StatusSeeOther {
			t.Errorf("%s: a create whose answer was lost answered %d: %s", tc.what, a.status, flashOf(a))
			continue
		}
		if n := tc.count(); n != held+1 {
			t.Errorf("%s: WeChat holds %d, had %d: want exactly one more", tc.what, n, held)
		}
		if !tc.mirrored() {
			t.Errorf("%s: the mirror does not hold the new one", tc.what)
		}
		if entries := s.auditOf(t, tc.action); len(entries) == 0 || entries[len(entries)-1].Outcome != "ok" || entries[len(entries)-1].ObjectID == "0" {
			t.Errorf("%s: audit entries = %+v", tc.what, entries)
		}
	}
}

// A delete or a close whose answer was lost is settled by what WeChat holds afterwards: it counts as done.
func TestDeleteAndCloseWhoseAnswerIsLostCountAsDone(t *testing.T) {
	dbtest.EachParallel(t, testDeleteAndCloseWhoseAnswerIsLostCountAsDone)
}

func testDeleteAndCloseWhoseAnswerIsLostCountAsDone(t *testing.T) {
	s, b := storefrontServer(t)
	b.follow(b.post("/postage", postageForm("要删的模板", kuaiDi, "1", "8", "1", "1")))
	tpl := s.shopTemplate(t, "要删的模板")
	ids := productIDs(t, s, "安吉白茶 雨前一级")
	b.follow(b.post("/groups", url.Values{"name": {"要删的分组"}, "product": ids}))
	g := s.shopGroup(t, "要删的分组")
	tea := idOf(s.shopGroup(t, "茶叶").GroupID)
	img := s.uploadToLibrary(t, b, "pic.png", pngBytes(t, 40, 40, 9))
	b.follow(b.post("/shelves", shelfForm("要删的货架", "", map[string][]string{"eid": {"3"}, "group": {tea}, "img": {img}})))
	sh, _ := s.shopShelf("要删的货架")
	product := s.shopProduct(t, "滇红金芽 云南凤庆")

	for _, tc := range []struct {
		what, path, wxPath, flash string
		gone                      func() bool
	}{
		{"template", "/postage/" + idOf(tpl.ID) + "/delete", "/merchant/express/del", zh("postage.deleted", "要删的模板"),
			func() bool {
				_, err := s.store.PostageTemplate(t.Context(), tpl.ID)
				return errors.Is(err, db.ErrNoRecord)
			}},
		{"group", "/groups/" + idOf(g.GroupID) + "/delete", "/merchant/group/del", zh("groups.deleted", "要删的分组"),
			func() bool { _, err := s.store.Group(t.Context(), g.GroupID); return errors.Is(err, db.ErrNoRecord) }},
		{"shelf", "/shelves/" + idOf(sh.ShelfID) + "/delete", "/merchant/shelf/del", zh("shelves.deleted", "要删的货架"),
			func() bool { _, err := s.store.Shelf(t.Context(), sh.ShelfID); return errors.Is(err, db.ErrNoRecord) }},
		{"product", "/products/" + product.ProductID + "/delete", "/merchant/del", zh("products.deleted", "滇红金芽 云南凤庆"),
			func() bool {
				_, err := s.store.Product(t.Context(), product.ProductID)
				return errors.Is(err, db.ErrNoRecord)
			}},
	} {
		s.sandbox.LoseNext(tc.wxPath, 1)
		page := b.follow(b.post(tc.path, nil))
		if got := flashOf(page); got != tc.flash {
			t.Errorf("%s: after a delete whose answer was lost the flash says %q, want %q", tc.what, got, tc.flash)
		}
		if !tc.gone() {
			t.Errorf("%s: the mirror still holds it", tc.what)
		}
	}

	// Closing an order, the answer lost after WeChat closed it.
	s2 := newOrderServer(t, sandbox.Options{Orders: -1})
	b2 := s2.signedIn(t, "operator")
	o := s2.mirrorOf(t, db.SourceMerchant, s2.newPaidMerchantOrders(t, b2, 1)[0])
	s2.sandbox.LoseNext("/merchant/order/close", 1)
	a := b2.post(orderPath(o)+"/close", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if got := flashOf(b2.get(loc(a))); got != zh("close.done", o.OrderID) {
		t.Errorf("after a close whose answer was lost the flash says %q", got)
	}
	if got := s2.mirrorOf(t, db.SourceMerchant, o.OrderID).Status; got != db.OrderCancelled {
		t.Errorf("the mirror says %q", got)
	}
}

// Fifty refund-only after-sales answered while WeChat fails a fifth of its calls with -1 and loses the answer
// of a fifth of those it makes: each is refunded exactly once, and the app's history and audit log hold one
// successful answer for each.
func TestAftersaleAnswersUnderFaultsAreMadeOnce(t *testing.T) {
	dbtest.EachParallel(t, testAftersaleAnswersUnderFaultsAreMadeOnce)
}

func testAftersaleAnswersUnderFaultsAreMadeOnce(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{Orders: 1500}, buyerWaits)
	b := s.signedIn(t, "operator")
	var ids []string
	for range suiteSize(t, 50, 20) {
		id := s.sandbox.NewAftersale(wx.AftersaleTypeRefund)
		if id == "" {
			t.Fatal("the sandbox ran out of orders")
		}
		ids = append(ids, id)
	}
	s.sandbox.SetFailRate(0.2)
	s.sandbox.SetLoseRate(0.2)
	refused := zh("aftersale.refused.state", zh("aftersale.status.PLATFORM_REFUNDING"))
	for _, id := range ids {
		for attempt := 1; ; attempt++ {
			a := b.post("/aftersales/"+id+"/answer", url.Values{"action": {"refund"}})
			if a.status == http.StatusSeeOther {
				break
			}
			// Told the outcome was unknown or that WeChat failed, the operator tries again; the app then sees
			// the refund already made and refuses to make it twice.
			if a.status == http.StatusUnprocessableEntity && strings.Contains(html.UnescapeString(a.body), refused) {
				break
			}
			if attempt == 20 {
				t.Fatalf("%s: no answer after 20 tries: %d", id, a.status)
			}
		}
	}
	s.sandbox.SetFailRate(0)
	s.sandbox.SetLoseRate(0)
	for _, id := range ids {
		if n := s.sandbox.MerchantAnswers(id); n != 1 {
			t.Errorf("%s: refunded %d times", id, n)
		}
		events, err := s.store.AftersaleEvents(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, e := range events {
			if e.Kind == "refund" && e.Outcome == db.AuditOK {
				ok++
			}
		}
		if ok != 1 {
			t.Errorf("%s: %d successful refunds in the history", id, ok)
		}
	}
	okAudit := 0
	for _, e := range s.auditOf(t, "aftersale.refund") {
		if e.Outcome == db.AuditOK {
			okAudit++
		}
	}
	if okAudit != len(ids) {
		t.Errorf("%d successful refunds audited for %d after-sales", okAudit, len(ids))
	}
}
