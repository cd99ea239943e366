package i18n

// The pickers that replace typed ids: images from thumbnails, postage templates by name.
func init() {
	register(map[string]struct{ zh, en string }{
		"form.image.pick":        {"选择图片", "Choose an image"},
		"form.template.pick":     {"选择运费模板", "Choose a postage template"},
		"form.template.none":     {"店铺还没有运费模板：请先在“运费模板”里新建一个。", "The shop has no postage template yet: add one under Postage first."},
		"form.err.template.pick": {"请选择一个运费模板。", "Choose a postage template."},
		"form.err.template.gone": {"这个运费模板已不存在，请另选一个。", "That postage template no longer exists: choose another."},
	})
}
