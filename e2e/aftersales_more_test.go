package e2e

import (
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// firstAftersaleWith is the first demo after-sale for which ok holds, as WeChat would answer it.
func firstAftersaleWith(t *testing.T, s *Server, ok func(wx.AfterSaleOrder) bool) wx.AfterSaleOrder {
	t.Helper()
	for _, id := range s.Sandbox.AftersaleIDs("", "") {
		if o, found := s.Sandbox.AftersaleState(id); found && ok(o) {
			return o
		}
	}
	t.Fatal("no demo after-sale fits")
	return wx.AfterSaleOrder{}
}

// The buyer's pictures are on the after-sale's page, each loaded from WeChat through the app.
func TestAftersaleBuyerPictures(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	o := firstAftersaleWith(t, s, func(o wx.AfterSaleOrder) bool { return len(o.Details.MediaInfos) >= 2 })
	open(t, page, s.URL+"/aftersales/"+string(o.AfterSaleOrderID))
	pics := testID(page, "aftersale-images").GetByTestId("aftersale-image")
	must(t, expect.Locator(pics).ToHaveCount(len(o.Details.MediaInfos)))
	for i := range len(o.Details.MediaInfos) {
		must(t, expect.Locator(pics.Nth(i)).ToHaveAttribute("alt", o.Details.MediaInfos[i].PictureMediaID))
		loaded, err := pics.Nth(i).Evaluate(`img => img.complete && img.naturalWidth > 0`, nil)
		must(t, err)
		if loaded != true {
			t.Errorf("picture %d did not load", i)
		}
	}
}

// A dispute the buyer opened after a rejection: its status and history are shown, and the operator leaves a
// message that then appears in it, newest first.
func TestAftersaleDisputeAnswered(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	o := firstAftersaleWith(t, s, func(o wx.AfterSaleOrder) bool { return o.ComplaintID != "" })
	open(t, page, s.URL+"/aftersales/"+string(o.AfterSaleOrderID))
	section := testID(page, "aftersale-complaint-section")
	must(t, expect.Locator(section).ToContainText(string(o.ComplaintID)))
	must(t, expect.Locator(testID(page, "complaint-status")).Not().ToBeEmpty())
	// An empty message is refused beside the field.
	navigateBy(t, page, clicker(testID(page, "action-complaint_message")))
	must(t, expect.Locator(testID(page, "error-content")).ToBeVisible())
	must(t, testID(page, "complaint-text").Fill("您好，包裹已于昨日签收，签收照片见附件。"))
	navigateBy(t, page, clicker(testID(page, "action-complaint_message")))
	must(t, expect.Locator(testID(page, "flash")).ToBeVisible())
	must(t, expect.Locator(testID(page, "complaint-content").First()).ToHaveText("您好，包裹已于昨日签收，签收照片见附件。"))
}

// An exchange whose returned goods cannot be exchanged: the operator refuses the re-shipment with a reason
// meant for it and a picture as evidence; the after-sale is then 商家拒绝发货 and its history keeps the
// evidence, which WeChat received.
func TestAftersaleExchangeReshipRefused(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	id := newAftersale(t, page, s.URL, "EXCHANGE")
	navigateBy(t, page, clicker(testID(page, "action-accept_return")))
	navigateBy(t, page, clicker(testID(page, "sandbox-ship_return")))
	wantStatusShown(t, page, "待商家收货")
	form := testID(page, "form-reject_reship")
	// Only the reasons for refusing a re-shipment are offered.
	must(t, expect.Locator(form.GetByTestId("reject-type").Locator("option")).ToHaveText([]string{"请选择拒绝原因", "寄回商品有使用痕迹，无法换新"}))
	// Without a reason it is refused beside the field.
	navigateBy(t, page, clicker(testID(page, "action-reject_reship")))
	must(t, expect.Locator(testID(page, "error-reason_type")).ToBeVisible())
	form = testID(page, "form-reject_reship")
	_, err := form.GetByTestId("reject-type").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"寄回商品有使用痕迹，无法换新"}})
	must(t, err)
	must(t, form.GetByTestId("reject_reship-media-file").SetInputFiles([]string{writePNG(t, "worn.png", color.RGBA{160, 90, 40, 255})}))
	navigateBy(t, page, clicker(testID(page, "action-reject_reship")))
	wantStatusShown(t, page, "商家拒绝发货")
	_, certs := s.Sandbox.ReshipRefusal(id)
	if len(certs) != 1 {
		t.Fatalf("WeChat received %d evidence pictures, want 1", len(certs))
	}
	must(t, expect.Locator(testID(page, "aftersale-history")).ToContainText("拒绝换货"))
	must(t, expect.Locator(testID(page, "aftersale-history")).ToContainText("media_ids="+certs[0]))
}

// The operator opens a refund for the buyer from a finished order's page: a quantity over the line's is
// refused beside the field with the rest kept; then the after-sale is opened, waits for the buyer and is
// listed on the order's page.
func TestAftersaleOpenedForBuyer(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	done, _, err := s.Store.Orders(t.Context(), db.OrderFilter{Source: db.SourceChannels, Status: db.OrderDone, Limit: 50})
	must(t, err)
	var order db.Order
	for _, brief := range done {
		if list, err := s.Store.AftersalesOfOrder(t.Context(), brief.OrderID); err == nil && len(list) == 0 {
			order, err = s.Store.Order(t.Context(), brief.ID)
			must(t, err)
			break
		}
	}
	if order.ID == 0 {
		t.Fatal("no finished Channels order without after-sales")
	}
	orderURL := s.URL + "/orders/" + strconv.FormatInt(order.ID, 10)
	open(t, page, orderURL)
	navigateBy(t, page, clicker(testID(page, "open-for-buyer-link")))
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("代买家发起售后"))
	must(t, expect.Locator(testID(page, "gen-line")).ToContainText(order.Lines[0].Title))
	must(t, testID(page, "gen-count").Fill(strconv.FormatInt(order.Lines[0].Quantity+1, 10)))
	must(t, testID(page, "gen-amount").Fill("1.00"))
	_, err = testID(page, "gen-reason").SelectOption(playwright.SelectOptionValues{Labels: &[]string{"双方协商一致退款"}})
	must(t, err)
	must(t, testID(page, "gen-desc").Fill("电话沟通后同意退 1 元"))
	navigateBy(t, page, clicker(testID(page, "gen-submit")))
	must(t, expect.Locator(testID(page, "error-count")).ToContainText("1 到 "+strconv.FormatInt(order.Lines[0].Quantity, 10)))
	must(t, expect.Locator(testID(page, "gen-desc")).ToHaveValue("电话沟通后同意退 1 元"))
	must(t, expect.Locator(testID(page, "gen-amount")).ToHaveValue("1.00"))
	must(t, testID(page, "gen-count").Fill("1"))
	navigateBy(t, page, clicker(testID(page, "gen-submit")))
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/aftersales/\d+$`)))
	wantStatusShown(t, page, "待买家处理商家代发起的售后")
	must(t, expect.Locator(testID(page, "flash")).ToContainText("等待买家确认"))
	id := page.URL()[strings.LastIndex(page.URL(), "/")+1:]
	open(t, page, orderURL)
	must(t, expect.Locator(testID(page, "order-aftersale-"+id)).ToContainText("¥1.00"))
	// It waits on the buyer: in progress, not among what waits on the merchant.
	open(t, page, s.URL+"/aftersales?tab=ongoing")
	must(t, expect.Locator(testID(page, "aftersale-row-"+id)).ToBeVisible())
}

// The after-sale page in English: type, status, actions and the history in English words.
func TestAftersalePageInEnglish(t *testing.T) {
	s := StartServer(t)
	page := NewPage(t)
	signIn(t, page, s.URL, "admin", AdminPassword)
	newAftersale(t, page, s.URL, "REFUND")
	must(t, testID(page, "lang-en").Click())
	wantStatusShown(t, page, "Waiting for you")
	must(t, expect.Locator(testID(page, "action-refund")).ToHaveText("Agree to refund"))
	navigateBy(t, page, clicker(testID(page, "action-refund")))
	must(t, expect.Locator(testID(page, "aftersale-history")).ToContainText("Agree to refund"))
	open(t, page, s.URL+"/aftersales")
	must(t, expect.Locator(page.Locator("h1")).ToHaveText("After-sales"))
}
