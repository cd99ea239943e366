package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wxshop/internal/db"
)

// simulateOrder, in sandbox mode only, asks the sandbox for a new paid order. The sandbox pushes the signed
// payment event to this app's callback exactly as WeChat would, so the order arrives the real way.
func (a *App) simulateOrder(c *gin.Context) {
	p := a.printer(c)
	if !a.cfg.Sandbox {
		a.renderError(c, http.StatusNotFound)
		return
	}
	req := map[string]string{
		"source":           db.SourceMerchant,
		"callback_url":     a.ownCallbackURL(c),
		"token":            a.callbackToken(),
		"encoding_aes_key": a.cfg.EncodingAESKey,
	}
	orderID, err := a.sandboxNewOrder(c.Request.Context(), req)
	a.audit(c, currentUser(c), db.AuditEntry{Action: "sandbox.order", ObjectType: "order", ObjectID: db.SourceMerchant + ":" + orderID, Outcome: wxOutcome(err)})
	if err != nil {
		a.flash(c, "error", p.T("sandbox.order.failed", err.Error()))
	} else {
		a.flash(c, "ok", p.T("sandbox.order.done", orderID))
	}
	a.redirect(c, "/")
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

func (a *App) sandboxNewOrder(ctx context.Context, body map[string]string) (string, error) {
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
		return "", fmt.Errorf("sandbox answered %s", resp.Status)
	}
	if resp.StatusCode != http.StatusOK {
		return ans.OrderID, fmt.Errorf("sandbox: %s", ans.Error)
	}
	return ans.OrderID, nil
}
