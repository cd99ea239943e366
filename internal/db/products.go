package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Product is a product in the mirror, with what lists need besides WeChat's own JSON.
type Product struct {
	ProductID    string
	Name         string
	Status       int // 1 on sale, 2 off sale
	CategoryID   string
	MainImg      string
	MinPrice     int64 // fen
	MaxPrice     int64
	TotalStock   int64
	ProductCodes string
	EverOnSale   bool
	Raw          []byte // product_info as WeChat sent it
	SyncedAt     time.Time
	SKUs         []SKU
}

// SKU is one sellable variant of a product.
type SKU struct {
	SKUID       string // "id1:vid1;id2:vid2", "" for a uniform spec
	Price       int64
	OriPrice    int64
	Quantity    int64
	ProductCode string
	IconURL     string
}

// ProductFilter narrows a product list.
type ProductFilter struct {
	Status int    // 0 all, 1 on sale, 2 off sale
	Query  string // part of the name or of a product code
	Limit  int
	Offset int
}

const productColumns = `product_id, name, status, category_id, main_img, min_price, max_price, total_stock,
	product_codes, ever_on_sale, raw, synced_at`

func scanProduct(row interface{ Scan(...any) error }) (Product, error) {
	var p Product
	var synced int64
	err := row.Scan(&p.ProductID, &p.Name, &p.Status, &p.CategoryID, &p.MainImg, &p.MinPrice, &p.MaxPrice,
		&p.TotalStock, &p.ProductCodes, &p.EverOnSale, &p.Raw, &synced)
	p.SyncedAt = time.Unix(synced, 0)
	return p, err
}

// derive fills the list columns from the SKUs.
func (p *Product) derive() {
	p.MinPrice, p.MaxPrice, p.TotalStock = 0, 0, 0
	var codes []string
	for i, k := range p.SKUs {
		if i == 0 || k.Price < p.MinPrice {
			p.MinPrice = k.Price
		}
		if k.Price > p.MaxPrice {
			p.MaxPrice = k.Price
		}
		p.TotalStock += k.Quantity
		if k.ProductCode != "" {
			codes = append(codes, k.ProductCode)
		}
	}
	p.ProductCodes = strings.Join(codes, " ")
}

// UpsertProduct writes a product and its SKUs as WeChat described them. EverOnSale only ever turns on.
func (s *Store) UpsertProduct(ctx context.Context, p Product) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := upsertProduct(ctx, tx, p, s.now()); err != nil {
		return err
	}
	return tx.Commit()
}

func upsertProduct(ctx context.Context, tx *sql.Tx, p Product, now time.Time) error {
	p.derive()
	everOnSale := p.EverOnSale || p.Status == 1
	_, err := tx.ExecContext(ctx,
		`INSERT INTO products (`+productColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (product_id) DO UPDATE SET name = excluded.name, status = excluded.status,
		   category_id = excluded.category_id, main_img = excluded.main_img, min_price = excluded.min_price,
		   max_price = excluded.max_price, total_stock = excluded.total_stock, product_codes = excluded.product_codes,
		   ever_on_sale = CASE WHEN products.ever_on_sale <> 0 OR excluded.ever_on_sale <> 0 THEN 1 ELSE 0 END, raw = excluded.raw, synced_at = excluded.synced_at`,
		p.ProductID, p.Name, p.Status, p.CategoryID, p.MainImg, p.MinPrice, p.MaxPrice, p.TotalStock,
		p.ProductCodes, everOnSale, p.Raw, now.Unix())
	if err != nil {
		return fmt.Errorf("db: unable to save product %s: %w", p.ProductID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_skus WHERE product_id = ?`, p.ProductID); err != nil {
		return fmt.Errorf("db: unable to replace SKUs of %s: %w", p.ProductID, err)
	}
	for _, k := range p.SKUs {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO product_skus (product_id, sku_id, price, ori_price, quantity, product_code, icon_url)
			 VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ProductID, k.SKUID, k.Price, k.OriPrice, k.Quantity, k.ProductCode, k.IconURL)
		if err != nil {
			return fmt.Errorf("db: unable to save SKU %q of %s: %w", k.SKUID, p.ProductID, err)
		}
	}
	return nil
}

// ReplaceProducts makes the mirror exactly the given products (a full sync): missing ones are removed.
func (s *Store) ReplaceProducts(ctx context.Context, products []Product) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.now()
	keep := make(map[string]bool, len(products))
	for _, p := range products {
		if err := upsertProduct(ctx, tx, p, now); err != nil {
			return err
		}
		keep[p.ProductID] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT product_id FROM products`)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	rows.Close()
	for _, id := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM products WHERE product_id = ?`, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Product returns one product with its SKUs.
func (s *Store) Product(ctx context.Context, productID string) (Product, error) {
	p, err := scanProduct(s.queryRow(ctx, `SELECT `+productColumns+` FROM products WHERE product_id = ?`, productID))
	if err := notFound(err, "product"); err != nil {
		return p, err
	}
	rows, err := s.query(ctx,
		`SELECT sku_id, price, ori_price, quantity, product_code, icon_url FROM product_skus WHERE product_id = ? ORDER BY rowid`, productID)
	if err != nil {
		return p, fmt.Errorf("db: unable to list SKUs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k SKU
		if err := rows.Scan(&k.SKUID, &k.Price, &k.OriPrice, &k.Quantity, &k.ProductCode, &k.IconURL); err != nil {
			return p, err
		}
		p.SKUs = append(p.SKUs, k)
	}
	return p, rows.Err()
}

// Products lists products matching f, newest id first, and how many match in all.
func (s *Store) Products(ctx context.Context, f ProductFilter) ([]Product, int, error) {
	where := []string{"1=1"}
	var args []any
	if f.Status != 0 {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if q := strings.TrimSpace(f.Query); strings.ContainsRune(q, 0) {
		// SQLite's LIKE stops at a NUL, and PostgreSQL's text cannot hold one; no name holds one, so such a
		// search finds nothing.
		where = append(where, "0 = 1")
	} else if q != "" {
		op := s.like()
		where = append(where, `(name `+op+` ? ESCAPE '\' OR product_codes `+op+` ? ESCAPE '\' OR product_id = ?)`)
		like := "%" + escapeLike(q) + "%"
		args = append(args, like, like, q)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.queryRow(ctx, `SELECT count(*) FROM products WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count products: %w", err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := s.query(ctx, `SELECT `+productColumns+` FROM products WHERE `+cond+
		` ORDER BY rowid DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list products: %w", err)
	}
	defer rows.Close()
	var out []Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// ProductCounts returns how many products there are in all, on sale and off sale.
func (s *Store) ProductCounts(ctx context.Context) (all, onSale, offSale int, err error) {
	err = s.queryRow(ctx,
		`SELECT count(*), count(CASE WHEN status = 1 THEN 1 END), count(CASE WHEN status = 2 THEN 1 END) FROM products`).Scan(&all, &onSale, &offSale)
	return
}

// SetProductStatus records a status change the app made; going on sale freezes the product for good.
func (s *Store) SetProductStatus(ctx context.Context, productID string, status int) error {
	_, err := s.DB.ExecContext(ctx,
		`UPDATE products SET status = ?, ever_on_sale = CASE WHEN ? = 1 THEN 1 ELSE ever_on_sale END WHERE product_id = ?`,
		status, status, productID)
	if err != nil {
		return fmt.Errorf("db: unable to set status of %s: %w", productID, err)
	}
	return nil
}

// DeleteProduct removes a product from the mirror, and from the groups that held it.
func (s *Store) DeleteProduct(ctx context.Context, productID string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM products WHERE product_id = ?`, `DELETE FROM group_products WHERE product_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, productID); err != nil {
			return fmt.Errorf("db: unable to delete product %s: %w", productID, err)
		}
	}
	return tx.Commit()
}

// SetSKUQuantity records a SKU's new stock, and the product's new total.
func (s *Store) SetSKUQuantity(ctx context.Context, productID, skuID string, quantity int64) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE product_skus SET quantity = ? WHERE product_id = ? AND sku_id = ?`, quantity, productID, skuID)
	if err != nil {
		return fmt.Errorf("db: unable to set stock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoRecord
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE products SET total_stock = (SELECT COALESCE(sum(quantity), 0) FROM product_skus WHERE product_id = ?) WHERE product_id = ?`,
		productID, productID); err != nil {
		return fmt.Errorf("db: unable to total stock: %w", err)
	}
	return tx.Commit()
}

// LowStockSKUs counts SKUs whose stock is at or below threshold.
func (s *Store) LowStockSKUs(ctx context.Context, threshold int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM product_skus WHERE quantity <= ?`, threshold).Scan(&n)
	return n, err
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// StockLine is a SKU with its product's name, for the stock view across products.
type StockLine struct {
	ProductID, ProductName, CategoryID string
	SKU
}

// StockLines lists SKUs across products, lowest stock first; with lowOnly, only those at or below threshold.
func (s *Store) StockLines(ctx context.Context, lowOnly bool, threshold int64, limit, offset int) ([]StockLine, int, error) {
	cond := "1=1"
	args := []any{}
	if lowOnly {
		cond = "k.quantity <= ?"
		args = append(args, threshold)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT count(*) FROM product_skus k WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("db: unable to count SKUs: %w", err)
	}
	rows, err := s.query(ctx,
		`SELECT p.product_id, p.name, p.category_id, k.sku_id, k.price, k.ori_price, k.quantity, k.product_code, k.icon_url
		 FROM product_skus k JOIN products p ON p.product_id = k.product_id
		 WHERE `+cond+` ORDER BY k.quantity, p.name, k.rowid LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("db: unable to list SKUs: %w", err)
	}
	defer rows.Close()
	var out []StockLine
	for rows.Next() {
		var l StockLine
		if err := rows.Scan(&l.ProductID, &l.ProductName, &l.CategoryID, &l.SKUID, &l.Price, &l.OriPrice, &l.Quantity, &l.ProductCode, &l.IconURL); err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}
