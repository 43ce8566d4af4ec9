package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/runs"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "serve")
	addr := fs.String("addr", "", "address to serve on (default: listen from the config)")
	natsURL := fs.String("nats", "", "NATS JetStream URL: publish due sources as jobs for `mirsad worker fetch` and index what the workers fetch, instead of crawling in this process")
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
	ix, err := openChecked(cfg, e)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	alerts, err := openAlerts(ctx, cfg, e, ix, "http://"+ln.Addr().String())
	if err != nil {
		return err
	}
	defer deliverAlerts(ctx, e, alerts)()
	store, err := openRuns(ix, e)
	if err != nil {
		return err
	}
	sources, err := crawlerSources(cfg, "")
	if err != nil {
		return err
	}
	var runner *runs.Runner
	metrics := newMetrics(ix)
	var cr runs.Crawler = newCrawler(cfg, e, ix, func(p crawler.Progress) { runner.Observe(p) })
	if *natsURL != "" {
		// After openAlerts: the index worker's batches go through the
		// same alert hooks as a local crawl's.
		d, stop, err := serveNATS(ctx, e, ix, *natsURL)
		if err != nil {
			return err
		}
		defer stop()
		cr = d
	}
	runner = runs.NewRunner(runs.RunnerOptions{
		Store:   store,
		Crawler: cr,
		Sink:    flushSink{sink{ix}},
		Sources: sources,
		Context: ctx,
		Logger:  e.logger,
		OnFinish: func(r runs.Run) {
			for _, s := range r.Sources {
				metrics.IngestObserved(s.Name, map[string]int{"new": s.New, "updated": s.Updated,
					"unchanged": s.Unchanged, "duplicate": s.Duplicates, "failed": s.Failed})
			}
		},
	})
	schedules := map[string]string{}
	for _, s := range cfg.Sources {
		schedules[s.Name] = s.Schedule
	}
	sched, err := newScheduler(ctx, e.logger, runner, store, schedules, time.Now)
	if err != nil {
		return err
	}
	sched.Start()
	defer func() {
		<-sched.Stop().Done()
		runner.Wait() // runs started by the API or catch-up end with ctx
	}()
	fmt.Fprintf(e.stderr, "mirsad serve: %d sources scheduled, data in %s, serving http://%s/\n", len(sources), cfg.DataDir, ln.Addr())
	return serveHTTP(ctx, e, ln, ix, map[string]http.Handler{
		"/api/runs":           runs.Handler(store, runner),
		"/api/runs/":          runs.Handler(store, runner),
		"/api/subscriptions":  alerts.Handler(),
		"/api/subscriptions/": alerts.Handler(),
	}, metrics)
}

// newScheduler schedules each source in UTC. A run that panics is logged
// and the scheduler goes on; a source whose previous run is still going
// skips its turn. A source whose last successful run is older than its
// interval (or that never ran) gets one catch-up run at start.
func newScheduler(ctx context.Context, logger *slog.Logger, runner *runs.Runner, store *runs.Store, schedules map[string]string, now func() time.Time) (*cron.Cron, error) {
	cl := cronLogger{logger}
	chain := cron.NewChain(cron.Recover(cl), cron.SkipIfStillRunning(cl))
	sched := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cl))
	for _, name := range runner.SourceNames() {
		spec, err := cron.ParseStandard(schedules[name])
		if err != nil {
			return nil, fmt.Errorf("schedule of %s: %q: %w", name, schedules[name], err)
		}
		run := func(trigger string) func() {
			return func() {
				if _, err := runner.Run(ctx, trigger, name); err != nil {
					if errors.Is(err, runs.ErrBusy) {
						logger.Info("run skipped: the source is still running", "source", name, "trigger", trigger)
						return
					}
					logger.Error("run failed", "source", name, "trigger", trigger, "err", err)
				}
			}
		}
		job := chain.Then(cron.FuncJob(run("schedule")))
		sched.Schedule(spec, job)
		last, found, err := store.LastSuccess(name)
		if err != nil {
			return nil, err
		}
		t := now().UTC()
		if interval := scheduleInterval(spec, t); !found || t.Sub(last) > interval {
			logger.Info("catch-up run", "source", name, "last_success", last, "interval", interval)
			// Started by the runner, not in a goroutine of our own, so
			// that shutdown waits for it (runner.Wait) and records it as
			// interrupted before the store closes: the reliability suite
			// found catch-up runs left "running" after a clean SIGTERM.
			if _, err := runner.Start("catch-up", name); err != nil && !errors.Is(err, runs.ErrBusy) {
				logger.Error("catch-up run not started", "source", name, "err", err)
			}
		}
	}
	return sched, nil
}

// scheduleInterval is the gap between two runs of spec after t.
func scheduleInterval(spec cron.Schedule, t time.Time) time.Duration {
	if every, ok := spec.(cron.ConstantDelaySchedule); ok {
		return every.Delay
	}
	next := spec.Next(t)
	return spec.Next(next).Sub(next)
}

// cronLogger routes cron's messages to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
