package e2e

import (
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/wx"
)

// The after-sale journeys: a refund-only request refunded, a return agreed with an address, shipped back by
// the buyer and refunded on receipt, a rejection WeChat wants negotiated first, an exchange answered with a
// replacement parcel, and a viewer who sees but cannot act.

// newAftersale has the sandbox's buyer apply for an after-sale of typ from the list's button and returns its id,
// the page being the after-sale's.
func newAftersale(t *testing.T, page playwright.Page, base, typ string) string {
	t.Helper()
	open(t, page, base+"/aftersales")
	_, err := testID(page, "sandbox-new-aftersale").Locator("select").SelectOption(playwright.SelectOptionValues{Values: &[]string{typ}})
	must(t, err)
	navigateBy(t, page, clicker(testID(page, "sandbox-new-aftersale").Locator("button")))
	id, found := strings.CutPrefix(page.URL(), base+"/aftersales/")
	if !found || id == "" {
		t.Fatalf("the new after-sale's page is %s", page.URL())
	}
	must(t, expect.Locator(testID(page, "aftersale-status")).ToHaveText("待商家处理"))
	return id
}

func wantStatusShown(t *testing.T, page playwright.Page, words string) {
	t.Helper()
	must(t, expect.Locator(testID(page, "aftersale-status")).ToHaveText(words))
}

func TestAftersaleRefundOnly(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	// The dashboard counts what waits (the demo after-sales, synced at start).
	must(t, expect.Locator(testID(page, "dashboard-aftersales")).ToBeVisible())
	id := newAftersale(t, page, s.URL, "REFUND")
	must(t, expect.Locator(testID(page, "aftersale-type")).ToHaveText("仅退款"))
	navigateBy(t, page, clicker(testID(page, "action-refund")))
	must(t, expect.Locator(testID(page, "flash")).ToContainText("同意退款：已完成"))
	wantStatusShown(t, page, "平台退款中")
	must(t, expect.Locator(testID(page, "aftersale-history")).ToContainText("admin：同意退款"))
	if o, _ := s.Sandbox.AftersaleState(id); o.Status != wx.AftersalePlatformRefunding && o.Status != wx.AftersaleMerchantRefundSuccess {
		t.Errorf("WeChat has %s", o.Status)
	}
	// The list finds it by its id.
	open(t, page, s.URL+"/aftersales?q="+id)
	must(t, expect.Locator(testID(page, "aftersale-row-"+id)).ToBeVisible())
}

func TestAftersaleReturnReceivedAndRefunded(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	newAftersale(t, page, s.URL, "RETURN")
	// The default return address is chosen already.
	must(t, expect.Locator(testID(page, "address-select").Locator("option:checked")).ToContainText("（默认）"))
	navigateBy(t, page, clicker(testID(page, "action-accept_return")))
	wantStatusShown(t, page, "待买家退货")
	// The buyer ships the goods back (the sandbox's button).
	navigateBy(t, page, clicker(testID(page, "sandbox-ship_return")))
	wantStatusShown(t, page, "待商家收货")
	must(t, expect.Locator(testID(page, "aftersale-return-waybill")).Not().ToBeEmpty())
	navigateBy(t, page, clicker(testID(page, "action-receive_refund")))
	must(t, expect.Locator(testID(page, "flash")).ToContainText("确认收货并退款：已完成"))
}

func TestAftersaleRejectMustNegotiateFirst(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	id := newAftersale(t, page, s.URL, "REFUND")
	s.Sandbox.AllowRejection(id, false)
	form := testID(page, "form-reject")
	_, err := form.Locator("select").SelectOption(playwright.SelectOptionValues{Indexes: &[]int{1}})
	must(t, err)
	must(t, testID(page, "reject-text").Fill("已按约定时间发货"))
	navigateBy(t, page, clicker(testID(page, "action-reject")))
	must(t, expect.Locator(testID(page, "aftersale-problem")).ToContainText("10021068"))
	must(t, expect.Locator(testID(page, "aftersale-problem")).ToContainText("请先与买家协商"))
	must(t, expect.Locator(testID(page, "negotiate-suggested")).ToBeVisible())
	must(t, expect.Locator(testID(page, "reject-text")).ToHaveValue("已按约定时间发货"))
	wantStatusShown(t, page, "待商家处理")
	// The negotiation offered: half the amount, with the evidence's media id.
	must(t, testID(page, "negotiate-amount").Fill("1.00"))
	must(t, testID(page, "negotiate-desc").Fill("已电话沟通，退 1 元"))
	must(t, testID(page, "negotiate-media").Fill("MEDIA1"))
	navigateBy(t, page, clicker(testID(page, "action-negotiate")))
	wantStatusShown(t, page, "待买家处理协商")
	must(t, expect.Locator(testID(page, "aftersale-negotiation")).ToContainText("¥1.00"))
}

func TestAftersaleExchangeReshipped(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	newAftersale(t, page, s.URL, "EXCHANGE")
	must(t, expect.Locator(testID(page, "action-accept_return")).ToHaveText("同意换货"))
	navigateBy(t, page, clicker(testID(page, "action-accept_return")))
	navigateBy(t, page, clicker(testID(page, "sandbox-ship_return")))
	wantStatusShown(t, page, "待商家收货")
	_, err := testID(page, "reship-courier").SelectOption(playwright.SelectOptionValues{Values: &[]string{"SF"}})
	must(t, err)
	must(t, testID(page, "reship-waybill").Fill("SF1234567890123"))
	navigateBy(t, page, clicker(testID(page, "action-reship")))
	wantStatusShown(t, page, "待买家收货")
	must(t, expect.Locator(testID(page, "aftersale-reship-waybill")).ToContainText("顺丰速运 SF1234567890123"))
}

func TestAftersaleViewerSeesButCannotAct(t *testing.T) {
	s := StartServer(t)
	s.AddUser(t, "viewer1", "viewer-password-1", "viewer")
	page := NewPage(t)
	signIn(t, page, s.URL, "viewer1", "viewer-password-1")
	ids := s.Sandbox.AftersaleIDs(wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing)
	open(t, page, s.URL+"/aftersales?tab=pending")
	must(t, expect.Locator(testID(page, "aftersale-row-"+ids[0])).ToBeVisible())
	must(t, expect.Locator(testID(page, "aftersales-sync")).ToHaveCount(0))
	navigateBy(t, page, clicker(testID(page, "aftersale-row-"+ids[0]).Locator("a").First()))
	wantStatusShown(t, page, "待商家处理")
	must(t, expect.Locator(testID(page, "aftersale-viewer")).ToBeVisible())
	must(t, expect.Locator(testID(page, "action-refund")).ToHaveCount(0))
	must(t, expect.Locator(testID(page, "sandbox-buyer")).ToHaveCount(0))
}

func TestReturnAddressAdded(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	open(t, page, s.URL+"/aftersales")
	navigateBy(t, page, clicker(testID(page, "return-addresses")))
	must(t, expect.Locator(testID(page, "address-default-recv")).ToHaveCount(1))
	navigateBy(t, page, clicker(testID(page, "address-new")))
	for field, v := range map[string]string{"name": "赵六", "phone": "13700000000", "province": "浙江省", "city": "杭州市", "detail": "文三路 1 号"} {
		must(t, testID(page, "address-"+field).Fill(v))
	}
	navigateBy(t, page, clicker(testID(page, "address-save")))
	must(t, expect.Locator(testID(page, "error-county")).ToBeVisible())
	must(t, expect.Locator(testID(page, "address-name")).ToHaveValue("赵六"))
	must(t, testID(page, "address-county").Fill("西湖区"))
	must(t, testID(page, "address-default-recv-box").Check())
	navigateBy(t, page, clicker(testID(page, "address-save")))
	must(t, expect.Locator(testID(page, "flash")).ToContainText("赵六"))
	must(t, expect.Locator(testID(page, "addresses-table")).ToContainText("浙江省杭州市西湖区文三路 1 号"))
	// The new default is the only one.
	must(t, expect.Locator(testID(page, "address-default-recv")).ToHaveCount(1))
}
