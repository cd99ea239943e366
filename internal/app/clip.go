package app

import (
	"fmt"
	"unicode/utf8"
)

// maxLoggedValue is the most of one value taken from a request (a path, a header, a field of a push) that goes
// into a log line: a client sending megabytes must not write megabytes of log on every try.
const maxLoggedValue = 256

// clip shortens s to at most n bytes, cut on a character boundary, and says how much was left out.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…(+%d bytes)", s[:cut], len(s)-cut)
}

// logValue is a request's value clipped for a log line.
func logValue(s string) string { return clip(s, maxLoggedValue) }
