package app

import (
	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
)

// refreshCouriers asks WeChat for the Channels courier list again (POST /couriers/refresh, from the shipping
// form). On failure the list kept before stays, and the flash says why with WeChat's code and meaning.
func (a *App) refreshCouriers(c *gin.Context) {
	p := a.printer(c)
	err := a.shop.RefreshCouriers(c.Request.Context())
	a.audit(c, currentUser(c), db.AuditEntry{Action: "couriers.refresh", ObjectType: "couriers", ObjectID: db.SourceChannels,
		Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("couriers.refresh.failed", wxMessage(p, err)))
	} else {
		a.flash(c, "ok", p.T("couriers.refreshed", len(a.shop.Couriers(db.SourceChannels))))
	}
	a.redirect(c, localPathOr(c.PostForm("back"), "/orders"))
}
