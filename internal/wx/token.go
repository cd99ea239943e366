package wx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"
)

// Token is an access token and when WeChat stops accepting it.
type Token struct {
	Value     string
	ExpiresAt time.Time
}

// TokenStore keeps the token where every process of the app sees it (SQLite in production).
type TokenStore interface {
	// LoadToken returns the stored token for appID, or a zero Token and nil error when none is stored.
	LoadToken(ctx context.Context, appID string) (Token, error)
	// SaveToken stores t for appID, replacing what was there.
	SaveToken(ctx context.Context, appID string, t Token) error
	// AcquireRefreshLease tries to become the one process that refreshes appID's token, for ttl.
	// It reports false when another holder's lease has not yet run out.
	AcquireRefreshLease(ctx context.Context, appID, holder string, ttl time.Duration) (bool, error)
	// ReleaseRefreshLease gives the lease up early if holder still has it.
	ReleaseRefreshLease(ctx context.Context, appID, holder string) error
}

// ForcedRefreshCounter is what a TokenStore shared by several processes also implements so that WeChat's
// limits on forced refreshes (about 20 a day, at least 30 s apart, per AppID whoever asks) hold for all of
// them together, not for each alone. A TokenStore without it is counted by each Client in its own memory.
type ForcedRefreshCounter interface {
	// ClaimForcedRefresh counts a forced refresh of appID now and reports true if it fits: fewer than perDay
	// in the day being counted and none within gap of the last, across every process of the store.
	ClaimForcedRefresh(ctx context.Context, appID string, perDay int, gap time.Duration) (bool, error)
}

// MemoryTokenStore is a TokenStore in memory, safe for concurrent use (tests, single-process tools).
type MemoryTokenStore struct {
	mu     sync.Mutex
	tokens map[string]Token
	leases map[string]memoryLease
}

type memoryLease struct {
	holder string
	until  time.Time
}

// NewMemoryTokenStore returns an empty MemoryTokenStore.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{tokens: map[string]Token{}, leases: map[string]memoryLease{}}
}

// LoadToken implements TokenStore.
func (s *MemoryTokenStore) LoadToken(_ context.Context, appID string) (Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[appID], nil
}

// SaveToken implements TokenStore.
func (s *MemoryTokenStore) SaveToken(_ context.Context, appID string, t Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[appID] = t
	return nil
}

// AcquireRefreshLease implements TokenStore. The holder that has the lease may take it again, which
// extends it.
func (s *MemoryTokenStore) AcquireRefreshLease(_ context.Context, appID, holder string, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if l, ok := s.leases[appID]; ok && l.holder != holder && now.Before(l.until) {
		return false, nil
	}
	s.leases[appID] = memoryLease{holder: holder, until: now.Add(ttl)}
	return true, nil
}

// ReleaseRefreshLease implements TokenStore.
func (s *MemoryTokenStore) ReleaseRefreshLease(_ context.Context, appID, holder string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.leases[appID]; ok && l.holder == holder {
		delete(s.leases, appID)
	}
	return nil
}

// Token returns a valid access token, fetching or refreshing it as needed.
//
// The stored token is used while more than RefreshBefore of its life remains. Past that, one caller in
// the process refreshes while the others wait for it, and across processes the store's lease picks one
// refresher; the others keep using the old token while WeChat still accepts it, or poll the store until
// the new one appears or the lease runs out.
func (c *Client) Token(ctx context.Context) (string, error) {
	return c.tokenExcept(ctx, "")
}

// tokenExcept returns a token other than rejected (which WeChat just refused; "" for none). It refreshes
// only when the store still holds rejected: if another caller already replaced it, the newer one is used.
func (c *Client) tokenExcept(ctx context.Context, rejected string) (string, error) {
	// A flight started by a caller that did not know about rejected may come back with it; then one more
	// flight, this time for rejected, settles it. The bound is only a guard against surprises.
	for range 3 {
		t, err := c.tokens.LoadToken(ctx, c.appID)
		if err != nil {
			return "", fmt.Errorf("wx: load access token: %w", err)
		}
		if t.Value != rejected && c.fresh(t) {
			return t.Value, nil
		}
		f := c.joinFlight(ctx, rejected)
		select {
		case <-f.done:
		case <-ctx.Done():
			c.leaveFlight(f)
			return "", fmt.Errorf("wx: wait for access token: %w", ctx.Err())
		}
		if f.err != nil {
			return "", f.err
		}
		if f.tok.Value != rejected {
			return f.tok.Value, nil
		}
	}
	return "", errors.New("wx: WeChat rejected the access token and renewing it returned the same token")
}

// tokenFlight is one refresh in progress; callers in the process wait on done instead of fetching again.
type tokenFlight struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int // guarded by Client.mu
	tok     Token
	err     error
}

// joinFlight returns the refresh in progress, starting one if there is none. The refresh does not run
// under the ctx of the caller that started it, so that caller giving up does not fail the others waiting
// on it; it is cancelled only when every waiter has left.
func (c *Client) joinFlight(ctx context.Context, rejected string) *tokenFlight {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.flight; f != nil && f.waiters > 0 {
		f.waiters++
		return f
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &tokenFlight{done: make(chan struct{}), cancel: cancel, waiters: 1}
	c.flight = f
	go func() {
		defer cancel()
		f.tok, f.err = c.refresh(fctx, rejected)
		c.mu.Lock()
		if c.flight == f {
			c.flight = nil
		}
		c.mu.Unlock()
		close(f.done)
	}()
	return f
}

func (c *Client) leaveFlight(f *tokenFlight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.waiters--
	if f.waiters == 0 {
		f.cancel()
	}
}

// refresh runs in a flight: it returns a usable token from the store, or becomes the lease holder and fetches.
func (c *Client) refresh(ctx context.Context, rejected string) (Token, error) {
	for {
		t, err := c.tokens.LoadToken(ctx, c.appID)
		if err != nil {
			return Token{}, fmt.Errorf("wx: load access token: %w", err)
		}
		if t.Value != rejected {
			if c.fresh(t) {
				return t, nil
			}
			// WeChat's stable_token hands back the same token until it expires, so asking again right after
			// a fetch only spends quota; a token that then dies in use comes back here as rejected.
			if time.Now().Before(t.ExpiresAt) && c.fetchedRecently() {
				return t, nil
			}
		}
		got, err := c.tokens.AcquireRefreshLease(ctx, c.appID, c.holder, c.leaseTTL)
		if err != nil {
			return Token{}, fmt.Errorf("wx: take access token refresh lease: %w", err)
		}
		if got {
			return c.refreshHoldingLease(ctx, rejected)
		}
		// Another process is refreshing. The old token, while WeChat still takes it, beats waiting.
		if t.Value != rejected && c.alive(t) {
			return t, nil
		}
		c.log.DebugContext(ctx, "wx: another process is refreshing the access token; waiting", "appid", c.appID)
		if err := sleep(ctx, c.leasePoll); err != nil {
			return Token{}, fmt.Errorf("wx: wait for another process to refresh the access token: %w", err)
		}
	}
}

func (c *Client) refreshHoldingLease(ctx context.Context, rejected string) (Token, error) {
	defer func() {
		if err := c.tokens.ReleaseRefreshLease(context.WithoutCancel(ctx), c.appID, c.holder); err != nil {
			c.log.WarnContext(ctx, "wx: release access token refresh lease", "appid", c.appID, "err", err)
		}
	}()
	// Another process may have finished its refresh between our read and taking the lease.
	t, err := c.tokens.LoadToken(ctx, c.appID)
	if err != nil {
		return Token{}, fmt.Errorf("wx: load access token: %w", err)
	}
	if t.Value != rejected && c.fresh(t) {
		return t, nil
	}

	c.mu.Lock()
	c.lastFetch = time.Now()
	c.mu.Unlock()
	// Past the lease another process may start its own refresh; stop before that.
	fctx, cancel := context.WithTimeout(ctx, c.leaseTTL)
	defer cancel()
	nt, err := c.fetchToken(fctx, false)
	if err == nil && rejected != "" && nt.Value == rejected {
		// In normal mode stable_token hands back the token WeChat just refused (another program may have
		// forced a new one). Only force_refresh replaces it, and WeChat limits that.
		if c.mayForce(ctx) {
			c.log.WarnContext(ctx, "wx: stable_token answered the token WeChat refused; forcing a new one", "appid", c.appID)
			nt, err = c.fetchToken(fctx, true)
		} else {
			err = fmt.Errorf("wx: access token refused and stable_token answers the same one; a forced refresh is allowed only every %s and %d times a day: %w",
				minForceGap, maxForcedPerDay, errForceLimited)
		}
	}
	if err != nil {
		if t.Value != rejected && c.alive(t) {
			c.log.WarnContext(ctx, "wx: early access token refresh failed; the current token is still valid",
				"appid", c.appID, "expires_at", t.ExpiresAt, "err", err)
			return t, nil
		}
		return Token{}, err
	}
	if err := c.tokens.SaveToken(ctx, c.appID, nt); err != nil {
		// The token itself is good; only sharing it failed, so use it rather than fail the call.
		c.log.ErrorContext(ctx, "wx: save access token", "appid", c.appID, "err", err)
	}
	c.log.InfoContext(ctx, "wx: access token refreshed", "appid", c.appID, "expires_at", nt.ExpiresAt)
	return nt, nil
}

// WeChat's limits on stable_token with force_refresh: about 20 a day, at least 30 s apart. In normal mode
// stable_token answers a new token during the last 5 minutes of the old one's life, both valid meanwhile,
// which is why RefreshBefore is 5 minutes by default: forcing is only for a token WeChat refuses early.
const (
	maxForcedPerDay = 20
	minForceGap     = 30 * time.Second
)

var errForceLimited = errors.New("wx: force_refresh limit")

// mayForce reports whether a forced refresh fits WeChat's limits, and if so counts it: in the token store
// when it counts them for every process (ForcedRefreshCounter), else in this client's memory. A store that
// cannot count answers no: a forced refresh too many is refused by WeChat and may cost the day's others.
func (c *Client) mayForce(ctx context.Context) bool {
	if counter, ok := c.tokens.(ForcedRefreshCounter); ok {
		ok, err := counter.ClaimForcedRefresh(ctx, c.appID, maxForcedPerDay, minForceGap)
		if err != nil {
			c.log.ErrorContext(ctx, "wx: could not count a forced access token refresh; not forcing one", "appid", c.appID, "err", err)
		}
		return ok && err == nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	kept := c.forced[:0]
	for _, t := range c.forced {
		if now.Sub(t) < 24*time.Hour {
			kept = append(kept, t)
		}
	}
	c.forced = kept
	if len(kept) >= maxForcedPerDay || (len(kept) > 0 && now.Sub(kept[len(kept)-1]) < minForceGap) {
		return false
	}
	c.forced = append(c.forced, now)
	return true
}

// fresh: used as is, no refresh needed.
func (c *Client) fresh(t Token) bool {
	return t.Value != "" && time.Until(t.ExpiresAt) > c.refreshBefore
}

// aliveMargin leaves time for a call to reach WeChat before the token dies on the way.
const aliveMargin = 10 * time.Second

// alive: inside the refresh window but still accepted by WeChat, good enough while someone else refreshes.
func (c *Client) alive(t Token) bool {
	return t.Value != "" && time.Until(t.ExpiresAt) > min(aliveMargin, c.refreshBefore)
}

func (c *Client) fetchedRecently() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.lastFetch.IsZero() && time.Since(c.lastFetch) < c.refreshGap
}

const (
	stableTokenPath = "/cgi-bin/stable_token"
	tokenPath       = "/cgi-bin/token"
)

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// fetchToken asks WeChat for a token. stable_token comes first because it does not invalidate the token
// other processes are using; cgi-bin/token is the fallback where stable_token is not offered.
func (c *Client) fetchToken(ctx context.Context, force bool) (Token, error) {
	if c.appID == "" || c.secret == "" {
		return Token{}, errors.New("wx: an AppID and a Secret are needed to fetch an access token")
	}
	start := time.Now()
	body, err := json.Marshal(struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}{"client_credential", c.appID, c.secret, force})
	if err != nil {
		return Token{}, fmt.Errorf("wx: %s: encode request: %w", stableTokenPath, err)
	}
	path := stableTokenPath
	var ans tokenAnswer
	err = c.send(ctx, exchange{
		method:      http.MethodPost,
		path:        stableTokenPath,
		contentType: "application/json",
		body:        body,
		redact:      []string{c.secret},
	}, &ans, true)
	if stableTokenUnavailable(err) {
		c.log.InfoContext(ctx, "wx: stable_token unavailable; falling back to cgi-bin/token", "appid", c.appID, "err", err)
		path = tokenPath
		ans = tokenAnswer{}
		err = c.send(ctx, exchange{
			method: http.MethodGet,
			path:   tokenPath,
			query:  url.Values{"grant_type": {"client_credential"}, "appid": {c.appID}, "secret": {c.secret}},
			redact: []string{c.secret},
		}, &ans, true)
	}
	if err != nil {
		return Token{}, err
	}
	if ans.AccessToken == "" || ans.ExpiresIn <= 0 {
		return Token{}, fmt.Errorf("wx: %s: answer has no access_token or expires_in", path)
	}
	// Counted from before the request, so the stored expiry is never later than WeChat's.
	return Token{Value: ans.AccessToken, ExpiresAt: start.Add(time.Duration(ans.ExpiresIn) * time.Second)}, nil
}

// stableTokenUnavailable reports whether stable_token is missing where we called it (an older gateway, a
// proxy, a stand-in), as opposed to refusing our credentials, which cgi-bin/token would refuse as well.
func stableTokenUnavailable(err error) bool {
	var herr *HTTPError
	if errors.As(err, &herr) {
		return herr.StatusCode == http.StatusNotFound || herr.StatusCode == http.StatusMethodNotAllowed
	}
	return IsCode(err, 40066, 48001) // invalid url, api unauthorised
}

func newHolderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
