// Package money converts between fen, the integer unit every amount is kept in, and the yuan people read and
// type. No floating point anywhere: ¥0.1 + ¥0.2 is exactly ¥0.30.
package money

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalid is returned for text that is not an amount of yuan with at most two decimals.
var ErrInvalid = errors.New("money: not an amount in yuan")

// ErrTooLarge is returned for amounts beyond MaxFen.
var ErrTooLarge = errors.New("money: amount too large")

// MaxFen is the largest amount accepted: ¥100,000,000.00, far above any shop's price and far below overflow.
const MaxFen = 100_000_000_00

// ParseYuan reads an amount typed by a person: "12", "12.5", "12.50", "¥1,234.56", " 0.99 ", "１２.５" (full-width
// digits, as Chinese input methods type them). Negative amounts and more than two decimals are refused.
func ParseYuan(s string) (int64, error) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．' || r == '。':
			return '.'
		case r == ',' || r == '，' || r == ' ' || r == '\u00a0' || r == '¥' || r == '￥':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "元")
	if s == "" {
		return 0, ErrInvalid
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, ErrInvalid
	}
	if len(frac) > 2 || (hasDot && frac == "" && whole == "") {
		return 0, ErrInvalid
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, ErrInvalid
			}
		}
	}
	if len(whole) > 12 {
		return 0, ErrTooLarge
	}
	var yuan int64
	if whole != "" {
		var err error
		if yuan, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, ErrInvalid
		}
	}
	frac = (frac + "00")[:2]
	fen, _ := strconv.ParseInt(frac, 10, 64)
	total := yuan*100 + fen
	if total > MaxFen {
		return 0, ErrTooLarge
	}
	return total, nil
}

// Yuan formats fen as "¥1,234.56".
func Yuan(fen int64) string {
	return "¥" + Plain(fen, true)
}

// Plain formats fen as yuan without the sign, for form fields: "1234.56" (or "1,234.56" with grouping).
func Plain(fen int64, grouping bool) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole := strconv.FormatInt(fen/100, 10)
	if grouping && len(whole) > 3 {
		var b strings.Builder
		lead := len(whole) % 3
		if lead > 0 {
			b.WriteString(whole[:lead])
		}
		for i := lead; i < len(whole); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(whole[i : i+3])
		}
		whole = b.String()
	}
	cents := fen % 100
	s := whole + "." + string(rune('0'+cents/10)) + string(rune('0'+cents%10))
	if neg {
		s = "-" + s
	}
	return s
}

// Range formats a price range: "¥49.00" when both ends are equal, else "¥49.00 – ¥59.00".
func Range(lo, hi int64) string {
	if lo == hi {
		return Yuan(lo)
	}
	return Yuan(lo) + " – " + Yuan(hi)
}
