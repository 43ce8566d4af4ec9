package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/gocolly/colly/v2"

	"github.com/mirsad-observatory/mirsad/crawler/feed"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/crawler/sitemap"
	"github.com/mirsad-observatory/mirsad/crawler/web"
)

// Limits of a listing.
const (
	defaultMaxItems    = 500
	defaultMaxDepth    = 2
	defaultMaxPages    = 20
	maxChildSitemaps   = 50
	maxSitemapNesting  = 2
	maxSitemapUnzipped = 50 << 20 // the sitemap protocol's own limit
)

// listFeed reads the source's feed, autodiscovering it when URL is a HTML
// page. unchanged is set when the server answered 304.
func (r *sourceRun) listFeed(ctx context.Context) (items []feed.Item, unchanged bool, err error) {
	u := r.src.URL
	resp, err := r.get(ctx, u, r.c.state.conditional(u))
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified {
		return nil, true, nil
	}
	text := []byte(resp.Text)
	if len(text) == 0 && len(resp.Body) > 0 {
		return nil, false, fmt.Errorf("crawler: %s: not a text document (%s)", u, resp.Header.Get("Content-Type"))
	}
	final := resp.URL
	if feed.LooksLikeHTML(text) {
		found := feed.Discover(text, resp.URL)
		if len(found) == 0 {
			return nil, false, fmt.Errorf("crawler: %s: a HTML page without <link rel=\"alternate\"> to a feed", u)
		}
		r.log.Info("feed autodiscovered", "page", u, "feed", found[0])
		u = found[0]
		if resp, err = r.get(ctx, u, r.c.state.conditional(u)); err != nil {
			return nil, false, err
		}
		if resp.NotModified {
			return nil, true, nil
		}
		text, final = []byte(resp.Text), resp.URL
	} else {
		final = u
	}
	f, err := feed.Parse(text, final)
	if err != nil {
		return nil, false, err
	}
	r.validators[u] = fetch.Conditional{ETag: resp.ETag, LastModified: resp.LastModified}
	if f.Truncated {
		// The complete items are kept; the failure keeps the validators
		// unsaved so the whole feed is read again next time.
		r.fail(u, fmt.Errorf("crawler: %s: feed truncated, kept the %d complete items before the cut", u, len(f.Items)))
	}
	return f.Items, false, nil
}

// listSitemap reads a sitemap or sitemap index (one level of children per
// nesting step, gzip or not). Children that answer 304 contribute nothing.
func (r *sourceRun) listSitemap(ctx context.Context) (items []feed.Item, unchanged bool, err error) {
	re, err := compilePattern(r.src.LinkPattern)
	if err != nil {
		return nil, false, err
	}
	var urls []sitemap.URL
	queue := []string{r.src.URL}
	notModified := 0
	seen := map[string]bool{}
	for depth := 0; len(queue) > 0 && depth <= maxSitemapNesting; depth++ {
		var next []string
		for i, u := range queue {
			if seen[u] {
				continue
			}
			seen[u] = true
			if i >= maxChildSitemaps {
				r.log.Warn("too many child sitemaps, skipping the rest", "kept", maxChildSitemaps, "of", len(queue))
				break
			}
			sm, nm, err := r.fetchSitemap(ctx, u)
			if err != nil {
				if depth == 0 {
					return nil, false, err
				}
				r.fail(u, err)
				continue
			}
			if nm {
				notModified++
				continue
			}
			urls = append(urls, sm.URLs...)
			next = append(next, sm.Sitemaps...)
		}
		queue = next
	}
	if len(urls) == 0 && notModified > 0 {
		return nil, true, nil
	}
	for _, su := range urls {
		if re != nil && !re.MatchString(su.Loc) {
			continue
		}
		it := feed.Item{Link: su.Loc, GUID: su.Loc, Title: su.Title, Published: su.Published, Updated: su.LastMod}
		if it.Published.IsZero() {
			it.Published = su.LastMod
		}
		items = append(items, it)
	}
	return r.newest(items), false, nil
}

// fetchSitemap fetches and parses one sitemap; nm is set on 304.
func (r *sourceRun) fetchSitemap(ctx context.Context, u string) (sm *sitemap.Sitemap, nm bool, err error) {
	resp, err := r.get(ctx, u, r.c.state.conditional(u))
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified {
		return nil, true, nil
	}
	text := resp.Text
	if text == "" && len(resp.Body) > 0 {
		// .xml.gz served as application/gzip: no transport decodes it.
		raw, err := sitemap.Decompress(resp.Body, maxSitemapUnzipped)
		if err != nil {
			return nil, false, fmt.Errorf("crawler: %s: %w", u, err)
		}
		text = fetch.DecodeText(raw, "application/xml").Text
	}
	sm, err = sitemap.Parse([]byte(text), resp.URL)
	if err != nil {
		return nil, false, err
	}
	r.validators[u] = fetch.Conditional{ETag: resp.ETag, LastModified: resp.LastModified}
	return sm, false, nil
}

// newest keeps the MaxItems most recent items: a news sitemap index can
// list years of archive.
func (r *sourceRun) newest(items []feed.Item) []feed.Item {
	limit := r.src.MaxItems
	if limit <= 0 {
		limit = defaultMaxItems
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Published.After(items[j].Published) })
	if len(items) > limit {
		items = items[:limit]
	}
	return items
}

func compilePattern(p string) (*regexp.Regexp, error) {
	if p == "" {
		return nil, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("crawler: link pattern %q: %w", p, err)
	}
	return re, nil
}

// listSite crawls section pages with colly, starting at URL and following
// FollowPattern links up to MaxDepth and MaxPages, and collects the links
// that match LinkPattern (or look like articles) on the same host.
func (r *sourceRun) listSite(ctx context.Context) ([]feed.Item, error) {
	start, err := url.Parse(r.src.URL)
	if err != nil {
		return nil, fmt.Errorf("crawler: %s: %w", r.src.URL, err)
	}
	articleRE, err := compilePattern(r.src.LinkPattern)
	if err != nil {
		return nil, err
	}
	followRE, err := compilePattern(r.src.FollowPattern)
	if err != nil {
		return nil, err
	}
	depth := r.src.MaxDepth
	if depth <= 0 {
		depth = defaultMaxDepth
	}
	if followRE == nil {
		depth = 1
	}
	maxPages := r.src.MaxPages
	if maxPages <= 0 {
		maxPages = defaultMaxPages
	}
	maxItems := r.src.MaxItems
	if maxItems <= 0 {
		maxItems = defaultMaxItems
	}

	// colly is set up after NewCollector because it reads COLLY_*
	// environment variables inside it and would otherwise override us.
	col := colly.NewCollector()
	col.UserAgent = r.c.opts.UserAgent
	if col.UserAgent == "" {
		col.UserAgent = fetch.DefaultUserAgent
	}
	col.IgnoreRobotsTxt = false
	col.MaxBodySize = 0 // the fetch transport caps after decompression and fails loudly instead
	col.MaxDepth = depth
	col.AllowURLRevisit = false
	col.Async = false
	col.ParseHTTPErrorResponse = false
	col.AllowedDomains = nil
	col.Context = ctx
	col.WithTransport(r.c.fetch.Transport())
	col.SetRequestTimeout(r.c.opts.Timeout)
	if r.c.opts.PerHostDelay > 0 {
		_ = col.Limit(&colly.LimitRule{DomainGlob: "*", Delay: r.c.opts.PerHostDelay, Parallelism: 1})
	}

	var mu sync.Mutex
	var items []feed.Item
	pages := 0
	seen := map[string]bool{}
	col.OnRequest(func(req *colly.Request) {
		mu.Lock()
		defer mu.Unlock()
		if pages >= maxPages {
			req.Abort()
			return
		}
		pages++
		r.count(func(ss *SourceSummary) { ss.Fetched++ })
	})
	col.OnError(func(resp *colly.Response, err error) {
		r.fail(resp.Request.URL.String(), fmt.Errorf("crawler: section page: %w", err))
	})
	col.OnHTML("a[href]", func(e *colly.HTMLElement) {
		abs := e.Request.AbsoluteURL(e.Attr("href"))
		u, err := url.Parse(abs)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, start.Host) {
			return
		}
		u.Fragment = ""
		abs = u.String()
		isArticle := articleRE != nil && articleRE.MatchString(abs) || articleRE == nil && looksLikeArticle(u)
		if isArticle {
			key := web.Canonicalize(abs)
			mu.Lock()
			if !seen[key] && len(items) < maxItems {
				seen[key] = true
				items = append(items, feed.Item{Link: abs, GUID: key, Title: strings.Join(strings.Fields(e.Text), " ")})
			}
			mu.Unlock()
			return
		}
		if followRE != nil && followRE.MatchString(abs) {
			_ = e.Request.Visit(abs) // depth, revisits and robots are colly's to refuse
		}
	})
	var visited *colly.AlreadyVisitedError
	if err := col.Visit(start.String()); err != nil && !errors.As(err, &visited) {
		// OnError has already recorded HTTP failures of the start page.
		var fe *fetch.Error
		if errors.As(err, &fe) || errors.Is(err, colly.ErrRobotsTxtBlocked) || ctx.Err() != nil {
			return items, fmt.Errorf("crawler: site %s: %w", start, err)
		}
		r.log.Debug("start page", "err", err)
	}
	col.Wait()
	return items, nil
}

// looksLikeArticle guesses from a URL alone: a last path segment that is a
// slug of several words, carries a long number, or ends in .html.
func looksLikeArticle(u *url.URL) bool {
	seg := path.Base(strings.TrimSuffix(u.Path, "/"))
	if seg == "." || seg == "/" || seg == "" {
		return false
	}
	if ext := path.Ext(seg); ext == ".html" || ext == ".htm" || ext == ".php" || ext == ".aspx" {
		return !strings.HasPrefix(seg, "index.")
	}
	digits := 0
	for _, c := range seg {
		if unicode.IsDigit(c) {
			digits++
		}
	}
	return strings.Count(seg, "-") >= 2 || digits >= 5
}
