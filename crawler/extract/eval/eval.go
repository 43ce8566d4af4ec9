package eval

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/mirsad-observatory/mirsad/crawler/extract"
)

// Options say where the data sets are. Empty fields take defaults.
type Options struct {
	// CorpusDir holds article-extraction-benchmark/ and trafilatura/;
	// default $MIRSAD_CORPUS, else ../shared/corpus.
	CorpusDir string
	// ArabicDir holds our Arabic pages (NAME.html with NAME.txt as the
	// expected body); default crawler/extract/testdata/arabic.
	ArabicDir string
	// SkipBaselines leaves out the raw go-trafilatura rows measured in the run.
	SkipBaselines bool
}

func (o Options) corpus() string {
	if o.CorpusDir != "" {
		return o.CorpusDir
	}
	if v := os.Getenv("MIRSAD_CORPUS"); v != "" {
		return v
	}
	return filepath.Join("..", "shared", "corpus")
}

func (o Options) arabic() string {
	if o.ArabicDir != "" {
		return o.ArabicDir
	}
	return filepath.Join("crawler", "extract", "testdata", "arabic")
}

// row is one line of the report table.
type row struct {
	suite, system string
	s             scores
	snippet       bool // precision/recall over snippets: accuracy column means something else
	note          string
}

// page is one evaluated page.
type page struct {
	id, url string
	html    []byte
	truth   string
}

// mirsadBody is what the table scores for Mirsad: the extracted body, or
// nothing when extraction refused the page.
func mirsadBody(p page) string {
	r, err := extract.Extract(p.html, p.url, extract.Options{})
	if err != nil {
		return ""
	}
	return r.Body
}

// rawTrafilatura runs go-trafilatura the way the benchmark's go_trafilatura
// runner does (fallback on, comments excluded by our house rule).
func rawTrafilatura(p page) string {
	doc, err := html.Parse(bytes.NewReader(p.html))
	if err != nil {
		return ""
	}
	r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{EnableFallback: true, ExcludeComments: true})
	if err != nil || r == nil {
		return ""
	}
	return r.ContentText
}

// Run measures every suite and writes one table to w.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	var rows []row
	bench, err := benchmarkRows(ctx, opts)
	if err != nil {
		return err
	}
	rows = append(rows, bench...)
	snip, err := snippetRows(ctx, opts)
	if err != nil {
		return err
	}
	rows = append(rows, snip...)
	ar, err := arabicRows(ctx, opts)
	if err != nil {
		return err
	}
	rows = append(rows, ar...)
	fp, err := fastPathRows(ctx, opts)
	if err != nil {
		return err
	}
	rows = append(rows, fp...)
	sp, err := speedRow(ctx, opts)
	if err != nil {
		return err
	}
	rows = append(rows, sp)
	return writeTable(w, rows)
}

func writeTable(w io.Writer, rows []row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "suite\tsystem\tprecision\trecall\tF1\taccuracy\tpages\tnote")
	for _, r := range rows {
		if r.s.pages == 0 && r.note != "" {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t%s\n", r.suite, r.system, r.note)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%s\n",
			r.suite, r.system, r.s.precision, r.s.recall, r.s.f1, r.s.accuracy, r.s.pages, r.note)
	}
	return tw.Flush()
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(gz)
}

// toUTF8 decodes a saved page the way a browser would (BOM, meta charset,
// else UTF-8): the crawler does this before calling Extract.
func toUTF8(b []byte) []byte {
	enc, name, _ := charset.DetermineEncoding(b, "text/html")
	if name == "utf-8" || enc == nil {
		return b
	}
	out, err := io.ReadAll(enc.NewDecoder().Reader(bytes.NewReader(b)))
	if err != nil {
		return b
	}
	return out
}

type benchItem struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

func loadBenchJSON(path string) (map[string]benchItem, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	var wrapped struct {
		Version string               `json:"version"`
		Output  map[string]benchItem `json:"output"`
	}
	if json.Unmarshal(b, &wrapped) == nil && wrapped.Output != nil && wrapped.Version != "" {
		return wrapped.Output, wrapped.Version, nil
	}
	var plain map[string]benchItem
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, "", err
	}
	return plain, "", nil
}

func loadBenchmark(opts Options) ([]page, error) {
	dir := filepath.Join(opts.corpus(), "article-extraction-benchmark")
	truth, _, err := loadBenchJSON(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("eval: ground truth: %w", err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	pages := make([]page, 0, len(ids))
	for _, id := range ids {
		b, err := readGz(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("eval: benchmark page %s: %w", id, err)
		}
		pages = append(pages, page{id: id, url: truth[id].URL, html: b, truth: truth[id].ArticleBody})
	}
	return pages, nil
}

func benchmarkRows(ctx context.Context, opts Options) ([]row, error) {
	const suite = "article-extraction-benchmark"
	pages, err := loadBenchmark(opts)
	if err != nil {
		return nil, err
	}
	truths := make([]string, len(pages))
	for i, p := range pages {
		truths[i] = p.truth
	}
	score := func(f func(page) string) (scores, error) {
		preds := make([]string, len(pages))
		for i, p := range pages {
			if err := ctx.Err(); err != nil {
				return scores{}, err
			}
			preds[i] = f(p)
		}
		return corpusScores(truths, preds), nil
	}
	var rows []row
	s, err := score(mirsadBody)
	if err != nil {
		return nil, err
	}
	rows = append(rows, row{suite: suite, system: "mirsad", s: s, note: "measured now"})
	if !opts.SkipBaselines {
		s, err := score(rawTrafilatura)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{suite: suite, system: "go-trafilatura v1.12.2", s: s, note: "measured now, fallback on"})
	}
	outs, _ := filepath.Glob(filepath.Join(opts.corpus(), "article-extraction-benchmark", "output", "*.json"))
	sort.Strings(outs)
	for _, path := range outs {
		pred, version, err := loadBenchJSON(path)
		if err != nil {
			return nil, fmt.Errorf("eval: %s: %w", path, err)
		}
		preds := make([]string, len(pages))
		for i, p := range pages {
			preds[i] = pred[p.id].ArticleBody
		}
		note := "output/ file"
		if version != "" {
			note += ", version " + version
		}
		rows = append(rows, row{suite: suite, system: strings.TrimSuffix(filepath.Base(path), ".json"),
			s: corpusScores(truths, preds), note: note})
	}
	return rows, nil
}

type evalItem struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// snippetRows scores the trafilatura evaluation set as its tests/eval_common.py
// does: a must snippet found is a true positive, a must-not snippet found a
// false positive, after whitespace normalisation; accuracy=(tp+tn)/all.
func snippetRows(ctx context.Context, opts Options) ([]row, error) {
	const suite = "trafilatura-evaldata"
	pages, items, missing, err := loadSnippets(opts)
	if err != nil {
		return nil, err
	}
	systems := []struct {
		name string
		f    func(page) string
	}{{"mirsad", mirsadBody}}
	if !opts.SkipBaselines {
		systems = append(systems, struct {
			name string
			f    func(page) string
		}{"go-trafilatura v1.12.2", rawTrafilatura})
	}
	var rows []row
	for _, sys := range systems {
		var tp, fp, fn, tn int
		for _, p := range pages {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res := normSpace(sys.f(p))
			it := items[p.id]
			for _, s := range it.With {
				if strings.Contains(res, normSpace(s)) {
					tp++
				} else {
					fn++
				}
			}
			for _, s := range it.Without {
				if strings.Contains(res, normSpace(s)) {
					fp++
				} else {
					tn++
				}
			}
		}
		var s scores
		s.pages = len(pages)
		if tp+fp > 0 {
			s.precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			s.recall = float64(tp) / float64(tp+fn)
		}
		if d := 2*tp + fp + fn; d > 0 {
			s.f1 = 2 * float64(tp) / float64(d)
		}
		if all := tp + fp + fn + tn; all > 0 {
			s.accuracy = float64(tp+tn) / float64(all)
		}
		note := "snippets; measured now"
		if missing > 0 {
			note += fmt.Sprintf("; %d pages missing", missing)
		}
		rows = append(rows, row{suite: suite, system: sys.name, s: s, snippet: true, note: note})
	}
	return rows, nil
}

// loadSnippets reads trafilatura's evaluation pages and their snippets,
// counting the pages whose HTML is not in the corpus.
func loadSnippets(opts Options) ([]page, map[string]evalItem, int, error) {
	dir := filepath.Join(opts.corpus(), "trafilatura", "tests")
	b, err := os.ReadFile(filepath.Join(dir, "evaldata.json"))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("eval: trafilatura evaldata: %w", err)
	}
	var items map[string]evalItem
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, nil, 0, fmt.Errorf("eval: trafilatura evaldata: %w", err)
	}
	urls := make([]string, 0, len(items))
	for u := range items {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var pages []page
	var missing int
	for _, u := range urls {
		var raw []byte
		for _, sub := range []string{"cache", "eval"} {
			if raw, err = readGz(filepath.Join(dir, sub, items[u].File+".gz")); err == nil {
				break
			}
		}
		if err != nil {
			missing++
			continue
		}
		pages = append(pages, page{id: u, url: u, html: toUTF8(raw)})
	}
	return pages, items, missing, nil
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func loadArabic(opts Options) ([]page, error) {
	dir := opts.arabic()
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("eval: no arabic pages in %s", dir)
	}
	sort.Strings(files)
	pages := make([]page, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".txt")
		if err != nil {
			return nil, fmt.Errorf("eval: expected body for %s: %w", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		pages = append(pages, page{id: name, url: "https://example.org/ar/" + name, html: b, truth: string(want)})
	}
	return pages, nil
}

func arabicRows(ctx context.Context, opts Options) ([]row, error) {
	const suite = "arabic-layouts (ours)"
	pages, err := loadArabic(opts)
	if err != nil {
		return nil, err
	}
	truths := make([]string, len(pages))
	for i, p := range pages {
		truths[i] = p.truth
	}
	systems := []struct {
		name string
		f    func(page) string
	}{{"mirsad", mirsadBody}}
	if !opts.SkipBaselines {
		systems = append(systems, struct {
			name string
			f    func(page) string
		}{"go-trafilatura v1.12.2", rawTrafilatura})
	}
	var rows []row
	for _, sys := range systems {
		preds := make([]string, len(pages))
		for i, p := range pages {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			preds[i] = sys.f(p)
		}
		rows = append(rows, row{suite: suite, system: sys.name, s: corpusScores(truths, preds), note: "benchmark metric; measured now"})
	}
	return rows, nil
}

// speedRow times Extract against goquery.NewDocumentFromReader on the same
// benchmark pages in the same run, interleaved so CPU noise hits both.
func speedRow(ctx context.Context, opts Options) (row, error) {
	pages, err := loadBenchmark(opts)
	if err != nil {
		return row{}, err
	}
	var tParse, tExtract time.Duration
	for round := 0; round < 2; round++ {
		for _, p := range pages {
			if err := ctx.Err(); err != nil {
				return row{}, err
			}
			t0 := time.Now()
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p.html)); err != nil {
				return row{}, fmt.Errorf("eval: parse %s: %w", p.id, err)
			}
			t1 := time.Now()
			_, _ = extract.Extract(p.html, p.url, extract.Options{})
			t2 := time.Now()
			tParse += t1.Sub(t0)
			tExtract += t2.Sub(t1)
		}
	}
	n := float64(2 * len(pages))
	note := fmt.Sprintf("extract/parse time ratio %.2fx (extract %.1f ms/page, goquery parse %.1f ms/page)",
		float64(tExtract)/float64(tParse), float64(tExtract.Milliseconds())/n, float64(tParse.Milliseconds())/n)
	return row{suite: "speed (benchmark pages)", system: "mirsad vs goquery parse", note: note}, nil
}
