package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// dataVersion tells whether anything in the database changed, whoever changed it: this process through any of
// its connections, or another process. SQLite's PRAGMA data_version, read on a connection, changes whenever
// another connection has committed since the last read on that connection; read on a connection of its own
// that never writes, it changes after every commit to the file. Answers built from the database can then be kept
// until it changes, at the price of that one statement (a few microseconds) per check.
type dataVersion struct {
	mu    sync.Mutex
	db    *sql.DB   // one read-only connection, kept open
	conn  *sql.Conn // pinned: the counter belongs to one connection
	stmt  *sql.Stmt
	epoch int64 // bumped when the connection is replaced, whose counter starts again
}

func openDataVersion(path string) (*dataVersion, error) {
	d, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1)
	d.SetMaxIdleConns(1)
	return &dataVersion{db: d}, nil
}

// read returns the current version; it never repeats an earlier one.
func (v *dataVersion) read(ctx context.Context) (int64, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.stmt == nil {
		conn, err := v.db.Conn(context.WithoutCancel(ctx))
		if err != nil {
			return 0, fmt.Errorf("db: unable to watch for changes: %w", err)
		}
		stmt, err := conn.PrepareContext(context.WithoutCancel(ctx), `PRAGMA data_version`)
		if err != nil {
			conn.Close()
			return 0, fmt.Errorf("db: unable to watch for changes: %w", err)
		}
		v.conn, v.stmt = conn, stmt
		v.epoch++
	}
	var n int64
	// Without ctx's cancellation: a request going away must not cost the next one a new connection.
	if err := v.stmt.QueryRowContext(context.WithoutCancel(ctx)).Scan(&n); err != nil {
		v.reset()
		return 0, fmt.Errorf("db: unable to read the data version: %w", err)
	}
	return v.epoch<<40 | n&(1<<40-1), nil
}

func (v *dataVersion) reset() {
	if v.stmt != nil {
		v.stmt.Close()
		v.conn.Close()
		v.stmt, v.conn = nil, nil
	}
}

func (v *dataVersion) close() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.reset()
	return v.db.Close()
}

// DataVersion is a number that changes whenever a change to the database has been committed since it was last
// read, by this process or any other: what was read from the database under one version is still what the
// database holds while DataVersion returns the same number. Read it before reading what is to be kept.
//
// On PostgreSQL it is a counter every writing statement bumps in its own transaction (dialect.go), shared by
// every server on the database.
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	if ctx.Value(freshKey{}) != nil {
		return freshVersion.Add(-1), nil
	}
	if s.dialect == Postgres {
		return s.postgresVersion(ctx)
	}
	return s.version.read(ctx)
}

// freshKey marks a context whose reads are to find nothing kept (WithFreshReads).
type freshKey struct{}

// freshVersion counts down from 0: versions no database ever has, each read a new one.
var freshVersion atomic.Int64

// WithFreshReads makes DataVersion, under ctx, answer a version never seen before, as if a commit had just
// happened: whatever is kept while the database is unchanged (pages, sessions, users, page marks) is read
// again. Only the benchmark's server asks for it (its rendered-page rows, cmd/web's WXSHOP_BENCH_FRESH).
func WithFreshReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshKey{}, true)
}

// FreshReads reports whether ctx was made by WithFreshReads.
func FreshReads(ctx context.Context) bool { return ctx.Value(freshKey{}) != nil }
