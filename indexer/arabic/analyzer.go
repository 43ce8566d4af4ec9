package arabic

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which this package registers with bleve's registry.
const (
	// AnalyzerName is the stemmed Arabic analyzer: tokenize, normalize,
	// drop stop words, stem.
	AnalyzerName = "mirsad_ar"
	// ExactAnalyzerName is the same without stemming, for the exact-form
	// field that ranks exact matches above stem matches.
	ExactAnalyzerName = "mirsad_ar_exact"

	NormalizeFilterName = "mirsad_ar_normalize"
	StopFilterName      = "mirsad_ar_stop"
	StemFilterName      = "mirsad_ar_stem"
)

// stopWords are Lucene's Arabic stop words (Savoy) plus a few frequent
// function words of news text, normalized like the text before comparison
// so that spellings such as فى and إلى are caught.
var stopWords = func() map[string]struct{} {
	list := `من ومن منها منه في وفي فيها فيه و ف ثم او أو ب بها به ا أ اى اي أي أى لا ولا الا ألا إلا لكن
ما وما كما فما عن مع اذا إذا ان أن إن انها أنها إنها انه أنه إنه بان بأن فان فأن وان وأن وإن التى التي
الذى الذي الذين الى الي إلى إلي على عليها عليه اما أما إما ايضا أيضا كل وكل لم ولم لن ولن هى هي هو وهى
وهي وهو فهى فهي فهو انت أنت لك لها له هذه هذا تلك ذلك هناك كانت كان يكون تكون وكانت وكان غير بعض قد نحو
بين بينما منذ ضمن حيث الان الآن خلال بعد قبل حتى عند عندما لدى جميع وقد فقد لقد اللذين اللتين اللواتي
وذلك كذلك وهذا وهذه إذ فى ل لي ك ماذا لماذا متى كيف أين هل كم لدي لديه لديها لديهم`
	m := map[string]struct{}{}
	for _, w := range strings.Fields(list) {
		m[Normalize(w)] = struct{}{}
	}
	return m
}()

// IsStopWord reports whether the normalized word w is dropped by the stop
// filter.
func IsStopWord(w string) bool {
	_, ok := stopWords[w]
	return ok
}

// NormalizeFilter applies NormalizeToken to every token and drops tokens
// that normalize to nothing (a lone tatweel or haraka).
type NormalizeFilter struct{}

// Filter implements analysis.TokenFilter.
func (NormalizeFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if needsNormalizing(tok.Term) {
			tok.Term = appendNormalized(make([]byte, 0, len(tok.Term)), tok.Term, true)
		}
		if len(tok.Term) > 0 {
			out = append(out, tok)
		}
	}
	return out
}

// needsNormalizing is a fast check that lets already-normal tokens (plain
// lower-case ASCII, bare Arabic letters) through without a copy.
func needsNormalizing(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
		case (c == 0xD8 || c == 0xD9) && i+1 < len(b):
			r := rune(c&0x1F)<<6 | rune(b[i+1]&0x3F)
			if r < 0x0621 || r > 0x064A || foldRune(r) != r {
				return true
			}
			i += 2
		default:
			return true
		}
	}
	return false
}

// StopFilter drops Arabic stop words, also when a conjunction و/ف is
// attached (وهو، فإن).
type StopFilter struct{}

// Filter implements analysis.TokenFilter.
func (StopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if isStop(tok.Term) {
			continue
		}
		out = append(out, tok)
	}
	return out
}

func isStop(t []byte) bool {
	if _, ok := stopWords[string(t)]; ok {
		return true
	}
	// و (D9 88) and ف (D9 81) as a leading conjunction.
	if len(t) > 4 && t[0] == 0xD9 && (t[1] == 0x88 || t[1] == 0x81) {
		_, ok := stopWords[string(t[2:])]
		return ok
	}
	return false
}

// StemFilter replaces each Arabic token by its stem. When a leading letter
// may be a clitic or part of the word it adds the second reading at the same
// position, so both وزير→زير and الوزير→وزير meet.
type StemFilter struct{}

// Filter implements analysis.TokenFilter.
func (StemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range input {
		if tok.KeyWord || len(tok.Term) < 4 || !isArabicWord(string(tok.Term[:2])) {
			// Latin names inside Arabic text meet however they are
			// accented (Kalın, Kalin).
			if !tok.KeyWord && len(tok.Term) > 0 {
				tok.Term = AppendFoldLatin(nil, tok.Term)
				if len(tok.Term) == 0 { // only combining marks
					if out == nil {
						out = make(analysis.TokenStream, i, len(input))
						copy(out, input[:i])
					}
					continue
				}
			}
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		s, alt := stems(string(tok.Term))
		// A stop word with a clitic attached (بأنها، لديهم) shows only
		// once its clitics are off.
		if _, ok := stopWords[alt]; ok {
			alt = ""
		}
		if _, ok := stopWords[s]; ok {
			s, alt = alt, ""
		}
		if s == "" {
			if out == nil {
				out = make(analysis.TokenStream, i, len(input))
				copy(out, input[:i])
			}
			continue
		}
		if s != string(tok.Term) {
			tok.Term = []byte(s)
		}
		if alt == "" {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+len(input)/4)
			copy(out, input[:i])
		}
		out = append(out, tok, &analysis.Token{
			Term: []byte(alt), Start: tok.Start, End: tok.End,
			Position: tok.Position, Type: tok.Type,
		})
	}
	if out == nil {
		return input
	}
	return out
}

// NewAnalyzer returns the stemmed Arabic analyzer (what AnalyzerName
// resolves to).
func NewAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}, StemFilter{}},
	}
}

// NewExactAnalyzer returns the unstemmed Arabic analyzer (what
// ExactAnalyzerName resolves to).
func NewExactAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{
		Tokenizer:    NewTokenizer(),
		TokenFilters: []analysis.TokenFilter{NormalizeFilter{}, StopFilter{}},
	}
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenFilter(NormalizeFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return NormalizeFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(StopFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return StopFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(StemFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return StemFilter{}, nil
	}))
	must(registry.RegisterAnalyzer(AnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewAnalyzer(), nil
	}))
	must(registry.RegisterAnalyzer(ExactAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return NewExactAnalyzer(), nil
	}))
}
