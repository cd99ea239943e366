package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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
	// OrderUnknown is an order whose answer gave no status (partner-store orders, as their document's
	// example has it): shown as unknown, never counted as done or waiting to be shipped.
	OrderUnknown = "unknown"
)

// OrderStatuses lists the statuses in the order the pages show them.
var OrderStatuses = []string{OrderToPay, OrderToShip, OrderPartial, OrderShipped, OrderDone, OrderAfterSale, OrderCancelled, OrderUnknown}

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
	Note                                                      string // the buyer's
	MerchantNote                                              string
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
	Items                              []ParcelItem // what went in it
}

// ParcelItem is one product of a parcel: which SKU, and how many pieces of it.
type ParcelItem struct {
	ProductID, SKUID string
	Count            int64
}

func unix(t time.Time) int64 { return unixOrZero(t) }

// UpsertOrder writes an order with its lines and parcels; the same order written twice is one order.
func (s *Store) UpsertOrder(ctx context.Context, o Order) (int64, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	w, err := newOrderWriter(ctx, tx, s.dialect)
	if err != nil {
		return 0, err
	}
	defer w.close()
	id, err := w.upsert(ctx, o, s.now())
	if err != nil {
		return 0, err
	}
	if err := w.finish(ctx); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	s.ordersRev.Add(1)
	return id, nil
}

// UpsertOrders writes many orders in one transaction.
func (s *Store) UpsertOrders(ctx context.Context, orders []Order) error {
	if len(orders) == 0 {
		return nil
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	w, err := newOrderWriter(ctx, tx, s.dialect)
	if err != nil {
		return err
	}
	defer w.close()
	now := s.now()
	for _, o := range orders {
		if _, err := w.upsert(ctx, o, now); err != nil {
			return err
		}
	}
	if err := w.finish(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ordersRev.Add(1)
	return nil
}

// orderWriter holds the statements that write an order, prepared once per transaction: a sync writes
// thousands of orders, and parsing the SQL again for each was most of its time. It is the only writer of
// orders: finish, before the commit, brings the search index up to date with what the transaction wrote.
type orderWriter struct {
	dialect                                                           Dialect
	tx                                                                *sql.Tx
	upsertOrder, deleteLines, deleteParcels, insertLine, insertParcel *sql.Stmt
	deleteItems, insertItem                                           *sql.Stmt
}

// finish indexes the orders the transaction added or renamed (the triggers of migration 00007 list them in
// order_search_stale), in two statements for the whole transaction.
func (w *orderWriter) finish(ctx context.Context) error {
	if w.dialect == Postgres {
		return nil // pg_trgm indexes the orders themselves
	}
	for _, q := range []string{
		`DELETE FROM order_search WHERE rowid IN (SELECT id FROM order_search_stale)`,
		`INSERT INTO order_search (rowid, receiver_name, product_names)
		 SELECT o.id, o.receiver_name, o.product_names FROM order_search_stale s JOIN orders o ON o.id = s.id`,
		receiverGramsSQL,
		`DELETE FROM order_search_stale`,
	} {
		if _, err := w.tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("db: unable to index orders for search: %w", err)
		}
	}
	return nil
}

// receiverGramsSQL cuts the receiver names the transaction brought that receiver_name_grams does not know yet
// into their pieces of one and two characters (migration 00074; PostgreSQL's trigger does the same). A name
// is known when its first piece is there: a name's pieces are written by one statement.
const receiverGramsSQL = `WITH RECURSIVE names (name) AS (
	   SELECT DISTINCT o.receiver_name FROM order_search_stale s JOIN orders o ON o.id = s.id
	   WHERE o.receiver_name <> '' AND NOT EXISTS (SELECT 1 FROM receiver_name_grams g
	     WHERE g.gram = lower(substr(o.receiver_name, 1, 1)) AND g.name = o.receiver_name)),
	 pos (name, i) AS (SELECT name, 1 FROM names UNION ALL SELECT name, i + 1 FROM pos WHERE i < length(name))
	 INSERT OR IGNORE INTO receiver_name_grams (gram, name)
	 SELECT lower(substr(name, i, 1)), name FROM pos
	 UNION ALL SELECT lower(substr(name, i, 2)), name FROM pos WHERE i < length(name)`

func newOrderWriter(ctx context.Context, tx *sql.Tx, dialect Dialect) (*orderWriter, error) {
	w := &orderWriter{tx: tx, dialect: dialect}
	for _, st := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.upsertOrder, upsertOrderSQL},
		{&w.deleteLines, `DELETE FROM order_lines WHERE order_pk = ?`},
		{&w.deleteParcels, `DELETE FROM order_parcels WHERE order_pk = ?`},
		{&w.insertLine, `INSERT INTO order_lines (order_pk, line_no, product_id, sku_id, title, sku_attrs, quantity, unit_fen, total_fen, img)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.insertParcel, `INSERT INTO order_parcels (order_pk, parcel_no, company_id, company_name, tracking_no, shipped_at)
			 VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.deleteItems, `DELETE FROM order_parcel_items WHERE order_pk = ?`},
		{&w.insertItem, `INSERT INTO order_parcel_items (order_pk, parcel_no, item_no, product_id, sku_id, count) VALUES (?, ?, ?, ?, ?, ?)`},
	} {
		stmt, err := tx.PrepareContext(ctx, st.sql)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("db: unable to prepare the order statements: %w", err)
		}
		*st.stmt = stmt
	}
	return w, nil
}

func (w *orderWriter) close() {
	for _, st := range []*sql.Stmt{w.upsertOrder, w.deleteLines, w.deleteParcels, w.insertLine, w.insertParcel, w.deleteItems, w.insertItem} {
		if st != nil {
			st.Close()
		}
	}
}

const upsertOrderSQL = `INSERT INTO orders (source, order_id, shop_appid, status, source_status, buyer_openid, buyer_nick, receiver_name,
	   receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, total_fen, product_fen,
	   freight_fen, discount_fen, created_at, paid_at, shipped_at, updated_at, product_names, merchant_note, note, raw, synced_at)
	 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	 ON CONFLICT (source, shop_appid, order_id) DO UPDATE SET status = excluded.status,
	   source_status = excluded.source_status, buyer_openid = excluded.buyer_openid, buyer_nick = excluded.buyer_nick,
	   receiver_name = excluded.receiver_name, receiver_phone = excluded.receiver_phone,
	   receiver_province = excluded.receiver_province, receiver_city = excluded.receiver_city,
	   receiver_district = excluded.receiver_district, receiver_address = excluded.receiver_address,
	   total_fen = excluded.total_fen, product_fen = excluded.product_fen, freight_fen = excluded.freight_fen,
	   discount_fen = excluded.discount_fen, created_at = excluded.created_at, paid_at = excluded.paid_at,
	   shipped_at = excluded.shipped_at, updated_at = excluded.updated_at, product_names = excluded.product_names,
	   merchant_note = excluded.merchant_note, note = excluded.note, raw = excluded.raw, synced_at = excluded.synced_at
	 RETURNING id`

func (w *orderWriter) upsert(ctx context.Context, o Order, now time.Time) (int64, error) {
	var names []string
	for _, l := range o.Lines {
		names = append(names, l.Title)
	}
	var id int64
	err := w.upsertOrder.QueryRowContext(ctx,
		o.Source, o.OrderID, o.ShopAppID, o.Status, o.SourceStatus, o.BuyerOpenID, o.BuyerNick, o.ReceiverName,
		o.ReceiverPhone, o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address, o.TotalFen, o.ProductFen,
		o.FreightFen, o.DiscountFen, unix(o.CreatedAt), unix(o.PaidAt), unix(o.ShippedAt), unix(o.UpdatedAt),
		strings.Join(names, " "), o.MerchantNote, o.Note, o.Raw, now.Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("db: unable to save order %s/%s: %w", o.Source, o.OrderID, err)
	}
	for _, st := range []*sql.Stmt{w.deleteLines, w.deleteItems, w.deleteParcels} {
		if _, err := st.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	for i, l := range o.Lines {
		if _, err := w.insertLine.ExecContext(ctx,
			id, i, l.ProductID, l.SKUID, l.Title, l.SKUAttrs, l.Quantity, l.UnitFen, l.TotalFen, l.Img); err != nil {
			return 0, fmt.Errorf("db: unable to save a line of order %s: %w", o.OrderID, err)
		}
	}
	for i, p := range o.Parcels {
		if _, err := w.insertParcel.ExecContext(ctx,
			id, i, p.CompanyID, p.CompanyName, p.TrackingNo, unix(p.ShippedAt)); err != nil {
			return 0, fmt.Errorf("db: unable to save a parcel of order %s: %w", o.OrderID, err)
		}
		for j, it := range p.Items {
			if _, err := w.insertItem.ExecContext(ctx, id, i, j, it.ProductID, it.SKUID, it.Count); err != nil {
				return 0, fmt.Errorf("db: unable to save a parcel's item of order %s: %w", o.OrderID, err)
			}
		}
	}
	return id, nil
}

const orderColumns = `id, source, order_id, shop_appid, status, source_status, buyer_openid, buyer_nick, receiver_name,
	receiver_phone, receiver_province, receiver_city, receiver_district, receiver_address, total_fen, product_fen,
	freight_fen, discount_fen, created_at, paid_at, shipped_at, updated_at, merchant_note, note, raw, synced_at`

func scanOrder(row interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var created, paid, shipped, updated, synced int64
	err := row.Scan(&o.ID, &o.Source, &o.OrderID, &o.ShopAppID, &o.Status, &o.SourceStatus, &o.BuyerOpenID, &o.BuyerNick,
		&o.ReceiverName, &o.ReceiverPhone, &o.ReceiverProvince, &o.ReceiverCity, &o.ReceiverDistrict, &o.Address,
		&o.TotalFen, &o.ProductFen, &o.FreightFen, &o.DiscountFen, &created, &paid, &shipped, &updated, &o.MerchantNote, &o.Note, &o.Raw, &synced)
	o.CreatedAt, o.PaidAt, o.ShippedAt, o.UpdatedAt = timeOrZero(created), timeOrZero(paid), timeOrZero(shipped), timeOrZero(updated)
	o.SyncedAt = timeOrZero(synced)
	return o, err
}

// Order returns an order by its local id, with lines and parcels.
func (s *Store) Order(ctx context.Context, id int64) (Order, error) {
	o, err := scanOrder(s.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = ?`, id))
	if err := notFound(err, "order"); err != nil {
		return o, err
	}
	return o, s.loadOrderDetails(ctx, &o)
}

// OrderBySourceID returns an order by its source and the source's id.
func (s *Store) OrderBySourceID(ctx context.Context, source, shopAppID, orderID string) (Order, error) {
	o, err := scanOrder(s.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE source = ? AND shop_appid = ? AND order_id = ?`,
		source, shopAppID, orderID))
	if err := notFound(err, "order"); err != nil {
		return o, err
	}
	return o, s.loadOrderDetails(ctx, &o)
}

func (s *Store) loadOrderDetails(ctx context.Context, o *Order) error {
	rows, err := s.query(ctx,
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
	rows, err = s.query(ctx,
		`SELECT company_id, company_name, tracking_no, shipped_at FROM order_parcels WHERE order_pk = ? ORDER BY parcel_no`, o.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p Parcel
		var at int64
		if err := rows.Scan(&p.CompanyID, &p.CompanyName, &p.TrackingNo, &at); err != nil {
			rows.Close()
			return err
		}
		p.ShippedAt = timeOrZero(at)
		o.Parcels = append(o.Parcels, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(o.Parcels) == 0 {
		return err
	}
	return s.loadParcelItems(ctx, map[int64]*Order{o.ID: o}, `= ?`, o.ID)
}

// loadParcelItems fills the parcels of the orders byID with their items; where and args pick the orders.
func (s *Store) loadParcelItems(ctx context.Context, byID map[int64]*Order, where string, args ...any) error {
	rows, err := s.query(ctx,
		`SELECT order_pk, parcel_no, product_id, sku_id, count FROM order_parcel_items WHERE order_pk `+where+
			` ORDER BY order_pk, parcel_no, item_no`, args...)
	if err != nil {
		return fmt.Errorf("db: unable to read parcel items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pk int64
		var no int
		var it ParcelItem
		if err := rows.Scan(&pk, &no, &it.ProductID, &it.SKUID, &it.Count); err != nil {
			return err
		}
		if o := byID[pk]; o != nil && no < len(o.Parcels) {
			o.Parcels[no].Items = append(o.Parcels[no].Items, it)
		}
	}
	return rows.Err()
}

// OrderFilter narrows the order list. Every field is optional.
type OrderFilter struct {
	Status   string
	Source   string
	From, To time.Time // created at, To exclusive
	Query    string    // order id, receiver name, phone, product, or a parcel's tracking number
	Oldest   bool      // oldest first (the shipping queue) instead of newest first
	Limit    int
	Offset   int
	// Brief lists only what a row of the order list shows: the ids, source, status, receiver's name and
	// phone, total, creation time, the notes (the list marks them), and the lines' titles and quantities; no
	// parcels. Reading and converting the other columns was a third of the list page's time.
	Brief bool
	// Counts, when set, are OrderCounts for the same filter: the total is summed from them instead of counted
	// again (a page that shows the status tabs has them already).
	Counts map[string]int
}

func (f OrderFilter) where(d Dialect) (string, []any) {
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
	if q := strings.TrimSpace(f.Query); d == Postgres && strings.ContainsRune(q, 0) {
		conds = append(conds, "1 = 0") // PostgreSQL's text cannot hold a NUL: no order has one
	} else if q != "" {
		// Exact matches use the indexes; a fragment of the receiver's name or of a product's is looked up in
		// order_search's trigram index, or, shorter than three characters, matched against that narrow table.
		sub, subArgs := searchSubquery(d, q)
		tracking := `tracking_no = ? COLLATE NOCASE`
		if d == Postgres {
			tracking = `tracking_no = ?` // citext
		}
		conds = append(conds, `(order_id = ? OR receiver_phone = ? OR receiver_name = ? OR id IN (`+sub+`)
			OR id IN (SELECT order_pk FROM order_parcels WHERE `+tracking+`))`)
		args = append(append(append(args, q, q, q), subArgs...), q)
	}
	return strings.Join(conds, " AND "), args
}

// searchSubquery finds the orders whose receiver's name or products contain q, ignoring ASCII case as LIKE
// does: a trigram lookup for three characters or more; shorter, the pieces of the receiver names and the
// sets of product names (migration 00074). A NUL would end the pattern of either, so a fragment holding one
// is looked for byte by byte.
//
// On PostgreSQL, ILIKE over the orders' own columns, which pg_trgm indexes (migration 00007), for three
// characters or more; shorter ones give pg_trgm nothing to look up and take the same tables as SQLite.
func searchSubquery(d Dialect, q string) (string, []any) {
	like := "%" + escapeLike(q) + "%"
	short := utf8.RuneCountInString(q) < 3
	switch {
	case d == Postgres && !short:
		return `SELECT id FROM orders WHERE receiver_name ILIKE ? ESCAPE '\' OR product_names ILIKE ? ESCAPE '\'`, []any{like, like}
	case d == Postgres:
		return shortSearchSQL(d), []any{q, like}
	case strings.ContainsRune(q, 0):
		return `SELECT rowid FROM order_search WHERE instr(lower(receiver_name), lower(?)) > 0 OR instr(lower(product_names), lower(?)) > 0`,
			[]any{q, q}
	case !short:
		return `SELECT rowid FROM order_search WHERE order_search MATCH ?`,
			[]any{`"` + strings.ReplaceAll(q, `"`, `""`) + `"`} // one phrase: the fragment as typed
	}
	return shortSearchSQL(d), []any{q, like}
}

// shortSearchSQL finds the orders whose receiver's name holds a fragment of one or two characters (the
// fragment, lowered as the pieces were, is one of its pieces), or whose product names do (the titles that
// hold it, matched as the search always did, then their orders: such a fragment has no space, so it is in the
// names joined by spaces exactly when it is in one of the titles). Arguments: the fragment, and its LIKE
// pattern.
func shortSearchSQL(d Dialect) string {
	return `SELECT id FROM orders WHERE receiver_name IN (SELECT name FROM receiver_name_grams WHERE gram = lower(CAST(? AS TEXT)))
		UNION ALL SELECT order_pk FROM order_titles
		WHERE title_id IN (SELECT id FROM line_titles WHERE title ` + d.like() + ` ? ESCAPE '\')`
}

// like is the dialect's LIKE that ignores ASCII case: SQLite's own, PostgreSQL's ILIKE.
func (d Dialect) like() string {
	if d == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// countsOnly reports whether f narrows by nothing but status and source, which order_counts answers.
func (f OrderFilter) countsOnly() bool {
	return f.From.IsZero() && f.To.IsZero() && strings.TrimSpace(f.Query) == ""
}

// keptCounts sums order_counts for f, which must be countsOnly: per status, and in all.
func (s *Store) keptCounts(ctx context.Context, f OrderFilter) (map[string]int, error) {
	q := `SELECT status, CAST(sum(n) AS BIGINT) FROM order_counts`
	var args []any
	if f.Source != "" {
		q += ` WHERE source = ?`
		args = append(args, f.Source)
	}
	rows, err := s.query(ctx, q+` GROUP BY status`, args...)
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
		if n != 0 {
			counts[st] = n
		}
	}
	return counts, rows.Err()
}

// listColumns are orderColumns without raw and synced_at, which no list shows: reading synced_at, stored
// after raw, means reading raw's overflow pages too.
var listColumns = strings.Replace(orderColumns, "note, raw, synced_at", "note, '' AS raw, 0 AS synced_at", 1)

// Orders lists orders matching f, and how many match in all. The listed orders have their lines and parcels
// but neither their raw JSON nor when they were synced (Order and OrderBySourceID have both).
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]Order, int, error) {
	plan, byTitles, err := s.planTitleSearch(ctx, f) // order_search.go
	if err != nil {
		return nil, 0, err
	}
	cond, args := f.where(s.dialect)
	var total int
	counts := f.Counts
	if counts == nil && byTitles {
		if counts, err = s.titleSearchCounts(ctx, plan, f.Source); err != nil {
			return nil, 0, err
		}
	}
	if counts == nil && f.countsOnly() {
		var err error
		if counts, err = s.keptCounts(ctx, f); err != nil {
			return nil, 0, err
		}
	}
	if counts != nil {
		for st, n := range counts {
			if f.Status == "" || st == f.Status {
				total += n
			}
		}
	} else if err := s.queryRow(ctx, `SELECT count(*) FROM orders WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count orders: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	if byTitles {
		list, err := s.titleSearchOrders(ctx, f, plan, total)
		return list, total, err
	}
	// A page past the middle is read from the other end, backwards: the offset into an index is walked
	// entry by entry, and the last of 50 000 pages would walk them all.
	newest := !f.Oldest
	limit, offset := f.Limit, f.Offset
	end := min(f.Offset+f.Limit, total)
	backwards := total-end < f.Offset
	if backwards {
		newest = !newest
		limit, offset = end-f.Offset, total-end
	}
	order := "created_at DESC, id DESC"
	if !newest {
		order = "created_at, id"
	}
	columns, scan := listColumns, scanOrder
	if f.Brief {
		columns, scan = briefColumns, scanBriefOrder
	}
	where, qargs := cond, append([]any(nil), args...)
	if skip, bound, ok := s.daySeek(ctx, f, newest, offset); ok { // order_marks.go
		if newest {
			where += ` AND created_at < ?`
		} else {
			where += ` AND created_at >= ?`
		}
		qargs = append(qargs, bound)
		offset -= skip
	} else if skip, key, ok := s.pageMark(ctx, cond, args, order, newest, offset); ok {
		where += seekAfter(newest)
		qargs = append(qargs, key.created, key.id)
		offset -= skip
	}
	rows, err := s.query(ctx, `SELECT `+columns+` FROM orders WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(qargs, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list orders: %w", err)
	}
	defer rows.Close()
	out := make([]Order, 0, limit)
	for rows.Next() {
		o, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		o.Raw = nil
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if backwards {
		slices.Reverse(out)
	}
	if err := s.loadListDetails(ctx, out, f.Brief); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

const briefColumns = `id, source, order_id, shop_appid, status, receiver_name, receiver_phone, total_fen, created_at, note, merchant_note`

func scanBriefOrder(row interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var created int64
	err := row.Scan(&o.ID, &o.Source, &o.OrderID, &o.ShopAppID, &o.Status, &o.ReceiverName, &o.ReceiverPhone, &o.TotalFen, &created,
		&o.Note, &o.MerchantNote)
	o.CreatedAt = timeOrZero(created)
	return o, err
}

// loadListDetails loads the lines and parcels of a page of orders with two queries, not two per order;
// brief, only the lines' titles and quantities.
func (s *Store) loadListDetails(ctx context.Context, orders []Order, brief bool) error {
	if len(orders) == 0 {
		return nil
	}
	byID := make(map[int64]*Order, len(orders))
	ids := make([]any, len(orders))
	for i := range orders {
		byID[orders[i].ID] = &orders[i]
		ids[i] = orders[i].ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	if brief {
		rows, err := s.query(ctx, `SELECT order_pk, title, quantity FROM order_lines WHERE order_pk IN `+in+` ORDER BY order_pk, line_no`, ids...)
		if err != nil {
			return fmt.Errorf("db: unable to read order lines: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var pk int64
			var l OrderLine
			if err := rows.Scan(&pk, &l.Title, &l.Quantity); err != nil {
				return err
			}
			if o := byID[pk]; o != nil {
				o.Lines = append(o.Lines, l)
			}
		}
		return rows.Err()
	}
	rows, err := s.query(ctx,
		`SELECT order_pk, product_id, sku_id, title, sku_attrs, quantity, unit_fen, total_fen, img FROM order_lines
		 WHERE order_pk IN `+in+` ORDER BY order_pk, line_no`, ids...)
	if err != nil {
		return fmt.Errorf("db: unable to read order lines: %w", err)
	}
	for rows.Next() {
		var pk int64
		var l OrderLine
		if err := rows.Scan(&pk, &l.ProductID, &l.SKUID, &l.Title, &l.SKUAttrs, &l.Quantity, &l.UnitFen, &l.TotalFen, &l.Img); err != nil {
			rows.Close()
			return err
		}
		if o := byID[pk]; o != nil {
			o.Lines = append(o.Lines, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.query(ctx,
		`SELECT order_pk, company_id, company_name, tracking_no, shipped_at FROM order_parcels
		 WHERE order_pk IN `+in+` ORDER BY order_pk, parcel_no`, ids...)
	if err != nil {
		return fmt.Errorf("db: unable to read order parcels: %w", err)
	}
	for rows.Next() {
		var pk, at int64
		var p Parcel
		if err := rows.Scan(&pk, &p.CompanyID, &p.CompanyName, &p.TrackingNo, &at); err != nil {
			rows.Close()
			return err
		}
		p.ShippedAt = timeOrZero(at)
		if o := byID[pk]; o != nil {
			o.Parcels = append(o.Parcels, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.loadParcelItems(ctx, byID, `IN `+in, ids...)
}

// OrderCounts counts the orders matching f (its Status ignored) per status.
func (s *Store) OrderCounts(ctx context.Context, f OrderFilter) (map[string]int, error) {
	f.Status = ""
	if f.countsOnly() {
		return s.keptCounts(ctx, f)
	}
	if plan, ok, err := s.planTitleSearch(ctx, f); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return s.titleSearchCounts(ctx, plan, f.Source)
	}
	cond, args := f.where(s.dialect)
	rows, err := s.query(ctx, `SELECT status, count(*) FROM orders WHERE `+cond+` GROUP BY status`, args...)
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
	err := s.queryRow(ctx,
		`SELECT count(*), CAST(COALESCE(sum(total_fen), 0) AS BIGINT) FROM orders WHERE paid_at >= ? AND paid_at < ? AND status <> 'cancelled'`,
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
	err := s.queryRow(ctx,
		`SELECT watermark, synced_at, unavailable, last_errcode, last_errmsg FROM order_sources WHERE source = ?`, source).
		Scan(&wm, &synced, &st.Unavailable, &st.ErrCode, &st.ErrMsg)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	st.Watermark, st.SyncedAt = timeOrZero(wm), timeOrZero(synced)
	return st, err
}

// OrderSourceStates returns every source's sync state, in the order of OrderSources (zero when never synced).
func (s *Store) OrderSourceStates(ctx context.Context) ([]OrderSource, error) {
	rows, err := s.query(ctx, `SELECT source, watermark, synced_at, unavailable, last_errcode, last_errmsg FROM order_sources`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to read the order sources: %w", err)
	}
	defer rows.Close()
	bySource := map[string]OrderSource{}
	for rows.Next() {
		var st OrderSource
		var wm, synced int64
		if err := rows.Scan(&st.Source, &wm, &synced, &st.Unavailable, &st.ErrCode, &st.ErrMsg); err != nil {
			return nil, err
		}
		st.Watermark, st.SyncedAt = timeOrZero(wm), timeOrZero(synced)
		bySource[st.Source] = st
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]OrderSource, len(OrderSources))
	for i, src := range OrderSources {
		out[i] = bySource[src]
		out[i].Source = src
	}
	return out, nil
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

// QueuedOrderFetch is an order a push named whose fetch failed: the next sync fetches it.
type QueuedOrderFetch struct {
	ShopAppID, OrderID string
	Sources            []string // where the order may be, in the order to try
	QueuedAt           time.Time
}

// QueueOrderFetch notes an order to fetch at the next sync (again, if it was noted already).
func (s *Store) QueueOrderFetch(ctx context.Context, shopAppID, orderID string, sources []string) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO order_fetch_queue (shop_appid, order_id, sources, queued_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (shop_appid, order_id) DO UPDATE SET sources = excluded.sources, queued_at = excluded.queued_at`,
		shopAppID, orderID, strings.Join(sources, ","), s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to note order %s for the next sync: %w", orderID, err)
	}
	return nil
}

// ForgetOrderFetch drops an order from the queue, once it has been fetched.
func (s *Store) ForgetOrderFetch(ctx context.Context, shopAppID, orderID string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM order_fetch_queue WHERE shop_appid = ? AND order_id = ?`, shopAppID, orderID)
	return err
}

// QueuedOrderFetches lists the queue, oldest first.
func (s *Store) QueuedOrderFetches(ctx context.Context) ([]QueuedOrderFetch, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT shop_appid, order_id, sources, queued_at FROM order_fetch_queue ORDER BY queued_at, order_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []QueuedOrderFetch
	for rows.Next() {
		var q QueuedOrderFetch
		var sources string
		var at int64
		if err := rows.Scan(&q.ShopAppID, &q.OrderID, &sources, &at); err != nil {
			return nil, err
		}
		q.Sources, q.QueuedAt = strings.Split(sources, ","), time.Unix(at, 0)
		list = append(list, q)
	}
	return list, rows.Err()
}
