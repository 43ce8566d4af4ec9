package eval

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate/fixtures"
)

func pubdateRows(ctx context.Context, opts Options, w io.Writer) error {
	cases, err := fixtures.LoadCases(opts.PubdateDir)
	if err != nil {
		return err
	}
	ok, base := 0, 0
	var failed []string
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d := c.Check(); d == "" {
			ok++
		} else {
			failed = append(failed, c.Name)
		}
		if c.BaselineOK() {
			base++
		}
	}
	note := "baseline: feed date else fetch time"
	if len(failed) > 0 {
		note += "; failed: " + strings.Join(failed, ",")
	}
	fmt.Fprintf(w, "pubdate\tfixtures\t%d\t-\t-\t-\t-\t-\t%.3f\t%.3f\t%s\n", len(cases), float64(ok)/float64(len(cases)), float64(base)/float64(len(cases)), note)
	return nil
}
