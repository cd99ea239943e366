package sandbox

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"wxshop/internal/wx"
)

// Orders of four sources share one store, this file: the merchant manual's orders (orders_merchant.go), the
// mini-shop's (orders_shop.go), the Channels store's (orders_channels.go) and a partner store's
// (orders_partner.go). The demo orders are made by demo_orders.go, new paid ones and their push by push.go.
//
// An order is stored compactly, as numbers and indexes, so that a shop of 100 000 orders costs some twenty
// megabytes: its lines point into a catalog of product snapshots, and what never changes about it (the
// buyer's name, mobile and address, the payment ids, the notes) is drawn when an answer needs it, from the
// order's id and buyer, so it comes out the same every time. Only parcels hold strings, since the courier
// and tracking number of a shipment come from the caller.

// Order sources, named as the app names them.
const (
	SourceMerchant = "merchant" // the merchant manual V1.13, /merchant/order/*
	SourceShop     = "shop"     // the mini-shop, /product/order/get
	SourceChannels = "channels" // the Channels store, /channels/ec/order/*
	SourcePartner  = "partner"  // orders placed in a partner store, /channels/ec/cooperation/order/get
)

type source uint8

const (
	srcMerchant source = iota
	srcShop
	srcChannels
	srcPartner
	numSources
)

var sourceNames = [numSources]string{SourceMerchant, SourceShop, SourceChannels, SourcePartner}

func (src source) String() string { return sourceNames[src] }

func sourceByName(name string) (source, bool) {
	for i, n := range sourceNames {
		if n == name {
			return source(i), true
		}
	}
	return 0, false
}

// mustSource is sourceByName for the exported functions, whose callers pass one of the Source constants.
func mustSource(name string) source {
	src, found := sourceByName(name)
	if !found {
		panic(fmt.Sprintf("sandbox: unknown order source %q (want merchant, shop, channels or partner)", name))
	}
	return src
}

// Order statuses. The merchant manual has its own (wx.MerchantOrder*), plus merchantClosed; the mini-shop,
// the Channels store and partner stores share wx.ShopOrder*.
const (
	// merchantClosed is what order/close leaves: the manual never names a closed status, but its own
	// examples answer 6, which the app reads as closed.
	merchantClosed = 6
)

// Aftersale states of an order.
const (
	aftersaleNone     = iota
	aftersaleOngoing  // the first line is in after-sale now (merchant: the order is in dispute)
	aftersaleFinished // every line was refunded; the order is cancelled (200)
)

// maxLines bounds the lines of one order; the merchant manual's orders have exactly one.
const maxLines = 3

// lineRef is one line of an order: a SKU of a catalog snapshot and how many pieces.
type lineRef struct {
	prod  uint16 // index into orderStore.catalog
	sku   uint16 // index into that snapshot's skus
	count uint16
}

// parcel is one shipment. counts are the pieces of each line of the order it holds.
type parcel struct {
	company string // merchant: an id of wx.MerchantCouriers; the others: a courier code (SF, ZTO...)
	waybill string
	time    int64
	counts  [maxLines]uint16
}

// order is one order of any source. Times are seconds since 1970.
type order struct {
	id       uint64
	created  int64
	paid     int64 // 0 while unpaid
	updated  int64 // the last change: payment, a parcel, completion, cancellation, after-sale
	shipDone int64 // when the last piece left, 0 while some have not
	parcels  []parcel
	buyer    uint32 // index into the buyer pool (demo_orders.go)
	freight  int32  // fen
	discount int32  // fen; merchant orders have none
	status   int16  // the source's own code
	src      source
	nlines   uint8
	after    uint8 // aftersaleNone and friends
	shop     uint8 // partner orders: index into partnerShops
	virtual  bool  // Channels orders of virtual goods (deliver_method 1): shipped with no courier
	lines    [maxLines]lineRef
}

// catalogProduct is a product as orders saw it when they were placed: orders keep the name, price and SKUs
// they were bought with, whatever the shop does to the product later.
type catalogProduct struct {
	productID string // the merchant's id, pDF3iY...
	spuID     string // the numeric id the newer APIs give the same product
	name      string
	img       string // path of the main image
	freight   int    // what one parcel of it costs to send, fen
	skus      []catalogSKU
}

type catalogSKU struct {
	skuID string // the merchant's sku_id, "id:vid;id:vid" or ""
	numID string // the numeric sku_id of the newer APIs
	price int    // 微信价, fen
	ori   int    // 原价, fen
	code  string // product_code
	attrs []wx.OrderSKUAttr
}

type orderKey struct {
	src source
	id  uint64
}

// orderStore holds every order. The caller holds s.mu.
type orderStore struct {
	list    []order // by creation: demo orders oldest first, then new ones as they come
	byKey   map[orderKey]int32
	catalog []catalogProduct
	latest  map[string]int // merchant product id -> index of its newest snapshot in catalog
	rng     *rand.Rand     // draws of NewPaidOrder
	seed    uint64         // what the details of an order are drawn from, with its id
	buyers  uint32         // size of the buyer pool
	// openIDs maps a buyer's openid to the buyer, per source, built the first time a list filters by openid.
	openIDs     [numSources]map[string]uint32
	windowLimit int
	unavailable [numSources]bool
	permission  PermissionState
	// permissionReview is the result of the last review orders-permission/confirm asked for, "" before any.
	permissionReview string
	// updates holds, per order, when the shipping calls of the last orderUpdateWindow changed it (tooOften);
	// updateLimit is how many such changes the window allows.
	updates     map[orderKey][]time.Time
	updateLimit int
}

// WeChat answers 100003 "订单更新过于频繁,更新订单失败,请重试" on channels/ec/order/delivery/send (the code
// table of delivery_send.html) without saying how often is too often. The sandbox's reading: an order that
// shipping calls changed Options.OrderUpdateLimit times (3 unless set) within orderUpdateWindow refuses the
// next change until the oldest of those leaves the window; the caller is to wait a moment and try again.
const (
	defaultOrderUpdateLimit = 3
	orderUpdateWindow       = 10 * time.Second
)

// tooOften reports whether changing o at now would be one change too many (100003).
func (st *orderStore) tooOften(o *order, now time.Time) bool {
	key := orderKey{o.src, o.id}
	recent := st.updates[key][:0]
	for _, t := range st.updates[key] {
		if now.Sub(t) < orderUpdateWindow {
			recent = append(recent, t)
		}
	}
	if len(recent) == 0 {
		delete(st.updates, key)
	} else {
		st.updates[key] = recent
	}
	return len(recent) >= st.updateLimit
}

// changed records that a shipping call changed o at now.
func (st *orderStore) changed(o *order, now time.Time) {
	if st.updates == nil {
		st.updates = map[orderKey][]time.Time{}
	}
	key := orderKey{o.src, o.id}
	st.updates[key] = append(st.updates[key], now)
}

// initOrders sets the order settings from opts and makes the demo orders unless the shop is Empty. The caller
// owns s.
func (s *Server) initOrders(seed uint64, opts Options) {
	st := &s.orders
	st.byKey = map[orderKey]int32{}
	st.latest = map[string]int{}
	st.seed = seed
	st.rng = rand.New(rand.NewPCG(seed^0x6f72646572735f31, seed+0x9e3779b97f4a7c15)) // "orders_1"
	st.windowLimit = opts.ChannelsWindowLimit
	st.updateLimit = cmp.Or(max(opts.OrderUpdateLimit, 0), defaultOrderUpdateLimit)
	if st.windowLimit <= 0 {
		st.windowLimit = 2000
	}
	for name, available := range opts.OrderSources {
		st.unavailable[mustSource(name)] = !available
	}
	st.permission = opts.PermissionState
	s.pushFormat = opts.PushFormat
	s.pushTimeout = opts.PushTimeout
	if s.pushTimeout <= 0 {
		s.pushTimeout = 5 * time.Second
	}
	n := opts.Orders
	if n == 0 {
		n = 400
	}
	st.buyers = uint32(max(50, n/3))
	if opts.Empty || n < 0 {
		return
	}
	s.loadDemoOrders(n)
}

// errAPIUnauthorized is WeChat's answer to an interface the account has not been granted.
var errAPIUnauthorized = &apiError{48001, "api unauthorized"}

// available refuses the calls of a source the account may not use.
func (st *orderStore) available(src source) error {
	if st.unavailable[src] {
		return errAPIUnauthorized.with("the account has no %s orders", src)
	}
	return nil
}

// add stores o, which has its id, and returns its index.
func (st *orderStore) add(o order) int32 {
	i := int32(len(st.list))
	st.list = append(st.list, o)
	st.byKey[orderKey{o.src, o.id}] = i
	return i
}

// lookup finds an order of src by the id a request gave; ids are decimal numbers.
func (st *orderStore) lookup(src source, id string) (*order, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil, false
	}
	i, found := st.byKey[orderKey{src, n}]
	if !found {
		return nil, false
	}
	return &st.list[i], true
}

// line is the snapshot and SKU of line i of o.
func (st *orderStore) line(o *order, i int) (*catalogProduct, *catalogSKU) {
	p := &st.catalog[o.lines[i].prod]
	return p, &p.skus[o.lines[i].sku]
}

// productPrice is what the pieces of o cost before freight and discounts.
func (st *orderStore) productPrice(o *order) int {
	sum := 0
	for i := range int(o.nlines) {
		_, sku := st.line(o, i)
		sum += sku.price * int(o.lines[i].count)
	}
	return sum
}

// total is what the buyer pays.
func (st *orderStore) total(o *order) int {
	return st.productPrice(o) + int(o.freight) - int(o.discount)
}

// shipped counts the pieces of each line that have left.
func (o *order) shipped() [maxLines]int {
	var n [maxLines]int
	for _, p := range o.parcels {
		for i := range maxLines {
			n[i] += int(p.counts[i])
		}
	}
	return n
}

// allShipped tells whether every piece has left.
func (o *order) allShipped() bool {
	n := o.shipped()
	for i := range int(o.nlines) {
		if n[i] < int(o.lines[i].count) {
			return false
		}
	}
	return true
}

func (o *order) idString() string { return strconv.FormatUint(o.id, 10) }

// snapshot is sp as an order line sees it.
func snapshot(sp *storedProduct) catalogProduct {
	p := sp.p
	cp := catalogProduct{
		productID: p.ProductID,
		spuID:     numericID(10000040000000, 1e7, p.ProductID),
		name:      p.ProductBase.Name,
		img:       p.ProductBase.MainImg,
		freight:   productFreight(p),
	}
	var cat *category
	if len(p.ProductBase.CategoryID) == 1 {
		cat = categories()[string(p.ProductBase.CategoryID[0])]
	}
	for _, sku := range p.SKUList {
		cp.skus = append(cp.skus, catalogSKU{
			skuID: sku.SKUID,
			numID: numericID(1380000000000, 1e10, p.ProductID+"/"+sku.SKUID),
			price: sku.Price,
			ori:   sku.OriPrice,
			code:  sku.ProductCode,
			attrs: skuAttrs(cat, sku.SKUID),
		})
	}
	return cp
}

// numericID makes a stable decimal id in [base, base+span) from key, the way the newer APIs number the
// products the merchant manual names by pDF3iY... ids.
func numericID(base, span uint64, key string) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	return strconv.FormatUint(base+h.Sum64()%span, 10)
}

// productFreight is what the product charges for a parcel: nothing when it is post-free, its 快递 fee when
// it names fees, 800 fen when a postage template decides.
func productFreight(p *wx.Product) int {
	if p.AttrExt.IsPostFree == 1 || p.DeliveryInfo == nil {
		return 0
	}
	if p.DeliveryInfo.DeliveryType == wx.DeliveryByTemplate {
		return 800
	}
	fee := 0
	for _, e := range p.DeliveryInfo.Express {
		if e.ID == wx.ExpressKuaiDi {
			return e.Price
		}
		if fee == 0 || e.Price < fee {
			fee = e.Price
		}
	}
	return fee
}

// skuAttrs names the attributes and values of a sku_id, as the order answers list them: 颜色 白色. A custom
// "$text" is its text.
func skuAttrs(cat *category, skuID string) []wx.OrderSKUAttr {
	pairs, err := wx.ParseSKUInfo(skuID)
	if err != nil {
		return nil
	}
	attrs := make([]wx.OrderSKUAttr, 0, len(pairs))
	for _, pr := range pairs {
		key, value := strings.TrimPrefix(string(pr.ID), "$"), strings.TrimPrefix(string(pr.VID), "$")
		if cat != nil {
			if a, found := cat.skuAttr(pr.ID); found {
				key = a.Name
				for _, v := range a.ValueList {
					if v.ID == pr.VID {
						value = v.Name
					}
				}
			}
		}
		attrs = append(attrs, wx.OrderSKUAttr{AttrKey: key, AttrValue: value})
	}
	return attrs
}

// catalogIndex returns the index of the newest snapshot of sp, adding one when the product changed since
// (or was never ordered). The caller holds s.mu.
func (st *orderStore) catalogIndex(sp *storedProduct) uint16 {
	snap := snapshot(sp)
	if i, found := st.latest[snap.productID]; found && sameSnapshot(&st.catalog[i], &snap) {
		return uint16(i)
	}
	if len(st.catalog) >= 1<<16-1 { // a product changed 65 535 times: keep using the newest
		if i, found := st.latest[snap.productID]; found {
			return uint16(i)
		}
		return 0
	}
	st.catalog = append(st.catalog, snap)
	st.latest[snap.productID] = len(st.catalog) - 1
	return uint16(len(st.catalog) - 1)
}

func sameSnapshot(a, b *catalogProduct) bool {
	return a.productID == b.productID && a.name == b.name && a.img == b.img && a.freight == b.freight &&
		slices.EqualFunc(a.skus, b.skus, func(x, y catalogSKU) bool {
			return x.skuID == y.skuID && x.price == y.price && x.ori == y.ori && x.code == y.code &&
				slices.Equal(x.attrs, y.attrs)
		})
}

// OrderState is an order as the sandbox holds it, for tests that check what the app did to it.
type OrderState struct {
	Source    string
	ID        string
	ShopAppID string // partner orders: the partner store the order was placed in
	Status    int    // the source's own code: wx.MerchantOrder* (6 closed), wx.ShopOrder*
	Aftersale bool   // a line is in after-sale now (merchant: the order is in dispute)
	Virtual   bool   // Channels: virtual goods (deliver_method 1), shipped with deliver_type 3 and no courier
	Created   time.Time
	Paid      time.Time // zero while unpaid
	Updated   time.Time
	TotalFen  int // what the buyer pays: products, freight, less discounts
	Lines     []OrderLine
	Parcels   []OrderParcel
}

// OrderLine is one line of an OrderState.
type OrderLine struct {
	ProductID string // as the source's calls name it: pDF3iY... for merchant orders, digits for the others
	SKUID     string // likewise: "id:vid;id:vid" (or "") for merchant orders, digits for the others
	Title     string
	Count     int
	Shipped   int // pieces that have left
	PriceFen  int // per piece
}

// OrderParcel is one shipment of an OrderState.
type OrderParcel struct {
	Company    string // courier id or code, as the shipping call gave it
	TrackingNo string
	Time       time.Time
	Items      []wx.ChannelsDeliveryProduct // what it holds, by the source's product and SKU ids
}

// Order returns a copy of an order of source ("merchant", "shop", "channels" or "partner") as the sandbox
// holds it; false when there is none with that id.
func (s *Server) Order(source, id string) (OrderState, bool) {
	src := mustSource(source)
	s.mu.Lock()
	defer s.mu.Unlock()
	o, found := s.orders.lookup(src, id)
	if !found {
		return OrderState{}, false
	}
	return s.orders.state(o), true
}

// OrderCount is how many orders source has; "" counts every source.
func (s *Server) OrderCount(source string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if source == "" {
		return len(s.orders.list)
	}
	src := mustSource(source)
	n := 0
	for i := range s.orders.list {
		if s.orders.list[i].src == src {
			n++
		}
	}
	return n
}

// OrderIDs lists the ids of the orders of source in status (the source's own code; 0: any), oldest first,
// so that a test can pick an order to work on.
func (s *Server) OrderIDs(source string, status int) []string {
	src := mustSource(source)
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for i := range s.orders.list {
		o := &s.orders.list[i]
		if o.src == src && (status == 0 || int(o.status) == status) {
			ids = append(ids, o.idString())
		}
	}
	return ids
}

// SetOrderSource makes the order calls of source available to the account, or answer 48001.
func (s *Server) SetOrderSource(source string, available bool) {
	src := mustSource(source)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders.unavailable[src] = !available
}

// state copies o out.
func (st *orderStore) state(o *order) OrderState {
	out := OrderState{
		Source:    o.src.String(),
		ID:        o.idString(),
		Status:    int(o.status),
		Aftersale: o.after == aftersaleOngoing,
		Virtual:   o.virtual,
		Created:   time.Unix(o.created, 0),
		Updated:   time.Unix(o.updated, 0),
		TotalFen:  st.total(o),
	}
	if o.src == srcPartner {
		out.ShopAppID = partnerShops[o.shop]
	}
	if o.paid != 0 {
		out.Paid = time.Unix(o.paid, 0)
	}
	shipped := o.shipped()
	for i := range int(o.nlines) {
		p, sku := st.line(o, i)
		productID, skuID := st.lineIDs(o, i)
		out.Lines = append(out.Lines, OrderLine{
			ProductID: productID, SKUID: skuID, Title: p.name,
			Count: int(o.lines[i].count), Shipped: shipped[i], PriceFen: sku.price,
		})
	}
	for _, pc := range o.parcels {
		out.Parcels = append(out.Parcels, OrderParcel{
			Company: pc.company, TrackingNo: pc.waybill, Time: time.Unix(pc.time, 0), Items: st.parcelItems(o, &pc),
		})
	}
	return out
}

// lineIDs are the product and SKU ids of line i as the source's calls name them.
func (st *orderStore) lineIDs(o *order, i int) (productID, skuID string) {
	p, sku := st.line(o, i)
	if o.src == srcMerchant {
		return p.productID, sku.skuID
	}
	return p.spuID, sku.numID
}

// parcelItems lists what pc holds, line by line.
func (st *orderStore) parcelItems(o *order, pc *parcel) []wx.ChannelsDeliveryProduct {
	var items []wx.ChannelsDeliveryProduct
	for i := range int(o.nlines) {
		if pc.counts[i] == 0 {
			continue
		}
		productID, skuID := st.lineIDs(o, i)
		items = append(items, wx.ChannelsDeliveryProduct{ProductID: productID, SKUID: skuID, ProductCnt: int(pc.counts[i])})
	}
	return items
}
