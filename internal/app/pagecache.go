package app

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/pagecache"
	"wxshop/internal/versioned"
)

// The page cache (internal/pagecache) decides which pages are kept; these are its hooks into the app. A route
// whose page may be kept says so in routes.go (kept); render offers the cache what it makes; a form on such a
// page takes its token from formToken.

// requestVersion is the database's version as first read during the request (App.Handler gives each request
// its holder): the session is read under it, then the user, then the page.
func (a *App) requestVersion(ctx context.Context) (int64, error) {
	v, err := versioned.Read(ctx, a.store.DataVersion)
	if err != nil {
		a.log.Warn("data version unavailable: nothing is kept", "err", err)
	}
	return v, err
}

// kept declares a route whose page the cache may keep, when internal/pagecache's rule allows: the handler runs
// only when no kept page answers the request, and what it renders is offered to the cache.
func (a *App) kept(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		v, err := a.requestVersion(ctx)
		if err != nil {
			h(c) // nothing is kept without the version
			return
		}
		viewer := pagecache.Viewer{User: currentUser(c).ID, Lang: string(a.printer(c).Lang),
			Flash: a.sessions.Exists(ctx, sessionFlashMsg)}
		if err := a.pages.Handle(c.Writer, c.Request, viewer, v, func(r *http.Request) {
			c.Request = r
			h(c)
		}); err != nil {
			a.serverError(c, err)
		}
	}
}

// keepPageUntil shortens how long the page being made may be kept: it shows something that changes at t.
func keepPageUntil(c *gin.Context, t time.Time) {
	pagecache.SlotFrom(c.Request.Context()).KeepUntil(t)
}

// dontKeepPage marks the page being made as one not to keep.
func dontKeepPage(c *gin.Context) {
	pagecache.SlotFrom(c.Request.Context()).DontKeep()
}

// formToken is a new single-use token for a form of the page being made (a kept page gets a new one each
// time it is sent).
func formToken(c *gin.Context) string {
	return pagecache.SlotFrom(c.Request.Context()).Token()
}

// signedInUser reads the user with id, from memory while the database is unchanged.
func (a *App) signedInUser(c *gin.Context, id int64) (db.User, error) {
	ctx := c.Request.Context()
	v, verr := a.requestVersion(ctx)
	if verr == nil {
		if u, ok := a.users.Get(v, id); ok {
			return u, nil
		}
	}
	u, err := a.store.UserByID(ctx, id)
	if err == nil && verr == nil {
		a.users.Put(v, id, u)
	}
	return u, err
}
