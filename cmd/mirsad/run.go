package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/web"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/cluster"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// Exit codes of the contract.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError makes run exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

type command struct {
	name string
	args string
	help string
	run  func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets: its output streams and flags common to all.
type env struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
}

func commands() []command {
	return []command{
		{"demo", "[-addr 127.0.0.1:8080] [-data DIR]", "serve the bundled demo sites, ingest them, serve the API and web page", cmdDemo},
		{"serve", "[-config FILE] [-addr ADDR] [-nats URL]", "run scheduled ingests and serve the API and web page until SIGINT/SIGTERM (with -nats, fetch workers do the crawling)", cmdServe},
		{"ingest", "[-config FILE] [-source NAME]", "run one ingest now: progress on stderr, summary on stdout", cmdIngest},
		{"search", "[-config FILE] [-lang ar|en] [-source S] [-from D] [-to D] [-sort S] [-json] QUERY", "search from the shell", cmdSearch},
		{"check", "[-config FILE]", "validate the config and print what it will do", cmdCheck},
		{"reindex", "[-config FILE]", "rebuild the index from the stored articles", cmdReindex},
		{"verify", "[-config FILE] [-strict]", "check that the stored articles and the indexes agree", cmdVerify},
		{"subscriptions", "[-config FILE] list|add|remove|test ...", "manage alert subscriptions (webhook and Atom delivery)", cmdSubscriptions},
		{"bench", "TOPIC [flags]", "print a benchmark or evaluation table (see BENCHMARKS.md)", cmdBench},
		{"worker", "fetch|index -nats URL [-config FILE] [-jobs N] [-state FILE]", "scale-out: a fetch worker or the index worker on NATS JetStream (docs/SCALING.md)", cmdWorker},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr,
		logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		var ue *usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "mirsad %s: %v\n", c.name, err)
			return exitUsage
		default:
			fmt.Fprintf(stderr, "mirsad %s: %v\n", c.name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(stderr, "mirsad: unknown command %q\n\n", args[0])
	printUsage(stderr)
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: mirsad COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n                %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nEvery command takes -config FILE (default: mirsad.yaml if present, else built-in defaults).")
}

// newFlags returns a flag set whose errors are returned, not fatal.
func newFlags(e *env, name string) (*flag.FlagSet, *string, *bool) {
	fs := flag.NewFlagSet("mirsad "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := fs.String("config", "", "config file (default mirsad.yaml if present)")
	verbose := fs.Bool("v", false, "log more (info level)")
	return fs, cfg, verbose
}

// parse parses flags; a flag error is a usage error.
func parse(e *env, fs *flag.FlagSet, args []string, verbose *bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%v", err)
	}
	if *verbose {
		e.logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return nil
}

// loadConfig reads path, or mirsad.yaml when present, else the defaults.
// Config errors are usage errors (exit 2).
func loadConfig(path string) (config.Config, error) {
	if path == "" {
		if _, err := os.Stat("mirsad.yaml"); err != nil {
			return config.Default(), nil
		}
		path = "mirsad.yaml"
	}
	cfg, err := config.Load(path)
	if err != nil {
		return cfg, &usageError{err.Error()}
	}
	return cfg, nil
}

func crawlerOptions(cfg config.Config) crawler.Options {
	return crawler.Options{
		UserAgent:            cfg.Crawl.UserAgent,
		Timeout:              cfg.Crawl.Timeout.D(),
		MaxBodyBytes:         int64(cfg.Crawl.MaxBodyBytes),
		PerHostDelay:         cfg.Crawl.PerHostDelay.D(),
		AllowPrivateNetworks: cfg.Crawl.AllowPrivateNetworks,
		SourceTimeout:        cfg.Crawl.SourceTimeout.D(),
	}
}

func crawlerSources(cfg config.Config, only string) ([]crawler.Source, error) {
	var out []crawler.Source
	for _, s := range cfg.Sources {
		if only != "" && s.Name != only {
			continue
		}
		src := crawler.Source{Name: s.Name, Kind: s.Kind, URL: s.URL, Language: s.Language, FollowLinks: s.FollowLinks(),
			LinkPattern: s.LinkPattern, FollowPattern: s.FollowPattern, MaxDepth: s.MaxDepth, MaxPages: s.MaxPages,
			MaxItems: s.MaxItems, Timeout: s.Timeout.D()}
		if s.Selectors != nil {
			src.Selectors = &web.Selectors{Title: s.Selectors.Title, Body: s.Selectors.Body, Published: s.Selectors.Published, Author: s.Selectors.Author}
		}
		out = append(out, src)
	}
	if only != "" && len(out) == 0 {
		names := make([]string, 0, len(cfg.Sources))
		for _, s := range cfg.Sources {
			names = append(names, s.Name)
		}
		sort.Strings(names)
		return nil, usagef("no source named %q (have: %s)", only, strings.Join(names, ", "))
	}
	return out, nil
}

// sink adapts the indexer to the crawler's Sink.
type sink struct{ ix *indexer.Indexer }

func (s sink) Put(ctx context.Context, a document.Article) (crawler.Outcome, error) {
	out, err := s.ix.Put(ctx, a)
	switch out {
	case indexer.Updated:
		return crawler.OutcomeUpdated, err
	case indexer.Unchanged:
		return crawler.OutcomeUnchanged, err
	default:
		return crawler.OutcomeNew, err
	}
}

var _ crawler.Sink = sink{}

// progressPrinter shows a live line per source on a terminal and plain log
// lines elsewhere, so CI logs stay readable.
type progressPrinter struct {
	w    io.Writer
	tty  bool
	last time.Time
}

func newProgress(w io.Writer) *progressPrinter {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressPrinter{w: w, tty: tty}
}

func (p *progressPrinter) update(pr crawler.Progress) {
	switch {
	case p.tty:
		fmt.Fprintf(p.w, "\r  %-16s %4d/%-4d", pr.Source, pr.Done, pr.Total)
		if pr.Done == pr.Total {
			fmt.Fprintln(p.w)
		}
	case pr.Done == pr.Total || time.Since(p.last) > 2*time.Second:
		fmt.Fprintf(p.w, "  %s: %d/%d items\n", pr.Source, pr.Done, pr.Total)
		p.last = time.Now()
	}
}

func printSummary(w io.Writer, s crawler.Summary) {
	fmt.Fprintf(w, "ingest %s in %s\n", s.Status, s.Finished.Sub(s.Started).Round(time.Millisecond))
	fmt.Fprintf(w, "  %-16s %7s %5s %7s %9s %10s %6s\n", "source", "fetched", "new", "updated", "unchanged", "duplicates", "failed")
	for _, ss := range s.Sources {
		fmt.Fprintf(w, "  %-16s %7d %5d %7d %9d %10d %6d\n", ss.Name, ss.Fetched, ss.New, ss.Updated, ss.Unchanged, ss.Duplicates, ss.Failed)
		for _, e := range ss.Errors {
			fmt.Fprintf(w, "    error: %s: %s\n", e.URL, e.Error)
		}
	}
}

// openIndexer builds the enrichment pipeline (which must protect the
// gazetteer's names from the stemmer before any index opens) and opens the
// data directory.
func openIndexer(cfg config.Config, e *env, skipIndex bool) (*indexer.Indexer, error) {
	p, err := newPipeline(cfg, e)
	if err != nil {
		return nil, err
	}
	return openIndexerWith(indexer.Options{Dir: cfg.DataDir, SkipIndex: skipIndex, Enricher: p,
		Monthly: cfg.Index.Partitions == "month"}, e)
}

// openIndexerWith opens the data directory and puts story clustering on
// its store.
func openIndexerWith(opts indexer.Options, e *env) (*indexer.Indexer, error) {
	ix, err := indexer.Open(opts, e.logger)
	if err != nil {
		return nil, err
	}
	c, err := cluster.New(cluster.Options{DB: ix.DB(), Logger: e.logger})
	if err != nil {
		// The clusterer reads its records from the store at start; one it
		// cannot decode means the store itself is damaged.
		ix.Close(context.Background())
		return nil, fmt.Errorf("the store %s could not be read (%w): restore it from a backup; `mirsad reindex` rebuilds the indexes from the store, not the store itself",
			filepath.Join(opts.Dir, indexer.DBFile), err)
	}
	ix.SetClusterer(c)
	return ix, nil
}

func newPipeline(cfg config.Config, e *env) (*enrich.Pipeline, error) {
	g, err := entity.LoadFiles(cfg.Gazetteers...)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return enrich.New(enrich.Options{Gazetteer: g, Logger: e.logger})
}
