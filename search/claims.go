package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/concept"
)

// ClaimQuery asks for claims: who said what, when.
type ClaimQuery struct {
	Text     string // over the claim's content, in both analyzers
	Speaker  string // id or alias in any script
	Entities []string
	Lang     string
	// Mode keeps claims whose cue attributes speech, belief, intention or
	// evidence (document.Claim.Mode); empty keeps all.
	Mode     string
	From, To time.Time
	Page     int
	Size     int
}

// ClaimResult is a page of claims.
type ClaimResult struct {
	Total  uint64     `json:"total"`
	TookMS int64      `json:"took_ms"`
	Hits   []ClaimHit `json:"hits"`
}

// ClaimHit is one claim with the story of its repetition.
type ClaimHit struct {
	ID        string     `json:"id"`
	DocID     string     `json:"doc_id"`
	URL       string     `json:"url"`
	Source    string     `json:"source"`
	Speaker   Speaker    `json:"speaker"`
	Anonymous bool       `json:"anonymous,omitempty"`
	Cue       string     `json:"cue"`
	Text      string     `json:"text"`
	Kind      string     `json:"kind"`
	Mode      string     `json:"mode,omitempty"`
	Lang      string     `json:"lang"`
	Polarity  string     `json:"polarity,omitempty"`
	Date      time.Time  `json:"date"`
	Published time.Time  `json:"published"`
	Title     string     `json:"title"`
	Group     ClaimGroup `json:"group"`
}

// Speaker is who made a claim: an entity, or a description kept as written.
type Speaker struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// ClaimGroup tells who reported a claim first and how many outlets
// repeated it, in its own language and in the other.
type ClaimGroup struct {
	ID          string `json:"id"`
	FirstSource string `json:"first_source"`
	FirstURL    string `json:"first_url"`
	Outlets     int    `json:"outlets"`
	Reports     int    `json:"reports"`
	// Languages the statement was reported in; OtherLanguage lists the
	// reports in a language other than this claim's.
	Languages     []string   `json:"languages"`
	OtherLanguage []ClaimRef `json:"other_language,omitempty"`
}

// ClaimRef points at one report of a claim.
type ClaimRef struct {
	ID     string `json:"id"`
	Lang   string `json:"lang"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

// Claims searches the claims index.
func (s *Service) Claims(ctx context.Context, q ClaimQuery) (*ClaimResult, error) {
	sq := Query{Text: q.Text, Lang: q.Lang, From: q.From, To: q.To, Page: q.Page, Size: q.Size, Entities: q.Entities, Speaker: q.Speaker}
	if err := sq.Validate(); err != nil {
		return nil, err
	}
	var must []query.Query
	if sq.Text != "" {
		tq, err := textQuery(s.store.Claims().Mapping(), indexer.ClaimTextFields, sq.Text, sq.Lang, nil)
		if err != nil {
			return nil, err
		}
		must = append(must, tq)
	}
	if sq.Lang != "" {
		must = append(must, term("lang", sq.Lang))
	}
	switch q.Mode {
	case "":
	case "speech", "belief", "intention", "evidence":
		must = append(must, term("mode", q.Mode))
	default:
		return nil, badf("mode %q: want speech, belief, intention or evidence", q.Mode)
	}
	if sq.Speaker != "" {
		spq, err := s.speakerQuery(sq.Speaker, "speaker")
		if err != nil {
			return nil, err
		}
		must = append(must, spq)
	}
	for _, e := range sq.Entities {
		ids, err := s.resolve("entity", e)
		if err != nil {
			return nil, err
		}
		must = append(must, anyTerm("entities", ids))
	}
	if !sq.From.IsZero() || !sq.To.IsZero() {
		must = append(must, dateRange("date", sq.From, sq.To))
	}
	var bq query.Query = bleve.NewMatchAllQuery()
	if len(must) > 0 {
		bq = bleve.NewConjunctionQuery(must...)
	}
	req := bleve.NewSearchRequestOptions(bq, sq.Size, (sq.Page-1)*sq.Size, false)
	req.Fields = []string{"doc_id"}
	if sq.Text != "" {
		req.SortBy([]string{"-_score", "-date", "_id"})
	} else {
		req.SortBy([]string{"-date", "_id"})
	}
	res, err := s.store.Claims().SearchInContext(ctx, req)
	if err != nil {
		return nil, searchErr(err)
	}
	out := &ClaimResult{Total: res.Total, TookMS: res.Took.Milliseconds(), Hits: []ClaimHit{}}
	for _, h := range res.Hits {
		docID, _ := h.Fields["doc_id"].(string)
		a, found, err := s.store.Article(docID)
		if err != nil {
			return nil, fmt.Errorf("search: claims: %w", err)
		}
		if !found {
			continue
		}
		for _, c := range a.Claims {
			if c.ID != h.ID {
				continue
			}
			ch := s.claimHit(a, c)
			if ch.Group, err = s.group(ctx, c); err != nil {
				return nil, err
			}
			out.Hits = append(out.Hits, ch)
		}
	}
	return out, nil
}

func (s *Service) claimHit(a document.Article, c document.Claim) ClaimHit {
	sp := Speaker{ID: c.SpeakerID, Name: c.Speaker}
	if c.SpeakerID != "" {
		sp.Name = s.entityName(c.SpeakerID, c.Lang)
	}
	return ClaimHit{
		ID: c.ID, DocID: a.ID, URL: a.URL, Source: a.Source, Speaker: sp, Anonymous: c.Anonymous,
		Cue: c.Cue, Text: c.Text, Kind: c.Kind, Mode: c.Mode, Lang: c.Lang, Polarity: c.Polarity, Date: c.Date,
		Published: a.Published, Title: a.Title,
	}
}

// maxGroup bounds the reports read to describe one claim's group.
const maxGroup = 200

// group finds every report of the same statement, the first of them by
// publication date, and how many outlets carried it.
func (s *Service) group(ctx context.Context, c document.Claim) (ClaimGroup, error) {
	g := ClaimGroup{ID: c.GroupID, Languages: []string{c.Lang}}
	if c.GroupID == "" {
		return g, nil
	}
	req := bleve.NewSearchRequestOptions(term("group_id", c.GroupID), maxGroup, 0, false)
	req.Fields = []string{"source", "doc_id"}
	req.SortBy([]string{"date", "_id"})
	res, err := s.store.Claims().SearchInContext(ctx, req)
	if err != nil {
		return g, fmt.Errorf("search: claim group: %w", err)
	}
	type report struct {
		source, docID string
		published     time.Time
	}
	var reports []report
	outlets := map[string]bool{}
	for _, h := range res.Hits {
		src, _ := h.Fields["source"].(string)
		docID, _ := h.Fields["doc_id"].(string)
		outlets[src] = true
		a, found, err := s.store.ArticleView(docID)
		if err != nil || !found {
			continue
		}
		reports = append(reports, report{src, docID, a.Published})
	}
	total := int(res.Total)
	others, err := s.otherLanguage(ctx, c)
	if err != nil {
		return g, err
	}
	for _, o := range others {
		outlets[o.ref.Source] = true
		reports = append(reports, report{o.ref.Source, o.docID, o.published})
		g.OtherLanguage = append(g.OtherLanguage, o.ref)
		if !slices.Contains(g.Languages, o.ref.Lang) {
			g.Languages = append(g.Languages, o.ref.Lang)
		}
	}
	total += len(others)
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].published.Before(reports[j].published) })
	if len(reports) > 0 {
		first, _, _ := s.store.ArticleView(reports[0].docID)
		g.FirstSource, g.FirstURL = first.Source, first.URL
	}
	g.Outlets, g.Reports = len(outlets), total
	return g, nil
}

// xlangWindow is how far apart two reports of one statement in two
// languages may be dated: a weekly analysis often recaps a statement
// days after the news report.
const xlangWindow = 3 * 24 * time.Hour

type otherReport struct {
	ref       ClaimRef
	docID     string
	published time.Time
}

// otherLanguage finds the reports of c's statement in the other language:
// claims by the same resolved speaker, dated within xlangWindow, whose
// concepts and entities agree with c's (concept.Same). An unresolved or
// anonymous speaker is never matched across languages: "a senior
// official" in two languages may be two people.
func (s *Service) otherLanguage(ctx context.Context, c document.Claim) ([]otherReport, error) {
	if c.SpeakerID == "" || c.Anonymous || c.Date.IsZero() {
		return nil, nil
	}
	other := document.LangEnglish
	if c.Lang == document.LangEnglish {
		other = document.LangArabic
	}
	anchors := claimAnchors(c)
	if len(anchors) < 2 {
		return nil, nil
	}
	q := bleve.NewConjunctionQuery(term("speaker", c.SpeakerID), term("lang", other),
		dateRange("date", c.Date.Add(-xlangWindow), c.Date.Add(xlangWindow)))
	req := bleve.NewSearchRequestOptions(q, maxGroup, 0, false)
	req.Fields = []string{"doc_id"}
	req.SortBy([]string{"date", "_id"})
	res, err := s.store.Claims().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: claim in other languages: %w", err)
	}
	var out []otherReport
	for _, h := range res.Hits {
		docID, _ := h.Fields["doc_id"].(string)
		a, found, err := s.store.Article(docID)
		if err != nil || !found {
			continue
		}
		for _, oc := range a.Claims {
			if oc.ID == h.ID && concept.Same(anchors, claimAnchors(oc)) {
				out = append(out, otherReport{ClaimRef{ID: oc.ID, Lang: oc.Lang, Source: a.Source, URL: a.URL, Text: oc.Text}, a.ID, a.Published})
			}
		}
	}
	return out, nil
}

// claimAnchors are what a statement is about, in no language: its
// concepts and the entities it mentions.
func claimAnchors(c document.Claim) []string {
	return append(concept.Builtin().Of(c.Text, c.Lang), c.Entities...)
}
