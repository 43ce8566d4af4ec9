package alert

import (
	"context"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer"
)

// TestJournalRecover: a crash after the indexer stored a batch (journal
// written in its transaction) and before OnBatch ran; the next start's
// Recover matches the batch, once.
func TestJournalRecover(t *testing.T) {
	ctx := context.Background()
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir()}, nil) // no OnBatch: the crash
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	svc, err := New(Options{DB: ix.DB(), Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.Create(ctx, Subscription{Name: "phase", Query: `"second phase"`})
	if err != nil {
		t.Fatal(err)
	}
	batch := loadBatch(t)
	for _, a := range batch {
		if _, err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.DB().Update(func(tx *bolt.Tx) error { return svc.Journal(tx, batch) }); err != nil {
		t.Fatal(err)
	}
	if n := len(alertDocs(t, svc, sub.ID)); n != 0 {
		t.Fatalf("%d alerts before recovery", n)
	}

	restarted, err := New(Options{DB: ix.DB(), Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	n, err := restarted.Recover(ctx)
	if err != nil || n != len(batch) {
		t.Fatalf("Recover = %d, %v; want %d", n, err, len(batch))
	}
	if got := alertDocs(t, restarted, sub.ID); len(got) != 2 {
		t.Fatalf("alerts after recovery = %v, want a5 and a9", got)
	}
	if n, err := restarted.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("second Recover = %d, %v; want 0", n, err)
	}

	// With the journal in use, a normal OnBatch clears its entries.
	if err := ix.DB().Update(func(tx *bolt.Tx) error { return restarted.Journal(tx, batch[:2]) }); err != nil {
		t.Fatal(err)
	}
	if err := restarted.OnBatch(ctx, batch[:2]); err != nil {
		t.Fatal(err)
	}
	if n, err := restarted.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("Recover after OnBatch = %d, %v; want 0", n, err)
	}
}
