package i18n

// The 微信小店 product form's delivery, weight, return address, qualifications, the old category tree and the
// food categories' image rules.
func init() {
	register(map[string]struct{ zh, en string }{
		"store.cat.old":              {"（旧类目，需选满三级）", "(old tree: choose all three levels)"},
		"store.field.deliver":        {"发货方式", "Delivery"},
		"store.deliver.0":            {"快递发货", "By courier"},
		"store.deliver.1":            {"无需快递（手机号发货）", "No courier (to the buyer's phone)"},
		"store.deliver.3":            {"无需快递（选择账号类型）", "No courier (to an account the buyer gives)"},
		"store.acct.1":               {"微信 openid", "WeChat openid"},
		"store.acct.2":               {"QQ 号", "QQ number"},
		"store.acct.3":               {"手机号", "Phone number"},
		"store.acct.4":               {"邮箱", "Email"},
		"store.deliver.help":         {"无需快递时不用运费模板；“选择账号类型”时请勾选买家要填写的账号。", "Without a courier no freight template is used; with accounts, tick the ones the buyer gives."},
		"store.field.weight":         {"重量", "Weight"},
		"store.weight.help":          {"按重量计费的运费模板需要商品重量（克）。", "A freight template by weight needs the product's weight in grams."},
		"store.field.address":        {"退货地址", "Return address"},
		"store.address.default":      {"店铺默认退货地址", "The shop's default return address"},
		"store.food.help":            {"食品饮料、生鲜类目至少需要 %d 张主图、%d 张详情图。", "Food, drink and fresh categories need at least %d head images and %d detail images."},
		"store.err.head.food":        {"食品饮料、生鲜类目至少需要 %d 张主图（现在是 %d 张）。", "Food, drink and fresh categories need at least %d head images (now %d)."},
		"store.err.descimg.food":     {"食品饮料、生鲜类目至少需要 %d 张详情图（现在是 %d 张）。", "Food, drink and fresh categories need at least %d detail images (now %d)."},
		"store.err.qua":              {"这个类目需要“%s”，请选择资质图片。", "This category needs “%s”: choose its images."},
		"store.err.qua.many":         {"每项资质最多 %d 张图片。", "At most %d images per qualification."},
		"store.err.deliver":          {"请选择发货方式。", "Choose how the product is delivered."},
		"store.err.deliver.category": {"这个类目只能快递发货。", "This category ships by courier only."},
		"store.err.deliver.acct":     {"请至少勾选一种买家账号。", "Tick at least one kind of account."},
		"store.err.weight":           {"重量请填写大于 0 的整数（克）。", "Enter the weight as a whole number of grams above 0."},
		"store.err.weight.needed":    {"所选运费模板按重量计费，请填写商品重量（克）。", "The chosen freight template charges by weight: enter the product's weight in grams."},
		"store.deliver.accts":        {"：%s", ": %s"},
		"store.weight.grams":         {"%d g", "%d g"},
		"store.field.quals":          {"商品资质", "Qualifications"},
		"store.qua.count":            {"%s：%d 张", "%s: %d images"},
		"store.err.address":          {"请从列表中选择退货地址。", "Choose a return address from the list."},
	})
}
