package shop

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// channelsCouriers are the courier companies the Channels store ships with most, by the codes its delivery
// calls take. The full list is WeChat's own (deliverycompanylist); these cover nearly every parcel in China.
var channelsCouriers = []wx.Courier{
	{ID: "SF", Name: "顺丰速运"},
	{ID: "ZTO", Name: "中通快递"},
	{ID: "YTO", Name: "圆通速递"},
	{ID: "YD", Name: "韵达快递"},
	{ID: "STO", Name: "申通快递"},
	{ID: "JTSD", Name: "极兔速递"},
	{ID: "YZPY", Name: "邮政快递包裹"},
	{ID: "EMS", Name: "EMS"},
	{ID: "JD", Name: "京东物流"},
	{ID: "DBL", Name: "德邦快递"},
}

func channelsCourierName(id string) string {
	for _, c := range channelsCouriers {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// CouriersFor lists the built-in companies an order of source can be shipped with; nil when the app cannot
// ship it. For Channels orders the list WeChat answers (Shop.Couriers) comes first; this is its fallback.
func CouriersFor(source string) []wx.Courier {
	switch source {
	case "merchant":
		return wx.MerchantCouriers()
	case "channels":
		return channelsCouriers
	}
	return nil
}

// courierCache is the Channels courier list WeChat answered, as the store keeps it, read once.
type courierCache struct {
	mu      sync.Mutex
	loaded  bool
	list    []wx.Courier
	fetched time.Time
}

// Couriers lists the companies an order of source can be shipped with: for Channels orders the list WeChat
// answered (deliverycompanylist/get, cached in the store), the built-in one until it has; nil when the app
// cannot ship orders of source.
func (s *Shop) Couriers(source string) []wx.Courier {
	list, _ := s.CourierList(source)
	return list
}

// CourierList is Couriers with the time WeChat's list was fetched; zero while the built-in list stands in.
func (s *Shop) CourierList(source string) ([]wx.Courier, time.Time) {
	if source != db.SourceChannels {
		return CouriersFor(source), time.Time{}
	}
	c := &s.couriers
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		c.loaded = true
		if cached, err := s.store.CachedCourierList(context.Background(), db.SourceChannels); err == nil {
			var list []wx.Courier
			if json.Unmarshal(cached.Body, &list) == nil && len(list) > 0 {
				c.list, c.fetched = list, cached.FetchedAt
			}
		}
	}
	if len(c.list) == 0 {
		return CouriersFor(source), time.Time{}
	}
	return slices.Clone(c.list), c.fetched
}

// courierListMaxAge is how old the cached list may grow before a sync fetches it again.
const courierListMaxAge = 24 * time.Hour

// RefreshCouriers asks WeChat for the Channels courier list and keeps it. On failure the list kept before
// (or the built-in one) stays in use.
func (s *Shop) RefreshCouriers(ctx context.Context) error {
	list, err := s.wx.ChannelsCouriers(ctx)
	if err != nil {
		return err
	}
	body, err := json.Marshal(list)
	if err != nil {
		return err
	}
	if err := s.store.CacheCourierList(ctx, db.SourceChannels, body); err != nil {
		return storeErr(err)
	}
	c := &s.couriers
	c.mu.Lock()
	c.loaded, c.list, c.fetched = true, list, time.Now()
	c.mu.Unlock()
	return nil
}

// refreshStaleCouriers fetches the Channels courier list when it was never fetched or is a day old, unless
// the account has no Channels store; a failure is logged and the old list kept.
func (s *Shop) refreshStaleCouriers(ctx context.Context) {
	if st, err := s.store.OrderSourceState(ctx, db.SourceChannels); err == nil && st.Unavailable {
		return
	}
	if _, fetched := s.CourierList(db.SourceChannels); !fetched.IsZero() && time.Since(fetched) < courierListMaxAge {
		return
	}
	if err := s.RefreshCouriers(ctx); err != nil {
		s.log.Warn("order sync: could not fetch the Channels courier list; the one kept before stays", "err", err)
	}
}

// CourierByIDOrName finds a company of source by its id or its Chinese name (as a CSV may give either).
func (s *Shop) CourierByIDOrName(source, name string) (wx.Courier, bool) {
	list := s.Couriers(source)
	for _, c := range list {
		if c.ID == name || c.Name == name {
			return c, true
		}
	}
	// Names are often written short: 顺丰 for 顺丰速运.
	for _, c := range list {
		if len([]rune(name)) >= 2 && strings.HasPrefix(c.Name, name) {
			return c, true
		}
	}
	return wx.Courier{}, false
}
