// Package wx is the WeChat API client: one Client shared by every API area (one file per area, as go-github
// does), the access-token source, and the *Error type that carries WeChat's errcode.
//
// Every call goes through PostRead, PostWrite, GetRead or UploadWrite. Reads are retried on transient
// failures; writes never are, because WeChat may have done the work before the answer was lost. A rejected
// access token is the one exception for writes: WeChat did not process the call, so it is repeated once with
// a fresh token.
package wx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is where WeChat's APIs live.
const DefaultBaseURL = "https://api.weixin.qq.com"

const (
	defaultRefreshBefore   = 5 * time.Minute
	defaultLeaseTTL        = 30 * time.Second
	defaultLeasePoll       = 200 * time.Millisecond
	defaultRetryBackoff    = 200 * time.Millisecond
	defaultMaxReadAttempts = 3
	defaultRefreshGap      = time.Minute

	maxRetryBackoff = 5 * time.Second
	// Order lists can be large, but an answer beyond this is a misbehaving server, not data.
	maxAnswerBytes = 64 << 20
	userAgent      = "wxshop"
)

// Config is what NewClient needs. Zero durations and counts take the documented defaults.
type Config struct {
	BaseURL    string       // default DefaultBaseURL; a trailing slash is ignored
	AppID      string       // the account's AppID
	Secret     string       // the account's AppSecret; never logged nor put in an error
	HTTPClient *http.Client // nil: a client with a 15 s overall timeout and dial, TLS and header timeouts
	Tokens     TokenStore   // nil: a MemoryTokenStore
	Logger     *slog.Logger // nil: slog.Default()

	// RefreshBefore is how long before expiry the token is renewed (default 5 min). Until then the stored
	// token is used as is.
	RefreshBefore time.Duration
	// LeaseTTL bounds how long one refresher may hold the refresh lease (default 30 s); if that process
	// dies, another takes over after this long. A token fetch is cut off when the lease runs out.
	LeaseTTL time.Duration
	// LeasePoll is how often a caller waiting on another process's refresh re-reads the store (default 200 ms).
	LeasePoll time.Duration
	// RetryBackoff is the first pause before a read is retried (default 200 ms); it doubles each time.
	RetryBackoff time.Duration
	// MaxReadAttempts is how many times a read is tried in all (default 3).
	MaxReadAttempts int
}

// Client talks to WeChat for one account. It is safe for concurrent use; create one per AppID and share it.
type Client struct {
	baseURL         string
	appID           string
	secret          string
	http            *http.Client
	tokens          TokenStore
	log             *slog.Logger
	refreshBefore   time.Duration
	leaseTTL        time.Duration
	leasePoll       time.Duration
	retryBackoff    time.Duration
	maxReadAttempts int
	// holder names this client in the refresh lease, so two clients (or processes) never mistake each
	// other's lease for their own.
	holder string
	// refreshGap keeps a process from asking for a new token on every call when WeChat keeps answering
	// with a token that is already inside the refresh window.
	refreshGap time.Duration

	mu        sync.Mutex
	flight    *tokenFlight // the refresh in progress in this process, if any
	lastFetch time.Time    // when this process last asked WeChat for a token
	forced    []time.Time  // when this process asked stable_token with force_refresh, within the last day
}

// NewClient returns a Client for cfg. It does no I/O: the first call fetches the token.
func NewClient(cfg Config) *Client {
	c := &Client{
		baseURL:         strings.TrimRight(cfg.BaseURL, "/"),
		appID:           cfg.AppID,
		secret:          cfg.Secret,
		http:            cfg.HTTPClient,
		tokens:          cfg.Tokens,
		log:             cfg.Logger,
		refreshBefore:   cfg.RefreshBefore,
		leaseTTL:        cfg.LeaseTTL,
		leasePoll:       cfg.LeasePoll,
		retryBackoff:    cfg.RetryBackoff,
		maxReadAttempts: cfg.MaxReadAttempts,
		holder:          newHolderID(),
		refreshGap:      defaultRefreshGap,
	}
	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	if c.tokens == nil {
		c.tokens = NewMemoryTokenStore()
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.refreshBefore <= 0 {
		c.refreshBefore = defaultRefreshBefore
	}
	if c.leaseTTL <= 0 {
		c.leaseTTL = defaultLeaseTTL
	}
	if c.leasePoll <= 0 {
		c.leasePoll = defaultLeasePoll
	}
	if c.retryBackoff <= 0 {
		c.retryBackoff = defaultRetryBackoff
	}
	if c.maxReadAttempts <= 0 {
		c.maxReadAttempts = defaultMaxReadAttempts
	}
	return c
}

// AppID returns the account this client calls for.
func (c *Client) AppID() string { return c.appID }

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 5 * time.Second
	t.ResponseHeaderTimeout = 10 * time.Second
	t.MaxIdleConnsPerHost = 10
	return &http.Client{Timeout: 15 * time.Second, Transport: t}
}

// PostRead posts in as JSON to path and decodes the answer into out (nil: ignore it). The call must have no
// effect, because it is retried on errcode -1, network errors and 5xx. A nil in sends {}.
func (c *Client) PostRead(ctx context.Context, path string, in, out any) error {
	body, err := encodeJSON(in)
	if err != nil {
		return fmt.Errorf("wx: %s: encode request: %w", path, err)
	}
	return c.call(ctx, apiCall{method: http.MethodPost, path: path, contentType: "application/json", body: body, read: true}, out)
}

// PostWrite posts in as JSON to path and decodes the answer into out (nil: ignore it). It is never retried
// on errcode -1 or a network error: WeChat may have done the work, so the caller decides. A nil in sends {}.
func (c *Client) PostWrite(ctx context.Context, path string, in, out any) error {
	body, err := encodeJSON(in)
	if err != nil {
		return fmt.Errorf("wx: %s: encode request: %w", path, err)
	}
	return c.call(ctx, apiCall{method: http.MethodPost, path: path, contentType: "application/json", body: body}, out)
}

// GetRead sends GET path with query (plus the access token) and decodes the answer into out; retried like PostRead.
func (c *Client) GetRead(ctx context.Context, path string, query url.Values, out any) error {
	return c.call(ctx, apiCall{method: http.MethodGet, path: path, query: query, read: true}, out)
}

// UploadWrite posts body as is (not multipart) with contentType and the extra query parameters, as
// common/upload_img?filename=x wants; not retried, like PostWrite.
func (c *Client) UploadWrite(ctx context.Context, path string, query url.Values, contentType string, body []byte, out any) error {
	if body == nil {
		body = []byte{}
	}
	return c.call(ctx, apiCall{method: http.MethodPost, path: path, query: query, contentType: contentType, body: body}, out)
}

// apiCall is one API call as the caller asked for it, before the access token is added.
type apiCall struct {
	method      string
	path        string
	query       url.Values
	contentType string
	body        []byte
	read        bool
	media       *Media // a file is expected (basics/media/get): its bytes go here, a JSON answer is an error
}

// call adds the token, sends, and on a token error renews the token and tries exactly once more.
func (c *Client) call(ctx context.Context, ac apiCall, out any) error {
	tok, err := c.Token(ctx)
	if err != nil {
		return err
	}
	err = c.callWithToken(ctx, ac, tok, out)
	var werr *Error
	if !errors.As(err, &werr) || !isTokenCode(werr.Code) {
		return err
	}
	c.log.InfoContext(ctx, "wx: access token rejected; renewing it and retrying once",
		"path", ac.path, "errcode", werr.Code)
	fresh, rerr := c.tokenExcept(ctx, tok)
	if rerr != nil {
		return fmt.Errorf("wx: %s: renew access token after errcode %d: %w", ac.path, werr.Code, rerr)
	}
	return c.callWithToken(ctx, ac, fresh, out)
}

func (c *Client) callWithToken(ctx context.Context, ac apiCall, tok string, out any) error {
	q := make(url.Values, len(ac.query)+1)
	for k, v := range ac.query {
		q[k] = append([]string(nil), v...)
	}
	q.Set("access_token", tok)
	ex := exchange{
		method:      ac.method,
		path:        ac.path,
		query:       q,
		contentType: ac.contentType,
		body:        ac.body,
		redact:      []string{tok},
		media:       ac.media,
	}
	return c.send(ctx, ex, out, ac.read)
}

// exchange is one HTTP request as it goes on the wire.
type exchange struct {
	method      string
	path        string
	query       url.Values
	contentType string
	body        []byte
	// redact lists values (token, secret) that must not leak into an error through an echoed body.
	redact []string
	media  *Media
}

// send performs ex, retrying with exponential backoff when read is set and the failure is transient.
func (c *Client) send(ctx context.Context, ex exchange, out any, read bool) error {
	attempts := 1
	if read {
		attempts = c.maxReadAttempts
	}
	backoff := c.retryBackoff
	for attempt := 1; ; attempt++ {
		err := c.exchangeOnce(ctx, ex, out)
		if err == nil || attempt >= attempts || !retryable(ctx, err) {
			return err
		}
		c.log.WarnContext(ctx, "wx: read failed; retrying", "path", ex.path, "attempt", attempt, "err", err)
		if serr := sleep(ctx, jitter(backoff)); serr != nil {
			return fmt.Errorf("%w (retry abandoned: %w)", err, serr)
		}
		backoff = min(2*backoff, maxRetryBackoff)
	}
}

// transportError marks a failure to get an answer at all (connection, timeout, truncated body): worth
// retrying for a read, unknowable for a write.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

func (c *Client) exchangeOnce(ctx context.Context, ex exchange, out any) error {
	u := c.baseURL + ex.path
	if len(ex.query) > 0 {
		u += "?" + ex.query.Encode()
	}
	var body io.Reader
	if ex.body != nil {
		body = bytes.NewReader(ex.body)
	}
	req, err := http.NewRequestWithContext(ctx, ex.method, u, body)
	if err != nil {
		return fmt.Errorf("wx: %s: build request: %w", ex.path, c.scrubURL(err, ex.path))
	}
	if ex.contentType != "" {
		req.Header.Set("Content-Type", ex.contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)

	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("wx: %s: %w", ex.path, &transportError{c.scrubURL(err, ex.path)})
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return fmt.Errorf("wx: %s: read answer: %w", ex.path, &transportError{c.scrubURL(err, ex.path)})
	}
	if len(data) > maxAnswerBytes {
		return fmt.Errorf("wx: %s: answer larger than %d bytes", ex.path, maxAnswerBytes)
	}
	if ex.media != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 && !jsonObject(data) {
		ex.media.Data, ex.media.ContentType = data, resp.Header.Get("Content-Type")
		return nil
	}
	return decodeAnswer(ex.path, resp.StatusCode, resp.Header.Get("Content-Type"), data, out, ex.redact)
}

// scrubURL replaces the URL inside a *url.Error, which would otherwise carry the access token or the
// secret (they travel in the query string) into logs and error pages.
func (c *Client) scrubURL(err error, path string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: c.baseURL + path, Err: ue.Err}
	}
	return err
}

var utf8BOM = []byte("\xef\xbb\xbf")

// decodeAnswer turns an HTTP answer into nil, *Error or *HTTPError. WeChat sends JSON as application/json
// or text/plain, and an errcode can come with HTTP 200; a missing errcode means success.
func decodeAnswer(path string, status int, contentType string, data []byte, out any, redact []string) error {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	isObject := len(trimmed) > 0 && trimmed[0] == '{'
	var env struct {
		ErrCode json.RawMessage `json:"errcode"`
		ErrMsg  string          `json:"errmsg"`
	}
	if isObject && json.Unmarshal(trimmed, &env) != nil {
		isObject = false
	}
	code, codeErr := 0, error(nil)
	if isObject {
		code, codeErr = parseErrCode(env.ErrCode)
		// A WeChat error is more useful to the operator than the HTTP status that carried it.
		if codeErr == nil && code != 0 {
			return &Error{Code: code, Msg: env.ErrMsg, Path: path}
		}
	}
	if status < 200 || status > 299 || !isObject {
		return &HTTPError{Path: path, StatusCode: status, ContentType: contentType, Body: snippet(data, redact)}
	}
	if codeErr != nil {
		return fmt.Errorf("wx: %s: %w", path, codeErr)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return fmt.Errorf("wx: %s: decode answer: %w", path, err)
	}
	return nil
}

// jsonObject tells an answer that is a JSON object (an error, where a file was expected).
func jsonObject(data []byte) bool {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, utf8BOM))
	return len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed)
}

func retryable(ctx context.Context, err error) bool {
	return ctx.Err() == nil && Temporary(err)
}

// Temporary reports whether err is a failure that may pass if the call is made again: WeChat's -1 ("system
// busy"), an HTTP 5xx or 429, or no answer at all. For a write it also means the outcome is unknown: the
// change may have been made, so read the object back before doing it again.
func Temporary(err error) bool {
	var werr *Error
	if errors.As(err, &werr) {
		return werr.Code == CodeSystemBusy
	}
	var herr *HTTPError
	if errors.As(err, &herr) {
		return herr.StatusCode >= 500 || herr.StatusCode == http.StatusTooManyRequests
	}
	var terr *transportError
	return errors.As(err, &terr)
}

// encodeJSON leaves <, > and & as they are: URLs with & in them stay readable in the request log.
func encodeJSON(in any) ([]byte, error) {
	if in == nil {
		return []byte("{}"), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// jitter spreads retries of many callers over [d/2, d] so they do not hit WeChat in step.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}
