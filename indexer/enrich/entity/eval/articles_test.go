package eval

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

func TestEvalSet(t *testing.T) {
	arts, err := LoadArticles()
	if err != nil {
		t.Fatal(err)
	}
	g, err := entity.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, a := range arts {
		key := a.Lang
		if a.Test {
			key += "/test"
		}
		count[key]++
		if len(a.Gold) < 3 {
			t.Errorf("%s: only %d labelled mentions", a.Name, len(a.Gold))
		}
		for _, gd := range a.Gold {
			if _, ok := g.Get(gd.ID); !ok && gd.ID != NewLabel {
				t.Errorf("%s: label %q is neither a gazetteer id nor %q", a.Name, gd.ID, NewLabel)
			}
			if gd.Start >= gd.End || gd.End > len(a.Text) {
				t.Errorf("%s: bad span %d:%d", a.Name, gd.Start, gd.End)
			}
		}
		if a.Date.IsZero() {
			t.Errorf("%s: no date", a.Name)
		}
	}
	if count["ar"]+count["ar/test"] < 30 || count["en"]+count["en/test"] < 30 {
		t.Errorf("want at least 30 articles per language, have %v", count)
	}
	if count["ar/test"] < 10 || count["en/test"] < 10 {
		t.Errorf("want a third held out per language, have %v", count)
	}
}

func TestParseArticle(t *testing.T) {
	fsys := fstest.MapFS{
		"a/ar03.txt": {Data: []byte("date: 2025-10-13\n---\nوصل [[ibrahim-kalin|قالن]] إلى [[cairo|والقاهرة]].\n")},
		"a/en01.txt": {Data: []byte("date: 2025-10-13\n---\n[[new|Hossam Badran]] spoke.\n")},
	}
	arts, err := loadArticles(fsys, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || !arts[0].Test || arts[1].Test {
		t.Fatalf("split wrong: %+v", arts)
	}
	a := arts[0]
	if a.Text != "وصل قالن إلى والقاهرة." {
		t.Errorf("text %q", a.Text)
	}
	if got := a.Text[a.Gold[1].Start:a.Gold[1].End]; got != "والقاهرة" || a.Gold[1].ID != "cairo" {
		t.Errorf("gold %+v -> %q", a.Gold[1], got)
	}
	for _, bad := range []string{"no header", "date: 2025-13-01\n---\nx", "date: 2025-10-01\n---\n[[x|y]"} {
		if _, err := parseArticle("ar01", bad); err == nil {
			t.Errorf("parseArticle(%q): no error", bad)
		}
	}
}

// TestRunQuality runs the quality part of the report (no corpus) and checks
// that every section is there with numbers in range.
func TestRunQuality(t *testing.T) {
	var buf bytes.Buffer
	if err := Run(context.Background(), Options{SkipThroughput: true}, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"gazetteer ar person", "gazetteer en all", "discovered person ar", "test (20 art)", "cross-script retrieval recall", "unlisted spelling recall"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Errorf("NaN in report:\n%s", out)
	}
}
