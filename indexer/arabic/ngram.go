package arabic

import (
	"fmt"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of the character n-gram field's parts.
const (
	// NgramAnalyzerName indexes the 3- and 4-letter n-grams of each
	// normalized Arabic word with its article and the clitics before it
	// stripped (ProcliticFilter). It is meant as a low-boost extra field
	// beside the stemmed and exact fields: n-grams let broken plurals and
	// derivations (أخطاء/خطأ، اعترض/الاعتراضات) share terms that no light
	// stemmer gives them, at the price of matching unrelated words too,
	// which the boost keeps small. It does not run the stemmer: n-grams
	// absorb suffixes anyway, and the stemmer is the costliest filter.
	NgramAnalyzerName = "mirsad_ar_ngram"
	NgramFilterName   = "mirsad_ar_ngram"
)

// NgramFilter replaces each Arabic word of at least Min letters by its
// n-grams of Min..Max letters; shorter Arabic words, and words in other
// scripts or digits, pass whole, since an n-gram of 2025 or of a Latin
// name would only add noise.
type NgramFilter struct {
	Min, Max int
}

// Filter implements analysis.TokenFilter.
func (f NgramFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	// Count first so that all n-gram tokens come from one allocation:
	// allocating each one was most of the filter's cost.
	cuts := make([]int32, len(input))
	total, grams := 0, 0
	for i, tok := range input {
		n := f.cut(tok.Term)
		cuts[i] = int32(n)
		c := f.count(n)
		total += c
		if n > 0 {
			grams += c
		}
	}
	out := make(analysis.TokenStream, 0, total)
	slab := make([]analysis.Token, grams)
	var offs [64]int
	for i, tok := range input {
		n := int(cuts[i])
		if n == 0 {
			out = append(out, tok)
			continue
		}
		// Rune start offsets plus the end, on the stack.
		k := 0
		for i := range string(tok.Term) {
			offs[k] = i
			k++
		}
		offs[n] = len(tok.Term)
		for size := f.Min; size <= f.Max && size <= n; size++ {
			for i := 0; i+size <= n; i++ {
				g := &slab[0]
				slab = slab[1:]
				*g = analysis.Token{
					Term:     tok.Term[offs[i]:offs[i+size]:offs[i+size]],
					Start:    tok.Start,
					End:      tok.End,
					Position: tok.Position,
					Type:     tok.Type,
				}
				out = append(out, g)
			}
		}
	}
	return out
}

// cut returns the number of letters of a term that is cut into n-grams, or
// 0 for a term that passes whole: not Arabic, short words (their own
// n-gram), and runs longer than any Arabic word (noise if cut).
func (f NgramFilter) cut(term []byte) int {
	if len(term) < 2 || term[0] < 0xD8 || term[0] > 0xDB { // not U+0600–U+06FF
		return 0
	}
	n := utf8.RuneCount(term)
	if n <= f.Min || n >= 64 {
		return 0
	}
	return n
}

// count returns how many tokens the filter makes of a term of which cut
// returned n.
func (f NgramFilter) count(n int) int {
	if n == 0 {
		return 1
	}
	c := 0
	for size := f.Min; size <= f.Max && size <= n; size++ {
		c += n - size + 1
	}
	return c
}

// NewNgramAnalyzer returns the n-gram analyzer (what NgramAnalyzerName
// resolves to): normalize, drop stop words, strip proclitics, cut 3- and
// 4-grams.
func NewNgramAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, ProcliticFilter{}, NgramFilter{Min: 3, Max: 4}},
	}
}

func init() {
	if err := registry.RegisterTokenFilter(NgramFilterName, func(config map[string]interface{}, _ *registry.Cache) (analysis.TokenFilter, error) {
		f := NgramFilter{Min: 3, Max: 4}
		if v, ok := config["min"].(float64); ok {
			f.Min = int(v)
		}
		if v, ok := config["max"].(float64); ok {
			f.Max = int(v)
		}
		if f.Min < 1 || f.Max < f.Min {
			return nil, fmt.Errorf("arabic: n-gram sizes min %d max %d: want 1 <= min <= max", f.Min, f.Max)
		}
		return f, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(NgramAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewNgramAnalyzer(), nil
	}); err != nil {
		panic(err)
	}
}

// Normalized proclitic letters as UTF-8 (all two bytes).
var (
	bAlef = []byte("ا")
	bLam  = []byte("ل")
	bWaw  = []byte("و")
	bFeh  = []byte("ف")
	bBeh  = []byte("ب")
	bKaf  = []byte("ك")
)

// ProcliticFilter strips the article and the clitics stacked before it
// (ال، وال، فال، بال، كال، لل، وبال، ولل ...) from normalized Arabic words,
// leaving at least two letters. It is a cheap stand-in for the stemmer in
// the n-gram field: n-grams already absorb suffixes, and an article left
// on would make "ال"-grams that match every other word.
type ProcliticFilter struct{}

// Filter implements analysis.TokenFilter.
func (ProcliticFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = stripProclitics(tok.Term)
	}
	return input
}

func stripProclitics(t []byte) []byte {
	at := func(b []byte, i int, l []byte) bool { return len(b) >= i+2 && b[i] == l[0] && b[i+1] == l[1] }
	o := 0
	if at(t, 0, bWaw) || at(t, 0, bFeh) {
		o = 2
	}
	switch {
	case at(t, o, bAlef) && at(t, o+2, bLam):
		o += 4
	case at(t, o, bLam) && at(t, o+2, bLam):
		if IsProtected(string(t[o+2:])) {
			return t[o+2:] // ل + لبنان, not لل + بنان
		}
		o += 4
	case (at(t, o, bBeh) || at(t, o, bKaf)) && at(t, o+2, bAlef) && at(t, o+4, bLam):
		o += 6
	default:
		return t // a lone و or ف may be the word's own letter
	}
	if len(t)-o < 4 {
		return t
	}
	return t[o:]
}
