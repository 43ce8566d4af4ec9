package eval

import (
	"context"
	"io"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

func costRows(ctx context.Context, opts Options, tg *temporal.Tagger, w io.Writer) error {
	return nil
}
