package wx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules product/add documents for what it is sent (shared/api/store/product.md §3), written once so
// that the sandbox applies them and the app checks a form before sending it.

// Title limits.
const (
	StoreTitleMinValid   = 5  // "valid" characters: each Chinese character, letter or digit counts 1
	StoreTitleMaxChars   = 60 // characters in all
	StoreMinHeadImgs     = 3
	StoreMaxHeadImgs     = 9
	StoreMinHeadImgsFood = 4 // food/drink and fresh categories
	StoreMaxDescImgs     = 50
	StoreMaxSKUs         = 500
	StoreAsyncSKUs       = 25 // above this, add/update run asynchronously: submit with listing 1
	StoreMaxSalePrice    = 1000000000
)

// storeTitlePunctuation is the punctuation a title may contain, as the add page lists it, plus the three
// spaces it allows (U+0020, U+00A0, U+3000).
const storeTitlePunctuation = "·~～!@#$%^&()！＠＃￥%…&*（）-_—=+[]\\【】、{}|｜;'；’:\"：‘“”,./，。<>?《》？ \u00a0\u3000"

// StoreTitleCode is the errcode WeChat answers for a product title, or 0 for a title it accepts: 10020020
// empty, 10020021 longer than 60 characters, 10020042 fewer than 5 valid characters, 10020045 only letters,
// digits and symbols (no Chinese) or a character outside the allowed set.
func StoreTitleCode(title string) int {
	if strings.TrimSpace(title) == "" {
		return 10020020
	}
	if utf8.RuneCountInString(title) > StoreTitleMaxChars {
		return 10020021
	}
	valid, han := 0, false
	for _, r := range title {
		switch {
		case unicode.Is(unicode.Han, r):
			valid++
			han = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			valid++
		case !strings.ContainsRune(storeTitlePunctuation, r):
			return 10020045
		}
	}
	if valid < StoreTitleMinValid {
		return 10020042
	}
	if !han {
		return 10020045
	}
	return 0
}
