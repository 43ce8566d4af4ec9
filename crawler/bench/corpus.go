package bench

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Article is one document of the ANT corpus.
type Article struct {
	DocNo     string
	URL       string
	Outlet    string
	Category  string
	Title     string
	Published time.Time
	Abstract  string
	Paras     []string // TEXT split into its lines
}

// Body is the article text as our extractor returns it: paragraphs
// separated by a blank line.
func (a Article) Body() string { return strings.Join(a.Paras, "\n\n") }

// LoadANT reads the TREC-style files under dir (one <DOC> per file),
// sorted by DOCNO so every run sees the same order.
func LoadANT(dir string, limit int) ([]Article, error) {
	var out []Article
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") || filepath.Dir(path) == filepath.Clean(dir) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		a, ok := parseDoc(string(data))
		if ok {
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bench: corpus %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: no <DOC> files under %s", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DocNo < out[j].DocNo })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func tag(doc, name string) string {
	open, end := "<"+name+">", "</"+name+">"
	i := strings.Index(doc, open)
	if i < 0 {
		return ""
	}
	rest := doc[i+len(open):]
	j := strings.Index(rest, end)
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(rest[:j])
}

func parseDoc(doc string) (Article, bool) {
	a := Article{
		DocNo:    tag(doc, "DOCNO"),
		URL:      tag(doc, "URL"),
		Outlet:   tag(doc, "SRC"),
		Category: tag(doc, "CAT"),
		Title:    tag(doc, "TITLE"),
		Abstract: tag(doc, "ABSTRACT"),
	}
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, tag(doc, "TIME")); err == nil {
			a.Published = t.UTC()
			break
		}
	}
	for _, line := range strings.Split(tag(doc, "TEXT"), "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			a.Paras = append(a.Paras, line)
		}
	}
	return a, a.DocNo != "" && len(a.Paras) > 0
}
