package main

import (
	"context"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

func cmdCheck(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "check")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	// Gazetteer files are checked whole: one bad entry names its file, line
	// and field, and nothing is half-loaded.
	g, err := entity.LoadFiles(cfg.Gazetteers...)
	if err != nil {
		return &usageError{err.Error()}
	}
	w := e.stdout
	fmt.Fprintf(w, "config ok: %s\n", orDefault(*cfgPath, "built-in defaults or mirsad.yaml"))
	fmt.Fprintf(w, "data dir:  %s\nlisten:    %s\n", cfg.DataDir, cfg.Listen)
	fmt.Fprintf(w, "crawl:     user agent %q, timeout %s, max body %d bytes, per-host delay %s, private networks allowed: %v\n",
		cfg.Crawl.UserAgent, cfg.Crawl.Timeout.D(), cfg.Crawl.MaxBodyBytes, cfg.Crawl.PerHostDelay.D(), cfg.Crawl.AllowPrivateNetworks)
	fmt.Fprintf(w, "sources:   %d\n", len(cfg.Sources))
	now := time.Now().UTC()
	for _, s := range cfg.Sources {
		sched, _ := cron.ParseStandard(s.Schedule) // Validate already accepted it
		next := sched.Next(now)
		fmt.Fprintf(w, "  %-20s %-7s %-5s %-16s next %s  %s\n", s.Name, s.Kind, s.Language, s.Schedule, next.Format(time.RFC3339), s.URL)
	}
	fmt.Fprintf(w, "subscriptions: %d\n", len(cfg.Subscriptions))
	for _, s := range cfg.Subscriptions {
		fmt.Fprintf(w, "  %-20s q=%q entities=%v\n", s.Name, s.Query, s.Entities)
	}
	fmt.Fprintf(w, "entities:  %d (built-in gazetteer", g.Len())
	for _, f := range cfg.Gazetteers {
		fmt.Fprintf(w, " + %s", f)
	}
	fmt.Fprintln(w, ")")
	return nil
}
