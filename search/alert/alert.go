// Package alert keeps researchers' subscriptions, matches every committed
// index batch against them and delivers each matching story once: by
// Standard Webhooks (signed, retried from a durable bbolt outbox) and as an
// Atom feed per subscription.
//
// Guarantees: a match and its outbox entries are written in one bbolt
// transaction, so a crash between match and send, or during a send, loses
// nothing; a retried or re-sent delivery keeps its webhook-id, which is the
// receiver's idempotency key. At most one alert is made per (subscription,
// story): a story is the article's cluster when clustering filled one in,
// else its normalized text or title, so reprints, updates and re-ingests
// do not alert again, while an edit that makes an article match for the
// first time does.
package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Searcher is what alert needs of the main index: the bleve index (built
// with indexer.NewMapping) and the stored articles. *indexer.Indexer
// satisfies it.
type Searcher interface {
	Index() bleve.Index
	Article(id string) (document.Article, bool, error)
}

var _ Searcher = (*indexer.Indexer)(nil)

// Match strategies: where a batch is searched.
const (
	// MatchMemory indexes each batch into an in-memory bleve index and runs
	// every subscription there: cost depends on the batch only.
	MatchMemory = "memory"
	// MatchIndex runs every subscription on the main index restricted to
	// the batch's ids with a DocIDQuery: no second analysis of the batch.
	MatchIndex = "index"
	// MatchTerms evaluates subscriptions in Go against the batch's terms,
	// from the analysis the indexer hands over (OnAnalyzedBatch): no
	// bleve search, except for a text query it cannot reproduce.
	MatchTerms = "terms"
)

// Options configure a Service.
type Options struct {
	// DB is the data directory's bbolt file; alert keeps its buckets there
	// (names start with "alert_").
	DB *bolt.DB
	// Index is the main index. Needed by MatchIndex and by `test`; without
	// it batches are matched in memory and `test` is unavailable.
	Index Searcher
	// Strategy is MatchTerms (the default: several times faster than
	// either bleve strategy, docs/bench/alerts.md), MatchIndex or
	// MatchMemory; the last two are kept as measured baselines.
	Strategy string
	// HTTPClient sends webhooks. cmd passes one whose dialer carries the
	// crawler's SSRF guard. Default: a plain client with timeouts.
	HTTPClient *http.Client
	// Secrets reads a webhook secret by environment variable name
	// (default os.Getenv).
	Secrets func(envName string) string
	// Now and After are the clock; tests pass a controllable one.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
	// Jitter returns a number in [0,1) that spreads retries (default
	// math/rand/v2).
	Jitter func() float64
	// BaseURL is the public address of the API, for Atom links.
	BaseURL string
	// ResolveEntity maps an entity id or alias (any script) to ids; nil
	// takes entity and speaker values as ids.
	ResolveEntity func(aliasOrID string) []string
	// RetryFor bounds retries of one delivery (default 24h).
	RetryFor time.Duration
	// NoPrefilter searches every subscription even when the batch lacks
	// one of its words (for measurements; results are the same).
	NoPrefilter bool
	// Logger gets delivery failures and matching summaries.
	Logger *slog.Logger
}

// Service matches batches against subscriptions and delivers alerts.
type Service struct {
	opts    Options
	db      *bolt.DB
	logger  *slog.Logger
	mapping mapping.IndexMapping
	wake    chan struct{}

	mu    sync.RWMutex
	cache *compiledSet // nil when subscriptions changed since last build

	matchMu sync.Mutex // one batch at a time: the seen-set must see the previous batch

	journaled atomic.Bool // Journal was used: OnBatch clears journal entries

	// afterSend, when set (tests only), runs after a webhook answered and
	// before the answer is recorded.
	afterSend func(d *Delivery)
}

// New opens the alert buckets and returns a Service.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("alert: options need a bbolt DB")
	}
	switch opts.Strategy {
	case "":
		opts.Strategy = MatchTerms
	case MatchMemory, MatchTerms:
	case MatchIndex:
		if opts.Index == nil {
			return nil, errors.New("alert: strategy index needs options.Index")
		}
	default:
		return nil, fmt.Errorf("alert: strategy %q: want %s, %s or %s", opts.Strategy, MatchTerms, MatchIndex, MatchMemory)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = defaultClient()
	}
	if opts.Secrets == nil {
		opts.Secrets = os.Getenv
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.After == nil {
		opts.After = time.After
	}
	if opts.Jitter == nil {
		opts.Jitter = defaultJitter
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = 24 * time.Hour
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		opts:    opts,
		db:      opts.DB,
		logger:  opts.Logger.With("component", "alert"),
		mapping: indexer.NewMapping(),
		wake:    make(chan struct{}, 1),
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("alert: create buckets: %w", err)
	}
	return s, nil
}

// defaultClient refuses anything but http(s) and bounds every phase of a
// delivery, so one stuck receiver cannot hold the loop.
func defaultClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("alert: redirect to %s refused", req.URL.Scheme)
			}
			if len(via) >= 3 {
				return errors.New("alert: too many redirects")
			}
			return nil
		},
	}
}

// notify wakes the delivery loop after new outbox entries.
func (s *Service) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Service) invalidate() {
	s.mu.Lock()
	s.cache = nil
	s.mu.Unlock()
}

// ctxErr keeps context errors recognizable through the package prefix.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	return nil
}
