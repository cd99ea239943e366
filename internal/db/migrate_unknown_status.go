package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"
)

// Migration 00020 lets an order's status be 'unknown': a partner-store order whose answer has no status (the
// document's own example has none) is neither done nor waiting to be shipped. SQLite cannot alter a CHECK
// constraint, and rebuilding orders would cascade into its lines and parcels; widening the list of allowed
// values is the change SQLite's documentation allows through writable_schema (every row still passes), with
// schema_version raised so that every open connection reads the new schema. It is Go because the new
// schema_version is the old one plus one.
var unknownStatusMigration = goose.NewGoMigration(20, &goose.GoFunc{RunTx: allowUnknownStatus}, nil)

const (
	statusCheckBefore = `CHECK (status IN ('topay', 'toship', 'partial', 'shipped', 'done', 'aftersale', 'cancelled'))`
	statusCheckAfter  = `CHECK (status IN ('topay', 'toship', 'partial', 'shipped', 'done', 'aftersale', 'cancelled', 'unknown'))`
)

func allowUnknownStatus(ctx context.Context, tx *sql.Tx) error {
	var schema string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'orders'`).Scan(&schema); err != nil {
		return fmt.Errorf("read the orders table: %w", err)
	}
	if strings.Contains(schema, statusCheckAfter) {
		return nil
	}
	if strings.Count(schema, statusCheckBefore) != 1 {
		return fmt.Errorf("the orders table's status check is not the one migration 00004 made")
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
		return err
	}
	for _, stmt := range []string{
		`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_schema SET sql = '` + strings.ReplaceAll(strings.Replace(schema, statusCheckBefore, statusCheckAfter, 1), "'", "''") +
			`' WHERE type = 'table' AND name = 'orders'`,
		fmt.Sprintf(`PRAGMA schema_version = %d`, version+1),
		`PRAGMA writable_schema = OFF`,
		// order_counts keeps a row per source and status; the triggers only update rows that exist.
		`INSERT OR IGNORE INTO order_counts (source, status, n)
		 SELECT s, 'unknown', 0 FROM (SELECT 'merchant' AS s UNION ALL SELECT 'shop' UNION ALL SELECT 'channels' UNION ALL SELECT 'partner')`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%.60s: %w", stmt, err)
		}
	}
	return nil
}
