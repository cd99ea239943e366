package shop

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// SeededOrder is one order as its source's read call answers it, with what names it: a line of the sandbox's
// order export (sandbox.ExportedOrder).
type SeededOrder struct {
	Source    string          `json:"source"`
	ShopAppID string          `json:"shop_appid"`
	OrderID   string          `json:"order_id"`
	PushedAt  int64           `json:"pushed_at"`
	Order     json.RawMessage `json:"order"`
}

// SeedModel is the model a sync (or, for mini-shop and partner orders, the fetch an event asks for) makes
// of the order o, from the same bytes through the same decoding.
func SeedModel(o SeededOrder, now time.Time) (db.Order, error) {
	switch o.Source {
	case db.SourceMerchant:
		var m wx.MerchantOrder
		wx.DecodeOrder(o.Order, &m)
		m.Raw = o.Order
		return merchantOrderModel(m), nil
	case db.SourceShop, db.SourceChannels:
		var m wx.ShopOrder
		wx.DecodeOrder(o.Order, &m)
		m.Raw = o.Order
		return shopOrderModel(o.Source, m), nil
	case db.SourcePartner:
		var m wx.PartnerOrder
		wx.DecodeOrder(o.Order, &m)
		m.Raw = o.Order
		seen := now
		if o.PushedAt > 0 {
			seen = time.Unix(o.PushedAt, 0)
		}
		return partnerOrderModel(o.ShopAppID, o.OrderID, m, seen), nil
	}
	return db.Order{}, fmt.Errorf("unknown order source %q", o.Source)
}

// SeedOrders writes the orders read from r (one SeededOrder a line) into store as a first sync and the
// events of the sources without a list would have, batch orders a transaction, and marks every source
// synced now, as the first sync does: the benchmark's way to a shop of a million orders without a call per
// order. It answers how many orders it wrote.
func SeedOrders(ctx context.Context, store *db.Store, r io.Reader, batch int) (int, error) {
	now := time.Now()
	// Decoding runs beside the writing, a batch ahead.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []db.Order, 1)
	decodeErr := make(chan error, 1)
	go func() {
		defer close(batches)
		decodeErr <- func() error {
			sc := bufio.NewScanner(r)
			sc.Buffer(make([]byte, 64<<10), 16<<20)
			models := make([]db.Order, 0, batch)
			line := 0
			for sc.Scan() {
				line++
				var o SeededOrder
				if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
					return fmt.Errorf("seed: line %d: %w", line, err)
				}
				m, err := SeedModel(o, now)
				if err != nil {
					return err
				}
				if models = append(models, m); len(models) == batch {
					select {
					case batches <- models:
					case <-ctx.Done():
						return ctx.Err()
					}
					models = make([]db.Order, 0, batch)
				}
			}
			if err := sc.Err(); err != nil {
				return err
			}
			if len(models) > 0 {
				select {
				case batches <- models:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		}()
	}()
	n := 0
	for models := range batches {
		if err := store.UpsertOrders(ctx, models); err != nil {
			return n, err
		}
		n += len(models)
	}
	if err := <-decodeErr; err != nil {
		return n, err
	}
	for _, source := range db.OrderSources {
		st := db.OrderSource{Source: source, SyncedAt: now}
		if source == db.SourceMerchant || source == db.SourceChannels {
			st.Watermark = now
		}
		if err := store.SaveOrderSourceState(ctx, st); err != nil {
			return n, err
		}
	}
	return n, nil
}
