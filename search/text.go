package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
)

// clause is one part of a user's text query: a word, or a "quoted phrase";
// a leading '-' excludes it.
type clause struct {
	text    string
	phrase  bool
	exclude bool
}

// parseText splits q into clauses. Unbalanced quotes close at the end:
// a researcher's typo should narrow a search, not fail it.
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
			c.text, c.phrase = strings.TrimSpace(string(rs[i+1:j])), true
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

// quotePair maps an opening quote to its closing one; Arabic text uses «».
var quotePair = map[rune]rune{'"': '"', '«': '»', '“': '”'}

// textQuery builds, for each language, "every clause matches in some
// field of that language" (words may fall in the title or the body, each
// field analyzed with its own analyzer), and ORs the languages. A clause
// that is a stop word in a language is not required there, so "the CMCC"
// and "في القاهرة" still find their documents. Phrase matches rank above
// scattered words.
//
// With an expander, a clause that names an entity ("Kalin", "القاهرة") also
// matches articles that mention that entity in any script, and so does the
// whole query when it is one name ("Ibrahim Kalin").
func textQuery(m mapping.IndexMapping, table map[string][]indexer.TextField, text, lang string, expand expander) query.Query {
	clauses := parseText(text)
	var perLang []query.Query
	for l, fields := range table {
		if lang != "" && lang != l {
			continue
		}
		if q := langQuery(m, clauses, fields, text, expand); q != nil {
			perLang = append(perLang, q)
		}
	}
	if expand != nil && len(clauses) > 1 {
		if ids := expand(stripSyntax(text)); len(ids) > 0 {
			perLang = append(perLang, entityQuery(ids))
		}
	}
	if len(perLang) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	return bleve.NewDisjunctionQuery(perLang...)
}

// expander resolves a name to entity ids.
type expander func(string) []string

// entityBoost keeps an entity match below a match of the words themselves.
const entityBoost = 0.5

func entityQuery(ids []string) query.Query {
	var qs []query.Query
	for _, id := range ids {
		t := bleve.NewTermQuery(id)
		t.SetField(indexer.FieldEntities)
		t.SetBoost(entityBoost)
		qs = append(qs, t)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func langQuery(m mapping.IndexMapping, clauses []clause, fields []indexer.TextField, text string, expand expander) query.Query {
	var must, mustNot, should []query.Query
	for _, c := range clauses {
		var alts []query.Query
		for _, f := range fields {
			if producesTokens(m, f.Analyzer, c.text) {
				alts = append(alts, fieldQuery(c, f, f.Boost))
			}
		}
		if expand != nil && !c.exclude && len(alts) > 0 {
			if ids := expand(c.text); len(ids) > 0 {
				alts = append(alts, entityQuery(ids))
			}
		}
		if len(alts) == 0 {
			continue
		}
		d := bleve.NewDisjunctionQuery(alts...)
		if c.exclude {
			mustNot = append(mustNot, d)
		} else {
			must = append(must, d)
		}
	}
	if len(must) == 0 {
		return nil
	}
	if len(must) > 1 {
		whole := clause{text: stripSyntax(text), phrase: true}
		for _, f := range fields {
			should = append(should, fieldQuery(whole, f, f.Boost*2))
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	if len(should) > 0 {
		b.AddShould(should...)
		b.Should.(*query.DisjunctionQuery).Min = 0
	}
	return b
}

func fieldQuery(c clause, f indexer.TextField, boost float64) query.Query {
	if c.phrase {
		p := bleve.NewMatchPhraseQuery(c.text)
		p.SetField(f.Name)
		p.Analyzer = f.Analyzer
		p.SetBoost(boost)
		return p
	}
	q := bleve.NewMatchQuery(c.text)
	q.SetField(f.Name)
	q.Analyzer = f.Analyzer // the field's own analyzer, whatever the query's script
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(boost)
	return q
}

func stripSyntax(s string) string {
	return strings.Map(func(r rune) rune {
		if _, ok := quotePair[r]; ok || r == '»' || r == '”' {
			return ' '
		}
		return r
	}, s)
}

func producesTokens(m mapping.IndexMapping, analyzer, text string) bool {
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		return true
	}
	return len(a.Analyze([]byte(text))) > 0
}
