package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Normalised order statuses, the same for every source.
const (
	OrderToPay     = "topay"
	OrderToShip    = "toship"
	OrderPartial   = "partial" // some parcels shipped
	OrderShipped   = "shipped"
	OrderDone      = "done"
	OrderAfterSale = "aftersale" // in dispute or after-sale
	OrderCancelled = "cancelled"
)

// OrderStatuses lists the statuses in the order the pages show them.
var OrderStatuses = []string{OrderToPay, OrderToShip, OrderPartial, OrderShipped, OrderDone, OrderAfterSale, OrderCancelled}

// Order sources.
const (
	SourceMerchant = "merchant"
	SourceShop     = "shop"
	SourceChannels = "channels"
	SourcePartner  = "partner"
)

// OrderSources lists every source.
var OrderSources = []string{SourceMerchant, SourceShop, SourceChannels, SourcePartner}

// Order is one order of any source.
type Order struct {
	ID                                                        int64 // local
	Source, OrderID, ShopAppID                                string
	Status                                                    string
	SourceStatus                                              int
	BuyerOpenID, BuyerNick                                    string
	ReceiverName, ReceiverPhone                               string
	ReceiverProvince, ReceiverCity, ReceiverDistrict, Address string
	TotalFen, ProductFen, FreightFen, DiscountFen             int64
	CreatedAt, PaidAt, ShippedAt, UpdatedAt                   time.Time
	Note                                                      string
	Raw                                                       []byte
	SyncedAt                                                  time.Time
	Lines                                                     []OrderLine
	Parcels                                                   []Parcel
}

// OrderLine is one product of an order.
type OrderLine struct {
	ProductID, SKUID, Title, SKUAttrs string
	Quantity                          int64
	UnitFen, TotalFen                 int64
	Img                               string
}

// Parcel is one shipment of an order.
type Parcel struct {
	CompanyID, CompanyName, TrackingNo string
	ShippedAt                          time.Time
	Products                           string // what went in it, as a person reads it
}

func unix(t time.Time) int64 { return unixOrZero(t) }

// UpsertOrder writes an order with its lines and parcels; the same order written twice is one order.
func (s *Store) UpsertOrder(ctx context.Context, o Order) (int64, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, err := upsertOrder(ctx, tx, o, s.now())
	if err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// UpsertOrders writes many orders in one transaction.
func (s *Store) UpsertOrders(ctx context.Context, orders []Order) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.now()
	for _, o := range orders {
		if _, err := upsertOrder(ctx, tx, o, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func upsertOrder(ctx context.Context, tx *sql.Tx, o Order, now time.Time) (int64, error) {
	var names []string
	for _, l := range o.Lines {
		names = append(names, l.Title)
	}
	var id int64
	err := tx.QueryRowContext(ctx,
		`INSERT INTO orders (source, order_id, shop_appid, status, source_status, buyer_openid, buyer_nick, receiver_name,
		   receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, total_fen, product_fen,
		   freight_fen, discount_fen, created_at, paid_at, shipped_at, updated_at, product_names, note, raw, synced_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (source, shop_appid, order_id) DO UPDATE SET status = excluded.status,
		   source_status = excluded.source_status, buyer_openid = excluded.buyer_openid, buyer_nick = excluded.buyer_nick,
		   receiver_name = excluded.receiver_name, receiver_phone = excluded.receiver_phone,
		   receiver_province = excluded.receiver_province, receiver_city = excluded.receiver_city,
		   receiver_district = excluded.receiver_district, receiver_address = excluded.receiver_address,
		   total_fen = excluded.total_fen, product_fen = excluded.product_fen, freight_fen = excluded.freight_fen,
		   discount_fen = excluded.discount_fen, created_at = excluded.created_at, paid_at = excluded.paid_at,
		   shipped_at = excluded.shipped_at, updated_at = excluded.updated_at, product_names = excluded.product_names,
		   note = excluded.note, raw = excluded.raw, synced_at = excluded.synced_at
		 RETURNING id`,
		o.Source, o.OrderID, o.ShopAppID, o.Status, o.SourceStatus, o.BuyerOpenID, o.BuyerNick, o.ReceiverName,
		o.ReceiverPhone, o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address, o.TotalFen, o.ProductFen,
		o.FreightFen, o.DiscountFen, unix(o.CreatedAt), unix(o.PaidAt), unix(o.ShippedAt), unix(o.UpdatedAt),
		strings.Join(names, " "), o.Note, o.Raw, now.Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: unable to save order %s/%s: %w", o.Source, o.OrderID, err)
	}
	for _, q := range []string{`DELETE FROM order_lines WHERE order_pk = ?`, `DELETE FROM order_parcels WHERE order_pk = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return 0, err
		}
	}
	for i, l := range o.Lines {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO order_lines (order_pk, line_no, product_id, sku_id, title, sku_attrs, quantity, unit_fen, total_fen, img)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, l.ProductID, l.SKUID, l.Title, l.SKUAttrs, l.Quantity, l.UnitFen, l.TotalFen, l.Img); err != nil {
			return 0, fmt.Errorf("db: unable to save a line of order %s: %w", o.OrderID, err)
		}
	}
	for i, p := range o.Parcels {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO order_parcels (order_pk, parcel_no, company_id, company_name, tracking_no, shipped_at, products)
			 VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, i, p.CompanyID, p.CompanyName, p.TrackingNo, unix(p.ShippedAt), p.Products); err != nil {
			return 0, fmt.Errorf("db: unable to save a parcel of order %s: %w", o.OrderID, err)
		}
	}
	return id, nil
}

const orderColumns = `id, source, order_id, shop_appid, status, source_status, buyer_openid, buyer_nick, receiver_name,
	receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, total_fen, product_fen,
	freight_fen, discount_fen, created_at, paid_at, shipped_at, updated_at, note, raw, synced_at`

func scanOrder(row interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var created, paid, shipped, updated, synced int64
	err := row.Scan(&o.ID, &o.Source, &o.OrderID, &o.ShopAppID, &o.Status, &o.SourceStatus, &o.BuyerOpenID, &o.BuyerNick,
		&o.ReceiverName, &o.ReceiverPhone, &o.ReceiverProvince, &o.ReceiverCity, &o.ReceiverDistrict, &o.Address,
		&o.TotalFen, &o.ProductFen, &o.FreightFen, &o.DiscountFen, &created, &paid, &shipped, &updated, &o.Note, &o.Raw, &synced)
	o.CreatedAt, o.PaidAt, o.ShippedAt, o.UpdatedAt = timeOrZero(created), timeOrZero(paid), timeOrZero(shipped), timeOrZero(updated)
	o.SyncedAt = timeOrZero(synced)
	return o, err
}

// Order returns an order by its local id, with lines and parcels.
func (s *Store) Order(ctx context.Context, id int64) (Order, error) {
	o, err := scanOrder(s.DB.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = ?`, id))
	if err := notFound(err, "order"); err != nil {
		return o, err
	}
	return o, s.loadOrderDetails(ctx, &o)
}

// OrderBySourceID returns an order by its source and the source's id.
func (s *Store) OrderBySourceID(ctx context.Context, source, shopAppID, orderID string) (Order, error) {
	o, err := scanOrder(s.DB.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE source = ? AND shop_appid = ? AND order_id = ?`,
		source, shopAppID, orderID))
	if err := notFound(err, "order"); err != nil {
		return o, err
	}
	return o, s.loadOrderDetails(ctx, &o)
}

func (s *Store) loadOrderDetails(ctx context.Context, o *Order) error {
	rows, err := s.DB.QueryContext(ctx,
		`SELECT product_id, sku_id, title, sku_attrs, quantity, unit_fen, total_fen, img FROM order_lines WHERE order_pk = ? ORDER BY line_no`, o.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l OrderLine
		if err := rows.Scan(&l.ProductID, &l.SKUID, &l.Title, &l.SKUAttrs, &l.Quantity, &l.UnitFen, &l.TotalFen, &l.Img); err != nil {
			rows.Close()
			return err
		}
		o.Lines = append(o.Lines, l)
	}
	rows.Close()
	rows, err = s.DB.QueryContext(ctx,
		`SELECT company_id, company_name, tracking_no, shipped_at, products FROM order_parcels WHERE order_pk = ? ORDER BY parcel_no`, o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p Parcel
		var at int64
		if err := rows.Scan(&p.CompanyID, &p.CompanyName, &p.TrackingNo, &at, &p.Products); err != nil {
			return err
		}
		p.ShippedAt = timeOrZero(at)
		o.Parcels = append(o.Parcels, p)
	}
	return rows.Err()
}

// OrderFilter narrows the order list. Every field is optional.
type OrderFilter struct {
	Status   string
	Source   string
	From, To time.Time // created at, To exclusive
	Query    string    // order id, receiver name, phone, or product
	Oldest   bool      // oldest first (the shipping queue) instead of newest first
	Limit    int
	Offset   int
}

func (f OrderFilter) where() (string, []any) {
	conds := []string{"1=1"}
	var args []any
	if f.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, f.Status)
	}
	if f.Source != "" {
		conds = append(conds, "source = ?")
		args = append(args, f.Source)
	}
	if !f.From.IsZero() {
		conds = append(conds, "created_at >= ?")
		args = append(args, f.From.Unix())
	}
	if !f.To.IsZero() {
		conds = append(conds, "created_at < ?")
		args = append(args, f.To.Unix())
	}
	if q := strings.TrimSpace(f.Query); strings.ContainsRune(q, 0) {
		// SQLite's LIKE stops at a NUL; no order holds one, so such a search finds nothing.
		conds = append(conds, "0 = 1")
	} else if q != "" {
		// Exact matches use the indexes; a name or product fragment falls back to a scan.
		like := "%" + escapeLike(q) + "%"
		conds = append(conds, `(order_id = ? OR receiver_phone = ? OR receiver_name = ? OR receiver_name LIKE ? ESCAPE '\' OR product_names LIKE ? ESCAPE '\')`)
		args = append(args, q, q, q, like, like)
	}
	return strings.Join(conds, " AND "), args
}

// Orders lists orders matching f, and how many match in all.
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]Order, int, error) {
	cond, args := f.where()
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count orders: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	order := "created_at DESC, id DESC"
	if f.Oldest {
		order = "created_at, id"
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list orders: %w", err)
	}
	defer rows.Close()
	var out []Order
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for i := range out {
		if err := s.loadOrderDetails(ctx, &out[i]); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// OrderCounts counts the orders matching f (its Status ignored) per status.
func (s *Store) OrderCounts(ctx context.Context, f OrderFilter) (map[string]int, error) {
	f.Status = ""
	cond, args := f.where()
	rows, err := s.DB.QueryContext(ctx, `SELECT status, count(*) FROM orders WHERE `+cond+` GROUP BY status`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to count orders: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[st] = n
	}
	return counts, rows.Err()
}

// PaidBetween sums the orders paid in [from, to): how many, and their total, leaving out cancelled ones.
func (s *Store) PaidBetween(ctx context.Context, from, to time.Time) (int, int64, error) {
	var n int
	var total int64
	err := s.DB.QueryRowContext(ctx,
		`SELECT count(*), COALESCE(sum(total_fen), 0) FROM orders WHERE paid_at >= ? AND paid_at < ? AND status <> 'cancelled'`,
		from.Unix(), to.Unix()).Scan(&n, &total)
	return n, total, err
}

// OrderSource is how far the sync of one source got.
type OrderSource struct {
	Source      string
	Watermark   time.Time
	SyncedAt    time.Time
	Unavailable bool
	ErrCode     int
	ErrMsg      string
}

// OrderSourceState returns a source's sync state (zero when never synced).
func (s *Store) OrderSourceState(ctx context.Context, source string) (OrderSource, error) {
	st := OrderSource{Source: source}
	var wm, synced int64
	err := s.DB.QueryRowContext(ctx,
		`SELECT watermark, synced_at, unavailable, last_errcode, last_errmsg FROM order_sources WHERE source = ?`, source).
		Scan(&wm, &synced, &st.Unavailable, &st.ErrCode, &st.ErrMsg)
	if err == sql.ErrNoRows {
		return st, nil
	}
	st.Watermark, st.SyncedAt = timeOrZero(wm), timeOrZero(synced)
	return st, err
}

// SaveOrderSourceState records a source's sync state.
func (s *Store) SaveOrderSourceState(ctx context.Context, st OrderSource) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO order_sources (source, watermark, synced_at, unavailable, last_errcode, last_errmsg) VALUES (?, ?, ?, ?, ?, ?)
		 ON CONFLICT (source) DO UPDATE SET watermark = excluded.watermark, synced_at = excluded.synced_at,
		   unavailable = excluded.unavailable, last_errcode = excluded.last_errcode, last_errmsg = excluded.last_errmsg`,
		st.Source, unix(st.Watermark), unix(st.SyncedAt), st.Unavailable, st.ErrCode, st.ErrMsg)
	if err != nil {
		return fmt.Errorf("db: unable to save the sync state of %s: %w", st.Source, err)
	}
	return nil
}
