package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/a-h/templ"
	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/pagecache"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const (
	sessionUserID    = "userID"
	sessionPassword  = "passwordMark" // passwordMark of the user's password when the session signed in
	sessionLang      = "lang"
	sessionFlashKind = "flashKind"
	sessionFlashMsg  = "flashMsg"
	settingShopName  = shop.SettingShopName
)

// printer returns the request's language: the session's choice, Chinese by default.
func (a *App) printer(c *gin.Context) i18n.Printer {
	if v, err := c.Cookie(langCookie); err == nil && v != "" {
		return i18n.Printer{Lang: i18n.Parse(v)}
	}
	// Sessions from before the language moved to its cookie.
	return i18n.Printer{Lang: i18n.Parse(a.sessions.GetString(c.Request.Context(), sessionLang))}
}

// langCookie keeps the browser's language: a plain cookie, so a visitor who only picks a language costs no
// session row.
const langCookie = "wxshop_lang"

// page fills in what every full page needs; it takes the pending flash message off the session.
func (a *App) page(c *gin.Context, titleKey, nav string) templates.Page {
	ctx := c.Request.Context()
	p := templates.Page{
		Title:   titleKey,
		Nav:     nav,
		Sandbox: a.cfg.Sandbox,
		Lang:    string(a.printer(c).Lang),
		Path:    c.Request.URL.RequestURI(),
		CSS:     a.assets.URL("css/app.css"),
		JS:      []string{a.assets.URL("vendor/htmx.min.js"), a.assets.URL("js/app.js")},
	}
	if u := currentUser(c); u.ID != 0 {
		p.User = &templates.CurrentUser{
			Name: u.Username, Role: u.Role,
			IsAdmin: Role(u.Role) == RoleAdmin, CanWrite: canWrite(Role(u.Role)),
		}
		p.ShopName = a.shopName(ctx)
	}
	p.Kind = a.catalogKind(ctx)
	if msg := a.sessions.PopString(ctx, sessionFlashMsg); msg != "" {
		p.Flash = &templates.Flash{Kind: a.sessions.PopString(ctx, sessionFlashKind), Message: msg}
		dontKeepPage(c) // shown once
	}
	return p
}

// flash leaves a message for the next page.
func (a *App) flash(c *gin.Context, kind, msg string) {
	a.sessions.Put(c.Request.Context(), sessionFlashKind, kind)
	a.sessions.Put(c.Request.Context(), sessionFlashMsg, msg)
}

// renderBuffers are reused by render: a page is tens of kilobytes, grown anew on every request otherwise.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a component with status, rendering into a buffer first so a failure never sends half a page.
// An htmx request gets only the fragment it swaps (htmxTarget), when the page has one of that name.
// A page its route declares keepable (kept in routes.go) is kept for the next request, if internal/pagecache
// allows.
func (a *App) render(c *gin.Context, status int, component templ.Component) {
	ctx := i18n.WithPrinter(c.Request.Context(), a.printer(c))
	buf := renderBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge page (a print-out) is not worth holding on to
			renderBuffers.Put(buf)
		}
	}()
	if err := renderFragmentOrAll(ctx, buf, component, htmxTarget(c.Request)); err != nil {
		a.serverError(c, err)
		return
	}
	sent, err := pagecache.SlotFrom(c.Request.Context()).Finish(c.Writer, c.Request, status, buf.Bytes())
	if err != nil {
		a.serverError(c, err)
		return
	}
	if sent {
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// htmxTarget names the part of the page an htmx request will swap: the id of its target element (HX-Target),
// which the page marks with templ.Fragment of the same name. A history restore needs the whole page; "" when
// the whole page is wanted.
func htmxTarget(r *http.Request) string {
	if r.Header.Get("HX-Request") != "true" || r.Header.Get("HX-History-Restore-Request") == "true" {
		return ""
	}
	return r.Header.Get("HX-Target")
}

// renderFragmentOrAll renders the fragment named target of component, or all of it when target is "" or the
// component has no such fragment (a handler that answers htmx with a component of its own).
func renderFragmentOrAll(ctx context.Context, buf *bytes.Buffer, component templ.Component, target string) error {
	if target != "" {
		if err := templ.RenderFragments(ctx, buf, component, target); err != nil || buf.Len() > 0 {
			return err
		}
	}
	return component.Render(ctx, buf)
}

// redirect answers a form post: 303 to target, or, for htmx, a client-side redirect.
func (a *App) redirect(c *gin.Context, target string) {
	if c.GetHeader("HX-Request") == "true" {
		c.Header("HX-Redirect", target)
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, target)
}

var errorTexts = map[int][2]string{
	http.StatusBadRequest:            {"error.400.heading", "error.400.message"},
	http.StatusForbidden:             {"error.403.heading", "error.403.message"},
	http.StatusNotFound:              {"error.404.heading", "error.404.message"},
	http.StatusMethodNotAllowed:      {"error.404.heading", "error.404.message"},
	http.StatusRequestEntityTooLarge: {"error.413.heading", "error.413.message"},
	http.StatusInternalServerError:   {"error.500.heading", "error.500.message"},
}

func (a *App) renderError(c *gin.Context, status int) {
	t, ok := errorTexts[status]
	if !ok {
		t = errorTexts[http.StatusInternalServerError]
	}
	a.renderErrorWith(c, status, t[0], t[1])
}

func (a *App) renderErrorWith(c *gin.Context, status int, heading, message string) {
	ctx := i18n.WithPrinter(c.Request.Context(), a.printer(c))
	var buf bytes.Buffer
	err := templates.ErrorPage(a.page(c, "title.error", ""), templates.ErrorView{Status: status, Heading: heading, Message: message}).Render(ctx, &buf)
	if err != nil {
		a.log.Error("error page failed to render", "err", err)
		c.String(status, "%d %s", status, http.StatusText(status))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// serverError logs err once and shows the generic 500 page; the operator never sees a Go error string.
func (a *App) serverError(c *gin.Context, err error) {
	a.log.Error("request failed", "method", logValue(c.Request.Method), "path", logValue(c.Request.URL.Path), "err", err)
	a.renderError(c, http.StatusInternalServerError)
}

// wxMessage explains a failed WeChat call in the operator's language: the code and what it means.
func wxMessage(p i18n.Printer, err error) string { return shop.Explain(p, err) }

// wxOutcome is how a WeChat answer is written into the audit log.
func wxOutcome(err error) string { return shop.Outcome(err) }

// localPath returns next when it is a path on this site, else "/" (no open redirects). It checks what is
// actually sent: http.Redirect cleans the path (so "/./\evil.example" would go out as "/\evil.example", which
// browsers read as "//evil.example"), so the path is cleaned the same way here first and the result is what is
// checked and returned. A backslash anywhere, raw or percent-encoded, a control character or a space is refused
// outright: browsers turn a backslash into "/" and drop tabs and newlines.
func localPath(next string) string {
	if next == "" || len(next) > maxLocalPath || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\ ") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.Contains(u.Path, "\\") {
		return "/"
	}
	// Clean as http.Redirect does: the path before the query, keeping a trailing slash.
	p, query := next, ""
	if i := strings.Index(next, "?"); i >= 0 {
		p, query = next[:i], next[i:]
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	if trailing && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	sent := p + query
	// What goes out must start with exactly one "/", and say the same once percent-decoded.
	if !strings.HasPrefix(sent, "/") || strings.HasPrefix(sent, "//") {
		return "/"
	}
	if decoded, err := url.PathUnescape(p); err != nil || strings.HasPrefix(decoded, "//") || strings.Contains(decoded, "\\") {
		return "/"
	}
	return sent
}

// maxLocalPath is the longest path a redirect follows; a longer one is nothing the app links to.
const maxLocalPath = 2048

func nextQuery(next string) string {
	if next == "" || next == "/" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
}

// loadByID reads the :id parameter and fetches what it names, answering 404 (not a number, or no such row) or
// 500 itself; ok is false when it has answered.
func loadByID[T any](a *App, c *gin.Context, fetch func(context.Context, int64) (T, error)) (T, bool) {
	var zero T
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.renderError(c, http.StatusNotFound)
		return zero, false
	}
	v, err := fetch(c.Request.Context(), id)
	return found(a, c, v, err)
}

// found answers for what a handler looked up: ok with v when err is nil, the 404 page when there is no such
// row, the 500 page otherwise.
func found[T any](a *App, c *gin.Context, v T, err error) (T, bool) {
	if errors.Is(err, db.ErrNoRecord) {
		a.renderError(c, http.StatusNotFound)
		return v, false
	} else if err != nil {
		a.serverError(c, err)
		return v, false
	}
	return v, true
}
