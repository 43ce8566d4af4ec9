package alert

import (
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/search"
)

// The text language is /api/search's (search.ParseText, search.TextQuery):
// every clause must match in some text field of the document's language,
// each field analyzed with its own analyzer. Subscriptions refuse the
// syntax whose matches the batch prefilter cannot foresee (see Validate).

// textQuery is the subscription's text as a query; nil means it cannot
// match anything (only stop words).
func textQuery(m mapping.IndexMapping, text, lang string) query.Query {
	q, err := search.TextQuery(m, indexer.TextFields, text, lang)
	if err != nil {
		return nil // Validate refused such text before it was stored
	}
	return q
}

// parseText is search.ParseText for text Validate has already accepted.
func parseText(q string) []search.Clause {
	cs, _ := search.ParseText(q)
	return cs
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
