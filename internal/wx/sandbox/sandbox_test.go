package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/wx/sandbox"
)

const shopInfoPath = "/channels/ec/basics/info/get"

// clock is the sandbox's Now in tests: time moves only when a test says so.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a sandbox behind a real HTTP server, seen from a client.
type env struct {
	t     *testing.T
	sb    *sandbox.Server
	ts    *httptest.Server
	clock *clock
}

// newEnv starts a sandbox with a fixed seed and a test clock unless opts brings its own.
func newEnv(t *testing.T, opts sandbox.Options) *env {
	t.Helper()
	c := &clock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	sb := sandbox.New(opts)
	return &env{t: t, sb: sb, ts: newServerFor(t, sb), clock: c}
}

func newServerFor(t *testing.T, sb *sandbox.Server) *httptest.Server {
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	return ts
}

// answer holds the fields of every answer these tests look at; raw keeps the body as sent.
type answer struct {
	ErrCode     int    `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	raw         []byte
}

// do sends one request and checks what WeChat always does: HTTP 200 and a JSON body, whatever the errcode.
func (e *env) do(method, path string, query url.Values, body string) answer {
	e.t.Helper()
	u := e.ts.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, u, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("%s %s: HTTP %d, want 200 (WeChat reports errors in the body)", method, path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		e.t.Fatalf("%s %s: Content-Type %q", method, path, ct)
	}
	a := answer{raw: raw}
	if err := json.Unmarshal(raw, &a); err != nil {
		e.t.Fatalf("%s %s: body is not JSON: %v: %s", method, path, err, raw)
	}
	return a
}

func (e *env) get(path string, query url.Values) answer { return e.do(http.MethodGet, path, query, "") }

// token gets a new token from /cgi-bin/token, failing the test if it is refused.
func (e *env) token() string {
	e.t.Helper()
	a := e.get("/cgi-bin/token", url.Values{
		"grant_type": {"client_credential"}, "appid": {e.sb.AppID()}, "secret": {e.sb.Secret()},
	})
	if a.ErrCode != 0 || a.AccessToken == "" {
		e.t.Fatalf("token refused: %s", a.raw)
	}
	return a.AccessToken
}

// stableToken calls /cgi-bin/stable_token, failing the test if it is refused.
func (e *env) stableToken(forceRefresh bool) answer {
	e.t.Helper()
	body := fmt.Sprintf(`{"grant_type":"client_credential","appid":%q,"secret":%q,"force_refresh":%t}`,
		e.sb.AppID(), e.sb.Secret(), forceRefresh)
	a := e.do(http.MethodPost, "/cgi-bin/stable_token", nil, body)
	if a.ErrCode != 0 || a.AccessToken == "" {
		e.t.Fatalf("stable_token refused: %s", a.raw)
	}
	return a
}

// shopInfo makes an API call with tok, the simplest one there is.
func (e *env) shopInfo(tok string) answer {
	e.t.Helper()
	return e.get(shopInfoPath, url.Values{"access_token": {tok}})
}

// wantErr fails the test unless a carries errcode want.
func wantErr(t *testing.T, a answer, want int) {
	t.Helper()
	if a.ErrCode != want {
		t.Fatalf("errcode %d, want %d: %s", a.ErrCode, want, a.raw)
	}
	if want != 0 && a.ErrMsg == "" {
		t.Fatalf("errcode %d without errmsg: %s", a.ErrCode, a.raw)
	}
}

func TestUnknownPathIsInvalidURL(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tok := e.token()
	for _, path := range []string{"/merchant/nosuchthing", "/", "/cgi-bin/token/extra"} {
		a := e.get(path, url.Values{"access_token": {tok}})
		wantErr(t, a, 40066)
		if a.ErrMsg != "invalid url" {
			t.Errorf("%s: errmsg %q", path, a.ErrMsg)
		}
	}
	// The path is checked before the token, as WeChat does: a client with a typo learns about the typo.
	wantErr(t, e.get("/merchant/nosuchthing", nil), 40066)
}

func TestWrongMethod(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tok := e.token()
	wantErr(t, e.get("/cgi-bin/stable_token", nil), 43002)
	wantErr(t, e.do(http.MethodPost, "/cgi-bin/token", nil, ""), 43001)
	wantErr(t, e.do(http.MethodPost, shopInfoPath, url.Values{"access_token": {tok}}, "{}"), 43001)
}

func TestJSONIsNotEscaped(t *testing.T) {
	e := newEnv(t, sandbox.Options{ShopName: "小店 <A&B>"})
	a := e.shopInfo(e.token())
	wantErr(t, a, 0)
	for _, want := range []string{`"nickname":"小店 <A&B>"`, `"headimg_url":"http://`} {
		if !bytes.Contains(a.raw, []byte(want)) {
			t.Errorf("body lacks %s: %s", want, a.raw)
		}
	}
}

func TestConcurrentRequests(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tok := e.token()
	const workers, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan string, workers*rounds*3)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				// Fault controls change state while other goroutines are being served.
				switch (w + i) % 5 {
				case 0:
					e.sb.FailNext(shopInfoPath, 45009, "reach max api daily quota limit", 1)
				case 1:
					e.sb.SetFailRate(0.2)
				case 2:
					e.sb.SetFailRate(0)
				case 3:
					e.sb.SetLatency(time.Millisecond)
				case 4:
					e.sb.SetLatency(0)
				}
				_ = e.sb.Calls(shopInfoPath)
				if a := e.stableToken(i%7 == 0); a.AccessToken == "" {
					errs <- "stable_token without a token"
				}
				switch a := e.shopInfo(tok); a.ErrCode {
				case 0, -1, 45009:
				default:
					errs <- fmt.Sprintf("shop info: %s", a.raw)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	if got, want := e.sb.Calls(shopInfoPath), workers*rounds; got != want {
		t.Errorf("Calls(%s) = %d, want %d", shopInfoPath, got, want)
	}
	if got, want := e.sb.Calls("/cgi-bin/stable_token"), workers*rounds; got != want {
		t.Errorf("Calls(stable_token) = %d, want %d", got, want)
	}
}
