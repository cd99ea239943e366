package app

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/web/templates"
)

// The dashboard's sales section: paid orders and revenue per day, the orders of the period by status, and the
// best sellers, for the last 7, 30 or 90 days in Beijing, today included. Its period is in the dashboard's own
// URL (/?days=7), so a view can be bookmarked; htmx asks the same URL for the section alone.

// insightPeriods are the periods offered, in days.
var insightPeriods = []int{7, 30, 90}

const (
	defaultInsightDays = 30
	topProductsShown   = 10
)

// insightStatuses are the statuses the status bar shows, in the order of an order's life.
var insightStatuses = []string{db.OrderToShip, db.OrderPartial, db.OrderShipped, db.OrderAfterSale, db.OrderCancelled}

// insightDays reads ?days=; anything but a period offered is the default.
func insightDays(c *gin.Context) int {
	if n, err := strconv.Atoi(c.Query("days")); err == nil && slices.Contains(insightPeriods, n) {
		return n
	}
	return defaultInsightDays
}

// wantsInsightsFragment tells an htmx request for the sales section from a full page load. htmx restoring its
// history after a cache miss asks with HX-Request too, and needs the whole page.
func wantsInsightsFragment(c *gin.Context) bool {
	return c.GetHeader("HX-Request") == "true" && c.GetHeader("HX-History-Restore-Request") != "true"
}

// showInsights answers htmx's request for the sales section of another period.
func (a *App) showInsights(c *gin.Context, days int) {
	v, until, err := a.insights(c.Request.Context(), a.printer(c), days, time.Now())
	if err != nil {
		a.serverError(c, err)
		return
	}
	keepPageUntil(c, until)
	a.render(c, http.StatusOK, templates.InsightsSection(v))
}

// insights reads the figures of the days days ending on now's day; a page showing them may be kept until
// the time returned, when the figures are read again.
func (a *App) insights(ctx context.Context, p i18n.Printer, days int, now time.Time) (templates.InsightsView, time.Time, error) {
	f, err := a.insightFigures(ctx, days, now)
	if err != nil {
		return templates.InsightsView{}, time.Time{}, err
	}
	return insightsView(p, days, f.sales, f.counts, f.top), f.at.Add(figuresMaxAge), nil
}

// figures are the aggregates behind the sales section.
type figures struct {
	sales  []db.SalesDay
	counts map[string]int
	top    []db.ProductSales
	at     time.Time // when they were read
}

type figuresKey struct {
	days     int
	from     int64 // the period's first midnight: a new day is a new key
	revision int64 // the orders as this process last changed them
}

// figuresMaxAge is how long the sales figures are kept when the orders do not change in this process (for
// changes another process made): the aggregates cost tens of milliseconds on a large shop, and the dashboard is
// the most visited page. One request at a time reads them (versioned.Memo): at 32 views at once, each running
// the same aggregates cost seconds of CPU.
const figuresMaxAge = time.Minute

func (a *App) insightFigures(ctx context.Context, days int, now time.Time) (figures, error) {
	from, to := insightRange(days, now)
	revision := a.store.OrdersRevision()
	if a.store.Dialect() == db.Postgres || db.FreshReads(ctx) {
		// Other servers write orders too: the figures are kept while the shared data version stays the same.
		// A version that cannot be read keeps nothing: a revision no later request asks for.
		v, err := a.requestVersion(ctx)
		if err != nil {
			v = -now.UnixNano()
		}
		revision = v
	}
	key := figuresKey{days: days, from: from.Unix(), revision: revision}
	f, at, err := a.figures.Get(key, now, func() (figures, error) {
		var f figures
		var err error
		if f.sales, err = a.store.DailySales(ctx, from, days); err != nil {
			return f, err
		}
		if f.counts, err = a.store.StatusCounts(ctx, from, to); err != nil {
			return f, err
		}
		f.top, err = a.store.TopProducts(ctx, from, to, topProductsShown)
		return f, err
	})
	f.at = at
	return f, err
}

// insightRange is the period of days days ending on now's day in Beijing: from its first midnight to the
// midnight after today.
func insightRange(days int, now time.Time) (from, to time.Time) {
	today := startOfDay(now)
	return today.AddDate(0, 0, 1-days), today.AddDate(0, 0, 1)
}

// insightsView turns the figures into the section's view.
func insightsView(p i18n.Printer, days int, sales []db.SalesDay, counts map[string]int, top []db.ProductSales) templates.InsightsView {
	v := templates.InsightsView{Days: days}
	for _, n := range insightPeriods {
		v.Periods = append(v.Periods, templates.PeriodLink{Days: n, URL: "/?days=" + strconv.Itoa(n), Active: n == days})
	}
	v.RevenueChart = templates.BarChart{ID: "chart-revenue", Kind: "revenue", Title: p.T("insights.chart.revenue"),
		Format: yuanTick, Unit: 100, Empty: p.T("insights.chart.empty")}
	v.OrdersChart = templates.BarChart{ID: "chart-orders", Kind: "orders", Title: p.T("insights.chart.orders"),
		Empty: p.T("insights.chart.empty")}
	var revenue int64
	for _, d := range sales {
		day := d.Day.In(shanghai)
		date, label := day.Format("2006-01-02"), day.Format("01-02")
		v.RevenueChart.Bars = append(v.RevenueChart.Bars, templates.ChartBar{Label: label, Value: d.Revenue,
			Title: p.T("insights.bar.revenue", date, money.Yuan(d.Revenue), d.Orders)})
		v.OrdersChart.Bars = append(v.OrdersChart.Bars, templates.ChartBar{Label: label, Value: int64(d.Orders),
			Title: p.T("insights.bar.orders", date, d.Orders)})
		v.Paid += d.Orders
		revenue += d.Revenue
	}
	if len(sales) > 0 {
		v.FromDay = sales[0].Day.In(shanghai).Format("2006-01-02")
		v.ToDay = sales[len(sales)-1].Day.In(shanghai).Format("2006-01-02")
	}
	v.Revenue = money.Yuan(revenue)
	if v.Paid > 0 {
		n := int64(v.Paid)
		v.Average = money.Yuan((revenue + n/2) / n)
	}
	for _, st := range insightStatuses {
		q := url.Values{"status": {st}, "from": {v.FromDay}, "to": {v.ToDay}}
		v.Statuses = append(v.Statuses, templates.StatusPart{Status: st, Count: counts[st], URL: "/orders?" + q.Encode()})
	}
	for i, t := range top {
		row := templates.TopProduct{Rank: i + 1, Title: cmp.Or(t.Title, t.ProductID), Source: t.Source, Units: t.Units,
			Revenue: money.Yuan(t.Revenue)}
		if t.Mirrored {
			row.URL = "/products/" + url.PathEscape(t.ProductID)
		}
		v.Top = append(v.Top, row)
	}
	return v
}

// yuanTick labels the revenue axis in whole yuan: ¥1,200.
func yuanTick(fen int64) string {
	return "¥" + strings.TrimSuffix(money.Plain(fen, true), ".00")
}
