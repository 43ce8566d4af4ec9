package eval

import (
	"os"
	"testing"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

// TestDevErrors lists the tagger's mistakes on the dev half only, for rule
// work; the test half stays unseen. MIRSAD_DEV_ERRORS=1 to run.
func TestDevErrors(t *testing.T) {
	if os.Getenv("MIRSAD_DEV_ERRORS") != "1" {
		t.Skip("set MIRSAD_DEV_ERRORS=1")
	}
	o := Options{}
	if err := o.defaults(); err != nil {
		t.Fatal(err)
	}
	items, err := LoadAll(o.MentionsDir)
	if err != nil {
		t.Fatal(err)
	}
	tg := temporal.New(temporal.Options{})
	for _, it := range items {
		if it.Split != "dev" {
			continue
		}
		pred := tg.Tag(it.Text, it.Lang, it.Published)
		for _, g := range it.Gold {
			found := false
			for _, p := range pred {
				if p.Start == g.Start && p.End == g.End && p.From == g.From && p.To == g.To {
					found = true
				}
			}
			if !found {
				t.Logf("%s gold %q %s..%s", it.ID, g.Text, g.From, g.To)
			}
		}
		for _, p := range pred {
			found := false
			for _, g := range it.Gold {
				if p.Start == g.Start && p.End == g.End && p.From == g.From && p.To == g.To {
					found = true
				}
			}
			if !found {
				t.Logf("%s pred %q %s..%s", it.ID, p.Text, p.From, p.To)
			}
		}
	}
}
