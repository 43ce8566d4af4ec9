// Package arabic holds Mirsad's Arabic text normalization, a light stemmer
// and the bleve analyzers built on them (registered in init under
// AnalyzerName and ExactAnalyzerName).
package arabic

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxGrowth bounds Normalize: its output is never longer than MaxGrowth
// times its input in bytes. The only growth comes from NFKC of Arabic
// presentation ligatures (ﷲ, 3 bytes, is the word الله, 8 bytes) and from
// lower-casing a few letters whose small form is longer in UTF-8.
const MaxGrowth = 3

// runeClass says what the normalizer does with a rune.
type runeClass uint8

const (
	classKeep      runeClass = iota // map it (fold, lower-case) and keep it
	classDrop                       // inside a word and meaningless for search: remove
	classSeparator                  // separates words: becomes a space
	classCompat                     // presentation/compatibility form: NFKC first
)

// classify is the single place that decides which characters vanish and
// which split words, so that the tokenizer and Normalize agree.
func classify(r rune) runeClass {
	switch {
	case r < 0x0600:
		switch r {
		case 0x00A0:
			return classSeparator
		case 0x00AD, 0x034F: // soft hyphen, combining grapheme joiner
			return classDrop
		}
		return classKeep
	case r <= 0x06FF:
		switch {
		case r >= 0x064B && r <= 0x065F, // harakat, shadda, sukun, hamza marks
			r == 0x0670,                // dagger alef
			r == 0x0640,                // tatweel
			r >= 0x0610 && r <= 0x061A, // honorific and Quranic signs
			r >= 0x06D6 && r <= 0x06ED: // Quranic annotation marks
			return classDrop
		case r == 0x061C: // Arabic letter mark (bidi)
			return classSeparator
		}
		return classKeep
	case r >= 0x2000 && r <= 0x206F:
		switch {
		case r == 0x200C, r == 0x200D, r == 0x2060: // ZWNJ, ZWJ, word joiner: inside words
			return classDrop
		case r <= 0x200B, // typographic spaces, zero-width space
			r == 0x200E, r == 0x200F, // LRM, RLM
			r >= 0x2028 && r <= 0x202F, // line/para separators, bidi embeddings, NNBSP
			r >= 0x2066 && r <= 0x2069: // bidi isolates
			return classSeparator
		}
		return classKeep
	case r == 0xFEFF: // BOM / zero-width no-break space
		return classDrop
	case r == 0xFDFA, r == 0xFDFB: // multi-word honorific ligatures: not searchable words
		return classSeparator
	case r >= 0xFB00 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFE, r >= 0xFF00 && r <= 0xFFEF:
		return classCompat
	case r == 0x220F, r == 0x2211, // ∏ ∑ left by PDF-to-text conversions
		r >= 0x25A0 && r <= 0x25FF, // geometric shapes (□ ■ ●) used as bullets/sentence ends
		r >= 0xE000 && r <= 0xF8FF, // private use: symbol-font debris
		r == utf8.RuneError:
		return classSeparator
	case r == 0x3000:
		return classSeparator
	}
	return classKeep
}

// foldRune maps one kept rune to its search form. It returns -1 when the
// rune is to be removed (a mark left over after NFKC).
func foldRune(r rune) rune {
	if r < 0x0600 || r > 0x06FF {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				return r + ('a' - 'A')
			}
			return r
		}
		return unicode.ToLower(r)
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 0x0672, 0x0673, 0x0675: // hamza/madda/wasla alef variants
		return 'ا'
	case 'ى', 0x06CC, 0x06D0, 0x06CD, 0x06D2, 0x06D3: // alef maqsura, Farsi/Urdu yeh forms
		return 'ي'
	case 'ؤ', 'ئ', 0x0676, 0x0678: // hamza on a seat: مسؤول and مسئول are one word
		return 'ء'
	case 'ة', 0x06C1, 0x06BE, 0x06C0, 0x06D5, 0x06C2, 0x06C3: // teh marbuta, Urdu/Kurdish heh
		return 'ه'
	case 0x06A9, 0x06AA, 0x06AF: // Persian keheh, swash kaf, gaf
		return 'ك'
	case 0x06A4: // veh, written for v in foreign names
		return 'ف'
	case 0x06A8: // qaf with three dots (Maghrebi g)
		return 'ق'
	case 0x067E: // peh
		return 'ب'
	case 0x0686: // tcheh
		return 'ج'
	case 0x0698: // jeh
		return 'ز'
	case 0x066B: // Arabic decimal separator
		return '.'
	case 0x066C: // Arabic thousands separator
		return ','
	}
	switch {
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	case classify(r) == classDrop:
		return -1
	}
	return r
}

// Normalize folds the spelling variants of Arabic news text to one form so
// that the same word written by different outlets compares equal:
//   - harakat, dagger alef, tatweel, Quranic marks and in-word joiners are
//     removed;
//   - alef variants become ا, hamza seats (ؤ ئ) become ء, ى and Farsi yeh
//     become ي, teh marbuta and Urdu heh become ه, Persian kaf/gaf become ك;
//   - Arabic-Indic and Persian digits become ASCII digits;
//   - presentation forms and full-width letters go through NFKC;
//   - bidi controls, zero-width spaces, odd spaces and PDF debris (□ ∏)
//     become a plain space, so words they glued are separated;
//   - other scripts are lower-cased with Unicode simple case mapping
//     (İ becomes i, not "i̇").
//
// Normalize is idempotent and its output is at most MaxGrowth times as long
// as its input.
func Normalize(s string) string {
	return string(appendNormalized(make([]byte, 0, len(s)), s, false))
}

// NormalizeToken is Normalize for one token: characters that would become
// separators are removed instead, so the result is a single word.
func NormalizeToken(tok string) string {
	return string(appendNormalized(make([]byte, 0, len(tok)), tok, true))
}

// appendNormalized is the one implementation behind Normalize and the token
// filter. inToken turns separators into nothing instead of a space.
func appendNormalized[S ~string | ~[]byte](dst []byte, s S, inToken bool) []byte {
	for i := 0; i < len(s); {
		var r rune
		var size int
		if c := s[i]; c < utf8.RuneSelf {
			r, size = rune(c), 1
		} else {
			r, size = utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		}
		i += size
		switch classify(r) {
		case classDrop:
			continue
		case classSeparator:
			if !inToken {
				dst = append(dst, ' ')
			}
			continue
		case classCompat:
			for _, c := range norm.NFKC.String(string(r)) {
				dst = appendFolded(dst, c, inToken)
			}
			continue
		}
		dst = appendFolded(dst, r, inToken)
	}
	return dst
}

// appendFolded folds a rune that survived classification, re-classifying it
// because NFKC output can hold marks and spaces.
func appendFolded(dst []byte, r rune, inToken bool) []byte {
	switch classify(r) {
	case classDrop, classCompat:
		return dst
	case classSeparator:
		if !inToken {
			dst = append(dst, ' ')
		}
		return dst
	}
	if inToken && unicode.IsSpace(r) {
		return dst
	}
	f := foldRune(r)
	if f < 0 {
		return dst
	}
	return utf8.AppendRune(dst, f)
}

// Detect returns "ar" when Arabic letters make up at least a third of the
// letters of text, else "en". Script is enough for the two languages Mirsad
// reads; the one-third threshold keeps an Arabic article that quotes English
// names, URLs or acronyms Arabic, while an English article quoting a few
// Arabic words stays English.
func Detect(text string) string {
	var arabic, other int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				other++
			}
		case isArabicLetter(r):
			arabic++
		case unicode.IsLetter(r):
			other++
		}
	}
	if arabic > 0 && arabic*2 >= other {
		return "ar"
	}
	return "en"
}

// isArabicLetter reports whether r is a letter of the Arabic script
// (including presentation forms).
func isArabicLetter(r rune) bool {
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r)
}
