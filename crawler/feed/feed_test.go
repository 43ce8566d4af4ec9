package feed

import (
	"strings"
	"testing"
	"time"
)

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>أخبار</title><link>https://example.org/</link>
<item><title>محادثات القاهرة</title><link>/news/1.html</link><guid isPermaLink="false">n-1</guid>
<pubDate>Tue, 14 Oct 2025 09:30:00 +0300</pubDate><description>ملخص</description></item>
<item><title>بلا رابط</title></item>
</channel></rss>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><id>tag:wire,2025:1</id><title>Talks resume</title><link rel="alternate" href="https://wire.example/s/1"/>
<published>2025-10-20T08:00:00Z</published><updated>2025-10-21T10:00:00Z</updated><summary>s</summary>
<author><name>R. Haddad</name></author></entry></feed>`

func TestParse(t *testing.T) {
	t.Run("rss", func(t *testing.T) {
		f, err := Parse([]byte(rss), "https://example.org/rss.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Items) != 2 {
			t.Fatalf("items = %d", len(f.Items))
		}
		it := f.Items[0]
		if it.Link != "https://example.org/news/1.html" || it.GUID != "n-1" || it.Title != "محادثات القاهرة" {
			t.Errorf("item = %+v", it)
		}
		if want := time.Date(2025, 10, 14, 6, 30, 0, 0, time.UTC); !it.Published.Equal(want) {
			t.Errorf("published = %v, want %v", it.Published, want)
		}
	})
	t.Run("atom", func(t *testing.T) {
		f, err := Parse([]byte(atom), "https://wire.example/atom.xml")
		if err != nil {
			t.Fatal(err)
		}
		it := f.Items[0]
		if it.Author != "R. Haddad" || it.Updated.Sub(it.Published) != 26*time.Hour {
			t.Errorf("item = %+v", it)
		}
	})
	for name, bad := range map[string]string{
		"empty":     "  ",
		"html":      "<html><body>not a feed</body></html>",
		"truncated": rss[:len(rss)/2],
		"json":      `{"error": "rate limited"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(bad), "https://example.org/bad.xml")
			if err == nil {
				t.Fatal("want error")
			}
			if !strings.Contains(err.Error(), "https://example.org/bad.xml") {
				t.Errorf("error %q does not name the feed", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(rss))
	f.Add([]byte(atom))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"x"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fd, err := Parse(data, "https://example.org/f.xml")
		if err == nil && fd == nil {
			t.Fatal("nil feed without error")
		}
	})
}

func TestTruncatedKeepsCompleteItems(t *testing.T) {
	rss3 := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>one</title><link>https://a.example/1</link></item>
<item><title>two</title><link>https://a.example/2</link></item>
<item><title>thr`
	rdf := `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://a.example/"><title>t</title><link>https://a.example/</link></channel>
<item rdf:about="https://a.example/1"><title>one</title><link>https://a.example/1</link></item>
<item rdf:about="https://a.example/2"><title>two</title><li`
	atom2 := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>1</id><title>one</title><link href="https://a.example/1"/></entry>
<entry><id>2</id><title>tw`
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"rss 2.0", rss3, []string{"one", "two"}},
		{"rss 1.0", rdf, []string{"one"}},
		{"atom", atom2, []string{"one"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.doc), "https://a.example/f.xml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Title)
			}
			if !f.Truncated || strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("truncated=%v items %v, want %v", f.Truncated, got, tc.want)
			}
		})
	}
	if f, err := Parse([]byte(rss), "https://a.example/f.xml"); err != nil || f.Truncated {
		t.Errorf("a whole feed is not truncated: %v %v", f, err)
	}
}

func TestJSONFeedAndRDF(t *testing.T) {
	for _, tc := range []struct {
		name, doc, link string
	}{
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"j1","url":"/j/1","title":"Talks resume","content_text":"Delegations met."}]}`, "https://a.example/j/1"},
		{"rss 1.0", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>t</title></channel><item rdf:about="https://a.example/r/1"><title>Talks resume</title><link>https://a.example/r/1</link></item></rdf:RDF>`, "https://a.example/r/1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(tc.doc), "https://a.example/feed")
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != 1 || f.Items[0].Link != tc.link || f.Items[0].Title != "Talks resume" {
				t.Errorf("%+v", f.Items)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	page := `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="text/html" hreflang="en" href="/en/">
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
<link rel="alternate" type="application/rss+xml; charset=utf-8" href="https://cdn.example/rss.xml">
<link rel="alternate" type="application/rss+xml" href="https://cdn.example/rss.xml">
<link rel="alternate feed" type="application/feed+json" href="feed.json">
</head><body></body></html>`
	got := Discover([]byte(page), "https://a.example/news/")
	want := []string{"https://cdn.example/rss.xml", "https://a.example/atom.xml", "https://a.example/news/feed.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, tc := range []struct {
		doc  string
		html bool
	}{
		{page, true},
		{"\ufeff<html><head></head></html>", true},
		{rss, false},
		{atom, false},
		{`<?xml version="1.0"?><rss><channel><description>&lt;html&gt;</description></channel></rss>`, false},
	} {
		if got := LooksLikeHTML([]byte(tc.doc)); got != tc.html {
			t.Errorf("LooksLikeHTML(%.40q) = %v", tc.doc, got)
		}
	}
}

func FuzzDiscover(f *testing.F) {
	f.Add([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head></html>`), "https://a.example/")
	f.Add([]byte(`<link rel="feed alternate" type="application/atom+xml; charset=utf-8" href="//cdn.example/a">`), "https://a.example/x/")
	f.Fuzz(func(t *testing.T, page []byte, base string) {
		for _, u := range Discover(page, base) {
			if u == "" {
				t.Fatal("empty feed URL")
			}
		}
		LooksLikeHTML(page)
	})
}

// Dates that gofeed cannot read are read by pubdate: an Arabic outlet's
// pubDate with month names and a named zone, Arabic-Indic digits, and a
// date no parser knows (kept empty, the item kept).
func TestArabicFeedDates(t *testing.T) {
	feedXML := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>نشرة</title><link>https://example.org/</link>
<item><title>أ</title><link>https://example.org/a</link><pubDate>الثلاثاء، 4 نوفمبر 2025 - 10:30 ص بتوقيت مكة المكرمة</pubDate></item>
<item><title>ب</title><link>https://example.org/b</link><pubDate>٢٦ تشرين الثاني ٢٠٢٥ ٠٩:١٥ م</pubDate></item>
<item><title>ج</title><link>https://example.org/c</link><pubDate>قبل قليل</pubDate></item>
</channel></rss>`
	f, err := Parse([]byte(feedXML), "https://example.org/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Time{
		time.Date(2025, 11, 4, 7, 30, 0, 0, time.UTC), // Mecca is UTC+3
		time.Date(2025, 11, 26, 21, 15, 0, 0, time.UTC),
		{},
	}
	if len(f.Items) != len(want) {
		t.Fatalf("items = %d, want %d", len(f.Items), len(want))
	}
	for i, it := range f.Items {
		if !it.Published.Equal(want[i]) {
			t.Errorf("item %s: published %v, want %v", it.Title, it.Published, want[i])
		}
	}
}
