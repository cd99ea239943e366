package wx

import "testing"

// The product events as events.md §3 gives them (JSON, a status-2 audit with its reason), the same as XML, and
// an id above 2^53 kept digit for digit.
func TestParseProductEvent(t *testing.T) {
	cases := []struct {
		name, body string
		want       ProductEvent
	}{
		{"json audit", `{"ToUserName": "gh_*", "FromUserName": "OPENID", "CreateTime": 1662480000, "MsgType": "event", "Event": "product_spu_audit",
 "ProductSpuAudit": {"product_id": "12345678", "status": 2, "reason": "abc", "audit_info": "{\"busi_audit_info\":{}}", "product_type": 1}}`,
			ProductEvent{Event: EventProductAudit, ProductID: "12345678", Status: ProductAuditRejected, Reason: "abc"}},
		{"json listing, bare number id", `{"MsgType": "event", "Event": "product_spu_listing", "ProductSpuListing": {"product_id": 3705115058471208928, "status": 11, "reason": "", "product_type": 1}}`,
			ProductEvent{Event: EventProductListing, ProductID: "3705115058471208928", Status: 11}},
		{"xml audit", `<xml><ToUserName><![CDATA[gh_*]]></ToUserName><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[product_spu_audit]]></Event>` +
			`<ProductSpuAudit><product_id>3705115058471208928</product_id><status>3</status><reason><![CDATA[]]></reason></ProductSpuAudit></xml>`,
			ProductEvent{Event: EventProductAudit, ProductID: "3705115058471208928", Status: ProductAuditPassed}},
		{"xml update", `<xml><MsgType>event</MsgType><Event>product_spu_update</Event><ProductSpuUpdate><product_id> 42 </product_id><status>5</status></ProductSpuUpdate></xml>`,
			ProductEvent{Event: EventProductUpdate, ProductID: "42", Status: 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseProductEvent([]byte(c.body))
			if err != nil || *got != c.want {
				t.Errorf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
	for _, bad := range []string{`{"Event": "product_spu_audit"}`, `<xml><Event>product_spu_audit</Event><ProductSpuAudit></ProductSpuAudit></xml>`, `{"ProductSpuAudit": {"product_id": "1", "status": "x"}}`} {
		if _, err := ParseProductEvent([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	if !IsProductEvent("product_spu_listing") || IsProductEvent("product_category_audit") {
		t.Error("IsProductEvent")
	}
}
