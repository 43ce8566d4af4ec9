package eval

import (
	"strings"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// PRF counts matches for precision, recall and F1.
type PRF struct{ TP, FP, FN int }

// Add accumulates o into c.
func (c *PRF) Add(o PRF) { c.TP += o.TP; c.FP += o.FP; c.FN += o.FN }

// P is precision; 0 without predictions.
func (c PRF) P() float64 { return ratio(c.TP, c.TP+c.FP) }

// R is recall; 0 without gold mentions.
func (c PRF) R() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 is the harmonic mean of P and R.
func (c PRF) F1() float64 {
	p, r := c.P(), c.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Error is one mismatch, for debugging on the dev split.
type Error struct {
	Article, Kind, ID, Surface, Method string
}

// Scores holds counts per key "lang/type" for gazetteer entities and per
// "lang" for discovered people.
type Scores struct {
	Gaz    map[string]*PRF
	Disc   map[string]*PRF
	Errors []Error
}

func newScores() *Scores { return &Scores{Gaz: map[string]*PRF{}, Disc: map[string]*PRF{}} }

func (s *Scores) bump(m map[string]*PRF, keys []string, d PRF) {
	for _, k := range keys {
		if m[k] == nil {
			m[k] = &PRF{}
		}
		m[k].Add(d)
	}
}

func overlap(a0, a1, b0, b1 int) bool { return a0 < b1 && b0 < a1 }

// score compares predicted mentions with the gold labels of one article.
// A gazetteer mention is right when it has the gold id and overlaps the gold
// span (Arabic clitics may or may not be in either span); a discovered
// person is right only with exactly the gold span of a person labelled new.
func (s *Scores) score(a Article, pred []entity.Mention, g *entity.Gazetteer) {
	typeOf := func(id string) string {
		if e, ok := g.Get(id); ok {
			return e.Type
		}
		return "unknown"
	}
	usedGold := make([]bool, len(a.Gold))
	for _, p := range pred {
		disc := strings.HasPrefix(p.EntityID, entity.ProvisionalPrefix)
		hit := -1
		for k, gd := range a.Gold {
			if usedGold[k] {
				continue
			}
			if disc && gd.ID == NewLabel && gd.Start == p.Start && gd.End == p.End ||
				!disc && gd.ID == p.EntityID && overlap(gd.Start, gd.End, p.Start, p.End) {
				hit = k
				break
			}
		}
		if hit >= 0 {
			usedGold[hit] = true
			if disc {
				s.bump(s.Disc, []string{a.Lang, "all"}, PRF{TP: 1})
			} else {
				t := typeOf(p.EntityID)
				s.bump(s.Gaz, []string{a.Lang + "/" + t, a.Lang + "/all", "all/" + t, "all/all"}, PRF{TP: 1})
			}
			continue
		}
		s.Errors = append(s.Errors, Error{Article: a.Name, Kind: "FP", ID: p.EntityID, Surface: p.Surface, Method: p.Method})
		if disc {
			s.bump(s.Disc, []string{a.Lang, "all"}, PRF{FP: 1})
		} else {
			t := typeOf(p.EntityID)
			s.bump(s.Gaz, []string{a.Lang + "/" + t, a.Lang + "/all", "all/" + t, "all/all"}, PRF{FP: 1})
		}
	}
	for k, gd := range a.Gold {
		if usedGold[k] {
			continue
		}
		s.Errors = append(s.Errors, Error{Article: a.Name, Kind: "FN", ID: gd.ID, Surface: a.Text[gd.Start:gd.End]})
		if gd.ID == NewLabel {
			s.bump(s.Disc, []string{a.Lang, "all"}, PRF{FN: 1})
		} else {
			t := typeOf(gd.ID)
			s.bump(s.Gaz, []string{a.Lang + "/" + t, a.Lang + "/all", "all/" + t, "all/all"}, PRF{FN: 1})
		}
	}
}

// Evaluate runs a fresh matcher over the articles (in name order, so that
// discovered people carry over from one article to the next as in ingest)
// and scores them.
func Evaluate(g *entity.Gazetteer, opts entity.Options, arts []Article) *Scores {
	m := entity.NewMatcher(g, opts)
	s := newScores()
	for _, a := range arts {
		s.score(a, m.Match(a.Text, a.Lang, a.Date), g)
	}
	return s
}
