package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Numbered pages of a long order list: OFFSET walks the index entry by entry, and the middle page of 1 000
// (Orders reads a page past the middle from the other end) walked 26 000 of them on every view. Page marks
// remember, for one list (its filter and direction), where every markStep-th row lies, as its (created_at, id);
// a page then seeks to the nearest mark before it through the index and walks fewer than markStep entries.
// Marks are made the first time a page needs them, each from the one before, and are kept while the database
// is unchanged (DataVersion): any commit, by anyone, makes them all old.

// A list of every order, or of one status, has its marks already: order_status_days (migration 00070) counts
// the orders placed on each Beijing day per status, in the transaction of every write. daySeek sums those days
// from the list's end to find the day the page starts in, and the page walks only into that day: no marks to
// make again after a commit, which in a live shop is every few seconds. Lists narrowed by source, dates or a
// search use the marks below.

// daySeek, for a list that f narrows by status alone (or not at all) and a page deep enough to need it,
// answers how many rows lie in the whole days before the page's day, counted from the list's end (newest
// first or not), and the bound that leaves out those days: created_at below it (newest first) or from it on.
func (s *Store) daySeek(ctx context.Context, f OrderFilter, newest bool, offset int) (skip int, bound int64, ok bool) {
	if offset < markStep || f.Source != "" || !f.From.IsZero() || !f.To.IsZero() || strings.TrimSpace(f.Query) != "" {
		return 0, 0, false
	}
	q := `SELECT day, CAST(sum(n) AS BIGINT) FROM order_status_days`
	var args []any
	if f.Status != "" {
		q += ` WHERE status = ?`
		args = append(args, f.Status)
	}
	q += ` GROUP BY day ORDER BY day`
	if newest {
		q += ` DESC`
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return 0, 0, false
	}
	defer rows.Close()
	for rows.Next() {
		var day int64
		var n int
		if err := rows.Scan(&day, &n); err != nil {
			return 0, 0, false
		}
		if skip+n > offset {
			if skip == 0 {
				return 0, 0, false // the page is in the first day: nothing to leave out
			}
			if newest {
				return skip, (day+1)*86400 - beijingOffset, true
			}
			return skip, day*86400 - beijingOffset, true
		}
		skip += n
	}
	return 0, 0, false
}

// markStep is how many rows lie between two marks.
const markStep = 500

// maxMarkedLists bounds the lists marked at once (a list is a combination of status and source).
const maxMarkedLists = 64

type orderKey struct{ created, id int64 }

type listMarks struct {
	version int64
	keys    []orderKey // keys[i]: row (i+1)*markStep-1 of the list (counting from 0), in its order
}

type orderMarks struct {
	mu    sync.Mutex
	lists map[string]*listMarks
}

// seekAfter is the condition for the rows after k in a list ordered newest (or oldest) first.
func seekAfter(newest bool) string {
	if newest {
		return ` AND (created_at, id) < (?, ?)`
	}
	return ` AND (created_at, id) > (?, ?)`
}

// pageMark finds the last mark at or before offset in the list of the orders matching cond, ordered by order
// (newest first or not): the number of rows it stands after (a multiple of markStep) and its key. ok is false
// when offset is before the first mark, or the marks cannot be read; the caller then walks from the start.
func (s *Store) pageMark(ctx context.Context, cond string, args []any, order string, newest bool, offset int) (skip int, key orderKey, ok bool) {
	want := offset / markStep
	if want == 0 {
		return 0, orderKey{}, false
	}
	v, err := s.DataVersion(ctx)
	if err != nil {
		return 0, orderKey{}, false
	}
	name := fmt.Sprintf("%s\x00%v\x00%s", cond, args, order)
	s.marks.mu.Lock()
	defer s.marks.mu.Unlock()
	m := s.marks.lists[name]
	if m == nil || m.version != v {
		if s.marks.lists == nil || len(s.marks.lists) >= maxMarkedLists {
			s.marks.lists = map[string]*listMarks{}
		}
		m = &listMarks{version: v}
		s.marks.lists[name] = m
	}
	for len(m.keys) < want {
		q := `SELECT created_at, id FROM orders WHERE ` + cond
		qargs := append([]any(nil), args...)
		if n := len(m.keys); n > 0 {
			q += seekAfter(newest)
			qargs = append(qargs, m.keys[n-1].created, m.keys[n-1].id)
		}
		q += ` ORDER BY ` + order + ` LIMIT 1 OFFSET ?`
		var k orderKey
		err := s.queryRow(ctx, q, append(qargs, markStep-1)...).Scan(&k.created, &k.id)
		if errors.Is(err, sql.ErrNoRows) {
			break // the list is shorter than offset
		} else if err != nil {
			return 0, orderKey{}, false
		}
		m.keys = append(m.keys, k)
	}
	want = min(want, len(m.keys))
	if want == 0 {
		return 0, orderKey{}, false
	}
	return want * markStep, m.keys[want-1], true
}
