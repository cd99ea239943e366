package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ClaimShipRequest records that the form with token asks to ship the order. It reports false when the token
// was used before: the request is a repeat and must not ship again.
func (s *Store) ClaimShipRequest(ctx context.Context, token string, orderPK int64) (bool, error) {
	res, err := s.DB.ExecContext(ctx, `INSERT INTO ship_requests (token, order_pk, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		token, orderPK, s.now().Unix())
	if err != nil {
		return false, fmt.Errorf("db: unable to record a shipment request: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: unable to record a shipment request: %w", err)
	}
	return n == 1, nil
}

// FinishShipRequest records the outcome; a failed request is forgotten so the operator can try again.
func (s *Store) FinishShipRequest(ctx context.Context, token string, ok bool, outcome string) error {
	var err error
	if ok {
		_, err = s.DB.ExecContext(ctx, `UPDATE ship_requests SET outcome = ? WHERE token = ?`, outcome, token)
	} else {
		_, err = s.DB.ExecContext(ctx, `DELETE FROM ship_requests WHERE token = ?`, token)
	}
	return err
}

// ShipFileState is where a bulk-shipping file stands.
type ShipFileState string

// A file is checked into a preview, shipped while running, and done once every valid row has its fate.
const (
	ShipFilePreview ShipFileState = "preview"
	ShipFileRunning ShipFileState = "running"
	ShipFileDone    ShipFileState = "done"
)

// ShipRowState is where one row of a bulk-shipping file stands.
type ShipRowState string

// A row is valid or invalid once checked; a valid row ends shipped, failed (WeChat refused, or the row could
// not be sent) or skipped (the order no longer waits to ship).
const (
	ShipRowValid   ShipRowState = "valid"
	ShipRowInvalid ShipRowState = "invalid"
	ShipRowShipped ShipRowState = "shipped"
	ShipRowFailed  ShipRowState = "failed"
	ShipRowSkipped ShipRowState = "skipped"
)

// ShipBatch is an uploaded bulk-shipping file.
type ShipBatch struct {
	ID        int64
	Filename  string
	CreatedBy string
	CreatedAt time.Time
	State     ShipFileState
	Lang      string // the language of the operator who started it, for its rows' messages
	Rows      []ShipBatchRow
	// BlankRows counts the lines that named an order but neither a courier nor a tracking number: left
	// unfilled on purpose (not shipped now), so they are not rows, only counted.
	BlankRows int
}

// ShipBatchRow is one line of the file and its fate.
type ShipBatchRow struct {
	RowNo                        int
	OrderID, Company, TrackingNo string
	OrderPK                      int64
	CompanyID                    string
	State                        ShipRowState
	Message                      string
}

// CreateShipBatch stores a checked file.
func (s *Store) CreateShipBatch(ctx context.Context, b ShipBatch) (int64, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO ship_batches (filename, created_by, created_at, blank_rows) VALUES (?, ?, ?, ?) RETURNING id`,
		b.Filename, b.CreatedBy, s.now().Unix(), b.BlankRows).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: unable to store a shipping file: %w", err)
	}
	for _, r := range b.Rows {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO ship_batch_rows (batch_id, row_no, order_id, company, tracking_no, order_pk, company_id, state, message)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, r.RowNo, r.OrderID, r.Company, r.TrackingNo, r.OrderPK, r.CompanyID, r.State, r.Message); err != nil {
			return 0, fmt.Errorf("db: unable to store a shipping row: %w", err)
		}
	}
	return id, tx.Commit()
}

// ShipBatchSummary is a bulk-shipping file as a list of them shows it: who sent it, when, and how its rows stand.
type ShipBatchSummary struct {
	ID        int64
	Filename  string
	CreatedBy string
	CreatedAt time.Time
	State     ShipFileState
	Rows      map[ShipRowState]int // rows per state
}

// RecentShipBatches lists the latest limit files, newest first.
func (s *Store) RecentShipBatches(ctx context.Context, limit int) ([]ShipBatchSummary, error) {
	rows, err := s.query(ctx,
		`SELECT b.id, b.filename, b.created_by, b.created_at, b.state, r.state, count(r.row_no)
		 FROM (SELECT * FROM ship_batches ORDER BY id DESC LIMIT ?) b
		 LEFT JOIN ship_batch_rows r ON r.batch_id = b.id
		 GROUP BY b.id, b.filename, b.created_by, b.created_at, b.state, r.state ORDER BY b.id DESC`, limit)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list shipping files: %w", err)
	}
	defer rows.Close()
	var out []ShipBatchSummary
	for rows.Next() {
		var b ShipBatchSummary
		var at int64
		var state *ShipRowState
		var n int
		if err := rows.Scan(&b.ID, &b.Filename, &b.CreatedBy, &at, &b.State, &state, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != b.ID {
			b.CreatedAt, b.Rows = time.Unix(at, 0), map[ShipRowState]int{}
			out = append(out, b)
		}
		if state != nil {
			out[len(out)-1].Rows[*state] = n
		}
	}
	return out, rows.Err()
}

// ShipBatch returns a file with its rows.
func (s *Store) ShipBatch(ctx context.Context, id int64) (ShipBatch, error) {
	var b ShipBatch
	var at int64
	err := s.queryRow(ctx, `SELECT id, filename, created_by, created_at, state, lang, blank_rows FROM ship_batches WHERE id = ?`, id).
		Scan(&b.ID, &b.Filename, &b.CreatedBy, &at, &b.State, &b.Lang, &b.BlankRows)
	if err := notFound(err, "shipping file"); err != nil {
		return b, err
	}
	b.CreatedAt = time.Unix(at, 0)
	rows, err := s.query(ctx,
		`SELECT row_no, order_id, company, tracking_no, order_pk, company_id, state, message FROM ship_batch_rows WHERE batch_id = ? ORDER BY row_no`, id)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var r ShipBatchRow
		if err := rows.Scan(&r.RowNo, &r.OrderID, &r.Company, &r.TrackingNo, &r.OrderPK, &r.CompanyID, &r.State, &r.Message); err != nil {
			return b, err
		}
		b.Rows = append(b.Rows, r)
	}
	return b, rows.Err()
}

// StartShipBatch moves a file from preview to running, in the language lang of the operator who starts it; it
// reports false if it was not in preview (a second confirmation of the same file does nothing).
func (s *Store) StartShipBatch(ctx context.Context, id int64, lang string) (bool, error) {
	res, err := s.DB.ExecContext(ctx, `UPDATE ship_batches SET state = 'running', lang = ? WHERE id = ? AND state = 'preview'`, lang, id)
	if err != nil {
		return false, fmt.Errorf("db: unable to start a shipping file: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("db: unable to start a shipping file: %w", err)
	}
	return n == 1, nil
}

// RunningShipBatches lists the files that were being shipped when the process stopped, oldest first.
func (s *Store) RunningShipBatches(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id FROM ship_batches WHERE state = 'running' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list running shipping files: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// OrdersByIDs returns the orders with the given local ids, in that order, skipping unknown ones.
func (s *Store) OrdersByIDs(ctx context.Context, ids []int64) ([]Order, error) {
	var out []Order
	for _, id := range ids {
		o, err := s.Order(ctx, id)
		if errors.Is(err, ErrNoRecord) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// OrdersBySourceID finds orders by the source's id, across sources (a CSV names orders by their id only).
func (s *Store) OrdersBySourceID(ctx context.Context, orderID string) ([]Order, error) {
	rows, err := s.query(ctx, `SELECT `+orderColumns+` FROM orders WHERE order_id = ?`, strings.TrimSpace(orderID))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ClaimedShipRow is a row of a running file that one server has claimed to ship, until its lease runs out.
type ClaimedShipRow struct {
	ShipBatchRow
	// Attempts counts the claims of the row, this one included: above 1, a server claimed it before and
	// stopped or died without recording its fate, so the parcel may have left already.
	Attempts int
}

// nowMillis is the database's clock in unix milliseconds: the servers sharing PostgreSQL compare leases by
// one clock, not each by its own.
func (s *Store) nowMillis() string {
	return s.pick(`CAST(unixepoch('subsec') * 1000 AS INTEGER)`, `CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)`)
}

// ClaimShipRow claims the next valid row of a running file that no server holds (or whose holder's lease has
// run out) for owner, for lease; ok is false when there is none left to claim. On PostgreSQL the row is taken
// with FOR UPDATE SKIP LOCKED, so servers claiming at once each get a row of their own without waiting for each
// other; on SQLite the one writer at a time makes the same statement just as exclusive.
func (s *Store) ClaimShipRow(ctx context.Context, batchID int64, owner string, lease time.Duration) (r ClaimedShipRow, ok bool, err error) {
	now := s.nowMillis()
	err = s.queryRow(ctx, `UPDATE ship_batch_rows SET lease_owner = ?, lease_until = `+now+` + ?, attempts = attempts + 1
		WHERE (batch_id, row_no) IN (
			SELECT r.batch_id, r.row_no FROM ship_batch_rows r JOIN ship_batches b ON b.id = r.batch_id
			WHERE r.batch_id = ? AND b.state = 'running' AND r.state = 'valid' AND r.lease_until < `+now+`
			ORDER BY r.row_no LIMIT 1`+s.pick("", ` FOR UPDATE OF r SKIP LOCKED`)+`)
		RETURNING row_no, order_id, company, tracking_no, order_pk, company_id, state, message, attempts`,
		owner, lease.Milliseconds(), batchID).
		Scan(&r.RowNo, &r.OrderID, &r.Company, &r.TrackingNo, &r.OrderPK, &r.CompanyID, &r.State, &r.Message, &r.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("db: unable to claim a shipping row: %w", err)
	}
	return r, true, nil
}

// RenewShipLeases extends, by lease from now, the leases owner holds on the file's rows still on their way.
func (s *Store) RenewShipLeases(ctx context.Context, batchID int64, owner string, lease time.Duration) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE ship_batch_rows SET lease_until = `+s.nowMillis()+` + ?
		WHERE batch_id = ? AND lease_owner = ? AND state = 'valid' AND lease_until > 0`, lease.Milliseconds(), batchID, owner)
	if err != nil {
		return fmt.Errorf("db: unable to renew the shipping leases: %w", err)
	}
	return nil
}

// FinishClaimedShipRow records the fate of a row owner claimed and ends its lease. It reports false when the
// row was no longer owner's to finish (its lease ran out and another server took it over).
func (s *Store) FinishClaimedShipRow(ctx context.Context, batchID int64, rowNo int, owner string, state ShipRowState, message string) (bool, error) {
	res, err := s.DB.ExecContext(ctx, `UPDATE ship_batch_rows SET state = ?, message = ?, lease_until = 0
		WHERE batch_id = ? AND row_no = ? AND lease_owner = ? AND state = 'valid'`, state, message, batchID, rowNo, owner)
	if err != nil {
		return false, fmt.Errorf("db: unable to record a shipping row: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseShipRow gives up owner's claim on a row it leaves valid (it stopped before the row's fate was known):
// another claim may take it after the given time (at once for 0), and, the row counting as attempted, reads the
// order back first.
func (s *Store) ReleaseShipRow(ctx context.Context, batchID int64, rowNo int, owner string, after time.Duration) error {
	until := "0"
	if after > 0 {
		until = fmt.Sprintf("%s + %d", s.nowMillis(), after.Milliseconds())
	}
	_, err := s.DB.ExecContext(ctx, `UPDATE ship_batch_rows SET lease_owner = '', lease_until = `+until+`
		WHERE batch_id = ? AND row_no = ? AND lease_owner = ? AND state = 'valid'`, batchID, rowNo, owner)
	return err
}

// ReleaseOthersShipLeases ends every lease not held by owner: for SQLite, where one server has the file to
// itself, the leases left by an earlier run of it, which stopped without ending them.
func (s *Store) ReleaseOthersShipLeases(ctx context.Context, owner string) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE ship_batch_rows SET lease_until = 0 WHERE state = 'valid' AND lease_until > 0 AND lease_owner <> ?`, owner)
	return err
}

// FinishShipBatchIfDone marks a running file done once none of its rows is still valid; it reports whether it
// did (the rows another server still holds keep the file running).
func (s *Store) FinishShipBatchIfDone(ctx context.Context, id int64) (bool, error) {
	res, err := s.DB.ExecContext(ctx, `UPDATE ship_batches SET state = 'done' WHERE id = ? AND state = 'running'
		AND NOT EXISTS (SELECT 1 FROM ship_batch_rows WHERE batch_id = ? AND state = 'valid')`, id, id)
	if err != nil {
		return false, fmt.Errorf("db: unable to finish a shipping file: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
