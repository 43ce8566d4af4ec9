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
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// Store is what search needs of the indexer: the indexes and the stored articles.
type Store interface {
	Index() bleve.Index
	Claims() bleve.Index
	Article(id string) (document.Article, bool, error)
	ArticleView(id string) (document.Article, bool, error)
	HasReprints() bool
}

// Entities resolves what researchers type (an id, or any alias in any
// script) to entity ids, and describes entities.
type Entities interface {
	Resolve(aliasOrID string) []string
	Entity(id string) (entity.Entity, bool)
	SearchEntities(q string, limit int) []entity.Entity
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
	Text     string
	Lang     string
	Source   string
	Entities []string  // ids or aliases; every one must be mentioned
	Speaker  string    // id or alias: articles with a claim by this speaker
	From     time.Time // publication, inclusive
	To       time.Time // inclusive
	// MentionedFrom and MentionedTo select articles that talk about a day
	// in the range (a month mention covers each of its days).
	MentionedFrom time.Time
	MentionedTo   time.Time
	Sort          string // relevance | newest | oldest
	Page          int    // 1-based
	Size          int
	// NoExpand turns off matching query words that are entity aliases
	// against the entities mentioned in other scripts (expand=none).
	NoExpand bool
	// NoCollapse lists every reprint of a story as its own hit
	// (collapse=false); by default a story is one hit.
	NoCollapse bool
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
	ID             string      `json:"id"`
	URL            string      `json:"url"`
	Title          string      `json:"title"`
	Source         string      `json:"source"`
	Lang           string      `json:"lang"`
	Published      time.Time   `json:"published"`
	Snippet        string      `json:"snippet"`
	Score          float64     `json:"score"`
	Entities       []HitEntity `json:"entities"`
	MentionedDates []string    `json:"mentioned_dates"`
	Claims         []HitClaim  `json:"claims"`
	Cluster        HitCluster  `json:"cluster"`
	AlsoReportedBy []Report    `json:"also_reported_by"`
}

// HitCluster is the story a hit belongs to.
type HitCluster struct {
	ID   string `json:"id"`
	Size int    `json:"size"`
}

// Report is another outlet's copy of a story.
type Report struct {
	Source string `json:"source"`
	URL    string `json:"url"`
}

// HitEntity names an entity mentioned by a hit.
type HitEntity struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// HitClaim is a claim made in a hit.
type HitClaim struct {
	ID      string `json:"id"`
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// Facets count matches by value.
type Facets struct {
	Entities       map[string][]Count `json:"entities"` // by type
	Sources        []Count            `json:"sources"`
	Lang           []Count            `json:"lang"`
	PublishedByDay []Count            `json:"published_by_day"`
}

// Count is one facet bucket.
type Count struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

// MaxExpansion bounds the index terms one fuzzy, prefix or regexp clause
// may expand to; bleve refuses beyond it and the API says so with a 400.
const MaxExpansion = 1024

func init() {
	// bleve has only this process-wide switch; it is set once here because
	// the search package is the one that lets users write such clauses.
	searcher.DisjunctionMaxClauseCount = MaxExpansion
}

// ErrBadQuery marks errors caused by the request, which the API answers with 400.
var ErrBadQuery = errors.New("bad query")

// ErrNotFound marks a missing document.
var ErrNotFound = errors.New("not found")

// Stories lists the members of a story cluster, earliest first.
type Stories interface {
	Members(clusterID string) []string
}

// Service runs searches.
type Service struct {
	store    Store
	entities Entities
	stories  Stories
}

// SetStories lets hits list the other outlets of their story from the
// clusterer's memory instead of a second index query.
func (s *Service) SetStories(st Stories) { s.stories = st }

// New returns a Service over store; entities may be nil (no entity
// filters or expansion).
func New(store Store, entities Entities) *Service {
	return &Service{store: store, entities: entities}
}

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
	if !q.MentionedFrom.IsZero() && !q.MentionedTo.IsZero() && q.MentionedTo.Before(q.MentionedFrom) {
		return badf("mentioned_to (%s) is before mentioned_from (%s)", q.MentionedTo.Format(time.DateOnly), q.MentionedFrom.Format(time.DateOnly))
	}
	if len(q.Entities) > 10 {
		return badf("%d entity filters: at most 10", len(q.Entities))
	}
	for _, e := range q.Entities {
		if strings.TrimSpace(e) == "" || len(e) > 200 || !utf8.ValidString(e) {
			return badf("entity %q: want an id or a name", e)
		}
	}
	if len(q.Speaker) > 200 || !utf8.ValidString(q.Speaker) {
		return badf("speaker: want an id or a name")
	}
	return nil
}

// searchErr turns bleve's refusal to expand a pattern too far into a
// request error; anything else stays an internal one.
func searchErr(err error) error {
	if strings.Contains(err.Error(), "TooManyClauses") {
		return badf("the query matches too many index terms (a short prefix, fuzzy word or regexp); make it more specific")
	}
	return fmt.Errorf("search: %w", err)
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

// Request builds the bleve request that Search runs for q, with sorting,
// highlights and facets: benchmarks compare the API with this request
// run straight against bleve.
func (s *Service) Request(q Query) (*bleve.SearchRequest, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	bq, err := s.buildQuery(q)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(bq, q.Size, (q.Page-1)*q.Size, false)
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
	for _, t := range indexer.EntityTypes {
		req.AddFacet("entities_"+t, bleve.NewFacetRequest(indexer.FieldEntityPrefix+t, 15))
	}

	return req, nil
}

// partitioned is a store whose index is split by publication month.
type partitioned interface {
	IndexFor(from, to time.Time) bleve.Index
}

// indexFor is the index a query with a publication date range needs:
// only the months it covers, when the store is partitioned. The query
// keeps its own date filter; a partition is a whole month.
func (s *Service) indexFor(q Query) bleve.Index {
	p, ok := s.store.(partitioned)
	if !ok || (q.From.IsZero() && q.To.IsZero()) {
		return s.store.Index()
	}
	return p.IndexFor(q.From, q.To)
}

// Search runs q. Reprints of one story collapse into its origin unless
// q.NoCollapse or a source filter asks for one outlet's copies (see
// Request): collapsing is a filter, so it costs no wider window of hits.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Validate(); err != nil { // fills the defaults used below
		return nil, err
	}
	req, err := s.Request(q)
	if err != nil {
		return nil, err
	}
	res, err := s.indexFor(q).SearchInContext(ctx, req)
	if err != nil {
		return nil, searchErr(err)
	}
	hits := res.Hits
	out := &Result{Total: res.Total, TookMS: res.Took.Milliseconds(), Hits: []Hit{}}
	for _, h := range hits {
		a, found, err := s.store.ArticleView(h.ID)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if !found {
			continue // indexed but not yet stored: its batch is being committed
		}
		out.Hits = append(out.Hits, toHit(a, snippet(h.Fragments, a), h.Score))
	}
	if err := s.addReports(ctx, out.Hits); err != nil {
		return nil, err
	}
	out.Facets = Facets{
		Entities:       map[string][]Count{},
		Sources:        counts(res.Facets["sources"], false),
		Lang:           counts(res.Facets["lang"], false),
		PublishedByDay: counts(res.Facets["published_by_day"], true),
	}
	for _, t := range indexer.EntityTypes {
		cs := counts(res.Facets["entities_"+t], false)
		for i := range cs {
			cs[i].Name = s.entityName(cs[i].Value, "")
		}
		out.Facets.Entities[t] = cs
	}
	return out, nil
}

// maxReports bounds the other outlets listed for the stories of one page.
const maxReports = 500

// addReports fills each hit's cluster size and the other outlets that
// carried its story, with one query for the whole page.
func (s *Service) addReports(ctx context.Context, hits []Hit) error {
	if len(hits) == 0 || !s.store.HasReprints() {
		return nil
	}
	if s.stories != nil {
		for i := range hits {
			h := &hits[i]
			ms := s.stories.Members(h.Cluster.ID)
			h.Cluster.Size = max(len(ms), 1)
			for _, id := range ms {
				if id == h.ID || len(h.AlsoReportedBy) == maxReports {
					continue
				}
				a, found, err := s.store.ArticleView(id)
				if err != nil {
					return fmt.Errorf("search: %w", err)
				}
				if found {
					h.AlsoReportedBy = append(h.AlsoReportedBy, Report{Source: a.Source, URL: a.URL})
				}
			}
		}
		return nil
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Cluster.ID)
	}
	req := bleve.NewSearchRequestOptions(anyTerm(indexer.FieldCluster, ids), maxReports, 0, false)
	req.Fields = []string{indexer.FieldCluster, indexer.FieldSource, indexer.FieldURL}
	req.SortBy([]string{indexer.FieldPublished, "_id"})
	res, err := s.store.Index().SearchInContext(ctx, req)
	if err != nil {
		return searchErr(err)
	}
	members := map[string][]*bsearch.DocumentMatch{}
	for _, m := range res.Hits {
		c, _ := m.Fields[indexer.FieldCluster].(string)
		members[c] = append(members[c], m)
	}
	for i := range hits {
		h := &hits[i]
		ms := members[h.Cluster.ID]
		h.Cluster.Size = max(len(ms), 1)
		for _, m := range ms {
			if m.ID == h.ID {
				continue
			}
			src, _ := m.Fields[indexer.FieldSource].(string)
			u, _ := m.Fields[indexer.FieldURL].(string)
			h.AlsoReportedBy = append(h.AlsoReportedBy, Report{Source: src, URL: u})
		}
	}
	return nil
}

// A hit lists its most mentioned entities, its first claims and dates; the
// document endpoint has them all. Bounding them keeps a page's JSON small,
// which is most of what the API adds to the search itself.
const (
	maxHitClaims   = 5
	maxHitEntities = 12
	maxHitDates    = 20
)

func toHit(a document.Article, snippet string, score float64) Hit {
	h := Hit{
		ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
		Published: a.Published, Snippet: snippet, Score: score,
		Entities: []HitEntity{}, MentionedDates: []string{}, Claims: []HitClaim{},
		Cluster: HitCluster{ID: indexer.ClusterOf(a), Size: 1}, AlsoReportedBy: []Report{},
	}
	for _, e := range a.Entities[:min(len(a.Entities), maxHitEntities)] { // most mentioned first
		h.Entities = append(h.Entities, HitEntity{ID: e.ID, Name: e.Name, Type: e.Type})
	}
	seen := map[string]bool{}
	for _, m := range a.MentionedDates {
		if m.Granularity == "day" && m.From == m.To && !seen[m.From] {
			seen[m.From] = true
			h.MentionedDates = append(h.MentionedDates, m.From)
		}
	}
	sort.Strings(h.MentionedDates)
	h.MentionedDates = h.MentionedDates[:min(len(h.MentionedDates), maxHitDates)]
	for _, c := range a.Claims {
		if len(h.Claims) == maxHitClaims {
			break
		}
		h.Claims = append(h.Claims, HitClaim{ID: c.ID, Speaker: c.Speaker, Text: c.Text})
	}
	return h
}

// entityName names an entity for display, in lang when it has that name.
func (s *Service) entityName(id, lang string) string {
	if s.entities == nil {
		return id
	}
	if e, ok := s.entities.Entity(id); ok {
		return e.Name(lang)
	}
	return id
}

// resolve turns what a researcher typed into entity ids; an unknown name
// is a request error that says so.
func (s *Service) resolve(param, v string) ([]string, error) {
	if s.entities == nil {
		return nil, badf("%s %q: entities are not available on this server", param, v)
	}
	ids := s.entities.Resolve(v)
	if len(ids) == 0 {
		return nil, badf("%s %q: no entity has that id or name (see /api/entities?q=)", param, v)
	}
	return ids, nil
}

func (s *Service) buildQuery(q Query) (query.Query, error) {
	var must []query.Query
	if q.Text != "" {
		var ex expander
		if !q.NoExpand && s.entities != nil {
			ex = s.entities.Resolve
		}
		tq, err := textQuery(s.store.Index().Mapping(), indexer.TextFields, q.Text, q.Lang, ex)
		if err != nil {
			return nil, err
		}
		must = append(must, tq)
	}
	if q.Lang != "" {
		must = append(must, term(indexer.FieldLang, q.Lang))
	}
	if q.Source != "" {
		must = append(must, term(indexer.FieldSource, q.Source))
	}
	for _, e := range q.Entities {
		ids, err := s.resolve("entity", e)
		if err != nil {
			return nil, err
		}
		must = append(must, anyTerm(indexer.FieldEntities, ids))
	}
	if q.Speaker != "" {
		sq, err := s.speakerQuery(q.Speaker, indexer.FieldSpeakers)
		if err != nil {
			return nil, err
		}
		must = append(must, sq)
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		must = append(must, dateRange(indexer.FieldPublished, q.From, q.To))
	}
	if !q.MentionedFrom.IsZero() || !q.MentionedTo.IsZero() {
		must = append(must, mentionedQuery(q.MentionedFrom, q.MentionedTo))
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	if q.NoCollapse || q.Source != "" {
		return bleve.NewConjunctionQuery(must...), nil
	}
	reprint := bleve.NewBoolFieldQuery(true)
	reprint.SetField(indexer.FieldReprint)
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	b.AddMustNot(reprint)
	return b, nil
}

// speakerQuery matches a speaker by entity id, or, for a name no entity
// has, by the normalized name claims were indexed under.
func (s *Service) speakerQuery(v, field string) (query.Query, error) {
	var ids []string
	if s.entities != nil {
		ids = s.entities.Resolve(v)
	}
	if len(ids) == 0 {
		ids = []string{indexer.SpeakerKey(document.Claim{Speaker: v})}
	}
	return anyTerm(field, ids), nil
}

// mentionedQuery finds articles that talk about a day in [from, to]:
// a day mention in the range, or a month or year mention that overlaps it.
func mentionedQuery(from, to time.Time) query.Query {
	key := func(t time.Time, layout string) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(layout)
	}
	incl := true
	months := bleve.NewTermRangeInclusiveQuery(key(from, "2006-01"), key(to, "2006-01"), &incl, &incl)
	months.SetField(indexer.FieldMentionedMon)
	years := bleve.NewTermRangeInclusiveQuery(key(from, "2006"), key(to, "2006"), &incl, &incl)
	years.SetField(indexer.FieldMentionedYr)
	return bleve.NewDisjunctionQuery(dateRange(indexer.FieldMentioned, from, to), months, years)
}

func anyTerm(field string, values []string) query.Query {
	var qs []query.Query
	for _, v := range values {
		qs = append(qs, term(field, v))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func dateRange(field string, from, to time.Time) query.Query {
	incl := true
	r := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &incl)
	r.SetField(field)
	return r
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
		bq, err := s.buildQuery(q)
		if err != nil {
			return err
		}
		req := bleve.NewSearchRequestOptions(bq, n, from, false)
		req.SortBy(sortOrder(q.Sort))
		res, err := s.indexFor(q).SearchInContext(ctx, req)
		if err != nil {
			return searchErr(err)
		}
		for _, h := range res.Hits {
			a, found, err := s.store.ArticleView(h.ID)
			if err != nil {
				return fmt.Errorf("search: export: %w", err)
			}
			if !found {
				continue
			}
			if err := fn(toHit(a, "", h.Score)); err != nil {
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
