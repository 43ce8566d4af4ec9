package datetext

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word, number or punctuation mark of a text, with its byte
// span in the original text and its folded form.
type Token struct {
	Start, End int    // byte offsets in the original text
	Raw        string // text[Start:End]
	Norm       string // Fold(Raw)
	Num        int    // value when IsNum
	Digits     int    // number of digits when IsNum
	IsNum      bool
	IsPunct    bool
	Space      bool // whitespace (or start of text) precedes the token
	Upper      bool // first letter is an upper-case Latin letter
}

func isMark(r rune) bool {
	if r >= 0x0621 && r <= 0x063A || r >= 0x0641 && r <= 0x064A {
		return false
	}
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || r == 0x0640 ||
		r == 0x200C || r == 0x200D || unicode.Is(unicode.Mn, r)
}

func isDigit(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹')
}

func digitVal(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '٠' && r <= '٩':
		return int(r - '٠')
	default:
		return int(r - '۰')
	}
}

// Tokenize splits text into words (letters and their marks), numbers (ASCII
// or Arabic-Indic digits) and single punctuation marks. Whitespace and
// invisible direction marks separate tokens and are dropped.
func Tokenize(text string) []Token {
	return AppendTokens(make([]Token, 0, len(text)/5), text)
}

// AppendTokens appends the tokens of text to toks, so that callers may
// reuse one slice across texts.
func AppendTokens(toks []Token, text string) []Token {
	base := len(toks)
	// Folded forms go into one buffer, turned into one string at the end,
	// instead of one allocation per token.
	buf := make([]byte, 0, len(text))
	spans := make([][2]int, 0, len(text)/5)
	space := true
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			i += max(n, 1)
			space = true
		case unicode.IsSpace(r) || r == 0x200E || r == 0x200F || r == 0xFEFF || r == 0x061C || r == 0x200B:
			i += n
			space = true
		case isDigit(r):
			start := i
			v, d := 0, 0
			for i < len(text) {
				r, n := utf8.DecodeRuneInString(text[i:])
				if !isDigit(r) {
					break
				}
				if d < 9 {
					v = v*10 + digitVal(r)
				}
				d++
				i += n
			}
			raw := text[start:i]
			a := len(buf)
			buf = appendFold(buf, raw)
			spans = append(spans, [2]int{a, len(buf)})
			toks = append(toks, Token{Start: start, End: i, Raw: raw, Num: v, Digits: d, IsNum: true, Space: space})
			space = false
		case isWordRune(r):
			start := i
			for i < len(text) {
				r, n := utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r) {
					break
				}
				i += n
			}
			raw := text[start:i]
			a := len(buf)
			buf = appendFold(buf, raw)
			spans = append(spans, [2]int{a, len(buf)})
			toks = append(toks, Token{Start: start, End: i, Raw: raw, Space: space, Upper: unicode.IsUpper(r)})
			space = false
		default:
			raw := text[i : i+n]
			spans = append(spans, [2]int{-1, -1})
			toks = append(toks, Token{Start: i, End: i + n, Raw: raw, Norm: raw, IsPunct: true, Space: space})
			i += n
			space = false
		}
	}
	all := string(buf)
	for k := range spans {
		if sp := spans[k]; sp[0] >= 0 {
			toks[base+k].Norm = all[sp[0]:sp[1]]
		}
	}
	return toks
}

// rawSkipLetters returns the byte length of the first k letters of raw and
// the marks that follow them, so that a clitic stripped from the folded
// form can be stripped from the original text too.
func rawSkipLetters(raw string, k int) int {
	i := 0
	for k > 0 && i < len(raw) {
		_, n := utf8.DecodeRuneInString(raw[i:])
		i += n
		k--
		for i < len(raw) {
			r, n := utf8.DecodeRuneInString(raw[i:])
			if !isMark(r) {
				break
			}
			i += n
		}
	}
	return i
}

// isWordRune reports letters and the marks that belong to words, with a
// fast path for the basic Arabic and Latin letters.
func isWordRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= 0x0621 && r <= 0x065F:
		return true
	case r < 0x80:
		return false
	}
	return unicode.IsLetter(r) || isMark(r)
}
