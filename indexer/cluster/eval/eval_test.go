package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/cluster"
	"github.com/mirsad-observatory/mirsad/indexer/document"
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

// TestErrors lists the labelled pairs the package default gets wrong, for
// reading; it runs only with MIRSAD_BENCH=1.
func TestErrors(t *testing.T) {
	if os.Getenv("MIRSAD_BENCH") != "1" {
		t.Skip("set MIRSAD_BENCH=1 to list misclassified pairs")
	}
	docs, err := LoadANT(filepath.Join(DefaultCorpusDir(), "ant-arabic-news"))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*document.Article{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "e.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := CorpusClusterer(context.Background(), db, docs, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"labels.tsv", "labels_dev2.tsv", "labels_dev3.tsv", "labels_dev4.tsv", "labels_dev5.tsv", "labels_test.tsv"} {
		path := filepath.Join("..", "testdata", file)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		ps, err := LoadLabels(path)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := StoredFeatures(c, ps)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			if got := cluster.Matches(cluster.Options{}, fs[i]); got != p.Same {
				t.Logf("%s: %s %s labelled %v, got %v: %+v (%s)", file, p.A, p.B, p.Same, got, fs[i], p.Reason)
			}
		}
	}
}
