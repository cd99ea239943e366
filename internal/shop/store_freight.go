package shop

import (
	"context"
	"errors"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// A 微信小店's freight templates: read from WeChat each time (they are few, and WeChat has no delete for
// them), added and updated through the one save flow: after a lost answer to an add, the template of the
// same name (names are unique in a shop) is the one it made.

// maxFreightTemplates is how many templates the pages read.
const maxFreightTemplates = 100

// FreightTemplates reads the shop's freight templates (ids, then each one). A template that cannot be read is
// left out; the error is the last WeChat gave.
func (s *Shop) FreightTemplates(ctx context.Context) ([]*FreightTemplate, error) {
	ids, err := s.wx.FreightTemplateIDs(ctx, 0, maxFreightTemplates)
	if err != nil {
		return nil, err
	}
	var out []*wx.FreightTemplate
	var last error
	for _, id := range ids {
		t, err := s.wx.FreightTemplate(ctx, id)
		if err != nil {
			s.log.Warn("could not read a freight template", "template", id, "err", err)
			last = err
			continue
		}
		out = append(out, t)
	}
	return out, last
}

// FreightNames maps the shop's freight template ids to their names, for showing and picking them by name.
func (s *Shop) FreightNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	list, err := s.FreightTemplates(ctx)
	if err != nil {
		s.log.Warn("could not list the freight templates", "err", err)
	}
	for _, t := range list {
		out[string(t.TemplateID)] = t.Name
	}
	return out
}

// FreightTemplate reads one template; ErrNoFreightTemplate when the shop has none by that id.
func (s *Shop) FreightTemplate(ctx context.Context, id string) (*FreightTemplate, error) {
	t, err := s.wx.FreightTemplate(ctx, wx.ID(id))
	if wx.IsCode(err, wx.CodeFreightNoTemplate) {
		return nil, ErrNoFreightTemplate
	}
	return t, err
}

// ErrNoFreightTemplate is a template id the shop does not have.
var ErrNoFreightTemplate = errors.New("shop: no such freight template")

func (s *Shop) freightKind() Kind[*wx.FreightTemplate, string] {
	return Kind[*wx.FreightTemplate, string]{Name: "postage",
		ID: func(t *wx.FreightTemplate) string { return string(t.TemplateID) },
		List: func(ctx context.Context) ([]*wx.FreightTemplate, error) {
			list, err := s.FreightTemplates(ctx)
			if len(list) > 0 {
				err = nil
			}
			return list, err
		},
		// Nothing mirrors the templates: any of the name may be the one a lost add made.
		Mirrored: func(context.Context, string) error { return db.ErrNoRecord },
	}
}

// SaveFreightTemplate adds t (no TemplateID) or updates it, audited, and answers its id.
func (s *Shop) SaveFreightTemplate(ctx context.Context, j Journal, t *FreightTemplate) (string, error) {
	return save(ctx, s, j, s.freightKind(), Save[*wx.FreightTemplate, string]{ID: string(t.TemplateID), Detail: t.Name,
		Create: func(ctx context.Context) (string, error) {
			id, err := s.wx.AddFreightTemplate(ctx, t)
			return string(id), err
		},
		Update: func(ctx context.Context, id string) error {
			t.TemplateID = wx.ID(id)
			return s.wx.UpdateFreightTemplate(ctx, t)
		},
		Like:   func(o *wx.FreightTemplate) bool { return o.Name == t.Name },
		Mirror: func(context.Context, string) error { return nil },
	})
}
