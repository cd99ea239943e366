package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PostageTemplate is a postage template in the mirror.
type PostageTemplate struct {
	TemplateID int64
	Name       string
	Raw        []byte // the template as WeChat describes it
	SyncedAt   time.Time
}

// ReplacePostageTemplates makes the mirror exactly the given templates.
func (s *Store) ReplacePostageTemplates(ctx context.Context, templates []PostageTemplate) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM postage_templates`); err != nil {
		return fmt.Errorf("db: unable to clear postage templates: %w", err)
	}
	now := s.now().Unix()
	for _, t := range templates {
		if _, err := tx.ExecContext(ctx, `INSERT INTO postage_templates (template_id, name, raw, synced_at) VALUES (?, ?, ?, ?)`,
			t.TemplateID, t.Name, t.Raw, now); err != nil {
			return fmt.Errorf("db: unable to save postage template %d: %w", t.TemplateID, err)
		}
	}
	return tx.Commit()
}

// UpsertPostageTemplate writes one template.
func (s *Store) UpsertPostageTemplate(ctx context.Context, t PostageTemplate) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO postage_templates (template_id, name, raw, synced_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (template_id) DO UPDATE SET name = excluded.name, raw = excluded.raw, synced_at = excluded.synced_at`,
		t.TemplateID, t.Name, t.Raw, s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to save postage template %d: %w", t.TemplateID, err)
	}
	return nil
}

// DeletePostageTemplate removes one template from the mirror.
func (s *Store) DeletePostageTemplate(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM postage_templates WHERE template_id = ?`, id)
	return err
}

// PostageTemplates lists the templates by name.
func (s *Store) PostageTemplates(ctx context.Context) ([]PostageTemplate, error) {
	rows, err := s.query(ctx, `SELECT template_id, name, raw, synced_at FROM postage_templates ORDER BY name, template_id`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list postage templates: %w", err)
	}
	defer rows.Close()
	var out []PostageTemplate
	for rows.Next() {
		var t PostageTemplate
		var synced int64
		if err := rows.Scan(&t.TemplateID, &t.Name, &t.Raw, &synced); err != nil {
			return nil, err
		}
		t.SyncedAt = time.Unix(synced, 0)
		out = append(out, t)
	}
	return out, rows.Err()
}

// PostageTemplate returns one template.
func (s *Store) PostageTemplate(ctx context.Context, id int64) (PostageTemplate, error) {
	var t PostageTemplate
	var synced int64
	err := s.queryRow(ctx, `SELECT template_id, name, raw, synced_at FROM postage_templates WHERE template_id = ?`, id).
		Scan(&t.TemplateID, &t.Name, &t.Raw, &synced)
	t.SyncedAt = time.Unix(synced, 0)
	return t, notFound(err, "postage template")
}

// Group is a product group in the mirror.
type Group struct {
	GroupID    int64
	Name       string
	ProductIDs []string
	SyncedAt   time.Time
}

// ReplaceGroups makes the mirror exactly the given groups with their products.
func (s *Store) ReplaceGroups(ctx context.Context, groups []Group) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_groups`); err != nil {
		return fmt.Errorf("db: unable to clear groups: %w", err)
	}
	for _, g := range groups {
		if err := upsertGroup(ctx, tx, g, s.now()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// UpsertGroup writes one group and its products.
func (s *Store) UpsertGroup(ctx context.Context, g Group) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := upsertGroup(ctx, tx, g, s.now()); err != nil {
		return err
	}
	return tx.Commit()
}

func upsertGroup(ctx context.Context, tx *sql.Tx, g Group, now time.Time) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO product_groups (group_id, name, synced_at) VALUES (?, ?, ?)
		 ON CONFLICT (group_id) DO UPDATE SET name = excluded.name, synced_at = excluded.synced_at`,
		g.GroupID, g.Name, now.Unix())
	if err != nil {
		return fmt.Errorf("db: unable to save group %d: %w", g.GroupID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_products WHERE group_id = ?`, g.GroupID); err != nil {
		return err
	}
	for _, id := range g.ProductIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO group_products (group_id, product_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, g.GroupID, id); err != nil {
			return fmt.Errorf("db: unable to save group %d's products: %w", g.GroupID, err)
		}
	}
	return nil
}

// DeleteGroup removes a group from the mirror.
func (s *Store) DeleteGroup(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM product_groups WHERE group_id = ?`, id)
	return err
}

// Groups lists the groups by name with their products.
func (s *Store) Groups(ctx context.Context) ([]Group, error) {
	rows, err := s.query(ctx,
		`SELECT g.group_id, g.name, g.synced_at, COALESCE(gp.product_id, '')
		 FROM product_groups g LEFT JOIN group_products gp ON gp.group_id = g.group_id
		 ORDER BY g.name, g.group_id, gp.rowid`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var id, synced int64
		var name, product string
		if err := rows.Scan(&id, &name, &synced, &product); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].GroupID != id {
			out = append(out, Group{GroupID: id, Name: name, SyncedAt: time.Unix(synced, 0)})
		}
		if product != "" {
			g := &out[len(out)-1]
			g.ProductIDs = append(g.ProductIDs, product)
		}
	}
	return out, rows.Err()
}

// Group returns one group with its products.
func (s *Store) Group(ctx context.Context, id int64) (Group, error) {
	groups, err := s.Groups(ctx)
	if err != nil {
		return Group{}, err
	}
	for _, g := range groups {
		if g.GroupID == id {
			return g, nil
		}
	}
	return Group{}, ErrNoRecord
}

// GroupsOfProduct lists the groups a product belongs to.
func (s *Store) GroupsOfProduct(ctx context.Context, productID string) ([]Group, error) {
	rows, err := s.query(ctx,
		`SELECT g.group_id, g.name FROM product_groups g JOIN group_products gp ON gp.group_id = g.group_id
		 WHERE gp.product_id = ? ORDER BY g.name`, productID)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list a product's groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.GroupID, &g.Name); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Shelf is a shelf in the mirror.
type Shelf struct {
	ShelfID  int64
	Name     string
	Banner   string
	Raw      []byte // shelf_info as WeChat describes it
	SyncedAt time.Time
}

// ReplaceShelves makes the mirror exactly the given shelves.
func (s *Store) ReplaceShelves(ctx context.Context, shelves []Shelf) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM shelves`); err != nil {
		return fmt.Errorf("db: unable to clear shelves: %w", err)
	}
	for _, sh := range shelves {
		if _, err := tx.ExecContext(ctx, `INSERT INTO shelves (shelf_id, name, banner, raw, synced_at) VALUES (?, ?, ?, ?, ?)`,
			sh.ShelfID, sh.Name, sh.Banner, sh.Raw, s.now().Unix()); err != nil {
			return fmt.Errorf("db: unable to save shelf %d: %w", sh.ShelfID, err)
		}
	}
	return tx.Commit()
}

// UpsertShelf writes one shelf.
func (s *Store) UpsertShelf(ctx context.Context, sh Shelf) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO shelves (shelf_id, name, banner, raw, synced_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (shelf_id) DO UPDATE SET name = excluded.name, banner = excluded.banner, raw = excluded.raw, synced_at = excluded.synced_at`,
		sh.ShelfID, sh.Name, sh.Banner, sh.Raw, s.now().Unix())
	if err != nil {
		return fmt.Errorf("db: unable to save shelf %d: %w", sh.ShelfID, err)
	}
	return nil
}

// DeleteShelf removes a shelf from the mirror.
func (s *Store) DeleteShelf(ctx context.Context, id int64) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM shelves WHERE shelf_id = ?`, id)
	return err
}

// Shelves lists the shelves by name.
func (s *Store) Shelves(ctx context.Context) ([]Shelf, error) {
	rows, err := s.query(ctx, `SELECT shelf_id, name, banner, raw, synced_at FROM shelves ORDER BY name, shelf_id`)
	if err != nil {
		return nil, fmt.Errorf("db: unable to list shelves: %w", err)
	}
	defer rows.Close()
	var out []Shelf
	for rows.Next() {
		var sh Shelf
		var synced int64
		if err := rows.Scan(&sh.ShelfID, &sh.Name, &sh.Banner, &sh.Raw, &synced); err != nil {
			return nil, err
		}
		sh.SyncedAt = time.Unix(synced, 0)
		out = append(out, sh)
	}
	return out, rows.Err()
}

// Shelf returns one shelf.
func (s *Store) Shelf(ctx context.Context, id int64) (Shelf, error) {
	var sh Shelf
	var synced int64
	err := s.queryRow(ctx, `SELECT shelf_id, name, banner, raw, synced_at FROM shelves WHERE shelf_id = ?`, id).
		Scan(&sh.ShelfID, &sh.Name, &sh.Banner, &sh.Raw, &synced)
	sh.SyncedAt = time.Unix(synced, 0)
	return sh, notFound(err, "shelf")
}
