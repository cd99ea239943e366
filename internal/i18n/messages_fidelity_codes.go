package i18n

// Messages of the sandbox's virtual orders and of orders that have no address to ship to.
func init() {
	register(map[string]struct{ zh, en string }{
		"orders.address.virtual":          {"无需收货地址（虚拟商品，买家只留了联系电话）", "No address needed (virtual goods: the buyer left only a phone number)"},
		"dashboard.sandbox.virtual_order": {"模拟一笔虚拟商品订单（视频号小店）", "Simulate an order of virtual goods (Channels store)"},
		"sandbox.order.virtual.done":      {"沙箱已生成虚拟商品订单 %s（视频号小店，无需物流、没有收货地址），并像微信一样推送了付款通知。", "The sandbox made order %s of virtual goods (Channels store, no logistics, no address) and pushed the payment event as WeChat would."},
	})
}
