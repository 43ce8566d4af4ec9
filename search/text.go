package search

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
)

// Clause is one part of a user's text query: a word, or a "quoted phrase";
// a leading '-' excludes it. Words may carry a bounded subset of bleve's
// query-string syntax: title:/body: to pick the field, word~N (N <= 2),
// prefix*, /regexp/ with a literal start, and word^boost.
type Clause struct {
	Text    string
	Phrase  bool
	Exclude bool
	Field   string // "", "title" or "body"
	Fuzzy   int
	Prefix  bool
	Regexp  bool
	Boost   float64
}

// Limits on the query syntax: each bounds how many index terms one query
// may expand to, so no request can make a search cost the whole server.
const (
	maxClauses     = 32
	maxFuzziness   = 2
	minPrefix      = 2
	maxRegexp      = 50
	minRegexpStart = 2
	maxBoost       = 10
)

// ParseText splits q into clauses. Unbalanced quotes close at the end:
// a researcher's typo should narrow a search, not fail it. Syntax beyond
// the bounds is an error that says what to do instead.
func ParseText(q string) ([]Clause, error) {
	var out []Clause
	rs := []rune(q)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		c := Clause{}
		switch {
		case rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			c.Exclude = true
			i++
		case rs[i] == '+' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]):
			i++ // every word is required already
		}
		if f, rest, ok := fieldPrefix(rs[i:]); ok {
			c.Field = f
			i += len(rs[i:]) - len(rest)
		}
		if i >= len(rs) {
			break
		}
		if open, ok := quotePair[rs[i]]; ok {
			j := i + 1
			for j < len(rs) && rs[j] != open {
				j++
			}
			c.Text, c.Phrase = strings.TrimSpace(string(rs[i+1:min(j, len(rs))])), true
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				j++
			}
			c.Text = string(rs[i:j])
			i = j
			if err := c.syntax(); err != nil {
				return nil, err
			}
		}
		if c.Text != "" {
			out = append(out, c)
		}
		if len(out) > maxClauses {
			return nil, badf("q has more than %d words or phrases; split the search", maxClauses)
		}
	}
	return out, nil
}

// fieldPrefix recognizes title: and body: (a colon elsewhere, as in a URL
// or a time, stays part of the word).
func fieldPrefix(rs []rune) (string, []rune, bool) {
	for _, f := range []string{"title", "body"} {
		p := []rune(f + ":")
		if len(rs) > len(p) && strings.EqualFold(string(rs[:len(p)]), string(p)) {
			return f, rs[len(p):], true
		}
	}
	return "", rs, false
}

// syntax reads the operators at the end (and start) of a word.
func (c *Clause) syntax() error {
	t := c.Text
	if b, rest, ok := cutSuffixNumber(t, "^"); ok {
		if b <= 0 || b > maxBoost {
			return badf("%q: boost must be above 0 and at most %d", c.Text, maxBoost)
		}
		c.Boost, t = b, rest
	}
	if len(t) > 2 && t[0] == '/' && t[len(t)-1] == '/' {
		re := t[1 : len(t)-1]
		lit := 0
		for _, r := range re {
			if strings.ContainsRune(`.*+?()[]{}|\^$`, r) {
				break
			}
			lit++
		}
		switch {
		case utf8.RuneCountInString(re) > maxRegexp:
			return badf("%q: regular expressions are limited to %d characters", c.Text, maxRegexp)
		case lit < minRegexpStart:
			return badf("%q: a regular expression must start with at least %d plain letters", c.Text, minRegexpStart)
		}
		c.Text, c.Regexp = re, true
		return nil
	}
	if strings.HasPrefix(t, "*") || strings.HasPrefix(t, "?") {
		return badf("%q: leading wildcards are not allowed; put at least %d letters before *", c.Text, minPrefix)
	}
	if n, rest, ok := cutSuffixNumber(t, "~"); ok {
		if n != float64(int(n)) || n < 0 || n > maxFuzziness {
			return badf("%q: fuzziness must be 0, 1 or %d", c.Text, maxFuzziness)
		}
		c.Fuzzy, t = int(n), rest
	} else if strings.HasSuffix(t, "~") && len(t) > 1 {
		c.Fuzzy, t = 1, strings.TrimSuffix(t, "~")
	}
	if strings.HasSuffix(t, "*") {
		t = strings.TrimSuffix(t, "*")
		if strings.ContainsAny(t, "*?") {
			return badf("%q: only a trailing * is allowed", c.Text)
		}
		if utf8.RuneCountInString(t) < minPrefix {
			return badf("%q: put at least %d letters before *", c.Text, minPrefix)
		}
		c.Prefix = true
	} else if strings.ContainsAny(t, "*?") && utf8.RuneCountInString(t) > 1 {
		return badf("%q: only a trailing * is allowed", c.Text)
	}
	c.Text = t
	return nil
}

// cutSuffixNumber splits "word~2" into 2 and "word".
func cutSuffixNumber(s, op string) (float64, string, bool) {
	i := strings.LastIndex(s, op)
	if i <= 0 || i == len(s)-1 {
		return 0, s, false
	}
	n, err := strconv.ParseFloat(s[i+1:], 64)
	if err != nil {
		return 0, s, false
	}
	return n, s[:i], true
}

// quotePair maps an opening quote to its closing one; Arabic text uses «».
var quotePair = map[rune]rune{'"': '"', '«': '»', '“': '”'}

// textQuery builds, for each language, "every Clause matches in some
// field of that language" (words may fall in the title or the body, each
// field analyzed with its own analyzer), and ORs the languages. A Clause
// that is a stop word in a language is not required there, so "the CMCC"
// and "في القاهرة" still find their documents. Phrase matches rank above
// scattered words.
//
// With an expander, a Clause that names an entity ("Kalin", "القاهرة") also
// matches articles that mention that entity in any script, and so does the
// whole query when it is one name ("Ibrahim Kalin").
func textQuery(m mapping.IndexMapping, table map[string][]indexer.TextField, text, lang string, expand expander) (query.Query, error) {
	clauses, err := ParseText(text)
	if err != nil {
		return nil, err
	}
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
		return bleve.NewMatchNoneQuery(), nil
	}
	return bleve.NewDisjunctionQuery(perLang...), nil
}

// TextQuery is what the text of an /api/search query becomes, without
// entity expansion: alert subscriptions match new batches with the very
// same rules. It is nil when no word of text can match (only stop words).
func TextQuery(m mapping.IndexMapping, table map[string][]indexer.TextField, text, lang string) (query.Query, error) {
	q, err := textQuery(m, table, text, lang, nil)
	if _, none := q.(*query.MatchNoneQuery); none {
		return nil, err
	}
	return q, err
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

func langQuery(m mapping.IndexMapping, clauses []Clause, fields []indexer.TextField, text string, expand expander) query.Query {
	var must, mustNot, should []query.Query
	for _, c := range clauses {
		var alts []query.Query
		for _, f := range fields {
			if q := fieldQuery(m, c, f, f.Boost); q != nil {
				alts = append(alts, q)
			}
		}
		if expand != nil && !c.Exclude && len(alts) > 0 && !c.Prefix && !c.Regexp && c.Fuzzy == 0 && c.Field == "" {
			if ids := expand(c.Text); len(ids) > 0 {
				alts = append(alts, entityQuery(ids))
			}
		}
		if len(alts) == 0 {
			continue
		}
		d := bleve.NewDisjunctionQuery(alts...)
		if c.Exclude {
			mustNot = append(mustNot, d)
		} else {
			must = append(must, d)
		}
	}
	if len(must) == 0 {
		return nil
	}
	if len(must) > 1 {
		whole := Clause{Text: stripSyntax(text), Phrase: true}
		for _, f := range fields {
			if q := fieldQuery(m, whole, f, f.Boost*2); q != nil {
				should = append(should, q)
			}
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

// fieldQuery is one Clause against one field, or nil when the Clause
// cannot match there (a stop word, another field, a prefix on a stemmed
// field).
func fieldQuery(m mapping.IndexMapping, c Clause, f indexer.TextField, boost float64) query.Query {
	if c.Field != "" && !strings.HasPrefix(f.Name, c.Field+"_") {
		return nil
	}
	if c.Boost > 0 {
		boost *= c.Boost
	}
	exact := strings.HasSuffix(f.Name, "_exact")
	switch {
	case c.Phrase:
		if !producesTokens(m, f.Analyzer, c.Text) {
			return nil
		}
		p := bleve.NewMatchPhraseQuery(c.Text)
		p.SetField(f.Name)
		p.Analyzer = f.Analyzer
		p.SetBoost(boost)
		return p
	case c.Prefix, c.Regexp:
		// Stems are not prefixes of what people type: these run on the
		// exact-form fields only, over the normalized form of the pattern.
		if !exact {
			return nil
		}
		toks := analyze(m, f.Analyzer, c.Text)
		if c.Prefix {
			if len(toks) != 1 {
				return nil
			}
			p := bleve.NewPrefixQuery(toks[0])
			p.SetField(f.Name)
			p.SetBoost(boost)
			return p
		}
		r := bleve.NewRegexpQuery(strings.ToLower(c.Text))
		r.SetField(f.Name)
		r.SetBoost(boost)
		return r
	case c.Fuzzy > 0:
		toks := analyze(m, f.Analyzer, c.Text)
		if len(toks) == 0 {
			return nil
		}
		var qs []query.Query
		for _, t := range toks {
			fq := bleve.NewFuzzyQuery(t)
			fq.SetField(f.Name)
			fq.SetFuzziness(c.Fuzzy)
			fq.SetBoost(boost)
			qs = append(qs, fq)
		}
		if len(qs) == 1 {
			return qs[0]
		}
		return bleve.NewConjunctionQuery(qs...)
	}
	if !producesTokens(m, f.Analyzer, c.Text) {
		return nil
	}
	q := bleve.NewMatchQuery(c.Text)
	q.SetField(f.Name)
	q.Analyzer = f.Analyzer // the field's own analyzer, whatever the query's script
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(boost)
	return q
}

func analyze(m mapping.IndexMapping, analyzer, text string) []string {
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
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
