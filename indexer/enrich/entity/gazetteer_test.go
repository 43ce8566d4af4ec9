package entity

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBuiltin(t *testing.T) {
	g, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() < 200 {
		t.Errorf("built-in gazetteer has %d entities, want at least 200", g.Len())
	}
	types := map[string]int{}
	for _, e := range g.All() {
		types[e.Type]++
		if len(e.Names["ar"]) == 0 || len(e.Names["en"]) == 0 {
			t.Errorf("%s: want names in both ar and en", e.ID)
		}
	}
	for _, typ := range []string{TypePerson, TypeOrganization, TypePlace} {
		if types[typ] < 40 {
			t.Errorf("only %d entities of type %s", types[typ], typ)
		}
	}
}

func TestResolve(t *testing.T) {
	g, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want string
	}{
		{"ibrahim-kalin", "ibrahim-kalin"},
		{"Kalin", "ibrahim-kalin"},
		{"Kalın", "ibrahim-kalin"},
		{"İbrahim Kalın", "ibrahim-kalin"},
		{"إبراهيم قالن", "ibrahim-kalin"},
		{"ابراهيم كالين", "ibrahim-kalin"},
		{"Kallen", "ibrahim-kalin"},
		{"Ibrahim Kaleen", "ibrahim-kalin"}, // skeleton brhm kln
		{"محمد بن عبد الرحمن آل ثاني", "mohammed-bin-abdulrahman-al-thani"},
		{"محمد بن عبدالرحمن آل ثاني", "mohammed-bin-abdulrahman-al-thani"},
		{"Sheikh Mohammed bin Abdulrahman Al Thani", "mohammed-bin-abdulrahman-al-thani"},
		{"حسن رشاد", "hassan-rashad"},
		{"Hasan Mahmoud Rashad", "hassan-rashad"},
		{"Reshat", "hassan-rashad"},
		{"مركز التنسيق المدني العسكري", "cmcc"},
		{"Civil-Military Coordination Center", "cmcc"},
		{"CMCC", "cmcc"},
		{"القاهرة", "cairo"},
		{"والقاهرة", "cairo"},
		{"بالقاهرة", "cairo"},
		{"للقاهرة", "cairo"},
		{"شرم الشيخ", "sharm-el-sheikh"},
		{"Sharm al-Sheikh", "sharm-el-sheikh"},
		{"Türkiye", "turkiye"},
		{"Turkiye", "turkiye"},
		{"ولحماس", "hamas"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := g.Resolve(tt.q)
			if !slices.Contains(got, tt.want) {
				t.Errorf("Resolve(%q) = %v, want it to contain %s", tt.q, got, tt.want)
			}
		})
	}
	for _, q := range []string{"", "   ", "nobody-at-all", "زيد عمرو"} {
		if got := g.Resolve(q); got != nil {
			t.Errorf("Resolve(%q) = %v, want nil", q, got)
		}
	}
}

func TestSearchAndNames(t *testing.T) {
	g, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	hits := g.Search("kalin", 5)
	if len(hits) == 0 || hits[0].ID != "ibrahim-kalin" {
		t.Errorf("Search(kalin) = %v, want ibrahim-kalin first", ids(hits))
	}
	hits = g.Search("قالن", 5)
	if len(hits) == 0 || hits[0].ID != "ibrahim-kalin" {
		t.Errorf("Search(قالن) = %v, want ibrahim-kalin first", ids(hits))
	}
	if n := len(g.Search("", 7)); n != 7 {
		t.Errorf("Search(\"\", 7) returned %d entities", n)
	}
	names := g.Names()
	if !slices.IsSorted(names) || !slices.Contains(names, "حسن رشاد") {
		t.Errorf("Names() not sorted or missing حسن رشاد (%d names)", len(names))
	}
}

func ids(es []Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestLoadFiles(t *testing.T) {
	g, err := LoadFiles(filepath.Join("testdata", "good.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Builtin()
	if g.Len() != base.Len()+1 {
		t.Errorf("Len() = %d, want built-in + 1 = %d", g.Len(), base.Len()+1)
	}
	if got := g.Resolve("أحمد فؤاد الخطيب"); !slices.Equal(got, []string{"ahmed-fouad-alkhatib"}) {
		t.Errorf("new entity not resolvable: %v", got)
	}
	if got := g.Resolve("Kaleen"); !slices.Equal(got, []string{"ibrahim-kalin"}) {
		t.Errorf("alias merged into a built-in entity not resolvable: %v", got)
	}
	if got := base.Resolve("Kaleen"); got != nil {
		t.Errorf("loading a file changed the built-in gazetteer: %v", got)
	}
	m := NewMatcher(g, Options{})
	ms := m.Match("The Mirsad test analyst spoke.", "en", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if len(ms) != 1 || ms[0].EntityID != "ahmed-fouad-alkhatib" || ms[0].Method != MethodRole {
		t.Errorf("role from a user file: %+v", ms)
	}
}

func TestLoadFilesErrors(t *testing.T) {
	tests := []struct {
		file string
		want string // the whole message must contain it
	}{
		{"dup.bad.yaml", "dup.bad.yaml:6: entities[1].id: duplicate id \"place-one\""},
		{"empty-name.bad.yaml", "empty-name.bad.yaml:10: entities[1].names.ar[0]: empty name"},
		{"wrong-type.bad.yaml", "wrong-type.bad.yaml:3: entities[0].type: wrong type \"persn\""},
		{"invalid.bad.yaml", "invalid.bad.yaml:"},
		{"bad-date.bad.yaml", "bad-date.bad.yaml:7: entities[0].roles[0].from: invalid date \"2025-13\""},
		{"builtin-type.bad.yaml", "builtin-type.bad.yaml:3: entities[0].type: type \"person\" differs from the built-in \"place\""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			g, err := LoadFiles(filepath.Join("testdata", "good.yaml"), filepath.Join("testdata", tt.file))
			if err == nil {
				t.Fatalf("no error; gazetteer of %d entities", g.Len())
			}
			if g != nil {
				t.Error("a gazetteer was returned with the error")
			}
			if !strings.HasPrefix(err.Error(), "entity: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			var le *LoadError
			if !errors.As(err, &le) || le.Line == 0 {
				t.Errorf("error %v is not a *LoadError with a line", err)
			}
		})
	}
	t.Run("invalid YAML names it", func(t *testing.T) {
		_, err := LoadFiles(filepath.Join("testdata", "invalid.bad.yaml"))
		if err == nil || !strings.Contains(err.Error(), "invalid YAML") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("same id in two files", func(t *testing.T) {
		good := filepath.Join("testdata", "good.yaml")
		_, err := LoadFiles(good, good)
		if err == nil || !strings.Contains(err.Error(), "duplicate id \"ahmed-fouad-alkhatib\"") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := LoadFiles(filepath.Join("testdata", "nope.yaml")); err == nil {
			t.Error("no error")
		}
	})
}
