package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/search"
	"github.com/mirsad-observatory/mirsad/search/api"
)

// newMetrics registers the Prometheus metrics, the index size read at
// scrape time.
func newMetrics(ix *indexer.Indexer) *api.Metrics {
	return api.NewMetrics(func() float64 {
		n, _ := ix.Count()
		return float64(n)
	})
}

// newSearch returns the search service over ix, resolving entities with
// the indexer's enrichment pipeline when it has one.
func newSearch(ix *indexer.Indexer) *search.Service {
	var svc *search.Service
	if p, ok := ix.Enricher().(*enrich.Pipeline); ok {
		svc = search.New(ix, p)
	} else {
		svc = search.New(ix, nil)
	}
	if st, ok := ix.Clusterer().(search.Stories); ok {
		svc.SetStories(st)
	}
	return svc
}

// serveHTTP serves the API and web page on ln until ctx ends, then drains
// in-flight requests for up to 10 s.
// mounts adds other packages' handlers (run history, subscriptions).
func serveHTTP(ctx context.Context, e *env, ln net.Listener, ix *indexer.Indexer, mounts map[string]http.Handler, metrics *api.Metrics) error {
	if metrics == nil {
		metrics = newMetrics(ix)
	}
	var svc api.Searcher = newSearch(ix)
	if q := os.Getenv(faultPanicQueryEnv); q != "" {
		svc = panicOn{svc.(*search.Service), q}
	}
	srv := api.NewHTTPServer(ln.Addr().String(), api.New(svc, api.Options{Logger: e.logger, Metrics: metrics, Mounts: mounts}).Handler())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(e.stderr, "mirsad: stopped")
	return nil
}

// faultPanicQueryEnv names a query text that makes the search panic: the
// reliability suite injects a panic inside a query into the real binary
// to prove that it is a 500 and the server lives on.
const faultPanicQueryEnv = "MIRSAD_FAULT_PANIC_QUERY"

// panicOn panics inside Search when the query text is q.
type panicOn struct {
	*search.Service
	q string
}

func (p panicOn) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if q.Text == p.q {
		panic("injected fault: " + faultPanicQueryEnv)
	}
	return p.Service.Search(ctx, q)
}
