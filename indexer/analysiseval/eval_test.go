package analysiseval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"latin", "One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"arabic question mark", "هل اتفقوا؟ نعم. انتهى", []string{"هل اتفقوا؟", "نعم.", "انتهى"}},
		{"no space after dot", "U.S. talks 2.5 rounds. Next", []string{"U.S.", "talks 2.5 rounds.", "Next"}},
		{"trailing mark", "Done.", []string{"Done."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, sp := range SplitSentences(tt.in) {
				got = append(got, tt.in[sp[0]:sp[1]])
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("sentence %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestVariantSet checks the size and shape the issue asks of the variant
// set; the recall and false-merge figures are printed by Run.
func TestVariantSet(t *testing.T) {
	vs, err := LoadVariants(filepath.Join("testdata", "variants.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, v := range vs {
		kinds[v.Kind]++
		if v.Category == "" || v.Query == "" || v.Text == "" {
			t.Errorf("line %d: empty column", v.Line)
		}
	}
	if kinds["match"] < 150 || kinds["apart"] < 50 {
		t.Errorf("variant set has %d match and %d apart pairs, want >= 150 and >= 50", kinds["match"], kinds["apart"])
	}
}

// TestMeets pins pairs the issue names explicitly, through the same code
// path the variant figures use.
func TestMeets(t *testing.T) {
	tests := []struct {
		query, text string
		want        bool
	}{
		{"فلسطين", "الفلسطينيين", true},
		{"مسؤول", "مسئول", true},
		{"2025", "٢٠٢٥", true},
		{"المحتلة", "غزة\u200fالمحتلة", true},
		{"kalin", "Kalın", true},
		{"عمان", "عمال", false},
		{"قطر", "قطرات", false},
		{"Hamas", "Hama", false},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.text, func(t *testing.T) {
			got, err := Meets(tt.query, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Meets(%q, %q) = %v, want %v", tt.query, tt.text, got, tt.want)
			}
		})
	}
}

func TestVariantMisses(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") == "" {
		t.Skip("set MIRSAD_BENCH=1 to list the variant pairs Mirsad gets wrong")
	}
	vs, err := LoadVariants(filepath.Join("testdata", "variants.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := EvalVariants(vs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, v := range r.MirsadMisses {
			t.Logf("%s %s: %q / %q (line %d)", v.Kind, v.Category, v.Query, v.Text, v.Line)
		}
	}
}

// TestReport prints the benchmark table (docs/bench/analysis.md):
//
//	MIRSAD_BENCH=1 go test ./indexer/analysiseval -run TestReport -v -timeout 30m
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") == "" {
		t.Skip("set MIRSAD_BENCH=1 to run the corpus-wide analysis benchmark")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	if err := Run(ctx, Options{}, os.Stdout); err != nil {
		t.Fatal(err)
	}
}

// TestTuneBoost prints, for a grid of exact-field boosts, MRR@10 on the
// FIRST half of the xquad questions only: the exact-field boosts of
// indexer.TextFields were read off this table, and the second half stays
// unseen.
//
//	MIRSAD_BENCH=1 go test ./indexer/analysiseval -run TestTuneBoost -v
func TestTuneBoost(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") == "" {
		t.Skip("set MIRSAD_BENCH=1 to run the boost grid on the tuning half of xquad")
	}
	for _, lang := range []string{"ar", "en"} {
		var grid []scheme
		for _, boost := range []float64{0.1, 0.2, 0.3, 0.5, 1, 1.5, 2} {
			fs := BodyFields(indexer.TextFields[lang])
			for i := range fs {
				if strings.HasSuffix(fs[i].Name, "_exact") {
					fs[i].Boost = boost
				}
			}
			grid = append(grid, scheme{Name: fmt.Sprintf("exact boost %g", boost), Fields: fs})
		}
		tuneHalf(t, lang, grid)
	}
}

// Analyzers that only the tuning grid uses: other n-gram sizes, and
// n-grams of the stem instead of the proclitic-stripped word.
func init() {
	ng := func(pre analysis.TokenFilter, min, max int) func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
			return &analysis.DefaultAnalyzer{Tokenizer: arabic.NewTokenizer(), TokenFilters: []analysis.TokenFilter{
				arabic.NormalizeFilter{}, arabic.StopFilter{}, pre, arabic.NgramFilter{Min: min, Max: max}}}, nil
		}
	}
	for name, fn := range map[string]func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error){
		"tune_ngram_3_3":      ng(arabic.ProcliticFilter{}, 3, 3),
		"tune_ngram_3_5":      ng(arabic.ProcliticFilter{}, 3, 5),
		"tune_ngram_2_4":      ng(arabic.ProcliticFilter{}, 2, 4),
		"tune_ngram_stem_3_4": ng(arabic.StemFilter{}, 3, 4),
	} {
		if err := registry.RegisterAnalyzer(name, fn); err != nil {
			panic(err)
		}
	}
}

// TestTuneFields prints the grid that chose ProposedFields (extra Arabic
// fields and their boosts, query-side question words, scoring model), on
// the FIRST half of the xquad questions only.
//
//	MIRSAD_BENCH=1 go test ./indexer/analysiseval -run TestTuneFields -v
func TestTuneFields(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") == "" {
		t.Skip("set MIRSAD_BENCH=1 to run the field grid on the tuning half of xquad")
	}
	product := BodyFields(indexer.TextFields["ar"])
	with := func(extra ...Field) []Field { return append(append([]Field{}, product...), extra...) }
	ngram := func(an string, b float64) Field { return Field{Name: "body_ar_ngram", Analyzer: an, Boost: b} }
	root := Field{Name: "body_ar_root", Analyzer: arabic.RootAnalyzerName, Boost: 0.2}
	grid := []scheme{{Name: "product", Fields: product}}
	for _, b := range []float64{0.2, 0.3, 0.5, 0.7, 1} {
		grid = append(grid, scheme{Name: fmt.Sprintf("+ ngram^%g", b), Fields: with(ngram(arabic.NgramAnalyzerName, b))})
	}
	for _, an := range []string{"tune_ngram_3_3", "tune_ngram_3_5", "tune_ngram_2_4", "tune_ngram_stem_3_4"} {
		grid = append(grid, scheme{Name: "+ " + an + "^0.5", Fields: with(ngram(an, 0.5))})
	}
	grid = append(grid,
		scheme{Name: "+ root^0.2", Fields: with(root)},
		scheme{Name: "+ ngram^0.5 + root^0.2", Fields: with(ngram(arabic.NgramAnalyzerName, 0.5), root)},
	)
	questions := with(ngram(arabic.NgramAnalyzerName, 0.5))
	for i, qa := range []string{arabic.QueryAnalyzerName, arabic.ExactQueryAnalyzerName, arabic.NgramQueryAnalyzerName} {
		questions[i].QueryAnalyzer = qa
	}
	grid = append(grid,
		scheme{Name: "+ ngram^0.5, question words off the query", Fields: questions},
		scheme{Name: "+ ngram^0.5, bm25", Fields: with(ngram(arabic.NgramAnalyzerName, 0.5)), Scoring: "bm25"},
	)
	tuneHalf(t, "ar", grid)
}

// tuneHalf logs MRR@10 / recall@10 of each scheme at both levels on the
// FIRST half of the questions of lang.
func tuneHalf(t *testing.T, lang string, schemes []scheme) {
	t.Helper()
	ctx := context.Background()
	set, err := loadXQuAD(filepath.Join(DefaultCorpusDir(), "xquad"), lang)
	if err != nil {
		t.Fatal(err)
	}
	tune := set.Questions[:len(set.Questions)/2]
	for _, s := range schemes {
		var line string
		for _, lv := range levels(set) {
			rss, err := evalScheme(ctx, s, lv.Docs, tune, lv.Rels)
			if err != nil {
				t.Fatal(err)
			}
			for k, rs := range rss {
				line += " " + lv.Names[k] + " " + fmtMetrics(score(rs))
			}
		}
		t.Logf("%s %-60s%s", lang, s.Name, line)
	}
}

func TestLoadANT(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "BBC", "middleEast")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := "<DOC>\n<DOCNO>x-1</DOCNO>\n<TITLE>وفد مصري في الدوحة</TITLE>\n<TEXT>\nوصل الوفد صباح اليوم.\n</TEXT>\n</DOC>\n"
	files := map[string]string{
		filepath.Join(sub, "x-1.txt"):    doc,
		filepath.Join(dir, "ORIGIN.txt"): "note: TREC-style XML per file: <DOC><DOCNO><TEXT>\n",
		filepath.Join(dir, "README.md"):  "# readme\n",
	}
	for p, c := range files {
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := LoadANT(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "وفد مصري في الدوحة\nوصل الوفد صباح اليوم."; len(docs) != 1 || docs[0] != want {
		t.Errorf("LoadANT = %q, want [%q]", docs, want)
	}
}

// TestRelevanceReadings loads a small xquad-format file of our own in which
// the answer text of q1 occurs first in a sentence that does not answer it
// (as xquad.ar's answer_start often marks), and checks both readings of
// relevance through a real index with the proposed fields.
func TestRelevanceReadings(t *testing.T) {
	set, err := loadXQuAD("testdata", "mini")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Sentences) != 2 || len(set.Questions) != 2 {
		t.Fatalf("got %d sentences and %d questions, want 2 and 2", len(set.Sentences), len(set.Questions))
	}
	q1, q2 := set.Questions[0], set.Questions[1]
	if q1.Sentence != "p0_0_s0" || fmt.Sprint(q1.Holding) != "[p0_0_s0 p0_0_s1]" {
		t.Errorf("q1: Sentence %s Holding %v, want p0_0_s0 and both sentences", q1.Sentence, q1.Holding)
	}
	if q2.Sentence != "p0_0_s1" || fmt.Sprint(q2.Holding) != "[p0_0_s1]" {
		t.Errorf("q2: Sentence %s Holding %v, want p0_0_s1 alone", q2.Sentence, q2.Holding)
	}
	lv := levels(set)[1]
	rss, err := evalScheme(context.Background(), scheme{Name: "proposed", Fields: ProposedFields["ar"]}, lv.Docs, set.Questions, lv.Rels)
	if err != nil {
		t.Fatal(err)
	}
	// q1 shares استمرت المفاوضات with the second sentence only: the strict
	// label puts the answer second, the lenient one first.
	if fmt.Sprint(rss[0]) != "[2 1]" || fmt.Sprint(rss[1]) != "[1 1]" {
		t.Errorf("ranks strict %v lenient %v, want [2 1] and [1 1]", rss[0], rss[1])
	}
}
