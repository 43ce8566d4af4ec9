package bench

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler"
)

// SiteOptions shape a generated news site.
type SiteOptions struct {
	Articles int           // total: 1000
	Sections int           // one RSS feed (a crawler source) each: 16
	Hosts    int           // loopback listeners, each a host to the crawler: 8
	Latency  time.Duration // added to every response
}

// Site is an outlet on loopback: sections spread over several hosts, one
// feed per section and one HTML page per article, all text our own
// sentences. It counts requests and the most in flight to one host, so a
// test can check that workers together stay polite.
type Site struct {
	opts    SiteOptions
	servers []*http.Server
	hosts   []string // host:port of each listener

	Requests atomic.Int64
	mu       sync.Mutex
	inflight map[string]int
	maxIn    map[string]int
}

// NewSite starts the site's listeners.
func NewSite(o SiteOptions) (*Site, error) {
	if o.Articles <= 0 {
		o.Articles = 1000
	}
	if o.Sections <= 0 {
		o.Sections = 16
	}
	if o.Hosts <= 0 {
		o.Hosts = 8
	}
	s := &Site{opts: o, inflight: map[string]int{}, maxIn: map[string]int{}}
	for range o.Hosts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("bench: site: %w", err)
		}
		srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
		s.servers = append(s.servers, srv)
		s.hosts = append(s.hosts, ln.Addr().String())
		go srv.Serve(ln)
	}
	return s, nil
}

// Close stops the listeners.
func (s *Site) Close() {
	for _, srv := range s.servers {
		srv.Close()
	}
}

// MaxInFlight is the most requests one host had in flight at once.
func (s *Site) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := 0
	for _, v := range s.maxIn {
		m = max(m, v)
	}
	return m
}

// Sources are the crawler sources of the site, one per section.
func (s *Site) Sources() []crawler.Source {
	out := make([]crawler.Source, s.opts.Sections)
	for i := range out {
		out[i] = crawler.Source{
			Name:        fmt.Sprintf("section-%02d", i),
			Kind:        crawler.KindFeed,
			URL:         fmt.Sprintf("http://%s/feed/%d.xml", s.hosts[i%len(s.hosts)], i),
			Language:    "auto",
			FollowLinks: true,
		}
	}
	return out
}

// articles of section sec: every Sections-th article.
func (s *Site) articles(sec int) []int {
	var out []int
	for n := sec; n < s.opts.Articles; n += s.opts.Sections {
		out = append(out, n)
	}
	return out
}

// Published is the publication time of article n: every seven hours from
// 1 October 2025, so the articles span several months.
func Published(n int) time.Time {
	return time.Date(2025, 10, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(n) * 7 * time.Hour)
}

var (
	places   = []string{"Cairo", "Doha", "Ankara", "Sharm el-Sheikh", "Gaza", "Washington"}
	placesAr = []string{"القاهرة", "الدوحة", "أنقرة", "شرم الشيخ", "غزة", "واشنطن"}
	topics   = []string{"the exchange of detainees", "the entry of aid trucks", "the second phase of the agreement", "the withdrawal lines", "the reopening of the crossing"}
	topicsAr = []string{"تبادل المحتجزين", "دخول شاحنات المساعدات", "المرحلة الثانية من الاتفاق", "خطوط الانسحاب", "إعادة فتح المعبر"}
)

// page is article n as HTML: English for even n, Arabic for odd.
func page(n int) (title, body string, ar bool) {
	p, t := n%len(places), n%len(topics)
	if n%2 == 1 {
		title = fmt.Sprintf("الوسطاء في %s يبحثون %s (تقرير %d)", placesAr[p], topicsAr[t], n)
		body = fmt.Sprintf("<p>قال مسؤول مطلع إن الوسطاء اجتمعوا في %s لبحث %s، وإن الجولة رقم %d من المحادثات انتهت دون إعلان.</p>"+
			"<p>وأضاف أن الوفود ستعود إلى %s خلال أيام، وأن ملف %s ما زال مفتوحا.</p>", placesAr[p], topicsAr[t], n, placesAr[(p+1)%len(placesAr)], topicsAr[(t+2)%len(topicsAr)])
		return title, body, true
	}
	title = fmt.Sprintf("Mediators in %s discuss %s (report %d)", places[p], topics[t], n)
	body = fmt.Sprintf("<p>Mediators met in %s to discuss %s, an official said, adding that round %d of the talks ended without an announcement.</p>"+
		"<p>The delegations are expected back in %s within days, and %s remains open, the official said.</p>", places[p], topics[t], n, places[(p+1)%len(places)], topics[(t+2)%len(topics)])
	return title, body, false
}

// ServeHTTP serves feeds, pages and an empty robots.txt after Latency.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Requests.Add(1)
	s.mu.Lock()
	s.inflight[r.Host]++
	s.maxIn[r.Host] = max(s.maxIn[r.Host], s.inflight[r.Host])
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight[r.Host]--
		s.mu.Unlock()
	}()
	if s.opts.Latency > 0 {
		time.Sleep(s.opts.Latency)
	}
	path := r.URL.Path
	switch {
	case path == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case strings.HasPrefix(path, "/feed/"):
		sec, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/feed/"), ".xml"))
		if err != nil || sec < 0 || sec >= s.opts.Sections {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Section %d</title><link>http://%s/</link><description>generated</description>`, sec, r.Host)
		for _, n := range s.articles(sec) {
			title, _, _ := page(n)
			fmt.Fprintf(&b, `<item><title>%s</title><link>http://%s/a/%d.html</link><guid>urn:mirsad-bench:%d</guid><pubDate>%s</pubDate></item>`,
				html.EscapeString(title), r.Host, n, n, Published(n).Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		fmt.Fprint(w, b.String())
	case strings.HasPrefix(path, "/a/"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path, "/a/"), ".html"))
		if err != nil || n < 0 || n >= s.opts.Articles {
			http.NotFound(w, r)
			return
		}
		title, body, ar := page(n)
		lang, dir := "en", "ltr"
		if ar {
			lang, dir = "ar", "rtl"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="%s" dir="%s"><head><meta charset="utf-8"><title>%s</title>`+
			`<link rel="canonical" href="http://%s/a/%d.html"></head><body><header><nav><a href="/">Home</a></nav></header>`+
			`<article><h1>%s</h1><time datetime="%s">%s</time>%s</article><footer>Generated for Mirsad's tests.</footer></body></html>`,
			lang, dir, html.EscapeString(title), r.Host, n, html.EscapeString(title),
			Published(n).Format(time.RFC3339), Published(n).Format(time.DateOnly), body)
	default:
		http.NotFound(w, r)
	}
}
