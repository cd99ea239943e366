package sandbox_test

import (
	"strings"
	"testing"

	"wxshop/internal/wx"
	"wxshop/internal/wx/sandbox"
)

// The demo shop has a default return address; adding another default takes the mark; update replaces the
// whole address; delete removes it from the list.
func TestAddresses(t *testing.T) {
	sh := newShop(t, sandbox.Options{})
	ctx := t.Context()
	ids, err := sh.wx.AddressIDs(ctx, 0, 100)
	if err != nil || len(ids) != 2 {
		t.Fatalf("demo addresses: %v %v", ids, err)
	}
	first, err := sh.wx.Address(ctx, string(ids[0]))
	if err != nil || !bool(first.DefaultRecv) || !bool(first.RecvAddr) || first.AddressInfo.CityName != "广州市" {
		t.Fatalf("first: %+v %v", first, err)
	}
	// The get answer writes the id as a number and the flags as 0/1, as the document's example does.
	if a := sh.post("/channels/ec/merchant/address/get", `{"address_id":"`+string(ids[0])+`"}`); !containsAll(string(a.raw), `"address_id":`+string(ids[0])+`,`, `"default_recv":1`) {
		t.Errorf("get answer: %s", a.raw)
	}
	add := wx.AddressDetail{AddressInfo: wx.AddressInfo{UserName: "赵", ProvinceName: "浙江省", CityName: "杭州市", CountyName: "西湖区",
		DetailInfo: "文三路 1 号", TelNumber: "13700000000", PostalCode: "310000"}, RecvAddr: true, DefaultRecv: true}
	id, err := sh.wx.AddAddress(ctx, add)
	if err != nil {
		t.Fatal(err)
	}
	if first, _ = sh.wx.Address(ctx, string(ids[0])); first.DefaultRecv {
		t.Error("the old default kept its mark")
	}
	add.AddressID = id
	add.AddressInfo.DetailInfo = "文三路 2 号"
	add.DefaultRecv = false
	if err := sh.wx.UpdateAddress(ctx, add); err != nil {
		t.Fatal(err)
	}
	if got, _ := sh.wx.Address(ctx, string(id)); got.AddressInfo.DetailInfo != "文三路 2 号" || got.DefaultRecv {
		t.Errorf("updated: %+v", got)
	}
	if err := sh.wx.DeleteAddress(ctx, string(id)); err != nil {
		t.Fatal(err)
	}
	if after, _ := sh.wx.AddressIDs(ctx, 0, 100); len(after) != 2 {
		t.Errorf("after delete: %v", after)
	}
	_, err = sh.wx.Address(ctx, string(id))
	wantAftersaleCode(t, "deleted", err, wx.CodeAftersaleBadParameters)
	if a := sh.post("/channels/ec/merchant/address/add", `{"address_detail":{"address_info":{"user_name":"x"}}}`); a.ErrCode != 40097 {
		t.Errorf("add without a region: errcode %d", a.ErrCode)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
