package eval

import (
	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
	"testing"
	"time"
)

func BenchmarkMatchAnt(b *testing.B) {
	docs, err := loadAnt(corpusDir("")+"/ant-arabic-news", 1000)
	if err != nil {
		b.Skip(err)
	}
	g, _ := entity.Builtin()
	m := entity.NewMatcher(g, entity.Options{})
	d := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x := docs[i%len(docs)]
		m.Match(x.title+"\n"+x.body, "ar", d)
	}
}
