package eval

import (
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// TestDiscoverySample prints 40 random title-introduced discoveries from
// real news for a person to judge by hand: Arabic from ant-arabic-news
// (documents 8000 on, untouched while the rules were written; 5000-8000 served as a development sample, and seed 3 of this range was judged before the last rule changes) and English
// from the PolNeAR test texts (seeds 2 and 3 served as development samples). Run with MIRSAD_SAMPLE=1.
func TestDiscoverySample(t *testing.T) {
	if os.Getenv("MIRSAD_SAMPLE") != "1" {
		t.Skip("set MIRSAD_SAMPLE=1")
	}
	g, err := entity.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type ex struct{ doc, name, role, ctx string }
	sample := func(lang string, texts map[string]string, day time.Time) {
		m := entity.NewMatcher(g, entity.Options{})
		var exs []ex
		var names []string
		for n := range texts {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			txt := texts[n]
			for _, mt := range m.Match(txt, lang, day) {
				if mt.Method != entity.MethodDiscovered || mt.Role == "" {
					continue
				}
				a, b := max(0, mt.Start-70), min(len(txt), mt.End+70)
				for a > 0 && txt[a]&0xC0 == 0x80 {
					a--
				}
				for b < len(txt) && txt[b]&0xC0 == 0x80 {
					b++
				}
				exs = append(exs, ex{n, mt.Surface, mt.Role, strings.ReplaceAll(txt[a:b], "\n", " ")})
			}
		}
		r := rand.New(rand.NewSource(4))
		r.Shuffle(len(exs), func(i, j int) { exs[i], exs[j] = exs[j], exs[i] })
		t.Logf("%s: %d title-introduced discoveries; a random 40:", lang, len(exs))
		for i := 0; i < 40 && i < len(exs); i++ {
			t.Logf("%s %02d [%s] <%s> %s", lang, i, exs[i].name, exs[i].role, exs[i].ctx)
		}
	}
	dir := corpusDir("")
	docs, err := loadAnt(filepath.Join(dir, "ant-arabic-news"), 0)
	if err != nil {
		t.Skip(err)
	}
	ar := map[string]string{}
	for _, d := range docs[min(8000, len(docs)):] {
		ar[d.id] = d.title + "\n" + d.body
	}
	sample("ar", ar, time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC))
	files, _ := filepath.Glob(filepath.Join(dir, "PolNeAR", "data", "test", "text", "*"))
	en := map[string]string{}
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			en[filepath.Base(f)] = string(b)
		}
	}
	sample("en", en, time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC))
}
