package eval

import (
	"context"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

// Options configure Run. Empty paths default to the repository layout,
// found by walking up from the working directory to go.mod.
type Options struct {
	// CorpusDir is the shared third-party corpus (default ../shared/corpus
	// from the repository root, or $MIRSAD_CORPUS).
	CorpusDir string
	// MentionsDir holds mentions_*.txt (default indexer/enrich/temporal/testdata).
	MentionsDir string
	// PubdateDir holds the pubdate fixtures (default crawler/pubdate/testdata/cases).
	PubdateDir string
	// CostDocs limits the documents of the cost run; 0 means all.
	CostDocs int
	// SkipCost leaves out the corpus cost run.
	SkipCost bool
	// DateparserDocs is how many corpus documents go-dateparser, the
	// baseline, searches for its speed (0 means 200; negative skips it).
	DateparserDocs int
}

func (o *Options) defaults() error {
	root, err := repoRoot()
	if err != nil && (o.MentionsDir == "" || o.PubdateDir == "" || o.CorpusDir == "") {
		return err
	}
	if o.MentionsDir == "" {
		o.MentionsDir = filepath.Join(root, "indexer", "enrich", "temporal", "testdata")
	}
	if o.PubdateDir == "" {
		o.PubdateDir = filepath.Join(root, "crawler", "pubdate", "testdata", "cases")
	}
	if o.CorpusDir == "" {
		if env := os.Getenv("MIRSAD_CORPUS"); env != "" {
			o.CorpusDir = env
		} else {
			o.CorpusDir = filepath.Join(root, "..", "shared", "corpus")
		}
	}
	return nil
}

func repoRoot() (string, error) { return corpora.RepoRoot() }

// LoadAll reads every mentions_*.txt file of dir.
func LoadAll(dir string) ([]Item, error) {
	files, err := filepath.Glob(filepath.Join(dir, "mentions_*.txt"))
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("eval: no mentions_*.txt in %s", dir)
	}
	sort.Strings(files)
	var all []Item
	for _, f := range files {
		items, err := LoadItems(f)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
	}
	return all, nil
}

// TaggerScores runs tag over items and returns counts keyed by
// "lang/split/kind"; kind "none" holds spurious predictions.
func TaggerScores(items []Item, tag func(Item) []document.DateMention) map[string]Counts {
	out := map[string]Counts{}
	for _, it := range items {
		for kind, c := range Score(it.Gold, tag(it)) {
			k := it.Lang + "/" + it.Split + "/" + kind
			v := out[k]
			v.add(c)
			out[k] = v
		}
	}
	return out
}

// Sum adds the counts whose key matches lang, split and kind ("" = any).
func Sum(scores map[string]Counts, lang, split, kind string) Counts {
	var c Counts
	for k, v := range scores {
		p := strings.Split(k, "/")
		if (lang == "" || p[0] == lang) && (split == "" || p[1] == split) && (kind == "" || p[2] == kind) {
			c.add(v)
		}
	}
	return c
}

// Run prints one table: tagger accuracy and span F1 per language, split and
// kind (with a no-publication-date baseline), publication-date accuracy on
// the fixtures (with a fetch-time baseline) and, unless skipped, the
// tagger's cost on ant-arabic-news next to indexing the same documents.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	if err := opts.defaults(); err != nil {
		return err
	}
	items, err := LoadAll(opts.MentionsDir)
	if err != nil {
		return err
	}
	tg := temporal.New(temporal.Options{})
	full := TaggerScores(items, func(it Item) []document.DateMention { return tg.Tag(it.Text, it.Lang, it.Published) })
	base := TaggerScores(items, func(it Item) []document.DateMention { return tg.Tag(it.Text, it.Lang, time.Time{}) })

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "section\tslice\tn\tpred\tspan P\tspan R\tspan F1\toverlap F1\taccuracy\tbaseline\tnote")
	row := func(lang, split, kind string) {
		c := Sum(full, lang, split, kind)
		b := Sum(base, lang, split, kind)
		pred, p, f, of := "-", "-", "-", "-"
		if kind == "" {
			// Spurious predictions belong to no kind, so precision is
			// only meaningful on whole-language rows.
			pred = fmt.Sprint(c.Pred)
			if c.Pred > 0 {
				p = fmt.Sprintf("%.3f", float64(c.ExactTP)/float64(c.Pred))
			}
			f = fmt.Sprintf("%.3f", c.ExactF1())
			of = fmt.Sprintf("%.3f", c.OverlapF1())
		}
		r := 0.0
		if c.Gold > 0 {
			r = float64(c.ExactTP) / float64(c.Gold)
		}
		fmt.Fprintf(tw, "tagger\t%s/%s/%s\t%d\t%s\t%s\t%.3f\t%s\t%s\t%.3f\t%.3f\tacc of detected %.3f\n",
			or(lang, "all"), or(split, "all"), or(kind, "all"), c.Gold, pred, p, r, f, of, c.Accuracy(), b.Accuracy(), c.AccuracyDetected())
	}
	for _, lang := range []string{"ar", "en"} {
		for _, split := range []string{"dev", "test", ""} {
			row(lang, split, "")
		}
		for _, kind := range []string{"abs", "num", "rel", "range"} {
			row(lang, "", kind)
			row(lang, "test", kind)
		}
	}
	row("", "dev", "")
	row("", "test", "")
	row("", "", "")
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := pubdateRows(ctx, opts, tw); err != nil {
		return err
	}
	if !opts.SkipCost {
		if err := costRows(ctx, opts, tg, items, tw); err != nil {
			return err
		}
	}
	return tw.Flush()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
