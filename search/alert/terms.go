package alert

import (
	"context"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum/levenshtein"
	vregexp "github.com/blevesearch/vellum/regexp"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Matching without bleve. A subscription's text query (the very query
// search.TextQuery builds) is compiled once into a tree of term
// conditions; a batch is turned once into, per text field, term -> set of
// batch documents, from the analysis the indexer already made. Evaluating
// a subscription is then a few bitset operations, with positions read
// only to confirm phrases. Each node reproduces what the bleve searcher of
// the same query does (see TestTermsAgreeWithBleve); a query holding
// anything else is not compiled and goes to bleve.

// docSet is a set of batch documents (or claims), one bit each.
type docSet []uint64

func newDocSet(n int) docSet { return make(docSet, (n+63)/64) }

func (d docSet) add(i int)      { d[i>>6] |= 1 << (uint(i) & 63) }
func (d docSet) has(i int) bool { return d[i>>6]&(1<<(uint(i)&63)) != 0 }

func (d docSet) empty() bool {
	for _, w := range d {
		if w != 0 {
			return false
		}
	}
	return true
}

// and returns d ∩ o in a new set.
func (d docSet) and(o docSet) docSet {
	out := make(docSet, len(d))
	for i := range d {
		out[i] = d[i] & o[i]
	}
	return out
}

func (d docSet) orIn(o docSet) {
	for i := range d {
		d[i] |= o[i]
	}
}

func (d docSet) andNotIn(o docSet) {
	for i := range d {
		d[i] &^= o[i]
	}
}

// each calls f for every member, in order.
func (d docSet) each(f func(i int)) {
	for wi, w := range d {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			f(wi*64 + b)
			w &^= 1 << uint(b)
		}
	}
}

// fieldTerms is one field's dictionary over the batch.
type fieldTerms struct {
	docs map[string]docSet
	once sync.Once
	list []string // sorted terms, for prefix, regexp and fuzzy scans
}

func (f *fieldTerms) sorted() []string {
	f.once.Do(func() {
		f.list = make([]string, 0, len(f.docs))
		for t := range f.docs {
			f.list = append(f.list, t)
		}
		sort.Strings(f.list)
	})
	return f.list
}

// batchTerms is a batch inverted: per text field, term -> documents.
// an keeps each document's analysis for phrase positions.
type batchTerms struct {
	n      int
	an     []indexer.Analysis
	fields map[string]*fieldTerms
}

// textFieldNames are the fields a text query may name, articles' and
// (analysed as article bodies) claims'.
var textFieldNames = func() map[string]bool {
	m := map[string]bool{}
	for _, fields := range indexer.TextFields {
		for _, f := range fields {
			m[f.Name] = true
		}
	}
	return m
}()

func newBatchTerms(an []indexer.Analysis) *batchTerms {
	bt := &batchTerms{n: len(an), an: an, fields: map[string]*fieldTerms{}}
	var names []string
	for _, a := range an {
		for name := range a {
			if textFieldNames[name] && bt.fields[name] == nil {
				bt.fields[name] = &fieldTerms{docs: make(map[string]docSet, 4096)}
				names = append(names, name)
			}
		}
	}
	// Fields are independent: one goroutine each, up to the CPUs.
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(names))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(names); k += workers {
				bt.fields[names[k]].build(an, names[k])
			}
		}()
	}
	wg.Wait()
	return bt
}

// build fills the field's dictionary from every document's analysis.
func (ft *fieldTerms) build(an []indexer.Analysis, name string) {
	words := (len(an) + 63) / 64
	// One slab for every set: tens of thousands of small allocations
	// were most of the build's cost.
	var slab []uint64
	for i, a := range an {
		for term := range a[name] {
			d := ft.docs[term]
			if d == nil {
				if len(slab) < words {
					slab = make([]uint64, words*1024)
				}
				d = docSet(slab[:words:words])
				slab = slab[words:]
				ft.docs[term] = d
			}
			d.add(i)
		}
	}
}

// termDocs returns the documents holding term in field (nil: none).
func (bt *batchTerms) termDocs(field, term string) docSet {
	if ft := bt.fields[field]; ft != nil {
		return ft.docs[term]
	}
	return nil
}

// analyzeText analyses a text the way the index does an article's (the
// same mapping and field code), for articles handed over without their
// analysis and for claims, whose texts are matched as article bodies.
func analyzeText(m mapping.IndexMapping, lang, title, body string) indexer.Analysis {
	doc := bdoc.NewDocument("")
	if err := m.MapDocument(doc, textDoc(lang, title, body)); err != nil {
		return nil
	}
	doc.VisitFields(func(f index.Field) {
		if textFieldNames[f.Name()] {
			f.Analyze()
		}
	})
	return indexer.AnalysisOf(doc)
}

// tnode is a compiled query: eval returns the members of within that match.
type tnode interface {
	eval(bt *batchTerms, within docSet) docSet
}

type (
	tNone struct{}
	tAnd  []tnode
	tOr   []tnode
	tBool struct{ must, not tnode } // not may be nil
	tTerm struct{ field, term string }
	// tPhrase holds the terms per position; an empty slot (a stop word
	// in the phrase) matches any term at its position.
	tPhrase struct {
		field string
		slots [][]string
	}
	tPrefix struct{ field, prefix string }
	tRegexp struct {
		field string
		re    *vregexp.Regexp
	}
	tFuzzy struct {
		field string
		dfa   *levenshtein.DFA
	}
)

func (tNone) eval(bt *batchTerms, within docSet) docSet { return newDocSet(bt.n) }

func (q tAnd) eval(bt *batchTerms, within docSet) docSet {
	out := within
	for _, k := range q {
		out = k.eval(bt, out)
		if out.empty() {
			break
		}
	}
	if len(q) == 0 {
		return newDocSet(bt.n) // bleve: a conjunction of nothing matches nothing
	}
	return out
}

func (q tOr) eval(bt *batchTerms, within docSet) docSet {
	out := newDocSet(bt.n)
	for _, k := range q {
		out.orIn(k.eval(bt, within))
	}
	return out
}

func (q tBool) eval(bt *batchTerms, within docSet) docSet {
	out := q.must.eval(bt, within)
	if q.not != nil && !out.empty() {
		out.andNotIn(q.not.eval(bt, out))
	}
	return out
}

func (q tTerm) eval(bt *batchTerms, within docSet) docSet {
	d := bt.termDocs(q.field, q.term)
	if d == nil {
		return newDocSet(bt.n)
	}
	return within.and(d)
}

func (q tPhrase) eval(bt *batchTerms, within docSet) docSet {
	cand := within
	for _, slot := range q.slots {
		if len(slot) == 0 {
			continue
		}
		any := newDocSet(bt.n)
		for _, t := range slot {
			if d := bt.termDocs(q.field, t); d != nil {
				any.orIn(d)
			}
		}
		cand = cand.and(any)
		if cand.empty() {
			return cand
		}
	}
	out := newDocSet(bt.n)
	cand.each(func(i int) {
		if phraseAt(bt.an[i][q.field], q.slots) {
			out.add(i)
		}
	})
	return out
}

// phraseAt reports whether some occurrence of the first slot's terms is
// followed, position by position, by the other slots' terms: bleve's
// phrase search with slop 0. A field indexed without term vectors has no
// positions, and bleve's phrase search finds nothing there either.
func phraseAt(tfs index.TokenFrequencies, slots [][]string) bool {
	if tfs == nil {
		return false
	}
	for _, t := range slots[0] {
		tf := tfs[t]
		if tf == nil {
			continue
		}
	starts:
		for _, loc := range tf.Locations {
			if len(loc.ArrayPositions) != 0 {
				continue
			}
			for k := 1; k < len(slots); k++ {
				if len(slots[k]) == 0 {
					continue
				}
				if !hasPosition(tfs, slots[k], loc.Position+k) {
					continue starts
				}
			}
			return true
		}
	}
	return false
}

func hasPosition(tfs index.TokenFrequencies, terms []string, pos int) bool {
	for _, t := range terms {
		if tf := tfs[t]; tf != nil {
			for _, loc := range tf.Locations {
				if loc.Position == pos && len(loc.ArrayPositions) == 0 {
					return true
				}
			}
		}
	}
	return false
}

func (q tPrefix) eval(bt *batchTerms, within docSet) docSet {
	out := newDocSet(bt.n)
	ft := bt.fields[q.field]
	if ft == nil {
		return out
	}
	list := ft.sorted()
	for i := sort.SearchStrings(list, q.prefix); i < len(list) && strings.HasPrefix(list[i], q.prefix); i++ {
		out.orIn(ft.docs[list[i]])
	}
	return within.and(out)
}

func (q tRegexp) eval(bt *batchTerms, within docSet) docSet {
	return scanTerms(bt, q.field, within, q.re.MatchesRegex)
}

func (q tFuzzy) eval(bt *batchTerms, within docSet) docSet {
	return scanTerms(bt, q.field, within, func(t string) bool {
		ok, _ := q.dfa.MatchAndDistance(t)
		return ok
	})
}

func scanTerms(bt *batchTerms, field string, within docSet, match func(string) bool) docSet {
	out := newDocSet(bt.n)
	ft := bt.fields[field]
	if ft == nil {
		return out
	}
	for t, d := range ft.docs {
		if match(t) {
			out.orIn(d)
		}
	}
	return within.and(out)
}

// The Levenshtein automata builders are costly to make and safe to share;
// scorch's fuzzy search uses the same ones (with transpositions).
var (
	levOnce sync.Once
	levB    [3]*levenshtein.LevenshteinAutomatonBuilder
	levErr  error
)

func levBuilder(fuzziness int) (*levenshtein.LevenshteinAutomatonBuilder, error) {
	levOnce.Do(func() {
		for d := 1; d <= 2; d++ {
			if levB[d], levErr = levenshtein.NewLevenshteinAutomatonBuilder(uint8(d), true); levErr != nil {
				return
			}
		}
	})
	return levB[fuzziness], levErr
}

// compileTerms turns a bleve query into a tnode, or reports false when
// the query holds something this matcher does not reproduce exactly.
func compileTerms(m mapping.IndexMapping, q query.Query) (tnode, bool) {
	switch q := q.(type) {
	case *query.MatchNoneQuery:
		return tNone{}, true
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return nil, false
		}
		out := make(tOr, 0, len(q.Disjuncts))
		for _, k := range q.Disjuncts {
			n, ok := compileTerms(m, k)
			if !ok {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	case *query.ConjunctionQuery:
		out := make(tAnd, 0, len(q.Conjuncts))
		for _, k := range q.Conjuncts {
			n, ok := compileTerms(m, k)
			if !ok {
				return nil, false
			}
			out = append(out, n)
		}
		return out, true
	case *query.BooleanQuery:
		// Only the shape search.TextQuery builds: required clauses,
		// optional should (min 0, it only scores) and exclusions.
		if q.Must == nil || q.Filter != nil {
			return nil, false
		}
		if _, none := q.Must.(*query.MatchNoneQuery); none {
			return nil, false
		}
		if q.Should != nil {
			d, ok := q.Should.(*query.DisjunctionQuery)
			if !ok || d.Min != 0 {
				return nil, false
			}
		}
		must, ok := compileTerms(m, q.Must)
		if !ok {
			return nil, false
		}
		b := tBool{must: must}
		if q.MustNot != nil {
			if b.not, ok = compileTerms(m, q.MustNot); !ok {
				return nil, false
			}
		}
		return b, true
	case *query.TermQuery:
		if !textFieldNames[q.FieldVal] {
			return nil, false
		}
		return tTerm{q.FieldVal, q.Term}, true
	case *query.MatchQuery:
		if !textFieldNames[q.FieldVal] || q.Fuzziness != 0 {
			return nil, false
		}
		toks, ok := tokens(m, q.Analyzer, q.FieldVal, q.Match)
		if !ok {
			return nil, false
		}
		if len(toks) == 0 {
			return tNone{}, true
		}
		kids := make([]tnode, len(toks))
		for i, t := range toks {
			kids[i] = tTerm{q.FieldVal, string(t.Term)}
		}
		switch q.Operator {
		case query.MatchQueryOperatorAnd:
			return tAnd(kids), true
		case query.MatchQueryOperatorOr:
			return tOr(kids), true
		}
		return nil, false
	case *query.MatchPhraseQuery:
		if !textFieldNames[q.FieldVal] || q.Fuzziness != 0 {
			return nil, false
		}
		toks, ok := tokens(m, q.Analyzer, q.FieldVal, q.MatchPhrase)
		if !ok {
			return nil, false
		}
		if len(toks) == 0 {
			return tNone{}, true
		}
		// As bleve's tokenStreamToPhrase: terms grouped by position,
		// counted from the first.
		first, last := toks[0].Position, toks[0].Position
		for _, t := range toks {
			first, last = min(first, t.Position), max(last, t.Position)
		}
		slots := make([][]string, last-first+1)
		for _, t := range toks {
			slots[t.Position-first] = append(slots[t.Position-first], string(t.Term))
		}
		return tPhrase{field: q.FieldVal, slots: slots}, true
	case *query.PrefixQuery:
		if !textFieldNames[q.FieldVal] {
			return nil, false
		}
		return tPrefix{q.FieldVal, q.Prefix}, true
	case *query.RegexpQuery:
		if !textFieldNames[q.FieldVal] {
			return nil, false
		}
		re, err := vregexp.New(strings.TrimPrefix(q.Regexp, "^"))
		if err != nil {
			return nil, false // bleve reports the error
		}
		return tRegexp{q.FieldVal, re}, true
	case *query.FuzzyQuery:
		if !textFieldNames[q.FieldVal] || q.Prefix != 0 || q.Fuzziness < 0 || q.Fuzziness > 2 {
			return nil, false
		}
		if q.Fuzziness == 0 {
			return tTerm{q.FieldVal, q.Term}, true
		}
		b, err := levBuilder(q.Fuzziness)
		if err != nil {
			return nil, false
		}
		dfa, err := b.BuildDfa(q.Term, uint8(q.Fuzziness))
		if err != nil {
			return nil, false
		}
		return tFuzzy{q.FieldVal, dfa}, true
	}
	return nil, false
}

type token struct {
	Term     []byte
	Position int
}

// tokens analyses text as a bleve match query on field would.
func tokens(m mapping.IndexMapping, analyzer, field, text string) ([]token, bool) {
	if analyzer == "" {
		analyzer = m.AnalyzerNameForPath(field)
	}
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		return nil, false
	}
	ts := a.Analyze([]byte(text))
	out := make([]token, len(ts))
	for i, t := range ts {
		out[i] = token{Term: slices.Clone(t.Term), Position: t.Position}
	}
	return out, true
}

// filterSets are the batch's documents per lang, source, entity and
// claim speaker, so the cheap filters are set intersections too.
type filterSets struct {
	all                             docSet
	lang, source, entity, speakerOf map[string]docSet
}

func newFilterSets(docs []document.Article) *filterSets {
	n := len(docs)
	f := &filterSets{all: newDocSet(n), lang: map[string]docSet{}, source: map[string]docSet{},
		entity: map[string]docSet{}, speakerOf: map[string]docSet{}}
	put := func(m map[string]docSet, k string, i int) {
		d := m[k]
		if d == nil {
			d = newDocSet(n)
			m[k] = d
		}
		d.add(i)
	}
	for i, a := range docs {
		f.all.add(i)
		put(f.lang, a.Lang, i)
		put(f.source, a.Source, i)
		for _, e := range a.Entities {
			put(f.entity, e.ID, i)
		}
		for _, c := range a.Claims {
			put(f.speakerOf, c.SpeakerID, i)
		}
	}
	return f
}

// candidates are the documents passing sub's lang, source, entity and
// speaker filters (as match's loop decides them).
func (f *filterSets) candidates(sub Subscription, speakers map[string]bool) docSet {
	out := slices.Clone(f.all) // callers may change it
	pick := func(m map[string]docSet, k string) {
		if d := m[k]; d != nil {
			out = out.and(d)
		} else {
			out = make(docSet, len(f.all))
		}
	}
	if sub.Lang != "" {
		pick(f.lang, sub.Lang)
	}
	if sub.Source != "" {
		pick(f.source, sub.Source)
	}
	for _, id := range sub.Entities {
		pick(f.entity, id)
	}
	if speakers != nil {
		any := make(docSet, len(f.all))
		for id := range speakers {
			if d := f.speakerOf[id]; d != nil {
				any.orIn(d)
			}
		}
		out = out.and(any)
	}
	return out
}

// termsView fills v for MatchTerms: the handed-over analysis inverted
// (articles without one are analysed here), the claims' texts analysed
// when a claims-only subscription has text, and bleve indexes only for a
// subscription whose text did not compile.
func (s *Service) termsView(ctx context.Context, v *batchView, an []indexer.Analysis, cs *compiledSet) (*batchView, func(), error) {
	v.terms = true
	v.filterSets = newFilterSets(v.docs)
	var docFallback, claimFallback bool
	for _, c := range cs.subs {
		if c.text != nil && c.tm == nil {
			if c.sub.ClaimsOnly {
				claimFallback = true
			} else {
				docFallback = true
			}
		}
	}
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	if cs.docText {
		for i, a := range v.docs {
			if an[i] == nil {
				an[i] = analyzeText(s.mapping, a.Lang, a.Title, a.Body)
			}
		}
		v.docTerms = newBatchTerms(an)
		if docFallback {
			if s.opts.Index != nil {
				v.textIdx = s.opts.Index.Index()
			} else {
				idx, err := s.memIndex(ctx, v.docs, nil, nil)
				if err != nil {
					return nil, nil, err
				}
				v.textIdx = idx
				closers = append(closers, func() { idx.Close() })
			}
		}
	}
	for i, a := range v.docs {
		for k, c := range a.Claims {
			v.claimRefs = append(v.claimRefs, claimRef{doc: i, claim: c, idx: k})
		}
	}
	if cs.claimsText && len(v.claimRefs) > 0 {
		// Only the claims some subscription may ask about are analysed.
		can := make([]indexer.Analysis, len(v.claimRefs))
		for k, r := range v.claimRefs {
			if sp := cs.claimSpeakers; sp != nil && !sp[r.claim.SpeakerID] {
				continue
			}
			lang := r.claim.Lang
			if lang == "" {
				lang = v.docs[r.doc].Lang
			}
			can[k] = analyzeText(s.mapping, lang, "", r.claim.Text)
		}
		if err := ctxErr(ctx); err != nil {
			closeAll()
			return nil, nil, err
		}
		v.claimBT = newBatchTerms(can)
		if claimFallback {
			var claims []document.Claim
			for _, r := range v.claimRefs {
				claims = append(claims, r.claim)
			}
			idx, err := s.claimsIndex(ctx, v.docs, claims, cs)
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			v.claims = idx
			closers = append(closers, func() { idx.Close() })
		}
	}
	return v, closeAll, nil
}

// matchTerms is match for MatchTerms.
func (s *Service) matchTerms(ctx context.Context, v *batchView, c *compiled) ([]hit, error) {
	sub := c.sub
	cand := v.filterSets.candidates(sub, c.speakers)
	if cand.empty() {
		return nil, nil
	}
	if sub.ClaimsOnly {
		return s.matchClaimsTerms(ctx, v, c, cand)
	}
	if c.text != nil {
		if c.tm != nil {
			cand = c.tm.eval(v.docTerms, cand)
		} else {
			var ids []string
			cand.each(func(i int) { ids = append(ids, v.docs[i].ID) })
			found, err := searchIDs(ctx, v.textIdx, c.text, ids)
			if err != nil {
				return nil, err
			}
			kept := newDocSet(len(v.docs))
			cand.each(func(i int) {
				if found[v.docs[i].ID] {
					kept.add(i)
				}
			})
			cand = kept
		}
	}
	var hits []hit
	cand.each(func(i int) { hits = append(hits, docHit(v.docs[i], i, c.speakers)) })
	return hits, nil
}

func (s *Service) matchClaimsTerms(ctx context.Context, v *batchView, c *compiled, cand docSet) ([]hit, error) {
	set := newDocSet(len(v.claimRefs))
	found := false
	for k, r := range v.claimRefs {
		if cand.has(r.doc) && (c.speakers == nil || c.speakers[r.claim.SpeakerID]) {
			set.add(k)
			found = true
		}
	}
	if !found {
		return nil, nil
	}
	if c.text != nil {
		if v.claimBT == nil {
			return nil, nil
		}
		if c.tm != nil {
			set = c.tm.eval(v.claimBT, set)
		} else {
			if v.claims == nil {
				return nil, nil
			}
			var ids []string
			var ks []int
			set.each(func(k int) {
				ids = append(ids, claimKey(v.claimRefs[k].claim, k))
				ks = append(ks, k)
			})
			got, err := searchIDs(ctx, v.claims, c.text, ids)
			if err != nil {
				return nil, err
			}
			set = newDocSet(len(v.claimRefs))
			for j, id := range ids {
				if got[id] {
					set.add(ks[j])
				}
			}
		}
	}
	var hits []hit
	at := map[int]int{}
	set.each(func(k int) {
		r := v.claimRefs[k]
		j, ok := at[r.doc]
		if !ok {
			j = len(hits)
			at[r.doc] = j
			hits = append(hits, hit{doc: r.doc})
		}
		hits[j].claims = append(hits[j].claims, r.claim)
		hits[j].idx = append(hits[j].idx, r.idx)
	})
	return hits, nil
}
