package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"wxshop/internal/wx"
)

// The demo orders: Options.Orders of them (400 unless told) over the 60 days before Now, more in the evening
// than at night, across the four sources and every stage of an order's life: to pay, to ship, partly shipped,
// shipped, done, in after-sale or dispute, cancelled. Recent orders are more often waiting, old ones done.
// Their lines are SKUs of the demo products (those ever on sale) at their prices; freight comes from the
// product, some orders have a discount; shipped ones have parcels with real courier codes and tracking
// numbers of the courier's shape. Buyers come from a pool, so some buy again, each with one Chinese name,
// mobile number and address in a city of the region list.
//
// Everything is drawn from generators seeded by Options.Seed, so a seed always gives the same orders; and
// nothing but parcels allocates per order, so 100 000 orders take well under a second.

// demoStage is where an order is in its life; statusFor turns it into each source's code.
type demoStage uint8

const (
	stageToPay demoStage = iota
	stageToShip
	stagePartly
	stageShipped
	stageDone
	stageAftersale
	stageCancelled
	numStages
)

// stagesOf lists the stages a source's orders can be in: a merchant order exists once it is paid and holds
// one product, so it is never unpaid nor partly shipped.
func stagesOf(src source) []demoStage {
	if src == srcMerchant {
		return []demoStage{stageToShip, stageShipped, stageDone, stageAftersale, stageCancelled}
	}
	return []demoStage{stageToPay, stageToShip, stagePartly, stageShipped, stageDone, stageAftersale, stageCancelled}
}

// sourceWeights: how the orders spread over the sources.
var sourceWeights = [numSources]int{srcMerchant: 35, srcShop: 15, srcChannels: 40, srcPartner: 10}

// stageWeights by the age of the order: the first row whose maxAge exceeds it.
var stageWeights = []struct {
	maxAge  time.Duration
	weights [numStages]int
}{
	{2 * time.Hour, [numStages]int{stageToPay: 25, stageToShip: 60, stageShipped: 10, stageCancelled: 5}},
	{24 * time.Hour, [numStages]int{stageToPay: 8, stageToShip: 55, stagePartly: 8, stageShipped: 24, stageCancelled: 5}},
	{72 * time.Hour, [numStages]int{stageToShip: 25, stagePartly: 8, stageShipped: 52, stageAftersale: 5, stageCancelled: 10}},
	{10 * 24 * time.Hour, [numStages]int{stageToShip: 3, stagePartly: 2, stageShipped: 40, stageDone: 40, stageAftersale: 7, stageCancelled: 8}},
	{1 << 62, [numStages]int{stageShipped: 2, stageDone: 80, stageAftersale: 6, stageCancelled: 12}},
}

// demoSpan is how far back the demo orders go.
const demoSpan = 60 * 24 * time.Hour

// hourWeights spread orders over the hours of a day in Beijing: few at night, most in the evening.
var hourWeights = [24]int{3, 2, 1, 1, 1, 1, 2, 4, 6, 7, 8, 9, 10, 8, 7, 7, 8, 8, 9, 11, 13, 14, 12, 7}

// beijing is China Standard Time, what the shop's day is counted in.
var beijing = time.FixedZone("CST", 8*60*60)

// partnerShops are the appids of the partner stores that partner orders were placed in.
var partnerShops = []string{"wx5b8f3c2a1d9e7640", "wx7c2e9a4f6b1d3805", "wx3a9d6e2c8f4b1759"}

// idScheme makes an order id of a source: base + created*mult + a draw below mult, so ids grow with time like
// WeChat's. Merchant ids are 19 digits like the manual's 7197417460812533543, mini-shop ids 17 digits like its
// document's 32423523451235145 (above 2^53, so a client that reads them as float64 loses digits), Channels ids
// 19 like 3704612354559743232.
var idScheme = [numSources]struct{ base, mult uint64 }{
	srcMerchant: {7197000000000000000, 1_000_000},
	srcShop:     {32000000000000000, 1000},
	srcChannels: {3704000000000000000, 1_000_000},
	srcPartner:  {3719000000000000000, 1_000_000},
}

// newOrderID draws an unused id for an order of src created at created. The caller holds s.mu.
func (st *orderStore) newOrderID(r *rand.Rand, src source, created int64) uint64 {
	sc := idScheme[src]
	for {
		id := sc.base + uint64(max(created, 0))*sc.mult + r.Uint64N(sc.mult)
		if _, taken := st.byKey[orderKey{src, id}]; !taken {
			return id
		}
	}
}

// loadDemoOrders makes n demo orders. The caller owns s; the demo products are loaded.
func (s *Server) loadDemoOrders(n int) {
	st := &s.orders
	for _, id := range s.products.order {
		if sp := s.products.byID[id]; sp.everOnSale {
			st.catalogIndex(sp)
		}
	}
	if len(st.catalog) == 0 {
		return
	}
	r := rand.New(rand.NewPCG(st.seed, st.seed^0x64656d6f5f6f7264)) // "demo_ord"
	now := s.now().Unix()
	created := make([]int64, n)
	for i := range created {
		created[i] = demoCreated(r, now)
	}
	slices.Sort(created)

	st.list = make([]order, 0, n+n/16)
	st.byKey = make(map[orderKey]int32, n+n/16)
	g := orderGen{st: st, r: r, now: now, pool: make([]parcel, 0, n*3/4)}
	stages := make([]demoStage, n)
	for i, c := range created {
		src := source(pickWeighted(r, sourceWeights[:]))
		stage := drawStage(r, src, now-c)
		stages[i] = stage
		st.add(g.order(src, stage, c))
	}
	g.cover(stages)
	g.coverVirtual()
}

// demoCreated draws when an order was placed: a day of the span, an hour by hourWeights.
func demoCreated(r *rand.Rand, now int64) int64 {
	today := time.Unix(now, 0).In(beijing)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, beijing).Unix()
	days := int64(demoSpan / (24 * time.Hour))
	for {
		day := r.Int64N(days)
		t := midnight - day*86400 + int64(pickWeighted(r, hourWeights[:]))*3600 + r.Int64N(3600)
		if t <= now && t > now-int64(demoSpan/time.Second) {
			return t
		}
	}
}

// drawStage draws a stage for an order of src placed age seconds ago.
func drawStage(r *rand.Rand, src source, age int64) demoStage {
	for _, row := range stageWeights {
		if time.Duration(age)*time.Second < row.maxAge {
			stage := demoStage(pickWeighted(r, row.weights[:]))
			if src == srcMerchant && (stage == stageToPay || stage == stagePartly) {
				stage = stageToShip
			}
			return stage
		}
	}
	panic("sandbox: stageWeights has no last row")
}

// pickWeighted draws an index of weights, each as likely as its weight.
func pickWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// orderGen makes orders with one generator. pool backs the parcels of many orders, so that making them
// allocates once per few thousand parcels.
type orderGen struct {
	st   *orderStore
	r    *rand.Rand
	now  int64
	pool []parcel
}

// order makes one order of src in stage, placed at created, with a fresh id.
func (g *orderGen) order(src source, stage demoStage, created int64) order {
	st, r := g.st, g.r
	o := order{src: src, created: created, buyer: uint32(r.IntN(int(st.buyers)))}
	if src == srcPartner {
		o.shop = uint8(r.IntN(len(partnerShops)))
	}
	g.lines(&o)
	if stage == stagePartly && o.nlines == 1 && o.lines[0].count < 2 {
		o.lines[0].count = 2 // something must be left for the second parcel
	}
	for i := range int(o.nlines) {
		p, _ := st.line(&o, i)
		o.freight = max(o.freight, int32(p.freight))
	}
	if src != srcMerchant && r.IntN(10) < 3 {
		o.discount = int32(discountFor(st.productPrice(&o)))
	}
	o.id = st.newOrderID(r, src, created)

	courier := pickCourier(r, src)
	paid := g.after(created, 5, 900)
	switch stage {
	case stageToPay:
		o.status, o.updated = wx.ShopOrderToPay, created
	case stageToShip:
		o.status, o.paid, o.updated = statusFor(src, wx.MerchantOrderToShip, wx.ShopOrderToShip), paid, paid
	case stagePartly:
		o.paid = paid
		o.parcels = g.partly(&o, courier, g.after(paid, 3600, 36*3600))
		o.status, o.updated = wx.ShopOrderPartlyShipped, o.parcels[0].time
	case stageShipped:
		o.paid = paid
		o.shipDone = g.ship(&o, courier, g.after(paid, 3600, 48*3600))
		o.status, o.updated = statusFor(src, wx.MerchantOrderShipped, wx.ShopOrderToReceive), o.shipDone
	case stageDone:
		o.paid = paid
		o.shipDone = g.ship(&o, courier, g.after(paid, 3600, 48*3600))
		o.status, o.updated = statusFor(src, wx.MerchantOrderDone, wx.ShopOrderDone), g.after(o.shipDone, 3*86400, 10*86400)
	case stageAftersale:
		o.paid, o.after = paid, aftersaleOngoing
		base := paid
		switch n := r.IntN(10); {
		case n < 3: // a refund asked for before anything left
			o.status = statusFor(src, wx.MerchantOrderInDispute, wx.ShopOrderToShip)
		case n < 7: // a return after delivery
			o.shipDone = g.ship(&o, courier, g.after(paid, 3600, 48*3600))
			o.status, base = statusFor(src, wx.MerchantOrderInDispute, wx.ShopOrderToReceive), o.shipDone
		default: // a complaint after completion
			o.shipDone = g.ship(&o, courier, g.after(paid, 3600, 48*3600))
			base = g.after(o.shipDone, 3*86400, 7*86400)
			o.status = statusFor(src, wx.MerchantOrderInDispute, wx.ShopOrderDone)
		}
		o.updated = g.after(base, 3600, 4*86400)
	case stageCancelled:
		switch n := r.IntN(20); {
		case src == srcMerchant: // closed by the merchant, and refunded
			o.status, o.paid = merchantClosed, paid
			o.updated = g.after(paid, 3600, 2*86400)
		case n < 13: // never paid: the buyer cancelled or the payment timed out
			o.status, o.updated = wx.ShopOrderCancelledUnpaid, g.after(created, 60, 30*60)
		case n < 18: // refunded in full after-sale
			o.status, o.paid, o.after = wx.ShopOrderCancelledAftersale, paid, aftersaleFinished
			o.updated = g.after(paid, 3600, 3*86400)
		default: // oversold, cancelled by the merchant
			o.status, o.paid = wx.ShopOrderCancelledOversold, paid
			o.updated = g.after(paid, 2*3600, 86400)
		}
	}
	if src == srcChannels && virtualID(o.id) {
		o.makeVirtual()
	}
	return o
}

// virtualID picks about one Channels order in ten as an order of virtual goods, by its id, so that the
// draws of the other orders stay as they were.
func virtualID(id uint64) bool { return (id>>7)%10 == 3 }

// makeVirtual turns o into an order of virtual goods: its parcels, if any, went out with no courier.
func (o *order) makeVirtual() {
	o.virtual = true
	for i := range o.parcels {
		o.parcels[i].company, o.parcels[i].waybill = "", ""
	}
}

// coverVirtual makes sure the Channels store has a virtual order waiting to be shipped, when it has two or
// more orders waiting: the newest of them becomes virtual.
func (g *orderGen) coverVirtual() {
	st := g.st
	waiting := -1
	n := 0
	for i := range st.list {
		o := &st.list[i]
		if o.src != srcChannels || o.status != wx.ShopOrderToShip {
			continue
		}
		if o.virtual {
			return
		}
		waiting, n = i, n+1
	}
	if n >= 2 {
		st.list[waiting].makeVirtual()
	}
}

func statusFor(src source, merchant, others int16) int16 {
	if src == srcMerchant {
		return merchant
	}
	return others
}

// after is a moment lo to hi seconds after t, or halfway from t to now if that would be in the future.
func (g *orderGen) after(t, lo, hi int64) int64 {
	next := t + lo + g.r.Int64N(hi-lo)
	if next > g.now {
		next = t + (g.now-t)/2
	}
	return max(next, t)
}

// lines draws the lines of o: one for a merchant order, else one to three different SKUs; mostly one piece.
func (g *orderGen) lines(o *order) {
	st, r := g.st, g.r
	want := 1
	if o.src != srcMerchant {
		want = []int{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)]
	}
	for range want {
		prod := uint16(r.IntN(len(st.catalog)))
		sku := uint16(r.IntN(len(st.catalog[prod].skus)))
		if slices.ContainsFunc(o.lines[:o.nlines], func(l lineRef) bool { return l.prod == prod && l.sku == sku }) {
			continue
		}
		count := uint16([]int{1, 1, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(10)])
		o.lines[o.nlines] = lineRef{prod: prod, sku: sku, count: count}
		o.nlines++
	}
}

// discountFor is a merchant discount on an order of products worth price: 满200减20, 满100减10, or a 5 元
// coupon.
func discountFor(price int) int {
	switch {
	case price >= 20000:
		return 2000
	case price >= 10000:
		return 1000
	case price > 1000:
		return 500
	}
	return 0
}

// ship sends every piece of o from at: one parcel, or now and then two (the first line, then the rest).
// It returns when the last one left.
func (g *orderGen) ship(o *order, courier int, at int64) int64 {
	all := parcel{time: at}
	for i := range int(o.nlines) {
		all.counts[i] = o.lines[i].count
	}
	if o.nlines < 2 || g.r.IntN(10) >= 3 {
		all.company, all.waybill = courierOf(o.src, courier, g.r)
		o.parcels = g.take(all)
		return at
	}
	first, rest := all, all
	clear(first.counts[1:])
	rest.counts[0] = 0
	first.company, first.waybill = courierOf(o.src, courier, g.r)
	rest.company, rest.waybill = courierOf(o.src, courier, g.r)
	rest.time = g.after(at, 600, 24*3600)
	o.parcels = g.take(first, rest)
	return rest.time
}

// partly sends part of o at: the first line of several, or some pieces of a single line.
func (g *orderGen) partly(o *order, courier int, at int64) []parcel {
	p := parcel{time: at}
	p.counts[0] = o.lines[0].count
	if o.nlines == 1 {
		p.counts[0] = o.lines[0].count / 2
	}
	p.company, p.waybill = courierOf(o.src, courier, g.r)
	return g.take(p)
}

// take copies ps into the pool and returns them as a slice of their own: its capacity ends with them, so a
// later append copies instead of overwriting the next order's parcels.
func (g *orderGen) take(ps ...parcel) []parcel {
	if cap(g.pool)-len(g.pool) < len(ps) {
		g.pool = make([]parcel, 0, 4096)
	}
	start := len(g.pool)
	g.pool = append(g.pool, ps...)
	return g.pool[start:len(g.pool):len(g.pool)]
}

// cover makes sure every source has an order in every stage it can be in, when there are enough orders:
// for each missing pair it remakes an order whose own pair has others, picking a recent one for a waiting
// stage and an old one for a finished stage, so the order's age fits its stage.
func (g *orderGen) cover(stages []demoStage) {
	st := g.st
	type pair struct {
		src   source
		stage demoStage
	}
	count := map[pair]int{}
	for i := range st.list {
		count[pair{st.list[i].src, stages[i]}]++
	}
	remade := map[int]bool{}
	for src := range numSources {
		for _, stage := range stagesOf(src) {
			if count[pair{src, stage}] > 0 {
				continue
			}
			recent := stage <= stageShipped
			for k := range st.list {
				i := k
				if recent {
					i = len(st.list) - 1 - k
				}
				old := pair{st.list[i].src, stages[i]}
				if remade[i] || count[old] < 2 {
					continue
				}
				delete(st.byKey, orderKey{old.src, st.list[i].id})
				st.list[i] = g.order(src, stage, st.list[i].created)
				st.byKey[orderKey{src, st.list[i].id}] = int32(i)
				stages[i], remade[i] = stage, true
				count[old]--
				count[pair{src, stage}]++
				break
			}
		}
	}
}

// courierFormat is a courier and the shape of its tracking numbers: a prefix and so many digits.
type courierFormat struct {
	id, name string
	prefix   string
	digits   int
	weight   int
}

// channelsCouriers are the courier codes of the Channels store and mini-shop parcels, the ones the app
// offers for Channels shipping.
var channelsCouriers = []courierFormat{
	{"SF", "顺丰速运", "SF", 13, 20},
	{"ZTO", "中通快递", "7", 13, 25},
	{"YTO", "圆通速递", "YT", 13, 20},
	{"YD", "韵达快递", "43", 11, 15},
	{"STO", "申通快递", "77", 11, 8},
	{"JTSD", "极兔速递", "JT", 13, 6},
	{"YZPY", "邮政快递包裹", "98", 11, 3},
	{"EMS", "EMS", "11", 11, 1},
	{"JD", "京东物流", "JDVA", 11, 1},
	{"DBL", "德邦快递", "DPK", 12, 1},
}

// merchantCouriers are the manual's companies (wx.MerchantCouriers) with their tracking number shapes.
var merchantCouriers = []courierFormat{
	{"Fsearch_code", "邮政EMS", "11", 11, 5},
	{"002shentong", "申通快递", "77", 11, 10},
	{"066zhongtong", "中通速递", "7", 13, 20},
	{"056yuantong", "圆通速递", "YT", 13, 20},
	{"042tiantian", "天天快递", "66", 10, 3},
	{"003shunfeng", "顺丰速运", "SF", 13, 15},
	{"059Yunda", "韵达快运", "43", 11, 20},
	{"064zhaijisong", "宅急送", "A", 10, 2},
	{"020huitong", "汇通快运", "50", 10, 4},
	{"zj001yixun", "易迅快递", "YX", 10, 1},
}

var courierWeights = sync.OnceValue(func() [2][]int {
	var w [2][]int
	for _, c := range merchantCouriers {
		w[0] = append(w[0], c.weight)
	}
	for _, c := range channelsCouriers {
		w[1] = append(w[1], c.weight)
	}
	return w
})

func couriersOf(src source) []courierFormat {
	if src == srcMerchant {
		return merchantCouriers
	}
	return channelsCouriers
}

// pickCourier draws the courier an order of src is shipped with.
func pickCourier(r *rand.Rand, src source) int {
	if src == srcMerchant {
		return pickWeighted(r, courierWeights()[0])
	}
	return pickWeighted(r, courierWeights()[1])
}

// courierOf is courier i's id and a new tracking number of its shape.
func courierOf(src source, i int, r *rand.Rand) (id, waybill string) {
	c := couriersOf(src)[i]
	b := make([]byte, 0, len(c.prefix)+c.digits)
	b = append(b, c.prefix...)
	for range c.digits {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return c.id, string(b)
}

// courierName is the name of a courier id or code of src's list; "" for one it does not know.
func courierName(src source, id string) string {
	for _, c := range couriersOf(src) {
		if c.id == id {
			return c.name
		}
	}
	return ""
}

// The buyers. Each is drawn from its index, so the pool costs no memory: the same index always gives the same
// person, whose openid differs per source as openids differ per app.

type buyerInfo struct {
	name, mobile, nick     string
	province, city, county string
	address                string // street, number, estate, building, room
}

// buyer draws buyer idx.
func (st *orderStore) buyer(idx uint32) buyerInfo {
	r := rand.New(rand.NewPCG(st.seed^0x6275796572, uint64(idx))) // "buyer"
	var b buyerInfo
	b.name = pick(r, surnames) + pick(r, givenNames)
	if r.IntN(3) == 0 {
		b.name = pick(r, surnames) + pick(r, givenNames) + pick(r, givenNames)
	}
	b.mobile = pick(r, mobilePrefixes) + digits(r, 8)
	if r.IntN(3) == 0 {
		b.nick = b.name
	} else {
		b.nick = pick(r, nicknames)
	}
	prov := regionList().pick(r)
	b.province = prov.name
	b.city = prov.cities[0] // the capital, listed first, is where most buyers live
	if r.IntN(5) < 2 {
		b.city = pick(r, prov.cities)
	}
	if ds, found := districts[b.city]; found {
		b.county = pick(r, ds)
	} else {
		b.county = pick(r, genericDistricts)
	}
	b.address = fmt.Sprintf("%s%d号%s%d栋%d单元%d%02d室", pick(r, streets), 1+r.IntN(400), pick(r, estates),
		1+r.IntN(24), 1+r.IntN(4), 1+r.IntN(28), 1+r.IntN(4))
	return b
}

// openIDPrefixes: an openid starts with the same 6 characters for every user of one app.
var openIDPrefixes = [numSources]string{"oDF3iY", "oDNt95", "o9Lh2c", "oUm4Ra"}

// openID is buyer idx's openid in the app of src: 28 characters.
func (st *orderStore) openID(idx uint32, src source) string {
	r := rand.New(rand.NewPCG(st.seed^0x6f70656e6964+uint64(src), uint64(idx))) // "openid"
	return openIDPrefixes[src] + randomText(r, 22)
}

// unionID is buyer idx's unionid, the same in every app.
func (st *orderStore) unionID(idx uint32) string {
	r := rand.New(rand.NewPCG(st.seed^0x756e696f6e, uint64(idx))) // "union"
	return "o6_bmj" + randomText(r, 22)
}

// buyerByOpenID finds the buyer with this openid in src; the map is built the first time it is needed.
func (st *orderStore) buyerByOpenID(src source, openID string) (uint32, bool) {
	if st.openIDs[src] == nil {
		m := make(map[string]uint32, st.buyers)
		for i := range st.buyers {
			m[st.openID(i, src)] = i
		}
		st.openIDs[src] = m
	}
	idx, found := st.openIDs[src][openID]
	return idx, found
}

// orderDetails is what an answer says about an order beyond what the store holds, drawn from its id.
type orderDetails struct {
	transactionID string // WeChat Pay's, 28 digits
	prepayID      string
	note          string // the buyer's
	aftersaleID   string
	couponID      string
	landline      string
}

func (st *orderStore) details(o *order) orderDetails {
	r := rand.New(rand.NewPCG(st.seed^o.id, o.id^0x64657461696c)) // "detail"
	var d orderDetails
	placed := time.Unix(o.created, 0).In(beijing)
	d.prepayID = "wx" + placed.Format("20060102150405") + randomHex(r, 20)
	if o.paid != 0 {
		d.transactionID = "42000" + digits(r, 5) + time.Unix(o.paid, 0).In(beijing).Format("20060102") + digits(r, 10)
	}
	if r.IntN(6) == 0 {
		d.note = pick(r, buyerNotes)
	}
	d.aftersaleID = strconv.FormatUint(1730000000000000000+r.Uint64N(1e16), 10)
	d.couponID = strconv.FormatUint(2000000000+r.Uint64N(1_000_000_000), 10)
	if r.IntN(8) == 0 {
		d.landline = "0" + strconv.Itoa(10+r.IntN(890)) + "-" + digits(r, 8)
	}
	return d
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func randomText(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = tokenAlphabet[r.IntN(len(tokenAlphabet))]
	}
	return string(b)
}

func randomHex(r *rand.Rand, n int) string {
	const hex = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hex[r.IntN(16)]
	}
	return string(b)
}

// regionProvince is a province of the region list with its cities, the capital first, and how many of the
// buyers live there (roughly its share of China's population).
type regionProvince struct {
	name   string
	cities []string
	weight int
}

type regionProvinces struct {
	list  []regionProvince
	total int
}

func (rp regionProvinces) pick(r *rand.Rand) regionProvince {
	n := r.IntN(rp.total)
	for _, p := range rp.list {
		if n < p.weight {
			return p
		}
		n -= p.weight
	}
	return rp.list[len(rp.list)-1]
}

// provinceWeights are millions of inhabitants, rounded.
var provinceWeights = map[string]int{
	"广东省": 126, "山东省": 101, "河南省": 99, "江苏省": 85, "四川省": 84, "河北省": 75, "湖南省": 66, "浙江省": 65,
	"安徽省": 61, "湖北省": 58, "广西壮族自治区": 50, "云南省": 47, "江西省": 45, "辽宁省": 43, "福建省": 41,
	"陕西省": 40, "贵州省": 39, "山西省": 35, "重庆市": 32, "黑龙江省": 31, "新疆维吾尔自治区": 26, "甘肃省": 25,
	"上海市": 25, "内蒙古自治区": 24, "吉林省": 24, "北京市": 22, "天津市": 14, "海南省": 10, "宁夏回族自治区": 7,
	"青海省": 6, "西藏自治区": 4,
}

// regionList is the embedded region list (regions.tsv) in its own order, which map iteration would lose.
var regionList = sync.OnceValue(func() regionProvinces {
	var rp regionProvinces
	lines := strings.Split(strings.TrimSpace(regionsTSV), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != 3 {
			panic(fmt.Sprintf("sandbox: regions.tsv: %q", line))
		}
		if n := len(rp.list); n == 0 || rp.list[n-1].name != f[1] {
			w, found := provinceWeights[f[1]]
			if !found {
				panic("sandbox: no buyer weight for province " + f[1])
			}
			rp.list = append(rp.list, regionProvince{name: f[1], weight: w})
			rp.total += w
		}
		p := &rp.list[len(rp.list)-1]
		p.cities = append(p.cities, f[2])
	}
	return rp
})

var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余",
	"于", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "沈", "欧阳", "上官",
}

var givenNames = []string{
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
	"婷", "雪", "浩", "宇", "欣", "怡", "晨", "琳", "颖", "鹏", "辉", "倩", "佳", "俊", "博", "文", "思", "雨", "子", "嘉",
	"梓", "萱", "诺", "睿", "泽", "瑶", "鑫", "凯", "晓", "春", "秀英", "桂英", "建华", "志强", "海燕", "丽娟",
}

var nicknames = []string{
	"小鱼儿", "阳光正好", "追风少年", "静待花开", "橙子", "木子李", "快乐每一天", "Amy", "Leo", "momo", "Sunny",
	"大白兔", "岁月静好", "一只猫", "清风徐来", "Lucky", "星星点灯", "吃货一枚", "海阔天空", "西瓜太郎", "Coco",
	"糖糖", "向日葵", "风轻云淡", "晴天", "Kevin", "小确幸", "慢慢来", "知足常乐", "Grace", "老张", "王老师",
}

var mobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
	"156", "157", "158", "159", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
}

// districts of the biggest cities; other cities get a generic one.
var districts = map[string][]string{
	"北京市": {"朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"},
	"上海市": {"浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区", "长宁区"},
	"天津市": {"和平区", "河西区", "南开区", "滨海新区"},
	"重庆市": {"渝中区", "江北区", "南岸区", "沙坪坝区", "渝北区"},
	"广州市": {"天河区", "海珠区", "越秀区", "白云区", "番禺区"},
	"深圳市": {"南山区", "福田区", "罗湖区", "宝安区", "龙岗区"},
	"杭州市": {"西湖区", "上城区", "拱墅区", "滨江区", "余杭区"},
	"成都市": {"武侯区", "锦江区", "青羊区", "金牛区", "成华区"},
	"武汉市": {"江汉区", "武昌区", "洪山区", "江岸区"},
	"南京市": {"鼓楼区", "玄武区", "秦淮区", "建邺区"},
	"西安市": {"雁塔区", "碑林区", "未央区", "新城区"},
}

var genericDistricts = []string{"高新区", "经济技术开发区", "新城区", "城区", "开发区"}

var streets = []string{
	"人民路", "解放路", "建设路", "中山路", "和平路", "新华路", "文化路", "胜利路", "朝阳路", "长江路", "黄河路", "青年路",
	"北京路", "南京路", "幸福路", "光明路", "学府路", "科技路", "滨江大道", "世纪大道", "花园路", "迎宾大道",
}

var estates = []string{
	"阳光花园", "锦绣家园", "翠湖小区", "金色港湾", "幸福里", "枫林苑", "碧桂园", "万科城", "御景湾", "书香苑",
	"绿地新都会", "保利花园", "恒大名都", "龙湖春江郦城", "中海国际社区", "桃源居",
}

var buyerNotes = []string{
	"请尽快发货，谢谢", "工作日白天不在家，请放快递柜", "送人的，不要放价格单", "发顺丰可以吗？可以补差价",
	"麻烦包装结实一点", "不要打电话，放门卫室就行", "生日礼物，请帮忙包装一下", "周末收货",
}
