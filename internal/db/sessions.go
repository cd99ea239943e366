package db

import (
	"context"
	"fmt"
	"time"
)

// The sessions table holds the signed-in sessions: a random token, the session manager's encoded values, and
// when the session ends, in the layout scs's own stores use, so sessions made by them survive: SQLite keeps the
// expiry as a Julian day number (julianday), PostgreSQL as a timestamp. On PostgreSQL every server shares the
// sessions: one signed in on one is signed in on all, and one deleted on one is gone on all.

// Session is one row of the sessions table.
type Session struct {
	Data   []byte
	Expiry time.Time
}

// julianTime is how a time is given to SQLite's julianday(): UTC, to the millisecond.
func julianTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999") }

// sessionTime is a time as the dialect's expiry column takes it.
func (s *Store) sessionTime(t time.Time) any {
	if s.dialect == Postgres {
		return t.UTC()
	}
	return julianTime(t)
}

// FindSession returns the session stored under token, expired or not (the caller compares the expiry with
// its clock), or ErrNoRecord.
func (s *Store) FindSession(ctx context.Context, token string) (Session, error) {
	q := s.pick(`SELECT data, CAST((expiry - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE token = ?`,
		`SELECT data, CAST(extract(epoch FROM expiry) * 1000 AS BIGINT) FROM sessions WHERE token = ?`)
	var row Session
	var ms int64
	if err := s.queryRow(ctx, q, token).Scan(&row.Data, &ms); err != nil {
		return Session{}, notFound(err, "session")
	}
	row.Expiry = time.UnixMilli(ms)
	return row, nil
}

// CommitSession stores data under token until expiry, in place of what was there.
func (s *Store) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	q := s.pick(`REPLACE INTO sessions (token, data, expiry) VALUES (?, ?, julianday(?))`,
		`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		 ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`)
	if _, err := s.DB.ExecContext(ctx, q, token, data, s.sessionTime(expiry)); err != nil {
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
	q := s.pick(`DELETE FROM sessions WHERE expiry < julianday(?)`, `DELETE FROM sessions WHERE expiry < ?`)
	res, err := s.DB.ExecContext(ctx, q, s.sessionTime(now))
	if err != nil {
		return 0, fmt.Errorf("db: unable to delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
