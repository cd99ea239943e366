package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
)

// recoverPanics turns a panic into the friendly 500 page and logs the stack once.
func (a *App) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.log.Error("panic while serving a request", "path", logValue(c.Request.URL.Path), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				a.renderError(c, http.StatusInternalServerError)
			}
			c.Abort()
		}
	}()
	c.Next()
}

// logRequests writes one structured line per request.
func (a *App) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	a.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", logValue(c.Request.Method)),
		slog.String("path", logValue(c.Request.URL.Path)),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("took", time.Since(start)),
		slog.Int("bytes", c.Writer.Size()),
		slog.String("ip", c.ClientIP()),
	)
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere, except product images from WeChat's CDN.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http://127.0.0.1:*; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

func (a *App) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if a.cfg.SecureCookies() {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// checkOrigin refuses state-changing requests that a browser says came from another site.
func (a *App) checkOrigin(c *gin.Context) {
	if err := a.origins.Check(c.Request); err != nil {
		a.log.Warn("cross-origin request refused", "path", logValue(c.Request.URL.Path), "origin", logValue(c.Request.Header.Get("Origin")))
		a.renderErrorWith(c, http.StatusForbidden, "error.403.heading", "error.403.origin")
		c.Abort()
		return
	}
	c.Next()
}

// uploadRoutes take image files, so their bodies may be larger.
var uploadRoutes = map[string]bool{"/images": true, "/products": true, "/products/:id": true, "/orders/bulk-ship": true,
	"/aftersales/:id/answer": true, "/aftersales/:id/complaint": true}

// limitBody caps what a request may send: forms get MaxBodyBytes, image uploads room for their files.
func (a *App) limitBody(c *gin.Context) {
	limit := a.cfg.MaxBodyBytes
	if uploadRoutes[c.FullPath()] && c.Request.Method == http.MethodPost {
		limit = max(limit, maxFilesPerUpload*a.imageMaxSize(c)+1<<20)
	}
	if c.Request.ContentLength > limit {
		a.renderError(c, http.StatusRequestEntityTooLarge)
		c.Abort()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// noStore keeps signed-in pages out of every cache.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}

const ctxUser = "wxshop.user"

// requireUser sends anyone not signed in to the login page, and loads the signed-in user (a disabled user is
// signed out at once).
func (a *App) requireUser(c *gin.Context) {
	ctx := c.Request.Context()
	id := a.sessions.GetInt64(ctx, sessionUserID)
	if id != 0 {
		u, err := a.signedInUser(c, id)
		mark := a.sessions.GetString(ctx, sessionPassword)
		switch {
		case err != nil && !errors.Is(err, db.ErrNoRecord):
			a.serverError(c, err)
			c.Abort()
			return
		case err == nil && !u.Disabled && mark != "" && mark != passwordMark(u.PasswordHash):
			// The password changed since this session signed in (on another device, or reset by an admin).
			a.sessions.Remove(ctx, sessionPassword)
			a.flash(c, "error", a.printer(c).T("account.signedout"))
		case err == nil && !u.Disabled:
			if mark == "" { // a session from before sessions kept the mark
				a.sessions.Put(ctx, sessionPassword, passwordMark(u.PasswordHash))
			}
			c.Set(ctxUser, u)
			c.Next()
			return
		}
		a.sessions.Remove(ctx, sessionUserID)
	}
	if c.GetHeader("HX-Request") == "true" {
		c.Header("HX-Redirect", "/login")
		c.Status(http.StatusUnauthorized)
		c.Abort()
		return
	}
	next := ""
	if c.Request.Method == http.MethodGet {
		next = c.Request.URL.RequestURI()
	}
	c.Redirect(http.StatusSeeOther, "/login"+nextQuery(next))
	c.Abort()
}

// requireRole lets only the given roles through; others get the 403 page.
func (a *App) requireRole(roles ...Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		for _, r := range roles {
			if Role(u.Role) == r {
				c.Next()
				return
			}
		}
		a.renderError(c, http.StatusForbidden)
		c.Abort()
	}
}

func currentUser(c *gin.Context) db.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(db.User)
	return user
}
