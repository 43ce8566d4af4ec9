package main

import (
	"context"
	"errors"
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
	ix, err := openIndexer(cfg, e, false)
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
