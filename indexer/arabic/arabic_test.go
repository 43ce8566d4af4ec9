package arabic

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"harakat", "مُفَاوَضَات", "مفاوضات"},
		{"tatweel", "شهـدت القاهـرة", "شهدت القاهره"},
		{"dagger alef", "هٰذا", "هذا"},
		{"alef wasla", "ٱلقدس", "القدس"},
		{"alef hamza", "أإآا", "اااا"},
		{"hamza seats", "مسؤول مسئول", "مسءول مسءول"},
		{"quranic marks", "قَالَ۟ ۖ", "قال "},
		{"persian letters", "کالین گ ہ ھ", "كالين ك ه ه"},
		{"arabic-indic digits", "٢٠٢٥", "2025"},
		{"persian digits", "۲۰۲۵", "2025"},
		{"decimal separator", "٢٫٥", "2.5"},
		{"rlm separates", "غزة\u200fالمحتلة", "غزه المحتله"},
		{"bidi embedding separates", "\u202bحماس\u202c", " حماس "},
		{"isolates separate", "\u2067الدوحة\u2069", " الدوحه "},
		{"zwnj inside a word removed", "القا\u200cهرة", "القاهره"},
		{"bom removed", "\ufeffمصر", "مصر"},
		{"arabic letter mark separates", "مصر\u061cقطر", "مصر قطر"},
		{"presentation forms", "ﻣﺼﺮ ﻻ", "مصر لا"},
		{"allah ligature", "ﷲ", "الله"},
		{"pdf debris", "انتهى□ ثم∏بدأ", "انتهي  ثم بدا"},
		{"dotted capital I", "İbrahim Kalın", "ibrahim kalın"},
		{"full-width latin", "ＧＡＺＡ", "gaza"},
		{"alef maqsura", "مصطفى على", "مصطفي علي"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"arabic", "قال وزير الخارجية المصري إن المفاوضات مستمرة", "ar"},
		{"english", "Egypt's foreign minister said talks continue", "en"},
		{"arabic quoting latin", "قال إبراهيم كالين İbrahim Kalın في أنقرة إن الوفد وصل", "ar"},
		{"english quoting arabic", "The word هدنة means truce in the statement issued on Monday", "en"},
		{"digits only", "2025", "en"},
		{"empty", "", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.in); got != tt.want {
				t.Errorf("Detect(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	// Pairs that must meet or stay apart: the examples.
	tests := []struct {
		a, b string
		same bool
	}{
		{"فلسطين", "الفلسطيني", true},
		{"فلسطين", "الفلسطينيين", true},
		{"فلسطين", "فلسطينية", true},
		{"المفاوضات", "وبالمفاوضات", true},
		{"مصر", "لمصر", true},
		{"لبنان", "للبنان", true},
		{"المرحلة", "المرحلتين", true},
		{"قادة", "قادتهم", true},
		{"اعتراض", "اعتراضاً", true},
		{"قطر", "قطرات", false},
		{"قطر", "قطرة", false},
		{"عمان", "عمال", false},
		{"حماس", "حماسة", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			sa, sb := Stem(NormalizeToken(tt.a)), Stem(NormalizeToken(tt.b))
			if (sa == sb) != tt.same {
				t.Errorf("Stem(%s) = %s, Stem(%s) = %s, want same=%v", tt.a, sa, tt.b, sb, tt.same)
			}
		})
	}
}

func TestStemKeepsNames(t *testing.T) {
	// The names bleve's stock stemmer cuts (issue 3).
	for _, w := range []string{"لبنان", "إيران", "عمان", "أردوغان", "كالين", "فيدان", "ويتكوف", "البحرين"} {
		t.Run(w, func(t *testing.T) {
			n := NormalizeToken(w)
			got := Stem(n)
			if !strings.HasSuffix(n, got) || len(got) < len(n)-len("ال") {
				t.Errorf("Stem(%s) = %s, want the name whole", n, got)
			}
		})
	}
}

func TestProtectConcurrent(t *testing.T) {
	name := "زمردان" // not a real name, not in the built-in list
	if IsProtected(Normalize(name)) {
		t.Fatalf("%s protected before Protect", name)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				Stem(NormalizeToken("والزمردان"))
			}
		}()
	}
	Protect(name)
	wg.Wait()
	if got := Stem(NormalizeToken("والزمردان")); got != Normalize(name) {
		t.Errorf("after Protect, Stem(والزمردان) = %s, want %s", got, name)
	}
}

func TestTokenizerOffsets(t *testing.T) {
	in := "قال: غزة\u200fالمحتلة، Kalın's 2.5 ٢٫٥"
	toks := NewTokenizer().Tokenize([]byte(in))
	var got []string
	for _, tok := range toks {
		got = append(got, in[tok.Start:tok.End])
	}
	want := []string{"قال", "غزة", "المحتلة", "Kalın's", "2.5", "٢٫٥"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
}

func TestAnalyzers(t *testing.T) {
	cache := registry.NewCache()
	tests := []struct {
		analyzer, in string
		want         []string
	}{
		{AnalyzerName, "وبالمفاوضات في القاهرة", []string{"مفاوض", "قاهره"}},
		{ExactAnalyzerName, "وبالمفاوضات في القاهرة", []string{"وبالمفاوضات", "القاهره"}},
		{AnalyzerName, "فى غزة", []string{"غزه"}},
		{ExactAnalyzerName, "شهـدت", []string{"شهدت"}},
		{AnalyzerName, "قال İbrahim Kalın", []string{"قال", "ibrahim", "kalin"}},
		{ExactAnalyzerName, "قال İbrahim Kalın", []string{"قال", "ibrahim", "kalın"}},
	}
	for _, tt := range tests {
		t.Run(tt.analyzer+" "+tt.in, func(t *testing.T) {
			a, err := cache.AnalyzerNamed(tt.analyzer)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tok := range a.Analyze([]byte(tt.in)) {
				got = append(got, string(tok.Term))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("terms = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHighlightMarksOriginal indexes text with tatweel in a real index and
// checks that the highlight marks the word as written, not a shifted span.
func TestHighlightMarksOriginal(t *testing.T) {
	im := bleve.NewIndexMapping()
	dm := bleve.NewDocumentMapping()
	f := bleve.NewTextFieldMapping()
	f.Analyzer = AnalyzerName
	f.Store = true
	f.IncludeTermVectors = true
	dm.AddFieldMappingsAt("body", f)
	im.DefaultMapping = dm
	idx, err := bleve.New(filepath.Join(t.TempDir(), "idx"), im)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	text := "شهـدت القاهـرة جولة جديدة مع وزير الخارجية"
	if err := idx.Index("d1", map[string]any{"body": text}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, marked string }{
		{"شهدت", "<mark>شهـدت</mark>"},
		{"القاهرة", "<mark>القاهـرة</mark>"},
		// وزير is indexed under two readings at one position: one mark.
		{"الوزير", "مع <mark>وزير</mark> الخارجية"},
	} {
		t.Run(tt.query, func(t *testing.T) {
			q := bleve.NewMatchQuery(tt.query)
			q.SetField("body")
			req := bleve.NewSearchRequest(q)
			req.Highlight = bleve.NewHighlight()
			req.Highlight.AddField("body")
			res, err := idx.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 {
				t.Fatalf("%d hits, want 1", len(res.Hits))
			}
			frags := res.Hits[0].Fragments["body"]
			if len(frags) == 0 || !strings.Contains(frags[0], tt.marked) {
				t.Errorf("fragments %q do not contain %q", frags, tt.marked)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"شهـدت القاهـرة", "مُفَاوَضَات", "غزة\u200fالمحتلة", "İbrahim Kalın", "ﷲ ﻻ ﷺ", "٢٠٢٥", "\xff\xfe", "ＧＡＺＡ", "ﹰ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q is not valid UTF-8", s, n)
		}
		if len(n) > MaxGrowth*len(s) {
			t.Fatalf("Normalize(%q) is %d bytes, more than %d×%d", s, len(n), MaxGrowth, len(s))
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: Normalize(%q) = %q, Normalize of that = %q", s, n, again)
		}
	})
}

func FuzzAnalyzer(f *testing.F) {
	for _, s := range []string{"وبالمفاوضات في القاهرة", "Kalın's 2.5 talks", "للبنان ٢٫٥", "ـ ً", "\u200f", "ﻟﻠ"} {
		f.Add(s)
	}
	stem, exact := NewAnalyzer(), NewExactAnalyzer()
	f.Fuzz(func(t *testing.T, s string) {
		for _, toks := range []analysis.TokenStream{stem.Analyze([]byte(s)), exact.Analyze([]byte(s))} {
			for _, tok := range toks {
				term := string(tok.Term)
				if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
					t.Fatalf("token %q has offsets %d..%d in %d bytes", term, tok.Start, tok.End, len(s))
				}
				if len(term) == 0 || !utf8.ValidString(term) {
					t.Fatalf("empty or invalid term %q from %q", term, s)
				}
				if Normalize(term) != term && !strings.ContainsRune(term, ' ') {
					t.Fatalf("term %q from %q is not normalized", term, s)
				}
			}
		}
	})
}
