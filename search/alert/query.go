package alert

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
)

// The text language follows search/text.go (unexported there): a word or a
// "quoted phrase" (also «» and “”), a leading '-' excludes, every other
// clause must match in some text field of the document's language, each
// field analyzed with its own analyzer from indexer.TextFields. Scoring is
// left out: an alert only asks whether a document matches.

type clause struct {
	text    string
	phrase  bool
	exclude bool
}

var quotePair = map[rune]rune{'"': '"', '«': '»', '“': '”'}

// parseText splits q into clauses; an unbalanced quote closes at the end.
func parseText(q string) []clause {
	var out []clause
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		c := clause{}
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			c.exclude = true
			i++
		}
		if open, ok := quotePair[rs[i]]; ok {
			j := i + 1
			for j < len(rs) && rs[j] != open {
				j++
			}
			c.text, c.phrase = strings.TrimSpace(string(rs[i+1:min(j, len(rs))])), true
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			c.text = string(rs[i:j])
			i = j
		}
		if c.text != "" {
			out = append(out, c)
		}
	}
	return out
}

// textQuery is "in some language, every clause matches in some field of
// that language and no excluded clause does". nil means the text cannot
// match anything (only stop words).
func textQuery(m mapping.IndexMapping, text, lang string) query.Query {
	clauses := parseText(text)
	var perLang []query.Query
	for l, fields := range indexer.TextFields {
		if lang != "" && lang != l {
			continue
		}
		if q := langQuery(m, clauses, fields); q != nil {
			perLang = append(perLang, q)
		}
	}
	switch len(perLang) {
	case 0:
		return nil
	case 1:
		return perLang[0]
	}
	return bleve.NewDisjunctionQuery(perLang...)
}

func langQuery(m mapping.IndexMapping, clauses []clause, fields []indexer.TextField) query.Query {
	var must, mustNot []query.Query
	for _, c := range clauses {
		var alts []query.Query
		for _, f := range fields {
			if producesTokens(m, f.Analyzer, c.text) {
				alts = append(alts, fieldQuery(c, f))
			}
		}
		if len(alts) == 0 {
			continue // a stop word in this language is not required here
		}
		var d query.Query = alts[0]
		if len(alts) > 1 {
			d = bleve.NewDisjunctionQuery(alts...)
		}
		if c.exclude {
			mustNot = append(mustNot, d)
		} else {
			must = append(must, d)
		}
	}
	if len(must) == 0 {
		return nil
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b
}

func fieldQuery(c clause, f indexer.TextField) query.Query {
	if c.phrase {
		p := bleve.NewMatchPhraseQuery(c.text)
		p.SetField(f.Name)
		p.Analyzer = f.Analyzer
		return p
	}
	q := bleve.NewMatchQuery(c.text)
	q.SetField(f.Name)
	q.Analyzer = f.Analyzer
	q.SetOperator(query.MatchQueryOperatorAnd)
	return q
}

func producesTokens(m mapping.IndexMapping, analyzer, text string) bool {
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		return true
	}
	return len(a.Analyze([]byte(text))) > 0
}

// searchable reports whether text can match some document.
func (s *Service) searchable(text, lang string) bool {
	return textQuery(s.mapping, text, lang) != nil
}
