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
	LEFT JOIN products p ON p.product_id = t.product_id AND t.product_id <> ''
	LEFT JOIN order_lines ll ON ll.rowid = (SELECT rowid FROM order_lines WHERE product_id = t.product_id ORDER BY rowid DESC LIMIT 1)
	LEFT JOIN orders lo ON lo.id = ll.order_pk
	ORDER BY t.units DESC, t.revenue DESC, t.product_id`

// statusCountsSQL counts the orders created in [?, ?) per status. Naming every status (the table's CHECK allows
// no other) lets SQLite read one range of the index on (status, created_at) per status and never the table.
var statusCountsSQL = `SELECT status, count(*) FROM orders
	WHERE status IN (?` + strings.Repeat(", ?", len(OrderStatuses)-1) + `) AND created_at >= ? AND created_at < ?
	GROUP BY status`

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
	rows, err := s.query(ctx, dailySalesSQL, from.Unix(), to.Unix())
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
	rows, err := s.query(ctx, topProductsSQL, from.Unix(), to.Unix(), limit)
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
// for the same dates (OrderCounts with From and To), read from an index alone.
func (s *Store) StatusCounts(ctx context.Context, from, to time.Time) (map[string]int, error) {
	args := make([]any, 0, len(OrderStatuses)+2)
	for _, st := range OrderStatuses {
		args = append(args, st)
	}
	rows, err := s.query(ctx, statusCountsSQL, append(args, from.Unix(), to.Unix())...)
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
