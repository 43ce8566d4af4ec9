package arabic

import (
	"unicode/utf8"

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

// rootish appends to dst the root-ish form of a stem (a normalized,
// stemmed Arabic word), reduced toward three or four consonants: the
// istaf'ala/infa'ala prefixes, one verb or participle prefix, weak letters
// and hamza after the first letter (كاتب، مكتوب، تسجيل، أخطاء → كتب، كتب،
// سجل، خط) and a final ه. Callers skip protected names.
func rootish(dst []byte, stem []byte) []byte {
	var buf [32]rune
	r := buf[:0]
	for _, c := range string(stem) {
		if len(r) == len(buf) {
			return append(dst, stem...)
		}
		r = append(r, c)
	}
	switch {
	case len(r) >= 6 && hasPrefix(r, 'ا', 'س', 'ت'):
		r = r[3:]
	case len(r) >= 5 && hasPrefix(r, 'س', 'ت'):
		r = r[2:]
	case len(r) >= 5 && hasPrefix(r, 'ا', 'ن'):
		r = r[2:]
	}
	if len(r) >= 4 {
		switch r[0] {
		case 'ي', 'ت', 'ن', 'ا', 'م', 'ء':
			r = r[1:]
		}
	}
	if len(r) < 3 {
		for _, c := range r {
			dst = utf8.AppendRune(dst, c)
		}
		return dst
	}
	weak := func(i int, c rune) bool {
		return c == 'ا' || c == 'و' || c == 'ي' || c == 'ء' || (c == heh && i == len(r)-1)
	}
	kept := 1
	for i, c := range r[1:] {
		if !weak(i+1, c) {
			kept++
		}
	}
	dst = utf8.AppendRune(dst, r[0])
	for i, c := range r[1:] {
		if kept < 2 || !weak(i+1, c) {
			dst = utf8.AppendRune(dst, c)
		}
	}
	return dst
}

// RootFilter replaces each stemmed Arabic word by its root-ish form.
type RootFilter struct{}

// Filter implements analysis.TokenFilter.
func (RootFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if len(tok.Term) < 6 || !isArabicWord(string(tok.Term[:2])) || IsProtected(string(tok.Term)) {
			continue
		}
		tok.Term = rootish(make([]byte, 0, len(tok.Term)), tok.Term)
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
