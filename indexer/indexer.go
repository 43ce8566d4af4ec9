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
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// File names inside the data directory.
const (
	DBFile    = "mirsad.db"
	IndexDir  = "index.bleve"
	ClaimDir  = "claims.bleve"
	bucketArt = "articles"
	// bucketView holds a small copy of each article (no full body, the
	// first claims) so a page of search hits decodes kilobytes, not the
	// whole articles.
	bucketView = "article_views"
	viewBody   = 400 // runes of the body kept in a view
	viewClaims = 5
)

// Enricher fills an article's entities, dates and claims before indexing.
type Enricher interface {
	Enrich(a *document.Article)
}

// Clusterer assigns an article to a story: reprints of one story share a
// cluster id.
type Clusterer interface {
	Assign(a *document.Article) (string, error)
}

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
	// OnBatch is called after each committed batch with its articles and
	// what the index's analyzers made of each (an[i] belongs to batch[i]),
	// so that alert matching sees every new document exactly once and
	// never analyses it a second time.
	OnBatch func(ctx context.Context, batch []document.Article, an []Analysis)
	// LockTimeout bounds the wait for another process's lock on the data dir.
	LockTimeout time.Duration
	// SkipIndex opens only the store: `mirsad reindex` must work when the
	// index itself is damaged.
	SkipIndex bool
	// Monthly gives a new data dir, or one that has a single index, one
	// bleve index per publication month (see partition.go), so old months
	// can be moved or dropped and date-ranged queries open only theirs.
	// It is not the default: on one machine a single index is cheaper to
	// search (over 9 monthly partitions of ant-arabic-news a search took
	// 1.8x as long at p95) and to fill (merges run per partition). A dir
	// already partitioned opens partitioned whatever this says.
	Monthly bool
	// Enricher, when set, runs on every new or changed article and on
	// every article again at Reindex (so a gazetteer change applies to
	// what is already stored).
	Enricher Enricher
	// Clusterer, when set, puts every new or changed article in a story
	// cluster; reindex keeps the stored clusters.
	Clusterer Clusterer
	// OnStore, when set, runs inside the transaction that stores a batch,
	// so that a journal of what still needs alert matching commits with
	// the articles themselves.
	OnStore func(tx *bolt.Tx, batch []document.Article) error
}

// Indexer owns the data directory: the bbolt store and the bleve index.
type Indexer struct {
	opts   Options
	logger *slog.Logger
	db     *bolt.DB
	// idx searches every partition of parts (see partition.go).
	idx    bleve.Index
	parts  *partitions
	claims bleve.Index

	// writeMu makes the index and store writes of one flush a unit, so
	// that two flushes racing with versions of one article (in different
	// months) cannot leave it in two partitions.
	writeMu sync.Mutex
	// writeErr is the first failed write of a batch; no flush succeeds
	// after it.
	writeErr error
	// written is the putSeq of the last article a successful flush wrote
	// (under writeMu): a flush whose articles a concurrent one already
	// wrote has nothing left to do.
	written uint64

	// reprints is set once any stored article is a reprint of another, so
	// that searches skip looking for other outlets while there are none.
	reprints atomic.Bool

	mu      sync.Mutex
	pending []document.Article
	pendIdx map[string]int // id -> position in pending
	putSeq  uint64         // counts the articles added to pending
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
			holder := LockHolder(opts.Dir)
			if holder != "" {
				holder = ", " + holder
			}
			return nil, fmt.Errorf("indexer: %s is locked by another mirsad process%s (waited %s)", dbPath, holder, opts.LockTimeout)
		}
		return nil, fmt.Errorf("indexer: open %s: %w", dbPath, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{bucketArt, bucketView} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		db.Close()
		return nil, fmt.Errorf("indexer: %s: %w", dbPath, err)
	}
	ix := &Indexer{opts: opts, logger: logger, db: db, pendIdx: map[string]int{}}
	if !opts.SkipIndex {
		if ix.parts, err = openLayout(filepath.Join(opts.Dir, IndexDir), opts.Monthly); err != nil {
			db.Close()
			return nil, err
		}
		ix.idx = ix.parts.all()
		if ix.claims, err = openIndex(filepath.Join(opts.Dir, ClaimDir), NewClaimMapping()); err != nil {
			ix.parts.close()
			db.Close()
			return nil, err
		}
		ix.checkReprints()
	}
	return ix, nil
}

func openIndex(path string, m mapping.IndexMapping) (idx bleve.Index, err error) {
	defer func() {
		// bbolt panics on some damaged pages of bleve's root.bolt instead
		// of returning an error (the reliability suite corrupts one).
		if v := recover(); v != nil {
			idx, err = nil, fmt.Errorf("indexer: open index %s: damaged: %v (run `mirsad reindex` to rebuild it from the stored articles)", path, v)
		}
	}()
	idx, err = bleve.Open(path)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		idx, err = newIndex(path, m)
	}
	if err != nil {
		return nil, fmt.Errorf("indexer: open index %s: %w (run `mirsad reindex` to rebuild it from the stored articles)", path, err)
	}
	return idx, nil
}

// newIndex creates a bleve index at path whole or not at all: bleve
// writes its metadata in several files, and a process killed half-way
// (the reliability suite does it) left an index that no longer opened.
// It is built beside path and renamed into place.
func newIndex(path string, m mapping.IndexMapping) (bleve.Index, error) {
	tmp := path + ".creating"
	os.RemoveAll(tmp) // left by a crash
	idx, err := bleve.New(tmp, m)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := idx.Close(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return bleve.Open(path)
}

// DB returns the bbolt store so that other packages keep their own buckets
// (run history, subscriptions, the alert outbox) in the same file: one
// lock, one backup.
func (ix *Indexer) DB() *bolt.DB { return ix.db }

// Index returns the bleve index for searching: an alias over every
// monthly partition.
func (ix *Indexer) Index() bleve.Index { return ix.idx }

// IndexFor returns an index over only the partitions that can hold an
// article published in [from, to] (inclusive instants; a zero bound is
// open), so a query with a date range never touches other months. The
// query must still carry its date range: a partition is a whole month.
func (ix *Indexer) IndexFor(from, to time.Time) bleve.Index {
	if ix.parts == nil || (from.IsZero() && to.IsZero()) {
		return ix.idx
	}
	return ix.parts.subset(ix.parts.selectFor(from, to))
}

// Partitions names the index's partitions: months (2006-01), and
// LegacyPartition or UndatedPartition when present.
func (ix *Indexer) Partitions() []string {
	if ix.parts == nil {
		return nil
	}
	return ix.parts.names()
}

// HasReprints reports whether any indexed article is a reprint of another.
func (ix *Indexer) HasReprints() bool { return ix.reprints.Load() }

func (ix *Indexer) checkReprints() {
	q := bleve.NewBoolFieldQuery(true)
	q.SetField(FieldReprint)
	res, err := ix.idx.Search(bleve.NewSearchRequestOptions(q, 0, 0, false))
	ix.reprints.Store(err != nil || res.Total > 0) // unsure: look for reprints
}

// SetBatchHooks sets OnStore and OnBatch (see Options); like the
// clusterer, their owner keeps its state in DB, so they come after Open and
// before the first Put.
func (ix *Indexer) SetBatchHooks(onStore func(tx *bolt.Tx, batch []document.Article) error, onBatch func(ctx context.Context, batch []document.Article, an []Analysis)) {
	ix.opts.OnStore, ix.opts.OnBatch = onStore, onBatch
}

// SetClusterer sets the story clusterer, which usually keeps its state in
// the store this indexer opened (DB), so it comes after Open; call it
// before the first Put.
func (ix *Indexer) SetClusterer(c Clusterer) { ix.opts.Clusterer = c }

// Clusterer returns the story clusterer, or nil.
func (ix *Indexer) Clusterer() Clusterer { return ix.opts.Clusterer }

// Enricher returns the enricher the indexer was opened with, or nil.
func (ix *Indexer) Enricher() Enricher { return ix.opts.Enricher }

// Claims returns the bleve index of claims.
func (ix *Indexer) Claims() bleve.Index { return ix.claims }

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
	if i, ok := ix.pendIdx[a.ID]; ok && ix.pending[i].ContentHash == a.ContentHash {
		ix.mu.Unlock()
		return Unchanged, nil
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
	if err := ix.understand(&a); err != nil {
		return 0, err
	}

	// Enrichment ran without the lock; a Flush may have taken the batch
	// since, so the article's place is looked up again here.
	ix.mu.Lock()
	if i, ok := ix.pendIdx[a.ID]; ok {
		ix.pending[i] = a
		out = Updated
	} else {
		ix.pendIdx[a.ID] = len(ix.pending)
		ix.pending = append(ix.pending, a)
	}
	ix.putSeq++
	full := len(ix.pending) >= ix.opts.BatchSize
	ix.mu.Unlock()
	if full {
		if err := ix.flush(ctx, true); err != nil {
			return 0, err
		}
	}
	return out, nil
}

// understand enriches a new or changed article and finds its story.
func (ix *Indexer) understand(a *document.Article) error {
	if ix.opts.Enricher != nil {
		ix.opts.Enricher.Enrich(a)
	}
	if ix.opts.Clusterer != nil {
		id, err := ix.opts.Clusterer.Assign(a)
		if err != nil {
			return fmt.Errorf("indexer: cluster %s: %w", a.URL, err)
		}
		a.ClusterID = id
	}
	return nil
}

// Flush commits the pending batch: bleve first, then the store, then
// OnBatch. When it returns nil, every article Put before the call is
// stored and indexed.
func (ix *Indexer) Flush(ctx context.Context) error { return ix.flush(ctx, false) }

// flush writes the pending batch. Concurrent flushes queue on writeMu and
// each takes the batch only once it holds it, so that one that waited for
// another's write takes what piled up meanwhile, or nothing at all when
// that write already held its articles: the crawler's sources checkpoint
// on their own clocks, and taking the batch before the wait made batches
// of one or two articles, each a bleve segment to build and merge. With
// onlyFull (a Put that filled the batch), a batch that another flush took
// meanwhile is left to fill up again.
func (ix *Indexer) flush(ctx context.Context, onlyFull bool) error {
	ix.mu.Lock()
	want := ix.putSeq
	ix.mu.Unlock()
	ix.writeMu.Lock()
	// The pending batch is shared by every source of a run: once a flush
	// failed and dropped it, a later flush with nothing pending must not
	// succeed, or its caller records as ingested articles that were in
	// the dropped batch (the reliability suite lost them on a full disk).
	if ix.writeErr != nil {
		err := ix.writeErr
		ix.writeMu.Unlock()
		return fmt.Errorf("indexer: not writing after a failed write (restart mirsad once the cause is fixed): %w", err)
	}
	if ix.written >= want {
		ix.writeMu.Unlock()
		return nil
	}
	if err := ctx.Err(); err != nil {
		ix.writeMu.Unlock()
		return fmt.Errorf("indexer: flush: %w", err)
	}
	if ix.idx == nil {
		ix.writeMu.Unlock()
		return errors.New("indexer: opened without an index")
	}
	ix.mu.Lock()
	if onlyFull && len(ix.pending) < ix.opts.BatchSize {
		ix.mu.Unlock()
		ix.writeMu.Unlock()
		return nil
	}
	batch, taken := ix.pending, ix.putSeq
	ix.pending, ix.pendIdx = nil, map[string]int{}
	ix.mu.Unlock()
	if len(batch) == 0 {
		ix.written = taken
		ix.writeMu.Unlock()
		return nil
	}
	var an []Analysis
	if ix.opts.OnBatch != nil {
		an = make([]Analysis, len(batch))
	}
	if err := ix.writeIndexes(ix.parts, ix.claims, batch, true, an); err != nil {
		// A bleve index whose batch failed to persist (disk full) is not
		// fit for another batch: the next one panicked inside zapx. The
		// store is untouched, so nothing acknowledged is lost.
		ix.writeErr = err
		ix.writeMu.Unlock()
		return err
	}
	for _, a := range batch {
		if ClusterOf(a) != a.ID {
			ix.reprints.Store(true)
		}
	}
	err := ix.store(batch, ix.opts.OnStore)
	if err != nil {
		ix.writeErr = err
	} else {
		ix.written = taken
	}
	ix.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("indexer: store batch of %d: %w", len(batch), err)
	}
	ix.logger.Debug("batch committed", "docs", len(batch))
	if ix.opts.OnBatch != nil {
		ix.opts.OnBatch(ctx, batch, an)
	}
	return nil
}

// writeIndexes indexes a batch of articles, each in the partition of its
// publication month, and their claims. With replace, the claims an
// article had before are deleted first, so an edited article never keeps
// a claim it no longer makes, and so is the article itself from the
// partition of its former month (or the legacy one). When an is not nil
// (len(batch)), it receives each article's analysed fields.
func (ix *Indexer) writeIndexes(parts *partitions, claims bleve.Index, batch []document.Article, replace bool, an []Analysis) error {
	batches := map[bleve.Index]*bleve.Batch{}
	batchOf := func(idx bleve.Index) *bleve.Batch {
		if b, ok := batches[idx]; ok {
			return b
		}
		b := idx.NewBatch()
		batches[idx] = b
		return b
	}
	legacy, _ := parts.get(LegacyPartition, false)
	cb := claims.NewBatch()
	var docs []*bdoc.Document
	if an != nil {
		docs = make([]*bdoc.Document, len(batch))
	}
	for i, a := range batch {
		idx, err := parts.get(PartitionOf(a.Published), true)
		if err != nil {
			return err
		}
		// Mapping the document here rather than in b.Index keeps the
		// bleve document, whose fields hold their analysis once the
		// batch is written.
		doc := bdoc.NewDocument(a.ID)
		if err := idx.Mapping().MapDocument(doc, toIndexDoc(a)); err != nil {
			return fmt.Errorf("indexer: index %s: %w", a.URL, err)
		}
		if err := batchOf(idx).IndexAdvanced(doc); err != nil {
			return fmt.Errorf("indexer: index %s: %w", a.URL, err)
		}
		if docs != nil {
			docs[i] = doc
		}
		if replace {
			if old, found, err := ix.Article(a.ID); err == nil && found {
				for _, c := range old.Claims {
					cb.Delete(c.ID)
				}
				if prev, _ := parts.get(PartitionOf(old.Published), false); prev != nil && prev != idx {
					batchOf(prev).Delete(a.ID)
				}
				if legacy != nil && legacy != idx {
					batchOf(legacy).Delete(a.ID)
				}
			}
		}
		for _, c := range a.Claims {
			if err := cb.Index(c.ID, toClaimDoc(a, c)); err != nil {
				return fmt.Errorf("indexer: index claim of %s: %w", a.URL, err)
			}
		}
	}
	for idx, b := range batches {
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("indexer: write batch of %d: %w", len(batch), err)
		}
	}
	// Most batches make no claims (no Enricher, or none found): an empty
	// bleve batch still introduces a snapshot that the claims index's
	// persister writes and syncs, once per flush.
	if cb.Size() > 0 {
		if err := claims.Batch(cb); err != nil {
			return fmt.Errorf("indexer: write claims of %d articles: %w", len(batch), err)
		}
	}
	for i, doc := range docs {
		an[i] = AnalysisOf(doc)
	}
	return nil
}

// Analysis is what the index's analyzers made of one article: per
// indexed field, the terms with their positions (the same ones the
// index holds, so a query's terms can be checked against them).
type Analysis map[string]index.TokenFrequencies

// AnalysisOf collects what has been analysed of a bleve document: after
// a batch is written, every indexed field (fields never analysed carry
// no terms and are left out).
func AnalysisOf(doc *bdoc.Document) Analysis {
	an := Analysis{}
	doc.VisitFields(func(f index.Field) {
		if tf := f.AnalyzedTokenFrequencies(); len(tf) > 0 {
			if prev, ok := an[f.Name()]; ok {
				prev.MergeAll(f.Name(), tf)
				return
			}
			an[f.Name()] = tf
		}
	})
	return an
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

// Reindex rebuilds the index and the claims index from the stored
// articles (enriching them again when an Enricher is set) into new
// directories and swaps them in, so a failure half-way leaves the old
// indexes serving.
func (ix *Indexer) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	if ix.idx != nil {
		if err := ix.Flush(ctx); err != nil {
			return 0, err
		}
	}
	total, err := ix.Count()
	if err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	idxPath := filepath.Join(ix.opts.Dir, IndexDir)
	claimPath := filepath.Join(ix.opts.Dir, ClaimDir)
	for _, p := range []string{idxPath, claimPath} {
		os.RemoveAll(p + ".new")
	}
	// The rebuilt index keeps the layout the dir has (or is asked for).
	monthly := ix.opts.Monthly || isPartitioned(idxPath)
	if ix.parts != nil {
		monthly = !ix.parts.single
	}
	newParts, err := openLayout(idxPath+".new", monthly)
	if err != nil {
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	newClaims, err := bleve.New(claimPath+".new", NewClaimMapping())
	if err != nil {
		newParts.close()
		os.RemoveAll(idxPath + ".new")
		return 0, fmt.Errorf("indexer: reindex: create %s: %w", claimPath+".new", err)
	}
	cleanup := func() {
		newParts.close()
		newClaims.Close()
		os.RemoveAll(idxPath + ".new")
		os.RemoveAll(claimPath + ".new")
	}

	done := 0
	var after []byte
	for {
		batch, next, err := ix.readBatch(after, ix.opts.BatchSize)
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		if err == nil && len(batch) > 0 {
			if ix.opts.Enricher != nil {
				for i := range batch {
					ix.opts.Enricher.Enrich(&batch[i])
				}
				err = ix.store(batch, nil)
			}
			if err == nil {
				err = ix.writeIndexes(newParts, newClaims, batch, false, nil)
			}
		}
		if err != nil {
			cleanup()
			return 0, fmt.Errorf("indexer: reindex: %w", err)
		}
		done += len(batch)
		if progress != nil && len(batch) > 0 {
			progress(done, total)
		}
		if next == nil {
			break
		}
		after = next
	}
	if err := errors.Join(newParts.close(), newClaims.Close()); err != nil {
		cleanup()
		return 0, fmt.Errorf("indexer: reindex: %w", err)
	}
	var cerr error
	if ix.parts != nil {
		cerr = ix.parts.close()
	}
	if ix.claims != nil {
		cerr = errors.Join(cerr, ix.claims.Close())
	}
	if cerr != nil {
		return 0, fmt.Errorf("indexer: reindex: close old index: %w", cerr)
	}
	// The partitioned index replaces a legacy one too: its articles are
	// now in their months.
	for _, p := range []string{idxPath, claimPath} {
		os.RemoveAll(p + ".old")
		if err := os.Rename(p, p+".old"); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("indexer: reindex: %w", err)
		}
		if err := os.Rename(p+".new", p); err != nil {
			return 0, fmt.Errorf("indexer: reindex: %w", err)
		}
		os.RemoveAll(p + ".old")
	}
	os.RemoveAll(idxPath + migrating)
	if ix.parts, err = openLayout(idxPath, monthly); err != nil {
		return 0, err
	}
	ix.idx = ix.parts.all()
	if ix.claims, err = openIndex(claimPath, NewClaimMapping()); err != nil {
		return 0, err
	}
	ix.checkReprints()
	return done, nil
}

// readBatch reads up to n stored articles with keys after `after`; next is
// nil when the store is exhausted. Reading in chunks keeps the write
// transactions of re-enrichment out of a long read transaction.
func (ix *Indexer) readBatch(after []byte, n int) ([]document.Article, []byte, error) {
	var out []document.Article
	var next []byte
	err := ix.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(bucketArt)).Cursor()
		k, v := c.First()
		if after != nil {
			k, v = c.Seek(after)
			if k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
		}
		for ; k != nil; k, v = c.Next() {
			if len(out) == n {
				next = append([]byte(nil), out[len(out)-1].ID...)
				return nil
			}
			var a document.Article
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("stored article %s: %w", k, err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, next, err
}

// store writes articles to the store in one transaction, with onStore's
// writes in the same one.
func (ix *Indexer) store(batch []document.Article, onStore func(*bolt.Tx, []document.Article) error) error {
	return ix.db.Update(func(tx *bolt.Tx) error {
		if onStore != nil {
			if err := onStore(tx, batch); err != nil {
				return err
			}
		}
		bk, views := tx.Bucket([]byte(bucketArt)), tx.Bucket([]byte(bucketView))
		for _, a := range batch {
			data, err := json.Marshal(a)
			if err != nil {
				return err
			}
			if err := bk.Put([]byte(a.ID), data); err != nil {
				return err
			}
			if data, err = json.Marshal(view(a)); err != nil {
				return err
			}
			if err := views.Put([]byte(a.ID), data); err != nil {
				return err
			}
		}
		return nil
	})
}

func view(a document.Article) document.Article {
	a.Body = firstRunes(a.Body, viewBody)
	if len(a.Claims) > viewClaims {
		a.Claims = a.Claims[:viewClaims]
	}
	a.Extraction = nil
	return a
}

// firstRunes returns the first n runes of s. A valid string is cut where
// its n-th rune ends rather than converted to runes and back (that was a
// copy of four bytes a rune of every stored body); an invalid one takes
// the conversion, whose U+FFFD replacements the views have always had.
func firstRunes(s string, n int) string {
	if !utf8.ValidString(s) {
		if r := []rune(s); len(r) > n {
			return string(r[:n])
		}
		return s
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// ArticleView returns an article with at most the start of its body and
// its first claims: what a search hit shows.
func (ix *Indexer) ArticleView(id string) (document.Article, bool, error) {
	var a document.Article
	var found bool
	err := ix.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket([]byte(bucketView)).Get([]byte(id))
		if v == nil {
			v = tx.Bucket([]byte(bucketArt)).Get([]byte(id)) // stored before views existed
		}
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

// Close flushes and closes the index and the store.
func (ix *Indexer) Close(ctx context.Context) error {
	ferr := ix.Flush(ctx)
	ierr := ix.parts.close()
	if ix.claims != nil {
		ierr = errors.Join(ierr, ix.claims.Close())
	}
	derr := ix.db.Close()
	return errors.Join(ferr, ierr, derr)
}
