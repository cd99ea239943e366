package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

func TestFailNextFailsExactlyNTimes(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tok := e.token()
	e.sb.FailNext(shopInfoPath, 45009, "reach max api daily quota limit", 2)
	e.sb.FailNext("/merchant/create", 48001, "api unauthorized", 5) // another path: not ours to use up
	for range 2 {
		a := e.shopInfo(tok)
		wantErr(t, a, 45009)
		if a.ErrMsg != "reach max api daily quota limit" {
			t.Errorf("errmsg %q", a.ErrMsg)
		}
	}
	wantErr(t, e.shopInfo(tok), 0)
	wantErr(t, e.shopInfo(tok), 0)
	if got := e.sb.Calls(shopInfoPath); got != 4 {
		t.Errorf("Calls = %d, want 4", got)
	}
}

func TestFailNextAnyPathSparesTokenEndpoints(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.FailNext("", -1, "system error", 1)
	tok := e.token()
	e.stableToken(false)
	wantErr(t, e.shopInfo(tok), -1)
	wantErr(t, e.shopInfo(tok), 0)
}

// A call refused for its token never reached the endpoint, so it does not use up an injected failure.
func TestFailNextWaitsForAnAuthenticatedCall(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.sb.FailNext("", 45009, "reach max api daily quota limit", 1)
	wantErr(t, e.shopInfo(""), 41001)
	wantErr(t, e.shopInfo(e.token()), 45009)
}

// Naming a token endpoint does make it fail, and the failure happens before the endpoint: nothing changes.
func TestFailNextOnTokenEndpointChangesNoState(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	stable := e.stableToken(false).AccessToken
	e.sb.FailNext("/cgi-bin/stable_token", 45009, "reach max api daily quota limit", 1)
	body := `{"grant_type":"client_credential","appid":"wxsandbox00000001","secret":"sandbox-secret","force_refresh":true}`
	wantErr(t, e.do(http.MethodPost, "/cgi-bin/stable_token", nil, body), 45009)

	e.clock.Advance(10 * time.Minute) // past any grace period a replacement would have started
	wantErr(t, e.shopInfo(stable), 0)
	if got := e.stableToken(false).AccessToken; got != stable {
		t.Error("a failed force_refresh replaced the stable token")
	}
}

func TestFailRateOneFailsEveryAPICallButNoTokenCall(t *testing.T) {
	e := newEnv(t, sandbox.Options{FailRate: 1})
	for range 10 {
		tok := e.token()
		e.stableToken(true)
		a := e.shopInfo(tok)
		wantErr(t, a, -1)
		if a.ErrMsg != "system error" {
			t.Errorf("errmsg %q", a.ErrMsg)
		}
	}
	e.sb.SetFailRate(0)
	wantErr(t, e.shopInfo(e.token()), 0)
}

// With the same seed, the same calls fail: a flaky-network test can be replayed.
func TestFailRateFollowsSeed(t *testing.T) {
	outcomes := func(seed int64) string {
		e := newEnv(t, sandbox.Options{FailRate: 0.5, Seed: seed})
		tok := e.token()
		var b strings.Builder
		for range 40 {
			if e.shopInfo(tok).ErrCode == 0 {
				b.WriteByte('.')
			} else {
				b.WriteByte('x')
			}
		}
		return b.String()
	}
	first, second := outcomes(7), outcomes(7)
	if first != second {
		t.Errorf("same seed, different failures:\n%s\n%s", first, second)
	}
	if !strings.Contains(first, ".") || !strings.Contains(first, "x") {
		t.Errorf("fail rate 0.5 gave %s", first)
	}
}

func TestLatencyIsApplied(t *testing.T) {
	const latency = 50 * time.Millisecond
	e := newEnv(t, sandbox.Options{Latency: latency})
	start := time.Now()
	e.token()
	if took := time.Since(start); took < latency {
		t.Errorf("token call took %v, want at least %v", took, latency)
	}

	e.sb.SetLatency(0)
	tok := e.token()
	e.sb.SetLatency(latency)
	start = time.Now()
	wantErr(t, e.shopInfo(tok), 0)
	if took := time.Since(start); took < latency {
		t.Errorf("API call took %v, want at least %v", took, latency)
	}
}

// A client that gives up must not keep the sandbox busy for the whole latency, nor change its state.
func TestCancelledRequestReturnsEarly(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	stable := e.stableToken(false).AccessToken
	e.sb.SetLatency(time.Minute)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	body := `{"grant_type":"client_credential","appid":"wxsandbox00000001","secret":"sandbox-secret","force_refresh":true}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.ts.URL+"/cgi-bin/stable_token", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.ts.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatal("the request was answered despite a minute of latency")
	}

	// Close waits for every handler to return, so it is quick only if the sandbox stopped waiting too.
	start := time.Now()
	e.ts.Close()
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("the sandbox kept serving a cancelled request for %v", took)
	}

	e2 := &env{t: t, sb: e.sb, ts: newServerFor(t, e.sb), clock: e.clock}
	e.sb.SetLatency(0)
	if got := e2.stableToken(false).AccessToken; got != stable {
		t.Error("a cancelled force_refresh replaced the stable token")
	}
	if got := e.sb.Calls("/cgi-bin/stable_token"); got != 3 {
		t.Errorf("Calls = %d, want 3 (the cancelled one reached the sandbox)", got)
	}
}

// A lost answer: the write is done, but the client hears nothing back, so only reading the order tells.
func TestLoseRateOneRunsTheCallButSendsNoAnswer(t *testing.T) {
	e := newEnv(t, sandbox.Options{Orders: 20})
	tok := e.token()
	ids := e.sb.OrderIDs(sandbox.SourceMerchant, wx.MerchantOrderToShip)
	if len(ids) == 0 {
		t.Fatal("the demo shop has no merchant order to ship")
	}
	e.sb.SetLoseRate(1)
	body := fmt.Sprintf(`{"order_id":%q,"delivery_company":"066zhongtong","delivery_track_no":"ZT1"}`, ids[0])
	res, err := e.ts.Client().Post(e.ts.URL+"/merchant/order/setdelivery?access_token="+tok, "application/json", strings.NewReader(body))
	if err == nil {
		res.Body.Close()
		t.Fatalf("a lost answer arrived: HTTP %d", res.StatusCode)
	}
	if o, _ := e.sb.Order(sandbox.SourceMerchant, ids[0]); o.Status != wx.MerchantOrderShipped || len(o.Parcels) != 1 {
		t.Errorf("after a call whose answer was lost the order is in status %d with %d parcels; the call must have run", o.Status, len(o.Parcels))
	}
	// Token calls are spared, and a rate of 0 answers again.
	e.stableToken(false)
	e.sb.SetLoseRate(0)
	wantErr(t, e.shopInfo(tok), 0)
}

func TestLoseNextLosesExactlyThatManyAnswersOfThePath(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	tok := e.token()
	e.sb.LoseNext(shopInfoPath, 2)
	// A fresh connection each time: Go's client sends a GET again by itself when a reused connection closes.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for range 2 {
		res, err := fresh.Get(e.ts.URL + shopInfoPath + "?access_token=" + tok)
		if err == nil {
			res.Body.Close()
			t.Fatal("an answer LoseNext should lose arrived")
		}
	}
	wantErr(t, e.shopInfo(tok), 0)
	if got := e.sb.Calls(shopInfoPath); got != 3 {
		t.Errorf("Calls = %d, want 3", got)
	}
}
