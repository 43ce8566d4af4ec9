// Package eval measures the entity matcher: precision, recall and F1 on a
// labelled set of articles written for it, cross-script retrieval through a
// real bleve index, and enrichment throughput on a real Arabic corpus.
package eval

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed testdata/articles/*.txt
var articleFS embed.FS

// NewLabel marks a gold mention of a person who is not in the gazetteer.
const NewLabel = "new"

// Article is one labelled article of the evaluation set.
type Article struct {
	Name string // file name without extension: ar07, en12
	Lang string
	Date time.Time
	Text string // body without markup
	Gold []Gold
	Test bool // held-out test split
}

// Gold is one labelled mention: byte offsets into Article.Text.
type Gold struct {
	ID         string // gazetteer id or NewLabel
	Start, End int
}

var markRe = regexp.MustCompile(`\[\[([^|\]]+)\|([^\]]+)\]\]`)

// LoadArticles reads the embedded evaluation set, sorted by name.
func LoadArticles() ([]Article, error) {
	return loadArticles(articleFS, "testdata/articles")
}

func loadArticles(fsys fs.FS, dir string) ([]Article, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var out []Article
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("eval: %w", err)
		}
		a, err := parseArticle(strings.TrimSuffix(e.Name(), ".txt"), string(data))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parseArticle reads "date: YYYY-MM-DD", "---", then the marked-up body.
// Articles whose number is divisible by 3 form the test split.
func parseArticle(name, data string) (Article, error) {
	a := Article{Name: name}
	head, body, ok := strings.Cut(data, "\n---\n")
	if !ok {
		return a, fmt.Errorf("eval: %s: missing --- line", name)
	}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		if strings.TrimSpace(k) == "date" {
			d, err := time.Parse("2006-01-02", strings.TrimSpace(v))
			if err != nil {
				return a, fmt.Errorf("eval: %s: %w", name, err)
			}
			a.Date = d
		}
	}
	switch {
	case strings.HasPrefix(name, "ar"):
		a.Lang = "ar"
	case strings.HasPrefix(name, "en"):
		a.Lang = "en"
	default:
		return a, fmt.Errorf("eval: %s: name must start with ar or en", name)
	}
	n, err := strconv.Atoi(strings.TrimLeft(name, "aren"))
	if err != nil {
		return a, fmt.Errorf("eval: %s: want arNN or enNN", name)
	}
	a.Test = n%3 == 0
	var b strings.Builder
	last := 0
	for _, m := range markRe.FindAllStringSubmatchIndex(body, -1) {
		b.WriteString(body[last:m[0]])
		id, surface := body[m[2]:m[3]], body[m[4]:m[5]]
		start := b.Len()
		b.WriteString(surface)
		a.Gold = append(a.Gold, Gold{ID: id, Start: start, End: b.Len()})
		last = m[1]
	}
	b.WriteString(body[last:])
	a.Text = strings.TrimRight(b.String(), "\n")
	if strings.Contains(a.Text, "[[") || strings.Contains(a.Text, "]]") {
		return a, fmt.Errorf("eval: %s: unbalanced markup", name)
	}
	return a, nil
}
