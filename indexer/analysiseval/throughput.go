package analysiseval

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// LoadANT reads the TREC-style files of the ANT corpus under dir and
// returns HEADLINE/TITLE plus TEXT of each document, in path order; max > 0
// limits how many.
func LoadANT(dir string, max int) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") && !strings.HasSuffix(p, "SHA256SUMS.txt") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analysiseval: walk %s: %w", dir, err)
	}
	sort.Strings(paths)
	if max > 0 && len(paths) > max {
		paths = paths[:max]
	}
	docs := make([]string, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("analysiseval: %w", err)
		}
		s := string(b)
		if !strings.HasPrefix(strings.TrimSpace(s), "<DOC>") {
			continue // ORIGIN.txt and other notes beside the articles
		}
		title := element(s, "HEADLINE")
		if title == "" {
			title = element(s, "TITLE")
		}
		docs = append(docs, title+"\n"+element(s, "TEXT"))
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("analysiseval: no documents under %s", dir)
	}
	return docs, nil
}

func element(s, name string) string {
	i := strings.Index(s, "<"+name+">")
	if i < 0 {
		return ""
	}
	s = s[i+len(name)+2:]
	if j := strings.Index(s, "</"+name+">"); j >= 0 {
		s = s[:j]
	}
	return strings.TrimSpace(s)
}

// Throughput analyzes docs with each analyzer, alternating analyzers in
// each round so that noise from other processes hits them alike, and
// returns the best docs/s of each.
func Throughput(ctx context.Context, docs []string, analyzers []string, rounds int) (map[string]float64, error) {
	bs := make([][]byte, len(docs))
	for i, d := range docs {
		bs[i] = []byte(d)
	}
	as := newAnalyzers()
	best := map[string]float64{}
	for r := 0; r < rounds; r++ {
		for _, name := range analyzers {
			a, err := as.cache.AnalyzerNamed(name)
			if err != nil {
				return nil, fmt.Errorf("analysiseval: analyzer %s: %w", name, err)
			}
			start := time.Now()
			for _, b := range bs {
				a.Analyze(b)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rate := float64(len(bs)) / time.Since(start).Seconds()
			if rate > best[name] {
				best[name] = rate
			}
		}
	}
	return best, nil
}
