package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// StoreProduct is one product of a 微信小店's mirror.
type StoreProduct struct {
	ProductID   string
	Title       string
	Status      int
	EditStatus  int
	HasOnline   bool
	HeadImg     string
	MinPrice    int64
	TotalStock  int64
	SKUCount    int
	AuditReason string
	Raw         []byte // product/get as WeChat answered it (data_type 3)
	SyncedAt    time.Time
}

// Tabs of the 微信小店's product list: by online state, and by draft state for those in audit or refused.
const (
	StoreTabAll       = "all"
	StoreTabOnSale    = "onsale"    // 在售 (5)
	StoreTabDelisted  = "delisted"  // 已下架 (11)
	StoreTabInAudit   = "inaudit"   // 审核中 (edit_status 2)
	StoreTabRejected  = "rejected"  // 审核失败 (edit_status 3)
	StoreTabDraft     = "draft"     // 草稿: never listed, not in audit
	StoreTabSoldOut   = "soldout"   // 售罄 (12)
	StoreTabViolation = "violation" // 违规下架 and other platform take-downs (13, 14, 15, 20)
)

// StoreTabs lists the tabs in the order the page shows them.
var StoreTabs = []string{StoreTabAll, StoreTabOnSale, StoreTabDelisted, StoreTabInAudit, StoreTabRejected,
	StoreTabDraft, StoreTabSoldOut, StoreTabViolation}

var storeTabWhere = map[string]string{
	StoreTabAll:       `1 = 1`,
	StoreTabOnSale:    `status = 5`,
	StoreTabDelisted:  `status = 11`,
	StoreTabInAudit:   `edit_status = 2`,
	StoreTabRejected:  `edit_status = 3`,
	StoreTabDraft:     `has_online = 0 AND edit_status NOT IN (2, 3)`,
	StoreTabSoldOut:   `status = 12`,
	StoreTabViolation: `status IN (13, 14, 15, 20)`,
}

// ErrNoStoreProduct is returned for a product the mirror does not hold.
var ErrNoStoreProduct = errors.New("db: no such store product")

// PutStoreProduct writes one product into the mirror, replacing what it held.
func (s *Store) PutStoreProduct(ctx context.Context, p StoreProduct) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO store_products (product_id, title, status, edit_status, has_online, head_img, min_price, total_stock,
		     sku_count, audit_reason, raw, synced_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (product_id) DO UPDATE SET title = excluded.title, status = excluded.status,
		     edit_status = excluded.edit_status, has_online = excluded.has_online, head_img = excluded.head_img,
		     min_price = excluded.min_price, total_stock = excluded.total_stock, sku_count = excluded.sku_count,
		     audit_reason = excluded.audit_reason, raw = excluded.raw, synced_at = excluded.synced_at`,
		p.ProductID, p.Title, p.Status, p.EditStatus, p.HasOnline, p.HeadImg, p.MinPrice, p.TotalStock, p.SKUCount,
		p.AuditReason, s.raw(p.Raw), s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to store product %s: %w", p.ProductID, err)
	}
	return nil
}

// DeleteStoreProduct removes a product from the mirror.
func (s *Store) DeleteStoreProduct(ctx context.Context, productID string) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM store_products WHERE product_id = ?`, productID); err != nil {
		return fmt.Errorf("db: unable to delete product %s: %w", productID, err)
	}
	return nil
}

// KeepStoreProducts removes every product of the mirror that is not in ids (a full sync's result).
func (s *Store) KeepStoreProducts(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		_, err := s.DB.ExecContext(ctx, `DELETE FROM store_products`)
		return err
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM store_products WHERE product_id NOT IN (`+marks+`)`, args...); err != nil {
		return fmt.Errorf("db: unable to prune store products: %w", err)
	}
	return nil
}

// StoreProductByID reads one product of the mirror.
func (s *Store) StoreProductByID(ctx context.Context, productID string) (StoreProduct, error) {
	rows, err := s.query(ctx, storeProductSelect+` WHERE product_id = ?`, productID)
	if err != nil {
		return StoreProduct{}, fmt.Errorf("db: unable to read product %s: %w", productID, err)
	}
	list, err := scanStoreProducts(rows, true)
	if err != nil {
		return StoreProduct{}, err
	}
	if len(list) == 0 {
		return StoreProduct{}, ErrNoStoreProduct
	}
	return list[0], nil
}

// StoreProducts lists a tab of the mirror, titles matching q (a piece of the title or the id), newest first,
// without raw; and how many match.
func (s *Store) StoreProducts(ctx context.Context, tab, q string, limit, offset int) ([]StoreProduct, int, error) {
	where, ok := storeTabWhere[tab]
	if !ok {
		where = storeTabWhere[StoreTabAll]
	}
	args := []any{}
	if q = strings.TrimSpace(q); q != "" {
		where += ` AND (` + s.pick(`instr(title, ?)`, `strpos(title, ?)`) + ` > 0 OR product_id = ?)`
		args = append(args, q, q)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT count(*) FROM store_products WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count store products: %w", err)
	}
	rows, err := s.query(ctx, storeProductSelect+` WHERE `+where+` ORDER BY product_id DESC LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list store products: %w", err)
	}
	list, err := scanStoreProducts(rows, false)
	return list, total, err
}

// StoreTabCounts counts the products of each tab.
func (s *Store) StoreTabCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, tab := range StoreTabs {
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM store_products WHERE `+storeTabWhere[tab]).Scan(&n); err != nil {
			return nil, fmt.Errorf("db: unable to count tab %s: %w", tab, err)
		}
		out[tab] = n
	}
	return out, nil
}

const storeProductSelect = `SELECT product_id, title, status, edit_status, has_online, head_img, min_price, total_stock,
	sku_count, audit_reason, raw, synced_at FROM store_products`

func scanStoreProducts(rows *sql.Rows, withRaw bool) ([]StoreProduct, error) {
	defer rows.Close()
	var out []StoreProduct
	for rows.Next() {
		var p StoreProduct
		var raw string
		var at int64
		if err := rows.Scan(&p.ProductID, &p.Title, &p.Status, &p.EditStatus, &p.HasOnline, &p.HeadImg, &p.MinPrice,
			&p.TotalStock, &p.SKUCount, &p.AuditReason, &raw, &at); err != nil {
			return nil, fmt.Errorf("db: unable to read store product: %w", err)
		}
		if withRaw {
			p.Raw = []byte(raw)
		}
		p.SyncedAt = time.Unix(at, 0)
		out = append(out, p)
	}
	return out, rows.Err()
}
