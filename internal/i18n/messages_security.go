package i18n

func init() {
	register(map[string]struct{ zh, en string }{
		"login.slowed": {"尝试过于频繁，请 %d 秒后再试。", "Too many attempts. Try again in %d seconds."},
	})
}
