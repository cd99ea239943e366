package app

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/web/templates"
)

const auditPerPage = 50

// audit records what user did. The write has already happened, so a failure to record it is logged loudly
// rather than shown as a failure of the write itself.
func (a *App) audit(c *gin.Context, user db.User, e db.AuditEntry) {
	e.UserID = user.ID
	e.Username = user.Username
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	if err := a.store.AddAudit(c.Request.Context(), e); err != nil {
		a.log.Error("AUDIT ENTRY LOST", "err", err, "action", e.Action, "user", e.Username, "object", e.ObjectID)
	}
}

func (a *App) showAuditLog(c *gin.Context) {
	page := pageNumber(c)
	entries, total, err := a.store.AuditPage(c.Request.Context(), auditPerPage, (page-1)*auditPerPage)
	if err == nil && len(entries) == 0 && total > 0 {
		// Past the end (an old bookmark): show the last page rather than an empty log.
		page = (total + auditPerPage - 1) / auditPerPage
		entries, total, err = a.store.AuditPage(c.Request.Context(), auditPerPage, (page-1)*auditPerPage)
	}
	if err != nil {
		a.serverError(c, err)
		return
	}
	p := a.printer(c)
	rows := make([]templates.AuditRow, len(entries))
	for i, e := range entries {
		action := e.Action
		if key := "action." + e.Action; i18n.Has(key) {
			action = p.T(key)
		}
		outcome := e.Outcome
		if outcome == "ok" {
			outcome = p.T("audit.ok")
		}
		object := e.ObjectType
		if key := "object." + e.ObjectType; i18n.Has(key) {
			object = p.T(key)
		}
		if e.ObjectID != "" {
			object += " " + e.ObjectID
		}
		rows[i] = templates.AuditRow{
			At: templates.FormatTime(e.At), Username: e.Username, Action: action,
			Object: object, Detail: e.Detail, Outcome: outcome, OK: e.Outcome == "ok",
		}
	}
	pager := templates.Pager{Page: page, PerPage: auditPerPage, Total: total, Base: *c.Request.URL}
	a.render(c, http.StatusOK, templates.AuditPage(a.page(c, "title.audit", "audit"), rows, pager))
}
