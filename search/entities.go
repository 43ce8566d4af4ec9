package search

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/mirsad-observatory/mirsad/indexer"
)

// EntityResult answers /api/entities.
type EntityResult struct {
	Hits []EntityHit `json:"hits"`
}

// EntityHit is an entity with its names in both scripts and how many
// indexed articles mention it.
type EntityHit struct {
	ID          string              `json:"id"`
	Type        string              `json:"type"`
	Names       map[string][]string `json:"names"`
	Provisional bool                `json:"provisional,omitempty"`
	DocCount    uint64              `json:"doc_count"`
}

// SearchEntities finds entities by name (any script) or id.
func (s *Service) SearchEntities(ctx context.Context, q string, limit int) (*EntityResult, error) {
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > 200 {
		return nil, badf("q: want a name or id of at most 200 characters")
	}
	if limit <= 0 {
		limit = 20
	}
	if limit > MaxSize {
		return nil, badf("size %d: want 1 to %d", limit, MaxSize)
	}
	out := &EntityResult{Hits: []EntityHit{}}
	if s.entities == nil {
		return out, nil
	}
	for _, e := range s.entities.SearchEntities(strings.TrimSpace(q), limit) {
		n, err := s.docCount(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		names := map[string][]string{"ar": {}, "en": {}}
		for l, ns := range e.Names {
			names[l] = ns
		}
		out.Hits = append(out.Hits, EntityHit{ID: e.ID, Type: e.Type, Names: names, Provisional: e.Provisional, DocCount: n})
	}
	return out, nil
}

func (s *Service) docCount(ctx context.Context, id string) (uint64, error) {
	req := bleve.NewSearchRequestOptions(term(indexer.FieldEntities, id), 0, 0, false)
	res, err := s.store.Index().SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("search: entity %s: %w", id, err)
	}
	return res.Total, nil
}
