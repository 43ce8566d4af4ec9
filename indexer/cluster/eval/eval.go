// Package eval measures near-duplicate clustering on the ANT Arabic news
// corpus: clusters found, precision and recall on a sample of pairs
// labelled by reading them, and the cost per article next to plain bleve
// indexing of the same articles in the same run.
package eval

import (
	"bufio"
	"context"
	"fmt"
	"github.com/mirsad-observatory/mirsad/internal/corpora"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/cluster"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Options configure Run.
type Options struct {
	// CorpusDir holds ant-arabic-news/ (default: $MIRSAD_CORPUS, else
	// ../shared/corpus relative to the repository root).
	CorpusDir string
	// LabelsFiles are the development samples of labelled pairs, on which
	// the setting is chosen (default: labels.tsv and labels_dev2.tsv to
	// labels_dev5.tsv in indexer/cluster/testdata, found from the
	// repository root).
	LabelsFiles []string
	// TestLabelsFile is the test sample, drawn and labelled after the
	// setting was frozen and never used to choose (default:
	// labels_test.tsv next to the first of LabelsFiles; "-" for none).
	TestLabelsFile string
	// CostDocs is how many articles the cost comparison indexes (default
	// 2000).
	CostDocs int
	// BatchSize is the batch size for both clustering and bleve (default 100,
	// as the indexer flushes in batches).
	BatchSize int
}

// Pair is one labelled pair.
type Pair struct {
	A, B   string // DOCNOs
	Same   bool
	Reason string

	f cluster.Features
}

// LoadLabels reads the labelled pairs TSV.
func LoadLabels(path string) ([]Pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: labels: %w", err)
	}
	defer f.Close()
	var out []Pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "docno_a\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 || (c[4] != "0" && c[4] != "1") {
			return nil, fmt.Errorf("eval: labels: %s:%d: want 6 columns with label 0 or 1", path, n)
		}
		out = append(out, Pair{A: c[0], B: c[1], Same: c[4] == "1", Reason: c[5]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: labels: %w", err)
	}
	return out, nil
}

// DefaultCorpusDir returns $MIRSAD_CORPUS or ../shared/corpus next to the
// repository root.
func DefaultCorpusDir() string { return corpora.DefaultDir() }

func repoRoot() (string, error) { return corpora.RepoRoot() }

// devPrecisionBar is the development precision a setting must reach before
// recall counts in the choice.
const devPrecisionBar = 0.975

// Run measures everything and writes one table to w.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	if opts.CorpusDir == "" {
		opts.CorpusDir = DefaultCorpusDir()
	}
	if len(opts.LabelsFiles) == 0 {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		dir := filepath.Join(root, "indexer", "cluster", "testdata")
		opts.LabelsFiles = []string{filepath.Join(dir, "labels.tsv"), filepath.Join(dir, "labels_dev2.tsv"), filepath.Join(dir, "labels_dev3.tsv"), filepath.Join(dir, "labels_dev4.tsv"), filepath.Join(dir, "labels_dev5.tsv")}
	}
	if opts.TestLabelsFile == "" {
		opts.TestLabelsFile = filepath.Join(filepath.Dir(opts.LabelsFiles[0]), "labels_test.tsv")
		if _, err := os.Stat(opts.TestLabelsFile); err != nil {
			// Between freezing a setting and labelling its test sample.
			opts.TestLabelsFile = "-"
		}
	}
	if opts.CostDocs == 0 {
		opts.CostDocs = 2000
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = 100
	}
	docs, err := LoadANT(filepath.Join(opts.CorpusDir, "ant-arabic-news"))
	if err != nil {
		return err
	}
	var dev []Pair
	for _, f := range opts.LabelsFiles {
		ps, err := LoadLabels(f)
		if err != nil {
			return err
		}
		dev = append(dev, ps...)
	}
	var test []Pair
	if opts.TestLabelsFile != "-" {
		if test, err = LoadLabels(opts.TestLabelsFile); err != nil {
			return err
		}
	}
	byID := make(map[string]*document.Article, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	tmp, err := os.MkdirTemp("", "mirsad-cluster-eval")
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(tmp)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "clustering, ANT Arabic news (%d articles); labelled pairs: dev %d (%d same story), test %d (%d same story)\n", len(docs), len(dev), countSame(dev), len(test), countSame(test))

	// Clusters over the whole corpus with the defaults, in publication
	// order. The pairs' features are read from this clusterer, so that rare
	// lead words are counted as Assign counted them (against the articles
	// seen before each one).
	db, err := bolt.Open(filepath.Join(tmp, "all.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer db.Close()
	c, err := CorpusClusterer(ctx, db, docs, opts.BatchSize)
	if err != nil {
		return err
	}

	// Precision/recall. The setting is chosen on the development samples
	// only; the test sample (labels_test.tsv) was drawn and labelled
	// afterwards, the same way, and is never used to choose.
	devF, err := StoredFeatures(c, dev)
	if err != nil {
		return err
	}
	dev = pairsWith(dev, devF)
	if len(test) > 0 {
		testF, err := StoredFeatures(c, test)
		if err != nil {
			return err
		}
		test = pairsWith(test, testF)
	}

	type setting struct {
		name string
		o    cluster.Options
	}
	var rows []setting
	for _, t := range []float64{0.1, 0.2, 0.3, 0.4, 0.5} {
		rows = append(rows, setting{fmt.Sprintf("baseline: jaccard>=%.1f only", t),
			cluster.Options{Threshold: t, SameSourceThreshold: t, SameMinuteThreshold: -1, LeadThreshold: -1, MaxGap: -1, NearGap: -1, RepublishGap: -1, RareWindow: -1}})
	}
	type near struct {
		gap time.Duration
		far float64
	}
	nearGrid := []near{{-1, 0}}
	for _, g := range []time.Duration{6, 8, 10, 12} {
		for _, far := range []float64{0.3, 0.4, 0.5} {
			nearGrid = append(nearGrid, near{g * time.Hour, far})
		}
	}
	var best setting
	bestF := -1.0
	pick := func(o cluster.Options) {
		r := score(o, dev)
		// Precision first, then F1; ties go to the earlier, stricter
		// setting. The bar is above the goal (0.95) because held-out
		// precision came out about 0.1 below development precision in
		// rounds 1 and 2.
		f := r.f1()
		if r.precision() >= devPrecisionBar {
			f++
		}
		if f > bestF {
			best, bestF = setting{describe(o), o}, f
		}
	}
	// Round 4's grid, without rare lead words: the baseline the rare-word
	// checks are measured against.
	for _, t := range []float64{0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4} {
		for _, s := range []float64{0.5, 0.6, 0.7, 0.8, 0.9} {
			for _, l := range []float64{-1, 0.02, 0.05, 0.1, 0.2, 0.3} {
				for _, m := range []float64{-1, 0.3, 0.4, 0.5} {
					for _, near := range nearGrid {
						for _, rep := range []time.Duration{-1, 72 * time.Hour} {
							pick(cluster.Options{Threshold: t, SameSourceThreshold: s, SameMinuteThreshold: m, LeadThreshold: l, MaxGap: 24 * time.Hour,
								NearGap: near.gap, FarThreshold: near.far, RepublishThreshold: 0.9, RepublishGap: rep, RareWindow: -1})
						}
					}
				}
			}
		}
	}
	rows = append(rows, setting{"best on dev without rare words: " + best.name, best.o})
	// With rare lead words: a floor for near cross-outlet pairs and two
	// rescues (same-outlet updates, overnight cross-outlet copies).
	type rescue struct{ rare, sim float64 }
	best, bestF = setting{}, -1
	for _, t := range []float64{0.1, 0.12, 0.15, 0.2} {
		for _, s := range []float64{0.7, 0.8, 0.9} {
			for _, l := range []float64{0.02, 0.05} {
				for _, g := range []time.Duration{6, 8} {
					for _, rm := range []float64{-1, 0.2, 0.3, 0.4, 0.5} {
						for _, rs := range []rescue{{-1, 0}, {0.5, 0.3}, {0.7, 0.3}, {0.6, 0.4}, {0.8, 0.4}, {0.7, 0.5}} {
							for _, rf := range []float64{-1, 0.5, 0.6, 0.7, 0.8} {
								pick(cluster.Options{Threshold: t, SameSourceThreshold: s, SameMinuteThreshold: 0.3, LeadThreshold: l, MaxGap: 24 * time.Hour,
									NearGap: g * time.Hour, FarThreshold: 0.3, RepublishThreshold: 0.9, RepublishGap: 72 * time.Hour,
									RareMin: rm, RareSameSource: rs.rare, RareSameSimilarity: rs.sim, RareFar: rf})
							}
						}
					}
				}
			}
		}
	}
	rows = append(rows, setting{"best on dev: " + best.name, best.o})
	rows = append(rows, setting{"package default: " + describe(cluster.WithDefaults(cluster.Options{})), cluster.Options{}})
	fmt.Fprintf(tw, "setting\tdev P\tdev R\ttest P\ttest R\n")
	for _, s := range rows {
		d, t := score(s.o, dev), score(s.o, test)
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.3f\n", s.name, d.precision(), d.recall(), t.precision(), t.recall())
	}
	// The same default through Assign, so LSH candidate generation counts:
	// each pair in a fresh store, the earlier-published article first.
	var e2e [2]prf
	for k, ps := range [][]Pair{dev, test} {
		for i, p := range ps {
			same, err := assignPair(filepath.Join(tmp, fmt.Sprintf("e2e-%d-%d.db", k, i)), byID[p.A], byID[p.B])
			if err != nil {
				return err
			}
			switch {
			case same && p.Same:
				e2e[k].tp++
			case same:
				e2e[k].fp++
			case p.Same:
				e2e[k].fn++
			}
		}
	}
	fmt.Fprintf(tw, "package default through Assign (candidate search included)\t%.3f\t%.3f\t%.3f\t%.3f\n", e2e[0].precision(), e2e[0].recall(), e2e[1].precision(), e2e[1].recall())

	// The labelled pairs as the whole corpus clusters them: chaining
	// through third articles and competition between candidates count.
	var whole [2]prf
	for k, ps := range [][]Pair{dev, test} {
		for _, p := range ps {
			ca, _ := c.ClusterOf(p.A)
			cb, _ := c.ClusterOf(p.B)
			switch same := ca == cb; {
			case same && p.Same:
				whole[k].tp++
			case same:
				whole[k].fp++
			case p.Same:
				whole[k].fn++
			}
		}
	}
	fmt.Fprintf(tw, "package default, whole corpus in publication order (same cluster)\t%.3f\t%.3f\t%.3f\t%.3f\n", whole[0].precision(), whole[0].recall(), whole[1].precision(), whole[1].recall())
	sizes := map[string]int{}
	for i := range docs {
		id, _ := c.ClusterOf(docs[i].ID)
		sizes[id]++
	}
	multi, inMulti, cross, largest := 0, 0, 0, 0
	for id, n := range sizes {
		if n < 2 {
			continue
		}
		multi++
		inMulti += n
		largest = max(largest, n)
		srcs := map[string]bool{}
		for _, m := range c.Members(id) {
			srcs[byID[m].Source] = true
		}
		if len(srcs) > 1 {
			cross++
		}
	}
	fmt.Fprintf(tw, "clusters with >=2 members (default)\t%d\t\t\t\t\t\n", multi)
	fmt.Fprintf(tw, "  of which spanning >=2 outlets\t%d\t\t\t\t\t\n", cross)
	fmt.Fprintf(tw, "articles in those clusters\t%d\t\t\t\t\t\n", inMulti)
	fmt.Fprintf(tw, "largest cluster\t%d\t\t\t\t\t\n", largest)

	// Cost per article: clustering vs plain bleve indexing of the same
	// articles with the same batch size, both persisting to disk with
	// default sync settings; batches of 1 show the per-transaction floor.
	fmt.Fprintf(tw, "cost per article\tclustering\tof which signature\tbleve index\tratio\n")
	for _, run := range []struct{ n, batch int }{{opts.CostDocs, opts.BatchSize}, {min(opts.CostDocs, 300), 1}} {
		n := min(run.n, len(docs))
		cl, sig, bl, err := cost(filepath.Join(tmp, fmt.Sprintf("cost-%d", run.batch)), docs[len(docs)-n:], run.batch)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "  %d articles, batches of %d\t%v\t%v\t%v\t%.2f\n", n, run.batch, cl.Round(time.Microsecond), sig.Round(time.Microsecond), bl.Round(time.Microsecond), float64(cl)/float64(bl))
	}
	return tw.Flush()
}

// cost times clustering and plain bleve indexing of the same articles.
func cost(dir string, sample []document.Article, batch int) (clusterCost, sigCost, bleveCost time.Duration, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, 0, 0, fmt.Errorf("eval: %w", err)
	}
	n := len(sample)
	db, err := bolt.Open(filepath.Join(dir, "cost.db"), 0o600, nil)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("eval: %w", err)
	}
	defer db.Close()
	c, err := cluster.New(cluster.Options{DB: db})
	if err != nil {
		return 0, 0, 0, err
	}
	start := time.Now()
	for i := 0; i < n; i += batch {
		if _, err := c.AssignBatch(ptrs(sample[i:min(n, i+batch)])); err != nil {
			return 0, 0, 0, err
		}
	}
	clusterCost = time.Since(start) / time.Duration(n)
	start = time.Now()
	for i := range sample {
		_ = c.Signature(cluster.Text(&sample[i]))
	}
	sigCost = time.Since(start) / time.Duration(n)

	idx, err := bleve.New(filepath.Join(dir, "bleve"), bleve.NewIndexMapping())
	if err != nil {
		return 0, 0, 0, fmt.Errorf("eval: %w", err)
	}
	defer idx.Close()
	start = time.Now()
	for i := 0; i < n; i += batch {
		b := idx.NewBatch()
		for _, a := range sample[i:min(n, i+batch)] {
			if err := b.Index(a.ID, map[string]any{"title": a.Title, "body": a.Body}); err != nil {
				return 0, 0, 0, fmt.Errorf("eval: %w", err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return 0, 0, 0, fmt.Errorf("eval: %w", err)
		}
	}
	bleveCost = time.Since(start) / time.Duration(n)
	return clusterCost, sigCost, bleveCost, nil
}

// CorpusClusterer assigns docs (in the order given, publication order for
// LoadANT) to a default Clusterer in db, in batches.
func CorpusClusterer(ctx context.Context, db *bolt.DB, docs []document.Article, batch int) (*cluster.Clusterer, error) {
	c, err := cluster.New(cluster.Options{DB: db})
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(docs); i += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if _, err := c.AssignBatch(ptrs(docs[i:min(len(docs), i+batch)])); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// StoredFeatures returns the features of the labelled pairs as c holds
// them (see cluster.CompareStored).
func StoredFeatures(c *cluster.Clusterer, ps []Pair) ([]cluster.Features, error) {
	out := make([]cluster.Features, len(ps))
	for i, p := range ps {
		f, err := c.CompareStored(p.A, p.B)
		if err != nil {
			return nil, fmt.Errorf("eval: labelled pair: %w", err)
		}
		out[i] = f
	}
	return out, nil
}

func pairsWith(ps []Pair, fs []cluster.Features) []Pair {
	for i := range ps {
		ps[i].f = fs[i]
	}
	return ps
}

func score(o cluster.Options, ps []Pair) prf {
	var r prf
	for _, p := range ps {
		got := cluster.Matches(o, p.f)
		switch {
		case got && p.Same:
			r.tp++
		case got:
			r.fp++
		case p.Same:
			r.fn++
		}
	}
	return r
}

type prf struct{ tp, fp, fn int }

func (r prf) precision() float64 { return ratio(r.tp, r.tp+r.fp) }
func (r prf) recall() float64    { return ratio(r.tp, r.tp+r.fn) }
func (r prf) f1() float64 {
	p, q := r.precision(), r.recall()
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

func describe(o cluster.Options) string {
	lead := "no lead check"
	if o.LeadThreshold >= 0 {
		lead = fmt.Sprintf("lead>=%.2f", o.LeadThreshold)
	}
	minute := "off"
	if o.SameMinuteThreshold >= 0 {
		minute = fmt.Sprintf("%.2f", o.SameMinuteThreshold)
	}
	gap := "any gap"
	if o.MaxGap > 0 {
		gap = fmt.Sprintf("gap<=%gh", o.MaxGap.Hours())
	}
	if o.NearGap > 0 {
		gap += fmt.Sprintf(" (>%gh: >=%.2f)", o.NearGap.Hours(), o.FarThreshold)
	}
	if o.RepublishGap > 0 {
		gap += fmt.Sprintf(", >=%.2f within %gh", o.RepublishThreshold, o.RepublishGap.Hours())
	}
	rare := "no rare words"
	if o.RareWindow >= 0 {
		w := cluster.WithDefaults(o)
		rare = fmt.Sprintf("rare>=%.1f", w.RareMin)
		if w.RareMin < 0 {
			rare = "no rare floor"
		}
		if w.RareSameSource >= 0 {
			rare += fmt.Sprintf(", same outlet rare>=%.1f & j>=%.1f", w.RareSameSource, w.RareSameSimilarity)
		}
		if w.RareFar >= 0 {
			rare += fmt.Sprintf(", far rare>=%.1f", w.RareFar)
		}
	}
	return fmt.Sprintf("jaccard>=%.2f, same outlet >=%.2f (same minute %s), %s, %s; %s", o.Threshold, o.SameSourceThreshold, minute, lead, gap, rare)
}

// assignPair assigns two articles to a fresh Clusterer and reports whether
// they share a cluster.
func assignPair(path string, a, b *document.Article) (bool, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		return false, fmt.Errorf("eval: %w", err)
	}
	defer db.Close()
	c, err := cluster.New(cluster.Options{DB: db})
	if err != nil {
		return false, err
	}
	if b.Published.Before(a.Published) {
		a, b = b, a
	}
	ids, err := c.AssignBatch([]*document.Article{a, b})
	if err != nil {
		return false, err
	}
	return ids[0] == ids[1], nil
}

func ptrs(as []document.Article) []*document.Article {
	out := make([]*document.Article, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out
}

func countSame(ps []Pair) int {
	n := 0
	for _, p := range ps {
		if p.Same {
			n++
		}
	}
	return n
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
