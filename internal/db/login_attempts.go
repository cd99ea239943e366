package db

import (
	"context"
	"fmt"
	"time"
)

// loginAttemptsLock is the advisory lock that makes the servers' sign-in checks take turns.
const loginAttemptsLock = 7_401_002

// ReserveLoginAttempt reads the attempts of keys since since, lets decide refuse (its error is returned), and
// otherwise records an attempt at now under every key: the check and the count are one transaction that the
// servers take in turn, so parallel attempts on several servers cannot all pass before any is counted. Attempts
// from before since are deleted on the way. PostgreSQL only (migration 00061); one SQLite server counts in memory.
func (s *Store) ReserveLoginAttempt(ctx context.Context, keys []string, since, now time.Time, decide func(map[string][]time.Time) error) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: unable to count a sign-in attempt: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, loginAttemptsLock); err != nil {
		return fmt.Errorf("db: unable to count a sign-in attempt: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at <= ?`, since.UnixNano()); err != nil {
		return fmt.Errorf("db: unable to forget old sign-in attempts: %w", err)
	}
	seen := map[string][]time.Time{}
	for _, k := range keys {
		rows, err := tx.QueryContext(ctx, `SELECT at FROM login_attempts WHERE key = ? ORDER BY at`, k)
		if err != nil {
			return fmt.Errorf("db: unable to read sign-in attempts: %w", err)
		}
		for rows.Next() {
			var at int64
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return err
			}
			seen[k] = append(seen[k], time.Unix(0, at))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if err := decide(seen); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (key, at) VALUES (?, ?)`, k, now.UnixNano()); err != nil {
			return fmt.Errorf("db: unable to count a sign-in attempt: %w", err)
		}
	}
	return tx.Commit()
}

// ReleaseLoginAttempt gives back the attempt recorded at at under each of keys, and forgets every attempt
// under each of forget.
func (s *Store) ReleaseLoginAttempt(ctx context.Context, keys []string, at time.Time, forget []string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: unable to give back a sign-in attempt: %w", err)
	}
	defer tx.Rollback()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx,
			`DELETE FROM login_attempts WHERE id = (SELECT id FROM login_attempts WHERE key = ? AND at = ? LIMIT 1)`,
			k, at.UnixNano()); err != nil {
			return fmt.Errorf("db: unable to give back a sign-in attempt: %w", err)
		}
	}
	for _, k := range forget {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = ?`, k); err != nil {
			return fmt.Errorf("db: unable to forget sign-in attempts: %w", err)
		}
	}
	return tx.Commit()
}
