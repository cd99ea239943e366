package wx

// testdata/channels_ec_aftersale_getcomplaintorder_answer.json is the 获取纠纷单 page's example answer (its last
// history entry, cut off in the page read, completed from the field table: after_sale_type, after_sale_reason).

import (
	"context"
	"strings"
	"testing"
)

func TestComplaint(t *testing.T) {
	c, body := recordingClient(t, PathComplaint, string(example(t, "channels_ec_aftersale_getcomplaintorder_answer")))
	got, err := c.Complaint(context.Background(), "123456")
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "request", body(), []byte(`{"complaint_id":"123456"}`))
	if got.OrderID != "3707636310244721920" || got.AfterSaleOrderID != "1410973765677533" || got.Status != ComplaintWaitMerchant || len(got.History) != 6 {
		t.Fatalf("complaint = %+v", got)
	}
	first := got.History[5]
	if first.ItemType != 1 || first.Time.Time().Unix() != 1669120411 || first.PhoneNumber != "18888888888" || len(first.MediaIDList) != 1 || first.AfterSaleReason != "3" {
		t.Errorf("first step = %+v", first)
	}
	if !strings.Contains(string(got.Raw), "我来自api") {
		t.Error("the raw answer is not kept")
	}
}

// The merchant's message and evidence carry complaint_id, content and media_id_list; what WeChat would refuse
// (over 500 characters, over 20 pictures, nothing) is refused before sending.
func TestComplaintMessages(t *testing.T) {
	c, body := recordingClient(t, PathComplaintProof, `{"errcode":0,"errmsg":"ok"}`)
	if err := c.AddComplaintProof(context.Background(), ComplaintMessage{ComplaintID: "123", Content: "发货凭证见图", MediaIDs: []string{"M1"}}); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "proof", body(), []byte(`{"complaint_id":"123","content":"发货凭证见图","media_id_list":["M1"]}`))
	for name, m := range map[string]ComplaintMessage{
		"nothing":  {ComplaintID: "123"},
		"too long": {ComplaintID: "123", Content: strings.Repeat("字", ComplaintContentMax+1)},
		"too many": {ComplaintID: "123", Content: "x", MediaIDs: make([]string, ComplaintMediaMax+1)},
		"no id":    {Content: "x"},
	} {
		if err := c.AddComplaintMaterial(context.Background(), m); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
}

// The document's example of channels_ec_complaint_update (events.md §4), then the same push with bare-number
// ids past 2^53 and the status as a string, and one that names no dispute.
func TestParseComplaintUpdate(t *testing.T) {
	example := `{"ToUserName": "gh_*", "FromUserName": "OpenID", "CreateTime": 1662480000, "MsgType": "event",
 "Event": "channels_ec_complaint_update",
 "finder_shop_complaint": {"complaint_status": 100, "after_sale_order_id": "1234567", "complaint_id": "1234567", "order_id": "123244"}}`
	u, err := ParseComplaintUpdate([]byte(example))
	if err != nil || u.ComplaintStatus != ComplaintWaitMerchant || u.AfterSaleOrderID != "1234567" || u.ComplaintID != "1234567" || u.OrderID != "123244" {
		t.Fatalf("= %+v, %v", u, err)
	}
	if string(u.Raw) != example {
		t.Errorf("raw bytes not kept: %s", u.Raw)
	}
	u, err = ParseComplaintUpdate([]byte(`{"Event":"channels_ec_complaint_update","finder_shop_complaint":{"complaint_status":"112","after_sale_order_id":3705115058471208928,"complaint_id":3705115058471208927,"order_id":3705115058471208929,"new_field":1}}`))
	if err != nil || u.ComplaintStatus != ComplaintMediated || u.AfterSaleOrderID != "3705115058471208928" || u.ComplaintID != "3705115058471208927" || u.OrderID != "3705115058471208929" {
		t.Errorf("numbers: %+v, %v", u, err)
	}
	if _, err := ParseComplaintUpdate([]byte(`{"Event":"channels_ec_complaint_update","finder_shop_complaint":{"complaint_status":100}}`)); err == nil {
		t.Error("a push naming no dispute was read")
	}
}
