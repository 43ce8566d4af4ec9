// Package crawler fetches sources and hands extracted articles to a Sink.
// It knows nothing of the index: cmd plugs the indexer in as the Sink.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/mirsad-observatory/mirsad/crawler/feed"
	"github.com/mirsad-observatory/mirsad/crawler/web"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Outcome says what a Sink did with an article.
type Outcome int

// Outcomes of Sink.Put.
const (
	OutcomeNew Outcome = iota
	OutcomeUpdated
	OutcomeUnchanged
)

// Sink receives extracted articles. Put must be safe to call again with the
// same article: re-ingesting is how a run recovers.
type Sink interface {
	Put(ctx context.Context, a document.Article) (Outcome, error)
}

// Source is one thing to fetch, as the crawler needs it.
type Source struct {
	Name        string
	Kind        string // feed (sitemap and site come with the fetching issue)
	URL         string
	Language    string // ar, en or auto
	FollowLinks bool
	Selectors   *web.Selectors
}

// Options configure a Crawler.
type Options struct {
	UserAgent    string
	Timeout      time.Duration
	MaxBodyBytes int64
	PerHostDelay time.Duration
	// Transport, when set, replaces the default HTTP transport (tests, SSRF guard).
	Transport http.RoundTripper
	// Progress, when set, is called after each item of a source.
	Progress func(Progress)
	Now      func() time.Time
}

// Progress reports how far a source has got.
type Progress struct {
	Source string
	Done   int
	Total  int
	URL    string
}

// Crawler runs ingest passes over sources.
type Crawler struct {
	opts   Options
	logger *slog.Logger
	client *http.Client
}

// New returns a Crawler; zero options get safe defaults.
func New(opts Options, logger *slog.Logger) *Crawler {
	if opts.UserAgent == "" {
		opts.UserAgent = "Mirsad/0.1"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	rt := &capTransport{base: base, max: opts.MaxBodyBytes}
	return &Crawler{
		opts:   opts,
		logger: logger,
		client: &http.Client{Transport: rt, Timeout: opts.Timeout, CheckRedirect: limitRedirects},
	}
}

func limitRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects")
	}
	return nil
}

// Summary is what one run did, per source.
type Summary struct {
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Status   string          `json:"status"` // ok | partial | failed
	Sources  []SourceSummary `json:"sources"`
}

// SourceSummary counts one source's results; Errors names each failed URL.
type SourceSummary struct {
	Name       string      `json:"name"`
	Fetched    int         `json:"fetched"`
	New        int         `json:"new"`
	Updated    int         `json:"updated"`
	Unchanged  int         `json:"unchanged"`
	Duplicates int         `json:"duplicates"`
	Failed     int         `json:"failed"`
	Errors     []ItemError `json:"errors,omitempty"`
}

// ItemError is one failure, attached to the URL it happened at.
type ItemError struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

// Run ingests every source once. A failing source or page is recorded in
// the summary and never stops the others; only a cancelled ctx ends the
// run early.
func (c *Crawler) Run(ctx context.Context, sources []Source, sink Sink) Summary {
	sum := Summary{Started: c.opts.Now().UTC()}
	for _, src := range sources {
		if ctx.Err() != nil {
			break
		}
		sum.Sources = append(sum.Sources, c.runSource(ctx, src, sink))
	}
	sum.Finished = c.opts.Now().UTC()
	sum.Status = status(ctx, sum.Sources, len(sources))
	return sum
}

func status(ctx context.Context, ss []SourceSummary, want int) string {
	failed, landed := 0, 0
	for _, s := range ss {
		if s.Failed > 0 {
			failed++
		}
		if s.Fetched > s.Failed {
			landed++
		}
	}
	switch {
	case ctx.Err() != nil || len(ss) < want:
		return "interrupted"
	case failed == 0:
		return "ok"
	case landed == 0:
		return "failed"
	default:
		return "partial"
	}
}

func (c *Crawler) runSource(ctx context.Context, src Source, sink Sink) SourceSummary {
	ss := SourceSummary{Name: src.Name}
	log := c.logger.With("source", src.Name)
	fail := func(u string, err error) {
		ss.Failed++
		ss.Errors = append(ss.Errors, ItemError{URL: u, Error: err.Error()})
		log.Warn("ingest failed", "url", u, "err", err)
	}
	if src.Kind != "" && src.Kind != "feed" {
		fail(src.URL, fmt.Errorf("crawler: source kind %q is not supported yet", src.Kind))
		return ss
	}
	data, err := c.get(ctx, src.URL)
	ss.Fetched++
	if err != nil {
		fail(src.URL, err)
		return ss
	}
	f, err := feed.Parse(data, src.URL)
	if err != nil {
		fail(src.URL, err)
		return ss
	}
	log.Info("feed parsed", "items", len(f.Items))

	pages := c.newPageFetcher(ctx, src.Selectors)
	seen := map[string]bool{}
	for i, it := range f.Items {
		if ctx.Err() != nil {
			break
		}
		if c.opts.Progress != nil {
			c.opts.Progress(Progress{Source: src.Name, Done: i + 1, Total: len(f.Items), URL: it.Link})
		}
		// The same story listed twice (often with tracking parameters) is fetched once.
		linkKey := web.Canonicalize(it.Link)
		if it.Link != "" && seen[linkKey] {
			ss.Duplicates++
			continue
		}
		seen[linkKey] = true
		a, err := c.article(ctx, pages, src, f, it)
		if it.Link != "" && src.FollowLinks {
			ss.Fetched++
		}
		if err != nil {
			fail(it.Link, err)
			continue
		}
		if key := a.CanonicalURL; key != linkKey {
			if seen[key] {
				ss.Duplicates++
				continue
			}
			seen[key] = true
		}
		out, err := sink.Put(ctx, a)
		if err != nil {
			fail(it.Link, fmt.Errorf("crawler: store: %w", err))
			continue
		}
		switch out {
		case OutcomeNew:
			ss.New++
		case OutcomeUpdated:
			ss.Updated++
		case OutcomeUnchanged:
			ss.Unchanged++
		}
	}
	return ss
}

// article builds one article from a feed item, fetching its page when the
// source follows links.
func (c *Crawler) article(ctx context.Context, pages *pageFetcher, src Source, f *feed.Feed, it feed.Item) (document.Article, error) {
	now := c.opts.Now().UTC()
	a := document.Article{
		URL:        it.Link,
		Source:     src.Name,
		Title:      it.Title,
		Author:     it.Author,
		Published:  it.Published,
		Updated:    it.Updated,
		Fetched:    now,
		GUID:       it.GUID,
		Extraction: map[string]string{"title": "feed", "published": "feed"},
	}
	if src.Language == document.LangArabic || src.Language == document.LangEnglish {
		a.Lang = src.Language
	}
	if it.Link == "" {
		return a, errors.New("crawler: feed item has no link")
	}
	if src.FollowLinks {
		page, err := pages.fetch(it.Link)
		if err != nil {
			return a, err
		}
		a.Body = page.Body
		a.Extraction["body"] = page.Methods["body"]
		if a.Title == "" || page.Methods["title"] == "selector" {
			a.Title, a.Extraction["title"] = page.Title, page.Methods["title"]
		}
		if a.Author == "" {
			a.Author = page.Author
		}
		if t, ok := parseTime(page.Published); ok && (a.Published.IsZero() || page.Methods["published"] == "selector") {
			a.Published, a.Extraction["published"] = t, page.Methods["published"]
		}
		if t, ok := parseTime(page.Updated); ok && a.Updated.IsZero() {
			a.Updated = t
		}
		a.CanonicalURL = page.CanonicalURL
	} else {
		a.Body = textOf(firstNonEmpty(it.Content, it.Summary))
		a.Extraction["body"] = "feed"
	}
	if a.CanonicalURL == "" {
		a.CanonicalURL = web.Canonicalize(it.Link)
	}
	if strings.TrimSpace(a.Body) == "" {
		return a, fmt.Errorf("crawler: %s: no article text", it.Link)
	}
	if a.Published.IsZero() || a.Published.After(now.Add(24*time.Hour)) {
		a.Published, a.Extraction["published"] = now, "fetch-time"
	}
	a.ID = document.IDFor(a.CanonicalURL)
	return a, nil
}

// pageFetcher fetches article pages of one source through colly. It runs
// synchronously, so the single OnResponse callback fills one result at a time.
type pageFetcher struct {
	col  *colly.Collector
	sel  *web.Selectors
	page *web.Page
	err  error
}

// newPageFetcher sets colly up after NewCollector because colly reads
// COLLY_* environment variables inside it and would otherwise override us.
func (c *Crawler) newPageFetcher(ctx context.Context, sel *web.Selectors) *pageFetcher {
	col := colly.NewCollector()
	col.UserAgent = c.opts.UserAgent
	col.IgnoreRobotsTxt = false
	col.MaxBodySize = 0 // our transport caps after decompression and fails loudly instead of truncating
	col.AllowURLRevisit = false
	col.Async = false
	col.Context = ctx
	col.WithTransport(c.client.Transport)
	col.SetRequestTimeout(c.opts.Timeout)
	col.SetRedirectHandler(limitRedirects)
	if c.opts.PerHostDelay > 0 {
		_ = col.Limit(&colly.LimitRule{DomainGlob: "*", Delay: c.opts.PerHostDelay, Parallelism: 1})
	}
	pf := &pageFetcher{col: col, sel: sel}
	col.OnResponse(func(r *colly.Response) {
		pf.page, pf.err = web.Extract(r.Body, r.Request.URL.String(), pf.sel)
	})
	return pf
}

func (pf *pageFetcher) fetch(link string) (*web.Page, error) {
	pf.page, pf.err = nil, nil
	if err := pf.col.Visit(link); err != nil {
		var visited *colly.AlreadyVisitedError
		if errors.As(err, &visited) {
			return nil, fmt.Errorf("crawler: %s: already fetched in this run", link)
		}
		return nil, fmt.Errorf("crawler: fetch %s: %w", link, err)
	}
	if pf.err != nil {
		return nil, pf.err
	}
	if pf.page == nil {
		return nil, fmt.Errorf("crawler: fetch %s: no response", link)
	}
	return pf.page, nil
}

func (c *Crawler) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", u, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("crawler: fetch %s: HTTP %s", u, resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", u, err)
	}
	return data, nil
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// textOf strips markup from feed HTML content.
func textOf(s string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		return s
	}
	return strings.Join(strings.Fields(doc.Text()), " ")
}

// capTransport fails a response whose decoded body passes max bytes. It
// sits below colly and the feed fetcher so that neither truncates silently.
type capTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *capTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, fmt.Errorf("crawler: %s: only http and https are fetched", req.URL)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &capReader{r: resp.Body, left: t.max, max: t.max, url: req.URL.String()}
	return resp, nil
}

type capReader struct {
	r    io.ReadCloser
	left int64
	max  int64
	url  string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, fmt.Errorf("crawler: %s: response exceeds %d bytes", c.url, c.max)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, fmt.Errorf("crawler: %s: response exceeds %d bytes", c.url, c.max)
	}
	return n, err
}

func (c *capReader) Close() error { return c.r.Close() }
