package db

import (
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// The tables one dialect has and the other has not, and why. Anything else must be the same on both.
var dialectOnlyTables = map[string]string{
	"order_search":       "SQLite's FTS5 trigram index of the orders; PostgreSQL indexes orders itself with pg_trgm",
	"order_search_stale": "the orders SQLite's FTS5 index has yet to take in",
	"data_version":       "PostgreSQL's counter standing in for SQLite's PRAGMA data_version",
	"goose_db_version":   "goose's own bookkeeping",
	"login_attempts":     "the sign-in attempts servers sharing PostgreSQL count together; one SQLite server counts in memory",
	"push_rates":         "the pushes per address servers sharing PostgreSQL count together; one SQLite server counts in memory",
}

// dialectOnlyTable reports whether name is one of dialectOnlyTables, or a table FTS5 makes for one of them.
func dialectOnlyTable(name string) bool {
	if _, ok := dialectOnlyTables[name]; ok {
		return true
	}
	return strings.HasPrefix(name, "order_search_")
}

func TestEveryMigrationHasItsPostgresTwin(t *testing.T) {
	names := func(dir string) []string {
		entries, err := fs.ReadDir(migrations, dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names("migrations"), names("migrations_postgres")
	for _, n := range lite {
		if !slices.Contains(pg, n) {
			t.Errorf("migrations/%s has no twin in migrations_postgres/ (the same name, the same tables in PostgreSQL's SQL)", n)
		}
	}
	for _, n := range pg {
		// 00020 is a Go migration on SQLite (migrate_unknown_status.go); 00060, 00061, 00063, 00064 and 00071 are
		// PostgreSQL's own.
		if !slices.Contains(lite, n) && !slices.ContainsFunc([]string{"00020_", "00060_", "00061_", "00063_", "00064_", "00071_"}, func(p string) bool { return strings.HasPrefix(n, p) }) {
			t.Errorf("migrations_postgres/%s has no SQLite original", n)
		}
	}
}

func TestBothSchemasHaveTheSameTablesColumnsAndConstraints(t *testing.T) {
	var lite, pg map[string][]string
	t.Run("sqlite", func(t *testing.T) { lite = sqliteSchema(t, newTestStore(t).DB) })
	t.Run("postgres", func(t *testing.T) { pg = postgresSchema(t, newTestStore(t).DB) })
	if len(lite) < 20 {
		t.Fatalf("the SQLite schema has %d tables, want the app's (20 or more): %v", len(lite), lite)
	}
	for table, want := range lite {
		got, ok := pg[table]
		if !ok {
			t.Errorf("table %s is in SQLite only", table)
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("table %s differs:\n  sqlite:   %s\n  postgres: %s", table, strings.Join(want, "; "), strings.Join(got, "; "))
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s is in PostgreSQL only", table)
		}
	}
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			row[i] = fmt.Sprint(v)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A table is described by its lines: "col NAME null|not null", "pk(a,b)", "unique(a,b)",
// "fk(a)->table(b) on delete ACTION", "check(col)", sorted.

func sqliteSchema(t *testing.T, db *sql.DB) map[string][]string {
	out := map[string][]string{}
	for _, r := range queryStrings(t, db, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		table, create := r[0], r[1]
		if dialectOnlyTable(table) {
			continue
		}
		var lines []string
		var pk []string
		for _, c := range queryStrings(t, db, `SELECT name, "notnull", pk FROM pragma_table_info(?) ORDER BY pk`, table) {
			null := "null"
			if c[1] == "1" || c[2] != "0" {
				null = "not null"
			}
			lines = append(lines, "col "+c[0]+" "+null)
			if c[2] != "0" {
				pk = append(pk, c[0])
			}
		}
		if len(pk) > 0 {
			lines = append(lines, "pk("+strings.Join(pk, ",")+")")
		}
		for _, ix := range queryStrings(t, db, `SELECT name FROM pragma_index_list(?) WHERE origin = 'u'`, table) {
			var cols []string
			for _, c := range queryStrings(t, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix[0]) {
				cols = append(cols, c[0])
			}
			lines = append(lines, "unique("+strings.Join(cols, ",")+")")
		}
		for _, fk := range queryStrings(t, db, `SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)`, table) {
			lines = append(lines, fmt.Sprintf("fk(%s)->%s(%s) on delete %s", fk[0], fk[1], fk[2], strings.ToLower(fk[3])))
		}
		for _, l := range strings.Split(create, "\n") {
			if strings.Contains(l, "CHECK (") {
				lines = append(lines, "check("+strings.Fields(l)[0]+")")
			}
		}
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

func postgresSchema(t *testing.T, db *sql.DB) map[string][]string {
	out := map[string][]string{}
	tables := queryStrings(t, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	for _, r := range tables {
		table := r[0]
		if dialectOnlyTable(table) {
			continue
		}
		var lines []string
		// rowid: SQLite's implicit row number, spelled out where the app orders by it (migration 00002).
		for _, c := range queryStrings(t, db, `SELECT column_name, is_nullable FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'rowid'`, table) {
			null := "null"
			if c[1] == "NO" {
				null = "not null"
			}
			lines = append(lines, "col "+c[0]+" "+null)
		}
		cons := queryStrings(t, db, `SELECT c.contype,
			  (SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
			     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n),
			  COALESCE(c.confrelid::regclass::text, ''),
			  COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
			     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''),
			  c.confdeltype
			FROM pg_constraint c WHERE c.conrelid = ?::regclass`, table)
		for _, c := range cons {
			switch c[0] {
			case "p":
				lines = append(lines, "pk("+c[1]+")")
			case "u":
				lines = append(lines, "unique("+c[1]+")")
			case "f":
				action := map[string]string{"a": "no action", "c": "cascade", "n": "set null", "r": "restrict", "d": "set default"}[c[4]]
				lines = append(lines, fmt.Sprintf("fk(%s)->%s(%s) on delete %s", c[1], c[2], c[3], action))
			case "c":
				lines = append(lines, "check("+c[1]+")")
			}
		}
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}
