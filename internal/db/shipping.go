package db

import (
	"context"
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

// FinishShipBatchRow records the fate of one row.
func (s *Store) FinishShipBatchRow(ctx context.Context, batchID int64, rowNo int, state ShipRowState, message string) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE ship_batch_rows SET state = ?, message = ? WHERE batch_id = ? AND row_no = ?`,
		state, message, batchID, rowNo)
	return err
}

// FinishShipBatch marks a file done.
func (s *Store) FinishShipBatch(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE ship_batches SET state = 'done' WHERE id = ?`, id)
	return err
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
