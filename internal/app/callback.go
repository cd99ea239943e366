package app

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
)

// SandboxCallbackToken is the callback token in sandbox mode when none is configured, so the sandbox can sign
// the pushes it sends like WeChat does.
const SandboxCallbackToken = "wxshop-sandbox-callback"

func (a *App) callbackToken() string {
	if a.cfg.CallbackToken == "" && a.cfg.Sandbox {
		return SandboxCallbackToken
	}
	return a.cfg.CallbackToken
}

// verifyCallback answers WeChat's handshake: echostr back when the signature is right and the timestamp fresh
// (echostr is not signed: an old signed query must not echo whatever it is given).
func (a *App) verifyCallback(c *gin.Context) {
	if !a.pushRate.allow(c.Request.Context(), c.ClientIP()) {
		c.String(http.StatusTooManyRequests, "too many requests")
		return
	}
	token := a.callbackToken()
	if _, fresh := pushTimestamp(c.Query("timestamp"), time.Now()); !fresh {
		c.String(http.StatusForbidden, "stale timestamp")
		return
	}
	if token == "" || !wx.VerifySignature(token, c.Query("timestamp"), c.Query("nonce"), c.Query("signature")) {
		c.String(http.StatusForbidden, "bad signature")
		return
	}
	c.String(http.StatusOK, c.Query("echostr"))
}

// receiveCallback takes a push: it checks the signature (and decrypts in safe mode), fetches the order the event
// names and stores it, then answers "success". Storing is an upsert, so WeChat repeating a push changes nothing.
func (a *App) receiveCallback(c *gin.Context) {
	if !a.pushRate.allow(c.Request.Context(), c.ClientIP()) {
		a.log.Warn("callback: too many pushes from one address", "ip", c.ClientIP())
		c.String(http.StatusTooManyRequests, "too many requests")
		return
	}
	token := a.callbackToken()
	if token == "" {
		c.String(http.StatusForbidden, "callback not configured")
		return
	}
	ts, fresh := pushTimestamp(c.Query("timestamp"), time.Now())
	if !fresh {
		a.log.Warn("callback: timestamp too far from now", "timestamp", logValue(c.Query("timestamp")), "ip", c.ClientIP())
		c.String(http.StatusForbidden, "stale timestamp")
		return
	}
	var crypter *wx.Crypter
	if a.cfg.EncodingAESKey != "" {
		var err error
		if crypter, err = wx.NewCrypter(token, a.cfg.EncodingAESKey, a.cfg.AppID); err != nil {
			a.log.Error("callback: the AES key does not work", "err", err)
			c.String(http.StatusInternalServerError, "configuration error")
			return
		}
	}
	body, err := wx.ReadBody(http.MaxBytesReader(c.Writer, c.Request.Body, wx.MaxBodyBytes))
	if err != nil {
		c.String(http.StatusBadRequest, "bad request")
		return
	}
	ev, err := wx.OpenPush(token, crypter, c.Request.URL.Query(), body)
	switch {
	case errors.Is(err, wx.ErrBadSignature):
		a.log.Warn("callback: bad signature", "ip", c.ClientIP())
		c.String(http.StatusForbidden, "bad signature")
		return
	case errors.Is(err, wx.ErrBadMessage):
		// One bare answer for every malformed message: details would help whoever probes the ciphertext.
		a.log.Warn("callback: malformed push", "err", logValue(err.Error()), "ip", c.ClientIP())
		c.String(http.StatusBadRequest, "bad request")
		return
	case err != nil:
		a.log.Error("callback failed", "err", err)
		c.String(http.StatusInternalServerError, "error")
		return
	}
	fresh, releasePush, err := a.claimPush(c.Request.Context(), c.Query("nonce"), ts)
	if err != nil {
		a.log.Error("callback failed", "err", err)
		c.String(http.StatusInternalServerError, "error")
		return
	}
	if !fresh {
		// Taken before: WeChat repeating a push whose answer it lost, or someone replaying it. Either way it is
		// done; saying so stops WeChat's repeats and costs nothing.
		a.log.Info("callback: push already taken", "nonce", logValue(c.Query("nonce")), "ip", c.ClientIP())
		c.String(http.StatusOK, "success")
		return
	}
	if ev.MsgType == wx.MsgTypeEvent && ev.Event == wx.EventStoreAftersaleUpdate {
		// The push only says the after-sale changed: read it into the mirror within WeChat's 5 s, or answer
		// "retry" so that WeChat repeats it.
		ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second)
		defer cancel()
		if err := a.onAftersalePush(ctx, ev.Raw); err != nil {
			a.log.Error("callback: could not read the after-sale", "err", err)
			releasePush()
			c.String(http.StatusServiceUnavailable, "retry")
			return
		}
		c.String(http.StatusOK, "success")
		return
	}
	if ev.MsgType == wx.MsgTypeEvent && ev.Event == wx.EventStoreComplaintUpdate {
		// A dispute changed: read its after-sale and the dispute back within WeChat's 5 s, or answer "retry".
		ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second)
		defer cancel()
		if err := a.onComplaintPush(ctx, ev.Raw); err != nil {
			a.log.Error("callback: could not read the dispute", "err", err)
			releasePush()
			c.String(http.StatusServiceUnavailable, "retry")
			return
		}
		c.String(http.StatusOK, "success")
		return
	}
	if ev.MsgType == wx.MsgTypeEvent && shop.IsProductEvent(ev.Event) {
		// A 微信小店 product's audit ended or its online state changed: read it into the mirror.
		ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second)
		defer cancel()
		if err := a.shop.ProductPushed(ctx, ev.Raw); err != nil {
			a.log.Error("callback: could not read the product", "err", err)
			releasePush()
			c.String(http.StatusServiceUnavailable, "retry")
			return
		}
		c.String(http.StatusOK, "success")
		return
	}
	sources := eventSources(ev)
	if sources == nil {
		a.noteUnhandledEvent(ev)
		c.String(http.StatusOK, "success")
		return
	}
	// WeChat waits 5 s for the answer, then repeats the push. The fetch runs on its own (the app's, so Close
	// waits for it); the answer waits for it a little less than that. A fetch that fails at once is answered
	// "retry", so WeChat repeats the push; one that is only slow goes on after "success", and if it fails in
	// the end the next sync fetches the order.
	f := a.fetches.start(a, ev, sources)
	select {
	case <-f.done:
		if f.err != nil {
			releasePush()
			c.String(http.StatusServiceUnavailable, "retry")
			return
		}
	case <-time.After(a.pushAnswerWithin):
		a.log.Warn("callback: WeChat is slow to answer the order fetch; answering the push, the fetch goes on",
			"order", logValue(ev.OrderID), "event", logValue(ev.Event))
	}
	c.String(http.StatusOK, "success")
}

// noteUnhandledEvent logs an event the app does not act on, once per kind of event, so that a shop's many
// coupon or fund events do not fill the log.
func (a *App) noteUnhandledEvent(ev *wx.Event) {
	key := ev.MsgType + "/" + ev.Event
	if _, seen := a.unhandledEvents.LoadOrStore(key, true); seen {
		return
	}
	a.log.Info("callback: event not handled; answered success (logged once per kind)",
		"msgtype", logValue(ev.MsgType), "event", logValue(ev.Event), "format", ev.Format)
}

// pushFetchTimeout bounds the fetch a push starts; WeChat's own answer takes far less.
const pushFetchTimeout = 30 * time.Second

// orderFetches are the order fetches pushes started, one per order at a time: a push for an order whose fetch
// is under way (two events of the same order close together) waits for that fetch instead of starting another.
type orderFetches struct {
	mu       sync.Mutex
	inflight map[string]*orderFetch
	wg       sync.WaitGroup
}

type orderFetch struct {
	done chan struct{} // closed when the fetch has finished
	err  error         // read after done
}

// start fetches and stores the order ev names, unless a fetch of it is under way, and returns the fetch.
func (fs *orderFetches) start(a *App, ev *wx.Event, sources []string) *orderFetch {
	key := ev.ShopAppID + "/" + ev.OrderID
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.inflight[key]; ok {
		return f
	}
	if fs.inflight == nil {
		fs.inflight = map[string]*orderFetch{}
	}
	f := &orderFetch{done: make(chan struct{})}
	fs.inflight[key] = f
	fs.wg.Add(1)
	go func() {
		defer fs.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), pushFetchTimeout)
		defer cancel()
		f.err = a.shop.FetchPushedOrder(ctx, ev.OrderID, ev.ShopAppID, sources)
		if f.err != nil {
			a.log.Error("callback: could not fetch the order; the next sync fetches it", "order", logValue(ev.OrderID), "err", f.err)
		}
		fs.mu.Lock()
		delete(fs.inflight, key)
		fs.mu.Unlock()
		close(f.done)
	}()
	return f
}

// wait waits for every fetch under way.
func (fs *orderFetches) wait() { fs.wg.Wait() }

// eventSources says where the order an event names may be: merchant_order is pushed for orders of every
// source, the 微信小店 order events for Channels and mini-shop orders, the partner-store event names its store.
// nil: the event names no order the app fetches.
func eventSources(ev *wx.Event) []string {
	switch {
	case ev.MsgType != wx.MsgTypeEvent || ev.OrderID == "":
		return nil
	case ev.Event == wx.EventMerchantOrder:
		return []string{db.SourceMerchant, db.SourceChannels, db.SourceShop}
	case wx.IsStoreOrderEvent(ev.Event):
		return []string{db.SourceChannels, db.SourceShop}
	case wx.IsPartnerOrderEvent(ev.Event) && ev.ShopAppID != "":
		return []string{db.SourcePartner}
	}
	return nil
}
