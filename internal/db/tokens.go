package db

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// AccessToken is the WeChat access token shared by every process using this database.
type AccessToken struct {
	Value     string
	ExpiresAt time.Time
	FetchedAt time.Time
}

// AccessToken returns the stored token for appID; a zero value when none is stored yet.
func (s *Store) AccessToken(ctx context.Context, appID string) (AccessToken, error) {
	var t AccessToken
	var expires, fetched int64
	err := s.queryRow(ctx,
		`SELECT access_token, expires_at, fetched_at FROM wx_tokens WHERE appid = ?`, appID).Scan(&t.Value, &expires, &fetched)
	if err := notFound(err, "access token"); err != nil {
		if errors.Is(err, ErrNoRecord) {
			return AccessToken{}, nil
		}
		return AccessToken{}, err
	}
	t.ExpiresAt = timeOrZero(expires)
	t.FetchedAt = timeOrZero(fetched)
	return t, nil
}

// SaveAccessToken stores the token for appID.
func (s *Store) SaveAccessToken(ctx context.Context, appID, value string, expiresAt time.Time) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO wx_tokens (appid, access_token, expires_at, fetched_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (appid) DO UPDATE SET access_token = excluded.access_token,
		   expires_at = excluded.expires_at, fetched_at = excluded.fetched_at`,
		appID, value, unixOrZero(expiresAt), s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to save access token: %w", err)
	}
	return nil
}

// AcquireTokenLease makes holder the one refresher of appID's token until ttl from now, unless another
// holder's lease is still running. The check and the claim are one statement, so two processes cannot both win.
func (s *Store) AcquireTokenLease(ctx context.Context, appID, holder string, ttl time.Duration) (bool, error) {
	now := s.now()
	until := now.Add(ttl).UnixMilli()
	res, err := s.DB.ExecContext(ctx,
		`INSERT INTO wx_tokens (appid, lease_holder, lease_until) VALUES (?, ?, ?)
		 ON CONFLICT (appid) DO UPDATE SET lease_holder = excluded.lease_holder, lease_until = excluded.lease_until
		 WHERE wx_tokens.lease_until < ? OR wx_tokens.lease_holder = excluded.lease_holder`,
		appID, holder, until, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("db: unable to take token lease: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: unable to take token lease: %w", err)
	}
	return n == 1, nil
}

// ReleaseTokenLease ends holder's lease early, if it still has it.
func (s *Store) ReleaseTokenLease(ctx context.Context, appID, holder string) error {
	_, err := s.DB.ExecContext(ctx,
		`UPDATE wx_tokens SET lease_holder = '', lease_until = 0 WHERE appid = ? AND lease_holder = ?`, appID, holder)
	if err != nil {
		return fmt.Errorf("db: unable to release token lease: %w", err)
	}
	return nil
}

// ClaimForcedRefresh counts a forced refresh of appID's token now if it fits WeChat's limits, shared by every
// process on this database: at most perDay in the day being counted (which starts with its first forced
// refresh and lasts 24 hours) and none within gap of the last. It reports whether the refresh was counted, so
// may be made. The check and the count are one statement on one row, so two processes cannot both have the
// last one.
func (s *Store) ClaimForcedRefresh(ctx context.Context, appID string, perDay int, gap time.Duration) (bool, error) {
	now := s.now().UnixMilli()
	day := (24 * time.Hour).Milliseconds()
	if _, err := s.DB.ExecContext(ctx,
		`INSERT INTO wx_tokens (appid) VALUES (?) ON CONFLICT (appid) DO NOTHING`, appID); err != nil {
		return false, fmt.Errorf("db: unable to count a forced token refresh: %w", err)
	}
	res, err := s.DB.ExecContext(ctx,
		`UPDATE wx_tokens SET
		   forced_count = CASE WHEN ? - forced_since >= ? THEN 1 ELSE forced_count + 1 END,
		   forced_since = CASE WHEN ? - forced_since >= ? THEN ? ELSE forced_since END,
		   forced_last = ?
		 WHERE appid = ? AND ? - forced_last >= ? AND (? - forced_since >= ? OR forced_count < ?)`,
		now, day, now, day, now, now, appID, now, gap.Milliseconds(), now, day, perDay)
	if err != nil {
		return false, fmt.Errorf("db: unable to count a forced token refresh: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: unable to count a forced token refresh: %w", err)
	}
	return n == 1, nil
}
