// Package concept maps a statement's words, in Arabic or English, to the
// language-neutral notions they express, so that one statement quoted in
// both languages can be recognised as one: "لا بديل عن التنفيذ الكامل
// للاتفاق" and "no alternative to full implementation of the deal" share
// {alternative, implementation, agreement} and no word.
package concept

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

//go:embed lexicon.tsv
var lexiconTSV string

// Lexicon is a bilingual list of concepts. The zero value knows none;
// Builtin returns the one Mirsad ships.
type Lexicon struct {
	stems   map[string]map[string]string // lang -> stem -> concept
	phrases map[string][][2]string       // lang -> (phrase, concept)
}

// minPrefix is the shortest stem that matches words it begins; shorter
// stems (حرب, war, end) match whole words only, so "endorse" is not "end".
const minPrefix = 4

// Builtin returns the embedded lexicon, parsed once.
var Builtin = sync.OnceValue(func() *Lexicon {
	l, err := Parse(lexiconTSV)
	if err != nil {
		panic(err) // the embedded file is ours, and its test parses it
	}
	return l
})

// Parse reads a lexicon: one concept a line, "concept<TAB>arabic,...<TAB>english,...";
// lines starting with # are comments.
func Parse(tsv string) (*Lexicon, error) {
	l := &Lexicon{stems: map[string]map[string]string{"ar": {}, "en": {}}, phrases: map[string][][2]string{}}
	for n, line := range strings.Split(tsv, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 || cols[0] == "" {
			return nil, fmt.Errorf("concept: lexicon line %d: want concept, arabic and english separated by tabs: %q", n+1, line)
		}
		for i, lang := range []string{"ar", "en"} {
			for _, w := range strings.Split(cols[i+1], ",") {
				w = norm(strings.TrimSpace(w), lang)
				if w == "" {
					continue
				}
				if strings.Contains(w, " ") {
					l.phrases[lang] = append(l.phrases[lang], [2]string{w, cols[0]})
				} else {
					l.stems[lang][w] = cols[0]
				}
			}
		}
	}
	return l, nil
}

func norm(s, lang string) string {
	if lang == "ar" {
		return arabic.Normalize(s)
	}
	return strings.ToLower(s)
}

// arabicClitics are the prefixes a word may carry before its stem, longest
// first: conjunction, preposition and article.
var arabicClitics = []string{"وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل"}

// Of returns the sorted, distinct concepts of a text in lang ("ar" or "en").
func (l *Lexicon) Of(text, lang string) []string {
	if lang != "ar" {
		lang = "en"
	}
	t := norm(text, lang)
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' })
	seen := map[string]bool{}
	joined := " " + strings.Join(words, " ") + " "
	for _, p := range l.phrases[lang] {
		if strings.Contains(joined, " "+p[0]+" ") || (lang == "ar" && containsClitic(joined, p[0])) {
			seen[p[1]] = true
		}
	}
	for _, w := range words {
		for _, cand := range l.forms(w, lang) {
			if c, ok := l.lookup(cand, lang); ok {
				seen[c] = true
				break
			}
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// containsClitic finds an Arabic phrase whose first word carries a clitic
// ("لوقف إطلاق النار").
func containsClitic(joined, phrase string) bool {
	for _, c := range arabicClitics {
		if strings.Contains(joined, " "+c+phrase+" ") {
			return true
		}
	}
	return false
}

// forms returns the word and, in Arabic, the word without each clitic
// prefix it may carry.
func (l *Lexicon) forms(w, lang string) []string {
	forms := []string{w}
	if lang == "ar" {
		for _, c := range arabicClitics {
			if rest, ok := strings.CutPrefix(w, c); ok && len([]rune(rest)) >= 2 {
				forms = append(forms, rest)
			}
		}
	}
	return forms
}

// lookup matches a word against the stems: whole word, or a stem of at
// least minPrefix letters that begins it (the longest such stem wins).
func (l *Lexicon) lookup(w, lang string) (string, bool) {
	stems := l.stems[lang]
	if c, ok := stems[w]; ok {
		return c, true
	}
	r := []rune(w)
	for n := len(r) - 1; n >= minPrefix; n-- {
		if c, ok := stems[string(r[:n])]; ok {
			return c, true
		}
	}
	return "", false
}

// Overlap compares two statements' anchors (concepts and entity ids): the
// number shared and the share of the smaller set that is shared.
func Overlap(a, b []string) (shared int, coeff float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	seen := map[string]bool{}
	for _, x := range b {
		if in[x] && !seen[x] {
			shared++
			seen[x] = true
		}
	}
	return shared, float64(shared) / float64(min(len(a), len(b)))
}

// Same tells whether two statements by one speaker, in two languages,
// are one statement: at least two anchors shared, covering at least half
// of the smaller set.
func Same(a, b []string) bool {
	shared, coeff := Overlap(a, b)
	return shared >= 2 && coeff >= 0.5
}
