package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The dashboard's sales figures. They count what PaidBetween counts: an order is sold when it has a payment time
// and is not cancelled. The order model has no refund amounts: an order refunded in full ends cancelled (WeChat's
// "cancelled, refunded" and "cancelled after after-sale") and leaves the figures, while an order in after-sale or
// dispute still counts until WeChat says it was cancelled.

// The figures of whole Beijing days come from the roll-ups of migration 00070 (sales_days, order_status_days,
// product_sales_days), which the triggers keep in the transaction of every order write: at most one row per day
// (and product) is read, however many orders the days hold. A range that does not start and end at Beijing
// midnights is summed from the orders themselves, with the scan queries below.

// beijingOffset is Beijing's offset from UTC in seconds, all year round since 1991: the roll-ups' days are
// (unix time + beijingOffset) / 86 400.
const beijingOffset = 8 * 3600

// beijingDay returns t's day number in the roll-ups and whether t is that day's midnight.
func beijingDay(t time.Time) (int64, bool) {
	u := t.Unix() + beijingOffset
	return u / 86400, u%86400 == 0 && t.Nanosecond() == 0 && u >= 0
}

// dailySalesRollupSQL reads the days [?1, ?2) of sales_days.
const dailySalesRollupSQL = `SELECT day - ?1, orders, revenue FROM sales_days WHERE day >= ?1 AND day < ?2`

// dailySalesSQL sums the orders paid in [?1, ?2) per 24 hours from ?1. The index on (paid_at, status,
// total_fen) answers it without reading the table, whose rows carry the raw JSON.
const dailySalesSQL = `SELECT (paid_at - ?1) / 86400 AS day, count(*), CAST(sum(total_fen) AS BIGINT)
	FROM orders
	WHERE paid_at >= ?1 AND paid_at < ?2 AND status <> 'cancelled'
	GROUP BY day`

// topProductsSQL ranks the products of the orders paid in [?, ?) by units. The sums read only the indexes on
// orders (paid_at, status, total_fen) and order_lines (order_pk, product_id, quantity, total_fen). The few
// products that made the list are then named: by the mirror, else by the latest line written for them, whose
// order also tells the source (a product id belongs to one source's catalogue).
const topProductsSQL = `SELECT t.product_id, CAST(t.units AS BIGINT), CAST(t.revenue AS BIGINT), p.name IS NOT NULL, COALESCE(p.name, ll.title, ''),
	  COALESCE(lo.source, '')
	FROM (
	  SELECT l.product_id, sum(l.quantity) AS units, sum(l.total_fen) AS revenue
	  FROM orders o JOIN order_lines l ON l.order_pk = o.id
	  WHERE o.paid_at >= ? AND o.paid_at < ? AND o.status <> 'cancelled'
	  GROUP BY l.product_id
	  ORDER BY units DESC, revenue DESC, l.product_id
	  LIMIT ?
	) t
	` + topProductsNames

// topProductsRollupSQL ranks the products of the days [?, ?) from
// product_sales_cum (migration 00075): a product's sums over the days are those up to its last row before the
// end less those up to its last row before the start, two lookups a product however long the period. A
// product whose lines all left the sums (their orders cancelled) sold no lines in it, and has no place.
const topProductsRollupSQL = `SELECT t.product_id, CAST(t.units AS BIGINT), CAST(t.revenue AS BIGINT), p.name IS NOT NULL, COALESCE(p.name, ll.title, ''),
	  COALESCE(lo.source, '')
	FROM (
	  SELECT s.product_id, hi.units - COALESCE(b.units, 0) AS units, hi.revenue - COALESCE(b.revenue, 0) AS revenue
	  FROM product_sales_products s
	  CROSS JOIN product_sales_cum hi
	  LEFT JOIN product_sales_cum b ON b.product_id = s.product_id
	    AND b.day = (SELECT max(day) FROM product_sales_cum WHERE product_id = s.product_id AND day < ?)
	  WHERE hi.product_id = s.product_id
	    AND hi.day = (SELECT max(day) FROM product_sales_cum WHERE product_id = s.product_id AND day < ?)
	    AND hi.lines - COALESCE(b.lines, 0) > 0
	  ORDER BY units DESC, revenue DESC, s.product_id
	  LIMIT ?
	) t
	` + topProductsNames

const topProductsNames = `LEFT JOIN products p ON p.product_id = t.product_id AND t.product_id <> ''
	LEFT JOIN order_lines ll ON ll.rowid = (SELECT rowid FROM order_lines WHERE product_id = t.product_id ORDER BY rowid DESC LIMIT 1)
	LEFT JOIN orders lo ON lo.id = ll.order_pk
	ORDER BY t.units DESC, t.revenue DESC, t.product_id`

// statusCountsSQL counts the orders created in [?, ?) per status. Naming every status (the table's CHECK allows
// no other) lets SQLite read one range of the index on (status, created_at) per status and never the table.
var statusCountsSQL = `SELECT status, count(*) FROM orders
	WHERE status IN (?` + strings.Repeat(", ?", len(OrderStatuses)-1) + `) AND created_at >= ? AND created_at < ?
	GROUP BY status`

// statusCountsRollupSQL counts the orders placed on the days [?, ?) per status, from order_status_days.
const statusCountsRollupSQL = `SELECT status, CAST(sum(n) AS BIGINT) FROM order_status_days
	WHERE day >= ? AND day < ? GROUP BY status HAVING sum(n) > 0`

// SalesDay is one day of paid orders.
type SalesDay struct {
	Day     time.Time // the day's first instant
	Orders  int
	Revenue int64 // fen: what the buyers paid (the orders' totals), freight included
}

// DailySales returns one entry per day for the days starting at from, empty days included: how many orders were
// paid that day and their total. Days are 24 hours from from, so from's location must not shift its clock in
// the range (Asia/Shanghai never does since 1991); a range with a daylight-saving change is refused.
func (s *Store) DailySales(ctx context.Context, from time.Time, days int) ([]SalesDay, error) {
	if days <= 0 {
		return nil, nil
	}
	to := from.AddDate(0, 0, days)
	if to.Sub(from) != time.Duration(days)*24*time.Hour {
		return nil, fmt.Errorf("db: daily sales: the days from %s are not all 24 hours long", from.Format(time.RFC3339))
	}
	out := make([]SalesDay, days)
	for i := range out {
		out[i].Day = from.AddDate(0, 0, i)
	}
	query, args := dailySalesSQL, []any{from.Unix(), to.Unix()}
	if first, ok := beijingDay(from); ok {
		query, args = dailySalesRollupSQL, []any{first, first + int64(days)}
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to sum daily sales: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var n int
		var total int64
		if err := rows.Scan(&day, &n, &total); err != nil {
			return nil, fmt.Errorf("db: unable to read daily sales: %w", err)
		}
		if day >= 0 && day < int64(days) {
			out[day].Orders, out[day].Revenue = n, total
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: unable to read daily sales: %w", err)
	}
	return out, nil
}

// ProductSales is what one product sold in a period.
type ProductSales struct {
	ProductID string
	Title     string // the mirror's name of the product, or the title its latest order line gave it
	Source    string // the order source whose catalogue the product belongs to
	Units     int64
	Revenue   int64 // fen: the lines' totals, before freight and order discounts
	Mirrored  bool  // the product is in the product mirror, so it has a page
}

// TopProducts returns the limit products that sold the most units in the orders paid in [from, to), leaving
// out cancelled ones; ties go to the higher revenue.
func (s *Store) TopProducts(ctx context.Context, from, to time.Time, limit int) ([]ProductSales, error) {
	if limit <= 0 {
		limit = 10
	}
	query, args := topProductsSQL, []any{from.Unix(), to.Unix(), limit}
	if first, ok := beijingDay(from); ok {
		if last, ok := beijingDay(to); ok {
			query, args = topProductsRollupSQL, []any{first, last, limit}
		}
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to rank products: %w", err)
	}
	defer rows.Close()
	var out []ProductSales
	for rows.Next() {
		var p ProductSales
		if err := rows.Scan(&p.ProductID, &p.Units, &p.Revenue, &p.Mirrored, &p.Title, &p.Source); err != nil {
			return nil, fmt.Errorf("db: unable to read product sales: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: unable to read product sales: %w", err)
	}
	return out, nil
}

// StatusCounts counts the orders placed in [from, to) per status: the numbers the order list shows in its tabs
// for the same dates (OrderCounts with From and To): for whole Beijing days from order_status_days, else from an
// index alone.
func (s *Store) StatusCounts(ctx context.Context, from, to time.Time) (map[string]int, error) {
	query, args := statusCountsRollupSQL, []any(nil)
	first, fromMidnight := beijingDay(from)
	last, toMidnight := beijingDay(to)
	if fromMidnight && toMidnight {
		args = []any{first, last}
	} else {
		query, args = statusCountsSQL, make([]any, 0, len(OrderStatuses)+2)
		for _, st := range OrderStatuses {
			args = append(args, st)
		}
		args = append(args, from.Unix(), to.Unix())
	}
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to count orders by status: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("db: unable to count orders by status: %w", err)
		}
		counts[st] = n
	}
	return counts, rows.Err()
}
