package scale

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Publisher is the crawler's Sink in a fetch worker: each article goes to
// the articles stream, and Flush waits until JetStream has stored every
// one, so the crawler records an item as seen only once it is durable.
type Publisher struct {
	js jetstream.JetStream

	mu      sync.Mutex
	pending []jetstream.PubAckFuture
}

// NewPublisher returns a Publisher on c's stream.
func NewPublisher(c *Conn) *Publisher { return &Publisher{js: c.JS} }

var (
	_ crawler.Sink    = (*Publisher)(nil)
	_ crawler.Flusher = (*Publisher)(nil)
)

// MsgID is the Nats-Msg-Id of an article: its id and content hash, so a
// re-publish of the same text (a job redone after a crash) is dropped by
// the stream while an edit of the article still goes through.
func MsgID(a document.Article) string { return a.ID + ":" + indexer.ContentHash(a) }

// Put publishes a. The outcome is always New: only the index worker knows
// whether the article was new to the store.
func (p *Publisher) Put(ctx context.Context, a document.Article) (crawler.Outcome, error) {
	data, err := json.Marshal(a)
	if err != nil {
		return 0, fmt.Errorf("scale: encode %s: %w", a.URL, err)
	}
	f, err := p.js.PublishAsync(SubjectArticles, data, jetstream.WithMsgID(MsgID(a)))
	if err != nil {
		return 0, fmt.Errorf("scale: publish %s: %w", a.URL, err)
	}
	p.mu.Lock()
	p.pending = append(p.pending, f)
	p.mu.Unlock()
	return crawler.OutcomeNew, nil
}

// Flush waits for the stream's acknowledgement of every article put so far.
func (p *Publisher) Flush(ctx context.Context) error {
	p.mu.Lock()
	fs := p.pending
	p.pending = nil
	p.mu.Unlock()
	var errs []error
	for _, f := range fs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			errs = append(errs, err)
		case <-ctx.Done():
			return fmt.Errorf("scale: flush: %w", ctx.Err())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("scale: %d of %d articles not stored in the stream: %w", len(errs), len(fs), errors.Join(errs...))
	}
	return nil
}

// FetchOptions configure a fetch worker.
type FetchOptions struct {
	// Crawler builds the worker's crawler; its DB (a local bbolt file)
	// is optional: with it the worker skips items it already sent in an
	// earlier job, without it every job sends every item again (the
	// stream and the indexer drop what is unchanged).
	Crawler crawler.Options
	// Jobs is how many sources the worker crawls at once: 4, as many as
	// single-process mode (crawler.Options.Concurrency), so one worker
	// does what one serve did.
	Jobs int
	// BusyDelay is how long a job whose host is leased by another worker
	// waits before it is offered again: 1s.
	BusyDelay time.Duration
	// ID names the worker in leases and logs: host name and pid.
	ID string
	// OnJob, when set, is called after each job with its summary.
	OnJob func(Job, crawler.SourceSummary)
}

// RunFetcher takes jobs until ctx ends. A job is acknowledged after its
// articles are in the articles stream; a worker killed mid-job leaves the
// job unacknowledged, and JetStream hands it to another worker once
// JobAckWait passes without a sign of life.
func RunFetcher(ctx context.Context, c *Conn, opts FetchOptions) error {
	if opts.Jobs <= 0 {
		opts.Jobs = 4
	}
	if opts.BusyDelay <= 0 {
		opts.BusyDelay = time.Second
	}
	if opts.ID == "" {
		h, _ := os.Hostname()
		opts.ID = fmt.Sprintf("%s-%d-%s", h, os.Getpid(), newID()[:4])
	}
	log := c.logger.With("worker", opts.ID)
	cr := crawler.New(opts.Crawler, log)
	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				batch, err := c.Jobs.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					log.Warn("fetching a job failed", "err", err)
					if sleep(ctx, time.Second) != nil {
						return
					}
					continue
				}
				for msg := range batch.Messages() {
					c.runJob(ctx, cr, msg, opts, log)
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

func (c *Conn) runJob(ctx context.Context, cr *crawler.Crawler, msg jetstream.Msg, opts FetchOptions, log *slog.Logger) {
	var job Job
	if err := json.Unmarshal(msg.Data(), &job); err != nil {
		log.Error("dropping a job that does not decode", "err", err)
		settled(log, "term", msg.Term())
		return
	}
	log = log.With("job", job.ID, "source", job.Source.Name)
	u, err := url.Parse(job.Source.URL)
	if err != nil || u.Host == "" {
		log.Error("dropping a job without a host", "url", job.Source.URL)
		c.report(job, crawler.SourceSummary{Name: job.Source.Name, Failed: 1,
			Errors: []crawler.ItemError{{URL: job.Source.URL, Error: "scale: source URL has no host"}}})
		settled(log, "term", msg.Term())
		return
	}
	l, err := acquireLease(ctx, c.Hosts, u.Host, opts.ID)
	if errors.Is(err, ErrHostBusy) {
		log.Debug("host busy, job goes back on the queue", "host", u.Host)
		settled(log, "nak", msg.NakWithDelay(opts.BusyDelay))
		return
	}
	if err != nil {
		log.Warn("no lease", "err", err)
		settled(log, "nak", msg.NakWithDelay(opts.BusyDelay))
		return
	}
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Signs of life: the job stays ours and the host stays leased while
	// the crawl runs; a lost lease stops the crawl, since another worker
	// may now be fetching from the host.
	beat := min(c.cfg.JobAckWait, c.cfg.LeaseTTL) / 3
	alive := make(chan struct{})
	go func() {
		defer close(alive)
		t := time.NewTicker(beat)
		defer t.Stop()
		for {
			select {
			case <-jobCtx.Done():
				return
			case <-t.C:
				if err := msg.InProgress(); err != nil {
					log.Warn("job heartbeat failed", "err", err)
				}
				if err := l.refresh(jobCtx); err != nil && jobCtx.Err() == nil {
					log.Error("host lease lost, stopping the job", "err", err)
					cancel()
					return
				}
			}
		}
	}()
	pub := NewPublisher(c)
	sum := cr.Run(jobCtx, []crawler.Source{job.Source}, pub)
	lost := jobCtx.Err() != nil && ctx.Err() == nil
	cancel()
	<-alive
	if err := l.release(ctx); err != nil {
		log.Warn("lease not released; it expires", "err", err)
	}
	ss := crawler.SourceSummary{Name: job.Source.Name}
	if len(sum.Sources) == 1 {
		ss = sum.Sources[0]
	}
	if ctx.Err() != nil || lost {
		// Interrupted: the job goes to another worker; what this one
		// already published is deduplicated there.
		settled(log, "nak", msg.Nak())
		return
	}
	if err := msg.DoubleAck(ctx); err != nil {
		log.Warn("job ack failed; it will be redone", "err", err)
	}
	c.report(job, ss)
	if opts.OnJob != nil {
		opts.OnJob(job, ss)
	}
	log.Info("job done", "fetched", ss.Fetched, "published", ss.New, "failed", ss.Failed)
}

// report tells a waiting dispatcher how the job went (best effort: the
// stream, not this message, carries the articles).
func (c *Conn) report(job Job, ss crawler.SourceSummary) {
	data, err := json.Marshal(ss)
	if err == nil {
		err = c.NC.Publish(SubjectResults+"."+job.ID, data)
	}
	if err != nil {
		c.logger.Warn("job report not sent", "job", job.ID, "err", err)
	}
}

// settled logs a failed ack, nak or term: it only delays the message,
// which JetStream redelivers after its ack wait.
func settled(log *slog.Logger, what string, err error) {
	if err != nil && !errors.Is(err, jetstream.ErrMsgAlreadyAckd) {
		log.Warn(what+" failed; the message will be redelivered", "err", err)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
