package alert

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/search"
)

func loadArticles(t testing.TB, name string) []document.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var docs []document.Article
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

// equivBatch indexes our test articles through the real indexer in one
// batch and returns that batch with the analysis the indexer handed over.
func equivBatch(t *testing.T) (*indexer.Indexer, []document.Article, []indexer.Analysis) {
	t.Helper()
	ctx := context.Background()
	docs := append(loadBatch(t), loadArticles(t, "equiv.json")...)
	var batch []document.Article
	var an []indexer.Analysis
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir(), BatchSize: 1000, OnBatch: func(_ context.Context, b []document.Article, a []indexer.Analysis) {
		batch, an = append(batch, b...), append(an, a...)
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close(context.Background()) })
	for _, d := range docs {
		if _, err := ix.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(batch) != len(docs) || len(an) != len(batch) {
		t.Fatalf("OnBatch got %d articles and %d analyses, want %d", len(batch), len(an), len(docs))
	}
	return ix, batch, an
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '-' })
}

// equivQueries drafts text queries from the articles' own words, with
// every kind of clause the query language has: words, phrases (with stop
// words inside and clitics), exclusions, title:/body:, prefixes, fuzzy
// words and regular expressions, in either language or none.
func equivQueries(docs []document.Article) []Subscription {
	r := rand.New(rand.NewPCG(10, 2025))
	var out []Subscription
	pickWord := func(ws []string) string { return ws[r.IntN(len(ws))] }
	for i, a := range docs {
		body, title := words(a.Body), words(a.Title)
		other := words(docs[(i+1+r.IntN(len(docs)-1))%len(docs)].Body)
		if len(body) < 4 || len(title) < 1 || len(other) < 1 {
			continue
		}
		k := r.IntN(len(body) - 3)
		w := pickWord(body)
		rs := []rune(w)
		fuzzy := string(rs)
		if len(rs) > 3 {
			j := 1 + r.IntN(len(rs)-2)
			fuzzy = string(rs[:j]) + string(rs[j+1:]) // one letter dropped
		}
		swapped := string(rs)
		if len(rs) > 3 {
			s := slices.Clone(rs)
			s[1], s[2] = s[2], s[1]
			swapped = string(s)
		}
		qs := []string{
			w,
			w + " " + pickWord(body),
			pickWord(title) + " " + pickWord(other),
			`"` + body[k] + " " + body[k+1] + `"`,
			"«" + strings.Join(body[k:k+3], " ") + "»",
			`"` + body[k] + " " + body[k+2] + `"`, // not adjacent: rarely a phrase
			w + " -" + pickWord(other),
			w + " -" + pickWord(body),
			"title:" + pickWord(title),
			"body:" + pickWord(title),
			`title:"` + strings.Join(title[:min(2, len(title))], " ") + `"`,
			fuzzy + "~1",
			swapped + "~1",
			fuzzy + "~2 " + pickWord(body),
		}
		if len(rs) >= 3 {
			qs = append(qs, string(rs[:3])+"*", string(rs[:2])+"* "+pickWord(body))
			qs = append(qs, "/"+strings.ToLower(string(rs[:2]))+".*/", "/"+strings.ToLower(string(rs[:3]))+"[^ ]+/")
		}
		for _, q := range qs {
			out = append(out, Subscription{Query: q}, Subscription{Query: q, Lang: a.Lang})
		}
	}
	for _, q := range []string{
		`"وإخلاءات بمدارس"`, `"المرحلة الثانية"`, `"second phase of the"`, `"the second phase"`,
		"ceasefire -Hamas", "في القاهرة", "the Cairo", `"من الاتفاق"`, "Kalin", "كالن", "الوسطاء -الدوحة",
	} {
		out = append(out, Subscription{Query: q})
	}
	return out
}

// TestTermsAgreeWithBleve: for hundreds of varied queries over a batch of
// our articles, the term matcher finds exactly the articles a bleve search
// of the same query finds on the real index restricted to the batch, from
// the indexer's analysis and from its own; and exactly the claims a bleve
// search finds in an index of the claims.
func TestTermsAgreeWithBleve(t *testing.T) {
	ctx := context.Background()
	ix, batch, an := equivBatch(t)
	svc, err := New(Options{DB: ix.DB(), Index: ix})
	if err != nil {
		t.Fatal(err)
	}
	m := svc.mapping
	ids := make([]string, len(batch))
	for i, a := range batch {
		ids[i] = a.ID
	}
	handed := newBatchTerms(an)
	own := make([]indexer.Analysis, len(batch))
	for i, a := range batch {
		own[i] = analyzeText(m, a.Lang, a.Title, a.Body)
	}
	ours := newBatchTerms(own)

	var claims []document.Claim
	var claimIDs []string
	var claimAn []indexer.Analysis
	for _, a := range batch {
		for _, c := range a.Claims {
			claimIDs = append(claimIDs, claimKey(c, len(claims)))
			claims = append(claims, c)
			claimAn = append(claimAn, analyzeText(m, c.Lang, "", c.Text))
		}
	}
	claimBT := newBatchTerms(claimAn)
	claimIdx, err := svc.memIndex(ctx, batch, claims, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer claimIdx.Close()

	all := func(n int) docSet {
		d := newDocSet(n)
		for i := range n {
			d.add(i)
		}
		return d
	}
	names := func(d docSet, keys []string) []string {
		out := []string{}
		d.each(func(i int) { out = append(out, keys[i]) })
		slices.Sort(out)
		return out
	}
	found := func(m map[string]bool) []string {
		out := []string{}
		for id := range m {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}

	subs := equivQueries(batch)
	var compared, some, claimSome int
	for _, sub := range subs {
		if _, err := search.ParseText(sub.Query); err != nil {
			continue // refused by the query language, as Validate would
		}
		q := textQuery(m, sub.Query, sub.Lang)
		if q == nil {
			continue // stop words only
		}
		name := fmt.Sprintf("%q lang=%q", sub.Query, sub.Lang)
		tm, ok := compileTerms(m, q)
		if !ok {
			t.Errorf("%s: TextQuery's query did not compile to terms", name)
			continue
		}
		compared++
		wantM, err := searchIDs(ctx, ix.Index(), q, ids)
		if err != nil {
			t.Errorf("%s: bleve: %v", name, err)
			continue
		}
		want := found(wantM)
		if got := names(tm.eval(handed, all(len(batch))), ids); !slices.Equal(got, want) {
			t.Errorf("%s: terms (indexer's analysis) = %v, bleve = %v", name, got, want)
		}
		if got := names(tm.eval(ours, all(len(batch))), ids); !slices.Equal(got, want) {
			t.Errorf("%s: terms (own analysis) = %v, bleve = %v", name, got, want)
		}
		if len(want) > 0 && len(want) < len(batch) {
			some++
		}
		wantC, err := searchIDs(ctx, claimIdx, q, claimIDs)
		if err != nil {
			t.Errorf("%s: bleve claims: %v", name, err)
			continue
		}
		if got, want := names(tm.eval(claimBT, all(len(claims))), claimIDs), found(wantC); !slices.Equal(got, want) {
			t.Errorf("%s: terms on claims = %v, bleve = %v", name, got, want)
		}
		if len(wantC) > 0 {
			claimSome++
		}
	}
	t.Logf("%d queries compared: %d match some but not all of %d articles; %d match claims", compared, some, len(batch), claimSome)
	// The comparison means something only if the queries discriminate.
	if compared < 300 || some < compared/3 || claimSome < 20 {
		t.Errorf("too few telling queries: %d compared, %d selective, %d on claims", compared, some, claimSome)
	}
}
