// Package english holds Mirsad's English analyzers, registered with bleve in
// init under AnalyzerName and ExactAnalyzerName. They share the tokenizer
// and normalizer of package arabic, so Arabic words quoted in English text
// are normalized and stemmed as in Arabic text.
package english

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/go-porterstemmer"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// Names under which this package registers with bleve's registry.
const (
	// AnalyzerName is the stemmed English analyzer: Unicode lower-casing,
	// possessives, stop words, accent folding (kalın and kalin meet), Porter.
	AnalyzerName = "mirsad_en"
	// ExactAnalyzerName keeps the lower-cased form (kalın stays kalın) for
	// the exact-form field.
	ExactAnalyzerName = "mirsad_en_exact"

	PossessiveFilterName = "mirsad_en_possessive"
	StopFilterName       = "mirsad_en_stop"
	FoldFilterName       = "mirsad_en_fold"
	StemFilterName       = "mirsad_en_stem"
)

var stopWords = func() map[string]struct{} {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err)
	}
	m := make(map[string]struct{}, len(tm))
	for w := range tm {
		m[w] = struct{}{}
	}
	return m
}()

// PossessiveFilter strips the possessive 's (any apostrophe) and the
// apostrophe of elisions like Kalın's; tokens are lower-cased already.
type PossessiveFilter struct{}

// Filter implements analysis.TokenFilter.
func (PossessiveFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		t := tok.Term
		if n := len(t); n > 2 && t[n-1] == 's' {
			r, size := utf8.DecodeLastRune(t[:n-1])
			if r == '\'' || r == '’' || r == 'ʼ' || r == '＇' {
				tok.Term = t[: n-1-size : n-1-size]
			}
		}
	}
	return input
}

// StopFilter drops English stop words.
type StopFilter struct{}

// Filter implements analysis.TokenFilter.
func (StopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if _, ok := stopWords[string(tok.Term)]; !ok {
			out = append(out, tok)
		}
	}
	return out
}

// Fold removes Latin diacritics after lower-casing: kalın → kalin,
// erdoğan → erdogan, sīsī → sisi. Arabic words are left to package arabic.
func Fold(s string) string { return arabic.FoldLatin(s) }

func fold(t []byte) []byte { return arabic.AppendFoldLatin(nil, t) }

// FoldFilter applies Fold to every token.
type FoldFilter struct{}

// Filter implements analysis.TokenFilter.
func (FoldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		tok.Term = fold(tok.Term)
		if len(tok.Term) > 0 { // a token of combining marks alone folds to nothing
			out = append(out, tok)
		}
	}
	return out
}

// StemFilter applies the Porter stemmer to Latin tokens and Mirsad's light
// stemmer to Arabic ones.
type StemFilter struct{}

// Filter implements analysis.TokenFilter.
func (StemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var arabicWords bool
	for _, tok := range input {
		if tok.KeyWord || tok.Type == analysis.Numeric || len(tok.Term) < 3 {
			continue
		}
		if c := tok.Term[0]; c >= 0xD8 && c <= 0xDB {
			arabicWords = true
			continue
		}
		if arabic.IsProtected(string(tok.Term)) {
			continue
		}
		stemmed := porterstemmer.StemWithoutLowerCasing([]rune(string(tok.Term)))
		tok.Term = []byte(string(stemmed))
	}
	if arabicWords {
		return arabic.StemFilter{}.Filter(input)
	}
	return input
}

// NewAnalyzer returns the stemmed English analyzer.
func NewAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer: arabic.NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{
			arabic.NormalizeFilter{}, PossessiveFilter{}, StopFilter{}, arabic.StopFilter{}, FoldFilter{}, StemFilter{},
		},
	}
}

// NewExactAnalyzer returns the unstemmed English analyzer.
func NewExactAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer: arabic.NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{
			arabic.NormalizeFilter{}, PossessiveFilter{}, StopFilter{}, arabic.StopFilter{},
		},
	}
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	filters := map[string]analysis.TokenFilter{
		PossessiveFilterName: PossessiveFilter{},
		StopFilterName:       StopFilter{},
		FoldFilterName:       FoldFilter{},
		StemFilterName:       StemFilter{},
	}
	for name, f := range filters {
		must(registry.RegisterTokenFilter(name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return f, nil
		}))
	}
	must(registry.RegisterAnalyzer(AnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewAnalyzer(), nil
	}))
	must(registry.RegisterAnalyzer(ExactAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewExactAnalyzer(), nil
	}))
}
