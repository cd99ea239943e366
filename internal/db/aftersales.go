package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Tabs of the after-sales page, each a set of WeChat statuses (the app's shop layer decides which).
const (
	AftersaleTabPending      = "pending"       // 待处理: the merchant reviews the application
	AftersaleTabWaitReturn   = "wait_return"   // 待买家退货
	AftersaleTabToReceive    = "to_receive"    // 待商家收货: a return came back
	AftersaleTabReship       = "reship"        // 换货待发货: an exchange's goods came back
	AftersaleTabRefundFailed = "refund_failed" // 退款失败
	AftersaleTabOngoing      = "ongoing"
	AftersaleTabDone         = "done"
	AftersaleTabClosed       = "closed"
)

// AftersaleTabs lists the tabs in the order the page shows them.
var AftersaleTabs = []string{
	AftersaleTabPending, AftersaleTabWaitReturn, AftersaleTabToReceive, AftersaleTabReship, AftersaleTabRefundFailed,
	AftersaleTabOngoing, AftersaleTabDone, AftersaleTabClosed,
}

// Aftersale is one after-sale order of the mirror.
type Aftersale struct {
	ID, OrderID, Type, Status string
	Tab                       string
	NeedsMerchant             bool
	ProductID, SKUID          string
	AmountFen                 int64
	BuyerPhone                string
	Deadline                  time.Time // zero: none
	CreatedAt, UpdatedAt      time.Time
	Raw                       []byte // after_sale_order as WeChat last answered it
	SyncedAt                  time.Time
}

// AftersaleEvent is one line of an after-sale's history.
type AftersaleEvent struct {
	ID          int64
	AftersaleID string
	OrderID     string
	At          time.Time
	Kind        string // "status" (the mirror saw it change) or the action's name
	Status      string // the status after it
	Username    string
	Detail      string
	Outcome     string    // the action's outcome, as the audit log writes it
	RefundAt    time.Time // set when the action started a refund
}

// Kind of the history lines the mirror writes.
const AftersaleEventStatus = "status"

const aftersaleColumns = `id, order_id, type, status, tab, needs_merchant, product_id, sku_id, amount_fen, buyer_phone,
	deadline, created_at, updated_at, raw, synced_at`

func scanAftersale(row interface{ Scan(...any) error }) (Aftersale, error) {
	var a Aftersale
	var deadline, created, updated, synced, needs int64
	var raw string
	err := row.Scan(&a.ID, &a.OrderID, &a.Type, &a.Status, &a.Tab, &needs, &a.ProductID, &a.SKUID, &a.AmountFen,
		&a.BuyerPhone, &deadline, &created, &updated, &raw, &synced)
	a.Deadline, a.CreatedAt, a.UpdatedAt, a.SyncedAt = timeOrZero(deadline), timeOrZero(created), timeOrZero(updated), timeOrZero(synced)
	a.Raw, a.NeedsMerchant = []byte(raw), needs == 1
	return a, err
}

// UpsertAftersale writes an after-sale. When it is new or its status changed, a history line says so; changed
// reports that. An answer older than the row (by WeChat's update time) does not overwrite it.
func (s *Store) UpsertAftersale(ctx context.Context, a Aftersale) (changed bool, err error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("db: unable to save after-sale %s: %w", a.ID, err)
	}
	defer tx.Rollback()
	var oldStatus string
	var oldUpdated int64
	err = tx.QueryRowContext(ctx, `SELECT status, updated_at FROM aftersales WHERE id = ?`, a.ID).Scan(&oldStatus, &oldUpdated)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return false, fmt.Errorf("db: unable to read after-sale %s: %w", a.ID, err)
	case unixOrZero(a.UpdatedAt) < oldUpdated:
		return false, nil
	}
	synced := a.SyncedAt
	if synced.IsZero() {
		synced = s.now()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO aftersales (`+aftersaleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, type = excluded.type, status = excluded.status,
			tab = excluded.tab, needs_merchant = excluded.needs_merchant, product_id = excluded.product_id,
			sku_id = excluded.sku_id, amount_fen = excluded.amount_fen, buyer_phone = excluded.buyer_phone,
			deadline = excluded.deadline, created_at = excluded.created_at, updated_at = excluded.updated_at,
			raw = excluded.raw, synced_at = excluded.synced_at`,
		a.ID, a.OrderID, a.Type, a.Status, a.Tab, flagInt(a.NeedsMerchant), a.ProductID, a.SKUID, a.AmountFen, a.BuyerPhone,
		unixOrZero(a.Deadline), unixOrZero(a.CreatedAt), unixOrZero(a.UpdatedAt), s.raw(a.Raw), synced.Unix())
	if err != nil {
		return false, fmt.Errorf("db: unable to save after-sale %s: %w", a.ID, err)
	}
	if oldStatus != a.Status {
		at := a.UpdatedAt
		if at.IsZero() {
			at = synced
		}
		if err := insertAftersaleEvent(ctx, tx, AftersaleEvent{AftersaleID: a.ID, OrderID: a.OrderID, At: at, Kind: AftersaleEventStatus, Status: a.Status}); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("db: unable to save after-sale %s: %w", a.ID, err)
	}
	return oldStatus != a.Status, nil
}

// flagInt writes a yes/no as the 0/1 the column holds in both engines.
func flagInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Aftersale returns one after-sale of the mirror, or ErrNoRecord.
func (s *Store) Aftersale(ctx context.Context, id string) (Aftersale, error) {
	a, err := scanAftersale(s.queryRow(ctx, `SELECT `+aftersaleColumns+` FROM aftersales WHERE id = ?`, id))
	return a, notFound(err, "after-sale "+id)
}

// AftersaleFilter selects the after-sales of a page.
type AftersaleFilter struct {
	Tab    string // "" every tab
	Query  string // an after-sale id, an order id or the buyer's phone, whole
	Limit  int    // 0: 50
	Offset int
}

func (f AftersaleFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Tab != "" {
		conds = append(conds, `tab = ?`)
		args = append(args, f.Tab)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, `(id = ? OR order_id = ? OR buyer_phone = ?)`)
		args = append(args, q, q, q)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Aftersales returns a page of after-sales, the soonest deadline first (those without one after, the latest
// change first), and how many the filter finds in all.
func (s *Store) Aftersales(ctx context.Context, f AftersaleFilter) ([]Aftersale, int, error) {
	where, args := f.where()
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM aftersales`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count after-sales: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+aftersaleColumns+` FROM aftersales`+where+`
		ORDER BY deadline = 0, deadline, updated_at DESC, id LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list after-sales: %w", err)
	}
	list, err := collectAftersales(rows)
	return list, total, err
}

func collectAftersales(rows *sql.Rows) ([]Aftersale, error) {
	defer rows.Close()
	var list []Aftersale
	for rows.Next() {
		a, err := scanAftersale(rows)
		if err != nil {
			return nil, fmt.Errorf("db: unable to read after-sale: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// AftersaleTabCounts counts the after-sales of each tab (query as in AftersaleFilter).
func (s *Store) AftersaleTabCounts(ctx context.Context, query string) (map[string]int, error) {
	where, args := AftersaleFilter{Query: query}.where()
	rows, err := s.DB.QueryContext(ctx, `SELECT tab, count(*) FROM aftersales`+where+` GROUP BY tab`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to count after-sales: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var tab string
		var n int
		if err := rows.Scan(&tab, &n); err != nil {
			return nil, err
		}
		counts[tab] = n
	}
	return counts, rows.Err()
}

// AftersalesOfOrder lists an order's after-sales, oldest first.
func (s *Store) AftersalesOfOrder(ctx context.Context, orderID string) ([]Aftersale, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+aftersaleColumns+` FROM aftersales WHERE order_id = ? ORDER BY created_at, id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list the after-sales of order %s: %w", orderID, err)
	}
	return collectAftersales(rows)
}

// AftersalesWaiting is how many after-sales wait on the merchant and the soonest of their deadlines (zero
// when none has one).
func (s *Store) AftersalesWaiting(ctx context.Context) (int, time.Time, error) {
	var n int
	var soonest sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT count(*), min(CASE WHEN deadline > 0 THEN deadline END) FROM aftersales WHERE needs_merchant = 1`).Scan(&n, &soonest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("db: unable to count the after-sales waiting: %w", err)
	}
	return n, timeOrZero(soonest.Int64), nil
}

func insertAftersaleEvent(ctx context.Context, ex interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, e AftersaleEvent) error {
	_, err := ex.ExecContext(ctx, `INSERT INTO aftersale_events (aftersale_id, order_id, at, kind, status, username, detail, outcome, refund_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.AftersaleID, e.OrderID, e.At.Unix(), e.Kind, e.Status, e.Username, e.Detail, e.Outcome, unixOrZero(e.RefundAt))
	if err != nil {
		return fmt.Errorf("db: unable to record the history of after-sale %s: %w", e.AftersaleID, err)
	}
	return nil
}

// AddAftersaleEvent appends a line to an after-sale's history (At zero: now).
func (s *Store) AddAftersaleEvent(ctx context.Context, e AftersaleEvent) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	return insertAftersaleEvent(ctx, s.DB, e)
}

// AftersaleEvents is an after-sale's history, oldest first.
func (s *Store) AftersaleEvents(ctx context.Context, id string) ([]AftersaleEvent, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, aftersale_id, order_id, at, kind, status, username, detail, outcome, refund_at
		FROM aftersale_events WHERE aftersale_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("db: unable to read the history of after-sale %s: %w", id, err)
	}
	defer rows.Close()
	var list []AftersaleEvent
	for rows.Next() {
		var e AftersaleEvent
		var at, refund int64
		if err := rows.Scan(&e.ID, &e.AftersaleID, &e.OrderID, &at, &e.Kind, &e.Status, &e.Username, &e.Detail, &e.Outcome, &refund); err != nil {
			return nil, err
		}
		e.At, e.RefundAt = time.Unix(at, 0), timeOrZero(refund)
		list = append(list, e)
	}
	return list, rows.Err()
}

// LastRefundOfOrder is when the app last started a refund of one of the order's after-sales (zero: never).
func (s *Store) LastRefundOfOrder(ctx context.Context, orderID string) (time.Time, error) {
	var at sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT max(refund_at) FROM aftersale_events WHERE order_id = ? AND refund_at > 0`, orderID).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("db: unable to read the refunds of order %s: %w", orderID, err)
	}
	return timeOrZero(at.Int64), nil
}
