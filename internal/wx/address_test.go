package wx

// testdata/channels_ec_merchant_address_*.json are the examples of shared/api/store/address.md, copied
// verbatim (the add answer is SKIT's, as the digest notes).

import (
	"context"
	"slices"
	"testing"
)

func addressExample() AddressDetail {
	return AddressDetail{
		AddressInfo: AddressInfo{
			UserName: "xasdss", PostalCode: "510983", ProvinceName: "广东省", CityName: "广州市", CountyName: "天河区",
			DetailInfo: "广州市天河区****", TelNumber: "18666666666", Lat: 23.12463, Lng: 113.36199, HouseNumber: "111222",
		},
		RecvAddr: true, DefaultRecv: true,
	}
}

func TestAddAddress(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/address/add", "channels_ec_merchant_address_add_request", "channels_ec_merchant_address_add_answer")
	id, err := c.AddAddress(context.Background(), addressExample())
	if err != nil {
		t.Fatal(err)
	}
	if id != "12345" {
		t.Errorf("address_id = %q", id)
	}
}

func TestAddressIDs(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/address/list", "channels_ec_merchant_address_list_request", "channels_ec_merchant_address_list_answer")
	ids, err := c.AddressIDs(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []ID{"111222", "222333"}) {
		t.Errorf("ids = %q", ids)
	}
}

// The get answer sends address_id as a number and the flags as 0/1.
func TestAddress(t *testing.T) {
	c := exampleClient(t, "/channels/ec/merchant/address/get", "channels_ec_merchant_address_get_request", "channels_ec_merchant_address_get_answer")
	a, err := c.Address(context.Background(), "12345")
	if err != nil {
		t.Fatal(err)
	}
	if a.AddressID != "12345" || a.SendAddr || !a.DefaultSend || a.RecvAddr || !a.DefaultRecv || a.CreateTime != 1662480000 {
		t.Errorf("address = %+v", a)
	}
	if a.AddressInfo.OneLine() != "广东省广州市天河区广州市天河区****111222" || a.AddressInfo.TelNumber != "18666666666" {
		t.Errorf("address_info = %+v", a.AddressInfo)
	}
}

func TestUpdateAndDeleteAddress(t *testing.T) {
	c, body := recordingClient(t, "/channels/ec/merchant/address/update", `{"errcode":0,"errmsg":"ok"}`)
	a := addressExample()
	a.AddressID = "3705115058471208928"
	a.Remark = "仓库"
	if err := c.UpdateAddress(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "update body", body(), []byte(`{"address_detail":{"address_id":"3705115058471208928",
		"address_info":{"user_name":"xasdss","postal_code":"510983","province_name":"广东省","city_name":"广州市","county_name":"天河区",
			"detail_info":"广州市天河区****","tel_number":"18666666666","lat":23.12463,"lng":113.36199,"house_number":"111222"},
		"landline":"","remark":"仓库","send_addr":false,"default_send":false,"recv_addr":true,"default_recv":true,
		"address_type":{"same_city":0,"pickup":0}}}`))

	c2, body2 := recordingClient(t, "/channels/ec/merchant/address/delete", `{"errcode":0,"errmsg":"ok"}`)
	if err := c2.DeleteAddress(context.Background(), "12345"); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, "delete body", body2(), []byte(`{"address_id":"12345"}`))
}

func TestAddressRefusesWhatWeChatWould(t *testing.T) {
	c := refusingClient(t)
	ctx := context.Background()
	noCity := addressExample()
	noCity.AddressInfo.CityName = " "
	defaultNotRecv := addressExample()
	defaultNotRecv.RecvAddr = false
	withID := addressExample()
	withID.AddressID = "1"
	_, e1 := c.AddAddress(ctx, noCity)
	_, e2 := c.AddAddress(ctx, defaultNotRecv)
	_, e3 := c.AddAddress(ctx, withID)
	_, e4 := c.AddressIDs(ctx, 0, 101)
	_, e5 := c.Address(ctx, "")
	for name, err := range map[string]error{
		"no city": e1, "default but not receiving": e2, "add with an id": e3, "limit 101": e4, "get without id": e5,
		"update without id": c.UpdateAddress(ctx, addressExample()), "delete without id": c.DeleteAddress(ctx, ""),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestAddressCallsReturnWeChatErrors(t *testing.T) {
	ctx := context.Background()
	withID := addressExample()
	withID.AddressID = "1"
	assertWeChatErrors(t, []apiCallCase{
		{"/channels/ec/merchant/address/add", func(c *Client) error { _, err := c.AddAddress(ctx, addressExample()); return err }},
		{"/channels/ec/merchant/address/list", func(c *Client) error { _, err := c.AddressIDs(ctx, 0, 10); return err }},
		{"/channels/ec/merchant/address/get", func(c *Client) error { _, err := c.Address(ctx, "1"); return err }},
		{"/channels/ec/merchant/address/update", func(c *Client) error { return c.UpdateAddress(ctx, withID) }},
		{"/channels/ec/merchant/address/delete", func(c *Client) error { return c.DeleteAddress(ctx, "1") }},
	})
}
