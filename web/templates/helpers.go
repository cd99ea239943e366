package templates

import (
	"context"
	"net/url"
	"strconv"
	"strings"

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

func joinNames(names []string) string { return strings.Join(names, "、") }

func groupAction(id int64) string {
	if id == 0 {
		return "/groups"
	}
	return "/groups/" + strconv.FormatInt(id, 10)
}

func groupDeleteQuestion(ctx context.Context, v GroupFormView) string {
	if len(v.Shelves) > 0 {
		return i18n.T(ctx, "groups.delete.used", v.Name, joinNames(v.Shelves))
	}
	return i18n.T(ctx, "groups.delete.confirm", v.Name)
}

// courierKey names a courier's default-rule fields: c10000028.start, c10000028.on ...
func courierKey(courier int, field string) string {
	return "c" + strconv.Itoa(courier) + "." + field
}

// ruleKey names a courier's region-rule fields, sent as parallel lists: r10000028.province ...
func ruleKey(courier int, field string) string {
	return "r" + strconv.Itoa(courier) + "." + field
}

func statusLabel(ctx context.Context, status string) string {
	if status == "" {
		return i18n.T(ctx, "orders.all")
	}
	return i18n.T(ctx, "status."+status)
}

func tabKey(status string) string {
	if status == "" {
		return "all"
	}
	return status
}

// imageAPI names the catalog API an image belongs to, as a catalog key: a 微信小店 product takes only the
// mmecimage.cn/p/ URLs of its image upload, a V1.13 product only the URLs of common/upload_img.
func imageAPI(url string) string {
	if strings.HasPrefix(url, "https://mmecimage.cn/p/") {
		return "images.api.store"
	}
	return "images.api.merchant"
}
