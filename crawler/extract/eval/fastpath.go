package eval

import (
	"context"
	"fmt"

	"github.com/mirsad-observatory/mirsad/crawler/extract"
)

// fastPathRows measure the container fast path against the full path on
// every page of the three suites: how often it fires, and how close its
// body is to the body the full path (trafilatura) gives the same page,
// scored with the benchmark metric taking the full path's body as truth.
// Accuracy is the share of fired pages whose body is token-for-token the
// full path's.
func fastPathRows(ctx context.Context, opts Options) ([]row, error) {
	bench, err := loadBenchmark(opts)
	if err != nil {
		return nil, err
	}
	snips, _, _, err := loadSnippets(opts)
	if err != nil {
		return nil, err
	}
	arabic, err := loadArabic(opts)
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, set := range []struct {
		name  string
		pages []page
	}{{"article-extraction-benchmark", bench}, {"trafilatura-evaldata", snips}, {"arabic-layouts (ours)", arabic}} {
		a, err := fastPathAgreement(ctx, set.pages)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{suite: "fast path: " + set.name, system: "container vs trafilatura path", s: a.scores,
			note: fmt.Sprintf("fired on %d of %d pages; identical body on %d", a.Fired, a.Pages, a.Identical)})
	}
	return rows, nil
}

// agreement is how the fast path compared with the full path on a set of pages.
type agreement struct {
	Pages, Fired, Identical int
	scores                  scores
}

// fastPathAgreement runs Extract on each page with and without the fast path.
func fastPathAgreement(ctx context.Context, pages []page) (agreement, error) {
	var a agreement
	var truths, preds []string
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return a, err
		}
		a.Pages++
		fast, err := extract.Extract(p.html, p.url, extract.Options{})
		if err != nil || fast.Methods["body"] != extract.MethodContainer {
			continue
		}
		a.Fired++
		full, err := extract.Extract(p.html, p.url, extract.Options{NoFastPath: true})
		want := ""
		if err == nil {
			want = full.Body
		}
		if fast.Body == want {
			a.Identical++
		}
		truths = append(truths, want)
		preds = append(preds, fast.Body)
	}
	a.scores = corpusScores(truths, preds)
	return a, nil
}
