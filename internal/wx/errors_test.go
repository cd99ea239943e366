package wx

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Code: 40001, Msg: "invalid credential", Path: "/merchant/create"}, "wx: /merchant/create: errcode 40001: invalid credential"},
		{&Error{Code: -1, Path: "/merchant/get"}, "wx: /merchant/get: errcode -1: WeChat is busy. Try again in a moment."},
		{&Error{Code: 123456, Msg: "odd"}, "wx: errcode 123456: odd"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestCodeTableCoversTheDocumentedCodes(t *testing.T) {
	codes := []int{-2, -1, 0, 40001, 40002, 40013, 40014, 40125, 40164, 41001, 42001, 43002, 44002, 45009, 45011,
		47001, 48001, 50001, 50002, 61024, 31042, 40097, 606006, 100002, 9401020, 268486612, 268486640, 268485215}
	for _, code := range codes {
		zh, okZh := CodeMeaning(code, "zh")
		en, okEn := CodeMeaning(code, "en")
		if !okZh || !okEn || zh == "" || en == "" || zh == en {
			t.Errorf("code %d: zh %q (%v), en %q (%v)", code, zh, okZh, en, okEn)
		}
	}
}

func TestMeaningsTellWhatToDo(t *testing.T) {
	tests := []struct {
		code     int
		lang     string
		contains string
	}{
		{-1, "zh", "请稍后重试"},
		{-1, "en", "Try again"},
		{40164, "zh", "白名单"},
		{40164, "en", "whitelist"},
		{31042, "zh", "缩短时间范围"},
		{31042, "en", "Narrow the range"},
		{40125, "zh-CN", "WX_SECRET"},
		{606006, "zh-Hans", "从第一页"},
		{45009, "EN", "tomorrow"},
	}
	for _, tt := range tests {
		e := &Error{Code: tt.code}
		if got := e.Meaning(tt.lang); !strings.Contains(got, tt.contains) {
			t.Errorf("Meaning(%d, %q) = %q, want it to contain %q", tt.code, tt.lang, got, tt.contains)
		}
	}
}

func TestMeaningOfUnknownCode(t *testing.T) {
	if _, ok := CodeMeaning(987654, "zh"); ok {
		t.Fatal("unknown code found in the table")
	}
	e := &Error{Code: 987654, Msg: "something"}
	for _, lang := range []string{"zh", "en", ""} {
		if got := e.Meaning(lang); !strings.Contains(got, "987654") {
			t.Errorf("Meaning(%q) = %q, want the code in it", lang, got)
		}
	}
	if e.Meaning("zh") == e.Meaning("en") {
		t.Error("zh and en generic meanings are the same")
	}
}

func TestIsCode(t *testing.T) {
	err := fmt.Errorf("app: ship order: %w", &Error{Code: 100002, Path: "/product/order/get"})
	if !IsCode(err, 100002) || !IsCode(err, 1, 100002) {
		t.Error("wrapped code not found")
	}
	if IsCode(err, 40001) || IsCode(err) || IsCode(nil, 0) || IsCode(errors.New("x"), 0) {
		t.Error("false positive")
	}
}

func TestParseErrCode(t *testing.T) {
	tests := map[string]int{``: 0, `null`: 0, `0`: 0, `-1`: -1, `"40001"`: 40001, `""`: 0, `268486612`: 268486612}
	for raw, want := range tests {
		if got, err := parseErrCode([]byte(raw)); err != nil || got != want {
			t.Errorf("parseErrCode(%s) = %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{`"abc"`, `1.5`, `{}`} {
		if _, err := parseErrCode([]byte(raw)); err == nil {
			t.Errorf("parseErrCode(%s): no error", raw)
		}
	}
}
