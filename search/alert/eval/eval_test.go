package eval

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReport prints the benchmark table; it runs only with MIRSAD_BENCH=1:
//
//	MIRSAD_BENCH=1 go test ./search/alert/eval -run TestReport -v -timeout 60m
//
// MIRSAD_ALERT_WORKLOAD=selective picks the selective subscription mix;
// MIRSAD_ALERT_NOPREFILTER=1 adds the term matcher analysing the batch
// itself, the in-memory strategy and the rows without the term prefilter;
// MIRSAD_ALERT_ROUNDS=N repeats every configuration N times, alternating.
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to run the alert benchmark")
	}
	var b strings.Builder
	rounds, _ := strconv.Atoi(os.Getenv("MIRSAD_ALERT_ROUNDS"))
	err := Run(context.Background(), Options{
		Rounds:          rounds,
		Workload:        os.Getenv("MIRSAD_ALERT_WORKLOAD"),
		NoPrefilterRows: os.Getenv("MIRSAD_ALERT_NOPREFILTER") == "1",
		Logger:          slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}, &b)
	if errors.Is(err, ErrNoCorpus) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

// TestSmall runs the whole runner on a few documents so that it keeps
// working; the table must name every configuration, and every
// configuration must make the same alerts.
func TestSmall(t *testing.T) {
	var b strings.Builder
	err := Run(context.Background(), Options{Subscriptions: 30, BatchSize: 20, Batches: 2, Rounds: 1, Workload: WorkloadSelective, NoPrefilterRows: true}, &b)
	if errors.Is(err, ErrNoCorpus) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"no subscriptions", "terms:", "index:", "memory:", "no term prefilter", "match p95 ms", "alerts: the same in every configuration"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
