package wx

import (
	"context"
	"fmt"
	"strings"
)

// ChannelsCouriers returns the couriers the Channels store ships with (POST
// /channels/ec/order/deliverycompanylist/get, body {}; store/delivery.md): company_list[] of delivery_id (a
// short code such as "SF", what delivery/send takes) and delivery_name. Entries without an id are left out.
func (c *Client) ChannelsCouriers(ctx context.Context) ([]Courier, error) {
	const path = "/channels/ec/order/deliverycompanylist/get"
	var ans struct {
		CompanyList []struct {
			DeliveryID   string `json:"delivery_id"`
			DeliveryName string `json:"delivery_name"`
		} `json:"company_list"`
	}
	if err := c.PostRead(ctx, path, nil, &ans); err != nil {
		return nil, err
	}
	list := make([]Courier, 0, len(ans.CompanyList))
	seen := map[string]bool{}
	for _, co := range ans.CompanyList {
		id := strings.TrimSpace(co.DeliveryID)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		list = append(list, Courier{ID: id, Name: firstText(strings.TrimSpace(co.DeliveryName), id)})
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("wx: %s: the answer lists no courier", path)
	}
	return list, nil
}
