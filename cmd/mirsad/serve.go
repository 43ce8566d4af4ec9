package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mirsad-observatory/mirsad/crawler"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "serve")
	addr := fs.String("addr", "", "address to serve on (default: listen from the config)")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *addr == "" {
		*addr = cfg.Listen
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	ix, err := openIndexer(cfg, e, false)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))

	sources, err := crawlerSources(cfg, "")
	if err != nil {
		return err
	}
	cr := crawler.New(crawlerOptions(cfg), e.logger)
	sched := cron.New(cron.WithLocation(time.UTC), cron.WithChain(
		cron.Recover(cronLogger{e.logger}), cron.SkipIfStillRunning(cronLogger{e.logger})))
	schedules := map[string]string{}
	for _, s := range cfg.Sources {
		schedules[s.Name] = s.Schedule
	}
	var ingestMu sync.Mutex // one index writer at a time keeps batches whole
	for _, src := range sources {
		spec := schedules[src.Name]
		if _, err := sched.AddFunc(spec, func() {
			ingestMu.Lock()
			defer ingestMu.Unlock()
			sum := cr.Run(ctx, []crawler.Source{src}, sink{ix})
			if err := ix.Flush(ctx); err != nil {
				e.logger.Error("flush failed", "source", src.Name, "err", err)
			}
			for _, ss := range sum.Sources {
				e.logger.Info("ingest run", "source", ss.Name, "status", sum.Status, "new", ss.New, "updated", ss.Updated, "failed", ss.Failed)
			}
		}); err != nil {
			return fmt.Errorf("schedule %s: %w", src.Name, err)
		}
	}
	sched.Start()
	defer func() { <-sched.Stop().Done() }()
	fmt.Fprintf(e.stderr, "mirsad serve: %d sources scheduled, data in %s, serving http://%s/\n", len(sources), cfg.DataDir, ln.Addr())
	return serveHTTP(ctx, e, ln, ix)
}

// cronLogger routes cron's messages to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
