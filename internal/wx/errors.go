package wx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Codes that tell a caller about an interface rather than a request.
// CodeAPIUnauthorized (48001) and CodeInterfaceRetired (1400007, 接口已下线) are in store_errors.go.
const (
	CodeInvalidURL = 40066 // no such interface
	CodeAPIBanned  = 48004 // the interface is banned for the account
	// CodeUpdatedTooOften is Channels shipping's "the order is updated too often": try again shortly.
	CodeUpdatedTooOften = 100003
)

// Unavailable reports whether err says the account cannot use the interface at all (not authorised,
// banned, no such interface, retired): asking again will not help until something changes on WeChat's side.
func Unavailable(err error) bool {
	return IsCode(err, CodeAPIUnauthorized, CodeInvalidURL, CodeAPIBanned, CodeInterfaceRetired)
}

// Codes the client itself acts on.
const (
	CodeSystemBusy         = -1    // retried for reads
	CodeInvalidCredential  = 40001 // token errors: renew the token, retry once
	CodeInvalidAccessToken = 40014
	CodeAccessTokenExpired = 42001
)

func isTokenCode(code int) bool {
	return code == CodeInvalidCredential || code == CodeInvalidAccessToken || code == CodeAccessTokenExpired
}

// Error is an answer whose errcode is not 0 (even with HTTP 200).
type Error struct {
	Code int
	Msg  string // WeChat's errmsg as sent
	Path string // the API path called, e.g. "/merchant/create" (never includes the access token)
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" {
		msg, _ = CodeMeaning(e.Code, "en")
	}
	if e.Path == "" {
		return fmt.Sprintf("wx: errcode %d: %s", e.Code, msg)
	}
	return fmt.Sprintf("wx: %s: errcode %d: %s", e.Path, e.Code, msg)
}

// Meaning returns what the code means in plain words, in lang "zh" (Simplified Chinese) or "en"; a generic
// sentence for unknown codes. Any lang starting with "zh" (zh-CN, zh-Hans) is Chinese; anything else English.
func (e *Error) Meaning(lang string) string {
	if m, ok := CodeMeaning(e.Code, lang); ok {
		return m
	}
	if isChinese(lang) {
		return fmt.Sprintf("微信返回了错误码 %d，请对照微信开放文档的错误码说明处理；如果是偶发情况，请稍后重试。", e.Code)
	}
	return fmt.Sprintf("WeChat answered with error code %d. Look the code up in WeChat's documentation; if it happens only now and then, try again later.", e.Code)
}

// CodeMeaning looks code up in the table of known errcodes; false when it is not there.
func CodeMeaning(code int, lang string) (string, bool) {
	m, ok := codeMeanings[code]
	if !ok {
		return "", false
	}
	if isChinese(lang) {
		return m.zh, true
	}
	return m.en, true
}

// IsCode reports whether err is (or wraps) an *Error with one of codes.
func IsCode(err error, codes ...int) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}

func isChinese(lang string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "zh")
}

// HTTPError is an answer that is not a WeChat JSON answer: an HTTP error status without an errcode, or a
// body that is not a JSON object (a proxy's error page, say). Body holds its first bytes for the log.
type HTTPError struct {
	Path        string
	StatusCode  int
	ContentType string
	Body        string
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wx: %s: HTTP %d", e.Path, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.StatusCode >= 200 && e.StatusCode <= 299 {
		b.WriteString(", answer is not a JSON object")
	}
	if e.ContentType != "" {
		fmt.Fprintf(&b, " (Content-Type %s)", e.ContentType)
	}
	if e.Body == "" {
		b.WriteString(": empty body")
	} else {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	return b.String()
}

const snippetBytes = 200

// snippet keeps the start of a body for an error message, minus anything secret a server might echo.
func snippet(data []byte, redact []string) string {
	s := string(data)
	for _, r := range redact {
		if r != "" {
			s = strings.ReplaceAll(s, r, "[redacted]")
		}
	}
	if len(s) > snippetBytes {
		cut := snippetBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// parseErrCode accepts errcode as a number or a quoted number (one document types it as a string);
// absent or null is 0.
func parseErrCode(raw json.RawMessage) (int, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("errcode %s is not a number", raw)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("errcode %s is not a number", raw)
	}
	return n, nil
}

type meaning struct{ zh, en string }

// codeMeanings tells an operator what went wrong and what to do about it. Sources: WeChat's global error
// codes, and the code lists of the documents in shared/api.
var codeMeanings = map[int]meaning{
	-2: {
		"微信系统错误或繁忙，请稍后重试。",
		"WeChat had a system error or is busy. Try again later.",
	},
	-1: {
		"微信系统繁忙，请稍后重试。",
		"WeChat is busy. Try again in a moment.",
	},
	0: {
		"成功。",
		"Success.",
	},
	40001: {
		"access_token 无效或不是最新的（也可能是 AppSecret 错误）。系统已自动刷新并重试；如果仍然出现，请检查 AppSecret，并确认没有其他程序在用同一账号刷新 access_token。",
		"The access token is invalid or not the latest (or the AppSecret is wrong). The app renewed it and retried; if this persists, check the AppSecret and make sure no other program refreshes the token for this account.",
	},
	40002: {
		"不合法的凭证类型（grant_type），这是程序问题，请联系技术人员。",
		"Invalid grant type. This is a bug in the app; contact your technical staff.",
	},
	40013: {
		"不合法的 AppID，请检查配置的 WX_APPID 是否正确。",
		"Invalid AppID. Check that the configured WX_APPID is correct.",
	},
	40014: {
		"不合法的 access_token。系统已自动刷新并重试；如果仍然出现，请联系技术人员。",
		"Invalid access token. The app renewed it and retried; if this persists, contact your technical staff.",
	},
	40066: {
		"不合法的接口地址，该接口可能不存在或已下线，请联系技术人员。",
		"Invalid API URL: the API may not exist or may have been retired. Contact your technical staff.",
	},
	40097: {
		"请求参数不正确，请检查各个参数是否按规范填写，具体原因见错误信息。",
		"A request parameter is invalid. Check each field against the documentation; the error message says which.",
	},
	40125: {
		"不合法的 AppSecret，请检查配置的 WX_SECRET；如果在公众平台重置过 AppSecret，请更新配置。",
		"Invalid AppSecret. Check the configured WX_SECRET; if the AppSecret was reset on the WeChat platform, update the configuration.",
	},
	40164: {
		"调用接口的服务器 IP 不在白名单中，请在公众平台（开发 > 基本配置 > IP 白名单）把服务器 IP 加入白名单。",
		"This server's IP address is not on the account's whitelist. Add it on the WeChat platform (Development > Basic configuration > IP whitelist).",
	},
	41001: {
		"请求缺少 access_token 参数，这是程序问题，请联系技术人员。",
		"The request has no access token. This is a bug in the app; contact your technical staff.",
	},
	41002: {
		"缺少 AppID 参数，请检查配置的 WX_APPID。",
		"The AppID is missing. Check the configured WX_APPID.",
	},
	41004: {
		"缺少 AppSecret 参数，请检查配置的 WX_SECRET。",
		"The AppSecret is missing. Check the configured WX_SECRET.",
	},
	42001: {
		"access_token 已过期。系统已自动刷新并重试；如果仍然出现，请检查服务器时间是否准确。",
		"The access token has expired. The app renewed it and retried; if this persists, check that the server's clock is right.",
	},
	43002: {
		"该接口需要使用 POST 请求，这是程序问题，请联系技术人员。",
		"This API must be called with POST. This is a bug in the app; contact your technical staff.",
	},
	44002: {
		"提交的内容为空，请填写后重试。",
		"The request body is empty. Fill in the form and try again.",
	},
	45009: {
		"该接口今日调用次数已达上限，请明天再试，或在公众平台清零调用次数。",
		"The daily call quota for this API is used up. Try again tomorrow, or reset the quota on the WeChat platform.",
	},
	45011: {
		"接口调用太频繁，请稍等一会儿再试。",
		"Calls are too frequent. Wait a little and try again.",
	},
	47001: {
		"请求体格式不正确，请检查各参数的类型是否正确（例如数字写成了文字）。",
		"The request body is malformed. Check that each field has the right type (a number sent as text, say).",
	},
	48001: {
		"该账号没有此接口的权限，请在公众平台确认已开通相应功能或已获得该接口权限。",
		"This account is not authorised to use this API. Check on the WeChat platform that the feature is enabled for the account.",
	},
	48004: {
		"该接口已被封禁，请登录公众平台查看原因。",
		"This API has been banned for the account. Log in to the WeChat platform to see why.",
	},
	50001: {
		"该账号（或用户）未授权此接口，请在公众平台确认接口权限。",
		"The account (or user) has not authorised this API. Check the API permissions on the WeChat platform.",
	},
	50002: {
		"账号受限，可能因违规被限制使用接口，请登录公众平台查看账号状态。",
		"The account is restricted, possibly after a rule violation. Log in to the WeChat platform and check the account's status.",
	},
	61024: {
		"该账号已授权给第三方平台管理，不能再用 AppSecret 直接获取 access_token，请通过第三方平台调用，或在公众平台解除授权。",
		"This account is managed by a third-party platform, so it cannot get an access token with its AppSecret. Call through the platform, or remove the authorisation on the WeChat platform.",
	},
	31042: {
		"请求的时间范围内订单过多，请缩短时间范围后重试。",
		"Too many orders in the requested time range. Narrow the range and try again.",
	},
	100003: {
		"订单更新太频繁（视频号小店发货：同一订单短时间内多次修改），请稍等一两分钟再试。",
		"The order is being updated too often (Channels shipping: the same order changed several times in a short while). Wait a minute or two and try again.",
	},
	1400007: {
		"该接口已下线，此账号无法再使用它；对应的订单来源已标记为不可用，如需继续请改用微信小店的新接口。",
		"This API has been retired and the account can no longer use it; the order source is marked unavailable. Move to the current 微信小店 API to go on.",
	},
	268486570: {
		"当前状态不允许提交审核，请先开通购物订单产品权限，完成自测后再提交审核。",
		"The permission cannot be submitted for review in its current state. Open the shopping-order product permission first, test it yourself, then submit it for review.",
	},
	100002: {
		"订单不存在，请检查订单号是否正确。",
		"Order not found. Check the order number.",
	},
	606006: {
		"翻页参数 next_key 与本次请求的其他条件不匹配，请从第一页重新查询。",
		"next_key does not match the rest of the request. Start again from the first page.",
	},
	9401020: {
		"参数错误，请检查填写的内容。",
		"Invalid parameter. Check what was entered.",
	},
	268485215: {
		"该 AppID 不在可开通购物订单商品权限的范围内，如需开通请按照“购物订单申请流程”文档申请。",
		"This AppID is not in the range that can open the shopping-order product permission. To open it, apply as the Shopping Order Application Process document describes.",
	},
	268486612: {
		"当前购物订单商品权限的状态不允许开通，请确认是否已经开通或正在开通中。",
		"The shopping-order product permission cannot be opened in its current state. Check whether it is already open or being opened.",
	},
	268486640: {
		"开通购物订单商品权限前需要先阅读并确认协议，请在微信后台阅读并同意后再试；第三方代调用需先完成业务授权与协议签署。",
		"The agreement must be read and accepted before the shopping-order product permission can be opened. Accept it in the WeChat back office and try again; a third party must first complete the business authorisation and sign the agreement.",
	},
}
