package i18n

// A 微信小店's home page: the shop categories and the window.
func init() {
	register(map[string]struct{ zh, en string }{
		"title.shopcats":         {"店铺分类", "Shop categories"},
		"title.window":           {"橱窗", "Shop window"},
		"shopcats.help":          {"店铺首页的两级分类，整体保存；每个分类最多 500 个商品。其他人同时修改时，保存会被拒绝并重新加载。", "The shop home page's two-level categories, saved as a whole; each holds up to 500 products. If someone else changed them meanwhile, the save is refused and the tree reloaded."},
		"shopcats.name":          {"分类名称", "Category name"},
		"shopcats.shown":         {"显示", "Shown"},
		"shopcats.delete":        {"删除", "Delete"},
		"shopcats.products":      {"%d 个商品", "%d products"},
		"shopcats.new":           {"新的一级分类", "New level-1 category"},
		"shopcats.new.sub":       {"新的二级分类", "New level-2 category"},
		"shopcats.conflict":      {"店铺分类已在别处被修改，已重新加载最新的分类，请再改一次。", "The shop categories were changed elsewhere. The latest ones are loaded: make the change again."},
		"shopcats.err.name":      {"分类名称不能为空。", "A category needs a name."},
		"shopcats.err.full":      {"一个分类最多放 %d 个商品。", "A category holds at most %d products."},
		"shopcats.in":            {"分类中的商品（%d）", "Products in the category (%d)"},
		"shopcats.remove":        {"移出所选商品", "Remove the chosen products"},
		"shopcats.add":           {"加入商品", "Add products"},
		"shopcats.done.add":      {"已加入 %d 个商品。", "%d products added."},
		"shopcats.done.del":      {"已移出 %d 个商品。", "%d products removed."},
		"action.shopcats.update": {"修改店铺分类", "Changed the shop categories"},
		"action.shopcats.add":    {"向店铺分类加入商品", "Added products to a shop category"},
		"action.shopcats.del":    {"从店铺分类移出商品", "Removed products from a shop category"},
		"object.shopcats":        {"店铺分类", "shop category"},
		"window.help":            {"橱窗是商品在店铺首页的顺序：置顶的排在最前，隐藏的不在首页显示。右侧是按微信的顺序排列的手机预览。", "The window is the order of products on the shop's home page: pinned ones first, hidden ones not shown. On the right, a phone-sized preview in WeChat's order."},
		"window.top":             {"置顶", "Pinned"},
		"window.hidden":          {"已隐藏", "Hidden"},
		"window.moveto":          {"移到第几位", "Move to position"},
		"window.settop":          {"置顶", "Pin"},
		"window.untop":           {"取消置顶", "Unpin"},
		"window.hide":            {"隐藏", "Hide"},
		"window.show":            {"显示", "Show"},
		"window.preview":         {"手机预览", "Phone preview"},
		"window.err.index":       {"请填写 1 到 %d 之间的位置。", "Enter a position from 1 to %d."},
		"action.window.change":   {"调整橱窗", "Changed the shop window"},
	})
}
