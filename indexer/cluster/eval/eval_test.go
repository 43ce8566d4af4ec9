package eval

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestReport prints the clustering table; it reads the corpus and runs for
// a minute or more, so it only runs with MIRSAD_BENCH=1.
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the clustering evaluation")
	}
	var b strings.Builder
	if err := Run(context.Background(), Options{}, &b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

func TestLoadLabels(t *testing.T) {
	ps, err := LoadLabels("../testdata/labels.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 150 {
		t.Fatalf("%d labelled pairs, want at least 150", len(ps))
	}
	same := countSame(ps)
	if same == 0 || same == len(ps) {
		t.Fatalf("%d of %d pairs labelled same: the sample needs both kinds", same, len(ps))
	}
	for _, p := range ps {
		if p.A == p.B || p.Reason == "" {
			t.Errorf("bad pair %+v", p)
		}
	}
}
