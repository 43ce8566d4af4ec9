package pubdate_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
)

func FuzzPublishedDate(f *testing.F) {
	files, err := filepath.Glob("testdata/cases/*.html")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), "")
	}
	f.Add("<html><body><div class=date>٢٦ تشرين الثاني ٢٠٢٥ ٠٦:٠٠ م بتوقيت</div></body></html>", "الأربعاء، 26 نوفمبر 2025 - 06:00 م")
	f.Add(`<script type="application/ld+json">{"@graph":[[[{"datePublished":["0001-01-01"]}]]]}</script>`, "Wed Nov 26 2025 06:00:00 GMT+9999")
	f.Add("", "10 ذو الحجة 9999")
	now := time.Date(2025, 11, 29, 12, 0, 0, 0, time.UTC)
	cairo, err := time.LoadLocation("Africa/Cairo")
	if err != nil {
		f.Fatal(err)
	}
	inRange := func(t time.Time) bool { return t.Year() >= 1900 && t.Year() <= 2100 }
	f.Fuzz(func(t *testing.T, page, feed string) {
		if d, err := pubdate.ParseFeedDate(feed, cairo); err == nil && !inRange(d) {
			t.Fatalf("ParseFeedDate(%q) = %s", feed, d)
		}
		r, err := pubdate.Extract([]byte(page), pubdate.Options{FeedPublishedText: feed, Now: now, DefaultZone: cairo})
		if err != nil {
			return
		}
		if r.Published.IsZero() || !inRange(r.Published) || r.Published.After(now.Add(time.Hour)) || r.Published.Year() < 1990 {
			t.Fatalf("published %s (%s)", r.Published, r.Method)
		}
		if !r.Updated.IsZero() && (!inRange(r.Updated) || r.Updated.Before(r.Published)) {
			t.Fatalf("updated %s, published %s", r.Updated, r.Published)
		}
		if r.Method == "" {
			t.Fatal("no method")
		}
	})
}
