package alert

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// A prefilter skips the search of a subscription whose required words do
// not all occur in the batch: most subscriptions name words that most
// batches lack, and a map lookup is far cheaper than a bleve search.
// It only ever says "maybe": the search decides.

// fieldNeed is satisfied when every group has a term in the field. A
// word's tokens are one group each (MatchQuery ANDs them all); a phrase's
// tokens are grouped by position, since MatchPhraseQuery accepts any of
// the terms an analyzer puts at one position.
type fieldNeed struct {
	field  string
	groups [][]string
}

// prefilter holds, per language, the required clauses; each clause is
// satisfied by any one of its fields.
type prefilter struct {
	langs [][][]fieldNeed
}

func newPrefilter(m mapping.IndexMapping, text, lang string) *prefilter {
	p := &prefilter{}
	clauses := parseText(text)
	for l, fields := range indexer.TextFields {
		if lang != "" && lang != l {
			continue
		}
		var need [][]fieldNeed
		for _, c := range clauses {
			if c.Exclude {
				continue
			}
			var alts []fieldNeed
			for _, f := range fields {
				a := m.AnalyzerNamed(f.Analyzer)
				if a == nil {
					return nil // cannot tell: no prefilter
				}
				toks := a.Analyze([]byte(c.Text))
				if len(toks) == 0 {
					continue
				}
				fn := fieldNeed{field: f.Name}
				at := map[int]int{} // position -> group, for phrases
				for _, t := range toks {
					if c.Phrase {
						if g, ok := at[t.Position]; ok {
							fn.groups[g] = append(fn.groups[g], string(t.Term))
							continue
						}
						at[t.Position] = len(fn.groups)
					}
					fn.groups = append(fn.groups, []string{string(t.Term)})
				}
				alts = append(alts, fn)
			}
			if len(alts) > 0 {
				need = append(need, alts)
			}
		}
		if len(need) > 0 {
			p.langs = append(p.langs, need)
		}
	}
	return p
}

// termSet is, per field, the terms a batch holds.
type termSet map[string]map[string]struct{}

// possible reports whether the batch may match.
func (p *prefilter) possible(ts termSet) bool {
	if p == nil || ts == nil {
		return true
	}
	for _, need := range p.langs {
		if allClauses(need, ts) {
			return true
		}
	}
	return false
}

func allClauses(need [][]fieldNeed, ts termSet) bool {
	for _, alts := range need {
		ok := false
		for _, fn := range alts {
			if hasGroups(ts[fn.field], fn.groups) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func hasGroups(set map[string]struct{}, groups [][]string) bool {
	for _, g := range groups {
		ok := false
		for _, t := range g {
			if _, ok = set[t]; ok {
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// dictTerms reads the text fields' dictionaries of a (small) index.
func dictTerms(idx bleve.Index) (termSet, error) {
	ts := termSet{}
	for _, fields := range indexer.TextFields {
		for _, f := range fields {
			d, err := idx.FieldDict(f.Name)
			if err != nil {
				return nil, err
			}
			set := map[string]struct{}{}
			for {
				e, err := d.Next()
				if err != nil {
					d.Close()
					return nil, err
				}
				if e == nil {
					break
				}
				set[e.Term] = struct{}{}
			}
			if err := d.Close(); err != nil {
				return nil, err
			}
			ts[f.Name] = set
		}
	}
	return ts, nil
}

// analyzeTerms analyzes docs the way the index does, for a batch that is
// not in an index of its own.
func analyzeTerms(m mapping.IndexMapping, docs []document.Article) termSet {
	ts := termSet{}
	for _, a := range docs {
		for name, v := range textDoc(a.Lang, a.Title, a.Body) {
			text, ok := v.(string)
			if !ok || name == indexer.FieldLang {
				continue
			}
			var an string
			for _, f := range indexer.TextFields[a.Lang] {
				if f.Name == name {
					an = f.Analyzer
				}
			}
			if an == "" {
				for _, f := range indexer.TextFields[document.LangEnglish] {
					if f.Name == name {
						an = f.Analyzer
					}
				}
			}
			analyzer := m.AnalyzerNamed(an)
			if analyzer == nil {
				return nil
			}
			set := ts[name]
			if set == nil {
				set = map[string]struct{}{}
				ts[name] = set
			}
			for _, t := range analyzer.Analyze([]byte(text)) {
				set[string(t.Term)] = struct{}{}
			}
		}
	}
	return ts
}
