package shop

import (
	"context"
	"errors"
	"fmt"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The orders pushes name. A push says which order, seldom which source: the app's callback answers WeChat
// within its 5 s and leaves the fetch to FetchPushedOrder, which may finish later; a fetch that fails is
// queued, and the next sync (FetchLostOrders) fetches the order, even one of a source no list call covers.

// FetchPushedOrder fetches and stores the order a push named: from its partner store when shopAppID is given,
// else from whichever of sources has it. A failure queues the order for the next sync.
func (s *Shop) FetchPushedOrder(ctx context.Context, orderID, shopAppID string, sources []string) error {
	var (
		id     int64
		source = db.SourcePartner
		err    error
	)
	if shopAppID != "" {
		id, err = s.FetchOrderID(ctx, db.SourcePartner, shopAppID, orderID)
	} else {
		id, source, err = s.fetchFromSources(ctx, orderID, sources)
	}
	if err != nil {
		if qerr := s.store.QueueOrderFetch(context.WithoutCancel(ctx), shopAppID, orderID, sources); qerr != nil {
			return errors.Join(err, fmt.Errorf("could not queue it for the next sync: %w", qerr))
		}
		return err
	}
	s.log.Info("order fetched after a push", "order", orderID, "source", source, "local_id", id)
	return s.store.ForgetOrderFetch(ctx, shopAppID, orderID)
}

// FetchLostOrders fetches the queued orders whose fetch after a push failed; an order still out of reach
// stays queued.
func (s *Shop) FetchLostOrders(ctx context.Context) {
	lost, err := s.store.QueuedOrderFetches(ctx)
	if err != nil {
		s.log.Warn("order sync: could not read the orders left by pushes", "err", err)
		return
	}
	for _, q := range lost {
		if err := s.FetchPushedOrder(ctx, q.OrderID, q.ShopAppID, q.Sources); err != nil {
			s.log.Warn("order sync: an order a push named is still out of reach", "order", q.OrderID, "err", err)
		}
	}
}

// fetchFromSources finds the order among sources. The one the mirror already knows comes first, then sources
// in turn; a source that answers with an error (not found, not available to the account) passes to the next,
// a network failure stops the search.
func (s *Shop) fetchFromSources(ctx context.Context, orderID string, sources []string) (int64, string, error) {
	if known, err := s.store.OrdersBySourceID(ctx, orderID); err == nil && len(known) == 1 && known[0].Source != db.SourcePartner {
		sources = append([]string{known[0].Source}, sources...)
	}
	var last error
	tried := map[string]bool{}
	for _, source := range sources {
		if tried[source] {
			continue
		}
		tried[source] = true
		if st, err := s.store.OrderSourceState(ctx, source); err == nil && st.Unavailable {
			continue
		}
		id, err := s.FetchOrderID(ctx, source, "", orderID)
		if err == nil {
			return id, source, nil
		}
		var we *wx.Error
		if !errors.As(err, &we) {
			return 0, "", err
		}
		last = err
	}
	return 0, "", fmt.Errorf("no source has order %s: %w", orderID, last)
}
