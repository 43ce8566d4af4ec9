// Package analysiseval measures Mirsad's analyzers against bleve's stock
// ar/en analyzers on third-party corpora read at run time: retrieval quality
// on xquad, the variant set in testdata, and analysis throughput on the ANT
// Arabic news corpus. Run prints one plain-text table.
package analysiseval

import (
	"context"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// Options configures Run.
type Options struct {
	// CorpusDir holds xquad/ and ant-arabic-news/ (default: $MIRSAD_CORPUS,
	// else ../shared/corpus relative to the repository root).
	CorpusDir string
	// VariantsFile is the TSV of query/text pairs (default: this package's
	// testdata/variants.tsv, found from the working directory).
	VariantsFile string
	// TextFields is the product's field table, measured as "mirsad"
	// (default indexer.TextFields; only the body fields are used, since
	// xquad has no titles).
	TextFields map[string][]indexer.TextField
	// Proposed, per language, are further field schemes measured beside
	// the product's (default ProposedFields).
	Proposed map[string][]Field
	// MaxNewsDocs limits the ANT documents analyzed (0 = all).
	MaxNewsDocs int
	// ThroughputRounds is how many alternating timing rounds to run per
	// analyzer (best round counts; default 3).
	ThroughputRounds int
	// Logger receives progress; nil discards it.
	Logger *slog.Logger
}

// DefaultCorpusDir returns $MIRSAD_CORPUS or ../shared/corpus relative to
// the repository root found from the working directory.
func DefaultCorpusDir() string { return corpora.DefaultDir() }

func repoRoot() (string, error) { return corpora.RepoRoot() }

// Run measures everything and writes one table to w.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	if opts.CorpusDir == "" {
		opts.CorpusDir = DefaultCorpusDir()
	}
	if opts.VariantsFile == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		opts.VariantsFile = filepath.Join(root, "indexer", "analysiseval", "testdata", "variants.tsv")
	}
	if opts.TextFields == nil {
		opts.TextFields = indexer.TextFields
	}
	if opts.Proposed == nil {
		opts.Proposed = ProposedFields
	}
	if opts.ThroughputRounds <= 0 {
		opts.ThroughputRounds = 3
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "analysis benchmark\t%s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(tw, "xquad: MRR@10 / recall@10\tall questions\tsecond half (not used for tuning)\n")
	for _, lang := range []string{"ar", "en"} {
		set, err := loadXQuAD(filepath.Join(opts.CorpusDir, "xquad"), lang)
		if err != nil {
			return err
		}
		schemes := []scheme{single("stock "+lang, stockName(lang))}
		schemes = append(schemes, mirsadSchemes(BodyFields(opts.TextFields[lang]))...)
		if p := opts.Proposed[lang]; len(p) > 0 {
			schemes = append(schemes, scheme{Name: "proposed " + describe(p), Fields: p})
		}
		for _, lv := range levels(set) {
			for _, s := range schemes {
				log.Info("xquad", "lang", lang, "level", lv.Name, "scheme", s.Name)
				rss, err := evalScheme(ctx, s, lv.Docs, set.Questions, lv.Rels)
				if err != nil {
					return err
				}
				for k, rs := range rss {
					half := len(rs) / 2
					fmt.Fprintf(tw, "  %s %s (%d docs, %d q)\t%s\t%s\t%s\n", lv.Names[k], lang, len(lv.Docs), len(rs), s.Name,
						fmtMetrics(score(rs)), fmtMetrics(score(rs[half:])))
				}
			}
		}
	}

	vs, err := LoadVariants(opts.VariantsFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "variants (%d pairs)\tcategory\tmirsad: hits/pairs\tstock: hits/pairs\t+ n-gram field\n", len(vs))
	vrep, err := EvalVariants(vs)
	if err != nil {
		return err
	}
	for _, row := range vrep {
		fmt.Fprintf(tw, "  %s\t%s\t%d/%d\t%d/%d\t%d/%d\n", row.Kind, row.Category, row.Mirsad, row.Pairs, row.Stock, row.Pairs, row.Extra, row.Pairs)
	}

	news, err := LoadANT(filepath.Join(opts.CorpusDir, "ant-arabic-news"), opts.MaxNewsDocs)
	if err != nil {
		return err
	}
	log.Info("throughput", "docs", len(news))
	product := analyzersOf(BodyFields(opts.TextFields["ar"]))
	proposed := analyzersOf(opts.Proposed["ar"])
	names := []string{ar.AnalyzerName}
	seen := map[string]bool{ar.AnalyzerName: true}
	for _, n := range append(append([]string{}, product...), proposed...) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	tp, err := Throughput(ctx, news, names, opts.ThroughputRounds)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "throughput (%d ANT docs, best of %d)\tanalyzer\tdocs/s\tvs stock ar\n", len(news), opts.ThroughputRounds)
	for _, name := range names {
		fmt.Fprintf(tw, "  \t%s\t%.0f\t%.2fx\n", name, tp[name], tp[name]/tp[ar.AnalyzerName])
	}
	// A document is analyzed once per field: the rate of a field scheme
	// is the harmonic combination of its analyzers' rates.
	for _, row := range []struct {
		name  string
		names []string
	}{{"mirsad fields together", product}, {"proposed fields together", proposed}} {
		if len(row.names) == 0 {
			continue
		}
		var secs float64
		for _, n := range row.names {
			secs += 1 / tp[n]
		}
		fmt.Fprintf(tw, "  \t%s\t%.0f\t%.2fx\n", row.name, 1/secs, 1/secs/tp[ar.AnalyzerName])
	}
	return tw.Flush()
}

func stockName(lang string) string {
	if lang == "ar" {
		return ar.AnalyzerName
	}
	return en.AnalyzerName
}

// BodyFields turns the body fields of one language of a field table
// (indexer.TextFields) into the fields a scheme indexes and queries.
func BodyFields(tf []indexer.TextField) []Field {
	var out []Field
	for _, f := range tf {
		if f.IsBody() {
			out = append(out, Field{Name: f.Name, Analyzer: f.Analyzer, Boost: f.Boost})
		}
	}
	return out
}

// describe names a field list as analyzer^boost terms joined by " + ".
func describe(fs []Field) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString(" + ")
		}
		b.WriteString(f.Analyzer)
		if f.QueryAnalyzer != "" {
			b.WriteString("(q:" + f.QueryAnalyzer + ")")
		}
		if f.Boost != 1 {
			fmt.Fprintf(&b, "^%g", f.Boost)
		}
	}
	return b.String()
}

// mirsadSchemes are the product's setup (all fields of the table) and, as
// ablations, each field alone.
func mirsadSchemes(fields []Field) []scheme {
	out := []scheme{{Name: "mirsad " + describe(fields), Fields: fields}}
	if len(fields) > 1 {
		for _, f := range fields {
			out = append(out, single("  ablation: "+f.Analyzer+" only", f.Analyzer))
		}
	}
	return out
}

func evalScheme(ctx context.Context, s scheme, docs map[string]string, qs []question, rels []func(question) []string) ([][]int, error) {
	dir, err := os.MkdirTemp("", "analysiseval-")
	if err != nil {
		return nil, fmt.Errorf("analysiseval: %w", err)
	}
	defer os.RemoveAll(dir)
	idx, err := buildIndex(ctx, dir, s, docs)
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	return ranks(ctx, idx, s, qs, rels)
}

// analyzersOf lists the index-side analyzers of fields.
func analyzersOf(fs []Field) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Analyzer)
	}
	return out
}

// ProposedFields is the field scheme measured beside the product's, per
// language: Arabic text indexed three times, stemmed, exact, and as
// character 3- and 4-grams at a low boost. The n-gram sizes and boost were
// read off TestTuneFields, on the FIRST half of the xquad questions only.
// English has no proposal: its product scheme is not below stock.
var ProposedFields = map[string][]Field{
	"ar": {
		{Name: "body_ar", Analyzer: arabic.AnalyzerName, Boost: 1},
		{Name: "body_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: 0.2},
		{Name: "body_ar_ngram", Analyzer: arabic.NgramAnalyzerName, Boost: 0.5},
	},
}
