package eval

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// span is a half-open byte range of an article.
type span struct{ s, e int }

// wordTokens returns the byte spans of the words of text (letters and
// digits; punctuation and quotation marks never count).
func wordTokens(text string) []span {
	var out []span
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWord(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !isWord(r2) {
				break
			}
			j += n2
		}
		out = append(out, span{i, j})
		i = j
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// tokenSet returns the indices of the tokens lying inside any of spans.
func tokenSet(toks []span, spans []span) map[int]bool {
	set := map[int]bool{}
	for _, sp := range spans {
		lo := sort.Search(len(toks), func(i int) bool { return toks[i].e > sp.s })
		for i := lo; i < len(toks) && toks[i].s < sp.e; i++ {
			set[i] = true
		}
	}
	return set
}

func overlap(a, b map[int]bool) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n
}

// pair is a matched (prediction, gold) couple.
type pair struct{ p, g, ov int }

// matchByOverlap pairs predictions and gold items one to one, largest token
// overlap first; a pair needs at least one shared token.
func matchByOverlap(pred, gold []map[int]bool) []pair {
	var cands []pair
	for i, p := range pred {
		for j, g := range gold {
			if ov := overlap(p, g); ov > 0 {
				cands = append(cands, pair{i, j, ov})
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].ov > cands[b].ov })
	usedP := map[int]bool{}
	usedG := map[int]bool{}
	var out []pair
	for _, c := range cands {
		if usedP[c.p] || usedG[c.g] {
			continue
		}
		usedP[c.p], usedG[c.g] = true, true
		out = append(out, c)
	}
	return out
}

// prf accumulates soft precision/recall.
type prf struct {
	pSum, rSum   float64
	nPred, nGold int
}

func (m prf) P() float64 {
	if m.nPred == 0 {
		return 0
	}
	return m.pSum / float64(m.nPred)
}

func (m prf) R() float64 {
	if m.nGold == 0 {
		return 0
	}
	return m.rSum / float64(m.nGold)
}

func (m prf) F() float64 {
	p, r := m.P(), m.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (m *prf) merge(o prf) {
	m.pSum += o.pSum
	m.rSum += o.rSum
	m.nPred += o.nPred
	m.nGold += o.nGold
}

// speakerTokens are the normalized words of a speaker string.
func speakerTokens(s string) []string {
	var out []string
	for _, sp := range wordTokens(s) {
		w := arabic.Normalize(s[sp.s:sp.e])
		w = strings.ToLower(w)
		out = append(out, w)
	}
	return out
}

// speakerF1 is the token F1 of two speaker strings; Arabic words are
// compared without the article so that "الوزير" and "وزير" agree.
func speakerF1(pred, gold string) float64 {
	p, g := speakerTokens(pred), speakerTokens(gold)
	if len(p) == 0 || len(g) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, w := range g {
		count[stripArticle(w)]++
	}
	common := 0
	for _, w := range p {
		if count[stripArticle(w)] > 0 {
			count[stripArticle(w)]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	pr := float64(common) / float64(len(p))
	rc := float64(common) / float64(len(g))
	return 2 * pr * rc / (pr + rc)
}

func stripArticle(w string) string {
	for _, p := range []string{"وال", "ال"} {
		if strings.HasPrefix(w, p) && utf8.RuneCountInString(w) > utf8.RuneCountInString(p)+2 {
			return w[len(p):]
		}
	}
	return w
}
