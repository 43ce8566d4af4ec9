package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich"
	"github.com/mirsad-observatory/mirsad/search/alert"
)

// openAlerts puts alert matching on every committed batch of ix: the
// subscriptions of the config are synced, batches a crash left unmatched
// are matched again, and webhooks go through the crawler's guarded client
// (no private or metadata addresses unless the config allows them).
func openAlerts(ctx context.Context, cfg config.Config, e *env, ix *indexer.Indexer, baseURL string) (*alert.Service, error) {
	guard := fetch.New(fetch.Options{
		UserAgent:            cfg.Crawl.UserAgent,
		Timeout:              30 * time.Second,
		AllowPrivateNetworks: cfg.Crawl.AllowPrivateNetworks,
		MaxRetries:           -1, // the outbox retries, with its own backoff
	}, e.logger)
	opts := alert.Options{DB: ix.DB(), Index: ix, HTTPClient: &http.Client{Transport: guard.Transport(), Timeout: 30 * time.Second},
		BaseURL: baseURL, Logger: e.logger}
	if p, ok := ix.Enricher().(*enrich.Pipeline); ok {
		opts.ResolveEntity = p.Resolve
	}
	svc, err := alert.New(opts)
	if err != nil {
		return nil, err
	}
	if err := svc.Sync(ctx, subscriptionsOf(cfg)); err != nil {
		return nil, &usageError{err.Error()}
	}
	ix.SetBatchHooks(svc.Journal, func(ctx context.Context, batch []document.Article, an []indexer.Analysis) {
		if err := svc.OnAnalyzedBatch(ctx, batch, an); err != nil {
			// The journal keeps the batch; the next start matches it again.
			e.logger.Error("alert matching failed", "docs", len(batch), "err", err)
		}
	})
	if n, err := svc.Recover(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		e.logger.Warn("matched articles a previous process stored but did not match", "docs", n)
	}
	return svc, nil
}

func subscriptionsOf(cfg config.Config) []alert.Subscription {
	var out []alert.Subscription
	for _, s := range cfg.Subscriptions {
		sub := alert.Subscription{Name: s.Name, Query: s.Query, Lang: s.Lang, Entities: s.Entities}
		if s.Speaker != "" {
			sub.Speaker = alert.StringList{s.Speaker}
		}
		if s.Webhook != nil {
			sub.Webhook = &alert.Webhook{URL: s.Webhook.URL, SecretEnv: s.Webhook.SecretEnv}
		}
		out = append(out, sub)
	}
	return out
}

// cmdSubscriptions is `mirsad subscriptions list|add|remove|test`.
func cmdSubscriptions(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "subscriptions")
	fs.Usage = func() {}
	var rest []string
	// -config and -v come first; the rest belongs to the subcommand.
	for i := 0; i < len(args); i++ {
		if args[i] == "-config" && i+1 < len(args) {
			*cfgPath = args[i+1]
			i++
			continue
		}
		if args[i] == "-v" {
			*verbose = true
			continue
		}
		rest = args[i:]
		break
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	ix, err := openIndexer(cfg, e, false)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	svc, err := openAlerts(ctx, cfg, e, ix, "http://"+cfg.Listen)
	if err != nil {
		return err
	}
	err = alert.Command(ctx, svc, rest, e.stdout, e.stderr)
	if errors.Is(err, alert.ErrUsage) {
		return usagef("%s", strings.TrimPrefix(err.Error(), "alert: "))
	}
	if err != nil {
		return fmt.Errorf("subscriptions: %w", err)
	}
	return nil
}

// deliverAlerts runs the webhook delivery loop until ctx ends; the
// returned func waits for it, so a caller's deferred call keeps the
// store open until the last attempt is recorded.
func deliverAlerts(ctx context.Context, e *env, alerts *alert.Service) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := alerts.Run(ctx); err != nil && ctx.Err() == nil {
			e.logger.Error("alert delivery stopped", "err", err)
		}
	}()
	return func() { <-done }
}
