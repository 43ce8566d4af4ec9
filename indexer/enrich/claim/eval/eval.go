// Package eval measures the claims extractor: English attribution on the
// PolNeAR corpus, Arabic attribution on our own labelled set, and the cost
// of extraction next to plain bleve indexing of the ANT Arabic news corpus.
package eval

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
)

//go:embed testdata/arabic-claims.txt
var arabicSet []byte

// Options configure Run.
type Options struct {
	// CorpusDir holds PolNeAR/ and ant-arabic-news/; empty means
	// $MIRSAD_CORPUS or ../shared/corpus.
	CorpusDir string
	// PolNEARSplits are reported in order; empty means dev then test.
	PolNEARSplits []string
	// MaxANTDocs bounds the cost measurement; 0 reads the whole corpus.
	MaxANTDocs int
	// Extractor to measure; nil means claim.New(claim.Options{}).
	Extractor *claim.Extractor
}

// DefaultCorpusDir is where the shared corpora are found without options.
func DefaultCorpusDir() string { return corpora.DefaultDir() }

// Run measures everything and prints one table to w.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	dir := opts.CorpusDir
	if dir == "" {
		dir = DefaultCorpusDir()
	}
	splits := opts.PolNEARSplits
	if len(splits) == 0 {
		splits = []string{"dev", "test"}
	}
	x := opts.Extractor
	if x == nil {
		x = claim.New(claim.Options{})
	}
	// the hand-written patterns alone, as before the learned English model
	rulesOnly := claim.New(claim.Options{RulesOnly: true})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(cells ...any) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			switch v := c.(type) {
			case float64:
				fmt.Fprintf(tw, "%.3f", v)
			default:
				fmt.Fprint(tw, v)
			}
		}
		fmt.Fprint(tw, "\n")
	}
	row("measure", "set", "n", "P", "R", "F1", "goal")

	baseline := func(_, text, _ string, _ time.Time) []claim.Attribution { return quoteBaseline(text) }
	for _, split := range splits {
		arts, err := loadPolNEAR(ctx, filepath.Join(dir, "PolNeAR"), split)
		if err != nil {
			return err
		}
		sc, err := scorePolNEAR(ctx, x.Attributions, arts)
		if err != nil {
			return err
		}
		base, err := scorePolNEAR(ctx, baseline, arts)
		if err != nil {
			return err
		}
		rules, err := scorePolNEAR(ctx, rulesOnly.Attributions, arts)
		if err != nil {
			return err
		}
		set := fmt.Sprintf("PolNeAR %s (%d art., %d gold, %d pred)", split, sc.articles, sc.gold, sc.pred)
		row("en content token overlap", set, sc.gold, sc.content.P(), sc.content.R(), sc.content.F(), ">=0.75")
		row("en source (mention overlap)", set, sc.gold, sc.source.P(), sc.source.R(), sc.source.F(), ">=0.80")
		row("en triple src+cue+content>=.5", set, sc.gold, sc.triple.P(), sc.triple.R(), sc.triple.F(), "-")
		row("  baseline quotes-only: content", set, sc.gold, base.content.P(), base.content.R(), base.content.F(), "-")
		row("  baseline rules only: content", set, sc.gold, rules.content.P(), rules.content.R(), rules.content.F(), "-")
		row("  baseline rules only: source", set, sc.gold, rules.source.P(), rules.source.R(), rules.source.F(), "-")
		if split == splits[0] {
			// what the learned model costs on English text, next to the rules
			full, rulesT := enExtractTime(x, arts), enExtractTime(rulesOnly, arts)
			row("en extraction docs/s, rules+model", set, sc.articles, "", "", perSec(sc.articles, full.Seconds()), "-")
			row("en extraction docs/s, rules only", set, sc.articles, "", "", perSec(sc.articles, rulesT.Seconds()), "-")
		}
		sset := fmt.Sprintf("PolNeAR %s, speech cues only", split)
		row("en content token overlap", sset, sc.speechGold, sc.speechContent.P(), sc.speechContent.R(), sc.speechContent.F(), "-")
		row("en source (mention overlap)", sset, sc.speechGold, sc.speechSource.P(), sc.speechSource.R(), sc.speechSource.F(), "-")
		row("en triple src+cue+content>=.5", sset, sc.speechGold, sc.speechTriple.P(), sc.speechTriple.R(), sc.speechTriple.F(), "-")
	}

	arts, err := parseArabicSet(bytes.NewReader(arabicSet))
	if err != nil {
		return err
	}
	for _, split := range []string{"dev", "test"} {
		sc, err := scoreArabic(ctx, x.Attributions, arts, split)
		if err != nil {
			return err
		}
		base, err := scoreArabic(ctx, baseline, arts, split)
		if err != nil {
			return err
		}
		set := fmt.Sprintf("Arabic set %s (%d art., %d gold, %d pred)", split, sc.articles, sc.gold, sc.pred)
		row("ar content token overlap", set, sc.gold, sc.content.P(), sc.content.R(), sc.content.F(), ">=0.80")
		row("  baseline quotes-only: content", set, sc.gold, base.content.P(), base.content.R(), base.content.F(), "-")
		row("ar speaker attribution accuracy", set, sc.gold, "", "", ratio(sc.speakerOK, sc.gold), ">=0.85")
		for _, t := range []string{"direct", "plain-indirect", "body", "anon", "pron"} {
			row("ar speaker accuracy: "+t, set, sc.tagGold[t], "", "", ratio(sc.tagOK[t], sc.tagGold[t]), "-")
		}
		row("ar anonymous flag kept", set, sc.anonGold, "", "", ratio(sc.anonOK, sc.anonGold), "-")
		row("ar kind (direct/indirect) of matched", set, sc.gold, "", "", ratio(sc.kindOK, sc.gold), "-")
	}

	docs, err := loadANT(ctx, filepath.Join(dir, "ant-arabic-news"), opts.MaxANTDocs)
	if err != nil {
		return err
	}
	cost, err := measureCost(ctx, x, docs)
	if err != nil {
		return err
	}
	set := fmt.Sprintf("ant-arabic-news (%d docs, %d claims)", cost.docs, cost.claims)
	row("claim extraction docs/s", set, cost.docs, "", "", perSec(cost.docs, cost.extract.Seconds()), "-")
	row("bleve indexing docs/s (stock ar)", set, cost.docs, "", "", perSec(cost.docs, cost.index.Seconds()), "-")
	row("extraction share of ingest time", set, cost.docs, "", "", cost.share(), "<=0.15")
	return tw.Flush()
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func perSec(n int, s float64) string {
	if s <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(n)/s)
}

// enExtractTime is the wall time of extracting every article (best of
// three passes, to damp the noise of a shared machine).
func enExtractTime(x *claim.Extractor, arts []polArticle) time.Duration {
	best := time.Duration(0)
	for pass := 0; pass < 3; pass++ {
		start := time.Now()
		for _, a := range arts {
			x.Attributions(a.name, a.text, "en", a.published)
		}
		if d := time.Since(start); pass == 0 || d < best {
			best = d
		}
	}
	return best
}
