package indexer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

func art(id, title, body string) document.Article {
	return document.Article{ID: id, URL: "https://example.org/" + id, Source: "t", Title: title, Body: body,
		Published: time.Date(2025, 10, 14, 9, 0, 0, 0, time.UTC)}
}

func count(t *testing.T, ix *Indexer, q string) uint64 {
	t.Helper()
	req := bleve.NewSearchRequest(bleve.NewQueryStringQuery(q))
	res, err := ix.Index().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func TestPutOutcomesAndBatches(t *testing.T) {
	ctx := context.Background()
	var batches [][]document.Article
	ix, err := Open(Options{Dir: t.TempDir(), BatchSize: 2, OnBatch: func(_ context.Context, b []document.Article, an []Analysis) {
		if len(an) != len(b) {
			t.Errorf("OnBatch got %d analyses for %d articles", len(an), len(b))
		}
		batches = append(batches, b)
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)

	steps := []struct {
		a    document.Article
		want Outcome
	}{
		{art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة"), New},
		{art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة"), Unchanged}, // still pending
		{art("b", "Talks in Cairo", "Talks began in Cairo today"), New},       // fills the batch
		{art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة"), Unchanged}, // now stored
		{art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة أمس"), Updated},
	}
	for i, s := range steps {
		got, err := ix.Put(ctx, s.a)
		if err != nil || got != s.want {
			t.Fatalf("step %d: Put = %v, %v; want %v", i, got, err, s.want)
		}
	}
	if len(batches) != 1 || len(batches[0]) != 2 {
		t.Fatalf("batches = %d, want 1 of 2", len(batches))
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	a, found, err := ix.Article("a")
	if err != nil || !found || !strings.HasSuffix(a.Body, "أمس") || a.Lang != "ar" {
		t.Fatalf("stored a = %+v %v %v", a, found, err)
	}
	if b, _, _ := ix.Article("b"); b.Lang != "en" {
		t.Errorf("lang of b = %q, want en by script", b.Lang)
	}
	if n := count(t, ix, "source:t"); n != 2 {
		t.Errorf("indexed %d, want 2 (an update replaces, never adds)", n)
	}
	if _, err := ix.Put(ctx, document.Article{Title: "x"}); err == nil {
		t.Error("Put without id succeeded")
	}
}

func TestSecondProcessFailsFast(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	start := time.Now()
	_, err = Open(Options{Dir: dir, LockTimeout: 200 * time.Millisecond}, nil)
	if err == nil || !strings.Contains(err.Error(), "locked by another mirsad process") {
		t.Fatalf("second Open: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("waited %s", time.Since(start))
	}
}

func TestReindexRebuildsDamagedIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := Open(Options{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if _, err := ix.Put(ctx, art(id, "Cairo talks "+id, "Mediators met in Cairo to discuss the second phase.")); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(ctx); err != nil {
		t.Fatal(err)
	}
	// Damage the index: its metadata is gone.
	if err := os.Remove(filepath.Join(dir, IndexDir, "index_meta.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir}, nil); err == nil || !strings.Contains(err.Error(), "mirsad reindex") {
		t.Fatalf("Open of damaged index: %v", err)
	}
	ix, err = Open(Options{Dir: dir, SkipIndex: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.Reindex(ctx, nil)
	if err != nil || n != 3 {
		t.Fatalf("Reindex = %d, %v", n, err)
	}
	if got := count(t, ix, "body_en:second"); got != 3 {
		t.Errorf("after reindex %d hits, want 3", got)
	}
	ix.Close(ctx)
	if _, err := os.Stat(filepath.Join(dir, IndexDir+".new")); !os.IsNotExist(err) {
		t.Errorf("temporary index left behind: %v", err)
	}
}

// The analysis handed to OnBatch is the index's own: the Arabic body's
// stemmed terms and the exact field's unstemmed ones.
func TestOnBatchAnalysis(t *testing.T) {
	ctx := context.Background()
	var got []Analysis
	ix, err := Open(Options{Dir: t.TempDir(), BatchSize: 10, OnBatch: func(_ context.Context, _ []document.Article, an []Analysis) {
		got = append(got, an...)
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	if _, err := ix.Put(ctx, art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d analyses, want 1", len(got))
	}
	for _, f := range []string{"body_ar", "body_ar_exact"} {
		tf := got[0][f]
		if len(tf) == 0 {
			t.Fatalf("no terms for field %s in %v", f, keys(got[0]))
		}
		// The index must hold every term the analysis reports.
		for term := range tf {
			q := bleve.NewTermQuery(term)
			q.SetField(f)
			res, err := ix.Index().Search(bleve.NewSearchRequest(q))
			if err != nil || res.Total != 1 {
				t.Errorf("term %q of %s: %v hits, err %v", term, f, res.Total, err)
			}
		}
	}
	if tf := got[0]["body_ar"]; tf["قاهره"] == nil {
		t.Errorf("body_ar has no form of القاهرة: %v", tf)
	}
	if lang := got[0]["lang"]; lang["ar"] == nil {
		t.Errorf("keyword field lang missing: %v", keys(got[0]))
	}
}

func keys(an Analysis) []string {
	var ks []string
	for k := range an {
		ks = append(ks, k)
	}
	return ks
}
