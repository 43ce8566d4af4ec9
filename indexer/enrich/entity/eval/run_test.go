package eval

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// TestReport prints the entity benchmark table. It reads the corpus and
// takes minutes, so it runs only with MIRSAD_BENCH=1.
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the entity benchmark")
	}
	var buf bytes.Buffer
	if err := Run(context.Background(), Options{}, &buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
}
