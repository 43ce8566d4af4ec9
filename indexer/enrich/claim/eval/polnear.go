package eval

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
)

// goldAttr is one PolNeAR attribution: source, cue and content spans (byte
// offsets; a span may have several fragments).
type goldAttr struct {
	source, cue, content []span
}

// polArticle is one PolNeAR article with the attributions of one annotator.
type polArticle struct {
	name      string
	text      string
	published time.Time
	attrs     []goldAttr
}

// loadPolNEAR reads a split ("train", "dev", "test") of PolNeAR. Articles
// annotated by several annotators use the annotation file whose annotator
// id sorts first, so every article counts once.
func loadPolNEAR(ctx context.Context, dir, split string) ([]polArticle, error) {
	textDir := filepath.Join(dir, "data", split, "text")
	entries, err := os.ReadDir(textDir)
	if err != nil {
		return nil, fmt.Errorf("eval: polnear: %w", err)
	}
	annDir := filepath.Join(dir, "data", split, "attributions")
	anns, err := os.ReadDir(annDir)
	if err != nil {
		return nil, fmt.Errorf("eval: polnear: %w", err)
	}
	var annNames []string
	for _, a := range anns {
		annNames = append(annNames, a.Name())
	}
	sort.Strings(annNames)
	var out []polArticle
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(e.Name(), ".txt")
		if name == e.Name() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(textDir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("eval: polnear: %w", err)
		}
		i := sort.SearchStrings(annNames, name+"_")
		if i >= len(annNames) || !strings.HasPrefix(annNames[i], name+"_") {
			continue
		}
		text := string(raw)
		attrs, err := parseBrat(filepath.Join(annDir, annNames[i]), text)
		if err != nil {
			return nil, err
		}
		a := polArticle{name: name, text: text, attrs: attrs}
		if parts := strings.SplitN(name, "_", 3); len(parts) == 3 {
			a.published, _ = time.Parse("2006-01-02", parts[1])
		}
		out = append(out, a)
	}
	return out, nil
}

// parseBrat reads a brat standoff file. Its offsets count characters, so
// they are mapped to byte offsets of text.
func parseBrat(path, text string) ([]goldAttr, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: polnear: %w", err)
	}
	defer f.Close()
	byteAt := make([]int, 0, len(text)+1)
	for i := range text {
		byteAt = append(byteAt, i)
	}
	byteAt = append(byteAt, len(text))
	conv := func(c int) int {
		if c < 0 {
			return 0
		}
		if c >= len(byteAt) {
			return len(text)
		}
		return byteAt[c]
	}
	type tb struct {
		kind  string
		spans []span
	}
	tbs := map[string]tb{}
	var events [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.SplitN(line, "\t", 3)
		if len(fields) < 2 {
			continue
		}
		switch {
		case strings.HasPrefix(fields[0], "T"):
			sp := strings.SplitN(fields[1], " ", 2)
			if len(sp) < 2 {
				continue
			}
			var spans []span
			for _, frag := range strings.Split(sp[1], ";") {
				xy := strings.Fields(frag)
				if len(xy) != 2 {
					continue
				}
				a, err1 := strconv.Atoi(xy[0])
				b, err2 := strconv.Atoi(xy[1])
				if err1 != nil || err2 != nil || b < a {
					continue
				}
				spans = append(spans, span{conv(a), conv(b)})
			}
			tbs[fields[0]] = tb{kind: sp[0], spans: spans}
		case strings.HasPrefix(fields[0], "E"):
			events = append(events, strings.Fields(fields[1]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: polnear: %s: %w", path, err)
	}
	var out []goldAttr
	for _, ev := range events {
		var g goldAttr
		for _, arg := range ev {
			role, id, ok := strings.Cut(arg, ":")
			if !ok {
				continue
			}
			role = strings.TrimRight(role, "0123456789")
			t := tbs[id]
			switch role {
			case "Source":
				g.source = append(g.source, t.spans...)
			case "Cue":
				g.cue = append(g.cue, t.spans...)
			case "Content":
				g.content = append(g.content, t.spans...)
			}
		}
		if len(g.content) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// speechCue reports whether a gold cue is a verb of saying (the scope of a
// claims extractor), as opposed to belief, intention or evidence cues
// ("thinks", "wants", "shows") that PolNeAR also annotates. The list is
// fixed from the issue and common reporting verbs, not from the test split.
func speechCue(text string, cue []span) bool {
	var b strings.Builder
	for _, sp := range cue {
		b.WriteString(strings.ToLower(text[sp.s:sp.e]))
		b.WriteByte(' ')
	}
	c := b.String()
	for _, w := range strings.Fields(strings.NewReplacer(",", " ", ":", " ", ".", " ").Replace(c)) {
		switch w {
		case "said", "says", "say", "saying", "told", "tell", "tells", "telling", "stressed", "warned",
			"warns", "warning", "denied", "denies", "deny", "according", "statement", "added", "adding",
			"adds", "noted", "noting", "notes", "wrote", "writes", "tweeted", "announced", "declared",
			"asked", "argued", "claimed", "insisted", "explained", "acknowledged", "replied", "responded",
			"urged", "called", "calls", "confirmed", "reported", "suggested", "admitted", "agreed", "stated",
			"continued", "recalled", "emphasized", "asserted", "alleged", "promised", "vowed", "quoted":
			return true
		}
	}
	return strings.TrimSpace(c) == ":"
}

// enScores are the PolNeAR figures of one run.
type enScores struct {
	articles, gold, pred int
	content, source      prf
	triple               prf
	// speech: the same restricted to gold attributions with a speech cue
	speechContent, speechSource, speechTriple prf
	speechGold                                int
}

// extractFunc is what is scored: the extractor or a baseline.
type extractFunc func(docID, text, lang string, published time.Time) []claim.Attribution

func scorePolNEAR(ctx context.Context, extract extractFunc, arts []polArticle) (enScores, error) {
	var sc enScores
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return sc, err
		}
		sc.articles++
		toks := wordTokens(a.text)
		atts, predSets := groupByCue(toks, extract(a.name, a.text, "en", a.published))
		goldSets := make([]map[int]bool, len(a.attrs))
		speech := make([]bool, len(a.attrs))
		for j, g := range a.attrs {
			goldSets[j] = tokenSet(toks, g.content)
			speech[j] = speechCue(a.text, g.cue)
			if speech[j] {
				sc.speechGold++
			}
		}
		sc.gold += len(a.attrs)
		sc.pred += len(atts)
		pairs := matchByOverlap(predSets, goldSets)
		var c, s, t prf
		var spc, sps, spt prf
		c.nPred, c.nGold = len(atts), len(a.attrs)
		s.nPred, s.nGold = c.nPred, c.nGold
		t.nPred, t.nGold = c.nPred, c.nGold
		// speech rows: predictions matched to a non-speech gold item leave
		// the denominator, unmatched predictions stay in it
		spc.nPred = len(atts)
		for _, p := range pairs {
			if !speech[p.g] {
				spc.nPred--
			}
		}
		spc.nGold = countTrue(speech)
		sps.nPred, sps.nGold = spc.nPred, spc.nGold
		spt.nPred, spt.nGold = spc.nPred, spc.nGold
		for _, p := range pairs {
			at := atts[p.p]
			g := a.attrs[p.g]
			pp := float64(p.ov) / float64(len(predSets[p.p]))
			rr := float64(p.ov) / float64(len(goldSets[p.g]))
			c.pSum += pp
			c.rSum += rr
			srcOK := sourceMatches(a.text, toks, at, g)
			if srcOK {
				s.pSum++
				s.rSum++
			}
			cueOK := at.CueStart >= 0 && overlap(tokenSet(toks, []span{{at.CueStart, at.CueEnd}}), tokenSet(toks, g.cue)) > 0
			f1 := 0.0
			if pp+rr > 0 {
				f1 = 2 * pp * rr / (pp + rr)
			}
			tripleOK := srcOK && cueOK && f1 >= 0.5
			if tripleOK {
				t.pSum++
				t.rSum++
			}
			if speech[p.g] {
				spc.pSum += pp
				spc.rSum += rr
				if srcOK {
					sps.pSum++
					sps.rSum++
				}
				if tripleOK {
					spt.pSum++
					spt.rSum++
				}
			}
		}
		sc.content.merge(c)
		sc.source.merge(s)
		sc.triple.merge(t)
		sc.speechContent.merge(spc)
		sc.speechSource.merge(sps)
		sc.speechTriple.merge(spt)
	}
	return sc, nil
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}

// sourceMatches: the speaker mention shares a word with the gold source
// span. A claim whose speaker is not written out (participle, "adding")
// matches when its resolved speaker shares a word with the gold source.
func sourceMatches(text string, toks []span, at claim.Attribution, g goldAttr) bool {
	if len(g.source) == 0 {
		return false
	}
	gs := tokenSet(toks, g.source)
	if at.SpeakerStart >= 0 && at.SpeakerEnd > at.SpeakerStart {
		return overlap(tokenSet(toks, []span{{at.SpeakerStart, at.SpeakerEnd}}), gs) > 0
	}
	var gw []string
	for _, sp := range g.source {
		gw = append(gw, speakerTokens(text[sp.s:sp.e])...)
	}
	pw := speakerTokens(at.Claim.Speaker)
	for _, a := range pw {
		for _, b := range gw {
			if a == b && utf8.RuneCountInString(a) > 2 {
				return true
			}
		}
	}
	return false
}

// groupByCue joins the claims that share one cue ("…," he said. "…") into
// one attribution, which is how PolNeAR marks a quotation interrupted by
// its reporting clause: one attribution whose content has several pieces.
func groupByCue(toks []span, atts []claim.Attribution) ([]claim.Attribution, []map[int]bool) {
	var out []claim.Attribution
	var sets []map[int]bool
	byCue := map[[2]int]int{}
	for _, at := range atts {
		set := tokenSet(toks, []span{{at.Claim.Start, at.Claim.End}})
		key := [2]int{at.CueStart, at.CueEnd}
		if i, ok := byCue[key]; ok && at.CueStart >= 0 {
			for k := range set {
				sets[i][k] = true
			}
			continue
		}
		byCue[key] = len(out)
		out = append(out, at)
		sets = append(sets, set)
	}
	return out, sets
}
