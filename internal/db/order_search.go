package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// A search for a fragment without a space (a name, a phone number, an order id, a tracking number, a piece of
// a product's title: nearly every search) is answered from the titles the fragment is in (migration 00074)
// rather than from the orders it matches, whose number grows with the shop. The orders of those titles are
// counted per tab from name_set_counts, and a page of them is read from the ends of their ranges of
// order_titles; the orders found otherwise (by order id, phone, receiver's name or tracking number) are few,
// and are read whole. What it finds is what where's query finds, order for order.

// maxSearchTitles is the most titles a fragment may be in for titleSearch: each is a range read for a page.
// A fragment in more (one character common to most of the catalog) takes the general query.
const maxSearchTitles = 64

// titleSearch is the plan of a search: the titles whose orders match, and the orders found otherwise.
type titleSearch struct {
	titles []any
	others []searchHit
}

// searchHit is an order a search found otherwise than by its titles, with what a page sorts and filters by,
// and whether its product names hold the fragment too (it is then among the titles' orders already).
type searchHit struct {
	id, created    int64
	status, source string
	byTitle        bool
}

// planTitleSearch returns the plan for f, or ok false when f takes where's query: no search, a fragment
// with a space (it may straddle two of an order's titles) or a NUL, a span of dates (the titles' counts are
// for all time), or a fragment in more than maxSearchTitles titles.
func (s *Store) planTitleSearch(ctx context.Context, f OrderFilter) (*titleSearch, bool, error) {
	q := strings.TrimSpace(f.Query)
	if q == "" || strings.ContainsAny(q, " \x00") || !f.From.IsZero() || !f.To.IsZero() {
		return nil, false, nil
	}
	d := s.dialect
	like := "%" + escapeLike(q) + "%"
	rows, err := s.query(ctx, `SELECT id FROM line_titles WHERE title `+d.like()+` ? ESCAPE '\' LIMIT ?`, like, maxSearchTitles+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: unable to search the titles: %w", err)
	}
	p := &titleSearch{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, false, err
		}
		p.titles = append(p.titles, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(p.titles) > maxSearchTitles {
		return nil, false, err
	}
	// The receiver names that hold the fragment: their pieces for one or two characters, else the trigram
	// index (SQLite: order_search's receiver_name column; PostgreSQL: pg_trgm over orders).
	receiver, rargs := `SELECT id FROM orders WHERE receiver_name IN (SELECT name FROM receiver_name_grams WHERE gram = lower(CAST(? AS TEXT)))`, []any{q}
	switch {
	case utf8.RuneCountInString(q) < 3:
	case d == Postgres:
		receiver, rargs = `SELECT id FROM orders WHERE receiver_name ILIKE ? ESCAPE '\'`, []any{like}
	default:
		receiver, rargs = `SELECT rowid FROM order_search WHERE order_search MATCH ?`,
			[]any{`receiver_name : "` + strings.ReplaceAll(q, `"`, `""`) + `"`}
	}
	tracking := `tracking_no = ? COLLATE NOCASE`
	if d == Postgres {
		tracking = `tracking_no = ?` // citext
	}
	args := append([]any{like, q, q, q}, rargs...)
	rows, err = s.query(ctx, `SELECT id, created_at, status, source, product_names `+d.like()+` ? ESCAPE '\' FROM orders WHERE id IN (
		SELECT id FROM orders WHERE order_id = ? UNION SELECT id FROM orders WHERE receiver_phone = ?
		UNION SELECT id FROM orders WHERE receiver_name = ? UNION `+receiver+`
		UNION SELECT order_pk FROM order_parcels WHERE `+tracking+`)`, append(args, q)...)
	if err != nil {
		return nil, false, fmt.Errorf("db: unable to search orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.id, &h.created, &h.status, &h.source, &h.byTitle); err != nil {
			return nil, false, err
		}
		p.others = append(p.others, h)
	}
	return p, true, rows.Err()
}

// counts counts the plan's orders of source (any, if empty) per status: the titles' orders from their sets'
// counts, each order once however many of its titles match, and the others that are not among them.
func (s *Store) titleSearchCounts(ctx context.Context, p *titleSearch, source string) (map[string]int, error) {
	counts := map[string]int{}
	if len(p.titles) > 0 {
		q := `SELECT status, CAST(sum(n) AS BIGINT) FROM name_set_counts
			WHERE names_set IN (SELECT names_set FROM name_set_titles WHERE title_id IN ` + placeholders(len(p.titles)) + `)`
		args := append([]any(nil), p.titles...)
		if source != "" {
			q += ` AND source = ?`
			args = append(args, source)
		}
		rows, err := s.query(ctx, q+` GROUP BY status`, args...)
		if err != nil {
			return nil, fmt.Errorf("db: unable to count orders: %w", err)
		}
		defer rows.Close()
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
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, h := range p.others {
		if !h.byTitle && (source == "" || h.source == source) {
			counts[h.status]++
		}
	}
	return counts, nil
}

// titleSearchOrders lists a page of the plan's orders for f, of total in all: from each title the first
// orders in the page's order, up to the page's end (a page past the middle is read from the other end),
// merged with the others.
func (s *Store) titleSearchOrders(ctx context.Context, f OrderFilter, p *titleSearch, total int) ([]Order, error) {
	newest := !f.Oldest
	end := min(f.Offset+f.Limit, total)
	need, backwards := end, total-end < f.Offset
	if backwards {
		newest, need = !newest, total-f.Offset
	}
	type key struct{ created, id int64 }
	seen := map[int64]bool{}
	var keys []key
	if len(p.titles) > 0 {
		order := "created_at DESC, order_pk DESC"
		if !newest {
			order = "created_at, order_pk"
		}
		var parts []string
		var args []any
		for i, t := range p.titles {
			sub, sargs := `SELECT order_pk, created_at FROM order_titles WHERE title_id = ?`, []any{t}
			if f.Status != "" {
				sub += ` AND status = ?`
				sargs = append(sargs, f.Status)
			}
			if f.Source != "" {
				sub += ` AND source = ?`
				sargs = append(sargs, f.Source)
			}
			parts = append(parts, fmt.Sprintf(`SELECT * FROM (%s ORDER BY %s LIMIT ?) AS t%d`, sub, order, i))
			args = append(append(args, sargs...), need)
		}
		rows, err := s.query(ctx, strings.Join(parts, ` UNION ALL `), args...)
		if err != nil {
			return nil, fmt.Errorf("db: unable to list orders: %w", err)
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.id, &k.created); err != nil {
				rows.Close()
				return nil, err
			}
			if !seen[k.id] {
				seen[k.id] = true
				keys = append(keys, k)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, h := range p.others {
		if !seen[h.id] && (f.Status == "" || h.status == f.Status) && (f.Source == "" || h.source == f.Source) {
			seen[h.id] = true
			keys = append(keys, key{h.created, h.id})
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		c := cmp.Or(cmp.Compare(a.created, b.created), cmp.Compare(a.id, b.id))
		if newest {
			return -c
		}
		return c
	})
	keys = keys[:min(len(keys), need)]
	if backwards {
		keys = keys[min(len(keys), total-end):]
		slices.Reverse(keys)
	} else {
		keys = keys[min(len(keys), f.Offset):]
	}
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]any, len(keys))
	for i, k := range keys {
		ids[i] = k.id
	}
	columns, scan := listColumns, scanOrder
	if f.Brief {
		columns, scan = briefColumns, scanBriefOrder
	}
	rows, err := s.query(ctx, `SELECT `+columns+` FROM orders WHERE id IN `+placeholders(len(ids)), ids...)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list orders: %w", err)
	}
	byID := map[int64]Order{}
	for rows.Next() {
		o, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		o.Raw = nil
		byID[o.ID] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Order, 0, len(keys))
	for _, k := range keys {
		if o, ok := byID[k.id]; ok {
			out = append(out, o)
		}
	}
	return out, s.loadListDetails(ctx, out, f.Brief)
}

// placeholders is "(?, ?, …)" for n arguments.
func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}
