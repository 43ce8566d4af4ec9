package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// arGold is one labelled claim of the Arabic set.
type arGold struct {
	s, e    int
	speaker string
	kind    string
	tags    map[string]bool
}

// arArticle is one article of the Arabic set with its markers removed.
type arArticle struct {
	id, split string
	published time.Time
	text      string
	gold      []arGold
}

// parseArabicSet reads the format documented in testdata/README.md.
func parseArabicSet(r io.Reader) ([]arArticle, error) {
	var out []arArticle
	var cur *arArticle
	var body strings.Builder
	var golds []arGold
	flush := func() error {
		if cur == nil {
			return nil
		}
		cur.text = strings.TrimRight(body.String(), "\n")
		cur.gold = golds
		out = append(out, *cur)
		body.Reset()
		golds = nil
		cur = nil
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "=== ") {
			if err := flush(); err != nil {
				return nil, err
			}
			f := strings.Fields(line[4:])
			if len(f) != 3 {
				return nil, fmt.Errorf("eval: arabic set line %d: want \"=== id date split\"", lineNo)
			}
			d, err := time.Parse("2006-01-02", f[1])
			if err != nil {
				return nil, fmt.Errorf("eval: arabic set line %d: %w", lineNo, err)
			}
			cur = &arArticle{id: f[0], published: d.Add(10 * time.Hour), split: f[2]}
			continue
		}
		if cur == nil {
			if strings.TrimSpace(line) == "" {
				continue
			}
			return nil, fmt.Errorf("eval: arabic set line %d: text before the first article header", lineNo)
		}
		if strings.TrimSpace(line) == "" && body.Len() == 0 {
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		// strip the markers of this line
		rest := line
		for {
			i := strings.Index(rest, "[[")
			if i < 0 {
				body.WriteString(rest)
				break
			}
			body.WriteString(rest[:i])
			rest = rest[i+2:]
			j := strings.Index(rest, "]]")
			if j < 0 {
				return nil, fmt.Errorf("eval: arabic set line %d: unclosed [[", lineNo)
			}
			start := body.Len()
			body.WriteString(rest[:j])
			g := arGold{s: start, e: body.Len()}
			rest = rest[j+2:]
			// an optional closing quotation mark, then {speaker|kind|tags}
			for _, q := range []string{"»", "”", "\""} {
				if strings.HasPrefix(rest, q+"{") {
					body.WriteString(q)
					rest = rest[len(q):]
					break
				}
			}
			if !strings.HasPrefix(rest, "{") {
				return nil, fmt.Errorf("eval: arabic set line %d: claim without {speaker|kind|tags}", lineNo)
			}
			k := strings.Index(rest, "}")
			if k < 0 {
				return nil, fmt.Errorf("eval: arabic set line %d: unclosed {", lineNo)
			}
			parts := strings.Split(rest[1:k], "|")
			if len(parts) != 3 || parts[1] != "direct" && parts[1] != "indirect" || parts[0] == "" {
				return nil, fmt.Errorf("eval: arabic set line %d: bad label %q", lineNo, rest[:k+1])
			}
			g.speaker, g.kind = parts[0], parts[1]
			g.tags = map[string]bool{}
			for _, t := range strings.Split(parts[2], ",") {
				if t = strings.TrimSpace(t); t != "" {
					g.tags[t] = true
				}
			}
			golds = append(golds, g)
			rest = rest[k+1:]
		}
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: arabic set: %w", err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// arScores are the Arabic figures of one split.
type arScores struct {
	articles, gold, pred int
	content              prf
	speakerOK            int
	kindOK               int
	anonOK, anonGold     int
	// per tag: gold count and correct speaker attributions
	tagGold, tagOK map[string]int
}

func scoreArabic(ctx context.Context, extract extractFunc, arts []arArticle, split string) (arScores, error) {
	sc := arScores{tagGold: map[string]int{}, tagOK: map[string]int{}}
	for _, a := range arts {
		if split != "" && a.split != split {
			continue
		}
		if err := ctx.Err(); err != nil {
			return sc, err
		}
		sc.articles++
		var claims []document.Claim
		for _, at := range extract(a.id, a.text, "ar", a.published) {
			claims = append(claims, at.Claim)
		}
		toks := wordTokens(a.text)
		predSets := make([]map[int]bool, len(claims))
		for i, c := range claims {
			predSets[i] = tokenSet(toks, []span{{c.Start, c.End}})
		}
		goldSets := make([]map[int]bool, len(a.gold))
		for j, g := range a.gold {
			goldSets[j] = tokenSet(toks, []span{{g.s, g.e}})
			sc.tagGold["all"]++
			for t := range g.tags {
				sc.tagGold[t]++
			}
			if g.kind == "direct" {
				sc.tagGold["direct"]++
			} else if len(g.tags) == 0 {
				sc.tagGold["plain-indirect"]++
			}
			if g.tags["anon"] {
				sc.anonGold++
			}
		}
		sc.gold += len(a.gold)
		sc.pred += len(claims)
		sc.content.nPred += len(claims)
		sc.content.nGold += len(a.gold)
		for _, p := range matchByOverlap(predSets, goldSets) {
			c, g := claims[p.p], a.gold[p.g]
			sc.content.pSum += float64(p.ov) / float64(len(predSets[p.p]))
			sc.content.rSum += float64(p.ov) / float64(len(goldSets[p.g]))
			if c.Kind == g.kind {
				sc.kindOK++
			}
			if g.tags["anon"] && c.Anonymous {
				sc.anonOK++
			}
			if speakerF1(c.Speaker, g.speaker) >= 0.5 {
				sc.speakerOK++
				sc.tagOK["all"]++
				for t := range g.tags {
					sc.tagOK[t]++
				}
				if g.kind == "direct" {
					sc.tagOK["direct"]++
				} else if len(g.tags) == 0 {
					sc.tagOK["plain-indirect"]++
				}
			}
		}
	}
	return sc, nil
}
