package arabic

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// TokenizerName is the name Tokenizer is registered under in bleve.
const TokenizerName = "mirsad_tokenizer"

// Tokenizer splits text into words for Arabic and English. It differs from
// bleve's unicode tokenizer in what news text needs:
//   - bidi controls and zero-width spaces split words (غزة‏المحتلة is two),
//     while tatweel, harakat and joiners stay inside the word they are in;
//   - an apostrophe between letters (Kalın's) and a decimal or thousands
//     separator between digits (2.5, 1,200, ٢٫٥) stay inside the token.
//
// Tokens keep the byte offsets of the original text and their raw bytes as
// Term, so highlights mark what the reader sees; filters normalize later.
type Tokenizer struct{}

// NewTokenizer returns a Tokenizer. It has no state and is safe for
// concurrent use.
func NewTokenizer() *Tokenizer { return &Tokenizer{} }

// isWordRune reports whether r belongs inside a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	if r >= 0x0621 && r <= 0x064A { // the common Arabic letters, fast path
		return true
	}
	switch classify(r) {
	case classDrop:
		return true
	case classSeparator:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || (r >= 0x0660 && r <= 0x0669) || (r >= 0x06F0 && r <= 0x06F9)
}

func isDigitRune(r rune) bool {
	return ('0' <= r && r <= '9') || (r >= 0x0660 && r <= 0x0669) || (r >= 0x06F0 && r <= 0x06F9)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '＇' }

func isNumberSeparator(r rune) bool { return r == '.' || r == ',' || r == 0x066B || r == 0x066C }

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	// One token per ~6 bytes is typical of Arabic and English news.
	rv := make(analysis.TokenStream, 0, len(input)/6+1)
	start := -1
	var prev rune
	pos := 1
	numeric := true
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(input[i:])
		}
		word := isWordRune(r)
		if !word && start >= 0 && i+size < len(input) {
			// A connector joins only when the next rune continues the word
			// the same way the previous one did.
			next, _ := utf8.DecodeRune(input[i+size:])
			switch {
			case isApostrophe(r) && unicode.IsLetter(prev) && unicode.IsLetter(next):
				word = true
			case isNumberSeparator(r) && isDigitRune(prev) && isDigitRune(next):
				word = true
			}
		}
		if word {
			if start < 0 {
				start = i
				numeric = true
			}
			if !isDigitRune(r) && !isNumberSeparator(r) {
				numeric = false
			}
		} else if start >= 0 {
			rv = append(rv, newToken(input, start, i, pos, numeric))
			pos++
			start = -1
		}
		prev = r
		i += size
	}
	if start >= 0 {
		rv = append(rv, newToken(input, start, len(input), pos, numeric))
	}
	return rv
}

func newToken(input []byte, start, end, pos int, numeric bool) *analysis.Token {
	typ := analysis.AlphaNumeric
	if numeric {
		typ = analysis.Numeric
	}
	return &analysis.Token{
		Term:     input[start:end:end],
		Start:    start,
		End:      end,
		Position: pos,
		Type:     typ,
	}
}

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return NewTokenizer(), nil
	}); err != nil {
		panic(err)
	}
}
