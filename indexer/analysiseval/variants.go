package analysiseval

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/english"
)

// Variant is one line of the variant set: a query form and a text form that
// must meet (Kind "match") or must stay apart (Kind "apart").
type Variant struct {
	Kind     string
	Category string
	Query    string
	Text     string
	Line     int
}

// LoadVariants reads a TSV file with the columns kind, category, query,
// text (and an optional note); lines starting with # are comments.
func LoadVariants(path string) ([]Variant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("analysiseval: %w", err)
	}
	defer f.Close()
	var out []Variant
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 4 {
			return nil, fmt.Errorf("analysiseval: %s:%d: want 4 tab-separated columns, got %d", path, n, len(cols))
		}
		v := Variant{Kind: cols[0], Category: cols[1], Query: cols[2], Text: cols[3], Line: n}
		if v.Kind != "match" && v.Kind != "apart" {
			return nil, fmt.Errorf("analysiseval: %s:%d: kind %q is neither match nor apart", path, n, v.Kind)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("analysiseval: %s: %w", path, err)
	}
	return out, nil
}

// VariantRow counts, for one kind and category, the pairs that met: for
// "match" rows that is recall (want all), for "apart" rows false merges
// (want none).
type VariantRow struct {
	Kind, Category string
	Pairs          int
	Mirsad, Stock  int
	// Extra counts pairs that meet on the proposed n-gram field or on the
	// two product fields: what the proposed scheme can retrieve (at a low
	// boost), not what it treats as the same word.
	Extra        int
	MirsadMisses []Variant // match pairs Mirsad missed, apart pairs it merged
}

// Meets reports whether a query meets a text under the two-field scheme:
// every query word finds one of its terms in the text, on the stemmed
// field or on the exact field.
func Meets(query, text string) (bool, error) {
	return newAnalyzers().meets(query, text)
}

func (as analyzers) meets(query, text string) (bool, error) {
	stem, exact := arabic.AnalyzerName, arabic.ExactAnalyzerName
	if arabic.Detect(query) == "en" {
		stem, exact = english.AnalyzerName, english.ExactAnalyzerName
	}
	ok, err := as.meetsWith(stem, query, text)
	if err != nil || ok {
		return ok, err
	}
	return as.meetsWith(exact, query, text)
}

func (as analyzers) stockMeets(query, text string) (bool, error) {
	name := ar.AnalyzerName
	if arabic.Detect(query) == "en" {
		name = en.AnalyzerName
	}
	return as.meetsWith(name, query, text)
}

// analyzers resolves analyzer names once per evaluation; a registry.Cache
// is not safe for concurrent use, so each evaluation has its own.
type analyzers struct{ cache *registry.Cache }

func newAnalyzers() analyzers { return analyzers{registry.NewCache()} }

func (as analyzers) analyze(name, text string) (analysis.TokenStream, error) {
	a, err := as.cache.AnalyzerNamed(name)
	if err != nil {
		return nil, fmt.Errorf("analysiseval: analyzer %s: %w", name, err)
	}
	return a.Analyze([]byte(text)), nil
}

func (as analyzers) meetsWith(analyzer, query, text string) (bool, error) {
	qt, err := as.analyze(analyzer, query)
	if err != nil {
		return false, err
	}
	tt, err := as.analyze(analyzer, text)
	if err != nil {
		return false, err
	}
	if len(qt) == 0 {
		return false, nil
	}
	terms := map[string]bool{}
	for _, t := range tt {
		terms[string(t.Term)] = true
	}
	found := map[int]bool{}
	for _, t := range qt {
		if terms[string(t.Term)] {
			found[t.Position] = true
		} else if _, seen := found[t.Position]; !seen {
			found[t.Position] = false
		}
	}
	for _, ok := range found {
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// EvalVariants runs every pair through Mirsad's two-field scheme and the
// stock analyzer and counts per kind and category.
func EvalVariants(vs []Variant) ([]VariantRow, error) {
	as := newAnalyzers()
	rows := map[[2]string]*VariantRow{}
	for _, v := range vs {
		k := [2]string{v.Kind, v.Category}
		row := rows[k]
		if row == nil {
			row = &VariantRow{Kind: v.Kind, Category: v.Category}
			rows[k] = row
		}
		row.Pairs++
		m, err := as.meets(v.Query, v.Text)
		if err != nil {
			return nil, err
		}
		s, err := as.stockMeets(v.Query, v.Text)
		if err != nil {
			return nil, err
		}
		if m {
			row.Mirsad++
		}
		x := m
		if !x && arabic.Detect(v.Query) == "ar" {
			if x, err = as.meetsWith(arabic.NgramAnalyzerName, v.Query, v.Text); err != nil {
				return nil, err
			}
		}
		if x {
			row.Extra++
		}
		if s {
			row.Stock++
		}
		if m != (v.Kind == "match") {
			row.MirsadMisses = append(row.MirsadMisses, v)
		}
	}
	out := make([]VariantRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind > out[j].Kind
		}
		return out[i].Category < out[j].Category
	})
	return out, nil
}
