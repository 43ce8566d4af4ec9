package claim

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"time"
)

// Span is a half-open byte range of an article.
type Span struct{ Start, End int }

// TrainingAttribution is one gold attribution: its source, cue and content
// as byte spans (each may have several fragments, as in PolNeAR).
type TrainingAttribution struct {
	Source, Cue, Content []Span
}

// TrainingArticle is an article with its gold attributions.
type TrainingArticle struct {
	Text         string
	Attributions []TrainingAttribution
}

// TrainOptions configure TrainEnglish.
type TrainOptions struct {
	// Epochs over the training articles; 0 means 8.
	Epochs int
	// Seed orders the articles of each epoch; the same seed gives the same model.
	Seed int64
	// AfterEpoch sees the averaged model after every epoch (model selection
	// on a development split); returning stop ends training.
	AfterEpoch func(epoch int, m *EnglishModel) (stop bool, err error)
	// MinWeight drops features whose averaged weights all stay below it in
	// magnitude, to keep the model small; 0 keeps all but zeros.
	MinWeight float64
	// Logf reports progress; nil is silent.
	Logf func(format string, args ...any)
}

// trainDoc is one prepared training article.
type trainDoc struct {
	d       *mdoc
	ri      *ruleInfo
	cueLab  []int
	roles   []trainRole
	cueAt   map[int]bool
	covered int // content tokens inside the role window
	content int // all content tokens
}

type trainRole struct {
	c      cueSpan
	labels map[int]int
}

// TrainEnglish learns the English cue and role taggers from gold articles
// with averaged perceptrons. The rule extractor's own proposals are
// features, so the model learns where to trust them.
func TrainEnglish(ctx context.Context, arts []TrainingArticle, opts TrainOptions) (*EnglishModel, error) {
	if opts.Epochs <= 0 {
		opts.Epochs = 8
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rules := New(Options{RulesOnly: true})
	var docs []*trainDoc
	var cov, all int
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		docs = append(docs, prepareTrain(rules, a))
		cov += docs[len(docs)-1].covered
		all += docs[len(docs)-1].content
	}
	if all > 0 {
		logf("claim: train: %d articles, %.3f of gold content tokens inside the role window", len(docs), float64(cov)/float64(all))
	}
	cueW, roleW := newTrainWeights(), newTrainWeights()
	rng := rand.New(rand.NewSource(opts.Seed))
	var m *EnglishModel
	for ep := 1; ep <= opts.Epochs; ep++ {
		start := time.Now()
		order := rng.Perm(len(docs))
		var errs, n int
		for _, di := range order {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			e, k := trainDocEpoch(docs[di], cueW, roleW)
			errs += e
			n += k
		}
		m = &EnglishModel{cue: cueW.averaged(opts.MinWeight), role: roleW.averaged(opts.MinWeight)}
		logf("claim: train: epoch %d: %d/%d token errors, %d+%d features, %s", ep, errs, n, len(m.cue), len(m.role), time.Since(start).Round(time.Millisecond))
		if opts.AfterEpoch != nil {
			stop, err := opts.AfterEpoch(ep, m)
			if err != nil {
				return nil, fmt.Errorf("claim: train: %w", err)
			}
			if stop {
				break
			}
		}
	}
	return m, nil
}

func prepareTrain(rules *Extractor, a TrainingArticle) *trainDoc {
	text := a.Text
	quotes := findQuotes(text)
	sents := splitSentences(text, quotes)
	d := prepareEN(text, quotes, sents)
	td := &trainDoc{d: d, cueLab: make([]int, len(d.toks)), cueAt: map[int]bool{}}
	td.ri = d.rulesOf(rules.Attributions("train", text, "en", time.Time{}))
	for _, g := range a.Attributions {
		c := cueSpan{-1, -1}
		for _, sp := range g.Cue {
			toks := d.tokensIn(sp.Start, sp.End)
			for k, i := range toks {
				td.cueAt[i] = true
				if td.cueLab[i] == 0 {
					td.cueLab[i] = 2
					if k == 0 {
						td.cueLab[i] = 1
					}
				}
				if c.a < 0 || i < c.a {
					c.a = i
				}
				if i > c.b {
					c.b = i
				}
			}
		}
		if c.a < 0 {
			continue
		}
		r := trainRole{c: c, labels: map[int]int{}}
		for _, sp := range g.Source {
			for _, i := range d.tokensIn(sp.Start, sp.End) {
				r.labels[i] = 1
			}
		}
		lo, hi := d.window(c)
		for _, sp := range g.Content {
			for _, i := range d.tokensIn(sp.Start, sp.End) {
				if i >= c.a && i <= c.b {
					continue
				}
				r.labels[i] = 2
				if d.toks[i].word {
					td.content++
					if i >= lo && i < hi {
						td.covered++
					}
				}
			}
		}
		td.roles = append(td.roles, r)
	}
	// a B right after a cue token of another fragment starts a new cue
	for i := range td.cueLab {
		if td.cueLab[i] == 2 && (i == 0 || td.cueLab[i-1] == 0) {
			td.cueLab[i] = 1
		}
	}
	return td
}

// trainDocEpoch makes one pass over an article: the cue tagger over every
// sentence, the role tagger over the window of every gold cue. Both are
// greedy, left to right, with the label they predicted for the previous
// token as a feature, as at extraction time.
func trainDocEpoch(td *trainDoc, cueW, roleW *trainWeights) (errs, n int) {
	d := td.d
	var f feats
	for _, sr := range d.sents {
		prev := 0
		for i := sr[0]; i < sr[1]; i++ {
			d.cueFeats(&f, i, sr[0], sr[1], prev, td.ri.cueTok[i])
			p := argmax(cueW.scores(f.fs))
			g := td.cueLab[i]
			cueW.update(f.fs, g, p)
			if p != g {
				errs++
			}
			n++
			prev = p
		}
	}
	for _, r := range td.roles {
		rc := d.roleContext(r.c, td.ri, td.cueAt)
		lo, hi := d.window(r.c)
		prev := 0
		for i := lo; i < hi; i++ {
			if i >= r.c.a && i <= r.c.b {
				prev = 0
				continue
			}
			d.roleFeats(&f, i, rc, prev)
			p := argmax(roleW.scores(f.fs))
			g := r.labels[i]
			roleW.update(f.fs, g, p)
			if p != g {
				errs++
			}
			n++
			prev = p
		}
	}
	return errs, n
}

// EnglishDiagnostics splits the learned model's errors into its two
// stages, measured on gold articles.
type EnglishDiagnostics struct {
	// CueP, CueR: predicted cues overlapping a gold cue, and gold cues
	// overlapping a predicted one.
	CueP, CueR float64
	// ContentP, ContentR: content tokens of the role tagger given the gold
	// cue; SourceAcc: share of gold cues whose predicted source shares a
	// token with the gold source (of those with a gold source).
	ContentP, ContentR, SourceAcc float64
	// Missed and Spurious count the lower-cased texts of gold cues the
	// tagger did not find and of predicted cues that are no gold cue.
	Missed, Spurious map[string]int
}

// Diagnose measures m's cue tagger and its role tagger on gold cues.
func (m *EnglishModel) Diagnose(arts []TrainingArticle) EnglishDiagnostics {
	rules := New(Options{RulesOnly: true})
	cueT, roleT := m.tables()
	var pc, pcOK, gc, gcOK, ctp, cpred, cgold, srcN, srcOK int
	missed, spurious := map[string]int{}, map[string]int{}
	for _, a := range arts {
		td := prepareTrain(rules, a)
		d := td.d
		cues := d.tagCues(cueT, td.ri)
		pred := map[int]bool{}
		for _, c := range cues {
			pc++
			hit := false
			for k := c.a; k <= c.b; k++ {
				pred[k] = true
				if td.cueAt[k] {
					hit = true
				}
			}
			if hit {
				pcOK++
			} else {
				spurious[strings.ToLower(d.text[d.toks[c.a].s:d.toks[c.b].e])]++
			}
		}
		for _, r := range td.roles {
			gc++
			found := false
			for k := r.c.a; k <= r.c.b; k++ {
				if pred[k] {
					found = true
					break
				}
			}
			if found {
				gcOK++
			} else {
				missed[strings.ToLower(d.text[d.toks[r.c.a].s:d.toks[r.c.b].e])]++
			}
			rc := d.roleContext(r.c, td.ri, td.cueAt)
			lo, labels := d.tagRoles(roleT, rc)
			hasSrc, okSrc := false, false
			for i, g := range r.labels {
				if g == 2 && d.toks[i].word {
					cgold++
				}
				if g == 1 {
					hasSrc = true
				}
			}
			for k, l := range labels {
				i := lo + k
				if !d.toks[i].word {
					continue
				}
				if l == 2 {
					cpred++
					if r.labels[i] == 2 {
						ctp++
					}
				}
				if l == 1 && r.labels[i] == 1 {
					okSrc = true
				}
			}
			if hasSrc {
				srcN++
				if okSrc {
					srcOK++
				}
			}
		}
	}
	div := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	return EnglishDiagnostics{CueP: div(pcOK, pc), CueR: div(gcOK, gc), ContentP: div(ctp, cpred), ContentR: div(ctp, cgold), SourceAcc: div(srcOK, srcN), Missed: missed, Spurious: spurious}
}
