package main

import (
	"context"
	"fmt"
	"time"
)

func cmdReindex(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "reindex")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	// Only the store is opened: reindex must work when the index is damaged.
	ix, err := openIndexer(cfg, e, true)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	start := time.Now()
	n, err := ix.Reindex(ctx, func(done, total int) {
		fmt.Fprintf(e.stderr, "  reindexed %d/%d\n", done, total)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
