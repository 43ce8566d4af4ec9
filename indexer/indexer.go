// Package indexer stores articles and keeps the bleve index of them. The
// stored articles (bbolt) are the truth; the index can always be rebuilt
// from them with Reindex, so an analyzer change never needs a re-crawl.
package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// File names inside the data directory.
const (
	DBFile    = "mirsad.db"
	IndexDir  = "index.bleve"
	bucketArt = "articles"
)

// Outcome says what Put did.
type Outcome int

// Outcomes of Put.
const (
	New Outcome = iota
	Updated
	Unchanged
)

// Options configure an Indexer.
type Options struct {
	Dir       string // data directory
	BatchSize int    // articles per bleve batch; default 200
	// OnBatch is called after each committed batch with its articles, so
	// that alert matching sees every new document exactly once.
	OnBatch func(ctx context.Context, batch []document.Article)
	// LockTimeout bounds the wait for another process's lock on the data dir.
	LockTimeout time.Duration
	// SkipIndex opens only the store: `mirsad reindex` must work when the
	// index itself is damaged.
	SkipIndex bool
}

// Indexer owns the data directory: the bbolt store and the bleve index.
type Indexer struct {
	opts   Options
	logger *slog.Logger
	db     *bolt.DB
	idx    bleve.Index

	mu      sync.Mutex
	pending []document.Article
	pendIdx map[string]int // id -> position in pending
}

// Open opens (creating if needed) the data directory.
func Open(opts Options, logger *slog.Logger) (*Indexer, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 200
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("indexer: data dir: %w", err)
	}
	dbPath := filepath.Join(opts.Dir, DBFile)
	db, err := bolt.Open(dbPath, 0o644, &bolt.Options{Timeout: opts.LockTimeout})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("indexer: %s is locked by another mirsad process (waited %s)", dbPath, opts.LockTimeout)
		}
		return nil, fmt.Errorf("indexer: open %s: %w", dbPath, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists([]byte(bucketArt))
		return err
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("indexer: %s: %w", dbPath, err)
	}
	var idx bleve.Index
	if !opts.SkipIndex {
		if idx, err = openIndex(filepath.Join(opts.Dir, IndexDir)); err != nil {
			db.Close()
			return nil, err
		}
	}
	return &Indexer{opts: opts, logger: logger, db: db, idx: idx, pendIdx: map[string]int{}}, nil
}

func openIndex(path string) (bleve.Index, error) {
	idx, err := bleve.Open(path)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		idx, err = bleve.New(path, NewMapping())
	}
	if err != nil {
		return nil, fmt.Errorf("indexer: open index %s: %w (run `mirsad reindex` to rebuild it from the stored articles)", path, err)
	}
	return idx, nil
}

// DB returns the bbolt store so that other packages keep their own buckets
// (run history, subscriptions, the alert outbox) in the same file: one
// lock, one backup.
func (ix *Indexer) DB() *bolt.DB { return ix.db }

// Index returns the bleve index for searching.
func (ix *Indexer) Index() bleve.Index { return ix.idx }

// ContentHash identifies an article's text so that an unchanged re-fetch
// costs no indexing and an edit is seen as an update.
func ContentHash(a document.Article) string {
	h := sha256.New()
	for _, s := range []string{a.Title, "\x00", a.Body, "\x00", a.Author, "\x00", a.Published.UTC().Format(time.RFC3339)} {
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Put stores and indexes an article. Nothing is durable until the batch
// holding it is flushed: the index is written first, then the store, so a
// crash in between leaves an article that the next run simply puts again.
func (ix *Indexer) Put(ctx context.Context, a document.Article) (Outcome, error) {
	if a.ID == "" {
		return 0, errors.New("indexer: article without id")
	}
	if a.Lang != document.LangArabic && a.Lang != document.LangEnglish {
		a.Lang = arabic.Detect(a.Title + " " + a.Body)
	}
	a.ContentHash = ContentHash(a)

	ix.mu.Lock()
	if i, ok := ix.pendIdx[a.ID]; ok {
		if ix.pending[i].ContentHash == a.ContentHash {
			ix.mu.Unlock()
			return Unchanged, nil
		}
		ix.pending[i] = a
		ix.mu.Unlock()
		return Updated, nil
	}
	ix.mu.Unlock()

	old, found, err := ix.Article(a.ID)
	if err != nil {
		return 0, err
	}
	out := New
	if found {
		if old.ContentHash == a.ContentHash {
			return Unchanged, nil
		}
		out = Updated
	}

	ix.mu.Lock()
	ix.pendIdx[a.ID] = len(ix.pending)
	ix.pending = append(ix.pending, a)
	full := len(ix.pending) >= ix.opts.BatchSize
	ix.mu.Unlock()
	if full {
		if err := ix.Flush(ctx); err != nil {
			return 0, err
		}
	}
	return out, nil
}

// Flush commits the pending batch: bleve first, then the store, then OnBatch.
func (ix *Indexer) Flush(ctx context.Context) error {
	ix.mu.Lock()
	batch := ix.pending
	ix.pending, ix.pendIdx = nil, map[string]int{}
	ix.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexer: flush: %w", err)
	}
	if ix.idx == nil {
		return errors.New("indexer: opened without an index")
	}
	b := ix.idx.NewBatch()
	for _, a := range batch {
		if err := b.Index(a.ID, toIndexDoc(a)); err != nil {
			return fmt.Errorf("indexer: index %s: %w", a.URL, err)
		}
	}
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("indexer: write batch of %d: %w", len(batch), err)
	}
	if err := ix.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket([]byte(bucketArt))
		for _, a := range batch {
			data, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := bk.Put([]byte(a.ID), data); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("indexer: store batch of %d: %w", len(batch), err)
	}
	ix.logger.Debug("batch committed", "docs", len(batch))
	if ix.opts.OnBatch != nil {
		ix.opts.OnBatch(ctx, batch)
	}
	return nil
}

// Article returns a stored article.
func (ix *Indexer) Article(id string) (document.Article, bool, error) {
	var a document.Article
	var found bool
	err := ix.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket([]byte(bucketArt)).Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &a)
	})
	if err != nil {
		return a, false, fmt.Errorf("indexer: read %s: %w", id, err)
	}
	return a, found, nil
}

// Count returns the number of stored articles.
func (ix *Indexer) Count() (int, error) {
	var n int
	err := ix.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(bucketArt)).Stats().KeyN
		return nil
	})
	return n, err
}

// Reindex rebuilds the index from the stored articles into a new directory
// and swaps it in, so a failure half-way leaves the old index serving.
func (ix *Indexer) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	if err := ix.Flush(ctx); err != nil {
		return 0, err
	}
	total, err := ix.Count()
	if err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	final := filepath.Join(ix.opts.Dir, IndexDir)
	tmp := final + ".new"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	fresh, err := bleve.New(tmp, NewMapping())
	if err != nil {
		return 0, fmt.Errorf("indexer: reindex: create %s: %w", tmp, err)
	}
	done := 0
	b := fresh.NewBatch()
	commit := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := fresh.Batch(b); err != nil {
			return err
		}
		b = fresh.NewBatch()
		return nil
	}
	err = ix.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucketArt)).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var a document.Article
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("stored article %s: %w", k, err)
			}
			if err := b.Index(a.ID, toIndexDoc(a)); err != nil {
				return err
			}
			done++
			if b.Size() >= ix.opts.BatchSize {
				if err := commit(); err != nil {
					return err
				}
				if progress != nil {
					progress(done, total)
				}
			}
			return nil
		})
	})
	if err == nil {
		err = commit()
	}
	if err != nil {
		fresh.Close()
		os.RemoveAll(tmp)
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	if progress != nil {
		progress(done, total)
	}
	if err := fresh.Close(); err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	if ix.idx != nil {
		if err := ix.idx.Close(); err != nil {
			return 0, fmt.Errorf("indexer: reindex: close old index: %w", err)
		}
	}
	old := final + ".old"
	os.RemoveAll(old)
	if err := os.Rename(final, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	os.RemoveAll(old)
	ix.idx, err = openIndex(final)
	if err != nil {
		return 0, err
	}
	return done, nil
}

// Close flushes and closes the index and the store.
func (ix *Indexer) Close(ctx context.Context) error {
	ferr := ix.Flush(ctx)
	var ierr error
	if ix.idx != nil {
		ierr = ix.idx.Close()
	}
	derr := ix.db.Close()
	return errors.Join(ferr, ierr, derr)
}
