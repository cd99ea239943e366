package db

import (
	"context"
	"fmt"
	"time"
)

// CategoryKind is which of a category's three answers a cache entry holds.
type CategoryKind string

const (
	CategorySub      CategoryKind = "sub"      // its child categories
	CategorySKU      CategoryKind = "sku"      // its SKU table
	CategoryProperty CategoryKind = "property" // its properties
)

// CachedCategory is one cached WeChat answer about a category.
type CachedCategory struct {
	CateID    string
	Kind      CategoryKind
	Body      []byte // the answer's list, as JSON
	FetchedAt time.Time
}

// CachedCategory returns the cached answer, or ErrNoRecord when that branch was never fetched.
func (s *Store) CachedCategory(ctx context.Context, cateID string, kind CategoryKind) (CachedCategory, error) {
	c := CachedCategory{CateID: cateID, Kind: kind}
	var fetched int64
	err := s.queryRow(ctx, `SELECT body, fetched_at FROM category_cache WHERE cate_id = ? AND kind = ?`,
		cateID, string(kind)).Scan(&c.Body, &fetched)
	c.FetchedAt = time.Unix(fetched, 0)
	return c, notFound(err, "category cache")
}

// CacheCategory stores (or replaces) an answer about a category.
func (s *Store) CacheCategory(ctx context.Context, cateID string, kind CategoryKind, body []byte) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO category_cache (cate_id, kind, body, fetched_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (cate_id, kind) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
		cateID, string(kind), body, s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to cache category %s/%s: %w", cateID, kind, err)
	}
	return nil
}

// ForgetCategories drops the cached answers of the given categories (all of them when none is given), so the
// next look fetches them again.
func (s *Store) ForgetCategories(ctx context.Context, cateIDs ...string) error {
	if len(cateIDs) == 0 {
		_, err := s.DB.ExecContext(ctx, `DELETE FROM category_cache`)
		return err
	}
	for _, id := range cateIDs {
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM category_cache WHERE cate_id = ?`, id); err != nil {
			return fmt.Errorf("db: unable to forget category %s: %w", id, err)
		}
	}
	return nil
}

// CachedCategoryIDs lists every category with at least one cached answer.
func (s *Store) CachedCategoryIDs(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT cate_id FROM category_cache ORDER BY cate_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// CachedSubLists returns every cached list of child categories, keyed by parent id.
func (s *Store) CachedSubLists(ctx context.Context) (map[string][]byte, error) {
	rows, err := s.query(ctx, `SELECT cate_id, body FROM category_cache WHERE kind = 'sub'`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to read category cache: %w", err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		out[id] = body
	}
	return out, rows.Err()
}

// CachedCouriers is the courier list of an order source as WeChat last answered it.
type CachedCouriers struct {
	Source    string
	Body      []byte // the list, as JSON
	FetchedAt time.Time
}

// CachedCourierList returns the cached list of source, or ErrNoRecord when it was never fetched.
func (s *Store) CachedCourierList(ctx context.Context, source string) (CachedCouriers, error) {
	c := CachedCouriers{Source: source}
	var fetched int64
	err := s.queryRow(ctx, `SELECT body, fetched_at FROM courier_cache WHERE source = ?`, source).Scan(&c.Body, &fetched)
	c.FetchedAt = time.Unix(fetched, 0)
	return c, notFound(err, "courier cache")
}

// CacheCourierList stores (or replaces) the courier list of source.
func (s *Store) CacheCourierList(ctx context.Context, source string, body []byte) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO courier_cache (source, body, fetched_at) VALUES (?, ?, ?)
		 ON CONFLICT (source) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
		source, body, s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to cache the couriers of %s: %w", source, err)
	}
	return nil
}
