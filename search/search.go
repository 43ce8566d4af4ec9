// Package search answers queries over the index: text in both languages,
// filters, sorting, pagination, highlighted snippets and facets.
package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Store is what search needs of the indexer: the index and the stored articles.
type Store interface {
	Index() bleve.Index
	Article(id string) (document.Article, bool, error)
}

// Limits keep one request from costing the whole server.
const (
	MaxSize      = 100
	MaxQueryLen  = 1000
	MaxDepth     = 10000 // page*size
	DefaultSize  = 10
	maxFacetDays = 400
)

// Query is a search request.
type Query struct {
	Text   string
	Lang   string
	Source string
	From   time.Time // inclusive
	To     time.Time // inclusive
	Sort   string    // relevance | newest | oldest
	Page   int       // 1-based
	Size   int
}

// Result is a page of hits with facets over all matches.
type Result struct {
	Total  uint64 `json:"total"`
	TookMS int64  `json:"took_ms"`
	Hits   []Hit  `json:"hits"`
	Facets Facets `json:"facets"`
}

// Hit is one matching article.
type Hit struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Lang      string    `json:"lang"`
	Published time.Time `json:"published"`
	Snippet   string    `json:"snippet"`
	Score     float64   `json:"score"`
}

// Facets count matches by value.
type Facets struct {
	Sources        []Count `json:"sources"`
	Lang           []Count `json:"lang"`
	PublishedByDay []Count `json:"published_by_day"`
}

// Count is one facet bucket.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// ErrBadQuery marks errors caused by the request, which the API answers with 400.
var ErrBadQuery = errors.New("bad query")

// ErrNotFound marks a missing document.
var ErrNotFound = errors.New("not found")

// Service runs searches.
type Service struct {
	store Store
}

// New returns a Service over store.
func New(store Store) *Service { return &Service{store: store} }

func badf(format string, args ...any) error {
	return fmt.Errorf("search: %w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
}

// Validate normalizes q in place and rejects what cannot be served.
func (q *Query) Validate() error {
	if !utf8.ValidString(q.Text) {
		return badf("q is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxQueryLen {
		return badf("q has %d characters, at most %d are allowed", n, MaxQueryLen)
	}
	q.Text = strings.TrimSpace(q.Text)
	switch q.Lang {
	case "", document.LangArabic, document.LangEnglish:
	default:
		return badf("lang %q: want ar or en", q.Lang)
	}
	switch q.Sort {
	case "":
		q.Sort = "relevance"
	case "relevance", "newest", "oldest":
	default:
		return badf("sort %q: want relevance, newest or oldest", q.Sort)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	if q.Page < 1 {
		return badf("page %d: pages start at 1", q.Page)
	}
	if q.Size < 1 || q.Size > MaxSize {
		return badf("size %d: want 1 to %d", q.Size, MaxSize)
	}
	if q.Page*q.Size > MaxDepth {
		return badf("page*size = %d: at most %d results can be paged through; narrow the query", q.Page*q.Size, MaxDepth)
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return badf("to (%s) is before from (%s)", q.To.Format(time.DateOnly), q.From.Format(time.DateOnly))
	}
	return nil
}

// ParseDate reads a date bound: YYYY-MM-DD or RFC 3339. An upper bound
// given as a day includes that whole day.
func ParseDate(s string, upper bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badf("date %q: want YYYY-MM-DD or RFC 3339", s)
	}
	if upper {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// Search runs q.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(s.buildQuery(q), q.Size, (q.Page-1)*q.Size, false)
	req.SortBy(sortOrder(q.Sort))
	req.Highlight = bleve.NewHighlightWithStyle("html")
	for _, fields := range indexer.TextFields {
		for _, f := range fields {
			if f.Stored {
				req.Highlight.AddField(f.Name)
			}
		}
	}
	req.AddFacet("sources", bleve.NewFacetRequest(indexer.FieldSource, 20))
	req.AddFacet("lang", bleve.NewFacetRequest(indexer.FieldLang, 2))
	req.AddFacet("published_by_day", bleve.NewFacetRequest(indexer.FieldPublishedDay, maxFacetDays))

	res, err := s.store.Index().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Result{Total: res.Total, TookMS: res.Took.Milliseconds(), Hits: []Hit{}}
	for _, h := range res.Hits {
		a, found, err := s.store.Article(h.ID)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if !found {
			continue // indexed but not yet stored: its batch is being committed
		}
		out.Hits = append(out.Hits, Hit{
			ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
			Published: a.Published, Snippet: snippet(h.Fragments, a), Score: h.Score,
		})
	}
	out.Facets = Facets{
		Sources:        counts(res.Facets["sources"], false),
		Lang:           counts(res.Facets["lang"], false),
		PublishedByDay: counts(res.Facets["published_by_day"], true),
	}
	return out, nil
}

func (s *Service) buildQuery(q Query) query.Query {
	var must []query.Query
	if q.Text != "" {
		must = append(must, textQuery(s.store.Index().Mapping(), q.Text, q.Lang))
	}
	if q.Lang != "" {
		must = append(must, term(indexer.FieldLang, q.Lang))
	}
	if q.Source != "" {
		must = append(must, term(indexer.FieldSource, q.Source))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		incl := true
		r := bleve.NewDateRangeInclusiveQuery(q.From, q.To, &incl, &incl)
		r.SetField(indexer.FieldPublished)
		must = append(must, r)
	}
	if len(must) == 0 {
		return bleve.NewMatchAllQuery()
	}
	return bleve.NewConjunctionQuery(must...)
}

func term(field, v string) query.Query {
	t := bleve.NewTermQuery(v)
	t.SetField(field)
	return t
}

// snippet prefers a highlighted fragment of the body, then of the title,
// then the start of the body, so every hit shows some text.
func snippet(frags map[string][]string, a document.Article) string {
	for _, body := range []bool{true, false} {
		for _, f := range indexer.TextFields[a.Lang] {
			if f.IsBody() == body && len(frags[f.Name]) > 0 {
				return frags[f.Name][0]
			}
		}
	}
	r := []rune(a.Body)
	if len(r) > 200 {
		r = append(r[:200], '…')
	}
	return htmlEscape(string(r))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func counts(f *bsearch.FacetResult, byValue bool) []Count {
	out := []Count{}
	if f == nil || f.Terms == nil {
		return out
	}
	for _, t := range f.Terms.Terms() {
		out = append(out, Count{Value: t.Term, Count: t.Count})
	}
	if byValue {
		sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	}
	return out
}

// Document returns a stored article.
func (s *Service) Document(ctx context.Context, id string) (*document.Article, error) {
	if id == "" || len(id) > 64 || strings.ContainsAny(id, "/\\.") {
		return nil, fmt.Errorf("search: %w: document id %q", ErrNotFound, id)
	}
	a, found, err := s.store.Article(id)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("search: %w: document %q", ErrNotFound, id)
	}
	return &a, nil
}

// MaxExport bounds one export: a spreadsheet's worth, and a bounded cost.
const MaxExport = 10000

// Export streams up to limit hits of q (ignoring Page and Size) to fn in
// the query's order, page by page, so memory stays flat however many rows.
func (s *Service) Export(ctx context.Context, q Query, limit int, fn func(Hit) error) error {
	if limit <= 0 || limit > MaxExport {
		return badf("limit %d: want 1 to %d", limit, MaxExport)
	}
	q.Page, q.Size = 1, MaxSize
	if err := q.Validate(); err != nil {
		return err
	}
	const pageSize = 500
	for from := 0; from < limit; from += pageSize {
		n := min(pageSize, limit-from)
		req := bleve.NewSearchRequestOptions(s.buildQuery(q), n, from, false)
		req.SortBy(sortOrder(q.Sort))
		res, err := s.store.Index().SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: export: %w", err)
		}
		for _, h := range res.Hits {
			a, found, err := s.store.Article(h.ID)
			if err != nil {
				return fmt.Errorf("search: export: %w", err)
			}
			if !found {
				continue
			}
			if err := fn(Hit{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang, Published: a.Published, Score: h.Score}); err != nil {
				return err
			}
		}
		if len(res.Hits) < n {
			return nil
		}
	}
	return nil
}

func sortOrder(sort string) []string {
	switch sort {
	case "newest":
		return []string{"-" + indexer.FieldPublished, "_id"}
	case "oldest":
		return []string{indexer.FieldPublished, "_id"}
	default:
		return []string{"-_score", "-" + indexer.FieldPublished, "_id"}
	}
}
