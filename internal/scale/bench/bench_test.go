package bench

import (
	"context"
	"os"
	"testing"
)

// TestReport prints the scale-out table; it runs only with MIRSAD_BENCH=1:
//
//	MIRSAD_BENCH=1 go test ./internal/scale/bench -run TestReport -v -timeout 30m
func TestReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to measure scale-out throughput")
	}
	if err := Run(context.Background(), Options{}, os.Stdout); err != nil {
		t.Fatal(err)
	}
}

// TestPartitionReport prints what monthly partitions cost a search; it
// runs only with MIRSAD_BENCH=1 and reads the shared corpora
// (MIRSAD_CORPUS or ../shared/corpus):
//
//	MIRSAD_BENCH=1 go test ./internal/scale/bench -run TestPartitionReport -v -timeout 30m
func TestPartitionReport(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to measure the cost of partitions")
	}
	if err := RunPartitions(context.Background(), PartitionOptions{}, os.Stdout); err != nil {
		t.Fatal(err)
	}
}

// A small run of every mode checks that the table can be produced.
func TestMeasureSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rows, err := Measure(context.Background(), Options{Site: SiteOptions{Articles: 60, Sections: 6, Hosts: 3}, Latency: 2e6, Workers: []int{2}, NoEnrich: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("rows = %v", rows)
	}
	for _, r := range rows {
		if r.Articles != 60 || r.Seconds <= 0 {
			t.Errorf("row %+v", r)
		}
	}
}
