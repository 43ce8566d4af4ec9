package arabic

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of the character n-gram field's parts.
const (
	// NgramAnalyzerName indexes the 3- and 4-letter n-grams of each
	// normalized, stemmed Arabic word. It is meant as a low-boost extra
	// field beside the stemmed and exact fields: n-grams let broken plurals
	// and derivations (أخطاء/خطأ، اعترض/الاعتراضات) share terms that no
	// light stemmer gives them, at the price of matching unrelated words
	// too, which the boost keeps small.
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
	out := make(analysis.TokenStream, 0, len(input)*4)
	var offs [64]int
	for _, tok := range input {
		if len(tok.Term) < 2 || !isArabicWord(string(tok.Term[:2])) {
			out = append(out, tok)
			continue
		}
		n := utf8.RuneCount(tok.Term)
		if n <= f.Min || n >= len(offs) {
			// Short words are their own n-gram; a run longer than any
			// Arabic word is kept whole rather than cut into noise.
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
				out = append(out, &analysis.Token{
					Term:     tok.Term[offs[i]:offs[i+size]:offs[i+size]],
					Start:    tok.Start,
					End:      tok.End,
					Position: tok.Position,
					Type:     tok.Type,
				})
			}
		}
	}
	return out
}

// NewNgramAnalyzer returns the n-gram analyzer (what NgramAnalyzerName
// resolves to): the stemmed analyzer's chain followed by 3- and 4-grams.
func NewNgramAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, StemFilter{}, NgramFilter{Min: 3, Max: 4}},
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
