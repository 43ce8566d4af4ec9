package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/search"
	"github.com/mirsad-observatory/mirsad/search/api"
)

// corpus is the demo sites plus broken sources, ingested once into a real
// index in a temp dir and served through the real API handler.
type corpus struct {
	ix      *indexer.Indexer
	api     *httptest.Server
	summary crawler.Summary
	broken  string // base URL of the broken site
}

func brokenSite(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	page := func(title, body string) string {
		return `<html lang="en"><head><title>` + title + `</title></head><body><nav><a href="/">Home</a></nav>` + body + `<footer>(c) Broken Times</footer></body></html>`
	}
	mux.HandleFunc("/rss.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken Times</title>
<item><title>Good story about the Rafah crossing</title><link>%[1]s/good.html</link><guid>b-1</guid><pubDate>Mon, 03 Nov 2025 10:00:00 +0000</pubDate></item>
<item><title>Video only</title><link>%[1]s/video.html</link><guid>b-2</guid><pubDate>Mon, 03 Nov 2025 11:00:00 +0000</pubDate></item>
<item><title>Gone</title><link>%[1]s/gone.html</link><guid>b-3</guid><pubDate>Mon, 03 Nov 2025 12:00:00 +0000</pubDate></item>
</channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off<item><title>half`)
	})
	mux.HandleFunc("/good.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("Good story", `<article><h1>Good story about the Rafah crossing</h1>
<p>Trucks carrying flour and medicine queued at the Rafah crossing on Monday while officials checked their loads one by one.</p>
<p>Drivers said the wait had grown shorter since the ceasefire, though many still slept in their cabs overnight.</p></article>`))
	})
	mux.HandleFunc("/video.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("Video only", `<div class="player">▶</div>`))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func newCorpus(t *testing.T) *corpus {
	t.Helper()
	ctx := context.Background()
	sites, err := startDemoSites()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sites.Close)
	broken := brokenSite(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // a port nobody listens on: an unreachable feed

	pipeline, err := newPipeline(config.Default(), &env{logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndexerWith(indexer.Options{Dir: t.TempDir(), BatchSize: 7, Enricher: pipeline}, &env{logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close(ctx) })
	var sources []crawler.Source
	for _, s := range sites.Sites {
		sources = append(sources, crawler.Source{Name: s.Name, Kind: "feed", URL: s.FeedURL, Language: "auto", FollowLinks: true})
	}
	sources = append(sources,
		crawler.Source{Name: "broken", Kind: "feed", URL: broken.URL + "/rss.xml", Language: "en", FollowLinks: true},
		crawler.Source{Name: "malformed", Kind: "feed", URL: broken.URL + "/malformed.xml", FollowLinks: true},
		crawler.Source{Name: "unreachable", Kind: "feed", URL: deadURL + "/rss.xml", FollowLinks: true},
	)
	cr := crawler.New(crawler.Options{Timeout: 5 * time.Second, AllowPrivateNetworks: true}, nil) // the sites are on loopback
	sum := cr.Run(ctx, sources, sink{ix})
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(newSearch(ix), api.Options{}).Handler())
	t.Cleanup(srv.Close)
	return &corpus{ix: ix, api: srv, summary: sum, broken: broken.URL}
}

func (c *corpus) get(t *testing.T, path string, v url.Values) (int, []byte) {
	t.Helper()
	u := c.api.URL + path
	if v != nil {
		u += "?" + v.Encode()
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func (c *corpus) search(t *testing.T, kv ...string) search.Result {
	t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	code, body := c.get(t, "/api/search", v)
	if code != http.StatusOK {
		t.Fatalf("search %v: HTTP %d: %s", v, code, body)
	}
	var r search.Result
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// slug names a demo article the way testdata/site/probes.json does.
func slug(p string) string {
	p = strings.TrimSuffix(strings.TrimSuffix(p, "/index.html"), ".html")
	return path.Base(p)
}

func slugs(r search.Result) []string {
	var out []string
	for _, h := range r.Hits {
		u, _ := url.Parse(h.URL)
		out = append(out, slug(u.Path))
	}
	return out
}

func TestDemoIngestAndSearch(t *testing.T) {
	c := newCorpus(t)

	t.Run("summary", func(t *testing.T) {
		by := map[string]crawler.SourceSummary{}
		for _, s := range c.summary.Sources {
			by[s.Name] = s
		}
		if c.summary.Status != "partial" {
			t.Errorf("status = %q, want partial", c.summary.Status)
		}
		if s := by["nile"]; s.New != 18 || s.Failed != 0 {
			t.Errorf("nile: %+v", s)
		}
		if s := by["levant"]; s.New != 16 || s.Failed != 0 {
			t.Errorf("levant: %+v", s)
		}
		b := by["broken"]
		if b.New != 1 || b.Failed != 2 {
			t.Errorf("broken: %+v", b)
		}
		wantErr := map[string]string{
			c.broken + "/video.html": "no article body",
			c.broken + "/gone.html":  "Not Found",
		}
		for _, e := range b.Errors {
			if w, ok := wantErr[e.URL]; !ok || !strings.Contains(e.Error, w) {
				t.Errorf("unexpected error %+v", e)
			}
			delete(wantErr, e.URL)
		}
		if len(wantErr) > 0 {
			t.Errorf("missing errors for %v", wantErr)
		}
		if m := by["malformed"]; m.Failed != 1 || !strings.Contains(m.Errors[0].Error, "malformed.xml") {
			t.Errorf("malformed: %+v", m)
		}
		if u := by["unreachable"]; u.Failed != 1 || !strings.Contains(u.Errors[0].Error, "connection refused") {
			t.Errorf("unreachable: %+v", u)
		}
	})

	t.Run("queries", func(t *testing.T) {
		for _, tc := range []struct {
			name, q, lang string
			want          []string // must all be found
			only          bool     // and nothing else
		}{
			{"arabic tatweel in text", "القاهرة", "", []string{"second-phase-talks-next-week", "kalin-arrives-cairo"}, false},
			{"arabic phrase", "البيان المشترك", "", []string{"cairo-joint-statement"}, true},
			{"arabic words in other order and prefixed text", "العسكري المدني التنسيق مركز", "ar", []string{"cmcc-kiryat-gat"}, true},
			{"english phrase", `"joint statement"`, "", []string{"mediators-joint-statement-cairo"}, true},
			{"english stemmed", "marathons", "en", []string{"coastal-half-marathon"}, true},
			{"english distractor phrase", `"Cairo Station"`, "", []string{"chahine-retrospective"}, true},
			{"arabic distractor, boilerplate never indexed", "المتحف المصري الكبير", "", []string{"grand-egyptian-museum-opening"}, true},
			{"stop words dropped", "the Civil-Military Coordination Center", "", []string{"cmcc-kiryat-gat-opens", "aid-trucks-shortfall"}, true},
			{"exclusion", "marathon -Byblos", "", nil, true},
			{"fuzzy", "Kallin~1 Cairo", "en", []string{"kalin-cairo-visit"}, false},
			{"prefix", "marath*", "en", []string{"coastal-half-marathon"}, true},
			{"arabic prefix over normalized forms", "المتحـف المصري الكبي*", "", []string{"grand-egyptian-museum-opening"}, true},
			{"field", "title:marathon", "", []string{"coastal-half-marathon"}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.search(t, "q", tc.q, "lang", tc.lang, "size", "50")
				got := slugs(r)
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("q=%q: %s not found in %v", tc.q, w, got)
					}
				}
				if tc.only && len(got) != len(tc.want) {
					t.Errorf("q=%q: got %v, want only %v", tc.q, got, tc.want)
				}
			})
		}
	})

	t.Run("probes", func(t *testing.T) {
		// testdata/site/probes.json: queries whose answers the site's authors
		// checked by hand, each exercising one kind of spelling variation.
		data, err := os.ReadFile("../../testdata/site/probes.json")
		if err != nil {
			t.Fatal(err)
		}
		var probes []struct {
			ID, Kind, Query, Lang string
			MustFind              []string `json:"must_find"`
			Only                  bool
			Traps                 []string `json:"boilerplate_traps"`
		}
		if err := json.Unmarshal(data, &probes); err != nil {
			t.Fatal(err)
		}
		ran := 0
		for _, p := range probes {
			param := map[string]string{"text": "q", "stretch": "q", "entity": "entity", "speaker": "speaker"}[p.Kind]
			if param == "" {
				continue // cluster probes belong to the clustering issue
			}
			ran++
			t.Run(p.ID, func(t *testing.T) {
				got := slugs(c.search(t, param, p.Query, "size", "100", "expand", "none"))
				for _, m := range p.MustFind {
					if !slices.Contains(got, slug(m)) {
						t.Errorf("q=%s: %s not found in %v", p.Query, slug(m), got)
					}
				}
				if p.Only && len(got) != len(p.MustFind) {
					t.Errorf("q=%s: got %v, want only %d", p.Query, got, len(p.MustFind))
				}
				for _, trap := range p.Traps {
					if slices.Contains(got, slug(trap)) && !slices.Contains(p.MustFind, trap) {
						t.Errorf("q=%s: %s matched through boilerplate", p.Query, slug(trap))
					}
				}
			})
		}
		if ran < 20 {
			t.Fatalf("only %d probes", ran)
		}
	})

	t.Run("entities across scripts", func(t *testing.T) {
		// Every spelling of Kalın, in either script, finds the same articles,
		// Arabic-only ones included.
		want := slugs(c.search(t, "entity", "ibrahim-kalin", "size", "100"))
		if !slices.Contains(want, "kalin-arrives-cairo") || !slices.Contains(want, "kalin-cairo-visit") {
			t.Fatalf("entity=ibrahim-kalin: %v", want)
		}
		for _, alias := range []string{"Kalin", "Kalın", "İbrahim Kalın", "إبراهيم قالن", "ابراهيم كالين"} {
			got := slugs(c.search(t, "entity", alias, "size", "100"))
			slices.Sort(got)
			w := slices.Sorted(slices.Values(want))
			if !slices.Equal(got, w) {
				t.Errorf("entity=%s: %v, want %v", alias, got, w)
			}
		}
		// Two entities: both must be mentioned.
		both := c.search(t, "entity", "Kalin", "entity", "حسن رشاد", "size", "100")
		if both.Total == 0 || both.Total > uint64(len(want)) {
			t.Errorf("entity=Kalin&entity=حسن رشاد: %d", both.Total)
		}
		// A query word that names an entity also finds the other script.
		expanded := slugs(c.search(t, "q", "Kalin", "size", "100"))
		if !slices.Contains(expanded, "kalin-arrives-cairo") {
			t.Errorf("q=Kalin does not reach the Arabic article: %v", expanded)
		}
		code, body := c.get(t, "/api/search", url.Values{"entity": {"Nobody Anybody"}})
		if code != 400 || !strings.Contains(string(body), "no entity") {
			t.Errorf("unknown entity: %d %s", code, body)
		}
		var ents search.EntityResult
		_, body = c.get(t, "/api/entities", url.Values{"q": {"قالن"}})
		if json.Unmarshal(body, &ents) != nil || len(ents.Hits) == 0 || ents.Hits[0].ID != "ibrahim-kalin" ||
			ents.Hits[0].DocCount != uint64(len(want)) || len(ents.Hits[0].Names["en"]) == 0 {
			t.Errorf("/api/entities?q=قالن: %s", body)
		}
		r := c.search(t, "q", "Kalin", "size", "5")
		found := false
		for _, f := range r.Facets.Entities["person"] {
			found = found || (f.Value == "ibrahim-kalin" && f.Count > 0 && f.Name != "")
		}
		if !found {
			t.Errorf("person facet lacks Kalın: %+v", r.Facets.Entities)
		}
	})

	t.Run("claims", func(t *testing.T) {
		var res search.ClaimResult
		code, body := c.get(t, "/api/claims", url.Values{"speaker": {"ماجد الأنصاري"}, "size": {"50"}})
		if code != 200 || json.Unmarshal(body, &res) != nil || res.Total == 0 {
			t.Fatalf("claims by al-Ansari: %d %s", code, body)
		}
		langs := map[string]bool{}
		for _, h := range res.Hits {
			// al-Ansari is not in the built-in gazetteer: both scripts must
			// still meet in one discovered identity.
			if h.Speaker.ID != res.Hits[0].Speaker.ID || h.Speaker.ID == "" || h.Text == "" || h.URL == "" || h.Group.Outlets < 1 || h.Group.FirstURL == "" {
				t.Errorf("claim %+v", h)
			}
			langs[h.Lang] = true
		}
		if !langs["ar"] || !langs["en"] {
			t.Errorf("al-Ansari is quoted in both languages, got %v", langs)
		}
		// Every claim's text is an exact span of its article.
		for _, h := range res.Hits {
			a, _, _ := c.ix.Article(h.DocID)
			if !strings.Contains(a.Body, h.Text) {
				t.Errorf("claim text not in its article: %q", h.Text)
			}
		}
		code, _ = c.get(t, "/api/claims", url.Values{"from": {"2025-13-01"}})
		if code != 400 {
			t.Errorf("bad date: %d", code)
		}

		// Claims say what their cue attributes; mode filters on it.
		code, body = c.get(t, "/api/claims", url.Values{"mode": {"speech"}, "size": {"100"}})
		res = search.ClaimResult{}
		if code != 200 || json.Unmarshal(body, &res) != nil || res.Total == 0 {
			t.Fatalf("speech claims: %d %s", code, body)
		}
		for _, h := range res.Hits {
			if h.Mode != "speech" {
				t.Errorf("mode=speech returned %q (%s)", h.Mode, h.Cue)
			}
		}
		if code, body = c.get(t, "/api/claims", url.Values{"mode": {"gossip"}}); code != 400 || !strings.Contains(string(body), "mode") {
			t.Errorf("mode=gossip: %d %s", code, body)
		}

		// A statement quoted in both languages is one group: Abdelatty's
		// "no alternative to full implementation" in nile's Arabic report
		// and levant's English one; his other statements that day are not.
		code, body = c.get(t, "/api/claims", url.Values{"speaker": {"badr-abdelatty"}, "lang": {"ar"}, "from": {"2025-11-03"}, "to": {"2025-11-03"}, "size": {"50"}})
		res = search.ClaimResult{}
		if code != 200 || json.Unmarshal(body, &res) != nil || res.Total == 0 {
			t.Fatalf("claims by Abdelatty: %d %s", code, body)
		}
		grouped := 0
		for _, h := range res.Hits {
			want := strings.Contains(h.Text, "لا بديل") || strings.Contains(h.Text, "تقسيم")
			got := slices.Contains(h.Group.Languages, "en")
			if got != want {
				t.Errorf("claim %q: grouped with English = %v, want %v (%+v)", h.Text, got, want, h.Group.OtherLanguage)
			}
			if got {
				grouped++
				// levant's English report carries the two statements in one
				// sentence too, so a statement may meet two English claims.
				for _, o := range h.Group.OtherLanguage {
					if o.Source != "levant" || o.Lang != "en" {
						t.Errorf("claim %q grouped with %+v", h.Text, o)
					}
				}
				if h.Group.Reports < 2 || h.Group.Outlets < 2 {
					t.Errorf("claim %q: group %+v", h.Text, h.Group)
				}
			}
		}
		if grouped != 2 {
			t.Errorf("%d Arabic claims grouped with their English reports, want 2", grouped)
		}
	})

	t.Run("mentioned dates", func(t *testing.T) {
		r := c.search(t, "mentioned_from", "2025-10-13", "mentioned_to", "2025-10-13", "q", "Sharm", "size", "100")
		if r.Total == 0 {
			t.Fatal("nothing talks about 13 October in Sharm")
		}
		listed := 0
		for _, h := range r.Hits {
			if slices.Contains(h.MentionedDates, "2025-10-13") {
				listed++
			}
		}
		if listed == 0 {
			t.Errorf("no hit lists 2025-10-13 among its mentioned dates")
		}
		// The latest day the demo texts talk about is in 2027 ("the end of 2027").
		if later := c.search(t, "mentioned_from", "2028-01-01", "size", "100"); later.Total != 0 {
			t.Errorf("articles mention days in 2028 or later: %d", later.Total)
		}
		if y := c.search(t, "mentioned_from", "2027-06-01", "mentioned_to", "2027-06-01"); y.Total != 1 {
			t.Errorf("a year mention should cover each of its days: %d hits for 2027-06-01", y.Total)
		}
		// "next year" in a 2025 article covers 2026: a range inside it finds it.
		if y := c.search(t, "mentioned_from", "2026-03-10", "mentioned_to", "2026-03-12", "q", "marathon"); y.Total != 1 {
			t.Errorf("the marathon's 'next year' is not found in March 2026: %d", y.Total)
		}
	})

	t.Run("snippets highlight", func(t *testing.T) {
		r := c.search(t, "q", "Rafah crossing", "source", "broken")
		if r.Total != 1 || !strings.Contains(r.Hits[0].Snippet, "<mark>Rafah</mark>") {
			t.Fatalf("got %+v", r)
		}
	})

	t.Run("filters and facets", func(t *testing.T) {
		all := c.search(t, "size", "100")
		if all.Total != 35 {
			t.Fatalf("filters alone: total %d, want 35", all.Total)
		}
		ar := c.search(t, "lang", "ar", "size", "100")
		if ar.Total != 18 {
			t.Errorf("lang=ar: %d", ar.Total)
		}
		for _, h := range ar.Hits {
			if h.Lang != "ar" || h.Source != "nile" {
				t.Errorf("lang=ar returned %+v", h)
			}
		}
		facet := map[string]int{}
		for _, f := range all.Facets.Lang {
			facet[f.Value] = f.Count
		}
		if facet["ar"] != 18 || facet["en"] != 17 {
			t.Errorf("lang facet %v", all.Facets.Lang)
		}
		day := c.search(t, "from", "2025-10-25", "to", "2025-10-25", "size", "100")
		if day.Total == 0 {
			t.Fatal("no articles on 2025-10-25")
		}
		for _, h := range day.Hits {
			if d := h.Published.Format(time.DateOnly); d != "2025-10-25" {
				t.Errorf("from=to=2025-10-25 returned %s", d)
			}
		}
		n := 0
		for _, f := range all.Facets.PublishedByDay {
			if f.Value == "2025-10-25" {
				n = f.Count
			}
		}
		if uint64(n) != day.Total {
			t.Errorf("published_by_day says %d on 2025-10-25, search says %d", n, day.Total)
		}
	})

	t.Run("sorting and pagination", func(t *testing.T) {
		newest := c.search(t, "sort", "newest", "size", "10")
		for i := 1; i < len(newest.Hits); i++ {
			if newest.Hits[i].Published.After(newest.Hits[i-1].Published) {
				t.Fatalf("newest not descending at %d", i)
			}
		}
		oldest := c.search(t, "sort", "oldest", "size", "3")
		if !oldest.Hits[0].Published.Before(newest.Hits[0].Published) {
			t.Errorf("oldest first %v is not before newest first %v", oldest.Hits[0].Published, newest.Hits[0].Published)
		}
		p1 := c.search(t, "q", "غزة", "sort", "newest", "size", "4", "page", "1")
		p2 := c.search(t, "q", "غزة", "sort", "newest", "size", "4", "page", "2")
		both := c.search(t, "q", "غزة", "sort", "newest", "size", "8")
		got := append(slugs(p1), slugs(p2)...)
		if !slices.Equal(got, slugs(both)) || len(got) != 8 {
			t.Errorf("pages %v != one page %v", got, slugs(both))
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		for _, tc := range []struct {
			v    url.Values
			want string
		}{
			{url.Values{"size": {"1000"}}, "size 1000"},
			{url.Values{"page": {"0"}}, "page 0"},
			{url.Values{"page": {"x"}}, "page \"x\""},
			{url.Values{"from": {"yesterday"}}, "from"},
			{url.Values{"from": {"2025-11-02"}, "to": {"2025-11-01"}}, "before"},
			{url.Values{"lang": {"fr"}}, "lang \"fr\""},
			{url.Values{"sort": {"random"}}, "sort"},
			{url.Values{"q": {"\xff\xfe"}}, "UTF-8"},
			{url.Values{"q": {strings.Repeat("غ", 1001)}}, "at most 1000"},
			{url.Values{"page": {"200"}, "size": {"100"}}, "page*size"},
			{url.Values{"q": {"*alin"}}, "leading wildcards"},
			{url.Values{"q": {"kalin~5"}}, "fuzziness"},
			{url.Values{"q": {"/.*/"}}, "plain letters"},
			{url.Values{"expand": {"all"}}, "expand"},
		} {
			code, body := c.get(t, "/api/search", tc.v)
			var e struct{ Error string }
			json.Unmarshal(body, &e)
			if code != http.StatusBadRequest || !strings.Contains(e.Error, tc.want) {
				t.Errorf("%v: HTTP %d %s, want 400 mentioning %q", tc.v, code, body, tc.want)
			}
		}
	})

	t.Run("documents and health", func(t *testing.T) {
		r := c.search(t, "q", "البيان المشترك")
		code, body := c.get(t, "/api/documents/"+r.Hits[0].ID, nil)
		var doc struct{ ID, Body, Lang string }
		if code != 200 || json.Unmarshal(body, &doc) != nil || doc.Lang != "ar" || !strings.Contains(doc.Body, "البيان") {
			t.Errorf("document: %d %.200s", code, body)
		}
		if strings.Contains(doc.Body, "اقرأ أيضاً") || strings.Contains(doc.Body, "النشرة البريدية") {
			t.Errorf("boilerplate in body: %s", doc.Body)
		}
		for p, want := range map[string]int{"/api/documents/nope": 404, "/api/documents/..%2f..%2fetc": 404, "/healthz": 200, "/api/nothing": 404} {
			if code, body := c.get(t, p, nil); code != want || !json.Valid(body) {
				t.Errorf("%s: HTTP %d %s, want %d with JSON", p, code, body, want)
			}
		}
		if code, body := c.get(t, "/", nil); code != 200 || !bytes.Contains(body, []byte(`id="q"`)) {
			t.Errorf("web page: %d", code)
		}
	})

	t.Run("reindex keeps everything", func(t *testing.T) {
		before := c.search(t, "q", "القاهرة", "size", "50")
		n, err := c.ix.Reindex(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		after := c.search(t, "q", "القاهرة", "size", "50")
		if count, _ := c.ix.Count(); n != count {
			t.Errorf("reindexed %d of %d", n, count)
		}
		if !slices.Equal(slugs(before), slugs(after)) {
			t.Errorf("reindex changed results: %v -> %v", slugs(before), slugs(after))
		}
	})
}

func TestReingestUnchanged(t *testing.T) {
	ctx := context.Background()
	sites, err := startDemoSites()
	if err != nil {
		t.Fatal(err)
	}
	defer sites.Close()
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	first, err := ingestDemo(ctx, e, sites, ix)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ingestDemo(ctx, e, sites, ix)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range second.Sources {
		if s.New != 0 || s.Updated != 0 || s.Unchanged != first.Sources[i].New {
			t.Errorf("second run of %s: %+v (first: %+v)", s.Name, s, first.Sources[i])
		}
	}
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("data_dir: "+filepath.Join(dir, "data")+"\nsources:\n  - name: a\n    url: https://example.org/rss.xml\n    schedule: \"@every 15m\"\n"), 0o644)
	gazConfig := func(name, file string) string {
		abs, _ := filepath.Abs("../../indexer/enrich/entity/testdata/" + file)
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("data_dir: "+filepath.Join(dir, "data")+"\ngazetteers: ["+abs+"]\n"), 0o644)
		return p
	}
	gazGood, gazBad := gazConfig("gaz-good.yaml", "good.yaml"), gazConfig("gaz-bad.yaml", "dup.bad.yaml")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout+stderr
	}{
		{"no args", nil, 2, "usage"},
		{"unknown", []string{"frobnicate"}, 2, "unknown command"},
		{"check good", []string{"check", "-config", good}, 0, "@every 15m"},
		{"check bad", []string{"check", "-config", "../../testdata/config/bad-cron.bad.yaml"}, 2, `sources[1].schedule: bad cron spec "every 15 minutes"`},
		{"check missing", []string{"check", "-config", filepath.Join(dir, "nope.yaml")}, 2, "nope.yaml"},
		{"bad flag", []string{"search", "-nope"}, 2, "-nope"},
		{"bad size", []string{"search", "-config", good, "-size", "500", "x"}, 2, "size 500"},
		{"empty index search", []string{"search", "-config", good, "cairo"}, 0, "no results"},
		{"ingest unknown source", []string{"ingest", "-config", good, "-source", "zz"}, 2, `no source named "zz"`},
		{"reindex empty", []string{"reindex", "-config", good}, 0, "reindexed 0 articles"},
		{"check gazetteer", []string{"check", "-config", gazGood}, 0, "built-in gazetteer + "},
		{"check bad gazetteer", []string{"check", "-config", gazBad}, 2, "dup.bad.yaml:"},
		{"subscription add", []string{"subscriptions", "-config", good, "add", "-name", "cairo-talks", "-q", "هدنة غزة"}, 0, "cairo-talks"},
		{"subscription list", []string{"subscriptions", "-config", good, "list"}, 0, "cairo-talks"},
		{"subscription bad", []string{"subscriptions", "-config", good, "add", "-name", "x", "-lang", "fr", "-q", "a"}, 2, "fr"},
		{"subscription remove", []string{"subscriptions", "-config", good, "remove", "cairo-talks"}, 0, ""},
		{"subscription unknown verb", []string{"subscriptions", "-config", good, "frob"}, 2, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			all := out.String() + errb.String()
			if code != tc.code || !strings.Contains(all, tc.out) {
				t.Errorf("run %v = %d, want %d with %q; output:\n%s", tc.args, code, tc.code, tc.out, all)
			}
		})
	}
}

// A story record the clusterer cannot decode means the store is damaged:
// opening says so and what to do, rather than a bare decode error.
func TestDamagedClusterRecord(t *testing.T) {
	dir := t.TempDir()
	e := &env{logger: slog.New(slog.DiscardHandler)}
	ix, err := openIndexerWith(indexer.Options{Dir: dir}, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.DB().Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("cluster_docs"))
		if err != nil {
			return err
		}
		return b.Put([]byte("8387b40d73bd615bbec4"), []byte{0x02, 0xff})
	}); err != nil {
		t.Fatal(err)
	}
	ix.Close(context.Background())
	_, err = openIndexerWith(indexer.Options{Dir: dir}, e)
	if err == nil || !strings.Contains(err.Error(), "restore it from a backup") || !strings.Contains(err.Error(), indexer.DBFile) {
		t.Fatalf("open with a damaged cluster record: %v", err)
	}
}
