package eval

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar" // the stock "ar" analyzer of the stand-in mapping

	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

// antDoc is one article of the ANT corpus.
type antDoc struct {
	ID, Title, Text string
	Published       time.Time
}

func tag(s, name string) string {
	open, closing := "<"+name+">", "</"+name+">"
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], closing)
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(s[i+len(open) : i+j])
}

// loadANT reads the TREC-style articles of dir; limit 0 reads all.
func loadANT(ctx context.Context, dir string, limit int) ([]antDoc, error) {
	var docs []antDoc
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") || (limit > 0 && len(docs) >= limit) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		if !strings.Contains(s, "<DOC>") {
			return nil
		}
		pub, err := time.Parse(time.RFC1123Z, tag(s, "TIME"))
		if err != nil {
			pub, _ = time.Parse(time.RFC1123, tag(s, "TIME"))
		}
		docs = append(docs, antDoc{ID: tag(s, "DOCNO"), Title: tag(s, "TITLE"), Text: tag(s, "TEXT"), Published: pub})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eval: read %s: %w", dir, err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("eval: no ANT documents under %s", dir)
	}
	return docs, nil
}

func costRows(ctx context.Context, opts Options, tg *temporal.Tagger, items []Item, w io.Writer) error {
	docs, err := loadANT(ctx, filepath.Join(opts.CorpusDir, "ant-arabic-news"), opts.CostDocs)
	if err != nil {
		return err
	}
	var bytes, mentions, withPub int
	start, cpu0 := time.Now(), cpuTime()
	for _, d := range docs {
		ms := tg.Tag(d.Text, "ar", d.Published)
		mentions += len(ms)
		bytes += len(d.Text)
		if !d.Published.IsZero() {
			withPub++
		}
	}
	tagDur, tagCPU := time.Since(start), cpuTime()-cpu0
	if err := ctx.Err(); err != nil {
		return err
	}

	tmp, err := os.MkdirTemp("", "mirsad-dates-bench-")
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(tmp)
	m := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	for _, f := range []string{"title", "body"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = "ar"
		dm.AddFieldMappingsAt(f, fm)
	}
	dm.AddFieldMappingsAt("published", bleve.NewDateTimeFieldMapping())
	m.DefaultMapping = dm
	idx, err := bleve.New(filepath.Join(tmp, "index"), m)
	if err != nil {
		return fmt.Errorf("eval: create index: %w", err)
	}
	start, cpu0 = time.Now(), cpuTime()
	b := idx.NewBatch()
	for i, d := range docs {
		if err := b.Index(fmt.Sprintf("%s-%d", d.ID, i), map[string]any{"title": d.Title, "body": d.Text, "published": d.Published}); err != nil {
			idx.Close()
			return fmt.Errorf("eval: index: %w", err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return fmt.Errorf("eval: index: %w", err)
			}
			b = idx.NewBatch()
			if err := ctx.Err(); err != nil {
				idx.Close()
				return err
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return fmt.Errorf("eval: index: %w", err)
	}
	if err := idx.Close(); err != nil {
		return fmt.Errorf("eval: close index: %w", err)
	}
	idxDur, idxCPU := time.Since(start), cpuTime()-cpu0

	n := len(docs)
	fmt.Fprintf(w, "cost\tant-arabic-news tagging\t%d\t%d\t-\t-\t-\t-\t-\t-\t%.0f docs/s, %.1f MB/s (%d with RSS date, %d mentions)\n",
		n, mentions, float64(n)/tagDur.Seconds(), float64(bytes)/1e6/tagDur.Seconds(), withPub, mentions)
	fmt.Fprintf(w, "cost\tant-arabic-news bleve indexing (baseline)\t%d\t-\t-\t-\t-\t-\t-\t-\t%.0f docs/s (title+body, stock ar analyzer, batches of 500)\n",
		n, float64(n)/idxDur.Seconds())
	fmt.Fprintf(w, "cost\ttagging share of ingest (tag+index), wall\t%d\t-\t-\t-\t-\t-\t%.3f\t-\ttag %.2fs, index %.2fs wall\n",
		n, tagDur.Seconds()/(tagDur.Seconds()+idxDur.Seconds()), tagDur.Seconds(), idxDur.Seconds())
	if idxCPU > 0 {
		fmt.Fprintf(w, "cost\ttagging share of ingest (tag+index), CPU\t%d\t-\t-\t-\t-\t-\t%.3f\t-\ttag %.2fs, index %.2fs CPU (user+sys of this process)\n",
			n, tagCPU.Seconds()/(tagCPU.Seconds()+idxCPU.Seconds()), tagCPU.Seconds(), idxCPU.Seconds())
	}
	if opts.DateparserDocs >= 0 {
		k := min(max(opts.DateparserDocs, 0), n)
		if opts.DateparserDocs == 0 {
			k = min(200, n)
		}
		return dateparserRows(ctx, items, docs[:k], float64(n)/tagDur.Seconds(), w)
	}
	return nil
}
