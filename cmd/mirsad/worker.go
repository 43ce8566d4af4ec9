package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/crawler/runs"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/internal/scale"
)

// cmdWorker runs one scale-out worker until SIGINT/SIGTERM:
//
//	mirsad worker fetch -nats URL [-jobs N] [-state FILE]
//	mirsad worker index -nats URL
//
// Any number of fetch workers may run, on any machine; one index worker
// per data directory (it holds the directory's lock, like serve).
func cmdWorker(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "fetch" && args[0] != "index") {
		return usagef("want `worker fetch` or `worker index`")
	}
	role := args[0]
	fs, cfgPath, verbose := newFlags(e, "worker "+role)
	url := fs.String("nats", os.Getenv("MIRSAD_NATS"), "NATS server URL(s), comma-separated (default $MIRSAD_NATS)")
	jobs := fs.Int("jobs", 4, "fetch: sources crawled at once (as many as one serve crawls)")
	state := fs.String("state", "", "fetch: a bbolt file remembering what this worker already sent (default: memory only)")
	if err := parse(e, fs, args[1:], verbose); err != nil {
		return err
	}
	if *url == "" {
		return usagef("-nats URL is required")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	c, err := scale.Connect(ctx, *url, scale.Config{}, e.logger)
	if err != nil {
		return err
	}
	defer c.Close()
	if role == "fetch" {
		opts := crawlerOptions(cfg)
		if *state != "" {
			db, err := bolt.Open(*state, 0o644, &bolt.Options{Timeout: 2 * time.Second})
			if err != nil {
				return fmt.Errorf("worker: state %s: %w", *state, err)
			}
			defer db.Close()
			opts.DB = db
		}
		fmt.Fprintf(e.stderr, "mirsad worker fetch: taking jobs from %s, %d at a time\n", *url, *jobs)
		return scale.RunFetcher(ctx, c, scale.FetchOptions{Crawler: opts, Jobs: *jobs})
	}
	ix, err := openIndexer(cfg, e, false)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	// Alert matching runs in the indexer's batch hooks, as in serve;
	// delivery runs beside the consumer.
	alerts, err := openAlerts(ctx, cfg, e, ix, "http://"+cfg.Listen)
	if err != nil {
		return err
	}
	defer deliverAlerts(ctx, e, alerts)()
	fmt.Fprintf(e.stderr, "mirsad worker index: indexing from %s into %s\n", *url, filepath.Clean(cfg.DataDir))
	return scale.RunIndexer(ctx, c, ix, scale.IndexOptions{})
}

// serveNATS switches `serve` to scale-out: scheduled and API-started runs
// queue their sources for fetch workers (the returned crawler goes in the
// runner's place), and this process, which holds the data directory, is
// the index worker: it consumes what the workers fetch into ix, whose
// batch hooks (set by serve's openAlerts) match alerts as in
// single-process mode. stop ends the consumer and closes the connection.
func serveNATS(ctx context.Context, e *env, ix *indexer.Indexer, url string) (runs.Crawler, func(), error) {
	c, err := scale.Connect(ctx, url, scale.Config{}, e.logger)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := scale.RunIndexer(ctx, c, ix, scale.IndexOptions{}); err != nil {
			e.logger.Error("index worker stopped", "err", err)
		}
	}()
	fmt.Fprintf(e.stderr, "mirsad serve: runs queue their sources on %s; this process indexes what fetch workers send\n", url)
	return scale.NewDispatcher(c), func() { cancel(); <-done; c.Close() }, nil
}
