// Package arabic holds Mirsad's Arabic text normalization and the bleve
// analyzers built on it.
package arabic

import (
	"strings"
	"unicode"
)

// Normalize folds the spelling variants of Arabic news text to one form so
// that the same word written by different outlets compares equal: harakat
// and tatweel are dropped, alef/hamza/yeh/teh-marbuta variants folded and
// Arabic-Indic digits mapped to ASCII. Latin text is lower-cased.
//
// This first version is deliberately small; the analysis issue extends it.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			continue // harakat, dagger alef, tatweel
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ؤ':
			r = 'و'
		case r == 'ئ':
			r = 'ي'
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x200E || r == 0x200F || r == 0xFEFF || r == 0x061C:
			continue
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Detect returns "ar" when Arabic letters make up at least a third of the
// letters of text, else "en". Script detection is enough for the two
// languages Mirsad reads.
func Detect(text string) string {
	var arabic, latin int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	if arabic > 0 && arabic*2 >= latin {
		return "ar"
	}
	return "en"
}
