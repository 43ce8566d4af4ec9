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
// an indexer in dir, with concurrency sources at once. It returns how
// many articles are stored.
func IngestLocal(ctx context.Context, dir string, sources []crawler.Source, concurrency int, en indexer.Enricher) (int, error) {
	ix, err := indexer.Open(indexer.Options{Dir: dir, Enricher: en}, nil)
	if err != nil {
		return 0, err
	}
	opts := Crawl()
	opts.Concurrency = concurrency
	sum := crawler.New(opts, nil).Run(ctx, sources, sink{ix})
	if err := ix.Close(ctx); err != nil {
		return 0, err
	}
	for _, s := range sum.Sources {
		if s.Failed > 0 {
			return 0, fmt.Errorf("bench: %s: %d failures, first: %v", s.Name, s.Failed, s.Errors[0])
		}
	}
	ix, err = indexer.Open(indexer.Options{Dir: dir, SkipIndex: true}, nil)
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

// IngestNATS is scale-out mode inside one process: a JetStream server,
// one index worker into dir and the given number of fetch workers (each
// its own connection and crawler, one job at a time). It queues one job
// per source and returns once want articles are stored.
func IngestNATS(ctx context.Context, natsURL, dir string, sources []crawler.Source, workers, want int, en indexer.Enricher, logger *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cfg := scale.Config{JobAckWait: 10 * time.Second, LeaseTTL: 10 * time.Second}
	ix, err := indexer.Open(indexer.Options{Dir: dir, Enricher: en}, logger)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var conns []*scale.Conn
	// Workers stop first, then their connections, then the index.
	defer func() {
		cancel()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
		ix.Close(context.WithoutCancel(ctx))
	}()
	stored := make(chan struct{})
	ic, err := scale.Connect(ctx, natsURL, cfg, logger)
	if err != nil {
		return err
	}
	conns = append(conns, ic)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var once sync.Once
		scale.RunIndexer(ctx, ic, ix, scale.IndexOptions{Batch: 200, MaxWait: 200 * time.Millisecond, OnBatch: func(int) {
			if n, err := ix.Count(); err == nil && n >= want {
				once.Do(func() { close(stored) })
			}
		}})
	}()
	for i := range workers {
		c, err := scale.Connect(ctx, natsURL, cfg, logger)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			scale.RunFetcher(ctx, c, scale.FetchOptions{Crawler: Crawl(), Jobs: 1, BusyDelay: 100 * time.Millisecond, ID: fmt.Sprintf("bench-%d", i)})
		}()
	}
	if _, err := scale.NewDispatcher(ic).Publish(ctx, "bench", sources); err != nil {
		return err
	}
	select {
	case <-stored:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(10 * time.Minute):
		return errors.New("bench: articles not all stored after 10 minutes")
	}
}

// Measure runs every mode once on one site and returns the rows.
func Measure(ctx context.Context, opts Options) ([]Row, error) {
	if opts.Latency <= 0 {
		opts.Latency = 50 * time.Millisecond
	}
	if len(opts.Workers) == 0 {
		opts.Workers = []int{1, 2, 4}
	}
	opts.Site.Latency = opts.Latency
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
		n, err := IngestLocal(ctx, dir, sources, conc, en)
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
		err = IngestNATS(ctx, srv.ClientURL(), filepath.Join(tmp, fmt.Sprintf("nats-data-%d", k)), sources, k, want, en, opts.Logger)
		secs := time.Since(start).Seconds()
		srv.Shutdown()
		if err != nil {
			return nil, err
		}
		rows = append(rows, Row{Mode: fmt.Sprintf("NATS, %d fetch worker(s) + 1 index worker", k), Articles: want, Seconds: secs})
	}
	return rows, nil
}

// Run measures and prints one table: articles per second of each mode,
// relative to one fetch worker and to the default single process.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	rows, err := Measure(ctx, opts)
	if err != nil {
		return err
	}
	lat := opts.Latency
	if lat <= 0 {
		lat = 50 * time.Millisecond
	}
	var one, local float64
	for _, r := range rows {
		switch r.Mode {
		case "NATS, 1 fetch worker(s) + 1 index worker":
			one = r.Rate()
		case "single process, 4 source(s) at once":
			local = r.Rate()
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "scale-out ingest: %d articles, %d sources on %d loopback hosts, %s per request, enrichment %v\n",
		rows[0].Articles, max(opts.Site.Sections, 16*btoi(opts.Site.Sections == 0)), max(opts.Site.Hosts, 8*btoi(opts.Site.Hosts == 0)), lat, !opts.NoEnrich)
	fmt.Fprintln(tw, "mode\tarticles\tseconds\tarticles/s\tvs 1 worker\tvs single process\t")
	for _, r := range rows {
		vsOne := "-"
		if one > 0 {
			vsOne = fmt.Sprintf("%.2fx", r.Rate()/one)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%s\t%.2fx\t\n", r.Mode, r.Articles, r.Seconds, r.Rate(), vsOne, r.Rate()/local)
	}
	return tw.Flush()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
