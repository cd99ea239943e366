package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

func (a *App) showDashboard(c *gin.Context) {
	ctx := c.Request.Context()
	days := insightDays(c)
	// Both the section and the page show today's figures, and the page whether the access token has expired.
	keepPageUntil(c, startOfDay(time.Now()).AddDate(0, 0, 1))
	if wantsInsightsFragment(c) {
		a.showInsights(c, days)
		return
	}
	all, onSale, _, err := a.store.ProductCounts(ctx)
	if err != nil {
		a.serverError(c, err)
		return
	}
	threshold := a.lowStockThreshold(c)
	low, err := a.store.LowStockSKUs(ctx, threshold)
	if err != nil {
		a.serverError(c, err)
		return
	}
	p := a.printer(c)
	tokenState, tokenUntil := a.tokenStateUntil(ctx)
	keepPageUntil(c, tokenUntil)
	d := templates.Dashboard{
		ShopName:   a.shopName(ctx),
		AppID:      a.cfg.AppID,
		Kind:       a.catalogKind(ctx),
		TokenState: tokenState,
		Products:   all, OnSale: onSale, LowStock: low, Threshold: threshold,
		CanWrite: canWrite(Role(currentUser(c).Role)), Sandbox: a.cfg.Sandbox,
	}
	if d.AftersalesWaiting, d.AftersalesSoonest, d.AftersalesLeft, err = a.aftersalesWaiting(c); err != nil {
		a.serverError(c, err)
		return
	}
	counts, err := a.store.OrderCounts(ctx, db.OrderFilter{})
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, st := range []string{db.OrderToShip, db.OrderPartial, db.OrderShipped, db.OrderAfterSale, db.OrderToPay} {
		d.Counts = append(d.Counts, templates.StatusTab{Status: st, Count: counts[st], URL: "/orders?status=" + st})
	}
	today := startOfDay(time.Now())
	n, total, err := a.store.PaidBetween(ctx, today, today.AddDate(0, 0, 1))
	if err != nil {
		a.serverError(c, err)
		return
	}
	d.TodayPaid, d.TodayTotal = n, money.Yuan(total)
	queue, waiting, err := a.store.Orders(ctx, db.OrderFilter{Status: db.OrderToShip, Oldest: true, Limit: dashboardQueue, Brief: true})
	if err != nil {
		a.serverError(c, err)
		return
	}
	for _, o := range queue {
		d.Queue = append(d.Queue, a.orderRow(o))
	}
	d.QueueMore = waiting - len(queue)
	if d.Sources, err = a.sourceStates(ctx, p); err != nil {
		a.serverError(c, err)
		return
	}
	var figuresUntil time.Time
	if d.Insights, figuresUntil, err = a.insights(ctx, p, days, time.Now()); err != nil {
		a.serverError(c, err)
		return
	}
	keepPageUntil(c, figuresUntil)
	a.render(c, http.StatusOK, templates.DashboardPage(a.page(c, "title.dashboard", "dashboard"), d))
}

const dashboardQueue = 20

// startOfDay is midnight in Beijing on t's day there.
func startOfDay(t time.Time) time.Time {
	t = t.In(shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, shanghai)
}

// shopName is the name WeChat last told us; pages never wait on WeChat for it. Every page shows it, so a store
// that cannot say it costs the page the name only, and the log says why.
func (a *App) shopName(ctx context.Context) string {
	name, err := a.store.Setting(ctx, settingShopName)
	if err != nil && !errors.Is(err, db.ErrNoRecord) {
		a.log.Error("could not read the shop's name", "err", err)
	}
	return name
}

// tokenState says whether the shared access token is there and still good, as a catalog key.
func (a *App) tokenState(ctx context.Context) string {
	state, _ := a.tokenStateUntil(ctx)
	return state
}

// tokenStateUntil is tokenState, and until when it holds: a valid token expires.
func (a *App) tokenStateUntil(ctx context.Context) (string, time.Time) {
	tok, err := a.store.AccessToken(ctx, a.cfg.AppID)
	if err != nil && !errors.Is(err, db.ErrNoRecord) {
		a.log.Error("could not read the access token's state", "err", err)
	}
	switch {
	case err != nil || tok.Value == "":
		return "token.none", time.Time{}
	case time.Now().After(tok.ExpiresAt):
		return "token.expired", time.Time{}
	}
	return "token.valid", tok.ExpiresAt.Add(time.Second)
}

// sourceStates says how each order source is syncing, and why a source is unavailable.
func (a *App) sourceStates(ctx context.Context, p i18n.Printer) ([]templates.SourceState, error) {
	states, err := a.store.OrderSourceStates(ctx)
	if err != nil {
		return nil, err
	}
	var out []templates.SourceState
	for _, st := range states {
		s := templates.SourceState{Source: st.Source, Unavailable: st.Unavailable}
		if !st.SyncedAt.IsZero() {
			s.SyncedAt = templates.FormatTime(st.SyncedAt)
		}
		if st.Unavailable {
			s.Error = shop.ExplainCode(p, st.ErrCode, st.ErrMsg)
		}
		out = append(out, s)
	}
	return out, nil
}
