package app

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
)

// Which catalog API the account has. A 微信小店 (WeChat Store) keeps its catalog under /channels/ec/*; a shop of
// the V1.13 merchant API under /merchant/*, which WeChat has retired. The app finds out by asking (a 微信小店
// answers basics/info/get and product/list/get; the other kind answers those with 48001, and its V1.13 calls
// work), keeps the answer, and an admin may set the kind explicitly on the settings page.

const (
	kindStore    = "store"
	kindMerchant = "merchant"
	kindAuto     = "auto"

	settingKindDetected = "catalog_kind_detected" // store, merchant, or "" when neither answered
	settingKindChosen   = "catalog_kind_chosen"   // auto (or absent), store, merchant: the admin's choice
)

// catalogUnavailable are the answers of an account that does not have a catalog API: the order sync's
// (48001 api unauthorized, 40066 no such interface, 48004 banned) and the "interface retired" the project has
// seen from retired V1.13 calls.
var catalogUnavailable = append([]int{wx.CodeInterfaceRetired}, shop.UnavailableCodes...)

// catalogUnavailableErr reports whether err is WeChat saying the account has no such catalog API.
func catalogUnavailableErr(err error) bool { return wx.IsCode(err, catalogUnavailable...) }

// catalogKind is the kind the pages follow: the admin's choice, else what was detected, else merchant (the
// pages the app had before it knew of the 微信小店).
func (a *App) catalogKind(ctx context.Context) string {
	if chosen, _ := a.store.Setting(ctx, settingKindChosen); chosen == kindStore || chosen == kindMerchant {
		return chosen
	}
	if detected, _ := a.store.Setting(ctx, settingKindDetected); detected == kindStore || detected == kindMerchant {
		return detected
	}
	return kindMerchant
}

// isStore says whether the pages are those of a 微信小店.
func (a *App) isStore(ctx context.Context) bool { return a.catalogKind(ctx) == kindStore }

// detectCatalogKind asks WeChat which catalog the account has and remembers the answer. A failure that says
// nothing about the account (network, -1) leaves what was known.
func (a *App) detectCatalogKind(ctx context.Context) (string, error) {
	kind, err := a.probeCatalogKind(ctx)
	if err != nil {
		return "", err
	}
	if err := a.store.SetSetting(ctx, settingKindDetected, kind); err != nil {
		return "", err
	}
	return kind, nil
}

func (a *App) probeCatalogKind(ctx context.Context) (string, error) {
	_, infoErr := a.wx.ShopInfo(ctx)
	switch {
	case infoErr == nil:
		// A 微信小店 shop; its catalog calls need the product permission set too.
		_, err := a.wx.StoreProductIDs(ctx, 0, 1, "")
		if err == nil {
			return kindStore, nil
		}
		if !wx.IsCode(err, catalogUnavailable...) {
			return "", err
		}
	case !wx.IsCode(infoErr, catalogUnavailable...):
		return "", infoErr
	}
	_, err := a.wx.ProductsByStatus(ctx, 0)
	switch {
	case err == nil:
		return kindMerchant, nil
	case wx.IsCode(err, catalogUnavailable...):
		return "", nil // neither catalog answers
	}
	return "", err
}

// kindSource says where catalogKind came from, as a catalog key.
func (a *App) kindSource(ctx context.Context) string {
	if chosen, _ := a.store.Setting(ctx, settingKindChosen); chosen == kindStore || chosen == kindMerchant {
		return "kind.source.chosen"
	}
	if detected, _ := a.store.Setting(ctx, settingKindDetected); detected != "" {
		return "kind.source.detected"
	}
	return "kind.source.unknown"
}

// saveCatalogKind is the admin's choice of kind (auto, store, merchant); auto detects again at once.
func (a *App) saveCatalogKind(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	choice := c.PostForm("kind")
	if choice != kindAuto && choice != kindStore && choice != kindMerchant {
		a.flash(c, "error", p.T("kind.err.choice"))
		a.redirect(c, "/settings")
		return
	}
	if err := a.store.SetSetting(ctx, settingKindChosen, choice); err != nil {
		a.serverError(c, err)
		return
	}
	entry := db.AuditEntry{Action: "settings.kind", ObjectType: "settings", ObjectID: "catalog_kind", Detail: "kind " + choice}
	if choice == kindAuto {
		_, err := a.detectCatalogKind(ctx)
		entry.Outcome = wxOutcome(err)
		if err != nil {
			a.audit(c, currentUser(c), entry)
			a.flash(c, "error", p.T("kind.detect.failed", wxMessage(p, err)))
			a.redirect(c, "/settings")
			return
		}
	}
	a.audit(c, currentUser(c), entry)
	a.flash(c, "ok", p.T("kind.saved", p.T("kind."+a.catalogKind(ctx))))
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

// kindChoice is the admin's choice as the settings form shows it.
func (a *App) kindChoice(ctx context.Context) string {
	if chosen, _ := a.store.Setting(ctx, settingKindChosen); chosen == kindStore || chosen == kindMerchant {
		return chosen
	}
	return kindAuto
}

// storeMirrors are the mirrors a 微信小店 fills on its first start.
func (a *App) storeMirrors() []shop.MirrorSync {
	return []shop.MirrorSync{{Setting: settingStoreProductsSyncedAt, Sync: a.syncStoreProducts}}
}
