package eval

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// LoadANT reads every article of the ANT corpus under dir (TREC-style
// files with one <DOC> each) as Articles with ID = DOCNO, sorted by
// publication time then id, so runs are reproducible.
func LoadANT(dir string) ([]document.Article, error) {
	var out []document.Article
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".txt") || d.Name() == "SHA256SUMS.txt" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s := string(b)
		if !strings.HasPrefix(strings.TrimSpace(s), "<DOC>") {
			return nil
		}
		a := document.Article{
			ID:     tag(s, "DOCNO"),
			URL:    tag(s, "URL"),
			Source: tag(s, "SRC"),
			Lang:   document.LangArabic,
			Title:  tag(s, "TITLE"),
			Body:   tag(s, "TEXT"),
		}
		if a.ID == "" {
			return fmt.Errorf("%s: no DOCNO", path)
		}
		a.Published, _ = time.Parse(time.RFC1123, tag(s, "TIME"))
		if a.Published.IsZero() {
			a.Published, _ = time.Parse(time.RFC1123Z, tag(s, "TIME"))
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eval: load ant: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("eval: load ant: no documents under %s", dir)
	}
	slices.SortFunc(out, func(x, y document.Article) int {
		if c := x.Published.Compare(y.Published); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out, nil
}

func tag(s, name string) string {
	open, end := "<"+name+">", "</"+name+">"
	i := strings.Index(s, open)
	if i < 0 {
		return ""
	}
	s = s[i+len(open):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return strings.TrimSpace(s[:j])
}
