package shop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Shop runs the operator's actions against one WeChat account and the local store.
type Shop struct {
	store    *db.Store
	wx       *wx.Client
	log      *slog.Logger
	ships    *shipPool
	couriers courierCache // couriers.go
	// aftersales is the after-sale work (aftersale*.go).
	aftersales *Aftersales
	// busyRetries are the waits before a file's row that WeChat answered 100003 (the order updated too often)
	// is sent again, one per retry (bulk_ship.go).
	busyRetries []time.Duration
}

// New makes the shop on an open store and a WeChat client. Close stops the bulk shipping it runs.
func New(store *db.Store, client *wx.Client, log *slog.Logger) *Shop {
	if log == nil {
		log = slog.Default()
	}
	s := &Shop{store: store, wx: client, log: log, busyRetries: defaultBusyRetries}
	s.ships = newShipPool(s)
	s.aftersales = newAftersales(s)
	return s
}

// Close ends the shop's background work (the files being shipped) and waits for it: a row on its way is
// finished or left pending, never cut half way through its records.
func (s *Shop) Close() {
	s.ships.close()
}

// Journal records what was done in the audit log. The app gives each action one bound to the request and its
// operator, so the request's pending entry becomes the action's; the entry's user is filled in by it.
type Journal func(db.AuditEntry)

// StoreError is a failure of the local store after WeChat did what was asked: not the operator's to fix, and
// not WeChat's refusal.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "shop: store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

func storeErr(err error) error {
	if err == nil {
		return nil
	}
	return &StoreError{Err: err}
}

// IsStoreError reports whether err is the store failing (a 500), rather than WeChat refusing or not answering.
func IsStoreError(err error) bool {
	var se *StoreError
	return errors.As(err, &se)
}

// Mirror sync times are kept as settings under these keys.
const (
	SettingProductsSyncedAt  = "products_synced_at"
	SettingTemplatesSyncedAt = "postage_synced_at"
	SettingGroupsSyncedAt    = "groups_synced_at"
	SettingShelvesSyncedAt   = "shelves_synced_at"
)

func (s *Shop) markSynced(ctx context.Context, key string) error {
	return s.store.SetSetting(ctx, key, strconv.FormatInt(time.Now().Unix(), 10))
}

// SyncedAt is when the mirror under key was last synced; zero when never.
func (s *Shop) SyncedAt(ctx context.Context, key string) time.Time {
	v, err := s.store.Setting(ctx, key)
	if err != nil {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

func idString(id any) string { return fmt.Sprint(id) }
