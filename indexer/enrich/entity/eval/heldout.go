package eval

import (
	"strings"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
)

// heldOut counts gold mentions of people written exactly as one of their
// multi-word gazetteer names, and how many are still found when that name
// is taken out of the gazetteer: the spellings an outlet may use that nobody
// listed. Only the skeleton fallback (or another alias) can find them.
type heldOut struct {
	total, found, foundNoSkel, foundBase int
}

func leaveOneAliasOut(g *entity.Gazetteer, arts []Article) heldOut {
	var h heldOut
	type job struct {
		a    Article
		gold Gold
	}
	byAlias := map[string][]job{} // entity id + "\x00" + name key -> mentions
	for _, a := range arts {
		for _, gd := range a.Gold {
			e, ok := g.Get(gd.ID)
			if !ok || e.Type != entity.TypePerson {
				continue
			}
			key := entity.NameKey(a.Text[gd.Start:gd.End])
			if strings.Count(key, " ") < 1 {
				continue
			}
			for _, ns := range e.Names {
				for _, n := range ns {
					if entity.NameKey(n) == key {
						byAlias[e.ID+"\x00"+key] = append(byAlias[e.ID+"\x00"+key], job{a, gd})
					}
				}
			}
		}
	}
	for k, jobs := range byAlias {
		id, key, _ := strings.Cut(k, "\x00")
		// Without every name of the entity that folds to this key, nor the
		// same name with عبد joined or apart.
		flat := strings.ReplaceAll(strings.ReplaceAll(key, "عبد ", "عبد"), " ", "")
		ents := make([]entity.Entity, 0, len(g.All()))
		for _, e := range g.All() {
			if e.ID == id {
				c := e
				c.Names = map[string][]string{}
				for l, ns := range e.Names {
					for _, n := range ns {
						nk := entity.NameKey(n)
						if strings.ReplaceAll(strings.ReplaceAll(nk, "عبد ", "عبد"), " ", "") != flat {
							c.Names[l] = append(c.Names[l], n)
						}
					}
				}
				e = c
			}
			ents = append(ents, e)
		}
		g2, err := entity.New(ents)
		if err != nil {
			continue
		}
		full := entity.NewMatcher(g2, entity.Options{})
		noSkel := entity.NewMatcher(g2, entity.Options{NoSkeleton: true})
		for _, j := range jobs {
			h.total++
			if foundAt(full.Match(j.a.Text, j.a.Lang, j.a.Date), id, j.gold) {
				h.found++
			}
			if foundAt(noSkel.Match(j.a.Text, j.a.Lang, j.a.Date), id, j.gold) {
				h.foundNoSkel++
			}
			if foundAt(baselineMatch(g2, j.a.Text), id, j.gold) {
				h.foundBase++
			}
		}
	}
	return h
}

func foundAt(ms []entity.Mention, id string, gd Gold) bool {
	for _, m := range ms {
		if m.EntityID == id && overlap(m.Start, m.End, gd.Start, gd.End) {
			return true
		}
	}
	return false
}
