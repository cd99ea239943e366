package wx

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Disputes (纠纷单) of after-sales (aftersale.md §8, store API 获取纠纷单 getcomplaintorder): a buyer whose
// after-sale was rejected may bring it to the platform; the after-sale then names it (complaint_id). The
// merchant reads it, leaves messages (addcomplaintmaterial) and hands in evidence (addcomplaintproof).

// Paths of the dispute calls.
const (
	PathComplaint         = "/channels/ec/aftersale/getcomplaintorder"
	PathComplaintMaterial = "/channels/ec/aftersale/addcomplaintmaterial"
	PathComplaintProof    = "/channels/ec/aftersale/addcomplaintproof"
)

// Limits of a merchant's dispute message or evidence.
const (
	ComplaintContentMax = 500 // characters of content
	ComplaintMediaMax   = 20  // pictures over all of the merchant's messages
)

// Dispute statuses the merchant must answer (events.md: complaint_status).
const (
	ComplaintWaitMerchant      = 100 // 待商家处理纠纷
	ComplaintWaitMerchantProof = 106 // 待商家补充凭证
	ComplaintWaitBothProof     = 108 // 待双方补充凭证
	ComplaintWaitMerchantOK    = 110 // 待商家确认
	ComplaintMediated          = 112 // 调解完成
	ComplaintClosed            = 116 // 调解关闭
)

// Complaint is getcomplaintorder's answer.
type Complaint struct {
	AfterSaleOrderID ID                     `json:"after_sale_order_id"`
	OrderID          ID                     `json:"order_id"`
	Status           int                    `json:"status"`
	History          []ComplaintItem        `json:"history"`
	VirtualTelNum    *AftersaleVirtualPhone `json:"virtual_tel_num_info,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// ComplaintItem is one step of a dispute's history.
type ComplaintItem struct {
	ItemType        int       `json:"item_type"`
	Time            Timestamp `json:"time"`
	PhoneNumber     Flexible  `json:"phone_number,omitempty"`
	Content         string    `json:"content,omitempty"`
	MediaIDList     []string  `json:"media_id_list"`
	AfterSaleType   int       `json:"after_sale_type,omitempty"`
	AfterSaleReason Flexible  `json:"after_sale_reason,omitempty"`
}

// Complaint reads dispute id.
func (c *Client) Complaint(ctx context.Context, id string) (*Complaint, error) {
	var raw json.RawMessage
	if err := c.PostRead(ctx, PathComplaint, map[string]string{"complaint_id": id}, &raw); err != nil {
		return nil, err
	}
	var out Complaint
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("wx: %s: decode answer: %w", PathComplaint, err)
	}
	out.Raw = raw
	return &out, nil
}

// ComplaintMessage is what the merchant adds to a dispute: a text and pictures (media ids of img/upload
// resp_type=0).
type ComplaintMessage struct {
	ComplaintID string   `json:"complaint_id"`
	Content     string   `json:"content"`
	MediaIDs    []string `json:"media_id_list,omitempty"`
}

func (m ComplaintMessage) check(path string) error {
	switch {
	case m.ComplaintID == "":
		return fmt.Errorf("wx: %s: empty complaint_id", path)
	case m.Content == "" && len(m.MediaIDs) == 0:
		return fmt.Errorf("wx: %s: nothing to send", path)
	case utf8.RuneCountInString(m.Content) > ComplaintContentMax:
		return fmt.Errorf("wx: %s: content over %d characters", path, ComplaintContentMax)
	case len(m.MediaIDs) > ComplaintMediaMax:
		return fmt.Errorf("wx: %s: over %d pictures", path, ComplaintMediaMax)
	}
	return nil
}

// AddComplaintMaterial leaves a message in the dispute (addcomplaintmaterial). A write: not retried.
func (c *Client) AddComplaintMaterial(ctx context.Context, m ComplaintMessage) error {
	if err := m.check(PathComplaintMaterial); err != nil {
		return err
	}
	return c.PostWrite(ctx, PathComplaintMaterial, m, nil)
}

// AddComplaintProof hands in evidence for the dispute (addcomplaintproof). A write: not retried.
func (c *Client) AddComplaintProof(ctx context.Context, m ComplaintMessage) error {
	if err := m.check(PathComplaintProof); err != nil {
		return err
	}
	return c.PostWrite(ctx, PathComplaintProof, m, nil)
}

// EventStoreComplaintUpdate is the push of a dispute's change (events.md §4): the body object
// finder_shop_complaint names the dispute, its after-sale, its order and its new status.
const EventStoreComplaintUpdate = "channels_ec_complaint_update"

// ComplaintUpdate is finder_shop_complaint; Raw is the whole push as it came.
type ComplaintUpdate struct {
	ComplaintStatus  FlexInt `json:"complaint_status"`
	AfterSaleOrderID ID      `json:"after_sale_order_id"`
	ComplaintID      ID      `json:"complaint_id"`
	OrderID          ID      `json:"order_id"`

	Raw json.RawMessage `json:"-"`
}

// ParseComplaintUpdate reads the dispute of a channels_ec_complaint_update push from its plaintext JSON (ids
// and the status as strings or bare numbers, every digit kept; unknown fields ignored).
func ParseComplaintUpdate(plain []byte) (*ComplaintUpdate, error) {
	var ev struct {
		Update *ComplaintUpdate `json:"finder_shop_complaint"`
	}
	if err := json.Unmarshal(plain, &ev); err != nil {
		return nil, fmt.Errorf("wx: %s push: %w", EventStoreComplaintUpdate, err)
	}
	if ev.Update == nil || ev.Update.ComplaintID == "" || ev.Update.AfterSaleOrderID == "" {
		return nil, fmt.Errorf("wx: %s push names no dispute or no after-sale", EventStoreComplaintUpdate)
	}
	ev.Update.Raw = append(json.RawMessage(nil), plain...)
	return ev.Update, nil
}
