package shop

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Postage templates, groups and shelves are mirrored like products: pages read the mirror, a sync (on demand,
// and at the first start) refreshes it, and every write the app makes updates it with what WeChat accepted.

func (s *Shop) postageKind() Kind[wx.DeliveryTemplate, int64] {
	return Kind[wx.DeliveryTemplate, int64]{Name: "postage",
		ID:       func(t wx.DeliveryTemplate) int64 { return t.ID },
		List:     s.wx.DeliveryTemplates,
		Mirrored: func(ctx context.Context, id int64) error { _, err := s.store.PostageTemplate(ctx, id); return err },
		Delete:   s.wx.DeleteDeliveryTemplate,
		Forget:   s.store.DeletePostageTemplate,
	}
}

func (s *Shop) shelfKind() Kind[wx.Shelf, int64] {
	return Kind[wx.Shelf, int64]{Name: "shelf",
		ID:       func(sh wx.Shelf) int64 { return sh.ShelfID },
		List:     s.wx.Shelves,
		Mirrored: func(ctx context.Context, id int64) error { _, err := s.store.Shelf(ctx, id); return err },
		Delete:   s.wx.DeleteShelf,
		Forget:   s.store.DeleteShelf,
	}
}

func (s *Shop) groupKind() Kind[wx.Group, int64] {
	return Kind[wx.Group, int64]{Name: "group",
		ID:       func(g wx.Group) int64 { return g.GroupID },
		List:     s.wx.Groups,
		Mirrored: func(ctx context.Context, id int64) error { _, err := s.store.Group(ctx, id); return err },
		Delete:   s.wx.DeleteGroup,
		Forget:   s.store.DeleteGroup,
	}
}

// SavePostageTemplate creates the template t (id 0) or updates the template id, and mirrors it.
func (s *Shop) SavePostageTemplate(ctx context.Context, j Journal, id int64, t *wx.DeliveryTemplate) (int64, error) {
	return save(ctx, s, j, s.postageKind(), Save[wx.DeliveryTemplate, int64]{ID: id, Detail: t.Name,
		Create: func(ctx context.Context) (int64, error) { return s.wx.CreateDeliveryTemplate(ctx, t) },
		Update: func(ctx context.Context, id int64) error { return s.wx.UpdateDeliveryTemplate(ctx, id, t) },
		Like:   func(d wx.DeliveryTemplate) bool { return d.Name == t.Name },
		Mirror: func(ctx context.Context, id int64) error {
			row, err := postageRow(id, *t)
			if err != nil {
				return err
			}
			return s.store.UpsertPostageTemplate(ctx, row)
		},
	})
}

// DeletePostageTemplate deletes the template in WeChat and in the mirror.
func (s *Shop) DeletePostageTemplate(ctx context.Context, j Journal, t wx.DeliveryTemplate) error {
	return remove(ctx, s, j, s.postageKind(), t.ID, t.Name)
}

// SaveShelf creates the shelf sh (id 0) or updates the shelf id, and mirrors it.
func (s *Shop) SaveShelf(ctx context.Context, j Journal, id int64, sh *wx.Shelf) (int64, error) {
	return save(ctx, s, j, s.shelfKind(), Save[wx.Shelf, int64]{ID: id, Detail: sh.ShelfName,
		Create: func(ctx context.Context) (int64, error) { return s.wx.CreateShelf(ctx, sh) },
		Update: func(ctx context.Context, id int64) error {
			sent := *sh
			sent.ShelfID = id
			return s.wx.UpdateShelf(ctx, &sent)
		},
		Like: func(x wx.Shelf) bool { return x.ShelfName == sh.ShelfName },
		Mirror: func(ctx context.Context, id int64) error {
			kept := *sh
			kept.ShelfID = id
			row, err := shelfRow(kept)
			if err != nil {
				return err
			}
			return s.store.UpsertShelf(ctx, row)
		},
	})
}

// DeleteShelf deletes the shelf in WeChat and in the mirror.
func (s *Shop) DeleteShelf(ctx context.Context, j Journal, sh wx.Shelf) error {
	return remove(ctx, s, j, s.shelfKind(), sh.ShelfID, sh.ShelfName)
}

// CreateGroup makes a group of the products ids, and mirrors it.
func (s *Shop) CreateGroup(ctx context.Context, j Journal, name string, ids []string) (int64, error) {
	return save(ctx, s, j, s.groupKind(), Save[wx.Group, int64]{Detail: fmt.Sprintf("%s, %d products", name, len(ids)),
		Create: func(ctx context.Context) (int64, error) { return s.wx.CreateGroup(ctx, name, ids) },
		Like:   func(g wx.Group) bool { return g.GroupName == name },
		Mirror: func(ctx context.Context, id int64) error {
			return s.store.UpsertGroup(ctx, db.Group{GroupID: id, Name: name, ProductIDs: ids})
		},
	})
}

// GroupChange is what an update of a group changed: the products added and removed.
type GroupChange struct{ Added, Removed []string }

// UpdateGroup renames the group if its name changed and sends WeChat only the products added and removed,
// each change audited and mirrored as WeChat accepts it.
func (s *Shop) UpdateGroup(ctx context.Context, j Journal, g db.Group, name string, ids []string) (GroupChange, error) {
	var ch GroupChange
	id := idString(g.GroupID)
	if name != g.Name {
		err := s.wx.RenameGroup(ctx, g.GroupID, name)
		j(db.AuditEntry{Action: "group.rename", ObjectType: "group", ObjectID: id, Detail: g.Name + " -> " + name, Outcome: Outcome(err)})
		if err != nil {
			return ch, err
		}
		g.Name = name
		if err := s.store.UpsertGroup(ctx, g); err != nil {
			return ch, storeErr(err)
		}
	}
	var mods []wx.GroupProductMod
	for _, p := range ids {
		if !slices.Contains(g.ProductIDs, p) {
			mods = append(mods, wx.GroupProductMod{ProductID: p, ModAction: wx.GroupAddProduct})
			ch.Added = append(ch.Added, p)
		}
	}
	for _, p := range g.ProductIDs {
		if !slices.Contains(ids, p) {
			mods = append(mods, wx.GroupProductMod{ProductID: p, ModAction: wx.GroupRemoveProduct})
			ch.Removed = append(ch.Removed, p)
		}
	}
	if len(mods) == 0 {
		return ch, nil
	}
	err := s.wx.ModifyGroupProducts(ctx, g.GroupID, mods)
	j(db.AuditEntry{Action: "group.products", ObjectType: "group", ObjectID: id,
		Detail: fmt.Sprintf("%s: +%v -%v", g.Name, ch.Added, ch.Removed), Outcome: Outcome(err)})
	if err != nil {
		return ch, err
	}
	g.ProductIDs = ids
	return ch, storeErr(s.store.UpsertGroup(ctx, g))
}

// DeleteGroup deletes the group in WeChat and in the mirror.
func (s *Shop) DeleteGroup(ctx context.Context, j Journal, g db.Group) error {
	return remove(ctx, s, j, s.groupKind(), g.GroupID, g.Name)
}

// GroupNameTaken reports whether another group than except already has the name.
func (s *Shop) GroupNameTaken(ctx context.Context, name string, except int64) (bool, error) {
	groups, err := s.store.Groups(ctx)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(groups, func(g db.Group) bool { return g.Name == name && g.GroupID != except }), nil
}

// SyncPostageTemplates makes the mirror's templates WeChat's.
func (s *Shop) SyncPostageTemplates(ctx context.Context) (int, error) {
	list, err := s.wx.DeliveryTemplates(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([]db.PostageTemplate, 0, len(list))
	for _, t := range list {
		row, err := postageRow(t.ID, t)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
	}
	if err := s.store.ReplacePostageTemplates(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), s.markSynced(ctx, SettingTemplatesSyncedAt)
}

func postageRow(id int64, t wx.DeliveryTemplate) (db.PostageTemplate, error) {
	t.ID = id
	raw, err := json.Marshal(t)
	return db.PostageTemplate{TemplateID: id, Name: t.Name, Raw: raw}, err
}

// StoredTemplate decodes the mirror's row of a template.
func StoredTemplate(row db.PostageTemplate) (wx.DeliveryTemplate, error) {
	var t wx.DeliveryTemplate
	err := json.Unmarshal(row.Raw, &t)
	t.ID = row.TemplateID
	return t, err
}

// PostageTemplate reads one template from the mirror; db.ErrNoRecord when it holds none by that id.
func (s *Shop) PostageTemplate(ctx context.Context, id int64) (wx.DeliveryTemplate, error) {
	row, err := s.store.PostageTemplate(ctx, id)
	if err != nil {
		return wx.DeliveryTemplate{}, err
	}
	return StoredTemplate(row)
}

// SyncGroups reads every group and its products (getall names them, getbyid lists their products).
func (s *Shop) SyncGroups(ctx context.Context) (int, error) {
	list, err := s.wx.Groups(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Group, 0, len(list))
	for _, g := range list {
		full, err := s.wx.GetGroup(ctx, g.GroupID)
		if err != nil {
			return 0, err
		}
		rows = append(rows, db.Group{GroupID: g.GroupID, Name: full.GroupName, ProductIDs: full.ProductList})
	}
	if err := s.store.ReplaceGroups(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), s.markSynced(ctx, SettingGroupsSyncedAt)
}

// SyncShelves makes the mirror's shelves WeChat's.
func (s *Shop) SyncShelves(ctx context.Context) (int, error) {
	list, err := s.wx.Shelves(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Shelf, 0, len(list))
	for _, sh := range list {
		row, err := shelfRow(sh)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
	}
	if err := s.store.ReplaceShelves(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), s.markSynced(ctx, SettingShelvesSyncedAt)
}

func shelfRow(sh wx.Shelf) (db.Shelf, error) {
	raw, err := json.Marshal(sh.ShelfInfo)
	return db.Shelf{ShelfID: sh.ShelfID, Name: sh.ShelfName, Banner: sh.ShelfBanner, Raw: raw}, err
}

// StoredShelf decodes the mirror's row of a shelf.
func StoredShelf(row db.Shelf) (wx.Shelf, error) {
	sh := wx.Shelf{ShelfID: row.ShelfID, ShelfName: row.Name, ShelfBanner: row.Banner}
	err := json.Unmarshal(row.Raw, &sh.ShelfInfo)
	return sh, err
}

// Shelf reads one shelf from the mirror; db.ErrNoRecord when it holds none by that id.
func (s *Shop) Shelf(ctx context.Context, id int64) (wx.Shelf, error) {
	row, err := s.store.Shelf(ctx, id)
	if err != nil {
		return wx.Shelf{}, err
	}
	return StoredShelf(row)
}

// ShelvesUsingGroup names the shelves whose controls show the group.
func (s *Shop) ShelvesUsingGroup(ctx context.Context, groupID int64) ([]string, error) {
	shelves, err := s.store.Shelves(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, row := range shelves {
		sh, err := StoredShelf(row)
		if err != nil {
			continue
		}
		if shelfUsesGroup(sh.ShelfInfo, groupID) {
			names = append(names, sh.ShelfName)
		}
	}
	return names, nil
}

func shelfUsesGroup(d wx.ShelfData, groupID int64) bool {
	for _, m := range d.ModuleInfos {
		if m.GroupInfo != nil && m.GroupInfo.GroupID == groupID {
			return true
		}
		if m.GroupInfos != nil {
			for _, g := range m.GroupInfos.Groups {
				if g.GroupID == groupID {
					return true
				}
			}
		}
	}
	return false
}
