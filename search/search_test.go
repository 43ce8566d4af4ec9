package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// A wire story reprinted by three outlets is one hit listing the other two,
// unless collapse is off.
func TestCollapseReprints(t *testing.T) {
	ctx := context.Background()
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	day := time.Date(2025, 10, 26, 9, 0, 0, 0, time.UTC)
	put := func(id, source, cluster string, hours int) {
		a := document.Article{ID: id, URL: "https://" + source + ".example/" + id, Source: source, Lang: "en",
			Title: "Mediators issue joint statement in Cairo", ClusterID: cluster,
			Body: "Egypt, Qatar and Türkiye issued a joint statement after the Cairo meeting.", Published: day.Add(time.Duration(hours) * time.Hour)}
		if _, err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	put("wire", "wire", "wire", 0)
	put("copy1", "daily", "wire", 1)
	put("copy2", "herald", "wire", 2)
	for i := range 4 {
		put(fmt.Sprint("other", i), "gazette", "", 3+i)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, withStories := range []bool{false, true} {
		t.Run(fmt.Sprint("stories=", withStories), func(t *testing.T) {
			svc := New(ix, nil)
			if withStories {
				svc.SetStories(fakeStories{"wire": {"wire", "copy1", "copy2"}})
			}
			checkCollapse(t, svc)
		})
	}
}

type fakeStories map[string][]string

func (f fakeStories) Members(id string) []string { return f[id] }

func checkCollapse(t *testing.T, svc *Service) {
	ctx := context.Background()

	r, err := svc.Search(ctx, Query{Text: "joint statement", Sort: "oldest", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 5 || r.Hits[0].ID != "wire" || r.Hits[0].Cluster.Size != 3 || len(r.Hits[0].AlsoReportedBy) != 2 {
		t.Fatalf("collapsed: %d hits, first %+v", len(r.Hits), r.Hits[0])
	}
	if r.Hits[0].AlsoReportedBy[0].Source != "daily" || r.Hits[0].AlsoReportedBy[1].URL != "https://herald.example/copy2" {
		t.Errorf("also reported by %+v", r.Hits[0].AlsoReportedBy)
	}
	if r.Hits[1].Cluster.Size != 1 || len(r.Hits[1].AlsoReportedBy) != 0 {
		t.Errorf("a lone story: %+v", r.Hits[1])
	}
	all, err := svc.Search(ctx, Query{Text: "joint statement", Sort: "oldest", Size: 10, NoCollapse: true})
	if err != nil || len(all.Hits) != 7 {
		t.Fatalf("collapse=false: %d hits, %v", len(all.Hits), err)
	}
	// Pages are cut after collapsing: page 2 of size 2 is the 3rd and 4th story.
	p2, err := svc.Search(ctx, Query{Text: "joint statement", Sort: "oldest", Size: 2, Page: 2})
	if err != nil || len(p2.Hits) != 2 || p2.Hits[0].ID != "other1" || p2.Hits[1].ID != "other2" {
		t.Fatalf("page 2: %+v %v", p2.Hits, err)
	}
}

// recordingStore notes which months a search asked its partitioned index for.
type recordingStore struct {
	*indexer.Indexer
	asked [][2]time.Time
}

func (r *recordingStore) IndexFor(from, to time.Time) bleve.Index {
	r.asked = append(r.asked, [2]time.Time{from, to})
	return r.Indexer.IndexFor(from, to)
}

// A query with a date range searches only the months it covers, and finds
// exactly what the whole index finds for it.
func TestDateRangeSearchesItsMonths(t *testing.T) {
	ctx := context.Background()
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir(), Monthly: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(ctx)
	for i, m := range []time.Month{time.September, time.October, time.October, time.November} {
		a := document.Article{ID: fmt.Sprint("a", i), URL: fmt.Sprint("https://news.example/", i), Source: "news", Lang: "en",
			Title: "Ceasefire talks", Body: "Mediators met again on the ceasefire.", Published: time.Date(2025, m, 10+i, 9, 0, 0, 0, time.UTC)}
		if _, err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ix.Partitions()) < 3 {
		t.Fatalf("partitions %v, want one per month", ix.Partitions())
	}
	rs := &recordingStore{Indexer: ix}
	svc := New(rs, nil)
	from, to := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)
	r, err := svc.Search(ctx, Query{Text: "ceasefire", From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 2 || len(rs.asked) != 1 || !rs.asked[0][0].Equal(from) {
		t.Errorf("october: %d hits, IndexFor calls %v", r.Total, rs.asked)
	}
	whole, err := New(ix, nil).Search(ctx, Query{Text: "ceasefire", From: from, To: to})
	if err != nil || whole.Total != r.Total {
		t.Errorf("the whole index finds %d, the partitions %d (%v)", whole.Total, r.Total, err)
	}
	if n, err := ix.IndexFor(from, to).DocCount(); n != 2 || err != nil {
		t.Errorf("october's partitions hold %d articles, want 2 (%v)", n, err)
	}
	rs.asked = nil
	if _, err := svc.Search(ctx, Query{Text: "ceasefire"}); err != nil || len(rs.asked) != 0 {
		t.Errorf("an undated query asked for partitions %v (%v)", rs.asked, err)
	}
}
