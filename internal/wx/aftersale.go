package wx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// After-sale orders (售后单) of the 微信小店 (WeChat Store): refunds, returns and exchanges of its orders.
// Source: shared/api/store/aftersale.md, checked against SKIT's Models/Channels/ECAftersale samples.

// AftersaleListMaxWindow is the longest window getaftersalelist accepts, creation or update time alike.
const AftersaleListMaxWindow = 24 * time.Hour

// After-sale types (AfterSaleOrder.Type).
const (
	AftersaleTypeRefund   = "REFUND"   // 仅退款
	AftersaleTypeReturn   = "RETURN"   // 退货退款
	AftersaleTypeExchange = "EXCHANGE" // 换货
)

// After-sale statuses (AfterSaleOrder.Status), as the 微信小店 sends them: strings, USER_CANCELD spelt so.
const (
	AftersaleMerchantProcessing     = "MERCHANT_PROCESSING"
	AftersaleUserWaitReturn         = "USER_WAIT_RETURN"
	AftersaleMerchantWaitReceipt    = "MERCHANT_WAIT_RECEIPT"
	AftersaleUserWaitConfirm        = "USER_WAIT_CONFIRM"
	AftersaleUserWaitConfirmUpdate  = "USER_WAIT_CONFIRM_UPDATE"
	AftersaleUserWaitMerchantSale   = "USER_WAIT_HANDLE_MERCHANT_AFTER_SALE"
	AftersaleWaitPackageIntercept   = "WAIT_PACKAGE_INTERCEPT"
	AftersaleUserWaitReceipt        = "USER_WAIT_RECEIPT"
	AftersalePlatformRefunding      = "PLATFORM_REFUNDING"
	AftersalePlatformRefundFail     = "PLATFORM_REFUND_FAIL"
	AftersaleMerchantRejectRefund   = "MERCHANT_REJECT_REFUND"
	AftersaleMerchantRejectReturn   = "MERCHANT_REJECT_RETURN"
	AftersaleMerchantRejectExchange = "MERCHANT_REJECT_EXCHANGE"
	AftersaleMerchantRejectReship   = "MERCHANT_REJECT_RESHIP"
	AftersaleMerchantRefundSuccess  = "MERCHANT_REFUND_SUCCESS"
	AftersaleMerchantReturnSuccess  = "MERCHANT_RETURN_SUCCESS"
	AftersaleMerchantExchangeOK     = "MERCHANT_EXCHANGE_SUCCESS"
	AftersaleUserCancelled          = "USER_CANCELD"
	AftersaleReturnClosed           = "RETURN_CLOSED"
	AftersaleMerchantOverdueRefund  = "MERCHANT_OVERDUE_REFUND"
	AftersaleMerchantRefundRetryErr = "MERCHANT_REFUND_RETRY_FAIL"
	AftersaleMerchantFail           = "MERCHANT_FAIL"
)

// acceptapply's accept_type.
const (
	AcceptReturn = 1 // agree to the return (退货退款, 换货): the buyer sends the goods back to address_id
	AcceptRefund = 2 // refund now: a refund-only request, or the returned goods have arrived
)

// Codes of the after-sale calls (aftersale.md §9).
const (
	CodeAftersaleSystemFailure  = 9700223
	CodeAftersaleBadParameters  = 9700224
	CodeAftersaleInvalidID      = 10020000
	CodeAftersaleWrongState     = 10020001
	CodeAftersaleUnsupported    = 10021041
	CodeAftersaleOtherAccount   = 10021043
	CodeAftersaleTooManyUsers   = 10021044
	CodeAftersaleNotFound       = 10021050
	CodeAftersaleNotFound2      = 10021057
	CodeAftersaleNegotiateFirst = 10021068
	CodeAftersaleBadCharacters  = 10020261 // rejectexchangereship: the text has characters WeChat does not allow
	CodeGenAftersaleRefused     = 10021088 // genaftersaleorder: the order does not support opening one for the buyer
	// WeChat documents "no refunds of several after-sales of one order within a minute" (acceptapply's notes)
	// but gives that refusal no code of its own: merchants report it as 10021041's "当前状态不可执行…请求频率过高，
	// 请于1分钟后重试" (developers.weixin.qq.com community, 0002029697c74056baed330ee5c800). The app refuses such a
	// refund itself before calling, so it never depends on the code.
)

func init() {
	for code, m := range map[int]meaning{
		9700223:  {"微信售后系统失败，请稍后重试。", "WeChat's after-sale system failed. Try again later."},
		9700224:  {"售后请求参数错误，请检查填写的内容。", "A parameter of the after-sale request is wrong. Check what was entered."},
		10020000: {"售后单号无效，请刷新后确认该售后单是否存在。", "The after-sale id is invalid. Refresh and check that the after-sale exists."},
		10020001: {"售后单当前状态不允许此操作，请刷新查看最新状态。", "The after-sale's current state does not allow this. Refresh to see its latest state."},
		10021041: {"该售后单不支持此操作，请检查售后单状态。", "This after-sale does not support the operation. Check its status."},
		10021043: {"该售后单不属于当前账号。", "This after-sale belongs to another account."},
		10021044: {"当前操作人数过多，请稍后重试。", "Too many people are doing this now. Try again later."},
		10021050: {"售后单不存在。", "The after-sale does not exist."},
		10021057: {"售后单不存在。", "The after-sale does not exist."},
		10020261: {"填写的内容含有不合规字符，请修改后再提交。", "What was entered has characters WeChat does not allow. Change it and send again."},
		10021088: {"该订单不支持代买家发起售后（例如未付款、已取消或已过售后期），请让买家自行申请或联系微信小店客服。", "This order does not allow an after-sale opened for the buyer (unpaid, cancelled or past its after-sales period, for example): ask the buyer to apply, or contact WeChat Store support."},
		10021068: {"该售后单不能直接拒绝，请先与买家协商（商家协商）；买家逾期未处理协商后才可拒绝。", "This after-sale cannot be rejected directly: negotiate with the buyer first; you may reject once the buyer has not answered the negotiation in time."},
	} {
		codeMeanings[code] = m
	}
}

// Fen is an amount of money in fen (分). Answers send it as a number or as a string of digits.
type Fen int64

// UnmarshalJSON accepts an integer, a string of digits, "" (0) or null (unchanged).
func (f *Fen) UnmarshalJSON(data []byte) error {
	n, ok, err := flexInt(data)
	if err != nil {
		return fmt.Errorf("wx: amount %s: %w", data, err)
	}
	if ok {
		*f = Fen(n)
	}
	return nil
}

// Flag is a yes/no the documents write as true/false in requests but that answers carry as 0/1 (addresses)
// or "1"; it marshals as true/false.
type Flag bool

// UnmarshalJSON accepts true, false, 0, 1, "0", "1", "true", "false", "" and null.
func (b *Flag) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(data)), `"`)
	switch s {
	case "null":
		return nil
	case "true", "1":
		*b = true
	case "false", "0", "":
		*b = false
	default:
		return fmt.Errorf("wx: %s is not a yes/no", data)
	}
	return nil
}

// flexInt reads an integer written as a number or a string; ok is false for null.
func flexInt(data []byte) (n int64, ok bool, err error) {
	s := strings.TrimSpace(string(data))
	if s == "null" {
		return 0, false, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return 0, false, err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, true, nil
		}
	}
	n, err = strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("not an integer")
	}
	return n, true, nil
}

// AftersaleListRequest is the body of getaftersalelist: one window (creation or update time, at most 24 h)
// and, from the second page on, the previous answer's next_key with the same window.
type AftersaleListRequest struct {
	BeginCreateTime int64  `json:"begin_create_time,omitempty"`
	EndCreateTime   int64  `json:"end_create_time,omitempty"`
	BeginUpdateTime int64  `json:"begin_update_time,omitempty"`
	EndUpdateTime   int64  `json:"end_update_time,omitempty"`
	NextKey         string `json:"next_key,omitempty"`
}

// AftersaleListAnswer is one page of after-sale ids.
type AftersaleListAnswer struct {
	AfterSaleOrderIDList []ID   `json:"after_sale_order_id_list"`
	HasMore              bool   `json:"has_more"`
	NextKey              string `json:"next_key"`
}

func (r AftersaleListRequest) validate() error {
	created := r.BeginCreateTime != 0 || r.EndCreateTime != 0
	updated := r.BeginUpdateTime != 0 || r.EndUpdateTime != 0
	if created == updated {
		return fmt.Errorf("give exactly one window: creation or update time")
	}
	begin, end, name := r.BeginCreateTime, r.EndCreateTime, "create"
	if updated {
		begin, end, name = r.BeginUpdateTime, r.EndUpdateTime, "update"
	}
	if begin <= 0 || end < begin {
		return fmt.Errorf("%s window %d–%d is not a range", name, begin, end)
	}
	if time.Duration(end-begin)*time.Second > AftersaleListMaxWindow {
		return fmt.Errorf("%s window spans more than 24 hours", name)
	}
	return nil
}

// AftersaleIDs returns one page of the ids of the after-sales created or updated in the request's window.
func (c *Client) AftersaleIDs(ctx context.Context, req AftersaleListRequest) (*AftersaleListAnswer, error) {
	const path = "/channels/ec/aftersale/getaftersalelist"
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("wx: %s: %w", path, err)
	}
	var ans AftersaleListAnswer
	if err := c.PostRead(ctx, path, req, &ans); err != nil {
		return nil, err
	}
	return &ans, nil
}

// AfterSaleOrder is after_sale_order of getaftersaleorder. Raw keeps the answer's bytes for the mirror, so
// nothing WeChat sent is lost over a field this type does not know.
type AfterSaleOrder struct {
	AfterSaleOrderID   ID                     `json:"after_sale_order_id"`
	OrderID            ID                     `json:"order_id"`
	Status             string                 `json:"status"`
	Type               string                 `json:"type"`
	SubType            string                 `json:"sub_type,omitempty"`
	OpenID             string                 `json:"openid"`
	UnionID            string                 `json:"unionid,omitempty"`
	ProductInfo        AftersaleProduct       `json:"product_info"`
	Details            AftersaleDetails       `json:"details"`
	RefundInfo         AftersaleRefund        `json:"refund_info"`
	ReturnInfo         AftersaleReturnInfo    `json:"return_info"`
	MerchantUploadInfo AftersaleMerchantInfo  `json:"merchant_upload_info"`
	Reason             string                 `json:"reason"`
	ReasonText         string                 `json:"reason_text,omitempty"`
	ComplaintID        ID                     `json:"complaint_id,omitempty"`
	RefundResp         AftersaleRefundResp    `json:"refund_resp"`
	Deadline           Timestamp              `json:"deadline,omitempty"`
	ExchangeProduct    *AftersaleExchange     `json:"exchange_product_info,omitempty"`
	ExchangeDelivery   *AftersaleReshipment   `json:"exchange_delivery_info,omitempty"`
	MerchantUpdate     *AftersaleNegotiation  `json:"merchant_update_detail,omitempty"`
	VirtualTelNum      *AftersaleVirtualPhone `json:"virtual_tel_num_info,omitempty"`
	NeedOfflineRefund  Flag                   `json:"need_offline_refund,omitempty"`
	CreateTime         Timestamp              `json:"create_time"`
	UpdateTime         Timestamp              `json:"update_time"`
	CompleteTime       Timestamp              `json:"complete_time,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// AftersaleProduct is product_info: what the after-sale is about.
type AftersaleProduct struct {
	ProductID  ID     `json:"product_id"`
	SKUID      ID     `json:"sku_id"`
	Count      int    `json:"count"`
	FastRefund Flag   `json:"fast_refund,omitempty"`
	SKUCode    string `json:"sku_code,omitempty"`
}

// AftersaleDetails is details: the buyer's application.
type AftersaleDetails struct {
	Desc           string           `json:"desc"`
	ReceiveProduct Flag             `json:"receive_product"`
	CancelTime     Timestamp        `json:"cancel_time"`
	MediaIDList    []string         `json:"media_id_list,omitempty"` // older answers
	MediaInfos     []AftersaleMedia `json:"media_infos,omitempty"`
	TelNumber      string           `json:"tel_number"`
}

// AftersaleMedia is one picture or video of the buyer's application.
type AftersaleMedia struct {
	MediaType       int    `json:"media_type"`
	PictureMediaID  string `json:"picture_media_id,omitempty"`
	VideoMediaID    string `json:"video_media_id,omitempty"`
	VideoPlayLength int    `json:"video_play_length,omitempty"`
}

// Images returns the media ids of the buyer's pictures, from either form of the answer.
func (d AftersaleDetails) Images() []string {
	out := append([]string(nil), d.MediaIDList...)
	for _, m := range d.MediaInfos {
		if m.PictureMediaID != "" {
			out = append(out, m.PictureMediaID)
		}
	}
	return out
}

// AftersaleRefund is refund_info.
type AftersaleRefund struct {
	Amount       Fen `json:"amount"`
	RefundReason int `json:"refund_reason,omitempty"`
}

// AftersaleReturnInfo is return_info: the buyer's parcel back to the merchant.
type AftersaleReturnInfo struct {
	WaybillID    string `json:"waybill_id"`
	DeliveryID   string `json:"delivery_id"`
	DeliveryName string `json:"delivery_name"`
	ReturnType   int    `json:"return_type,omitempty"`
}

// AftersaleMerchantInfo is merchant_upload_info.
type AftersaleMerchantInfo struct {
	RejectReason       string   `json:"reject_reason"`
	RefundCertificates []string `json:"refund_certificates"`
}

// AftersaleRefundResp is refund_resp: WeChat Pay's refund result.
type AftersaleRefundResp struct {
	Code    string `json:"code"`
	Ret     int    `json:"ret"`
	Message string `json:"message"`
}

// AftersaleExchange is exchange_product_info: the SKU the buyer wants instead.
type AftersaleExchange struct {
	ProductID   ID  `json:"product_id"`
	OldSKUID    ID  `json:"old_sku_id"`
	NewSKUID    ID  `json:"new_sku_id"`
	ProductCnt  int `json:"product_cnt"`
	OldSKUPrice Fen `json:"old_sku_price"`
	NewSKUPrice Fen `json:"new_sku_price"`
}

// AftersaleReshipment is exchange_delivery_info: the merchant's parcel with the replacement.
type AftersaleReshipment struct {
	WaybillID    string `json:"waybill_id"`
	DeliveryID   string `json:"delivery_id"`
	DeliveryName string `json:"delivery_name"`
}

// AftersaleNegotiation is merchant_update_detail, present while the buyer considers a negotiation.
type AftersaleNegotiation struct {
	MerchantUpdateType int      `json:"merchant_update_type"`
	UpdateReasonType   int      `json:"update_reason_type"`
	MerchantUpdateDesc string   `json:"merchant_update_desc"`
	OldAfterSaleType   Flexible `json:"old_after_sale_type,omitempty"`
	NewAfterSaleType   Flexible `json:"new_after_sale_type,omitempty"`
	OldAfterSaleAmount Fen      `json:"old_after_sale_amount"`
	NewAfterSaleAmount Fen      `json:"new_after_sale_amount"`
}

// Flexible is a scalar the documents type differently in places (a number or a string): kept as its text.
type Flexible string

// UnmarshalJSON keeps a string's content or a number's digits.
func (f *Flexible) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		return json.Unmarshal(data, (*string)(f))
	}
	*f = Flexible(s)
	return nil
}

// AftersaleVirtualPhone is virtual_tel_num_info: the buyer's masked phone number.
type AftersaleVirtualPhone struct {
	VirtualTelNumber     string    `json:"virtual_tel_number"`
	VirtualTelExpireTime Timestamp `json:"virtual_tel_expire_time"`
}

type aftersaleIDRequest struct {
	AfterSaleOrderID string `json:"after_sale_order_id"`
}

func errNoAftersaleID(path string) error { return fmt.Errorf("wx: %s: no after_sale_order_id", path) }

// AftersaleOrder returns one after-sale order, with the answer's bytes in Raw.
func (c *Client) AftersaleOrder(ctx context.Context, afterSaleOrderID string) (*AfterSaleOrder, error) {
	const path = "/channels/ec/aftersale/getaftersaleorder"
	if afterSaleOrderID == "" {
		return nil, errNoAftersaleID(path)
	}
	var ans struct {
		Order json.RawMessage `json:"after_sale_order"`
	}
	if err := c.PostRead(ctx, path, aftersaleIDRequest{afterSaleOrderID}, &ans); err != nil {
		return nil, err
	}
	if len(ans.Order) == 0 || string(ans.Order) == "null" {
		return nil, fmt.Errorf("wx: %s: answer has no after_sale_order", path)
	}
	o, err := DecodeAfterSaleOrder(ans.Order)
	if err != nil {
		return nil, fmt.Errorf("wx: %s: %w", path, err)
	}
	return o, nil
}

// DecodeAfterSaleOrder reads an after_sale_order object and keeps its bytes.
func DecodeAfterSaleOrder(data []byte) (*AfterSaleOrder, error) {
	var o AfterSaleOrder
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("decode after_sale_order: %w", err)
	}
	if o.AfterSaleOrderID == "" {
		return nil, fmt.Errorf("after_sale_order has no after_sale_order_id")
	}
	o.Raw = append(json.RawMessage(nil), data...)
	return &o, nil
}

// AcceptAftersale is acceptapply (同意售后). acceptType is AcceptReturn, AcceptRefund or 0 (WeChat chooses
// from the state); addressID is the return address, needed when agreeing to a return or an exchange. It is a
// write: a lost answer is not retried (read the after-sale back).
func (c *Client) AcceptAftersale(ctx context.Context, afterSaleOrderID, addressID string, acceptType int) error {
	const path = "/channels/ec/aftersale/acceptapply"
	if afterSaleOrderID == "" {
		return errNoAftersaleID(path)
	}
	if acceptType != 0 && acceptType != AcceptReturn && acceptType != AcceptRefund {
		return fmt.Errorf("wx: %s: accept_type %d is not 1 or 2", path, acceptType)
	}
	if acceptType == AcceptReturn && addressID == "" {
		return fmt.Errorf("wx: %s: agreeing to a return needs the return address", path)
	}
	req := struct {
		AfterSaleOrderID string `json:"after_sale_order_id"`
		AddressID        string `json:"address_id,omitempty"`
		AcceptType       int    `json:"accept_type,omitempty"`
	}{afterSaleOrderID, addressID, acceptType}
	return c.PostWrite(ctx, path, req, nil)
}

// RejectAftersale is rejectapply (拒绝售后) with a reason type of RejectReasons and the text the buyer reads
// ("" for the type's default). WeChat answers CodeAftersaleNegotiateFirst where a negotiation must come first.
func (c *Client) RejectAftersale(ctx context.Context, afterSaleOrderID string, reasonType int, reason string) error {
	const path = "/channels/ec/aftersale/rejectapply"
	if afterSaleOrderID == "" {
		return errNoAftersaleID(path)
	}
	if reasonType <= 0 {
		return fmt.Errorf("wx: %s: no reject_reason_type", path)
	}
	req := struct {
		AfterSaleOrderID string `json:"after_sale_order_id"`
		RejectReason     string `json:"reject_reason,omitempty"`
		RejectReasonType int    `json:"reject_reason_type"`
	}{afterSaleOrderID, reason, reasonType}
	return c.PostWrite(ctx, path, req, nil)
}

// RejectReason is one entry of rejectreason/get.
type RejectReason struct {
	RejectReasonType     int    `json:"reject_reason_type"`
	RejectReasonTypeText string `json:"reject_reason_type_text"`
	RejectReason         string `json:"reject_reason"`          // the default text shown to the buyer
	RejectScene          any    `json:"reject_scene,omitempty"` // kept as sent (a number; older editions have none); see Scene
}

// Reject scenes (reject_scene): which rejection a reason is for.
const (
	RejectSceneRefund   = 1 // 拒绝用户仅退款申请
	RejectSceneReturn   = 4 // 拒绝用户退货退款申请
	RejectSceneExchange = 5 // 拒绝用户换货申请
	RejectSceneReship   = 6 // 拒绝换货发出新商品
)

// Scene is the reason's reject_scene as a number, written as a number or a string of digits; 0 when the
// answer gives none or something else (a reason for every rejection).
func (r RejectReason) Scene() int {
	switch v := r.RejectScene.(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		return n
	}
	return 0
}

// RejectReasons returns the reasons a rejection may give (rejectreason/get).
func (c *Client) RejectReasons(ctx context.Context) ([]RejectReason, error) {
	const path = "/channels/ec/aftersale/rejectreason/get"
	var ans struct {
		ReasonList []RejectReason `json:"reason_list"`
	}
	if err := c.PostRead(ctx, path, struct{}{}, &ans); err != nil {
		return nil, err
	}
	return ans.ReasonList, nil
}

// Negotiation is the body of merchantupdateaftersale (商家协商).
type Negotiation struct {
	AfterSaleOrderID   string   `json:"after_sale_order_id"`
	Type               int      `json:"type"`   // the after-sale becomes 1 退款 or 2 退货退款
	Amount             Fen      `json:"amount"` // the new amount
	MerchantUpdateDesc string   `json:"merchant_update_desc"`
	UpdateReasonType   int      `json:"update_reason_type"`
	MerchantUpdateType int      `json:"merchant_update_type"` // 1 invite to cancel, 2 ask for evidence, 3 modify the application
	MediaIDs           []string `json:"media_ids,omitempty"`
}

// Negotiation types (Negotiation.Type) and merchant_update_type values.
const (
	NegotiateToRefund = 1
	NegotiateToReturn = 2

	NegotiateInviteCancel = 1
	NegotiateAskEvidence  = 2
	NegotiateModify       = 3
)

// NegotiateAftersale is merchantupdateaftersale: proposes a new plan the buyer accepts or refuses.
func (c *Client) NegotiateAftersale(ctx context.Context, n Negotiation) error {
	const path = "/channels/ec/aftersale/merchantupdateaftersale"
	switch {
	case n.AfterSaleOrderID == "":
		return errNoAftersaleID(path)
	case n.Type != NegotiateToRefund && n.Type != NegotiateToReturn:
		return fmt.Errorf("wx: %s: type %d is not 1 or 2", path, n.Type)
	case n.Amount < 0:
		return fmt.Errorf("wx: %s: negative amount", path)
	case strings.TrimSpace(n.MerchantUpdateDesc) == "":
		return fmt.Errorf("wx: %s: no merchant_update_desc", path)
	case n.UpdateReasonType <= 0:
		return fmt.Errorf("wx: %s: no update_reason_type", path)
	case n.MerchantUpdateType < NegotiateInviteCancel || n.MerchantUpdateType > NegotiateModify:
		return fmt.Errorf("wx: %s: merchant_update_type %d is not 1, 2 or 3", path, n.MerchantUpdateType)
	}
	return c.PostWrite(ctx, path, n, nil)
}

// UploadRefundCertificate is uploadrefundcertificate: proof (media ids) of a refund made outside WeChat after
// PLATFORM_REFUND_FAIL with need_offline_refund.
func (c *Client) UploadRefundCertificate(ctx context.Context, afterSaleOrderID string, mediaIDs []string, desc string) error {
	const path = "/channels/ec/aftersale/uploadrefundcertificate"
	if afterSaleOrderID == "" {
		return errNoAftersaleID(path)
	}
	if len(mediaIDs) == 0 {
		return fmt.Errorf("wx: %s: no refund_certificates", path)
	}
	req := struct {
		AfterSaleOrderID   string   `json:"after_sale_order_id"`
		RefundCertificates []string `json:"refund_certificates"`
		Desc               string   `json:"desc,omitempty"`
	}{afterSaleOrderID, mediaIDs, desc}
	return c.PostWrite(ctx, path, req, nil)
}

// AcceptExchangeReship is acceptexchangereship: ships the replacement of an exchange (courier code from the
// courier list, OTHER for a minor one, and the tracking number).
func (c *Client) AcceptExchangeReship(ctx context.Context, afterSaleOrderID, deliveryID, waybillID string) error {
	const path = "/channels/ec/aftersale/acceptexchangereship"
	if afterSaleOrderID == "" {
		return errNoAftersaleID(path)
	}
	if deliveryID == "" || waybillID == "" {
		return fmt.Errorf("wx: %s: empty courier or tracking number", path)
	}
	req := struct {
		AfterSaleOrderID string `json:"after_sale_order_id"`
		WaybillID        string `json:"waybill_id"`
		DeliveryID       string `json:"delivery_id"`
	}{afterSaleOrderID, waybillID, deliveryID}
	return c.PostWrite(ctx, path, req, nil)
}

// RejectExchangeReship is rejectexchangereship: refuses to ship the replacement.
func (c *Client) RejectExchangeReship(ctx context.Context, afterSaleOrderID string, reasonType int, reason string, certificates []string) error {
	const path = "/channels/ec/aftersale/rejectexchangereship"
	if afterSaleOrderID == "" {
		return errNoAftersaleID(path)
	}
	if reasonType <= 0 {
		return fmt.Errorf("wx: %s: no reject_reason_type", path)
	}
	req := struct {
		AfterSaleOrderID   string   `json:"after_sale_order_id"`
		RejectReasonType   int      `json:"reject_reason_type"`
		RejectReason       string   `json:"reject_reason,omitempty"`
		RejectCertificates []string `json:"reject_certificates,omitempty"`
	}{afterSaleOrderID, reasonType, reason, certificates}
	return c.PostWrite(ctx, path, req, nil)
}

// EventStoreAftersaleUpdate is the push of an after-sale's change (events.md §4): the body object
// finder_shop_aftersale_status_update names the after-sale, its order and its new status. A buyer's new
// application arrives as MERCHANT_PROCESSING.
const EventStoreAftersaleUpdate = "channels_ec_aftersale_update"

// AftersaleStatusUpdate is finder_shop_aftersale_status_update.
type AftersaleStatusUpdate struct {
	Status           string `json:"status"`
	AfterSaleOrderID ID     `json:"after_sale_order_id"`
	OrderID          ID     `json:"order_id"`
}

// ParseAftersaleUpdate reads the after-sale of a channels_ec_aftersale_update push from its plaintext JSON
// (ids as strings or bare numbers, every digit kept).
func ParseAftersaleUpdate(plain []byte) (*AftersaleStatusUpdate, error) {
	var ev struct {
		Event  string                 `json:"Event"`
		Update *AftersaleStatusUpdate `json:"finder_shop_aftersale_status_update"`
	}
	if err := json.Unmarshal(plain, &ev); err != nil {
		return nil, fmt.Errorf("wx: %s push: %w", EventStoreAftersaleUpdate, err)
	}
	if ev.Update == nil || ev.Update.AfterSaleOrderID == "" {
		return nil, fmt.Errorf("wx: %s push names no after-sale", EventStoreAftersaleUpdate)
	}
	return ev.Update, nil
}

// PathGenAftersale is 代用户发起售后: the merchant opens an after-sale for the buyer (aftersale.md §7).
const PathGenAftersale = "/channels/ec/aftersale/genaftersaleorder"

// Reasons of genaftersaleorder (its page's reason enum).
const (
	GenReasonAgreed = "10000014" // 双方协商一致退款
	GenReasonWrong  = "10000002" // 拍错/多拍
	GenReasonNoWant = "10000000" // 不想要了
	GenReasonOther  = "10000008" // 其他
)

// GenAftersale is genaftersaleorder's request. RequestID makes it idempotent: retried with the same id,
// WeChat opens no second after-sale. Amount is in fen; Type is REFUND or RETURN (AddressID then required).
type GenAftersale struct {
	RequestID string `json:"request_id"`
	OrderID   string `json:"order_id"`
	ProductID string `json:"product_id"`
	SkuID     string `json:"sku_id"`
	Count     int    `json:"count"`
	Amount    int64  `json:"amount"`
	Reason    string `json:"reason"`
	Type      string `json:"type"`
	AddressID string `json:"address_id,omitempty"`
	Desc      string `json:"desc,omitempty"`
}

func (g GenAftersale) validate() error {
	switch {
	case g.RequestID == "" || g.OrderID == "" || g.ProductID == "" || g.SkuID == "" || g.Reason == "":
		return fmt.Errorf("wx: %s: request_id, order_id, product_id, sku_id and reason are required", PathGenAftersale)
	case g.Count <= 0 || g.Amount < 0:
		return fmt.Errorf("wx: %s: count %d, amount %d", PathGenAftersale, g.Count, g.Amount)
	case g.Type != AftersaleTypeRefund && g.Type != AftersaleTypeReturn:
		return fmt.Errorf("wx: %s: type %q is neither REFUND nor RETURN", PathGenAftersale, g.Type)
	case g.Type == AftersaleTypeReturn && g.AddressID == "":
		return fmt.Errorf("wx: %s: a RETURN needs address_id", PathGenAftersale)
	}
	return nil
}

// GenAftersaleOrder opens an after-sale for the buyer and answers its id (aftersale_id, a number in the
// answer, kept as a string).
func (c *Client) GenAftersaleOrder(ctx context.Context, g GenAftersale) (ID, error) {
	if err := g.validate(); err != nil {
		return "", err
	}
	var ans struct {
		AftersaleID ID `json:"aftersale_id"`
	}
	if err := c.PostWrite(ctx, PathGenAftersale, g, &ans); err != nil {
		return "", err
	}
	if ans.AftersaleID == "" {
		return "", fmt.Errorf("wx: %s: answer has no aftersale_id", PathGenAftersale)
	}
	return ans.AftersaleID, nil
}
