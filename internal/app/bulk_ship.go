package app

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/encoding/simplifiedchinese"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/web/templates"
)

// Bulk shipping: a CSV of order_id,delivery_company,delivery_track_no is checked row by row into a preview; on
// confirmation the valid rows are shipped in the background, a few at a time, while the page shows progress. A
// row that fails does not stop the others, and the same file sent twice ships nothing twice: an order already
// shipped is no longer valid. The shipping sheet (shippingSheet) is such a file with the orders waiting to ship
// and the courier and tracking columns left for the operator to fill in; lines still blank are left out.

const maxBulkRows = 2000

// maxPrintOrders is the most orders one packing list prints: four pages of the order list.
const maxPrintOrders = 4 * ordersPerPage

// parseShipCSV reads the file: UTF-8 (with or without BOM) or GBK, as Excel in China saves it; an optional
// header row; three columns.
func parseShipCSV(data []byte) ([]shop.ShipLine, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("not UTF-8 nor GBK text")
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var rows []shop.ShipLine
	for line := 0; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if line == 0 && len(rec) > 0 && (strings.Contains(strings.ToLower(rec[0]), "order") || strings.Contains(rec[0], "订单")) {
			continue // the header
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		var row shop.ShipLine
		for i := 0; i < 3 && i < len(rec); i++ {
			row[i] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, row)
		if len(rows) > maxBulkRows {
			return nil, fmt.Errorf("more than %d rows", maxBulkRows)
		}
	}
	return rows, nil
}

func (a *App) showBulkShip(c *gin.Context) {
	a.renderBulkUpload(c, http.StatusOK, "")
}

// recentBatches is how many earlier files the upload page lists.
const recentBatches = 10

// renderBulkUpload shows the upload page, with why the last upload was refused if it was, and the latest files.
func (a *App) renderBulkUpload(c *gin.Context, status int, problem string) {
	recent, err := a.store.RecentShipBatches(c.Request.Context(), recentBatches)
	if err != nil {
		a.serverError(c, err)
		return
	}
	v := templates.BulkView{CanWrite: true, Error: problem}
	for _, b := range recent {
		v.Recent = append(v.Recent, templates.BulkFile{URL: "/orders/bulk-ship/" + strconv.FormatInt(b.ID, 10),
			Filename: b.Filename, CreatedBy: b.CreatedBy, CreatedAt: templates.FormatTime(b.CreatedAt), State: string(b.State),
			Valid: b.Rows[db.ShipRowValid], Shipped: b.Rows[db.ShipRowShipped], Failed: b.Rows[db.ShipRowFailed] + b.Rows[db.ShipRowSkipped],
			Invalid: b.Rows[db.ShipRowInvalid]})
	}
	a.render(c, status, templates.BulkShipPage(a.page(c, "orders.bulk", "orders"), v))
}

func (a *App) uploadBulkShip(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	fail := func(msg string) { a.renderBulkUpload(c, http.StatusUnprocessableEntity, msg) }
	fh, err := c.FormFile("file")
	if err != nil {
		fail(p.T("bulk.err.nofile"))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(p.T("bulk.err.nofile"))
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, 2<<20))
	f.Close()
	if err != nil {
		fail(p.T("bulk.err.nofile"))
		return
	}
	lines, err := parseShipCSV(data)
	if err != nil || len(lines) == 0 {
		fail(p.T("bulk.err.csv"))
		return
	}
	id, err := a.shop.PrepareShipFile(ctx, p, cleanFilename(fh.Filename), currentUser(c).Username, lines)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if id == 0 {
		fail(p.T("bulk.err.allblank")) // every order of the shipping sheet left unfilled
		return
	}
	a.redirect(c, "/orders/bulk-ship/"+strconv.FormatInt(id, 10))
}

// shippingSheet downloads the orders waiting to ship, oldest first, as a file for bulk shipping: the order id,
// then the courier and tracking number left empty for the operator, then the receiver, phone, address, products,
// time and source to pack by. It opens in Excel (UTF-8 with a BOM; long numbers kept as text) and goes back
// through the upload as it is: the extra columns are not read, and orders left without a courier and a tracking
// number are left out. It lists at most maxBulkRows orders, as many as one file may hold.
func (a *App) shippingSheet(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	w := startCSV(c, "to-ship")
	w.Write([]string{p.T("orders.id"), p.T("orders.company"), p.T("orders.trackno"), p.T("orders.receiver"), p.T("orders.phone"),
		p.T("orders.address"), p.T("orders.products"), p.T("orders.created"), p.T("orders.source")})
	listed := 0
	for offset := 0; listed < maxBulkRows; offset += 500 {
		orders, _, err := a.store.Orders(ctx, db.OrderFilter{Status: db.OrderToShip, Oldest: true, Limit: 500, Offset: offset})
		if err != nil {
			a.log.Error("shipping sheet stopped", "err", err)
			return
		}
		for _, o := range orders {
			if !shop.CanShip(o) || listed == maxBulkRows {
				continue
			}
			listed++
			w.Write(spreadsheetCells([]string{o.OrderID, "", "", o.ReceiverName, o.ReceiverPhone,
				strings.Join([]string{o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address}, " "),
				a.orderRow(o).Products, templates.FormatTime(o.CreatedAt), p.T("source." + o.Source)}))
		}
		w.Flush()
		if len(orders) < 500 {
			return
		}
	}
}

func (a *App) loadBatch(c *gin.Context) (db.ShipBatch, bool) {
	return loadByID(a, c, a.store.ShipBatch)
}

func (a *App) showBatch(c *gin.Context) {
	b, ok := a.loadBatch(c)
	if !ok {
		return
	}
	v := templates.BulkView{ID: b.ID, Filename: b.Filename, State: string(b.State), BlankRows: b.BlankRows, CanWrite: canWrite(Role(currentUser(c).Role))}
	for _, r := range b.Rows {
		row := templates.BulkRow{RowNo: r.RowNo, OrderID: r.OrderID, Company: r.Company, TrackingNo: r.TrackingNo, State: string(r.State), Message: r.Message}
		if r.OrderPK != 0 {
			row.OrderURL = "/orders/" + strconv.FormatInt(r.OrderPK, 10)
		}
		switch r.State {
		case db.ShipRowValid:
			v.Valid++
		case db.ShipRowShipped:
			v.Valid++
			v.Done++
		case db.ShipRowFailed, db.ShipRowSkipped:
			v.Valid++
			v.Failed++
			if r.State == db.ShipRowFailed {
				v.Retryable++
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if c.GetHeader("HX-Request") == "true" {
		a.render(c, http.StatusOK, templates.BulkResults(v))
		return
	}
	a.render(c, http.StatusOK, templates.BulkShipPage(a.page(c, "orders.bulk", "orders"), v))
}

// runBatch starts shipping a previewed file. A second confirmation of the same file does nothing.
func (a *App) runBatch(c *gin.Context) {
	b, ok := a.loadBatch(c)
	if !ok {
		return
	}
	if _, err := a.shop.StartShipFile(c.Request.Context(), b, currentUser(c), a.printer(c)); err != nil {
		a.serverError(c, err)
		return
	}
	a.redirect(c, "/orders/bulk-ship/"+strconv.FormatInt(b.ID, 10))
}

// retryBatch makes a new file of a finished file's failed rows, each checked again (an order shipped since
// is no longer valid), with their row numbers in the first file, and shows its preview.
func (a *App) retryBatch(c *gin.Context) {
	ctx := c.Request.Context()
	p := a.printer(c)
	b, ok := a.loadBatch(c)
	if !ok {
		return
	}
	id, err := a.shop.RetryShipFile(ctx, p, b, currentUser(c).Username)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if id == 0 {
		a.flash(c, "error", p.T("bulk.retry.none"))
		a.redirect(c, "/orders/bulk-ship/"+strconv.FormatInt(b.ID, 10))
		return
	}
	a.redirect(c, "/orders/bulk-ship/"+strconv.FormatInt(id, 10))
}

// printOrders is the packing list of the orders ticked in the list.
func (a *App) printOrders(c *gin.Context) {
	var ids []int64
	seen := map[int64]bool{}
	for _, s := range c.QueryArray("id") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	// The list's checkboxes name one page of orders; a request naming thousands is no print-out anyone asked for.
	if len(ids) > maxPrintOrders {
		a.renderError(c, http.StatusBadRequest)
		return
	}
	orders, err := a.store.OrdersByIDs(c.Request.Context(), ids)
	if err != nil {
		a.serverError(c, err)
		return
	}
	var views []templates.OrderView
	for _, o := range orders {
		v := templates.OrderView{OrderID: o.OrderID, Created: templates.FormatTime(o.CreatedAt), Receiver: o.ReceiverName,
			Phone: o.ReceiverPhone, Note: o.Note, MerchantNote: o.MerchantNote,
			Address: strings.TrimSpace(strings.Join([]string{o.ReceiverProvince, o.ReceiverCity, o.ReceiverDistrict, o.Address}, " "))}
		for _, l := range o.Lines {
			v.Lines = append(v.Lines, templates.OrderLineView{Title: l.Title, Attrs: l.SKUAttrs, Quantity: l.Quantity})
		}
		views = append(views, v)
	}
	a.render(c, http.StatusOK, templates.PackingList(a.page(c, "print.page", "orders"), views))
}
