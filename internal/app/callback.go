package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
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

// verifyCallback answers WeChat's handshake: echostr back when the signature is right.
func (a *App) verifyCallback(c *gin.Context) {
	token := a.callbackToken()
	if token == "" || !wx.VerifySignature(token, c.Query("timestamp"), c.Query("nonce"), c.Query("signature")) {
		c.String(http.StatusForbidden, "bad signature")
		return
	}
	c.String(http.StatusOK, c.Query("echostr"))
}

// receiveCallback takes a push: it checks the signature (and decrypts in safe mode), fetches the order the event
// names and stores it, then answers "success". Storing is an upsert, so WeChat repeating a push changes nothing.
func (a *App) receiveCallback(c *gin.Context) {
	token := a.callbackToken()
	if token == "" {
		c.String(http.StatusForbidden, "callback not configured")
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
	if ev.MsgType == wx.MsgTypeEvent && ev.Event == wx.EventMerchantOrder && ev.OrderID != "" {
		// WeChat waits 5 s before it repeats a push: fetch within that, or fail and let it repeat.
		ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second)
		defer cancel()
		id, source, err := a.fetchPaidOrder(ctx, ev.OrderID)
		if err != nil {
			a.log.Error("callback: could not fetch the paid order", "order", logValue(ev.OrderID), "err", err)
			c.String(http.StatusServiceUnavailable, "retry")
			return
		}
		a.log.Info("order paid", "order", logValue(ev.OrderID), "source", source, "local_id", id)
	} else {
		a.log.Info("callback: event not handled", "msgtype", logValue(ev.MsgType), "event", logValue(ev.Event))
	}
	c.String(http.StatusOK, "success")
}

// fetchPaidOrder finds the order a payment event names. The event does not say which source the order belongs
// to: the one the mirror already knows comes first, then merchant, Channels and mini-shop in turn; a source
// that answers with an error (not found, not available to the account) passes to the next, a network failure
// stops the search so WeChat's repeat can try again.
func (a *App) fetchPaidOrder(ctx context.Context, orderID string) (int64, string, error) {
	sources := []string{db.SourceMerchant, db.SourceChannels, db.SourceShop}
	if known, err := a.store.OrdersBySourceID(ctx, orderID); err == nil && len(known) == 1 && known[0].Source != db.SourcePartner {
		sources = append([]string{known[0].Source}, sources...)
	}
	var last error
	tried := map[string]bool{}
	for _, source := range sources {
		if tried[source] {
			continue
		}
		tried[source] = true
		if st, err := a.store.OrderSourceState(ctx, source); err == nil && st.Unavailable {
			continue
		}
		id, err := a.fetchOrderID(ctx, source, "", orderID)
		if err == nil {
			return id, source, nil
		}
		var we *wx.Error
		if !errors.As(err, &we) {
			return 0, "", err
		}
		last = err
	}
	return 0, "", fmt.Errorf("no source has order %s: %w", orderID, last)
}
