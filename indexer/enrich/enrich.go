// Package enrich runs the understanding steps over an article before it is
// indexed: entities (with cross-script aliases), dates mentioned in the
// text, and attributed claims whose speakers resolve to entities.
package enrich

import (
	"log/slog"
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/entity"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/temporal"
)

// Options configure a Pipeline.
type Options struct {
	// Gazetteer is the merged built-in and user gazetteer; nil means the
	// built-in one alone.
	Gazetteer *entity.Gazetteer
	Logger    *slog.Logger
}

// Pipeline enriches articles. It is safe for concurrent use.
type Pipeline struct {
	g       *entity.Gazetteer
	matcher *entity.Matcher
	dates   *temporal.Tagger
	claims  *claim.Extractor
}

// New builds the pipeline and protects the gazetteer's Arabic names from
// the stemmer, so it must run before any index is opened.
func New(opts Options) (*Pipeline, error) {
	g := opts.Gazetteer
	if g == nil {
		var err error
		if g, err = entity.Builtin(); err != nil {
			return nil, err
		}
	}
	arabic.Protect(g.Names()...)
	p := &Pipeline{
		g:       g,
		matcher: entity.NewMatcher(g, entity.Options{Logger: opts.Logger}),
		dates:   temporal.New(temporal.Options{}),
	}
	p.claims = claim.New(claim.Options{Resolver: speakers{p.matcher}})
	return p, nil
}

// Gazetteer returns the entities the pipeline knows.
func (p *Pipeline) Gazetteer() *entity.Gazetteer { return p.g }

// Matcher returns the entity matcher, which also knows the people it has
// discovered so far.
func (p *Pipeline) Matcher() *entity.Matcher { return p.matcher }

// Enrich fills a's entities, mentioned dates and claims, replacing any it had.
func (p *Pipeline) Enrich(a *document.Article) {
	inBody := p.matcher.Match(a.Body, a.Lang, a.Published)
	mentions := append(p.matcher.Match(a.Title, a.Lang, a.Published), inBody...)
	a.Entities = p.matcher.Summarize(mentions, a.Lang)
	a.MentionedDates = p.dates.Tag(a.Body, a.Lang, a.Published)
	a.Claims = p.claims.Extract(a.ID, a.Body, a.Lang, a.Published)
	for i := range a.Claims {
		c := &a.Claims[i]
		c.GroupID = ClaimGroup(*c)
		seen := map[string]bool{}
		for _, m := range inBody {
			if m.Start >= c.Start && m.End <= c.End && !seen[m.EntityID] {
				seen[m.EntityID] = true
				c.Entities = append(c.Entities, m.EntityID)
			}
		}
	}
}

// ClaimGroup keys a claim so that the same statement reprinted by several
// outlets shares a key: the speaker and the first words of its content,
// normalized, so punctuation and spelling variants agree.
func ClaimGroup(c document.Claim) string {
	who := c.SpeakerID
	if who == "" {
		who = arabic.Normalize(strings.ToLower(c.Speaker))
	}
	words := strings.FieldsFunc(arabic.Normalize(strings.ToLower(c.Text)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 0x0600 && r <= 0x06FF)
	})
	if len(words) > 12 {
		words = words[:12]
	}
	return document.IDFor("claim\x00" + c.Lang + "\x00" + who + "\x00" + strings.Join(words, " "))
}

// speakers resolves a claim's speaker phrase ("Egypt's spy chief", "وزير
// الخارجية القطري ماجد الأنصاري") to the entity it names, on the date of
// the article, taking the person that phrase mentions.
type speakers struct{ m *entity.Matcher }

func (s speakers) ResolveSpeaker(surface, lang string, at time.Time) (string, string, bool) {
	ms := s.m.Match(surface, lang, at)
	best := -1
	for i, mt := range ms {
		if mt.Type != entity.TypePerson && mt.Type != entity.TypeOrganization {
			continue
		}
		// Prefer a person over the body they speak for ("Hamas official Hossam Badran").
		if best < 0 || (ms[best].Type != entity.TypePerson && mt.Type == entity.TypePerson) {
			best = i
		}
	}
	if best < 0 {
		return "", "", false
	}
	id := ms[best].EntityID
	name := ms[best].Surface
	if e, ok := s.m.Entity(id); ok {
		name = e.Name(lang)
	}
	return id, name, true
}

// Resolve returns the ids of the entities that an id or alias (in any
// script or spelling) names, including people discovered in the text.
func (p *Pipeline) Resolve(aliasOrID string) []string { return p.matcher.Resolve(aliasOrID) }

// Entity returns a gazetteer or discovered entity.
func (p *Pipeline) Entity(id string) (entity.Entity, bool) { return p.matcher.Entity(id) }

// SearchEntities finds entities by name or id, gazetteer ones first, then
// the people discovered in the text.
func (p *Pipeline) SearchEntities(q string, limit int) []entity.Entity {
	out := p.g.Search(q, limit)
	if len(out) >= limit {
		return out
	}
	seen := map[string]bool{}
	for _, e := range out {
		seen[e.ID] = true
	}
	for _, id := range p.matcher.Resolve(q) {
		if e, ok := p.matcher.Entity(id); ok && !seen[id] && len(out) < limit {
			seen[id] = true
			out = append(out, e)
		}
	}
	return out
}
