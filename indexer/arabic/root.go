package arabic

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names of the root-ish field's parts.
const (
	// RootAnalyzerName reduces each stemmed Arabic word further toward its
	// root (verb prefixes, the participle and verbal-noun prefixes, long
	// vowels inside the word). Far too aggressive on its own, it is meant
	// only as a low-boost extra field, where it lets a verb meet its verbal
	// noun (اعترض/اعتراض، سجل/تسجيل).
	RootAnalyzerName = "mirsad_ar_root"
	RootFilterName   = "mirsad_ar_root"
)

// rootish reduces a stem (runes of a normalized, stemmed word) toward
// three or four consonants. Protected names never reach it whole: the
// filter passes them unchanged.
func rootish(r []rune) []rune {
	// است/ست (istaf'ala) and ان/ا + ت (ifta'ala, infa'ala) before the rest.
	switch {
	case len(r) >= 6 && hasPrefix(r, 'ا', 'س', 'ت'):
		r = r[3:]
	case len(r) >= 5 && hasPrefix(r, 'س', 'ت'):
		r = r[2:]
	case len(r) >= 5 && hasPrefix(r, 'ا', 'ن'):
		r = r[2:]
	}
	// One verb or participle prefix.
	if len(r) >= 4 {
		switch r[0] {
		case 'ي', 'ت', 'ن', 'ا', 'م', 'ء':
			r = r[1:]
		}
	}
	// Weak letters and hamza after the first letter (كاتب، مكتوب، تسجيل،
	// أخطاء → كتب، كتب، سجل، خط) and a final ه (the feminine ending the
	// stemmer left).
	if len(r) >= 3 {
		out := make([]rune, 1, len(r))
		out[0] = r[0]
		for i, c := range r[1:] {
			if c == 'ا' || c == 'و' || c == 'ي' || c == 'ء' || (c == heh && i == len(r)-2) {
				continue
			}
			out = append(out, c)
		}
		if len(out) >= 2 {
			r = out
		}
	}
	return r
}

// RootFilter replaces each stemmed Arabic word by its root-ish form.
type RootFilter struct{}

// Filter implements analysis.TokenFilter.
func (RootFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if len(tok.Term) < 6 || !isArabicWord(string(tok.Term[:2])) || IsProtected(string(tok.Term)) {
			continue
		}
		tok.Term = []byte(string(rootish([]rune(string(tok.Term)))))
	}
	return input
}

// NewRootAnalyzer returns the root-ish analyzer (what RootAnalyzerName
// resolves to).
func NewRootAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, StemFilter{}, RootFilter{}},
	}
}

func init() {
	if err := registry.RegisterTokenFilter(RootFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return RootFilter{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(RootAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewRootAnalyzer(), nil
	}); err != nil {
		panic(err)
	}
}
