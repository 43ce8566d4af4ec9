package alert

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Journal closes the gap between the indexer's commit and OnBatch: called
// inside the transaction that stores a batch, it notes the batch's ids;
// OnBatch removes them in the transaction that records the matches, and
// Recover matches whatever a crash left noted. Without it, a crash right
// after a commit leaves that batch unmatched.
func (s *Service) Journal(tx *bolt.Tx, batch []document.Article) error {
	s.journaled.Store(true)
	b, err := tx.CreateBucketIfNotExists(bucketJournal)
	if err != nil {
		return fmt.Errorf("alert: journal: %w", err)
	}
	for _, a := range batch {
		if err := b.Put([]byte(a.ID), nil); err != nil {
			return fmt.Errorf("alert: journal: %w", err)
		}
	}
	return nil
}

// Recover matches the articles that were stored but not matched before
// the last stop (see Journal), reading them from Options.Index. Matching
// them again is harmless: what already alerted does not alert twice.
// Call it once at start, before ingesting.
func (s *Service) Recover(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketJournal).ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
	})
	if err != nil {
		return 0, fmt.Errorf("alert: recover: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if s.opts.Index == nil {
		return 0, fmt.Errorf("alert: recover: %d unmatched articles but no index to read them from", len(ids))
	}
	s.journaled.Store(true)
	var batch []document.Article
	var missing []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := s.onBatch(ctx, batch, nil)
		batch = batch[:0]
		return err
	}
	for _, id := range ids {
		a, found, err := s.opts.Index.Article(id)
		if err != nil {
			return 0, fmt.Errorf("alert: recover: %w", err)
		}
		if !found {
			missing = append(missing, id)
			continue
		}
		if batch = append(batch, a); len(batch) >= 500 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	// Articles that are gone, and batches no subscription matched when
	// there were no subscriptions, leave the journal too.
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJournal)
		for _, id := range ids {
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("alert: recover: %w", err)
	}
	s.logger.Info("matched articles left by a crash", "articles", len(ids)-len(missing))
	return len(ids) - len(missing), nil
}

// clearJournal drops a batch's journal entries when nothing was matched
// against it (no subscriptions).
func (s *Service) clearJournal(batch []document.Article) error {
	if !s.journaled.Load() {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJournal)
		for _, a := range batch {
			if err := b.Delete([]byte(a.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("alert: journal: %w", err)
	}
	return nil
}
