package wx

import "context"

// ShopInfo is the shop's basic information, as GET /channels/ec/basics/info/get answers it.
type ShopInfo struct {
	Nickname    string `json:"nickname"`
	HeadImgURL  string `json:"headimg_url"`
	SubjectType string `json:"subject_type"`
	Status      string `json:"status"`
	Username    string `json:"username"`
}

// ShopInfo returns the shop's name, avatar, subject type, status and username.
func (c *Client) ShopInfo(ctx context.Context) (*ShopInfo, error) {
	var ans struct {
		Info ShopInfo `json:"info"`
	}
	if err := c.GetRead(ctx, "/channels/ec/basics/info/get", nil, &ans); err != nil {
		return nil, err
	}
	return &ans.Info, nil
}
