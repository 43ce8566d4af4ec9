package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/cluster"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

func TestScratch(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	docs, _ := LoadANT("/work/shared/corpus/ant-arabic-news")
	pairs, _ := LoadLabels("../testdata/labels.tsv")
	byID := map[string]*document.Article{}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	db, _ := bolt.Open(filepath.Join(t.TempDir(), "x.db"), 0o600, nil)
	c, _ := cluster.New(cluster.Options{DB: db})
	for i, p := range pairs {
		f := c.Compare(byID[p.A], byID[p.B])
		m := c.Match(f)
		tag := ""
		if m && !p.Same {
			tag = "FP"
		} else if !m && p.Same {
			tag = "FN"
		}
		fmt.Printf("%d\t%s\t%v\tJ=%.2f lead=%.2f gap=%.0fh\t%s %s\t%s\n", i, tag, p.Same, f.Similarity, f.Lead, f.Gap.Hours(), p.A[:2], p.B[:2], p.Reason)
	}
}
