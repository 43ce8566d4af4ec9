// Package scale runs Mirsad's ingest across processes and machines
// through NATS JetStream: the scheduler (serve -nats) publishes due
// sources as jobs on a work-queue stream; any number of fetch workers take
// one job each, crawl the source with the ordinary crawler and publish the
// articles to a second work-queue stream; one index worker per data
// directory consumes them in batches and acknowledges each batch only once
// the indexer has committed it. Politeness across workers is a per-host
// lease in a JetStream key-value bucket (see lease.go).
//
// Nothing here is needed in single-process mode, which stays the default.
package scale

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mirsad-observatory/mirsad/crawler"
)

// Names of the JetStream resources; every process creates them the same
// way (CreateOrUpdate), so any may start first.
const (
	StreamJobs      = "MIRSAD_JOBS"
	StreamArticles  = "MIRSAD_ARTICLES"
	SubjectJobs     = "mirsad.jobs.fetch"
	SubjectArticles = "mirsad.articles"
	// SubjectResults prefixes the core-NATS subject on which a fetch
	// worker reports a job's summary: SubjectResults + "." + job id.
	SubjectResults = "mirsad.results"
	ConsumerFetch  = "fetch"
	ConsumerIndex  = "index"
	BucketHosts    = "mirsad_hosts"
)

// Config sizes the streams and the lease bucket; zero fields get defaults.
type Config struct {
	// Replicas of each stream and bucket: 1 on a single server, 3 on a
	// cluster.
	Replicas int
	// Duplicates is the window in which JetStream drops a message whose
	// Nats-Msg-Id it has seen: a job published twice, an article
	// re-published by a worker that took over a crashed one's job: 10m.
	Duplicates time.Duration
	// JobAckWait is how long a fetch job may go without a sign of life
	// before it goes to another worker; workers signal every third of it:
	// 30s.
	JobAckWait time.Duration
	// ArticleAckWait is how long the index worker may hold a fetched
	// batch before it is redelivered: 2m.
	ArticleAckWait time.Duration
	// LeaseTTL is how long a host lease outlives its last refresh, so a
	// killed worker's hosts are free again this long after: 30s.
	LeaseTTL time.Duration
}

func (c Config) withDefaults() Config {
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.Duplicates <= 0 {
		c.Duplicates = 10 * time.Minute
	}
	if c.JobAckWait <= 0 {
		c.JobAckWait = 30 * time.Second
	}
	if c.ArticleAckWait <= 0 {
		c.ArticleAckWait = 2 * time.Minute
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 30 * time.Second
	}
	return c
}

// Conn is one process's link to JetStream with the resources in place.
type Conn struct {
	NC     *nats.Conn
	JS     jetstream.JetStream
	Jobs   jetstream.Consumer
	Arts   jetstream.Consumer
	Hosts  jetstream.KeyValue
	cfg    Config
	logger *slog.Logger
}

// Connect dials url and creates (or updates) the streams, consumers and
// bucket that every Mirsad process shares.
func Connect(ctx context.Context, url string, cfg Config, logger *slog.Logger) (*Conn, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	nc, err := nats.Connect(url, nats.Name("mirsad"), nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", "err", err)
			}
		}))
	if err != nil {
		return nil, fmt.Errorf("scale: connect %s: %w", url, err)
	}
	c, err := Setup(ctx, nc, cfg, logger)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// Setup creates the shared resources on an open connection.
func Setup(ctx context.Context, nc *nats.Conn, cfg Config, logger *slog.Logger) (*Conn, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("scale: jetstream: %w", err)
	}
	c := &Conn{NC: nc, JS: js, cfg: cfg, logger: logger}
	// Both streams are work queues: a message leaves once acknowledged,
	// so a stream holds only work not yet done. The stored articles, not
	// the stream, are the record (reindex rebuilds from them).
	for _, s := range []jetstream.StreamConfig{
		{Name: StreamJobs, Subjects: []string{SubjectJobs}},
		{Name: StreamArticles, Subjects: []string{SubjectArticles}, MaxMsgSize: 16 << 20},
	} {
		s.Retention = jetstream.WorkQueuePolicy
		s.Storage = jetstream.FileStorage
		s.Replicas = cfg.Replicas
		s.Duplicates = cfg.Duplicates
		if _, err := js.CreateOrUpdateStream(ctx, s); err != nil {
			return nil, fmt.Errorf("scale: stream %s: %w", s.Name, err)
		}
	}
	if c.Jobs, err = js.CreateOrUpdateConsumer(ctx, StreamJobs, jetstream.ConsumerConfig{
		Durable:   ConsumerFetch,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   cfg.JobAckWait,
	}); err != nil {
		return nil, fmt.Errorf("scale: consumer %s: %w", ConsumerFetch, err)
	}
	if c.Arts, err = js.CreateOrUpdateConsumer(ctx, StreamArticles, jetstream.ConsumerConfig{
		Durable:       ConsumerIndex,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.ArticleAckWait,
		MaxAckPending: 20000,
	}); err != nil {
		return nil, fmt.Errorf("scale: consumer %s: %w", ConsumerIndex, err)
	}
	if c.Hosts, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:   BucketHosts,
		TTL:      cfg.LeaseTTL,
		Replicas: cfg.Replicas,
		Storage:  jetstream.FileStorage,
	}); err != nil {
		return nil, fmt.Errorf("scale: bucket %s: %w", BucketHosts, err)
	}
	return c, nil
}

// Close flushes what is buffered and closes the connection.
func (c *Conn) Close() error {
	err := c.NC.FlushTimeout(5 * time.Second)
	c.NC.Close()
	if err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		return fmt.Errorf("scale: close: %w", err)
	}
	return nil
}

// Job is one source to crawl now.
type Job struct {
	ID      string         `json:"id"`
	Trigger string         `json:"trigger"`
	Queued  time.Time      `json:"queued"`
	Source  crawler.Source `json:"source"`
}
