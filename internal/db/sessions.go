package db

import (
	"context"
	"fmt"
	"time"
)

// The sessions table holds the signed-in sessions: a random token, the session manager's encoded values, and
// when the session ends. expiry is a Julian day number (SQLite's julianday), as scs's sqlite3store wrote it, so
// sessions made before survive.

// Session is one row of the sessions table.
type Session struct {
	Data   []byte
	Expiry time.Time
}

// julianTime is how a time is given to julianday(): UTC, to the millisecond.
func julianTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999") }

// FindSession returns the session stored under token, expired or not, or ErrNoRecord.
func (s *Store) FindSession(ctx context.Context, token string) (Session, error) {
	var row Session
	var expiryMs float64
	err := s.queryRow(ctx, `SELECT data, (expiry - 2440587.5) * 86400000.0 FROM sessions WHERE token = ?`, token).
		Scan(&row.Data, &expiryMs)
	if err != nil {
		return Session{}, notFound(err, "session")
	}
	row.Expiry = time.UnixMilli(int64(expiryMs))
	return row, nil
}

// CommitSession stores data under token until expiry, in place of what was there.
func (s *Store) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.DB.ExecContext(ctx, `REPLACE INTO sessions (token, data, expiry) VALUES (?, ?, julianday(?))`,
		token, data, julianTime(expiry))
	if err != nil {
		return fmt.Errorf("db: unable to save session: %w", err)
	}
	return nil
}

// DeleteSession removes the session stored under token, if there is one.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, token); err != nil {
		return fmt.Errorf("db: unable to delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that ended before now, and counts them.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expiry < julianday(?)`, julianTime(now))
	if err != nil {
		return 0, fmt.Errorf("db: unable to delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
