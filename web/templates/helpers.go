package templates

import (
	"context"
	"net/url"

	"wxshop/internal/i18n"
)

func htmlLang(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "zh-CN"
}

func shopTitle(ctx context.Context, name string) string {
	if name == "" {
		return i18n.T(ctx, "shop.unnamed")
	}
	return name
}

func yesNo(ctx context.Context, b bool) string {
	if b {
		return i18n.T(ctx, "common.configured")
	}
	return i18n.T(ctx, "common.notconfigured")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
