package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"wxshop/internal/wx"
)

// New paid orders and the push that announces them (merchant manual 6.1). NewPaidOrder makes an order the
// way a buyer's payment would; PushOrderEvent tells the app's callback URL about it the way WeChat does:
// signed with the callback token, encrypted in safe mode, and sent again when the answer is not "success"
// within 5 s, so that the app must handle a push idempotently.

// accountOriginalID is the account's original ID, ToUserName of every push, as basics/info answers username.
const accountOriginalID = "gh_sandbox"

// pushRetries is how many times a push is sent again after the first, as WeChat retries three times.
const pushRetries = 3

// fallbackProduct is what an order holds in a shop without products, so that NewPaidOrder always works.
var fallbackProduct = catalogProduct{
	productID: productIDPrefix + "SandboxTestProduct0000",
	spuID:     numericID(10000040000000, 1e7, "fallback"),
	name:      "沙箱测试商品",
	img:       "/sandbox/static/logo.png",
	skus:      []catalogSKU{{numID: numericID(1380000000000, 1e10, "fallback"), price: 100, ori: 200, code: "SANDBOX-TEST"}},
}

// NewPaidOrder makes a new order of source ("merchant", "shop", "channels" or "partner"), placed and paid now
// and waiting for shipment (merchant 2, the others 20), and returns its id. It buys one or two SKUs of the
// products on sale (of any product when none is; of a test product in a shop without products) at their
// prices now, for a buyer of the demo pool; the shop's stock is left alone.
func (s *Server) NewPaidOrder(source string) (orderID string) {
	return s.newPaidOrder(mustSource(source), false)
}

// NewPaidVirtualOrder is NewPaidOrder for a Channels order of virtual goods (deliver_method 1), which is
// shipped with deliver_type 3 and no courier.
func (s *Server) NewPaidVirtualOrder() (orderID string) {
	return s.newPaidOrder(srcChannels, true)
}

func (s *Server) newPaidOrder(src source, virtual bool) (orderID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.orders
	r := st.rng
	now := s.now().Unix()
	o := order{src: src, created: now, paid: now, updated: now, buyer: uint32(r.IntN(int(st.buyers)))}
	if src == srcPartner {
		o.shop = uint8(r.IntN(len(partnerShops)))
	}
	want := 1
	if src != srcMerchant && r.IntN(3) == 0 {
		want = 2
	}
	for range want {
		prod := s.orderableProduct(r)
		sku := uint16(r.IntN(len(st.catalog[prod].skus)))
		if o.nlines == 1 && o.lines[0].prod == prod && o.lines[0].sku == sku {
			break
		}
		o.lines[o.nlines] = lineRef{prod: prod, sku: sku, count: uint16(1 + r.IntN(2))}
		o.nlines++
		o.freight = max(o.freight, int32(st.catalog[prod].freight))
	}
	o.status = statusFor(src, wx.MerchantOrderToShip, wx.ShopOrderToShip)
	o.id = st.newOrderID(r, src, now)
	o.virtual = virtual
	st.add(o)
	return o.idString()
}

// orderableProduct picks a product for a new order and returns the index of its snapshot. The caller holds
// s.mu.
func (s *Server) orderableProduct(r *rand.Rand) uint16 {
	var onSale, all []*storedProduct
	for _, id := range s.products.order {
		sp := s.products.byID[id]
		all = append(all, sp)
		if sp.status == wx.ProductOnSale {
			onSale = append(onSale, sp)
		}
	}
	if len(onSale) > 0 {
		return s.orders.catalogIndex(pick(r, onSale))
	}
	if len(all) > 0 {
		return s.orders.catalogIndex(pick(r, all))
	}
	st := &s.orders
	if i, found := st.latest[fallbackProduct.productID]; found {
		return uint16(i)
	}
	st.catalog = append(st.catalog, fallbackProduct)
	st.latest[fallbackProduct.productID] = len(st.catalog) - 1
	return uint16(len(st.catalog) - 1)
}

// PushOrderEvent tells callbackURL that order orderID was paid, as WeChat pushes it: a merchant order with
// the merchant_order event (manual 6.1: OrderId, OrderStatus 2, ProductId and SkuInfo of the order's first
// line), a mini-shop or Channels order with channels_ec_order_pay (order_info.order_id, a JSON number), a
// partner-store order with cooperation_shop_order (Data.order_id and Data.shop_appid); each with ToUserName,
// FromUserName (the buyer), CreateTime and MsgType event. The form is Options.PushFormat's (SetPushFormat).
// The push is signed with token; with an encodingAESKey it is sent in safe mode (encrypted for the sandbox's
// AppID, with msg_signature), without one in plain mode. It is sent again, up to 3 times, while the answer is
// not HTTP 200 with the body "success", or does not come within Options.PushTimeout (5 s); every try is the
// same request. It returns nil once a try succeeds, and an error naming the last failure when none did.
func (s *Server) PushOrderEvent(ctx context.Context, callbackURL, token, encodingAESKey string, orderID string) error {
	s.mu.Lock()
	format := s.pushFormat
	s.mu.Unlock()
	return s.pushOrderEvent(ctx, callbackURL, token, encodingAESKey, orderID, format)
}

// SetPushFormat sets the form of the pushes from now on: PushFormatNative, PushFormatXML or PushFormatJSON.
func (s *Server) SetPushFormat(format string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushFormat = format
}

func (s *Server) pushOrderEvent(ctx context.Context, callbackURL, token, encodingAESKey, orderID, format string) error {
	s.mu.Lock()
	event, found := s.orderEvent(orderID, format)
	timeout := s.pushTimeout
	s.mu.Unlock()
	if !found {
		return fmt.Errorf("sandbox: push: no order %q", orderID)
	}

	var crypter *wx.Crypter
	if encodingAESKey != "" {
		var err error
		if crypter, err = wx.NewCrypter(token, encodingAESKey, s.appID); err != nil {
			return fmt.Errorf("sandbox: push: %w", err)
		}
	}
	timestamp := strconv.FormatInt(s.now().Unix(), 10)
	nonce := strconv.FormatUint(rand.Uint64N(1e10), 10)
	query, body, err := wx.BuildPush(token, crypter, event, timestamp, nonce, nil)
	if err != nil {
		return fmt.Errorf("sandbox: push: %w", err)
	}
	u, err := url.Parse(callbackURL)
	if err != nil {
		return fmt.Errorf("sandbox: push: callback URL: %w", err)
	}
	q := u.Query()
	for k, v := range query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	target := u.String()
	contentType := "text/xml; charset=utf-8"
	if bytes.HasPrefix(event, []byte("{")) {
		contentType = "application/json; charset=utf-8"
	}

	client := &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	var last error
	for attempt := 1; attempt <= 1+pushRetries; attempt++ {
		last = pushOnceAs(ctx, client, target, body, contentType)
		if last == nil {
			s.log.Info("sandbox: push delivered", "order", orderID, "attempt", attempt)
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("sandbox: push of order %s: %w", orderID, errors.Join(ctx.Err(), last))
		}
		s.log.Warn("sandbox: push failed", "order", orderID, "attempt", attempt, "error", last)
	}
	return fmt.Errorf("sandbox: push of order %s: no success in %d tries: %w", orderID, 1+pushRetries, last)
}

// pushOnce sends the XML push once and wants "success".
func pushOnce(ctx context.Context, client *http.Client, target string, body []byte) error {
	return pushOnceAs(ctx, client, target, body, "text/xml; charset=utf-8")
}

// pushOnceAs sends a push of contentType once and wants "success".
func pushOnceAs(ctx context.Context, client *http.Client, target string, body []byte, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(res.Body, 1024))
	if err != nil {
		return err
	}
	switch {
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("HTTP %d", res.StatusCode)
	case strings.TrimSpace(string(answer)) != "success":
		return fmt.Errorf("answer %q, want \"success\"", clipText(answer))
	}
	return nil
}

func clipText(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// orderEvent is the event that announces the payment of order id, of whichever source has it, in format
// (PushFormatNative: XML for merchant_order, JSON for the others). The caller holds s.mu.
func (s *Server) orderEvent(id, format string) ([]byte, bool) {
	st := &s.orders
	for src := range numSources {
		o, found := st.lookup(src, id)
		if !found {
			continue
		}
		ev := pushEvent{
			toUser: accountOriginalID, fromUser: st.openID(o.buyer, o.src), created: s.now().Unix(), id: o.idString(),
		}
		switch src {
		case srcMerchant:
			ev.name = wx.EventMerchantOrder
			ev.productID, ev.skuInfo = st.lineIDs(o, 0)
		case srcPartner:
			ev.name, ev.shopAppID = wx.EventPartnerOrder, partnerShops[o.shop]
		default:
			ev.name, ev.payTime = wx.EventStoreOrderPay, o.paid
		}
		if format == PushFormatXML || (format == PushFormatNative && src == srcMerchant) {
			return ev.xml(), true
		}
		return ev.json(), true
	}
	return nil, false
}

// pushEvent is what an order's push says.
type pushEvent struct {
	toUser, fromUser, name string
	created, payTime       int64
	id                     string // digits
	productID, skuInfo     string // merchant_order
	shopAppID              string // the partner-store event
}

func (e pushEvent) xml() []byte {
	var b strings.Builder
	b.WriteString("<xml>")
	cdata(&b, "ToUserName", e.toUser)
	cdata(&b, "FromUserName", e.fromUser)
	fmt.Fprintf(&b, "<CreateTime>%d</CreateTime>", e.created)
	cdata(&b, "MsgType", wx.MsgTypeEvent)
	cdata(&b, "Event", e.name)
	switch e.name {
	case wx.EventMerchantOrder:
		cdata(&b, "OrderId", e.id)
		fmt.Fprintf(&b, "<OrderStatus>%d</OrderStatus>", wx.MerchantOrderToShip)
		cdata(&b, "ProductId", e.productID)
		cdata(&b, "SkuInfo", e.skuInfo)
	case wx.EventPartnerOrder:
		b.WriteString("<Data>")
		cdata(&b, "order_id", e.id)
		cdata(&b, "shop_appid", e.shopAppID)
		b.WriteString("</Data>")
	default:
		fmt.Fprintf(&b, "<order_info><order_id>%s</order_id><pay_time>%d</pay_time></order_info>", e.id, e.payTime)
	}
	b.WriteString("</xml>")
	return []byte(b.String())
}

// json writes the event as the 微信小店 documents do: order_info.order_id a number, digit for digit.
func (e pushEvent) json() []byte {
	head := map[string]any{
		"ToUserName": e.toUser, "FromUserName": e.fromUser, "CreateTime": e.created, "MsgType": wx.MsgTypeEvent, "Event": e.name,
	}
	switch e.name {
	case wx.EventMerchantOrder:
		head["OrderId"], head["OrderStatus"], head["ProductId"], head["SkuInfo"] = e.id, wx.MerchantOrderToShip, e.productID, e.skuInfo
	case wx.EventPartnerOrder:
		head["Data"] = map[string]string{"order_id": e.id, "shop_appid": e.shopAppID}
	default:
		head["order_info"] = map[string]any{"order_id": json.Number(e.id), "pay_time": e.payTime}
	}
	b, _ := json.Marshal(head)
	return b
}

// cdata writes <name><![CDATA[value]]></name>, as WeChat writes text; the values here never hold "]]>".
func cdata(b *strings.Builder, name, value string) {
	b.WriteString("<" + name + "><![CDATA[" + value + "]]></" + name + ">")
}

// newOrderRequest is the body of POST /sandbox/orders/new.
type newOrderRequest struct {
	Source         string `json:"source"` // default "merchant"
	CallbackURL    string `json:"callback_url"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encoding_aes_key"` // "": plain mode
	// Format is the push's form, "xml" or "json"; "" is the sandbox's setting (Options.PushFormat).
	Format string `json:"format"`
	// Virtual asks for a Channels order of virtual goods (NewPaidVirtualOrder): deliver_method 1, no address.
	Virtual bool `json:"virtual"`
}

// serveNewOrder is POST /sandbox/orders/new, which is not WeChat: what a buyer paying an order would cause,
// for the app's sandbox buttons. It makes a paid order of the source (NewPaidOrder, or NewPaidVirtualOrder
// with "virtual" for the Channels store) and pushes it to
// callback_url (PushOrderEvent), and answers {"order_id"}; 400 {"error"} for a body it cannot use, 502
// {"order_id", "error"} when the push found no success. The push goes wherever the caller says, so the
// sandbox must only be reachable by those who may use it, as it listens on loopback unless told otherwise.
func (s *Server) serveNewOrder(w http.ResponseWriter, r *http.Request) {
	answer := func(status int, v map[string]string) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	var req newOrderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		answer(http.StatusBadRequest, map[string]string{"error": "body is not JSON: " + err.Error()})
		return
	}
	if req.Source == "" {
		req.Source = SourceMerchant
	}
	if _, known := sourceByName(req.Source); !known {
		answer(http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("unknown source %q", req.Source)})
		return
	}
	if req.Virtual && req.Source != SourceChannels {
		answer(http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("virtual goods are sold by the Channels store, not by %q", req.Source)})
		return
	}
	if u, err := url.Parse(req.CallbackURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		answer(http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("callback_url %q is not an http(s) URL", req.CallbackURL)})
		return
	}
	if req.Token == "" {
		answer(http.StatusBadRequest, map[string]string{"error": "token missing"})
		return
	}
	format := req.Format
	switch format {
	case "":
		s.mu.Lock()
		format = s.pushFormat
		s.mu.Unlock()
	case PushFormatXML, PushFormatJSON:
	default:
		answer(http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("format %q is neither xml nor json", req.Format)})
		return
	}
	id := ""
	if req.Virtual {
		id = s.NewPaidVirtualOrder()
	} else {
		id = s.NewPaidOrder(req.Source)
	}
	if err := s.pushOrderEvent(r.Context(), req.CallbackURL, req.Token, req.EncodingAESKey, id, format); err != nil {
		answer(http.StatusBadGateway, map[string]string{"order_id": id, "error": err.Error()})
		return
	}
	answer(http.StatusOK, map[string]string{"order_id": id})
}
