package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/mirsad-observatory/mirsad/config"
	"github.com/mirsad-observatory/mirsad/indexer"
)

// cmdVerify is `mirsad verify`: it compares the stored articles with the
// indexes and exits 1 when something acknowledged is not searchable (or,
// with -strict, on any disagreement).
func cmdVerify(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "verify")
	strict := fs.Bool("strict", false, "fail on index entries without a stored article too (left by a crash between index and store; the next ingest repairs them)")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	ix, err := openChecked(cfg, e)
	if err != nil {
		return err
	}
	defer ix.Close(context.WithoutCancel(ctx))
	r, err := ix.Verify(ctx)
	if err != nil {
		return err
	}
	r.Write(e.stdout)
	if !r.Lossless() || (*strict && !r.OK()) {
		return errors.New("the store and the indexes disagree (see above)")
	}
	return nil
}

// openChecked is openIndexer for commands that must not die with a stack
// trace on a damaged store: bbolt panics on a corrupted page rather than
// returning an error, and the first reads (the clusterer's scan) happen
// while opening. The reliability suite corrupts a page of mirsad.db.
func openChecked(cfg config.Config, e *env) (ix *indexer.Indexer, err error) {
	defer func() {
		if v := recover(); v != nil {
			ix, err = nil, fmt.Errorf("the store %s is damaged (%v): restore it from a backup; `mirsad reindex` rebuilds the indexes from the store, not the store itself",
				filepath.Join(cfg.DataDir, indexer.DBFile), v)
		}
	}()
	return openIndexer(cfg, e, false)
}
