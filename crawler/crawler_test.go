package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/encoding/charmap"

	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

type memSink struct {
	mu   sync.Mutex
	docs map[string]document.Article
	puts int
}

func (m *memSink) Put(_ context.Context, a document.Article) (Outcome, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.puts++
	if m.docs == nil {
		m.docs = map[string]document.Article{}
	}
	old, ok := m.docs[a.ID]
	m.docs[a.ID] = a
	switch {
	case !ok:
		return OutcomeNew, nil
	case old.Body == a.Body:
		return OutcomeUnchanged, nil
	}
	return OutcomeUpdated, nil
}

func (m *memSink) titles() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, a := range m.docs {
		out = append(out, a.Title)
	}
	sort.Strings(out)
	return out
}

// newTestCrawler allows loopback (our httptest servers) and does not retry,
// so that failures show at once.
func newTestCrawler(t *testing.T, mod func(*Options)) *Crawler {
	t.Helper()
	o := Options{
		Fetch: fetch.New(fetch.Options{AllowPrivateNetworks: true, MaxRetries: -1, Timeout: 5 * time.Second}, nil),
	}
	if mod != nil {
		mod(&o)
	}
	return New(o, nil)
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// articlePage is our page template with a title and a first paragraph.
func articlePage(t *testing.T, title, body, head string) string {
	return strings.NewReplacer("{{TITLE}}", title, "{{BODY}}", body, "{{HEAD}}", head).Replace(readTestdata(t, "page.html"))
}

func rssItem(title, link, guid, desc string) string {
	return fmt.Sprintf(`<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>Mon, 03 Nov 2025 10:00:00 +0000</pubDate><description>%s</description></item>`,
		title, strings.ReplaceAll(link, "&", "&amp;"), guid, desc)
}

func rss(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test Wire</title>` + strings.Join(items, "\n") + `</channel></rss>`
}

func only(t *testing.T, sum Summary) SourceSummary {
	t.Helper()
	if len(sum.Sources) != 1 {
		t.Fatalf("sources = %+v", sum.Sources)
	}
	return sum.Sources[0]
}

func TestSchemeRefused(t *testing.T) {
	sum := newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "f", URL: "file:///etc/passwd"}}, &memSink{})
	if sum.Status != "failed" || !strings.Contains(sum.Sources[0].Errors[0].Error, "file:///etc/passwd") {
		t.Fatalf("%+v", sum)
	}
}

func TestLoopbackRefusedByDefault(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, rss(rssItem("t", "/a", "a", "Some words here.")))
	}))
	defer srv.Close()
	sum := New(Options{}, nil).Run(context.Background(), []Source{{Name: "lo", URL: srv.URL + "/rss"}}, &memSink{})
	ss := only(t, sum)
	if sum.Status != "failed" || ss.New != 0 || len(ss.Errors) != 1 || !strings.Contains(ss.Errors[0].Error, "allow_private_networks") {
		t.Fatalf("%+v", sum)
	}
}

func TestBodyCapAfterDecompression(t *testing.T) {
	// 8 KiB of gzip that inflates to 8 MiB: the cap must see the inflated size.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("a"), 8<<20))
	zw.Close()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			io.WriteString(w, rss(rssItem("Bomb", srv.URL+"/bomb", "b", "x")))
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			w.Write(gz.Bytes())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newTestCrawler(t, func(o *Options) {
		o.Fetch = fetch.New(fetch.Options{AllowPrivateNetworks: true, MaxRetries: -1, MaxBodyBytes: 1 << 20}, nil)
	})
	ss := only(t, c.Run(context.Background(), []Source{{Name: "b", URL: srv.URL + "/rss", FollowLinks: true}}, &memSink{}))
	if ss.Failed != 1 || !strings.Contains(ss.Errors[0].Error, "exceeds 1 MiB") {
		t.Fatalf("%+v", ss)
	}
}

func TestTruncatedFeed(t *testing.T) {
	full := rss(
		rssItem("Talks resume", "/a", "a", "Delegations met in Cairo on Monday."),
		rssItem("Crossing reopens", "/b", "b", "Trucks crossed at Rafah on Tuesday."),
		rssItem("Third story", "/c", "c", "This one is cut off in the middle."),
	)
	cut := full[:strings.Index(full, "Third story")+5]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, cut)
	}))
	defer srv.Close()
	sink := &memSink{}
	sum := newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "t", URL: srv.URL + "/rss"}}, sink)
	ss := only(t, sum)
	if ss.New != 2 || ss.Failed != 1 || !strings.Contains(ss.Errors[0].Error, "truncated") {
		t.Fatalf("%+v", ss)
	}
	if got := strings.Join(sink.titles(), "|"); got != "Crossing reopens|Talks resume" {
		t.Errorf("titles %q", got)
	}
	if sum.Status != "partial" {
		t.Errorf("status %q", sum.Status)
	}
}

func TestDuplicateGUIDs(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, rss(
			rssItem("First", srv.URL+"/a", "story-1", "The mediators met in Doha."),
			rssItem("First again", srv.URL+"/a-mobile", "story-1", "The mediators met in Doha."),
			rssItem("Second", srv.URL+"/b", "story-2", "The crossing reopened."),
		))
	}))
	defer srv.Close()
	sink := &memSink{}
	ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "g", URL: srv.URL + "/rss"}}, sink))
	if ss.New != 2 || ss.Duplicates != 1 || ss.Failed != 0 || sink.puts != 2 {
		t.Fatalf("%+v puts=%d", ss, sink.puts)
	}
}

func TestDuplicateLinks(t *testing.T) {
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprint("follow=", follow), func(t *testing.T) { testDuplicateLinks(t, follow) })
	}
}

func testDuplicateLinks(t *testing.T, follow bool) {
	var srv *httptest.Server
	pageBody := "Aid trucks crossed at Rafah on Monday, drivers said, after hours of checks at the gate."
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/s" {
			io.WriteString(w, articlePage(t, "Same story", pageBody, ""))
			return
		}
		var items []string
		for i, q := range []string{"", "?utm_source=a", "?utm_source=b&fbclid=z"} {
			items = append(items, rssItem("Same story", srv.URL+"/s"+q, fmt.Sprint("g", i), "&lt;p&gt;Aid trucks crossed at Rafah on &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;"))
		}
		io.WriteString(w, rss(items...))
	}))
	defer srv.Close()
	sink := &memSink{}
	ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "s", URL: srv.URL + "/rss", FollowLinks: follow}}, sink))
	if ss.New != 1 || ss.Duplicates != 2 || ss.Failed != 0 {
		t.Fatalf("%+v", ss)
	}
	want := "Aid trucks crossed at Rafah on Monday"
	for _, a := range sink.docs {
		// Following links, the body comes from the page (by whichever
		// extraction method fits it), never from the feed's teaser.
		fromFeed := a.Extraction["body"] == "feed"
		if !strings.Contains(a.Body, want) || fromFeed == follow || strings.Contains(a.CanonicalURL, "utm_") {
			t.Errorf("body %q via %s, canonical %s", a.Body, a.Extraction["body"], a.CanonicalURL)
		}
		if follow && !strings.Contains(a.Body, pageBody) {
			t.Errorf("body %q lacks the page text", a.Body)
		}
	}
}

func TestWindows1256CharsetOnlyInHeader(t *testing.T) {
	var srv *httptest.Server
	var encoded []byte
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1256")
		w.Write(encoded)
	}))
	defer srv.Close()
	text := strings.ReplaceAll(readTestdata(t, "feed-ar.xml"), "{{BASE}}", srv.URL)
	var err error
	if encoded, err = charmap.Windows1256.NewEncoder().Bytes([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(encoded, []byte("encoding=")) {
		t.Fatal("the feed must not declare its charset itself")
	}
	sink := &memSink{}
	ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "ar", URL: srv.URL + "/rss", Language: "ar"}}, sink))
	if ss.New != 2 || ss.Failed != 0 {
		t.Fatalf("%+v", ss)
	}
	want := []string{"تركيا تعرض المساعدة في انتشال الجثامين", "وفد مصري يصل إلى الدوحة لبحث المرحلة الثانية"}
	if got := sink.titles(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("titles %q, want %q", got, want)
	}
	for _, a := range sink.docs {
		if strings.ContainsRune(a.Body, '\uFFFD') || !strings.Contains(text, a.Body) {
			t.Errorf("body not decoded as written: %q", a.Body)
		}
	}
}

func TestHangingSourceDoesNotHoldUpOthers(t *testing.T) {
	stop := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer hang.Close()
	defer close(stop)
	good := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, rss(rssItem(name+" story", "/"+name, name, "Delegations met in Cairo on Monday.")))
		}))
	}
	g1, g2 := good("one"), good("two")
	defer g1.Close()
	defer g2.Close()
	sources := []Source{
		{Name: "hangs", URL: hang.URL + "/rss", Timeout: 700 * time.Millisecond},
		{Name: "one", URL: g1.URL + "/rss"},
		{Name: "two", URL: g2.URL + "/rss"},
	}
	sink := &memSink{}
	start := time.Now()
	sum := newTestCrawler(t, func(o *Options) { o.Concurrency = 1 }).Run(context.Background(), sources, sink)
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("run took %s: the hanging source held the others up", el)
	}
	if sum.Status != "partial" {
		t.Errorf("status %q", sum.Status)
	}
	h := sum.Sources[0]
	if h.Failed != 1 || !strings.Contains(h.Errors[0].Error, "timed out after 700ms") {
		t.Errorf("hangs: %+v", h)
	}
	for _, s := range sum.Sources[1:] {
		if s.New != 1 || s.Failed != 0 {
			t.Errorf("%s: %+v", s.Name, s)
		}
	}
}

// conditionalFeed serves a feed with an ETag and answers 304 to it.
type conditionalFeed struct {
	mu       sync.Mutex
	etag     string
	body     string
	requests int
	got304   int
}

func (f *conditionalFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if r.Header.Get("If-None-Match") == f.etag {
		f.got304++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", f.etag)
	io.WriteString(w, f.body)
}

func (f *conditionalFeed) set(etag, body string) {
	f.mu.Lock()
	f.etag, f.body = etag, body
	f.mu.Unlock()
}

func TestConditionalGetAndSeenGUIDsAcrossRuns(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "state.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := &conditionalFeed{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	f.set(`"v1"`, rss(
		rssItem("Talks resume", "/a", "a", "Delegations met in Cairo on Monday."),
		rssItem("Crossing reopens", "/b", "b", "Trucks crossed at Rafah on Tuesday."),
	))
	src := []Source{{Name: "c", URL: srv.URL + "/rss"}}
	sink := &memSink{}
	run := func() SourceSummary {
		// A new Crawler each time: what carries over is in the DB.
		return only(t, newTestCrawler(t, func(o *Options) { o.DB = db }).Run(context.Background(), src, sink))
	}
	if ss := run(); ss.New != 2 || ss.Fetched != 1 {
		t.Fatalf("first run: %+v", ss)
	}
	if ss := run(); ss.Unchanged != 1 || ss.New+ss.Updated != 0 || f.got304 != 1 || sink.puts != 2 {
		t.Fatalf("second run: %+v, 304s=%d, puts=%d", ss, f.got304, sink.puts)
	}
	// An edit to one story: the feed changes, the story is updated, and the
	// other one, already ingested, costs nothing.
	f.set(`"v2"`, rss(
		rssItem("Talks resume", "/a", "a", "Delegations met in Cairo on Monday and again on Tuesday."),
		rssItem("Crossing reopens", "/b", "b", "Trucks crossed at Rafah on Tuesday."),
	))
	if ss := run(); ss.Updated != 1 || ss.Unchanged != 1 || ss.New != 0 || sink.puts != 3 {
		t.Fatalf("third run: %+v, puts=%d", ss, sink.puts)
	}
	if ss := run(); ss.Unchanged != 1 || f.got304 != 2 {
		t.Fatalf("fourth run: %+v, 304s=%d", ss, f.got304)
	}
}

func TestFailedItemKeepsFeedUnconditional(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "state.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	broken := true
	var srv *httptest.Server
	f := &conditionalFeed{}
	mux := http.NewServeMux()
	mux.Handle("/rss", f)
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if broken {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, articlePage(t, "Talks resume", "Delegations met in Cairo on Monday to discuss the second phase of the agreement.", ""))
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()
	f.set(`"v1"`, rss(rssItem("Talks resume", srv.URL+"/a", "a", "x")))
	src := []Source{{Name: "c", URL: srv.URL + "/rss", FollowLinks: true}}
	sink := &memSink{}
	run := func() SourceSummary {
		return only(t, newTestCrawler(t, func(o *Options) { o.DB = db }).Run(context.Background(), src, sink))
	}
	if ss := run(); ss.Failed != 1 || ss.New != 0 {
		t.Fatalf("first run: %+v", ss)
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	// The feed did not change, but the story that failed must still land.
	if ss := run(); ss.New != 1 || f.got304 != 0 {
		t.Fatalf("second run: %+v, 304s=%d", ss, f.got304)
	}
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, s)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSitemapIndexAndGzip(t *testing.T) {
	var srv *httptest.Server
	pages := map[string]string{
		"/2025/11/03/kalin-in-cairo": "Ibrahim Kalin arrived in Cairo on Monday for talks with Egyptian intelligence officials.",
		"/2025/11/04/rafah-reopens":  "The Rafah crossing reopened on Tuesday for the wounded and the sick, officials said.",
		"/2025/10/20/doha-meeting":   "Qatari and Egyptian mediators met in Doha on Monday to review the first phase.",
	}
	fetched := map[string]int{}
	var mu sync.Mutex
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/sitemap_index.xml":
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/news.xml.gz</loc></sitemap>
<sitemap><loc>/archive.xml</loc><lastmod>2025-10-21</lastmod></sitemap>
</sitemapindex>`, srv.URL)
		case "/news.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gzipBytes(t, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%[1]s/2025/11/03/kalin-in-cairo</loc><news:news><news:publication><news:name>Wire</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2025-11-03T09:00:00+02:00</news:publication_date><news:title>Kalin arrives in Cairo</news:title></news:news></url>
<url><loc>%[1]s/2025/11/04/rafah-reopens</loc><news:news><news:publication><news:name>Wire</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2025-11-04T08:00:00Z</news:publication_date><news:title>Rafah reopens</news:title></news:news></url>
</urlset>`, srv.URL)))
		case "/archive.xml":
			// gzip as a transfer encoding this time: the transport decodes it.
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBytes(t, `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/2025/10/20/doha-meeting</loc><lastmod>2025-10-20T12:00:00Z</lastmod></url></urlset>`))
		default:
			body, ok := pages[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			io.WriteString(w, articlePage(t, "Page title "+r.URL.Path, body, ""))
		}
	}))
	defer srv.Close()

	t.Run("all", func(t *testing.T) {
		sink := &memSink{}
		ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "sm", Kind: KindSitemap, URL: srv.URL + "/sitemap_index.xml"}}, sink))
		if ss.New != 3 || ss.Failed != 0 || ss.Fetched != 6 {
			t.Fatalf("%+v", ss)
		}
		for _, a := range sink.docs {
			switch {
			case strings.HasSuffix(a.URL, "kalin-in-cairo"):
				if a.Title != "Kalin arrives in Cairo" || !a.Published.Equal(time.Date(2025, 11, 3, 7, 0, 0, 0, time.UTC)) {
					t.Errorf("news fields lost: %q %v", a.Title, a.Published)
				}
			case strings.HasSuffix(a.URL, "doha-meeting"):
				if !strings.Contains(a.Body, pages["/2025/10/20/doha-meeting"]) {
					t.Errorf("body %q", a.Body)
				}
			}
		}
	})
	t.Run("newest only", func(t *testing.T) {
		mu.Lock()
		clear(fetched)
		mu.Unlock()
		sink := &memSink{}
		ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "sm", Kind: KindSitemap, URL: srv.URL + "/sitemap_index.xml", MaxItems: 2, LinkPattern: `/2025/`}}, sink))
		if ss.New != 2 || fetched["/2025/10/20/doha-meeting"] != 0 {
			t.Fatalf("%+v, fetched %v", ss, fetched)
		}
	})
}

func TestSiteCrawlLimits(t *testing.T) {
	var srv *httptest.Server
	section := func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, `<html><body><h1>World, page %d</h1><ul>`, n)
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(&b, `<li><a href="/world/2025/11/story-%d-%d">Story %d of page %d</a></li>`, n, i, i, n)
		}
		fmt.Fprintf(&b, `</ul><a href="/world/?page=%d">Next</a> <a href="https://elsewhere.example/world/2025/11/x-y-z">Elsewhere</a> <a href="/about">About</a></body></html>`, n+1)
		return b.String()
	}
	var mu sync.Mutex
	hits := map[string]int{}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RequestURI()]++
		mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /world/?page=9\n")
		case r.URL.Path == "/world/":
			n := 1
			fmt.Sscan(r.URL.Query().Get("page"), &n)
			io.WriteString(w, section(n))
		case strings.HasPrefix(r.URL.Path, "/world/2025/"):
			io.WriteString(w, articlePage(t, "Story "+r.URL.Path, "Negotiators from Egypt, Qatar and Turkey met again on Monday to discuss the next phase of the ceasefire.", ""))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name          string
		src           Source
		wantNew       int
		wantSections  int
		notVisitedURI string
	}{
		{"start page only", Source{}, 3, 1, "/world/?page=2"},
		{"depth 2", Source{FollowPattern: `/world/\?page=\d+$`, MaxDepth: 2}, 6, 2, "/world/?page=3"},
		{"page limit", Source{FollowPattern: `/world/\?page=\d+$`, MaxDepth: 10, MaxPages: 3}, 9, 3, "/world/?page=4"},
		{"item limit", Source{FollowPattern: `/world/\?page=\d+$`, MaxDepth: 10, MaxPages: 3, MaxItems: 4, LinkPattern: `/world/2025/`}, 4, 3, "/world/?page=4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			clear(hits)
			mu.Unlock()
			src := tc.src
			src.Name, src.Kind, src.URL = "site", KindSite, srv.URL+"/world/"
			sink := &memSink{}
			ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{src}, sink))
			if ss.New != tc.wantNew || ss.Failed != 0 {
				t.Fatalf("%+v", ss)
			}
			mu.Lock()
			defer mu.Unlock()
			sections := 0
			for uri, n := range hits {
				if strings.HasPrefix(uri, "/world/?") || uri == "/world/" {
					sections += n
				}
			}
			if sections != tc.wantSections || hits[tc.notVisitedURI] != 0 || hits["/about"] != 0 {
				t.Errorf("section fetches %d, want %d; hits %v", sections, tc.wantSections, hits)
			}
		})
	}
}

func TestFeedAutodiscovery(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			io.WriteString(w, `<!DOCTYPE html><html><head><title>Home</title>
<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/atom+xml" title="Atom" href="/feeds/atom.xml">
</head><body><p>Welcome</p></body></html>`)
		case "/nofeed":
			io.WriteString(w, `<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>`)
		case "/feeds/atom.xml":
			w.Header().Set("Content-Type", "application/atom+xml")
			io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><id>tag:wire,2025:1</id><title>Talks resume in Cairo</title><link rel="alternate" href="/s/1"/>
<published>2025-10-20T08:00:00Z</published><summary>Delegations met in Cairo on Monday.</summary></entry></feed>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	sink := &memSink{}
	sum := newTestCrawler(t, nil).Run(context.Background(), []Source{
		{Name: "home", URL: srv.URL + "/"},
		{Name: "nofeed", URL: srv.URL + "/nofeed"},
	}, sink)
	if ss := sum.Sources[0]; ss.New != 1 || ss.Failed != 0 {
		t.Errorf("home: %+v", ss)
	}
	for _, a := range sink.docs {
		if a.URL != srv.URL+"/s/1" || a.Title != "Talks resume in Cairo" {
			t.Errorf("article %+v", a)
		}
	}
	if ss := sum.Sources[1]; ss.Failed != 1 || !strings.Contains(ss.Errors[0].Error, "rel=\"alternate\"") {
		t.Errorf("nofeed: %+v", ss)
	}
}

// TestHostileFeeds: each feed ends in a clear per-source error or a correct
// result, and never in an expanded entity or a control character indexed.
func TestHostileFeeds(t *testing.T) {
	item := rssItem("Talks resume", "/a", "a", "Delegations met in Cairo on Monday.")
	for _, tc := range []struct {
		name, body  string
		wantNew     int
		wantErr     string
		mustNotSee  string
		contentType string
	}{
		{name: "empty 200", body: "", wantErr: "empty document"},
		{name: "whitespace 200", body: " \n\t ", wantErr: "empty document"},
		{name: "not a feed", body: `{"hello": "world"}`, wantErr: "feed"},
		{name: "billion laughs", body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>t</title><item><title>Laughs</title><link>/a</link><description>Before &lol3; after, and some words.</description></item></channel></rss>`, wantNew: 1, mustNotSee: "lollol"},
		{name: "external entity", body: `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>XXE</title><link>/a</link><description>Leak: &xxe; end of the story.</description></item></channel></rss>`, wantNew: 1, mustNotSee: "root:"},
		{name: "control characters", body: strings.Replace(rss(item), "Delegations", "Dele\x01gations\x0b", 1), wantNew: 1, mustNotSee: "\x01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			sink := &memSink{}
			ss := only(t, newTestCrawler(t, nil).Run(context.Background(), []Source{{Name: "h", URL: srv.URL + "/rss"}}, sink))
			if ss.New != tc.wantNew {
				t.Errorf("new = %d, want %d (%+v)", ss.New, tc.wantNew, ss)
			}
			if tc.wantErr != "" && (ss.Failed != 1 || !strings.Contains(ss.Errors[0].Error, tc.wantErr) || !strings.Contains(ss.Errors[0].Error, srv.URL)) {
				t.Errorf("want one error naming the feed and %q: %+v", tc.wantErr, ss)
			}
			for _, a := range sink.docs {
				if tc.mustNotSee != "" && (strings.Contains(a.Body, tc.mustNotSee) || strings.Contains(a.Title, tc.mustNotSee)) {
					t.Errorf("indexed %q", a.Body)
				}
			}
		})
	}
}

// durableSink keeps an article only once flushed, as the indexer does.
type durableSink struct {
	mu      sync.Mutex
	pending map[string]document.Article
	durable map[string]document.Article
}

func (d *durableSink) Put(_ context.Context, a document.Article) (Outcome, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending == nil {
		d.pending, d.durable = map[string]document.Article{}, map[string]document.Article{}
	}
	d.pending[a.ID] = a
	return OutcomeNew, nil
}

func (d *durableSink) Flush(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, a := range d.pending {
		d.durable[id] = a
	}
	clear(d.pending)
	return nil
}

func (d *durableSink) stored() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.durable)
}

func seenCount(t *testing.T, db *bolt.DB) int {
	t.Helper()
	n := 0
	if err := db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(BucketSeen)).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCheckpointsDuringASource: a long source records its progress as it
// goes, never ahead of what the sink has made durable, so a run killed
// half-way resumes after the stories already stored.
func TestCheckpointsDuringASource(t *testing.T) {
	var items []string
	for i := range 250 {
		items = append(items, rssItem(fmt.Sprintf("Story %d", i), fmt.Sprintf("/s/%d", i), fmt.Sprint("g", i), fmt.Sprintf("Delegations met for the %dth time.", i)))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, rss(items...))
	}))
	defer srv.Close()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "state.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sink := &durableSink{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var checked bool
	c := newTestCrawler(t, func(o *Options) {
		o.DB, o.Workers, o.CheckpointInterval = db, 1, time.Nanosecond
		o.Progress = func(p Progress) {
			if p.Done != 160 || checked {
				return
			}
			checked = true
			// Mid-run: checkpoints were taken, none ahead of the sink.
			if seen, stored := seenCount(t, db), sink.stored(); seen < 150 || seen > stored {
				t.Errorf("at 160 items: %d recorded, %d durable", seen, stored)
			}
			cancel() // the run stops here
		}
	})
	ss := only(t, c.Run(ctx, []Source{{Name: "long", URL: srv.URL + "/rss"}}, sink))
	if !checked || ss.New < 160 || ss.New >= 250 {
		t.Fatalf("first run: %+v", ss)
	}
	// The next run puts only what the first did not record.
	again := &durableSink{}
	ss2 := only(t, newTestCrawler(t, func(o *Options) { o.DB = db }).Run(context.Background(), []Source{{Name: "long", URL: srv.URL + "/rss"}}, again))
	if ss2.New+ss.New != 250 || ss2.Unchanged != ss.New {
		t.Fatalf("second run: %+v after %+v", ss2, ss)
	}
}
