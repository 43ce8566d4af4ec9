package arabic

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latinFolds are letters NFD does not decompose.
var latinFolds = map[rune]string{
	'ı': "i", 'ø': "o", 'ł': "l", 'đ': "d", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ð': "d", 'þ': "th", 'ħ': "h",
}

// FoldLatin removes diacritics from a lower-cased Latin word so that the
// spellings outlets use for one name meet: kalın → kalin, erdoğan →
// erdogan, sīsī → sisi. Words in Arabic script are returned unchanged.
func FoldLatin(s string) string { return string(AppendFoldLatin(nil, []byte(s))) }

// AppendFoldLatin is FoldLatin for a token term. When t needs no folding it
// is returned as is (dst unused), so callers must not modify the result.
func AppendFoldLatin(dst, t []byte) []byte {
	ascii := true
	for _, c := range t {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || isArabicWord(string(t)) {
		return t
	}
	for _, r := range norm.NFD.String(string(t)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if s, ok := latinFolds[r]; ok {
			dst = append(dst, s...)
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}
