package wx

// Callback pushes. WeChat POSTs events (an order was paid, ...) to the callback URL set on the platform. This
// file checks their signatures, decrypts safe-mode bodies and parses the events; BuildPush is the sending
// end, for the sandbox and the tests.
//
// A handler does, in this order:
//
//	body, err := wx.ReadBody(http.MaxBytesReader(w, r.Body, wx.MaxBodyBytes))
//	ev, err := wx.OpenPush(token, crypter, r.URL.Query(), body) // crypter nil: plain mode
//	switch {
//	case errors.Is(err, wx.ErrBadSignature): // 403
//	case errors.Is(err, wx.ErrBadMessage):   // 400
//	case err != nil:                         // 500: a configuration mistake
//	}
//	// handle ev idempotently (WeChat repeats a push it had no answer to within 5 s), then answer "success"
//
// Answer every ErrBadMessage with the same bare 400 and log the detail: the detailed errors of Decrypt tell
// bad padding from a bad length, so echoing them would help whoever probes the ciphertext.
//
// Pushes come as XML or as JSON. The merchant manual's merchant_order event and third-party platforms push
// XML; the 微信小店 documents push JSON to the shop's own app (store/events.md), in safe mode as
// {"ToUserName": "…", "Encrypt": "…"}. The body's first character tells which; the signatures are the same.
//
// Protocol (shared/api/README.md, "Payment notification"): every push carries signature, timestamp and nonce
// in the query, signature = sha1 of the sorted, concatenated token, timestamp and nonce. In safe mode the body
// is <xml><ToUserName/><Encrypt/></xml> and the query adds encrypt_type=aes and msg_signature = sha1 of the
// sorted token, timestamp, nonce and Encrypt. Encrypt is base64 of AES-256-CBC (key = base64 of the
// EncodingAESKey plus "=", IV = the key's first 16 bytes) over 16 random bytes, the message length as 4
// big-endian bytes, the message and the AppID, PKCS#7-padded to a multiple of 32 bytes.

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// MaxBodyBytes is the largest push body accepted. Event pushes are a few hundred bytes. ParseEnvelope,
// ParseEvent, Decrypt and OpenPush refuse more, but only once the body is in memory: the handler must cap
// what it reads, with ReadBody and http.MaxBytesReader.
const MaxBodyBytes = 1 << 20

// Values of Event.MsgType and Event.Event.
const (
	MsgTypeEvent       = "event"
	EventMerchantOrder = "merchant_order" // an order was paid (merchant API 6.1)

	// The 微信小店 order events (store/events.md), each naming its order in order_info.order_id.
	EventStoreOrderNew           = "channels_ec_order_new"
	EventStoreOrderPay           = "channels_ec_order_pay"
	EventStoreOrderWaitShipping  = "channels_ec_order_wait_shipping"
	EventStoreOrderDeliver       = "channels_ec_order_deliver"
	EventStoreOrderConfirm       = "channels_ec_order_confirm"
	EventStoreOrderCancel        = "channels_ec_order_cancel"
	EventStoreOrderSettle        = "channels_ec_order_settle"
	EventStoreOrderExtInfoUpdate = "channels_ec_order_ext_info_update"

	// The partner-store order event, with order_id and shop_appid under Data (or EventData, as SKIT
	// names it). Accounts linked since 2025 receive it as related_shop_order_submission.
	EventPartnerOrder        = "cooperation_shop_order"
	EventPartnerOrderRelated = "related_shop_order_submission"
)

// IsStoreOrderEvent reports whether event is one of the 微信小店 order events.
func IsStoreOrderEvent(event string) bool {
	switch event {
	case EventStoreOrderNew, EventStoreOrderPay, EventStoreOrderWaitShipping, EventStoreOrderDeliver,
		EventStoreOrderConfirm, EventStoreOrderCancel, EventStoreOrderSettle, EventStoreOrderExtInfoUpdate:
		return true
	}
	return false
}

// IsPartnerOrderEvent reports whether event announces an order placed in a partner store.
func IsPartnerOrderEvent(event string) bool {
	return event == EventPartnerOrder || event == EventPartnerOrderRelated
}

// Formats of a push, Event.Format.
const (
	FormatXML  = "xml"
	FormatJSON = "json"
)

// Answer a push with ErrBadSignature as 403 and with ErrBadMessage as 400. Each specific error below wraps
// ErrBadMessage, so errors.Is works with either.
var (
	// ErrBadSignature: signature or msg_signature is missing or wrong, or a plain push came although safe
	// mode is configured (a plain body is not covered by any signature).
	ErrBadSignature = errors.New("wx: callback: bad signature")
	// ErrBadMessage: the body is not a push this package accepts.
	ErrBadMessage = errors.New("wx: callback: bad message")

	ErrBodyTooLarge   = fmt.Errorf("%w: body larger than %d bytes", ErrBadMessage, MaxBodyBytes)
	ErrXMLDirective   = fmt.Errorf("%w: XML with a DOCTYPE, ENTITY or other <!directive>", ErrBadMessage)
	ErrBadXML         = fmt.Errorf("%w: malformed XML", ErrBadMessage)
	ErrNotSafeMode    = fmt.Errorf("%w: encrypted push, but no EncodingAESKey is configured", ErrBadMessage)
	ErrBadBase64      = fmt.Errorf("%w: Encrypt is not valid base64", ErrBadMessage)
	ErrBadCiphertext  = fmt.Errorf("%w: ciphertext is not a positive multiple of 16 bytes", ErrBadMessage)
	ErrBadPadding     = fmt.Errorf("%w: bad PKCS#7 padding", ErrBadMessage)
	ErrBadLength      = fmt.Errorf("%w: message length does not fit the plaintext", ErrBadMessage)
	ErrAppIDMismatch  = fmt.Errorf("%w: message is for another AppID", ErrBadMessage)
	ErrBadEventNumber = fmt.Errorf("%w: a numeric field is not a number", ErrBadMessage)
	ErrNoMsgType      = fmt.Errorf("%w: no MsgType", ErrBadMessage)
	ErrBadJSON        = fmt.Errorf("%w: malformed JSON", ErrBadMessage)

	// ErrBadAESKey is NewCrypter's answer to a key that is not 43 base64 characters decoding to 32 bytes.
	ErrBadAESKey = errors.New("wx: callback: EncodingAESKey must be 43 base64 characters that decode to 32 bytes")
)

const (
	aesKeyChars  = 43
	aesKeyBytes  = 32
	padBlock     = 32 // WeChat pads to 32 bytes, not to the 16-byte AES block
	randomPrefix = 16
	headerBytes  = randomPrefix + 4 // the random bytes and the big-endian message length
	clipBytes    = 40               // how much of a bad value goes into an error message
)

// Signature is the hex sha1 of parts sorted and concatenated: the signature of a push with (token, timestamp,
// nonce), its msg_signature with (token, timestamp, nonce, Encrypt). parts is not modified.
func Signature(parts ...string) string {
	sorted := slices.Clone(parts)
	slices.Sort(sorted)
	sum := sha1.Sum([]byte(strings.Join(sorted, "")))
	return hex.EncodeToString(sum[:])
}

// VerifySignature reports whether signature is Signature(token, timestamp, nonce), compared in constant time.
// An empty token never verifies: anyone could sign with it.
func VerifySignature(token, timestamp, nonce, signature string) bool {
	if token == "" {
		return false
	}
	return sameSignature(Signature(token, timestamp, nonce), signature)
}

// sameSignature compares in constant time (for equal lengths; the length of a hex sha1 is no secret). WeChat
// sends lower-case hex, as Signature makes; anything else is refused.
func sameSignature(want, got string) bool {
	return subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// Crypter encrypts and decrypts safe-mode messages for one account. It is safe for concurrent use.
type Crypter struct {
	token string
	appID string
	block cipher.Block
	iv    []byte
}

// NewCrypter returns the Crypter for the callback token, the EncodingAESKey (43 characters, 32 bytes once
// decoded) and the AppID set on the platform. Errors never contain the key.
func NewCrypter(token, encodingAESKey, appID string) (*Crypter, error) {
	if token == "" {
		return nil, errors.New("wx: callback: the callback token is empty")
	}
	if appID == "" {
		return nil, errors.New("wx: callback: the AppID is empty")
	}
	if len(encodingAESKey) != aesKeyChars {
		return nil, fmt.Errorf("%w; it has %d characters", ErrBadAESKey, len(encodingAESKey))
	}
	// Not Strict: the platform draws all 43 characters at random, so the last one may carry 2 bits beyond
	// the 32 bytes, which every WeChat SDK ignores. Padding and line breaks fail the length check.
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != aesKeyBytes {
		return nil, ErrBadAESKey
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, ErrBadAESKey
	}
	return &Crypter{token: token, appID: appID, block: block, iv: key[:aes.BlockSize]}, nil
}

// VerifyMsgSignature reports whether msgSignature is Signature(token, timestamp, nonce, encrypted), compared
// in constant time. Check it before Decrypt: CBC alone does not detect a changed ciphertext.
func (c *Crypter) VerifyMsgSignature(timestamp, nonce, encrypted, msgSignature string) bool {
	return sameSignature(Signature(c.token, timestamp, nonce, encrypted), msgSignature)
}

// Decrypt returns the message inside encrypted (the text of <Encrypt>). It checks the base64, the ciphertext
// length, the padding (1 to 32 bytes, all equal to their count), the length field and that the AppID after
// the message is this account's, and says which failed with an error wrapping ErrBadMessage. It does not
// authenticate: call VerifyMsgSignature first, as OpenPush does.
func (c *Crypter) Decrypt(encrypted string) ([]byte, error) {
	if len(encrypted) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	ct, err := base64.StdEncoding.Strict().DecodeString(encrypted)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrBadBase64, err)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w; it has %d", ErrBadCiphertext, len(ct))
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(c.block, c.iv).CryptBlocks(plain, ct)

	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > padBlock || pad > len(plain) {
		return nil, fmt.Errorf("%w: the last byte is %d", ErrBadPadding, pad)
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("%w: the last %d bytes are not all %d", ErrBadPadding, pad, pad)
		}
	}
	plain = plain[:len(plain)-pad]

	if len(plain) < headerBytes {
		return nil, fmt.Errorf("%w: %d bytes are shorter than the %d-byte header", ErrBadLength, len(plain), headerBytes)
	}
	n := binary.BigEndian.Uint32(plain[randomPrefix:headerBytes])
	rest := plain[headerBytes:]
	if uint64(n) > uint64(len(rest)) {
		return nil, fmt.Errorf("%w: the length field says %d bytes, %d follow", ErrBadLength, n, len(rest))
	}
	msg, appID := rest[:n], rest[n:]
	if !bytes.Equal(appID, []byte(c.appID)) {
		return nil, fmt.Errorf("%w: it names %s, this account is %s", ErrAppIDMismatch, clip(appID), clip([]byte(c.appID)))
	}
	return msg, nil
}

// Encrypt is Decrypt's inverse, for the sandbox and the tests: it returns the base64 text of <Encrypt> for
// msg. random supplies the 16 leading bytes; nil means crypto/rand.
func (c *Crypter) Encrypt(msg []byte, random io.Reader) (string, error) {
	n := headerBytes + len(msg) + len(c.appID)
	pad := padBlock - n%padBlock
	if base64.StdEncoding.EncodedLen(n+pad) > MaxBodyBytes {
		return "", fmt.Errorf("wx: callback: a message of %d bytes does not fit a %d-byte push", len(msg), MaxBodyBytes)
	}
	if random == nil {
		random = rand.Reader
	}
	buf := make([]byte, n+pad)
	if _, err := io.ReadFull(random, buf[:randomPrefix]); err != nil {
		return "", fmt.Errorf("wx: callback: read random bytes: %w", err)
	}
	binary.BigEndian.PutUint32(buf[randomPrefix:headerBytes], uint32(len(msg)))
	copy(buf[headerBytes:], msg)
	copy(buf[headerBytes+len(msg):], c.appID)
	for i := n; i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(c.block, c.iv).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf), nil
}

// Envelope is the outer object of a push. In plain mode Encrypt is empty and the body is the event itself.
type Envelope struct {
	ToUserName string
	Encrypt    string
	Format     string // FormatXML or FormatJSON
}

// isJSON reports whether a push body is JSON (its first character other than white space is "{"), not XML.
func isJSON(body []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, utf8BOM), " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// ParseEnvelope reads a push body: plain XML or JSON, or in safe mode <xml><ToUserName/><Encrypt>…</Encrypt>
// </xml> or {"ToUserName": "…", "Encrypt": "…"}. It refuses what ParseEvent refuses, but needs no MsgType.
func ParseEnvelope(body []byte) (*Envelope, error) {
	if isJSON(body) {
		f, err := parseJSONEvent(body)
		if err != nil {
			return nil, err
		}
		return &Envelope{ToUserName: f.ToUserName, Encrypt: f.Encrypt, Format: FormatJSON}, nil
	}
	f, err := parseFlatXML(body, "ToUserName", "Encrypt")
	if err != nil {
		return nil, err
	}
	return &Envelope{ToUserName: f["ToUserName"], Encrypt: f["Encrypt"], Format: FormatXML}, nil
}

// Event is what the app needs from a push. Fields the event does not carry are empty; Raw has the rest.
type Event struct {
	ToUserName   string // the account's original ID
	FromUserName string // the sender's OpenID
	CreateTime   int64  // Unix seconds
	MsgType      string // "event" for the pushes this app handles
	Event        string // "merchant_order", "channels_ec_order_pay", or whatever other event WeChat sends
	// OrderID is the order the event names, every digit kept: <OrderId> of merchant_order,
	// order_info.order_id of the 微信小店 order events (a JSON number, often above 2^53, or a string), or
	// Data.order_id (EventData.order_id) of the partner-store event.
	OrderID     string
	ShopAppID   string // the partner store's AppID: Data.shop_appid (EventData.shop_appid)
	OrderStatus int
	ProductID   string // <ProductId>
	SkuInfo     string // "10001:1000012;10002:100021": property:value pairs
	Format      string // FormatXML or FormatJSON
	Raw         []byte // the plaintext event, a copy
}

var eventFields = []string{
	"ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "OrderId", "OrderStatus", "ProductId", "SkuInfo",
	"order_info.order_id", "Data.order_id", "Data.shop_appid", "EventData.order_id", "EventData.shop_appid",
}

// ParseEvent reads a plaintext push, XML or JSON. XML is <xml> with one child element per field, text or
// CDATA, and objects as nested elements (<order_info><order_id>…); unknown elements are ignored; a known one
// given twice, a DOCTYPE or any other <!directive>, more than one root, a root other than <xml> and an
// encoding other than UTF-8 are errors. JSON is one object whose numbers are read digit for digit. In
// either form a missing MsgType, a number that is not one and more than MaxBodyBytes are errors; every error
// wraps ErrBadMessage. Empty numbers are 0.
func ParseEvent(data []byte) (*Event, error) {
	if isJSON(data) {
		return parseJSONPush(data)
	}
	f, err := parseFlatXML(data, eventFields...)
	if err != nil {
		return nil, err
	}
	ev := &Event{
		ToUserName:   f["ToUserName"],
		FromUserName: f["FromUserName"],
		MsgType:      f["MsgType"],
		Event:        f["Event"],
		OrderID:      firstText(f["OrderId"], f["order_info.order_id"], f["Data.order_id"], f["EventData.order_id"]),
		ShopAppID:    firstText(f["Data.shop_appid"], f["EventData.shop_appid"]),
		ProductID:    f["ProductId"],
		SkuInfo:      f["SkuInfo"],
		Format:       FormatXML,
		Raw:          bytes.Clone(data),
	}
	if ev.MsgType == "" {
		return nil, ErrNoMsgType
	}
	if ev.CreateTime, err = parseEventInt(f, "CreateTime", 64); err != nil {
		return nil, err
	}
	status, err := parseEventInt(f, "OrderStatus", 32)
	if err != nil {
		return nil, err
	}
	ev.OrderStatus = int(status)
	return ev, nil
}

// jsonEvent is the JSON form of a push: the envelope's fields and those of the events the app reads.
// Numbers are json.Number, so an order id keeps every digit.
type jsonEvent struct {
	ToUserName   string          `json:"ToUserName"`
	Encrypt      string          `json:"Encrypt"`
	FromUserName string          `json:"FromUserName"`
	CreateTime   json.RawMessage `json:"CreateTime"`
	MsgType      string          `json:"MsgType"`
	Event        string          `json:"Event"`
	// merchant_order's fields, when a merchant_order event comes as JSON.
	OrderID     ID              `json:"OrderId"`
	OrderStatus json.RawMessage `json:"OrderStatus"`
	ProductID   string          `json:"ProductId"`
	SkuInfo     string          `json:"SkuInfo"`
	OrderInfo   *struct {
		OrderID ID `json:"order_id"`
	} `json:"order_info"`
	Data      *jsonPartnerData `json:"Data"`
	EventData *jsonPartnerData `json:"EventData"`
}

type jsonPartnerData struct {
	OrderID   ID     `json:"order_id"`
	ShopAppID string `json:"shop_appid"`
}

func parseJSONEvent(data []byte) (*jsonEvent, error) {
	if len(data) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	var ev jsonEvent
	d := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	d.UseNumber()
	if err := d.Decode(&ev); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrBadJSON, err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: more than one value", ErrBadJSON)
	}
	return &ev, nil
}

func parseJSONPush(data []byte) (*Event, error) {
	j, err := parseJSONEvent(data)
	if err != nil {
		return nil, err
	}
	ev := &Event{
		ToUserName: j.ToUserName, FromUserName: j.FromUserName, MsgType: j.MsgType, Event: j.Event,
		OrderID: string(j.OrderID), ProductID: j.ProductID, SkuInfo: j.SkuInfo,
		Format: FormatJSON, Raw: bytes.Clone(data),
	}
	if ev.MsgType == "" {
		return nil, ErrNoMsgType
	}
	if ev.CreateTime, err = jsonEventInt(j.CreateTime, "CreateTime", 64); err != nil {
		return nil, err
	}
	status, err := jsonEventInt(j.OrderStatus, "OrderStatus", 32)
	if err != nil {
		return nil, err
	}
	ev.OrderStatus = int(status)
	if j.OrderInfo != nil {
		ev.OrderID = string(j.OrderInfo.OrderID)
	}
	for _, d := range []*jsonPartnerData{j.Data, j.EventData} {
		if d != nil && ev.OrderID == "" {
			ev.OrderID, ev.ShopAppID = string(d.OrderID), d.ShopAppID
		}
	}
	return ev, nil
}

// jsonEventInt reads a number of a JSON push, given as a number or as a string of digits; absent is 0.
func jsonEventInt(raw json.RawMessage, name string, bits int) (int64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var digits ID
	if err := digits.UnmarshalJSON(raw); err != nil {
		return 0, fmt.Errorf("%w: %s is %s", ErrBadEventNumber, name, clip(raw))
	}
	return parseEventInt(map[string]string{name: string(digits)}, name, bits)
}

func parseEventInt(f map[string]string, name string, bits int) (int64, error) {
	s := f[name]
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%w: <%s> is %s", ErrBadEventNumber, name, clip([]byte(s)))
	}
	return n, nil
}

// OpenPush checks and reads one push: the query of the request and its body. crypter nil means plain mode:
// only signature is checked and an encrypted push is refused. With a crypter (safe mode) the push must be
// encrypted: signature and msg_signature are both checked before anything is decrypted, and a plain push is
// refused with ErrBadSignature, since nothing would vouch for its body. crypter must have been made with
// token. The timestamp is not checked for age: WeChat repeats pushes, so handling must be idempotent anyway.
func OpenPush(token string, crypter *Crypter, query url.Values, body []byte) (*Event, error) {
	if crypter != nil && crypter.token != token {
		return nil, errors.New("wx: callback: the Crypter was made with another token")
	}
	if len(body) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	timestamp, nonce := query.Get("timestamp"), query.Get("nonce")
	if !VerifySignature(token, timestamp, nonce, query.Get("signature")) {
		return nil, fmt.Errorf("%w: signature does not match", ErrBadSignature)
	}
	encType := query.Get("encrypt_type")
	if crypter == nil {
		if encType != "" && encType != "raw" {
			return nil, fmt.Errorf("%w (encrypt_type %s)", ErrNotSafeMode, clip([]byte(encType)))
		}
		env, err := ParseEnvelope(body)
		if err != nil {
			return nil, err
		}
		if env.Encrypt != "" {
			return nil, fmt.Errorf("%w (the body has Encrypt)", ErrNotSafeMode)
		}
		return ParseEvent(body)
	}
	if encType != "aes" {
		return nil, fmt.Errorf("%w: safe mode is configured but the push is not encrypted (encrypt_type %s)",
			ErrBadSignature, clip([]byte(encType)))
	}
	env, err := ParseEnvelope(body)
	if err != nil {
		return nil, err
	}
	if env.Encrypt == "" {
		if env.Format == FormatJSON {
			return nil, fmt.Errorf("%w: no Encrypt in a safe-mode push", ErrBadJSON)
		}
		return nil, fmt.Errorf("%w: no <Encrypt> in a safe-mode push", ErrBadXML)
	}
	if !crypter.VerifyMsgSignature(timestamp, nonce, env.Encrypt, query.Get("msg_signature")) {
		return nil, fmt.Errorf("%w: msg_signature does not match", ErrBadSignature)
	}
	plain, err := crypter.Decrypt(env.Encrypt)
	if err != nil {
		return nil, err
	}
	return ParseEvent(plain)
}

// ReadBody reads a push body, refusing more than MaxBodyBytes with ErrBodyTooLarge. Give it
// http.MaxBytesReader(w, r.Body, MaxBodyBytes), so the server also stops reading from such a client.
func ReadBody(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, ErrBodyTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("wx: callback: read body: %w", err)
	}
	if len(data) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	return data, nil
}

// BuildPush builds the request WeChat would send for event: the query and the body, in plain mode (crypter
// nil) or in safe mode (crypter made with token). random feeds Encrypt; nil means crypto/rand. For the
// sandbox and the tests: event is sent as given, checked only for size.
func BuildPush(token string, crypter *Crypter, event []byte, timestamp, nonce string, random io.Reader) (query url.Values, body []byte, err error) {
	if token == "" || timestamp == "" || nonce == "" {
		return nil, nil, errors.New("wx: callback: a push needs a token, a timestamp and a nonce")
	}
	query = url.Values{
		"signature": {Signature(token, timestamp, nonce)},
		"timestamp": {timestamp},
		"nonce":     {nonce},
	}
	if crypter == nil {
		if len(event) > MaxBodyBytes {
			return nil, nil, ErrBodyTooLarge
		}
		return query, bytes.Clone(event), nil
	}
	if crypter.token != token {
		return nil, nil, errors.New("wx: callback: the Crypter was made with another token")
	}
	enc, err := crypter.Encrypt(event, random)
	if err != nil {
		return nil, nil, err
	}
	query.Set("encrypt_type", "aes")
	query.Set("msg_signature", Signature(token, timestamp, nonce, enc))
	if isJSON(event) {
		// The 微信小店 form: {"ToUserName": "…", "Encrypt": "…"}.
		var head struct {
			ToUserName string `json:"ToUserName"`
		}
		_ = json.Unmarshal(event, &head)
		b, err := json.Marshal(struct {
			ToUserName string `json:"ToUserName"`
			Encrypt    string `json:"Encrypt"`
		}{head.ToUserName, enc})
		if err != nil {
			return nil, nil, err
		}
		if len(b) > MaxBodyBytes {
			return nil, nil, ErrBodyTooLarge
		}
		return query, b, nil
	}
	var toUser string
	if f, err := parseFlatXML(event, "ToUserName"); err == nil {
		toUser = f["ToUserName"]
	}
	var b bytes.Buffer
	b.WriteString("<xml><ToUserName>")
	if err := xml.EscapeText(&b, []byte(toUser)); err != nil {
		return nil, nil, err
	}
	b.WriteString("</ToUserName><Encrypt><![CDATA[")
	b.WriteString(enc) // base64 holds no "]]>"
	b.WriteString("]]></Encrypt></xml>")
	if b.Len() > MaxBodyBytes {
		return nil, nil, ErrBodyTooLarge
	}
	return query, b.Bytes(), nil
}

// parseFlatXML reads <xml><Name>text</Name>…</xml> and returns the trimmed text of the root's children named
// in fields, and of their children named "Parent.Child" in fields (text of deeper elements is left out). It walks the tokens itself so that it can refuse what
// encoding/xml would quietly accept: directives (encoding/xml expands no external entity, but a DOCTYPE has
// no business in a push), a second root, text around the root, and a wanted field given twice.
func parseFlatXML(data []byte, fields ...string) (map[string]string, error) {
	if len(data) > MaxBodyBytes {
		return nil, ErrBodyTooLarge
	}
	if hasDoctypeOrEntity(data) {
		return nil, ErrXMLDirective
	}
	d := xml.NewDecoder(bytes.NewReader(data)) // Strict, and no CharsetReader: UTF-8 only
	out := make(map[string]string, len(fields))
	var (
		depth    int
		seenRoot bool
		field    string // the wanted child being read, if any
		parent   string // the root's child that the reader is in, at depth 3 and more
		text     strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrBadXML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				if seenRoot {
					return nil, fmt.Errorf("%w: more than one root element", ErrBadXML)
				}
				seenRoot = true
				if t.Name.Local != "xml" || t.Name.Space != "" {
					return nil, fmt.Errorf("%w: the root element is %s, not xml", ErrBadXML, clip([]byte(t.Name.Local)))
				}
			case 2, 3:
				name := t.Name.Local
				if depth == 2 {
					parent = name
				} else {
					name = parent + "." + name
				}
				if t.Name.Space == "" && slices.Contains(fields, name) {
					if _, dup := out[name]; dup {
						return nil, fmt.Errorf("%w: <%s> appears twice", ErrBadXML, name)
					}
					field = name
					text.Reset()
				}
			}
		case xml.EndElement:
			if (depth == 2 || depth == 3) && field != "" && strings.Count(field, ".") == depth-2 {
				out[field] = strings.TrimSpace(text.String())
				field = ""
			}
			depth--
		case xml.CharData:
			switch {
			case depth == 0 && len(bytes.TrimSpace(t)) > 0:
				return nil, fmt.Errorf("%w: text outside the root element", ErrBadXML)
			case (depth == 2 || depth == 3) && field != "" && strings.Count(field, ".") == depth-2:
				text.Write(t)
			}
		case xml.Directive:
			return nil, ErrXMLDirective
		}
		// xml.ProcInst (the <?xml?> declaration) and xml.Comment are harmless.
	}
	if !seenRoot {
		return nil, fmt.Errorf("%w: no root element", ErrBadXML)
	}
	return out, nil
}

// hasDoctypeOrEntity reports whether data holds "<!DOCTYPE" or "<!ENTITY" in any case, anywhere, even where
// the XML parser would not read it as a declaration: belt and braces.
func hasDoctypeOrEntity(data []byte) bool {
	for {
		i := bytes.Index(data, []byte("<!"))
		if i < 0 {
			return false
		}
		data = data[i+2:]
		if hasPrefixFold(data, "DOCTYPE") || hasPrefixFold(data, "ENTITY") {
			return true
		}
	}
}

func hasPrefixFold(data []byte, prefix string) bool {
	return len(data) >= len(prefix) && bytes.EqualFold(data[:len(prefix)], []byte(prefix))
}

// clip quotes the start of a value for an error message.
func clip(b []byte) string {
	if len(b) > clipBytes {
		return strconv.Quote(string(b[:clipBytes])) + "…"
	}
	return strconv.Quote(string(b))
}
