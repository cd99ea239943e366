package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Order sync. Each source is synced on its own: a source the account cannot use (WeChat answers 48001, or says
// the interface is retired) is marked unavailable with WeChat's code and message and skipped until someone asks
// to retry it; the other sources go on.
//
//   - merchant: order/getbyfilter by creation time, from a little before the last sync (statuses change after
//     creation, and this API cannot ask for "changed since").
//   - channels: order/list/get by update time in windows of at most 7 days, following next_key with the
//     request otherwise identical, narrowing a window WeChat finds too full (31042), restarting a window whose
//     next_key WeChat no longer accepts (606006); the watermark moves to the end of each finished window, so a
//     sync that stops part way resumes there.
//   - shop and partner: these have no list API; their orders arrive by event and are refreshed here while they
//     are not final.

const (
	firstSyncSpan   = 60 * 24 * time.Hour
	merchantOverlap = 30 * 24 * time.Hour
	channelsWindow  = 7 * 24 * time.Hour
	ChannelsPage    = 100 // order ids asked for by one Channels list call
	minWindow       = time.Minute
)

// syncAttempts is how many times a source's sync is tried when it fails in a way that may pass, with
// syncRetryPause, then twice that, between the tries. A read is already tried three times by the client.
const (
	syncAttempts   = 3
	syncRetryPause = time.Second
)

// UnavailableCodes are WeChat's ways of saying this account cannot use an interface.
var UnavailableCodes = []int{wx.CodeAPIUnauthorized, wx.CodeInvalidURL, wx.CodeAPIBanned, wx.CodeInterfaceRetired}

// OrderSyncResult says what one sync did, per source.
type OrderSyncResult struct {
	Source  string
	Orders  int
	Calls   int
	Skipped bool // unavailable for this account
	Err     error
}

// SyncOrders syncs every available source, after the orders pushes named whose fetch was lost.
func (s *Shop) SyncOrders(ctx context.Context) []OrderSyncResult {
	s.FetchLostOrders(ctx)
	s.refreshStaleCouriers(ctx)
	var results []OrderSyncResult
	for _, source := range db.OrderSources {
		results = append(results, s.SyncOrderSource(ctx, source))
	}
	return results
}

// SyncOrderSource syncs the orders of one source, unless it is marked unavailable. Servers sharing PostgreSQL
// sync a source one at a time (a second sync waits for the first, then asks WeChat only for what came since).
func (s *Shop) SyncOrderSource(ctx context.Context, source string) OrderSyncResult {
	res := OrderSyncResult{Source: source}
	lock, err := s.store.Lead(ctx, "order sync "+source)
	if err != nil {
		res.Err = err
		return res
	}
	defer lock.Release()
	state, err := s.store.OrderSourceState(ctx, source)
	if err != nil {
		res.Err = err
		return res
	}
	if state.Unavailable {
		res.Skipped = true
		return res
	}
	now := time.Now()
	// A failure that may pass (WeChat's -1, no answer) is tried again after a pause, from where the sync got
	// to: the Channels watermark has moved past every finished window, and storing an order twice is harmless.
	for attempt := 1; ; attempt++ {
		var orders, calls int
		switch source {
		case db.SourceMerchant:
			orders, calls, err = s.syncMerchantOrders(ctx, state.Watermark, now)
		case db.SourceChannels:
			var wm time.Time
			orders, calls, wm, err = s.syncChannelsOrders(ctx, state.Watermark, now)
			state.Watermark = wm
		case db.SourceShop, db.SourcePartner:
			orders, calls, err = s.refreshOpenOrders(ctx, source)
		}
		res.Calls += calls
		if source == db.SourceChannels {
			res.Orders += orders // each try goes on from the windows the last one finished
		} else {
			res.Orders = orders // each try starts over
		}
		if err == nil || !wx.Temporary(err) || attempt == syncAttempts {
			break
		}
		s.log.Warn("order sync: a temporary failure; trying again", "source", source, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(attempt) * syncRetryPause):
		}
	}
	var we *wx.Error
	if errors.As(err, &we) && wx.IsCode(err, UnavailableCodes...) {
		state.Unavailable, state.ErrCode, state.ErrMsg = true, we.Code, we.Msg
		res.Skipped, err = true, nil
	}
	res.Err = err
	if err == nil {
		state.SyncedAt = now
		if source == db.SourceMerchant {
			state.Watermark = now
		}
	}
	if serr := s.store.SaveOrderSourceState(ctx, state); serr != nil && res.Err == nil {
		res.Err = serr
	}
	return res
}

// RetryOrderSource clears the unavailable mark of a source, so the next sync tries it again.
func (s *Shop) RetryOrderSource(ctx context.Context, source string) error {
	state, err := s.store.OrderSourceState(ctx, source)
	if err != nil {
		return err
	}
	state.Unavailable, state.ErrCode, state.ErrMsg = false, 0, ""
	return s.store.SaveOrderSourceState(ctx, state)
}

func (s *Shop) syncMerchantOrders(ctx context.Context, watermark, now time.Time) (int, int, error) {
	from := now.Add(-firstSyncSpan)
	if !watermark.IsZero() {
		from = watermark.Add(-merchantOverlap)
	}
	orders, err := s.wx.MerchantOrders(ctx, wx.MerchantOrderFilter{BeginTime: from.Unix(), EndTime: now.Unix()})
	if err != nil {
		return 0, 1, err
	}
	// One answer holds every order of the span (35 000 in a large shop): they are stored a batch at a time,
	// each answer's order dropped once its model is made, so the answer and all its models never sit in
	// memory together. A failure part way leaves the batches stored (storing is idempotent) and the
	// watermark where it was.
	models := make([]db.Order, 0, min(len(orders), merchantBatch))
	for i := range orders {
		models = append(models, merchantOrderModel(orders[i]))
		orders[i] = wx.MerchantOrder{}
		if len(models) == cap(models) || i == len(orders)-1 {
			if err := s.store.UpsertOrders(ctx, models); err != nil {
				return 0, 1, err
			}
			clear(models)
			models = models[:0]
		}
	}
	return len(orders), 1, nil
}

// merchantBatch is how many merchant orders one transaction stores.
const merchantBatch = 1000

// channelsFetchers is how many Channels orders are asked for at once: each needs its own call (there is no
// batch get), and waiting for every answer before asking the next left both ends idle between calls. The
// calls are the same ones, in another order.
const channelsFetchers = 4

// fetchRounds is how many times fetchChannelsOrders goes back for the orders whose reads failed in a way
// that may pass, after the client's own retries.
const fetchRounds = 3

// fetchChannelsOrders gets the orders ids names and returns them in the order of ids with the calls made.
// The orders a round could not read for a temporary failure are asked for again in the next round, so one
// busy answer does not throw away the rest of the window; any other error stops at once.
func (s *Shop) fetchChannelsOrders(ctx context.Context, ids []wx.ID) ([]db.Order, int, error) {
	models := make([]db.Order, len(ids))
	todo := make([]int, len(ids))
	for i := range todo {
		todo[i] = i
	}
	calls := 0
	for round := 1; ; round++ {
		failed, n, err := s.fetchChannelsRound(ctx, ids, todo, models)
		calls += n
		switch {
		case err == nil:
			return models, calls, nil
		case !wx.Temporary(err) || round == fetchRounds || ctx.Err() != nil:
			return nil, calls, err
		}
		s.log.Warn("order sync: some Channels orders could not be read; asking again", "orders", len(failed), "err", err)
		todo = failed
	}
}

// fetchChannelsRound reads the orders ids[i] for each i in todo into models[i], channelsFetchers at a time.
// It returns which of them failed for a temporary reason, the calls made and the first error; on any other
// error the fetchers stop.
func (s *Shop) fetchChannelsRound(ctx context.Context, ids []wx.ID, todo []int, models []db.Order) ([]int, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		next     int
		calls    int
		failed   []int
		firstErr error
		stopped  bool // a failure that is not temporary: everyone stops
		wg       sync.WaitGroup
	)
	for range min(channelsFetchers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				stop := k >= len(todo) || stopped
				if !stop {
					calls++
				}
				mu.Unlock()
				if stop {
					return
				}
				i := todo[k]
				o, err := s.wx.ChannelsOrder(ctx, string(ids[i]))
				if err == nil {
					models[i] = shopOrderModel(db.SourceChannels, *o)
					continue
				}
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				failed = append(failed, i)
				if !wx.Temporary(err) && !stopped {
					stopped, firstErr = true, err
					cancel() // the others stop at their next call
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(failed)
	return failed, calls, firstErr
}

// syncChannelsOrders walks update time from the watermark to now. It returns the new watermark: the end of
// the last window finished.
func (s *Shop) syncChannelsOrders(ctx context.Context, watermark, now time.Time) (int, int, time.Time, error) {
	start := watermark
	if start.IsZero() {
		start = now.Add(-firstSyncSpan)
	} else {
		// A little overlap: an order updated in the second the last sync ended is not missed.
		start = start.Add(-time.Minute)
	}
	total, calls := 0, 0
	window := channelsWindow
	for start.Before(now) {
		end := start.Add(window)
		if end.After(now) {
			end = now
		}
		ids, n, err := s.channelsWindowIDs(ctx, start, end)
		calls += n
		if wx.IsCode(err, wx.CodeChannelsTooManyOrders) && end.Sub(start) > minWindow {
			window = end.Sub(start) / 2 // too many orders in this window: halve it and try again
			continue
		}
		if err != nil {
			return total, calls, start, err
		}
		models, n, err := s.fetchChannelsOrders(ctx, ids)
		calls += n
		if err != nil {
			return total, calls, start, err
		}
		if err := s.store.UpsertOrders(ctx, models); err != nil {
			return total, calls, start, err
		}
		total += len(models)
		// The window is done: the watermark moves, and the next window may be full-size again.
		start, window = end, channelsWindow
		state, err := s.store.OrderSourceState(ctx, db.SourceChannels)
		if err == nil {
			state.Watermark = start
			err = s.store.SaveOrderSourceState(ctx, state)
		}
		if err != nil {
			return total, calls, start, err
		}
	}
	return total, calls, start, nil
}

// channelsWindowIDs collects every order id updated in [start, end), page by page. Paging keeps the request
// identical but for next_key; if WeChat stops accepting the key (606006), the window starts over once.
func (s *Shop) channelsWindowIDs(ctx context.Context, start, end time.Time) ([]wx.ID, int, error) {
	calls := 0
	for attempt := 0; attempt < 2; attempt++ {
		req := wx.ChannelsOrderListRequest{
			UpdateTimeRange: &wx.TimeRange{StartTime: start.Unix(), EndTime: end.Unix()},
			PageSize:        ChannelsPage,
		}
		seen := map[wx.ID]bool{}
		var ids []wx.ID
		restart := false
		for {
			ans, err := s.wx.ChannelsOrderIDs(ctx, req)
			calls++
			if wx.IsCode(err, wx.CodeChannelsBadNextKey) && attempt == 0 {
				restart = true
				break
			}
			if err != nil {
				return nil, calls, err
			}
			for _, id := range ans.OrderIDList {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
			if !ans.HasMore || ans.NextKey == "" {
				return ids, calls, nil
			}
			req.NextKey = ans.NextKey
		}
		if !restart {
			break
		}
	}
	return nil, calls, fmt.Errorf("channels order list: next_key refused twice for %s – %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
}

// refreshOpenOrders fetches again every order of source that may still change.
func (s *Shop) refreshOpenOrders(ctx context.Context, source string) (int, int, error) {
	n, calls := 0, 0
	for _, status := range []string{db.OrderToPay, db.OrderToShip, db.OrderPartial, db.OrderShipped, db.OrderAfterSale} {
		for offset := 0; ; offset += 200 {
			orders, _, err := s.store.Orders(ctx, db.OrderFilter{Source: source, Status: status, Limit: 200, Offset: offset})
			if err != nil {
				return n, calls, err
			}
			for _, o := range orders {
				calls++
				if err := s.FetchOrder(ctx, source, o.ShopAppID, o.OrderID); err != nil {
					return n, calls, err
				}
				n++
			}
			if len(orders) < 200 {
				break
			}
		}
	}
	return n, calls, nil
}

// FetchOrder asks WeChat for one order of source and stores it; it returns the local id.
func (s *Shop) FetchOrder(ctx context.Context, source, shopAppID, orderID string) error {
	_, err := s.FetchOrderID(ctx, source, shopAppID, orderID)
	return err
}

// FetchOrderID is FetchOrder, answering the order's local id.
func (s *Shop) FetchOrderID(ctx context.Context, source, shopAppID, orderID string) (int64, error) {
	var m db.Order
	switch source {
	case db.SourceMerchant:
		o, err := s.wx.MerchantOrder(ctx, orderID)
		if err != nil {
			return 0, err
		}
		m = merchantOrderModel(*o)
	case db.SourceShop:
		o, err := s.wx.ShopOrder(ctx, orderID)
		if err != nil {
			return 0, err
		}
		m = shopOrderModel(db.SourceShop, *o)
	case db.SourceChannels:
		o, err := s.wx.ChannelsOrder(ctx, orderID)
		if err != nil {
			return 0, err
		}
		m = shopOrderModel(db.SourceChannels, *o)
	case db.SourcePartner:
		o, err := s.wx.PartnerStoreOrder(ctx, shopAppID, orderID)
		if err != nil {
			return 0, err
		}
		seen := time.Now()
		if old, err := s.store.OrderBySourceID(ctx, source, shopAppID, orderID); err == nil {
			seen = old.CreatedAt
		}
		m = partnerOrderModel(shopAppID, orderID, *o, seen)
	default:
		return 0, fmt.Errorf("unknown order source %q", source)
	}
	return s.store.UpsertOrder(ctx, m)
}
