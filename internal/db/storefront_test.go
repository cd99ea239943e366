package db

import (
	"context"
	"errors"
	"testing"
)

func TestGroupsMirror(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		err := s.ReplaceGroups(ctx, []Group{
			{GroupID: 2, Name: "夏季新品", ProductIDs: []string{"pB", "pA"}},
			{GroupID: 1, Name: "爆款", ProductIDs: nil},
		})
		if err != nil {
			t.Fatal(err)
		}
		groups, _ := s.Groups(ctx)
		if len(groups) != 2 || groups[0].Name != "夏季新品" || len(groups[0].ProductIDs) != 2 || groups[0].ProductIDs[0] != "pB" || len(groups[1].ProductIDs) != 0 {
			t.Fatalf("groups = %+v", groups)
		}
		of, _ := s.GroupsOfProduct(ctx, "pA")
		if len(of) != 1 || of[0].GroupID != 2 {
			t.Errorf("groups of pA = %+v", of)
		}
		s.UpsertGroup(ctx, Group{GroupID: 1, Name: "爆款", ProductIDs: []string{"pA"}})
		if of, _ := s.GroupsOfProduct(ctx, "pA"); len(of) != 2 {
			t.Errorf("after adding pA to group 1: %+v", of)
		}
		s.DeleteGroup(ctx, 2)
		if _, err := s.Group(ctx, 2); !errors.Is(err, ErrNoRecord) {
			t.Errorf("deleted group: %v", err)
		}
		var links int
		s.DB.QueryRow(`SELECT count(*) FROM group_products WHERE group_id = 2`).Scan(&links)
		if links != 0 {
			t.Errorf("deleting a group left %d product links", links)
		}
		s.ReplaceGroups(ctx, nil)
		if groups, _ := s.Groups(ctx); len(groups) != 0 {
			t.Errorf("after replacing with none: %+v", groups)
		}
	})
}

func TestPostageTemplatesAndShelvesMirror(t *testing.T) {
	eachDialect(t, func(t *testing.T) {
		s := newTestStore(t)
		ctx := context.Background()
		s.ReplacePostageTemplates(ctx, []PostageTemplate{{TemplateID: 7, Name: "江浙沪包邮", Raw: []byte(`{}`)}})
		s.UpsertPostageTemplate(ctx, PostageTemplate{TemplateID: 8, Name: "偏远地区", Raw: []byte(`{}`)})
		list, _ := s.PostageTemplates(ctx)
		if len(list) != 2 {
			t.Fatalf("templates = %+v", list)
		}
		if tpl, err := s.PostageTemplate(ctx, 7); err != nil || tpl.Name != "江浙沪包邮" {
			t.Errorf("template 7 = %+v, %v", tpl, err)
		}
		s.DeletePostageTemplate(ctx, 7)
		if _, err := s.PostageTemplate(ctx, 7); !errors.Is(err, ErrNoRecord) {
			t.Errorf("deleted template: %v", err)
		}

		s.ReplaceShelves(ctx, []Shelf{{ShelfID: 3, Name: "首页", Banner: "http://x/b.jpg", Raw: []byte(`{"module_infos":[]}`)}})
		s.UpsertShelf(ctx, Shelf{ShelfID: 3, Name: "首页货架", Raw: []byte(`{}`)})
		if sh, err := s.Shelf(ctx, 3); err != nil || sh.Name != "首页货架" || sh.Banner != "" {
			t.Errorf("shelf = %+v, %v", sh, err)
		}
		s.DeleteShelf(ctx, 3)
		if list, _ := s.Shelves(ctx); len(list) != 0 {
			t.Errorf("shelves after delete = %+v", list)
		}
	})
}
