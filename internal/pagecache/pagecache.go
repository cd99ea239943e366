// Package pagecache keeps rendered pages, gzipped, and sends them again while nothing they were made from has
// changed.
//
// A page is made from the database, the request (its method, path and query, the htmx headers that choose
// between a page and a fragment), the signed-in user, the session's language and flash message, and the clock.
// The rule for when a page may be kept is this package's, not its callers':
//   - only a page its route declares keepable is kept: the route's handler goes through Handle, which answers
//     from memory or runs the handler with a Slot; nothing else reaches the cache;
//   - only a GET made for a signed-in user (Viewer.User != 0) is kept, and never while the session holds a
//     flash message (the page shows it once);
//   - a kept page is found by user, language, request URI and htmx headers, all taken from the request here,
//     so one user's page is never sent to another, nor a fragment in place of a page;
//   - it is sent again only while the database's data version is the one it was made under (any commit, by
//     any process, makes every kept page old) and while it is younger than MaxAge, or than what the page asked
//     for (Slot.KeepUntil);
//   - only an answer of 200 is kept;
//   - a form's single-use token comes from the Slot (Slot.Token): a kept page holds a placeholder in its
//     place, and every sending of it gets a new token. A page with more than one token is not kept.
//
// The headers are those of a fresh rendering: the caller's Cache-Control: no-store still keeps the page out of
// every other cache.
package pagecache

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"wxshop/internal/compress"
)

// Options size a Cache; zero values take the defaults.
type Options struct {
	MaxAge   time.Duration    // how long a page is kept when the database does not change (default a minute)
	MaxPages int              // how many pages are kept (default 512; a page is 2–10 KB gzipped)
	Now      func() time.Time // the clock (tests)
}

// Cache holds the kept pages of one process.
type Cache struct {
	maxAge      time.Duration
	maxPages    int
	now         func() time.Time
	placeholder string

	mu    sync.Mutex
	pages map[key]page
}

// New makes an empty cache.
func New(o Options) *Cache {
	if o.MaxAge <= 0 {
		o.MaxAge = time.Minute
	}
	if o.MaxPages <= 0 {
		o.MaxPages = 512
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	// The placeholder is random, so no page holds it by chance.
	return &Cache{maxAge: o.MaxAge, maxPages: o.MaxPages, now: o.Now, placeholder: "wxshop-token-" + rand.Text(),
		pages: map[key]page{}}
}

// Viewer is who a page is being made for, and what of their session it shows.
type Viewer struct {
	User  int64  // the signed-in user's id; 0: nobody is signed in, and nothing is kept
	Lang  string // the session's language
	Flash bool   // the session holds a flash message
}

type key struct {
	user                 int64
	lang, uri            string
	hx, hxHist, hxTarget string
}

type page struct {
	version int64
	until   time.Time
	status  int
	gz      []byte // the page gzipped, or, for a page with a token,
	html    []byte // the page with the placeholder where its token goes
}

// Slot is a page about to be made: where it goes, under which version, until when, and whether it may be
// kept. A nil *Slot is a page that is not to be kept; its methods are safe to call.
type Slot struct {
	c         *Cache
	key       key
	version   int64
	until     time.Time
	off       bool
	withToken bool
}

// Begin answers r with the page kept for it, if one is still good (served is true). Otherwise it returns the
// slot the page about to be made goes into, or nil when that page may not be kept. version is the database's
// data version, read before anything the page shows.
func (c *Cache) Begin(w http.ResponseWriter, r *http.Request, v Viewer, version int64) (slot *Slot, served bool, err error) {
	if r.Method != http.MethodGet || v.User == 0 || v.Flash {
		return nil, false, nil
	}
	now := c.now()
	k := key{user: v.User, lang: v.Lang, uri: r.URL.RequestURI(), hx: r.Header.Get("HX-Request"),
		hxHist: r.Header.Get("HX-History-Restore-Request"), hxTarget: r.Header.Get("HX-Target")}
	c.mu.Lock()
	p, ok := c.pages[k]
	c.mu.Unlock()
	if ok && p.version == version && now.Before(p.until) {
		return nil, true, c.send(w, r, p)
	}
	return &Slot{c: c, key: k, version: version, until: now.Add(c.maxAge)}, false, nil
}

// Handle is a keepable route's page: it answers r with the page kept for it when one is still good, and
// otherwise calls render to make it, with r carrying the Slot the page goes into (WithSlot) when the rule lets
// it be kept, or r as it is when not. The answer varies with HX-Request (a fragment or the whole page), and
// says so. An error is returned only before anything is written.
func (c *Cache) Handle(w http.ResponseWriter, r *http.Request, v Viewer, version int64, render func(*http.Request)) error {
	if h := w.Header(); !compress.Varies(h, "HX-Request") {
		h.Add("Vary", "HX-Request")
	}
	slot, served, err := c.Begin(w, r, v, version)
	if err != nil || served {
		return err
	}
	if slot != nil {
		r = r.WithContext(WithSlot(r.Context(), slot))
	}
	render(r)
	return nil
}

// Token is a new single-use token for a form of the page being made. A page to be kept gets the
// placeholder, and each sending of it a new token.
func (s *Slot) Token() string {
	if s == nil || s.off {
		return rand.Text()
	}
	s.withToken = true
	return s.c.placeholder
}

// KeepUntil shortens how long the page may be kept: it shows something that changes at t (the zero time:
// nothing does).
func (s *Slot) KeepUntil(t time.Time) {
	if s != nil && !t.IsZero() && t.Before(s.until) {
		s.until = t
	}
}

// DontKeep marks the page as one not to keep.
func (s *Slot) DontKeep() {
	if s != nil {
		s.off = true
	}
}

// Finish keeps the page made for the slot when the rule allows, and sends it; sent is false when the caller
// is to send html as it is (it holds no placeholder).
func (s *Slot) Finish(w http.ResponseWriter, r *http.Request, status int, html []byte) (sent bool, err error) {
	if s == nil {
		return false, nil
	}
	c := s.c
	n := 0
	if s.withToken {
		n = bytes.Count(html, []byte(c.placeholder))
	}
	if s.off || status != http.StatusOK || n > 1 {
		if n > 0 { // made with the placeholder, not to be kept: sent with tokens of its own
			return true, c.send(w, r, page{status: status, html: html})
		}
		return false, nil
	}
	p := page{version: s.version, until: s.until, status: status}
	if n == 1 {
		p.html = bytes.Clone(html)
	} else {
		gz, err := compress.Bytes(html)
		if err != nil {
			return false, nil
		}
		p.gz = bytes.Clone(gz)
	}
	c.put(s.key, p)
	return true, c.send(w, r, p)
}

func (c *Cache) put(k key, p page) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= c.maxPages {
		for key, old := range c.pages { // the old versions first
			if old.version != p.version {
				delete(c.pages, key)
			}
		}
		for key := range c.pages { // then any, until there is room
			if len(c.pages) < c.maxPages {
				break
			}
			delete(c.pages, key)
		}
	}
	c.pages[k] = p
}

// Len counts the pages kept for user.
func (c *Cache) Len(user int64) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k := range c.pages {
		if k.user == user {
			n++
		}
	}
	return n
}

// send writes a kept page; each placeholder in it becomes a new token. An error is returned only before
// anything is written (a write the client does not take is not one).
func (c *Cache) send(w http.ResponseWriter, r *http.Request, p page) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if p.html != nil {
		placeholder := []byte(c.placeholder)
		html := make([]byte, 0, len(p.html)+32)
		rest := p.html
		for {
			i := bytes.Index(rest, placeholder)
			if i < 0 {
				break
			}
			html = append(append(html, rest[:i]...), rand.Text()...)
			rest = rest[i+len(placeholder):]
		}
		html = append(html, rest...)
		w.WriteHeader(p.status)
		w.Write(html) // compress.Handler gzips it on the way
		return nil
	}
	if !compress.Varies(h, "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if compress.AcceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(p.gz)))
		w.WriteHeader(p.status)
		w.Write(p.gz)
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err != nil {
		return err
	}
	html, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	w.WriteHeader(p.status)
	w.Write(html)
	return nil
}

type slotKey struct{}

// WithSlot gives ctx the slot of the page being made, for Token and Finish further down.
func WithSlot(ctx context.Context, s *Slot) context.Context {
	return context.WithValue(ctx, slotKey{}, s)
}

// SlotFrom is the slot WithSlot gave ctx, or nil.
func SlotFrom(ctx context.Context) *Slot {
	s, _ := ctx.Value(slotKey{}).(*Slot)
	return s
}
