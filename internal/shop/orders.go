package shop

import (
	"context"
	"fmt"
	"time"

	"wxshop/internal/db"
)

// CanClose reports whether the app can close the order: a merchant order not yet shipped.
func CanClose(o db.Order) bool {
	return o.Source == db.SourceMerchant && o.Status == db.OrderToShip
}

// CloseOrder closes a merchant order in WeChat and in the mirror. A failed call after which WeChat has the
// order closed (its answer lost) is a close made.
func (s *Shop) CloseOrder(ctx context.Context, j Journal, o db.Order) error {
	err := s.wx.CloseMerchantOrder(ctx, o.OrderID)
	if err != nil && ctx.Err() == nil && s.FetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID) == nil {
		// The answer may have been lost after WeChat closed it: the order read back tells.
		if fresh, ferr := s.store.Order(ctx, o.ID); ferr == nil && fresh.Status == db.OrderCancelled {
			s.log.Warn("the close call failed, but WeChat has closed the order", "order", o.OrderID, "err", err)
			err = nil
		}
	}
	j(db.AuditEntry{Action: "order.close", ObjectType: "order", ObjectID: OrderObject(o), Outcome: Outcome(err)})
	if err != nil {
		return err
	}
	if ferr := s.FetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID); ferr != nil {
		o.Status = db.OrderCancelled
		if _, err := s.store.UpsertOrder(ctx, o); err != nil {
			return storeErr(err)
		}
	}
	return nil
}

// SyncOrdersNow syncs every available source for an operator, each source's outcome audited.
func (s *Shop) SyncOrdersNow(ctx context.Context, j Journal) []OrderSyncResult {
	results := s.SyncOrders(ctx)
	for _, r := range results {
		j(db.AuditEntry{Action: "order.sync", ObjectType: "source", ObjectID: r.Source,
			Detail: fmt.Sprintf("%d orders, %d calls", r.Orders, r.Calls), Outcome: Outcome(r.Err)})
	}
	return results
}

// RetrySource clears the unavailable mark of a source, so the next sync tries it again.
func (s *Shop) RetrySource(ctx context.Context, j Journal, source string) error {
	if err := s.RetryOrderSource(ctx, source); err != nil {
		return storeErr(err)
	}
	j(db.AuditEntry{Action: "order.source.retry", ObjectType: "source", ObjectID: source})
	return nil
}

// mirrors are the mirror's syncs, by what they mirror: the setting keeping when each last ran, the audit's
// action and object, and the sync.
func (s *Shop) mirrors() []mirrorSync {
	return []mirrorSync{
		{MirrorProducts, SettingProductsSyncedAt, "product.sync", "product", "%d products", s.SyncProducts},
		{MirrorGroups, SettingGroupsSyncedAt, "group.sync", "group", "%d", s.SyncGroups},
		{MirrorPostage, SettingTemplatesSyncedAt, "postage.sync", "postage", "%d", s.SyncPostageTemplates},
		{MirrorShelves, SettingShelvesSyncedAt, "shelf.sync", "shelf", "%d", s.SyncShelves},
	}
}

// A Mirror names one of the mirrors the shop keeps.
type Mirror string

// The mirrors of a shop of the merchant API, in the order the first sync fills them.
const (
	MirrorProducts Mirror = "products"
	MirrorGroups   Mirror = "groups"
	MirrorPostage  Mirror = "postage"
	MirrorShelves  Mirror = "shelves"
)

type mirrorSync struct {
	mirror                 Mirror
	setting                string
	action, object, detail string
	sync                   func(context.Context) (int, error)
}

// MirrorSync is one mirror the first sync fills: the setting that keeps when it was last synced, and its sync.
type MirrorSync struct {
	Setting string
	Sync    func(context.Context) (int, error)
}

// MerchantMirrors are the mirrors of a shop of the merchant API.
func (s *Shop) MerchantMirrors() []MirrorSync {
	var out []MirrorSync
	for _, m := range s.mirrors() {
		out = append(out, MirrorSync{Setting: m.setting, Sync: m.sync})
	}
	return out
}

// SyncMirror makes one mirror WeChat's for an operator, and audits it; it answers how many objects it holds.
func (s *Shop) SyncMirror(ctx context.Context, j Journal, m Mirror) (int, error) {
	for _, ms := range s.mirrors() {
		if ms.mirror == m {
			n, err := ms.sync(ctx)
			j(db.AuditEntry{Action: ms.action, ObjectType: ms.object, ObjectID: "all", Detail: fmt.Sprintf(ms.detail, n), Outcome: Outcome(err)})
			return n, err
		}
	}
	return 0, fmt.Errorf("shop: no mirror %q", m)
}

// FirstSync fills each of mirrors that has never been synced, and the orders of each source that never
// synced, so a new installation shows the shop at once. Later syncs are the operator's to ask for.
func (s *Shop) FirstSync(ctx context.Context, mirrors []MirrorSync) {
	for _, m := range mirrors {
		if !s.SyncedAt(ctx, m.Setting).IsZero() {
			continue
		}
		syncCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		n, err := m.Sync(syncCtx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("first sync failed; it can be run from its page", "what", m.Setting, "err", err)
			continue
		}
		s.log.Info("first sync done", "what", m.Setting, "count", n)
	}
	for _, source := range db.OrderSources {
		st, err := s.store.OrderSourceState(ctx, source)
		if err != nil || !st.SyncedAt.IsZero() || st.Unavailable {
			continue
		}
		res := s.SyncOrderSource(ctx, source)
		if ctx.Err() != nil {
			return
		}
		s.log.Info("first order sync", "source", source, "orders", res.Orders, "calls", res.Calls, "unavailable", res.Skipped, "err", res.Err)
	}
}
