package db

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
)

// Leader is the lock a server holds while it does work that must run once for all servers sharing the database
// (the first sync, resuming unfinished shipping files). On PostgreSQL it is a session advisory lock held by one
// connection of its own: a server that dies loses its connection and with it the lock, which another then takes.
// On SQLite one server has the file to itself, and the lock is always had.
type Leader struct {
	conn *sql.Conn
	key  int64
}

// TryLead takes the lock named name if no other server holds it; ok is false when one does. Release it with
// Release.
func (s *Store) TryLead(ctx context.Context, name string) (l *Leader, ok bool, err error) {
	if s.dialect != Postgres {
		return &Leader{}, true, nil
	}
	key := leaderKey(name)
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("db: unable to take the %s lock: %w", name, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, key).Scan(&ok); err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("db: unable to take the %s lock: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, false, nil
	}
	return &Leader{conn: conn, key: key}, true, nil
}

// Lead waits until no other server holds the lock named name and takes it (servers sharing PostgreSQL do the
// work it guards in turn); the wait ends with ctx. Release it with Release. On SQLite it is had at once.
func (s *Store) Lead(ctx context.Context, name string) (*Leader, error) {
	if s.dialect != Postgres {
		return &Leader{}, nil
	}
	key := leaderKey(name)
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: unable to take the %s lock: %w", name, err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, key); err != nil {
		conn.Close()
		return nil, fmt.Errorf("db: unable to take the %s lock: %w", name, err)
	}
	return &Leader{conn: conn, key: key}, nil
}

func leaderKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("wxshop leader " + name))
	return int64(h.Sum64())
}

// Release gives the lock up.
func (l *Leader) Release() {
	if l == nil || l.conn == nil {
		return
	}
	l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(?)`, l.key)
	l.conn.Close()
	l.conn = nil
}
