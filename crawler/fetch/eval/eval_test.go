package eval

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func corpusDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("MIRSAD_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "..", "shared", "corpus")
}

// TestReport prints the charset table. It reads the whole corpus, so it runs only on request:
// MIRSAD_BENCH=1 go test ./crawler/fetch/eval -run TestReport -v
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the corpus evaluation")
	}
	var buf bytes.Buffer
	if err := Run(context.Background(), Options{CorpusDir: corpusDir(t)}, &buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
}
