package sandbox

import (
	"encoding/json"
	"slices"
	"unicode/utf8"

	"wxshop/internal/wx"
)

// Disputes (纠纷单): a demo after-sale the merchant rejected names one (complaint_id). getcomplaintorder answers
// its history, which begins with the buyer's complaint; addcomplaintmaterial adds a message and
// addcomplaintproof evidence, each while the dispute is open, with at most 500 characters and 20 pictures
// over all the merchant's messages. Evidence moves a dispute that waited on it to 107 商家已补充凭证.

// Item types of a dispute's history as the sandbox writes them: 1 the buyer's complaint (the example's first
// step); 3 a message (the example's "我来自api"); 4 evidence [inferred].
const (
	complaintItemBuyer    = 1
	complaintItemMessage  = 3
	complaintItemEvidence = 4
)

type complaint struct {
	id, aftersaleID, orderID string
	status                   int
	history                  []wx.ComplaintItem // newest first, as the example lists them
	merchantMedia            int
}

var errComplaintNotFound = &apiError{wx.CodeAftersaleInvalidID, "complaint order not exist"}

// complaintOf finds (making it on first sight) the dispute id names. The caller holds s.mu.
func (s *Server) complaintOf(id string) (*complaint, error) {
	st := &s.aftersales
	if c, found := st.complaints[id]; found {
		return c, nil
	}
	for _, a := range st.list {
		if a.complaintID == "" || a.complaintID != id {
			continue
		}
		if st.complaints == nil {
			st.complaints = map[string]*complaint{}
		}
		c := &complaint{id: id, aftersaleID: a.id, orderID: string(s.aftersaleAnswer(a).OrderID), status: wx.ComplaintWaitMerchant}
		c.history = []wx.ComplaintItem{{ItemType: complaintItemBuyer, Time: wx.Timestamp(a.updated), PhoneNumber: wx.Flexible(a.tel),
			Content: "商家拒绝了我的售后申请，请平台处理：" + a.desc, MediaIDList: slices.Clone(a.images), AfterSaleType: 1}}
		st.complaints[id] = c
		return c, nil
	}
	return nil, errComplaintNotFound.with("complaint_id %q", id)
}

type complaintAnswer struct {
	status
	wx.Complaint
}

// getComplaint is POST /channels/ec/aftersale/getcomplaintorder.
func (s *Server) getComplaint(c *call) (any, error) {
	var req struct {
		ComplaintID wx.ID `json:"complaint_id"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	cp, err := s.complaintOf(string(req.ComplaintID))
	if err != nil {
		return nil, err
	}
	return complaintAnswer{status: statusOK, Complaint: wx.Complaint{AfterSaleOrderID: wx.ID(cp.aftersaleID), OrderID: wx.ID(cp.orderID),
		Status: cp.status, History: slices.Clone(cp.history)}}, nil
}

func (s *Server) addComplaintMaterial(c *call) (any, error) {
	return s.addComplaintItem(c, complaintItemMessage)
}
func (s *Server) addComplaintProof(c *call) (any, error) {
	return s.addComplaintItem(c, complaintItemEvidence)
}

// addComplaintItem is addcomplaintmaterial and addcomplaintproof.
func (s *Server) addComplaintItem(c *call, itemType int) (any, error) {
	var req wx.ComplaintMessage
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	cp, err := s.complaintOf(req.ComplaintID)
	if err != nil {
		return nil, err
	}
	switch {
	case cp.status == wx.ComplaintMediated || cp.status == wx.ComplaintClosed:
		return nil, errAftersaleState.with("complaint %s is closed (%d)", cp.id, cp.status)
	case req.Content == "" && len(req.MediaIDs) == 0:
		return nil, errAftersaleBadParam.with("content and media_id_list both empty")
	case utf8.RuneCountInString(req.Content) > wx.ComplaintContentMax:
		return nil, errAftersaleBadParam.with("content over %d characters", wx.ComplaintContentMax)
	case cp.merchantMedia+len(req.MediaIDs) > wx.ComplaintMediaMax:
		return nil, errAftersaleBadParam.with("over %d pictures in all", wx.ComplaintMediaMax)
	}
	cp.merchantMedia += len(req.MediaIDs)
	item := wx.ComplaintItem{ItemType: itemType, Time: wx.Timestamp(s.now().Unix()), Content: req.Content, MediaIDList: slices.Clone(req.MediaIDs)}
	if item.MediaIDList == nil {
		item.MediaIDList = []string{}
	}
	cp.history = append([]wx.ComplaintItem{item}, cp.history...)
	if itemType == complaintItemEvidence && (cp.status == wx.ComplaintWaitMerchantProof || cp.status == wx.ComplaintWaitBothProof) {
		cp.status = 107
		s.queueComplaintPush(cp)
	}
	return statusOK, nil
}

// ComplaintIDs lists the disputes the demo after-sales name, for tests.
func (s *Server) ComplaintIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.aftersales.list {
		if a.complaintID != "" {
			out = append(out, a.complaintID)
		}
	}
	return out
}

// SetComplaintStatus moves a dispute (as the platform would), for tests; the change is pushed.
func (s *Server) SetComplaintStatus(id string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cp, err := s.complaintOf(id); err == nil && cp.status != status {
		cp.status = status
		s.queueComplaintPush(cp)
		s.sendPendingAsync()
	}
}

// EventComplaintUpdate is the event of a dispute's change (events.md §4).
const EventComplaintUpdate = "channels_ec_complaint_update"

// complaintEvent is the JSON of channels_ec_complaint_update for cp, shaped as the document's example.
func (s *Server) complaintEvent(cp *complaint) []byte {
	data, _ := json.Marshal(map[string]any{
		"ToUserName": accountOriginalID, "FromUserName": platformOpenID, "CreateTime": s.now().Unix(),
		"MsgType": "event", "Event": EventComplaintUpdate,
		"finder_shop_complaint": map[string]any{
			"complaint_status": cp.status, "after_sale_order_id": cp.aftersaleID, "complaint_id": cp.id, "order_id": cp.orderID,
		},
	})
	return data
}

// queueComplaintPush remembers cp's change for the push target, in the same queue as the after-sales' changes
// so that all are delivered in the order they happened. The caller holds s.mu.
func (s *Server) queueComplaintPush(cp *complaint) {
	st := &s.aftersales
	if st.target == nil {
		return
	}
	st.pending = append(st.pending, aftersalePush{*st.target, s.complaintEvent(cp), cp.aftersaleID})
}
