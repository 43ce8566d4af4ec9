package main

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/mirsad-observatory/mirsad"
	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/internal/demosite"
)

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs, _, verbose := newFlags(e, "demo")
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the API and web page on")
	data := fs.String("data", "", "data directory (default: a new temporary directory, removed on exit)")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	// Listen first: a busy port should fail before a minute of ingesting.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another mirsad running? choose another with -addr)", *addr, err)
	}
	defer ln.Close()

	start := time.Now()
	sites, err := startDemoSites()
	if err != nil {
		return err
	}
	defer sites.Close()

	dir := *data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "mirsad-demo-*"); err != nil {
			return fmt.Errorf("data dir: %w", err)
		}
		defer os.RemoveAll(dir)
	}
	pipeline, err := newPipeline(config.Default(), e)
	if err != nil {
		return err
	}
	ix, err := openIndexerWith(indexer.Options{Dir: dir, Enricher: pipeline}, e)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))

	fmt.Fprintf(e.stderr, "mirsad demo: data in %s\n", dir)
	for _, s := range sites.Sites {
		fmt.Fprintf(e.stderr, "  demo site %-8s %s (feed %s)\n", s.Name, s.BaseURL, s.FeedURL)
	}
	fmt.Fprintln(e.stderr, "ingesting feeds and article pages:")
	sum, err := ingestDemo(ctx, e, sites, ix)
	if err != nil {
		return err
	}
	printSummary(e.stdout, sum)
	n, _ := ix.Count()
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(e.stdout, "\nready in %s: %d articles indexed\n", time.Since(start).Round(time.Millisecond), n)
	fmt.Fprintf(e.stdout, "  web page:  %s/\n", base)
	fmt.Fprintf(e.stdout, "  try:       curl -sG %s/api/search --data-urlencode 'q=المرحلة الثانية'\n", base)
	fmt.Fprintf(e.stdout, "             %s/?q=%s&lang=en\n", base, url.QueryEscape("Kalin Cairo"))
	fmt.Fprintf(e.stdout, "             go run ./cmd/mirsad search -addr %s -sort newest 'وقف إطلاق النار'\n", ln.Addr())
	fmt.Fprintln(e.stdout, "press Ctrl-C to stop")
	return serveHTTP(ctx, e, ln, ix, nil, nil)
}

// startDemoSites serves the embedded demo outlets on loopback ports.
func startDemoSites() (*demosite.Server, error) {
	sub, err := fs.Sub(mirsad.DemoSites, "testdata/site")
	if err != nil {
		return nil, fmt.Errorf("demo sites: %w", err)
	}
	return demosite.Start(sub)
}

// ingestDemo runs one ingest of the demo sites into ix.
func ingestDemo(ctx context.Context, e *env, sites *demosite.Server, ix *indexer.Indexer) (crawler.Summary, error) {
	var sources []crawler.Source
	for _, s := range sites.Sites {
		sources = append(sources, crawler.Source{Name: s.Name, Kind: "feed", URL: s.FeedURL, Language: "auto", FollowLinks: true})
	}
	p := newProgress(e.stderr)
	cr := crawler.New(crawler.Options{UserAgent: "Mirsad-demo/0.1", Timeout: 10 * time.Second, AllowPrivateNetworks: true, Progress: p.update}, e.logger) // the demo sites are on loopback
	sum := cr.Run(ctx, sources, sink{ix})
	if err := ix.Flush(ctx); err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}
