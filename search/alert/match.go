package alert

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Claims per alert: those that matched (claims-only, speaker) up to the
// first limit; for other subscriptions the article's first few claims, as
// context, so that a broad subscription does not carry every quote.
const (
	maxClaimsPerAlert = 20
	contextClaims     = 3
)

// Alert is one story matched by one subscription: what the webhook body
// and the Atom entry say.
type Alert struct {
	ID               string           `json:"id"`
	SubscriptionID   string           `json:"subscription_id"`
	SubscriptionName string           `json:"subscription_name"`
	Created          time.Time        `json:"created"`
	Story            Story            `json:"story"`
	Claims           []document.Claim `json:"claims"`
}

// Story is the matched story cluster: the batch's documents of it.
type Story struct {
	ClusterID string     `json:"cluster_id"`
	Documents []StoryDoc `json:"documents"`
}

// StoryDoc is one article of a story.
type StoryDoc struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Lang      string    `json:"lang"`
	Published time.Time `json:"published"`
}

type compiled struct {
	sub      Subscription
	text     query.Query // nil: no text condition
	pre      *prefilter  // nil: always search
	tm       tnode       // text compiled for MatchTerms; nil: bleve decides
	speakers map[string]bool
}

type compiledSet struct {
	subs       []*compiled
	claimsText bool // some claims-only subscription has text
	// claimSpeakers are the speakers whose claims those subscriptions
	// search; nil means every claim (one of them names no speaker).
	claimSpeakers map[string]bool
	docText       bool // some article subscription has text
}

func (s *Service) compiledSubs(ctx context.Context) (*compiledSet, error) {
	s.mu.RLock()
	cs := s.cache
	s.mu.RUnlock()
	if cs != nil {
		return cs, nil
	}
	subs, err := s.Subscriptions(ctx)
	if err != nil {
		return nil, err
	}
	cs = &compiledSet{claimSpeakers: map[string]bool{}}
	for _, sub := range subs {
		cs.subs = append(cs.subs, s.compile(sub))
		if sub.Query != "" {
			if sub.ClaimsOnly {
				cs.claimsText = true
				if len(sub.Speaker) == 0 {
					cs.claimSpeakers = nil
				}
				for _, id := range sub.Speaker {
					if cs.claimSpeakers != nil {
						cs.claimSpeakers[id] = true
					}
				}
			} else {
				cs.docText = true
			}
		}
	}
	s.mu.Lock()
	s.cache = cs
	s.mu.Unlock()
	return cs, nil
}

func (s *Service) compile(sub Subscription) *compiled {
	c := &compiled{sub: sub}
	if sub.Query != "" {
		c.text = textQuery(s.mapping, sub.Query, sub.Lang)
		if c.text == nil {
			c.text = bleve.NewMatchNoneQuery()
		}
		if s.opts.Strategy != MatchTerms {
			c.pre = newPrefilter(s.mapping, sub.Query, sub.Lang)
		}
		if tm, ok := compileTerms(s.mapping, c.text); ok {
			c.tm = tm
		}
	}
	if len(sub.Speaker) > 0 {
		c.speakers = map[string]bool{}
		for _, id := range sub.Speaker {
			c.speakers[id] = true
		}
	}
	return c
}

// hit is one matched article of a batch with the claims to report (idx:
// their positions in the article's Claims).
type hit struct {
	doc    int
	claims []document.Claim
	idx    []int
}

// batchView is what every subscription of one batch is evaluated against.
type batchView struct {
	docs    []document.Article
	byID    map[string]int
	textIdx bleve.Index // articles (main index or in-memory batch index)
	claims  bleve.Index // claim texts of the batch, in memory; nil if unneeded
	keys    [][]string  // story keys per doc, computed on first use
	keysMu  sync.Mutex
	// The snapshot of each matched doc and its key (allStoryKeys).
	snaps, snapKeys [][]byte
	// Terms of the batch's articles and claims per field, for the
	// prefilter; nil means unknown (search everything).
	textTerms, claimTerms termSet

	// MatchTerms: the batch inverted, its claims likewise (claimRefs
	// numbers every claim of the batch in order), and the filters' sets.
	terms      bool
	docTerms   *batchTerms
	claimRefs  []claimRef
	claimBT    *batchTerms
	filterSets *filterSets
}

type claimRef struct {
	doc   int
	claim document.Claim
	idx   int // in the article's Claims
}

// OnBatch matches a committed batch against every subscription and
// records new alerts with their outbox entries in one bbolt transaction.
// The indexer calls it after each committed batch.
func (s *Service) OnBatch(ctx context.Context, batch []document.Article) error {
	_, err := s.onBatch(ctx, batch, nil)
	return err
}

// OnAnalyzedBatch is OnBatch for a batch handed over with the index's
// analysis of each article (an[i] belongs to batch[i], as
// indexer.Options.OnBatch gives it), so that matching need not analyse
// the articles again. A nil or short an is analysed here.
func (s *Service) OnAnalyzedBatch(ctx context.Context, batch []document.Article, an []indexer.Analysis) error {
	_, err := s.onBatch(ctx, batch, an)
	return err
}

// onBatch returns the number of new alerts.
func (s *Service) onBatch(ctx context.Context, batch []document.Article, an []indexer.Analysis) (int, error) {
	if len(batch) == 0 {
		return 0, nil
	}
	cs, err := s.compiledSubs(ctx)
	if err != nil {
		return 0, err
	}
	if len(cs.subs) == 0 {
		return 0, s.clearJournal(batch)
	}
	s.matchMu.Lock()
	defer s.matchMu.Unlock()
	view, closeView, err := s.view(ctx, batch, an, cs)
	if err != nil {
		return 0, err
	}
	defer closeView()
	hits, err := s.matchAll(ctx, view, cs)
	if err != nil {
		return 0, err
	}
	n, err := s.record(ctx, view, cs, hits)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.logger.Info("alerts matched", "docs", len(view.docs), "subscriptions", len(cs.subs), "alerts", n)
		s.notify()
	}
	return n, nil
}

func (s *Service) view(ctx context.Context, batch []document.Article, an []indexer.Analysis, cs *compiledSet) (*batchView, func(), error) {
	v := &batchView{byID: make(map[string]int, len(batch))}
	if len(an) != len(batch) {
		an = nil
	}
	var docAn []indexer.Analysis
	for bi, a := range batch {
		var ai indexer.Analysis
		if an != nil {
			ai = an[bi]
		}
		if i, ok := v.byID[a.ID]; ok {
			v.docs[i] = a // the later version of an article put twice wins
			docAn[i] = ai
			continue
		}
		v.byID[a.ID] = len(v.docs)
		v.docs = append(v.docs, a)
		docAn = append(docAn, ai)
	}
	var closers []func()
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	if s.opts.Strategy == MatchTerms {
		return s.termsView(ctx, v, docAn, cs)
	}
	if cs.docText {
		if s.opts.Strategy == MatchIndex {
			v.textIdx = s.opts.Index.Index()
			if !s.opts.NoPrefilter {
				v.textTerms = analyzeTerms(s.mapping, v.docs)
			}
		} else {
			idx, err := s.memIndex(ctx, v.docs, nil, nil)
			if err != nil {
				return nil, nil, err
			}
			v.textIdx = idx
			closers = append(closers, func() { idx.Close() })
			if !s.opts.NoPrefilter {
				if v.textTerms, err = dictTerms(idx); err != nil {
					closeAll()
					return nil, nil, fmt.Errorf("alert: batch terms: %w", err)
				}
			}
		}
	}
	if cs.claimsText {
		var claims []document.Claim
		for _, a := range v.docs {
			claims = append(claims, a.Claims...)
		}
		if len(claims) > 0 {
			idx, err := s.claimsIndex(ctx, v.docs, claims, cs)
			if err != nil {
				closeAll()
				return nil, nil, err
			}
			v.claims = idx
			closers = append(closers, func() { idx.Close() })
			if !s.opts.NoPrefilter {
				if v.claimTerms, err = dictTerms(idx); err != nil {
					closeAll()
					return nil, nil, fmt.Errorf("alert: claim terms: %w", err)
				}
			}
		}
	}
	return v, closeAll, nil
}

// claimsIndex indexes in memory the claims of a batch that some
// subscription may ask about (by its speakers, when every claims
// subscription names them).
func (s *Service) claimsIndex(ctx context.Context, docs []document.Article, claims []document.Claim, cs *compiledSet) (bleve.Index, error) {
	var keep func(document.Claim) bool
	if sp := cs.claimSpeakers; sp != nil {
		keep = func(c document.Claim) bool { return sp[c.SpeakerID] }
	}
	return s.memIndex(ctx, docs, claims, keep)
}

// memIndex indexes docs (or, when claims is not nil, the claims' texts
// under claimKey ids) with the main index's mapping, so text analysis is
// the same as the main index's.
func (s *Service) memIndex(ctx context.Context, docs []document.Article, claims []document.Claim, keep func(document.Claim) bool) (bleve.Index, error) {
	// Scorch in memory (path "") builds one segment per batch, several
	// times faster than NewMemOnly's row store.
	idx, err := bleve.NewUsing("", s.mapping, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("alert: memory index: %w", err)
	}
	b := idx.NewBatch()
	if claims == nil {
		for _, a := range docs {
			if err := b.Index(a.ID, textDoc(a.Lang, a.Title, a.Body)); err != nil {
				idx.Close()
				return nil, fmt.Errorf("alert: memory index: %w", err)
			}
		}
	} else {
		for i, c := range claims {
			if keep != nil && !keep(c) {
				continue // keys stay numbered over all claims, as matchClaims counts
			}
			if err := b.Index(claimKey(c, i), textDoc(claimLang(c, docs), "", c.Text)); err != nil {
				idx.Close()
				return nil, fmt.Errorf("alert: memory index: %w", err)
			}
		}
	}
	if err := ctxErr(ctx); err != nil {
		idx.Close()
		return nil, err
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("alert: memory index: %w", err)
	}
	return idx, nil
}

func claimKey(c document.Claim, i int) string { return fmt.Sprintf("%s#%d", c.DocID, i) }

func claimLang(c document.Claim, docs []document.Article) string {
	if c.Lang != "" {
		return c.Lang
	}
	for _, a := range docs {
		if a.ID == c.DocID {
			return a.Lang
		}
	}
	return ""
}

// textDoc mirrors the main index's text fields (indexer.TextFields): an
// article's text goes to its language's fields, English when unknown.
func textDoc(lang, title, body string) map[string]any {
	if _, ok := indexer.TextFields[lang]; !ok {
		lang = document.LangEnglish
	}
	d := map[string]any{indexer.FieldLang: lang}
	for _, f := range indexer.TextFields[lang] {
		if f.IsBody() {
			d[f.Name] = body
		} else if title != "" {
			d[f.Name] = title
		}
	}
	return d
}

// matchAll evaluates every subscription, spread over the CPUs.
func (s *Service) matchAll(ctx context.Context, v *batchView, cs *compiledSet) ([][]hit, error) {
	out := make([][]hit, len(cs.subs))
	errs := make([]error, len(cs.subs))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(cs.subs))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(cs.subs) || ctx.Err() != nil {
					return
				}
				out[i], errs[i] = s.match(ctx, v, cs.subs[i])
			}
		}()
	}
	wg.Wait()
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("alert: match subscription %q: %w", cs.subs[i].sub.Name, err)
		}
	}
	return out, nil
}

// match evaluates one subscription: the cheap filters (lang, source,
// entities, speaker) first in Go, then the text on the survivors only.
func (s *Service) match(ctx context.Context, v *batchView, c *compiled) ([]hit, error) {
	if v.terms {
		return s.matchTerms(ctx, v, c)
	}
	sub := c.sub
	if c.text != nil {
		terms := v.textTerms
		if sub.ClaimsOnly {
			terms = v.claimTerms
		}
		if !c.pre.possible(terms) {
			return nil, nil
		}
	}
	var cand []int
	for i, a := range v.docs {
		if sub.Lang != "" && a.Lang != sub.Lang {
			continue
		}
		if sub.Source != "" && a.Source != sub.Source {
			continue
		}
		if !mentionsAll(a, sub.Entities) {
			continue
		}
		if c.speakers != nil && !hasSpeaker(a, c.speakers) {
			continue
		}
		cand = append(cand, i)
	}
	if len(cand) == 0 {
		return nil, nil
	}
	if sub.ClaimsOnly {
		return s.matchClaims(ctx, v, c, cand)
	}
	if c.text != nil {
		ids := make([]string, len(cand))
		for k, i := range cand {
			ids[k] = v.docs[i].ID
		}
		found, err := searchIDs(ctx, v.textIdx, c.text, ids)
		if err != nil {
			return nil, err
		}
		kept := cand[:0]
		for _, i := range cand {
			if found[v.docs[i].ID] {
				kept = append(kept, i)
			}
		}
		cand = kept
	}
	hits := make([]hit, 0, len(cand))
	for _, i := range cand {
		hits = append(hits, docHit(v.docs[i], i, c.speakers))
	}
	return hits, nil
}

// docHit is doc i's hit: with the claims of the speakers asked about, or
// else the first few claims as context.
func docHit(a document.Article, i int, speakers map[string]bool) hit {
	h := hit{doc: i}
	for k, cl := range a.Claims {
		if speakers == nil && len(h.claims) >= contextClaims {
			break
		}
		if speakers == nil || speakers[cl.SpeakerID] {
			h.claims = append(h.claims, cl)
			h.idx = append(h.idx, k)
		}
	}
	return h
}

func (s *Service) matchClaims(ctx context.Context, v *batchView, c *compiled, cand []int) ([]hit, error) {
	type ref struct {
		doc   int
		claim document.Claim
		idx   int
	}
	var refs []ref
	var ids []string
	isCand := make([]bool, len(v.docs))
	for _, i := range cand {
		isCand[i] = true
	}
	n := 0 // claim keys count over the whole batch, as memIndex numbers them
	for i, a := range v.docs {
		for ci, cl := range a.Claims {
			k := claimKey(cl, n)
			n++
			if !isCand[i] || (c.speakers != nil && !c.speakers[cl.SpeakerID]) {
				continue
			}
			refs = append(refs, ref{doc: i, claim: cl, idx: ci})
			ids = append(ids, k)
		}
	}
	keep := make([]bool, len(refs))
	for k := range keep {
		keep[k] = true
	}
	if c.text != nil && len(ids) > 0 {
		if v.claims == nil {
			return nil, nil
		}
		found, err := searchIDs(ctx, v.claims, c.text, ids)
		if err != nil {
			return nil, err
		}
		for k, id := range ids {
			keep[k] = found[id]
		}
	}
	var hits []hit
	at := map[int]int{}
	for k, r := range refs {
		if !keep[k] {
			continue
		}
		j, ok := at[r.doc]
		if !ok {
			j = len(hits)
			at[r.doc] = j
			hits = append(hits, hit{doc: r.doc})
		}
		hits[j].claims = append(hits[j].claims, r.claim)
		hits[j].idx = append(hits[j].idx, r.idx)
	}
	return hits, nil
}

// searchIDs returns which of ids match q in idx.
func searchIDs(ctx context.Context, idx bleve.Index, q query.Query, ids []string) (map[string]bool, error) {
	scoped := bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), q)
	req := bleve.NewSearchRequestOptions(scoped, len(ids), 0, false)
	req.Score = "none"
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	found := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		found[h.ID] = true
	}
	return found, nil
}

func mentionsAll(a document.Article, ids []string) bool {
	for _, id := range ids {
		ok := false
		for _, e := range a.Entities {
			if e.ID == id {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func hasSpeaker(a document.Article, speakers map[string]bool) bool {
	for _, c := range a.Claims {
		if speakers[c.SpeakerID] {
			return true
		}
	}
	return false
}

// storyKeys returns the story keys of doc i, folding its text once per batch.
func (v *batchView) storyKeys(i int) []string {
	v.keysMu.Lock()
	defer v.keysMu.Unlock()
	if v.keys == nil {
		v.keys = make([][]string, len(v.docs))
	}
	if v.keys[i] == nil {
		v.keys[i] = storyKeys(v.docs[i])
	}
	return v.keys[i]
}

// allStoryKeys computes the story keys of every matched document, spread
// over the CPUs, before the write transaction, which holds bbolt's lock.
func (v *batchView) allStoryKeys(hits [][]hit) {
	v.keysMu.Lock()
	defer v.keysMu.Unlock()
	if v.keys == nil {
		v.keys = make([][]string, len(v.docs))
	}
	v.snaps, v.snapKeys = make([][]byte, len(v.docs)), make([][]byte, len(v.docs))
	need := make([]bool, len(v.docs))
	var todo []int
	for _, hs := range hits {
		for _, h := range hs {
			if !need[h.doc] {
				need[h.doc] = true
				todo = append(todo, h.doc)
			}
		}
	}
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(todo); k += workers {
				i := todo[k]
				v.keys[i] = storyKeys(v.docs[i])
				v.snaps[i] = encodeSnapshot(v.docs[i])
				v.snapKeys[i] = snapshotKey(v.docs[i], v.snaps[i])
			}
		}()
	}
	wg.Wait()
}

// storyKeys are the keys under which an article's story is remembered per
// subscription: its id (re-ingests and updates), its cluster when known,
// else its normalized body and title (reprints of one wire story). The
// first key names the story.
func storyKeys(a document.Article) []string {
	var keys []string
	if a.ClusterID != "" {
		keys = append(keys, "c:"+a.ClusterID)
	} else {
		if body := fold(a.Body); len([]rune(body)) >= 40 {
			keys = append(keys, "b:"+shortHash(body))
		}
		if title := fold(a.Title); len(strings.Fields(title)) >= 4 {
			keys = append(keys, "t:"+shortHash(title))
		}
	}
	return append(keys, "d:"+a.ID)
}

// fold reduces text to its normalized words, so that punctuation,
// diacritics and spacing differences between outlets do not matter.
func fold(s string) string {
	s = arabic.Normalize(s)
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}), " ")
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

func storyID(key string) string {
	switch {
	case strings.HasPrefix(key, "c:"):
		return key[2:]
	case strings.HasPrefix(key, "d:"):
		return "doc-" + key[2:]
	}
	return "content-" + key[2:]
}

// record writes, in one transaction, the alerts of every subscription
// with their seen keys and outbox entries.
func (s *Service) record(ctx context.Context, v *batchView, cs *compiledSet, hits [][]hit) (int, error) {
	now := s.opts.Now().UTC()
	total := 0
	for _, h := range hits {
		total += len(h)
	}
	journaled := s.journaled.Load()
	if total == 0 && !journaled {
		return 0, nil
	}
	if err := ctxErr(ctx); err != nil {
		return 0, err
	}
	v.allStoryKeys(hits)
	made := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		made = 0
		if journaled {
			j := tx.Bucket(bucketJournal)
			for _, a := range v.docs {
				if err := j.Delete([]byte(a.ID)); err != nil {
					return err
				}
			}
		}
		seen := newSeenSet(tx)
		ws := writeSet{}
		snapPut := map[int]bool{}
		for si, hs := range hits {
			if len(hs) == 0 {
				continue
			}
			sub := cs.subs[si].sub
			// Reread: a 410 may have disabled a target since the cache was built.
			if cur, found, err := lookup(tx, sub.ID); err != nil {
				return err
			} else if !found {
				continue
			} else {
				sub = cur
			}
			getSeen := func(k string) ([]byte, error) {
				id, err := seen.get(sub.ID, k)
				if id == "" {
					return nil, err
				}
				return []byte(id), err
			}
			putSeen := func(k string, v []byte) error { return seen.put(sub.ID, k, string(v)) }
			var stories []*Alert
			recs := map[*Alert]*alertRecord{}
			group := map[string]*Alert{}
			storyKeys := map[*Alert][]string{}
			for _, h := range hs {
				a := v.docs[h.doc]
				keys := v.storyKeys(h.doc)
				var old []byte
				for _, k := range keys {
					var err error
					if old, err = getSeen(k); err != nil {
						return err
					} else if old != nil {
						break
					}
				}
				if old != nil {
					// Already alerted: remember this version's keys too.
					for _, k := range keys {
						if err := putSeen(k, old); err != nil {
							return err
						}
					}
					continue
				}
				var al *Alert
				for _, k := range keys {
					if al = group[k]; al != nil {
						break
					}
				}
				if al == nil {
					al = &Alert{
						ID:               alertID(sub.ID, keys[0]),
						SubscriptionID:   sub.ID,
						SubscriptionName: sub.Name,
						Created:          now,
						Story:            Story{ClusterID: storyID(keys[0])},
						Claims:           []document.Claim{},
					}
					stories = append(stories, al)
					recs[al] = &alertRecord{al: al}
				}
				for _, k := range keys {
					if group[k] == nil {
						group[k] = al
						storyKeys[al] = append(storyKeys[al], k)
					}
				}
				al.Story.Documents = append(al.Story.Documents, StoryDoc{
					ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang, Published: a.Published,
				})
				rec := recs[al]
				if !snapPut[h.doc] {
					snapPut[h.doc] = true
					ws.put(bucketSnapshots, v.snapKeys[h.doc], v.snaps[h.doc])
				}
				rec.snaps = append(rec.snaps, v.snapKeys[h.doc])
				for k, c := range h.claims {
					if len(al.Claims) < maxClaimsPerAlert {
						al.Claims = append(al.Claims, c)
						rec.claims = append(rec.claims, claimRefPos{doc: len(al.Story.Documents) - 1, claim: h.idx[k]})
					}
				}
			}
			for _, al := range stories {
				for _, k := range storyKeys[al] {
					if err := putSeen(k, []byte(al.ID)); err != nil {
						return err
					}
				}
				if err := s.putAlert(tx, ws, sub, *recs[al], now); err != nil {
					return err
				}
				made++
			}
		}
		seen.flush(ws)
		return ws.apply(tx)
	})
	if err != nil {
		return 0, fmt.Errorf("alert: record matches: %w", err)
	}
	return made, nil
}

func alertID(subID, key string) string {
	sum := sha256.Sum256([]byte(subID + "\x00" + key))
	return "msg_" + hex.EncodeToString(sum[:13])
}

// putAlert stores the alert's record and one pending delivery per live
// webhook; the webhook body is built from the record and its articles'
// snapshots when it is sent.
func (s *Service) putAlert(tx *bolt.Tx, ws writeSet, sub Subscription, rec alertRecord, now time.Time) error {
	al := rec.al
	seq, err := tx.Bucket(bucketAlerts).NextSequence()
	if err != nil {
		return err
	}
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	alertKey := subKey(sub.ID, hex.EncodeToString(k[:]))
	ws.put(bucketAlerts, alertKey, encodeAlert(rec))
	for i, w := range sub.Webhooks {
		if w.Disabled {
			continue
		}
		id := al.ID
		if i > 0 {
			id = fmt.Sprintf("%s_%d", al.ID, i)
		}
		d := Delivery{
			ID: id, SubscriptionID: sub.ID, AlertID: al.ID, URL: w.URL, SecretEnv: w.SecretEnv,
			Status: StatusPending, Created: now, NextAttempt: now, AlertKey: string(alertKey),
		}
		key := subKey(d.SubscriptionID, d.ID)
		ws.put(bucketDeliveries, key, encodeDelivery(&d))
		ws.put(bucketOutbox, []byte(d.ID), key)
	}
	return nil
}

// storedAlert is an Alert as earlier versions kept it in bbolt (JSON):
// its webhook payload and the fields the payload lacks.
type storedAlert struct {
	ID      string          `json:"id"`
	Created time.Time       `json:"created"`
	Body    json.RawMessage `json:"body"`
}

func (st storedAlert) alert() (Alert, error) {
	var p Payload
	if err := json.Unmarshal(st.Body, &p); err != nil {
		return Alert{}, err
	}
	return Alert{ID: st.ID, SubscriptionID: p.Subscription.ID, SubscriptionName: p.Subscription.Name,
		Created: st.Created, Story: p.Story, Claims: p.Claims}, nil
}

// writeSet defers a transaction's puts and applies them sorted by key:
// bbolt inserts into a node by copying its tail, so thousands of random
// inserts into one transaction cost quadratic time, sorted ones linear.
type writeSet map[string][]kv

type kv struct {
	k, v []byte
	n    int // order of the puts: of two puts of one key, the later wins
}

func (w writeSet) put(bucket, k, v []byte) {
	kvs := w[string(bucket)]
	w[string(bucket)] = append(kvs, kv{k, v, len(kvs)})
}

func (w writeSet) apply(tx *bolt.Tx) error {
	for name, kvs := range w {
		slices.SortFunc(kvs, func(a, b kv) int {
			if c := bytes.Compare(a.k, b.k); c != 0 {
				return c
			}
			return a.n - b.n
		})
		b := tx.Bucket([]byte(name))
		for _, e := range kvs {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Payload is the JSON body of a webhook delivery.
type Payload struct {
	Type         string           `json:"type"`
	Subscription PayloadSub       `json:"subscription"`
	Story        Story            `json:"story"`
	Claims       []document.Claim `json:"claims"`
}

// PayloadSub names the subscription in a Payload.
type PayloadSub struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PayloadType is the type of every alert body.
const PayloadType = "mirsad.alert"
