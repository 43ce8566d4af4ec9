// Package eval measures Mirsad's date handling: the temporal tagger on our
// labelled evaluation set, publication-date extraction on our page/feed
// fixtures, and the tagger's cost on a real Arabic corpus next to the cost
// of indexing the same documents.
//
// It lives under internal/ because it needs both indexer/enrich/temporal
// and crawler/pubdate, and the indexer may not import the crawler.
package eval

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Item is one passage of the evaluation set with its gold mentions.
type Item struct {
	ID        string
	Lang      string
	Split     string // dev | test
	Published time.Time
	Text      string
	Gold      []Gold
}

// Gold is one labelled mention.
type Gold struct {
	Start, End  int
	Text        string
	From, To    string
	Granularity string
	Kind        string // abs | num | rel | range
}

// LoadItems reads an evaluation file in the format described in
// indexer/enrich/temporal/testdata/README.md.
func LoadItems(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	var items []Item
	var cur *Item
	var body []string
	flush := func() error {
		if cur == nil {
			return nil
		}
		if err := parseBody(cur, strings.Join(body, "\n")); err != nil {
			return fmt.Errorf("eval: %s %s: %w", path, cur.ID, err)
		}
		items = append(items, *cur)
		cur, body = nil, nil
		return nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if h, ok := strings.CutPrefix(line, "=== "); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			fs := strings.Fields(h)
			if len(fs) != 5 {
				return nil, fmt.Errorf("eval: %s: bad header %q", path, line)
			}
			loc, err := time.LoadLocation(fs[3])
			if err != nil {
				return nil, fmt.Errorf("eval: %s: %w", path, err)
			}
			pub, err := time.ParseInLocation("2006-01-02T15:04", fs[2], loc)
			if err != nil {
				return nil, fmt.Errorf("eval: %s: %w", path, err)
			}
			cur = &Item{ID: fs[0], Lang: fs[1], Published: pub, Split: fs[4]}
			continue
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return items, nil
}

func parseBody(it *Item, s string) error {
	var b strings.Builder
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i:], "]]")
		if j < 0 {
			return fmt.Errorf("unclosed [[")
		}
		parts := strings.Split(s[i+2:i+j], "|")
		if len(parts) != 3 {
			return fmt.Errorf("mention %q needs surface|date|kind", s[i:i+j+2])
		}
		g := Gold{Text: parts[0], Kind: parts[2], Start: b.Len()}
		b.WriteString(parts[0])
		g.End = b.Len()
		var err error
		g.From, g.To, g.Granularity, err = expand(parts[1])
		if err != nil {
			return err
		}
		switch g.Kind {
		case "abs", "num", "rel", "range":
		default:
			return fmt.Errorf("unknown kind %q", g.Kind)
		}
		it.Gold = append(it.Gold, g)
		s = s[i+j+2:]
	}
	it.Text = strings.TrimSpace(b.String())
	return nil
}

// expand turns "2025-10-10", "2025-10", "2025" or "A..B" into first day,
// last day and granularity.
func expand(d string) (from, to, gran string, err error) {
	if a, b, ok := strings.Cut(d, ".."); ok {
		f, _, g, err := expand(a)
		if err != nil {
			return "", "", "", err
		}
		_, t, _, err := expand(b)
		return f, t, g, err
	}
	switch len(d) {
	case 10:
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return "", "", "", err
		}
		return t.Format(time.DateOnly), t.Format(time.DateOnly), "day", nil
	case 7:
		t, err := time.Parse("2006-01", d)
		if err != nil {
			return "", "", "", err
		}
		return t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly), "month", nil
	case 4:
		t, err := time.Parse("2006", d)
		if err != nil {
			return "", "", "", err
		}
		return t.Format(time.DateOnly), t.AddDate(1, 0, -1).Format(time.DateOnly), "year", nil
	}
	return "", "", "", fmt.Errorf("bad date %q", d)
}

// Counts accumulates span and resolution scores.
type Counts struct {
	Gold, Pred             int
	ExactTP, OverlapTP     int // predicted spans equal to / overlapping a gold span
	Resolved, ResolvedSeen int // gold mentions resolved right (of all / of detected)
	Detected               int // gold mentions overlapped by a prediction
}

func (c *Counts) add(o Counts) {
	c.Gold += o.Gold
	c.Pred += o.Pred
	c.ExactTP += o.ExactTP
	c.OverlapTP += o.OverlapTP
	c.Resolved += o.Resolved
	c.Detected += o.Detected
}

func f1(tp, gold, pred int) float64 {
	if gold == 0 || pred == 0 || tp == 0 {
		return 0
	}
	p, r := float64(tp)/float64(pred), float64(tp)/float64(gold)
	return 2 * p * r / (p + r)
}

// ExactF1 is the F1 of span detection with exact byte boundaries.
func (c Counts) ExactF1() float64 { return f1(c.ExactTP, c.Gold, c.Pred) }

// OverlapF1 is the F1 of span detection when overlapping spans count.
func (c Counts) OverlapF1() float64 { return f1(c.OverlapTP, c.Gold, c.Pred) }

// Accuracy is the share of gold mentions detected and resolved to the
// right first and last day (a missed mention counts as wrong).
func (c Counts) Accuracy() float64 {
	if c.Gold == 0 {
		return 0
	}
	return float64(c.Resolved) / float64(c.Gold)
}

// AccuracyDetected is the share of detected gold mentions resolved right.
func (c Counts) AccuracyDetected() float64 {
	if c.Detected == 0 {
		return 0
	}
	return float64(c.Resolved) / float64(c.Detected)
}

// Score compares predictions with the gold mentions of one item, and
// returns the counts per gold kind (predictions that match no gold mention
// are charged to kind "none").
func Score(gold []Gold, pred []document.DateMention) map[string]Counts {
	out := map[string]Counts{}
	used := make([]bool, len(pred))
	for _, g := range gold {
		c := out[g.Kind]
		c.Gold++
		best, bestOv := -1, 0
		for k, p := range pred {
			ov := min(g.End, p.End) - max(g.Start, p.Start)
			if ov > bestOv {
				best, bestOv = k, ov
			}
		}
		if best >= 0 {
			p := pred[best]
			c.Detected++
			if !used[best] {
				c.Pred++
				c.OverlapTP++
				if p.Start == g.Start && p.End == g.End {
					c.ExactTP++
				}
				used[best] = true
			}
			if p.From == g.From && p.To == g.To {
				c.Resolved++
			}
		}
		out[g.Kind] = c
	}
	for k := range pred {
		if !used[k] {
			c := out["none"]
			c.Pred++
			out["none"] = c
		}
	}
	return out
}
