package e2e

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// TestDashboardInsightsPeriods is an operator looking at how the shop sells: the dashboard opens on the last 30
// days, the period switch redraws the charts through htmx without reloading the page, and every figure agrees
// with the order list: the paid orders and revenue with the orders export, each part of the status bar with the
// list it links to.
func TestDashboardInsightsPeriods(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	var cspErrors []string
	page.OnConsole(func(m playwright.ConsoleMessage) {
		if strings.Contains(m.Text(), "Content Security Policy") {
			cspErrors = append(cspErrors, m.Text())
		}
	})
	signIn(t, page, s.URL, "admin", AdminPassword)

	insights := testID(page, "insights")
	must(t, expect.Locator(insights).ToHaveAttribute("data-days", "30"))
	must(t, expect.Locator(testID(page, "period-30")).ToHaveAttribute("aria-current", "page"))
	must(t, expect.Locator(page.Locator("[data-testid=chart-revenue] g.col")).ToHaveCount(30))
	must(t, expect.Locator(page.Locator("[data-testid=chart-orders] g.col")).ToHaveCount(30))
	checkPaidTotals(t, page, s.URL)

	// A marker on the window survives an htmx swap and dies with a page load.
	_, err := page.Evaluate(`() => { window.__noReload = true }`)
	must(t, err)
	must(t, testID(page, "period-7").Click())
	must(t, expect.Locator(insights).ToHaveAttribute("data-days", "7"))
	must(t, expect.Locator(testID(page, "period-7")).ToHaveAttribute("aria-current", "page"))
	must(t, expect.Locator(page.Locator("[data-testid=chart-revenue] g.col")).ToHaveCount(7))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/\?days=7$`))) // pushed, so the view can be bookmarked
	if still, err := page.Evaluate(`() => window.__noReload === true`); err != nil || still != true {
		t.Fatalf("switching the period reloaded the page (%v, %v)", still, err)
	}
	checkPaidTotals(t, page, s.URL)

	// Each bar says what it stands for on hover: the last is today.
	from, to := periodDays(t, page)
	title, err := page.Locator("[data-testid=chart-revenue] g.col").Last().Locator("title").TextContent()
	must(t, err)
	if !strings.HasPrefix(title, to+" · 成交额 ¥") {
		t.Errorf("today's bar says %q", title)
	}

	// The status bar: each part is a link to the order list for the same status and dates, showing the same number.
	for _, status := range []string{"toship", "partial", "shipped", "aftersale", "cancelled"} {
		n, err := testID(page, "status-count-"+status).TextContent()
		must(t, err)
		navigateBy(t, page, clicker(testID(page, "status-part-"+status)))
		u, _ := url.Parse(page.URL())
		if q := u.Query(); q.Get("status") != status || q.Get("from") != from || q.Get("to") != to {
			t.Errorf("the %s part links to %s, want the period %s to %s", status, page.URL(), from, to)
		}
		must(t, expect.Locator(testID(page, "tab-"+status)).ToContainText("("+n+")"))
		must(t, expect.Locator(testID(page, "tab-"+status)).ToHaveClass(regexp.MustCompile(`\bactive\b`)))
		_, err = page.GoBack()
		must(t, err)
		must(t, expect.Locator(insights).ToHaveAttribute("data-days", "7"))
	}

	// 90 days: more bars, totals still those of the export; the top products table is there with units.
	must(t, testID(page, "period-90").Click())
	must(t, expect.Locator(insights).ToHaveAttribute("data-days", "90"))
	must(t, expect.Locator(page.Locator("[data-testid=chart-orders] g.col")).ToHaveCount(90))
	checkPaidTotals(t, page, s.URL)
	rows := page.Locator("[data-testid=top-products] tbody tr")
	if n, _ := rows.Count(); n < 1 || n > 10 {
		t.Errorf("%d top products, want 1 to 10", n)
	}
	// A reload of the pushed URL is the whole dashboard on the same period.
	_, err = page.Reload()
	must(t, err)
	must(t, expect.Locator(insights).ToHaveAttribute("data-days", "90"))
	must(t, expect.Locator(testID(page, "ship-queue")).ToBeVisible())

	if len(cspErrors) > 0 {
		t.Errorf("the browser blocked content: %v", cspErrors)
	}
}

// TestDashboardInsightsWithoutJavaScript: the period switch is a plain link when there is no script.
func TestDashboardInsightsWithoutJavaScript(t *testing.T) {
	s := StartServer(t)
	bctx, err := browser.NewContext(playwright.BrowserNewContextOptions{Locale: playwright.String("zh-CN"),
		JavaScriptEnabled: playwright.Bool(false)})
	must(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			saveScreenshot(t, bctx)
		}
		bctx.Close()
	})
	bctx.SetDefaultTimeout(10000)
	page, err := bctx.NewPage()
	must(t, err)
	signIn(t, page, s.URL, "admin", AdminPassword)
	must(t, expect.Locator(testID(page, "insights")).ToHaveAttribute("data-days", "30"))
	must(t, testID(page, "period-7").Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/\?days=7$`)))
	must(t, expect.Locator(testID(page, "insights")).ToHaveAttribute("data-days", "7"))
	must(t, expect.Locator(page.Locator("[data-testid=chart-revenue] g.col")).ToHaveCount(7))
	must(t, expect.Locator(testID(page, "ship-queue")).ToBeVisible())
}

// periodDays reads the period's first and last day from the status bar's links.
func periodDays(t *testing.T, page playwright.Page) (from, to string) {
	t.Helper()
	href, err := testID(page, "status-part-toship").GetAttribute("href")
	must(t, err)
	u, err := url.Parse(href)
	must(t, err)
	from, to = u.Query().Get("from"), u.Query().Get("to")
	if from == "" || to == "" {
		t.Fatalf("no period in %q", href)
	}
	return from, to
}

// checkPaidTotals compares the section's paid orders and revenue with the order list's export: the orders paid
// on a day of the period (Beijing time, as the export shows), cancelled ones left out.
func checkPaidTotals(t *testing.T, page playwright.Page, base string) {
	t.Helper()
	from, to := periodDays(t, page)
	resp, err := page.Request().Get(base + "/orders.csv")
	must(t, err)
	body, err := resp.Body()
	must(t, err)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("the export: %d records, %v", len(records), err)
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	paidCol, statusCol, totalCol := col["付款时间"], col["状态"], col["实付金额"]
	if paidCol == 0 || statusCol == 0 || totalCol == 0 {
		t.Fatalf("the export's columns: %v", records[0])
	}
	n, fen := 0, int64(0)
	for _, r := range records[1:] {
		day, _, _ := strings.Cut(r[paidCol], " ")
		if r[statusCol] == "已取消" || day < from || day > to || r[paidCol] == "—" {
			continue
		}
		n++
		fen += parseFen(t, r[totalCol])
	}
	if n == 0 {
		t.Fatalf("no paid orders from %s to %s in the export: the demo data should have some", from, to)
	}
	must(t, expect.Locator(testID(page, "period-paid")).ToHaveText(strconv.Itoa(n)))
	must(t, expect.Locator(testID(page, "period-revenue")).ToHaveText(yuan(fen)))
}

func parseFen(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, _ := strings.Cut(s, ".")
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt((frac + "00")[:2], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q", s)
	}
	return w*100 + f
}

// yuan writes fen as the dashboard does: ¥1,234.56.
func yuan(fen int64) string {
	whole := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "¥" + b.String() + "." + strconv.FormatInt(fen%100/10, 10) + strconv.FormatInt(fen%10, 10)
}
