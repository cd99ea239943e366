package app

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Postage templates, groups and shelves are mirrored like products: pages read the mirror, a sync (on
// demand, and the first time a page finds the mirror never synced) refreshes it, and every write the app makes
// updates it with what WeChat accepted.

const (
	settingTemplatesSyncedAt = "postage_synced_at"
	settingGroupsSyncedAt    = "groups_synced_at"
	settingShelvesSyncedAt   = "shelves_synced_at"
)

func (a *App) markSynced(ctx context.Context, key string) error {
	return a.store.SetSetting(ctx, key, strconv.FormatInt(time.Now().Unix(), 10))
}

func (a *App) syncedAt(ctx context.Context, key string) time.Time {
	if sec := a.settingInt(ctx, key, 0); sec != 0 {
		return time.Unix(sec, 0)
	}
	return time.Time{}
}

func (a *App) syncPostageTemplates(ctx context.Context) (int, error) {
	list, err := a.wx.DeliveryTemplates(ctx)
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
	if err := a.store.ReplacePostageTemplates(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), a.markSynced(ctx, settingTemplatesSyncedAt)
}

func postageRow(id int64, t wx.DeliveryTemplate) (db.PostageTemplate, error) {
	t.ID = id
	raw, err := json.Marshal(t)
	return db.PostageTemplate{TemplateID: id, Name: t.Name, Raw: raw}, err
}

func storedTemplate(row db.PostageTemplate) (wx.DeliveryTemplate, error) {
	var t wx.DeliveryTemplate
	err := json.Unmarshal(row.Raw, &t)
	t.ID = row.TemplateID
	return t, err
}

// syncGroups reads every group and its products (getall names them, getbyid lists their products).
func (a *App) syncGroups(ctx context.Context) (int, error) {
	list, err := a.wx.Groups(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Group, 0, len(list))
	for _, g := range list {
		full, err := a.wx.GetGroup(ctx, g.GroupID)
		if err != nil {
			return 0, err
		}
		rows = append(rows, db.Group{GroupID: g.GroupID, Name: full.GroupName, ProductIDs: full.ProductList})
	}
	if err := a.store.ReplaceGroups(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), a.markSynced(ctx, settingGroupsSyncedAt)
}

func (a *App) syncShelves(ctx context.Context) (int, error) {
	list, err := a.wx.Shelves(ctx)
	if err != nil {
		return 0, err
	}
	rows := make([]db.Shelf, 0, len(list))
	for _, s := range list {
		row, err := shelfRow(s)
		if err != nil {
			return 0, err
		}
		rows = append(rows, row)
	}
	if err := a.store.ReplaceShelves(ctx, rows); err != nil {
		return 0, err
	}
	return len(rows), a.markSynced(ctx, settingShelvesSyncedAt)
}

func shelfRow(s wx.Shelf) (db.Shelf, error) {
	raw, err := json.Marshal(s.ShelfInfo)
	return db.Shelf{ShelfID: s.ShelfID, Name: s.ShelfName, Banner: s.ShelfBanner, Raw: raw}, err
}

func storedShelf(row db.Shelf) (wx.Shelf, error) {
	s := wx.Shelf{ShelfID: row.ShelfID, ShelfName: row.Name, ShelfBanner: row.Banner}
	err := json.Unmarshal(row.Raw, &s.ShelfInfo)
	return s, err
}

// shelvesUsingGroup names the shelves whose controls show the group.
func (a *App) shelvesUsingGroup(ctx context.Context, groupID int64) ([]string, error) {
	shelves, err := a.store.Shelves(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, row := range shelves {
		s, err := storedShelf(row)
		if err != nil {
			continue
		}
		if shelfUsesGroup(s.ShelfInfo, groupID) {
			names = append(names, s.ShelfName)
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
