package shop

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"wxshop/internal/db"
	"wxshop/internal/wx"
)

// Disputes (纠纷单): an after-sale the buyer brought to the platform names its dispute (complaint_id). The
// merchant reads it (getcomplaintorder), leaves a message (addcomplaintmaterial) or hands in evidence
// (addcomplaintproof), each once: after a lost answer the dispute's history tells whether it arrived.

// The merchant's answers to a dispute.
const (
	ActComplaintMessage  = "complaint_message"  // 留言
	ActComplaintEvidence = "complaint_evidence" // 提交凭证
)

// Complaint reads a dispute from WeChat.
func (s *Aftersales) Complaint(ctx context.Context, complaintID string) (*wx.Complaint, error) {
	return s.wx.Complaint(ctx, complaintID)
}

// ComplaintOpen tells a dispute the merchant may still write to.
func ComplaintOpen(status int) bool {
	return status != wx.ComplaintMediated && status != wx.ComplaintClosed
}

// AnswerComplaint adds the merchant's message or evidence (action) to the dispute of after-sale id, once;
// audited with WeChat's answer and written into the after-sale's history.
func (s *Aftersales) AnswerComplaint(ctx context.Context, journal Journal, username, id, action, content string, mediaIDs []string) (*wx.Complaint, error) {
	defer s.lock(id)()
	o, err := s.Refresh(ctx, id)
	if err != nil {
		return nil, err
	}
	complaintID := string(o.ComplaintID)
	if complaintID == "" {
		return nil, &Refusal{Key: "aftersale.refused.no_complaint"}
	}
	before, err := s.wx.Complaint(ctx, complaintID)
	if err != nil {
		return nil, err
	}
	content = strings.TrimSpace(content)
	switch {
	case !ComplaintOpen(before.Status):
		return before, &Refusal{Key: "aftersale.refused.complaint_closed"}
	case content == "" && len(mediaIDs) == 0:
		return before, &Refusal{Key: "aftersale.refused.complaint_empty"}
	case utf8.RuneCountInString(content) > wx.ComplaintContentMax:
		return before, &Refusal{Key: "aftersale.refused.complaint_long", Args: []any{wx.ComplaintContentMax}}
	}
	m := wx.ComplaintMessage{ComplaintID: complaintID, Content: content, MediaIDs: mediaIDs}
	called := s.now()
	if action == ActComplaintEvidence {
		err = s.wx.AddComplaintProof(ctx, m)
	} else {
		action = ActComplaintMessage
		err = s.wx.AddComplaintMaterial(ctx, m)
	}
	after := before
	if back, rerr := s.wx.Complaint(ctx, complaintID); rerr == nil {
		after = back
		if err != nil && wx.Temporary(err) && arrived(before, back, m) {
			err = nil
		}
	} else if err != nil && wx.Temporary(err) {
		err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
	}
	detail := fmt.Sprintf("complaint_id=%s content=%s media=%d", complaintID, content, len(mediaIDs))
	e := db.AftersaleEvent{AftersaleID: id, OrderID: string(o.OrderID), At: called, Kind: action, Status: o.Status,
		Username: username, Detail: detail, Outcome: Outcome(err)}
	if serr := s.store.AddAftersaleEvent(context.WithoutCancel(ctx), e); serr != nil {
		s.log.Error("after-sale history entry lost", "aftersale", id, "err", serr)
	}
	journal(db.AuditEntry{Action: "aftersale." + action, ObjectType: "aftersale", ObjectID: id, Detail: detail, Outcome: Outcome(err)})
	return after, err
}

// arrived recognises the message m in the dispute's history read after a lost answer.
func arrived(before, after *wx.Complaint, m wx.ComplaintMessage) bool {
	if len(after.History) <= len(before.History) {
		return false
	}
	for _, it := range after.History {
		if it.Content == m.Content && len(it.MediaIDList) == len(m.MediaIDs) {
			return true
		}
	}
	return false
}

// AftersaleEventComplaint is the history entry of a dispute's change that WeChat pushed; its Status is the
// dispute's status (a number) as read back.
const AftersaleEventComplaint = "complaint_update"

// OnComplaintPush handles channels_ec_complaint_update: the after-sale is read into the mirror (it names its
// dispute), the dispute is read back from WeChat rather than trusted from the push, and its new status is
// written into the after-sale's history.
func (s *Aftersales) OnComplaintPush(ctx context.Context, u *wx.ComplaintUpdate) error {
	id := string(u.AfterSaleOrderID)
	o, err := s.Refresh(ctx, id)
	if err != nil {
		return err
	}
	complaintID := string(u.ComplaintID)
	if o.ComplaintID != "" {
		complaintID = string(o.ComplaintID)
	}
	cp, err := s.wx.Complaint(ctx, complaintID)
	if err != nil {
		return err
	}
	e := db.AftersaleEvent{AftersaleID: id, OrderID: string(o.OrderID), At: s.now(), Kind: AftersaleEventComplaint,
		Status: fmt.Sprint(cp.Status), Detail: "complaint_id=" + complaintID, Outcome: db.AuditOK}
	return storeErr(s.store.AddAftersaleEvent(context.WithoutCancel(ctx), e))
}
