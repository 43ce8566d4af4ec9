package eval

import (
	"context"
	"io"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

func pubdateRows(ctx context.Context, opts Options, w io.Writer) error { return nil }
func costRows(ctx context.Context, opts Options, tg *temporal.Tagger, w io.Writer) error {
	return nil
}
