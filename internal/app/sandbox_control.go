package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
	"wxshop/internal/i18n"
)

// simulateOrder, in sandbox mode only, asks the sandbox for a new paid order: a merchant order, or with
// virtual=1 a Channels order of virtual goods (no logistics, no address). The sandbox pushes the signed
// payment event to this app's callback exactly as WeChat would, so the order arrives the real way.
func (a *App) simulateOrder(c *gin.Context) {
	p := a.printer(c)
	if !a.cfg.Sandbox {
		a.renderError(c, http.StatusNotFound)
		return
	}
	virtual := c.PostForm("virtual") == "1"
	source, done := db.SourceMerchant, "sandbox.order.done"
	if virtual {
		source, done = db.SourceChannels, "sandbox.order.virtual.done"
	}
	req := map[string]any{
		"source":           source,
		"virtual":          virtual,
		"callback_url":     a.ownCallbackURL(c),
		"token":            a.callbackToken(),
		"encoding_aes_key": a.cfg.EncodingAESKey,
	}
	orderID, err := a.sandboxNewOrder(c.Request.Context(), req)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "sandbox.order", ObjectType: "order", ObjectID: source + ":" + orderID, Outcome: wxOutcome(err)})
	if err != nil {
		a.log.Warn("sandbox order failed", "order", orderID, "err", err)
		a.flash(c, "error", sandboxOrderMessage(p, orderID, err))
	} else {
		a.flash(c, "ok", p.T(done, orderID))
	}
	a.redirect(c, "/")
}

// sandboxError is the sandbox's answer to a request for an order that it did not fulfil.
type sandboxError struct {
	status int    // 400: it could not use the request; 502: the order was made, the push found no success
	text   string // the sandbox's words, for the log
}

func (e *sandboxError) Error() string { return fmt.Sprintf("sandbox: %d %s", e.status, e.text) }

// sandboxOrderMessage says in the operator's language why no order arrived; the details go to the log.
func sandboxOrderMessage(p i18n.Printer, orderID string, err error) string {
	var se *sandboxError
	switch {
	case errors.As(err, &se) && se.status == http.StatusBadGateway && orderID != "":
		return p.T("sandbox.order.unpushed", orderID)
	case errors.As(err, &se):
		return p.T("sandbox.order.refused")
	}
	return p.T("sandbox.order.unreachable")
}

// ownCallbackURL is where the sandbox sends its pushes: PUBLIC_URL when set, else the address the request
// reached this server at (the listener's own, never the Host header, which the client chooses: the sandbox
// would otherwise post signed pushes wherever a request named).
func (a *App) ownCallbackURL(c *gin.Context) string {
	if a.cfg.PublicURL != "" {
		return a.cfg.PublicURL + "/wx/callback"
	}
	host := "127.0.0.1"
	if addr, ok := c.Request.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		host = addr.String()
	} else if _, port, err := net.SplitHostPort(a.cfg.Addr); err == nil {
		host = net.JoinHostPort(host, port)
	}
	return "http://" + host + "/wx/callback"
}

func (a *App) sandboxNewOrder(ctx context.Context, body map[string]any) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	data, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.APIBase+"/sandbox/orders/new", bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var ans struct {
		OrderID string `json:"order_id"`
		Error   string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return "", &sandboxError{status: resp.StatusCode, text: "answer is not JSON: " + err.Error()}
	}
	if resp.StatusCode != http.StatusOK {
		return ans.OrderID, &sandboxError{status: resp.StatusCode, text: ans.Error}
	}
	return ans.OrderID, nil
}
