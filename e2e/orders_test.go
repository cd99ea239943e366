package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The order journeys: a paid order arrives by WeChat's push and is shipped from the dashboard, a CSV ships
// several orders at once, and the list is filtered and exported.

// mirrored lists the orders of the server's mirror that f selects (every one, newest first).
func mirrored(t *testing.T, s *Server, f db.OrderFilter) []db.Order {
	t.Helper()
	f.Limit = 1 << 20
	orders, _, err := s.Store.Orders(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return orders
}

// shownOrderIDs are the order ids of the order rows on the page, in order.
func shownOrderIDs(t *testing.T, page playwright.Page) []string {
	t.Helper()
	v, err := page.Locator("[data-testid^='order-row-']").EvaluateAll(`els => els.map(e => e.dataset.testid.slice("order-row-".length))`)
	must(t, err)
	var ids []string
	for _, x := range v.([]any) {
		ids = append(ids, x.(string))
	}
	return ids
}

func TestNewPaidOrderArrivesByPushAndIsShipped(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// The first sync brought the demo orders; the dashboard counts those waiting.
	must(t, expect.Page(page).ToHaveURL(s.URL+"/"))
	waiting := len(mirrored(t, s, db.OrderFilter{Status: db.OrderToShip}))
	must(t, expect.Locator(testID(page, "count-toship").Locator("strong")).ToHaveText(strconv.Itoa(waiting)))

	// A buyer pays: the sandbox pushes the payment event to the app, which fetches and stores the order.
	must(t, testID(page, "sandbox-new-order").Click())
	flash := testID(page, "flash")
	must(t, expect.Locator(flash).ToContainText("沙箱已生成新订单"))
	text, err := flash.TextContent()
	must(t, err)
	m := regexp.MustCompile(`新订单 (\d+)，`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the flash names no order: %q", text)
	}
	orderID := m[1]
	row := testID(page, "ship-queue").GetByTestId("order-row-" + orderID)
	must(t, expect.Locator(row).ToBeVisible())
	must(t, expect.Locator(row.GetByTestId("order-status")).ToHaveText("待发货"))
	must(t, expect.Locator(testID(page, "count-toship").Locator("strong")).ToHaveText(strconv.Itoa(waiting+1)))
	st, ok := s.Sandbox.Order(sandbox.SourceMerchant, orderID)
	if !ok || st.Status != wx.MerchantOrderToShip {
		t.Fatalf("the sandbox holds %+v (%v)", st, ok)
	}
	must(t, expect.Locator(row).ToContainText(st.Lines[0].Title))

	// Open it and ship it.
	must(t, row.GetByRole("link", playwrightName(orderID)).Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/orders/\d+$`)))
	must(t, expect.Locator(testID(page, "order-heading")).ToHaveText("订单 "+orderID))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("待发货"))
	chooseOption(t, testID(page, "ship-company"), "顺丰速运")
	must(t, testID(page, "ship-trackno").Fill("SF1234567890"))
	must(t, testID(page, "ship-submit").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+orderID+" 已发货。"))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("已发货"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("顺丰速运"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("SF1234567890"))
	must(t, expect.Locator(testID(page, "order-timeline")).ToContainText("admin · 发货（003shunfeng SF1234567890）"))
	must(t, expect.Locator(testID(page, "ship-panel")).ToHaveCount(0))
	st, _ = s.Sandbox.Order(sandbox.SourceMerchant, orderID)
	if st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 1 || st.Parcels[0].Company != "003shunfeng" || st.Parcels[0].TrackingNo != "SF1234567890" {
		t.Errorf("WeChat holds %+v", st)
	}

	// The next parcel is one click away: an order still waiting, its shipping form in view.
	must(t, expect.Locator(testID(page, "next-to-ship")).ToContainText(fmt.Sprintf("还有 %d 个订单待发货。", waiting)))
	navigateBy(t, page, clicker(testID(page, "next-to-ship-link")))
	must(t, expect.Locator(testID(page, "order-heading")).Not().ToHaveText("订单 "+orderID))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("待发货"))
	must(t, expect.Locator(testID(page, "ship-panel")).ToBeInViewport())

	// Back on the dashboard it no longer waits.
	open(t, page, s.URL+"/")
	must(t, expect.Locator(testID(page, "ship-queue").GetByTestId("order-row-"+orderID)).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "count-toship").Locator("strong")).ToHaveText(strconv.Itoa(waiting)))
}

func TestBulkShipThreeOrdersFromACSV(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// Three buyers pay; the operator syncs the orders in from the dashboard.
	var orders []db.Order
	for range 3 {
		orders = append(orders, db.Order{OrderID: s.Sandbox.NewPaidOrder(sandbox.SourceMerchant)})
	}
	must(t, testID(page, "orders-sync").Click())
	must(t, expect.Locator(testID(page, "flash")).ToContainText("微信小店："))
	for _, o := range orders {
		must(t, expect.Locator(testID(page, "ship-queue").GetByTestId("order-row-"+o.OrderID)).ToBeVisible())
	}
	var buf strings.Builder
	w := csv.NewWriter(&buf)
	w.Write([]string{"订单号", "快递公司", "运单号"})
	w.Write([]string{orders[0].OrderID, "顺丰速运", "SF5000000000001"})
	w.Write([]string{orders[1].OrderID, "中通", "73500000000002"})
	w.Write([]string{orders[2].OrderID, "003shunfeng", "SF5000000000003"})
	w.Write([]string{"7197000000000000009", "顺丰速运", "SF5000000000004"})
	w.Flush()
	file := filepath.Join(t.TempDir(), "今日发货.csv")
	must(t, os.WriteFile(file, []byte(buf.String()), 0o600))

	open(t, page, s.URL+"/orders")
	must(t, testID(page, "bulk-ship").Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/orders/bulk-ship"))
	must(t, testID(page, "bulk-file").SetInputFiles([]string{file}))
	must(t, testID(page, "bulk-upload").Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/orders/bulk-ship/\d+$`)))
	must(t, expect.Locator(testID(page, "bulk-summary")).ToHaveText("共 4 行，其中 3 行可以发货。"))
	for n := 1; n <= 3; n++ {
		must(t, expect.Locator(testID(page, "bulk-row-"+strconv.Itoa(n)).GetByTestId("bulk-state")).ToHaveText("可发货"))
	}
	bad := testID(page, "bulk-row-4")
	must(t, expect.Locator(bad.GetByTestId("bulk-state")).ToHaveText("有问题"))
	must(t, expect.Locator(bad).ToContainText("找不到这个订单，请先同步订单。"))
	for _, o := range orders {
		if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, o.OrderID); len(st.Parcels) != 0 {
			t.Fatalf("order %s was shipped by the preview", o.OrderID)
		}
	}

	must(t, testID(page, "bulk-run").Click())
	must(t, expect.Locator(testID(page, "bulk-summary")).ToHaveText("完成：3 个已发货，0 个未成功。"))
	for n := 1; n <= 3; n++ {
		must(t, expect.Locator(testID(page, "bulk-row-"+strconv.Itoa(n)).GetByTestId("bulk-state")).ToHaveText("已发货"))
	}
	must(t, expect.Locator(bad.GetByTestId("bulk-state")).ToHaveText("有问题"))
	for i, want := range []struct{ company, trackNo string }{
		{"003shunfeng", "SF5000000000001"}, {"066zhongtong", "73500000000002"}, {"003shunfeng", "SF5000000000003"},
	} {
		st, _ := s.Sandbox.Order(sandbox.SourceMerchant, orders[i].OrderID)
		if st.Status != wx.MerchantOrderShipped || len(st.Parcels) != 1 || st.Parcels[0].Company != want.company || st.Parcels[0].TrackingNo != want.trackNo {
			t.Errorf("order %s: WeChat holds %+v, want %s %s", orders[i].OrderID, st, want.company, want.trackNo)
		}
	}

	// Each shipped order's page says so.
	must(t, testID(page, "bulk-row-1").GetByRole("link", playwrightName(orders[0].OrderID)).Click())
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("已发货"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("SF5000000000001"))
}

func TestFilterTheOrderListAndExportIt(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// A receiver with an order waiting and other orders besides, so both filters matter.
	var phone string
	var want []string
	for _, o := range mirrored(t, s, db.OrderFilter{Status: db.OrderToShip}) {
		all := mirrored(t, s, db.OrderFilter{Query: o.ReceiverPhone})
		waiting := mirrored(t, s, db.OrderFilter{Query: o.ReceiverPhone, Status: db.OrderToShip})
		if o.ReceiverPhone != "" && len(all) > len(waiting) {
			phone = o.ReceiverPhone
			for _, w := range waiting {
				want = append(want, w.OrderID)
			}
			break
		}
	}
	if phone == "" {
		t.Fatal("no receiver of an order waiting has other orders too")
	}

	must(t, testID(page, "nav").GetByRole("link", playwrightName("订单")).Click())
	must(t, expect.Page(page).ToHaveURL(s.URL+"/orders"))
	must(t, testID(page, "tab-toship").Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`status=toship`)))
	must(t, expect.Locator(testID(page, "tab-toship")).ToHaveClass(regexp.MustCompile(`active`)))
	must(t, testID(page, "orders-search").Fill(phone))
	must(t, testID(page, "orders-search").Press("Enter"))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`q=`+phone)))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`status=toship`)))
	rows := page.Locator("[data-testid^='order-row-']")
	must(t, expect.Locator(rows).ToHaveCount(len(want)))
	shown := shownOrderIDs(t, page)
	if !slices.Equal(shown, want) {
		t.Errorf("the list shows %v, want %v", shown, want)
	}
	for i := range len(want) {
		must(t, expect.Locator(rows.Nth(i)).ToContainText(phone))
		must(t, expect.Locator(rows.Nth(i).GetByTestId("order-status")).ToHaveText("待发货"))
	}

	// Export: the file has the rows the list shows, in the same order.
	download, err := page.ExpectDownload(func() error { return testID(page, "orders-csv").Click() })
	must(t, err)
	if name := download.SuggestedFilename(); !strings.HasPrefix(name, "orders-") || !strings.HasSuffix(name, ".csv") {
		t.Errorf("the export is called %q", name)
	}
	path, err := download.Path()
	must(t, err)
	data, err := os.ReadFile(path)
	must(t, err)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	must(t, err)
	if len(records) == 0 || records[0][0] != "订单号" {
		t.Fatalf("the export's header is %v", records)
	}
	phoneCol := slices.Index(records[0], "手机号")
	var exported []string
	for _, r := range records[1:] {
		// Long numbers start with a tab, so that Excel shows them whole instead of as 7.1988E+18.
		for _, col := range []int{0, phoneCol} {
			if !strings.HasPrefix(r[col], "\t") {
				t.Errorf("%q would turn into a number in Excel", r[col])
			}
			r[col] = strings.TrimPrefix(r[col], "\t")
		}
		exported = append(exported, r[0])
		if r[phoneCol] != phone {
			t.Errorf("an exported row has phone %q", r[phoneCol])
		}
		if !slices.Contains(r, "待发货") {
			t.Errorf("an exported row is not waiting: %v", r)
		}
	}
	if !slices.Equal(exported, shown) {
		t.Errorf("the export has %v, the list %v", exported, shown)
	}
}

// WeChat is busy when the operator ships: the page says so with WeChat's code and meaning, keeps what was
// typed, and the next click ships. The audit log has both tries.
func TestShippingWhileWeChatIsBusy(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	orderID := s.Sandbox.NewPaidOrder(sandbox.SourceMerchant) // paid in WeChat; the sync brings it
	must(t, testID(page, "orders-sync").Click())
	row := testID(page, "ship-queue").GetByTestId("order-row-" + orderID)
	must(t, expect.Locator(row).ToBeVisible())
	must(t, row.GetByRole("link", playwrightName(orderID)).Click())
	must(t, expect.Locator(testID(page, "order-heading")).ToHaveText("订单 "+orderID))

	s.Sandbox.FailNext("/merchant/order/setdelivery", -1, "system error", 1)
	chooseOption(t, testID(page, "ship-company"), "中通速递")
	must(t, testID(page, "ship-trackno").Fill("73100000009999"))
	must(t, testID(page, "ship-submit").Click())
	meaning, _ := wx.CodeMeaning(-1, "zh")
	must(t, expect.Locator(testID(page, "ship-problem")).ToContainText("-1"))
	must(t, expect.Locator(testID(page, "ship-problem")).ToContainText(meaning))
	must(t, expect.Locator(testID(page, "ship-trackno")).ToHaveValue("73100000009999"))
	must(t, expect.Locator(testID(page, "ship-company")).ToHaveValue("066zhongtong"))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("待发货"))

	must(t, testID(page, "ship-submit").Click())
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+orderID+" 已发货。"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("73100000009999"))
	if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, orderID); len(st.Parcels) != 1 {
		t.Errorf("WeChat holds %d parcels, want 1", len(st.Parcels))
	}

	// The buyer calls with the tracking number: the search finds the order by it.
	open(t, page, s.URL+"/orders")
	must(t, testID(page, "orders-search").Fill("73100000009999"))
	navigateBy(t, page, func() error { return testID(page, "orders-search").Press("Enter") })
	must(t, expect.Locator(testID(page, "orders-table").Locator("tbody tr")).ToHaveCount(1))
	must(t, expect.Locator(testID(page, "order-row-"+orderID)).ToBeVisible())

	// The next merchant order starts with the courier that parcel left with, and, opened to be shipped, with the
	// cursor in the tracking number: a barcode scanner types the number and Enter, and the parcel is shipped.
	another := s.Sandbox.NewPaidOrder(sandbox.SourceMerchant)
	open(t, page, s.URL+"/")
	navigateBy(t, page, clicker(testID(page, "orders-sync")))
	open(t, page, s.URL+"/orders?q="+another)
	navigateBy(t, page, clicker(testID(page, "order-row-"+another).GetByTestId("ship-link")))
	must(t, expect.Locator(testID(page, "order-heading")).ToHaveText("订单 "+another))
	must(t, expect.Locator(selected(testID(page, "ship-company"))).ToHaveText("中通速递"))
	must(t, expect.Locator(testID(page, "ship-trackno")).ToBeFocused())
	must(t, page.Keyboard().Type("73100000008888"))
	navigateBy(t, page, func() error { return page.Keyboard().Press("Enter") })
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+another+" 已发货。"))
	if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, another); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "73100000008888" || st.Parcels[0].Company != "066zhongtong" {
		t.Errorf("the scanned parcel: WeChat holds %+v", st)
	}

	open(t, page, s.URL+"/audit")
	entries := page.Locator("tr", playwright.PageLocatorOptions{HasText: "merchant:" + orderID})
	must(t, expect.Locator(entries).ToHaveCount(2))
	must(t, expect.Locator(entries.Nth(0)).ToContainText("成功"))
	must(t, expect.Locator(entries.Nth(1)).ToContainText("微信返回错误 -1："+meaning))
}

// The operator downloads the orders waiting to ship, fills in a courier and tracking number for the parcel that
// is packed, and sends the sheet back: that order ships, the others wait for another day.
func TestShippingSheetFilledInAndSentBack(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	packed := s.Sandbox.NewPaidOrder(sandbox.SourceMerchant)
	waiting := s.Sandbox.NewPaidOrder(sandbox.SourceMerchant)
	must(t, testID(page, "orders-sync").Click())
	must(t, expect.Locator(testID(page, "ship-queue").GetByTestId("order-row-"+packed)).ToBeVisible())

	open(t, page, s.URL+"/orders/bulk-ship")
	// The example is a file's first lines, one under the other.
	sample, err := testID(page, "bulk-sample").InnerText()
	must(t, err)
	if lines := strings.Split(strings.TrimSpace(sample), "\n"); len(lines) != 3 || lines[0] != "order_id,delivery_company,delivery_track_no" {
		t.Errorf("the example shows %q, want three lines starting with the header", sample)
	}
	dl, err := page.ExpectDownload(clicker(testID(page, "bulk-sheet")))
	must(t, err)
	path, err := dl.Path()
	must(t, err)
	data, err := os.ReadFile(path)
	must(t, err)
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	must(t, err)
	if len(records) < 3 || records[0][0] != "订单号" || records[0][1] != "快递公司" || records[0][2] != "运单号" {
		t.Fatalf("the sheet starts %q", records[:min(len(records), 2)])
	}
	found := 0
	for _, r := range records[1:] {
		switch strings.TrimSpace(r[0]) {
		case packed:
			r[1], r[2] = "顺丰速运", "SF6000000000001"
			found++
		case waiting:
			found++
		}
	}
	if found != 2 {
		t.Fatalf("the sheet lists %d of the two new orders:\n%s", found, data)
	}
	var buf strings.Builder
	w := csv.NewWriter(&buf)
	must(t, w.WriteAll(records))
	file := filepath.Join(t.TempDir(), "待发货.csv")
	must(t, os.WriteFile(file, []byte(buf.String()), 0o600))

	must(t, testID(page, "bulk-file").SetInputFiles([]string{file}))
	must(t, testID(page, "bulk-upload").Click())
	must(t, expect.Locator(testID(page, "bulk-summary")).ToHaveText("共 1 行，其中 1 行可以发货。"))
	must(t, expect.Locator(testID(page, "bulk-blank")).ToHaveText(fmt.Sprintf("另有 %d 个订单没有填写快递公司和运单号，这次不发货。", len(records)-2)))
	must(t, testID(page, "bulk-run").Click())
	must(t, expect.Locator(testID(page, "bulk-summary")).ToHaveText("完成：1 个已发货，0 个未成功。"))
	if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, packed); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "SF6000000000001" {
		t.Errorf("the packed order: WeChat holds %+v", st)
	}
	if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, waiting); len(st.Parcels) != 0 {
		t.Errorf("the order left blank was shipped: %+v", st)
	}

	// Later, the file is found again on the upload page.
	open(t, page, s.URL+"/orders/bulk-ship")
	recent := testID(page, "bulk-recent").GetByTestId("bulk-file-row").First()
	must(t, expect.Locator(recent).ToContainText("待发货.csv"))
	must(t, expect.Locator(recent).ToContainText("已完成"))
	must(t, expect.Locator(recent).ToContainText("已发货 1，未成功 0"))
	navigateBy(t, page, clicker(recent.GetByRole("link", playwrightName("待发货.csv"))))
	must(t, expect.Locator(testID(page, "bulk-summary")).ToHaveText("完成：1 个已发货，0 个未成功。"))
}
