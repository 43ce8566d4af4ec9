package main

import (
	"context"
	"errors"

	"github.com/mirsad-observatory/mirsad/crawler"
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
	ix, err := openIndexer(cfg, e, false)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	opts := crawlerOptions(cfg)
	opts.Progress = newProgress(e.stderr).update
	sum := crawler.New(opts, e.logger).Run(ctx, sources, sink{ix})
	ferr := ix.Flush(ctx)
	printSummary(e.stdout, sum)
	if ferr != nil {
		return ferr
	}
	if sum.Status == "failed" || sum.Status == "interrupted" {
		return errors.New("ingest " + sum.Status + " (see errors above)")
	}
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
