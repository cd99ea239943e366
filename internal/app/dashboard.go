package app

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/wx"
	"wxshop/web/templates"
)

func (a *App) showDashboard(c *gin.Context) {
	ctx := c.Request.Context()
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
	a.render(c, http.StatusOK, templates.DashboardPage(a.page(c, "title.dashboard", "dashboard"), templates.Dashboard{
		ShopName:   a.shopName(ctx),
		AppID:      a.cfg.AppID,
		TokenState: a.tokenState(ctx),
		Products:   all, OnSale: onSale, LowStock: low, Threshold: threshold,
	}))
}

// showPendingArea is the page of an area of the shop that is not built yet.
func (a *App) showPendingArea(area string) gin.HandlerFunc {
	return func(c *gin.Context) {
		a.render(c, http.StatusOK, templates.AreaPage(a.page(c, "nav."+area, area), area))
	}
}

// shopName is the name WeChat last told us; pages never wait on WeChat for it.
func (a *App) shopName(ctx context.Context) string {
	name, _ := a.store.Setting(ctx, settingShopName)
	return name
}

// refreshShopInfo asks WeChat for the shop's details and remembers its name.
func (a *App) refreshShopInfo(ctx context.Context) (*wx.ShopInfo, error) {
	info, err := a.wx.ShopInfo(ctx)
	if err != nil {
		return nil, err
	}
	if info.Nickname != "" {
		if err := a.store.SetSetting(ctx, settingShopName, info.Nickname); err != nil {
			return nil, err
		}
	}
	return info, nil
}

// tokenState says whether the shared access token is there and still good, as a catalog key.
func (a *App) tokenState(ctx context.Context) string {
	tok, err := a.store.AccessToken(ctx, a.cfg.AppID)
	switch {
	case err != nil || tok.Value == "":
		return "token.none"
	case time.Now().After(tok.ExpiresAt):
		return "token.expired"
	}
	return "token.valid"
}
