package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"

	"wxshop/internal/wx"
)

// channels_ec_aftersale_update pushes (events.md §4). The 微信小店 pushes JSON only, in safe mode: the body
// {"ToUserName", "Encrypt"} with signature, timestamp, nonce, encrypt_type=aes and msg_signature in the
// query, Encrypt holding the event JSON as the XML pushes hold theirs. Without an EncodingAESKey the event is
// sent as plain JSON with its signature, for a callback in plain mode.

// EventAftersaleUpdate is the event of an after-sale's change.
const EventAftersaleUpdate = "channels_ec_aftersale_update"

// platformOpenID is FromUserName of the platform's pushes (after-sales, products).
const platformOpenID = "o_platform_sandbox"

// pushTarget is where after-sale changes are pushed.
type pushTarget struct {
	CallbackURL    string `json:"callback_url"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encoding_aes_key"` // "": plain mode
}

func (t pushTarget) check() error {
	if u, err := url.Parse(t.CallbackURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("callback_url %q is not an http(s) URL", t.CallbackURL)
	}
	if t.Token == "" {
		return fmt.Errorf("token missing")
	}
	return nil
}

// SetAftersalePushTarget makes every later change of an after-sale be pushed to t.CallbackURL.
func (s *Server) SetAftersalePushTarget(t pushTarget) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aftersales.target = &t
}

// PushAftersalesTo is SetAftersalePushTarget for callers outside the package.
func (s *Server) PushAftersalesTo(callbackURL, token, encodingAESKey string) error {
	t := pushTarget{callbackURL, token, encodingAESKey}
	if err := t.check(); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.SetAftersalePushTarget(t)
	return nil
}

type aftersalePush struct {
	target pushTarget
	event  []byte
	id     string
}

// aftersaleEvent is the JSON of channels_ec_aftersale_update for a.
func (s *Server) aftersaleEvent(a *aftersale) []byte {
	ev := map[string]any{
		"ToUserName": accountOriginalID, "FromUserName": platformOpenID, "CreateTime": s.now().Unix(),
		"MsgType": "event", "Event": EventAftersaleUpdate,
		"finder_shop_aftersale_status_update": map[string]any{
			"status": a.status, "after_sale_order_id": a.id, "order_id": strconv.FormatUint(a.order.id, 10),
		},
	}
	data, _ := json.Marshal(ev)
	return data
}

// queueAftersalePush remembers a's change for the push target. The caller holds s.mu.
func (s *Server) queueAftersalePush(a *aftersale) {
	st := &s.aftersales
	if st.target == nil {
		return
	}
	st.pending = append(st.pending, aftersalePush{*st.target, s.aftersaleEvent(a), a.id})
}

// takePending returns the queued pushes and forgets them. The caller holds s.mu.
func (s *Server) takePending() []aftersalePush {
	p := s.aftersales.pending
	s.aftersales.pending = nil
	return p
}

// sendPendingAsync sends the queued pushes in the background. The caller holds s.mu.
func (s *Server) sendPendingAsync() {
	if len(s.aftersales.pending) > 0 {
		go s.flushAftersalePushes(context.Background())
	}
}

// flushAftersalePushes sends the queued pushes now and waits for them. The pushes are taken and sent under one
// lock, so a change queued later is never delivered before one queued earlier.
func (s *Server) flushAftersalePushes(ctx context.Context) {
	s.aftersales.deliver.Lock()
	defer s.aftersales.deliver.Unlock()
	s.mu.Lock()
	p := s.takePending()
	s.mu.Unlock()
	s.deliverAftersalePushes(ctx, p)
}

func (s *Server) deliverAftersalePushes(ctx context.Context, pushes []aftersalePush) {
	for _, p := range pushes {
		if err := s.pushJSON(ctx, p.target, p.event); err != nil {
			s.log.Warn("sandbox: after-sale push failed", "after_sale_order_id", p.id, "error", err)
		}
	}
}

// pushJSON sends one JSON event to t, signed (and encrypted with an EncodingAESKey), tried again up to 3 times
// while the answer is not "success".
func (s *Server) pushJSON(ctx context.Context, t pushTarget, event []byte) error {
	timestamp := strconv.FormatInt(s.now().Unix(), 10)
	nonce := strconv.FormatUint(rand.Uint64N(1e10), 10)
	q := url.Values{"signature": {wx.Signature(t.Token, timestamp, nonce)}, "timestamp": {timestamp}, "nonce": {nonce}}
	body := event
	if t.EncodingAESKey != "" {
		crypter, err := wx.NewCrypter(t.Token, t.EncodingAESKey, s.appID)
		if err != nil {
			return err
		}
		enc, err := crypter.Encrypt(event, nil)
		if err != nil {
			return err
		}
		body, _ = json.Marshal(map[string]string{"ToUserName": accountOriginalID, "Encrypt": enc})
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", wx.Signature(t.Token, timestamp, nonce, enc))
	}
	u, err := url.Parse(t.CallbackURL)
	if err != nil {
		return err
	}
	uq := u.Query()
	for k, v := range q {
		uq[k] = v
	}
	u.RawQuery = uq.Encode()
	client := &http.Client{Timeout: s.pushTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var last error
	for range 1 + pushRetries {
		if last = pushOnceAs(ctx, client, u.String(), body, "application/json"); last == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return last
}
