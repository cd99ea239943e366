package shop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
)

// Bulk shipping: a file of order_id,delivery_company,delivery_track_no lines is checked row by row into a
// preview; on confirmation the valid rows are shipped in the background, a few at a time. A row that fails does
// not stop the others, and the same file sent twice ships nothing twice: an order already shipped is no longer
// valid. The files being shipped belong to the shop: Close ends them and waits, and a process that stopped
// part way resumes them at start, in the language of the operator who started them.

// ShipLine is one line of a file as read: the order id, the courier (id or name) and the tracking number. An
// order that needs no courier (virtual goods) says so in the courier column (NoLogisticsWords), with no
// tracking number.
type ShipLine [3]string

// NoLogisticsID is the courier of a file's row shipped with no logistics (ShipBatchRow.CompanyID).
const NoLogisticsID = "NONE"

// NoLogisticsWords are what the courier column may say for an order shipped with no logistics.
var NoLogisticsWords = []string{"无需物流", "虚拟发货", "none"}

func noLogistics(company string) bool {
	for _, w := range NoLogisticsWords {
		if strings.EqualFold(company, w) {
			return true
		}
	}
	return false
}

// shipment is what the row asks to send.
func rowShipment(r db.ShipBatchRow) Shipment {
	if r.CompanyID == NoLogisticsID {
		return Shipment{NoLogistics: true}
	}
	return Shipment{Company: r.CompanyID, TrackNo: r.TrackingNo}
}

// Blank reports whether the line names an order and nothing else: one of the shipping sheet's orders left
// unfilled, not to be shipped this time.
func (l ShipLine) Blank() bool { return l[0] != "" && l[1] == "" && l[2] == "" }

// CheckShipLine turns one line into a file's row, valid or with the reason it is not. seen holds the orders
// named by the lines before, by their row numbers.
func (s *Shop) CheckShipLine(ctx context.Context, p i18n.Printer, no int, line ShipLine, seen map[int64]int) (db.ShipBatchRow, error) {
	r := db.ShipBatchRow{RowNo: no, OrderID: line[0], Company: line[1], TrackingNo: strings.ToUpper(line[2]), State: db.ShipRowInvalid}
	none := noLogistics(r.Company)
	if r.OrderID == "" || r.Company == "" || (r.TrackingNo == "" && !none) {
		r.Message = p.T("bulk.err.columns")
		return r, nil
	}
	orders, err := s.store.OrdersBySourceID(ctx, r.OrderID)
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
	courier, ok := s.CourierByIDOrName(o.Source, r.Company)
	switch {
	case none:
		courier, r.TrackingNo = wx.Courier{ID: NoLogisticsID, Name: p.T("parcel.no_logistics")}, ""
	case !ok:
		r.Message = p.T("bulk.err.company", r.Company)
		return r, nil
	}
	r.CompanyID = courier.ID
	if errs := s.CheckShipment(p, o, rowShipment(r)); len(errs) > 0 {
		for _, k := range []string{"order", "ship_method", "delivery_company", "delivery_track_no"} {
			if msg, ok := errs[k]; ok {
				r.Message = msg
				return r, nil
			}
		}
	}
	r.State, r.Message = db.ShipRowValid, courier.Name
	return r, nil
}

// PrepareShipFile checks the lines of an uploaded file and stores it as a preview; it answers the file's id,
// or 0 when every line was left blank. Blank lines are counted, not kept.
func (s *Shop) PrepareShipFile(ctx context.Context, p i18n.Printer, filename, createdBy string, lines []ShipLine) (int64, error) {
	b := db.ShipBatch{Filename: filename, CreatedBy: createdBy}
	seen := map[int64]int{}
	for i, line := range lines {
		if line.Blank() {
			b.BlankRows++
			continue
		}
		row, err := s.CheckShipLine(ctx, p, i+1, line, seen)
		if err != nil {
			return 0, err
		}
		b.Rows = append(b.Rows, row)
	}
	if len(b.Rows) == 0 {
		return 0, nil
	}
	return s.store.CreateShipBatch(ctx, b)
}

// RetryShipFile makes a new file of a finished file's failed rows, each checked again (an order shipped since
// is no longer valid), with their row numbers in the first file; 0 when there is nothing to retry.
func (s *Shop) RetryShipFile(ctx context.Context, p i18n.Printer, b db.ShipBatch, createdBy string) (int64, error) {
	retry := db.ShipBatch{Filename: p.T("bulk.retry.name", b.Filename), CreatedBy: createdBy}
	if b.State != db.ShipFileDone {
		return 0, nil
	}
	seen := map[int64]int{}
	for _, r := range b.Rows {
		if r.State != db.ShipRowFailed {
			continue
		}
		row, err := s.CheckShipLine(ctx, p, r.RowNo, ShipLine{r.OrderID, r.Company, r.TrackingNo}, seen)
		if err != nil {
			return 0, err
		}
		retry.Rows = append(retry.Rows, row)
	}
	if len(retry.Rows) == 0 {
		return 0, nil
	}
	return s.store.CreateShipBatch(ctx, retry)
}

// StartShipFile starts shipping a previewed file in the background, in p's language, as user. It reports
// false when the file was not in preview: a second confirmation of the same file does nothing.
func (s *Shop) StartShipFile(ctx context.Context, b db.ShipBatch, user db.User, p i18n.Printer) (bool, error) {
	started, err := s.store.StartShipBatch(ctx, b.ID, string(p.Lang))
	if err != nil || !started {
		return false, err
	}
	return true, s.ships.run(b, user, p)
}

// ResumeShipFiles goes on with the files a stopped process left running: their rows not yet done are checked
// and sent as before, in the language each file was started in. A row that was on its way when the process
// stopped is read back from WeChat if WeChat refuses it as shipped, so it is not shipped twice.
func (s *Shop) ResumeShipFiles(ctx context.Context) {
	ids, err := s.store.RunningShipBatches(ctx)
	if err != nil {
		s.log.Error("bulk shipping: could not look for unfinished files", "err", err)
		return
	}
	for _, id := range ids {
		b, err := s.store.ShipBatch(ctx, id)
		if err != nil {
			s.log.Error("bulk shipping: could not load an unfinished file", "batch", id, "err", err)
			continue
		}
		user, err := s.store.UserByUsername(ctx, b.CreatedBy)
		if err != nil {
			user = db.User{Username: b.CreatedBy}
		}
		s.log.Info("bulk shipping: resuming a file the last run left unfinished", "batch", id, "file", b.Filename, "lang", b.Lang)
		if err := s.ships.run(b, user, i18n.Printer{Lang: i18n.Parse(b.Lang)}); err != nil {
			return // closed meanwhile
		}
	}
}

// shipWorkers is how many rows of a file are sent at once: a thousand-row file at a few hundred milliseconds
// a call (the shipment and its read-back) would otherwise take most of an hour. Each row is its own order (a
// file names an order once), so the rows do not depend on each other.
const shipWorkers = 4

// shipRowTimeout bounds one row: its checks, the shipping call and the read-back, with their retries.
const shipRowTimeout = 2 * time.Minute

// errClosed refuses new work once the shop is closing.
var errClosed = fmt.Errorf("shop: closed")

// shipPool runs the files being shipped. Their contexts end when the pool closes, and close waits for them.
type shipPool struct {
	shop   *Shop
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	files  sync.WaitGroup
}

func newShipPool(s *Shop) *shipPool {
	ctx, cancel := context.WithCancel(context.Background())
	return &shipPool{shop: s, ctx: ctx, cancel: cancel}
}

// run ships the file's valid rows in the background.
func (sp *shipPool) run(b db.ShipBatch, user db.User, p i18n.Printer) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.closed {
		return errClosed
	}
	sp.files.Add(1)
	go func() {
		defer sp.files.Done()
		sp.shipFile(b, user, p)
	}()
	return nil
}

// close ends the files being shipped and waits for them. The row on its way in each worker ends with its
// context: its call fails, and its fate is recorded as such; the rows not begun stay valid, and the file
// running, for the next start to resume.
func (sp *shipPool) close() {
	sp.mu.Lock()
	sp.closed = true
	sp.mu.Unlock()
	sp.cancel()
	sp.files.Wait()
}

// Wait waits for the files being shipped to finish (tests, and a shutdown that lets them end).
func (s *Shop) Wait() { s.ships.files.Wait() }

// shipFile ships the valid rows of a file, shipWorkers at a time, each checked again just before it goes.
//
// Servers sharing PostgreSQL may each find the file running (one confirmed it, another resumes unfinished files):
// the server holding the file's lock ships it, and reads its rows again once it has it, so that a row another
// server shipped before it stopped is not shipped twice. The lock goes with that server's connection.
func (sp *shipPool) shipFile(b db.ShipBatch, user db.User, p i18n.Printer) {
	lock, ok, err := sp.shop.store.TryLead(sp.ctx, fmt.Sprintf("ship file %d", b.ID))
	if err != nil || !ok {
		if err != nil {
			sp.shop.log.Error("bulk shipping: could not take the file", "batch", b.ID, "err", err)
		}
		return // another server ships it; the file stays running if that one stops
	}
	defer lock.Release()
	if fresh, err := sp.shop.store.ShipBatch(sp.ctx, b.ID); err == nil {
		if fresh.State != db.ShipFileRunning {
			return // finished meanwhile
		}
		b.Rows = fresh.Rows
	} else {
		sp.shop.log.Error("bulk shipping: could not read the file again", "batch", b.ID, "err", err)
		return
	}
	rows := make(chan db.ShipBatchRow)
	var wg sync.WaitGroup
	for range shipWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rows {
				sp.shop.shipFileRow(sp.ctx, b, r, user, p)
			}
		}()
	}
feed:
	for _, r := range b.Rows {
		if r.State != db.ShipRowValid {
			continue
		}
		select {
		case rows <- r:
		case <-sp.ctx.Done():
			break feed
		}
	}
	close(rows)
	wg.Wait()
	if sp.ctx.Err() != nil {
		return // stopped part way: the file stays running, and the next start resumes it
	}
	if err := sp.shop.store.FinishShipBatch(sp.ctx, b.ID); err != nil {
		sp.shop.log.Error("bulk shipping: could not finish", "batch", b.ID, "err", err)
	}
}

// defaultBusyRetries are the waits before a row WeChat answered 100003 is sent again: some 75 s in all, within
// shipRowTimeout. WeChat says only "try again" (delivery_send.html); the order is usually free again in seconds.
var defaultBusyRetries = []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second}

// SetBusyRetries changes the waits before a row answered 100003 is sent again (tests shorten them).
func (s *Shop) SetBusyRetries(waits ...time.Duration) { s.busyRetries = waits }

// shipBusyOrder is ShipOrder for a file's row: when WeChat answers that the order is updated too often
// (100003, nothing was changed), it waits and sends it again rather than failing the row.
func (s *Shop) shipBusyOrder(ctx context.Context, o db.Order, sh Shipment) error {
	for try := 0; ; try++ {
		err := s.ShipOrder(ctx, o, sh)
		var we *wx.Error
		if !errors.As(err, &we) || we.Code != wx.CodeUpdatedTooOften || try >= len(s.busyRetries) {
			return err
		}
		s.log.Info("bulk shipping: WeChat says the order is updated too often; sending it again shortly", "order", o.OrderID, "wait", s.busyRetries[try])
		select {
		case <-time.After(s.busyRetries[try]):
		case <-ctx.Done():
			return err
		}
	}
}

// shipFileRow ships one row of a file and records its fate.
func (s *Shop) shipFileRow(ctx context.Context, b db.ShipBatch, r db.ShipBatchRow, user db.User, p i18n.Printer) {
	if ctx.Err() != nil {
		return // not begun: it stays valid for the resumed file
	}
	closing := ctx
	ctx, cancel := context.WithTimeout(ctx, shipRowTimeout)
	defer cancel()
	state, msg := db.ShipRowShipped, ""
	o, err := s.store.Order(ctx, r.OrderPK)
	switch {
	case err != nil:
		state, msg = db.ShipRowFailed, p.T("bulk.err.unknown")
	case !CanShip(o):
		state, msg = db.ShipRowSkipped, p.T("ship.err.status", p.T("status."+o.Status))
	default:
		// The entry is written before the call, so a process that dies meanwhile leaves it pending.
		entry := db.AuditEntry{UserID: user.ID, Username: user.Username, Action: "order.ship",
			ObjectType: "order", ObjectID: OrderObject(o), Detail: fmt.Sprintf("%s %s (%s #%d)", r.CompanyID, r.TrackingNo, b.Filename, r.RowNo)}
		auditID, aerr := s.store.BeginAudit(ctx, entry)
		if aerr != nil {
			state, msg = db.ShipRowFailed, p.T("bulk.err.unknown")
			s.log.Error("bulk shipping: could not write the audit entry; row not shipped", "err", aerr, "order", o.OrderID)
			break
		}
		err = s.shipBusyOrder(ctx, o, rowShipment(r))
		if err != nil && closing.Err() != nil {
			// Cut short by Close: whether the parcel left is not known. The entry stays pending and the row
			// valid; the resumed file sends it again, and a parcel WeChat already holds is read back, not sent twice.
			s.log.Info("bulk shipping: stopped with a row on its way", "batch", b.ID, "row", r.RowNo, "order", o.OrderID)
			return
		}
		entry.Outcome = Outcome(err)
		if aerr := s.store.FinishAudit(context.WithoutCancel(ctx), auditID, entry); aerr != nil {
			s.log.Error("AUDIT ENTRY LOST", "err", aerr, "order", o.OrderID)
		}
		if err != nil {
			state, msg = db.ShipRowFailed, Explain(p, err)
		}
	}
	if state != db.ShipRowShipped && closing.Err() != nil {
		return // a failure of the shop closing, not of the row: it stays valid for the resumed file
	}
	if err := s.store.FinishShipBatchRow(context.WithoutCancel(ctx), b.ID, r.RowNo, state, msg); err != nil {
		s.log.Error("bulk shipping: could not record a row", "batch", b.ID, "row", r.RowNo, "err", err)
	}
}
