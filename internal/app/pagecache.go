package app

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/web/static"
)

// Rendered pages are kept, gzipped, and sent again while nothing they were made from has changed. A page is
// built from the database, the request (its path and query, the htmx headers the handlers read), the signed-in
// user and the session's language, and the clock. So a kept page is found by user, language, request URI and
// htmx headers, and is sent again only while
//   - the database is unchanged: db.Store.DataVersion, read before the page's data, is the one it was made under
//     (any commit to the database, by this process or another, makes every kept page old);
//   - it is younger than pageMaxAge, or than what the handler said (the dashboard's day ends at midnight);
//   - the session holds no flash message (the page would show it, and take it off the session).
//
// One user's page is never sent to another: the user's id is part of the key. A page holding a form's
// single-use token (formToken) is kept with a placeholder in its place, and every sending gets a new token. The
// headers are the same as a fresh rendering's: Cache-Control: no-store still keeps them out of every other
// cache.

// pageMaxAge bounds how long a page is kept when the database does not change, for what depends on the clock.
const pageMaxAge = time.Minute

// maxKeptPages bounds the memory: a page is 2–10 KB gzipped.
const maxKeptPages = 512

const ctxPageSlot = "wxshop.pageSlot" // *pageSlot: where render keeps the page this request makes

type pageKey struct {
	user       int64
	lang       string
	uri        string
	hx, hxHist string
}

type keptPage struct {
	version int64
	until   time.Time
	status  int
	gz      []byte // the page gzipped, or, for a page with a token,
	html    []byte // the page with tokenPlaceholder where its token goes
}

// pageSlot is a page about to be made: where it goes, under which version, and whether it may be kept.
type pageSlot struct {
	key       pageKey
	version   int64
	until     time.Time
	off       bool
	withToken bool // the page holds tokenPlaceholder
}

// tokenPlaceholder stands for a form's single-use token in a kept page; it is random, so no page holds it by chance.
var tokenPlaceholder = "wxshop-token-" + newToken()

// formToken is a new single-use token for a form of the page being made; a page to be kept gets the
// placeholder, and each sending of it a new token.
func formToken(c *gin.Context) string {
	if s, ok := c.Get(ctxPageSlot); ok && !s.(*pageSlot).off {
		s.(*pageSlot).withToken = true
		return tokenPlaceholder
	}
	return newToken()
}

type pageCache struct {
	mu    sync.Mutex
	pages map[pageKey]keptPage
}

func (pc *pageCache) get(k pageKey, version int64, now time.Time) (keptPage, bool) {
	pc.mu.Lock()
	p, ok := pc.pages[k]
	pc.mu.Unlock()
	return p, ok && p.version == version && now.Before(p.until)
}

func (pc *pageCache) put(k pageKey, p keptPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.pages == nil {
		pc.pages = map[pageKey]keptPage{}
	}
	if len(pc.pages) >= maxKeptPages {
		for key, old := range pc.pages { // the old versions first
			if old.version != p.version {
				delete(pc.pages, key)
			}
		}
		for key := range pc.pages { // then any, until there is room
			if len(pc.pages) < maxKeptPages {
				break
			}
			delete(pc.pages, key)
		}
	}
	pc.pages[k] = p
}

// requestVersion is the database's version as first read during a request: the session is read under it, then
// the user, then the page.
type requestVersion struct {
	v    int64
	read bool
}

type requestVersionKey struct{}

// requestVersion reads the database's version once per request (App.Handler gives each request its holder);
// ok is false if it cannot be read, and nothing is then kept or taken from memory.
func (a *App) requestVersion(ctx context.Context) (int64, error) {
	h, _ := ctx.Value(requestVersionKey{}).(*requestVersion)
	if h != nil && h.read {
		return h.v, nil
	}
	v, err := a.store.DataVersion(ctx)
	if err != nil {
		a.log.Warn("data version unavailable: nothing is kept", "err", err)
		return 0, err
	}
	if h != nil {
		h.v, h.read = v, true
	}
	return v, nil
}

// dataVersion is requestVersion for a handler.
func (a *App) dataVersion(c *gin.Context) (int64, bool) {
	v, err := a.requestVersion(c.Request.Context())
	return v, err == nil
}

// sendKeptPage answers a signed-in GET with the page kept for it, if there is one still good; otherwise it
// prepares render to keep the page the handler is about to make, and returns false.
func (a *App) sendKeptPage(c *gin.Context) bool {
	u := currentUser(c)
	if c.Request.Method != http.MethodGet || u.ID == 0 {
		return false
	}
	ctx := c.Request.Context()
	if a.sessions.Exists(ctx, sessionFlashMsg) {
		return false // the page shows it once
	}
	v, ok := a.dataVersion(c)
	if !ok {
		return false
	}
	now := time.Now()
	k := pageKey{user: u.ID, lang: string(a.printer(c).Lang), uri: c.Request.URL.RequestURI(),
		hx: c.GetHeader("HX-Request"), hxHist: c.GetHeader("HX-History-Restore-Request")}
	if p, ok := a.pages.get(k, v, now); ok {
		a.sendKept(c, p)
		return true
	}
	c.Set(ctxPageSlot, &pageSlot{key: k, version: v, until: now.Add(pageMaxAge)})
	return false
}

// keepPageUntil shortens how long the page being made may be kept: it shows something that changes then
// (the zero time: nothing does).
func keepPageUntil(c *gin.Context, t time.Time) {
	if s, ok := c.Get(ctxPageSlot); ok && !t.IsZero() {
		if slot := s.(*pageSlot); t.Before(slot.until) {
			slot.until = t
		}
	}
}

// dontKeepPage marks the page being made as one not to keep.
func dontKeepPage(c *gin.Context) {
	if s, ok := c.Get(ctxPageSlot); ok {
		s.(*pageSlot).off = true
	}
}

// keepPage gzips a page made for a slot, keeps it, and sends it; false when render is to send it as it is.
func (a *App) keepPage(c *gin.Context, status int, html []byte) bool {
	s, ok := c.Get(ctxPageSlot)
	if !ok {
		return false
	}
	slot := s.(*pageSlot)
	n := 0
	if slot.withToken {
		n = bytes.Count(html, []byte(tokenPlaceholder))
	}
	if slot.off || status != http.StatusOK || n > 1 {
		if n > 0 { // made with the placeholder, not to be kept: sent with tokens of its own
			a.sendKept(c, keptPage{status: status, html: html})
			return true
		}
		return false
	}
	if n == 1 {
		p := keptPage{version: slot.version, until: slot.until, status: status, html: bytes.Clone(html)}
		a.pages.put(slot.key, p)
		a.sendKept(c, p)
		return true
	}
	var buf bytes.Buffer
	buf.Grow(len(html) / 4)
	gz := gzipWriters.Get().(*gzip.Writer)
	gz.Reset(&buf)
	_, err := gz.Write(html)
	if err == nil {
		err = gz.Close()
	}
	gz.Reset(nil)
	gzipWriters.Put(gz)
	if err != nil {
		return false
	}
	body := bytes.Clone(buf.Bytes())
	a.pages.put(slot.key, keptPage{version: slot.version, until: slot.until, status: status, gz: body})
	a.sendGzipped(c, status, body)
	return true
}

// sendKept sends a kept page; each form token placeholder in it becomes a new token.
func (a *App) sendKept(c *gin.Context, p keptPage) {
	if p.html == nil {
		a.sendGzipped(c, p.status, p.gz)
		return
	}
	placeholder := []byte(tokenPlaceholder)
	html := make([]byte, 0, len(p.html)+32)
	rest := p.html
	for {
		i := bytes.Index(rest, placeholder)
		if i < 0 {
			break
		}
		html = append(append(html, rest[:i]...), newToken()...)
		rest = rest[i+len(placeholder):]
	}
	html = append(html, rest...)
	c.Data(p.status, "text/html; charset=utf-8", html) // gzipped on the way (gzip.go)
}

// sendGzipped writes a gzipped page, or, for a client that does not take gzip, the page itself.
func (a *App) sendGzipped(c *gin.Context, status int, gz []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if !varies(h, "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if static.AcceptsGzip(c.Request) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(gz)))
		c.Status(status)
		c.Writer.Write(gz)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		a.serverError(c, err)
		return
	}
	html, err := io.ReadAll(zr)
	if err != nil {
		a.serverError(c, err)
		return
	}
	c.Data(status, "text/html; charset=utf-8", html)
}

// userCache keeps the users read under one data version: requireUser reads the signed-in user on every request.
type userCache struct {
	mu      sync.Mutex
	version int64
	users   map[int64]db.User
}

// signedInUser reads the user with id, from memory while the database is unchanged.
func (a *App) signedInUser(c *gin.Context, id int64) (db.User, error) {
	v, ok := a.dataVersion(c)
	if ok {
		a.users.mu.Lock()
		u, found := a.users.users[id]
		if a.users.version != v {
			found = false
		}
		a.users.mu.Unlock()
		if found {
			return u, nil
		}
	}
	u, err := a.store.UserByID(c.Request.Context(), id)
	if err != nil || !ok {
		return u, err
	}
	a.users.mu.Lock()
	if a.users.version != v || len(a.users.users) >= 1024 {
		a.users.version, a.users.users = v, map[int64]db.User{}
	}
	a.users.users[id] = u
	a.users.mu.Unlock()
	return u, nil
}
