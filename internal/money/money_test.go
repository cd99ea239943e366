package money

import (
	"errors"
	"testing"
)

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{
		"12": 1200, "12.5": 1250, "12.50": 1250, "0.01": 1, ".5": 50, "5.": 500, "¥1,234.56": 123456,
		" 0.99 ": 99, "１２．５": 1250, "￥8": 800, "100元": 10000, "0": 0, "0.1": 10, "1000000": 100000000,
	} {
		got, err := ParseYuan(in)
		if err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-1", "1.234", "1.2.3", "1e3", ".", "¥", "12,5x", "+3", "0x10", "1 0.5.", "NaN"} {
		if got, err := ParseYuan(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseYuan(%q) = %d, %v; want ErrInvalid", in, got, err)
		}
	}
	if _, err := ParseYuan("100000000.01"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the maximum: %v", err)
	}
	if _, err := ParseYuan("99999999999999999999"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("20 digits: %v", err)
	}
}

func TestFormat(t *testing.T) {
	for fen, want := range map[int64]string{0: "¥0.00", 1: "¥0.01", 1250: "¥12.50", 123456: "¥1,234.56", 100000000: "¥1,000,000.00", -205: "¥-2.05"} {
		if got := Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
	if got := Plain(123456, false); got != "1234.56" {
		t.Errorf("Plain = %q", got)
	}
	if got := Range(4900, 5900); got != "¥49.00 – ¥59.00" {
		t.Errorf("Range = %q", got)
	}
	if got := Range(4900, 4900); got != "¥49.00" {
		t.Errorf("Range equal = %q", got)
	}
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"12.50", "¥1,234.56", "0.01", "１２．５", "-1", "1e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := ParseYuan(s)
		if err != nil {
			return
		}
		if fen < 0 || fen > MaxFen {
			t.Fatalf("ParseYuan(%q) = %d, out of range", s, fen)
		}
		// What Plain writes, ParseYuan reads back exactly.
		back, err := ParseYuan(Plain(fen, false))
		if err != nil || back != fen {
			t.Fatalf("round trip of %d: %d, %v", fen, back, err)
		}
		if back, err := ParseYuan(Yuan(fen)); err != nil || back != fen {
			t.Fatalf("round trip of %s: %d, %v", Yuan(fen), back, err)
		}
	})
}
