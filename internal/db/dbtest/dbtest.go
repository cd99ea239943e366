// Package dbtest opens stores for tests on either dialect: Each runs a test on SQLite and on PostgreSQL, Open
// opens the dialect of the test it is given. A package using it runs its tests through pgtest.Main.
package dbtest

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/db/pgtest"
)

// Each runs test as the subtests "sqlite" and "postgres"; Open, inside them, opens that dialect.
func Each(t *testing.T, test func(t *testing.T)) {
	t.Helper()
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(d.String(), test)
	}
}

// EachParallel is Each with t and its two subtests run in parallel with other parallel tests: for the slow
// suites that mostly wait (on a WeChat that answers late).
func EachParallel(t *testing.T, test func(t *testing.T)) {
	t.Helper()
	t.Parallel()
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			test(t)
		})
	}
}

// Dialect is the dialect Each runs t under: SQLite outside it.
func Dialect(t testing.TB) db.Dialect {
	if strings.Contains(t.Name(), "/"+db.Postgres.String()) {
		return db.Postgres
	}
	return db.SQLite
}

// Open opens an empty, migrated store of t's dialect (in a temporary data dir, or a new PostgreSQL database),
// closed and removed when t ends.
func Open(t testing.TB) *db.Store {
	t.Helper()
	var s *db.Store
	var err error
	if Dialect(t) == db.Postgres {
		u := URL(t)
		s, err = db.OpenPostgres(context.Background(), u)
		if err == nil {
			urls.Store(s, u)
		}
	} else {
		s, err = db.OpenDir(context.Background(), t.TempDir())
	}
	if err != nil {
		t.Fatalf("open %s: %v", Dialect(t), err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var urls sync.Map // *db.Store → its PostgreSQL database's URL

// Other opens s's database again, as another process (or another server) would, closed when t ends. Its
// statements take ? placeholders on both dialects.
func Other(t testing.TB, s *db.Store) *sql.DB {
	t.Helper()
	if u, ok := urls.Load(s); ok {
		o, err := db.OpenPostgres(context.Background(), u.(string))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { o.Close() })
		return o.DB
	}
	var file string
	if err := s.DB.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// Reopen opens s's PostgreSQL database a second time, as a second server would, closed when t ends.
func Reopen(t testing.TB, s *db.Store) *db.Store {
	t.Helper()
	u, ok := urls.Load(s)
	if !ok {
		t.Fatal("dbtest.Reopen: the store is not one of dbtest's PostgreSQL stores")
	}
	o, err := db.OpenPostgres(context.Background(), u.(string))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// URL is a new, migrated PostgreSQL database for t, dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return pgtest.URLFrom(t, "migrated", func(url string) error {
		s, err := db.OpenPostgres(context.Background(), url)
		if err != nil {
			return err
		}
		return s.Close()
	})
}
