package db

import (
	"context"
	"fmt"
	"time"
)

// Names of the lists kept in aftersale_lists.
const (
	ListRejectReasons = "reject_reasons" // rejectreason/get's reason_list
	ListAddresses     = "addresses"      // the merchant's addresses, each read whole
)

// CachedList is a list WeChat answered, as JSON, and when it was fetched.
type CachedList struct {
	Body      []byte
	FetchedAt time.Time
}

// AftersaleList returns the kept list called name, or ErrNoRecord when it was never fetched.
func (s *Store) AftersaleList(ctx context.Context, name string) (CachedList, error) {
	var c CachedList
	var fetched int64
	err := s.queryRow(ctx, `SELECT body, fetched_at FROM aftersale_lists WHERE name = ?`, name).Scan(&c.Body, &fetched)
	c.FetchedAt = time.Unix(fetched, 0)
	return c, notFound(err, "after-sale list "+name)
}

// KeepAftersaleList stores (or replaces) the list called name, fetched now.
func (s *Store) KeepAftersaleList(ctx context.Context, name string, body []byte) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO aftersale_lists (name, body, fetched_at) VALUES (?, ?, ?)
		 ON CONFLICT (name) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
		name, string(body), s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to keep the after-sale list %s: %w", name, err)
	}
	return nil
}
