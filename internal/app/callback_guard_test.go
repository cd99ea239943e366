package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// A push is taken once whichever process it reaches: a second app on the same database answers WeChat's repeat
// "success" and asks WeChat nothing. A push that could not be handled is not taken: WeChat's repeat is.
func TestCallbackPushIsTakenOnceAcrossProcessesAndAgainAfterAFailure(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	second, err := New(s.app.cfg, s.store, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	other := httptest.NewServer(second.Handler())
	t.Cleanup(other.Close)

	id := s.sandbox.NewPaidOrder(sandbox.SourceMerchant)
	push := buildPush(t, SandboxCallbackToken, nil, s.paidEvent(t, sandbox.SourceMerchant, id))
	s.sandbox.FailNext("/merchant/order/getbyid", 40007, "invalid media_id", 1)
	wantAnswer(t, s.send(t, push), http.StatusServiceUnavailable, "retry")
	if s.ordersWithID(t, id) != 0 {
		t.Fatal("a failed push stored the order")
	}
	wantAnswer(t, s.send(t, push), http.StatusOK, "success")
	if s.ordersWithID(t, id) != 1 {
		t.Fatal("WeChat's repeat of a failed push was not taken")
	}
	reads := s.secReads()
	elsewhere := &testServer{Server: other, app: second, store: s.store, sandbox: s.sandbox}
	wantAnswer(t, elsewhere.send(t, push), http.StatusOK, "success")
	if n := s.secReads() - reads; n != 0 {
		t.Errorf("the other process fetched the order again (%d calls)", n)
	}
}

// One address may send so many pushes a minute, signed or not; then it is refused until the minute is over,
// and other addresses are not.
func TestCallbackPushesAreRateLimitedPerAddress(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	clock := newTestClock()
	s.app.pushRate = newRateLimiter(pushesPerMinute, time.Minute, clock.now)
	bad := pushRequest{query: map[string][]string{"timestamp": {"1"}, "nonce": {"1"}, "signature": {"0"}}, body: []byte("<xml/>")}
	for i := range pushesPerMinute {
		if a := s.send(t, bad); a.status != http.StatusForbidden {
			t.Fatalf("push %d answered %d", i, a.status)
		}
	}
	wantAnswer(t, s.send(t, bad), http.StatusTooManyRequests, "too many requests")
	if resp, err := http.Get(s.URL + "/wx/callback?echostr=1"); err != nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the handshake past the limit: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if !s.app.pushRate.allow(t.Context(), "203.0.113.7") {
		t.Error("another address was refused")
	}
	clock.advance(time.Minute)
	if a := s.send(t, bad); a.status != http.StatusForbidden {
		t.Errorf("after the minute a push answered %d", a.status)
	}
}

// The handshake's echostr is not signed: a signed query from more than five minutes ago echoes nothing.
func TestCallbackHandshakeWithAnOldTimestampIsRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	for _, at := range []time.Duration{-time.Hour, pushWindow + time.Minute, 0} {
		ts, nonce := strconv.FormatInt(time.Now().Add(at).Unix(), 10), "4781926"
		q := url.Values{"signature": {wx.Signature(SandboxCallbackToken, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {"echo-me"}}
		resp, err := http.Get(s.URL + "/wx/callback?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := at != 0; want != (resp.StatusCode == http.StatusForbidden) || (want == strings.Contains(string(body), "echo-me")) {
			t.Errorf("a handshake signed %v from now: %d %q", at, resp.StatusCode, body)
		}
	}
}
