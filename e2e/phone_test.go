package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/wx/sandbox"
)

// phoneWidth is a common phone's width in CSS pixels.
const phoneWidth = 390

// fitsThePhone fails when the page is wider than the phone's screen: a page that scrolls sideways hides its
// right-hand side (the ship button, the totals). A wide table may scroll inside its own box instead.
func fitsThePhone(t *testing.T, page playwright.Page, what string) {
	t.Helper()
	width, err := page.Evaluate(`() => document.documentElement.scrollWidth`)
	must(t, err)
	if w, ok := width.(int); !ok || w > phoneWidth {
		t.Errorf("%s on a phone is %v px wide, wider than the screen's %d", what, width, phoneWidth)
	}
}

// An operator away from the desk: on a phone every area fits the screen, the navigation shows where one is,
// and an order waiting in the list can be opened and shipped.
func TestRunTheShopFromAPhone(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	must(t, page.SetViewportSize(phoneWidth, 844))
	signIn(t, page, s.URL, "admin", AdminPassword)
	fitsThePhone(t, page, "the dashboard")

	order := s.Sandbox.NewPaidOrder(sandbox.SourceMerchant)
	must(t, testID(page, "orders-sync").Click())
	must(t, expect.Locator(testID(page, "ship-queue").GetByTestId("order-row-"+order)).ToBeVisible())

	for _, area := range []struct{ nav, heading string }{
		{"orders", "订单"}, {"aftersales", "售后"}, {"products", "商品"}, {"stock", "库存"}, {"postage", "运费模板"}, {"groups", "分组"},
		{"shelves", "货架"}, {"images", "图片库"}, {"permission", "购物订单权限"}, {"audit", "操作日志"}, {"users", "用户"},
		{"settings", "设置"},
	} {
		navigateBy(t, page, clicker(testID(page, "nav-"+area.nav)))
		must(t, expect.Locator(page.Locator("main h1").First()).ToHaveText(area.heading))
		fitsThePhone(t, page, area.heading)
		// The current area is in view in the navigation row, wherever it lies along it.
		box, err := testID(page, "nav-"+area.nav).BoundingBox()
		must(t, err)
		if box == nil || box.X < 0 || box.X+box.Width > phoneWidth {
			t.Errorf("on %s the navigation shows its link at %+v, off the screen", area.heading, box)
		}
	}
	for _, path := range []string{"/products/new", "/postage/new", "/shelves/new", "/orders/bulk-ship"} {
		open(t, page, s.URL+path)
		fitsThePhone(t, page, path)
	}

	// The order waits in the list; its row's ship button, at the table's far side, is reached and works.
	open(t, page, s.URL+"/orders?status=toship")
	fitsThePhone(t, page, "the orders waiting to ship")
	row := testID(page, "order-row-"+order)
	navigateBy(t, page, clicker(row.GetByTestId("ship-link")))
	fitsThePhone(t, page, "the order's page")
	chooseOption(t, testID(page, "ship-company"), "顺丰速运")
	must(t, testID(page, "ship-trackno").Fill("SF7000000000001"))
	navigateBy(t, page, clicker(testID(page, "ship-submit")))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("已发货"))
	if st, _ := s.Sandbox.Order(sandbox.SourceMerchant, order); len(st.Parcels) != 1 || st.Parcels[0].TrackingNo != "SF7000000000001" {
		t.Errorf("shipped from a phone: WeChat holds %+v", st)
	}
}
