package sandbox

import (
	"time"
)

// replacedGrace is how long WeChat keeps accepting a token after a newer one was issued in its place, so that
// other processes sharing the old one have time to pick up the new one.
const replacedGrace = 5 * time.Minute

// token is one issued access token.
type token struct {
	value   string
	expires time.Time // end of its own lifetime
	retired time.Time // zero while it is the latest of its kind; else the end of its grace period
}

// tokenStore holds every token the sandbox issued. Tokens are never forgotten, so a client presenting an old
// one learns why it is refused (expired or replaced) instead of being told it was never valid; at one token
// per refresh that costs nothing.
//
// /cgi-bin/token and /cgi-bin/stable_token keep separate latest tokens: WeChat documents the two as isolated,
// so getting one kind never retires the other.
type tokenStore struct {
	byValue map[string]*token
	latest  *token // last issued by /cgi-bin/token
	stable  *token // last issued by /cgi-bin/stable_token
}

// check tells whether an API call may use value. Outliving its own lifetime is 42001 even when the token had
// also been replaced; being replaced and past the grace period is 40001 "not latest", as WeChat answers it.
func (ts *tokenStore) check(value string, now time.Time) error {
	if value == "" {
		return errTokenMissing
	}
	t, found := ts.byValue[value]
	switch {
	case !found:
		return errInvalidCredential
	case !now.Before(t.expires):
		return errTokenExpired
	case !t.retired.IsZero() && !now.Before(t.retired):
		return errInvalidCredential
	}
	return nil
}

// issue makes a new token the latest of its kind (*slot) and starts the grace period of the one it replaces.
func (s *Server) issue(slot **token) *token {
	now := s.now()
	if old := *slot; old != nil {
		old.retired = now.Add(replacedGrace)
	}
	t := &token{value: s.newTokenValue(), expires: now.Add(s.tokenTTL)}
	s.tokens.byValue[t.value] = t
	*slot = t
	return t
}

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// newTokenValue draws from the seeded generator so that a run with a fixed Seed hands out the same tokens.
// The prefix makes a sandbox token recognisable in logs and in the app's database.
func (s *Server) newTokenValue() string {
	for {
		b := []byte("SANDBOX_")
		for range 96 {
			b = append(b, tokenAlphabet[s.rng.IntN(len(tokenAlphabet))])
		}
		if _, taken := s.tokens.byValue[string(b)]; !taken {
			return string(b)
		}
	}
}

// ExpireTokens makes every token issued so far expired as of now: API calls using them get 42001, and
// stable_token issues a fresh one. It lets tests exercise a client's refresh path without waiting.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.tokens.byValue {
		if t.expires.After(now) {
			t.expires = now
		}
	}
}

// tokenAnswer is WeChat's token answer, which, unlike every other answer, carries no errcode on success.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

func (s *Server) answerToken(t *token) tokenAnswer {
	// Rounded down and at least 1, so a client that refreshes when expires_in runs out is never late.
	secs := int(t.expires.Sub(s.now()) / time.Second)
	return tokenAnswer{AccessToken: t.value, ExpiresIn: max(secs, 1)}
}

// checkCredentials applies WeChat's checks in WeChat's order.
func (s *Server) checkCredentials(grantType, appID, secret string) error {
	switch {
	case grantType != "client_credential":
		return errInvalidGrantType
	case appID == "":
		return errAppIDMissing
	case secret == "":
		return errSecretMissing
	case appID != s.appID:
		return errInvalidAppID
	case secret != s.secret:
		return errInvalidSecret
	}
	return nil
}

// getToken is GET /cgi-bin/token: every call issues a new token.
func (s *Server) getToken(c *call) (any, error) {
	q := c.r.URL.Query()
	if err := s.checkCredentials(q.Get("grant_type"), q.Get("appid"), q.Get("secret")); err != nil {
		return nil, err
	}
	return s.answerToken(s.issue(&s.tokens.latest)), nil
}

type stableTokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

// getStableToken is POST /cgi-bin/stable_token: the same token for as long as it is valid, so that several
// processes can share it; force_refresh replaces it.
func (s *Server) getStableToken(c *call) (any, error) {
	var req stableTokenRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := s.checkCredentials(req.GrantType, req.AppID, req.Secret); err != nil {
		return nil, err
	}
	if t := s.tokens.stable; t != nil && !req.ForceRefresh && s.tokens.check(t.value, s.now()) == nil {
		return s.answerToken(t), nil
	}
	return s.answerToken(s.issue(&s.tokens.stable)), nil
}
