// Package eval measures crawler/extract against public extraction
// benchmarks and our own Arabic pages, printing one plain-text table.
package eval

import (
	"strings"
	"unicode"
)

// tokenize mirrors the article-extraction-benchmark's Python re.findall(r'\w+')
// in Unicode mode: runs of letters, numbers and underscores. Combining marks
// (Arabic harakat) are not \w in Python, so they split tokens here too.
func tokenize(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		if r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// shingles counts 4-token shingles; a text shorter than 4 tokens is one
// shingle of all its tokens, as in the benchmark's _ngrams.
func shingles(text string) map[string]int {
	toks := tokenize(text)
	const n = 4
	out := map[string]int{}
	limit := len(toks) - n + 1
	if limit < 1 {
		limit = 1
	}
	for i := 0; i < limit; i++ {
		end := i + n
		if end > len(toks) {
			end = len(toks)
		}
		if end <= i {
			continue
		}
		out[strings.Join(toks[i:end], "\x00")]++
	}
	return out
}

// tpfpfn is one page's shingle match, normalised to sum to 1 so that long
// pages weigh no more than short ones (string_shingle_matching).
type tpfpfn struct{ tp, fp, fn float64 }

func shingleMatch(truth, pred string) tpfpfn {
	t, p := shingles(truth), shingles(pred)
	var r tpfpfn
	for k, tc := range t {
		pc := p[k]
		r.tp += float64(min(tc, pc))
		r.fn += float64(max(0, tc-pc))
	}
	for k, pc := range p {
		r.fp += float64(max(0, pc-t[k]))
	}
	if s := r.tp + r.fp + r.fn; s > 0 {
		r.tp, r.fp, r.fn = r.tp/s, r.fp/s, r.fn/s
	}
	return r
}

func precisionScore(m tpfpfn) float64 {
	switch {
	case m.fp == 0 && m.fn == 0:
		return 1
	case m.tp == 0 && m.fp == 0:
		return 0
	}
	return m.tp / (m.tp + m.fp)
}

func recallScore(m tpfpfn) float64 {
	switch {
	case m.fp == 0 && m.fn == 0:
		return 1
	case m.tp == 0 && m.fn == 0:
		return 0
	}
	return m.tp / (m.tp + m.fn)
}

// exactTokens is the benchmark's accuracy: the token sequences are equal.
func exactTokens(truth, pred string) bool {
	a, b := tokenize(truth), tokenize(pred)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// scores are the benchmark's corpus figures: precision and recall are means
// of per-page values (pages with an empty denominator are left out), F1 is
// their harmonic mean, accuracy the share of exact token matches.
type scores struct {
	precision, recall, f1, accuracy float64
	pages                           int
}

func corpusScores(truths, preds []string) scores {
	var pSum, rSum, acc float64
	var pN, rN int
	for i := range truths {
		m := shingleMatch(truths[i], preds[i])
		if m.tp+m.fp > 0 {
			pSum += precisionScore(m)
			pN++
		}
		if m.tp+m.fn > 0 {
			rSum += recallScore(m)
			rN++
		}
		if exactTokens(truths[i], preds[i]) {
			acc++
		}
	}
	var s scores
	s.pages = len(truths)
	if pN > 0 {
		s.precision = pSum / float64(pN)
	}
	if rN > 0 {
		s.recall = rSum / float64(rN)
	}
	if s.precision+s.recall > 0 {
		s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall)
	}
	if len(truths) > 0 {
		s.accuracy = acc / float64(len(truths))
	}
	return s
}
