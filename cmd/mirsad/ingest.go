package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/runs"
	"github.com/mirsad-observatory/mirsad/indexer"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "ingest")
	only := fs.String("source", "", "ingest only the source with this name")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	sources, err := crawlerSources(cfg, *only)
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		return usagef("no sources configured: add some under sources: in %s (see README)", orDefault(*cfgPath, "mirsad.yaml"))
	}
	ix, err := openChecked(cfg, e)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	alerts, err := openAlerts(ctx, cfg, e, ix, "http://"+cfg.Listen)
	if err != nil {
		return err
	}
	store, err := openRuns(ix, e)
	if err != nil {
		return err
	}
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name
	}
	prog := newIngestProgress(e.stderr, names)
	var runner *runs.Runner
	cr := newCrawler(cfg, e, ix, func(p crawler.Progress) {
		prog.update(p)
		runner.Observe(p) // the run record stays current should the process die mid-run
	})
	runner = runs.NewRunner(runs.RunnerOptions{
		Store:   store,
		Crawler: cr,
		Sink:    flushSink{sink{ix}},
		Sources: sources,
		Context: ctx,
		Logger:  e.logger,
	})
	run, err := runner.Run(ctx, "ingest", names...)
	prog.done()
	if err != nil {
		return err
	}
	printSummary(e.stdout, crawler.Summary{Started: run.Started, Finished: run.Finished, Status: run.Status, Sources: run.Sources})
	fmt.Fprintf(e.stdout, "run %s recorded (GET /api/runs)\n", run.ID)
	// One delivery pass, as a scheduled run would do: what fails stays in
	// the outbox and is retried by the next ingest or by serve.
	if _, err := alerts.DeliverDue(ctx); err != nil {
		e.logger.Warn("alert delivery", "err", err)
	}
	if run.Status == runs.StatusFailed || run.Status == runs.StatusInterrupted {
		return errors.New("ingest " + run.Status + " (see errors above)")
	}
	return nil
}

// newCrawler builds the crawler of ingest and serve: one guarded fetch
// client, crawl state (conditional GET validators, seen GUIDs) in the
// indexer's bbolt file.
func newCrawler(cfg config.Config, e *env, ix *indexer.Indexer, progress func(crawler.Progress)) *crawler.Crawler {
	opts := crawlerOptions(cfg)
	opts.AllowPrivateNetworks = cfg.Crawl.AllowPrivateNetworks
	opts.DB = ix.DB()
	opts.Progress = progress
	return crawler.New(opts, e.logger)
}

// openRuns opens the run history. This process holds the data directory's
// lock, so any run still recorded as running died with its process.
func openRuns(ix *indexer.Indexer, e *env) (*runs.Store, error) {
	store, err := runs.Open(ix.DB(), runs.Options{})
	if err != nil {
		return nil, err
	}
	if n, err := store.MarkInterrupted(); err != nil {
		return nil, err
	} else if n > 0 {
		e.logger.Warn("runs left running by a previous process marked interrupted", "runs", n)
	}
	return store, nil
}

// flushSink lets the crawler commit the indexer's batch before it records a
// source's GUIDs and validators as done.
type flushSink struct{ sink }

func (s flushSink) Flush(ctx context.Context) error { return s.ix.Flush(ctx) }

var _ crawler.Flusher = flushSink{}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ingestProgress shows one live line per source on a terminal (sources run
// concurrently, so the block is redrawn in place) and plain log lines
// elsewhere, at most one per source every few seconds, so CI logs stay
// readable.
type ingestProgress struct {
	w     io.Writer
	tty   bool
	mu    sync.Mutex
	order []string
	state map[string]crawler.Progress
	drawn int
	last  time.Time
	lastS map[string]time.Time
	now   func() time.Time
}

func newIngestProgress(w io.Writer, names []string) *ingestProgress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb" {
			tty = true
		}
	}
	return &ingestProgress{w: w, tty: tty, order: names, state: map[string]crawler.Progress{}, lastS: map[string]time.Time{}, now: time.Now}
}

func progressLine(name string, p crawler.Progress, width int) string {
	c := p.Counts
	state := "…"
	switch {
	case p.Finished && c.Failed > 0:
		state = "done, with failures"
	case p.Finished:
		state = "done"
	case p.Total == 0 && c.Fetched == 0:
		state = "waiting"
	}
	return fmt.Sprintf("%-*s %5d/%-5d new %-5d upd %-4d same %-5d dup %-4d fail %-4d %s",
		width, name, p.Done, p.Total, c.New, c.Updated, c.Unchanged, c.Duplicates, c.Failed, state)
}

func (p *ingestProgress) update(pr crawler.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state[pr.Source] = pr
	now := p.now()
	if p.tty {
		if !pr.Finished && now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		p.last = now
		p.redraw()
		return
	}
	if pr.Finished || now.Sub(p.lastS[pr.Source]) >= 2*time.Second {
		p.lastS[pr.Source] = now
		fmt.Fprintln(p.w, "  "+strings.TrimRight(progressLine(pr.Source, pr, 0), " "))
	}
}

func (p *ingestProgress) redraw() {
	width := 0
	for _, n := range p.order {
		width = max(width, len(n))
	}
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, n := range p.order {
		b.WriteString("\r\x1b[2K  ")
		b.WriteString(progressLine(n, p.state[n], width))
		b.WriteByte('\n')
	}
	p.drawn = len(p.order)
	io.WriteString(p.w, b.String())
}

// done draws the final state on a terminal.
func (p *ingestProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.redraw()
	}
}
