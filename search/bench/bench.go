// Package bench measures search latency through the HTTP API against the
// same requests run straight on bleve, over the Arabic news corpus plus an
// English set, and holds a concurrent load on the API.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/cluster"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"github.com/mirsad-observatory/mirsad/search"
	"github.com/mirsad-observatory/mirsad/search/api"
)

// Options configure a run.
type Options struct {
	CorpusDir string        // holds ant-arabic-news/ and PolNeAR/
	Queries   int           // default 1000
	Clients   int           // concurrent load clients; default 8
	Load      time.Duration // default 30s
	Limit     int           // articles per corpus; 0: all
	Seed      uint64
	Progress  io.Writer // build progress; nil: none
}

// Run builds the index and prints the table.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	if opts.Queries == 0 {
		opts.Queries = 1000
	}
	if opts.Clients == 0 {
		opts.Clients = 8
	}
	if opts.Load == 0 {
		opts.Load = 30 * time.Second
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	ar, err := corpora.ANT(filepath.Join(opts.CorpusDir, "ant-arabic-news"), opts.Limit)
	if err != nil {
		return err
	}
	en, err := corpora.PolNeAR(filepath.Join(opts.CorpusDir, "PolNeAR", "data"), opts.Limit)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "mirsad-search-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := enrich.New(enrich.Options{})
	if err != nil {
		return err
	}
	ix, err := indexer.Open(indexer.Options{Dir: dir, Enricher: p, BatchSize: 500}, nil)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	// Cluster reprints as ingest does, so collapsed results list other outlets.
	c, err := cluster.New(cluster.Options{DB: ix.DB()})
	if err != nil {
		return err
	}
	ix.SetClusterer(c)
	start := time.Now()
	docs := append(ar, en...)
	for i, a := range docs {
		if _, err := ix.Put(ctx, a); err != nil {
			return err
		}
		if (i+1)%2000 == 0 {
			fmt.Fprintf(opts.Progress, "  indexed %d/%d\n", i+1, len(docs))
		}
	}
	if err := ix.Flush(ctx); err != nil {
		return err
	}
	build := time.Since(start)

	svc := search.New(ix, p)
	svc.SetStories(c)
	srv := httptest.NewServer(api.New(svc, api.Options{}).Handler())
	defer srv.Close()
	queries, err := makeQueries(ctx, svc, docs, opts.Queries, opts.Seed)
	if err != nil {
		return err
	}

	// Warm both paths, then time each query both ways, alternating which
	// goes first so caches favour neither.
	client := &http.Client{Timeout: 30 * time.Second}
	for _, q := range queries[:min(50, len(queries))] {
		if _, err := raw(ctx, svc, ix, q); err != nil {
			return err
		}
		if _, err := viaAPI(ctx, client, srv.URL, q); err != nil {
			return err
		}
	}
	rawT := make(map[string][]time.Duration)
	apiT := make(map[string][]time.Duration)
	for i, q := range queries {
		var r, a time.Duration
		if i%2 == 0 {
			r, err = raw(ctx, svc, ix, q)
			if err == nil {
				a, err = viaAPI(ctx, client, srv.URL, q)
			}
		} else {
			a, err = viaAPI(ctx, client, srv.URL, q)
			if err == nil {
				r, err = raw(ctx, svc, ix, q)
			}
		}
		if err != nil {
			return fmt.Errorf("query %d (%s): %w", i, q.kind, err)
		}
		for _, k := range []string{q.kind, "all"} {
			rawT[k] = append(rawT[k], r)
			apiT[k] = append(apiT[k], a)
		}
	}

	fmt.Fprintf(w, "search latency: %d Arabic (ant-arabic-news) + %d English (PolNeAR) articles, enriched and clustered, index built in %s\n",
		len(ar), len(en), build.Round(time.Second))
	fmt.Fprintf(w, "%d queries with facets and highlights, each run through the HTTP API and as the same bleve request\n\n", len(queries))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tn\traw p50\traw p95\traw p99\tAPI p50\tAPI p95\tAPI p99\tp95 ratio\t")
	for _, k := range []string{"text", "phrase", "entity+dates", "text+lang+newest", "all"} {
		r, a := rawT[k], apiT[k]
		if len(r) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.2fx\t\n", k, len(r),
			ms(pct(r, 50)), ms(pct(r, 95)), ms(pct(r, 99)), ms(pct(a, 50)), ms(pct(a, 95)), ms(pct(a, 99)),
			float64(pct(a, 95))/float64(max(pct(r, 95), time.Microsecond)))
	}
	tw.Flush()

	n, errs, lat := load(ctx, client, srv.URL, queries, opts.Clients, opts.Load)
	fmt.Fprintf(w, "\nload: %d clients for %s: %d requests, %.0f req/s, %d errors, p50 %s, p99 %s\n",
		opts.Clients, opts.Load, n, float64(n)/opts.Load.Seconds(), errs, ms(pct(lat, 50)), ms(pct(lat, 99)))
	return nil
}

type benchQuery struct {
	kind string
	q    search.Query
	v    url.Values
}

// makeQueries draws queries from the corpus itself: title words and
// phrases, entities that occur, 30-day windows in the corpus's span.
func makeQueries(ctx context.Context, svc *search.Service, docs []document.Article, n int, seed uint64) ([]benchQuery, error) {
	r := rand.New(rand.NewPCG(seed, 7))
	facets, err := svc.Search(ctx, search.Query{Size: 1})
	if err != nil {
		return nil, err
	}
	var ents []string
	for _, t := range []string{"person", "organization", "place"} {
		for _, c := range facets.Facets.Entities[t] {
			ents = append(ents, c.Value)
		}
	}
	if len(ents) == 0 {
		return nil, fmt.Errorf("bench: no entities found in the corpus")
	}
	words := func(a document.Article) []string {
		var out []string
		for _, w := range strings.Fields(a.Title) {
			w = strings.Trim(w, `.,:;!?"'«»()[]،؛؟-–`)
			if utf8.RuneCountInString(w) >= 4 && !strings.ContainsAny(w, `*?~^/:+\`) {
				out = append(out, w)
			}
		}
		return out
	}
	var out []benchQuery
	for len(out) < n {
		a := docs[r.IntN(len(docs))]
		ws := words(a)
		if len(ws) < 2 {
			continue
		}
		var bq benchQuery
		switch k := r.IntN(20); {
		case k < 8:
			i := r.IntN(len(ws) - 1)
			bq = benchQuery{kind: "text", q: search.Query{Text: ws[i] + " " + ws[i+1]}}
			if k < 4 {
				bq.q.Text = ws[i]
			}
		case k < 12:
			i := r.IntN(len(ws) - 1)
			bq = benchQuery{kind: "phrase", q: search.Query{Text: `"` + ws[i] + " " + ws[i+1] + `"`}}
		case k < 17:
			from := a.Published.AddDate(0, 0, -r.IntN(30))
			bq = benchQuery{kind: "entity+dates", q: search.Query{Entities: []string{ents[r.IntN(len(ents))]}, From: from, To: from.AddDate(0, 0, 30)}}
		default:
			bq = benchQuery{kind: "text+lang+newest", q: search.Query{Text: ws[r.IntN(len(ws))], Lang: a.Lang, Sort: "newest"}}
		}
		bq.v = values(bq.q)
		out = append(out, bq)
	}
	return out, nil
}

func values(q search.Query) url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Text)
	set("lang", q.Lang)
	set("sort", q.Sort)
	for _, e := range q.Entities {
		v.Add("entity", e)
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.DateOnly))
		v.Set("to", q.To.Format(time.DateOnly))
	}
	return v
}

func raw(ctx context.Context, svc *search.Service, ix *indexer.Indexer, q benchQuery) (time.Duration, error) {
	start := time.Now()
	qq := q.q
	if !qq.To.IsZero() { // the API reads "to" as the whole day
		qq.To = qq.To.Add(24*time.Hour - time.Nanosecond)
	}
	req, err := svc.Request(qq)
	if err != nil {
		return 0, err
	}
	if _, err := ix.Index().SearchInContext(ctx, req); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func viaAPI(ctx context.Context, c *http.Client, base string, q benchQuery) (time.Duration, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/search?"+q.v.Encode(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var res search.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return time.Since(start), nil
}

// load runs clients against the API until d has passed; bounded in time
// and aimed only at the loopback test server.
func load(ctx context.Context, c *http.Client, base string, qs []benchQuery, clients int, d time.Duration) (int64, int64, []time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var n, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			var mine []time.Duration
			for j := i; ctx.Err() == nil; j += clients {
				t, err := viaAPI(ctx, c, base, qs[j%len(qs)])
				if ctx.Err() != nil {
					break
				}
				n.Add(1)
				if err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, t)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return n.Load(), errs.Load(), lat
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
