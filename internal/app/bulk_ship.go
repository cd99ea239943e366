package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/encoding/simplifiedchinese"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
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
func parseShipCSV(data []byte) ([][3]string, error) {
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
	var rows [][3]string
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
		var row [3]string
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

// checkShipRow turns one line into a batch row, valid or with the reason it is not.
func (a *App) checkShipRow(ctx context.Context, p i18n.Printer, no int, row [3]string, seen map[int64]int) (db.ShipBatchRow, error) {
	r := db.ShipBatchRow{RowNo: no, OrderID: row[0], Company: row[1], TrackingNo: strings.ToUpper(row[2]), State: "invalid"}
	if r.OrderID == "" || r.Company == "" || r.TrackingNo == "" {
		r.Message = p.T("bulk.err.columns")
		return r, nil
	}
	orders, err := a.store.OrdersBySourceID(ctx, r.OrderID)
	if err != nil {
		return r, err
	}
	switch len(orders) {
	case 0:
		r.Message = p.T("bulk.err.unknown")
		return r, nil
	case 1:
	default:
		r.Message = p.T("bulk.err.ambiguous")
		return r, nil
	}
	o := orders[0]
	r.OrderPK = o.ID
	if prev, dup := seen[o.ID]; dup {
		r.Message = p.T("bulk.err.duplicate", prev)
		return r, nil
	}
	seen[o.ID] = no
	courier, ok := courierByIDOrName(o.Source, r.Company)
	if !ok {
		r.Message = p.T("bulk.err.company", r.Company)
		return r, nil
	}
	r.CompanyID = courier.ID
	if errs := checkShipment(p, o, shipment{company: courier.ID, trackNo: r.TrackingNo}); len(errs) > 0 {
		for _, k := range []string{"order", "delivery_company", "delivery_track_no"} {
			if msg, ok := errs[k]; ok {
				r.Message = msg
				return r, nil
			}
		}
	}
	r.State, r.Message = "valid", courier.Name
	return r, nil
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
			Filename: b.Filename, CreatedBy: b.CreatedBy, CreatedAt: templates.FormatTime(b.CreatedAt), State: b.State,
			Valid: b.Rows["valid"], Shipped: b.Rows["shipped"], Failed: b.Rows["failed"] + b.Rows["skipped"], Invalid: b.Rows["invalid"]})
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
	batch := db.ShipBatch{Filename: cleanFilename(fh.Filename), CreatedBy: currentUser(c).Username}
	seen := map[int64]int{}
	for i, line := range lines {
		if line[0] != "" && line[1] == "" && line[2] == "" {
			batch.BlankRows++ // an order of the shipping sheet not filled in: not shipped this time
			continue
		}
		row, err := a.checkShipRow(ctx, p, i+1, line, seen)
		if err != nil {
			a.serverError(c, err)
			return
		}
		batch.Rows = append(batch.Rows, row)
	}
	if len(batch.Rows) == 0 {
		fail(p.T("bulk.err.allblank"))
		return
	}
	id, err := a.store.CreateShipBatch(ctx, batch)
	if err != nil {
		a.serverError(c, err)
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
			if !canShip(o) || listed == maxBulkRows {
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
	v := templates.BulkView{ID: b.ID, Filename: b.Filename, State: b.State, BlankRows: b.BlankRows, CanWrite: canWrite(Role(currentUser(c).Role))}
	for _, r := range b.Rows {
		row := templates.BulkRow{RowNo: r.RowNo, OrderID: r.OrderID, Company: r.Company, TrackingNo: r.TrackingNo, State: r.State, Message: r.Message}
		if r.OrderPK != 0 {
			row.OrderURL = "/orders/" + strconv.FormatInt(r.OrderPK, 10)
		}
		switch r.State {
		case "valid":
			v.Valid++
		case "shipped":
			v.Valid++
			v.Done++
		case "failed", "skipped":
			v.Valid++
			v.Failed++
			if r.State == "failed" {
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
	started, err := a.store.StartShipBatch(c.Request.Context(), b.ID)
	if err != nil {
		a.serverError(c, err)
		return
	}
	if started {
		user, p := currentUser(c), a.printer(c)
		go a.shipBatch(b, user, p)
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
	back := "/orders/bulk-ship/" + strconv.FormatInt(b.ID, 10)
	retry := db.ShipBatch{Filename: p.T("bulk.retry.name", b.Filename), CreatedBy: currentUser(c).Username}
	seen := map[int64]int{}
	for _, r := range b.Rows {
		if r.State != "failed" || b.State != "done" {
			continue
		}
		row, err := a.checkShipRow(ctx, p, r.RowNo, [3]string{r.OrderID, r.Company, r.TrackingNo}, seen)
		if err != nil {
			a.serverError(c, err)
			return
		}
		retry.Rows = append(retry.Rows, row)
	}
	if len(retry.Rows) == 0 {
		a.flash(c, "error", p.T("bulk.retry.none"))
		a.redirect(c, back)
		return
	}
	id, err := a.store.CreateShipBatch(ctx, retry)
	if err != nil {
		a.serverError(c, err)
		return
	}
	a.redirect(c, "/orders/bulk-ship/"+strconv.FormatInt(id, 10))
}

// resumeShipBatches goes on with the files whose shipping a stopped process left unfinished: their rows
// not yet done are checked and sent as before. A row that was on its way when the process stopped is
// read back from WeChat if WeChat refuses it as shipped, so it is not shipped twice.
func (a *App) resumeShipBatches(ctx context.Context) {
	ids, err := a.store.RunningShipBatches(ctx)
	if err != nil {
		a.log.Error("bulk shipping: could not look for unfinished files", "err", err)
		return
	}
	for _, id := range ids {
		b, err := a.store.ShipBatch(ctx, id)
		if err != nil {
			a.log.Error("bulk shipping: could not load an unfinished file", "batch", id, "err", err)
			continue
		}
		user, err := a.store.UserByUsername(ctx, b.CreatedBy)
		if err != nil {
			user = db.User{Username: b.CreatedBy}
		}
		a.log.Info("bulk shipping: resuming a file the last run left unfinished", "batch", id, "file", b.Filename)
		go a.shipBatch(b, user, i18n.Printer{Lang: i18n.Parse("zh")})
	}
}

// shipWorkers is how many rows of a file are sent at once: a thousand-row file at a few hundred milliseconds
// a call (the shipment and its read-back) would otherwise take most of an hour. Each row is its own order (a
// file names an order once), so the rows do not depend on each other.
const shipWorkers = 4

// shipRowTimeout bounds one row: its checks, the shipping call and the read-back, with their retries.
const shipRowTimeout = 2 * time.Minute

// shipBatch ships the valid rows of a file, shipWorkers at a time, each checked again just before it goes.
func (a *App) shipBatch(b db.ShipBatch, user db.User, p i18n.Printer) {
	rows := make(chan db.ShipBatchRow)
	var wg sync.WaitGroup
	for range shipWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rows {
				a.shipBatchRow(b, r, user, p)
			}
		}()
	}
	for _, r := range b.Rows {
		if r.State == "valid" {
			rows <- r
		}
	}
	close(rows)
	wg.Wait()
	if err := a.store.FinishShipBatch(context.Background(), b.ID); err != nil {
		a.log.Error("bulk shipping: could not finish", "batch", b.ID, "err", err)
	}
}

// shipBatchRow ships one row of a file and records its fate.
func (a *App) shipBatchRow(b db.ShipBatch, r db.ShipBatchRow, user db.User, p i18n.Printer) {
	ctx, cancel := context.WithTimeout(context.Background(), shipRowTimeout)
	defer cancel()
	state, msg := "shipped", ""
	o, err := a.store.Order(ctx, r.OrderPK)
	switch {
	case err != nil:
		state, msg = "failed", p.T("bulk.err.unknown")
	case !canShip(o):
		state, msg = "skipped", p.T("ship.err.status", p.T("status."+o.Status))
	default:
		// The entry is written before the call, so a process that dies meanwhile leaves it pending.
		entry := db.AuditEntry{UserID: user.ID, Username: user.Username, Action: "order.ship",
			ObjectType: "order", ObjectID: orderObject(o), Detail: fmt.Sprintf("%s %s (%s #%d)", r.CompanyID, r.TrackingNo, b.Filename, r.RowNo)}
		auditID, aerr := a.store.BeginAudit(ctx, entry)
		if aerr != nil {
			state, msg = "failed", p.T("bulk.err.unknown")
			a.log.Error("bulk shipping: could not write the audit entry; row not shipped", "err", aerr, "order", o.OrderID)
			break
		}
		err = a.sendShipment(ctx, o, shipment{company: r.CompanyID, trackNo: r.TrackingNo})
		entry.Outcome = wxOutcome(err)
		if aerr := a.store.FinishAudit(context.WithoutCancel(ctx), auditID, entry); aerr != nil {
			a.log.Error("AUDIT ENTRY LOST", "err", aerr, "order", o.OrderID)
		}
		if err != nil {
			state, msg = "failed", wxMessage(p, err)
		}
	}
	if err := a.store.FinishShipBatchRow(context.WithoutCancel(ctx), b.ID, r.RowNo, state, msg); err != nil {
		a.log.Error("bulk shipping: could not record a row", "batch", b.ID, "row", r.RowNo, "err", err)
	}
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
