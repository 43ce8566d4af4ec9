package arabic

import (
	"fmt"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
)

func terms(t *testing.T, analyzer, in string) []string {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzer)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range a.Analyze([]byte(in)) {
		got = append(got, string(tok.Term))
	}
	return got
}

func TestExtraAnalyzers(t *testing.T) {
	tests := []struct {
		analyzer, in string
		want         []string
	}{
		// proclitics off (not the suffix), then 3- and 4-grams
		{NgramAnalyzerName, "وبالمفاوضات", []string{"مفا", "فاو", "اوض", "وضا", "ضات", "مفاو", "فاوض", "اوضا", "وضات"}},
		// three letters or fewer stay whole, digits and Latin are not cut
		{NgramAnalyzerName, "قال 2025 Kalın", []string{"قال", "2025", "kalın"}},
		// ل + a protected name keeps the name's own ل; names are then
		// n-grammed like any word: the extra field ranks, the false-merge
		// check stays on the stemmed/exact fields
		{NgramAnalyzerName, "للبنان", []string{"لبن", "بنا", "نان", "لبنا", "بنان"}},
		// a lone و may be the word's own letter: kept
		{NgramAnalyzerName, "وزير", []string{"وزي", "زير", "وزير"}},
		{NgramAnalyzerName, "والوزير", []string{"وزي", "زير", "وزير"}},
		// a verb and its verbal noun meet on the root-ish field
		{RootAnalyzerName, "اعترض الاعتراضات", []string{"عترض", "عترض"}},
		{RootAnalyzerName, "تسجيل سجل", []string{"سجل", "سجل"}},
		{RootAnalyzerName, "الأخطاء خطأ", []string{"خط", "خط"}},
		// protected names pass the root-ish field whole
		{RootAnalyzerName, "وبإسرائيل", []string{"اسراءيل"}},
		// question words go on the query side only
		{QueryAnalyzerName, "ما هو عدد المفاوضات؟", []string{"مفاوض"}},
		{AnalyzerName, "ما هو عدد المفاوضات؟", []string{"عدد", "مفاوض"}},
		{ExactQueryAnalyzerName, "كم عدد الاعتراضات", []string{"الاعتراضات"}},
		{NgramQueryAnalyzerName, "من هو اسم القاضي", []string{"قاض", "اضي", "قاضي"}},
	}
	for _, tt := range tests {
		t.Run(tt.analyzer+" "+tt.in, func(t *testing.T) {
			if got := terms(t, tt.analyzer, tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("terms = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNgramFieldRanksBrokenForms checks in a real index that the n-gram
// field finds a text that shares no stem with the query (a broken plural)
// and that, searched together with the stemmed field, the text sharing
// the stem still ranks first.
func TestNgramFieldRanksBrokenForms(t *testing.T) {
	dm := bleve.NewDocumentStaticMapping()
	for name, an := range map[string]string{"s": AnalyzerName, "n": NgramAnalyzerName} {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = an
		dm.AddFieldMappingsAt(name, f)
	}
	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	idx, err := bleve.New(filepath.Join(t.TempDir(), "idx"), im)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	docs := map[string]string{
		"plural": "ارتكب الفريق أخطاء كثيرة في الشوط الثاني",
		"same":   "قال المدرب إن الخطأ كان في الدفاع",
		"other":  "وصل الوفد المصري إلى الدوحة صباح اليوم",
	}
	for id, text := range docs {
		if err := idx.Index(id, map[string]any{"s": text, "n": text}); err != nil {
			t.Fatal(err)
		}
	}
	search := func(fields ...string) []string {
		var qs []query.Query
		for _, f := range fields {
			m := bleve.NewMatchQuery("الخطأ")
			m.SetField(f)
			qs = append(qs, m)
		}
		res, err := idx.Search(bleve.NewSearchRequest(bleve.NewDisjunctionQuery(qs...)))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	if got := search("s"); fmt.Sprint(got) != "[same]" {
		t.Errorf("stemmed field alone finds %v, want [same]", got)
	}
	if got := search("s", "n"); len(got) != 2 || got[0] != "same" || got[1] != "plural" {
		t.Errorf("stemmed + n-gram fields find %v, want [same plural]", got)
	}
}

func FuzzExtraAnalyzers(f *testing.F) {
	for _, s := range []string{"وبالمفاوضات في القاهرة", "ما هو عدد الاستحواذات؟", "للبنان ٢٫٥", "ـ ً", "\u200f", "اعترض"} {
		f.Add(s)
	}
	as := []analysis.Analyzer{NewNgramAnalyzer(), NewRootAnalyzer(), NewQueryAnalyzer(), NewExactQueryAnalyzer(), NewNgramQueryAnalyzer()}
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range as {
			for _, tok := range a.Analyze([]byte(s)) {
				term := string(tok.Term)
				if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
					t.Fatalf("token %q has offsets %d..%d in %d bytes", term, tok.Start, tok.End, len(s))
				}
				if len(term) == 0 || !utf8.ValidString(term) {
					t.Fatalf("empty or invalid term %q from %q", term, s)
				}
				if len(term) > MaxGrowth*(tok.End-tok.Start) {
					t.Fatalf("term %q is longer than %d× its span %q", term, MaxGrowth, s[tok.Start:tok.End])
				}
			}
		}
	})
}
