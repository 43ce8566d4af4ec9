package claim

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// quote is one quotation: [s,e) includes the marks, [is,ie) is the inside.
type quote struct {
	s, e   int
	is, ie int
	words  int
}

// token is a word or a punctuation mark with its byte span in the article.
type token struct {
	s, e int
	word bool
	norm string // lower-cased / Arabic-normalized form; the mark itself for punctuation
	q    int    // index of the enclosing quote, -1 outside quotes
}

// sentence is a byte span of the article and its tokens.
type sentence struct {
	s, e int
	toks []token
}

// isWordRune reports letters, digits and combining marks. ASCII and the
// Arabic letters, harakat and digits take a table lookup, the rest the
// unicode package.
func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	case 0x0621 <= r && r <= 0x063A, 0x0641 <= r && r <= 0x065F, 0x0660 <= r && r <= 0x0669:
		return true
	}
	return isWordRuneSlow(r)
}

func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// quote marks: opening -> closing.
var quotePairs = map[rune]rune{'«': '»', '“': '”', '"': '"', '‘': '’', '\'': '\''}

// findQuotes pairs quotation marks inside each paragraph. An opening mark
// left without its closing one runs to the end of the paragraph, which is how
// journalists continue a quote over several paragraphs.
func findQuotes(text string) []quote {
	var out []quote
	paraStart := 0
	for paraStart <= len(text) {
		paraEnd := strings.IndexByte(text[paraStart:], '\n')
		if paraEnd < 0 {
			paraEnd = len(text)
		} else {
			paraEnd += paraStart
		}
		out = appendParaQuotes(out, text, paraStart, paraEnd)
		paraStart = paraEnd + 1
	}
	return out
}

func appendParaQuotes(out []quote, text string, ps, pe int) []quote {
	i := ps
	for i < pe {
		// '' … '' (the New York Times' double quotes)
		if strings.HasPrefix(text[i:pe], "''") && (i == ps || !isWordRuneBefore(text, ps, i)) {
			if end := strings.Index(text[i+2:pe], "''"); end > 0 {
				end += i + 2
				q := quote{s: i, e: end + 2, is: i + 2, ie: end}
				q.words = countWords(text[q.is:q.ie])
				out = append(out, q)
				i = end + 2
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:pe])
		closing, ok := quotePairs[r]
		if !ok || !opensQuote(text, ps, i, r, n) {
			i += n
			continue
		}
		// search the closing mark
		j := i + n
		end := -1
		for j < pe {
			r2, n2 := utf8.DecodeRuneInString(text[j:pe])
			if r2 == closing && (r != '\'' || closesSingle(text, j, pe)) && j > i+n {
				end = j
				break
			}
			if r == '\'' && j-i > 400 {
				break
			}
			j += n2
		}
		if end < 0 {
			if r == '\'' || r == '‘' {
				i += n // apostrophes: no multi-paragraph single quotes
				continue
			}
			q := quote{s: i, e: pe, is: i + n, ie: pe}
			q.ie = trimRightSpace(text, q.is, q.ie)
			q.words = countWords(text[q.is:q.ie])
			out = append(out, q)
			return out
		}
		_, cn := utf8.DecodeRuneInString(text[end:])
		q := quote{s: i, e: end + cn, is: i + n, ie: end}
		q.words = countWords(text[q.is:q.ie])
		out = append(out, q)
		i = end + cn
	}
	return out
}

// opensQuote rejects apostrophes inside words (don't, Trump's).
func opensQuote(text string, ps, i int, r rune, n int) bool {
	if r != '\'' && r != '"' && r != '‘' {
		return true
	}
	if i+n >= len(text) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(text[i+n:])
	if unicode.IsSpace(next) {
		return false
	}
	if i == ps {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(text[ps:i])
	return !isWordRune(prev)
}

func isWordRuneBefore(text string, ps, i int) bool {
	prev, _ := utf8.DecodeLastRuneInString(text[ps:i])
	return isWordRune(prev)
}

func closesSingle(text string, j, pe int) bool {
	if j+1 >= pe {
		return true
	}
	next, _ := utf8.DecodeRuneInString(text[j+1:])
	return !isWordRune(next)
}

func trimRightSpace(text string, s, e int) int {
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return e
}

func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := isWordRune(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// abbreviations that end with a period without ending the sentence.
var abbrev = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "sen": true, "rep": true, "gov": true,
	"gen": true, "st": true, "jr": true, "sr": true, "lt": true, "col": true, "sgt": true,
	"capt": true, "prof": true, "rev": true, "no": true, "vs": true, "jan": true, "feb": true,
	"aug": true, "sept": true, "sep": true, "oct": true, "nov": true, "dec": true, "inc": true,
	"corp": true, "co": true, "ltd": true, "u.s": true, "d.c": true, "u.n": true, "u.k": true,
	"mt": true, "ft": true, "pres": true, "gens": true, "reps": true, "sens": true, "rev'd": true,
}

// splitSentences cuts the article at sentence-final punctuation and line
// breaks, never inside a quotation unless the quotation closes right there.
func splitSentences(text string, quotes []quote) []sentence {
	var out []sentence
	start := 0
	qi := 0
	i := 0
	emit := func(end int) {
		s, e := start, end
		for s < e {
			r, n := utf8.DecodeRuneInString(text[s:e])
			if !unicode.IsSpace(r) {
				break
			}
			s += n
		}
		e = trimRightSpace(text, s, e)
		if e > s {
			out = append(out, sentence{s: s, e: e})
		}
		start = end
	}
	for i < len(text) {
		for qi < len(quotes) && quotes[qi].e <= i {
			qi++
		}
		inQuote := qi < len(quotes) && quotes[qi].s < i && i < quotes[qi].e
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '\n' {
			emit(i)
			i += n
			start = i
			continue
		}
		if inQuote {
			i += n
			continue
		}
		if r == '.' || r == '!' || r == '?' || r == '؟' {
			j := i + n
			// closing quote marks directly after the punctuation
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if r2 == '"' || r2 == '”' || r2 == '»' || r2 == '’' || r2 == '\'' || r2 == ')' {
					j += n2
					continue
				}
				break
			}
			if j >= len(text) {
				emit(len(text))
				i = len(text)
				start = i
				continue
			}
			r3, _ := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsSpace(r3) {
				i += n
				continue
			}
			if r == '.' && isAbbrevBefore(text, start, i) {
				i += n
				continue
			}
			emit(j)
			i = j
			start = j
			continue
		}
		i += n
	}
	emit(len(text))
	return out
}

func isAbbrevBefore(text string, start, dot int) bool {
	k := dot
	for k > start {
		r, n := utf8.DecodeLastRuneInString(text[start:k])
		if !(isWordRune(r) || r == '.') {
			break
		}
		k -= n
	}
	w := strings.ToLower(text[k:dot])
	if abbrev[w] {
		return true
	}
	// single initials: "Donald J. Trump"
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(text[k:])
		return unicode.IsUpper(r)
	}
	return false
}

// tokenize cuts [s,e) into words and punctuation marks.
func tokenize(text string, s, e int, quotes []quote, lang string) []token {
	toks := make([]token, 0, (e-s)/6+4)
	qi := 0
	i := s
	for i < e {
		r, n := utf8.DecodeRuneInString(text[i:e])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i + n
		word := isWordRune(r)
		if word {
			for j < e {
				r2, n2 := utf8.DecodeRuneInString(text[j:e])
				if isWordRune(r2) {
					j += n2
					continue
				}
				// inner apostrophes, hyphens and periods (Trump's, co-chair, U.S.)
				if (r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.') && j+n2 < e {
					r3, _ := utf8.DecodeRuneInString(text[j+n2 : e])
					if isWordRune(r3) && !(r2 == '.' && unicode.IsUpper(r3) && lang == "en" && !unicode.IsUpper(r)) {
						j += n2
						continue
					}
				}
				break
			}
		}
		// "Mr." and initials keep their period so that names stay whole
		if word && lang != "ar" && j < e && text[j] == '.' {
			w := strings.ToLower(text[i:j])
			if abbrev[w] || utf8.RuneCountInString(w) == 1 && unicode.IsUpper(r) {
				j++
			}
		}
		for qi < len(quotes) && quotes[qi].e <= i {
			qi++
		}
		q := -1
		if qi < len(quotes) && quotes[qi].is <= i && i < quotes[qi].ie {
			q = qi
		}
		t := token{s: i, e: j, word: word, q: q}
		if word {
			if lang == "ar" {
				t.norm = normalizeWord(text[i:j])
			} else {
				t.norm = strings.ToLower(strings.ReplaceAll(text[i:j], "’", "'"))
			}
		} else {
			t.norm = text[i:j]
		}
		toks = append(toks, t)
		i = j
	}
	return toks
}

// quoteStartingAt returns the index of the quote whose opening mark starts
// at byte b, or -1.
func quoteStartingAt(quotes []quote, b int) int {
	i := sort.Search(len(quotes), func(i int) bool { return quotes[i].s >= b })
	if i < len(quotes) && quotes[i].s == b {
		return i
	}
	return -1
}

// quoteEndingAt returns the index of the quote whose closing mark ends at
// byte b, or -1. Quotes do not overlap, so their ends are sorted too.
func quoteEndingAt(quotes []quote, b int) int {
	i := sort.Search(len(quotes), func(i int) bool { return quotes[i].e >= b })
	if i < len(quotes) && quotes[i].e == b {
		return i
	}
	return -1
}

// identityRune[r-0x0600] is true when arabic.Normalize leaves the Arabic
// rune r unchanged. It is computed from Normalize itself so that the fast
// path below can never disagree with it.
var identityRune = func() (t [0x100]bool) {
	for r := rune(0x0600); r <= 0x06FF; r++ {
		t[r-0x0600] = arabic.Normalize(string(r)) == string(r)
	}
	return t
}()

var identityASCII = func() (t [0x80]bool) {
	for r := rune(0); r < 0x80; r++ {
		t[r] = arabic.Normalize(string(r)) == string(r)
	}
	return t
}()

// normalizeWord is arabic.Normalize for one word, without allocating when
// the word is already in normal form (most words of a news article).
func normalizeWord(w string) string {
	for _, r := range w {
		switch {
		case r < 0x80 && identityASCII[r]:
		case r >= 0x0600 && r <= 0x06FF && identityRune[r-0x0600]:
		default:
			return arabic.Normalize(w)
		}
	}
	return w
}

// contentBefore is the span of a claim whose cue comes after it in the
// sentence ("…، قال قالن", "…, Kalin said"): from the sentence start, or
// the quote that ends there, or the end of a claim already taken from the
// same sentence, to the last word before the cue at token i.
func (st *state) contentBefore(s *sentence, i int) (cs, ce int, ok bool) {
	toks := s.toks
	e := i
	for e > 0 && !toks[e-1].word && !isQuoteClose(st, toks[e-1]) {
		e--
	}
	if e == 0 {
		return 0, 0, false
	}
	ce = toks[e-1].e
	cs = s.s
	if qi := quoteEndingAt(st.quotes, ce); qi >= 0 {
		cs = st.quotes[qi].s
	}
	for _, at := range st.out {
		if at.Claim.End <= ce && at.Claim.End > cs && at.Claim.Start >= s.s {
			cs = at.Claim.End
		}
	}
	return cs, ce, true
}
