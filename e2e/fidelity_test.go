package e2e

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"testing"
	"time"

	"wxshop/internal/app"
	"wxshop/internal/db"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// A Channels order's buyer note, which the Channels store answers in order_detail.ext_info: the list marks the
// order, the order page shows the note as the buyer wrote it.
func TestChannelsOrderShowsTheBuyersNote(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)

	// The first sync brought the Channels orders; find one whose buyer left a note, as WeChat answers it.
	client := wx.NewClient(wx.Config{BaseURL: s.Sandbox.URL, AppID: s.Sandbox.AppID(), Secret: s.Sandbox.Secret(),
		Tokens: wx.NewMemoryTokenStore(), Logger: slog.New(slog.DiscardHandler)})
	var noted db.Order
	for _, o := range mirrored(t, s, db.OrderFilter{Source: db.SourceChannels}) {
		answer, err := client.ChannelsOrder(context.Background(), o.OrderID)
		if err != nil {
			t.Fatal(err)
		}
		if buyer, _ := answer.Notes(); buyer != "" {
			noted = o
			if noted.Note != buyer {
				t.Fatalf("the mirror has note %q, WeChat %q", noted.Note, buyer)
			}
			break
		}
	}
	if noted.ID == 0 {
		t.Fatal("no Channels order of the demo has a buyer note")
	}

	open(t, page, s.URL+"/orders?source=channels&q="+noted.OrderID)
	row := testID(page, "order-row-"+noted.OrderID)
	must(t, expect.Locator(row).ToBeVisible())
	mark := row.GetByTestId("order-note-mark")
	must(t, expect.Locator(mark).ToHaveText("留言"))
	must(t, expect.Locator(mark).ToHaveAttribute("title", noted.Note))

	navigateBy(t, page, clicker(row.GetByRole("link", playwrightName(noted.OrderID))))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/orders/\d+$`)))
	must(t, expect.Locator(testID(page, "order-note")).ToHaveText(noted.Note))
	if noted.MerchantNote != "" {
		must(t, expect.Locator(testID(page, "order-merchant-note")).ToHaveText(noted.MerchantNote))
	}
}

// A partner-store order whose answer has no status (as its document's example) arrives by the partner-store
// event and shows as 状态未知: in its own tab, never among the orders to ship or done.
func TestPartnerOrderOfUnknownStatus(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	waiting := len(mirrored(t, s, db.OrderFilter{Status: db.OrderToShip}))

	// WeChat pushes the partner-store event (JSON, the ids under Data) for the demo's partner orders.
	var unknown db.Order
	for _, id := range s.Sandbox.OrderIDs(sandbox.SourcePartner, 0) {
		if err := s.Sandbox.PushOrderEvent(context.Background(), s.URL+"/wx/callback", app.SandboxCallbackToken, "", id); err != nil {
			t.Fatal(err)
		}
		// The push is answered once the fetch is done, or after 4 s while it goes on: wait for it.
		var orders []db.Order
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if orders, err = s.Store.OrdersBySourceID(context.Background(), id); err != nil || len(orders) > 0 {
				break
			}
		}
		if err != nil || len(orders) != 1 {
			t.Fatalf("the pushed partner order %s is stored %d times (%v)", id, len(orders), err)
		}
		if orders[0].Status == db.OrderUnknown {
			unknown = orders[0]
			break
		}
	}
	if unknown.ID == 0 {
		t.Fatal("no partner order of the demo was answered without a status")
	}

	open(t, page, s.URL+"/orders?status=unknown")
	row := testID(page, "order-row-"+unknown.OrderID)
	must(t, expect.Locator(row).ToBeVisible())
	must(t, expect.Locator(row.GetByTestId("order-status")).ToHaveText("状态未知"))
	for _, st := range []string{"toship", "done"} {
		open(t, page, s.URL+"/orders?status="+st)
		must(t, expect.Locator(testID(page, "order-row-"+unknown.OrderID)).ToHaveCount(0))
	}

	open(t, page, s.URL+"/orders/"+strconv.FormatInt(unknown.ID, 10))
	must(t, expect.Locator(testID(page, "order-status")).ToHaveText("状态未知"))
	must(t, expect.Locator(testID(page, "ship-panel")).ToHaveCount(0))

	open(t, page, s.URL+"/")
	must(t, expect.Locator(testID(page, "count-toship").Locator("strong")).ToHaveText(strconv.Itoa(waiting)))
}

// The shopping-order permission in its two steps: open it, then submit the integration for review; the
// second step is offered only once the first is done.
func TestPermissionOpenedThenSubmittedForReview(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	open(t, page, s.URL+"/permission")
	must(t, expect.Locator(testID(page, "permission-confirm-status")).ToHaveText("尚未提交审核"))
	must(t, expect.Locator(testID(page, "permission-confirm-submit")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "permission-confirm-later")).ToBeVisible())

	navigateBy(t, page, clicker(testID(page, "permission-open")))
	must(t, expect.Locator(testID(page, "permission-status")).ToHaveText("已开通"))
	navigateBy(t, page, clicker(testID(page, "permission-confirm-submit")))
	must(t, expect.Locator(testID(page, "flash")).ToContainText("已提交购物订单接入审核"))
	must(t, expect.Locator(testID(page, "permission-confirm-status")).ToHaveText("已提交审核"))
	// A second submission shows the first review's result, as WeChat's last_result gives it.
	navigateBy(t, page, clicker(testID(page, "permission-confirm-submit")))
	must(t, expect.Locator(testID(page, "permission-last-result")).ToHaveText("上一次审核的结果：审核通过"))
}

// A merchant order shipped with a courier the manual's table does not have, typed by name (is_others).
func TestMerchantOrderShippedWithAnotherCourier(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	waiting := mirrored(t, s, db.OrderFilter{Source: db.SourceMerchant, Status: db.OrderToShip})
	if len(waiting) == 0 {
		t.Fatal("no merchant order waits to be shipped")
	}
	o := waiting[0]
	open(t, page, s.URL+"/orders/"+strconv.FormatInt(o.ID, 10))
	must(t, testID(page, "ship-method-other").Check())
	must(t, testID(page, "ship-other-company").Fill("安能物流"))
	must(t, testID(page, "ship-trackno").Fill("AN0012345678"))
	navigateBy(t, page, clicker(testID(page, "ship-submit")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+o.OrderID+" 已发货。"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("安能物流"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("AN0012345678"))
	st, _ := s.Sandbox.Order(sandbox.SourceMerchant, o.OrderID)
	if len(st.Parcels) != 1 || st.Parcels[0].Company != "安能物流" {
		t.Errorf("WeChat holds %+v", st)
	}
}

// A Channels order of virtual goods (deliver_method 1), made by the dashboard's sandbox button, arrives by its
// push and is shipped with no courier: the page says it is virtual, goes to no address and how it was paid,
// offers 无需物流 already chosen, and after shipping shows the parcel as 无需物流; WeChat holds it shipped as a
// virtual delivery.
func TestChannelsVirtualOrderShippedWithoutLogistics(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	navigateBy(t, page, clicker(testID(page, "sandbox-new-virtual-order")))
	flash := testID(page, "flash")
	must(t, expect.Locator(flash).ToContainText("沙箱已生成虚拟商品订单"))
	text, err := flash.TextContent()
	must(t, err)
	m := regexp.MustCompile(`虚拟商品订单 (\d+)（`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the flash names no order: %q", text)
	}
	id := m[1]
	if st, ok := s.Sandbox.Order(sandbox.SourceChannels, id); !ok || !st.Virtual {
		t.Fatalf("the sandbox holds %+v (%v); want an order of virtual goods", st, ok)
	}
	var o db.Order
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && o.ID == 0; time.Sleep(50 * time.Millisecond) {
		o, _ = s.Store.OrderBySourceID(context.Background(), db.SourceChannels, "", id)
	}
	if o.ID == 0 {
		t.Fatalf("the pushed virtual order %s was not stored", id)
	}

	open(t, page, s.URL+"/orders/"+strconv.FormatInt(o.ID, 10))
	must(t, expect.Locator(testID(page, "order-virtual")).ToHaveText("虚拟商品，无需物流"))
	must(t, expect.Locator(testID(page, "order-address")).ToHaveText("无需收货地址（虚拟商品，买家只留了联系电话）"))
	must(t, expect.Locator(testID(page, "order-payment")).ToHaveText("微信支付"))
	must(t, expect.Locator(testID(page, "ship-method-none")).ToBeChecked())
	must(t, expect.Locator(testID(page, "ship-virtual-help")).ToBeVisible())
	navigateBy(t, page, clicker(testID(page, "ship-submit")))
	must(t, expect.Locator(testID(page, "flash")).ToHaveText("订单 "+o.OrderID+" 已发货。"))
	must(t, expect.Locator(testID(page, "order-parcels")).ToContainText("无需物流"))
	must(t, expect.Locator(testID(page, "ship-panel")).ToHaveCount(0))
	st, _ := s.Sandbox.Order(sandbox.SourceChannels, o.OrderID)
	if st.Status != wx.ShopOrderToReceive || len(st.Parcels) != 1 || st.Parcels[0].Company != "" || st.Parcels[0].TrackingNo != "" {
		t.Errorf("WeChat holds %+v; want shipped as a virtual delivery", st)
	}
}
