package shop

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// The lists the after-sale forms pick from, kept in the store with when WeChat answered them (like the courier
// list and the category trees): the reject reasons and the merchant's addresses. A list is fetched when it was
// never fetched, when it is a day old, and when the operator asks; if WeChat fails, the copy kept stays in use
// and the failure is said beside it.

// KeptList is a list WeChat answered, as the store keeps it.
type KeptList[T any] struct {
	Items     []T
	FetchedAt time.Time // zero: never fetched
	// Err is why the list could not be fetched now; Items are then the copy kept before (none if never fetched).
	Err error
}

// Stale tells a list shown although fetching it again failed.
func (l KeptList[T]) Stale() bool { return l.Err != nil && !l.FetchedAt.IsZero() }

// keptListMaxAge is how old a kept list may grow before it is fetched again on its own.
const keptListMaxAge = 24 * time.Hour

// keptList reads the list called name, fetching it when refresh is asked or the copy kept is missing or old.
func keptList[T any](ctx context.Context, s *Aftersales, name string, refresh bool, fetch func(context.Context) ([]T, error)) KeptList[T] {
	s.listMu.Lock()
	defer s.listMu.Unlock()
	var out KeptList[T]
	switch c, err := s.store.AftersaleList(ctx, name); {
	case err == nil:
		var items []T
		if json.Unmarshal(c.Body, &items) == nil {
			out.Items, out.FetchedAt = items, c.FetchedAt
		}
	case !errors.Is(err, db.ErrNoRecord):
		out.Err = storeErr(err)
		return out
	}
	if !refresh && !out.FetchedAt.IsZero() && time.Since(out.FetchedAt) < keptListMaxAge {
		return out
	}
	items, err := fetch(ctx)
	if err != nil {
		out.Err = err
		return out
	}
	if items == nil {
		items = []T{}
	}
	body, err := json.Marshal(items)
	if err == nil {
		err = s.store.KeepAftersaleList(ctx, name, body)
	}
	if err != nil {
		s.log.Error("after-sale list not kept", "list", name, "err", err)
	}
	out.Items, out.FetchedAt = items, time.Now()
	return out
}

// RejectReasons is rejectreason/get's list, as kept; refresh fetches it from WeChat now.
func (s *Aftersales) RejectReasons(ctx context.Context, refresh bool) KeptList[wx.RejectReason] {
	return keptList(ctx, s, db.ListRejectReasons, refresh, s.wx.RejectReasons)
}

// Addresses are the merchant's addresses (return and ship-from), as kept; refresh reads them from WeChat now.
func (s *Aftersales) Addresses(ctx context.Context, refresh bool) KeptList[wx.AddressDetail] {
	return keptList(ctx, s, db.ListAddresses, refresh, s.readAddresses)
}

// readAddresses lists the merchant's addresses from WeChat, each read whole (list, then get per id).
func (s *Aftersales) readAddresses(ctx context.Context) ([]wx.AddressDetail, error) {
	var out []wx.AddressDetail
	for offset := 0; ; offset += wx.AddressListMaxLimit {
		ids, err := s.wx.AddressIDs(ctx, offset, wx.AddressListMaxLimit)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			a, err := s.wx.Address(ctx, string(id))
			if err != nil {
				return nil, err
			}
			out = append(out, *a)
		}
		if len(ids) < wx.AddressListMaxLimit {
			return out, nil
		}
	}
}

// ErrNotFound: WeChat has no such object (an after-sale, an address).
var ErrNotFound = errors.New("shop: not found")

// Address reads one address from WeChat, for its edit form: ErrNotFound when WeChat refuses the id.
func (s *Aftersales) Address(ctx context.Context, id string) (*wx.AddressDetail, error) {
	a, err := s.wx.Address(ctx, id)
	var we *wx.Error
	if errors.As(err, &we) {
		return nil, ErrNotFound
	}
	return a, err
}
