package wx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAppID  = "wxapp"
	testSecret = "s3cret-value-never-shown"
)

// hits counts requests per path, for asserting how many times the client called.
type hits struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hits) add(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[string]int{}
	}
	h.n[path]++
	return h.n[path]
}

func (h *hits) get(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[path]
}

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// testConfig keeps every wait short so the suite stays fast.
func testConfig(base string, store TokenStore) Config {
	return Config{
		BaseURL:      base,
		AppID:        testAppID,
		Secret:       testSecret,
		Tokens:       store,
		Logger:       slog.New(slog.DiscardHandler),
		RetryBackoff: time.Millisecond,
		LeaseTTL:     time.Second,
		LeasePoll:    2 * time.Millisecond,
	}
}

// storeWith returns a store already holding value, valid for ttl.
func storeWith(t *testing.T, value string, ttl time.Duration) *MemoryTokenStore {
	t.Helper()
	s := NewMemoryTokenStore()
	if err := s.SaveToken(context.Background(), testAppID, Token{Value: value, ExpiresAt: time.Now().Add(ttl)}); err != nil {
		t.Fatal(err)
	}
	return s
}

// newAPIClient is a client whose token is already stored, for tests about API calls rather than tokens.
func newAPIClient(t *testing.T, h http.HandlerFunc) (*Client, *httptest.Server) {
	t.Helper()
	srv := newServer(t, h)
	return NewClient(testConfig(srv.URL, storeWith(t, "TOK", time.Hour))), srv
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// dropConnection makes the client see a network error.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

func TestPostReadSendsJSONWithToken(t *testing.T) {
	type req struct {
		ProductID string `json:"product_id"`
		URL       string `json:"url"`
	}
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/merchant/get" {
			t.Errorf("got %s %s, want POST /merchant/get", r.Method, r.URL.Path)
		}
		if got := r.URL.Query().Get("access_token"); got != "TOK" {
			t.Errorf("access_token = %q, want TOK", got)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		body, _ := io.ReadAll(r.Body)
		if want := `{"product_id":"p1","url":"https://x/y?a=1&b=2"}`; string(body) != want {
			t.Errorf("body = %s, want %s", body, want)
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "product_info": map[string]any{"product_id": "p1"}})
	})
	var out struct {
		ProductInfo struct {
			ProductID string `json:"product_id"`
		} `json:"product_info"`
	}
	if err := c.PostRead(context.Background(), "/merchant/get", req{"p1", "https://x/y?a=1&b=2"}, &out); err != nil {
		t.Fatal(err)
	}
	if out.ProductInfo.ProductID != "p1" {
		t.Errorf("decoded %+v", out)
	}
}

func TestPostWriteNilBodySendsEmptyObject(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if string(body) != "{}" {
			t.Errorf("body = %q, want {}", body)
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok"})
	})
	if err := c.PostWrite(context.Background(), "/user-order/orders-permission/open", nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestGetReadMergesQuery(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/some/get" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		q := r.URL.Query()
		if q.Get("access_token") != "TOK" || q.Get("page") != "2" {
			t.Errorf("query = %v", q)
		}
		writeJSON(w, map[string]any{"n": 7})
	})
	q := url.Values{"page": {"2"}}
	var out struct{ N int }
	if err := c.GetRead(context.Background(), "/some/get", q, &out); err != nil {
		t.Fatal(err)
	}
	if out.N != 7 {
		t.Errorf("N = %d", out.N)
	}
	if _, ok := q["access_token"]; ok || len(q) != 1 {
		t.Errorf("caller's query was changed: %v", q)
	}
}

func TestUploadWriteSendsRawBytes(t *testing.T) {
	img := []byte("\x89PNG\r\n\x1a\nfake image bytes")
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/merchant/common/upload_img" {
			t.Errorf("got %s %s", r.Method, r.URL.Path)
		}
		q := r.URL.Query()
		if q.Get("filename") != "x.png" || q.Get("access_token") != "TOK" {
			t.Errorf("query = %v", q)
		}
		if ct := r.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("Content-Type = %q", ct)
		}
		body, _ := io.ReadAll(r.Body)
		if !bytes.Equal(body, img) {
			t.Errorf("body = %q", body)
		}
		writeJSON(w, map[string]any{"errcode": 0, "errmsg": "success", "image_url": "http://mmbiz.qpic.cn/x"})
	})
	var out struct {
		ImageURL string `json:"image_url"`
	}
	err := c.UploadWrite(context.Background(), "/merchant/common/upload_img", url.Values{"filename": {"x.png"}}, "image/png", img, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.ImageURL != "http://mmbiz.qpic.cn/x" {
		t.Errorf("image_url = %q", out.ImageURL)
	}
}

func TestDecodeAnswers(t *testing.T) {
	type answer struct {
		ID int `json:"id"`
	}
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantID      int
		wantCode    int    // *Error with this code
		wantHTTP    int    // *HTTPError with this status
		wantInError string // in err.Error()
	}{
		{name: "json", status: 200, contentType: "application/json", body: `{"errcode":0,"errmsg":"ok","id":3}`, wantID: 3},
		{name: "text/plain json", status: 200, contentType: "text/plain", body: `{"errcode":0,"errmsg":"ok","id":4}`, wantID: 4},
		{name: "errcode missing is success", status: 200, contentType: "text/plain", body: ` {"id":5}` + "\n", wantID: 5},
		{name: "bom", status: 200, contentType: "application/json", body: "\xef\xbb\xbf{\"id\":6}", wantID: 6},
		{name: "errcode with http 200", status: 200, contentType: "application/json", body: `{"errcode":40097,"errmsg":"invalid args"}`,
			wantCode: 40097, wantInError: "wx: /x/call: errcode 40097: invalid args"},
		{name: "errcode as string", status: 200, contentType: "application/json", body: `{"errcode":"100002","errmsg":"not found"}`, wantCode: 100002},
		{name: "errcode with http 400", status: 400, contentType: "application/json", body: `{"errcode":47001,"errmsg":"data format error"}`, wantCode: 47001},
		{name: "html with 200", status: 200, contentType: "text/html", body: "<html>login portal</html>",
			wantHTTP: 200, wantInError: `HTTP 200 OK, answer is not a JSON object (Content-Type text/html): "<html>login portal</html>"`},
		{name: "empty 200", status: 200, body: "", wantHTTP: 200, wantInError: "empty body"},
		{name: "json array", status: 200, contentType: "application/json", body: `[1,2]`, wantHTTP: 200},
		{name: "502 page", status: 502, contentType: "text/html", body: "<h1>Bad Gateway</h1>", wantHTTP: 502, wantInError: "HTTP 502 Bad Gateway"},
		{name: "404 json without errcode", status: 404, contentType: "application/json", body: `{"message":"no"}`, wantHTTP: 404},
		{name: "long body is cut", status: 500, body: strings.Repeat("好", 400), wantHTTP: 500, wantInError: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			var out answer
			err := c.PostWrite(context.Background(), "/x/call", nil, &out)
			switch {
			case tt.wantCode != 0:
				var werr *Error
				if !errors.As(err, &werr) || werr.Code != tt.wantCode || werr.Path != "/x/call" {
					t.Fatalf("err = %#v, want *Error code %d", err, tt.wantCode)
				}
			case tt.wantHTTP != 0:
				var herr *HTTPError
				if !errors.As(err, &herr) || herr.StatusCode != tt.wantHTTP {
					t.Fatalf("err = %v, want *HTTPError %d", err, tt.wantHTTP)
				}
				if len(herr.Body) > snippetBytes+len("…") {
					t.Errorf("body snippet is %d bytes", len(herr.Body))
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if out.ID != tt.wantID {
					t.Errorf("id = %d, want %d", out.ID, tt.wantID)
				}
			}
			if tt.wantInError != "" && !strings.Contains(err.Error(), tt.wantInError) {
				t.Errorf("error %q does not contain %q", err, tt.wantInError)
			}
		})
	}
}

func TestDecodeMismatchedAnswerIsError(t *testing.T) {
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"errcode":0,"id":"not a number"}`)
	})
	var out struct {
		ID int `json:"id"`
	}
	err := c.PostRead(context.Background(), "/x/get", nil, &out)
	if err == nil || !strings.Contains(err.Error(), "wx: /x/get: decode answer") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadsRetryTransientFailures(t *testing.T) {
	tests := []struct {
		name string
		fail func(t *testing.T, w http.ResponseWriter)
	}{
		{"errcode -1", func(t *testing.T, w http.ResponseWriter) {
			writeJSON(w, map[string]any{"errcode": -1, "errmsg": "system error"})
		}},
		{"http 503", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }},
		{"dropped connection", dropConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name+" then success", func(t *testing.T) {
			var h hits
			c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
				if h.add(r.URL.Path) < 3 {
					tt.fail(t, w)
					return
				}
				writeJSON(w, map[string]any{"errcode": 0, "ok": true})
			})
			var out struct{ OK bool }
			if err := c.PostRead(context.Background(), "/r", nil, &out); err != nil {
				t.Fatal(err)
			}
			if !out.OK || h.get("/r") != 3 {
				t.Errorf("ok = %v after %d hits, want true after 3", out.OK, h.get("/r"))
			}
		})
		t.Run(tt.name+" always", func(t *testing.T) {
			var h hits
			c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r.URL.Path)
				tt.fail(t, w)
			})
			err := c.GetRead(context.Background(), "/r", nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := h.get("/r"); got != defaultMaxReadAttempts {
				t.Errorf("%d hits, want %d", got, defaultMaxReadAttempts)
			}
		})
	}
}

func TestReadRetryHonoursMaxAttempts(t *testing.T) {
	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		writeJSON(w, map[string]any{"errcode": -1})
	})
	cfg := testConfig(srv.URL, storeWith(t, "TOK", time.Hour))
	cfg.MaxReadAttempts = 5
	err := NewClient(cfg).PostRead(context.Background(), "/r", nil, nil)
	if !IsCode(err, -1) || h.get("/r") != 5 {
		t.Fatalf("err = %v after %d hits, want errcode -1 after 5", err, h.get("/r"))
	}
}

func TestReadsDoNotRetryOtherErrors(t *testing.T) {
	var h hits
	c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		writeJSON(w, map[string]any{"errcode": 40097, "errmsg": "invalid args"})
	})
	err := c.PostRead(context.Background(), "/r", nil, nil)
	if !IsCode(err, 40097) || h.get("/r") != 1 {
		t.Fatalf("err = %v after %d hits, want 40097 after 1", err, h.get("/r"))
	}
}

func TestReadRetryStopsWhenContextEnds(t *testing.T) {
	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		writeJSON(w, map[string]any{"errcode": -1, "errmsg": "busy"})
	})
	cfg := testConfig(srv.URL, storeWith(t, "TOK", time.Hour))
	cfg.RetryBackoff = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := NewClient(cfg).PostRead(ctx, "/r", nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !IsCode(err, -1) {
		t.Fatalf("err = %v, want deadline exceeded wrapping errcode -1", err)
	}
	if time.Since(start) > 5*time.Second || h.get("/r") != 1 {
		t.Errorf("took %v with %d hits", time.Since(start), h.get("/r"))
	}
}

func TestReadRetriesTimeouts(t *testing.T) {
	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if h.add(r.URL.Path) == 1 {
			// With the body read, the server notices the client hanging up and ends r.Context().
			_, _ = io.Copy(io.Discard, r.Body)
			select { // slower than the client's timeout
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		writeJSON(w, map[string]any{"errcode": 0})
	})
	cfg := testConfig(srv.URL, storeWith(t, "TOK", time.Hour))
	cfg.HTTPClient = &http.Client{Timeout: 50 * time.Millisecond}
	c := NewClient(cfg)
	if err := c.PostRead(context.Background(), "/r", nil, nil); err != nil {
		t.Fatal(err)
	}
	if h.get("/r") != 2 {
		t.Errorf("%d hits, want 2", h.get("/r"))
	}

	// The same timeout on a write is returned, not retried.
	if err := c.PostWrite(context.Background(), "/w", nil, nil); err == nil {
		t.Fatal("write: no error")
	}
	if h.get("/w") != 1 {
		t.Errorf("write: %d hits, want 1", h.get("/w"))
	}
}

func TestWritesAreNeverRetriedBlindly(t *testing.T) {
	failures := []struct {
		name string
		fail func(t *testing.T, w http.ResponseWriter)
	}{
		{"errcode -1", func(t *testing.T, w http.ResponseWriter) {
			writeJSON(w, map[string]any{"errcode": -1, "errmsg": "system error"})
		}},
		{"http 502", func(t *testing.T, w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }},
		{"dropped connection", dropConnection},
	}
	writes := []struct {
		name string
		do   func(c *Client) error
	}{
		{"PostWrite", func(c *Client) error { return c.PostWrite(context.Background(), "/w", map[string]int{"a": 1}, nil) }},
		{"UploadWrite", func(c *Client) error {
			return c.UploadWrite(context.Background(), "/w", url.Values{"filename": {"a.jpg"}}, "image/jpeg", []byte("jpg"), nil)
		}},
	}
	for _, f := range failures {
		for _, wr := range writes {
			t.Run(wr.name+" "+f.name, func(t *testing.T) {
				var h hits
				c, _ := newAPIClient(t, func(w http.ResponseWriter, r *http.Request) {
					h.add(r.URL.Path)
					f.fail(t, w)
				})
				if err := wr.do(c); err == nil {
					t.Fatal("no error")
				}
				if got := h.get("/w"); got != 1 {
					t.Errorf("%d hits, want 1", got)
				}
			})
		}
	}
}

// tokenErrorServer answers the API path with code for every token but good, and hands out fresh from
// stable_token; it counts both.
func tokenErrorServer(t *testing.T, h *hits, good, fresh string, code int) *httptest.Server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		switch r.URL.Path {
		case stableTokenPath:
			writeJSON(w, map[string]any{"access_token": fresh, "expires_in": 7200})
		default:
			if r.URL.Query().Get("access_token") != good {
				writeJSON(w, map[string]any{"errcode": code, "errmsg": "invalid credential"})
				return
			}
			writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "n": 1})
		}
	})
}

func callKinds() map[string]func(c *Client, out any) error {
	ctx := context.Background()
	return map[string]func(c *Client, out any) error{
		"PostRead":    func(c *Client, out any) error { return c.PostRead(ctx, "/api", nil, out) },
		"PostWrite":   func(c *Client, out any) error { return c.PostWrite(ctx, "/api", nil, out) },
		"GetRead":     func(c *Client, out any) error { return c.GetRead(ctx, "/api", nil, out) },
		"UploadWrite": func(c *Client, out any) error { return c.UploadWrite(ctx, "/api", nil, "image/png", []byte("x"), out) },
	}
}

func TestStaleTokenIsRefreshedAndCallRetriedOnce(t *testing.T) {
	for _, code := range []int{40001, 40014, 42001} {
		for name, call := range callKinds() {
			t.Run(name, func(t *testing.T) {
				var h hits
				srv := tokenErrorServer(t, &h, "NEW", "NEW", code)
				store := storeWith(t, "OLD", time.Hour)
				c := NewClient(testConfig(srv.URL, store))
				var out struct{ N int }
				if err := call(c, &out); err != nil {
					t.Fatalf("errcode %d: %v", code, err)
				}
				if out.N != 1 || h.get("/api") != 2 || h.get(stableTokenPath) != 1 {
					t.Errorf("errcode %d: n=%d, %d API hits, %d token fetches; want 1, 2, 1",
						code, out.N, h.get("/api"), h.get(stableTokenPath))
				}
				if tok, _ := store.LoadToken(context.Background(), testAppID); tok.Value != "NEW" {
					t.Errorf("stored token %q, want NEW", tok.Value)
				}
			})
		}
	}
}

// swapOnReject plays another process: it stores a newer token just as WeChat rejects the old one.
func TestTokenErrorUsesNewerStoredTokenWithoutFetching(t *testing.T) {
	for name, call := range callKinds() {
		t.Run(name, func(t *testing.T) {
			var h hits
			store := storeWith(t, "OLD", time.Hour)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r.URL.Path)
				switch tok := r.URL.Query().Get("access_token"); {
				case r.URL.Path == stableTokenPath:
					writeJSON(w, map[string]any{"access_token": "FETCHED", "expires_in": 7200})
				case tok == "OLD":
					_ = store.SaveToken(r.Context(), testAppID, Token{Value: "NEWER", ExpiresAt: time.Now().Add(time.Hour)})
					writeJSON(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
				case tok == "NEWER":
					writeJSON(w, map[string]any{"errcode": 0, "n": 1})
				default:
					t.Errorf("API called with token %q", tok)
					writeJSON(w, map[string]any{"errcode": 40014})
				}
			})
			c := NewClient(testConfig(srv.URL, store))
			if err := call(c, nil); err != nil {
				t.Fatal(err)
			}
			if h.get(stableTokenPath) != 0 || h.get("/api") != 2 {
				t.Errorf("%d token fetches and %d API hits, want 0 and 2", h.get(stableTokenPath), h.get("/api"))
			}
		})
	}
}

func TestSecondTokenErrorIsReturned(t *testing.T) {
	for name, call := range callKinds() {
		t.Run(name, func(t *testing.T) {
			var h hits
			srv := tokenErrorServer(t, &h, "NEVER", "NEW", 42001)
			c := NewClient(testConfig(srv.URL, storeWith(t, "OLD", time.Hour)))
			err := call(c, nil)
			if !IsCode(err, 42001) {
				t.Fatalf("err = %v, want errcode 42001", err)
			}
			if h.get("/api") != 2 || h.get(stableTokenPath) != 1 {
				t.Errorf("%d API hits and %d fetches, want 2 and 1", h.get("/api"), h.get(stableTokenPath))
			}
		})
	}
}

func TestErrorsAndLogsNeverShowSecretOrToken(t *testing.T) {
	const token = "TOKEN-abcdef-123456"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		switch r.URL.Path {
		case stableTokenPath:
			http.NotFound(w, r)
		case tokenPath:
			if h.get(tokenPath) == 1 { // a network error on the URL that carries the secret
				dropConnection(t, w)
				return
			}
			writeJSON(w, map[string]any{"access_token": token, "expires_in": 7200})
		case "/drop":
			dropConnection(t, w)
		case "/echo": // a broken proxy echoing the request into its error page
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "bad request: "+r.URL.RawQuery)
		}
	})
	cfg := testConfig(srv.URL, nil)
	cfg.Logger = logger
	c := NewClient(cfg)
	ctx := context.Background()
	if _, err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	var errs []error
	errs = append(errs, c.PostRead(ctx, "/drop", nil, nil), c.PostWrite(ctx, "/echo", nil, nil), c.GetRead(ctx, "/echo", nil, nil))

	// A URL that does not parse: url.Error would quote it, token and all.
	badCfg := testConfig(srv.URL+"/\x7f", storeWith(t, token, time.Hour))
	badCfg.Logger = logger
	errs = append(errs, NewClient(badCfg).GetRead(ctx, "/x", nil, nil))

	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: no error", i)
			continue
		}
		if s := err.Error(); strings.Contains(s, testSecret) || strings.Contains(s, token) {
			t.Errorf("call %d: error shows a secret: %s", i, s)
		}
	}
	if strings.Contains(logs.String(), testSecret) || strings.Contains(logs.String(), token) {
		t.Errorf("logs show a secret:\n%s", logs.String())
	}
	if h.get(tokenPath) != 2 {
		t.Errorf("%d hits on %s, want 2 (the dropped one retried)", h.get(tokenPath), tokenPath)
	}
}

func TestNewClientDefaults(t *testing.T) {
	c := NewClient(Config{BaseURL: "http://example.test/", AppID: "a"})
	if c.baseURL != "http://example.test" {
		t.Errorf("baseURL = %q", c.baseURL)
	}
	if c.http == nil || c.http.Timeout == 0 || c.tokens == nil || c.log == nil {
		t.Errorf("missing defaults: %+v", c)
	}
	if c.refreshBefore != defaultRefreshBefore || c.maxReadAttempts != defaultMaxReadAttempts ||
		c.retryBackoff != defaultRetryBackoff || c.leaseTTL != defaultLeaseTTL {
		t.Errorf("durations not defaulted: %+v", c)
	}
	if NewClient(Config{}).baseURL != DefaultBaseURL {
		t.Error("empty BaseURL is not the default")
	}
	if NewClient(Config{}).holder == NewClient(Config{}).holder {
		t.Error("two clients share a lease holder id")
	}
}
