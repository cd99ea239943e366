package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/web/templates"
)

func (a *App) showSettings(c *gin.Context) {
	ctx := c.Request.Context()
	tok, err := a.store.AccessToken(ctx, a.cfg.AppID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	a.render(c, http.StatusOK, templates.SettingsPage(a.page(c, "title.settings", "settings"), templates.SettingsView{
		Sandbox:        a.cfg.Sandbox,
		AppID:          a.cfg.AppID,
		APIBase:        a.cfg.APIBase,
		CallbackURL:    a.callbackURL(c),
		CallbackToken:  a.cfg.CallbackToken != "",
		EncodingAESKey: a.cfg.EncodingAESKey != "",
		TokenState:     a.tokenState(ctx),
		TokenExpires:   templates.FormatTime(tok.ExpiresAt),
		TokenFetched:   templates.FormatTime(tok.FetchedAt),
		ShopName:       a.shopName(ctx),
	}))
}

// callbackURL is the address to give WeChat for pushes: PUBLIC_URL when set, else the address this page was
// reached at.
func (a *App) callbackURL(c *gin.Context) string {
	base := a.cfg.PublicURL
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	return base + "/wx/callback"
}

// checkConnection fetches a token and the shop's details, and says plainly whether WeChat answered.
func (a *App) checkConnection(c *gin.Context) {
	p := a.printer(c)
	info, err := a.refreshShopInfo(c.Request.Context())
	a.audit(c, currentUser(c), db.AuditEntry{Action: "settings.check", ObjectType: "appid", ObjectID: a.cfg.AppID, Outcome: wxOutcome(err)})
	if err != nil {
		a.log.Warn("connection check failed", "err", err)
		a.flash(c, "error", p.T("settings.check.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("settings.check.ok", info.Nickname))
	}
	a.redirect(c, "/settings")
}
