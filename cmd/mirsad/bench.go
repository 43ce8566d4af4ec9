package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mirsad-observatory/mirsad/crawler/bench"
	extracteval "github.com/mirsad-observatory/mirsad/crawler/extract/eval"
	fetcheval "github.com/mirsad-observatory/mirsad/crawler/fetch/eval"
	"github.com/mirsad-observatory/mirsad/indexer/analysiseval"
	clustereval "github.com/mirsad-observatory/mirsad/indexer/cluster/eval"
	claimeval "github.com/mirsad-observatory/mirsad/indexer/enrich/claim/eval"
	entityeval "github.com/mirsad-observatory/mirsad/indexer/enrich/entity/eval"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	dateeval "github.com/mirsad-observatory/mirsad/internal/datetext/eval"
	alerteval "github.com/mirsad-observatory/mirsad/search/alert/eval"
	searchbench "github.com/mirsad-observatory/mirsad/search/bench"
)

// benchRunner runs one topic's evaluation over the corpus directory and
// prints its table, with the baselines measured in the same run.
type benchRunner func(ctx context.Context, corpus string, w io.Writer) error

// benches maps a topic to its runner (see BENCHMARKS.md).
var benches = map[string]struct {
	help string
	run  benchRunner
}{
	"analysis": {"Arabic/English analyzers vs bleve's stock ones: xquad MRR/recall, variants, throughput (issue 3)",
		func(ctx context.Context, c string, w io.Writer) error {
			return analysiseval.Run(ctx, analysiseval.Options{CorpusDir: c}, w)
		}},
	"entities": {"entity matching P/R/F1, cross-script retrieval, enrichment cost (issue 4)",
		func(ctx context.Context, c string, w io.Writer) error {
			return entityeval.Run(ctx, entityeval.Options{CorpusDir: c}, w)
		}},
	"dates": {"date mentions and publication dates: accuracy, span F1, cost (issue 5)",
		func(ctx context.Context, c string, w io.Writer) error {
			return dateeval.Run(ctx, dateeval.Options{CorpusDir: c}, w)
		}},
	"claims": {"claim extraction on PolNeAR and our Arabic set, cost (issue 6)",
		func(ctx context.Context, c string, w io.Writer) error {
			return claimeval.Run(ctx, claimeval.Options{CorpusDir: c}, w)
		}},
	"charset": {"charset decoding of the chardet corpus (issue 7)",
		func(ctx context.Context, c string, w io.Writer) error {
			return fetcheval.Run(ctx, fetcheval.Options{CorpusDir: c}, w)
		}},
	"ingest": {"end-to-end ingest of ant-arabic-news over loopback vs raw bleve indexing (issue 7)",
		func(ctx context.Context, c string, w io.Writer) error {
			return bench.Run(ctx, bench.Options{CorpusDir: c}, w)
		}},
	"extraction": {"article extraction vs the benchmark's extractors, trafilatura snippets, Arabic layouts (issue 8)",
		func(ctx context.Context, c string, w io.Writer) error {
			return extracteval.Run(ctx, extracteval.Options{CorpusDir: c}, w)
		}},
	"clustering": {"near-duplicate clustering on ant-arabic-news: labelled pairs P/R, clusters, cost (issue 8)",
		func(ctx context.Context, c string, w io.Writer) error {
			return clustereval.Run(ctx, clustereval.Options{CorpusDir: c}, w)
		}},
	"search": {"API latency vs the same bleve requests, p50/p95/p99, and 8 clients for 30 s (issue 9)",
		func(ctx context.Context, c string, w io.Writer) error {
			return searchbench.Run(ctx, searchbench.Options{CorpusDir: c, Progress: os.Stderr}, w)
		}},
	"alerts": {"subscription matching per batch and its share of ingest time (issue 10)",
		func(ctx context.Context, c string, w io.Writer) error {
			return alerteval.Run(ctx, alerteval.Options{CorpusDir: c}, w)
		}},
}

func cmdBench(ctx context.Context, e *env, args []string) error {
	topics := make([]string, 0, len(benches))
	for t := range benches {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" {
		fmt.Fprintln(e.stderr, "usage: mirsad bench TOPIC [-corpus DIR]\n\ntopics:")
		for _, t := range topics {
			fmt.Fprintf(e.stderr, "  %-11s %s\n", t, benches[t].help)
		}
		if len(args) == 0 {
			return usagef("which topic? one of: %s", strings.Join(topics, ", "))
		}
		return nil
	}
	b, ok := benches[args[0]]
	if !ok {
		return usagef("unknown topic %q: want one of %s", args[0], strings.Join(topics, ", "))
	}
	fs, _, verbose := newFlags(e, "bench "+args[0])
	corpus := fs.String("corpus", defaultCorpus(), "folder of the shared corpora (or set MIRSAD_CORPUS)")
	if err := parse(e, fs, args[1:], verbose); err != nil {
		return err
	}
	if st, err := os.Stat(*corpus); err != nil || !st.IsDir() {
		return usagef("corpus folder %q not found: pass -corpus DIR or set MIRSAD_CORPUS", *corpus)
	}
	return b.run(ctx, *corpus, e.stdout)
}

// defaultCorpus is $MIRSAD_CORPUS, else ../shared/corpus beside the repository.
func defaultCorpus() string { return corpora.DefaultDir() }
