package db

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"wxshop/internal/db/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// eachDialect runs test once on SQLite and once on PostgreSQL, as the subtests "sqlite" and "postgres";
// newTestStore opens the subtest's dialect.
func eachDialect(t *testing.T, test func(t *testing.T)) {
	t.Helper()
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(d.String(), test)
	}
}

// testDialect is the dialect eachDialect runs t under (SQLite outside it).
func testDialect(t testing.TB) Dialect {
	if strings.Contains(t.Name(), "/postgres") {
		return Postgres
	}
	return SQLite
}

// newTestStore opens an empty, migrated store of t's dialect, closed (and on PostgreSQL dropped) when t ends.
func newTestStore(t testing.TB) *Store {
	t.Helper()
	var s *Store
	var err error
	if testDialect(t) == Postgres {
		u := pgtest.URLFrom(t, "db", migrated)
		s, err = OpenPostgres(context.Background(), u)
		if err == nil {
			testURLs.Store(s, u)
		}
	} else {
		s, err = OpenDir(context.Background(), t.TempDir())
	}
	if err != nil {
		t.Fatalf("open %s: %v", testDialect(t), err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// migrated brings the template database at url up to date, for pgtest.URLFrom.
func migrated(url string) error {
	s, err := OpenPostgres(context.Background(), url)
	if err != nil {
		return err
	}
	return s.Close()
}

var testURLs sync.Map // *Store → its PostgreSQL URL

// postgresURLOf is the URL newTestStore opened s at.
func postgresURLOf(t *testing.T, s *Store) string {
	u, ok := testURLs.Load(s)
	if !ok {
		t.Fatal("not a PostgreSQL store of newTestStore")
	}
	return u.(string)
}
