// Package cluster groups near-duplicate articles, one wire story reprinted
// or lightly rewritten by several outlets, into one cluster. Each article
// is reduced to word shingles over normalized text and a MinHash
// signature. Candidates are the articles published within a day of it
// (plus what LSH bands propose, all an undated article gets); the
// signature filters them and the exact Jaccard similarity of the stored
// shingles, a lead check, a stricter bar within one outlet and a higher
// bar for outlets' articles more than NearGap apart decide, and the rare
// words of each article's lead (words few articles of that day carry)
// rescue an outlet's rewritten update and a copy run overnight (see
// Matches and docs/bench/clustering.md for why). State lives in the
// caller's bbolt file (buckets prefixed "cluster_"); signatures are
// rebuilt into memory at start, shingle sets are read on demand.
package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Defaults, chosen by measurement on a labelled sample of ANT Arabic news
// pairs (see docs/bench/clustering.md).
const (
	DefaultThreshold           = 0.10
	DefaultSameSourceThreshold = 0.90
	DefaultSameMinuteThreshold = 0.30
	DefaultLeadThreshold       = 0.02
	DefaultLeadWords           = 50
	DefaultMaxGap              = 24 * time.Hour
	DefaultNearGap             = 6 * time.Hour
	DefaultFarThreshold        = 0.30
	DefaultRepublishThreshold  = 0.90
	DefaultRepublishGap        = 72 * time.Hour
	DefaultRareWindow          = 24 * time.Hour
	DefaultRareDF              = 5
	DefaultRareMin             = -1
	DefaultRareSameSource      = 0.6
	DefaultRareSameSimilarity  = 0.4
	DefaultRareFar             = 0.6
	DefaultShingle             = 3
	DefaultHashes              = 128
	DefaultBands               = 64
)

// docsBucket maps a document id to its stored record.
var docsBucket = []byte("cluster_docs")

// shinglesBucket maps a document id to the sorted 32-bit hashes of all its
// shingles; they are read only for candidates that pass the signature
// check, so they stay out of memory.
var shinglesBucket = []byte("cluster_shingles")

// wordsBucket maps a document id to the sorted 32-bit hashes of its
// distinct words: what another article's rare lead words are looked up in,
// and what the word counts of the rare-word window are rebuilt from.
var wordsBucket = []byte("cluster_words")

// Options configure a Clusterer.
type Options struct {
	// DB is the data directory's bbolt file. Required.
	DB *bolt.DB
	// Threshold is the estimated Jaccard similarity of shingle sets at or
	// above which two articles are one story (default DefaultThreshold).
	Threshold float64
	// Shingle is the number of words per shingle (default DefaultShingle).
	Shingle int
	// Hashes is the MinHash signature length (default DefaultHashes).
	Hashes int
	// Bands is the number of LSH bands; it must divide Hashes
	// (default DefaultBands).
	Bands int
	// SameSourceThreshold replaces Threshold for two articles of the same
	// source (default DefaultSameSourceThreshold). An outlet does not
	// syndicate from itself: below near-identity, overlap within one
	// outlet is a follow-up reusing its own background paragraphs.
	SameSourceThreshold float64
	// SameMinuteThreshold replaces SameSourceThreshold when the two
	// articles of one source were published within the same minute: one
	// item posted twice (two sections, two headlines) is one story
	// (default DefaultSameMinuteThreshold; negative disables).
	SameMinuteThreshold float64
	// LeadThreshold is the share of each article's lead (the shingles of
	// its first LeadWords words) that must occur in the other article, for
	// articles of different sources (default DefaultLeadThreshold;
	// negative disables). Outlets append related-story blocks and carry
	// earlier reports as background; such pairs share much text but
	// neither lead is found in the other.
	LeadThreshold float64
	// LeadWords is the length of the lead in words (default
	// DefaultLeadWords).
	LeadWords int
	// MaxGap is the largest difference in publication time between two
	// members of a pair (default DefaultMaxGap; negative disables). Reprints
	// of one wire story appear within hours; the same boilerplate weeks
	// apart is another event. Undated articles are not held to it.
	MaxGap time.Duration
	// NearGap and FarThreshold tighten the window for articles of
	// different sources: published more than NearGap apart, they need a
	// Jaccard similarity of at least FarThreshold (defaults DefaultNearGap
	// and DefaultFarThreshold; a negative NearGap disables). Wire copy is
	// reprinted within hours; outlets' reports on the next development
	// share its background paragraphs and a lead phrase, but little more.
	NearGap      time.Duration
	FarThreshold float64
	// RepublishThreshold is the Jaccard similarity at or above which two
	// articles are one story even when published further apart than
	// MaxGap, up to RepublishGap (defaults DefaultRepublishThreshold and
	// DefaultRepublishGap; a negative RepublishGap disables): an outlet
	// republishing its report the next day with photos is still one item,
	// and no follow-up keeps nine tenths of the earlier text.
	RepublishThreshold float64
	RepublishGap       time.Duration
	// RareWindow and RareDF define an article's rare lead words: words of
	// its lead found in at most RareDF articles (itself included) published
	// within RareWindow of it, among those the Clusterer has seen (defaults
	// DefaultRareWindow and DefaultRareDF; a negative RareWindow disables
	// rare words and the three checks below). Shingle overlap cannot tell a
	// rewritten lead from a next-day development that carries the earlier
	// report as background; the rare words of the lead (names, figures,
	// places of that day's news) can: a rewrite keeps them, a development
	// brings new ones.
	RareWindow time.Duration
	RareDF     int
	// RareMin is the smallest share of either article's rare lead words
	// found in the other for articles of different sources within NearGap
	// (default DefaultRareMin, which is negative: off; on the labelled
	// pairs a floor cost recall without gaining precision).
	RareMin float64
	// RareSameSource lets two articles of one source below
	// SameSourceThreshold match when each one's rare lead words are at
	// least this share found in the other and their Jaccard similarity is
	// at least RareSameSimilarity: an outlet's update of its own report
	// under a new first paragraph (defaults DefaultRareSameSource and
	// DefaultRareSameSimilarity; negative RareSameSource disables).
	RareSameSource     float64
	RareSameSimilarity float64
	// RareFar lets articles of different sources more than NearGap apart
	// and below FarThreshold match when each one's rare lead words are at
	// least this share found in the other (and the Threshold and lead
	// checks hold): a copy a second outlet ran overnight (default
	// DefaultRareFar; negative disables).
	RareFar float64
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Clusterer assigns articles to clusters. It is safe for concurrent use.
type Clusterer struct {
	opts   Options
	hasher hasher
	rows   int
	log    *slog.Logger

	mu       sync.RWMutex
	docs     map[string]*record
	bands    []map[uint64][]string
	byHour   map[int64][]string         // dated articles by hour of publication
	wordDF   map[int64]map[uint32]int32 // hour -> word hash -> articles of that hour with it
	newest   time.Time
	clusters map[string][]string // cluster id -> member ids
}

// record is what the Clusterer knows of one article.
type record struct {
	Cluster   string
	Lang      string
	Source    string
	Published time.Time
	Sig       []uint32
	Lead      []uint32 // sorted distinct 32-bit hashes of the lead's shingles
	Rare      []uint32 // sorted hashes of the lead's rare words when it was assigned
}

// New opens the clusterer's buckets in opts.DB and rebuilds the in-memory
// tables from the stored records.
func New(opts Options) (*Clusterer, error) {
	if opts.DB == nil {
		return nil, errors.New("cluster: Options.DB is required")
	}
	opts = WithDefaults(opts)
	switch {
	case opts.Threshold < 0 || opts.Threshold > 1:
		return nil, fmt.Errorf("cluster: threshold %v outside [0,1]", opts.Threshold)
	case opts.Shingle < 1:
		return nil, fmt.Errorf("cluster: shingle size %d < 1", opts.Shingle)
	case opts.Hashes < 1 || opts.Bands < 1 || opts.Hashes%opts.Bands != 0:
		return nil, fmt.Errorf("cluster: %d bands do not divide %d hashes", opts.Bands, opts.Hashes)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	c := &Clusterer{
		opts:     opts,
		hasher:   newHasher(opts.Hashes),
		rows:     opts.Hashes / opts.Bands,
		log:      opts.Logger.With("component", "cluster"),
		docs:     map[string]*record{},
		bands:    make([]map[uint64][]string, opts.Bands),
		byHour:   map[int64][]string{},
		wordDF:   map[int64]map[uint32]int32{},
		clusters: map[string][]string{},
	}
	for i := range c.bands {
		c.bands[i] = map[uint64][]string{}
	}
	err := opts.DB.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(shinglesBucket); err != nil {
			return err
		}
		wb, err := tx.CreateBucketIfNotExists(wordsBucket)
		if err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(docsBucket)
		if err != nil {
			return err
		}
		defer func() {
			if opts.RareWindow <= 0 {
				return
			}
			// Word counts only for the window around the newest article:
			// older hours are pruned as the Clusterer runs anyway.
			for _, r := range c.docs {
				if r.Published.After(c.newest) {
					c.newest = r.Published
				}
			}
			from := c.newest.Add(-2 * opts.RareWindow)
			for id, r := range c.docs {
				if !r.Published.IsZero() && !r.Published.Before(from) {
					c.dfAdd(r.Published, decodeU32s(wb.Get([]byte(id))), 1)
				}
			}
		}()
		return b.ForEach(func(k, v []byte) error {
			r, err := decodeRecord(v)
			if err != nil {
				return fmt.Errorf("record %s: %w", k, err)
			}
			if len(r.Sig) != 0 && len(r.Sig) != opts.Hashes {
				// Stored with another signature length: unusable for
				// lookup, but the cluster membership still stands.
				r.Sig = nil
			}
			c.add(string(k), r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: load: %w", err)
	}
	c.log.Debug("cluster state loaded", "docs", len(c.docs), "clusters", len(c.clusters))
	return c, nil
}

// WithDefaults returns opts with every zero field set to its default.
func WithDefaults(opts Options) Options {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.SameSourceThreshold == 0 {
		opts.SameSourceThreshold = DefaultSameSourceThreshold
	}
	if opts.SameMinuteThreshold == 0 {
		opts.SameMinuteThreshold = DefaultSameMinuteThreshold
	}
	if opts.LeadThreshold == 0 {
		opts.LeadThreshold = DefaultLeadThreshold
	}
	if opts.LeadWords == 0 {
		opts.LeadWords = DefaultLeadWords
	}
	if opts.MaxGap == 0 {
		opts.MaxGap = DefaultMaxGap
	}
	if opts.NearGap == 0 {
		opts.NearGap = DefaultNearGap
	}
	if opts.FarThreshold == 0 {
		opts.FarThreshold = DefaultFarThreshold
	}
	if opts.RepublishThreshold == 0 {
		opts.RepublishThreshold = DefaultRepublishThreshold
	}
	if opts.RepublishGap == 0 {
		opts.RepublishGap = DefaultRepublishGap
	}
	if opts.RareWindow == 0 {
		opts.RareWindow = DefaultRareWindow
	}
	if opts.RareDF == 0 {
		opts.RareDF = DefaultRareDF
	}
	if opts.RareMin == 0 {
		opts.RareMin = DefaultRareMin
	}
	if opts.RareSameSource == 0 {
		opts.RareSameSource = DefaultRareSameSource
	}
	if opts.RareSameSimilarity == 0 {
		opts.RareSameSimilarity = DefaultRareSameSimilarity
	}
	if opts.RareFar == 0 {
		opts.RareFar = DefaultRareFar
	}
	if opts.Shingle == 0 {
		opts.Shingle = DefaultShingle
	}
	if opts.Hashes == 0 {
		opts.Hashes = DefaultHashes
	}
	if opts.Bands == 0 {
		opts.Bands = DefaultBands
	}
	return opts
}

// Text returns the text an article is compared by: its body, or its title
// when the body is empty. Headlines are left out otherwise because
// reprints often rewrite them.
func Text(a *document.Article) string {
	if strings.TrimSpace(a.Body) != "" {
		return a.Body
	}
	return a.Title
}

// Signature returns the MinHash signature the Clusterer would use for a
// text (nil when the text has no words).
func (c *Clusterer) Signature(text string) []uint32 {
	return c.hasher.signature(Shingles(Words(text), c.opts.Shingle))
}

// Features are what a pair of articles is judged by.
type Features struct {
	Similarity float64       // Jaccard similarity of the whole texts (exact when checked, else Estimate)
	Estimate   float64       // MinHash estimate of Similarity
	Lead       float64       // smaller share of either lead found in the other article
	Rare       float64       // smaller share of either article's rare lead words found in the other, -1 if neither has any
	Gap        time.Duration // difference in publication time, 0 if undated
	SameLang   bool
	SameSource bool
	Dated      bool // both articles have a publication time
}

// Compare returns the features of a pair, as Assign would see them
// (Similarity stays the MinHash estimate and Lead zero when the estimate is
// too low for Assign to look closer).
// Rare lead words are counted against the articles the Clusterer holds.
func (c *Clusterer) Compare(a, b *document.Article) Features {
	pa, pb := c.prepare(a), c.prepare(b)
	c.mu.RLock()
	pa.rec.Rare = c.rareOf(pa.rec.Published, pa.lead)
	pb.rec.Rare = c.rareOf(pb.rec.Published, pb.lead)
	c.mu.RUnlock()
	return c.features(pa.rec, pa.full, pa.words, pb.rec, func() ([]uint32, []uint32) { return pb.full, pb.words })
}

// CompareStored returns the features of two assigned articles as the
// Clusterer holds them (rare lead words as counted when each was
// assigned), with the exact Jaccard similarity and lead checks whatever the
// thresholds. It lets an evaluation see a pair the way Assign saw it.
func (c *Clusterer) CompareStored(idA, idB string) (Features, error) {
	c.mu.RLock()
	ra, rb := c.docs[idA], c.docs[idB]
	c.mu.RUnlock()
	if ra == nil || rb == nil {
		return Features{}, fmt.Errorf("cluster: compare: %s or %s not assigned", idA, idB)
	}
	var fa, wa, fb, wb []uint32
	err := c.opts.DB.View(func(tx *bolt.Tx) error {
		fa, wa = decodeU32s(tx.Bucket(shinglesBucket).Get([]byte(idA))), decodeU32s(tx.Bucket(wordsBucket).Get([]byte(idA)))
		fb, wb = decodeU32s(tx.Bucket(shinglesBucket).Get([]byte(idB))), decodeU32s(tx.Bucket(wordsBucket).Get([]byte(idB)))
		return nil
	})
	if err != nil {
		return Features{}, fmt.Errorf("cluster: compare: %w", err)
	}
	f := c.features(ra, fa, wa, rb, func() ([]uint32, []uint32) { return fb, wb })
	if len(fa) > 0 && len(fb) > 0 {
		f.Similarity = Jaccard(fa, fb)
	}
	f.Lead = min(containment(ra.Lead, fb), containment(rb.Lead, fa))
	f.Rare = rareShare(ra.Rare, wb, rb.Rare, wa)
	return f, nil
}

// rareShare is the smaller share of x found in ySet and of y found in
// xSet, skipping an empty side; -1 when both are empty.
func rareShare(x, ySet, y, xSet []uint32) float64 {
	r := -1.0
	if len(x) > 0 {
		r = containment(x, ySet)
	}
	if len(y) > 0 {
		if s := containment(y, xSet); r < 0 || s < r {
			r = s
		}
	}
	return r
}

// Match reports whether a pair with these features is one story under the
// Clusterer's thresholds.
func (c *Clusterer) Match(f Features) bool { return Matches(c.opts, f) }

// Matches reports whether a pair with features f is one story under the
// thresholds of opts (zero fields take their defaults). It lets an
// evaluation try many settings on features computed once.
func Matches(opts Options, f Features) bool {
	opts = WithDefaults(opts)
	if !f.SameLang {
		return false
	}
	if opts.RepublishGap > 0 && f.Similarity >= opts.RepublishThreshold && f.Gap <= opts.RepublishGap {
		return true
	}
	if opts.MaxGap > 0 && f.Gap > opts.MaxGap {
		return false
	}
	rare := opts.RareWindow > 0 && f.Rare >= 0
	if f.SameSource {
		if opts.SameMinuteThreshold >= 0 && f.Gap < time.Minute && f.Dated {
			return f.Similarity >= min(opts.SameMinuteThreshold, opts.SameSourceThreshold)
		}
		if f.Similarity >= opts.SameSourceThreshold {
			return true
		}
		return rare && opts.RareSameSource >= 0 && f.Rare >= opts.RareSameSource && f.Similarity >= opts.RareSameSimilarity
	}
	lead := opts.LeadThreshold < 0 || f.Lead >= opts.LeadThreshold
	if opts.NearGap > 0 && f.Gap > opts.NearGap && f.Similarity < opts.FarThreshold {
		return rare && opts.RareFar >= 0 && f.Rare >= opts.RareFar && f.Similarity >= opts.Threshold && lead
	}
	if rare && opts.RareMin >= 0 && f.Rare < opts.RareMin {
		return false
	}
	return f.Similarity >= opts.Threshold && lead
}

// features compares r (with all its shingles rFull and words rWords) to
// o. o's shingles and words are loaded only when the exact checks can
// change the outcome.
func (c *Clusterer) features(r *record, rFull, rWords []uint32, o *record, oLoad func() (full, words []uint32)) Features {
	f := Features{
		Rare:       -1,
		Estimate:   Similarity(r.Sig, o.Sig),
		SameLang:   r.Lang == o.Lang,
		SameSource: r.Source != "" && r.Source == o.Source,
		Dated:      !r.Published.IsZero() && !o.Published.IsZero(),
	}
	f.Similarity = f.Estimate
	if f.Dated {
		f.Gap = r.Published.Sub(o.Published).Abs()
	}
	// The MinHash estimate only filters: its standard error is about 0.04
	// near the thresholds, so pairs within prefilterMargin of the lowest
	// threshold are decided on their stored shingles.
	lowest := min(c.opts.Threshold, c.opts.SameSourceThreshold)
	if c.opts.SameMinuteThreshold >= 0 {
		lowest = min(lowest, c.opts.SameMinuteThreshold)
	}
	if f.SameLang && f.Estimate >= max(lowest-prefilterMargin, lowest/3) {
		of, ow := oLoad()
		if len(rFull) > 0 && len(of) > 0 {
			f.Similarity = Jaccard(rFull, of)
		}
		f.Lead = min(containment(r.Lead, of), containment(o.Lead, rFull))
		f.Rare = rareShare(r.Rare, ow, o.Rare, rWords)
	}
	return f
}

// prefilterMargin is how far below the lowest threshold a MinHash estimate
// may fall and still be checked exactly (three standard errors at J=0.2
// with 128 hashes); for low thresholds a third of the threshold is the
// floor (about three standard errors at J=0.1), so that unrelated
// articles of the same day are not read from disk.
const prefilterMargin = 0.1

// prepared is an article reduced to what the Clusterer compares: its
// record (Rare still unset), the sorted 32-bit hashes of all its shingles,
// of its distinct words and of its lead's distinct words.
type prepared struct {
	id                string
	rec               *record
	full, words, lead []uint32
}

// prepare computes an article's record and hash sets.
func (c *Clusterer) prepare(a *document.Article) prepared {
	text := Text(a)
	lang := a.Lang
	if lang == "" {
		lang = arabic.Detect(text)
	}
	words := Words(text)
	shingles := Shingles(words, c.opts.Shingle)
	r := &record{Lang: lang, Source: sourceKey(a), Published: a.Published, Sig: c.hasher.signature(shingles)}
	p := prepared{id: a.ID, rec: r, full: hashes32(shingles)}
	if c.opts.RareWindow > 0 {
		p.words = hashes32(Shingles(words, 1))
	}
	if len(words) > c.opts.LeadWords {
		words = words[:c.opts.LeadWords]
	}
	r.Lead = hashes32(Shingles(words, c.opts.Shingle))
	if c.opts.RareWindow > 0 {
		p.lead = hashes32(Shingles(words, 1))
	}
	return p
}

// rareOf returns the words of lead found in fewer than RareDF articles the
// Clusterer holds within RareWindow of published (so at most RareDF with
// the article itself); nil for an undated article, which has no window.
// Called with c.mu held.
func (c *Clusterer) rareOf(published time.Time, lead []uint32) []uint32 {
	if c.opts.RareWindow <= 0 || published.IsZero() {
		return nil
	}
	from, to := hourOf(published.Add(-c.opts.RareWindow)), hourOf(published.Add(c.opts.RareWindow))
	var out []uint32
	for _, w := range lead {
		n := int32(0)
		for h := from; h <= to && n < int32(c.opts.RareDF); h++ {
			n += c.wordDF[h][w]
		}
		if n < int32(c.opts.RareDF) {
			out = append(out, w)
		}
	}
	return out
}

// dfAdd counts (delta 1) or uncounts (-1) an article's words in its hour.
// Called with c.mu held.
func (c *Clusterer) dfAdd(published time.Time, words []uint32, delta int32) {
	if c.opts.RareWindow <= 0 || published.IsZero() || len(words) == 0 {
		return
	}
	h := hourOf(published)
	m := c.wordDF[h]
	if m == nil {
		m = make(map[uint32]int32, len(words))
		c.wordDF[h] = m
	}
	for _, w := range words {
		if n := m[w] + delta; n > 0 {
			m[w] = n
		} else {
			delete(m, w)
		}
	}
	if len(m) == 0 {
		delete(c.wordDF, h)
	}
	if delta > 0 && published.After(c.newest) {
		c.newest = published
	}
}

// dfPrune drops the word counts of hours no article near the newest one
// looks at, so memory follows the window, not the archive. Articles much
// older than the newest (a backfill) find few counts and more rare words.
// Called with c.mu held.
func (c *Clusterer) dfPrune() {
	if c.opts.RareWindow <= 0 || c.newest.IsZero() {
		return
	}
	oldest := hourOf(c.newest.Add(-2 * c.opts.RareWindow))
	for h := range c.wordDF {
		if h < oldest {
			delete(c.wordDF, h)
		}
	}
}

// hashes32 keeps the high half of each 64-bit shingle hash, sorted and
// distinct: enough to count overlaps, at half the storage.
func hashes32(hs []uint64) []uint32 {
	out := make([]uint32, len(hs))
	for i, h := range hs {
		out[i] = uint32(h >> 32)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// sourceKey names the outlet: the Source field, else the URL's host.
func sourceKey(a *document.Article) string {
	if a.Source != "" {
		return strings.ToLower(a.Source)
	}
	u := a.CanonicalURL
	if u == "" {
		u = a.URL
	}
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return strings.TrimPrefix(strings.ToLower(p.Host), "www.")
	}
	return ""
}

// containment is the share of the sorted set x found in the sorted set y.
func containment(x, y []uint32) float64 {
	if len(x) == 0 {
		return 0
	}
	return float64(intersect(x, y)) / float64(len(x))
}

// Jaccard is the Jaccard similarity of two sorted, distinct shingle sets
// (0 when both are empty).
func Jaccard(x, y []uint32) float64 {
	n := intersect(x, y)
	if u := len(x) + len(y) - n; u > 0 {
		return float64(n) / float64(u)
	}
	return 0
}

// intersect counts the elements two sorted distinct sets share.
func intersect(x, y []uint32) int {
	n := 0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			n++
			i++
			j++
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// Assign puts a into a cluster and returns the cluster id: the id of an
// existing cluster whose member is similar enough, else a.ID. Assigning the
// same id again returns its cluster unless the text changed, in which case
// the article may move. Articles in different languages never cluster.
func (c *Clusterer) Assign(a *document.Article) (string, error) {
	ids, err := c.AssignBatch([]*document.Article{a})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// AssignBatch is Assign for several articles with one bbolt transaction,
// for callers that flush in batches. Articles of the batch may cluster with
// each other.
func (c *Clusterer) AssignBatch(as []*document.Article) ([]string, error) {
	ps := make([]prepared, len(as))
	for i, a := range as {
		if a == nil || a.ID == "" {
			return nil, errors.New("cluster: article without id")
		}
		ps[i] = c.prepare(a)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	// One read transaction for the candidates' shingles, closed before the
	// write: bbolt must not hold both in one goroutine.
	rtx, err := c.opts.DB.Begin(false)
	if err != nil {
		return nil, fmt.Errorf("cluster: read: %w", err)
	}
	pending := map[string]prepared{} // this batch, not yet stored
	load := func(id string) ([]uint32, []uint32) {
		if p, ok := pending[id]; ok {
			return p.full, p.words
		}
		return decodeU32s(rtx.Bucket(shinglesBucket).Get([]byte(id))), c.loadWords(rtx, id)
	}
	out := make([]string, len(ps))
	changed := make(map[string]*record, len(ps))
	for i, p := range ps {
		if old, ok := c.docs[p.id]; ok {
			if old.Lang == p.rec.Lang && old.Source == p.rec.Source && slices.Equal(old.Sig, p.rec.Sig) && slices.Equal(old.Lead, p.rec.Lead) {
				if !old.Published.Equal(p.rec.Published) && !p.rec.Published.IsZero() {
					// Same text, corrected date: same cluster, re-filed
					// under its new hour.
					c.remove(p.id, old)
					p.rec.Cluster, p.rec.Rare = old.Cluster, old.Rare
					c.add(p.id, p.rec)
					c.dfAdd(old.Published, p.words, -1)
					c.dfAdd(p.rec.Published, p.words, 1)
					changed[p.id] = p.rec
				}
				out[i] = old.Cluster
				continue
			}
			c.remove(p.id, old)
			c.dfAdd(old.Published, c.loadWords(rtx, p.id), -1)
		}
		p.rec.Rare = c.rareOf(p.rec.Published, p.lead)
		c.dfAdd(p.rec.Published, p.words, 1)
		p.rec.Cluster = c.best(p.rec, p.full, p.words, load)
		if p.rec.Cluster == "" {
			p.rec.Cluster = p.id
			if _, taken := c.clusters[p.id]; taken {
				// An edited article left the cluster named after it;
				// the others keep that name, it takes a derived one.
				p.rec.Cluster = fmt.Sprintf("%s-%08x", p.id, uint32(mix64(uint64(time.Now().UnixNano()))))
			}
		}
		c.add(p.id, p.rec)
		pending[p.id] = p
		changed[p.id] = p.rec
		out[i] = p.rec.Cluster
	}
	c.dfPrune()
	if err := rtx.Rollback(); err != nil {
		return nil, fmt.Errorf("cluster: read: %w", err)
	}
	if len(changed) == 0 {
		return out, nil
	}
	err = c.opts.DB.Update(func(tx *bolt.Tx) error {
		docs, shingles, words := tx.Bucket(docsBucket), tx.Bucket(shinglesBucket), tx.Bucket(wordsBucket)
		for id, r := range changed {
			if err := docs.Put([]byte(id), encodeRecord(r)); err != nil {
				return err
			}
			if p, ok := pending[id]; ok {
				if err := shingles.Put([]byte(id), encodeU32s(p.full)); err != nil {
					return err
				}
				if err := words.Put([]byte(id), encodeU32s(p.words)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: store: %w", err)
	}
	return out, nil
}

// best returns the cluster of the most similar matching candidate, or ""
// when there is none. Candidates are every article published within MaxGap
// (compared by signature first, which is cheap at news volumes) plus what
// the LSH bands propose, which is all an undated article gets. Called with
// c.mu held.
func (c *Clusterer) best(r *record, full, words []uint32, load func(id string) ([]uint32, []uint32)) string {
	if len(r.Sig) == 0 {
		return ""
	}
	var bestID string
	bestSim := -1.0
	seen := map[string]struct{}{}
	consider := func(id string) {
		if _, dup := seen[id]; dup {
			return
		}
		seen[id] = struct{}{}
		o := c.docs[id]
		if len(o.Sig) != len(r.Sig) {
			return
		}
		f := c.features(r, full, words, o, func() ([]uint32, []uint32) { return load(id) })
		if !c.Match(f) {
			return
		}
		if s := f.Similarity; s > bestSim || s == bestSim && id < bestID {
			bestID, bestSim = id, s
		}
	}
	if !r.Published.IsZero() && c.opts.MaxGap > 0 {
		from, to := hourOf(r.Published.Add(-c.opts.MaxGap)), hourOf(r.Published.Add(c.opts.MaxGap))
		for h := from; h <= to; h++ {
			for _, id := range c.byHour[h] {
				consider(id)
			}
		}
	}
	for band := range c.bands {
		for _, id := range c.bands[band][bandKey(band, r.Sig[band*c.rows:(band+1)*c.rows])] {
			consider(id)
		}
	}
	if bestID == "" {
		return ""
	}
	return c.docs[bestID].Cluster
}

func hourOf(t time.Time) int64 { return t.Unix() / 3600 }

// loadWords reads an article's stored word hashes (nil for stores written
// before words were kept).
func (c *Clusterer) loadWords(tx *bolt.Tx, id string) []uint32 {
	b := tx.Bucket(wordsBucket)
	if b == nil {
		return nil
	}
	return decodeU32s(b.Get([]byte(id)))
}

func encodeU32s(xs []uint32) []byte {
	b := make([]byte, 0, 4*len(xs))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

// decodeU32s copies: bbolt values are only valid inside their transaction.
func decodeU32s(b []byte) []uint32 {
	xs := make([]uint32, len(b)/4)
	for i := range xs {
		xs[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return xs
}

// add indexes a record in memory. Called with c.mu held (or before c is
// shared).
func (c *Clusterer) add(id string, r *record) {
	c.docs[id] = r
	c.clusters[r.Cluster] = append(c.clusters[r.Cluster], id)
	if !r.Published.IsZero() {
		h := hourOf(r.Published)
		c.byHour[h] = append(c.byHour[h], id)
	}
	if len(r.Sig) != len(c.hasher.a) {
		return
	}
	for band := range c.bands {
		k := bandKey(band, r.Sig[band*c.rows:(band+1)*c.rows])
		c.bands[band][k] = append(c.bands[band][k], id)
	}
}

// remove undoes add. Called with c.mu held.
func (c *Clusterer) remove(id string, r *record) {
	delete(c.docs, id)
	if m := deleteID(c.clusters[r.Cluster], id); len(m) > 0 {
		c.clusters[r.Cluster] = m
	} else {
		delete(c.clusters, r.Cluster)
	}
	if !r.Published.IsZero() {
		h := hourOf(r.Published)
		if ids := deleteID(c.byHour[h], id); len(ids) > 0 {
			c.byHour[h] = ids
		} else {
			delete(c.byHour, h)
		}
	}
	if len(r.Sig) != len(c.hasher.a) {
		return
	}
	for band := range c.bands {
		k := bandKey(band, r.Sig[band*c.rows:(band+1)*c.rows])
		if ids := deleteID(c.bands[band][k], id); len(ids) > 0 {
			c.bands[band][k] = ids
		} else {
			delete(c.bands[band], k)
		}
	}
}

func deleteID(ids []string, id string) []string {
	if i := slices.Index(ids, id); i >= 0 {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}

// Remove forgets an article, for callers that delete one. The cluster keeps
// its id while other members remain. Removing an unknown id is not an error.
func (c *Clusterer) Remove(docID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.docs[docID]
	if !ok {
		return nil
	}
	var words []uint32
	err := c.opts.DB.Update(func(tx *bolt.Tx) error {
		words = c.loadWords(tx, docID)
		if err := tx.Bucket(docsBucket).Delete([]byte(docID)); err != nil {
			return err
		}
		if err := tx.Bucket(wordsBucket).Delete([]byte(docID)); err != nil {
			return err
		}
		return tx.Bucket(shinglesBucket).Delete([]byte(docID))
	})
	if err != nil {
		return fmt.Errorf("cluster: remove %s: %w", docID, err)
	}
	c.remove(docID, r)
	c.dfAdd(r.Published, words, -1)
	return nil
}

// Members returns the ids of a cluster's articles, earliest published
// first (articles without a date last, ties by id); nil for an unknown id.
func (c *Clusterer) Members(clusterID string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ids := slices.Clone(c.clusters[clusterID])
	slices.SortFunc(ids, func(x, y string) int {
		return c.compare(x, y)
	})
	return ids
}

// Origin returns the id of the first-published member of a cluster, or ""
// for an unknown cluster.
func (c *Clusterer) Origin(clusterID string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var origin string
	for _, id := range c.clusters[clusterID] {
		if origin == "" || c.compare(id, origin) < 0 {
			origin = id
		}
	}
	return origin
}

// ClusterOf returns the cluster of an assigned article.
func (c *Clusterer) ClusterOf(docID string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	r, ok := c.docs[docID]
	if !ok {
		return "", false
	}
	return r.Cluster, true
}

// compare orders by publication time, undated last, then by id.
func (c *Clusterer) compare(x, y string) int {
	tx, ty := c.docs[x].Published, c.docs[y].Published
	switch {
	case tx.IsZero() != ty.IsZero():
		if tx.IsZero() {
			return 1
		}
		return -1
	case !tx.Equal(ty):
		return tx.Compare(ty)
	}
	return strings.Compare(x, y)
}

// Record layout: version byte, uvarint-prefixed cluster, lang and source,
// varint unix nanoseconds (0 = no date), then the signature and the lead
// hashes, each as a uvarint count of little-endian uint32s; version 2 adds
// the rare lead words the same way (version 1 records have none).
const recordVersion = 2

func encodeRecord(r *record) []byte {
	b := make([]byte, 0, 32+len(r.Cluster)+4*len(r.Sig))
	b = append(b, recordVersion)
	b = binary.AppendUvarint(b, uint64(len(r.Cluster)))
	b = append(b, r.Cluster...)
	for _, s := range []string{r.Lang, r.Source} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	var ns int64
	if !r.Published.IsZero() {
		ns = r.Published.UnixNano()
	}
	b = binary.AppendVarint(b, ns)
	for _, xs := range [][]uint32{r.Sig, r.Lead, r.Rare} {
		b = binary.AppendUvarint(b, uint64(len(xs)))
		for _, v := range xs {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
	}
	return b
}

func decodeRecord(b []byte) (*record, error) {
	if len(b) == 0 || b[0] < 1 || b[0] > recordVersion {
		return nil, errors.New("unknown record version")
	}
	version := b[0]
	b = b[1:]
	str := func() (string, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", errors.New("truncated record")
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, nil
	}
	var r record
	var err error
	if r.Cluster, err = str(); err != nil {
		return nil, err
	}
	if r.Lang, err = str(); err != nil {
		return nil, err
	}
	if r.Source, err = str(); err != nil {
		return nil, err
	}
	ns, k := binary.Varint(b)
	if k <= 0 {
		return nil, errors.New("truncated record")
	}
	b = b[k:]
	if ns != 0 {
		r.Published = time.Unix(0, ns).UTC()
	}
	u32s := func() ([]uint32, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k)/4 < n {
			return nil, errors.New("truncated record")
		}
		b = b[k:]
		if n == 0 {
			return nil, nil
		}
		xs := make([]uint32, n)
		for i := range xs {
			xs[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		b = b[4*n:]
		return xs, nil
	}
	if r.Sig, err = u32s(); err != nil {
		return nil, err
	}
	if r.Lead, err = u32s(); err != nil {
		return nil, err
	}
	if version >= 2 {
		if r.Rare, err = u32s(); err != nil {
			return nil, err
		}
	}
	if r.Cluster == "" {
		return nil, errors.New("record without cluster")
	}
	return &r, nil
}
