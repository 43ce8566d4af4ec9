package eval

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestReport prints the full table; it reads the shared corpus, so it runs
// only on request: MIRSAD_BENCH=1 go test ./crawler/extract/eval -run TestReport -v
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the extraction benchmark")
	}
	opts := Options{
		CorpusDir: os.Getenv("MIRSAD_CORPUS"),
		ArabicDir: filepath.Join("..", "testdata", "arabic"),
	}
	if opts.CorpusDir == "" {
		opts.CorpusDir = filepath.Join("..", "..", "..", "..", "shared", "corpus")
	}
	if os.Getenv("MIRSAD_BENCH_NOBASE") == "1" {
		opts.SkipBaselines = true
	}
	if err := Run(context.Background(), opts, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
