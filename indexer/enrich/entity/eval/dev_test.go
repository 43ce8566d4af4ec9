package eval

import (
	"os"
	"testing"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// TestDevErrors prints the mismatches of the dev split (never the test
// split) when MIRSAD_DEV_ERRORS=1; it is how the matcher was tuned.
func TestDevErrors(t *testing.T) {
	if os.Getenv("MIRSAD_DEV_ERRORS") != "1" {
		t.Skip("set MIRSAD_DEV_ERRORS=1")
	}
	arts, err := LoadArticles()
	if err != nil {
		t.Fatal(err)
	}
	g, err := entity.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var dev []Article
	for _, a := range arts {
		if !a.Test {
			dev = append(dev, a)
		}
	}
	s := Evaluate(g, entity.Options{}, dev)
	for _, e := range s.Errors {
		t.Logf("%s %s %-35s %q %s", e.Article, e.Kind, e.ID, e.Surface, e.Method)
	}
	for _, k := range []string{"ar/all", "en/all", "all/all"} {
		c := s.Gaz[k]
		t.Logf("gaz %s P=%.3f R=%.3f F1=%.3f %+v", k, c.P(), c.R(), c.F1(), *c)
	}
	for _, k := range []string{"ar", "en"} {
		if c := s.Disc[k]; c != nil {
			t.Logf("disc %s P=%.3f R=%.3f F1=%.3f %+v", k, c.P(), c.R(), c.F1(), *c)
		}
	}
}
