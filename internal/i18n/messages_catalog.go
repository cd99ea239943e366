package i18n

// The 微信小店 catalog: which kind of shop the account is, and the areas a 微信小店 names its own way.
func init() {
	register(map[string]struct{ zh, en string }{
		"kind.store":           {"微信小店", "WeChat Store"},
		"kind.merchant":        {"微信小店 V1.13（旧版商户接口）", "V1.13 merchant API"},
		"kind.label":           {"商品接口", "Catalog API"},
		"kind.choose":          {"店铺类型", "Kind of shop"},
		"kind.choice.auto":     {"自动识别", "Detect automatically"},
		"kind.choice.store":    {"微信小店（/channels/ec）", "WeChat Store (/channels/ec)"},
		"kind.choice.merchant": {"V1.13 商户接口（/merchant）", "V1.13 merchant API (/merchant)"},
		"kind.help":            {"自动识别：能调用 basics/info/get 和商品列表的是微信小店；V1.13 接口返回 48001 或“已下线”的不是旧版店铺。", "Automatic: an account that answers basics/info/get and the product list is a WeChat Store; V1.13 calls answering 48001 or \"retired\" mean it is not a V1.13 shop."},
		"kind.source.chosen":   {"管理员指定", "set by an admin"},
		"kind.source.detected": {"自动识别", "detected"},
		"kind.source.unknown":  {"尚未识别，按 V1.13 处理", "not detected yet; treated as V1.13"},
		"kind.saved":           {"已保存：当前按「%s」显示商品相关页面。", "Saved: the catalog pages now follow the %s."},
		"kind.detect.failed":   {"无法识别店铺类型：%s", "Could not tell the kind of shop: %s"},
		"kind.err.choice":      {"请选择自动识别、微信小店或 V1.13。", "Choose automatic, WeChat Store or V1.13."},

		"action.settings.kind": {"修改店铺类型", "Changed the kind of shop"},

		"nav.shopcats":         {"店铺分类", "Shop categories"},
		"nav.window":           {"橱窗", "Shop window"},
		"nav.store.products":   {"商品管理", "Products"},
		"nav.store.categories": {"商品类目", "Categories"},
		"nav.store.stock":      {"库存管理", "Stock"},
		"nav.store.postage":    {"运费模板", "Freight templates"},
		"nav.store.images":     {"图片素材", "Images"},
		"nav.store.shopcats":   {"店铺分类", "Shop categories"},
		"nav.store.window":     {"橱窗", "Shop window"},
		"area.shopcats":        {"店铺首页分类：两级分类与其中的商品", "Shop home-page categories: a two-level tree and its products"},
		"area.window":          {"橱窗：商品在店铺首页的顺序、置顶与隐藏", "Shop window: the order, pinning and hiding of products on the shop's home page"},
	})
}
