package pagecache

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var somePage = []byte("<html><body>" + strings.Repeat("<p>订单 0123456789</p>", 100) + "</body></html>")

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newCache(t *testing.T) (*Cache, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	return New(Options{MaxAge: time.Minute, MaxPages: 8, Now: clk.now}), clk
}

func request(method, uri string, header ...string) *http.Request {
	r := httptest.NewRequest(method, uri, nil)
	r.Header.Set("Accept-Encoding", "gzip")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

var alice = Viewer{User: 1, Lang: "zh"}

// visit is one request through the cache: the kept page if there is one, else body made and offered to keep.
// It returns the body the client got, decoded, and whether it came from memory.
func visit(t *testing.T, c *Cache, r *http.Request, v Viewer, version int64, status int, body []byte) (string, bool) {
	t.Helper()
	rec := httptest.NewRecorder()
	slot, served, err := c.Begin(rec, r, v, version)
	if err != nil {
		t.Fatal(err)
	}
	if !served {
		sent, err := slot.Finish(rec, r, status, body)
		if err != nil {
			t.Fatal(err)
		}
		if !sent {
			rec.WriteHeader(status)
			rec.Write(body)
		}
	}
	got := rec.Body.String()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		got = string(b)
	}
	return got, served
}

// A page is kept and sent again while the version holds and it is young; a new version or age makes it old.
func TestPagesFollowTheVersionAndTheClock(t *testing.T) {
	c, clk := newCache(t)
	r := request(http.MethodGet, "/orders?page=2")
	if _, served := visit(t, c, r, alice, 5, http.StatusOK, somePage); served {
		t.Fatal("a page served from an empty cache")
	}
	if got, served := visit(t, c, r, alice, 5, http.StatusOK, nil); !served || got != string(somePage) {
		t.Fatalf("served %v, %d bytes: the kept page was not sent again", served, len(got))
	}
	if _, served := visit(t, c, r, alice, 6, http.StatusOK, somePage); served {
		t.Error("a page of an older data version was sent")
	}
	clk.t = clk.t.Add(time.Minute)
	if _, served := visit(t, c, r, alice, 6, http.StatusOK, somePage); served {
		t.Error("a page older than MaxAge was sent")
	}
}

// Pages that must not be kept are not: a POST, nobody signed in, a pending flash message, an answer other than
// 200, a page that said so.
func TestPagesThatMustNotBeKeptAreNot(t *testing.T) {
	for _, cs := range []struct {
		name    string
		method  string
		viewer  Viewer
		status  int
		refused bool // DontKeep
	}{
		{"post", http.MethodPost, alice, http.StatusOK, false},
		{"nobody signed in", http.MethodGet, Viewer{Lang: "zh"}, http.StatusOK, false},
		{"flash pending", http.MethodGet, Viewer{User: 1, Lang: "zh", Flash: true}, http.StatusOK, false},
		{"422", http.MethodGet, alice, http.StatusUnprocessableEntity, false},
		{"404", http.MethodGet, alice, http.StatusNotFound, false},
		{"dont keep", http.MethodGet, alice, http.StatusOK, true},
	} {
		t.Run(cs.name, func(t *testing.T) {
			c, _ := newCache(t)
			r := request(cs.method, "/products")
			rec := httptest.NewRecorder()
			slot, _, _ := c.Begin(rec, r, cs.viewer, 1)
			if cs.refused {
				slot.DontKeep()
			}
			slot.Finish(rec, r, cs.status, somePage)
			if n := c.Len(cs.viewer.User); n != 0 {
				t.Fatalf("%d pages kept", n)
			}
			if _, served := visit(t, c, r, cs.viewer, 1, cs.status, somePage); served {
				t.Fatal("sent from memory")
			}
		})
	}
}

// A page is found only by the same user, language, URI and htmx headers: never another user's page, another
// language's, or a page in place of the fragment htmx asked for (or the reverse).
func TestPagesAreKeptApart(t *testing.T) {
	c, _ := newCache(t)
	r := request(http.MethodGet, "/shelves/3")
	visit(t, c, r, alice, 1, http.StatusOK, []byte("alice's page"))
	for name, other := range map[string]struct {
		r *http.Request
		v Viewer
	}{
		"another user":     {r, Viewer{User: 2, Lang: "zh"}},
		"another language": {r, Viewer{User: 1, Lang: "en"}},
		"another query":    {request(http.MethodGet, "/shelves/3?x=1"), alice},
		"htmx":             {request(http.MethodGet, "/shelves/3", "HX-Request", "true"), alice},
		"another target":   {request(http.MethodGet, "/shelves/3", "HX-Request", "true", "HX-Target", "shelf-editor"), alice},
		"history restore":  {request(http.MethodGet, "/shelves/3", "HX-Request", "true", "HX-History-Restore-Request", "true"), alice},
	} {
		if got, served := visit(t, c, other.r, other.v, 1, http.StatusOK, []byte("fresh")); served || got != "fresh" {
			t.Errorf("%s: got %q from memory", name, got)
		}
	}
	if got, served := visit(t, c, r, alice, 1, http.StatusOK, nil); !served || got != "alice's page" {
		t.Errorf("alice's own page: %q, served %v", got, served)
	}
}

// A kept page with a form's token gets a new token each time it is sent, never the placeholder; a page
// with two tokens is not kept, but still gets real tokens.
func TestTokensAreNewEachSending(t *testing.T) {
	c, _ := newCache(t)
	r := request(http.MethodGet, "/orders/7")
	mk := func(slot *Slot) []byte {
		return []byte(`<form><input name="ship_token" value="` + slot.Token() + `"></form>`)
	}
	seen := map[string]bool{}
	for i := range 3 {
		rec := httptest.NewRecorder()
		slot, served, _ := c.Begin(rec, r, alice, 1)
		if served != (i > 0) {
			t.Fatalf("visit %d: served %v", i, served)
		}
		if !served {
			slot.Finish(rec, r, http.StatusOK, mk(slot))
		}
		body := rec.Body.String()
		if strings.Contains(body, c.placeholder) {
			t.Fatalf("the placeholder was sent: %s", body)
		}
		tok := strings.TrimSuffix(strings.TrimPrefix(body, `<form><input name="ship_token" value="`), `"></form>`)
		if tok == "" || seen[tok] {
			t.Fatalf("visit %d: token %q empty or sent before", i, tok)
		}
		seen[tok] = true
	}

	two := request(http.MethodGet, "/orders/8")
	rec := httptest.NewRecorder()
	slot, _, _ := c.Begin(rec, two, alice, 1)
	body := append(mk(slot), mk(slot)...)
	if sent, _ := slot.Finish(rec, two, http.StatusOK, body); !sent || strings.Contains(rec.Body.String(), c.placeholder) {
		t.Fatalf("a page with two tokens: sent %v, %q", sent, rec.Body.String())
	}
	if _, served := visit(t, c, two, alice, 1, http.StatusOK, []byte("x")); served {
		t.Error("a page with two tokens was kept")
	}

	// Outside a slot, or on a page not to be kept, a token is a real one.
	var none *Slot
	if tok := none.Token(); tok == "" || strings.HasPrefix(tok, "wxshop-token-") {
		t.Errorf("token without a slot: %q", tok)
	}
}

// KeepUntil shortens a page's life to what it shows that changes.
func TestKeepUntil(t *testing.T) {
	c, clk := newCache(t)
	r := request(http.MethodGet, "/")
	rec := httptest.NewRecorder()
	slot, _, _ := c.Begin(rec, r, alice, 1)
	slot.KeepUntil(clk.t.Add(10 * time.Second))
	slot.KeepUntil(clk.t.Add(time.Hour)) // longer than MaxAge: no effect
	slot.KeepUntil(time.Time{})          // nothing changes: no effect
	slot.Finish(rec, r, http.StatusOK, somePage)
	clk.t = clk.t.Add(9 * time.Second)
	if _, served := visit(t, c, r, alice, 1, http.StatusOK, somePage); !served {
		t.Fatal("not served before its time")
	}
	clk.t = clk.t.Add(time.Second)
	if _, served := visit(t, c, r, alice, 1, http.StatusOK, somePage); served {
		t.Fatal("served at its time")
	}
}

// A client that does not take gzip gets the same page plain, with Vary: Accept-Encoding either way.
func TestPlainClients(t *testing.T) {
	c, _ := newCache(t)
	visit(t, c, request(http.MethodGet, "/"), alice, 1, http.StatusOK, somePage)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	if _, served, err := c.Begin(rec, r, alice, 1); !served || err != nil {
		t.Fatalf("served %v, %v", served, err)
	}
	if rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != string(somePage) {
		t.Fatalf("Content-Encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	if rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q", rec.Header().Get("Vary"))
	}
}

// The cache holds at most MaxPages, the old versions going first.
func TestCacheIsBounded(t *testing.T) {
	c, _ := newCache(t)
	for i := range 20 {
		visit(t, c, request(http.MethodGet, "/p/"+string(rune('a'+i))), alice, int64(i/10), http.StatusOK, somePage)
	}
	if n := c.Len(alice.User); n > 8 {
		t.Fatalf("%d pages kept, at most 8", n)
	}
	if _, served := visit(t, c, request(http.MethodGet, "/p/t"), alice, 1, http.StatusOK, somePage); !served {
		t.Error("the latest page is gone")
	}
}

// Handle makes a page only when none is kept for the request, gives the page's maker the slot when the page
// may be kept and none when not (a flash message pending), and says the answer varies with HX-Request.
func TestHandle(t *testing.T) {
	c, _ := newCache(t)
	made := 0
	handle := func(v Viewer, token bool) (*httptest.ResponseRecorder, bool) {
		rec := httptest.NewRecorder()
		r := request(http.MethodGet, "/orders/7")
		withSlot := false
		if err := c.Handle(rec, r, v, 1, func(r *http.Request) {
			made++
			slot := SlotFrom(r.Context())
			withSlot = slot != nil
			page := somePage
			if token {
				page = []byte("<form><input name=token value=" + slot.Token() + "></form>")
			}
			if sent, _ := slot.Finish(rec, r, http.StatusOK, page); !sent {
				rec.Write(page)
			}
		}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "HX-Request") {
			t.Errorf("Vary %q", rec.Header().Values("Vary"))
		}
		return rec, withSlot
	}
	if _, withSlot := handle(Viewer{User: 1, Lang: "zh", Flash: true}, false); withSlot || made != 1 || c.Len(1) != 0 {
		t.Fatalf("with a flash pending: slot %v, made %d, kept %d", withSlot, made, c.Len(1))
	}
	if _, withSlot := handle(alice, true); !withSlot || made != 2 || c.Len(1) != 1 {
		t.Fatalf("a keepable page: slot %v, made %d, kept %d", withSlot, made, c.Len(1))
	}
	tokens := map[string]bool{}
	for range 3 {
		rec, _ := handle(alice, true)
		body := rec.Body.String()
		if made != 2 || strings.Contains(body, c.placeholder) {
			t.Fatalf("made %d times; body %q", made, body)
		}
		if tokens[body] {
			t.Fatalf("the same token sent twice: %q", body)
		}
		tokens[body] = true
	}
}
