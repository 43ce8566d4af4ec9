package indexer

import (
	"context"
	"fmt"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// TestFlushQueuedBehindAWrite checks the group commit of concurrent
// flushes: a Flush that waited for a write which held its articles writes
// no batch of its own, and one whose articles came during that write
// writes them.
func TestFlushQueuedBehindAWrite(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var sizes []int
	entered, release := make(chan struct{}, 1), make(chan struct{})
	ix, err := Open(Options{Dir: t.TempDir(), BatchSize: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	first := true
	ix.SetBatchHooks(func(*bolt.Tx, []document.Article) error {
		if first { // the first write waits until the test lets it go
			first = false
			entered <- struct{}{}
			<-release
		}
		return nil
	}, func(_ context.Context, b []document.Article, _ []Analysis) {
		mu.Lock()
		sizes = append(sizes, len(b))
		mu.Unlock()
	})
	put := func(id string) {
		t.Helper()
		if _, err := ix.Put(ctx, art(id, "محادثات "+id, "بدأت المحادثات في القاهرة "+id)); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	put("b")
	errs := make(chan error, 3)
	go func() { errs <- ix.Flush(ctx) }() // writes a and b, held in OnStore
	<-entered
	go func() { errs <- ix.Flush(ctx) }() // a and b are being written: nothing to do
	put("c")
	go func() { errs <- ix.Flush(ctx) }() // must write c
	close(release)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	got := fmt.Sprint(sizes)
	mu.Unlock()
	if got != "[2 1]" {
		t.Errorf("batch sizes %s, want [2 1]", got)
	}
	for _, id := range []string{"a", "b", "c"} {
		if _, found, err := ix.Article(id); err != nil || !found {
			t.Errorf("article %s stored: %v, %v", id, found, err)
		}
	}
}

// TestConcurrentPutsAllLand puts from many goroutines, each flushing now
// and then as the crawler's sources do, and checks that every article is
// stored and indexed and that no batch is over twice the batch size.
func TestConcurrentPutsAllLand(t *testing.T) {
	ctx := context.Background()
	const workers, each, batch = 6, 40, 16
	var mu sync.Mutex
	var sizes []int
	ix, err := Open(Options{Dir: t.TempDir(), BatchSize: batch, OnBatch: func(_ context.Context, b []document.Article, _ []Analysis) {
		mu.Lock()
		sizes = append(sizes, len(b))
		mu.Unlock()
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				if _, err := ix.Put(ctx, art(id, "عنوان "+id, "نص الخبر "+id)); err != nil {
					t.Error(err)
					return
				}
				if i%7 == 6 {
					if err := ix.Flush(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			}
			if err := ix.Flush(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	n, err := ix.Count()
	if err != nil || n != workers*each {
		t.Fatalf("stored %d, %v; want %d", n, err, workers*each)
	}
	if got, err := ix.Index().DocCount(); err != nil || got != workers*each {
		t.Errorf("indexed %d, %v; want %d", got, err, workers*each)
	}
	total := 0
	for _, s := range sizes {
		total += s
		if s > 2*batch {
			t.Errorf("a batch of %d articles", s)
		}
	}
	if total != workers*each {
		t.Errorf("batches held %d articles, want %d", total, workers*each)
	}
}

// FuzzFirstRunes checks firstRunes against the rune conversion it
// replaced in view.
func FuzzFirstRunes(f *testing.F) {
	for _, s := range []string{"", "abc", "بدأت المحادثات في القاهرة", "a\xffb\xfe", "\xe2\x82", "ÉCOLE"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		want := s
		if r := []rune(s); len(r) > n {
			want = string(r[:n])
		}
		if got := firstRunes(s, n); got != want {
			t.Errorf("firstRunes(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
