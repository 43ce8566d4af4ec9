package arabic

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Query-side analyzers: the same chains as the index-side ones plus a stop
// list of question words. A researcher's query is often a question (ما هو
// عدد ...؟ من الذي ...؟); its question words say what is asked, not what a
// matching sentence contains, so they are dropped from the query only. The
// index side keeps them: a sentence containing عدد or اسم is about them.
const (
	QueryAnalyzerName      = "mirsad_ar_query"
	ExactQueryAnalyzerName = "mirsad_ar_exact_query"
	NgramQueryAnalyzerName = "mirsad_ar_ngram_query"
	QuestionFilterName     = "mirsad_ar_question_stop"
)

// questionWords are words that frame a question rather than name its
// subject, normalized like the text. The particles themselves (ما من متى
// كيف ...) are already in the general stop list.
var questionWords = func() map[string]struct{} {
	list := `ما ماذا بماذا لماذا من متى أين كيف كم هل أي أية أيه ماهو ماهي ماسم هو هي هما هم الذي التي
الذين عدد نوع نوعا اسم الاسم تم يتم تسمى يسمى يطلق اذكر أذكر أعط اعط الشيء شيء ماالذي`
	m := map[string]struct{}{}
	for _, w := range strings.Fields(list) {
		m[Normalize(w)] = struct{}{}
	}
	return m
}()

// QuestionFilter drops question words (after normalization).
type QuestionFilter struct{}

// Filter implements analysis.TokenFilter.
func (QuestionFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if _, ok := questionWords[string(tok.Term)]; ok {
			continue
		}
		out = append(out, tok)
	}
	return out
}

// NewQueryAnalyzer returns the query-side stemmed analyzer.
func NewQueryAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, QuestionFilter{}, StemFilter{}},
	}
}

// NewExactQueryAnalyzer returns the query-side exact-form analyzer.
func NewExactQueryAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, QuestionFilter{}},
	}
}

// NewNgramQueryAnalyzer returns the query-side n-gram analyzer.
func NewNgramQueryAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, QuestionFilter{}, ProcliticFilter{}, NgramFilter{Min: 3, Max: 4}},
	}
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenFilter(QuestionFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return QuestionFilter{}, nil
	}))
	for name, fn := range map[string]func() analysis.Analyzer{
		QueryAnalyzerName:      NewQueryAnalyzer,
		ExactQueryAnalyzerName: NewExactQueryAnalyzer,
		NgramQueryAnalyzerName: NewNgramQueryAnalyzer,
	} {
		must(registry.RegisterAnalyzer(name, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
			return fn(), nil
		}))
	}
}
