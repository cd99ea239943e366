package wx

import (
	"context"
	"fmt"
	"strings"
)

// Merchant addresses of the 微信小店 (merchant/address/*): return addresses (recv_addr), whose id goes into
// acceptapply, and ship-from addresses (send_addr). Source: shared/api/store/address.md.

// AddressListMaxLimit is the page size the document's example uses; no maximum is documented.
const AddressListMaxLimit = 100

// AddressDetail is address_detail. Answers send the flags as 0/1 and address_id as a number (get) or a
// string (add, list); requests send true/false and a string.
type AddressDetail struct {
	AddressID   ID          `json:"address_id,omitempty"`
	Name        string      `json:"name,omitempty"`
	AddressInfo AddressInfo `json:"address_info"`
	Landline    string      `json:"landline"`
	Remark      string      `json:"remark"`
	SendAddr    Flag        `json:"send_addr"`
	DefaultSend Flag        `json:"default_send"`
	RecvAddr    Flag        `json:"recv_addr"`
	DefaultRecv Flag        `json:"default_recv"`
	AddressType AddressType `json:"address_type"`
	CreateTime  Timestamp   `json:"create_time,omitempty"`
	UpdateTime  Timestamp   `json:"update_time,omitempty"`
}

// AddressInfo is address_info: region, street and contact.
type AddressInfo struct {
	UserName     string  `json:"user_name"`
	PostalCode   string  `json:"postal_code"`
	ProvinceName string  `json:"province_name"`
	CityName     string  `json:"city_name"`
	CountyName   string  `json:"county_name"`
	DetailInfo   string  `json:"detail_info"`
	TelNumber    string  `json:"tel_number"`
	NationalCode string  `json:"national_code,omitempty"`
	HouseNumber  string  `json:"house_number,omitempty"`
	Lat          float64 `json:"lat,omitempty"`
	Lng          float64 `json:"lng,omitempty"`
}

// AddressType is address_type: offline delivery marks, 1 or 0.
type AddressType struct {
	SameCity int `json:"same_city"`
	Pickup   int `json:"pickup"`
}

// OneLine is the address as a person writes it on a parcel.
func (a AddressInfo) OneLine() string {
	return strings.Join([]string{a.ProvinceName, a.CityName, a.CountyName, a.DetailInfo, a.HouseNumber}, "")
}

func (a AddressDetail) validate(path string, update bool) error {
	if update && a.AddressID == "" {
		return fmt.Errorf("wx: %s: no address_id", path)
	}
	if !update && a.AddressID != "" {
		return fmt.Errorf("wx: %s: a new address has no address_id", path)
	}
	i := a.AddressInfo
	for _, f := range []struct{ name, v string }{
		{"user_name", i.UserName}, {"province_name", i.ProvinceName}, {"city_name", i.CityName},
		{"county_name", i.CountyName}, {"detail_info", i.DetailInfo}, {"tel_number", i.TelNumber},
	} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("wx: %s: address_info.%s is empty", path, f.name)
		}
	}
	if a.DefaultRecv && !a.RecvAddr {
		return fmt.Errorf("wx: %s: default_recv on an address that is not a receiving address", path)
	}
	if a.DefaultSend && !a.SendAddr {
		return fmt.Errorf("wx: %s: default_send on an address that is not a ship-from address", path)
	}
	return nil
}

type addressDetailRequest struct {
	AddressDetail AddressDetail `json:"address_detail"`
}

type addressIDRequest struct {
	AddressID string `json:"address_id"`
}

// AddAddress creates an address and returns its id. It is a write: a lost answer is not retried.
func (c *Client) AddAddress(ctx context.Context, a AddressDetail) (ID, error) {
	const path = "/channels/ec/merchant/address/add"
	if err := a.validate(path, false); err != nil {
		return "", err
	}
	var ans struct {
		AddressID ID `json:"address_id"`
	}
	if err := c.PostWrite(ctx, path, addressDetailRequest{a}, &ans); err != nil {
		return "", err
	}
	if ans.AddressID == "" {
		return "", fmt.Errorf("wx: %s: answer has no address_id", path)
	}
	return ans.AddressID, nil
}

// AddressIDs returns one page of address ids (offset from 0, limit at most AddressListMaxLimit); a page
// shorter than limit is the last.
func (c *Client) AddressIDs(ctx context.Context, offset, limit int) ([]ID, error) {
	const path = "/channels/ec/merchant/address/list"
	if offset < 0 || limit < 1 || limit > AddressListMaxLimit {
		return nil, fmt.Errorf("wx: %s: offset %d, limit %d out of range", path, offset, limit)
	}
	req := struct {
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}{offset, limit}
	var ans struct {
		AddressIDList []ID `json:"address_id_list"`
	}
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return ans.AddressIDList, nil
}

// Address returns one address.
func (c *Client) Address(ctx context.Context, addressID string) (*AddressDetail, error) {
	const path = "/channels/ec/merchant/address/get"
	if addressID == "" {
		return nil, fmt.Errorf("wx: %s: no address_id", path)
	}
	var ans struct {
		AddressDetail *AddressDetail `json:"address_detail"`
	}
	if err := c.PostRead(ctx, path, addressIDRequest{addressID}, &ans); err != nil {
		return nil, err
	}
	if ans.AddressDetail == nil {
		return nil, fmt.Errorf("wx: %s: answer has no address_detail", path)
	}
	if ans.AddressDetail.AddressID == "" {
		ans.AddressDetail.AddressID = ID(addressID)
	}
	return ans.AddressDetail, nil
}

// UpdateAddress replaces the address a.AddressID with a, every field.
func (c *Client) UpdateAddress(ctx context.Context, a AddressDetail) error {
	const path = "/channels/ec/merchant/address/update"
	if err := a.validate(path, true); err != nil {
		return err
	}
	return c.PostWrite(ctx, path, addressDetailRequest{a}, nil)
}

// DeleteAddress deletes an address.
func (c *Client) DeleteAddress(ctx context.Context, addressID string) error {
	const path = "/channels/ec/merchant/address/delete"
	if addressID == "" {
		return fmt.Errorf("wx: %s: no address_id", path)
	}
	return c.PostWrite(ctx, path, addressIDRequest{addressID}, nil)
}
