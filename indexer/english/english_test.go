package english

import (
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

func TestAnalyzers(t *testing.T) {
	cache := registry.NewCache()
	tests := []struct {
		analyzer, in string
		want         []string
	}{
		{ExactAnalyzerName, "İbrahim Kalın", []string{"ibrahim", "kalın"}},
		{AnalyzerName, "İbrahim Kalın", []string{"ibrahim", "kalin"}},
		{ExactAnalyzerName, "İstanbul", []string{"istanbul"}},
		{AnalyzerName, "Kalın's statement", []string{"kalin", "statement"}},
		{AnalyzerName, "Egypt’s mediators negotiated", []string{"egypt", "mediat", "negoti"}},
		{AnalyzerName, "Hamas and Hama", []string{"hamas", "hama"}},
		{AnalyzerName, "Erdoğan ERDOGAN", []string{"erdogan", "erdogan"}},
		{AnalyzerName, "talks in الدوحة", []string{"talk", "دوحه"}},
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

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"kalın", "kalin"},
		{"erdoğan", "erdogan"},
		{"sīsī", "sisi"},
		{"türkiye", "turkiye"},
		{"plain", "plain"},
		{"الدوحه", "الدوحه"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzAnalyzer(f *testing.F) {
	for _, s := range []string{"İbrahim Kalın's talks", "Egypt’s ̏ mediators", "Hamas and الدوحة", "ＧＡＺＡ 2.5"} {
		f.Add(s)
	}
	stem, exact := NewAnalyzer(), NewExactAnalyzer()
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range []interface {
			Analyze([]byte) analysis.TokenStream
		}{stem, exact} {
			for _, tok := range a.Analyze([]byte(s)) {
				if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
					t.Fatalf("token %q has offsets %d..%d in %d bytes", tok.Term, tok.Start, tok.End, len(s))
				}
				if len(tok.Term) == 0 || !utf8.Valid(tok.Term) {
					t.Fatalf("empty or invalid term %q from %q", tok.Term, s)
				}
			}
		}
	})
}
