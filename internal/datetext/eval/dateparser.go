package eval

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	dps "github.com/markusmobius/go-dateparser"
	dpsdate "github.com/markusmobius/go-dateparser/date"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// dateparserTag runs go-dateparser's search over an item, as the baseline
// the issue names, and turns its results into mentions (offsets found by
// searching each result's text in order).
func dateparserTag(p *dps.Parser, text, lang string, published time.Time) []document.DateMention {
	cfg := &dps.Configuration{CurrentTime: published, DefaultTimezone: published.Location()}
	if published.IsZero() {
		cfg = nil
	}
	res, err := p.SearchWithLanguage(cfg, lang, text)
	if err != nil {
		return nil
	}
	var out []document.DateMention
	off := 0
	for _, r := range res {
		i := strings.Index(text[off:], r.Text)
		if i < 0 || r.Text == "" {
			continue
		}
		m := document.DateMention{Text: r.Text, Start: off + i, End: off + i + len(r.Text)}
		off = m.End
		t := r.Date.Time
		y, mo, d := t.Date()
		from := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		to := from
		m.Granularity = "day"
		switch r.Date.Period {
		case dpsdate.Month:
			from = time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
			to = from.AddDate(0, 1, -1)
			m.Granularity = "month"
		case dpsdate.Year:
			from = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			to = from.AddDate(1, 0, -1)
			m.Granularity = "year"
		}
		m.From, m.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
		out = append(out, m)
	}
	return out
}

// dateparserRows prints go-dateparser's scores on the evaluation set and
// its tagging speed on the first docs of the corpus.
func dateparserRows(ctx context.Context, items []Item, docs []antDoc, tagDocsPerSec float64, w io.Writer) error {
	p := &dps.Parser{}
	scores := TaggerScores(items, func(it Item) []document.DateMention {
		return dateparserTag(p, it.Text, it.Lang, it.Published)
	})
	for _, lang := range []string{"ar", "en"} {
		c := Sum(scores, lang, "", "")
		prec := 0.0
		if c.Pred > 0 {
			prec = float64(c.ExactTP) / float64(c.Pred)
		}
		fmt.Fprintf(w, "go-dateparser\t%s/all/all\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t-\tSearchWithLanguage, baseline for the tagger\n",
			lang, c.Gold, c.Pred, prec, float64(c.ExactTP)/float64(max(c.Gold, 1)), c.ExactF1(), c.OverlapF1(), c.Accuracy())
	}
	if len(docs) == 0 {
		return nil
	}
	start := time.Now()
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		dateparserTag(p, d.Text, "ar", d.Published)
	}
	rate := float64(len(docs)) / time.Since(start).Seconds()
	fmt.Fprintf(w, "go-dateparser\tant-arabic-news search\t%d\t-\t-\t-\t-\t-\t-\t-\t%.1f docs/s = %.4f x our tagger's rate\n",
		len(docs), rate, rate/tagDocsPerSec)
	return nil
}
