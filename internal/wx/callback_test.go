package wx

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The account of WeChat's published safe-mode sample. Its key's last character carries two bits beyond the
// 32 bytes, which a strict base64 decoder would refuse.
const (
	cbToken  = "pamtest"
	cbAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	cbAppID  = "wxb11529c136998cb6"
	cbTS     = "1409304348"
	cbNonce  = "xxxxxx"
)

// The merchant_order push of the merchant API manual, 6.1 (the text extraction in shared/api lost the XML;
// the elements are those of shared/api/README.md, the values those of the published manual).
const cbManualOrderEvent = `<xml>
<ToUserName><![CDATA[weixin_media1]]></ToUserName>
<FromUserName><![CDATA[oDF3iYyVlek46AyTBbMRVV8VZVlI]]></FromUserName>
<CreateTime>1398144192</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[merchant_order]]></Event>
<OrderId><![CDATA[test_order_id]]></OrderId>
<OrderStatus>2</OrderStatus>
<ProductId><![CDATA[test_product_id]]></ProductId>
<SkuInfo><![CDATA[10001:1000012;10002:100021]]></SkuInfo>
</xml>`

// The skeleton of shared/api/README.md, verbatim.
const cbReadmeOrderEvent = `<xml><ToUserName/><FromUserName/><CreateTime/><MsgType>event</MsgType><Event>merchant_order</Event><OrderId/><OrderStatus>2</OrderStatus><ProductId/><SkuInfo>10001:1000012;10002:100021</SkuInfo></xml>`

// --- independent helpers: the protocol done by hand with the standard library, not with callback.go ---

func cbSHA1(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func cbKey(t testing.TB) []byte {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(cbAESKey + "=")
	if err != nil || len(key) != 32 {
		t.Fatalf("decode test key: %v (%d bytes)", err, len(key))
	}
	return key
}

// cbPlain lays out random, length, msg and appID and pads to 32 bytes the PKCS#7 way.
func cbPlain(random, msg []byte, appID string) []byte {
	var b bytes.Buffer
	b.Write(random)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(msg)))
	b.Write(n[:])
	b.Write(msg)
	b.WriteString(appID)
	pad := 32 - b.Len()%32
	b.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	return b.Bytes()
}

// cbSeal encrypts plain (already a multiple of 16 bytes, padded or deliberately not) with AES-256-CBC,
// IV = the key's first 16 bytes, and encodes it in base64.
func cbSeal(t testing.TB, key, plain []byte) string {
	t.Helper()
	if len(plain)%aes.BlockSize != 0 {
		t.Fatalf("cbSeal: %d bytes is not a multiple of the block", len(plain))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	ct := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, plain)
	return base64.StdEncoding.EncodeToString(ct)
}

func cbOpen(t testing.TB, key []byte, encrypted string) []byte {
	t.Helper()
	ct, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil || len(ct)%aes.BlockSize != 0 {
		t.Fatalf("cbOpen: %v, %d bytes", err, len(ct))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(plain, ct)
	return plain
}

func cbCrypter(t testing.TB) *Crypter {
	t.Helper()
	c, err := NewCrypter(cbToken, cbAESKey, cbAppID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// --- signatures ---

func TestSignatureKnownAnswer(t *testing.T) {
	// Sorted by hand: digits before lower-case letters.
	want := cbSHA1("1409304348" + "pamtest" + "xxxxxx")
	if want != "76480565cbe296026c53aaacd1ad523a1ddba24f" { // sha1sum of the same string
		t.Fatalf("hand sha1 = %s", want)
	}
	orders := [][]string{
		{cbToken, cbTS, cbNonce}, {cbToken, cbNonce, cbTS}, {cbTS, cbToken, cbNonce},
		{cbTS, cbNonce, cbToken}, {cbNonce, cbToken, cbTS}, {cbNonce, cbTS, cbToken},
	}
	for _, parts := range orders {
		before := strings.Join(parts, ",")
		if got := Signature(parts...); got != want {
			t.Errorf("Signature(%q) = %s, want %s", parts, got, want)
		}
		if after := strings.Join(parts, ","); after != before {
			t.Errorf("Signature reordered its argument: %s", after)
		}
	}
	if !VerifySignature(cbToken, cbTS, cbNonce, want) {
		t.Error("VerifySignature refused the right signature")
	}
	bad := map[string][4]string{
		"other token":     {"pamtesT", cbTS, cbNonce, want},
		"other timestamp": {cbToken, "1409304349", cbNonce, want},
		"other nonce":     {cbToken, cbTS, "xxxxxy", want},
		"last char":       {cbToken, cbTS, cbNonce, want[:39] + "e"},
		"upper case":      {cbToken, cbTS, cbNonce, strings.ToUpper(want)},
		"truncated":       {cbToken, cbTS, cbNonce, want[:39]},
		"empty":           {cbToken, cbTS, cbNonce, ""},
		"with space":      {cbToken, cbTS, cbNonce, want + " "},
		// Anyone can compute a signature with an empty token.
		"empty token": {"", cbTS, cbNonce, cbSHA1(cbTS + cbNonce)},
	}
	for name, in := range bad {
		if VerifySignature(in[0], in[1], in[2], in[3]) {
			t.Errorf("%s: VerifySignature accepted it", name)
		}
	}
}

func TestMsgSignatureKnownAnswer(t *testing.T) {
	const encrypted = "Zm9vYmFy"
	// Sorted by hand: "1409304348" < "Zm9vYmFy" < "pamtest" < "xxxxxx" (digits, upper case, lower case).
	want := cbSHA1("1409304348" + "Zm9vYmFy" + "pamtest" + "xxxxxx")
	if want != "7dd0b72aab10e30b33d8be436ae2ca66ac13b816" { // sha1sum of the same string
		t.Fatalf("hand sha1 = %s", want)
	}
	if got := Signature(encrypted, cbNonce, cbToken, cbTS); got != want {
		t.Errorf("Signature = %s, want %s", got, want)
	}
	c := cbCrypter(t)
	if !c.VerifyMsgSignature(cbTS, cbNonce, encrypted, want) {
		t.Error("VerifyMsgSignature refused the right signature")
	}
	if c.VerifyMsgSignature(cbTS, cbNonce, encrypted+"=", want) {
		t.Error("VerifyMsgSignature accepted a changed Encrypt")
	}
	if c.VerifyMsgSignature(cbTS, cbNonce, encrypted, Signature(cbToken, cbTS, cbNonce)) {
		t.Error("VerifyMsgSignature accepted the plain signature")
	}
}

// --- keys ---

func TestNewCrypterKey(t *testing.T) {
	if _, err := NewCrypter(cbToken, cbAESKey, cbAppID); err != nil {
		t.Fatalf("the sample key: %v", err)
	}
	badKeys := map[string]string{
		"42 chars":      cbAESKey[:42],
		"44 chars":      cbAESKey + "A",
		"empty":         "",
		"url alphabet":  "-" + cbAESKey[1:],
		"padding":       cbAESKey[:42] + "=",
		"line break":    cbAESKey[:21] + "\n" + cbAESKey[22:],
		"not ascii":     "é" + cbAESKey[2:],
		"32 raw bytes?": strings.Repeat("k", 32),
	}
	for name, key := range badKeys {
		_, err := NewCrypter(cbToken, key, cbAppID)
		if !errors.Is(err, ErrBadAESKey) {
			t.Errorf("%s: err = %v, want ErrBadAESKey", name, err)
			continue
		}
		if len(key) > 4 && strings.Contains(err.Error(), key) {
			t.Errorf("%s: the error shows the key: %v", name, err)
		}
	}
	if _, err := NewCrypter("", cbAESKey, cbAppID); err == nil {
		t.Error("empty token accepted")
	}
	if _, err := NewCrypter(cbToken, cbAESKey, ""); err == nil {
		t.Error("empty AppID accepted")
	}
}

// --- encryption ---

func TestEncryptKnownAnswer(t *testing.T) {
	random := []byte("0123456789abcdef")
	msg := []byte("hello")
	// openssl enc -aes-256-cbc -nopad -K 69b71d79…1051 -iv 69b71d79…2dba over
	// "0123456789abcdef" 00000005 "hello" "wxb11529c136998cb6" and 21 bytes of 0x15.
	const openssl = "Q3stYC6hdFzMh9T8HCvyDOKstB5xrxAIe3ABnTlqIfch0pOelLaGC9FFOV02z8xB2OmfiXCKX3IHv8LVNpiHFg=="
	key := cbKey(t)
	if got := hex.EncodeToString(key); got != "69b71d79f8218a39259a7a29aabb2dbafc31cb3d35db7e39ebbf3d0010831051" {
		t.Fatalf("key = %s", got)
	}
	if hand := cbSeal(t, key, cbPlain(random, msg, cbAppID)); hand != openssl {
		t.Fatalf("the hand-made vector %s differs from openssl's", hand)
	}

	c := cbCrypter(t)
	got, err := c.Encrypt(msg, bytes.NewReader(random))
	if err != nil {
		t.Fatal(err)
	}
	if got != openssl {
		t.Errorf("Encrypt = %s, want %s", got, openssl)
	}
	plain, err := c.Decrypt(openssl)
	if err != nil || string(plain) != "hello" {
		t.Errorf("Decrypt = %q, %v", plain, err)
	}

	// A longer message, by hand only.
	long := []byte(cbManualOrderEvent)
	want := cbSeal(t, key, cbPlain(random, long, cbAppID))
	if got, err := c.Encrypt(long, bytes.NewReader(random)); err != nil || got != want {
		t.Errorf("Encrypt(event) = %s, %v; want %s", got, err, want)
	}
	if plain, err := c.Decrypt(want); err != nil || string(plain) != cbManualOrderEvent {
		t.Errorf("Decrypt(event) = %q, %v", plain, err)
	}
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	c := cbCrypter(t)
	key := cbKey(t)
	// 20 + len(appID) = 38 bytes of overhead: lengths 26, 58, ... fill whole 32-byte blocks and need a full
	// block of padding.
	for n := 0; n <= 200; n++ {
		msg := make([]byte, n)
		rand.Read(msg)
		enc, err := c.Encrypt(msg, nil)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		raw := cbOpen(t, key, enc)
		if len(raw)%32 != 0 {
			t.Fatalf("%d bytes: ciphertext of %d bytes is not padded to 32", n, len(raw))
		}
		pad := int(raw[len(raw)-1])
		if pad < 1 || pad > 32 || !bytes.Equal(raw[len(raw)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
			t.Fatalf("%d bytes: padding %x", n, raw[len(raw)-pad:])
		}
		if got := binary.BigEndian.Uint32(raw[16:20]); got != uint32(n) {
			t.Fatalf("%d bytes: length field %d", n, got)
		}
		if !bytes.Equal(raw[20:20+n], msg) || string(raw[20+n:len(raw)-pad]) != cbAppID {
			t.Fatalf("%d bytes: layout %x", n, raw)
		}
		got, err := c.Decrypt(enc)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: Decrypt = %x, %v", n, got, err)
		}
	}
	// Two encryptions of one message differ: the 16 leading bytes are random.
	a, _ := c.Encrypt([]byte("same"), nil)
	b, _ := c.Encrypt([]byte("same"), nil)
	if a == b {
		t.Error("two encryptions are equal")
	}
}

func TestEncryptLimits(t *testing.T) {
	c := cbCrypter(t)
	if _, err := c.Encrypt(make([]byte, MaxBodyBytes), nil); err == nil {
		t.Error("a message that cannot fit a push was encrypted")
	}
	if _, err := c.Encrypt([]byte("x"), bytes.NewReader([]byte("short"))); err == nil {
		t.Error("a short random source went unnoticed")
	}
	// The largest message Encrypt takes is one Decrypt takes.
	n := MaxBodyBytes/4*3 - 64
	enc, err := c.Encrypt(make([]byte, n), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Decrypt(enc); err != nil || len(got) != n {
		t.Errorf("Decrypt of %d bytes: %d, %v", n, len(got), err)
	}
}

func TestDecryptRejects(t *testing.T) {
	c := cbCrypter(t)
	key := cbKey(t)
	random := []byte("0123456789abcdef")
	msg := []byte("<xml><MsgType>event</MsgType></xml>")
	good := cbPlain(random, msg, cbAppID)

	// withTail builds a plaintext whose last 32 bytes (the padding area) are tail, after a valid header.
	withTail := func(tail []byte) []byte {
		p := append([]byte(nil), random...)
		p = append(p, 0, 0, 0, 0)
		p = append(p, bytes.Repeat([]byte{'a'}, 32-len(p)%32)...)
		return append(p, tail...)
	}
	uniform := func(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }
	lengthField := func(n uint32) []byte {
		p := append([]byte(nil), good...)
		binary.BigEndian.PutUint32(p[16:20], n)
		return p
	}
	otherKey, _ := base64.StdEncoding.DecodeString(strings.Repeat("B", 43) + "=")
	oneBlock := append(uniform('r', 12), 4, 4, 4, 4) // valid padding, then 12 bytes: no room for the header

	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not base64", "not base64!!", ErrBadBase64},
		{"url alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(cbSeal(t, key, good)) + "-_", ErrBadBase64},
		{"missing padding", strings.TrimRight(base64.StdEncoding.EncodeToString(make([]byte, 16)), "="), ErrBadBase64},
		{"non-zero trailing bits", "QR==", ErrBadBase64},
		{"empty", "", ErrBadCiphertext},
		{"15 bytes", base64.StdEncoding.EncodeToString(make([]byte, 15)), ErrBadCiphertext},
		{"block and a byte", base64.StdEncoding.EncodeToString(make([]byte, 33)), ErrBadCiphertext},
		{"truncated by a byte", func() string {
			ct, _ := base64.StdEncoding.DecodeString(cbSeal(t, key, good))
			return base64.StdEncoding.EncodeToString(ct[:len(ct)-1])
		}(), ErrBadCiphertext},
		{"pad byte 0", cbSeal(t, key, withTail(append(uniform('z', 31), 0))), ErrBadPadding},
		{"pad byte 33", cbSeal(t, key, withTail(uniform(33, 32))), ErrBadPadding},
		{"pad byte 255", cbSeal(t, key, withTail(uniform(255, 32))), ErrBadPadding},
		{"pad bytes differ", cbSeal(t, key, withTail(append(uniform('z', 27), 5, 6, 5, 5, 5))), ErrBadPadding},
		{"pad longer than ciphertext", cbSeal(t, key, append(uniform('r', 15), 17)), ErrBadPadding},
		{"shorter than the header", cbSeal(t, key, oneBlock), ErrBadLength},
		{"length beyond buffer", cbSeal(t, key, lengthField(0xFFFFFFFF)), ErrBadLength},
		{"length one too many", cbSeal(t, key, lengthField(uint32(len(msg)+len(cbAppID)+1))), ErrBadLength},
		{"wrong appid", cbSeal(t, key, cbPlain(random, msg, "wx0000000000000000")), ErrAppIDMismatch},
		{"appid with a suffix", cbSeal(t, key, cbPlain(random, msg, cbAppID+"x")), ErrAppIDMismatch},
		{"appid missing", cbSeal(t, key, cbPlain(random, msg, "")), ErrAppIDMismatch},
		{"length eats the appid", cbSeal(t, key, lengthField(uint32(len(msg)+2))), ErrAppIDMismatch},
		{"too large", strings.Repeat("A", MaxBodyBytes+4), ErrBodyTooLarge},
		{"another key", cbSeal(t, otherKey, good), ErrBadMessage},
	}
	for _, tt := range tests {
		got, err := c.Decrypt(tt.in)
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrBadMessage) || errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Decrypt = %q, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	// The good one, to show the cases above differ from it only where they say.
	if got, err := c.Decrypt(cbSeal(t, key, good)); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("good: %q, %v", got, err)
	}
	// A full block of padding: 20 + 26 + 18 bytes fill two blocks exactly.
	full := cbPlain(random, uniform('m', 26), cbAppID)
	if len(full) != 96 || full[95] != 32 {
		t.Fatalf("cbPlain: %d bytes ending in %d", len(full), full[len(full)-1])
	}
	if got, err := c.Decrypt(cbSeal(t, key, full)); err != nil || string(got) != strings.Repeat("m", 26) {
		t.Errorf("a full block of padding: %q, %v", got, err)
	}
}

func TestDecryptErrorsAreDistinct(t *testing.T) {
	specific := []error{ErrBodyTooLarge, ErrXMLDirective, ErrBadXML, ErrNotSafeMode, ErrBadBase64, ErrBadCiphertext,
		ErrBadPadding, ErrBadLength, ErrAppIDMismatch, ErrBadEventNumber, ErrNoMsgType}
	for i, a := range specific {
		if !errors.Is(a, ErrBadMessage) || errors.Is(a, ErrBadSignature) {
			t.Errorf("%v does not wrap ErrBadMessage alone", a)
		}
		for j, b := range specific {
			if i != j && errors.Is(a, b) {
				t.Errorf("%v is %v", a, b)
			}
		}
	}
	if errors.Is(ErrBadSignature, ErrBadMessage) || errors.Is(ErrBadAESKey, ErrBadMessage) {
		t.Error("ErrBadSignature or ErrBadAESKey is a bad message")
	}
}

func TestCrypterConcurrentUse(t *testing.T) {
	c := cbCrypter(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				msg := []byte(fmt.Sprintf("message %d.%d", i, j))
				enc, err := c.Encrypt(msg, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := c.Decrypt(enc); err != nil || !bytes.Equal(got, msg) {
					t.Errorf("Decrypt = %q, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// --- events ---

func TestParseEventManualExample(t *testing.T) {
	ev, err := ParseEvent([]byte(cbManualOrderEvent))
	if err != nil {
		t.Fatal(err)
	}
	want := Event{
		ToUserName:   "weixin_media1",
		FromUserName: "oDF3iYyVlek46AyTBbMRVV8VZVlI",
		CreateTime:   1398144192,
		MsgType:      MsgTypeEvent,
		Event:        EventMerchantOrder,
		OrderID:      "test_order_id",
		OrderStatus:  2,
		ProductID:    "test_product_id",
		SkuInfo:      "10001:1000012;10002:100021",
		Format:       FormatXML,
		Raw:          []byte(cbManualOrderEvent),
	}
	if !reflect.DeepEqual(*ev, want) {
		t.Errorf("got  %+v\nwant %+v", *ev, want)
	}

	ev, err = ParseEvent([]byte(cbReadmeOrderEvent))
	if err != nil {
		t.Fatal(err)
	}
	if ev.MsgType != "event" || ev.Event != "merchant_order" || ev.OrderStatus != 2 || ev.CreateTime != 0 ||
		ev.OrderID != "" || ev.SkuInfo != "10001:1000012;10002:100021" {
		t.Errorf("README skeleton: %+v", *ev)
	}
}

func TestParseEventRawIsACopy(t *testing.T) {
	data := []byte(cbManualOrderEvent)
	ev, err := ParseEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	data[0] = '!'
	if ev.Raw[0] != '<' {
		t.Error("Raw shares the caller's buffer")
	}
}

func TestParseEventAccepts(t *testing.T) {
	tests := map[string]string{
		"declaration and comment": `<?xml version="1.0" encoding="UTF-8"?><!-- a push --><xml><MsgType>event</MsgType></xml>`,
		"unknown and nested":      `<xml><MsgType>event</MsgType><Extra><a>1</a><a>2</a></Extra><Extra/><OrderId>o1<b>x</b></OrderId></xml>`,
		"escaped text":            `<xml><MsgType>event</MsgType><OrderId>a&amp;b&#x41;</OrderId></xml>`,
		"whitespace":              "\n <xml>\n <MsgType>\n event \n</MsgType>\n <CreateTime> 12 </CreateTime></xml>\n",
		"other event":             `<xml><MsgType>event</MsgType><Event>channels_ec_order_pay</Event><CreateTime>1</CreateTime></xml>`,
	}
	for name, in := range tests {
		ev, err := ParseEvent([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ev.MsgType != "event" {
			t.Errorf("%s: MsgType %q", name, ev.MsgType)
		}
	}
	ev, _ := ParseEvent([]byte(tests["unknown and nested"]))
	if ev.OrderID != "o1" {
		t.Errorf("OrderId with a child element: %q", ev.OrderID)
	}
	ev, _ = ParseEvent([]byte(tests["escaped text"]))
	if ev.OrderID != "a&bA" {
		t.Errorf("escaped OrderId: %q", ev.OrderID)
	}
	ev, _ = ParseEvent([]byte(tests["whitespace"]))
	if ev.CreateTime != 12 {
		t.Errorf("CreateTime with spaces: %d", ev.CreateTime)
	}
}

func TestParseEventRejects(t *testing.T) {
	const ok = `<MsgType>event</MsgType>`
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"xxe", `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml>` + ok + `<OrderId>&x;</OrderId></xml>`, ErrXMLDirective},
		{"doctype lower case", `<!doctype xml><xml>` + ok + `</xml>`, ErrXMLDirective},
		{"doctype in CDATA", `<xml>` + ok + `<OrderId><![CDATA[<!DOCTYPE]]></OrderId></xml>`, ErrXMLDirective},
		{"entity alone", `<xml>` + ok + `<!ENTITY x "y"></xml>`, ErrXMLDirective},
		{"other directive", `<!ATTLIST xml a CDATA "b"><xml>` + ok + `</xml>`, ErrXMLDirective},
		{"undefined entity", `<xml>` + ok + `<OrderId>&x;</OrderId></xml>`, ErrBadXML},
		{"wrong root", `<root>` + ok + `</root>`, ErrBadXML},
		{"namespaced root", `<a:xml xmlns:a="urn:a">` + ok + `</a:xml>`, ErrBadXML},
		{"two roots", `<xml>` + ok + `</xml><xml>` + ok + `</xml>`, ErrBadXML},
		{"text after root", `<xml>` + ok + `</xml>trailing`, ErrBadXML},
		{"text before root", `junk<xml>` + ok + `</xml>`, ErrBadXML},
		{"unclosed", `<xml>` + ok, ErrBadXML},
		{"mismatched", `<xml>` + ok + `</xmL>`, ErrBadXML},
		{"empty", ``, ErrBadXML},
		{"only space", " \n", ErrBadXML},
		{"neither xml nor json", `[{"MsgType":"event"}]`, ErrBadXML},
		{"json, broken", `{"MsgType":"event"`, ErrBadJSON},
		{"json, two values", `{"MsgType":"event"}{"MsgType":"event"}`, ErrBadJSON},
		{"json, no MsgType", `{"Event":"channels_ec_order_pay"}`, ErrNoMsgType},
		{"json, CreateTime text", `{"MsgType":"event","CreateTime":"yesterday"}`, ErrBadEventNumber},
		{"gbk", `<?xml version="1.0" encoding="GBK"?><xml>` + ok + `</xml>`, ErrBadXML},
		{"invalid utf-8", "<xml>" + ok + "<OrderId>\xff\xfe</OrderId></xml>", ErrBadXML},
		{"duplicate OrderId", `<xml>` + ok + `<OrderId>a</OrderId><OrderId>b</OrderId></xml>`, ErrBadXML},
		{"duplicate MsgType", `<xml>` + ok + ok + `</xml>`, ErrBadXML},
		{"no MsgType", `<xml><Event>merchant_order</Event></xml>`, ErrNoMsgType},
		{"empty MsgType", `<xml><MsgType><![CDATA[]]></MsgType></xml>`, ErrNoMsgType},
		{"CreateTime text", `<xml>` + ok + `<CreateTime>yesterday</CreateTime></xml>`, ErrBadEventNumber},
		{"CreateTime float", `<xml>` + ok + `<CreateTime>1.5</CreateTime></xml>`, ErrBadEventNumber},
		{"OrderStatus overflow", `<xml>` + ok + `<OrderStatus>99999999999</OrderStatus></xml>`, ErrBadEventNumber},
		{"too large", `<xml>` + ok + `<Pad>` + strings.Repeat("a", MaxBodyBytes) + `</Pad></xml>`, ErrBodyTooLarge},
	}
	for _, tt := range tests {
		ev, err := ParseEvent([]byte(tt.in))
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrBadMessage) {
			t.Errorf("%s: ParseEvent = %+v, %v; want %v", tt.name, ev, err, tt.want)
		}
		// The envelope reads only ToUserName and Encrypt, so it does not mind the fields of the event.
		eventOnly := tt.want == ErrNoMsgType || tt.want == ErrBadEventNumber || strings.HasPrefix(tt.name, "duplicate")
		if _, err := ParseEnvelope([]byte(tt.in)); err == nil && !eventOnly {
			t.Errorf("%s: ParseEnvelope accepted it", tt.name)
		}
	}
}

// --- envelopes and pushes ---

func TestParseEnvelopeSafeMode(t *testing.T) {
	key := cbKey(t)
	enc := cbSeal(t, key, cbPlain([]byte("aaaaaaaaaaaaaaaa"), []byte(cbManualOrderEvent), cbAppID))
	// The shape WeChat sends in safe mode.
	body := "<xml>\n    <ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n    <Encrypt><![CDATA[" + enc + "]]></Encrypt>\n</xml>\n"
	env, err := ParseEnvelope([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if env.ToUserName != "gh_10f6c3c3ac5a" || env.Encrypt != enc {
		t.Fatalf("envelope %+v", env)
	}
	plain, err := cbCrypter(t).Decrypt(env.Encrypt)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := ParseEvent(plain)
	if err != nil || ev.OrderID != "test_order_id" || ev.Event != EventMerchantOrder {
		t.Fatalf("event %+v, %v", ev, err)
	}

	// A plain body is an envelope without Encrypt.
	env, err = ParseEnvelope([]byte(cbManualOrderEvent))
	if err != nil || env.Encrypt != "" || env.ToUserName != "weixin_media1" {
		t.Errorf("plain envelope %+v, %v", env, err)
	}

	// And through OpenPush with a signature made by hand.
	q := url.Values{
		"signature":     {cbSHA1("1409304348pamtestxxxxxx")},
		"timestamp":     {cbTS},
		"nonce":         {cbNonce},
		"encrypt_type":  {"aes"},
		"msg_signature": {cbSHA1(strings.Join(cbSorted(cbToken, cbTS, cbNonce, enc), ""))},
		"openid":        {"oDF3iYyVlek46AyTBbMRVV8VZVlI"},
	}
	ev, err = OpenPush(cbToken, cbCrypter(t), q, []byte(body))
	if err != nil || ev.OrderID != "test_order_id" || string(ev.Raw) != cbManualOrderEvent {
		t.Errorf("OpenPush = %+v, %v", ev, err)
	}
}

func cbSorted(s ...string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func TestBuildPushPlain(t *testing.T) {
	q, body, err := BuildPush(cbToken, nil, []byte(cbManualOrderEvent), cbTS, cbNonce, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"signature": {cbSHA1("1409304348pamtestxxxxxx")}, "timestamp": {cbTS}, "nonce": {cbNonce}}
	if q.Encode() != want.Encode() || string(body) != cbManualOrderEvent {
		t.Errorf("BuildPush = %v, %s", q, body)
	}
	ev, err := OpenPush(cbToken, nil, q, body)
	if err != nil || ev.OrderID != "test_order_id" {
		t.Errorf("OpenPush = %+v, %v", ev, err)
	}
	if _, _, err := BuildPush("", nil, body, cbTS, cbNonce, nil); err == nil {
		t.Error("empty token accepted")
	}
	if _, _, err := BuildPush(cbToken, nil, body, "", cbNonce, nil); err == nil {
		t.Error("empty timestamp accepted")
	}
}

func TestBuildPushSafe(t *testing.T) {
	c := cbCrypter(t)
	random := []byte("fedcba9876543210")
	q, body, err := BuildPush(cbToken, c, []byte(cbManualOrderEvent), cbTS, cbNonce, bytes.NewReader(random))
	if err != nil {
		t.Fatal(err)
	}
	key := cbKey(t)
	wantEnc := cbSeal(t, key, cbPlain(random, []byte(cbManualOrderEvent), cbAppID))
	wantBody := `<xml><ToUserName>weixin_media1</ToUserName><Encrypt><![CDATA[` + wantEnc + `]]></Encrypt></xml>`
	if string(body) != wantBody {
		t.Errorf("body\n%s\nwant\n%s", body, wantBody)
	}
	want := url.Values{
		"signature":     {cbSHA1("1409304348pamtestxxxxxx")},
		"timestamp":     {cbTS},
		"nonce":         {cbNonce},
		"encrypt_type":  {"aes"},
		"msg_signature": {cbSHA1(strings.Join(cbSorted(cbToken, cbTS, cbNonce, wantEnc), ""))},
	}
	if q.Encode() != want.Encode() {
		t.Errorf("query %v, want %v", q, want)
	}
	ev, err := OpenPush(cbToken, c, q, body)
	if err != nil || ev.OrderID != "test_order_id" || ev.OrderStatus != 2 {
		t.Errorf("OpenPush = %+v, %v", ev, err)
	}

	other, _ := NewCrypter("othertoken", cbAESKey, cbAppID)
	if _, _, err := BuildPush(cbToken, other, []byte(cbManualOrderEvent), cbTS, cbNonce, nil); err == nil {
		t.Error("a Crypter with another token was used")
	}
	if _, err := OpenPush(cbToken, other, q, body); err == nil || errors.Is(err, ErrBadMessage) || errors.Is(err, ErrBadSignature) {
		t.Errorf("OpenPush with a Crypter of another token: %v", err)
	}
	// ToUserName is escaped, not trusted to be CDATA-safe.
	_, body, err = BuildPush(cbToken, c, []byte(`<xml><ToUserName>a]]&gt;&lt;b</ToUserName><MsgType>event</MsgType></xml>`), cbTS, cbNonce, nil)
	if err != nil {
		t.Fatal(err)
	}
	if env, err := ParseEnvelope(body); err != nil || env.ToUserName != "a]]><b" {
		t.Errorf("envelope %+v, %v", env, err)
	}
}

func TestOpenPushRejects(t *testing.T) {
	c := cbCrypter(t)
	safeQ, safeBody, err := BuildPush(cbToken, c, []byte(cbManualOrderEvent), cbTS, cbNonce, nil)
	if err != nil {
		t.Fatal(err)
	}
	plainQ, plainBody, _ := BuildPush(cbToken, nil, []byte(cbManualOrderEvent), cbTS, cbNonce, nil)
	with := func(q url.Values, k, v string) url.Values {
		q2 := url.Values{}
		for key, vs := range q {
			q2[key] = vs
		}
		if v == "" {
			q2.Del(k)
		} else {
			q2.Set(k, v)
		}
		return q2
	}
	env, _ := ParseEnvelope(safeBody)

	tests := []struct {
		name    string
		crypter *Crypter
		q       url.Values
		body    string
		want    error
	}{
		{"plain: no signature", nil, with(plainQ, "signature", ""), string(plainBody), ErrBadSignature},
		{"plain: wrong signature", nil, with(plainQ, "signature", Signature("x", cbTS, cbNonce)), string(plainBody), ErrBadSignature},
		{"plain: other timestamp", nil, with(plainQ, "timestamp", "1409304349"), string(plainBody), ErrBadSignature},
		{"plain: other nonce", nil, with(plainQ, "nonce", "yyyyyy"), string(plainBody), ErrBadSignature},
		{"plain: encrypted push", nil, safeQ, string(safeBody), ErrNotSafeMode},
		{"plain: Encrypt in body", nil, plainQ, string(safeBody), ErrNotSafeMode},
		{"plain: bad xml", nil, plainQ, "<xml>", ErrBadXML},
		{"plain: too large", nil, plainQ, strings.Repeat(" ", MaxBodyBytes+1), ErrBodyTooLarge},
		{"safe: plain push", c, plainQ, string(plainBody), ErrBadSignature},
		{"safe: plain body", c, safeQ, string(plainBody), ErrBadXML},
		{"safe: no msg_signature", c, with(safeQ, "msg_signature", ""), string(safeBody), ErrBadSignature},
		{"safe: plain signature as msg_signature", c, with(safeQ, "msg_signature", safeQ.Get("signature")), string(safeBody), ErrBadSignature},
		{"safe: wrong signature", c, with(safeQ, "signature", strings.Repeat("0", 40)), string(safeBody), ErrBadSignature},
		{"safe: other timestamp", c, with(safeQ, "timestamp", "1"), string(safeBody), ErrBadSignature},
		{"safe: doctype", c, safeQ, "<!DOCTYPE x><xml><Encrypt>" + env.Encrypt + "</Encrypt></xml>", ErrXMLDirective},
		{"safe: two Encrypts", c, safeQ, "<xml><Encrypt>" + env.Encrypt + "</Encrypt><Encrypt>" + env.Encrypt + "</Encrypt></xml>", ErrBadXML},
	}
	for _, tt := range tests {
		ev, err := OpenPush(cbToken, tt.crypter, tt.q, []byte(tt.body))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: OpenPush = %+v, %v; want %v", tt.name, ev, err, tt.want)
		}
	}

	// Tampered ciphertext: every changed character of Encrypt fails msg_signature before decryption.
	for i := 0; i < len(env.Encrypt)-2; i += 7 {
		b := []byte(env.Encrypt)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		body := strings.Replace(string(safeBody), env.Encrypt, string(b), 1)
		if _, err := OpenPush(cbToken, c, safeQ, []byte(body)); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("Encrypt changed at %d: %v", i, err)
		}
	}

	// A correctly signed push whose plaintext is hostile still goes through ParseEvent's checks.
	enc, _ := c.Encrypt([]byte(`<!DOCTYPE x><xml><MsgType>event</MsgType></xml>`), nil)
	q := with(safeQ, "msg_signature", Signature(cbToken, cbTS, cbNonce, enc))
	if _, err := OpenPush(cbToken, c, q, []byte("<xml><Encrypt>"+enc+"</Encrypt></xml>")); !errors.Is(err, ErrXMLDirective) {
		t.Errorf("signed DOCTYPE: %v", err)
	}
	// As does one for another account.
	c2, _ := NewCrypter(cbToken, cbAESKey, "wx0000000000000000")
	enc, _ = c2.Encrypt([]byte(cbManualOrderEvent), nil)
	q = with(safeQ, "msg_signature", Signature(cbToken, cbTS, cbNonce, enc))
	if _, err := OpenPush(cbToken, c, q, []byte("<xml><Encrypt>"+enc+"</Encrypt></xml>")); !errors.Is(err, ErrAppIDMismatch) {
		t.Errorf("other AppID: %v", err)
	}
}

func TestReadBody(t *testing.T) {
	got, err := ReadBody(strings.NewReader(cbManualOrderEvent))
	if err != nil || string(got) != cbManualOrderEvent {
		t.Errorf("ReadBody = %q, %v", got, err)
	}
	if _, err := ReadBody(io.LimitReader(cbZeros{}, MaxBodyBytes+1)); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("one byte too many: %v", err)
	}
	if got, err := ReadBody(io.LimitReader(cbZeros{}, MaxBodyBytes)); err != nil || len(got) != MaxBodyBytes {
		t.Errorf("exactly the limit: %d, %v", len(got), err)
	}
	// Behind http.MaxBytesReader, as a handler uses it.
	rec := httptest.NewRecorder()
	r := http.MaxBytesReader(rec, io.NopCloser(cbZeros{}), MaxBodyBytes)
	if _, err := ReadBody(r); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("MaxBytesReader: %v", err)
	}
	if _, err := ReadBody(cbErrReader{}); err == nil || errors.Is(err, ErrBadMessage) {
		t.Errorf("read error: %v", err)
	}
}

type cbZeros struct{}

func (cbZeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type cbErrReader struct{}

func (cbErrReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// --- fuzzing ---

func FuzzDecrypt(f *testing.F) {
	c := cbCrypter(f)
	key := cbKey(f)
	good, _ := c.Encrypt([]byte(cbManualOrderEvent), nil)
	f.Add(good)
	f.Add("")
	f.Add("====")
	f.Add("not base64!!")
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 16)))
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 32)))
	f.Add(cbSeal(f, key, append(bytes.Repeat([]byte{'r'}, 12), 4, 4, 4, 4)))
	p := cbPlain([]byte("0123456789abcdef"), []byte("x"), cbAppID)
	binary.BigEndian.PutUint32(p[16:20], 0xFFFFFFFF)
	f.Add(cbSeal(f, key, p))
	f.Fuzz(func(t *testing.T, s string) {
		msg, err := c.Decrypt(s)
		if err != nil {
			if !errors.Is(err, ErrBadMessage) {
				t.Fatalf("error %v does not wrap ErrBadMessage", err)
			}
			return
		}
		enc, err := c.Encrypt(msg, nil)
		if err != nil {
			t.Fatalf("Encrypt of a decrypted message: %v", err)
		}
		if again, err := c.Decrypt(enc); err != nil || !bytes.Equal(again, msg) {
			t.Fatalf("round trip: %q, %v", again, err)
		}
	})
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range []string{
		cbManualOrderEvent,
		cbReadmeOrderEvent,
		`<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>`,
		`<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><MsgType>&x;</MsgType></xml>`,
		`<xml><MsgType>event</MsgType><CreateTime>-9223372036854775808</CreateTime></xml>`,
		`<xml><MsgType>event</MsgType><OrderStatus>2147483648</OrderStatus></xml>`,
		`<xml><a><b><c>deep</c></b></a><MsgType>e</MsgType></xml>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><xml/>`,
		"<xml><MsgType>\x00</MsgType></xml>",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := ParseEvent(data)
		if err != nil {
			if !errors.Is(err, ErrBadMessage) {
				t.Fatalf("error %v does not wrap ErrBadMessage", err)
			}
		} else {
			if ev.MsgType == "" || !bytes.Equal(ev.Raw, data) {
				t.Fatalf("accepted %q as %+v", data, ev)
			}
			if bytes.Contains(bytes.ToUpper(data), []byte("<!DOCTYPE")) {
				t.Fatalf("accepted a DOCTYPE: %q", data)
			}
		}
		if _, err := ParseEnvelope(data); err != nil && !errors.Is(err, ErrBadMessage) {
			t.Fatalf("ParseEnvelope error %v does not wrap ErrBadMessage", err)
		}
	})
}

// FuzzDecryptPlaintext fuzzes what lies under the encryption (padding, length field, AppID), which random
// ciphertexts reach only by chance: the input is padded with zeros to whole blocks and sealed by hand.
func FuzzDecryptPlaintext(f *testing.F) {
	c := cbCrypter(f)
	key := cbKey(f)
	random := []byte("0123456789abcdef")
	f.Add(cbPlain(random, []byte(cbManualOrderEvent), cbAppID))
	f.Add(cbPlain(random, nil, cbAppID))
	f.Add(cbPlain(random, []byte("x"), "wx0000000000000000"))
	f.Add(append(bytes.Repeat([]byte{'r'}, 16), 0xFF, 0xFF, 0xFF, 0xFF, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12))
	f.Add(bytes.Repeat([]byte{32}, 32))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, plain []byte) {
		if len(plain) > 4096 {
			return
		}
		plain = append(plain, make([]byte, (aes.BlockSize-len(plain)%aes.BlockSize)%aes.BlockSize)...)
		if len(plain) == 0 {
			return
		}
		msg, err := c.Decrypt(cbSeal(t, key, plain))
		if err != nil {
			if !errors.Is(err, ErrBadMessage) {
				t.Fatalf("error %v does not wrap ErrBadMessage", err)
			}
			return
		}
		// Accepted: then the layout was right, and Decrypt returned exactly the message in it.
		pad := int(plain[len(plain)-1])
		n := binary.BigEndian.Uint32(plain[16:20])
		if pad < 1 || pad > 32 || int(n) != len(msg) || !bytes.Equal(plain[20:20+n], msg) ||
			string(plain[20+int(n):len(plain)-pad]) != cbAppID {
			t.Fatalf("accepted %x as %q", plain, msg)
		}
	})
}
