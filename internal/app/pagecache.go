package app

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/pagecache"
	"wxshop/internal/versioned"
)

// The page cache (internal/pagecache) decides which pages are kept; these are its hooks into the handlers. A
// handler whose page may be kept starts with sendKeptPage; render keeps what it makes; a form on such a page
// takes its token from formToken.

// requestVersion is the database's version as first read during the request (App.Handler gives each request
// its holder): the session is read under it, then the user, then the page.
func (a *App) requestVersion(ctx context.Context) (int64, error) {
	v, err := versioned.Read(ctx, a.store.DataVersion)
	if err != nil {
		a.log.Warn("data version unavailable: nothing is kept", "err", err)
	}
	return v, err
}

// sendKeptPage answers the request with the page kept for it, if there is one still good; otherwise it
// prepares render to keep the page the handler is about to make, when the cache allows, and returns false.
func (a *App) sendKeptPage(c *gin.Context) bool {
	ctx := c.Request.Context()
	v, err := a.requestVersion(ctx)
	if err != nil {
		return false
	}
	viewer := pagecache.Viewer{User: currentUser(c).ID, Lang: string(a.printer(c).Lang),
		Flash: a.sessions.Exists(ctx, sessionFlashMsg)}
	slot, served, err := a.pages.Begin(c.Writer, c.Request, viewer, v)
	if err != nil {
		a.serverError(c, err)
		return true
	}
	if slot != nil {
		c.Request = c.Request.WithContext(pagecache.WithSlot(ctx, slot))
	}
	return served
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
