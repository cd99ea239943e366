package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"

	"wxshop/internal/wx"
)

// DecideAudit ends the audit of a 微信小店 product now, as the platform's reviewers would: pass puts the draft
// online and lists it; a refusal keeps reason (a default one when empty). It fails when the product is not in
// audit.
func (s *Server) DecideAudit(productID string, pass bool, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, found := s.store.products[productID]
	if !found {
		return fmt.Errorf("sandbox: no product %s", productID)
	}
	s.advanceAudit(sp)
	if sp.editStatus != wx.StoreEditInAudit {
		return fmt.Errorf("sandbox: product %s is not in audit (edit_status %d)", productID, sp.editStatus)
	}
	if !pass && reason == "" {
		reason = "商品主图与商品不符，请上传实物图片后重新提交"
	}
	s.decideAudit(sp, pass, reason)
	return nil
}

// serveStoreAudit is POST /sandbox/store/audit {"product_id", "pass", "reason"}, which is not WeChat: the
// sandbox's audit button. It answers 204, or 400 {"error"}.
func (s *Server) serveStoreAudit(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ProductID wx.ID  `json:"product_id"`
		Pass      bool   `json:"pass"`
		Reason    string `json:"reason"`
	}
	err := json.NewDecoder(r.Body).Decode(&req)
	if err == nil {
		err = s.DecideAudit(string(req.ProductID), req.Pass, req.Reason)
	}
	if err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
