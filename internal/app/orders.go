package app

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/money"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

const ordersPerPage = 50

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// orderFilter reads the order list's filters from the query string, so a view can be bookmarked.
func orderFilter(c *gin.Context) (db.OrderFilter, url.Values) {
	q := url.Values{}
	f := db.OrderFilter{Query: strings.TrimSpace(c.Query("q"))}
	if st := c.Query("status"); slices.Contains(db.OrderStatuses, st) {
		f.Status = st
		q.Set("status", st)
	}
	if src := c.Query("source"); slices.Contains(db.OrderSources, src) {
		f.Source = src
		q.Set("source", src)
	}
	if t, err := time.ParseInLocation("2006-01-02", c.Query("from"), shanghai); err == nil {
		f.From = t
		q.Set("from", c.Query("from"))
	}
	if t, err := time.ParseInLocation("2006-01-02", c.Query("to"), shanghai); err == nil {
		f.To = t.AddDate(0, 0, 1) // the whole last day
		q.Set("to", c.Query("to"))
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	return f, q
}

// parcelText says what is in a parcel as a person reads it: "纯棉T恤 ×2，帆布包 ×1".
func parcelText(o db.Order, pc db.Parcel) string {
	var parts []string
	for _, l := range shop.ParcelLines(o, pc) {
		parts = append(parts, l.Title+" ×"+strconv.FormatInt(l.Count, 10))
	}
	return strings.Join(parts, "，")
}

func (a *App) orderRow(o db.Order) templates.OrderRow {
	var products []string
	for _, l := range o.Lines {
		products = append(products, l.Title+" ×"+strconv.FormatInt(l.Quantity, 10))
	}
	return templates.OrderRow{
		ID: o.ID, OrderID: o.OrderID, Source: o.Source, Status: o.Status, Created: templates.FormatTime(o.CreatedAt),
		Receiver: o.ReceiverName, Phone: o.ReceiverPhone, Products: strings.Join(products, "，"), Total: money.Yuan(o.TotalFen),
		CanShip: shop.CanShip(o), Note: o.Note, MerchantNote: o.MerchantNote,
	}
}

func (a *App) showOrders(c *gin.Context) {
	ctx := c.Request.Context()
	f, q := orderFilter(c)
	page := pageNumber(c)
	f.Limit, f.Offset = ordersPerPage, (page-1)*ordersPerPage
	f.Brief = true // a row shows no more (orderRow)
	counts, err := a.store.OrderCounts(ctx, f)
	if err != nil {
		a.serverError(c, err)
		return
	}
	f.Counts = counts // the tabs' counts give the total too
	orders, total, err := a.store.Orders(ctx, f)
	if err == nil && len(orders) == 0 && total > 0 {
		page = (total + ordersPerPage - 1) / ordersPerPage
		f.Offset = (page - 1) * ordersPerPage
		orders, total, err = a.store.Orders(ctx, f)
	}
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.OrdersView{Status: f.Status, Source: f.Source, Sources: db.OrderSources, From: q.Get("from"), To: q.Get("to"),
		Query: f.Query, CanWrite: canWrite(Role(currentUser(c).Role)),
		Pager:  templates.Pager{Page: page, PerPage: ordersPerPage, Total: total, Base: url.URL{Path: "/orders", RawQuery: q.Encode()}},
		CSVURL: "/orders.csv?" + q.Encode()}
	all := 0
	for _, n := range counts {
		all += n
	}
	for _, st := range append([]string{""}, db.OrderStatuses...) {
		tq := url.Values{}
		for k, vs := range q {
			tq[k] = vs
		}
		tq.Del("status")
		n := all
		if st != "" {
			tq.Set("status", st)
			n = counts[st]
		}
		v.Tabs = append(v.Tabs, templates.StatusTab{Status: st, Count: n, URL: "/orders?" + tq.Encode(), Active: st == f.Status})
	}
	for _, o := range orders {
		v.Rows = append(v.Rows, a.orderRow(o))
	}
	a.render(c, http.StatusOK, templates.OrdersPage(a.page(c, "title.orders", "orders"), v))
}

// exportOrders writes the same view as /orders as CSV, every page of it, with a BOM so Excel reads the Chinese.
func (a *App) exportOrders(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	f, _ := orderFilter(c)
	w := startCSV(c, "orders")
	w.Write([]string{p.T("orders.id"), p.T("orders.source"), p.T("products.status"), p.T("orders.created"), p.T("orders.paid"),
		p.T("orders.receiver"), p.T("orders.phone"), p.T("orders.address"), p.T("orders.products"), p.T("orders.total"),
		p.T("orders.company"), p.T("orders.trackno")})
	for offset := 0; ; offset += 500 {
		f.Limit, f.Offset = 500, offset
		orders, _, err := a.store.Orders(ctx, f)
		if err != nil {
			a.log.Error("order export stopped", "err", err)
			return
		}
		for _, o := range orders {
			row := a.orderRow(o)
			var companies, tracking []string
			for _, pc := range o.Parcels {
				companies, tracking = append(companies, pc.CompanyName), append(tracking, pc.TrackingNo)
			}
			w.Write(spreadsheetCells([]string{o.OrderID, p.T("source." + o.Source), p.T("status." + o.Status), templates.FormatTime(o.CreatedAt),
				templates.FormatTime(o.PaidAt), o.ReceiverName, o.ReceiverPhone,
				strings.Join([]string{o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address}, " "),
				row.Products, money.Plain(o.TotalFen, false), strings.Join(companies, "/"), strings.Join(tracking, "/")}))
		}
		w.Flush()
		if len(orders) < 500 {
			return
		}
	}
}

func (a *App) loadOrder(c *gin.Context) (db.Order, bool) {
	return loadByID(a, c, a.store.Order)
}

func (a *App) showOrder(c *gin.Context) {
	o, ok := a.loadOrder(c)
	if !ok {
		return
	}
	a.renderOrder(c, http.StatusOK, o, templates.ShipForm{})
}

func (a *App) renderOrder(c *gin.Context, status int, o db.Order, ship templates.ShipForm) {
	ctx := c.Request.Context()
	p := a.printer(c)
	writer := canWrite(Role(currentUser(c).Role))
	v := templates.OrderView{
		ID: o.ID, OrderID: o.OrderID, Source: o.Source, Status: o.Status, SourceStatus: o.SourceStatus,
		Created: templates.FormatTime(o.CreatedAt), Paid: templates.FormatTime(o.PaidAt), Shipped: templates.FormatTime(o.ShippedAt),
		Updated: templates.FormatTime(o.UpdatedAt), Buyer: cmp.Or(o.BuyerNick, o.BuyerOpenID),
		Receiver: o.ReceiverName, Phone: o.ReceiverPhone,
		Address:      strings.TrimSpace(strings.Join([]string{o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address}, " ")),
		ProductTotal: money.Yuan(o.ProductFen), Freight: money.Yuan(o.FreightFen), Total: money.Yuan(o.TotalFen), Note: o.Note,
		MerchantNote: o.MerchantNote,
		CanShip:      writer && shop.CanShip(o), CanClose: writer && shop.CanClose(o),
		MultiParcel: o.Source == db.SourceChannels, Ship: ship, CanOpenForBuyer: writer && shop.CanOpenForBuyer(o),
	}
	if o.DiscountFen > 0 {
		v.Discount = money.Yuan(o.DiscountFen)
	}
	left := shop.Remaining(o)
	for i, l := range o.Lines {
		v.Lines = append(v.Lines, templates.OrderLineView{Index: i, Title: l.Title, Attrs: l.SKUAttrs, Img: l.Img, ProductID: l.ProductID,
			SKUID: l.SKUID, Quantity: l.Quantity, Left: left[i], Unit: money.Yuan(l.UnitFen), Total: money.Yuan(l.TotalFen)})
	}
	for _, pc := range o.Parcels {
		v.Parcels = append(v.Parcels, templates.ParcelView{Company: pc.CompanyName, TrackingNo: pc.TrackingNo,
			ShippedAt: templates.FormatTime(pc.ShippedAt), Products: parcelText(o, pc)})
	}
	couriers, fetched := a.shop.CourierList(o.Source)
	for _, co := range couriers {
		v.Couriers = append(v.Couriers, templates.Option{Value: co.ID, Label: co.Name})
	}
	if o.Source == db.SourceChannels {
		v.CourierListFrom = "builtin"
		if !fetched.IsZero() {
			v.CourierListFrom = templates.FormatTime(fetched)
		}
	}
	if v.Ship.Token == "" {
		v.Ship.Token = formToken(c)
	}
	if v.CanShip && v.Ship.Company == "" && v.Ship.Errors == nil {
		// Most parcels leave with the same courier: the one this operator chose last is chosen already.
		last, err := a.store.LastCourier(ctx, currentUser(c).Username, o.Source)
		if err != nil {
			a.serverError(c, err)
			return
		}
		if slices.ContainsFunc(v.Couriers, func(co templates.Option) bool { return co.Value == last }) {
			v.Ship.Company = last
		}
	}
	if v.Ship.Errors == nil {
		v.Ship.Errors = templates.FieldErrors{}
	}
	addOrderTerms(p, o, &v)
	v.Timeline = a.orderTimeline(ctx, p, o)
	if err := a.orderAftersales(c, o, &v); err != nil {
		a.serverError(c, err)
		return
	}
	if writer && !shop.CanShip(o) {
		next, err := a.nextToShip(ctx, o.ID)
		if err != nil {
			a.serverError(c, err)
			return
		}
		v.Next = next
	}
	a.render(c, status, templates.OrderPage(a.page(c, "title.order", "orders"), v))
}

// nextToShip finds the oldest order waiting to ship that the app can ship, other than the one with id except,
// and counts those waiting. Only the sources the app ships are read, each from the start of its own index
// (orders_status_source_created_idx), so the cost does not grow with the orders of the other sources waiting
// before it.
func (a *App) nextToShip(ctx context.Context, except int64) (templates.NextToShip, error) {
	counts, err := a.store.OrderCounts(ctx, db.OrderFilter{})
	if err != nil {
		return templates.NextToShip{}, err
	}
	var next db.Order
	for _, source := range db.OrderSources {
		if !shop.CanShip(db.Order{Source: source, Status: db.OrderToShip}) {
			continue
		}
		waiting, _, err := a.store.Orders(ctx, db.OrderFilter{Status: db.OrderToShip, Source: source, Oldest: true, Limit: 2, Brief: true})
		if err != nil {
			return templates.NextToShip{}, err
		}
		for _, w := range waiting {
			if w.ID == except || !shop.CanShip(w) {
				continue
			}
			if next.ID == 0 || w.CreatedAt.Before(next.CreatedAt) || (w.CreatedAt.Equal(next.CreatedAt) && w.ID < next.ID) {
				next = w
			}
			break
		}
	}
	if next.ID == 0 {
		return templates.NextToShip{}, nil
	}
	return templates.NextToShip{ID: next.ID, OrderID: next.OrderID, Waiting: counts[db.OrderToShip]}, nil
}

// orderTimeline is what happened to the order: WeChat's times and every operator action in the audit log.
func (a *App) orderTimeline(ctx context.Context, p i18n.Printer, o db.Order) []templates.TimelineEntry {
	type entry struct {
		at   time.Time
		text string
	}
	var entries []entry
	add := func(at time.Time, text string) {
		if !at.IsZero() {
			entries = append(entries, entry{at, text})
		}
	}
	add(o.CreatedAt, p.T("timeline.created"))
	if o.PaidAt != o.CreatedAt || o.Source != db.SourceMerchant {
		add(o.PaidAt, p.T("timeline.paid"))
	}
	for _, pc := range o.Parcels {
		add(pc.ShippedAt, p.T("timeline.shipped", pc.CompanyName, pc.TrackingNo))
	}
	audit, err := a.store.AuditForObject(ctx, "order", o.Source+":"+o.OrderID)
	if err == nil {
		for _, e := range audit {
			text := e.Action
			if key := "action." + e.Action; i18n.Has(key) {
				text = p.T(key)
			}
			text = e.Username + " · " + text
			if e.Detail != "" {
				text += "（" + e.Detail + "）"
			}
			if e.Outcome != "ok" {
				text += " — " + e.Outcome
			}
			add(e.At, text)
		}
	}
	slices.SortStableFunc(entries, func(x, y entry) int { return x.at.Compare(y.at) })
	out := make([]templates.TimelineEntry, len(entries))
	for i, e := range entries {
		out[i] = templates.TimelineEntry{At: templates.FormatTime(e.at), Text: e.text}
	}
	return out
}

// startCSV begins a CSV download named after what it holds and the time (Beijing): UTF-8 with a BOM, which
// Excel needs to read the Chinese.
func startCSV(c *gin.Context, name string) *csv.Writer {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, name, time.Now().In(shanghai).Format("20060102-150405")))
	c.Status(http.StatusOK)
	c.Writer.WriteString("\ufeff")
	return csv.NewWriter(c.Writer)
}

// spreadsheetCells makes a CSV line safe and faithful in a spreadsheet. A cell a buyer typed (a name, an
// address) that starts with = + - @ gets a leading apostrophe, so it is never read as a formula; so does one
// where spaces (a no-break space, the ideographic U+3000) come before them, or that starts with their
// full-width forms ＝＋－＠, which spreadsheets with East Asian input read as the same. A long run of
// digits (an order id, a phone or tracking number) gets a leading tab, so Excel keeps it as text: read as a
// number, an order id of 16 to 19 digits would lose its last ones (Excel keeps 15) and show as 3.7058E+15. The
// upload trims the tab again.
func spreadsheetCells(cells []string) []string {
	for i, c := range cells {
		switch {
		case formulaLike(c):
			cells[i] = "'" + c
		case len(c) >= 11 && strings.Trim(c, "0123456789") == "":
			cells[i] = "\t" + c
		}
	}
	return cells
}

// formulaLike reports whether a spreadsheet could read c as a formula.
func formulaLike(c string) bool {
	if c == "" {
		return false
	}
	if c[0] == '\t' || c[0] == '\r' {
		return true
	}
	t := strings.TrimLeftFunc(c, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' })
	r, _ := utf8.DecodeRuneInString(t)
	return t != "" && strings.ContainsRune("=+-@＝＋－＠", r)
}
