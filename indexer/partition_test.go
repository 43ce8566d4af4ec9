package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

func dated(id string, published time.Time, body string) document.Article {
	a := art(id, "Ceasefire talks "+id, body)
	a.Published = published
	return a
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func ids(t *testing.T, idx bleve.Index) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100, 0, false)
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func putAll(t *testing.T, ix *Indexer, as ...document.Article) {
	t.Helper()
	ctx := context.Background()
	for _, a := range as {
		if _, err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestPartitionsByMonth(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(Options{Dir: t.TempDir(), Monthly: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	if got := ids(t, ix.Index()); len(got) != 0 {
		t.Fatalf("new index holds %v", got)
	}
	putAll(t, ix,
		dated("sep", day(2025, 9, 30), "Envoys met in Doha."),
		dated("oct1", day(2025, 10, 1), "Mediators met in Cairo."),
		dated("oct2", day(2025, 10, 31), "Talks resumed in Sharm el-Sheikh."),
		dated("nov", day(2025, 11, 2), "The second phase was discussed in Ankara."),
	)
	if got, want := ix.Partitions(), []string{"2025-09", "2025-10", "2025-11"}; !slices.Equal(got, want) {
		t.Fatalf("Partitions = %v, want %v", got, want)
	}
	if got := ids(t, ix.Index()); !slices.Equal(got, []string{"nov", "oct1", "oct2", "sep"}) {
		t.Errorf("Index holds %v", got)
	}
	if d, err := ix.Index().Document("oct2"); err != nil || d == nil {
		t.Errorf("Document(oct2) = %v, %v", d, err)
	}
	if n, err := ix.Index().DocCount(); err != nil || n != 4 {
		t.Errorf("DocCount = %d, %v", n, err)
	}
	// Highlights come from the partitions that hold the merged page's
	// hits, one fragment per hit as from a single index.
	q := bleve.NewMatchQuery("met")
	q.SetField("body_en")
	req := bleve.NewSearchRequestOptions(q, 2, 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.AddField("body_en")
	res, err := ix.Index().Search(req)
	if err != nil || res.Total != 2 || len(res.Hits) != 2 {
		t.Fatalf("highlighted search: %v, %v", res, err)
	}
	for _, h := range res.Hits {
		if f := h.Fragments["body_en"]; len(f) != 1 || !strings.Contains(f[0], "<mark>met</mark>") {
			t.Errorf("fragments of %s: %q", h.ID, f)
		}
	}
	// A match-all query shows which partitions IndexFor opened: a
	// partition outside the range would add its documents.
	cases := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"one month", day(2025, 10, 10), day(2025, 10, 20), []string{"oct1", "oct2"}},
		{"month edges", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 31, 23, 59, 59, 0, time.UTC), []string{"oct1", "oct2"}},
		{"two months", day(2025, 9, 15), day(2025, 10, 2), []string{"oct1", "oct2", "sep"}},
		{"open start", time.Time{}, day(2025, 9, 1), []string{"sep"}},
		{"open end", day(2025, 11, 1), time.Time{}, []string{"nov"}},
		{"other zone", time.Date(2025, 11, 1, 1, 0, 0, 0, time.FixedZone("AST", 3*3600)), time.Time{}, []string{"nov", "oct1", "oct2"}},
		{"no month", day(2024, 1, 1), day(2024, 2, 1), nil},
		{"unbounded", time.Time{}, time.Time{}, []string{"nov", "oct1", "oct2", "sep"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(t, ix.IndexFor(c.from, c.to)); !slices.Equal(got, c.want) {
				t.Errorf("IndexFor(%s, %s) holds %v, want %v", c.from, c.to, got, c.want)
			}
		})
	}
}

// An edit that moves an article to another month leaves it in that
// month's partition only, with its claims index and stored copy in step.
func TestUpdateMovesPartition(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(Options{Dir: dir, Monthly: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	putAll(t, ix, dated("a", day(2025, 10, 30), "Mediators met in Cairo."), dated("b", day(2025, 10, 12), "Envoys met in Doha."))
	putAll(t, ix, dated("a", day(2025, 11, 1), "Mediators met in Cairo again."))
	if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("after the move Index holds %v", got)
	}
	if got := ids(t, ix.IndexFor(day(2025, 10, 1), day(2025, 10, 31))); !slices.Equal(got, []string{"b"}) {
		t.Errorf("October holds %v", got)
	}
	if got := ids(t, ix.IndexFor(day(2025, 11, 1), day(2025, 11, 30))); !slices.Equal(got, []string{"a"}) {
		t.Errorf("November holds %v", got)
	}
	v, found, err := ix.ArticleView("a")
	if err != nil || !found || v.Published.Month() != time.November {
		t.Errorf("ArticleView(a) = %v %v %v", v.Published, found, err)
	}
	if err := ix.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Reopened without Monthly, the dir is still partitioned.
	ix, err = Open(Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("reopened Index holds %v", got)
	}
	if n, err := ix.Reindex(ctx, nil); err != nil || n != 2 {
		t.Fatalf("Reindex = %d, %v", n, err)
	}
	if got := ids(t, ix.IndexFor(day(2025, 11, 1), time.Time{})); !slices.Equal(got, []string{"a"}) {
		t.Errorf("after reindex November holds %v", got)
	}
}

// makeLegacy writes a data dir in the single-index layout, as every data
// dir had before partitioning and still has by default.
func makeLegacy(t *testing.T, dir string, as ...document.Article) {
	t.Helper()
	ix, err := Open(Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	putAll(t, ix, as...)
	if got := ix.Partitions(); got != nil {
		t.Fatalf("default layout has partitions %v", got)
	}
	if err := ix.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// By default a data dir keeps one plain bleve index, as before
// partitioning: Index is that index, IndexFor returns it.
func TestSingleIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	makeLegacy(t, dir, dated("a", day(2025, 10, 5), "Mediators met in Cairo."), dated("b", day(2025, 11, 6), "Envoys met in Doha."))
	ix, err := Open(Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	if _, ok := ix.Index().(*partView); ok {
		t.Error("default Index is an alias")
	}
	if ix.IndexFor(day(2025, 10, 1), day(2025, 10, 31)) != ix.Index() {
		t.Error("IndexFor of a single index is not that index")
	}
	if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Index holds %v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, IndexDir, "store")); err != nil {
		t.Errorf("not a plain bleve index: %v", err)
	}
	if n, err := ix.Reindex(ctx, nil); err != nil || n != 2 || ix.Partitions() != nil {
		t.Errorf("Reindex = %d, %v; partitions %v", n, err, ix.Partitions())
	}
}

func TestLegacyIndexOpensAsPartition(t *testing.T) {
	for _, interrupted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "interrupted migration"}[interrupted], func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			makeLegacy(t, dir, dated("a", day(2025, 10, 5), "Mediators met in Cairo."), dated("b", day(2025, 10, 6), "Envoys met in Doha."))
			if interrupted { // a crash after the first rename
				if err := os.Rename(filepath.Join(dir, IndexDir), filepath.Join(dir, IndexDir+migrating)); err != nil {
					t.Fatal(err)
				}
			}
			ix, err := Open(Options{Dir: dir, Monthly: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close(ctx)
			if got := ix.Partitions(); !slices.Equal(got, []string{LegacyPartition}) {
				t.Fatalf("Partitions = %v", got)
			}
			if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b"}) {
				t.Fatalf("legacy Index holds %v", got)
			}
			// The legacy partition's months are unknown: every range reads it.
			if got := ids(t, ix.IndexFor(day(2025, 10, 6), day(2025, 10, 6))); !slices.Equal(got, []string{"a", "b"}) {
				t.Errorf("IndexFor on legacy holds %v", got)
			}
			// An update lands in its month and leaves the legacy partition.
			putAll(t, ix, dated("a", day(2025, 10, 5), "Mediators met in Cairo on Sunday."), dated("c", day(2025, 11, 5), "Talks in Ankara."))
			if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b", "c"}) {
				t.Errorf("after update Index holds %v", got)
			}
			legacy, _ := ix.parts.get(LegacyPartition, false)
			if got := ids(t, legacy); !slices.Equal(got, []string{"b"}) {
				t.Errorf("legacy partition holds %v, want b only", got)
			}
			if n, err := ix.Reindex(ctx, nil); err != nil || n != 3 {
				t.Fatalf("Reindex = %d, %v", n, err)
			}
			if got := ix.Partitions(); !slices.Equal(got, []string{"2025-10", "2025-11"}) {
				t.Errorf("after reindex Partitions = %v", got)
			}
			if got := ids(t, ix.Index()); !slices.Equal(got, []string{"a", "b", "c"}) {
				t.Errorf("after reindex Index holds %v", got)
			}
		})
	}
}

func TestUndatedPartition(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(Options{Dir: t.TempDir(), Monthly: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	putAll(t, ix, dated("u", time.Time{}, "Undated statement."), dated("d", day(2025, 10, 1), "Dated statement."))
	if got := ix.Partitions(); !slices.Equal(got, []string{"2025-10", UndatedPartition}) {
		t.Fatalf("Partitions = %v", got)
	}
	if got := ids(t, ix.IndexFor(time.Time{}, day(2025, 12, 1))); !slices.Equal(got, []string{"d", "u"}) {
		t.Errorf("open start holds %v", got)
	}
	if got := ids(t, ix.IndexFor(day(2025, 1, 1), time.Time{})); !slices.Equal(got, []string{"d"}) {
		t.Errorf("bounded start holds %v", got)
	}
}

// Whatever the bounds and their zones, the partition of a time inside
// them is searched, and a month wholly outside them is not.
func FuzzCovers(f *testing.F) {
	f.Add(int64(1759276800), int64(0), int64(2678400), 3*3600)
	f.Add(int64(1761955199), int64(1), int64(1), -5*3600)
	f.Add(int64(0), int64(0), int64(0), 0)
	f.Fuzz(func(t *testing.T, at, before, after int64, offset int) {
		const span = 1 << 36 // seconds: about two thousand years either way
		if at < -span || at > span || before < 0 || after < 0 || before > span || after > span || offset < -18*3600 || offset > 18*3600 {
			return
		}
		zone := time.FixedZone("z", offset)
		tm := time.Unix(at, 0).In(zone)
		from, to := tm.Add(-time.Duration(before)*time.Second), tm.Add(time.Duration(after)*time.Second)
		if !covers(PartitionOf(tm), from, to) {
			t.Fatalf("%s in [%s, %s] but its partition %s is not searched", tm, from, to, PartitionOf(tm))
		}
		if !covers(PartitionOf(tm), time.Time{}, to) || !covers(PartitionOf(tm), from, time.Time{}) {
			t.Fatalf("%s: an open bound dropped its partition", tm)
		}
		// The month after to's month lies wholly outside.
		next := to.UTC().AddDate(0, 1, 0)
		if next.Year() < 10000 && covers(PartitionOf(time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC)), from, to) {
			t.Fatalf("month after %s searched for [%s, %s]", to, from, to)
		}
	})
}
