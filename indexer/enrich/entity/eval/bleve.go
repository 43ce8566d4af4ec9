package eval

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// newMapping is the stand-in for Mirsad's index: bleve's default mapping
// with the stock ar analyzer on title and body, and optionally the entity
// ids as keywords.
func newMapping(withEntities bool) mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = "ar"
	dm.AddFieldMappingsAt("title", text)
	dm.AddFieldMappingsAt("body", text)
	if withEntities {
		kw := bleve.NewKeywordFieldMapping()
		dm.AddFieldMappingsAt("entities", kw)
	}
	im.DefaultMapping = dm
	return im
}

func entityIDs(ms []entity.Mention) []string {
	seen := map[string]bool{}
	var ids []string
	for _, m := range ms {
		if !seen[m.EntityID] {
			seen[m.EntityID] = true
			ids = append(ids, m.EntityID)
		}
	}
	return ids
}

type retrieval struct {
	total, hits, baseHits         int
	testTotal, testHits, testBase int
	entities, fullEntities        int
}

// crossScript indexes the evaluation articles with their matched entity ids
// and checks, for every gazetteer entity of the gold labels and every alias
// of it in the other script than an article's, that entity=<alias> (Resolve
// then a keyword query) returns that article. The baseline sends the alias
// as a text query on the body.
func crossScript(ctx context.Context, g *entity.Gazetteer, arts []Article) (retrieval, error) {
	var r retrieval
	dir, err := os.MkdirTemp("", "mirsad-entity-eval-")
	if err != nil {
		return r, fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(dir)
	idx, err := bleve.New(filepath.Join(dir, "idx"), newMapping(true))
	if err != nil {
		return r, fmt.Errorf("eval: %w", err)
	}
	defer idx.Close()
	m := entity.NewMatcher(g, entity.Options{})
	b := idx.NewBatch()
	for _, a := range arts {
		ids := entityIDs(m.Match(a.Text, a.Lang, a.Date))
		if err := b.Index(a.Name, map[string]any{"body": a.Text, "entities": ids}); err != nil {
			return r, fmt.Errorf("eval: %w", err)
		}
	}
	if err := idx.Batch(b); err != nil {
		return r, fmt.Errorf("eval: %w", err)
	}
	search := func(q query.Query) (map[string]bool, error) {
		req := bleve.NewSearchRequestOptions(q, len(arts)+1, 0, false)
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		out := map[string]bool{}
		for _, h := range res.Hits {
			out[h.ID] = true
		}
		return out, nil
	}
	byEntity := map[string]map[string]Article{}
	for _, a := range arts {
		for _, gd := range a.Gold {
			if gd.ID == NewLabel {
				continue
			}
			if byEntity[gd.ID] == nil {
				byEntity[gd.ID] = map[string]Article{}
			}
			byEntity[gd.ID][a.Name] = a
		}
	}
	ids := make([]string, 0, len(byEntity))
	for id := range byEntity {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	cache := map[string]map[string]bool{}
	baseCache := map[string]map[string]bool{}
	for _, id := range ids {
		e, _ := g.Get(id)
		full := true
		for _, a := range byEntity[id] {
			var aliases []string
			for lang, ns := range e.Names {
				if (lang == "ar") != (a.Lang == "ar") {
					aliases = append(aliases, ns...)
				}
			}
			for _, al := range aliases {
				got, ok := cache[al]
				if !ok {
					resolved := g.Resolve(al)
					qs := make([]query.Query, 0, len(resolved))
					for _, rid := range resolved {
						tq := bleve.NewTermQuery(rid)
						tq.SetField("entities")
						qs = append(qs, tq)
					}
					got = map[string]bool{}
					if len(qs) > 0 {
						if got, err = search(bleve.NewDisjunctionQuery(qs...)); err != nil {
							return r, err
						}
					}
					cache[al] = got
				}
				base, ok := baseCache[al]
				if !ok {
					mq := bleve.NewMatchQuery(al)
					mq.SetField("body")
					if base, err = search(mq); err != nil {
						return r, err
					}
					baseCache[al] = base
				}
				r.total++
				if a.Test {
					r.testTotal++
				}
				if got[a.Name] {
					r.hits++
					if a.Test {
						r.testHits++
					}
				} else {
					full = false
				}
				if base[a.Name] {
					r.baseHits++
					if a.Test {
						r.testBase++
					}
				}
			}
		}
		r.entities++
		if full {
			r.fullEntities++
		}
	}
	return r, nil
}

type antDoc struct {
	id, title, body string
}

// loadAnt reads the TREC-style ant-arabic-news files (TITLE and TEXT).
func loadAnt(dir string, max int) ([]antDoc, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") && filepath.Dir(p) != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNoCorpus, err)
	}
	sort.Strings(paths)
	if max > 0 && len(paths) > max {
		paths = paths[:max]
	}
	docs := make([]antDoc, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		s := string(data)
		body := between(s, "<TEXT>", "</TEXT>")
		if body == "" {
			continue
		}
		docs = append(docs, antDoc{id: filepath.Base(p), title: between(s, "<TITLE>", "</TITLE>"), body: body})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents in %s", errNoCorpus, dir)
	}
	return docs, nil
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, close)
	return strings.TrimSpace(in)
}

// throughput times plain indexing, matching alone, and matching plus
// indexing with the entities field, over the same documents in one run.
func throughput(ctx context.Context, g *entity.Gazetteer, dir string, maxDocs, rounds int) (tpResult, error) {
	docs, err := loadAnt(dir, maxDocs)
	if err != nil {
		return tpResult{}, err
	}
	tp := tpResult{docs: len(docs), rounds: max(1, rounds)}
	tmp, err := os.MkdirTemp("", "mirsad-entity-tp-")
	if err != nil {
		return tp, fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(tmp)
	date := time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)

	// index builds an index of docs; ids gives each document's entity ids
	// (nil: no entities field).
	index := func(name string, ids func(i int, d antDoc) []string) (time.Duration, time.Duration, error) {
		start, cpu0 := time.Now(), cpuTime()
		idx, err := bleve.New(filepath.Join(tmp, name), newMapping(ids != nil))
		if err != nil {
			return 0, 0, fmt.Errorf("eval: %w", err)
		}
		b := idx.NewBatch()
		for i, d := range docs {
			if i%200 == 0 {
				if err := ctx.Err(); err != nil {
					idx.Close()
					return 0, 0, err
				}
			}
			doc := map[string]any{"title": d.title, "body": d.body}
			if ids != nil {
				doc["entities"] = ids(i, d)
			}
			if err := b.Index(d.id, doc); err != nil {
				idx.Close()
				return 0, 0, fmt.Errorf("eval: %w", err)
			}
			if b.Size() >= 500 {
				if err := idx.Batch(b); err != nil {
					idx.Close()
					return 0, 0, fmt.Errorf("eval: %w", err)
				}
				b.Reset()
			}
		}
		if err := idx.Batch(b); err != nil {
			idx.Close()
			return 0, 0, fmt.Errorf("eval: %w", err)
		}
		if err := idx.Close(); err != nil {
			return 0, 0, fmt.Errorf("eval: %w", err)
		}
		return time.Since(start), cpuTime() - cpu0, nil
	}

	// Rounds alternate the three runs and keep each one's fastest time, so
	// that a burst of load from other work on the machine hits one round,
	// not the comparison.
	keepMin := func(best *time.Duration, d time.Duration) {
		if *best == 0 || d < *best {
			*best = d
		}
	}
	for r := 0; r < max(1, rounds); r++ {
		w, c, err := index(fmt.Sprintf("plain-%d", r), nil)
		if err != nil {
			return tp, err
		}
		keepMin(&tp.plain, w)
		keepMin(&tp.plainCPU, c)
		m := entity.NewMatcher(g, entity.Options{})
		start, cpu0 := time.Now(), cpuTime()
		mentions := 0
		found := make([][]string, len(docs))
		for i, d := range docs {
			ms := m.Match(d.title+"\n"+d.body, "ar", date)
			mentions += len(ms)
			found[i] = entityIDs(ms)
		}
		keepMin(&tp.match, time.Since(start))
		keepMin(&tp.matchCPU, cpuTime()-cpu0)
		tp.mentions, tp.discovered = mentions, len(m.Discovered())
		if w, c, err = index(fmt.Sprintf("field-%d", r), func(i int, _ antDoc) []string { return found[i] }); err != nil {
			return tp, err
		}
		keepMin(&tp.field, w)
		keepMin(&tp.fieldCPU, c)
		fresh := entity.NewMatcher(g, entity.Options{})
		if w, c, err = index(fmt.Sprintf("enriched-%d", r), func(_ int, d antDoc) []string {
			return entityIDs(fresh.Match(d.title+"\n"+d.body, "ar", date))
		}); err != nil {
			return tp, err
		}
		keepMin(&tp.enriched, w)
		keepMin(&tp.enrichedCPU, c)
		os.RemoveAll(filepath.Join(tmp, fmt.Sprintf("field-%d", r)))
		os.RemoveAll(filepath.Join(tmp, fmt.Sprintf("plain-%d", r)))
		os.RemoveAll(filepath.Join(tmp, fmt.Sprintf("enriched-%d", r)))
	}
	return tp, nil
}
