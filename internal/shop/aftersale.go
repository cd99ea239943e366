package shop

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// After-sales of the 微信小店 (shared/api/store/aftersale.md): the mirror (kept by a watermark sync over
// getaftersalelist and by channels_ec_aftersale_update pushes), and the merchant's answers, each made once: the
// after-sale is read back from WeChat before an answer (refusing up front what WeChat would refuse), and
// after an answer that was lost, to learn whether it was made.

// Aftersales runs the after-sale work against one account and the local store; the shop makes one
// (Shop.Aftersales).
type Aftersales struct {
	shop  *Shop // for the Channels courier list an exchange's replacement leaves with
	store *db.Store
	wx    *wx.Client
	log   *slog.Logger
	now   func() time.Time

	syncMu sync.Mutex // one sync at a time
	locks  sync.Map   // after-sale id -> *sync.Mutex: one answer at a time per after-sale
	listMu sync.Mutex // one fetch of a kept list at a time (aftersale_lists.go)
	media  mediaCache // the pictures pages showed last (aftersale_media.go)
}

func newAftersales(s *Shop) *Aftersales {
	return &Aftersales{shop: s, store: s.store, wx: s.wx, log: s.log, now: time.Now}
}

// Aftersales is the shop's after-sale work: the mirror, the answers, the return addresses.
func (s *Shop) Aftersales() *Aftersales { return s.aftersales }

// SetClock replaces the clock the refund gap is measured by, for tests.
func (s *Aftersales) SetClock(now func() time.Time) { s.now = now }

// AftersaleTab is the page tab of an after-sale of typ in status, and whether it waits on the merchant.
func AftersaleTab(typ, status string) (tab string, needsMerchant bool) {
	switch status {
	case wx.AftersaleMerchantProcessing:
		return db.AftersaleTabPending, true
	case wx.AftersaleUserWaitReturn:
		return db.AftersaleTabWaitReturn, false
	case wx.AftersaleMerchantWaitReceipt:
		if typ == wx.AftersaleTypeExchange {
			return db.AftersaleTabReship, true
		}
		return db.AftersaleTabToReceive, true
	case wx.AftersalePlatformRefundFail:
		return db.AftersaleTabRefundFailed, true
	case wx.AftersaleMerchantRefundSuccess, wx.AftersaleMerchantReturnSuccess, wx.AftersaleMerchantExchangeOK:
		return db.AftersaleTabDone, false
	case wx.AftersaleUserCancelled, wx.AftersaleReturnClosed, wx.AftersaleMerchantOverdueRefund,
		wx.AftersaleMerchantRefundRetryErr, wx.AftersaleMerchantFail:
		return db.AftersaleTabClosed, false
	}
	return db.AftersaleTabOngoing, false
}

// aftersaleModel is the mirror's row for o.
func aftersaleModel(o *wx.AfterSaleOrder, seen time.Time) db.Aftersale {
	tab, needs := AftersaleTab(o.Type, o.Status)
	return db.Aftersale{
		ID: string(o.AfterSaleOrderID), OrderID: string(o.OrderID), Type: o.Type, Status: o.Status, Tab: tab, NeedsMerchant: needs,
		ProductID: string(o.ProductInfo.ProductID), SKUID: string(o.ProductInfo.SKUID), AmountFen: int64(o.RefundInfo.Amount),
		BuyerPhone: o.Details.TelNumber, Deadline: o.Deadline.Time(), CreatedAt: o.CreateTime.Time(), UpdatedAt: o.UpdateTime.Time(),
		Raw: o.Raw, SyncedAt: seen,
	}
}

// Refresh reads one after-sale from WeChat into the mirror and returns it.
func (s *Aftersales) Refresh(ctx context.Context, id string) (*wx.AfterSaleOrder, error) {
	o, err := s.wx.AftersaleOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.UpsertAftersale(ctx, aftersaleModel(o, time.Now())); err != nil {
		return o, storeErr(err)
	}
	return o, nil
}

// OnAftersalePush handles channels_ec_aftersale_update: the event only says something changed, so the
// after-sale is read (one call) into the mirror.
func (s *Aftersales) OnAftersalePush(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("shop: after-sale push without after_sale_order_id")
	}
	_, err := s.Refresh(ctx, id)
	return err
}

// Settings of the after-sale sync.
const (
	SettingAftersalesWatermark = "aftersales_watermark" // Unix seconds: changes up to here are in the mirror
	SettingAftersalesSyncedAt  = "aftersales_synced_at"
)

// aftersaleBackfill is how far back the first sync looks; aftersaleOverlap how much of the last window each
// sync reads again, for changes WeChat recorded late.
const (
	aftersaleBackfill = 30 * 24 * time.Hour
	aftersaleOverlap  = 2 * time.Minute
)

// AftersaleSyncResult says what a sync did.
type AftersaleSyncResult struct {
	Windows, ListCalls, Fetched, Skipped, Changed int
}

// SyncAftersales brings the mirror up to date with the changes since the watermark: the update-time windows
// (≤24 h each, paged by next_key) give the ids, and each is fetched unless the mirror read it after the end
// of the window it changed in (a push already brought it). The watermark moves only when every window was read.
func (s *Aftersales) SyncAftersales(ctx context.Context) (AftersaleSyncResult, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	var res AftersaleSyncResult
	now := time.Now()
	from := now.Add(-aftersaleBackfill)
	if v, err := s.store.Setting(ctx, SettingAftersalesWatermark); err == nil {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil && sec > 0 {
			from = time.Unix(sec, 0).Add(-aftersaleOverlap)
		}
	}
	seen := map[string]bool{}
	for start := from; start.Before(now); {
		end := start.Add(wx.AftersaleListMaxWindow)
		if end.After(now) {
			end = now
		}
		res.Windows++
		req := wx.AftersaleListRequest{BeginUpdateTime: start.Unix(), EndUpdateTime: end.Unix()}
		for {
			ans, err := s.wx.AftersaleIDs(ctx, req)
			res.ListCalls++
			if err != nil {
				return res, err
			}
			for _, id := range ans.AfterSaleOrderIDList {
				if seen[string(id)] {
					continue
				}
				seen[string(id)] = true
				if row, err := s.store.Aftersale(ctx, string(id)); err == nil && row.SyncedAt.After(end) {
					res.Skipped++
					continue
				}
				before, _ := s.store.Aftersale(ctx, string(id))
				o, err := s.Refresh(ctx, string(id))
				if err != nil {
					return res, err
				}
				res.Fetched++
				if before.Status != o.Status {
					res.Changed++
				}
			}
			if !ans.HasMore || ans.NextKey == "" {
				break
			}
			req.NextKey = ans.NextKey
		}
		start = end
	}
	if err := s.store.SetSetting(ctx, SettingAftersalesWatermark, strconv.FormatInt(now.Unix(), 10)); err != nil {
		return res, storeErr(err)
	}
	if err := s.store.SetSetting(ctx, SettingAftersalesSyncedAt, strconv.FormatInt(now.Unix(), 10)); err != nil {
		return res, storeErr(err)
	}
	return res, nil
}

// lock serialises the answers to one after-sale.
func (s *Aftersales) lock(id string) func() {
	m, _ := s.locks.LoadOrStore(id, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// DefaultReturnAddress is the id of the default return address among list, else of the first return address.
func DefaultReturnAddress(list []wx.AddressDetail) string {
	first := ""
	for _, a := range list {
		if a.RecvAddr && a.DefaultRecv {
			return string(a.AddressID)
		}
		if a.RecvAddr && first == "" {
			first = string(a.AddressID)
		}
	}
	return first
}

// SaveAddress adds (no AddressID) or replaces an address, audited. A lost answer of an add is settled by
// looking for the address in the list: an address like it that was not there before is the one made.
func (s *Aftersales) SaveAddress(ctx context.Context, journal Journal, a wx.AddressDetail) (string, error) {
	entry := db.AuditEntry{Action: "address.update", ObjectType: "address", ObjectID: string(a.AddressID), Detail: a.AddressInfo.UserName + " " + a.AddressInfo.OneLine()}
	if a.AddressID != "" {
		err := s.wx.UpdateAddress(ctx, a)
		if err != nil && wx.Temporary(err) {
			if got, rerr := s.wx.Address(ctx, string(a.AddressID)); rerr == nil && sameAddress(*got, a) {
				err = nil
			}
		}
		entry.Outcome = Outcome(err)
		journal(entry)
		s.addressesChanged(ctx, err)
		return string(a.AddressID), err
	}
	entry.Action = "address.create"
	before, berr := s.readAddresses(ctx)
	id, err := s.wx.AddAddress(ctx, a)
	if err != nil && wx.Temporary(err) && berr == nil {
		had := map[wx.ID]bool{}
		for _, b := range before {
			had[b.AddressID] = true
		}
		if after, rerr := s.readAddresses(ctx); rerr == nil {
			for _, b := range after {
				if !had[b.AddressID] && sameAddress(b, a) {
					id, err = b.AddressID, nil
					break
				}
			}
		}
	}
	entry.ObjectID, entry.Outcome = string(id), Outcome(err)
	journal(entry)
	s.addressesChanged(ctx, err)
	return string(id), err
}

func sameAddress(a, b wx.AddressDetail) bool {
	return a.AddressInfo.UserName == b.AddressInfo.UserName && a.AddressInfo.TelNumber == b.AddressInfo.TelNumber &&
		a.AddressInfo.OneLine() == b.AddressInfo.OneLine() && a.RecvAddr == b.RecvAddr && a.SendAddr == b.SendAddr &&
		a.DefaultRecv == b.DefaultRecv && a.DefaultSend == b.DefaultSend && a.Remark == b.Remark
}

// DeleteAddress deletes an address, audited; a lost answer is settled by reading the address back.
func (s *Aftersales) DeleteAddress(ctx context.Context, journal Journal, id, name string) error {
	err := s.wx.DeleteAddress(ctx, id)
	if err != nil && wx.Temporary(err) {
		if ids, rerr := s.wx.AddressIDs(ctx, 0, wx.AddressListMaxLimit); rerr == nil && len(ids) < wx.AddressListMaxLimit && !containsID(ids, id) {
			err = nil
		}
	}
	journal(db.AuditEntry{Action: "address.delete", ObjectType: "address", ObjectID: id, Detail: name, Outcome: Outcome(err)})
	s.addressesChanged(ctx, err)
	return err
}

// addressesChanged reads the kept addresses again after a write WeChat answered (or may have made), so the
// pages show the list as it is now.
func (s *Aftersales) addressesChanged(ctx context.Context, err error) {
	var we *wx.Error
	if err == nil || !errors.As(err, &we) {
		s.Addresses(context.WithoutCancel(ctx), true)
	}
}

func containsID(ids []wx.ID, id string) bool {
	for _, x := range ids {
		if string(x) == id {
			return true
		}
	}
	return false
}
