package app

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const auditPerPage = 50

// journalKey holds, in a request's context, the pending audit entry journal wrote for it.
const journalKey = "wxshop.journal"

type journalEntry struct {
	id   int64
	used bool
}

// journal writes a pending audit entry ("POST /orders/12/ship" by whom, when) before a state-changing
// request runs; the handler's first audit call turns it into the real entry, and a request that audited
// nothing (refused input) drops it. So a process killed in the middle of a write leaves the log saying what
// was under way, and everything committed has its entry. A write that cannot be journalled is refused.
func (a *App) journal(c *gin.Context) {
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	user := currentUser(c)
	id, err := a.store.BeginAudit(c.Request.Context(), db.AuditEntry{UserID: user.ID, Username: user.Username,
		Action: "request", ObjectType: "request", ObjectID: c.Request.Method + " " + c.Request.URL.Path})
	if err != nil {
		a.serverError(c, err)
		c.Abort()
		return
	}
	j := &journalEntry{id: id}
	c.Set(journalKey, j)
	c.Next()
	if !j.used {
		if err := a.store.DropAudit(context.WithoutCancel(c.Request.Context()), id); err != nil {
			a.log.Error("could not drop an unused audit entry", "err", err, "id", id)
		}
	}
}

// journal is the record of the shop's actions for this request: each entry is written by audit, as the
// signed-in user's.
func (a *App) journalOf(c *gin.Context) shop.Journal {
	user := currentUser(c)
	return func(e db.AuditEntry) { a.audit(c, user, e) }
}

// audit records what user did. The write has already happened, so a failure to record it is logged loudly
// rather than shown as a failure of the write itself. The request's pending entry, if any, becomes this one.
func (a *App) audit(c *gin.Context, user db.User, e db.AuditEntry) {
	e.UserID = user.ID
	e.Username = user.Username
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	ctx := context.WithoutCancel(c.Request.Context()) // the write happened: record it even if the client left
	var err error
	if v, ok := c.Get(journalKey); ok && !v.(*journalEntry).used {
		j := v.(*journalEntry)
		j.used = true
		err = a.store.FinishAudit(ctx, j.id, e)
	} else {
		err = a.store.AddAudit(ctx, e)
	}
	if err != nil {
		a.log.Error("AUDIT ENTRY LOST", "err", err, "action", e.Action, "user", e.Username, "object", e.ObjectID)
	}
}

func (a *App) showAuditLog(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	q := c.Request.URL.Query()
	f := db.AuditFilter{Username: q.Get("user"), Action: q.Get("action"), Outcome: q.Get("outcome"), Query: strings.TrimSpace(q.Get("q"))}
	if f.Outcome != db.AuditOK && f.Outcome != db.AuditFailed && f.Outcome != db.AuditPending {
		f.Outcome = ""
	}
	page := pageNumber(c)
	entries, total, err := a.store.AuditSearch(ctx, f, auditPerPage, (page-1)*auditPerPage)
	if err == nil && len(entries) == 0 && total > 0 {
		// Past the end (an old bookmark): show the last page rather than an empty log.
		page = (total + auditPerPage - 1) / auditPerPage
		entries, total, err = a.store.AuditSearch(ctx, f, auditPerPage, (page-1)*auditPerPage)
	}
	var names []string
	if err == nil {
		names, err = a.store.AuditUsernames(ctx)
	}
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.AuditFilters{User: f.Username, Action: f.Action, Outcome: f.Outcome, Query: f.Query,
		Outcomes: []templates.Choice{{Value: db.AuditOK, Label: p.T("audit.ok")}, {Value: db.AuditFailed, Label: p.T("audit.outcome.failed")},
			{Value: db.AuditPending, Label: p.T("audit.pending.short")}}}
	for _, n := range names {
		v.Users = append(v.Users, templates.Choice{Value: n, Label: n})
	}
	for _, key := range i18n.Keys("action.") { // in key order: each area's actions together
		v.Actions = append(v.Actions, templates.Choice{Value: strings.TrimPrefix(key, "action."), Label: p.T(key)})
	}
	rows := make([]templates.AuditRow, len(entries))
	for i, e := range entries {
		action := e.Action
		if key := "action." + e.Action; i18n.Has(key) {
			action = p.T(key)
		}
		outcome := auditOutcome(p, e.Outcome)
		object := e.ObjectType
		if key := "object." + e.ObjectType; i18n.Has(key) {
			object = p.T(key)
		}
		if e.ObjectID != "" {
			object += " " + e.ObjectID
		}
		rows[i] = templates.AuditRow{
			At: templates.FormatTime(e.At), Username: e.Username, Action: action,
			Object: object, Detail: auditDetail(p, e), Outcome: outcome, OK: e.Outcome == db.AuditOK,
		}
	}
	pager := templates.Pager{Page: page, PerPage: auditPerPage, Total: total, Base: *c.Request.URL}
	a.render(c, http.StatusOK, templates.AuditPage(a.page(c, "title.audit", "audit"), v, rows, pager))
}

// auditDetail shows an entry's detail in the reader's language where the app wrote it in a fixed form (counts,
// roles, settings); any other detail (names, tracking numbers, what WeChat said) is shown as written.
func auditDetail(p i18n.Printer, e db.AuditEntry) string {
	d := e.Detail
	var a, b int
	var x, y, u, v string
	switch e.Action {
	case "order.sync":
		if n, _ := fmt.Sscanf(d, "%d orders, %d calls", &a, &b); n == 2 {
			return p.T("audit.d.orders", a, b)
		}
	case "product.sync":
		if n, _ := fmt.Sscanf(d, "%d products", &a); n == 1 {
			return p.T("audit.d.products", a)
		}
	case "group.sync", "postage.sync", "shelf.sync":
		if n, err := strconv.Atoi(d); err == nil {
			return p.T("audit.d.synced", n)
		}
	case "category.refresh":
		if n, _ := fmt.Sscanf(d, "%d branches", &a); n == 1 {
			return p.T("audit.d.branches", a)
		}
	case "group.create":
		if i := strings.LastIndex(d, ", "); i >= 0 {
			if n, _ := fmt.Sscanf(d[i+2:], "%d products", &a); n == 1 {
				return p.T("audit.d.group", d[:i], a)
			}
		}
	case "auth.login":
		if ip, ok := strings.CutPrefix(d, "ip "); ok {
			return p.T("audit.d.ip", ip)
		}
	case "user.create":
		if role, ok := strings.CutPrefix(d, "role "); ok && ValidRole(role) {
			return p.T("audit.d.role", p.T("role."+role))
		}
	case "user.update":
		if n, _ := fmt.Sscanf(d, "role %s -> %s disabled %s -> %s", &x, &y, &u, &v); n == 4 {
			x, u = strings.TrimSuffix(x, ","), strings.TrimSuffix(u, ",")
			y = strings.TrimSuffix(y, ",")
			if ValidRole(x) && ValidRole(y) {
				return p.T("audit.d.user", p.T("role."+x), p.T("role."+y), userStatus(p, u), userStatus(p, v))
			}
		}
	case "settings.update":
		if i := strings.Index(d, ", images <= "); i >= 0 {
			if n, _ := fmt.Sscanf(d[:i], "low stock <= %d", &a); n == 1 {
				return p.T("audit.d.settings", a, d[i+len(", images <= "):])
			}
		}
	}
	return d
}

// userStatus names a user's state from the "disabled" flag as the audit detail wrote it.
func userStatus(p i18n.Printer, disabled string) string {
	if disabled == "true" {
		return p.T("users.disabled")
	}
	return p.T("users.active")
}

// auditOutcome shows how an entry ended: done, unknown, or WeChat's error with what it means in the reader's
// language (wxOutcome wrote its code and WeChat's own words); any other failure as written.
func auditOutcome(p i18n.Printer, outcome string) string {
	switch outcome {
	case db.AuditOK:
		return p.T("audit.ok")
	case db.AuditPending:
		return p.T("audit.pending")
	}
	var code int
	if n, _ := fmt.Sscanf(outcome, "errcode %d:", &code); n == 1 {
		_, msg, _ := strings.Cut(outcome, ": ")
		return shop.ExplainCode(p, code, msg)
	}
	return outcome
}
