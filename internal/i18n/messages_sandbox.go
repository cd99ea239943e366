package i18n

func init() {
	register(map[string]struct{ zh, en string }{
		"sandbox.order.unreachable": {"沙箱没有应答，没能生成订单：请确认沙箱在运行（WX_API_BASE 指向它）。", "The sandbox did not answer, so no order was made: check that it is running (WX_API_BASE points at it)."},
		"sandbox.order.refused":     {"沙箱没有接受生成订单的请求，详情已记入日志。", "The sandbox did not accept the request for an order; the log has the details."},
		"sandbox.order.unpushed":    {"沙箱生成了订单 %s，但没能推送到本应用的回调地址（详情见日志）；下次同步订单时它会出现。", "The sandbox made order %s but could not push it to this app's callback (the log has the details); it will arrive with the next order sync."},
	})
}
