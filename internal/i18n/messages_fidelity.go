package i18n

// Messages of real WeChat answers and pushes: unknown statuses, the merchant's notes, shipping without
// logistics or with another courier, the live courier list, the permission's review.
func init() {
	register(map[string]struct{ zh, en string }{
		"status.unknown":                     {"状态未知", "Status unknown"},
		"orders.merchant_note":               {"商家备注", "Merchant's note"},
		"orders.note.mark":                   {"留言", "Note"},
		"orders.merchant_note.mark":          {"商家备注", "Merchant note"},
		"ship.method":                        {"发货方式", "How it goes out"},
		"ship.method.courier":                {"快递（从列表选择）", "By courier (from the list)"},
		"ship.method.other":                  {"其他快递（填写名称）", "Another courier (type its name)"},
		"ship.method.none":                   {"无需物流（如虚拟商品）", "No logistics needed (virtual goods, say)"},
		"ship.method.help":                   {"列表里没有的快递请选“其他快递”并填写名称；虚拟商品无需填写快递和单号。", "For a courier not in the list choose “Another courier” and type its name; virtual goods need neither courier nor tracking number."},
		"ship.other_company":                 {"其他快递名称", "Other courier's name"},
		"ship.other_company.placeholder":     {"例如：安能物流", "e.g. 安能物流"},
		"ship.err.other_company":             {"请填写快递公司名称（2 到 %d 个字）。", "Type the courier's name (2 to %d characters)."},
		"ship.err.method":                    {"这种发货方式只适用于微信小店（V1.13）订单。", "This way of shipping is only for merchant (V1.13) orders."},
		"couriers.builtin":                   {"快递公司列表：内置列表（尚未从微信获取）", "Couriers: the built-in list (not fetched from WeChat yet)"},
		"couriers.fetched":                   {"快递公司列表：%s 从微信获取", "Couriers: fetched from WeChat at %s"},
		"couriers.refresh":                   {"刷新快递公司列表", "Refresh the courier list"},
		"couriers.refreshed":                 {"已从微信获取快递公司列表，共 %d 家。", "Fetched the courier list from WeChat: %d couriers."},
		"couriers.refresh.failed":            {"获取快递公司列表失败，仍使用原来的列表：%s", "Could not fetch the courier list; the one kept before stays: %s"},
		"action.couriers.refresh":            {"刷新快递公司列表", "Refreshed the courier list"},
		"object.couriers":                    {"快递公司列表", "Courier list"},
		"permission.confirm.title":           {"第二步：提交购物订单接入审核", "Step two: submit the shopping-order integration for review"},
		"permission.confirm.what":            {"开通权限并完成自测后，需要提交接入审核，预计 6 小时；审核通过后上传的购物订单才会展示给买家。", "Once the permission is open and you have tested it, submit the integration for review (about 6 hours); only after it passes are the uploaded shopping orders shown to buyers."},
		"permission.confirm.state.never":     {"尚未提交审核", "Not submitted for review yet"},
		"permission.confirm.state.submitted": {"已提交审核", "Submitted for review"},
		"permission.confirm.state.failed":    {"提交审核未成功", "The submission did not go through"},
		"permission.confirm.last":            {"上一次审核的结果：%s", "Result of the previous review: %s"},
		"permission.confirm.submit":          {"提交审核", "Submit for review"},
		"permission.confirm.after_open":      {"请先完成第一步（开通权限），再提交审核。", "Complete step one (open the permission) before submitting for review."},
		"permission.confirm.next.268486570":  {"请先开通购物订单产品权限，完成自测后再提交审核。", "Open the shopping-order product permission first and test it, then submit for review."},
		"permission.confirmed":               {"已提交购物订单接入审核，预计 6 小时内出结果。", "Submitted the shopping-order integration for review; the result is expected within about 6 hours."},
		"action.permission.confirm":          {"提交购物订单接入审核", "Submitted the shopping-order integration for review"},
	})
}
