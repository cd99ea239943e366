package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Dialect is which database engine a Store talks to.
type Dialect int

const (
	// SQLite is the default: one file in the data dir, for one server.
	SQLite Dialect = iota
	// Postgres is a PostgreSQL database (DATABASE_URL), which several servers can share.
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Dialect is the engine the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// IsPostgresURL reports whether url names a PostgreSQL database.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// OpenConfig opens the database the configuration names: databaseURL (DATABASE_URL, postgres://…) when it is
// set, else the SQLite file in dataDir (DATA_DIR).
func OpenConfig(ctx context.Context, dataDir, databaseURL string) (*Store, error) {
	switch {
	case databaseURL == "":
		return OpenDir(ctx, dataDir)
	case IsPostgresURL(databaseURL):
		return OpenPostgres(ctx, databaseURL)
	}
	return nil, fmt.Errorf("DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite in DATA_DIR)")
}

// migrationLock is the advisory lock held while a server brings the schema up to date, so that servers started
// together migrate one after the other.
const migrationLock = 7_401_001

// OpenPostgres connects to the PostgreSQL database at url and applies the migrations.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	sqlDB, err := openPostgresDB(url)
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{DB: sqlDB, dialect: Postgres, now: time.Now}
	if err := s.migratePostgres(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("database %s: %w", redactURL(url), err)
	}
	return s, nil
}

func (s *Store) migratePostgres(ctx context.Context) error {
	if err := s.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot connect: %w", err)
	}
	// One connection holds the lock; goose and the region list use the pool meanwhile.
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("cannot connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(?)`, migrationLock); err != nil {
		return fmt.Errorf("migrations: unable to take the migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(?)`, migrationLock)
	if err := s.applyMigrations(ctx, s.DB); err != nil {
		return err
	}
	// Tables added by any migration are watched by the data version (migration 00060).
	if _, err := s.DB.ExecContext(ctx, `SELECT data_version_watch()`); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	return s.loadRegions(ctx)
}

// redactURL hides the password of a database URL in messages.
func redactURL(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return url
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return url
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// isUniqueViolation reports whether err is the engine refusing a second row with the same unique key.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// pick returns the SQLite or the PostgreSQL form of a statement (or a piece of one) that differs between them.
func (s *Store) pick(sqlite, postgres string) string {
	if s.dialect == Postgres {
		return postgres
	}
	return sqlite
}

// like is the operator that matches a LIKE pattern ignoring case, as SQLite's LIKE does.
func (s *Store) like() string { return s.pick("LIKE", "ILIKE") }

// postgresVersion reads the data version PostgreSQL keeps (migration 00060): a counter every statement that
// writes bumps in its own transaction, so it changes exactly when a commit by any server makes a change.
func (s *Store) postgresVersion(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(context.WithoutCancel(ctx), `SELECT n FROM data_version WHERE id = 1`).Scan(&n); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("db: the data version row is missing")
		}
		return 0, fmt.Errorf("db: unable to read the data version: %w", err)
	}
	return n, nil
}

// raw is a WeChat answer's bytes as its raw column takes them: bytea on PostgreSQL (kept byte for byte, never
// NULL), text on SQLite.
func (s *Store) raw(b []byte) any {
	if s.dialect == Postgres {
		if b == nil {
			return []byte{}
		}
		return b
	}
	return string(b)
}
