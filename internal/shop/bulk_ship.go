package shop

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
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

// ResumeShipFiles goes on with the files a stopped process left running, or that another server sharing the
// database stopped or died part way through: their rows not yet done (and held by no live server) are claimed,
// checked and sent as before, in the language each file was started in. A row that was on its way when its
// server stopped is read back from WeChat before it is sent again, so it is not shipped twice.
func (s *Shop) ResumeShipFiles(ctx context.Context) {
	if s.store.Dialect() != db.Postgres && !s.ships.startedUp.Swap(true) {
		// One server has a SQLite file to itself: the leases it finds at its start are an earlier run's.
		if err := s.store.ReleaseOthersShipLeases(ctx, s.ships.owner); err != nil {
			s.ships.startedUp.Store(false)
			s.log.Error("bulk shipping: could not end the last run's leases", "err", err)
			return
		}
	}
	ids, err := s.store.RunningShipBatches(ctx)
	if err != nil {
		s.log.Error("bulk shipping: could not look for unfinished files", "err", err)
		return
	}
	for _, id := range ids {
		if s.ships.shipping(id) {
			continue
		}
		b, err := s.store.ShipBatch(ctx, id)
		if err != nil {
			s.log.Error("bulk shipping: could not load an unfinished file", "batch", id, "err", err)
			continue
		}
		user, err := s.store.UserByUsername(ctx, b.CreatedBy)
		if err != nil {
			user = db.User{Username: b.CreatedBy}
		}
		s.log.Info("bulk shipping: going on with an unfinished file", "batch", id, "file", b.Filename, "lang", b.Lang)
		if err := s.ships.run(b, user, i18n.Printer{Lang: i18n.Parse(b.Lang)}); err != nil {
			return // closed meanwhile
		}
	}
}

// DefaultShipLease is how long a server's claim of a row outlives the server: it is renewed while the row is on
// its way, and a row whose server died is taken by another once it runs out.
const DefaultShipLease = 30 * time.Second

// SetShipLease sets the lease of the rows this shop claims (DefaultShipLease unless set; before any file runs).
func (s *Shop) SetShipLease(d time.Duration) {
	if d > 0 {
		s.ships.lease = d
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
	owner  string        // whose leases this pool's claims are: unique to the process
	lease  time.Duration // how long a claim lasts unless renewed
	mu     sync.Mutex
	closed bool
	active map[int64]bool // the files this pool is shipping
	// startedUp is set once the leases of an earlier run on the same SQLite file were ended.
	startedUp atomic.Bool
	files     sync.WaitGroup
}

func newShipPool(s *Shop) *shipPool {
	ctx, cancel := context.WithCancel(context.Background())
	host, _ := os.Hostname()
	return &shipPool{shop: s, ctx: ctx, cancel: cancel, lease: DefaultShipLease, active: map[int64]bool{},
		owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8])}
}

// shipping reports whether the pool ships the file now.
func (sp *shipPool) shipping(id int64) bool {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.active[id]
}

// run ships the file's valid rows in the background, unless the pool ships it already.
func (sp *shipPool) run(b db.ShipBatch, user db.User, p i18n.Printer) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.closed {
		return errClosed
	}
	if sp.active[b.ID] {
		return nil
	}
	sp.active[b.ID] = true
	sp.files.Add(1)
	go func() {
		defer sp.files.Done()
		defer func() {
			sp.mu.Lock()
			delete(sp.active, b.ID)
			sp.mu.Unlock()
		}()
		sp.shipFile(b, user, p)
	}()
	return nil
}

// close ends the files being shipped and waits for them. The row on its way in each worker ends with its
// context: its lease is ended and the row left valid, for the next start or another server to take, which
// reads the order back before sending it again; the rows not begun stay valid, and the file running.
func (sp *shipPool) close() {
	sp.mu.Lock()
	sp.closed = true
	sp.mu.Unlock()
	sp.cancel()
	sp.files.Wait()
}

// Wait waits for the files being shipped to finish (tests, and a shutdown that lets them end).
func (s *Shop) Wait() { s.ships.files.Wait() }

// shipFile ships the valid rows of a file, shipWorkers at a time: each worker claims the next row no server
// holds (db.ClaimShipRow), checks it again and sends it, and the pool renews the leases of the rows on their
// way. Servers sharing PostgreSQL may ship the same file at once, each its own rows; when one stops or dies,
// the rows it held are taken by the others once their leases end. The server that records the last row's fate
// finishes the file.
func (sp *shipPool) shipFile(b db.ShipBatch, user db.User, p i18n.Printer) {
	ctx := sp.ctx
	renewCtx, stopRenewing := context.WithCancel(ctx)
	var renewer sync.WaitGroup
	renewer.Go(func() {
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-time.After(sp.lease / 3):
			}
			if err := sp.shop.store.RenewShipLeases(renewCtx, b.ID, sp.owner, sp.lease); err != nil && renewCtx.Err() == nil {
				sp.shop.log.Warn("bulk shipping: could not renew the leases", "batch", b.ID, "err", err)
			}
		}
	})
	var wg sync.WaitGroup
	for range shipWorkers {
		wg.Go(func() {
			for ctx.Err() == nil {
				r, ok, err := sp.shop.store.ClaimShipRow(ctx, b.ID, sp.owner, sp.lease)
				if err != nil {
					if ctx.Err() == nil {
						sp.shop.log.Error("bulk shipping: could not claim a row", "batch", b.ID, "err", err)
					}
					return
				}
				if !ok {
					return // none left to claim: done, or held by another server
				}
				sp.shop.shipFileRow(ctx, b, r, sp.owner, user, p)
			}
		})
	}
	wg.Wait()
	stopRenewing()
	renewer.Wait()
	if ctx.Err() != nil {
		return // stopped part way: the file stays running, and the next start (or another server) goes on
	}
	if _, err := sp.shop.store.FinishShipBatchIfDone(ctx, b.ID); err != nil {
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

// shipFileRow ships one row the pool claimed for owner and records its fate, which ends the lease.
func (s *Shop) shipFileRow(ctx context.Context, b db.ShipBatch, r db.ClaimedShipRow, owner string, user db.User, p i18n.Printer) {
	closing := ctx
	ctx, cancel := context.WithTimeout(ctx, shipRowTimeout)
	defer cancel()
	// leave ends the lease and leaves the row valid, for a later claim: the shop closing, or WeChat not
	// answering the read-back of a row a stopped server had on its way.
	leave := func(after time.Duration) {
		if err := s.store.ReleaseShipRow(context.WithoutCancel(ctx), b.ID, r.RowNo, owner, after); err != nil {
			s.log.Error("bulk shipping: could not end a row's lease", "batch", b.ID, "row", r.RowNo, "err", err)
		}
	}
	state, msg := db.ShipRowShipped, ""
	o, err := s.store.Order(ctx, r.OrderPK)
	if err == nil && r.Attempts > 1 {
		// Claimed before by a server that stopped or died with the row on its way: the parcel may have left,
		// and its answer been lost with that server (or read back, the row's fate not recorded). WeChat is
		// asked before anything is sent again; a parcel with the row's tracking number is the row's.
		if ferr := s.FetchOrder(ctx, o.Source, o.ShopAppID, o.OrderID); ferr != nil {
			s.log.Warn("bulk shipping: could not read back a row another run had on its way; left for later",
				"batch", b.ID, "row", r.RowNo, "order", o.OrderID, "err", ferr)
			leave(s.ships.lease)
			return
		}
		if o, err = s.store.Order(ctx, r.OrderPK); err == nil && parcelsWith(o, r.TrackingNo) > 0 {
			s.log.Info("bulk shipping: a row another run had on its way was shipped then", "batch", b.ID, "row", r.RowNo, "order", o.OrderID)
			s.finishRow(ctx, b, r, owner, db.ShipRowShipped, "")
			return
		}
	}
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
		err = s.shipBusyOrder(ctx, o, rowShipment(r.ShipBatchRow))
		if err != nil && closing.Err() != nil {
			// Cut short by Close: whether the parcel left is not known. The entry stays pending and the row
			// valid; whoever claims it next reads the order back, and sends it again only if no parcel left.
			s.log.Info("bulk shipping: stopped with a row on its way", "batch", b.ID, "row", r.RowNo, "order", o.OrderID)
			leave(0)
			return
		}
		entry.Outcome = Outcome(err)
		if aerr := s.store.FinishAudit(context.WithoutCancel(ctx), auditID, entry); aerr != nil {
			s.log.Error("AUDIT ENTRY LOST", "err", aerr, "order", o.OrderID)
		}
		switch {
		case StateRefused(err):
			state, msg = db.ShipRowSkipped, Explain(p, err)
		case err != nil:
			state, msg = db.ShipRowFailed, Explain(p, err)
		}
	}
	if state != db.ShipRowShipped && closing.Err() != nil {
		leave(0) // a failure of the shop closing, not of the row: it stays valid for the resumed file
		return
	}
	s.finishRow(ctx, b, r, owner, state, msg)
}

// finishRow records a claimed row's fate.
func (s *Shop) finishRow(ctx context.Context, b db.ShipBatch, r db.ClaimedShipRow, owner string, state db.ShipRowState, msg string) {
	ok, err := s.store.FinishClaimedShipRow(context.WithoutCancel(ctx), b.ID, r.RowNo, owner, state, msg)
	switch {
	case err != nil:
		s.log.Error("bulk shipping: could not record a row", "batch", b.ID, "row", r.RowNo, "err", err)
	case !ok:
		s.log.Warn("bulk shipping: a row's lease ran out before its fate was recorded; another server has it",
			"batch", b.ID, "row", r.RowNo, "state", state)
	}
}
