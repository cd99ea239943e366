package app

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx/sandbox"
)

func TestInsightRangeIsBeijingDays(t *testing.T) {
	for _, tc := range []struct {
		now      time.Time
		days     int
		from, to string
	}{
		// 00:30 on 1 March in Beijing is still 28 February in UTC: the period ends with 1 March.
		{time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC), 7, "2026-02-23T00:00:00+08:00", "2026-03-02T00:00:00+08:00"},
		{time.Date(2026, 3, 1, 23, 59, 59, 0, shanghai), 30, "2026-01-31T00:00:00+08:00", "2026-03-02T00:00:00+08:00"},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, shanghai), 1, "2026-03-01T00:00:00+08:00", "2026-03-02T00:00:00+08:00"},
	} {
		from, to := insightRange(tc.days, tc.now)
		if from.Format(time.RFC3339) != tc.from || to.Format(time.RFC3339) != tc.to {
			t.Errorf("%d days to %s: %s to %s, want %s to %s", tc.days, tc.now, from.Format(time.RFC3339), to.Format(time.RFC3339), tc.from, tc.to)
		}
	}
}

func TestInsightsView(t *testing.T) {
	p := i18n.Printer{Lang: i18n.English}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, shanghai) }
	sales := []db.SalesDay{{Day: day(1), Orders: 2, Revenue: 1001}, {Day: day(2)}, {Day: day(3), Orders: 1, Revenue: 150000}}
	counts := map[string]int{db.OrderToShip: 4, db.OrderCancelled: 2, db.OrderDone: 9}
	top := []db.ProductSales{{ProductID: "tee 1", Title: "Tee", Units: 5, Revenue: 49500, Mirrored: true}, {ProductID: "gone", Units: 2, Revenue: 100}}
	v := insightsView(p, 7, sales, counts, top)

	if v.Days != 7 || v.FromDay != "2026-03-01" || v.ToDay != "2026-03-03" {
		t.Errorf("period %d, %s to %s", v.Days, v.FromDay, v.ToDay)
	}
	var periods []string
	for _, pl := range v.Periods {
		periods = append(periods, fmt.Sprintf("%s:%v", pl.URL, pl.Active))
	}
	if got := strings.Join(periods, " "); got != "/?days=7:true /?days=30:false /?days=90:false" {
		t.Errorf("periods %s", got)
	}
	// Totals: 3 orders for ¥1,510.01, ¥503.34 each (rounded to the fen).
	if v.Paid != 3 || v.Revenue != "¥1,510.01" || v.Average != "¥503.34" {
		t.Errorf("totals %d, %s, %s", v.Paid, v.Revenue, v.Average)
	}
	if len(v.RevenueChart.Bars) != 3 || len(v.OrdersChart.Bars) != 3 {
		t.Fatalf("bars: %d revenue, %d orders", len(v.RevenueChart.Bars), len(v.OrdersChart.Bars))
	}
	b := v.RevenueChart.Bars[0]
	if b.Label != "03-01" || b.Value != 1001 || b.Title != "2026-03-01 · revenue ¥10.01, orders: 2" {
		t.Errorf("revenue bar %+v", b)
	}
	if b := v.OrdersChart.Bars[2]; b.Value != 1 || b.Title != "2026-03-03 · paid orders: 1" {
		t.Errorf("orders bar %+v", b)
	}
	if v.RevenueChart.Unit != 100 || v.RevenueChart.Format(150000) != "¥1,500" || v.RevenueChart.Format(0) != "¥0" {
		t.Errorf("revenue axis: unit %d, labels %q %q", v.RevenueChart.Unit, v.RevenueChart.Format(150000), v.RevenueChart.Format(0))
	}
	var parts []string
	for _, s := range v.Statuses {
		parts = append(parts, fmt.Sprintf("%s=%d %s", s.Status, s.Count, s.URL))
	}
	want := []string{
		"toship=4 /orders?from=2026-03-01&status=toship&to=2026-03-03",
		"partial=0 /orders?from=2026-03-01&status=partial&to=2026-03-03",
		"shipped=0 /orders?from=2026-03-01&status=shipped&to=2026-03-03",
		"aftersale=0 /orders?from=2026-03-01&status=aftersale&to=2026-03-03",
		"cancelled=2 /orders?from=2026-03-01&status=cancelled&to=2026-03-03",
	}
	if strings.Join(parts, "\n") != strings.Join(want, "\n") {
		t.Errorf("status parts\n%s\nwant\n%s", strings.Join(parts, "\n"), strings.Join(want, "\n"))
	}
	if len(v.Top) != 2 || v.Top[0].Rank != 1 || v.Top[0].URL != "/products/tee%201" || v.Top[0].Revenue != "¥495.00" ||
		v.Top[1].Title != "gone" || v.Top[1].URL != "" {
		t.Errorf("top %+v", v.Top)
	}

	empty := insightsView(p, 30, []db.SalesDay{{Day: day(1)}}, map[string]int{}, nil)
	if empty.Paid != 0 || empty.Revenue != "¥0.00" || empty.Average != "" || len(empty.Top) != 0 {
		t.Errorf("empty period %+v", empty)
	}
}

// sellOrders writes orders paid at the given times, each of one line of product p1, into the mirror.
func sellOrders(t *testing.T, store *db.Store, paid map[string]time.Time, statuses map[string]string) {
	t.Helper()
	var orders []db.Order
	for id, at := range paid {
		st := statuses[id]
		if st == "" {
			st = db.OrderShipped
		}
		o := db.Order{Source: db.SourceShop, OrderID: id, Status: st, SourceStatus: 30, TotalFen: 10000,
			CreatedAt: at.Add(-time.Minute), PaidAt: at, Raw: []byte(`{}`),
			Lines: []db.OrderLine{{ProductID: "p1", Title: "纯棉T恤", Quantity: 2, UnitFen: 5000, TotalFen: 10000}}}
		if st == db.OrderToPay {
			o.PaidAt = time.Time{}
		}
		orders = append(orders, o)
	}
	if err := store.UpsertOrders(context.Background(), orders); err != nil {
		t.Fatal(err)
	}
}

func TestDashboardAnswersTheInsightsFragmentToHtmx(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	now := time.Now().In(shanghai)
	earlierToday := startOfDay(now).Add(now.Sub(startOfDay(now)) / 2)
	sellOrders(t, s.store, map[string]time.Time{
		"today":     earlierToday,
		"days-ago":  startOfDay(now).AddDate(0, 0, -10).Add(time.Hour),
		"cancelled": earlierToday,
	}, map[string]string{"cancelled": db.OrderCancelled})

	// htmx asks the dashboard's own URL for the section alone.
	a := b.do(http.MethodGet, "/?days=7", nil, "HX-Request", "true", "HX-Target", "insights")
	wantStatus(t, a, http.StatusOK)
	if !strings.HasPrefix(a.body, `<section class="panel wide insights" id="insights"`) || strings.Contains(a.body, "<html") ||
		strings.Contains(a.body, "ship-queue") {
		t.Errorf("the htmx answer is not the section alone:\n%s", a.body)
	}
	if vary := strings.Join(a.header.Values("Vary"), ","); !strings.Contains(vary, "HX-Request") || !strings.Contains(vary, "Cookie") {
		t.Errorf("Vary = %q: a cache could hand the fragment to a page load, or one user's page to another", a.header.Values("Vary"))
	}
	wantBody(t, a, `data-days="7"`, `data-testid="period-paid">1<`, `data-testid="period-revenue">¥100.00<`,
		`hx-get="/?days=30"`, `hx-target="#insights"`, `hx-push-url="true"`, `href="/?days=90"`,
		`data-testid="chart-revenue"`, `data-testid="chart-orders"`, `data-testid="status-count-cancelled">1<`)
	if n := strings.Count(a.body, `<g class="col"`); n != 14 {
		t.Errorf("%d day columns, want 7 per chart", n)
	}
	if !regexp.MustCompile(`<a href="/\?days=7" [^>]*class="active" aria-current="page"`).MatchString(a.body) {
		t.Errorf("the 7-day link is not marked current:\n%s", a.body)
	}

	// The same URL without htmx is the whole dashboard with the period chosen, so the link works without script.
	a = b.get("/?days=90")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, "<html", `data-testid="ship-queue"`, `id="insights"`, `data-days="90"`, `data-testid="period-paid">2<`,
		`data-testid="period-revenue">¥200.00<`)
	if n := strings.Count(a.body, `<g class="col"`); n != 180 {
		t.Errorf("%d day columns, want 90 per chart", n)
	}
	// htmx restoring its history after a cache miss needs the page too.
	a = b.do(http.MethodGet, "/?days=7", nil, "HX-Request", "true", "HX-History-Restore-Request", "true")
	wantBody(t, a, "<html", `data-days="7"`)

	// Anything but 7, 30 or 90 is the default period.
	for _, q := range []string{"", "?days=365", "?days=-1", "?days=abc", "?days=7x"} {
		a = b.do(http.MethodGet, "/"+q, nil, "HX-Request", "true")
		wantBody(t, a, `data-days="30"`)
	}
	// The day a bar stands for and its value are in its title.
	today := now.Format("2006-01-02")
	wantBody(t, a, "<title>"+today+" · 成交额 ¥100.00（1 笔订单）</title>", "<title>"+today+" · 付款订单 1 笔</title>")
}

func TestDashboardInsightsWithoutOrders(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	a := b.get("/")
	wantStatus(t, a, http.StatusOK)
	wantBody(t, a, `data-days="30"`, `data-testid="period-paid">0<`, `data-testid="top-empty"`, `data-testid="status-empty"`,
		`class="empty-note"`, "这段时间没有付款订单")
	if strings.Contains(a.body, `data-testid="period-average"`) {
		t.Error("an average of no orders is shown")
	}
}

var tabCount = regexp.MustCompile(`data-testid="tab-([a-z]+)"[^>]*>\s*[^<(]*\((\d+)\)`)

// Every part of the status bar links to the order list filtered the same way, which shows the same number.
func TestInsightsStatusCountsMatchTheOrderList(t *testing.T) {
	s := newTestServer(t)
	b := s.browser(t)
	b.signIn("admin", testAdminPassword)
	now := time.Now().In(shanghai)
	paid, statuses := map[string]time.Time{}, map[string]string{}
	for i := range 120 {
		id := "o" + strconv.Itoa(i)
		// Orders over 100 days, a few on the midnights where periods begin.
		at := now.Add(-time.Duration(i) * 20 * time.Hour)
		if i%17 == 0 {
			at = startOfDay(now).AddDate(0, 0, -i%90).Add(time.Minute)
		}
		paid[id], statuses[id] = at, db.OrderStatuses[i%len(db.OrderStatuses)]
	}
	sellOrders(t, s.store, paid, statuses)
	link := regexp.MustCompile(`<a href="(/orders\?[^"]+)" data-testid="status-part-([a-z]+)">.*?data-testid="status-count-[a-z]+">(\d+)<`)
	for _, days := range insightPeriods {
		a := b.do(http.MethodGet, "/?days="+strconv.Itoa(days), nil, "HX-Request", "true")
		parts := link.FindAllStringSubmatch(a.body, -1)
		if len(parts) != len(insightStatuses) {
			t.Fatalf("%d days: %d status links, want %d\n%s", days, len(parts), len(insightStatuses), a.body)
		}
		total := 0
		for _, m := range parts {
			href, status, n := html.UnescapeString(m[1]), m[2], m[3]
			total += atoi(t, n)
			list := b.get(href)
			wantStatus(t, list, http.StatusOK)
			found := false
			for _, tab := range tabCount.FindAllStringSubmatch(list.body, -1) {
				if tab[1] == status {
					found = true
					if tab[2] != n {
						t.Errorf("%d days, %s: the dashboard says %s, %s says %s", days, status, n, href, tab[2])
					}
				}
			}
			if !found {
				t.Errorf("%s: no %s tab", href, status)
			}
		}
		if total == 0 {
			t.Errorf("%d days: no orders counted at all", days)
		}
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkDashboard100k times the whole dashboard, and the sales section htmx asks for, over 90 days of a shop
// with 100 000 orders spread over a year, each with 1.5 KB of raw JSON and one to three lines.
func BenchmarkDashboard100k(b *testing.B) {
	ctx := context.Background()
	store, err := db.OpenDir(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	start := time.Now().Add(-365 * 24 * time.Hour).Unix()
	for _, q := range []string{
		`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 100000)
		 INSERT INTO orders (source, order_id, status, source_status, total_fen, created_at, paid_at, raw, synced_at)
		 SELECT 'shop', 'o' || i, CASE i % 10 WHEN 0 THEN 'topay' WHEN 1 THEN 'toship' WHEN 2 THEN 'partial'
		   WHEN 3 THEN 'shipped' WHEN 4 THEN 'aftersale' WHEN 5 THEN 'cancelled' ELSE 'done' END,
		   20, 1000 + (i * 7919) % 100000, ` + strconv.FormatInt(start, 10) + ` + i * 315, 0, printf('%.1500c', 'x'), 0 FROM seq`,
		`UPDATE orders SET paid_at = created_at + 60 WHERE status <> 'topay'`,
		`WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 2)
		 INSERT INTO order_lines (order_pk, line_no, product_id, title, quantity, unit_fen, total_fen)
		 SELECT o.id, k.j, 'p' || ((o.id * 7 + k.j * 13) % 200), '商品', 1 + o.id % 3, 1000, 1000 * (1 + o.id % 3)
		 FROM orders o JOIN k ON k.j <= o.id % 3`,
	} {
		if _, err := store.DB.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	sb := sandbox.New(sandbox.Options{Seed: 7})
	wxServer := httptest.NewServer(sb)
	b.Cleanup(wxServer.Close)
	if _, err := EnsureAdmin(ctx, store, testAdminPassword); err != nil {
		b.Fatal(err)
	}
	a, err := New(Config{DataDir: b.TempDir(), APIBase: wxServer.URL, AppID: sb.AppID(), Secret: sb.Secret(), Sandbox: true},
		store, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.Close)
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.PostForm(srv.URL+"/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	get := func(b *testing.B, htmx bool) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?days=90", nil)
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-days="90"`) {
			b.Fatalf("status %d\n%.500s", resp.StatusCode, body)
		}
	}
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			get(b, false)
		}
	})
	b.Run("fragment", func(b *testing.B) {
		for b.Loop() {
			get(b, true)
		}
	})
}
