package entity

import (
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Methods by which a mention was found.
const (
	MethodAlias      = "alias"      // a name or alias of the gazetteer
	MethodRole       = "role"       // a dated title resolved to its holder
	MethodSkeleton   = "skeleton"   // a cross-script consonant-skeleton match of a full name
	MethodDiscovered = "discovered" // a person not in the gazetteer
)

// ProvisionalPrefix starts the id of every discovered person.
const ProvisionalPrefix = "new:person:"

// Mention is one entity mention in a text.
type Mention struct {
	EntityID string `json:"entity_id"`
	Type     string `json:"type"`
	Surface  string `json:"surface"`
	Start    int    `json:"start"` // byte offsets into the matched text
	End      int    `json:"end"`
	Method   string `json:"method"`
	// Role is the title that introduced a discovered person ("Hamas official").
	Role string `json:"role,omitempty"`
}

// Options configure a Matcher.
type Options struct {
	// NoSkeleton turns off the cross-script skeleton fallback.
	NoSkeleton bool
	// NoDiscovery turns off discovery of people outside the gazetteer.
	NoDiscovery bool
	// Logger receives a debug line per new provisional entity; nil is silent.
	Logger *slog.Logger
}

// Matcher finds gazetteer entities and new people in text. It is safe for
// concurrent use; discovered people are shared by every call so that the
// same name found again gets the same provisional id.
type Matcher struct {
	g      *Gazetteer
	opts   Options
	log    *slog.Logger
	root   *node
	alt    map[string][]string // Arabic word as written -> root keys it may be, as written first
	skel   map[string]int      // skeleton key -> entity index; -1 when ambiguous
	skel1  map[string]bool     // first parts of skel keys, to skip most words fast
	mu     sync.RWMutex
	found  map[string]int  // provisional: name key -> index in disc
	fskel  map[string]int  // provisional: skeleton key -> index in disc
	first  map[string]bool // provisional: first words of found keys and first parts of fskel keys
	disc   []Entity
	noLink map[string]bool // name keys that are gazetteer names
}

type node struct {
	next map[string]*node
	hits []hit
}

type hit struct {
	ent      int
	role     bool
	from, to time.Time
	acronym  bool // WHO, US: the text must be upper case too
	capital  bool // a one-word name (Trump, Gallant): the text must be capitalized
}

// NewMatcher builds the lookup tables of g.
func NewMatcher(g *Gazetteer, opts Options) *Matcher {
	m := &Matcher{
		g:      g,
		opts:   opts,
		log:    opts.Logger,
		root:   &node{},
		skel:   map[string]int{},
		skel1:  map[string]bool{},
		first:  map[string]bool{},
		found:  map[string]int{},
		fskel:  map[string]int{},
		noLink: map[string]bool{},
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	defer m.buildAlt()
	for i, e := range g.entities {
		for _, ns := range e.Names {
			for _, n := range ns {
				m.add(n, hit{ent: i})
				if e.Type == TypePerson {
					if sk, ok := skeletonKey(tokenize(n)); ok {
						m.skel1[firstPart(sk)] = true
						if prev, dup := m.skel[sk]; dup && prev != i {
							m.skel[sk] = -1
						} else {
							m.skel[sk] = i
						}
					}
				}
			}
		}
		for _, r := range e.Roles {
			for _, ts := range r.Titles {
				for _, t := range ts {
					m.add(t, hit{ent: i, role: true, from: r.From, to: r.To})
				}
			}
		}
	}
	return m
}

// buildAlt indexes every clitic spelling of the Arabic first words of the
// trie, so that matching costs one lookup per word.
func (m *Matcher) buildAlt() {
	m.alt = map[string][]string{}
	keys := make([]string, 0, len(m.root.next))
	for k := range m.root.next {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !isArabicWord(k) {
			continue
		}
		forms := cliticForms(k)
		// A short first word of a longer name (حي in حي الزيتون) keeps its
		// proclitic too (وحي الزيتون): the rest of the name must follow, so
		// the length guard that protects lone short words is not needed.
		if n := m.root.next[k]; len(n.hits) == 0 && len(n.next) > 0 && runeCount(k) == 2 {
			for _, p := range proclitics[1:] {
				if !slices.Contains(forms, p+k) {
					forms = append(forms, p+k)
				}
			}
		}
		for _, f := range forms {
			if f == k {
				m.alt[f] = append([]string{k}, m.alt[f]...)
			} else {
				m.alt[f] = append(m.alt[f], k)
			}
		}
	}
}

func isArabicWord(w string) bool {
	for _, r := range w {
		if r >= 0x0600 && isArabicRune(r) {
			return true
		}
	}
	return false
}

func (m *Matcher) add(name string, h hit) {
	toks := tokenize(name)
	if len(toks) == 0 {
		return
	}
	if !h.role && !toks[0].arabic {
		letters := 0
		for _, r := range name {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
				letters++
			}
		}
		allUpper := true
		for _, t := range toks {
			allUpper = allUpper && t.upper
		}
		h.acronym = allUpper && letters <= 4
		h.capital = len(toks) == 1 && toks[0].capital
	}
	key := make([]string, len(toks))
	for i, t := range toks {
		key[i] = t.norm
	}
	for _, k := range nameVariants(key) {
		n := m.root
		for _, w := range k {
			if n.next == nil {
				n.next = map[string]*node{}
			}
			c := n.next[w]
			if c == nil {
				c = &node{}
				n.next[w] = c
			}
			n = c
		}
		n.hits = append(n.hits, h)
		if !h.role {
			m.noLink[strings.Join(k, " ")] = true
		}
	}
}

// span is a candidate mention over tokens [i, j).
type span struct {
	i, j   int
	ent    int    // gazetteer index, or -1 for provisional
	id     string // provisional id
	method string
	role   string
}

// Match returns the entity mentions of text, in text order. lang is the
// article language (ar or en; it only picks display names), published its
// date, used to resolve titles to the person who held them then (zero:
// the current holder).
func (m *Matcher) Match(text, lang string, published time.Time) []Mention {
	toks := tokenize(text)
	if len(toks) == 0 {
		return nil
	}
	covered := make([]int8, len(toks)) // 0 free, 1 gazetteer name, 2 role, 3 discovered, 4 gazetteer person
	var spans []span
	var variants []string
	for i := 0; i < len(toks); {
		sp, ok := m.longest(toks, i, published, &variants)
		if !ok {
			i++
			continue
		}
		spans = append(spans, sp)
		for k := sp.i; k < sp.j; k++ {
			switch {
			case sp.method == MethodRole:
				covered[k] = 2
			case m.g.entities[sp.ent].Type == TypePerson:
				covered[k] = 4
			default:
				covered[k] = 1
			}
		}
		i = sp.j
	}
	sk := computeSkels(toks)
	if !m.opts.NoSkeleton {
		spans = m.skeletonPass(toks, covered, spans, &sk)
	}
	if !m.opts.NoDiscovery {
		spans = m.discover(text, toks, covered, spans)
		spans = m.recall(text, toks, covered, spans, &sk)
	}
	spans = pruneRoles(toks, spans, m.g)
	sort.Slice(spans, func(a, b int) bool { return spans[a].i < spans[b].i })
	out := make([]Mention, 0, len(spans))
	for _, sp := range spans {
		mt := Mention{
			Start:    toks[sp.i].start,
			End:      toks[sp.j-1].end,
			Method:   sp.method,
			Role:     sp.role,
			Type:     TypePerson,
			EntityID: sp.id,
		}
		if sp.ent >= 0 {
			e := m.g.entities[sp.ent]
			mt.EntityID, mt.Type = e.ID, e.Type
		}
		mt.Surface = text[mt.Start:mt.End]
		out = append(out, mt)
	}
	return out
}

// longest finds the longest gazetteer name or title starting at token i,
// trying the word as written and without Arabic proclitics.
func (m *Matcher) longest(toks []token, i int, published time.Time, buf *[]string) (span, bool) {
	first := toks[i].norm
	var cands []string
	if toks[i].arabic {
		cands = m.alt[first]
	} else {
		cands = append((*buf)[:0], first)
		*buf = cands
	}
	best := span{ent: -1}
	found := false
	for _, w := range cands {
		n := m.root.next[w]
		j := i + 1
		for n != nil {
			if len(n.hits) > 0 {
				if ent, role, ok := m.pick(n.hits, toks, i, j, published); ok && (!found || j > best.j) {
					best = span{i: i, j: j, ent: ent, method: MethodAlias}
					if role {
						best.method = MethodRole
					}
					found = true
				}
			}
			if j >= len(toks) || toks[j-1].sep != sepNone || n.next == nil {
				break
			}
			n = n.next[toks[j].norm]
			j++
		}
	}
	return best, found
}

// pick chooses the one entity that the hits of a node name in this context.
func (m *Matcher) pick(hits []hit, toks []token, i, j int, published time.Time) (int, bool, bool) {
	ent, role, n := -1, false, 0
	for _, h := range hits {
		if h.acronym {
			ok := true
			for k := i; k < j; k++ {
				ok = ok && toks[k].upper
			}
			if !ok {
				continue
			}
		}
		if h.capital && !toks[i].capital {
			continue
		}
		if h.role {
			day := published
			if day.IsZero() {
				if !h.to.IsZero() {
					continue // without a date only the current holder
				}
			} else if !(Role{From: h.from, To: h.to}).Holds(day) {
				continue
			}
			if i > 0 && (toks[i-1].norm == "former" || toks[i-1].norm == "ex") {
				continue
			}
			if j < len(toks) && (toks[j].norm == "السابق" || toks[j].norm == "السابقه") {
				continue
			}
		}
		if ent != h.ent {
			n++
		}
		if ent == -1 || !h.role {
			role = h.role
		}
		ent = h.ent
	}
	if n != 1 {
		return -1, false, false
	}
	return ent, role, true
}

// skeletonPass links free runs of two to four name-like words to a
// gazetteer person when their consonant skeletons agree part by part.
func (m *Matcher) skeletonPass(toks []token, covered []int8, spans []span, sk *skels) []span {
	var kbuf [256]byte
	for i := 0; i < len(toks); i++ {
		if covered[i] != 0 || sk.kind[i] != skelPart || !toks[i].name || !m.skel1[string(sk.at(i))] {
			continue
		}
		kb, parts, letters := kbuf[:0], 0, 0
		best, bestEnt := -1, -1
		for j := i; j < len(toks) && j < i+4; j++ {
			if covered[j] != 0 || !toks[j].name || j > i && toks[j-1].sep != sepNone || sk.kind[j] == skelNone {
				break
			}
			if sk.kind[j] == skelPart {
				if parts > 0 {
					kb = append(kb, ' ')
				}
				kb = append(kb, sk.at(j)...)
				parts++
				letters += len(sk.at(j))
			}
			if parts >= 2 && letters >= 5 && !isArticle(toks[j].norm) {
				if ent, ok := m.skel[string(kb)]; ok && ent >= 0 {
					best, bestEnt = j+1, ent
				}
			}
		}
		if best > 0 {
			spans = append(spans, span{i: i, j: best, ent: bestEnt, method: MethodSkeleton})
			for k := i; k < best; k++ {
				covered[k] = 4
			}
			i = best - 1
		}
	}
	return spans
}

// Kinds of token skeletons.
const (
	skelPart = iota // a part of name keys
	skelSkip        // an article or honorific: left out of keys
	skelNone        // no consonants: never in a key
)

// skels holds the skeletons of a text's tokens in one buffer.
type skels struct {
	buf  []byte
	off  []int32
	kind []uint8
}

func computeSkels(toks []token) skels {
	s := skels{buf: make([]byte, 0, len(toks)*4), off: make([]int32, len(toks)+1), kind: make([]uint8, len(toks))}
	var tmp [64]byte
	for k, t := range toks {
		s.off[k] = int32(len(s.buf))
		switch {
		case t.norm == "" || isArticle(t.norm) || honorifics[t.norm]:
			s.kind[k] = skelSkip
		default:
			b := appendSkeleton(tmp[:0], t.norm, t.arabic)
			if len(b) == 0 {
				s.kind[k] = skelNone
			}
			s.buf = append(s.buf, b...)
		}
	}
	s.off[len(toks)] = int32(len(s.buf))
	return s
}

func (s *skels) at(k int) []byte { return s.buf[s.off[k]:s.off[k+1]] }

// freeRun reports whether tokens [i, j) are uncovered, name-like and not
// split by punctuation.
func freeRun(toks []token, covered []int8, i, j int) bool {
	for k := i; k < j; k++ {
		if covered[k] != 0 || !toks[k].name {
			return false
		}
		if k < j-1 && toks[k].sep != sepNone {
			return false
		}
	}
	return !isArticle(toks[j-1].norm)
}

// nameLike is a word that may be part of a person's name.
func nameLike(t token) bool {
	if t.arabic {
		return !arStop[t.norm] && runeCount(t.norm) >= 2
	}
	if isArticle(t.norm) || enConnector[t.norm] {
		return true
	}
	return t.capital && !t.upper && !enStop[t.norm] && len(t.norm) >= 2
}

// pruneRoles drops a title that stands beside its holder's name ("Egyptian
// President Abdel Fattah el-Sisi", "إبراهيم قالن رئيس جهاز الاستخبارات"):
// the name is the mention.
func pruneRoles(toks []token, spans []span, g *Gazetteer) []span {
	sort.Slice(spans, func(a, b int) bool { return spans[a].i < spans[b].i })
	isPerson := func(sp span) bool {
		return sp.method != MethodRole && (sp.ent < 0 || g.entities[sp.ent].Type == TypePerson)
	}
	near := func(a, b span) bool { // a right before b, or only honorifics (Sheikh, اللواء) between
		if a.j > b.i {
			return false
		}
		if toks[a.j-1].sep == sepSentence || toks[a.j-1].sep == sepOther {
			return false
		}
		for k := a.j; k < b.i; k++ {
			if !honorifics[toks[k].norm] || toks[k].sep != sepNone {
				return false
			}
		}
		return true
	}
	out := spans[:0]
	for k, sp := range spans {
		if sp.method == MethodRole {
			if k+1 < len(spans) && isPerson(spans[k+1]) && near(sp, spans[k+1]) {
				continue
			}
			if k > 0 && isPerson(spans[k-1]) && near(spans[k-1], sp) {
				continue
			}
		}
		out = append(out, sp)
	}
	return out
}

// Discovered returns the provisional people found so far, by id.
func (m *Matcher) Discovered() []Entity {
	m.mu.RLock()
	out := cloneEntities(m.disc)
	m.mu.RUnlock()
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// Entity returns a gazetteer or provisional entity by id.
func (m *Matcher) Entity(id string) (Entity, bool) {
	if e, ok := m.g.Get(id); ok {
		return e, true
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, e := range m.disc {
		if e.ID == id {
			return cloneEntities([]Entity{e})[0], true
		}
	}
	return Entity{}, false
}

// Resolve is Gazetteer.Resolve extended to the provisional people.
func (m *Matcher) Resolve(aliasOrID string) []string {
	if ids := m.g.Resolve(aliasOrID); ids != nil {
		return ids
	}
	toks := tokenize(aliasOrID)
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, e := range m.disc {
		if e.ID == strings.TrimSpace(aliasOrID) {
			return []string{e.ID}
		}
	}
	if k := joinNorm(toks); k != "" {
		if d, ok := m.found[k]; ok {
			return []string{m.disc[d].ID}
		}
	}
	if sk, ok := skeletonKey(toks); ok {
		if d, ok := m.fskel[sk]; ok {
			return []string{m.disc[d].ID}
		}
	}
	return nil
}

func joinNorm(toks []token) string {
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, t.norm)
	}
	return strings.Join(parts, " ")
}

// Summarize turns mentions into the per-entity counts stored with an
// article, most mentioned first. Names are display names in lang; a
// provisional person is named as first written.
func (m *Matcher) Summarize(ms []Mention, lang string) []document.EntityMention {
	idx := map[string]int{}
	var out []document.EntityMention
	for _, mt := range ms {
		if k, ok := idx[mt.EntityID]; ok {
			out[k].Count++
			continue
		}
		em := document.EntityMention{ID: mt.EntityID, Type: mt.Type, Count: 1, Name: mt.Surface}
		if e, ok := m.g.Get(mt.EntityID); ok {
			em.Name = e.Name(lang)
		} else if e, ok := m.Entity(mt.EntityID); ok {
			em.Name = e.Name(lang)
			em.Provisional = true
		} else {
			em.Provisional = strings.HasPrefix(mt.EntityID, ProvisionalPrefix)
		}
		idx[mt.EntityID] = len(out)
		out = append(out, em)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Count != out[b].Count {
			return out[a].Count > out[b].Count
		}
		return out[a].ID < out[b].ID
	})
	return out
}
