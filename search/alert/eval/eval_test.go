package eval

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
)

// TestReport prints the benchmark table; it runs only with MIRSAD_BENCH=1:
//
//	MIRSAD_BENCH=1 go test ./search/alert/eval -run TestReport -v -timeout 30m
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the alert benchmark")
	}
	var b strings.Builder
	err := Run(context.Background(), Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}, &b)
	if errors.Is(err, ErrNoCorpus) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

// TestSmall runs the whole runner on a few documents so that it keeps
// working; the table must name every configuration.
func TestSmall(t *testing.T) {
	var b strings.Builder
	err := Run(context.Background(), Options{Subscriptions: 30, BatchSize: 20, Batches: 2, Rounds: 1}, &b)
	if errors.Is(err, ErrNoCorpus) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"no subscriptions", "index:", "memory:", "match p95 ms"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
