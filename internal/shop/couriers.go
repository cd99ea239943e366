package shop

import (
	"strings"

	"wxshop/internal/wx"
)

// channelsCouriers are the courier companies the Channels store ships with most, by the codes its delivery
// calls take. The full list is WeChat's own (deliverycompanylist); these cover nearly every parcel in China.
var channelsCouriers = []wx.Courier{
	{ID: "SF", Name: "顺丰速运"},
	{ID: "ZTO", Name: "中通快递"},
	{ID: "YTO", Name: "圆通速递"},
	{ID: "YD", Name: "韵达快递"},
	{ID: "STO", Name: "申通快递"},
	{ID: "JTSD", Name: "极兔速递"},
	{ID: "YZPY", Name: "邮政快递包裹"},
	{ID: "EMS", Name: "EMS"},
	{ID: "JD", Name: "京东物流"},
	{ID: "DBL", Name: "德邦快递"},
}

func channelsCourierName(id string) string {
	for _, c := range channelsCouriers {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}

// CouriersFor lists the companies an order of source can be shipped with; nil when the app cannot ship it.
func CouriersFor(source string) []wx.Courier {
	switch source {
	case "merchant":
		return wx.MerchantCouriers()
	case "channels":
		return channelsCouriers
	}
	return nil
}

// CourierByIDOrName finds a company of source by its id or its Chinese name (as a CSV may give either).
func CourierByIDOrName(source, s string) (wx.Courier, bool) {
	for _, c := range CouriersFor(source) {
		if c.ID == s || c.Name == s {
			return c, true
		}
	}
	// Names are often written short: 顺丰 for 顺丰速运.
	for _, c := range CouriersFor(source) {
		if len([]rune(s)) >= 2 && strings.HasPrefix(c.Name, s) {
			return c, true
		}
	}
	return wx.Courier{}, false
}
