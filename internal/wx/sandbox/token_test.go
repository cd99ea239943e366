package sandbox_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"wxshop/internal/wx/sandbox"
)

func TestTokenIssuedAndAccepted(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	a := e.get("/cgi-bin/token", url.Values{
		"grant_type": {"client_credential"}, "appid": {"wxsandbox00000001"}, "secret": {"sandbox-secret"},
	})
	wantErr(t, a, 0)
	if a.AccessToken == "" || a.ExpiresIn != 7200 {
		t.Fatalf("answer %s, want a token valid 7200 s", a.raw)
	}
	wantErr(t, e.shopInfo(a.AccessToken), 0)
	if again := e.token(); again == a.AccessToken {
		t.Error("a second /cgi-bin/token call returned the same token; WeChat issues a new one each time")
	}
}

func TestTokenExpiresAfterTTL(t *testing.T) {
	e := newEnv(t, sandbox.Options{TokenTTL: time.Hour})
	tok := e.token()
	e.clock.Advance(time.Hour - time.Second)
	wantErr(t, e.shopInfo(tok), 0)
	e.clock.Advance(time.Second)
	wantErr(t, e.shopInfo(tok), 42001)
}

func TestShortTTLStillSaysAtLeastOneSecond(t *testing.T) {
	e := newEnv(t, sandbox.Options{TokenTTL: 300 * time.Millisecond})
	a := e.stableToken(false)
	if a.ExpiresIn != 1 {
		t.Errorf("expires_in %d, want 1", a.ExpiresIn)
	}
}

// A replaced token keeps working for 5 minutes, then gets 40001 "not latest", which is what WeChat answers.
func TestReplacedTokenGracePeriod(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	old := e.token()
	e.clock.Advance(time.Minute)
	fresh := e.token()
	e.clock.Advance(5*time.Minute - time.Second)
	wantErr(t, e.shopInfo(old), 0)
	e.clock.Advance(time.Second)
	wantErr(t, e.shopInfo(old), 40001)
	wantErr(t, e.shopInfo(fresh), 0)
}

func TestGraceNeverOutlivesTTL(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	old := e.token()
	e.clock.Advance(2*time.Hour - time.Minute)
	e.token()
	e.clock.Advance(time.Minute)
	wantErr(t, e.shopInfo(old), 42001)
}

func TestAccessTokenCheck(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	other := newEnv(t, sandbox.Options{Seed: 99}).token()
	for _, tc := range []struct {
		name  string
		query url.Values
		want  int
	}{
		{"missing", nil, 41001},
		{"empty", url.Values{"access_token": {""}}, 41001},
		{"made up", url.Values{"access_token": {"SANDBOX_made_up"}}, 40001},
		{"issued by another sandbox", url.Values{"access_token": {other}}, 40001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, e.get(shopInfoPath, tc.query), tc.want)
		})
	}
}

func TestCredentialErrors(t *testing.T) {
	e := newEnv(t, sandbox.Options{AppID: "wxapp", Secret: "s3cret"})
	for _, tc := range []struct {
		name                     string
		grantType, appID, secret string
		want                     int
	}{
		{"no grant_type", "", "wxapp", "s3cret", 40002},
		{"wrong grant_type", "authorization_code", "wxapp", "s3cret", 40002},
		{"no appid", "client_credential", "", "s3cret", 41002},
		{"no secret", "client_credential", "wxapp", "", 41004},
		{"unknown appid", "client_credential", "wxother", "s3cret", 40013},
		{"wrong secret", "client_credential", "wxapp", "guess", 40125},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range map[string]string{"grant_type": tc.grantType, "appid": tc.appID, "secret": tc.secret} {
				if v != "" {
					q.Set(k, v)
				}
			}
			wantErr(t, e.get("/cgi-bin/token", q), tc.want)

			body := `{"grant_type":"` + tc.grantType + `","appid":"` + tc.appID + `","secret":"` + tc.secret + `"}`
			wantErr(t, e.do(http.MethodPost, "/cgi-bin/stable_token", nil, body), tc.want)
		})
	}
	a := e.get("/cgi-bin/token", url.Values{"grant_type": {"client_credential"}, "appid": {"wxapp"}, "secret": {"guess"}})
	if a.ErrMsg != "invalid appsecret" {
		t.Errorf("errmsg %q, want WeChat's %q", a.ErrMsg, "invalid appsecret")
	}
}

func TestStableToken(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	first := e.stableToken(false)
	if first.ExpiresIn != 7200 {
		t.Fatalf("expires_in %d, want 7200", first.ExpiresIn)
	}

	e.clock.Advance(10 * time.Minute)
	same := e.stableToken(false)
	if same.AccessToken != first.AccessToken {
		t.Fatal("stable_token without force_refresh replaced a valid token")
	}
	if same.ExpiresIn != 7200-600 {
		t.Errorf("expires_in %d, want the %d seconds left", same.ExpiresIn, 7200-600)
	}

	forced := e.stableToken(true)
	if forced.AccessToken == first.AccessToken || forced.ExpiresIn != 7200 {
		t.Fatalf("force_refresh answered %s, want a new token valid 7200 s", forced.raw)
	}
	if again := e.stableToken(false); again.AccessToken != forced.AccessToken {
		t.Error("after force_refresh, stable_token did not keep the new token")
	}
	e.clock.Advance(5*time.Minute - time.Second)
	wantErr(t, e.shopInfo(first.AccessToken), 0)
	e.clock.Advance(time.Second)
	wantErr(t, e.shopInfo(first.AccessToken), 40001)
	wantErr(t, e.shopInfo(forced.AccessToken), 0)
}

func TestStableTokenRenewedOnceExpired(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	first := e.stableToken(false)
	e.clock.Advance(2 * time.Hour)
	next := e.stableToken(false)
	if next.AccessToken == first.AccessToken || next.ExpiresIn != 7200 {
		t.Fatalf("after expiry stable_token answered %s, want a new token", next.raw)
	}
	wantErr(t, e.shopInfo(next.AccessToken), 0)
}

// WeChat keeps the two kinds apart: getting an ordinary token never retires the stable one, nor the reverse.
func TestStableTokenIsolatedFromToken(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	stable := e.stableToken(false).AccessToken
	plain := e.token()
	e.token()
	e.stableToken(false)
	e.clock.Advance(10 * time.Minute)
	wantErr(t, e.shopInfo(stable), 0)
	if got := e.stableToken(false).AccessToken; got != stable {
		t.Error("a /cgi-bin/token call replaced the stable token")
	}
	e.stableToken(true)
	wantErr(t, e.shopInfo(plain), 40001) // replaced by the second e.token(), 10 minutes ago
}

func TestStableTokenBadBody(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	for _, body := range []string{"", "not json", `{"grant_type":`, `{"grant_type":"client_credential","force_refresh":"yes"}`} {
		a := e.do(http.MethodPost, "/cgi-bin/stable_token", nil, body)
		wantErr(t, a, 47001)
		if a.ErrMsg != "data format error" {
			t.Errorf("body %q: errmsg %q", body, a.ErrMsg)
		}
	}
}

func TestExpireTokens(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	plain := e.token()
	stable := e.stableToken(false).AccessToken
	e.sb.ExpireTokens()
	wantErr(t, e.shopInfo(plain), 42001)
	wantErr(t, e.shopInfo(stable), 42001)

	renewed := e.stableToken(false).AccessToken
	if renewed == stable {
		t.Fatal("stable_token handed out an expired token")
	}
	wantErr(t, e.shopInfo(renewed), 0)
	wantErr(t, e.shopInfo(e.token()), 0)
}

func TestSeedRepeatsTokens(t *testing.T) {
	a := newEnv(t, sandbox.Options{Seed: 42}).token()
	b := newEnv(t, sandbox.Options{Seed: 42}).token()
	c := newEnv(t, sandbox.Options{Seed: 43}).token()
	if a != b {
		t.Error("the same seed issued different tokens")
	}
	if a == c {
		t.Error("different seeds issued the same token")
	}
}
