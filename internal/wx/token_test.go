package wx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenServer hands out tokens named T1, T2, ... from stable_token after delay, and counts fetches.
func tokenServer(t *testing.T, delay time.Duration, expiresIn int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var fetches atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != stableTokenPath {
			t.Errorf("unexpected call %s %s", r.Method, r.URL.Path)
			http.NotFound(w, r)
			return
		}
		n := fetches.Add(1)
		time.Sleep(delay)
		writeJSON(w, map[string]any{"access_token": "T" + strconv.Itoa(int(n)), "expires_in": expiresIn})
	})
	return srv, &fetches
}

func TestTokenFetchesWithStableToken(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != stableTokenPath || r.URL.RawQuery != "" {
			t.Errorf("got %s %s?%s, want POST %s", r.Method, r.URL.Path, r.URL.RawQuery, stableTokenPath)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("body: %v", err)
		}
		want := map[string]any{"grant_type": "client_credential", "appid": testAppID, "secret": testSecret, "force_refresh": false}
		if !reflect.DeepEqual(body, want) {
			t.Errorf("body = %v, want %v", body, want)
		}
		// WeChat's token answers carry no errcode.
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, `{"access_token":"ACCESS","expires_in":7200}`)
	})
	store := NewMemoryTokenStore()
	c := NewClient(testConfig(srv.URL, store))
	before := time.Now()
	tok, err := c.Token(context.Background())
	after := time.Now()
	if err != nil || tok != "ACCESS" {
		t.Fatalf("Token = %q, %v", tok, err)
	}
	stored, _ := store.LoadToken(context.Background(), testAppID)
	if stored.Value != "ACCESS" ||
		stored.ExpiresAt.Before(before.Add(7200*time.Second)) || stored.ExpiresAt.After(after.Add(7200*time.Second)) {
		t.Errorf("stored %+v, want ACCESS expiring 7200 s after the fetch", stored)
	}
}

func TestTokenFallsBackToCgiBinToken(t *testing.T) {
	unavailable := map[string]func(w http.ResponseWriter, r *http.Request){
		"404": http.NotFound,
		"405": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusMethodNotAllowed) },
		"errcode 48001": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"errcode": 48001, "errmsg": "api unauthorized"})
		},
		"errcode 40066": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"errcode": 40066, "errmsg": "invalid url"})
		},
		"404 with a page": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			io.WriteString(w, "<html>nope</html>")
		},
	}
	for name, stable := range unavailable {
		t.Run(name, func(t *testing.T) {
			var h hits
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r.URL.Path)
				switch r.URL.Path {
				case stableTokenPath:
					stable(w, r)
				case tokenPath:
					q := r.URL.Query()
					if r.Method != http.MethodGet || q.Get("grant_type") != "client_credential" ||
						q.Get("appid") != testAppID || q.Get("secret") != testSecret || len(q) != 3 {
						t.Errorf("got %s %s?%s", r.Method, r.URL.Path, r.URL.RawQuery)
					}
					writeJSON(w, map[string]any{"access_token": "OLDSTYLE", "expires_in": 7200})
				}
			})
			tok, err := NewClient(testConfig(srv.URL, nil)).Token(context.Background())
			if err != nil || tok != "OLDSTYLE" {
				t.Fatalf("Token = %q, %v", tok, err)
			}
			if h.get(stableTokenPath) != 1 || h.get(tokenPath) != 1 {
				t.Errorf("hits: stable %d, token %d; want 1 and 1", h.get(stableTokenPath), h.get(tokenPath))
			}
		})
	}
}

func TestTokenCredentialErrorsDoNotFallBack(t *testing.T) {
	for _, code := range []int{40013, 40125, 40164, 61024} {
		var h hits
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			h.add(r.URL.Path)
			writeJSON(w, map[string]any{"errcode": code, "errmsg": "refused"})
		})
		_, err := NewClient(testConfig(srv.URL, nil)).Token(context.Background())
		var werr *Error
		if !errors.As(err, &werr) || werr.Code != code || werr.Path != stableTokenPath {
			t.Errorf("errcode %d: err = %v", code, err)
		}
		if h.get(tokenPath) != 0 || h.get(stableTokenPath) != 1 {
			t.Errorf("errcode %d: hits stable %d, token %d; want 1 and 0", code, h.get(stableTokenPath), h.get(tokenPath))
		}
		if err != nil && strings.Contains(err.Error(), testSecret) {
			t.Errorf("error shows the secret: %v", err)
		}
	}
}

func TestTokenAnswerWithoutTokenIsError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"errcode": 0, "expires_in": 7200})
	})
	_, err := NewClient(testConfig(srv.URL, nil)).Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no access_token") {
		t.Fatalf("err = %v", err)
	}
}

func TestTokenNeedsCredentials(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	cfg := testConfig(srv.URL, nil)
	cfg.Secret = ""
	if _, err := NewClient(cfg).Token(context.Background()); err == nil {
		t.Fatal("no error without a secret")
	}
	if fetches.Load() != 0 {
		t.Errorf("%d fetches without a secret", fetches.Load())
	}
}

func TestTokenUsesStoredTokenWhileFresh(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	c := NewClient(testConfig(srv.URL, storeWith(t, "STORED", 6*time.Minute)))
	for range 3 {
		if tok, err := c.Token(context.Background()); err != nil || tok != "STORED" {
			t.Fatalf("Token = %q, %v", tok, err)
		}
	}
	if fetches.Load() != 0 {
		t.Errorf("%d fetches, want 0", fetches.Load())
	}
}

func TestTokenRefreshesBeforeExpiry(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	store := storeWith(t, "OLD", 4*time.Minute) // inside the default 5-minute window
	c := NewClient(testConfig(srv.URL, store))
	if tok, err := c.Token(context.Background()); err != nil || tok != "T1" {
		t.Fatalf("Token = %q, %v; want T1", tok, err)
	}
	if tok, _ := store.LoadToken(context.Background(), testAppID); tok.Value != "T1" || fetches.Load() != 1 {
		t.Errorf("stored %q after %d fetches", tok.Value, fetches.Load())
	}
}

func TestTokenRefreshBeforeIsConfigurable(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	cfg := testConfig(srv.URL, storeWith(t, "OLD", 4*time.Minute))
	cfg.RefreshBefore = time.Minute
	if tok, err := NewClient(cfg).Token(context.Background()); err != nil || tok != "OLD" || fetches.Load() != 0 {
		t.Fatalf("Token = %q, %v after %d fetches; want OLD without fetching", tok, err, fetches.Load())
	}
}

func TestTokenEarlyRefreshFailureKeepsCurrentToken(t *testing.T) {
	var h hits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r.URL.Path)
		writeJSON(w, map[string]any{"errcode": -1, "errmsg": "system error"})
	})
	c := NewClient(testConfig(srv.URL, storeWith(t, "OLD", 4*time.Minute)))
	for range 2 {
		if tok, err := c.Token(context.Background()); err != nil || tok != "OLD" {
			t.Fatalf("Token = %q, %v; want OLD", tok, err)
		}
	}
	// One refresh (tried MaxReadAttempts times); the second call does not hammer a failing WeChat.
	if h.get(stableTokenPath) != defaultMaxReadAttempts {
		t.Errorf("%d fetches, want %d", h.get(stableTokenPath), defaultMaxReadAttempts)
	}
}

func TestTokenExpiredAndFetchFails(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"})
	})
	_, err := NewClient(testConfig(srv.URL, storeWith(t, "DEAD", -time.Minute))).Token(context.Background())
	if !IsCode(err, 40164) {
		t.Fatalf("err = %v, want errcode 40164", err)
	}
}

// stable_token answers with the same token until it expires, so a token already inside the refresh window
// when it arrives must not send every call back to WeChat.
func TestTokenShortLivedAnswerIsNotRefetchedOnEveryCall(t *testing.T) {
	for _, expiresIn := range []int{120, 5} {
		srv, fetches := tokenServer(t, 0, expiresIn)
		c := NewClient(testConfig(srv.URL, nil))
		for range 3 {
			if tok, err := c.Token(context.Background()); err != nil || tok != "T1" {
				t.Fatalf("expires_in %d: Token = %q, %v", expiresIn, tok, err)
			}
		}
		if fetches.Load() != 1 {
			t.Errorf("expires_in %d: %d fetches, want 1", expiresIn, fetches.Load())
		}
	}
}

func TestTokenConcurrentCallersShareOneFetch(t *testing.T) {
	srv, fetches := tokenServer(t, 20*time.Millisecond, 7200)
	c := NewClient(testConfig(srv.URL, nil))
	const n = 50
	var wg sync.WaitGroup
	got := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = c.Token(context.Background())
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || got[i] != "T1" {
			t.Fatalf("caller %d: %q, %v", i, got[i], errs[i])
		}
	}
	if fetches.Load() != 1 {
		t.Errorf("%d fetches, want 1", fetches.Load())
	}
}

func TestTokenCallerGivingUpDoesNotFailOthers(t *testing.T) {
	srv, fetches := tokenServer(t, 60*time.Millisecond, 7200)
	c := NewClient(testConfig(srv.URL, nil))
	short, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	var shortErr error
	wg.Go(func() { _, shortErr = c.Token(short) })
	time.Sleep(2 * time.Millisecond) // let the short caller start the fetch
	tok, err := c.Token(context.Background())
	wg.Wait()
	if !errors.Is(shortErr, context.DeadlineExceeded) {
		t.Errorf("short caller: %v, want deadline exceeded", shortErr)
	}
	if err != nil || tok != "T1" || fetches.Load() != 1 {
		t.Errorf("patient caller: %q, %v after %d fetches; want T1 after 1", tok, err, fetches.Load())
	}
}

// leaseSpy reports each lease refusal, so a test knows a client is waiting on another's refresh.
type leaseSpy struct {
	TokenStore
	denied chan struct{}
	// onAcquired, when set, runs after a successful acquire, before the caller goes on.
	onAcquired func()
}

func (s *leaseSpy) AcquireRefreshLease(ctx context.Context, appID, holder string, ttl time.Duration) (bool, error) {
	ok, err := s.TokenStore.AcquireRefreshLease(ctx, appID, holder, ttl)
	if err == nil && !ok && s.denied != nil {
		select {
		case s.denied <- struct{}{}:
		default:
		}
	}
	if ok && s.onAcquired != nil {
		s.onAcquired()
	}
	return ok, err
}

func TestTokenTwoClientsShareOneStore(t *testing.T) {
	t.Run("one after the other", func(t *testing.T) {
		srv, fetches := tokenServer(t, 0, 7200)
		store := NewMemoryTokenStore()
		a, b := NewClient(testConfig(srv.URL, store)), NewClient(testConfig(srv.URL, store))
		ta, _ := a.Token(context.Background())
		tb, _ := b.Token(context.Background())
		if ta != "T1" || tb != "T1" || fetches.Load() != 1 {
			t.Errorf("a %q, b %q after %d fetches; want T1, T1 after 1", ta, tb, fetches.Load())
		}
	})
	t.Run("at the same time", func(t *testing.T) {
		release := make(chan struct{})
		var fetches atomic.Int32
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			fetches.Add(1)
			<-release
			writeJSON(w, map[string]any{"access_token": "SHARED", "expires_in": 7200})
		})
		spy := &leaseSpy{TokenStore: NewMemoryTokenStore(), denied: make(chan struct{}, 1)}
		a, b := NewClient(testConfig(srv.URL, spy)), NewClient(testConfig(srv.URL, spy))

		results := make(chan string, 2)
		go func() { tok, _ := a.Token(context.Background()); results <- tok }()
		waitFor(t, func() bool { return fetches.Load() == 1 }) // a holds the lease and is fetching
		go func() { tok, _ := b.Token(context.Background()); results <- tok }()
		select {
		case <-spy.denied: // b found a's lease and waits
		case <-time.After(5 * time.Second):
			t.Fatal("b never asked for the lease")
		}
		close(release)
		for range 2 {
			if tok := <-results; tok != "SHARED" {
				t.Errorf("got %q, want SHARED", tok)
			}
		}
		if fetches.Load() != 1 {
			t.Errorf("%d fetches, want 1", fetches.Load())
		}
	})
}

func TestTokenRechecksStoreAfterTakingLease(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	inner := NewMemoryTokenStore()
	spy := &leaseSpy{TokenStore: inner, onAcquired: func() {
		// Another process finished its refresh between our read and our taking the lease.
		_ = inner.SaveToken(context.Background(), testAppID, Token{Value: "OTHER", ExpiresAt: time.Now().Add(time.Hour)})
	}}
	tok, err := NewClient(testConfig(srv.URL, spy)).Token(context.Background())
	if err != nil || tok != "OTHER" || fetches.Load() != 0 {
		t.Fatalf("Token = %q, %v after %d fetches; want OTHER without fetching", tok, err, fetches.Load())
	}
}

func TestTokenTakesOverFromDeadLeaseHolder(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	store := NewMemoryTokenStore()
	const ttl = 60 * time.Millisecond
	if ok, _ := store.AcquireRefreshLease(context.Background(), testAppID, "crashed-process", ttl); !ok {
		t.Fatal("could not set up the dead holder's lease")
	}
	start := time.Now()
	tok, err := NewClient(testConfig(srv.URL, store)).Token(context.Background())
	if err != nil || tok != "T1" || fetches.Load() != 1 {
		t.Fatalf("Token = %q, %v after %d fetches", tok, err, fetches.Load())
	}
	if waited := time.Since(start); waited < ttl-10*time.Millisecond {
		t.Errorf("fetched after %v, before the dead holder's lease ran out", waited)
	}
}

func TestTokenWaitOnOtherProcessRespectsContext(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	store := NewMemoryTokenStore()
	_, _ = store.AcquireRefreshLease(context.Background(), testAppID, "slow-process", time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := NewClient(testConfig(srv.URL, store)).Token(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 2*time.Second || fetches.Load() != 0 {
		t.Errorf("returned after %v with %d fetches", time.Since(start), fetches.Load())
	}
}

func TestTokenWhileOtherProcessRefreshesUsesCurrentToken(t *testing.T) {
	srv, fetches := tokenServer(t, 0, 7200)
	store := storeWith(t, "CURRENT", 4*time.Minute) // due for refresh, still accepted
	_, _ = store.AcquireRefreshLease(context.Background(), testAppID, "other-process", time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	tok, err := NewClient(testConfig(srv.URL, store)).Token(ctx)
	if err != nil || tok != "CURRENT" || fetches.Load() != 0 {
		t.Fatalf("Token = %q, %v after %d fetches; want CURRENT without fetching", tok, err, fetches.Load())
	}
}

func TestTokenFetchStopsWhenLeaseRunsOut(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	cfg := testConfig(srv.URL, nil)
	cfg.LeaseTTL = 40 * time.Millisecond
	start := time.Now()
	_, err := NewClient(cfg).Token(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %v, want deadline exceeded soon after the lease", err, time.Since(start))
	}
}

func TestTokenReleasesLeaseAfterRefresh(t *testing.T) {
	srv, _ := tokenServer(t, 0, 7200)
	store := NewMemoryTokenStore()
	if _, err := NewClient(testConfig(srv.URL, store)).Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ok, _ := store.AcquireRefreshLease(context.Background(), testAppID, "next", time.Minute); !ok {
		t.Error("lease still held after the refresh ended")
	}
}

type failingStore struct{ TokenStore }

func (failingStore) LoadToken(context.Context, string) (Token, error) {
	return Token{}, errors.New("database is locked")
}

func TestTokenStoreErrorIsWrapped(t *testing.T) {
	_, err := NewClient(testConfig("http://127.0.0.1:1", failingStore{})).Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "wx: load access token: database is locked") {
		t.Fatalf("err = %v", err)
	}
}

func TestMemoryTokenStore(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryTokenStore()
	if tok, err := s.LoadToken(ctx, "a"); err != nil || tok != (Token{}) {
		t.Fatalf("empty store: %+v, %v", tok, err)
	}
	exp := time.Now().Add(time.Hour)
	_ = s.SaveToken(ctx, "a", Token{"one", exp})
	_ = s.SaveToken(ctx, "a", Token{"two", exp})
	if tok, _ := s.LoadToken(ctx, "a"); tok.Value != "two" {
		t.Errorf("after replace: %q", tok.Value)
	}
	if tok, _ := s.LoadToken(ctx, "b"); tok.Value != "" {
		t.Errorf("appIDs not separate: %q", tok.Value)
	}

	steps := []struct {
		name   string
		do     func() (bool, error)
		wantOK bool
	}{
		{"x takes", func() (bool, error) { return s.AcquireRefreshLease(ctx, "a", "x", 30*time.Millisecond) }, true},
		{"y refused", func() (bool, error) { return s.AcquireRefreshLease(ctx, "a", "y", time.Minute) }, false},
		{"other appID free", func() (bool, error) { return s.AcquireRefreshLease(ctx, "b", "y", time.Minute) }, true},
		{"x renews", func() (bool, error) { return s.AcquireRefreshLease(ctx, "a", "x", 30*time.Millisecond) }, true},
		{"y cannot release x's", func() (bool, error) {
			_ = s.ReleaseRefreshLease(ctx, "a", "y")
			return s.AcquireRefreshLease(ctx, "a", "y", time.Minute)
		}, false},
		{"y takes after expiry", func() (bool, error) {
			time.Sleep(40 * time.Millisecond)
			return s.AcquireRefreshLease(ctx, "a", "y", time.Minute)
		}, true},
		{"y releases, x takes", func() (bool, error) {
			_ = s.ReleaseRefreshLease(ctx, "a", "y")
			return s.AcquireRefreshLease(ctx, "a", "x", time.Minute)
		}, true},
	}
	for _, st := range steps {
		if ok, err := st.do(); err != nil || ok != st.wantOK {
			t.Errorf("%s: %v, %v; want %v", st.name, ok, err, st.wantOK)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}
