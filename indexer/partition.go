package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// The article index is one bleve index per publication month (UTC), kept
// in IndexDir and searched together through a bleve IndexAlias. Old months
// can then be moved, merged or dropped one directory at a time, and a
// query with a date range opens only the months it needs (IndexFor).
const (
	// layoutFile marks IndexDir as partitioned; without it the directory
	// is damaged (or a plain bleve index from before partitioning).
	layoutFile = "index_meta.json"
	// LegacyPartition is the single index of a data dir from before
	// partitioning. It is searched with the months until `mirsad reindex`
	// spreads its articles over them; updates delete from it.
	LegacyPartition = "legacy"
	// UndatedPartition holds articles without a publication time.
	UndatedPartition = "undated"
	partSuffix       = ".bleve"
	monthLayout      = "2006-01"
	migrating        = ".migrating"
)

type layout struct {
	Partitions string `json:"mirsad_partitions"`
}

// PartitionOf names the partition that holds an article published at t.
func PartitionOf(t time.Time) string {
	if t.IsZero() {
		return UndatedPartition
	}
	return t.UTC().Format(monthLayout)
}

// partitions is the set of open month indexes of one IndexDir, or, with
// single, the one plain bleve index of an unpartitioned data dir (held as
// parts[""]), so the write path is the same for both layouts.
type partitions struct {
	dir    string
	single bool
	mu     sync.RWMutex
	parts  map[string]bleve.Index
	alias  bleve.IndexAlias
	// empty is searched while there is no partition at all, so that a new
	// data dir answers searches with no hits rather than an error.
	empty bleve.Index
}

// openLayout opens IndexDir in the layout it has: partitioned when it
// carries the layout marker (or a migration was interrupted), else a plain
// bleve index, unless monthly asks to partition it (a plain index found
// then becomes the legacy partition). A new dir gets monthly's layout.
func openLayout(dir string, monthly bool) (*partitions, error) {
	if monthly || isPartitioned(dir) {
		return openPartitions(dir)
	}
	idx, err := openIndex(dir, NewMapping())
	if err != nil {
		return nil, err
	}
	return &partitions{dir: dir, single: true, parts: map[string]bleve.Index{"": idx}}, nil
}

// isPartitioned reports whether dir is (or was being made) a partitioned
// index.
func isPartitioned(dir string) bool {
	if _, err := os.Stat(dir + migrating); err == nil {
		return true
	}
	data, err := os.ReadFile(filepath.Join(dir, layoutFile))
	if err != nil {
		return false
	}
	var l layout
	return json.Unmarshal(data, &l) == nil && l.Partitions != ""
}

// openPartitions opens (creating when absent) a partitioned IndexDir. A
// plain bleve index found there is moved inside as the legacy partition.
func openPartitions(dir string) (*partitions, error) {
	if err := migrateLegacy(dir); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, layoutFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		os.Remove(filepath.Join(dir, layoutFile+".tmp")) // a crash in writeLayout
		entries, rerr := os.ReadDir(dir)
		if rerr == nil && len(entries) > 0 {
			return nil, fmt.Errorf("indexer: open index %s: %s is missing (run `mirsad reindex` to rebuild it from the stored articles)", dir, layoutFile)
		}
		if err := writeLayout(dir); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("indexer: open index %s: %w (run `mirsad reindex` to rebuild it from the stored articles)", dir, err)
	default:
		var l layout
		if err := json.Unmarshal(data, &l); err != nil || l.Partitions != "month" {
			return nil, fmt.Errorf("indexer: open index %s: unknown layout %q (run `mirsad reindex` to rebuild it from the stored articles)", dir, data)
		}
	}
	p := &partitions{dir: dir, parts: map[string]bleve.Index{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("indexer: open index %s: %w", dir, err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), partSuffix)
		if !ok || !e.IsDir() {
			continue
		}
		idx, err := openIndex(filepath.Join(dir, e.Name()), NewMapping())
		if err != nil {
			p.close()
			return nil, err
		}
		p.parts[name] = idx
	}
	if p.empty, err = bleve.NewMemOnly(NewMapping()); err != nil {
		p.close()
		return nil, fmt.Errorf("indexer: open index %s: %w", dir, err)
	}
	p.alias = bleve.NewIndexAlias()
	// Every partition has the same mapping; setting it spares the alias
	// asking each one and lets Mapping() answer for a multi-index alias.
	if err := setMapping(p.alias); err != nil {
		p.close()
		return nil, fmt.Errorf("indexer: open index %s: %w", dir, err)
	}
	for _, idx := range p.parts {
		p.alias.Add(idx)
	}
	return p, nil
}

func writeLayout(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("indexer: create index %s: %w", dir, err)
	}
	// Written beside and renamed in: a process killed between creating
	// and filling the file left an empty layout that never opened again
	// (found by the reliability suite).
	data, _ := json.Marshal(layout{Partitions: "month"})
	tmp := filepath.Join(dir, layoutFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("indexer: create index %s: %w", dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, layoutFile)); err != nil {
		return fmt.Errorf("indexer: create index %s: %w", dir, err)
	}
	return nil
}

// migrateLegacy turns a plain bleve index at dir into dir/legacy.bleve in
// two renames, each of which a crash may interrupt and the next Open
// finishes: no article is re-analysed and the old index keeps serving.
func migrateLegacy(dir string) error {
	tmp := dir + migrating
	if data, err := os.ReadFile(filepath.Join(dir, layoutFile)); err == nil {
		var meta map[string]any
		if json.Unmarshal(data, &meta) == nil && meta["storage"] != nil {
			if err := os.Rename(dir, tmp); err != nil {
				return fmt.Errorf("indexer: migrate index %s: %w", dir, err)
			}
		}
	}
	if _, err := os.Stat(tmp); err != nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("indexer: migrate index %s: %w", dir, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, LegacyPartition+partSuffix)); err != nil {
		return fmt.Errorf("indexer: migrate index %s: %w", dir, err)
	}
	return writeLayout(dir)
}

// get returns the partition called name, creating it when create is set
// (nil, nil when it is absent and not created).
func (p *partitions) get(name string, create bool) (bleve.Index, error) {
	if p.single {
		return p.parts[""], nil
	}
	p.mu.RLock()
	idx := p.parts[name]
	p.mu.RUnlock()
	if idx != nil || !create {
		return idx, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if idx := p.parts[name]; idx != nil {
		return idx, nil
	}
	idx, err := newIndex(filepath.Join(p.dir, name+partSuffix), NewMapping())
	if err != nil {
		return nil, fmt.Errorf("indexer: create partition %s: %w", name, err)
	}
	p.parts[name] = idx
	p.alias.Add(idx)
	return idx, nil
}

// names lists the open partitions, sorted (none for a single index).
func (p *partitions) names() []string {
	if p.single {
		return nil
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]string, 0, len(p.parts))
	for n := range p.parts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (p *partitions) close() error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	for n, idx := range p.parts {
		err = errors.Join(err, idx.Close())
		delete(p.parts, n)
	}
	if p.alias != nil {
		err = errors.Join(err, p.alias.Close())
	}
	if p.empty != nil {
		err = errors.Join(err, p.empty.Close())
	}
	return err
}

// selectFor returns the partitions that may hold an article published in
// [from, to] (zero: unbounded).
func (p *partitions) selectFor(from, to time.Time) []bleve.Index {
	if p.single {
		return []bleve.Index{p.parts[""]}
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []bleve.Index
	for name, idx := range p.parts {
		if covers(name, from, to) {
			out = append(out, idx)
		}
	}
	return out
}

// covers reports whether partition name may hold an article published in
// [from, to]: a month overlapping the range, the legacy partition (its
// months are unknown), a partition of unknown name (moved in by hand) and,
// with no lower bound, the undated one.
func covers(name string, from, to time.Time) bool {
	switch name {
	case LegacyPartition:
		return true
	case UndatedPartition:
		return from.IsZero()
	}
	start, err := time.Parse(monthLayout, name)
	if err != nil {
		return true
	}
	end := start.AddDate(0, 1, 0)
	return (from.IsZero() || end.After(from.UTC())) && (to.IsZero() || !to.UTC().Before(start))
}

func setMapping(a bleve.IndexAlias) error {
	if s, ok := a.(interface {
		SetIndexMapping(mapping.IndexMapping) error
	}); ok {
		return s.SetIndexMapping(NewMapping())
	}
	return nil
}

// partView is what Index and IndexFor return: an alias over some partitions
// that answers an empty search when it has none and finds a document in
// whichever partition holds it.
type partView struct {
	bleve.IndexAlias
	p       *partitions
	members func() []bleve.Index
}

func (p *partitions) all() bleve.Index {
	if p.single {
		return p.parts[""]
	}
	return &partView{IndexAlias: p.alias, p: p, members: func() []bleve.Index {
		p.mu.RLock()
		defer p.mu.RUnlock()
		out := make([]bleve.Index, 0, len(p.parts))
		for _, idx := range p.parts {
			out = append(out, idx)
		}
		return out
	}}
}

func (p *partitions) subset(idxs []bleve.Index) bleve.Index {
	if len(idxs) == 1 {
		return idxs[0]
	}
	a := bleve.NewIndexAlias(idxs...)
	_ = setMapping(a) // cannot fail on a new, open alias
	return &partView{IndexAlias: a, p: p, members: func() []bleve.Index { return idxs }}
}

// Search searches every member partition.
func (v *partView) Search(req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return v.SearchInContext(context.Background(), req)
}

// SearchInContext searches every member partition, or an empty index
// when there is none. Highlighting is left out of the search over all
// partitions and done afterwards for the merged page only: each partition
// would otherwise highlight its own top hits, which made a highlighted
// search over 6 partitions about 2.5 times slower than over one index.
func (v *partView) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	members := v.members()
	if len(members) == 0 {
		return v.p.empty.SearchInContext(ctx, req)
	}
	if req.Highlight == nil || len(members) == 1 || req.Size == 0 {
		return v.IndexAlias.SearchInContext(ctx, req)
	}
	plain := *req
	plain.Highlight = nil
	res, err := v.IndexAlias.SearchInContext(ctx, &plain)
	if err != nil || len(res.Hits) == 0 {
		return res, err
	}
	res.Request = req
	if err := highlight(ctx, members, req, res.Hits); err != nil {
		return nil, err
	}
	return res, nil
}

// highlight fills the fragments of hits, asking each partition that
// holds some of them for just those documents under the same query.
func highlight(ctx context.Context, members []bleve.Index, req *bleve.SearchRequest, hits search.DocumentMatchCollection) error {
	byIndex := map[string][]*search.DocumentMatch{}
	for _, h := range hits {
		byIndex[h.Index] = append(byIndex[h.Index], h)
	}
	for _, idx := range members {
		mine := byIndex[idx.Name()]
		if len(mine) == 0 {
			continue
		}
		ids := make([]string, len(mine))
		for i, h := range mine {
			ids[i] = h.ID
		}
		q := bleve.NewConjunctionQuery(req.Query, bleve.NewDocIDQuery(ids))
		hr := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
		hr.Highlight = req.Highlight
		hres, err := idx.SearchInContext(ctx, hr)
		if err != nil {
			return err
		}
		frags := make(map[string]search.FieldFragmentMap, len(hres.Hits))
		for _, h := range hres.Hits {
			frags[h.ID] = h.Fragments
		}
		for _, h := range mine {
			h.Fragments = frags[h.ID]
		}
	}
	return nil
}

// Document returns a document from whichever member partition holds it.
func (v *partView) Document(id string) (index.Document, error) {
	for _, idx := range v.members() {
		d, err := idx.Document(id)
		if err != nil {
			return nil, err
		}
		if d != nil {
			return d, nil
		}
	}
	return nil, nil
}
