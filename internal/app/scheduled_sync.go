package app

import (
	"context"
	"time"
)

// The scheduled sync: every SyncEvery the server holding the "scheduled sync" lock runs the incremental sync of
// each order source (from its watermark, after the orders pushes named whose fetch was lost) and of the
// after-sales (not for a V1.13 merchant account, whose API has none), so a push whose follow-up fetch was lost is recovered without an operator. Servers sharing
// PostgreSQL: the first to take the lock keeps it while it runs (another takes it when that server stops or
// dies); each source's sync still takes its own lock, so a manual sync of the same source waits or is waited
// for, never overlaps. A failed sync is logged and tried at the next tick only: the interval is the back-off.

// scheduledSyncTimeout bounds one tick's syncs.
const scheduledSyncTimeout = 2 * time.Minute

// scheduledSync runs until ctx ends.
func (a *App) scheduledSync(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	var leading bool
	defer func() {
		if leading {
			a.log.Info("scheduled sync: lock given up")
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if !leading {
			lead, ok, err := a.store.TryLead(ctx, "scheduled sync")
			if err != nil {
				if ctx.Err() == nil {
					a.log.Warn("scheduled sync: could not tell whether another server runs it", "err", err)
				}
				continue
			}
			if !ok {
				continue // another server runs it
			}
			leading = true
			defer lead.Release()
		}
		a.syncOnce(ctx)
	}
}

// syncOnce is one tick of the scheduled sync.
func (a *App) syncOnce(ctx context.Context) {
	a.scheduledRuns.Add(1)
	ctx, cancel := context.WithTimeout(ctx, scheduledSyncTimeout)
	defer cancel()
	for _, r := range a.shop.SyncOrders(ctx) {
		if ctx.Err() != nil {
			return
		}
		if r.Err != nil {
			a.log.Warn("scheduled order sync failed; trying again at the next tick", "source", r.Source, "calls", r.Calls, "err", r.Err)
		} else if r.Orders > 0 {
			a.log.Info("scheduled order sync", "source", r.Source, "orders", r.Orders, "calls", r.Calls)
		}
	}
	if a.shop.NoAftersaleAPI(ctx) {
		return // no Channels orders, so no after-sales
	}
	res, err := a.aftersales.SyncAftersales(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.log.Warn("scheduled after-sale sync failed; trying again at the next tick", "list_calls", res.ListCalls, "err", err)
		}
		return
	}
	if res.Changed > 0 {
		a.log.Info("scheduled after-sale sync", "fetched", res.Fetched, "changed", res.Changed, "list_calls", res.ListCalls)
	}
}
