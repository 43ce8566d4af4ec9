package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"github.com/mirsad-observatory/mirsad/search"
)

// PartitionOptions configure RunPartitions.
type PartitionOptions struct {
	CorpusDir string // the shared corpora; default corpora.DefaultDir()
	Articles  int    // ant-arabic-news articles indexed: 4000
	Queries   int    // title words searched: 200
	Rounds    int    // passes over the queries: 3
}

// RunPartitions measures what monthly partitions cost a search: the same
// Arabic news articles (ant-arabic-news, real publication dates over
// several months) in one index and in monthly partitions, the same
// requests search builds (facets, highlights), interleaved query by query
// so both see the same machine load. It prints one table.
func RunPartitions(ctx context.Context, o PartitionOptions, w io.Writer) error {
	if o.CorpusDir == "" {
		o.CorpusDir = corpora.DefaultDir()
	}
	if o.Articles <= 0 {
		o.Articles = 4000
	}
	if o.Queries <= 0 {
		o.Queries = 200
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	arts, err := corpora.ANT(filepath.Join(o.CorpusDir, "ant-arabic-news"), o.Articles)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "mirsad-partition-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	layouts := []struct {
		name string
		opts indexer.Options
	}{
		{"one index", indexer.Options{Dir: filepath.Join(tmp, "single"), BatchSize: 500}},
		{"monthly partitions", indexer.Options{Dir: filepath.Join(tmp, "monthly"), Monthly: true, BatchSize: 500}},
	}
	ixs := make([]*indexer.Indexer, len(layouts))
	for i, l := range layouts {
		ix, err := indexer.Open(l.opts, nil)
		if err != nil {
			return err
		}
		defer ix.Close(context.WithoutCancel(ctx))
		for _, a := range arts {
			if _, err := ix.Put(ctx, a); err != nil {
				return err
			}
		}
		if err := ix.Flush(ctx); err != nil {
			return err
		}
		ixs[i] = ix
	}
	seen := map[string]bool{}
	var qs []string
	for _, a := range arts {
		for _, word := range strings.Fields(a.Title) {
			if len([]rune(word)) > 4 && !seen[word] && len(qs) < o.Queries {
				seen[word] = true
				qs = append(qs, word)
			}
		}
	}
	type key struct {
		layout    int
		highlight bool
	}
	lat := map[key][]time.Duration{}
	hits := map[key]uint64{}
	for round := 0; round < o.Rounds; round++ {
		for _, q := range qs {
			for _, hl := range []bool{true, false} {
				for i, ix := range ixs {
					req, err := search.New(ix, nil).Request(search.Query{Text: q})
					if err != nil {
						return err
					}
					if !hl {
						req.Highlight = nil
					}
					start := time.Now()
					res, err := ix.Index().SearchInContext(ctx, req)
					if err != nil {
						return err
					}
					k := key{i, hl}
					lat[k] = append(lat[k], time.Since(start))
					hits[k] += res.Total
				}
			}
		}
	}
	fmt.Fprintf(w, "search over monthly partitions: %d ant-arabic-news articles in %d months, %d title words x %d rounds, facets on\n",
		len(arts), len(ixs[1].Partitions()), len(qs), o.Rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layout\thighlights\tp50\tp95\tp50 vs one index\thits\t")
	for _, hl := range []bool{true, false} {
		base := pct(lat[key{0, hl}], 50)
		for i, l := range layouts {
			k := key{i, hl}
			fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%.2fx\t%d\t\n", l.name, hl, round(pct(lat[k], 50)), round(pct(lat[k], 95)),
				float64(pct(lat[k], 50))/float64(base), hits[k])
		}
	}
	return tw.Flush()
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }

var _ search.Store = (*indexer.Indexer)(nil)
