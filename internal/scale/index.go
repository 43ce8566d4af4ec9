package scale

import (
	"context"
	"encoding/json"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Store is what the index worker needs of *indexer.Indexer.
type Store interface {
	Put(ctx context.Context, a document.Article) (indexer.Outcome, error)
	Flush(ctx context.Context) error
}

var _ Store = (*indexer.Indexer)(nil)

// IndexOptions configure the index worker.
type IndexOptions struct {
	// Batch is the most articles taken from the stream at once: 500.
	Batch int
	// MaxWait is how long a batch waits to fill before it is indexed: 1s.
	MaxWait time.Duration
	// OnBatch, when set, is called after each batch is committed and
	// acknowledged, with the number of articles in it.
	OnBatch func(n int)
}

// RunIndexer consumes the articles stream into st until ctx ends. Each
// batch is put, flushed (index, store, alert journal, then alert matching
// through the indexer's own hooks) and only then acknowledged. A crash
// before the acknowledgement redelivers the batch; putting it again finds
// every article already stored (Unchanged) or stores it now, so nothing is
// lost and nothing is indexed twice.
func RunIndexer(ctx context.Context, c *Conn, st Store, opts IndexOptions) error {
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = time.Second
	}
	log := c.logger.With("worker", "index")
	for ctx.Err() == nil {
		batch, err := c.Arts.Fetch(opts.Batch, jetstream.FetchMaxWait(opts.MaxWait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			log.Warn("fetching articles failed", "err", err)
			if sleep(ctx, time.Second) != nil {
				break
			}
			continue
		}
		var msgs []jetstream.Msg
		for msg := range batch.Messages() {
			msgs = append(msgs, msg)
		}
		if len(msgs) == 0 {
			continue
		}
		failed := false
		for _, msg := range msgs {
			var a document.Article
			if err := json.Unmarshal(msg.Data(), &a); err != nil {
				log.Error("dropping an article that does not decode", "err", err)
				settled(log, "term", msg.Term())
				continue
			}
			if _, err := st.Put(ctx, a); err != nil {
				log.Error("put failed; the batch will be redelivered", "url", a.URL, "err", err)
				failed = true
				break
			}
		}
		if !failed {
			if err := st.Flush(ctx); err != nil {
				log.Error("flush failed; the batch will be redelivered", "err", err)
				failed = true
			}
		}
		for _, msg := range msgs {
			if failed {
				settled(log, "nak", msg.NakWithDelay(time.Second))
			} else {
				settled(log, "ack", msg.Ack())
			}
		}
		if failed {
			continue
		}
		if opts.OnBatch != nil {
			opts.OnBatch(len(msgs))
		}
	}
	// Puts of a batch cut short by ctx are not acknowledged; flushing
	// them is harmless and spares their re-analysis after redelivery.
	if err := st.Flush(context.WithoutCancel(ctx)); err != nil {
		log.Warn("final flush failed", "err", err)
	}
	return nil
}
