// Package runs keeps the history of ingest runs in bbolt and starts runs:
// one record per run with per-source counts and errors, newest first, so
// operators can see what each scheduled or manual run did.
package runs

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/crawler"
)

// Bucket is the bbolt bucket this package owns.
const Bucket = "runs"

// Statuses of a run. A run still "running" when the process starts was cut
// short by a crash or kill and is marked interrupted.
const (
	StatusRunning     = "running"
	StatusOK          = "ok"
	StatusPartial     = "partial"
	StatusFailed      = "failed"
	StatusInterrupted = "interrupted"
)

// Run is one ingest run as recorded.
type Run struct {
	ID       string                  `json:"id"`
	Started  time.Time               `json:"started"`
	Finished time.Time               `json:"finished,omitzero"`
	Status   string                  `json:"status"`
	Trigger  string                  `json:"trigger,omitempty"` // schedule | catch-up | api | ingest
	Sources  []crawler.SourceSummary `json:"sources"`
}

// Options configure a Store.
type Options struct {
	// Keep is how many runs are kept; older ones are pruned: 2000.
	Keep int
	Now  func() time.Time
}

// Store is the run history in a bbolt file shared with the indexer.
type Store struct {
	db   *bolt.DB
	opts Options
	seq  atomic.Uint64
}

// ErrNotFound is returned for an unknown run id.
var ErrNotFound = errors.New("runs: no such run")

// Open creates the bucket if needed.
func Open(db *bolt.DB, opts Options) (*Store, error) {
	if opts.Keep <= 0 {
		opts.Keep = 2000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists([]byte(Bucket))
		return err
	}); err != nil {
		return nil, fmt.Errorf("runs: create bucket: %w", err)
	}
	return &Store{db: db, opts: opts}, nil
}

// newID sorts in start order, so bbolt's key order is the history's order.
func (s *Store) newID(t time.Time) string {
	return fmt.Sprintf("%s-%04d", t.UTC().Format("20060102T150405.000000Z"), s.seq.Add(1)%10000)
}

// Begin records a run of the named sources as running.
func (s *Store) Begin(trigger string, sources []string) (Run, error) {
	now := s.opts.Now().UTC()
	r := Run{ID: s.newID(now), Started: now, Status: StatusRunning, Trigger: trigger}
	for _, name := range sources {
		r.Sources = append(r.Sources, crawler.SourceSummary{Name: name})
	}
	return r, s.put(r)
}

// Finish records the outcome of a run begun with Begin.
func (s *Store) Finish(id string, sum crawler.Summary) (Run, error) {
	r, err := s.Get(id)
	if err != nil {
		return r, err
	}
	r.Finished = sum.Finished
	if r.Finished.IsZero() {
		r.Finished = s.opts.Now().UTC()
	}
	r.Status = sum.Status
	r.Sources = sum.Sources
	if err := s.put(r); err != nil {
		return r, err
	}
	return r, s.prune()
}

// Progress replaces the counts of a run's sources while it is running, so
// GET /api/runs shows how far a long run has got. A run already finished is
// left alone: a late progress report never overwrites its outcome.
func (s *Store) Progress(id string, counts []crawler.SourceSummary) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(Bucket))
		v := b.Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		var r Run
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if r.Status != StatusRunning {
			return nil
		}
		for _, c := range counts {
			for i := range r.Sources {
				if r.Sources[i].Name == c.Name {
					r.Sources[i] = c
				}
			}
		}
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte(id), data)
	})
	if err != nil {
		return fmt.Errorf("runs: progress of %s: %w", id, err)
	}
	return nil
}

// MarkInterrupted marks every run still recorded as running as interrupted.
// Call it at start-up, before any run begins.
func (s *Store) MarkInterrupted() (int, error) {
	n := 0
	now := s.opts.Now().UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(Bucket))
		var fixed [][2][]byte
		err := b.ForEach(func(k, v []byte) error {
			var r Run
			if err := json.Unmarshal(v, &r); err != nil || r.Status != StatusRunning {
				return nil
			}
			r.Status, r.Finished = StatusInterrupted, now
			data, err := json.Marshal(r)
			if err != nil {
				return err
			}
			fixed = append(fixed, [2][]byte{append([]byte{}, k...), data})
			return nil
		})
		if err != nil {
			return err
		}
		for _, kv := range fixed {
			if err := b.Put(kv[0], kv[1]); err != nil {
				return err
			}
		}
		n = len(fixed)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("runs: mark interrupted: %w", err)
	}
	return n, nil
}

// Get returns one run.
func (s *Store) Get(id string) (Run, error) {
	var r Run
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket([]byte(Bucket)).Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &r)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("runs: read %s: %w", id, err)
	}
	return r, err
}

// List returns up to limit runs, newest first; with source set, only runs
// that included it.
func (s *Store) List(limit int, source string) ([]Run, error) {
	out := []Run{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(Bucket)).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			var r Run
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("run %s: %w", k, err)
			}
			if source != "" && !r.has(source) {
				continue
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("runs: list: %w", err)
	}
	return out, nil
}

func (r Run) has(source string) bool {
	_, ok := r.source(source)
	return ok
}

func (r Run) source(name string) (crawler.SourceSummary, bool) {
	for _, s := range r.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return crawler.SourceSummary{}, false
}

// LastSuccess returns when the source last finished a run in which its
// listing was read (something landed or was unchanged), for catch-up runs.
func (s *Store) LastSuccess(source string) (time.Time, bool, error) {
	var when time.Time
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(Bucket)).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var r Run
			if json.Unmarshal(v, &r) != nil || r.Status == StatusRunning || r.Status == StatusInterrupted {
				continue
			}
			ss, ok := r.source(source)
			if ok && Succeeded(ss) {
				when, found = r.Finished, true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("runs: last success of %s: %w", source, err)
	}
	return when, found, nil
}

// Succeeded reports whether a source's run read its listing: articles
// landed, or nothing had changed.
func Succeeded(ss crawler.SourceSummary) bool {
	return ss.New+ss.Updated+ss.Unchanged+ss.Duplicates > 0 || (ss.Fetched > 0 && ss.Failed == 0)
}

func (s *Store) put(r Run) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("runs: encode %s: %w", r.ID, err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(Bucket)).Put([]byte(r.ID), data)
	}); err != nil {
		return fmt.Errorf("runs: save %s: %w", r.ID, err)
	}
	return nil
}

// prune drops the oldest runs beyond Keep.
func (s *Store) prune() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(Bucket))
		extra := b.Stats().KeyN - s.opts.Keep
		if extra <= 0 {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && extra > 0; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return fmt.Errorf("runs: prune: %w", err)
			}
			extra--
		}
		return nil
	})
}
