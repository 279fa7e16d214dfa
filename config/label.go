package config

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeLabel folds a header or enumeration text to the form that is compared:
// compatibility forms unified (full-width letters, digits and brackets become
// half-width), every kind of white space removed, letters lower-cased. People type
// 平台 编号, 平台编号 and ＰＬＡＴＦＯＲＭ alike; all of them compare equal.
func NormalizeLabel(s string) string { return FoldLabel(norm.NFKC.String(s)) }

// FoldLabel is NormalizeLabel for text already in NFKC form: it only removes
// white space and lower-cases, saving a second normalization pass.
func FoldLabel(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
