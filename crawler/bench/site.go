package bench

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// Outlets serves the corpus as news sites on loopback: one server per
// outlet (so per-host limits apply per outlet, as on the web), each with
// paged RSS feeds and one HTML page per article.
type Outlets struct {
	servers []*httptest.Server
	// Feeds are the feed URLs, each a crawler source: an outlet's articles
	// newest first, as news feeds and their archive pages list them.
	Feeds []Feed
	// FileOrderFeeds list the same articles in the corpus's file order
	// (document number), which mixes years and months in every page.
	FileOrderFeeds []Feed
}

// Feed is one served feed.
type Feed struct {
	Name  string
	URL   string
	Items int
}

// Serve starts the outlets with perFeed items per feed.
func Serve(arts []Article, perFeed int) *Outlets {
	byOutlet := map[string][]Article{}
	var order []string
	for _, a := range arts {
		if _, ok := byOutlet[a.Outlet]; !ok {
			order = append(order, a.Outlet)
		}
		byOutlet[a.Outlet] = append(byOutlet[a.Outlet], a)
	}
	o := &Outlets{}
	for _, name := range order {
		list := byOutlet[name]
		newest := newestFirstByOutlet(list)
		srv := httptest.NewServer(outletHandler(newest, list, perFeed))
		o.servers = append(o.servers, srv)
		for n := 0; n*perFeed < len(list); n++ {
			o.Feeds = append(o.Feeds, Feed{
				Name:  fmt.Sprintf("%s-%d", strings.ToLower(name), n),
				URL:   fmt.Sprintf("%s/feed/%d.xml", srv.URL, n),
				Items: min(perFeed, len(list)-n*perFeed),
			})
			o.FileOrderFeeds = append(o.FileOrderFeeds, Feed{
				Name:  fmt.Sprintf("%s-files-%d", strings.ToLower(name), n),
				URL:   fmt.Sprintf("%s/files/%d.xml", srv.URL, n),
				Items: min(perFeed, len(list)-n*perFeed),
			})
		}
	}
	return o
}

// Close stops the servers.
func (o *Outlets) Close() {
	for _, s := range o.servers {
		s.Close()
	}
}

// outletHandler serves the feeds of one outlet: /feed/N lists newest,
// /files/N the same articles in file order; /a/DOC.html is an article page.
func outletHandler(newest, files []Article, perFeed int) http.Handler {
	byDoc := make(map[string]Article, len(files))
	for _, a := range files {
		byDoc[a.DocNo] = a
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{n}", feedHandler(newest, perFeed))
	mux.HandleFunc("GET /files/{n}", feedHandler(files, perFeed))
	mux.HandleFunc("GET /a/{doc}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := byDoc[strings.TrimSuffix(r.PathValue("doc"), ".html")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(Page(a)))
	})
	return mux
}

func feedHandler(list []Article, perFeed int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("n"), ".xml"))
		if err != nil || n < 0 || n*perFeed >= len(list) {
			http.NotFound(w, r)
			return
		}
		base := "http://" + r.Host
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel><title>`)
		b.WriteString(html.EscapeString(list[0].Outlet))
		b.WriteString("</title><link>" + base + "/</link>\n")
		for _, a := range list[n*perFeed : min(len(list), (n+1)*perFeed)] {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s/a/%s.html</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
				html.EscapeString(a.Title), base, a.DocNo, a.DocNo, a.Published.Format(time.RFC1123Z), html.EscapeString(a.Abstract))
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Write([]byte(b.String()))
	}
}

// Page renders an article as a plain news page: navigation, headline,
// date, paragraphs, footer.
func Page(a Article) string {
	var b strings.Builder
	t := html.EscapeString(a.Title)
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>%s</title>`, t)
	fmt.Fprintf(&b, `<meta property="article:published_time" content="%s"></head><body>`, a.Published.Format(time.RFC3339))
	fmt.Fprintf(&b, `<nav><a href="/">الرئيسية</a> <a href="/world">العالم</a> <a href="/sport">رياضة</a></nav><article><h1>%s</h1>`, t)
	for _, p := range a.Paras {
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(p))
		b.WriteString("</p>\n")
	}
	b.WriteString(`</article><footer><p>جميع الحقوق محفوظة</p></footer></body></html>`)
	return b.String()
}
