package runs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler"
)

// Errors of Runner.Run and Runner.Start.
var (
	ErrBusy          = errors.New("runs: a run of that source is already going")
	ErrUnknownSource = errors.New("runs: no such source")
)

// Crawler is what a Runner needs of *crawler.Crawler.
type Crawler interface {
	Run(ctx context.Context, sources []crawler.Source, sink crawler.Sink) crawler.Summary
}

var _ Crawler = (*crawler.Crawler)(nil)

// RunnerOptions configure a Runner.
type RunnerOptions struct {
	Store   *Store
	Crawler Crawler
	Sink    crawler.Sink
	Sources []crawler.Source
	// Context is the parent of background runs (Start): the server's
	// lifetime, not a request's.
	Context  context.Context
	Logger   *slog.Logger
	OnFinish func(Run) // optional, after each run is recorded
}

// Runner runs ingests and records them. Different sources may run at the
// same time (the sink serialises writes); one source never runs twice at
// once.
type Runner struct {
	o    RunnerOptions
	mu   sync.Mutex
	busy map[string]string // source -> id of the run it is in ("" while claimed)
	live map[string]*liveRun
	wg   sync.WaitGroup
}

// liveRun holds the latest counts of a running run between writes.
type liveRun struct {
	counts  map[string]crawler.SourceSummary
	written time.Time
}

// progressEvery bounds how often a running run's counts are written.
const progressEvery = 2 * time.Second

// NewRunner returns a Runner.
func NewRunner(o RunnerOptions) *Runner {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	return &Runner{o: o, busy: map[string]string{}, live: map[string]*liveRun{}}
}

// SourceNames lists the configured sources.
func (r *Runner) SourceNames() []string {
	names := make([]string, 0, len(r.o.Sources))
	for _, s := range r.o.Sources {
		names = append(names, s.Name)
	}
	return names
}

// claim selects the named sources (all when names is empty) and marks them
// busy.
func (r *Runner) claim(names []string) ([]crawler.Source, error) {
	var srcs []crawler.Source
	for _, s := range r.o.Sources {
		if len(names) == 0 || slices.Contains(names, s.Name) {
			srcs = append(srcs, s)
		}
	}
	if len(srcs) < len(names) || len(srcs) == 0 {
		have := r.SourceNames()
		sort.Strings(have)
		return nil, fmt.Errorf("%w %q (have: %s)", ErrUnknownSource, strings.Join(names, ","), strings.Join(have, ", "))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range srcs {
		if _, busy := r.busy[s.Name]; busy {
			return nil, fmt.Errorf("%w: %s", ErrBusy, s.Name)
		}
	}
	for _, s := range srcs {
		r.busy[s.Name] = ""
	}
	return srcs, nil
}

func (r *Runner) release(id string, srcs []crawler.Source) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range srcs {
		delete(r.busy, s.Name)
	}
	delete(r.live, id)
}

func (r *Runner) begin(trigger string, names []string) (Run, []crawler.Source, error) {
	srcs, err := r.claim(names)
	if err != nil {
		return Run{}, nil, err
	}
	list := make([]string, len(srcs))
	for i, s := range srcs {
		list[i] = s.Name
	}
	run, err := r.o.Store.Begin(trigger, list)
	if err != nil {
		r.release("", srcs)
		return Run{}, nil, err
	}
	r.mu.Lock()
	for _, s := range srcs {
		r.busy[s.Name] = run.ID
	}
	r.live[run.ID] = &liveRun{counts: map[string]crawler.SourceSummary{}, written: time.Now()}
	r.mu.Unlock()
	return run, srcs, nil
}

func (r *Runner) execute(ctx context.Context, run Run, srcs []crawler.Source) (Run, error) {
	defer r.release(run.ID, srcs)
	sum := r.o.Crawler.Run(ctx, srcs, r.o.Sink)
	if f, ok := r.o.Sink.(crawler.Flusher); ok {
		if err := f.Flush(context.WithoutCancel(ctx)); err != nil {
			sum.Status = StatusFailed
			r.o.Logger.Error("flush after run failed", "run", run.ID, "err", err)
		}
	}
	done, err := r.o.Store.Finish(run.ID, sum)
	if err != nil {
		r.o.Logger.Error("recording run failed", "run", run.ID, "err", err)
		return done, err
	}
	for _, ss := range done.Sources {
		r.o.Logger.Info("ingest run", "run", done.ID, "trigger", done.Trigger, "source", ss.Name, "status", done.Status,
			"fetched", ss.Fetched, "new", ss.New, "updated", ss.Updated, "unchanged", ss.Unchanged,
			"duplicates", ss.Duplicates, "failed", ss.Failed)
	}
	if r.o.OnFinish != nil {
		r.o.OnFinish(done)
	}
	return done, nil
}

// Observe takes the crawler's progress reports (wire it as
// crawler.Options.Progress) and writes a running run's counts at most every
// two seconds, and when a source finishes.
func (r *Runner) Observe(p crawler.Progress) {
	r.mu.Lock()
	id := r.busy[p.Source]
	lr := r.live[id]
	if lr == nil {
		r.mu.Unlock()
		return
	}
	c := p.Counts
	c.Name = p.Source
	lr.counts[p.Source] = c
	now := time.Now()
	if !p.Finished && now.Sub(lr.written) < progressEvery {
		r.mu.Unlock()
		return
	}
	lr.written = now
	counts := make([]crawler.SourceSummary, 0, len(lr.counts))
	for _, c := range lr.counts {
		counts = append(counts, c)
	}
	r.mu.Unlock()
	if err := r.o.Store.Progress(id, counts); err != nil {
		r.o.Logger.Warn("recording progress failed", "run", id, "err", err)
	}
}

// Run ingests the named sources (all when none) now and returns the
// recorded run.
func (r *Runner) Run(ctx context.Context, trigger string, names ...string) (Run, error) {
	run, srcs, err := r.begin(trigger, names)
	if err != nil {
		return run, err
	}
	return r.execute(ctx, run, srcs)
}

// Start begins a run in the background under the Runner's context and
// returns it as recorded at its start.
func (r *Runner) Start(trigger string, names ...string) (Run, error) {
	run, srcs, err := r.begin(trigger, names)
	if err != nil {
		return run, err
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		_, _ = r.execute(r.o.Context, run, srcs)
	}()
	return run, nil
}

// Wait waits for the runs begun with Start.
func (r *Runner) Wait() { r.wg.Wait() }
