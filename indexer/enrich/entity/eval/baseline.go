package eval

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// evaluateBaseline scores the simplest matcher one would write first: the
// gazetteer names exactly as spelled (case-insensitive for Latin), longest
// first, on word boundaries; no normalization, clitics, roles, skeletons or
// discovery.
func evaluateBaseline(g *entity.Gazetteer, arts []Article) *Scores {
	s := newScores()
	for _, a := range arts {
		s.score(a, baselineMatch(g, a.Text), g)
	}
	return s
}

// baselineMatch finds the gazetteer names exactly as spelled.
func baselineMatch(g *entity.Gazetteer, text string) []entity.Mention {
	type alias struct{ text, id string }
	var aliases []alias
	for _, e := range g.All() {
		for _, ns := range e.Names {
			for _, n := range ns {
				aliases = append(aliases, alias{strings.ToLower(n), e.ID})
			}
		}
	}
	sort.SliceStable(aliases, func(i, j int) bool { return len(aliases[i].text) > len(aliases[j].text) })
	low := strings.ToLower(text)
	if len(low) != len(text) {
		low = text // keep offsets valid
	}
	taken := make([]bool, len(low))
	var pred []entity.Mention
	for _, al := range aliases {
		from := 0
		for {
			k := strings.Index(low[from:], al.text)
			if k < 0 {
				break
			}
			st, en := from+k, from+k+len(al.text)
			from = en
			if !boundary(low, st, en) || anyTaken(taken, st, en) {
				continue
			}
			for x := st; x < en; x++ {
				taken[x] = true
			}
			pred = append(pred, entity.Mention{EntityID: al.id, Start: st, End: en, Surface: text[st:en], Method: "baseline"})
		}
	}
	return pred
}

func anyTaken(t []bool, a, b int) bool {
	for i := a; i < b; i++ {
		if t[i] {
			return true
		}
	}
	return false
}

func boundary(s string, a, b int) bool {
	if a > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:a])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if b < len(s) {
		r, _ := utf8.DecodeRuneInString(s[b:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
