package app

import (
	"context"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// tokenStore lets the WeChat client keep its access token in the database, shared by every process of the
// app, with the count of forced refreshes WeChat limits (wx.ForcedRefreshCounter).
type tokenStore struct{ s *db.Store }

func (t tokenStore) LoadToken(ctx context.Context, appID string) (wx.Token, error) {
	tok, err := t.s.AccessToken(ctx, appID)
	return wx.Token{Value: tok.Value, ExpiresAt: tok.ExpiresAt}, err
}

func (t tokenStore) SaveToken(ctx context.Context, appID string, tok wx.Token) error {
	return t.s.SaveAccessToken(ctx, appID, tok.Value, tok.ExpiresAt)
}

func (t tokenStore) AcquireRefreshLease(ctx context.Context, appID, holder string, ttl time.Duration) (bool, error) {
	return t.s.AcquireTokenLease(ctx, appID, holder, ttl)
}

func (t tokenStore) ReleaseRefreshLease(ctx context.Context, appID, holder string) error {
	return t.s.ReleaseTokenLease(ctx, appID, holder)
}

// ClaimForcedRefresh counts WeChat's limited forced refreshes in the database, for every process at once.
func (t tokenStore) ClaimForcedRefresh(ctx context.Context, appID string, perDay int, gap time.Duration) (bool, error) {
	return t.s.ClaimForcedRefresh(ctx, appID, perDay, gap)
}

var _ wx.ForcedRefreshCounter = tokenStore{}
