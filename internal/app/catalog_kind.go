package app

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/shop"
)

// Which catalog API the account has (internal/shop/catalog_kind.go finds out and keeps it): the pages of a
// 微信小店 or of the V1.13 merchant API. An admin may set the kind explicitly on the settings page.

const (
	kindStore    = shop.KindStore
	kindMerchant = shop.KindMerchant
	kindAuto     = shop.KindAuto
)

// catalogUnavailableErr reports whether err is WeChat saying the account has no such catalog API.
func catalogUnavailableErr(err error) bool { return shop.CatalogUnavailable(err) }

// catalogKind is the kind the pages follow.
func (a *App) catalogKind(ctx context.Context) string { return a.shop.CatalogKind(ctx) }

// isStore says whether the pages are those of a 微信小店.
func (a *App) isStore(ctx context.Context) bool { return a.catalogKind(ctx) == kindStore }

// detectCatalogKind asks WeChat which catalog the account has and remembers the answer.
func (a *App) detectCatalogKind(ctx context.Context) (string, error) {
	return a.shop.DetectCatalogKind(ctx)
}

// saveCatalogKind is the admin's choice of kind (auto, store, merchant); auto detects again at once.
func (a *App) saveCatalogKind(c *gin.Context) {
	p := a.printer(c)
	choice := c.PostForm("kind")
	if choice != kindAuto && choice != kindStore && choice != kindMerchant {
		a.flash(c, "error", p.T("kind.err.choice"))
		a.redirect(c, "/settings")
		return
	}
	err := a.shop.SetCatalogKind(c.Request.Context(), a.journalOf(c), choice)
	switch {
	case shop.IsStoreError(err):
		a.serverError(c, err)
		return
	case err != nil:
		a.flash(c, "error", p.T("kind.detect.failed", wxMessage(p, err)))
	default:
		a.flash(c, "ok", p.T("kind.saved", p.T("kind."+a.catalogKind(c.Request.Context()))))
	}
	a.redirect(c, "/settings")
}

// requireKind keeps an area of one kind of shop to that kind: the other kind's shop has no such area.
func (a *App) requireKind(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if a.catalogKind(c.Request.Context()) != kind {
			a.renderError(c, http.StatusNotFound)
			c.Abort()
			return
		}
		c.Next()
	}
}
