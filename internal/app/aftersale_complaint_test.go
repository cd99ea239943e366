package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wxshop/internal/db"
	"wxshop/internal/shop"
	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// demoComplaint is the first demo after-sale with a dispute, and the dispute's id.
func demoComplaint(t *testing.T, s *testServer) (id, complaintID string) {
	t.Helper()
	for _, x := range s.sandbox.AftersaleIDs("", "") {
		if o, _ := s.sandbox.AftersaleState(x); o.ComplaintID != "" {
			return x, string(o.ComplaintID)
		}
	}
	t.Fatal("no demo after-sale with a dispute")
	return "", ""
}

// A rejected after-sale the buyer brought to the platform shows its dispute: what it means, its status in
// words, its history; an operator leaves a message once (even when the answer is lost), a viewer only looks,
// and a closed dispute takes nothing more.
func TestAftersaleComplaint(t *testing.T) {
	s := newAftersaleServer(t, sandbox.Options{})
	op := s.signedIn(t, "operator")
	id, complaintID := demoComplaint(t, s)
	page := op.get("/aftersales/" + id)
	wantStatus(t, page, http.StatusOK)
	wantBody(t, page, `data-testid="aftersale-complaint-section"`, zh("complaint.meaning"), zh("complaint.status.100"),
		zh("complaint.item.1"), `data-testid="form-complaint"`)
	viewer := s.signedIn(t, "viewer")
	wantBody(t, viewer.get("/aftersales/"+id), zh("complaint.status.100"))
	if a := viewer.get("/aftersales/" + id); containsForm(a.body) {
		t.Error("the viewer is offered the dispute form")
	}
	wantStatus(t, viewer.post("/aftersales/"+id+"/complaint", url.Values{"action": {"complaint_message"}, "content": {"x"}}), http.StatusForbidden)

	a := op.post("/aftersales/"+id+"/complaint", url.Values{"action": {"complaint_message"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, `data-testid="error-content"`, zh("aftersale.refused.complaint_empty"))

	s.sandbox.LoseNext(wx.PathComplaintMaterial, 1)
	a = op.post("/aftersales/"+id+"/complaint", url.Values{"action": {"complaint_message"}, "content": {"已按时发货，物流单号见订单"}})
	wantStatus(t, a, http.StatusSeeOther)
	if n := s.sandbox.Calls(wx.PathComplaintMaterial); n != 1 {
		t.Errorf("addcomplaintmaterial called %d times", n)
	}
	wantBody(t, op.get("/aftersales/"+id), "已按时发货，物流单号见订单", zh("complaint.item.3"))
	if e := s.auditOf(t, "aftersale.complaint_message"); len(e) != 1 || e[0].Outcome != db.AuditOK || e[0].ObjectID != id {
		t.Errorf("audit = %+v", e)
	}

	s.sandbox.SetComplaintStatus(complaintID, wx.ComplaintClosed)
	page = op.get("/aftersales/" + id)
	wantBody(t, page, zh("complaint.status.116"))
	if containsForm(page.body) {
		t.Error("a closed dispute offers its form")
	}
	a = op.post("/aftersales/"+id+"/complaint", url.Values{"action": {"complaint_evidence"}, "content": {"补充"}})
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantBody(t, a, zh("aftersale.refused.complaint_closed"))
	if n := s.sandbox.Calls(wx.PathComplaintProof); n != 0 {
		t.Errorf("addcomplaintproof called %d times on a closed dispute", n)
	}
}

func containsForm(body string) bool { return strings.Contains(body, `data-testid="form-complaint"`) }

// When the platform moves a dispute, WeChat pushes channels_ec_complaint_update: the after-sale and its
// dispute are read back and the after-sale's history says what the dispute became.
func TestComplaintPushRefreshesTheAftersale(t *testing.T) {
	s := newOrderServer(t, sandbox.Options{}, safeMode, buyerWaits)
	if err := s.sandbox.PushAftersalesTo(s.URL+"/wx/callback", testCallbackToken, testAESKey); err != nil {
		t.Fatal(err)
	}
	id, complaintID := demoComplaint(t, s)
	reads, gets := s.sandbox.Calls(wx.PathComplaint), s.sandbox.Calls(pathAftersale)
	s.sandbox.SetComplaintStatus(complaintID, wx.ComplaintMediated)
	waitFor(t, "the dispute's change in the after-sale's history", func() bool {
		events, _ := s.store.AftersaleEvents(t.Context(), id)
		for _, e := range events {
			if e.Kind == shop.AftersaleEventComplaint && e.Status == "112" {
				return true
			}
		}
		return false
	})
	if n := s.sandbox.Calls(wx.PathComplaint) - reads; n != 1 {
		t.Errorf("the dispute was read back %d times", n)
	}
	if n := s.sandbox.Calls(pathAftersale) - gets; n < 1 {
		t.Error("the after-sale was not read back")
	}
	if _, err := s.store.Aftersale(t.Context(), id); err != nil {
		t.Errorf("the after-sale is not in the mirror: %v", err)
	}
	op := s.signedIn(t, "operator")
	wantBody(t, op.get("/aftersales/"+id), zh("aftersale.history.complaint", zh("complaint.status.112")))
}
