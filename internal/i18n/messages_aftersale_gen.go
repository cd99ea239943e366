package i18n

// Opening an after-sale for the buyer (代买家发起售后) and refusing an exchange's re-shipment.
func init() {
	register(map[string]struct{ zh, en string }{
		"aftersale.gen.title":             {"代买家发起售后", "Open an after-sale for the buyer"},
		"aftersale.gen.help":              {"与买家协商一致后，可替买家对订单的一件商品发起仅退款或退货退款；售后单创建后等买家确认。同一张表单重复提交只会创建一个售后单。", "Once agreed with the buyer, open a refund or a return for one product of the order on the buyer's behalf; the after-sale then waits for the buyer to confirm. Sending the same form twice opens one after-sale."},
		"aftersale.gen.line":              {"商品", "Product"},
		"aftersale.gen.type":              {"售后类型", "Type"},
		"aftersale.gen.count":             {"数量", "Quantity"},
		"aftersale.gen.amount":            {"退款金额（元）", "Refund (yuan)"},
		"aftersale.gen.reason":            {"售后原因", "Reason"},
		"aftersale.gen.address":           {"退货地址（退货退款时必选）", "Return address (needed for a return)"},
		"aftersale.gen.address.none":      {"不需要（仅退款）", "None (refund only)"},
		"aftersale.gen.desc":              {"补充说明（买家可见，可不填）", "Note for the buyer (optional)"},
		"aftersale.gen.submit":            {"发起售后", "Open the after-sale"},
		"aftersale.gen.done":              {"已为买家发起售后 %s，等待买家确认。", "After-sale %s opened for the buyer; it waits for the buyer to confirm."},
		"aftersale.gen.unknown":           {"没有收到微信的答复，不确定售后是否已创建。请再次点击“发起售后”：同一张表单不会重复创建。", "WeChat's answer did not arrive, so whether the after-sale was opened is not known. Press “Open the after-sale” again: the same form never opens two."},
		"aftersale.gen.error.line":        {"请选择订单中的一件商品。", "Choose one product of the order."},
		"aftersale.gen.error.open":        {"这件商品已有进行中的售后，不能再发起；请在售后列表处理它。", "This product already has an after-sale in progress; handle that one in the after-sales list."},
		"aftersale.gen.error.count":       {"数量须为 1 到 %d 之间的整数。", "The quantity must be a whole number from 1 to %d."},
		"aftersale.gen.error.amount_over": {"退款金额不能超过这件商品所付的 %s。", "The refund cannot be more than the %s paid for this product."},
		"aftersale.gen.error.reason":      {"请选择售后原因。", "Choose a reason."},
		"aftersale.gen.error.type":        {"售后类型只能是仅退款或退货退款。", "The type must be a refund or a return."},
		"aftersale.gen.reason.10000014":   {"双方协商一致退款", "Refund agreed by both sides"},
		"aftersale.gen.reason.10000002":   {"拍错/多拍", "Ordered by mistake / too many"},
		"aftersale.gen.reason.10000000":   {"不想要了", "No longer wanted"},
		"aftersale.gen.reason.10000001":   {"缺货", "Out of stock"},
		"aftersale.gen.reason.10000006":   {"卖家发错货", "Wrong goods sent"},
		"aftersale.gen.reason.10000021":   {"质量问题", "Quality problem"},
		"aftersale.gen.reason.10000007":   {"未收到商品", "Goods not received"},
		"aftersale.gen.reason.10000015":   {"快递长时间未送达", "Parcel long overdue"},
		"aftersale.gen.reason.10000017":   {"物流无跟踪记录", "No tracking record"},
		"aftersale.gen.reason.10000008":   {"其他", "Other"},
		"aftersale.reject_reship.media":   {"拒绝凭证图片（jpg/png，每张不超过 2 MB，可不传）", "Evidence pictures (jpg/png, 2 MB each at most; optional)"},
	})
}
