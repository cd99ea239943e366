// Package i18n is the app's one message catalog: Simplified Chinese by default, English on request.
package i18n

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Lang is a language the UI speaks.
type Lang string

const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// Parse returns the language s names, Chinese for anything unknown.
func Parse(s string) Lang {
	if s == string(English) {
		return English
	}
	return Chinese
}

// Printer renders catalog messages in one language.
type Printer struct{ Lang Lang }

// T returns the message for key in p's language, formatted with args when there are any.
// An unknown key comes back as itself, so a missing entry is visible on the page instead of blank
// (and the catalog test fails on it).
func (p Printer) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m.zh
	if p.Lang == English {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Has reports whether the catalog holds key.
func Has(key string) bool {
	_, ok := messages[key]
	return ok
}

// Keys lists the catalog's keys that start with prefix, sorted.
func Keys(prefix string) []string {
	var keys []string
	for k := range messages {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

type ctxKey struct{}

// WithPrinter returns ctx carrying p, for templates to read.
func WithPrinter(ctx context.Context, p Printer) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the printer stored in ctx, or a Chinese one.
func FromContext(ctx context.Context) Printer {
	if p, ok := ctx.Value(ctxKey{}).(Printer); ok {
		return p
	}
	return Printer{Lang: Chinese}
}

// T is shorthand for FromContext(ctx).T(key, args...).
func T(ctx context.Context, key string, args ...any) string {
	return FromContext(ctx).T(key, args...)
}
