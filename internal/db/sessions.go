package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"
)

// SessionStore is scs's store for the sessions table in the store's dialect, deleting expired sessions every
// cleanup (0: never); stop ends that. On PostgreSQL every server shares the sessions: one signed in on one is
// signed in on all, and one deleted on one is gone on all.
func (s *Store) SessionStore(cleanup time.Duration) (store scs.Store, stop func()) {
	if s.dialect == Postgres {
		st := postgresstore.NewWithCleanupInterval(s.DB, cleanup)
		return st, st.StopCleanup
	}
	st := sqlite3store.NewWithCleanupInterval(s.DB, cleanup)
	return st, st.StopCleanup
}

// FindSession reads a session's row as scs wrote it: its data and when it expires; found is false when there is
// no such row (expired rows are returned: the caller compares the expiry with its clock).
func (s *Store) FindSession(ctx context.Context, token string) (data []byte, expiry time.Time, found bool, err error) {
	// sqlite3store keeps the expiry as a Julian day, postgresstore as a timestamp.
	q := s.pick(`SELECT data, CAST((expiry - 2440587.5) * 86400000.0 AS INTEGER) FROM sessions WHERE token = ?`,
		`SELECT data, CAST(extract(epoch FROM expiry) * 1000 AS BIGINT) FROM sessions WHERE token = ?`)
	var ms int64
	err = s.queryRow(ctx, q, token).Scan(&data, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, false, nil
	} else if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("db: unable to read a session: %w", err)
	}
	return data, time.UnixMilli(ms), true, nil
}
