package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReport prints the benchmark table; it is skipped unless MIRSAD_BENCH=1:
//
//	MIRSAD_BENCH=1 go test ./crawler/bench -run TestReport -v -timeout 30m
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the ingest benchmark")
	}
	var opts Options
	// MIRSAD_BENCH_LIMIT=N measures the first N articles only (profiling runs).
	if n, err := strconv.Atoi(os.Getenv("MIRSAD_BENCH_LIMIT")); err == nil {
		opts.Limit = n
	}
	var buf bytes.Buffer
	if err := Run(context.Background(), opts, &buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
}

// TestSmall runs both phases on a few articles of the corpus, when it is
// present, so that the runner keeps working between benchmark runs.
func TestSmall(t *testing.T) {
	dir, err := DefaultCorpus()
	if err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ant-arabic-news")); err != nil {
		t.Skip("corpus not present: ", err)
	}
	rep, err := Measure(context.Background(), Options{Limit: 60, PerFeed: 25, NoFileOrder: true, NoRareCheckpoints: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Feeds < 3 || len(rep.Rows) != 6 { // raw, ingest, selectors, raw-months, the tuned pair
		t.Fatalf("%+v", rep)
	}
	for _, r := range rep.Rows {
		if r.Result.Articles != 60 || r.Result.Failed != 0 || r.RSSKiB <= 0 || r.Result.HWMKiB <= 0 {
			t.Errorf("%s: %+v rss %d KiB", r.Phase, r.Result, r.RSSKiB)
		}
	}
	var buf bytes.Buffer
	if err := rep.Print(&buf); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "vs raw") || !strings.Contains(out, "goal:") || !strings.Contains(out, "tuned pair (both sides batches of 500)") {
		t.Errorf("table:\n%s", out)
	}
}
