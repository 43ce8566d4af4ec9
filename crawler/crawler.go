// Package crawler fetches sources and hands extracted articles to a Sink.
// It knows nothing of the index: cmd plugs the indexer in as the Sink.
//
// Every request goes through crawler/fetch (SSRF guard, caps, robots.txt,
// politeness, retries, conditional GET, charset). Listings (feeds, sitemaps)
// are fetched with their stored ETag/Last-Modified; item GUIDs already
// ingested are not fetched again unless the listing says they changed.
package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/crawler/feed"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
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
// same article (re-ingesting is how a run recovers) and safe for concurrent
// use: a source's pages are fetched and put by several workers.
type Sink interface {
	Put(ctx context.Context, a document.Article) (Outcome, error)
}

// Flusher is implemented by sinks that buffer. The crawler flushes before it
// records a source's GUIDs and validators as done, so that a crash never
// leaves a story marked seen but not stored.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Source kinds.
const (
	KindFeed    = "feed"
	KindSitemap = "sitemap"
	KindSite    = "site"
)

// Source is one thing to fetch, as the crawler needs it.
type Source struct {
	Name string
	// Kind is feed (RSS 2.0, Atom, RSS 1.0, JSON Feed; a home page URL is
	// autodiscovered), sitemap (urlset, index, Google News, gzip) or site
	// (section pages crawled for article links). Empty means feed.
	Kind        string
	URL         string
	Language    string // ar, en or auto
	FollowLinks bool   // feed: fetch each item's page (sitemap and site always do)
	Selectors   *web.Selectors

	// LinkPattern (a regexp) selects article URLs of a site or sitemap;
	// empty: same-host links that look like articles (site), all (sitemap).
	LinkPattern string
	// FollowPattern (a regexp) selects section pages a site crawl follows
	// beyond URL; empty: none, only URL itself is read.
	FollowPattern string
	MaxDepth      int           // site: link depth of section pages from URL; default 2
	MaxPages      int           // site: section pages read per run; default 20
	MaxItems      int           // articles per run (sitemap, site), newest first; default 500
	Timeout       time.Duration // whole source; default Options.SourceTimeout
}

// Options configure a Crawler.
type Options struct {
	// Fetch is the shared HTTP client. When nil, one is built from the
	// fields below; AllowPrivateNetworks is off unless set.
	Fetch                *fetch.Client
	UserAgent            string
	Timeout              time.Duration // per request
	MaxBodyBytes         int64
	PerHostDelay         time.Duration
	AllowPrivateNetworks bool

	// DB keeps the crawl_cache and crawl_seen buckets across runs; nil keeps
	// them in memory for the Crawler's lifetime.
	DB *bolt.DB
	// SourceTimeout bounds one source, so a server that hangs cannot hold up
	// a run: 10m.
	SourceTimeout time.Duration
	Concurrency   int // sources fetched at once: 4
	Workers       int // article pages of one source fetched at once: 4
	// CheckpointInterval: this often during a source, the sink is flushed
	// and the GUIDs stored so far recorded, so a run killed mid-source
	// resumes after them: 15s. Time rather than a count, so that fast
	// sources do not cut the sink's batches short.
	CheckpointInterval time.Duration

	// Progress, when set, is called after each item of a source (and once
	// when its listing is read); calls may come from several goroutines.
	Progress func(Progress)
	Now      func() time.Time
}

// Progress reports how far a source has got.
type Progress struct {
	Source string
	Done   int
	Total  int
	URL    string
	// Counts so far; Errors is left empty.
	Counts SourceSummary
	// Finished is set on the last call for a source.
	Finished bool
}

// Crawler runs ingest passes over sources.
type Crawler struct {
	opts   Options
	logger *slog.Logger
	fetch  *fetch.Client
	state  *state
}

// New returns a Crawler; zero options get safe defaults. If the state
// buckets cannot be created in opts.DB, it logs why and keeps state in
// memory: the run still lands, it only re-fetches more next time.
func New(opts Options, logger *slog.Logger) *Crawler {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.SourceTimeout <= 0 {
		opts.SourceTimeout = 10 * time.Minute
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.CheckpointInterval <= 0 {
		opts.CheckpointInterval = 15 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	fc := opts.Fetch
	if fc == nil {
		fc = fetch.New(fetch.Options{
			UserAgent:            opts.UserAgent,
			Timeout:              opts.Timeout,
			MaxBodyBytes:         opts.MaxBodyBytes,
			PerHostDelay:         opts.PerHostDelay,
			AllowPrivateNetworks: opts.AllowPrivateNetworks,
		}, logger)
	}
	st, err := newState(opts.DB)
	if err != nil {
		logger.Error("crawl state unavailable, keeping it in memory", "err", err)
		st, _ = newState(nil)
	}
	return &Crawler{opts: opts, logger: logger, fetch: fc, state: st}
}

// Summary is what one run did, per source.
type Summary struct {
	Started  time.Time       `json:"started"`
	Finished time.Time       `json:"finished"`
	Status   string          `json:"status"` // ok | partial | failed | interrupted
	Sources  []SourceSummary `json:"sources"`
}

// SourceSummary counts one source's results; Errors names each failed URL.
// Fetched counts HTTP fetches; Unchanged counts 304 listings, items already
// ingested and articles the sink found identical; Duplicates counts items
// that were the same story (GUID or canonical URL) as another in the run.
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

// Run ingests every source once, several at a time. A failing, slow or
// hanging source or page is recorded in the summary and never stops the
// others; only a cancelled ctx ends the run early.
func (c *Crawler) Run(ctx context.Context, sources []Source, sink Sink) Summary {
	sum := Summary{Started: c.opts.Now().UTC(), Sources: make([]SourceSummary, len(sources))}
	sem := make(chan struct{}, c.opts.Concurrency)
	var wg sync.WaitGroup
	ran := make([]bool, len(sources))
	for i, src := range sources {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		ran[i] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			sum.Sources[i] = c.runSource(ctx, src, sink)
		}()
	}
	wg.Wait()
	for i := range sources {
		if !ran[i] {
			sum.Sources[i] = SourceSummary{Name: sources[i].Name}
		}
	}
	sum.Finished = c.opts.Now().UTC()
	sum.Status = status(ctx, sum.Sources, ran)
	return sum
}

func status(ctx context.Context, ss []SourceSummary, ran []bool) string {
	failed, landed := 0, 0
	for i, s := range ss {
		if !ran[i] {
			return "interrupted"
		}
		if s.Failed > 0 {
			failed++
		}
		if s.New+s.Updated+s.Unchanged > 0 || s.Fetched > s.Failed {
			landed++
		}
	}
	switch {
	case ctx.Err() != nil:
		return "interrupted"
	case failed == 0:
		return "ok"
	case landed == 0:
		return "failed"
	default:
		return "partial"
	}
}

// sourceRun is the state of one source during a run.
type sourceRun struct {
	c    *Crawler
	src  Source
	sink Sink
	log  *slog.Logger

	mu    sync.Mutex
	ss    SourceSummary
	done  int
	total int
	// seen holds the GUIDs and canonical URLs handled in this run.
	seen map[string]bool
	// ingested holds guid -> fingerprint of items stored in this run and
	// not yet recorded; they are recorded once the sink has flushed, every
	// CheckpointInterval and at the end.
	ingested       map[string]string
	checkpointing  bool
	lastCheckpoint time.Time
	// validators of listings, saved only when the source had no failure:
	// a 304 next time must never hide an item that failed this time.
	validators map[string]fetch.Conditional
}

func (r *sourceRun) fail(u string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ss.Failed++
	r.ss.Errors = append(r.ss.Errors, ItemError{URL: u, Error: err.Error()})
	r.log.Warn("ingest failed", "url", u, "err", err)
}

func (r *sourceRun) count(f func(ss *SourceSummary)) {
	r.mu.Lock()
	f(&r.ss)
	r.mu.Unlock()
}

func (r *sourceRun) progress(u string, finished bool) {
	if r.c.opts.Progress == nil {
		return
	}
	r.mu.Lock()
	p := Progress{Source: r.src.Name, Done: r.done, Total: r.total, URL: u, Counts: r.ss, Finished: finished}
	p.Counts.Errors = nil
	r.mu.Unlock()
	r.c.opts.Progress(p)
}

// claim reports whether key is new in this run and marks it.
func (r *sourceRun) claim(keys ...string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range keys {
		if k != "" && r.seen[k] {
			return false
		}
	}
	for _, k := range keys {
		if k != "" {
			r.seen[k] = true
		}
	}
	return true
}

// get fetches u through the shared client, counting the fetch.
func (r *sourceRun) get(ctx context.Context, u string, cond fetch.Conditional) (*fetch.Response, error) {
	r.count(func(ss *SourceSummary) { ss.Fetched++ })
	resp, err := r.c.fetch.Get(ctx, u, cond)
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("crawler: %s: source timed out after %s: %w", u, r.timeout(), err)
		}
		return nil, err
	}
	return resp, nil
}

func (r *sourceRun) timeout() time.Duration {
	if r.src.Timeout > 0 {
		return r.src.Timeout
	}
	return r.c.opts.SourceTimeout
}

func (c *Crawler) runSource(parent context.Context, src Source, sink Sink) SourceSummary {
	r := &sourceRun{
		c: c, src: src, sink: sink, log: c.logger.With("source", src.Name),
		ss:   SourceSummary{Name: src.Name},
		seen: map[string]bool{}, ingested: map[string]string{}, validators: map[string]fetch.Conditional{},
		lastCheckpoint: time.Now(),
	}
	ctx, cancel := context.WithTimeout(parent, r.timeout())
	defer cancel()

	var items []feed.Item
	var err error
	var unchanged bool
	switch src.Kind {
	case "", KindFeed:
		items, unchanged, err = r.listFeed(ctx)
	case KindSitemap:
		items, unchanged, err = r.listSitemap(ctx)
	case KindSite:
		items, err = r.listSite(ctx)
	default:
		err = fmt.Errorf("crawler: source kind %q is not supported (want feed, sitemap or site)", src.Kind)
	}
	if err != nil {
		r.fail(src.URL, err)
	}
	if unchanged {
		r.count(func(ss *SourceSummary) { ss.Unchanged++ })
	}
	r.mu.Lock()
	r.total = len(items)
	r.mu.Unlock()
	r.progress(src.URL, false)
	if len(items) > 0 {
		r.log.Info("listing read", "items", len(items))
		r.process(ctx, items)
	}
	if ctx.Err() != nil && parent.Err() == nil && len(items) > 0 {
		r.mu.Lock()
		left := r.total - r.done
		r.mu.Unlock()
		r.fail(src.URL, fmt.Errorf("crawler: %s: source timed out after %s with %d of %d items left", src.Name, r.timeout(), left, len(items)))
	}
	r.commit(parent)
	r.progress("", true)
	return r.ss
}

// commit flushes the sink and then records what this run ingested, so the
// records never run ahead of the stored articles.
func (r *sourceRun) commit(ctx context.Context) {
	if !r.checkpoint(ctx) {
		return
	}
	if r.ss.Failed == 0 {
		if err := r.c.state.saveConditionals(r.validators); err != nil {
			r.log.Error("saving validators failed", "err", err)
		}
	}
}

// checkpoint records the GUIDs ingested so far. It takes them before
// flushing: each was put before the flush began, so the flush covers it.
func (r *sourceRun) checkpoint(ctx context.Context) bool {
	ctx = context.WithoutCancel(ctx)
	r.mu.Lock()
	done := r.ingested
	r.ingested = map[string]string{}
	r.mu.Unlock()
	if f, ok := r.sink.(Flusher); ok {
		if err := f.Flush(ctx); err != nil {
			r.fail(r.src.URL, fmt.Errorf("crawler: store: %w", err))
			return false
		}
	}
	if err := r.c.state.saveSeen(r.src.Name, done); err != nil {
		r.log.Error("saving seen items failed", "err", err)
	}
	return true
}

// fingerprint changes when a listing says an item changed.
func fingerprint(it feed.Item) string {
	h := sha256.New()
	for _, s := range []string{it.Link, it.Title, it.Published.Format(time.RFC3339), it.Updated.Format(time.RFC3339), it.Summary, it.Content} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// process turns items into articles with Workers goroutines.
func (r *sourceRun) process(ctx context.Context, items []feed.Item) {
	work := make(chan feed.Item)
	var wg sync.WaitGroup
	for range min(r.c.opts.Workers, len(items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				r.item(ctx, it)
				r.mu.Lock()
				r.done++
				r.mu.Unlock()
				r.progress(it.Link, false)
			}
		}()
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		select {
		case work <- it:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
}

func (r *sourceRun) item(ctx context.Context, it feed.Item) {
	if ctx.Err() != nil {
		return
	}
	// The same story listed twice (same GUID, or the same link with other
	// tracking parameters) is fetched once.
	linkKey := ""
	if it.Link != "" {
		linkKey = "url:" + web.Canonicalize(it.Link)
	}
	guid := it.GUID
	if guid == "" {
		guid = web.Canonicalize(it.Link)
	}
	if !r.claim("guid:"+guid, linkKey) {
		r.count(func(ss *SourceSummary) { ss.Duplicates++ })
		return
	}
	fp := fingerprint(it)
	if guid != "" && r.c.state.seenFingerprint(r.src.Name, guid) == fp {
		r.count(func(ss *SourceSummary) { ss.Unchanged++ })
		return
	}
	a, err := r.article(ctx, it)
	if err != nil {
		r.fail(it.Link, err)
		return
	}
	if key := "url:" + a.CanonicalURL; key != linkKey && !r.claim(key) {
		r.count(func(ss *SourceSummary) { ss.Duplicates++ })
		return
	}
	out, err := r.sink.Put(ctx, a)
	if err != nil {
		r.fail(it.Link, fmt.Errorf("crawler: store: %w", err))
		return
	}
	r.count(func(ss *SourceSummary) {
		switch out {
		case OutcomeNew:
			ss.New++
		case OutcomeUpdated:
			ss.Updated++
		case OutcomeUnchanged:
			ss.Unchanged++
		}
	})
	if guid == "" {
		return
	}
	r.mu.Lock()
	r.ingested[guid] = fp
	now := time.Now()
	due := !r.checkpointing && now.Sub(r.lastCheckpoint) >= r.c.opts.CheckpointInterval
	if due {
		r.checkpointing, r.lastCheckpoint = true, now
	}
	r.mu.Unlock()
	if due {
		r.checkpoint(ctx)
		r.mu.Lock()
		r.checkpointing = false
		r.mu.Unlock()
	}
}

// article builds one article from an item, fetching its page when the
// source follows links.
func (r *sourceRun) article(ctx context.Context, it feed.Item) (document.Article, error) {
	src := r.src
	now := r.c.opts.Now().UTC()
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
	follow := src.FollowLinks || src.Kind == KindSitemap || src.Kind == KindSite
	if follow {
		page, err := r.page(ctx, it.Link)
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

// page fetches and extracts an article page. Pages go through the fetch
// client rather than colly: it applies robots.txt, per-host politeness,
// retries and the full charset chain (BOM, header, meta anywhere in head,
// detection), which colly would bypass or do only in part.
func (r *sourceRun) page(ctx context.Context, link string) (*web.Page, error) {
	resp, err := r.get(ctx, link, fetch.Conditional{})
	if err != nil {
		return nil, err
	}
	if resp.Text == "" {
		return nil, fmt.Errorf("crawler: %s: not a text page (%s)", link, resp.Header.Get("Content-Type"))
	}
	return web.Extract([]byte(resp.Text), resp.URL, r.src.Selectors)
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
