package eval

import (
	"context"
	"errors"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// Options configure Run.
type Options struct {
	// CorpusDir holds the third-party corpora; empty means $MIRSAD_CORPUS,
	// else ../shared/corpus next to the repository root.
	CorpusDir string
	// MaxDocs caps the ant-arabic-news documents of the throughput run
	// (0: all of them).
	MaxDocs int
	// Rounds repeats the throughput runs, keeping each one's fastest time
	// (0: 2).
	Rounds int
	// SkipThroughput leaves out the corpus run (for quick checks).
	SkipThroughput bool
	// Gazetteer overrides the built-in gazetteer.
	Gazetteer *entity.Gazetteer
}

// Run measures the entity matcher and prints one table: P/R/F1 per language
// and type on the dev and held-out test splits against an exact-alias
// baseline, discovered-person P/R/F1, cross-script retrieval recall through
// a bleve index against plain text search, and enrichment throughput on
// ant-arabic-news against plain bleve indexing of the same documents.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	g := opts.Gazetteer
	if g == nil {
		var err error
		if g, err = entity.Builtin(); err != nil {
			return err
		}
	}
	arts, err := LoadArticles()
	if err != nil {
		return err
	}
	var dev, test []Article
	for _, a := range arts {
		if a.Test {
			test = append(test, a)
		} else {
			dev = append(dev, a)
		}
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "measure\tsplit\tmirsad\tbaseline\tnote\n")

	splits := []struct {
		name string
		arts []Article
	}{{"dev", dev}, {"test", test}}
	for _, sp := range splits {
		s := Evaluate(g, entity.Options{}, sp.arts)
		base := evaluateBaseline(g, sp.arts)
		noSkel := Evaluate(g, entity.Options{NoSkeleton: true}, sp.arts)
		for _, lang := range []string{"ar", "en", "all"} {
			for _, typ := range []string{"person", "organization", "place", "all"} {
				k := lang + "/" + typ
				c := get(s.Gaz, k)
				fmt.Fprintf(tw, "gazetteer %s %s\t%s (%d art)\t%s\t%s\t%s\n", lang, typ, sp.name, len(sp.arts),
					prf(c), prf(get(base.Gaz, k)), fmt.Sprintf("gold %d; no-skeleton F1 %.3f", c.TP+c.FN, get(noSkel.Gaz, k).F1()))
			}
		}
		for _, lang := range []string{"ar", "en", "all"} {
			c := get(s.Disc, lang)
			fmt.Fprintf(tw, "discovered person %s\t%s\t%s\t-\tgold %d, exact span\n", lang, sp.name, prf(c), c.TP+c.FN)
		}
		methods := map[string]int{}
		m := entity.NewMatcher(g, entity.Options{})
		for _, a := range sp.arts {
			for _, mt := range m.Match(a.Text, a.Lang, a.Date) {
				methods[mt.Method]++
			}
		}
		fmt.Fprintf(tw, "mentions by method\t%s\t%s\t\t\n", sp.name, formatCounts(methods))
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	for _, sp := range splits {
		h := leaveOneAliasOut(g, sp.arts)
		fmt.Fprintf(tw, "unlisted spelling recall (person, 2+ words)\t%s\t%.3f (%d/%d)\t%.3f (%d/%d)\tthe mention's own spelling removed from the gazetteer; no-skeleton %.3f\n",
			sp.name, ratio(h.found, h.total), h.found, h.total, ratio(h.foundBase, h.total), h.foundBase, h.total, ratio(h.foundNoSkel, h.total))
	}

	rr, err := crossScript(ctx, g, arts)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "cross-script retrieval recall\tall (%d art)\t%.3f (%d/%d)\t%.3f (%d/%d)\t%d of %d entities complete; baseline: alias as a text query\n",
		len(arts), ratio(rr.hits, rr.total), rr.hits, rr.total, ratio(rr.baseHits, rr.total), rr.baseHits, rr.total, rr.fullEntities, rr.entities)
	fmt.Fprintf(tw, "cross-script retrieval recall\ttest (%d art)\t%.3f (%d/%d)\t%.3f (%d/%d)\t\n",
		len(test), ratio(rr.testHits, rr.testTotal), rr.testHits, rr.testTotal, ratio(rr.testBase, rr.testTotal), rr.testBase, rr.testTotal)

	if !opts.SkipThroughput {
		dir := filepath.Join(corpusDir(opts.CorpusDir), "ant-arabic-news")
		rounds := opts.Rounds
		if rounds == 0 {
			rounds = 2
		}
		tp, err := throughput(ctx, g, dir, opts.MaxDocs, rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "throughput docs/s: plain bleve indexing\t%d docs\t-\t%.0f\tdefault mapping, ar analyzer on title/body; fastest of %d rounds\n", tp.docs, tp.rate(tp.plain), tp.rounds)
		fmt.Fprintf(tw, "throughput docs/s: entity matching only\t%d docs\t%.0f\t-\t%d mentions, %d new people\n", tp.docs, tp.rate(tp.match), tp.mentions, tp.discovered)
		fmt.Fprintf(tw, "throughput docs/s: indexing + entities field (ids precomputed)\t%d docs\t%.0f\t%.0f\tthe cost of storing the ids, without matching\n", tp.docs, tp.rate(tp.field), tp.rate(tp.plain))
		fmt.Fprintf(tw, "throughput docs/s: matching + indexing\t%d docs\t%.0f\t%.0f\tsame mapping + entities keyword field\n", tp.docs, tp.rate(tp.enriched), tp.rate(tp.plain))
		fmt.Fprintf(tw, "matching time / plain indexing time (wall)\t%d docs\t%.1f%%\t-\tgoal <= 20%%\n", tp.docs, 100*tp.match.Seconds()/tp.plain.Seconds())
		fmt.Fprintf(tw, "matching time / plain indexing time (CPU)\t%d docs\t%.1f%%\t-\tgoal <= 20%%; CPU time is steadier on a shared machine\n", tp.docs, 100*tp.matchCPU.Seconds()/tp.plainCPU.Seconds())
		fmt.Fprintf(tw, "enriched ingest time / plain ingest time (wall)\t%d docs\t%.3f\t1.000\tincludes indexing the entities field\n", tp.docs, tp.enriched.Seconds()/tp.plain.Seconds())
		fmt.Fprintf(tw, "enriched ingest time / plain ingest time (CPU)\t%d docs\t%.3f\t1.000\t\n", tp.docs, tp.enrichedCPU.Seconds()/tp.plainCPU.Seconds())
		fmt.Fprintf(tw, "enriched ingest time / ingest with precomputed ids (wall)\t%d docs\t%.3f\t1.000\twhat matching adds once the field is there\n", tp.docs, tp.enriched.Seconds()/tp.field.Seconds())
		fmt.Fprintf(tw, "enriched ingest time / ingest with precomputed ids (CPU)\t%d docs\t%.3f\t1.000\t\n", tp.docs, tp.enrichedCPU.Seconds()/tp.fieldCPU.Seconds())
	}
	return tw.Flush()
}

func get(m map[string]*PRF, k string) PRF {
	if c := m[k]; c != nil {
		return *c
	}
	return PRF{}
}

func prf(c PRF) string {
	if c.TP+c.FP+c.FN == 0 {
		return "-"
	}
	return fmt.Sprintf("P %.3f R %.3f F1 %.3f", c.P(), c.R(), c.F1())
}

func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// corpusDir resolves the corpus location: the option, $MIRSAD_CORPUS, or
// ../shared/corpus beside the repository root (found by its go.mod).
func corpusDir(opt string) string {
	if opt != "" {
		return opt
	}
	return corpora.DefaultDir()
}

var errNoCorpus = errors.New("eval: corpus not found")

type tpResult struct {
	docs                            int
	plain, match, enriched          time.Duration // wall clock
	plainCPU, matchCPU, enrichedCPU time.Duration // process CPU time
	field, fieldCPU                 time.Duration // plain + entities field of precomputed ids
	mentions, discovered            int
	rounds                          int
}

func (t tpResult) rate(d time.Duration) float64 { return float64(t.docs) / d.Seconds() }
