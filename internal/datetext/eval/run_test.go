package eval

import (
	"context"
	"os"
	"testing"
)

// TestReport prints the dates table; it measures, so it runs only on demand:
// MIRSAD_BENCH=1 go test ./internal/datetext/eval -run TestReport -v -timeout 30m
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the dates evaluation")
	}
	opts := Options{SkipCost: os.Getenv("MIRSAD_BENCH_SKIP_COST") == "1"}
	if err := Run(context.Background(), opts, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
