package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

func en(key string, args ...any) string {
	return i18n.Printer{Lang: i18n.Parse("en")}.T(key, args...)
}

// cjkChunks are the pieces of key's Chinese text a page would show (between its format verbs) that hold
// Chinese characters: none of them may appear on an English page.
var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// wechatData are the parts of the pages that show what WeChat sent as it is: the buyer's words, a
// negotiation's and a rejection's text, the reject reasons, the addresses, the shop's products.
var wechatData = []*regexp.Regexp{
	regexp.MustCompile(`(?s)<dd data-testid="aftersale-(desc|negotiation|reject-reason)">.*?</dd>`),
	regexp.MustCompile(`(?s)<select name="(reason_type|address_id)".*?</select>`),
	regexp.MustCompile(`(?s)<tr data-testid="address-row-.*?</tr>`),
	regexp.MustCompile(`(?s)<a class="brand".*?</a>`),
}

// complaintContent is what the buyer and the merchant wrote in a dispute, shown as sent.
var complaintContent = regexp.MustCompile(`(?s)<span data-testid="complaint-content">.*?</span>`)

// orderAftersales is the order page's after-sale section, the part of that page the area writes.
var orderAftersales = regexp.MustCompile(`(?s)<section class="card" data-testid="order-aftersales">.*?</section>`)

func cjkChunks(key string) []string {
	var out []string
	for _, part := range formatVerb.Split(zh(key), -1) {
		part = strings.TrimSpace(part)
		if len([]rune(part)) >= 2 && strings.ContainsFunc(part, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			out = append(out, part)
		}
	}
	return out
}

// The after-sale pages in English: every message of the area is in English, none left in Chinese (what
// WeChat sends — the buyer's words, reject reasons, addresses — stays as sent), and a form's errors too.
func TestAftersalePagesInEnglish(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	b := s.signedIn(t, "operator")
	wantStatus(t, b.post("/lang", url.Values{"lang": {"en"}}), http.StatusSeeOther)
	s.syncOrdersAs(t, b)
	s.syncAftersales(t, b)

	var keys []string
	for _, prefix := range []string{"aftersale.", "address.", "couriers.", "nav."} {
		keys = append(keys, i18n.Keys(prefix)...)
	}
	pages := []string{"/aftersales", "/return-addresses", "/return-addresses/new"}
	for _, tab := range db.AftersaleTabs {
		pages = append(pages, "/aftersales?tab="+tab)
	}
	for _, st := range []struct{ typ, status string }{
		{wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing}, {wx.AftersaleTypeReturn, wx.AftersaleMerchantProcessing},
		{wx.AftersaleTypeReturn, wx.AftersaleMerchantWaitReceipt}, {wx.AftersaleTypeExchange, wx.AftersaleMerchantWaitReceipt},
		{wx.AftersaleTypeRefund, wx.AftersalePlatformRefundFail}, {wx.AftersaleTypeRefund, wx.AftersaleUserWaitConfirmUpdate},
	} {
		ids := s.sandbox.AftersaleIDs(st.typ, st.status)
		if len(ids) == 0 {
			t.Fatalf("no demo %s in %s", st.typ, st.status)
		}
		pages = append(pages, "/aftersales/"+ids[0])
		if st.status == wx.AftersaleMerchantWaitReceipt {
			o, _ := s.sandbox.AftersaleState(ids[0])
			pages = append(pages, orderPath(s.mirrorOf(t, db.SourceChannels, string(o.OrderID))))
		}
	}
	for _, x := range s.sandbox.AftersaleIDs("", "") { // one with a dispute
		if o, _ := s.sandbox.AftersaleState(x); o.ComplaintID != "" {
			pages = append(pages, "/aftersales/"+x)
			break
		}
	}
	check := func(path string, a answer) {
		t.Helper()
		if !strings.Contains(a.body, `<html lang="en"`) || !strings.Contains(a.body, en("nav.aftersales")) {
			t.Errorf("%s is not in English", path)
		}
		body := a.body
		if strings.HasPrefix(path, "/orders/") {
			body = orderAftersales.FindString(body)
			if body == "" {
				t.Errorf("%s has no after-sales section", path)
			}
		}
		body = complaintContent.ReplaceAllString(body, "")
		for _, re := range wechatData {
			body = re.ReplaceAllString(body, "")
		}
		for _, key := range keys {
			for _, chunk := range cjkChunks(key) {
				if i := strings.Index(body, chunk); i >= 0 {
					t.Errorf("%s shows %q (%s) in Chinese: %s", path, chunk, key, body[max(i-150, 0):min(i+60, len(body))])
				}
			}
		}
	}
	for _, path := range pages {
		a := b.get(path)
		wantStatus(t, a, http.StatusOK)
		check(path, a)
	}
	pending := s.sandbox.AftersaleIDs(wx.AftersaleTypeRefund, wx.AftersaleMerchantProcessing)[0]
	page := b.get("/aftersales/" + pending)
	wantBody(t, page, en("aftersale.action.refund"), en("aftersale.action.negotiate"), en("aftersale.action.reject"),
		en("aftersale.type.REFUND"), en("aftersale.status.MERCHANT_PROCESSING"))
	a := b.post("/aftersales/"+pending+"/answer", url.Values{"action": {"reject"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, en("aftersale.error.reason"))
	check("the rejection sent back", a)
	a = b.post("/return-addresses", url.Values{"name": {"Zhao"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, en("address.error.required"))
	check("the address form sent back", a)
}
