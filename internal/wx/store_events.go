package wx

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// The product events of a 微信小店 (shared/api/store/events.md §3). Each names one product whose audit ended
// (product_spu_audit), whose online state changed (product_spu_listing) or whose data changed
// (product_spu_update). WeChat sends them as JSON or, where the account's push format is XML, as XML with the
// same body object as a nested element.
const (
	EventProductAudit   = "product_spu_audit"
	EventProductListing = "product_spu_listing"
	EventProductUpdate  = "product_spu_update"
)

// IsProductEvent says whether event is one of the product events.
func IsProductEvent(event string) bool {
	return event == EventProductAudit || event == EventProductListing || event == EventProductUpdate
}

// Audit results of product_spu_audit (ProductEvent.Status).
const (
	ProductAuditRejected  = 2
	ProductAuditPassed    = 3
	ProductAuditCancelled = 4
)

// ProductEvent is the body of a product event.
type ProductEvent struct {
	Event     string
	ProductID ID
	Status    int
	Reason    string
}

type productEventBody struct {
	ProductID ID      `json:"product_id" xml:"product_id"`
	Status    FlexInt `json:"status" xml:"status"`
	Reason    string  `json:"reason" xml:"reason"`
}

// ParseProductEvent reads a product event from its plaintext push, JSON or XML (ids as strings or bare
// numbers, every digit kept).
func ParseProductEvent(plain []byte) (*ProductEvent, error) {
	var ev struct {
		Event   string            `json:"Event" xml:"Event"`
		Audit   *productEventBody `json:"ProductSpuAudit" xml:"ProductSpuAudit"`
		Listing *productEventBody `json:"ProductSpuListing" xml:"ProductSpuListing"`
		Update  *productEventBody `json:"ProductSpuUpdate" xml:"ProductSpuUpdate"`
	}
	var err error
	if isJSON(plain) {
		err = json.Unmarshal(plain, &ev)
	} else {
		err = xml.Unmarshal(plain, &ev)
	}
	if err != nil {
		return nil, fmt.Errorf("wx: product push: %w", err)
	}
	body := ev.Audit
	if body == nil {
		body = ev.Listing
	}
	if body == nil {
		body = ev.Update
	}
	if body == nil || strings.TrimSpace(string(body.ProductID)) == "" {
		return nil, fmt.Errorf("wx: %s push names no product", ev.Event)
	}
	return &ProductEvent{Event: ev.Event, ProductID: ID(strings.TrimSpace(string(body.ProductID))), Status: int(body.Status),
		Reason: body.Reason}, nil
}
