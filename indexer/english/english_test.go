package english

import (
	"fmt"
	"testing"

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
