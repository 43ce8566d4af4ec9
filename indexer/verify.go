package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// VerifyReport says whether the stored articles (the truth) and the two
// indexes agree. Lists hold at most maxListed ids each; the counts are
// complete.
type VerifyReport struct {
	Stored        int // articles in the store
	Indexed       int // documents in the article index
	StoredClaims  int // claims of the stored articles
	IndexedClaims int // documents in the claims index

	// NotIndexed are stored articles the index lacks: acknowledged work
	// that a search cannot find. Always a failure.
	NotIndexed      []string
	NotIndexedCount int
	// NotStored are indexed ids with no stored article: the index half of
	// a batch whose store commit never happened (a crash between the
	// two). The next ingest stores them again; reindex drops them.
	NotStored      []string
	NotStoredCount int
	// DuplicateIDs are ids the index holds more than once.
	DuplicateIDs []string
	// DuplicateURLs are URLs stored under more than one id.
	DuplicateURLs []string
	// MissingViews are stored articles without the small view search
	// hits read.
	MissingViews []string
	// Undecodable are stored values that are not an article.
	Undecodable []string
	// StoreDamage lists what bbolt's consistency check found wrong with
	// the store file itself (unreachable or doubly used pages, bad
	// keys): nothing rebuilds it but a backup.
	StoreDamage []string
	// ClaimsNotIndexed and ClaimsNotStored compare the claims of the
	// stored articles with the claims index.
	ClaimsNotIndexed      []string
	ClaimsNotIndexedCount int
	ClaimsNotStored       []string
	ClaimsNotStoredCount  int
}

// maxListed bounds each id list of a report; counts stay exact.
const maxListed = 20

// OK reports whether store and indexes agree exactly.
func (r VerifyReport) OK() bool {
	return len(r.StoreDamage) == 0 && r.NotIndexedCount == 0 && r.NotStoredCount == 0 && len(r.DuplicateIDs) == 0 &&
		len(r.DuplicateURLs) == 0 && len(r.MissingViews) == 0 && len(r.Undecodable) == 0 &&
		r.ClaimsNotIndexedCount == 0 && r.ClaimsNotStoredCount == 0
}

// Lossless reports whether nothing acknowledged is missing from the
// indexes: every stored article and claim is searchable and none is
// there twice. Index entries without a stored article (NotStored,
// ClaimsNotStored) are allowed: they are what a crash between the index
// write and the store commit leaves, and the next ingest repairs them.
func (r VerifyReport) Lossless() bool {
	return len(r.StoreDamage) == 0 && r.NotIndexedCount == 0 && len(r.DuplicateIDs) == 0 && len(r.DuplicateURLs) == 0 &&
		len(r.MissingViews) == 0 && len(r.Undecodable) == 0 && r.ClaimsNotIndexedCount == 0
}

// Write prints the report for a person.
func (r VerifyReport) Write(w io.Writer) {
	fmt.Fprintf(w, "stored articles  %d\nindexed articles %d\nstored claims    %d\nindexed claims   %d\n",
		r.Stored, r.Indexed, r.StoredClaims, r.IndexedClaims)
	list := func(name string, n int, ids []string, why string) {
		if n == 0 {
			return
		}
		more := ""
		if n > len(ids) {
			more = fmt.Sprintf(" (first %d)", len(ids))
		}
		fmt.Fprintf(w, "%s: %d%s: %s\n  %s\n", name, n, more, why, strings.Join(ids, "\n  "))
	}
	list("stored but not indexed", r.NotIndexedCount, r.NotIndexed, "not searchable; run `mirsad reindex`")
	list("indexed but not stored", r.NotStoredCount, r.NotStored, "a batch cut off before its store commit; the next ingest stores them, `mirsad reindex` drops them")
	list("indexed twice", len(r.DuplicateIDs), r.DuplicateIDs, "run `mirsad reindex`")
	list("one URL under several ids", len(r.DuplicateURLs), r.DuplicateURLs, "the same page stored twice")
	list("stored without a view", len(r.MissingViews), r.MissingViews, "run `mirsad reindex`")
	list("store damage", len(r.StoreDamage), r.StoreDamage, "restore mirsad.db from a backup")
	list("undecodable stored articles", len(r.Undecodable), r.Undecodable, "the store is damaged")
	list("claims not indexed", r.ClaimsNotIndexedCount, r.ClaimsNotIndexed, "run `mirsad reindex`")
	list("claims indexed but not stored", r.ClaimsNotStoredCount, r.ClaimsNotStored, "left by an interrupted batch; `mirsad reindex` drops them")
	switch {
	case r.OK():
		fmt.Fprintln(w, "ok: the store and the indexes agree")
	case r.Lossless():
		fmt.Fprintln(w, "ok: nothing stored is missing from the indexes (extra index entries above)")
	default:
		fmt.Fprintln(w, "FAILED: the store and the indexes disagree")
	}
}

// Verify compares the stored articles with the article and claims
// indexes without writing anything. Pending (unflushed) articles are not
// looked at.
func (ix *Indexer) Verify(ctx context.Context) (VerifyReport, error) {
	var r VerifyReport
	if ix.idx == nil || ix.claims == nil {
		return r, errors.New("indexer: verify: opened without an index")
	}
	if err := ix.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			r.StoreDamage = appendMax(r.StoreDamage, err.Error())
		}
		return nil
	}); err != nil {
		return r, fmt.Errorf("indexer: verify: check store: %w", err)
	}
	stored := map[string]bool{}
	claims := map[string]bool{}
	urls := map[string][]string{}
	err := ix.db.View(func(tx *bolt.Tx) error {
		views := tx.Bucket([]byte(bucketView))
		return tx.Bucket([]byte(bucketArt)).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			id := string(k)
			stored[id] = true
			var a document.Article
			if err := json.Unmarshal(v, &a); err != nil {
				r.Undecodable = appendMax(r.Undecodable, id)
				return nil
			}
			if a.URL != "" {
				urls[a.URL] = append(urls[a.URL], id)
			}
			if views.Get(k) == nil {
				r.MissingViews = appendMax(r.MissingViews, id)
			}
			for _, c := range a.Claims {
				claims[c.ID] = true
			}
			return nil
		})
	})
	if err != nil {
		return r, fmt.Errorf("indexer: verify: read store: %w", err)
	}
	r.Stored, r.StoredClaims = len(stored), len(claims)
	for u, ids := range urls {
		if len(ids) > 1 {
			r.DuplicateURLs = appendMax(r.DuplicateURLs, u+" ("+strings.Join(ids, ", ")+")")
		}
	}
	sort.Strings(r.DuplicateURLs)

	seen, dups, err := indexIDs(ctx, ix.idx)
	if err != nil {
		return r, fmt.Errorf("indexer: verify: read index: %w", err)
	}
	r.Indexed = len(seen)
	r.DuplicateIDs = dups
	r.NotIndexed, r.NotIndexedCount = missing(stored, seen)
	r.NotStored, r.NotStoredCount = missing(seen, stored)

	cseen, cdups, err := indexIDs(ctx, ix.claims)
	if err != nil {
		return r, fmt.Errorf("indexer: verify: read claims index: %w", err)
	}
	r.IndexedClaims = len(cseen)
	for _, d := range cdups {
		r.DuplicateIDs = appendMax(r.DuplicateIDs, "claim "+d)
	}
	r.ClaimsNotIndexed, r.ClaimsNotIndexedCount = missing(claims, cseen)
	r.ClaimsNotStored, r.ClaimsNotStoredCount = missing(cseen, claims)
	return r, nil
}

// indexIDs lists the ids of every document idx (an index or an alias
// over several) holds, and the ids found more than once. It searches
// rather than reading segments so that it sees what a query sees, across
// every index of an alias.
func indexIDs(ctx context.Context, idx bleve.Index) (map[string]bool, []string, error) {
	const page = 2000
	seen := map[string]bool{}
	var dups []string
	for from := 0; ; from += page {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), page, from, false)
		req.SortBy([]string{"_id"})
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				dups = appendMax(dups, h.ID)
			}
			seen[h.ID] = true
		}
		if len(res.Hits) < page {
			break
		}
	}
	sort.Strings(dups)
	return seen, dups, nil
}

// missing returns the sorted keys of a absent from b (the first
// maxListed) and how many there are.
func missing(a, b map[string]bool) ([]string, int) {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	n := len(out)
	if n > maxListed {
		out = out[:maxListed]
	}
	return out, n
}

func appendMax(s []string, v string) []string {
	if len(s) >= maxListed {
		return s
	}
	return append(s, v)
}
