package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// notCopied are the tables CopyTo leaves out, and why.
var notCopied = map[string]string{
	"sessions":               "people sign in again on the new database",
	"regions":                "filled from regions.tsv when a database is opened",
	"order_counts":           "kept by the orders' triggers as the orders are copied",
	"sales_days":             "kept by the orders' triggers as the orders are copied",
	"order_status_days":      "kept by the orders' triggers as the orders are copied",
	"product_sales_days":     "kept by the order lines' triggers as the lines are copied",
	"product_sales_cum":      "kept by product_sales_days' triggers as the lines are copied",
	"product_sales_products": "kept by product_sales_days' triggers as the lines are copied",
	"courier_choices":        "kept by the audit log's triggers as its entries are copied",
	"order_search":           "SQLite's search index; PostgreSQL indexes the orders themselves",
	"order_search_stale":     "SQLite's search index",
	"line_titles":            "kept by the order lines' triggers as the lines are copied",
	"order_titles":           "kept by the order lines' triggers as the lines are copied",
	"name_set_titles":        "kept by the order lines' triggers as the lines are copied",
	"product_name_sets":      "kept by the orders' triggers as the orders are copied",
	"name_set_counts":        "kept by the orders' triggers as the orders are copied",
	"receiver_name_grams":    "kept by PostgreSQL's orders' triggers as the orders are copied",
	"data_version":           "each database's own",
	"login_attempts":         "each database's own",
	"goose_db_version":       "each database's own",
}

// CopyTo copies a SQLite store's data into an empty PostgreSQL one (web db copy): every table both schemas have,
// row for row with the same ids, in one transaction, so that a copy that fails leaves the target as it was.
// It returns how many rows each table received. The source may be in use meanwhile: it is read in one
// transaction, one snapshot.
func (s *Store) CopyTo(ctx context.Context, to *Store) (map[string]int, error) {
	if s.dialect != SQLite || to.dialect != Postgres {
		return nil, errors.New("db copy: copies a SQLite database into a PostgreSQL one")
	}
	var users, orders int
	to.DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM orders)`).Scan(&users, &orders)
	if users > 0 || orders > 0 {
		return nil, fmt.Errorf("db copy: the target database is not empty (%d users, %d orders)", users, orders)
	}
	src, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer src.Rollback()
	dst, err := to.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer dst.Rollback()
	// Tables in the order they were made: a table's parents before it.
	rows, err := src.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		if _, skip := notCopied[n]; !skip && !strings.HasPrefix(n, "order_search_") {
			tables = append(tables, n)
		}
	}
	rows.Close()
	counts := map[string]int{}
	for _, table := range tables {
		cols, err := columnNames(ctx, dst, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, table)
		if err != nil {
			return nil, err
		}
		if len(cols) == 0 {
			return nil, fmt.Errorf("db copy: table %s is not in the target database", table)
		}
		have, err := columnNames(ctx, src, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			return nil, err
		}
		var sel []string
		for _, c := range cols {
			if c == "rowid" || slices.Contains(have, c) { // rowid: SQLite's own, spelled out in PostgreSQL
				sel = append(sel, c)
			} else {
				return nil, fmt.Errorf("db copy: the target's %s.%s is not in the source", table, c)
			}
		}
		// A raw answer SQLite holds as text goes into bytea as its bytes, untouched (text would be made valid).
		bytea, err := columnNames(ctx, dst, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'bytea'`, table)
		if err != nil {
			return nil, err
		}
		n, err := copyTable(ctx, src, dst, table, sel, bytea)
		if err != nil {
			return nil, fmt.Errorf("db copy: table %s: %w", table, err)
		}
		counts[table] = n
		// Identity columns go on from the largest id copied.
		for _, c := range []string{"id", "rowid"} {
			if slices.Contains(cols, c) {
				var seq sql.NullString
				if err := dst.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(?, ?)`, table, c).Scan(&seq); err != nil {
					return nil, fmt.Errorf("db copy: table %s: %w", table, err)
				}
				if !seq.Valid {
					continue // not an identity column (an id given by WeChat)
				}
				if _, err := dst.ExecContext(ctx, `SELECT setval(?, COALESCE((SELECT max(`+c+`) FROM `+table+`), 0) + 1, false)`, seq.String); err != nil {
					return nil, fmt.Errorf("db copy: table %s: %w", table, err)
				}
			}
		}
	}
	return counts, dst.Commit()
}

func columnNames(ctx context.Context, q *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func copyTable(ctx context.Context, src, dst *sql.Tx, table string, cols, bytea []string) (int, error) {
	list := strings.Join(cols, ", ")
	rows, err := src.QueryContext(ctx, `SELECT `+list+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	ins, err := dst.PrepareContext(ctx, `INSERT INTO `+table+` (`+list+`) VALUES (?`+strings.Repeat(", ?", len(cols)-1)+`)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			if text, ok := vals[i].(string); ok && slices.Contains(bytea, c) {
				vals[i] = []byte(text)
			}
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}
