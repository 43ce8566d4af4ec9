// Package entity finds the people, organizations and places of the Mirsad
// beat in Arabic and English news: a gazetteer of names, aliases and dated
// roles; a matcher over normalized text that copes with Arabic clitics,
// Latin diacritics, possessives and cross-script spellings; and discovery
// of people who are not in the gazetteer from their titles.
package entity

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// Entity types.
const (
	TypePerson       = "person"
	TypeOrganization = "organization"
	TypePlace        = "place"
)

// Entity is one person, organization or place with its names per language.
type Entity struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	// Names maps a language code (ar, en, tr, ...) to its names; the first
	// name of a language is the display name.
	Names map[string][]string `json:"names"`
	Roles []Role              `json:"roles,omitempty"`
	// Provisional marks a person discovered in text, not in the gazetteer.
	Provisional bool `json:"provisional,omitempty"`
}

// Role is a title that names its holder during a period: "head of Egypt's
// General Intelligence" from 2024-10 is Hassan Rashad.
type Role struct {
	Titles map[string][]string `json:"titles"`
	From   time.Time           `json:"from,omitzero"` // zero: since ever
	To     time.Time           `json:"to,omitzero"`   // exclusive; zero: still holds it
}

// Holds reports whether the role was held on day t.
func (r Role) Holds(t time.Time) bool {
	if !r.From.IsZero() && t.Before(r.From) {
		return false
	}
	if !r.To.IsZero() && !t.Before(r.To) {
		return false
	}
	return true
}

// Name returns the display name in lang, falling back to English, Arabic,
// then any language, then the id.
func (e Entity) Name(lang string) string {
	for _, l := range []string{lang, "en", "ar"} {
		if ns := e.Names[l]; len(ns) > 0 {
			return ns[0]
		}
	}
	langs := make([]string, 0, len(e.Names))
	for l := range e.Names {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if ns := e.Names[l]; len(ns) > 0 {
			return ns[0]
		}
	}
	return e.ID
}

// Gazetteer is an immutable set of entities with lookup tables. It is safe
// for concurrent use.
type Gazetteer struct {
	entities []Entity // sorted by id
	byID     map[string]int
	byName   map[string][]int // name key (folded tokens joined by space) -> entities
	bySkel   map[string][]int // consonant skeleton of person names -> entities
}

//go:embed gazetteer.yaml
var builtinYAML []byte

// BuiltinFile is the name the built-in gazetteer reports in errors.
const BuiltinFile = "builtin:gazetteer.yaml"

var builtinOnce = sync.OnceValues(func() ([]Entity, error) {
	return parseFile(BuiltinFile, builtinYAML)
})

// Builtin returns the gazetteer shipped with Mirsad.
func Builtin() (*Gazetteer, error) {
	ents, err := builtinOnce()
	if err != nil {
		return nil, err
	}
	return newGazetteer(cloneEntities(ents)), nil
}

// LoadFiles returns the built-in gazetteer merged with the given YAML files.
// An entry whose id is built in adds its names and roles to the built-in
// entity; an id repeated across the given files is an error. On any error
// nothing is returned: a gazetteer is never half-loaded.
func LoadFiles(paths ...string) (*Gazetteer, error) {
	base, err := builtinOnce()
	if err != nil {
		return nil, err
	}
	ents := cloneEntities(base)
	idx := make(map[string]int, len(ents))
	for i, e := range ents {
		idx[e.ID] = i
	}
	seen := map[string]string{} // id -> file:line of its first user definition
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("entity: %w", err)
		}
		fileEnts, pos, err := parseFileLines(p, data)
		if err != nil {
			return nil, err
		}
		for k, e := range fileEnts {
			where := fmt.Sprintf("%s:%d", p, pos[k].id)
			if first, dup := seen[e.ID]; dup {
				return nil, &LoadError{File: p, Line: pos[k].id, Field: fmt.Sprintf("entities[%d].id", k),
					Msg: fmt.Sprintf("duplicate id %q (first defined at %s)", e.ID, first)}
			}
			seen[e.ID] = where
			if i, ok := idx[e.ID]; ok {
				if ents[i].Type != e.Type {
					return nil, &LoadError{File: p, Line: pos[k].typ, Field: fmt.Sprintf("entities[%d].type", k),
						Msg: fmt.Sprintf("type %q differs from the built-in %q for id %q", e.Type, ents[i].Type, e.ID)}
				}
				for l, ns := range e.Names {
					ents[i].Names[l] = appendNew(ents[i].Names[l], ns...)
				}
				ents[i].Roles = append(ents[i].Roles, e.Roles...)
				continue
			}
			idx[e.ID] = len(ents)
			ents = append(ents, e)
		}
	}
	return newGazetteer(ents), nil
}

func appendNew(dst []string, add ...string) []string {
	for _, a := range add {
		found := false
		for _, d := range dst {
			if d == a {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, a)
		}
	}
	return dst
}

func cloneEntities(src []Entity) []Entity {
	out := make([]Entity, len(src))
	for i, e := range src {
		c := e
		c.Names = make(map[string][]string, len(e.Names))
		for l, ns := range e.Names {
			c.Names[l] = append([]string(nil), ns...)
		}
		c.Roles = append([]Role(nil), e.Roles...)
		out[i] = c
	}
	return out
}

func newGazetteer(ents []Entity) *Gazetteer {
	sort.Slice(ents, func(i, j int) bool { return ents[i].ID < ents[j].ID })
	g := &Gazetteer{
		entities: ents,
		byID:     make(map[string]int, len(ents)),
		byName:   map[string][]int{},
		bySkel:   map[string][]int{},
	}
	for i, e := range ents {
		g.byID[e.ID] = i
		for _, ns := range e.Names {
			for _, n := range ns {
				for _, key := range nameVariants(nameKey(n)) {
					k := strings.Join(key, " ")
					g.byName[k] = appendIdx(g.byName[k], i)
				}
				if e.Type == TypePerson {
					if sk, ok := skeletonKey(tokenize(n)); ok {
						g.bySkel[sk] = appendIdx(g.bySkel[sk], i)
					}
				}
			}
		}
	}
	return g
}

func appendIdx(dst []int, i int) []int {
	for _, d := range dst {
		if d == i {
			return dst
		}
	}
	return append(dst, i)
}

// honorifics never take part in a skeleton key.
var honorifics = map[string]bool{}

func init() {
	for _, w := range []string{"sheikh", "shaikh", "prince", "king", "emir", "adm", "admiral", "general", "gen", "dr",
		"president", "الشيخ", "الامير", "الملك", "اللواء", "الادميرال", "الرئيس", "الدكتور", "الفريق"} {
		honorifics[w] = true
	}
}

// skeletonKey is the cross-script key of a multi-part name: the consonant
// skeletons of its parts, articles and honorifics left out. Names of fewer
// than two parts or short skeletons get no key: they collide too easily.
func skeletonKey(toks []token) (string, bool) {
	sks := make([]string, len(toks))
	for i, t := range toks {
		sks[i] = tokenSkeleton(t)
	}
	return spanKey(sks)
}

// tokenSkeleton is the skeleton of one token, "-" for words left out of keys.
func tokenSkeleton(t token) string {
	if t.norm == "" || isArticle(t.norm) || honorifics[t.norm] {
		return "-"
	}
	return skeleton(t.norm, t.arabic)
}

// spanKey joins precomputed token skeletons into a name key.
func spanKey(sks []string) (string, bool) {
	var b strings.Builder
	parts := 0
	for _, sk := range sks {
		if sk == "-" {
			continue
		}
		if sk == "" {
			return "", false
		}
		if parts > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sk)
		parts++
	}
	key := b.String()
	if parts < 2 || len(key)-parts+1 < 5 {
		return "", false
	}
	return key, true
}

// firstPart returns the first part of a skeleton key.
func firstPart(key string) string {
	first, _, _ := strings.Cut(key, " ")
	return first
}

// nameVariants spells a name key both with عبد joined to the next word and
// apart (عبد الرحمن / عبدالرحمن), as outlets write both.
func nameVariants(key []string) [][]string {
	out := [][]string{key}
	var joined, split []string
	changedJ, changedS := false, false
	for i := 0; i < len(key); i++ {
		w := key[i]
		if w == "عبد" && i+1 < len(key) && strings.HasPrefix(key[i+1], "ال") {
			joined = append(joined, w+key[i+1])
			i++
			changedJ = true
			continue
		}
		joined = append(joined, w)
	}
	for _, w := range key {
		if strings.HasPrefix(w, "عبدال") && runeCount(w) > 5 {
			split = append(split, "عبد", w[len("عبد"):])
			changedS = true
			continue
		}
		split = append(split, w)
	}
	if changedJ {
		out = append(out, joined)
	}
	if changedS {
		out = append(out, split)
	}
	return out
}

// New builds a gazetteer from entities, checking what a file load checks:
// unique valid ids, known types, non-empty names.
func New(ents []Entity) (*Gazetteer, error) {
	seen := map[string]bool{}
	for i, e := range ents {
		field := fmt.Sprintf("entities[%d]", i)
		switch {
		case !idRe.MatchString(e.ID):
			return nil, &LoadError{File: "(New)", Field: field + ".id", Msg: fmt.Sprintf("invalid id %q", e.ID)}
		case seen[e.ID]:
			return nil, &LoadError{File: "(New)", Field: field + ".id", Msg: fmt.Sprintf("duplicate id %q", e.ID)}
		case e.Type != TypePerson && e.Type != TypeOrganization && e.Type != TypePlace:
			return nil, &LoadError{File: "(New)", Field: field + ".type", Msg: fmt.Sprintf("wrong type %q", e.Type)}
		}
		seen[e.ID] = true
		total := 0
		for l, ns := range e.Names {
			for j, n := range ns {
				if NameKey(n) == "" {
					return nil, &LoadError{File: "(New)", Field: fmt.Sprintf("%s.names.%s[%d]", field, l, j), Msg: "empty name"}
				}
				total++
			}
		}
		if total == 0 {
			return nil, &LoadError{File: "(New)", Field: field + ".names", Msg: "no names"}
		}
	}
	return newGazetteer(cloneEntities(ents)), nil
}

// NameKey is the folded, normalized form under which names are compared:
// "İbrahim Kalın" and "ibrahim kalin" share it, and so do "إبراهيم قالن"
// and "ابراهيم قالن".
func NameKey(name string) string { return strings.Join(nameKey(name), " ") }

// Len returns the number of entities.
func (g *Gazetteer) Len() int { return len(g.entities) }

// All returns the entities sorted by id. The slice must not be modified.
func (g *Gazetteer) All() []Entity { return g.entities }

// Get returns the entity with the given id.
func (g *Gazetteer) Get(id string) (Entity, bool) {
	i, ok := g.byID[id]
	if !ok {
		return Entity{}, false
	}
	return g.entities[i], true
}

// Resolve returns the ids of the entities that an id or a name in any script
// and spelling designates: "ibrahim-kalin", "Kalın", "إبراهيم قالن" and
// "ابراهيم كالن" all give ["ibrahim-kalin"]. Roles are not resolved, their
// holder depends on a date. Unknown names give nil.
func (g *Gazetteer) Resolve(aliasOrID string) []string {
	q := strings.TrimSpace(aliasOrID)
	if q == "" {
		return nil
	}
	if _, ok := g.byID[q]; ok {
		return []string{q}
	}
	if _, ok := g.byID[strings.ToLower(q)]; ok {
		return []string{strings.ToLower(q)}
	}
	toks := tokenize(q)
	key := make([]string, 0, len(toks))
	for _, t := range toks {
		key = append(key, t.norm)
	}
	if len(key) == 0 {
		return nil
	}
	if ids := g.lookupName(key); ids != nil {
		return ids
	}
	if toks[0].arabic { // والقاهرة, لحماس
		var buf []string
		for _, v := range cliticVariants(key[0], buf)[1:] {
			k2 := append([]string{v}, key[1:]...)
			if ids := g.lookupName(k2); ids != nil {
				return ids
			}
		}
	}
	if sk, ok := skeletonKey(toks); ok {
		if idx := g.bySkel[sk]; len(idx) == 1 {
			return []string{g.entities[idx[0]].ID}
		}
	}
	return nil
}

func (g *Gazetteer) lookupName(key []string) []string {
	idx := g.byName[strings.Join(key, " ")]
	if len(idx) == 0 {
		return nil
	}
	ids := make([]string, 0, len(idx))
	for _, i := range idx {
		ids = append(ids, g.entities[i].ID)
	}
	sort.Strings(ids)
	return ids
}

// Search returns up to limit entities whose id or a name matches q, best
// first: exact names, then names starting with q, then names containing it.
// An empty q lists entities by id.
func (g *Gazetteer) Search(q string, limit int) []Entity {
	if limit <= 0 {
		limit = 20
	}
	key := strings.Join(nameKey(q), " ")
	type scored struct {
		i, score int
	}
	var hits []scored
	for i, e := range g.entities {
		if key == "" {
			hits = append(hits, scored{i, 0})
			continue
		}
		best := 0
		if strings.Contains(e.ID, strings.ReplaceAll(key, " ", "-")) {
			best = 1
		}
		for _, ns := range e.Names {
			for _, n := range ns {
				nk := strings.Join(nameKey(n), " ")
				switch {
				case nk == key:
					best = max(best, 3)
				case strings.HasPrefix(nk, key):
					best = max(best, 2)
				case strings.Contains(nk, key):
					best = max(best, 1)
				}
			}
		}
		if best > 0 {
			hits = append(hits, scored{i, best})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Entity, len(hits))
	for k, h := range hits {
		out[k] = g.entities[h.i]
	}
	return out
}

// Names returns every Arabic name and alias, normalized, sorted and without
// duplicates, so that the Arabic analyzer can keep them from the stemmer.
func (g *Gazetteer) Names() []string {
	set := map[string]bool{}
	for _, e := range g.entities {
		for _, n := range e.Names["ar"] {
			if k := strings.Join(nameKey(n), " "); k != "" {
				set[k] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LoadError is a gazetteer file problem, located by file, line and field.
type LoadError struct {
	File  string
	Line  int
	Field string // e.g. entities[3].names.ar[0]; empty for file-level errors
	Msg   string
}

func (e *LoadError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field == "" {
		return fmt.Sprintf("entity: %s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("entity: %s: %s: %s", loc, e.Field, e.Msg)
}

var (
	idRe       = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	langRe     = regexp.MustCompile(`^[a-z]{2,3}$`)
)

func parseFile(name string, data []byte) ([]Entity, error) {
	ents, _, err := parseFileLines(name, data)
	return ents, err
}

// entityPos holds the lines of an entity's id and type in its file.
type entityPos struct{ id, typ int }

// parseFileLines decodes and validates one gazetteer file, returning each
// entity with the lines of its id and type.
func parseFileLines(name string, data []byte) ([]Entity, []entityPos, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		le := &LoadError{File: name, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
			le.Line, _ = strconv.Atoi(m[1])
			le.Msg = "invalid YAML: " + m[2]
		}
		return nil, nil, le
	}
	fail := func(n *yaml.Node, field, format string, args ...any) ([]Entity, []entityPos, error) {
		line := 0
		if n != nil {
			line = n.Line
		}
		return nil, nil, &LoadError{File: name, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if len(root.Content) == 0 {
		return fail(nil, "", "empty file (want a mapping with entities:)")
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return fail(doc, "", "want a mapping with entities:")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if k.Value != "entities" {
			return fail(k, k.Value, "unknown field")
		}
		list = v
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return fail(doc, "entities", "want a list of entities")
	}
	ents := make([]Entity, 0, len(list.Content))
	lines := make([]entityPos, 0, len(list.Content))
	firstLine := map[string]int{}
	for i, en := range list.Content {
		field := fmt.Sprintf("entities[%d]", i)
		if en.Kind != yaml.MappingNode {
			return fail(en, field, "want a mapping")
		}
		e := Entity{Names: map[string][]string{}}
		var idNode, typeNode, namesNode, rolesNode *yaml.Node
		for k := 0; k+1 < len(en.Content); k += 2 {
			key, val := en.Content[k], en.Content[k+1]
			switch key.Value {
			case "id":
				idNode = val
			case "type":
				typeNode = val
			case "names":
				namesNode = val
			case "roles":
				rolesNode = val
			default:
				return fail(key, field+"."+key.Value, "unknown field")
			}
		}
		if idNode == nil {
			return fail(en, field+".id", "missing id")
		}
		if idNode.Kind != yaml.ScalarNode || strings.TrimSpace(idNode.Value) == "" {
			return fail(idNode, field+".id", "empty id")
		}
		e.ID = idNode.Value
		if !idRe.MatchString(e.ID) || strings.HasPrefix(e.ID, "new") && strings.Contains(e.ID, ":") {
			return fail(idNode, field+".id", "invalid id %q (want lowercase letters, digits and '-')", e.ID)
		}
		if l, dup := firstLine[e.ID]; dup {
			return fail(idNode, field+".id", "duplicate id %q (first defined at %s:%d)", e.ID, name, l)
		}
		firstLine[e.ID] = idNode.Line
		if typeNode == nil {
			return fail(en, field+".type", "missing type")
		}
		switch typeNode.Value {
		case TypePerson, TypeOrganization, TypePlace:
			e.Type = typeNode.Value
		default:
			return fail(typeNode, field+".type", "wrong type %q (want person, organization or place)", typeNode.Value)
		}
		if namesNode == nil {
			return fail(en, field+".names", "missing names")
		}
		names, err := parseNames(name, namesNode, field+".names", "name")
		if err != nil {
			return nil, nil, err
		}
		e.Names = names
		if rolesNode != nil {
			if rolesNode.Kind != yaml.SequenceNode {
				return fail(rolesNode, field+".roles", "want a list of roles")
			}
			for r, rn := range rolesNode.Content {
				rf := fmt.Sprintf("%s.roles[%d]", field, r)
				role, err := parseRole(name, rn, rf)
				if err != nil {
					return nil, nil, err
				}
				e.Roles = append(e.Roles, role)
			}
		}
		ents = append(ents, e)
		lines = append(lines, entityPos{id: idNode.Line, typ: typeNode.Line})
	}
	return ents, lines, nil
}

func parseNames(file string, n *yaml.Node, field, what string) (map[string][]string, error) {
	fail := func(at *yaml.Node, f, format string, args ...any) (map[string][]string, error) {
		return nil, &LoadError{File: file, Line: at.Line, Field: f, Msg: fmt.Sprintf(format, args...)}
	}
	if n.Kind != yaml.MappingNode {
		return fail(n, field, "want a mapping from language to a list of %ss", what)
	}
	out := map[string][]string{}
	total := 0
	for k := 0; k+1 < len(n.Content); k += 2 {
		lang, list := n.Content[k], n.Content[k+1]
		lf := field + "." + lang.Value
		if !langRe.MatchString(lang.Value) {
			return fail(lang, lf, "invalid language code %q", lang.Value)
		}
		if list.Kind != yaml.SequenceNode {
			return fail(list, lf, "want a list of %ss", what)
		}
		for j, item := range list.Content {
			f := fmt.Sprintf("%s[%d]", lf, j)
			if item.Kind != yaml.ScalarNode {
				return fail(item, f, "want a string")
			}
			if len(nameKey(item.Value)) == 0 {
				return fail(item, f, "empty %s", what)
			}
			out[lang.Value] = append(out[lang.Value], strings.TrimSpace(item.Value))
			total++
		}
	}
	if total == 0 {
		return fail(n, field, "no %ss", what)
	}
	return out, nil
}

func parseRole(file string, n *yaml.Node, field string) (Role, error) {
	fail := func(at *yaml.Node, f, format string, args ...any) (Role, error) {
		return Role{}, &LoadError{File: file, Line: at.Line, Field: f, Msg: fmt.Sprintf(format, args...)}
	}
	if n.Kind != yaml.MappingNode {
		return fail(n, field, "want a mapping")
	}
	var r Role
	var titles *yaml.Node
	for k := 0; k+1 < len(n.Content); k += 2 {
		key, val := n.Content[k], n.Content[k+1]
		f := field + "." + key.Value
		switch key.Value {
		case "from", "to":
			t, err := parseDay(val.Value)
			if err != nil || val.Kind != yaml.ScalarNode {
				return fail(val, f, "invalid date %q (want YYYY-MM or YYYY-MM-DD)", val.Value)
			}
			if key.Value == "from" {
				r.From = t
			} else {
				r.To = t
			}
		case "titles":
			titles = val
		default:
			return fail(key, f, "unknown field")
		}
	}
	if titles == nil {
		return fail(n, field+".titles", "missing titles")
	}
	ts, err := parseNames(file, titles, field+".titles", "title")
	if err != nil {
		return Role{}, err
	}
	r.Titles = ts
	if !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		return fail(n, field+".to", "ends before it starts")
	}
	return r, nil
}

func parseDay(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("bad date")
}
