package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx/sandbox"
)

// testClock is a clock a test moves by hand, safe to read from many goroutines.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Unix(1_800_000_000, 0).UnixNano())
	return c
}
func (c *testClock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *testClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func wantThrottled(t *testing.T, err error, locked bool) time.Duration {
	t.Helper()
	var te *throttledError
	if !errors.As(err, &te) || te.locked != locked || te.wait <= 0 {
		t.Fatalf("reserve: err %v, want throttled (locked %v)", err, locked)
	}
	return te.wait
}

func TestThrottleLocksAPairSlowsAUserAndLocksAnAddress(t *testing.T) {
	ctx := context.Background()
	clock := newTestClock()
	th := newMemoryThrottle(clock.now)
	for range maxFailuresPerPair {
		if _, err := th.reserve(ctx, "Li", "10.0.0.1"); err != nil {
			t.Fatalf("refused before the limit: %v", err)
		}
	}
	// The pair is locked for the window; names differing in case and spaces are one user.
	if wait := wantThrottled(t, func() error { _, err := th.reserve(ctx, "LI ", "10.0.0.1"); return err }(), true); wait != throttleWindow {
		t.Errorf("the pair waits %v, want %v", wait, throttleWindow)
	}
	// From elsewhere the same user is slowed down, by a delay that doubles, not locked out.
	wantThrottled(t, func() error { _, err := th.reserve(ctx, "li", "10.0.0.9"); return err }(), false)
	clock.advance(slowDelay(1))
	if _, err := th.reserve(ctx, "li", "10.0.0.9"); err != nil {
		t.Fatalf("after the delay, from another address: %v", err)
	}
	clock.advance(slowDelay(1))
	if wait := wantThrottled(t, func() error { _, err := th.reserve(ctx, "li", "10.0.0.9"); return err }(), false); wait != slowDelay(2)-slowDelay(1) {
		t.Errorf("the second slowed attempt waits %v, want %v", wait, slowDelay(2)-slowDelay(1))
	}
	if slowDelay(2) != 2*slowDelay(1) || slowDelay(40) != maxSlowDelay {
		t.Errorf("delays %v %v %v", slowDelay(1), slowDelay(2), slowDelay(40))
	}
	// Another user from another address is untouched.
	if _, err := th.reserve(ctx, "zhang", "10.0.0.9"); err != nil {
		t.Fatalf("another user: %v", err)
	}
	// A right password gives its attempt back and forgets the pair's failures, so the owner's next sign-in
	// from there is not locked.
	clock.advance(maxSlowDelay)
	try, err := th.reserve(ctx, "li", "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	th.release(ctx, try, true)
	clock.advance(throttleWindow + time.Second)
	if _, err := th.reserve(ctx, "li", "10.0.0.1"); err != nil {
		t.Fatalf("still refused after the window: %v", err)
	}
	// Spraying many usernames from one address trips the address limit; a success does not clear it.
	for i := range maxFailuresPerAddr {
		try, err := th.reserve(ctx, "user"+string(rune('a'+i)), "10.0.0.2")
		if err != nil {
			t.Fatalf("spray %d refused: %v", i, err)
		}
		if i == 0 {
			th.release(ctx, try, true)
		}
	}
	if _, err := th.reserve(ctx, "user-z", "10.0.0.2"); err == nil {
		_, err = th.reserve(ctx, "user-y", "10.0.0.2")
		wantThrottled(t, err, true)
	} else {
		wantThrottled(t, err, true)
	}
}

// Attempts that arrive together are counted before any of them is checked: no more than the limit get through.
func TestThrottleParallelReservationsStopAtTheLimit(t *testing.T) {
	ctx := context.Background()
	th := newMemoryThrottle(time.Now)
	var passed atomic.Int32
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if _, err := th.reserve(ctx, "admin", "10.0.0.1"); err == nil {
				passed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := passed.Load(); n != maxFailuresPerPair {
		t.Errorf("%d of 200 parallel attempts passed, want %d", n, maxFailuresPerPair)
	}
}

// Forty wrong passwords sent at once: at most the limit are evaluated (answered 422), the rest are refused
// without a look (429), and the right password that comes next is refused too.
func TestSecurityParallelSignInAttemptsAreCountedBeforeTheyAreChecked(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 40 {
		wg.Go(func() {
			a := s.browser(t).post("/login", url.Values{"username": {"admin"}, "password": {"guess-guess-" + string(rune('a'+i%26))}})
			mu.Lock()
			statuses[a.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusUnprocessableEntity] > maxFailuresPerPair || statuses[http.StatusTooManyRequests] != 40-statuses[http.StatusUnprocessableEntity] {
		t.Errorf("answers %v: %d evaluated, want at most %d", statuses, statuses[http.StatusUnprocessableEntity], maxFailuresPerPair)
	}
	a := s.browser(t).post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}})
	wantStatus(t, a, http.StatusTooManyRequests)
}

// trustingServer is a test server behind a proxy at 127.0.0.1 (where the test's requests come from), whose
// X-Forwarded-For it believes; its throttle runs on clock.
func trustingServer(t *testing.T, clock *testClock, logs *bytes.Buffer) *testServer {
	s := newOrderServer(t, sandbox.Options{}, func(_ *sandbox.Server, cfg *Config, opts *Options) {
		cfg.TrustedProxies = []string{"127.0.0.1"}
		if logs != nil {
			opts.Logger = slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, nil))
		}
	})
	s.app.throttle = newMemoryThrottle(clock.now)
	return s
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

// Five wrong passwords from somewhere else lock that somewhere out, not the owner: from their own address the
// owner is slowed down by seconds at most, signs in, and may change the password.
func TestSecurityWrongPasswordsFromElsewhereDoNotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	s := trustingServer(t, clock, nil)
	attacker := s.browser(t)
	for range maxFailuresPerPair {
		a := attacker.post("/login", url.Values{"username": {"admin"}, "password": {"guess-guess-1"}}, "X-Forwarded-For", "203.0.113.7")
		wantStatus(t, a, http.StatusUnprocessableEntity)
	}
	a := attacker.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Forwarded-For", "203.0.113.7")
	wantStatus(t, a, http.StatusTooManyRequests)
	wantBody(t, a, "登录失败次数过多，请 15 分钟后再试。")

	owner := s.browser(t)
	a = owner.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Forwarded-For", "198.51.100.2")
	wantStatus(t, a, http.StatusTooManyRequests)
	wantBody(t, a, "尝试过于频繁，请 1 秒后再试。")
	clock.advance(slowDelay(1))
	a = owner.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Forwarded-For", "198.51.100.2")
	wantStatus(t, a, http.StatusSeeOther)

	// The audit log's sign-in names the address the proxy gave.
	entries, _, err := s.store.AuditSearch(t.Context(), db.AuditFilter{Action: "auth.login"}, 10, 0)
	if err != nil || len(entries) == 0 || entries[0].Detail != "ip 198.51.100.2" {
		t.Errorf("the audit log's sign-in: %+v (%v)", entries, err)
	}

	clock.advance(maxSlowDelay)
	a = owner.post("/account/password", url.Values{"current_password": {testAdminPassword},
		"new_password": {"a-new-password-2"}, "new_password_again": {"a-new-password-2"}}, "X-Forwarded-For", "198.51.100.2")
	wantStatus(t, a, http.StatusSeeOther)
}

// Only a trusted proxy is believed: without TRUSTED_PROXIES an X-Forwarded-For changes nothing, and with it an
// address the client put in front of the proxy's own is not believed either.
func TestSecurityForwardedAddressOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	direct := newTestServer(t)
	b := direct.browser(t)
	for i := range maxFailuresPerPair {
		b.post("/login", url.Values{"username": {"admin"}, "password": {"guess-guess-1"}}, "X-Forwarded-For", "203.0.113."+string(rune('1'+i)))
	}
	a := b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Forwarded-For", "198.51.100.9", "X-Real-IP", "198.51.100.9")
	wantStatus(t, a, http.StatusTooManyRequests)

	clock := newTestClock()
	s := trustingServer(t, clock, nil)
	b = s.browser(t)
	// The client says 198.51.100.50; the proxy appends the address it saw, 203.0.113.7.
	for range maxFailuresPerPair {
		b.post("/login", url.Values{"username": {"admin"}, "password": {"guess-guess-1"}}, "X-Forwarded-For", "198.51.100.50, 203.0.113.7")
	}
	a = b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Forwarded-For", "198.51.100.51, 203.0.113.7")
	wantStatus(t, a, http.StatusTooManyRequests)
	wantBody(t, a, "15 分钟")
	// X-Real-IP, when a proxy sets that instead.
	clock.advance(maxSlowDelay)
	wantStatus(t, b.post("/login", url.Values{"username": {"admin"}, "password": {testAdminPassword}}, "X-Real-IP", "198.51.100.60"), http.StatusSeeOther)
}

// A name no account can have (a megabyte of it, control characters) is refused before it is looked up,
// counted or logged; what is logged of a request is clipped.
func TestSecurityImpossibleUsernamesCostNothing(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := trustingServer(t, newTestClock(), &logs)
	b := s.browser(t)
	huge := strings.Repeat("x", 1<<20-1000)
	for _, name := range []string{huge, "admin\nlevel=ERROR msg=forged", "a", "名字", "admin'--"} {
		for range 5 {
			a := b.post("/login", url.Values{"username": {name}, "password": {"guess-guess-1"}})
			wantStatus(t, a, http.StatusUnprocessableEntity)
			wantBody(t, a, "用户名或密码不正确。")
			if len(a.body) > 64<<10 {
				t.Fatalf("the answer to a %d-byte name is %d bytes", len(name), len(a.body))
			}
		}
	}
	// None of the 25 counted: the address is not locked, the admin signs in.
	b.signIn("admin", testAdminPassword)
	// A long path is clipped in the request log.
	b.get("/" + strings.Repeat("p", 100<<10))
	out := logs.String()
	if len(out) > 32<<10 || strings.Contains(out, "forged") {
		t.Errorf("the log holds %d bytes after 25 impossible names and a 100 KB path:\n%.2000s", len(out), out)
	}
}
