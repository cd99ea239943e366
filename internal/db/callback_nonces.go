package db

import (
	"context"
	"fmt"
	"time"
)

// ClaimPushNonce records that the push signed with nonce and timestamp is being handled, and reports whether it
// is new: false means it was claimed before (a replay, or WeChat repeating a push already answered). The check
// and the claim are one statement, so two processes given the same push cannot both take it. Claims made before
// forgetBefore are deleted on the way: the timestamp check refuses such pushes anyway.
func (s *Store) ClaimPushNonce(ctx context.Context, nonce string, timestamp int64, forgetBefore time.Time) (bool, error) {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM callback_nonces WHERE seen_at < ?`, forgetBefore.Unix()); err != nil {
		return false, fmt.Errorf("db: unable to forget old push nonces: %w", err)
	}
	res, err := s.DB.ExecContext(ctx,
		`INSERT INTO callback_nonces (nonce, timestamp, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		nonce, timestamp, s.now().Unix())
	if err != nil {
		return false, fmt.Errorf("db: unable to claim a push nonce: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: unable to claim a push nonce: %w", err)
	}
	return n == 1, nil
}

// ReleasePushNonce gives a claim back: the push could not be handled, and WeChat's repeat of it must be taken.
func (s *Store) ReleasePushNonce(ctx context.Context, nonce string, timestamp int64) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM callback_nonces WHERE nonce = ? AND timestamp = ?`, nonce, timestamp); err != nil {
		return fmt.Errorf("db: unable to release a push nonce: %w", err)
	}
	return nil
}
