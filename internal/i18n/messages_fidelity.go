package i18n

// Messages of real WeChat answers and pushes: unknown statuses, the merchant's notes, shipping without
// logistics or with another courier, the live courier list, the permission's review.
func init() {
	register(map[string]struct{ zh, en string }{
		"status.unknown":            {"状态未知", "Status unknown"},
		"orders.merchant_note":      {"商家备注", "Merchant's note"},
		"orders.note.mark":          {"留言", "Note"},
		"orders.merchant_note.mark": {"商家备注", "Merchant note"},
	})
}
