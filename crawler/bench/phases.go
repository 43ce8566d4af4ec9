package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/crawler/web"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// rawIndex indexes the corpus texts straight into bleve with Mirsad's
// mapping: the ceiling any ingest path can reach. Reading the files is not
// timed. With byMonth, each batch is split the way the indexer partitions
// (one bleve index per publication month, indexer.PartitionOf), and the
// articles come in the order the newest-first feeds list them: the part of
// the indexer's cost that is its partitioning, measured without the crawler.
func rawIndex(ctx context.Context, o Options, dir string, byMonth bool) (Result, error) {
	arts, err := LoadANT(o.CorpusDir, o.Limit)
	if err != nil {
		return Result{}, err
	}
	if byMonth {
		arts = newestFirstByOutlet(arts)
	}
	start := time.Now()
	indexes := map[string]bleve.Index{}
	batches := map[string]*bleve.Batch{}
	defer func() {
		for _, idx := range indexes {
			idx.Close()
		}
	}()
	open := func(name string) (*bleve.Batch, error) {
		if b, ok := batches[name]; ok {
			return b, nil
		}
		idx, err := bleve.New(filepath.Join(dir, name+".bleve"), indexer.NewMapping())
		if err != nil {
			return nil, fmt.Errorf("raw: %w", err)
		}
		indexes[name] = idx
		batches[name] = idx.NewBatch()
		return batches[name], nil
	}
	flush := func() error {
		for name, b := range batches {
			if b.Size() == 0 {
				continue
			}
			if err := indexes[name].Batch(b); err != nil {
				return fmt.Errorf("raw: %w", err)
			}
			b.Reset()
		}
		return nil
	}
	n, pending := 0, 0
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		// The fields the indexer writes for an Arabic article without
		// enrichments: every text field of indexer.TextFields, so an
		// analyzer or field added there is measured on both sides.
		doc := map[string]any{
			indexer.FieldLang:         document.LangArabic,
			indexer.FieldSource:       strings.ToLower(a.Outlet),
			indexer.FieldPublished:    a.Published,
			indexer.FieldPublishedDay: a.Published.Format(time.DateOnly),
		}
		for _, f := range indexer.TextFields[document.LangArabic] {
			if f.IsBody() {
				doc[f.Name] = a.Body()
			} else {
				doc[f.Name] = a.Title
			}
		}
		name := "index"
		if byMonth {
			name = indexer.PartitionOf(a.Published)
		}
		b, err := open(name)
		if err != nil {
			return Result{}, err
		}
		if err := b.Index(document.IDFor(a.URL), doc); err != nil {
			return Result{}, fmt.Errorf("raw: %w", err)
		}
		n++
		if pending++; pending >= o.BatchSize {
			if err := flush(); err != nil {
				return Result{}, err
			}
			pending = 0
		}
	}
	if err := flush(); err != nil {
		return Result{}, err
	}
	return Result{Articles: n, Seconds: time.Since(start).Seconds()}, nil
}

// newestFirstByOutlet orders articles as the served feeds list them: outlet
// by outlet, newest first.
func newestFirstByOutlet(arts []Article) []Article {
	byOutlet := map[string][]Article{}
	var order []string
	for _, a := range arts {
		if _, ok := byOutlet[a.Outlet]; !ok {
			order = append(order, a.Outlet)
		}
		byOutlet[a.Outlet] = append(byOutlet[a.Outlet], a)
	}
	out := make([]Article, 0, len(arts))
	for _, name := range order {
		list := slices.Clone(byOutlet[name])
		slices.SortStableFunc(list, func(a, b Article) int { return b.Published.Compare(a.Published) })
		out = append(out, list...)
	}
	return out
}

// indexSink is the indexer as the crawler's sink, as cmd wires it.
type indexSink struct{ ix *indexer.Indexer }

func (s indexSink) Put(ctx context.Context, a document.Article) (crawler.Outcome, error) {
	out, err := s.ix.Put(ctx, a)
	switch out {
	case indexer.Updated:
		return crawler.OutcomeUpdated, err
	case indexer.Unchanged:
		return crawler.OutcomeUnchanged, err
	}
	return crawler.OutcomeNew, err
}

func (s indexSink) Flush(ctx context.Context) error { return s.ix.Flush(ctx) }

// ingest crawls the served feeds and their pages into a fresh indexer.
// With rareCheckpoints the crawler flushes the sink only at the end of each
// source and when the indexer's batch is full, not every 15 s: a diagnostic
// of what the periodic checkpoints cost the index.
func ingest(ctx context.Context, o Options, feeds []Feed, dir string, selectors, rareCheckpoints bool) (Result, error) {
	ix, err := indexer.Open(indexer.Options{Dir: dir, BatchSize: o.BatchSize}, nil)
	if err != nil {
		return Result{}, err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	fc := fetch.New(fetch.Options{
		AllowPrivateNetworks: true, // the outlets are on loopback
		PerHostDelay:         0,
		PerHostConcurrency:   o.Workers * o.Sources,
	}, nil)
	copts := crawler.Options{Fetch: fc, DB: ix.DB(), Concurrency: o.Sources, Workers: o.Workers}
	if rareCheckpoints {
		copts.CheckpointInterval = time.Hour
	}
	cr := crawler.New(copts, nil)
	var sources []crawler.Source
	for _, f := range feeds {
		src := crawler.Source{Name: f.Name, Kind: crawler.KindFeed, URL: f.URL, Language: "auto", FollowLinks: true}
		if selectors {
			src.Selectors = &web.Selectors{Title: "h1", Body: "article p"}
		}
		sources = append(sources, src)
	}
	start := time.Now()
	sum := cr.Run(ctx, sources, indexSink{ix})
	if err := ix.Flush(ctx); err != nil {
		return Result{}, err
	}
	res := Result{Seconds: time.Since(start).Seconds()}
	var errs []string
	for _, ss := range sum.Sources {
		res.Articles += ss.New
		res.Failed += ss.Failed
		for _, e := range ss.Errors {
			if len(errs) < 3 {
				errs = append(errs, e.URL+": "+e.Error)
			}
		}
	}
	if len(errs) > 0 {
		res.Detail = "first errors: " + strings.Join(errs, "; ")
	}
	return res, nil
}
