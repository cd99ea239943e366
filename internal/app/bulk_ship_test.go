package app

import (
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"wxshop/internal/db/dbtest"

	"golang.org/x/text/encoding/simplifiedchinese"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// uploadShipFile sends a bulk-shipping file and returns the path of its preview.
func uploadShipFile(t *testing.T, b *browser, name string, data []byte) string {
	t.Helper()
	a := b.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", name, data}})
	wantStatus(t, a, http.StatusSeeOther)
	if !regexp.MustCompile(`^/orders/bulk-ship/\d+$`).MatchString(loc(a)) {
		t.Fatalf("the upload redirects to %q", loc(a))
	}
	return loc(a)
}

// batchState is the data-state of a bulk-shipping page: preview, running or done.
func batchState(a answer) string {
	return firstMatch(`data-testid="bulk-results"[^>]*data-state="([^"]*)"`, a.body)
}

// bulkRow is row n of a bulk-shipping page: its state and its message.
func bulkRow(a answer, n int) (state, message string) {
	row := firstMatch(`(?s)<tr[^>]*data-testid="bulk-row-`+strconv.Itoa(n)+`"[^>]*>(.*?)</tr>`, a.body)
	state = firstMatch(`badge-([a-z]+)"`, row)
	message = strings.TrimSpace(html.UnescapeString(firstMatch(`(?s)data-testid="bulk-state">[^<]*</span>(.*?)</td>`, row)))
	return state, message
}

// runBatch confirms a previewed file and waits, polling as the page does, until it is done.
func runBatch(t *testing.T, b *browser, path string) answer {
	t.Helper()
	a := b.post(path+"/run", nil)
	wantStatus(t, a, http.StatusSeeOther)
	if loc(a) != path {
		t.Errorf("running redirects to %q", loc(a))
	}
	for range 500 {
		a = b.do(http.MethodGet, path, nil, "HX-Request", "true")
		wantStatus(t, a, http.StatusOK)
		if batchState(a) == "done" {
			if strings.Contains(a.body, "<html") {
				t.Error("htmx's poll got the whole page, not the results fragment")
			}
			return b.get(path)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the file is still %q after 5 s", batchState(a))
	return answer{}
}

func TestBulkShipFromACSVWithABadRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: -1})
		b := s.signedIn(t, "operator")
		m := s.newPaidMerchantOrders(t, b, 2)
		ch := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
		s.syncOrdersAs(t, b)
		file := csvBytes(
			[]string{"order_id", "delivery_company", "delivery_track_no"},
			[]string{m[0], "003shunfeng", "SF1000000000001"},
			[]string{m[1], "中通", "73100000000002"},
			[]string{ch, "顺丰", "sf1000000000003"},
			[]string{"9999999999999999999", "003shunfeng", "SF1000000000004"},
		)
		writes := s.callsNow(pathMerchantDelivery, pathChannelsSend)

		preview := uploadShipFile(t, b, "ship.csv", file)
		page := b.get(preview)
		wantStatus(t, page, http.StatusOK)
		if got := batchState(page); got != "preview" {
			t.Fatalf("the file is %q, want preview", got)
		}
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.preview", 4, 3) {
			t.Errorf("summary %q, want %q", got, zh("bulk.preview", 4, 3))
		}
		if got, _ := textOf(page, "bulk-run"); got != zh("bulk.run", 3) {
			t.Errorf("the button says %q", got)
		}
		for n, want := range map[int][2]string{
			1: {"valid", "顺丰速运"}, 2: {"valid", "中通速递"}, 3: {"valid", "顺丰速运"}, 4: {"invalid", zh("bulk.err.unknown")},
		} {
			if state, msg := bulkRow(page, n); state != want[0] || msg != want[1] {
				t.Errorf("row %d: %s %q, want %s %q", n, state, msg, want[0], want[1])
			}
		}
		for _, p := range []string{pathMerchantDelivery, pathChannelsSend} {
			if n := writes.since(s, p); n != 0 {
				t.Errorf("the preview made %d calls to %s", n, p)
			}
		}

		page = runBatch(t, b, preview)
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 3, 0) {
			t.Errorf("summary %q, want %q", got, zh("bulk.done", 3, 0))
		}
		for n, want := range map[int]string{1: "shipped", 2: "shipped", 3: "shipped", 4: "invalid"} {
			if state, _ := bulkRow(page, n); state != want {
				t.Errorf("row %d is %s after the run, want %s", n, state, want)
			}
		}
		for _, c := range []struct {
			source, id, company, trackNo string
		}{
			{sandbox.SourceMerchant, m[0], "003shunfeng", "SF1000000000001"},
			{sandbox.SourceMerchant, m[1], "066zhongtong", "73100000000002"},
			{sandbox.SourceChannels, ch, "SF", "SF1000000000003"},
		} {
			st := s.sandboxOrder(t, c.source, c.id)
			if len(st.Parcels) != 1 || st.Parcels[0].Company != c.company || st.Parcels[0].TrackingNo != c.trackNo {
				t.Errorf("WeChat's %s order %s has parcels %+v, want %s %s", c.source, c.id, st.Parcels, c.company, c.trackNo)
			}
			if o := s.mirrorOf(t, c.source, c.id); o.Status != db.OrderShipped {
				t.Errorf("the mirror says %s order %s is %q", c.source, c.id, o.Status)
			}
			entries := s.auditOfOrder(t, "order.ship", c.source, c.id)
			if len(entries) != 1 || entries[0].Outcome != "ok" || !strings.Contains(entries[0].Detail, "ship.csv") || entries[0].Username != "test-operator" {
				t.Errorf("audit entries of %s = %+v", c.id, entries)
			}
		}
		if n := writes.since(s, pathMerchantDelivery); n != 2 {
			t.Errorf("%d merchant shipping calls, want 2", n)
		}
		if n := writes.since(s, pathChannelsSend); n != 1 {
			t.Errorf("%d Channels delivery calls, want 1", n)
		}

		// Confirming again ships nothing.
		writes = s.callsNow(pathMerchantDelivery, pathChannelsSend)
		wantStatus(t, b.post(preview+"/run", nil), http.StatusSeeOther)

		// The same file again: those orders are shipped now, so no row is valid and nothing ships twice.
		again := uploadShipFile(t, b, "ship.csv", file)
		page = b.get(again)
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.preview", 4, 0) {
			t.Errorf("the same file again: summary %q, want %q", got, zh("bulk.preview", 4, 0))
		}
		if strings.Contains(page.body, `data-testid="bulk-run"`) {
			t.Error("the same file again offers shipping")
		}
		for n := 1; n <= 3; n++ {
			if state, msg := bulkRow(page, n); state != "invalid" || msg != zh("ship.err.status", zh("status.shipped")) {
				t.Errorf("the same file again, row %d: %s %q", n, state, msg)
			}
		}
		b.post(again+"/run", nil)
		time.Sleep(50 * time.Millisecond) // a run of nothing, if it started, has had its chance to ship
		for _, p := range []string{pathMerchantDelivery, pathChannelsSend} {
			if n := writes.since(s, p); n != 0 {
				t.Errorf("shipping again made %d calls to %s", n, p)
			}
		}
		if n := len(s.auditOf(t, "order.ship")); n != 3 {
			t.Errorf("%d shipments audited, want 3", n)
		}
	})
}

func TestBulkShipReadsAGBKFileWithChineseNames(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	m := s.newPaidMerchantOrders(t, b, 4)
	utf8 := csvBytes(
		[]string{"订单号", "快递公司", "运单号"},
		[]string{m[0], "顺丰速运", "SF2000000000001"},
		[]string{m[1], "中通速递", "73200000000002"},
		[]string{m[2], "圆通", "YT2000000000003"},
		[]string{m[0], "韵达快运", "43200000004"},
		[]string{m[3], "火星快递", "HX2000000000005"},
		[]string{"7197000000000000001"}, // an order left without courier and tracking number: counted, not a row
		[]string{m[2], "003shunfeng", "12"},
		[]string{"7197000000000000002", "顺丰", ""},
	)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf8)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(gbk), "顺丰") {
		t.Fatal("the file is not GBK")
	}
	preview := uploadShipFile(t, b, "发货单.csv", gbk)
	page := b.get(preview)
	if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.preview", 7, 3) {
		t.Errorf("summary %q, want %q", got, zh("bulk.preview", 7, 3))
	}
	if got, _ := textOf(page, "bulk-blank"); got != zh("bulk.blank", 1) {
		t.Errorf("the line with only an order id: %q, want %q", got, zh("bulk.blank", 1))
	}
	if strings.Contains(page.body, `data-testid="bulk-row-6"`) {
		t.Error("the line with only an order id is listed as a row")
	}
	wantBody(t, page, "发货单.csv")
	for n, want := range map[int][2]string{
		1: {"valid", "顺丰速运"},
		2: {"valid", "中通速递"},
		3: {"valid", "圆通速递"},
		4: {"invalid", zh("bulk.err.duplicate", 1)},
		5: {"invalid", zh("bulk.err.company", "火星快递")},
		7: {"invalid", zh("bulk.err.duplicate", 3)},
		8: {"invalid", zh("bulk.err.columns")},
	} {
		if state, msg := bulkRow(page, n); state != want[0] || msg != want[1] {
			t.Errorf("row %d: %s %q, want %s %q", n, state, msg, want[0], want[1])
		}
	}
	page = runBatch(t, b, preview)
	if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 3, 0) {
		t.Errorf("summary %q", got)
	}
	for i, want := range []string{"003shunfeng", "066zhongtong", "056yuantong"} {
		if st := s.sandboxOrder(t, sandbox.SourceMerchant, m[i]); len(st.Parcels) != 1 || st.Parcels[0].Company != want {
			t.Errorf("order %s has parcels %+v, want %s", m[i], st.Parcels, want)
		}
	}
	if n := s.sandbox.Calls(pathMerchantDelivery); n != 3 {
		t.Errorf("%d shipping calls, want 3", n)
	}
}

func TestBulkShipGoesOnPastRowsThatFail(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	m := s.newPaidMerchantOrders(t, b, 3)
	preview := uploadShipFile(t, b, "ship.csv", csvBytes(
		[]string{m[0], "003shunfeng", "SF3000000000001"},
		[]string{m[1], "003shunfeng", "SF3000000000002"},
		[]string{m[2], "003shunfeng", "SF3000000000003"},
	))
	if got, _ := textOf(b.get(preview), "bulk-summary"); got != zh("bulk.preview", 3, 3) {
		t.Fatalf("summary %q (a file without a header)", got)
	}
	// Meanwhile the second order is shipped from its page, and the first is closed in WeChat's own backend
	// (the mirror does not know yet), so WeChat will refuse it.
	o := s.mirrorOf(t, db.SourceMerchant, m[1])
	wantStatus(t, b.post(orderPath(o)+"/ship", shipForm("066zhongtong", "73100000000001", shipTokenOf(t, b.get(orderPath(o))))), http.StatusSeeOther)
	if err := s.app.wx.CloseMerchantOrder(t.Context(), m[0]); err != nil {
		t.Fatal(err)
	}

	page := runBatch(t, b, preview)
	if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 1, 2) {
		t.Errorf("summary %q, want %q", got, zh("bulk.done", 1, 2))
	}
	if state, msg := bulkRow(page, 1); state != "failed" || !strings.Contains(msg, "9402026") {
		t.Errorf("row 1: %s %q, want failed with WeChat's code", state, msg)
	}
	if state, msg := bulkRow(page, 2); state != "skipped" || msg != zh("ship.err.status", zh("status.shipped")) {
		t.Errorf("row 2: %s %q, want skipped as shipped", state, msg)
	}
	if state, _ := bulkRow(page, 3); state != "shipped" {
		t.Errorf("row 3: %s", state)
	}
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, m[1]); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "73100000000001" {
		t.Errorf("the order shipped from its page has parcels %+v", st.Parcels)
	}
	if st := s.sandboxOrder(t, sandbox.SourceMerchant, m[0]); len(st.Parcels) != 0 {
		t.Errorf("the refused order has parcels %+v", st.Parcels)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceMerchant, m[0]); len(e) != 1 || !strings.Contains(e[0].Outcome, "9402026") {
		t.Errorf("the refused row's audit entries = %+v", e)
	}
	if e := s.auditOfOrder(t, "order.ship", db.SourceMerchant, m[2]); len(e) != 1 || e[0].Outcome != "ok" {
		t.Errorf("the shipped row's audit entries = %+v", e)
	}
}

func TestBulkShipUploadProblems(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	page := b.get("/orders/bulk-ship")
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `data-testid="bulk-form"`, `enctype="multipart/form-data"`)

	for _, c := range []struct {
		name  string
		files []formFile
		want  string
	}{
		{"no file", nil, zh("bulk.err.nofile")},
		{"an empty file", []formFile{{"file", "empty.csv", nil}}, zh("bulk.err.csv")},
		{"only a header", []formFile{{"file", "header.csv", []byte("order_id,delivery_company,delivery_track_no\n")}}, zh("bulk.err.csv")},
		{"broken quoting", []formFile{{"file", "broken.csv", []byte("\"7197000000000000001,003shunfeng,SF1\n")}}, zh("bulk.err.csv")},
	} {
		a := b.postMultipart("/orders/bulk-ship", nil, c.files)
		wantStatus(t, a, http.StatusUnprocessableEntity)
		if got, _ := textOf(a, "bulk-error"); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// A partly shipped Channels order is still waiting for the rest; a line of the file ships what is left.
func TestBulkShipSendsWhatIsLeftOfAPartlyShippedOrder(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	o := s.channelsOrderOfPieces(t, b, 2)
	lines := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID).Lines
	first := make([]string, len(lines))
	for i := range first {
		first[i] = "0"
	}
	first[0] = "1"
	wantStatus(t, b.post(orderPath(o)+"/ship", shipForm("SF", "SF1000000000001", shipTokenOf(t, b.get(orderPath(o))), first...)), http.StatusSeeOther)
	if m := s.mirrorOf(t, db.SourceChannels, o.OrderID); m.Status != db.OrderPartial {
		t.Fatalf("after one piece the order is %q", m.Status)
	}

	preview := uploadShipFile(t, b, "rest.csv", csvBytes([]string{o.OrderID, "中通快递", "73100000000002"}))
	if got, _ := textOf(b.get(preview), "bulk-summary"); got != zh("bulk.preview", 1, 1) {
		t.Fatalf("summary %q", got)
	}
	page := runBatch(t, b, preview)
	if state, msg := bulkRow(page, 1); state != "shipped" {
		t.Errorf("the rest of the order: %s %q, want shipped", state, msg)
	}
	st := s.sandboxOrder(t, sandbox.SourceChannels, o.OrderID)
	if st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 2 {
		t.Errorf("WeChat holds status %d with %d parcels, want 30 with 2", st.Status, len(st.Parcels))
	}
	if m := s.mirrorOf(t, db.SourceChannels, o.OrderID); m.Status != db.OrderShipped {
		t.Errorf("the mirror says %q", m.Status)
	}
}

func TestBulkShipFailedRowsCanBeTriedAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T) {
		t.Parallel()
		s := newOrderServer(t, sandbox.Options{Orders: -1})
		b := s.signedIn(t, "operator")
		m := s.newPaidMerchantOrders(t, b, 4)
		file := csvBytes(
			[]string{m[0], "003shunfeng", "SF2000000000001"},
			[]string{m[1], "003shunfeng", "SF2000000000002"},
			[]string{m[2], "003shunfeng", "SF2000000000003"},
			[]string{m[3], "003shunfeng", "SF2000000000004"},
		)
		// WeChat is busy for two of the rows (and the reads that check them).
		s.sandbox.FailNext(pathMerchantDelivery, -1, "system error", 2)
		s.sandbox.FailNext(pathMerchantGet, -1, "system error", 6)
		preview := uploadShipFile(t, b, "busy.csv", file)
		page := runBatch(t, b, preview)
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 2, 2) {
			t.Fatalf("summary %q, want %q", got, zh("bulk.done", 2, 2))
		}
		if got, _ := textOf(page, "bulk-retry"); got != zh("bulk.retry", 2) {
			t.Errorf("the retry button says %q", got)
		}
		var failed []int
		for n := 1; n <= 4; n++ {
			if state, _ := bulkRow(page, n); state == "failed" {
				failed = append(failed, n)
			}
		}
		if len(failed) != 2 {
			t.Fatalf("rows %v failed, want two", failed)
		}

		// Trying the failed rows again: a new file of those two rows, with their row numbers, to confirm.
		a := b.post(preview+"/retry", nil)
		wantStatus(t, a, http.StatusSeeOther)
		retry := loc(a)
		if retry == preview {
			t.Fatal("retrying shows the same file")
		}
		page = b.get(retry)
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.preview", 2, 2) {
			t.Errorf("the retry's summary %q, want %q", got, zh("bulk.preview", 2, 2))
		}
		wantBody(t, page, html.EscapeString(zh("bulk.retry.name", "busy.csv")))
		for n := 1; n <= 4; n++ {
			if listed := strings.Contains(page.body, fmt.Sprintf(`data-testid="bulk-row-%d"`, n)); listed != slices.Contains(failed, n) {
				t.Errorf("row %d listed in the retry: %v; the rows that failed: %v", n, listed, failed)
			}
		}
		page = runBatch(t, b, retry)
		if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 2, 0) {
			t.Errorf("after the retry: summary %q", got)
		}
		for i, id := range m {
			if st := s.sandboxOrder(t, sandbox.SourceMerchant, id); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != fmt.Sprintf("SF200000000000%d", i+1) {
				t.Errorf("order %s: WeChat holds %+v", id, st.Parcels)
			}
		}
		// Nothing failed in the retry: nothing to try again.
		if strings.Contains(page.body, `data-testid="bulk-retry"`) {
			t.Error("a file with no failures offers a retry")
		}
		a = b.post(retry+"/retry", nil)
		wantStatus(t, a, http.StatusSeeOther)
		if got := flashOf(b.get(loc(a))); got != zh("bulk.retry.none") {
			t.Errorf("retrying a file without failures flashes %q", got)
		}
	})
}

// The shipping sheet lists the orders waiting to ship, oldest first, with their receivers; filled in for some
// of them and sent back as it is, it ships those and says how many were left blank.
func TestBulkShipFromTheShippingSheet(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	m := s.newPaidMerchantOrders(t, b, 3)
	ch := s.sandbox.NewPaidOrder(sandbox.SourceChannels)
	s.syncOrdersAs(t, b)

	sheet := b.get("/orders/bulk-ship/sheet.csv")
	wantStatus(t, sheet, http.StatusOK)
	if ct, cd := sheet.header.Get("Content-Type"), sheet.header.Get("Content-Disposition"); !strings.HasPrefix(ct, "text/csv") ||
		!strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("the sheet is served as %q, %q", ct, cd)
	}
	if !strings.HasPrefix(sheet.body, "\ufeff") {
		t.Error("the sheet has no BOM, so Excel would garble the Chinese")
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(sheet.body, "\ufeff"))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("the sheet is not CSV with rows: %v\n%s", err, sheet.body)
	}
	if want := []string{"订单号", "快递公司", "运单号", "收件人", "手机号", "收货地址", "商品", "下单时间", "来源"}; !slices.Equal(records[0], want) {
		t.Errorf("the sheet's header is %q, want %q", records[0], want)
	}
	waiting, _, err := s.store.Orders(t.Context(), db.OrderFilter{Status: db.OrderToShip, Oldest: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, o := range waiting {
		want = append(want, "\t"+o.OrderID) // a tab keeps Excel from turning the id into 3.7E+15
	}
	var listed []string
	for _, r := range records[1:] {
		listed = append(listed, r[0])
		if r[1] != "" || r[2] != "" {
			t.Errorf("order %q comes with courier %q and tracking number %q already", r[0], r[1], r[2])
		}
	}
	if !slices.Equal(listed, want) {
		t.Fatalf("the sheet lists %q, want the orders waiting to ship oldest first %q", listed, want)
	}
	for _, id := range append(slices.Clone(m), ch) {
		if !slices.Contains(listed, "\t"+id) {
			t.Errorf("new order %s is not on the sheet", id)
		}
	}
	row := records[1+slices.Index(listed, "\t"+m[0])]
	o := s.mirrorOf(t, db.SourceMerchant, m[0])
	if row[3] != o.ReceiverName || strings.TrimPrefix(row[4], "\t") != o.ReceiverPhone || !strings.Contains(row[5], o.Address) ||
		row[6] == "" || row[8] != "微信小店" {
		t.Errorf("order %s's row is %q; the mirror has %s %s %s", m[0], row, o.ReceiverName, o.ReceiverPhone, o.Address)
	}

	// Sent back untouched: nothing to ship, and the page says what to do.
	wantStatus(t, b.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", "sheet.csv", []byte(sheet.body)}}), http.StatusUnprocessableEntity)
	back := b.postMultipart("/orders/bulk-ship", nil, []formFile{{"file", "sheet.csv", []byte(sheet.body)}})
	if got, _ := textOf(back, "bulk-error"); got != zh("bulk.err.allblank") {
		t.Errorf("an unfilled sheet: %q, want %q", got, zh("bulk.err.allblank"))
	}

	// Two orders filled in, the rest left blank, written back as a spreadsheet would.
	filled := map[string][2]string{"\t" + m[0]: {"顺丰", "SF2000000000001"}, "\t" + m[2]: {"中通", "73200000000003"}}
	for _, r := range records[1:] {
		if f, ok := filled[r[0]]; ok {
			r[1], r[2] = f[0], f[1]
		}
	}
	writes := s.callsNow(pathMerchantDelivery, pathChannelsSend)
	preview := uploadShipFile(t, b, "待发货.csv", csvBytes(records...))
	page := b.get(preview)
	if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.preview", 2, 2) {
		t.Errorf("summary %q, want %q", got, zh("bulk.preview", 2, 2))
	}
	if got, _ := textOf(page, "bulk-blank"); got != zh("bulk.blank", len(listed)-2) {
		t.Errorf("the blank orders: %q, want %q", got, zh("bulk.blank", len(listed)-2))
	}
	page = runBatch(t, b, preview)
	if got, _ := textOf(page, "bulk-summary"); got != zh("bulk.done", 2, 0) {
		t.Errorf("summary %q, want %q", got, zh("bulk.done", 2, 0))
	}
	for _, c := range []struct{ id, company, trackNo string }{{m[0], "003shunfeng", "SF2000000000001"}, {m[2], "066zhongtong", "73200000000003"}} {
		st := s.sandboxOrder(t, sandbox.SourceMerchant, c.id)
		if len(st.Parcels) != 1 || st.Parcels[0].Company != c.company || st.Parcels[0].TrackingNo != c.trackNo {
			t.Errorf("WeChat's order %s has parcels %+v, want %s %s", c.id, st.Parcels, c.company, c.trackNo)
		}
	}
	for _, id := range []string{m[1]} {
		if st := s.sandboxOrder(t, sandbox.SourceMerchant, id); len(st.Parcels) != 0 {
			t.Errorf("order %s, left blank, was shipped: %+v", id, st.Parcels)
		}
	}
	if st := s.sandboxOrder(t, sandbox.SourceChannels, ch); len(st.Parcels) != 0 {
		t.Errorf("Channels order %s, left blank, was shipped: %+v", ch, st.Parcels)
	}
	if n := writes.since(s, pathMerchantDelivery) + writes.since(s, pathChannelsSend); n != 2 {
		t.Errorf("%d shipping calls, want 2", n)
	}

	// The next sheet lists only what is still waiting.
	again := b.get("/orders/bulk-ship/sheet.csv")
	for _, id := range []string{m[0], m[2]} {
		if strings.Contains(again.body, id) {
			t.Errorf("shipped order %s is still on the sheet", id)
		}
	}
	if !strings.Contains(again.body, "\t"+m[1]) {
		t.Errorf("order %s, still waiting, is not on the next sheet", m[1])
	}

	// A viewer cannot ship, so gets no shipping sheet.
	wantStatus(t, s.signedIn(t, "viewer").get("/orders/bulk-ship/sheet.csv"), http.StatusForbidden)
}

// Cells for a spreadsheet: formulas defused, long numbers kept as text, everything else as it was.
func TestSpreadsheetCells(t *testing.T) {
	in := []string{"=SUM(1+1)", "@x", "+86 138", "-1", "3705794428112257", "13800138000", "73100000000002", "1380013800",
		"SF1000000000001", "166.90", "2026-11-23 10:00:00", "张三", "", "\tTAB"}
	want := []string{"'=SUM(1+1)", "'@x", "'+86 138", "'-1", "\t3705794428112257", "\t13800138000", "\t73100000000002", "1380013800",
		"SF1000000000001", "166.90", "2026-11-23 10:00:00", "张三", "", "'\tTAB"}
	if got := spreadsheetCells(slices.Clone(in)); !slices.Equal(got, want) {
		t.Errorf("spreadsheetCells(%q)\n = %q\nwant %q", in, got, want)
	}
}

// The upload page lists the latest files with who sent them and how their rows stand, so a file sent earlier
// (its page closed while it ran) is found again.
func TestBulkShipUploadPageListsRecentFiles(t *testing.T) {
	t.Parallel()
	s := newOrderServer(t, sandbox.Options{Orders: -1})
	b := s.signedIn(t, "operator")
	m := s.newPaidMerchantOrders(t, b, 2)
	if strings.Contains(b.get("/orders/bulk-ship").body, `data-testid="bulk-recent"`) {
		t.Error("with no file sent, the page lists recent files")
	}
	shipped := uploadShipFile(t, b, "上午.csv", csvBytes(
		[]string{m[0], "顺丰", "SF4000000000001"}, []string{"9999999999999999999", "顺丰", "SF4000000000002"}))
	runBatch(t, b, shipped)
	previewed := uploadShipFile(t, b, "下午.csv", csvBytes([]string{m[1], "中通", "73400000000003"}))

	page := b.get("/orders/bulk-ship")
	rows := regexp.MustCompile(`(?s)<tr data-testid="bulk-file-row">(.*?)</tr>`).FindAllStringSubmatch(page.body, -1)
	if len(rows) != 2 {
		t.Fatalf("%d recent files listed, want 2", len(rows))
	}
	for i, want := range []struct{ path, name, state, counts string }{
		{previewed, "下午.csv", zh("bulk.file.state.preview"), zh("bulk.file.counts", 0, 0, 1, 0)},
		{shipped, "上午.csv", zh("bulk.file.state.done"), zh("bulk.file.counts", 1, 0, 0, 1)},
	} {
		row := html.UnescapeString(rows[i][1])
		for _, part := range []string{`href="` + want.path + `"`, want.name, "test-operator", want.state, want.counts} {
			if !strings.Contains(row, part) {
				t.Errorf("recent file %d lacks %q: %s", i+1, part, row)
			}
		}
	}
}
