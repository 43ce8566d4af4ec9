package eval

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir resolves the shared corpus relative to the repository root,
// the way the mirsad binary does, unless MIRSAD_CORPUS says otherwise.
func corpusDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("MIRSAD_CORPUS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpus")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// TestReport prints the claims table. It reads the whole corpora and takes
// minutes, so it runs only with MIRSAD_BENCH=1.
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the claims evaluation")
	}
	var buf bytes.Buffer
	if err := Run(context.Background(), Options{CorpusDir: corpusDir(t)}, &buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
}

func TestParseArabicSet(t *testing.T) {
	arts, err := parseArabicSet(bytes.NewReader(arabicSet))
	if err != nil {
		t.Fatal(err)
	}
	var claims, test int
	for _, a := range arts {
		claims += len(a.gold)
		if a.split == "test" {
			test++
		}
		for _, g := range a.gold {
			if g.s < 0 || g.e > len(a.text) || g.s >= g.e {
				t.Fatalf("%s: bad span %d-%d", a.id, g.s, g.e)
			}
			if strings.ContainsAny(a.text[g.s:g.e], "[]{}") {
				t.Errorf("%s: marker left in content %q", a.id, a.text[g.s:g.e])
			}
		}
		if strings.ContainsAny(a.text, "[]{}") {
			t.Errorf("%s: marker left in text", a.id)
		}
	}
	if len(arts) < 40 || claims < 150 || test == 0 {
		t.Errorf("set has %d articles, %d claims, %d test articles; want >= 40, >= 150, > 0", len(arts), claims, test)
	}
}

func TestParseArabicSetErrors(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"no header", "قال إن [[x]]{a|direct|}\n"},
		{"bad kind", "=== a 2025-10-10 dev\nقال [[x]]{a|quoted|}\n"},
		{"unclosed", "=== a 2025-10-10 dev\nقال [[x\n"},
		{"no label", "=== a 2025-10-10 dev\nقال [[x]] و\n"},
		{"bad date", "=== a 10/10/2025 dev\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseArabicSet(strings.NewReader(tc.in)); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestParseArabicSetSpans(t *testing.T) {
	in := "=== x1 2025-10-10 test\nقال الوزير: «[[نحن هنا]]»{الوزير|direct|}، وأضاف أن [[الهدنة صامدة]]{الوزير|indirect|pron}.\n"
	arts, err := parseArabicSet(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	a := arts[0]
	want := "قال الوزير: «نحن هنا»، وأضاف أن الهدنة صامدة."
	if a.text != want {
		t.Fatalf("text = %q, want %q", a.text, want)
	}
	got := []string{a.text[a.gold[0].s:a.gold[0].e], a.text[a.gold[1].s:a.gold[1].e]}
	if got[0] != "نحن هنا" || got[1] != "الهدنة صامدة" {
		t.Errorf("spans = %q", got)
	}
	if !a.gold[1].tags["pron"] || a.gold[0].kind != "direct" {
		t.Errorf("labels = %+v", a.gold)
	}
}

func TestContentScoring(t *testing.T) {
	text := "one two three four five six seven eight"
	toks := wordTokens(text)
	if len(toks) != 8 {
		t.Fatalf("tokens = %d", len(toks))
	}
	set := func(a, b int) map[int]bool { // words a..b inclusive
		return tokenSet(toks, []span{{toks[a].s, toks[b].e}})
	}
	pred := []map[int]bool{set(0, 3), set(6, 7)}
	gold := []map[int]bool{set(1, 3), set(4, 5)}
	pairs := matchByOverlap(pred, gold)
	if len(pairs) != 1 || pairs[0].p != 0 || pairs[0].g != 0 || pairs[0].ov != 3 {
		t.Fatalf("pairs = %+v", pairs)
	}
	m := prf{pSum: 3.0 / 4, rSum: 1, nPred: 2, nGold: 2}
	if got, want := m.P(), 0.375; got != want {
		t.Errorf("P = %v, want %v", got, want)
	}
	if got, want := m.R(), 0.5; got != want {
		t.Errorf("R = %v, want %v", got, want)
	}
}

func TestSpeakerF1(t *testing.T) {
	tests := []struct {
		pred, gold string
		ok         bool
	}{
		{"وزير الخارجية المصري بدر عبد العاطي", "عبد العاطي", true}, // the name is inside the title
		{"وزير الخارجية", "بدر عبد العاطي", false},
		{"عبد العاطي", "عبد العاطي", true},
		{"الوزير", "وزير", true},
		{"المفوض العام", "المفوض العام لوكالة الأونروا فيليب لازاريني", true}, // title only
		{"الحركة", "مكتب رئيس الوزراء الإسرائيلي", false},
		{"Kalin", "Ibrahim Kalin", true},
		{"", "Kalin", false},
	}
	for _, tc := range tests {
		t.Run(tc.pred+"/"+tc.gold, func(t *testing.T) {
			if got := speakerF1(tc.pred, tc.gold) >= 0.5; got != tc.ok {
				t.Errorf("speakerF1(%q, %q) = %v", tc.pred, tc.gold, speakerF1(tc.pred, tc.gold))
			}
		})
	}
}

func TestQuoteBaseline(t *testing.T) {
	text := `He said "we will not go back to war" and "fine". «لن نعود إلى الحرب أبدا»`
	got := quoteBaseline(text)
	if len(got) != 2 {
		t.Fatalf("got %d claims: %+v", len(got), got)
	}
	for _, a := range got {
		if text[a.Claim.Start:a.Claim.End] != a.Claim.Text {
			t.Errorf("span mismatch %+v", a.Claim)
		}
	}
}
