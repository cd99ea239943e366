package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/web/templates"
)

func (a *App) showSettings(c *gin.Context) {
	a.renderSettings(c, http.StatusOK, templates.ShopSettingsForm{
		LowStock:     strconv.FormatInt(a.lowStockThreshold(c), 10),
		ImageMaxSize: strconv.FormatFloat(float64(a.imageMaxSize(c))/(1<<20), 'f', -1, 64),
	})
}

func (a *App) renderSettings(c *gin.Context, status int, shop templates.ShopSettingsForm) {
	ctx := c.Request.Context()
	tok, err := a.store.AccessToken(ctx, a.cfg.AppID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	sources, err := a.sourceStates(ctx, a.printer(c))
	if err != nil {
		a.serverError(c, err)
		return
	}
	a.render(c, status, templates.SettingsPage(a.page(c, "title.settings", "settings"), templates.SettingsView{
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
		Kind:           a.catalogKind(ctx),
		KindSource:     a.shop.KindSource(ctx),
		KindChoice:     a.shop.KindChoice(ctx),
		Shop:           shop,
		Sources:        sources,
	}))
}

// saveSettings stores the shop settings an admin may change.
func (a *App) saveSettings(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	form := templates.ShopSettingsForm{
		LowStock:     strings.TrimSpace(c.PostForm("low_stock")),
		ImageMaxSize: strings.TrimSpace(c.PostForm("image_max")),
		Errors:       templates.FieldErrors{},
	}
	low, err := strconv.ParseInt(form.LowStock, 10, 64)
	if err != nil || low < 0 || low > 1_000_000 {
		form.Errors["low_stock"] = p.T("settings.err.lowstock")
	}
	mb, err := strconv.ParseFloat(form.ImageMaxSize, 64)
	if err != nil || mb < 0.1 || mb > 10 {
		form.Errors["image_max"] = p.T("settings.err.imagemax")
	}
	if len(form.Errors) > 0 {
		a.renderSettings(c, http.StatusUnprocessableEntity, form)
		return
	}
	maxBytes := int64(mb * (1 << 20))
	for key, value := range map[string]string{settingLowStockThreshold: strconv.FormatInt(low, 10), settingImageMaxSize: strconv.FormatInt(maxBytes, 10)} {
		if err := a.store.SetSetting(ctx, key, value); err != nil {
			a.serverError(c, err)
			return
		}
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "settings.update", ObjectType: "settings", ObjectID: "shop",
		Detail: fmt.Sprintf("low stock <= %d, images <= %s", low, formatBytes(maxBytes))})
	a.flash(c, "ok", p.T("common.saved"))
	a.redirect(c, "/settings")
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
	name, err := a.shop.RefreshShopInfo(c.Request.Context())
	if kind, kerr := a.detectCatalogKind(c.Request.Context()); kerr != nil {
		a.log.Warn("could not tell which catalog API the account has", "err", kerr)
	} else if catalogUnavailableErr(err) && kind == kindMerchant {
		// A V1.13 shop has no basics/info/get: its connection is good when its catalog answers.
		name, err = a.shopName(c.Request.Context()), nil
	}
	a.audit(c, currentUser(c), db.AuditEntry{Action: "settings.check", ObjectType: "appid", ObjectID: a.cfg.AppID, Outcome: wxOutcome(err)})
	if err != nil {
		a.log.Warn("connection check failed", "err", err)
		a.flash(c, "error", p.T("settings.check.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("settings.check.ok", name))
	}
	a.redirect(c, "/settings")
}
