package entity

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

type matchCase struct {
	Name string     `json:"name"`
	Lang string     `json:"lang"`
	Date string     `json:"date"`
	Text string     `json:"text"`
	Want [][]string `json:"want"` // id, surface, method, in text order
}

func loadCases(t *testing.T) []matchCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "match.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []matchCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func builtinMatcher(t testing.TB) *Matcher {
	t.Helper()
	g, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return NewMatcher(g, Options{})
}

func TestMatch(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			m := builtinMatcher(t) // fresh: discovered people do not leak between cases
			day, err := time.Parse("2006-01-02", c.Date)
			if err != nil {
				t.Fatal(err)
			}
			got := m.Match(c.Text, c.Lang, day)
			var gotS, wantS []string
			for _, mt := range got {
				gotS = append(gotS, fmt.Sprintf("%s|%s|%s", mt.EntityID, mt.Surface, mt.Method))
				if c.Text[mt.Start:mt.End] != mt.Surface {
					t.Errorf("offsets %d:%d do not give the surface %q", mt.Start, mt.End, mt.Surface)
				}
			}
			for _, w := range c.Want {
				wantS = append(wantS, strings.Join(w, "|"))
			}
			if strings.Join(gotS, "\n") != strings.Join(wantS, "\n") {
				t.Errorf("Match(%q)\n got: %q\nwant: %q", c.Text, gotS, wantS)
			}
		})
	}
}

func TestDiscoveredPeopleMerge(t *testing.T) {
	m := builtinMatcher(t)
	day := time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)
	first := m.Match("Qatar's foreign ministry spokesman Majed al-Ansari said talks continue.", "en", day)
	second := m.Match("Majed al-Ansari said on Tuesday that talks continue.", "en", day)
	third := m.Match("وأكد ماجد الأنصاري أن المحادثات مستمرة.", "ar", day)
	id := func(ms []Mention) string {
		for _, mt := range ms {
			if strings.HasPrefix(mt.EntityID, ProvisionalPrefix) {
				return mt.EntityID
			}
		}
		return ""
	}
	if id(first) != "new:person:majed-al-ansari" {
		t.Fatalf("first = %+v", first)
	}
	if id(second) != id(first) || id(third) != id(first) {
		t.Errorf("the same person got ids %q, %q, %q", id(first), id(second), id(third))
	}
	disc := m.Discovered()
	if len(disc) != 1 || len(disc[0].Names["en"]) == 0 || len(disc[0].Names["ar"]) == 0 || len(disc[0].Roles) != 1 {
		t.Errorf("Discovered() = %+v, want one person with en and ar names and a role", disc)
	}
	if got := m.Resolve("ماجد الأنصاري"); len(got) != 1 || got[0] != id(first) {
		t.Errorf("Resolve(ماجد الأنصاري) = %v", got)
	}
	sum := m.Summarize(append(first, second...), "en")
	for _, em := range sum {
		if em.ID == id(first) && (em.Count != 2 || !em.Provisional || em.Name != "Majed al-Ansari") {
			t.Errorf("Summarize: %+v", em)
		}
	}
}

func TestSummarize(t *testing.T) {
	m := builtinMatcher(t)
	ms := m.Match("وصل إبراهيم قالن إلى القاهرة، والتقى قالن في القاهرة وفد حماس.", "ar", time.Time{})
	sum := m.Summarize(ms, "ar")
	if len(sum) != 3 {
		t.Fatalf("Summarize = %+v", sum)
	}
	for _, em := range sum[:2] {
		if em.Count != 2 {
			t.Errorf("%s count %d, want 2", em.ID, em.Count)
		}
	}
	if sum[2].ID != "hamas" || sum[2].Name != "حماس" || sum[2].Type != TypeOrganization {
		t.Errorf("last = %+v", sum[2])
	}
}

func TestMatchConcurrent(t *testing.T) {
	m := builtinMatcher(t)
	cases := loadCases(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				c := cases[(g+i)%len(cases)]
				for _, mt := range m.Match(c.Text, c.Lang, time.Now()) {
					if mt.End > len(c.Text) {
						t.Errorf("offset out of range")
					}
				}
				_ = m.Discovered()
			}
		}()
	}
	wg.Wait()
}

func FuzzMatch(f *testing.F) {
	g, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	m := NewMatcher(g, Options{})
	seeds := []string{
		"Egypt's spy chief met İbrahim Kalın in Sharm el-Sheikh.",
		"وقال ماجد الأنصاري المتحدث باسم الخارجية القطرية إن",
		"والقاهرة للقاهرة بالدوحة ولحماس",
		"U.S. J.D. Vance's Sa'ar 's '' .. ,, ،، ‐-",
		"\xff\xfeحماس\x00Hamas",
		"Hamas official , Hossam",
		"قال حسام",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range []string{"ar", "en"} {
			for _, mt := range m.Match(text, lang, time.Time{}) {
				if mt.Start < 0 || mt.End > len(text) || mt.Start >= mt.End {
					t.Fatalf("bad offsets %d:%d in %d bytes", mt.Start, mt.End, len(text))
				}
				if text[mt.Start:mt.End] != mt.Surface {
					t.Fatalf("surface %q != text[%d:%d]", mt.Surface, mt.Start, mt.End)
				}
				if !utf8.ValidString(mt.Surface) {
					t.Fatalf("invalid UTF-8 surface %q", mt.Surface)
				}
				if mt.EntityID == "" || mt.Type == "" || mt.Method == "" {
					t.Fatalf("incomplete mention %+v", mt)
				}
			}
		}
	})
}

// A two-letter first word of a longer name keeps its proclitic ("وحي
// الزيتون"), while the same word alone is still not taken for the name.
func TestShortFirstWordWithClitic(t *testing.T) {
	g, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMatcher(g, Options{})
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	for text, want := range map[string]int{"قصف وحي الزيتون أمس": 1, "وحي من السماء": 0, "في حي الزيتون": 1} {
		got := 0
		for _, mt := range m.Match(text, "ar", at) {
			if mt.EntityID == "zeitoun" {
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d zeitoun mentions, want %d", text, got, want)
		}
	}
}
