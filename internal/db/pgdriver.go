package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// The app's statements are written once, with SQLite's ? placeholders. On PostgreSQL they reach pgx through
// pgConnector, which numbers them ($1, $2, …; ?N becomes $N) and passes Go booleans as 0 and 1, as SQLite
// stores them: the schema keeps SQLite's integer flags in both dialects, so that `disabled = 0` reads the same.

// openPostgresDB opens url through pgx with the rewriting connector.
func openPostgresDB(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	return sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)}), nil
}

type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection that takes ? placeholders.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(query), args)
}

// CheckNamedValue passes a boolean as a flag, which goes into an integer column as 0 or 1 and into a boolean
// one as itself, and a string as valid text (pgText). Bytes go as they are: the raw answers, bytea here.
func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	switch x := v.Value.(type) {
	case bool:
		v.Value = flag(x)
	case string:
		v.Value = pgText(x)
	}
	return c.Conn.CheckNamedValue(v)
}

// pgText is s as PostgreSQL's text can hold it: a NUL, or bytes that are not UTF-8 (a WeChat answer may carry
// either, e.g. a nickname cut in the middle of a character), become U+FFFD, where SQLite would keep them. The
// answer itself is kept byte for byte in its raw column.
func pgText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// flag is a Go boolean on its way to PostgreSQL.
type flag bool

func (f flag) Int64Value() (pgtype.Int8, error) {
	if f {
		return pgtype.Int8{Int64: 1, Valid: true}, nil
	}
	return pgtype.Int8{Int64: 0, Valid: true}, nil
}

func (f flag) BoolValue() (pgtype.Bool, error) { return pgtype.Bool{Bool: bool(f), Valid: true}, nil }

// rebound keeps what rebind made of each statement: the app has a few hundred.
var rebound sync.Map

// rebind turns SQLite's placeholders into PostgreSQL's: each ? is the next $n, ?N is $N. Quoted text, quoted
// names and comments are left as they are; a statement already using $n has no ? outside them.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	if q, ok := rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch c {
		case '\'', '"':
			j := i + 1
			for j < len(query) && query[j] != c {
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case '-':
			if i+1 < len(query) && query[i+1] == '-' {
				j := strings.IndexByte(query[i:], '\n')
				if j < 0 {
					j = len(query) - i
				}
				b.WriteString(query[i : i+j])
				i += j - 1
				continue
			}
			b.WriteByte(c)
		case '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebound.Store(query, out)
	return out
}
