// Package bench measures ingest throughput of the scale-out mode (fetch
// workers and an index worker through NATS JetStream) against the
// single-process mode, on a generated loopback site with a fixed latency
// per request, all in one run.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/internal/scale"
	"github.com/mirsad-observatory/mirsad/internal/scale/natstest"
)

// Options configure Run; zero fields get the defaults shown.
type Options struct {
	Site    SiteOptions   // 1000 articles, 16 sections on 8 hosts
	Latency time.Duration // per request: 50ms
	Workers []int         // fetch worker counts: 1, 2, 4
	// NoEnrich skips entity, date and claim extraction in both modes, to
	// see fetching and indexing alone.
	NoEnrich bool
	Logger   *slog.Logger
}

// Row is one measured mode.
type Row struct {
	Mode     string
	Articles int
	Seconds  float64
	// Redelivered counts job deliveries beyond one per source: a job
	// offered back because its host was leased, or one whose worker went
	// quiet past the ack wait.
	Redelivered int
}

// Rate is articles per second.
func (r Row) Rate() float64 { return float64(r.Articles) / r.Seconds }

// Crawl returns the crawler options both modes use: the production
// defaults (4 article pages of a source at once, 2 requests in flight per
// host, no extra gap) with private networks allowed for loopback.
func Crawl() crawler.Options {
	return crawler.Options{AllowPrivateNetworks: true, UserAgent: "MirsadBench/1.0"}
}

// IngestLocal is single-process mode: one crawler run over sources into
// the indexer opts describe, with concurrency sources at once. It returns
// how many articles are stored.
func IngestLocal(ctx context.Context, opts indexer.Options, sources []crawler.Source, concurrency int) (int, error) {
	ix, err := indexer.Open(opts, nil)
	if err != nil {
		return 0, err
	}
	co := Crawl()
	co.Concurrency = concurrency
	sum := crawler.New(co, nil).Run(ctx, sources, sink{ix})
	if err := ix.Close(ctx); err != nil {
		return 0, err
	}
	for _, s := range sum.Sources {
		if s.Failed > 0 {
			return 0, fmt.Errorf("bench: %s: %d failures, first: %v", s.Name, s.Failed, s.Errors[0])
		}
	}
	ix, err = indexer.Open(indexer.Options{Dir: opts.Dir, SkipIndex: true}, nil)
	if err != nil {
		return 0, err
	}
	defer ix.Close(ctx)
	return ix.Count()
}

type sink struct{ ix *indexer.Indexer }

func (s sink) Put(ctx context.Context, a document.Article) (crawler.Outcome, error) {
	out, err := s.ix.Put(ctx, a)
	return crawler.Outcome(out), err
}

func (s sink) Flush(ctx context.Context) error { return s.ix.Flush(ctx) }

// IngestNATS is scale-out mode inside one process on the JetStream
// server at natsURL: the given number of fetch workers (each its own
// connection and crawler, one job at a time) and, when dir is not empty,
// one index worker into dir. It queues one job per source and returns
// once want articles are stored in dir, or, without an index worker, once
// the articles stream has received want articles, with the number of job
// deliveries beyond one per source (busy hosts, lost or slow jobs).
func IngestNATS(ctx context.Context, natsURL, dir string, sources []crawler.Source, workers, want int, en indexer.Enricher, logger *slog.Logger) (extra int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	g := &group{cancel: cancel}
	defer g.stop()
	done := make(chan struct{})
	var once sync.Once
	finish := func() { once.Do(func() { close(done) }) }
	if dir != "" {
		if err := g.indexWorker(ctx, natsURL, dir, want, en, logger, finish); err != nil {
			return 0, err
		}
	}
	for i := range workers {
		c, err := g.connect(ctx, natsURL, logger)
		if err != nil {
			return 0, err
		}
		g.goRun(func() {
			scale.RunFetcher(ctx, c, scale.FetchOptions{Crawler: Crawl(), Jobs: 1, BusyDelay: 100 * time.Millisecond, ID: fmt.Sprintf("bench-%d", i)})
		})
	}
	c, err := g.connect(ctx, natsURL, logger)
	if err != nil {
		return 0, err
	}
	if _, err := scale.NewDispatcher(c).Publish(ctx, "bench", sources); err != nil {
		return 0, err
	}
	if dir == "" {
		g.goRun(func() {
			for ctx.Err() == nil {
				if info, err := c.JS.Stream(ctx, scale.StreamArticles); err == nil && info.CachedInfo().State.LastSeq >= uint64(want) {
					finish()
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	if err := wait(ctx, done); err != nil {
		return 0, err
	}
	if info, err := c.Jobs.Info(ctx); err == nil {
		extra = int(info.Delivered.Consumer) - len(sources)
	}
	return extra, nil
}

// DrainIndex runs the index worker alone on a stream already holding
// want articles and returns once they are stored in dir.
func DrainIndex(ctx context.Context, natsURL, dir string, want int, en indexer.Enricher, logger *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	g := &group{cancel: cancel}
	defer g.stop()
	done := make(chan struct{})
	var once sync.Once
	if err := g.indexWorker(ctx, natsURL, dir, want, en, logger, func() { once.Do(func() { close(done) }) }); err != nil {
		return err
	}
	return wait(ctx, done)
}

func wait(ctx context.Context, done chan struct{}) error {
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(10 * time.Minute):
		return errors.New("bench: articles not all in after 10 minutes")
	}
}

// group owns a mode's goroutines, connections and index: workers stop
// first, then their connections close, then the index.
type group struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	conns  []*scale.Conn
	ix     *indexer.Indexer
}

var benchCfg = scale.Config{JobAckWait: 10 * time.Second, LeaseTTL: 10 * time.Second}

func (g *group) connect(ctx context.Context, url string, logger *slog.Logger) (*scale.Conn, error) {
	c, err := scale.Connect(ctx, url, benchCfg, logger)
	if err == nil {
		g.conns = append(g.conns, c)
	}
	return c, err
}

func (g *group) goRun(f func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
	}()
}

func (g *group) indexWorker(ctx context.Context, url, dir string, want int, en indexer.Enricher, logger *slog.Logger, finish func()) error {
	ix, err := indexer.Open(indexer.Options{Dir: dir, Enricher: en}, logger)
	if err != nil {
		return err
	}
	g.ix = ix
	c, err := g.connect(ctx, url, logger)
	if err != nil {
		return err
	}
	g.goRun(func() {
		scale.RunIndexer(ctx, c, ix, scale.IndexOptions{Batch: 200, MaxWait: 200 * time.Millisecond, OnBatch: func(int) {
			if n, err := ix.Count(); err == nil && n >= want {
				finish()
			}
		}})
	})
	return nil
}

func (g *group) stop() {
	g.cancel()
	g.wg.Wait()
	for _, c := range g.conns {
		c.Close()
	}
	if g.ix != nil {
		g.ix.Close(context.Background())
	}
}

func (o Options) withDefaults() Options {
	if o.Latency <= 0 {
		o.Latency = 50 * time.Millisecond
	}
	if len(o.Workers) == 0 {
		o.Workers = []int{1, 2, 4}
	}
	if o.Site.Articles <= 0 {
		o.Site.Articles = 1000
	}
	if o.Site.Sections <= 0 {
		o.Site.Sections = 16
	}
	if o.Site.Hosts <= 0 {
		o.Site.Hosts = 8
	}
	o.Site.Latency = o.Latency
	return o
}

// Measure runs every mode once on one site and returns the rows.
func Measure(ctx context.Context, opts Options) ([]Row, error) {
	opts = opts.withDefaults()
	site, err := NewSite(opts.Site)
	if err != nil {
		return nil, err
	}
	defer site.Close()
	tmp, err := os.MkdirTemp("", "mirsad-scale-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	var en indexer.Enricher
	if !opts.NoEnrich {
		p, err := enrich.New(enrich.Options{})
		if err != nil {
			return nil, err
		}
		en = p
	}
	sources := site.Sources()
	want := site.opts.Articles
	var rows []Row
	for i, conc := range []int{1, 4} {
		dir := filepath.Join(tmp, fmt.Sprintf("local-%d", i))
		start := time.Now()
		n, err := IngestLocal(ctx, indexer.Options{Dir: dir, Enricher: en}, sources, conc)
		if err != nil {
			return nil, err
		}
		if n != want {
			return nil, fmt.Errorf("bench: single process stored %d of %d articles", n, want)
		}
		rows = append(rows, Row{Mode: fmt.Sprintf("single process, %d source(s) at once", conc), Articles: n, Seconds: time.Since(start).Seconds()})
	}
	for _, k := range opts.Workers {
		srv, err := natstest.Start(filepath.Join(tmp, fmt.Sprintf("nats-%d", k)))
		if err != nil {
			return nil, err
		}
		start := time.Now()
		extra, err := IngestNATS(ctx, srv.ClientURL(), filepath.Join(tmp, fmt.Sprintf("nats-data-%d", k)), sources, k, want, en, opts.Logger)
		secs := time.Since(start).Seconds()
		srv.Shutdown()
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Mode: fmt.Sprintf("NATS: %d fetch worker(s) + index worker", k), Articles: want, Seconds: secs, Redelivered: extra})
	}
	// The two halves alone: fetch workers filling the stream with no
	// index worker, then the index worker draining what the widest run
	// left, to show which half limits the whole.
	var last string
	for _, k := range opts.Workers {
		last = filepath.Join(tmp, fmt.Sprintf("nats-fetch-%d", k))
		srv, err := natstest.Start(last)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		extra, err := IngestNATS(ctx, srv.ClientURL(), "", sources, k, want, en, opts.Logger)
		secs := time.Since(start).Seconds()
		srv.Shutdown()
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Mode: fmt.Sprintf("NATS: %d fetch worker(s), fetch only", k), Articles: want, Seconds: secs, Redelivered: extra})
	}
	srv, err := natstest.Start(last)
	if err != nil {
		return nil, err
	}
	defer srv.Shutdown()
	start := time.Now()
	if err := DrainIndex(ctx, srv.ClientURL(), filepath.Join(tmp, "drain"), want, en, opts.Logger); err != nil {
		return nil, err
	}
	rows = append(rows, Row{Mode: "NATS: index worker alone, stream full", Articles: want, Seconds: time.Since(start).Seconds()})
	return rows, nil
}

// Run measures and prints one table: articles per second of each mode,
// relative to one fetch worker and to the default single process.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	opts = opts.withDefaults()
	rows, err := Measure(ctx, opts)
	if err != nil {
		return err
	}
	rate := map[string]float64{}
	for _, r := range rows {
		rate[r.Mode] = r.Rate()
	}
	one, oneFetch := rate["NATS: 1 fetch worker(s) + index worker"], rate["NATS: 1 fetch worker(s), fetch only"]
	local := rate["single process, 4 source(s) at once"]
	fmt.Fprintf(w, "scale-out ingest: %d articles, %d sources on %d loopback hosts, %s per request, enrichment %v, %d CPUs\n",
		opts.Site.Articles, opts.Site.Sections, opts.Site.Hosts, opts.Latency, !opts.NoEnrich, runtime.NumCPU())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "mode\tarticles\tseconds\tarticles/s\tvs 1 worker\tvs single process\tjobs redelivered\t")
	for _, r := range rows {
		base := one
		if strings.HasSuffix(r.Mode, "fetch only") {
			base = oneFetch
		}
		vsOne := "-"
		if base > 0 && !strings.Contains(r.Mode, "alone") {
			vsOne = fmt.Sprintf("%.2fx", r.Rate()/base)
		}
		redo := "-"
		if strings.HasPrefix(r.Mode, "NATS") && !strings.Contains(r.Mode, "alone") {
			redo = fmt.Sprint(r.Redelivered)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%s\t%.2fx\t%s\t\n", r.Mode, r.Articles, r.Seconds, r.Rate(), vsOne, r.Rate()/local, redo)
	}
	return tw.Flush()
}
