package db

import (
	"context"
	"database/sql"
	"sync"
)

// Statements are prepared once and kept: SQLite parsing the same SQL again for every query was a fifth of a
// page's time. database/sql prepares a kept statement on each connection the first time it runs there.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// maxKeptStmts bounds the cache; the app has a few hundred distinct statements (filters combine, IN lists
// have one per length), and any beyond are run unprepared.
const maxKeptStmts = 1024

func (s *Store) stmt(ctx context.Context, query string) *sql.Stmt {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if st, ok := s.stmts.stmts[query]; ok {
		return st
	}
	if len(s.stmts.stmts) >= maxKeptStmts {
		return nil
	}
	st, err := s.DB.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil // the query itself reports the error
	}
	if s.stmts.stmts == nil {
		s.stmts.stmts = map[string]*sql.Stmt{}
	}
	s.stmts.stmts[query] = st
	return st
}

// query is DB.QueryContext through a kept statement.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.DB.QueryContext(ctx, query, args...)
}

// queryRow is DB.QueryRowContext through a kept statement.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.DB.QueryRowContext(ctx, query, args...)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}
