package cluster

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

type fixture struct {
	document.Article
	Group string `json:"group"`
}

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/syndicated.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func openDB(t *testing.T, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func newClusterer(t *testing.T, db *bolt.DB) *Clusterer {
	t.Helper()
	c, err := New(Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSyndicatedCopies assigns our own stories and their lightly edited
// reprints (headline changed, paragraph dropped, byline, tracking
// boilerplate, hamza dropped) and expects one cluster per story, with a
// translation and a follow-up sharing a background paragraph kept apart.
func TestSyndicatedCopies(t *testing.T) {
	fs := loadFixtures(t)
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	// Assign in reverse publication order so that the origin is not
	// simply the first assigned.
	got := map[string]string{}
	for i := len(fs) - 1; i >= 0; i-- {
		id, err := c.Assign(&fs[i].Article)
		if err != nil {
			t.Fatal(err)
		}
		got[fs[i].ID] = id
	}
	for _, x := range fs {
		for _, y := range fs {
			if x.ID >= y.ID {
				continue
			}
			same := got[x.ID] == got[y.ID]
			if same != (x.Group == y.Group) {
				t.Errorf("%s and %s: same cluster = %v, want %v (features %+v)", x.ID, y.ID, same, x.Group == y.Group, c.Compare(&x.Article, &y.Article))
			}
		}
	}
	for _, g := range []struct{ member, origin string }{{"a3", "a1"}, {"b2", "b1"}, {"c2", "c1"}} {
		t.Run("origin of "+g.member, func(t *testing.T) {
			cid := got[g.member]
			if o := c.Origin(cid); o != g.origin {
				t.Errorf("Origin(%s) = %s, want %s", cid, o, g.origin)
			}
			if m := c.Members(cid); len(m) == 0 || m[0] != g.origin || !slices.Contains(m, g.member) {
				t.Errorf("Members(%s) = %v", cid, m)
			}
		})
	}
}

func TestTranslationNeverClusters(t *testing.T) {
	fs := loadFixtures(t)
	byID := map[string]*document.Article{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i].Article
	}
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	// Even with every check switched off but the threshold at zero, a
	// language difference keeps the pair apart.
	c, err := New(Options{DB: db, Threshold: 1e-9, LeadThreshold: -1, MaxGap: -1})
	if err != nil {
		t.Fatal(err)
	}
	f := c.Compare(byID["a1"], byID["d1"])
	if f.Similarity > 0.05 || c.Match(f) {
		t.Fatalf("translation pair: %+v, match %v", f, c.Match(f))
	}
	ar, _ := c.Assign(byID["a1"])
	en, _ := c.Assign(byID["d1"])
	if ar == en {
		t.Fatalf("translation joined cluster %s", ar)
	}
}

func TestIdempotentPersistentAndEdits(t *testing.T) {
	fs := loadFixtures(t)
	byID := map[string]*document.Article{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i].Article
	}
	path := filepath.Join(t.TempDir(), "c.db")
	db := openDB(t, path)
	c := newClusterer(t, db)
	first, err := c.Assign(byID["b1"])
	if err != nil {
		t.Fatal(err)
	}
	again, _ := c.Assign(byID["b1"])
	if again != first || len(c.Members(first)) != 1 {
		t.Fatalf("reassign: %s vs %s, members %v", again, first, c.Members(first))
	}
	db.Close()

	db = openDB(t, path)
	defer db.Close()
	c = newClusterer(t, db)
	if id, ok := c.ClusterOf("b1"); !ok || id != first {
		t.Fatalf("after reopen ClusterOf(b1) = %q, %v", id, ok)
	}
	if id, _ := c.Assign(byID["b2"]); id != first {
		t.Fatalf("reprint after reopen went to %s, want %s", id, first)
	}
	if err := c.Remove("b2"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.ClusterOf("b2"); ok || slices.Contains(c.Members(first), "b2") {
		t.Fatalf("removed article still known: %v", c.Members(first))
	}
	if id, _ := c.Assign(byID["b2"]); id != first {
		t.Fatalf("reprint after remove went to %s, want %s", id, first)
	}
	// b2 is edited into another story: it leaves b1's cluster.
	edited := *byID["b2"]
	edited.Body = byID["c1"].Body
	edited.Lang = "en"
	moved, err := c.Assign(&edited)
	if err != nil {
		t.Fatal(err)
	}
	if moved == first || slices.Contains(c.Members(first), "b2") {
		t.Fatalf("edited article stayed: %s, members %v", moved, c.Members(first))
	}
}

func TestEmptyAndShortArticles(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	a, _ := c.Assign(&document.Article{ID: "x", Lang: "ar"})
	b, _ := c.Assign(&document.Article{ID: "y", Lang: "ar"})
	if a == b {
		t.Fatal("two empty articles clustered")
	}
	if _, err := c.Assign(&document.Article{}); err == nil {
		t.Fatal("article without id accepted")
	}
	s1, _ := c.Assign(&document.Article{ID: "s1", Title: "عاجل: انفجار في الميناء"})
	s2, _ := c.Assign(&document.Article{ID: "s2", Title: "عاجل: انفجار في الميناء"})
	if s1 != s2 {
		t.Fatal("identical short items not clustered")
	}
}

func TestConcurrentAssign(t *testing.T) {
	fs := loadFixtures(t)
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	var wg sync.WaitGroup
	errs := make(chan error, 8*len(fs))
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range fs {
				a := fs[(i+w)%len(fs)].Article
				if _, err := c.Assign(&a); err != nil {
					errs <- err
				}
				_ = c.Members(a.ID)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	total := 0
	seen := map[string]bool{}
	for _, f := range fs {
		id, _ := c.ClusterOf(f.ID)
		if !seen[id] {
			seen[id] = true
			total += len(c.Members(id))
		}
	}
	if total != len(fs) {
		t.Fatalf("members add up to %d, want %d", total, len(fs))
	}
}

func TestRecordRoundTrip(t *testing.T) {
	tests := []record{
		{Cluster: "c", Lang: "ar"},
		{Cluster: "c", Lang: "en", Published: time.Date(2025, 10, 9, 8, 0, 0, 0, time.UTC), Sig: []uint32{1, 2, 3}, Lead: []uint32{4}, Rare: []uint32{5, 6}},
	}
	for i, r := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			got, err := decodeRecord(encodeRecord(&r))
			if err != nil {
				t.Fatal(err)
			}
			if got.Cluster != r.Cluster || got.Lang != r.Lang || !got.Published.Equal(r.Published) || !slices.Equal(got.Sig, r.Sig) || !slices.Equal(got.Lead, r.Lead) || !slices.Equal(got.Rare, r.Rare) {
				t.Fatalf("got %+v, want %+v", got, r)
			}
		})
	}
	if _, err := decodeRecord([]byte{recordVersion, 5, 'a'}); err == nil {
		t.Fatal("truncated record decoded")
	}
	// Stores written before rare lead words were kept still load.
	v1 := encodeRecord(&tests[1])
	v1[0] = 1
	v1 = v1[:len(v1)-1-4*len(tests[1].Rare)]
	got, err := decodeRecord(v1)
	if err != nil || got.Rare != nil || !slices.Equal(got.Lead, tests[1].Lead) {
		t.Fatalf("version 1 record: %+v, %v", got, err)
	}
}

func FuzzDecodeRecord(f *testing.F) {
	f.Add(encodeRecord(&record{Cluster: "c", Lang: "ar", Sig: []uint32{1}, Lead: []uint32{2, 3}}))
	f.Add([]byte{recordVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err != nil {
			return
		}
		if _, err := decodeRecord(encodeRecord(r)); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
	})
}

func FuzzSignature(f *testing.F) {
	f.Add("أعلن الوسطاء المصريون والقطريون التوصل إلى اتفاق")
	f.Add("Mediators announced a deal on Wednesday")
	f.Add("")
	h := newHasher(DefaultHashes)
	f.Fuzz(func(t *testing.T, s string) {
		sig := h.signature(Shingles(Words(s), DefaultShingle))
		if len(Words(s)) == 0 {
			if sig != nil {
				t.Fatal("signature for a text without words")
			}
			return
		}
		if Similarity(sig, h.signature(Shingles(Words(s+" "), DefaultShingle))) != 1 {
			t.Fatal("trailing space changed the signature")
		}
	})
}

// TestRepublishedNextDay checks that an outlet's own report republished
// more than MaxGap later still joins its story, and only because of the
// republish rule.
func TestRepublishedNextDay(t *testing.T) {
	fs := loadFixtures(t)
	byID := map[string]*document.Article{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i].Article
	}
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	f := c.Compare(byID["a3"], byID["h1"])
	if f.Gap <= DefaultMaxGap || !f.SameSource {
		t.Fatalf("fixture is not a same-outlet republication beyond MaxGap: %+v", f)
	}
	if !c.Match(f) {
		t.Fatalf("a3 and h1 do not match: %+v", f)
	}
	if Matches(Options{RepublishGap: -1}, f) {
		t.Fatalf("a3 and h1 match without the republish rule: %+v", f)
	}
	// Through Assign, where only the LSH bands propose h1's candidate.
	ids, err := c.AssignBatch([]*document.Article{byID["a3"], byID["h1"]})
	if err != nil {
		t.Fatal(err)
	}
	if ids[0] != ids[1] {
		t.Fatalf("a3 and h1 in clusters %v", ids)
	}
}

// TestHardNegatives checks that each hard negative of the fixtures is kept
// apart by the rule meant for it, and would be merged without that rule.
func TestHardNegatives(t *testing.T) {
	fs := loadFixtures(t)
	byID := map[string]*document.Article{}
	for i := range fs {
		byID[fs[i].ID] = &fs[i].Article
	}
	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	tests := []struct {
		name, a, b string
		without    Options // the default with the rule switched off
	}{
		{"appended related-story block needs the lead check", "a1", "f1", Options{LeadThreshold: -1}},
		{"same-outlet follow-up needs the same-outlet threshold", "a1", "e1", Options{SameSourceThreshold: DefaultThreshold}},
		{"translation needs the language check", "a1", "d1", Options{}},
		{"next-day development of another outlet needs the near-gap threshold", "a1", "g1", Options{NearGap: -1}},
		{"development half a day later needs the near-gap threshold", "g1", "h1", Options{NearGap: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := c.Compare(byID[tt.a], byID[tt.b])
			if c.Match(f) {
				t.Fatalf("%s and %s match: %+v", tt.a, tt.b, f)
			}
			if tt.a == "a1" && tt.b == "d1" {
				f.SameLang = true
				if Matches(tt.without, f) {
					t.Fatalf("translation would match on text alone: %+v", f)
				}
				return
			}
			if !Matches(tt.without, f) {
				t.Fatalf("pair is not hard: it stays apart without the rule too: %+v", f)
			}
		})
	}
}

// TestRareLeadWords checks the rare-word rescue for an outlet's update of
// its own report: a new first paragraph made of the report's own names
// joins it, a new first paragraph of new names (the next development,
// carrying the report as background) does not, and the update joins only
// because of the rescue.
func TestRareLeadWords(t *testing.T) {
	words := func(prefix string, from, to int) []string {
		var out []string
		for i := from; i < to; i++ {
			out = append(out, fmt.Sprintf("%s%d", prefix, i))
		}
		return out
	}
	report := words("w", 0, 200)
	var intro []string
	for i := 5; len(intro) < 20; i += 7 {
		intro = append(intro, report[i])
	}
	at := time.Date(2025, 10, 10, 8, 0, 0, 0, time.UTC)
	art := func(id string, ws []string, hours int) *document.Article {
		return &document.Article{ID: id, Source: "outlet", Lang: "en", Published: at.Add(time.Duration(hours) * time.Hour), Body: strings.Join(ws, " ")}
	}
	a := art("a", report, 0)
	update := art("update", append(slices.Clone(intro), report[:150]...), 3)
	development := art("development", append(words("n", 0, 30), report[:150]...), 4)

	db := openDB(t, filepath.Join(t.TempDir(), "c.db"))
	defer db.Close()
	c := newClusterer(t, db)
	for _, tt := range []struct {
		b    *document.Article
		want bool
	}{{update, true}, {development, false}} {
		t.Run(tt.b.ID, func(t *testing.T) {
			f := c.Compare(a, tt.b)
			if f.Similarity >= DefaultSameSourceThreshold || f.Similarity < DefaultRareSameSimilarity {
				t.Fatalf("fixture outside the rescue band: %+v", f)
			}
			if got := c.Match(f); got != tt.want {
				t.Fatalf("match %v, want %v: %+v", got, tt.want, f)
			}
			if Matches(Options{RareSameSource: -1}, f) {
				t.Fatalf("matches without the rescue: %+v", f)
			}
		})
	}
	ids, err := c.AssignBatch([]*document.Article{a, update, development})
	if err != nil {
		t.Fatal(err)
	}
	if ids[0] != ids[1] || ids[2] == ids[0] {
		t.Fatalf("clusters %v, want the update with the report and the development apart", ids)
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		x, y []uint32
		want float64
	}{
		{[]uint32{1, 2, 3}, []uint32{2, 3, 4}, 0.5},
		{[]uint32{1, 2}, []uint32{1, 2}, 1},
		{[]uint32{1}, []uint32{2}, 0},
		{nil, nil, 0},
	}
	for _, tt := range tests {
		if got := Jaccard(tt.x, tt.y); got != tt.want {
			t.Errorf("Jaccard(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
