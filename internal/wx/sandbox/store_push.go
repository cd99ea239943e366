package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
)

// The product events of a 微信小店 (events.md §3): product_spu_audit when an audit ends (status 2 refused, with
// the reason, 3 passed, 4 cancelled) and product_spu_listing when the online state changes (5 listed, 11
// delisted), pushed as JSON like the after-sale events, to the target PushProductsTo names.

const (
	EventProductAudit   = "product_spu_audit"
	EventProductListing = "product_spu_listing"
)

// PushProductsTo makes every later audit decision and listing change of a product be pushed to callbackURL.
func (s *Server) PushProductsTo(callbackURL, token, encodingAESKey string) error {
	t := pushTarget{callbackURL, token, encodingAESKey}
	if err := t.check(); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.store.pushTarget = &t
	return nil
}

// pushProductEvent sends one product event in the background. The caller holds s.mu.
func (s *Server) pushProductEvent(event, body string, sp *storeProduct, status int, reason string) {
	t := s.store.pushTarget
	if t == nil {
		return
	}
	ev := map[string]any{
		"ToUserName": accountOriginalID, "FromUserName": platformOpenID, "CreateTime": s.now().Unix(),
		"MsgType": "event", "Event": event,
		body: map[string]any{"product_id": sp.id, "status": status, "reason": reason, "product_type": 1},
	}
	data, _ := json.Marshal(ev)
	target := *t
	go func() {
		if err := s.pushJSON(context.Background(), target, data); err != nil {
			s.log.Warn("sandbox: product push failed", "product_id", sp.id, "event", event, "error", err)
		}
	}()
}

func (s *Server) pushAudit(sp *storeProduct, status int, reason string) {
	s.pushProductEvent(EventProductAudit, "ProductSpuAudit", sp, status, reason)
}

func (s *Server) pushListing(sp *storeProduct) {
	s.pushProductEvent(EventProductListing, "ProductSpuListing", sp, sp.status, "")
}
