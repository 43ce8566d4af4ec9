package eval

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
)

// antDoc is one article of the ANT corpus (TREC-style XML).
type antDoc struct {
	ID, Title, Body string
	Published       time.Time
}

func tag(doc, name string) string {
	open, closing := "<"+name+">", "</"+name+">"
	i := strings.Index(doc, open)
	if i < 0 {
		return ""
	}
	j := strings.Index(doc[i+len(open):], closing)
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(doc[i+len(open) : i+len(open)+j])
}

// loadANT reads up to max documents (0: all) of ant-arabic-news.
func loadANT(ctx context.Context, dir string, max int) ([]antDoc, error) {
	var docs []antDoc
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") || strings.HasSuffix(path, "SHA256SUMS.txt") {
			return nil
		}
		if max > 0 && len(docs) >= max {
			return filepath.SkipAll
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		if !strings.Contains(s, "<DOC>") {
			return nil
		}
		doc := antDoc{ID: tag(s, "DOCNO"), Title: tag(s, "TITLE"), Body: tag(s, "TEXT")}
		if doc.ID == "" {
			doc.ID = path // a few files lack DOCNO; bleve needs an id
		}
		doc.Published, _ = time.Parse(time.RFC1123, tag(s, "TIME"))
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eval: ant corpus: %w", err)
	}
	return docs, nil
}

// costResult compares claim extraction with plain bleve indexing of the
// same documents, measured in the same run.
type costResult struct {
	docs, claims   int
	extract, index time.Duration
}

func (c costResult) share() float64 {
	t := c.extract + c.index
	if t == 0 {
		return 0
	}
	return float64(c.extract) / float64(t)
}

func measureCost(ctx context.Context, x *claim.Extractor, docs []antDoc) (costResult, error) {
	res := costResult{docs: len(docs)}
	start := time.Now()
	for _, d := range docs {
		res.claims += len(x.Extract(d.ID, d.Body, "ar", d.Published))
	}
	res.extract = time.Since(start)
	if err := ctx.Err(); err != nil {
		return res, err
	}

	dir, err := os.MkdirTemp("", "mirsad-claims-bench-")
	if err != nil {
		return res, fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(dir)
	m := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = ar.AnalyzerName
		return f
	}
	dm.AddFieldMappingsAt("title", text())
	dm.AddFieldMappingsAt("body", text())
	m.DefaultMapping = dm
	start = time.Now()
	idx, err := bleve.New(filepath.Join(dir, "index"), m)
	if err != nil {
		return res, fmt.Errorf("eval: bleve: %w", err)
	}
	b := idx.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.ID, map[string]any{"title": d.Title, "body": d.Body}); err != nil {
			idx.Close()
			return res, fmt.Errorf("eval: bleve: %w", err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return res, fmt.Errorf("eval: bleve: %w", err)
			}
			b.Reset()
			if err := ctx.Err(); err != nil {
				idx.Close()
				return res, err
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return res, fmt.Errorf("eval: bleve: %w", err)
	}
	if err := idx.Close(); err != nil {
		return res, fmt.Errorf("eval: bleve: %w", err)
	}
	res.index = time.Since(start)
	return res, nil
}
