package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// aftersaleShop is a demo shop whose buyer moves only when told to, so the tests decide when.
func aftersaleShop(t *testing.T) *shop {
	sh := newShop(t, sandbox.Options{})
	sh.sb.SetAftersaleDelays(-1, time.Second)
	return sh
}

func (sh *shop) aftersale(id string) *wx.AfterSaleOrder {
	sh.t.Helper()
	o, err := sh.wx.AftersaleOrder(sh.t.Context(), id)
	if err != nil {
		sh.t.Fatalf("getaftersaleorder %s: %v", id, err)
	}
	return o
}

// firstAftersale is the oldest demo after-sale of typ in status that answers rejections as mustNegotiate says.
func (sh *shop) firstAftersale(typ, status string) string {
	sh.t.Helper()
	ids := sh.sb.AftersaleIDs(typ, status)
	if len(ids) == 0 {
		sh.t.Fatalf("the demo shop has no %s after-sale in %s", typ, status)
	}
	return ids[0]
}

func wantAftersaleCode(t *testing.T, what string, err error, code int) {
	t.Helper()
	var werr *wx.Error
	if !errors.As(err, &werr) || werr.Code != code {
		t.Errorf("%s: err = %v, want errcode %d", what, err, code)
	}
}

// The demo shop holds every type in every state that waits on someone, on Channels orders it knows.
func TestDemoAftersalesCoverEveryWaitingState(t *testing.T) {
	sh := aftersaleShop(t)
	for typ, statuses := range map[string][]string{
		wx.AftersaleTypeRefund:   {wx.AftersaleMerchantProcessing, wx.AftersaleUserWaitConfirmUpdate, wx.AftersalePlatformRefundFail},
		wx.AftersaleTypeReturn:   {wx.AftersaleMerchantProcessing, wx.AftersaleUserWaitReturn, wx.AftersaleMerchantWaitReceipt},
		wx.AftersaleTypeExchange: {wx.AftersaleMerchantProcessing, wx.AftersaleUserWaitReturn, wx.AftersaleMerchantWaitReceipt, wx.AftersaleUserWaitReceipt},
	} {
		for _, status := range statuses {
			id := sh.firstAftersale(typ, status)
			o := sh.aftersale(id)
			if o.Type != typ || o.Status != status || o.RefundInfo.Amount <= 0 || o.ProductInfo.ProductID == "" {
				t.Errorf("%s %s: %+v", typ, status, o)
			}
			if _, err := sh.wx.ChannelsOrder(t.Context(), string(o.OrderID)); err != nil {
				t.Errorf("%s %s: its order %s: %v", typ, status, o.OrderID, err)
			}
			if (status == wx.AftersaleMerchantProcessing || status == wx.AftersaleMerchantWaitReceipt) && o.Deadline.Time().Before(sh.clock.Now()) {
				t.Errorf("%s %s: deadline %v is not ahead", typ, status, o.Deadline.Time())
			}
		}
	}
}

// The list pages a window of at most 24 h; every after-sale appears once over the windows of its days.
func TestAftersaleListWindows(t *testing.T) {
	sh := aftersaleShop(t)
	all := sh.sb.AftersaleIDs("", "")
	now := sh.clock.Now().Unix()
	var got []string
	for end := now; end > now-20*86400; end -= 86400 {
		req := wx.AftersaleListRequest{BeginCreateTime: end - 86400 + 1, EndCreateTime: end}
		for {
			ans, err := sh.wx.AftersaleIDs(t.Context(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ans.AfterSaleOrderIDList {
				got = append(got, string(id))
			}
			if !ans.HasMore {
				break
			}
			req.NextKey = ans.NextKey
		}
	}
	slices.Sort(got)
	slices.Sort(all)
	if !slices.Equal(got, all) {
		t.Errorf("windows found %d ids, the shop has %d", len(got), len(all))
	}
	a := sh.post("/channels/ec/aftersale/getaftersalelist", `{"begin_update_time":1700000000,"end_update_time":1700090000}`)
	if a.ErrCode != wx.CodeAftersaleBadParameters {
		t.Errorf("a 25 h window: errcode %d", a.ErrCode)
	}
}

// Refund only: agreeing refunds (平台退款中, then 退款完成); a second refund of the same order within a minute
// is refused; the order shows it.
func TestAftersaleRefundOnly(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeRefund)
	if err := sh.wx.AcceptAftersale(t.Context(), id, "", wx.AcceptReturn); err == nil {
		t.Error("accept_type 1 on a refund-only application was accepted")
	}
	if err := sh.wx.AcceptAftersale(t.Context(), id, "", 0); err != nil {
		t.Fatal(err)
	}
	if o := sh.aftersale(id); o.Status != wx.AftersalePlatformRefunding {
		t.Fatalf("after accept: %s", o.Status)
	}
	wantAftersaleCode(t, "accept twice", sh.wx.AcceptAftersale(t.Context(), id, "", 0), wx.CodeAftersaleWrongState)
	sh.clock.Advance(2 * time.Second)
	if o := sh.aftersale(id); o.Status != wx.AftersaleMerchantRefundSuccess || o.CompleteTime == 0 {
		t.Fatalf("after the refund: %s", o.Status)
	}
}

func TestAftersaleOneRefundPerOrderPerMinute(t *testing.T) {
	sh := aftersaleShop(t)
	first, second := sh.sb.NewAftersalePair(wx.AftersaleTypeRefund)
	if second == "" || sh.aftersale(first).OrderID != sh.aftersale(second).OrderID {
		t.Fatal("no two after-sales on one order")
	}
	if err := sh.wx.AcceptAftersale(t.Context(), first, "", wx.AcceptRefund); err != nil {
		t.Fatal(err)
	}
	sh.clock.Advance(30 * time.Second)
	wantAftersaleCode(t, "second refund after 30 s", sh.wx.AcceptAftersale(t.Context(), second, "", wx.AcceptRefund), wx.CodeAftersaleUnsupported)
	if st := sh.aftersale(second).Status; st != wx.AftersaleMerchantProcessing {
		t.Errorf("refused refund changed the after-sale to %s", st)
	}
	sh.clock.Advance(31 * time.Second)
	if err := sh.wx.AcceptAftersale(t.Context(), second, "", wx.AcceptRefund); err != nil {
		t.Errorf("after a minute: %v", err)
	}
}

// Return: agree with a return address, the buyer ships, confirm receipt and refund.
func TestAftersaleReturnFlow(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeReturn)
	if a := sh.post("/channels/ec/aftersale/acceptapply", `{"after_sale_order_id":"`+id+`","accept_type":1}`); a.ErrCode != wx.CodeAftersaleBadParameters {
		t.Errorf("agree to a return without an address: errcode %d", a.ErrCode)
	}
	ids, err := sh.wx.AddressIDs(t.Context(), 0, 100)
	if err != nil || len(ids) == 0 {
		t.Fatalf("addresses: %v %v", ids, err)
	}
	wantAftersaleCode(t, "refund before receipt", sh.wx.AcceptAftersale(t.Context(), id, "", wx.AcceptRefund), wx.CodeAftersaleWrongState)
	if err := sh.wx.AcceptAftersale(t.Context(), id, string(ids[0]), wx.AcceptReturn); err != nil {
		t.Fatal(err)
	}
	if o := sh.aftersale(id); o.Status != wx.AftersaleUserWaitReturn || o.Deadline != 0 {
		t.Fatalf("after agreeing: %s, deadline %d", o.Status, o.Deadline)
	}
	if _, err := sh.sb.BuyerMove(id, sandbox.MoveAcceptUpdate); err == nil {
		t.Error("a move that does not fit the state was made")
	}
	if st, err := sh.sb.BuyerMove(id, sandbox.MoveShipReturn); err != nil || st != wx.AftersaleMerchantWaitReceipt {
		t.Fatalf("ship return: %s %v", st, err)
	}
	o := sh.aftersale(id)
	if o.ReturnInfo.WaybillID == "" || o.ReturnInfo.DeliveryID == "" || o.ReturnInfo.DeliveryName == "" || o.Deadline == 0 {
		t.Errorf("return parcel: %+v, deadline %d", o.ReturnInfo, o.Deadline)
	}
	if err := sh.wx.AcceptAftersale(t.Context(), id, "", wx.AcceptRefund); err != nil {
		t.Fatal(err)
	}
	sh.clock.Advance(2 * time.Second)
	if st := sh.aftersale(id).Status; st != wx.AftersaleMerchantReturnSuccess {
		t.Errorf("after receipt and refund: %s", st)
	}
}

// A rejection of an application that blames the merchant must come after a negotiation the buyer refused.
func TestAftersaleRejectMustNegotiateFirst(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeRefund)
	sh.sb.AllowRejection(id, false)
	reasons, err := sh.wx.RejectReasons(t.Context())
	if err != nil || len(reasons) == 0 {
		t.Fatalf("reasons: %v %v", reasons, err)
	}
	wantAftersaleCode(t, "reject", sh.wx.RejectAftersale(t.Context(), id, reasons[0].RejectReasonType, "已发货"), wx.CodeAftersaleNegotiateFirst)
	wantAftersaleCode(t, "unknown reason type", sh.wx.RejectAftersale(t.Context(), id, 999, ""), wx.CodeAftersaleBadParameters)
	amount := sh.aftersale(id).RefundInfo.Amount
	n := wx.Negotiation{AfterSaleOrderID: id, Type: wx.NegotiateToRefund, Amount: amount + 1, MerchantUpdateDesc: "部分退款",
		UpdateReasonType: 10, MerchantUpdateType: wx.NegotiateModify, MediaIDs: []string{"M1"}}
	wantAftersaleCode(t, "more than asked", sh.wx.NegotiateAftersale(t.Context(), n), wx.CodeAftersaleBadParameters)
	n.Amount = amount / 2
	n.MediaIDs = nil
	wantAftersaleCode(t, "reason 10 without images", sh.wx.NegotiateAftersale(t.Context(), n), wx.CodeAftersaleBadParameters)
	n.MediaIDs = []string{"M1"}
	if err := sh.wx.NegotiateAftersale(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	o := sh.aftersale(id)
	if o.Status != wx.AftersaleUserWaitConfirmUpdate || o.MerchantUpdate == nil || o.MerchantUpdate.NewAfterSaleAmount != amount/2 {
		t.Fatalf("after negotiating: %s %+v", o.Status, o.MerchantUpdate)
	}
	if _, err := sh.sb.BuyerMove(id, sandbox.MoveRefuseUpdate); err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.RejectAftersale(t.Context(), id, reasons[0].RejectReasonType, ""); err != nil {
		t.Fatalf("reject after the refused negotiation: %v", err)
	}
	o = sh.aftersale(id)
	if o.Status != wx.AftersaleMerchantRejectRefund || o.MerchantUploadInfo.RejectReason != reasons[0].RejectReason {
		t.Errorf("rejected: %s %q", o.Status, o.MerchantUploadInfo.RejectReason)
	}
}

// A negotiation the buyer accepts refunds the new amount.
func TestAftersaleNegotiationAccepted(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeRefund)
	if err := sh.wx.NegotiateAftersale(t.Context(), wx.Negotiation{AfterSaleOrderID: id, Type: 1, Amount: 1, MerchantUpdateDesc: "退 1 分",
		UpdateReasonType: 6, MerchantUpdateType: 3, MediaIDs: []string{"M"}}); err != nil {
		t.Fatal(err)
	}
	if st, err := sh.sb.BuyerMove(id, sandbox.MoveAcceptUpdate); err != nil || st != wx.AftersalePlatformRefunding {
		t.Fatalf("accept: %s %v", st, err)
	}
	if o := sh.aftersale(id); o.RefundInfo.Amount != 1 {
		t.Errorf("amount %d", o.RefundInfo.Amount)
	}
}

// Exchange: agree with an address, the buyer ships, the merchant ships the replacement, the buyer takes it in.
func TestAftersaleExchangeFlow(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeExchange)
	ids, _ := sh.wx.AddressIDs(t.Context(), 0, 10)
	if err := sh.wx.AcceptAftersale(t.Context(), id, string(ids[0]), 0); err != nil {
		t.Fatal(err)
	}
	wantAftersaleCode(t, "reship before the goods are back", sh.wx.AcceptExchangeReship(t.Context(), id, "SF", "SF1"), wx.CodeAftersaleWrongState)
	sh.sb.BuyerMove(id, sandbox.MoveShipReturn)
	wantAftersaleCode(t, "acceptapply on an exchange", sh.wx.AcceptAftersale(t.Context(), id, "", wx.AcceptRefund), wx.CodeAftersaleUnsupported)
	wantAftersaleCode(t, "unknown courier", sh.wx.AcceptExchangeReship(t.Context(), id, "NOPE", "1"), wx.CodeAftersaleBadParameters)
	if err := sh.wx.AcceptExchangeReship(t.Context(), id, "SF", "SF1234567890"); err != nil {
		t.Fatal(err)
	}
	o := sh.aftersale(id)
	if o.Status != wx.AftersaleUserWaitReceipt || o.ExchangeDelivery == nil || o.ExchangeDelivery.DeliveryName != "顺丰速运" || o.ExchangeProduct == nil {
		t.Fatalf("after reship: %s %+v", o.Status, o.ExchangeDelivery)
	}
	sh.sb.BuyerMove(id, sandbox.MoveReceiveExchange)
	if st := sh.aftersale(id).Status; st != wx.AftersaleMerchantExchangeOK {
		t.Errorf("after receipt: %s", st)
	}
}

// An exchange whose returned goods cannot be exchanged is refused with a reason of scene 6 and evidence;
// the refusal is final (MERCHANT_REJECT_RESHIP), and a reason type rejectreason/get does not list is refused.
func TestAftersaleExchangeReshipRefused(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeExchange)
	ids, _ := sh.wx.AddressIDs(t.Context(), 0, 10)
	if err := sh.wx.AcceptAftersale(t.Context(), id, string(ids[0]), 0); err != nil {
		t.Fatal(err)
	}
	wantAftersaleCode(t, "refusal before the goods are back", sh.wx.RejectExchangeReship(t.Context(), id, 41, "", nil), wx.CodeAftersaleWrongState)
	sh.sb.BuyerMove(id, sandbox.MoveShipReturn)
	reasons, err := sh.wx.RejectReasons(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var reship []int
	for _, r := range reasons {
		if r.Scene() == wx.RejectSceneReship {
			reship = append(reship, r.RejectReasonType)
		}
	}
	if len(reship) == 0 {
		t.Fatalf("rejectreason/get lists no reason for refusing a re-shipment: %+v", reasons)
	}
	wantAftersaleCode(t, "unknown reason type", sh.wx.RejectExchangeReship(t.Context(), id, 999, "", nil), wx.CodeAftersaleBadParameters)
	mediaID, err := sh.wx.UploadMediaImage(t.Context(), "worn.png", drawPNG(t, color.RGBA{R: 200, A: 255}), 8, 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.wx.RejectExchangeReship(t.Context(), id, reship[0], "", []string{mediaID}); err != nil {
		t.Fatal(err)
	}
	o := sh.aftersale(id)
	if o.Status != wx.AftersaleMerchantRejectReship || !strings.HasPrefix(o.MerchantUploadInfo.RejectReason, "您寄回的商品有使用痕迹") {
		t.Errorf("after the refusal: %s, reason %q", o.Status, o.MerchantUploadInfo.RejectReason)
	}
	if _, certs := sh.sb.ReshipRefusal(id); len(certs) != 1 || certs[0] != mediaID {
		t.Errorf("evidence received = %v, want [%s]", certs, mediaID)
	}
	wantAftersaleCode(t, "a second refusal", sh.wx.RejectExchangeReship(t.Context(), id, reship[0], "", nil), wx.CodeAftersaleWrongState)
}

// A failed refund that needs an offline refund is closed by its proof.
func TestAftersaleRefundCertificate(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.firstAftersale(wx.AftersaleTypeRefund, wx.AftersalePlatformRefundFail)
	if o := sh.aftersale(id); !bool(o.NeedOfflineRefund) {
		t.Fatal("need_offline_refund not set")
	}
	if err := sh.wx.UploadRefundCertificate(t.Context(), id, []string{"PROOF"}, "银行转账"); err != nil {
		t.Fatal(err)
	}
	o := sh.aftersale(id)
	if o.Status != wx.AftersaleMerchantRefundSuccess || !slices.Equal(o.MerchantUploadInfo.RefundCertificates, []string{"PROOF"}) {
		t.Errorf("after proof: %s %v", o.Status, o.MerchantUploadInfo.RefundCertificates)
	}
	wantAftersaleCode(t, "second proof", sh.wx.UploadRefundCertificate(t.Context(), id, []string{"P2"}, ""), wx.CodeAftersaleUnsupported)
}

// A deadline the merchant lets pass: the platform agrees (refund-only) by itself.
func TestAftersaleDeadlinePasses(t *testing.T) {
	sh := aftersaleShop(t)
	id := sh.sb.NewAftersale(wx.AftersaleTypeRefund)
	sh.clock.Advance(49 * time.Hour)
	if o := sh.aftersale(id); o.Status != wx.AftersalePlatformRefunding || o.RefundInfo.RefundReason != 9 {
		t.Errorf("after the review deadline: %s, refund_reason %d", o.Status, o.RefundInfo.RefundReason)
	}
	ret := sh.sb.NewAftersale(wx.AftersaleTypeReturn)
	if st, err := sh.sb.BuyerMove(ret, sandbox.MoveDeadline); err != nil || st != wx.AftersaleUserWaitReturn {
		t.Errorf("return, deadline: %s %v", st, err)
	}
	if st, _ := sh.sb.BuyerMove(ret, sandbox.MoveDeadline); st != wx.AftersaleReturnClosed {
		t.Errorf("buyer never ships: %s", st)
	}
}

func TestAftersaleUnknownIDs(t *testing.T) {
	sh := aftersaleShop(t)
	_, err := sh.wx.AftersaleOrder(t.Context(), "1")
	wantAftersaleCode(t, "unknown", err, wx.CodeAftersaleNotFound)
	_, err = sh.wx.AftersaleOrder(t.Context(), "abc")
	wantAftersaleCode(t, "not a number", err, wx.CodeAftersaleInvalidID)
}

// Every change is pushed as channels_ec_aftersale_update, JSON in safe mode, and the buyer moves by itself
// after the delay.
func TestAftersalePushes(t *testing.T) {
	const token, key = "pushtoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	sb := sandbox.New(sandbox.Options{Seed: 3})
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	crypter, err := wx.NewCrypter(token, key, sb.AppID())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []map[string]any
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct{ ToUserName, Encrypt string }
		q := r.URL.Query()
		if json.Unmarshal(body, &env) != nil || r.Header.Get("Content-Type") != "application/json" ||
			!crypter.VerifyMsgSignature(q.Get("timestamp"), q.Get("nonce"), env.Encrypt, q.Get("msg_signature")) || q.Get("encrypt_type") != "aes" {
			t.Errorf("push not in JSON safe mode: %s %q", r.URL.RawQuery, body)
			http.Error(w, "bad", 400)
			return
		}
		plain, err := crypter.Decrypt(env.Encrypt)
		var ev map[string]any
		if err != nil || json.Unmarshal(plain, &ev) != nil {
			t.Errorf("decrypt: %v %q", err, plain)
		}
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
		io.WriteString(w, "success")
	}))
	t.Cleanup(cb.Close)
	if err := sb.PushAftersalesTo(cb.URL, token, key); err != nil {
		t.Fatal(err)
	}
	sb.SetAftersaleDelays(time.Second, time.Second)
	id := sb.NewAftersale(wx.AftersaleTypeReturn)
	c := wx.NewClient(wx.Config{BaseURL: ts.URL, AppID: sb.AppID(), Secret: sb.Secret(), HTTPClient: ts.Client()})
	ids, _ := c.AddressIDs(t.Context(), 0, 10)
	if err := c.AcceptAftersale(t.Context(), id, string(ids[0]), wx.AcceptReturn); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if o, _ := sb.AftersaleState(id); o.Status == wx.AftersaleMerchantWaitReceipt {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	var statuses []string
	for _, ev := range got {
		body, _ := ev["finder_shop_aftersale_status_update"].(map[string]any)
		if ev["Event"] != "channels_ec_aftersale_update" || ev["MsgType"] != "event" || body["after_sale_order_id"] != id || body["order_id"] == "" {
			t.Errorf("event = %v", ev)
		}
		statuses = append(statuses, body["status"].(string))
	}
	want := []string{wx.AftersaleMerchantProcessing, wx.AftersaleUserWaitReturn, wx.AftersaleMerchantWaitReceipt}
	if strings.Join(statuses, ",") != strings.Join(want, ",") {
		t.Errorf("pushed %v, want %v", statuses, want)
	}
}
