// Package db opens the app's database, the SQLite file in the data dir or a PostgreSQL database (DATABASE_URL),
// and holds every SQL statement of the app behind small typed methods. The two dialects differ only inside this
// package (dialect.go): the methods, and what they return, are the same on both.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNoRecord is returned when the row asked for does not exist.
var ErrNoRecord = errors.New("db: no matching record")

//go:embed migrations/*.sql migrations_postgres/*.sql
var migrations embed.FS

// FileName is the name of the database file inside the data dir.
const FileName = "wxshop.db"

// Store is the app's one storage type.
type Store struct {
	DB      *sql.DB
	dialect Dialect
	now     func() time.Time
	// ordersRev counts the order writes this process has committed, so figures computed from the orders can be
	// kept until they change.
	ordersRev atomic.Int64
	version   *dataVersion
	stmts     stmtCache
	marks     orderMarks
}

// OrdersRevision changes every time this process commits a change to the orders.
func (s *Store) OrdersRevision() int64 { return s.ordersRev.Load() }

// OpenDir makes sure dataDir exists and is writable, then opens (and migrates) the database inside it.
// Every failure says which path is at fault, so the server can refuse to start with one clear line.
func OpenDir(ctx context.Context, dataDir string) (*Store, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir %s cannot be created: %w", dataDir, err)
	}
	probe, err := os.CreateTemp(dataDir, ".write-check-*")
	if err != nil {
		return nil, fmt.Errorf("data dir %s is not writable: %w", dataDir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return Open(ctx, filepath.Join(dataDir, FileName))
}

// Open opens the SQLite file at path with WAL, a busy timeout and foreign keys, and applies the migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Writers take the lock at BEGIN, so two writers queue on busy_timeout instead of failing on upgrade.
	q.Add("_txlock", "immediate")
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{DB: sqlDB, dialect: SQLite, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	if s.version, err = openDataVersion(path); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	if err := s.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot open: %w", err)
	}
	var mode string
	if err := s.DB.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("not a usable SQLite database: %w", err)
	}
	if err := s.applyMigrations(ctx, s.DB); err != nil {
		return err
	}
	return s.loadRegions(ctx)
}

// applyMigrations brings the schema up to date with the dialect's migrations, through db.
func (s *Store) applyMigrations(ctx context.Context, db *sql.DB) error {
	dir, dialect := "migrations", goose.DialectSQLite3
	if s.dialect == Postgres {
		dir, dialect = "migrations_postgres", goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{goose.WithLogger(goose.NopLogger()),
		// Each area numbers its migrations in a range of its own, so a database may have a later range's
		// migrations before an earlier range's new ones: apply those too, rather than refuse to start.
		goose.WithAllowOutofOrder(true)}
	if s.dialect == SQLite {
		opts = append(opts, goose.WithGoMigrations(unknownStatusMigration)) // its twin is migrations_postgres/00020
	}
	provider, err := goose.NewProvider(dialect, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	for _, r := range results {
		slog.Debug("db: migration applied", "version", r.Source.Version, "path", r.Source.Path)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var verr error
	if s.version != nil {
		verr = s.version.close()
	}
	s.stmts.close()
	return errors.Join(s.DB.Close(), verr)
}

// SetClock replaces the clock the store stamps rows with (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// PrepareBulkLoad readies a store for one writer loading many orders (web seed): one connection, whose page
// cache holds a large transaction and whose statement journals stay in memory instead of a temporary file
// written for every statement that fires triggers. Only for a store opened for that load alone.
func (s *Store) PrepareBulkLoad(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	s.DB.SetMaxOpenConns(1)
	for _, q := range []string{`PRAGMA cache_size = -262144`, `PRAGMA temp_store = MEMORY`} {
		if _, err := s.DB.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
