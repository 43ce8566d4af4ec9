package indexer

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// TestVerify breaks the agreement of store and index in each way Verify
// reports, on a real data dir.
func TestVerify(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		breakIt  func(t *testing.T, ix *Indexer)
		ok       bool
		lossless bool
		check    func(r VerifyReport) bool
	}{
		{"agree", func(*testing.T, *Indexer) {}, true, true, func(r VerifyReport) bool { return r.Stored == 3 && r.Indexed == 3 }},
		{"stored, not indexed", func(t *testing.T, ix *Indexer) {
			putRaw(t, ix, art("d", "Unindexed", "Stored behind the index's back"))
		}, false, false, func(r VerifyReport) bool { return r.NotIndexedCount == 1 && r.NotIndexed[0] == "d" }},
		{"indexed, not stored", func(t *testing.T, ix *Indexer) {
			deleteRaw(t, ix, "b")
		}, false, true, func(r VerifyReport) bool { return r.NotStoredCount == 1 && r.NotStored[0] == "b" }},
		{"one URL under two ids", func(t *testing.T, ix *Indexer) {
			a := art("e", "Copy", "A second copy of a page")
			a.URL = "https://example.org/a"
			if _, err := ix.Put(ctx, a); err != nil {
				t.Fatal(err)
			}
			if err := ix.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}, false, false, func(r VerifyReport) bool {
			return len(r.DuplicateURLs) == 1 && strings.Contains(r.DuplicateURLs[0], "e")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ix, err := Open(Options{Dir: t.TempDir()}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close(ctx)
			for _, a := range []document.Article{
				art("a", "محادثات القاهرة", "بدأت المحادثات في القاهرة"),
				art("b", "Talks in Cairo", "Talks began in Cairo today"),
				art("c", "Rafah crossing", "Trucks waited at the Rafah crossing"),
			} {
				if _, err := ix.Put(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			if err := ix.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			c.breakIt(t, ix)
			r, err := ix.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			r.Write(&b)
			if r.OK() != c.ok || r.Lossless() != c.lossless || !c.check(r) {
				t.Errorf("OK=%v Lossless=%v, want %v %v; report:\n%s", r.OK(), r.Lossless(), c.ok, c.lossless, b.String())
			}
		})
	}
}

func putRaw(t *testing.T, ix *Indexer, a document.Article) {
	t.Helper()
	data, _ := json.Marshal(a)
	if err := ix.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte(bucketView)).Put([]byte(a.ID), data); err != nil {
			return err
		}
		return tx.Bucket([]byte(bucketArt)).Put([]byte(a.ID), data)
	}); err != nil {
		t.Fatal(err)
	}
}

func deleteRaw(t *testing.T, ix *Indexer, id string) {
	t.Helper()
	var a document.Article
	if err := ix.db.Update(func(tx *bolt.Tx) error {
		json.Unmarshal(tx.Bucket([]byte(bucketArt)).Get([]byte(id)), &a)
		tx.Bucket([]byte(bucketView)).Delete([]byte(id))
		return tx.Bucket([]byte(bucketArt)).Delete([]byte(id))
	}); err != nil {
		t.Fatal(err)
	}
}
