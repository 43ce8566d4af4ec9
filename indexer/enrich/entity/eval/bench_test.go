package eval

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// BenchmarkMatchAnt matches real Arabic news (ant-arabic-news); it skips
// when the corpus is not there.
func BenchmarkMatchAnt(b *testing.B) {
	docs, err := loadAnt(filepath.Join(corpusDir(""), "ant-arabic-news"), 1000)
	if err != nil {
		b.Skip(err)
	}
	g, err := entity.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	m := entity.NewMatcher(g, entity.Options{})
	day := time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		m.Match(d.title+"\n"+d.body, "ar", day)
	}
}
