package eval

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mirsad-observatory/mirsad/indexer/cluster"
)

// TestDrawSample draws a fresh sample of pairs for labelling, the way the
// earlier samples were drawn: at random within bands of exact 3-word-
// shingle Jaccard, about half cross-outlet where a band allows, excluding
// every pair already labelled. It writes an unlabelled TSV to
// $MIRSAD_SAMPLE_OUT and runs only when that is set. The seed is
// $MIRSAD_SAMPLE_SEED: round 3 (labels_dev4.tsv) used 20261129, round 4
// (labels_dev5.tsv) 20261130, round 5 (labels_test.tsv) 20261201; each
// excluded every pair labelled before it.
func TestDrawSample(t *testing.T) {
	out := os.Getenv("MIRSAD_SAMPLE_OUT")
	if out == "" {
		t.Skip("set MIRSAD_SAMPLE_OUT to draw a sample of pairs")
	}
	docs, err := LoadANT(filepath.Join(DefaultCorpusDir(), "ant-arabic-news"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]string]bool{}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "labels*.tsv"))
	for _, f := range files {
		ps, err := LoadLabels(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			seen[[2]string{p.A, p.B}], seen[[2]string{p.B, p.A}] = true, true
		}
	}
	sets := make([][]uint32, len(docs))
	for i := range docs {
		hs := cluster.Shingles(cluster.Words(cluster.Text(&docs[i])), 3)
		s := make([]uint32, len(hs))
		for k, h := range hs {
			s[k] = uint32(h >> 32)
		}
		slices.Sort(s)
		sets[i] = slices.Compact(s)
	}
	// Pairs sharing at least one shingle found in at most 50 articles:
	// a pair with Jaccard >= 0.02 shares far more than that.
	post := map[uint32][]int32{}
	for i, s := range sets {
		for _, x := range s {
			post[x] = append(post[x], int32(i))
		}
	}
	bands := []float64{0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0001}
	want := []int{8, 18, 38, 30, 35, 18, 13} // the earlier samples' shape, 160 pairs
	type pair struct{ a, b int }
	pool := make([][2][]pair, len(want)) // band -> [cross, same outlet]
	count := make([]int32, len(docs))
	var touched []int32
	for i, s := range sets {
		touched = touched[:0]
		for _, x := range s {
			p := post[x]
			if len(p) > 50 {
				continue
			}
			for _, j := range p {
				if int(j) <= i {
					continue
				}
				if count[j] == 0 {
					touched = append(touched, j)
				}
				count[j]++
			}
		}
		for _, j := range touched {
			count[j] = 0
			if seen[[2]string{docs[i].ID, docs[j].ID}] {
				continue
			}
			jac := cluster.Jaccard(s, sets[j])
			for b := range want {
				if jac >= bands[b] && jac < bands[b+1] {
					k := 0
					if docs[i].Source == docs[j].Source {
						k = 1
					}
					pool[b][k] = append(pool[b][k], pair{i, int(j)})
				}
			}
		}
	}
	seed, err := strconv.ParseUint(os.Getenv("MIRSAD_SAMPLE_SEED"), 10, 64)
	if err != nil {
		t.Fatalf("MIRSAD_SAMPLE_SEED: %v", err)
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "docno_a\tdocno_b\turl_a\turl_b\tlabel\treason")
	for b, n := range want {
		cross, same := pool[b][0], pool[b][1]
		rng.Shuffle(len(cross), func(i, j int) { cross[i], cross[j] = cross[j], cross[i] })
		rng.Shuffle(len(same), func(i, j int) { same[i], same[j] = same[j], same[i] })
		nc := min(len(cross), (n+1)/2)
		ns := min(len(same), n-nc)
		nc = min(len(cross), n-ns)
		t.Logf("band %.2f-%.2f: %d cross (of %d), %d same outlet (of %d)", bands[b], bands[b+1], nc, len(cross), ns, len(same))
		for _, p := range append(cross[:nc:nc], same[:ns]...) {
			a, c := docs[p.a], docs[p.b]
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\t\n", a.ID, c.ID, strings.TrimSpace(a.URL), strings.TrimSpace(c.URL))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}
