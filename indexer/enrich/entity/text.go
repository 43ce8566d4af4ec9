package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"golang.org/x/text/unicode/norm"
)

// Separators recorded after a token. Names never span a separator other
// than sepNone (space or hyphen).
const (
	sepNone     = 0
	sepComma    = ','
	sepSentence = '.'
	sepOther    = '|'
)

// token is one word of the text with the folded form the tables are keyed
// by and the layout facts the matcher and discovery need.
type token struct {
	start, end int // byte offsets in the original text
	norm       string
	arabic     bool
	upper      bool // every letter is upper case (acronyms: WHO, U.S.)
	capital    bool // the first letter is upper case
	poss       bool // an English possessive 's followed and was dropped
	sep        byte // punctuation between this token and the next
	name       bool // may be part of a person's name (see nameLike)
	na, nb     int32
}

func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	case r >= 0x0621 && r <= 0x065F, r >= 0x0660 && r <= 0x0669, r == 0x0670, r >= 0x0671 && r <= 0x06D3:
		return true // Arabic letters, harakat, digits (the hot path for Arabic text)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isArabicRune is a fast unicode.Is(unicode.Arabic, r) for the main block.
func isArabicRune(r rune) bool {
	if r >= 0x0600 && r <= 0x06FF {
		return true
	}
	return r >= 0x0750 && unicode.Is(unicode.Arabic, r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' || r == '`'
}

// tokenize splits text into words. Hyphens and spaces separate words without
// a separator mark; apostrophes inside Latin words (Sa'ar) stay in the word,
// a trailing 's is dropped as a possessive; dots between single letters keep
// an acronym (U.S.) together.
func tokenize(text string) (toks []token) {
	toks = make([]token, 0, len(text)/6+1)
	arena := make([]byte, 0, len(text)) // every token's folded form, one allocation
	defer func() {
		all := string(arena)
		for k := range toks {
			toks[k].norm = all[toks[k].na:toks[k].nb]
			toks[k].name = nameLike(toks[k])
		}
	}()
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if len(toks) > 0 {
				markSep(&toks[len(toks)-1], r)
			}
			i += size
			continue
		}
		start := i
		poss := false
		letters := 0 // letters since the last dot, to recognise U.S.
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				if unicode.IsLetter(r) {
					letters++
				}
				i += size
				continue
			}
			if isApostrophe(r) && i > start {
				nr, nsize := utf8.DecodeRuneInString(text[i+size:])
				if nr == 's' || nr == 'S' {
					ar, _ := utf8.DecodeRuneInString(text[i+size+nsize:])
					if i+size+nsize >= len(text) || !isWordRune(ar) {
						poss = true
						break
					}
				}
				if unicode.IsLetter(nr) && nr < 0x0600 {
					i += size // Sa'ar, Re'im
					continue
				}
				if !unicode.IsLetter(nr) {
					poss = true // Hamas' delegation
				}
				break
			}
			if r == '.' && letters == 1 {
				nr, _ := utf8.DecodeRuneInString(text[i+size:])
				if unicode.IsLetter(nr) && unicode.IsUpper(nr) {
					letters = 0
					i += size
					continue
				}
			}
			break
		}
		end := i
		toks = append(toks, makeToken(text[start:end], start, end, poss, &arena))
		if poss {
			// skip the apostrophe and the s
			_, size = utf8.DecodeRuneInString(text[i:])
			i += size
			if i < len(text) && (text[i] == 's' || text[i] == 'S') {
				i++
			}
		}
	}
	return toks
}

func markSep(t *token, r rune) {
	switch {
	case r == '.' || r == '!' || r == '?' || r == '؟' || r == '\n' || r == ';' || r == '؛':
		t.sep = sepSentence
	case r == ',' || r == '،':
		if t.sep == sepNone {
			t.sep = sepComma
		}
	case r == ' ' || r == '\t' || r == '\r' || r == '-' || r == '‐' || r == '‑' || r == 0x00A0 || r == '_':
	case unicode.Is(unicode.Cf, r): // zero-width joiners and marks inside Arabic words
	default:
		if t.sep == sepNone {
			t.sep = sepOther
		}
	}
}

// arIdentity marks the runes of the Arabic block that arabic.Normalize
// leaves as they are, so that most Arabic words need no normalizing copy.
// It is derived from Normalize itself, which folds rune by rune.
var arIdentity, arFold = func() (id [0x100]bool, fold [0x100]string) {
	for r := rune(0x0600); r <= 0x06FF; r++ {
		fold[r-0x0600] = arabic.Normalize(string(r))
		id[r-0x0600] = fold[r-0x0600] == string(r)
	}
	return id, fold
}()

func makeToken(s string, start, end int, poss bool, arena *[]byte) token {
	t := token{start: start, end: end, poss: poss}
	upperLetters, letters := 0, 0
	first := true
	ident := true
	for _, r := range s {
		if r >= 0x0600 && isArabicRune(r) {
			t.arabic = true
			first = false
			ident = ident && r <= 0x06FF && arIdentity[r-0x0600]
			continue // Arabic has no case
		}
		ident = false
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upperLetters++
				if first {
					t.capital = true
				}
			}
			first = false
		}
	}
	t.upper = letters > 0 && upperLetters == letters && !t.arabic
	t.na = int32(len(*arena))
	switch {
	case t.arabic && ident:
		*arena = append(*arena, s...)
	case t.arabic:
		*arena = appendArabic(*arena, s)
	default:
		*arena = appendFoldLatin(*arena, s)
	}
	t.nb = int32(len(*arena))
	return t
}

// appendArabic appends arabic.Normalize(s) to dst, rune by rune from a table
// built from Normalize for the Arabic block.
func appendArabic(dst []byte, s string) []byte {
	mark := len(dst)
	for _, r := range s {
		if r < 0x0600 || r > 0x06FF {
			return append(dst[:mark], arabic.Normalize(s)...)
		}
		dst = append(dst, arFold[r-0x0600]...)
	}
	return dst
}

// foldLatin lower-cases a Latin word and strips diacritics so that Kalın,
// Kalin and KALIN compare equal; dots and apostrophes inside the word go.
// The article variants el/al fold to al (Sharm el-Sheikh, al-Sisi).
func foldLatin(s string) string { return string(appendFoldLatin(nil, s)) }

func appendFoldLatin(dst []byte, s string) []byte {
	mark := len(dst)
	dst = appendFoldLatinRaw(dst, s)
	if string(dst[mark:]) == "el" {
		dst[mark] = 'a'
	}
	return dst
}

func appendFoldLatinRaw(dst []byte, s string) []byte {
	b := bytesBuilder{dst}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			case c == '.' || c == '\'' || c == '`':
			default:
				b.WriteByte(c)
			}
		}
	} else {
		for _, r := range norm.NFD.String(s) {
			switch {
			case unicode.Is(unicode.Mn, r), r == '.', isApostrophe(r), r == 'ʿ', r == 'ʾ':
				continue
			case r == 'ı' || r == 'İ':
				r = 'i'
			case r == 'ł' || r == 'Ł':
				r = 'l'
			case r == 'ø' || r == 'Ø':
				r = 'o'
			case r == 'đ' || r == 'Đ':
				r = 'd'
			case r == 'ß':
				b.WriteString("ss")
				continue
			case r == 'æ' || r == 'Æ':
				b.WriteString("ae")
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.buf
}

// bytesBuilder gives a byte slice the strings.Builder methods used above.
type bytesBuilder struct{ buf []byte }

func (b *bytesBuilder) WriteByte(c byte) error { b.buf = append(b.buf, c); return nil }
func (b *bytesBuilder) WriteString(s string)   { b.buf = append(b.buf, s...) }
func (b *bytesBuilder) WriteRune(r rune)       { b.buf = utf8.AppendRune(b.buf, r) }

// Arabic proclitics that attach to a name: و and ف (and), ب (in, by), ل (to,
// for), ك (like). ل before the article eats its alef: ل+القاهرة = للقاهرة.
func cliticVariants(w string, dst []string) []string {
	dst = append(dst[:0], w)
	rest := w
	if r, n := utf8.DecodeRuneInString(rest); r == 'و' || r == 'ف' {
		rest = rest[n:]
		if runeCount(rest) >= 3 {
			dst = append(dst, rest)
		}
	}
	if strings.HasPrefix(rest, "لل") && runeCount(rest) >= 4 {
		dst = append(dst, "ا"+rest[len("ل"):])
	}
	if r, n := utf8.DecodeRuneInString(rest); r == 'ب' || r == 'ل' || r == 'ك' {
		if runeCount(rest[n:]) >= 3 {
			dst = append(dst, rest[n:])
		}
	}
	return dst
}

var proclitics = []string{"", "و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"}

// cliticForms lists the spellings of an Arabic word with proclitics
// attached: exactly the words that cliticVariants maps back to w.
func cliticForms(w string) []string {
	var forms []string
	for _, p := range proclitics {
		forms = append(forms, p+w)
	}
	if strings.HasPrefix(w, "ال") {
		for _, p := range []string{"", "و", "ف"} {
			forms = append(forms, p+"لل"+w[len("ال"):])
		}
	}
	out := forms[:0]
	var buf []string
	for _, f := range forms {
		for _, v := range cliticVariants(f, buf) {
			if v == w {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// isArticle reports whether a folded token is only the article (al, el,
// ال, آل) that name spellings add or omit.
func isArticle(w string) bool { return w == "al" || w == "ال" }

// skeleton maps a folded word to consonant classes shared by Arabic script
// and its English transliterations: إبراهيم قالن and Ibrahim Kalin both
// become "brhm" "kln". Vowels, w/y and ع drop out; doubled consonants and a
// final h (ة) collapse.
func skeleton(w string, isArabic bool) string {
	var buf [64]byte
	return string(appendSkeleton(buf[:0], w, isArabic))
}

// appendSkeleton writes the skeleton of w (at most 64 bytes) into the
// backing array of dst, from its start, and returns it.
func appendSkeleton(dst []byte, w string, isArabic bool) []byte {
	b := dst[:cap(dst)]
	if len(b) > 64 {
		b = b[:64]
	}
	n := 0
	add := func(c byte) {
		if c == 0 || n == len(b) {
			return
		}
		if n > 0 && b[n-1] == c {
			return
		}
		b[n] = c
		n++
	}
	if isArabic {
		if strings.HasPrefix(w, "ال") && runeCount(w) > 3 {
			w = w[len("ال"):]
		}
		for _, r := range w {
			add(arabicClass(r))
		}
	} else {
		for i := 0; i < len(w); i++ {
			c := w[i]
			var nx byte
			if i+1 < len(w) {
				nx = w[i+1]
			}
			if nx == 'h' {
				switch c {
				case 'k', 's', 't', 'd', 'g':
					add(c) // kh, sh, th, dh, gh
					i++
					continue
				case 'c':
					add('s')
					i++
					continue
				case 'p':
					add('f')
					i++
					continue
				}
			}
			add(latinClass(c))
		}
	}
	if n > 1 && b[n-1] == 'h' {
		n--
	}
	return b[:n]
}

func latinClass(c byte) byte {
	switch c {
	case 'b', 'p':
		return 'b'
	case 't':
		return 't'
	case 'd':
		return 'd'
	case 'j', 'g':
		return 'g'
	case 'h':
		return 'h'
	case 'k', 'q', 'c':
		return 'k'
	case 'l':
		return 'l'
	case 'm':
		return 'm'
	case 'n':
		return 'n'
	case 'r':
		return 'r'
	case 's', 'x':
		return 's'
	case 'z':
		return 'z'
	case 'f', 'v':
		return 'f'
	}
	return 0
}

func arabicClass(r rune) byte {
	switch r {
	case 'ب', 'پ':
		return 'b'
	case 'ت', 'ث', 'ط':
		return 't'
	case 'ج', 'غ', 'چ', 'گ':
		return 'g'
	case 'ح', 'ه', 'ة':
		return 'h'
	case 'خ', 'ق', 'ك':
		return 'k'
	case 'د', 'ذ', 'ض', 'ظ':
		return 'd'
	case 'ر':
		return 'r'
	case 'ز':
		return 'z'
	case 'س', 'ش', 'ص':
		return 's'
	case 'ف', 'ڤ':
		return 'f'
	case 'ل':
		return 'l'
	case 'م':
		return 'm'
	case 'ن':
		return 'n'
	}
	return 0
}

// nameKey turns a name into the token sequence the tables are keyed by.
func nameKey(name string) []string {
	toks := tokenize(name)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.norm != "" {
			out = append(out, t.norm)
		}
	}
	return out
}
