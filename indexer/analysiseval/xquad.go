package analysiseval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// question is one xquad question with the ids of its relevant documents at
// both granularities.
type question struct {
	ID        string
	Text      string
	Paragraph string // id of the paragraph document
	Sentence  string // id of the sentence document holding the answer
	// Holding lists every sentence of the paragraph that contains the
	// answer text. xquad.ar's answer_start marks the first occurrence of
	// the answer text in the context, not always the one that answers
	// (أربعة in a sentence about another player), so where the text occurs
	// in several sentences the label is ambiguous; Holding is the lenient
	// reading reported beside the strict one.
	Holding []string
}

// xquadSet is one language of xquad turned into two document collections.
type xquadSet struct {
	Paragraphs map[string]string // id -> text
	Sentences  map[string]string
	Questions  []question
}

type squad struct {
	Data []struct {
		Paragraphs []struct {
			Context string `json:"context"`
			QAs     []struct {
				ID       string `json:"id"`
				Question string `json:"question"`
				Answers  []struct {
					Start int    `json:"answer_start"`
					Text  string `json:"text"`
				} `json:"answers"`
			} `json:"qas"`
		} `json:"paragraphs"`
	} `json:"data"`
}

// loadXQuAD reads xquad.<lang>.json from dir.
func loadXQuAD(dir, lang string) (*xquadSet, error) {
	b, err := os.ReadFile(filepath.Join(dir, "xquad."+lang+".json"))
	if err != nil {
		return nil, fmt.Errorf("analysiseval: %w", err)
	}
	var sq squad
	if err := json.Unmarshal(b, &sq); err != nil {
		return nil, fmt.Errorf("analysiseval: parse xquad.%s.json: %w", lang, err)
	}
	set := &xquadSet{Paragraphs: map[string]string{}, Sentences: map[string]string{}}
	for ai, a := range sq.Data {
		for pi, p := range a.Paragraphs {
			pid := fmt.Sprintf("p%d_%d", ai, pi)
			set.Paragraphs[pid] = p.Context
			spans := SplitSentences(p.Context)
			for si, sp := range spans {
				set.Sentences[pid+"_s"+strconv.Itoa(si)] = p.Context[sp[0]:sp[1]]
			}
			for _, qa := range p.QAs {
				if len(qa.Answers) == 0 {
					continue
				}
				// answer_start counts characters (SQuAD is Python), not bytes.
				at := byteOffset(p.Context, qa.Answers[0].Start)
				si := 0
				for i, sp := range spans {
					if at >= sp[0] {
						si = i
					}
				}
				q := question{
					ID: qa.ID, Text: qa.Question, Paragraph: pid,
					Sentence: pid + "_s" + strconv.Itoa(si),
				}
				for i, sp := range spans {
					if strings.Contains(p.Context[sp[0]:sp[1]], strings.TrimSpace(qa.Answers[0].Text)) || i == si {
						q.Holding = append(q.Holding, pid+"_s"+strconv.Itoa(i))
					}
				}
				set.Questions = append(set.Questions, q)
			}
		}
	}
	return set, nil
}

func byteOffset(s string, chars int) int {
	i := 0
	for n := 0; n < chars && i < len(s); n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// SplitSentences splits text at . ! ? ؟ followed by a space (the rule of
// the issue, so figures compare with the ones measured there) and returns
// the byte spans of the sentences.
func SplitSentences(text string) [][2]int {
	var spans [][2]int
	start := 0
	for i, r := range text {
		switch r {
		case '.', '!', '?', '؟':
			end := i + utf8.RuneLen(r)
			if end < len(text) && text[end] == ' ' {
				spans = append(spans, [2]int{start, end})
				start = end + 1
			}
		}
	}
	if start < len(text) {
		spans = append(spans, [2]int{start, len(text)})
	}
	return spans
}

// Field is one indexed field of a measured scheme: the document text is
// indexed under Name with Analyzer, and the query string is analyzed with
// QueryAnalyzer (default Analyzer) and matched on it with Boost.
type Field struct {
	Name          string
	Analyzer      string
	QueryAnalyzer string
	Boost         float64
}

// scheme says how one configuration indexes and queries text.
type scheme struct {
	Name    string
	Fields  []Field
	Scoring string // bleve scoring model: "" (tf-idf) or "bm25"
}

// single is a one-field scheme (stock analyzers, ablations).
func single(name, analyzer string) scheme {
	return scheme{Name: name, Fields: []Field{{Name: "text", Analyzer: analyzer, Boost: 1}}}
}

// buildIndex indexes docs into a new scorch index under dir with the field
// layout of s: every field gets the whole document text.
func buildIndex(ctx context.Context, dir string, s scheme, docs map[string]string) (bleve.Index, error) {
	dm := bleve.NewDocumentStaticMapping()
	for _, fd := range s.Fields {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = fd.Analyzer
		f.Store = false
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(fd.Name, f)
	}
	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = s.Fields[0].Analyzer
	im.ScoringModel = s.Scoring
	idx, err := bleve.New(filepath.Join(dir, "idx"), im)
	if err != nil {
		return nil, fmt.Errorf("analysiseval: new index: %w", err)
	}
	// Index in id order: bleve breaks score ties by internal doc number,
	// and map order would make the figures wobble from run to run.
	ids := make([]string, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	b := idx.NewBatch()
	for _, id := range ids {
		text := docs[id]
		if err := ctx.Err(); err != nil {
			idx.Close()
			return nil, err
		}
		doc := make(map[string]any, len(s.Fields))
		for _, fd := range s.Fields {
			doc[fd.Name] = text
		}
		if err := b.Index(id, doc); err != nil {
			idx.Close()
			return nil, fmt.Errorf("analysiseval: index %s: %w", id, err)
		}
		if b.Size() >= 500 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, fmt.Errorf("analysiseval: batch: %w", err)
			}
			b.Reset()
		}
	}
	if err := idx.Batch(b); err != nil {
		idx.Close()
		return nil, fmt.Errorf("analysiseval: batch: %w", err)
	}
	return idx, nil
}

// Query builds the query the search service uses for a query string on a
// text indexed under several fields: a disjunction of one match per field,
// each with the field's boost (and query-side analyzer, if it has one).
// With one field of boost 1 it is a plain match.
func Query(q string, fields []Field) query.Query {
	ms := make([]query.Query, 0, len(fields))
	for _, fd := range fields {
		m := bleve.NewMatchQuery(q)
		m.SetField(fd.Name)
		m.Analyzer = fd.Analyzer
		if fd.QueryAnalyzer != "" {
			m.Analyzer = fd.QueryAnalyzer
		}
		if fd.Boost != 1 {
			m.SetBoost(fd.Boost)
		}
		ms = append(ms, m)
	}
	if len(ms) == 1 {
		return ms[0]
	}
	return bleve.NewDisjunctionQuery(ms...)
}

// ranks returns, for each relevance reading and each question, the
// 1-based rank of its first relevant document in the top 10, or 0 when
// none is there.
func ranks(ctx context.Context, idx bleve.Index, s scheme, qs []question, rels []func(question) []string) ([][]int, error) {
	out := make([][]int, len(rels))
	for k := range out {
		out[k] = make([]int, len(qs))
	}
	for i, q := range qs {
		req := bleve.NewSearchRequestOptions(Query(q.Text, s.Fields), 10, 0, false)
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("analysiseval: search %s: %w", q.ID, err)
		}
		for k, rel := range rels {
			want := rel(q)
		hits:
			for r, h := range res.Hits {
				for _, id := range want {
					if h.ID == id {
						out[k][i] = r + 1
						break hits
					}
				}
			}
		}
	}
	return out, nil
}

// level is one granularity of xquad: its documents and, per reading of
// relevance, the relevant document ids of a question.
type level struct {
	Name  string
	Docs  map[string]string
	Rels  []func(question) []string
	Names []string // one per Rels
}

func levels(set *xquadSet) []level {
	return []level{
		{Name: "paragraphs", Docs: set.Paragraphs,
			Rels:  []func(question) []string{func(q question) []string { return []string{q.Paragraph} }},
			Names: []string{"paragraphs"}},
		{Name: "sentences", Docs: set.Sentences,
			Rels: []func(question) []string{
				func(q question) []string { return []string{q.Sentence} },
				func(q question) []string { return q.Holding },
			},
			Names: []string{"sentences", "sentences*"}},
	}
}

// metrics is MRR@10 and recall@10 over a slice of ranks.
type metrics struct{ MRR, Recall float64 }

func score(rs []int) metrics {
	if len(rs) == 0 {
		return metrics{}
	}
	var m metrics
	for _, r := range rs {
		if r > 0 {
			m.MRR += 1 / float64(r)
			m.Recall++
		}
	}
	m.MRR /= float64(len(rs))
	m.Recall /= float64(len(rs))
	return m
}

func fmtMetrics(m metrics) string { return fmt.Sprintf("%.3f / %.3f", m.MRR, m.Recall) }
