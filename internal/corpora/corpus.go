// Package corpora reads the shared third-party corpora used by benchmarks
// (never copied into the repository): ant-arabic-news as Arabic articles and
// PolNeAR's texts as English ones.
package corpora

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// ErrMissing is returned when a corpus folder is absent or empty.
var ErrMissing = errors.New("corpora: not found")

// DefaultDir is where the shared corpora are found without options:
// $MIRSAD_CORPUS, else ../shared/corpus beside the repository root (found
// from the working directory), else ../shared/corpus.
func DefaultDir() string {
	if d := os.Getenv("MIRSAD_CORPUS"); d != "" {
		return d
	}
	if root, err := RepoRoot(); err == nil {
		return filepath.Join(root, "..", "shared", "corpus")
	}
	return filepath.Join("..", "shared", "corpus")
}

// RepoRoot is the nearest folder above the working directory holding go.mod,
// so that runners work from the repository root and from a package's tests.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("corpora: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("corpora: no go.mod above the working directory")
		}
		dir = parent
	}
}

// ANT reads ant-arabic-news (TREC-style files under dir) as Arabic
// articles, sorted by path so runs are repeatable; limit 0 means all.
func ANT(dir string, limit int) ([]document.Article, error) {
	paths, err := files(dir, ".txt")
	if err != nil {
		return nil, err
	}
	var docs []document.Article
	for _, p := range paths {
		if limit > 0 && len(docs) == limit {
			break
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("corpora: %w", err)
		}
		s := string(data)
		body, u := between(s, "<TEXT>", "</TEXT>"), between(s, "<URL>", "</URL>")
		if body == "" || u == "" {
			continue
		}
		pub, err := time.Parse(time.RFC1123, between(s, "<TIME>", "</TIME>"))
		if err != nil {
			pub = time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)
		}
		docs = append(docs, document.Article{
			ID: document.IDFor(u), URL: u, Source: strings.ToLower(between(s, "<SRC>", "</SRC>")),
			Lang: document.LangArabic, Title: between(s, "<TITLE>", "</TITLE>"), Body: body,
			Published: pub.UTC(), Fetched: pub.UTC(),
		})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no articles in %s", ErrMissing, dir)
	}
	return docs, nil
}

// PolNeAR reads the texts of every split of PolNeAR (dir is its data
// folder) as English articles; the file name gives outlet and date.
func PolNeAR(dir string, limit int) ([]document.Article, error) {
	paths, err := files(dir, ".txt")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var docs []document.Article
	for _, p := range paths {
		if limit > 0 && len(docs) == limit {
			break
		}
		name := strings.TrimSuffix(filepath.Base(p), ".txt")
		if seen[name] {
			continue // the annotator-training texts repeat some articles
		}
		seen[name] = true
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("corpora: %w", err)
		}
		text := strings.TrimSpace(string(data))
		title, body, _ := strings.Cut(text, "\n")
		parts := strings.SplitN(name, "_", 3)
		pub := time.Date(2016, 10, 1, 0, 0, 0, 0, time.UTC)
		source := "polnear"
		if len(parts) == 3 {
			source = parts[0]
			if t, err := time.Parse("2006-01-02", parts[1]); err == nil {
				pub = t
			}
		}
		u := "https://polnear.example/" + name
		docs = append(docs, document.Article{
			ID: document.IDFor(u), URL: u, Source: source, Lang: document.LangEnglish,
			Title: strings.TrimSpace(title), Body: strings.TrimSpace(body), Published: pub, Fetched: pub,
		})
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no texts in %s", ErrMissing, dir)
	}
	return docs, nil
}

func files(dir, ext string) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) && filepath.Dir(p) != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMissing, err)
	}
	sort.Strings(paths)
	return paths, nil
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, close)
	return strings.TrimSpace(in)
}
