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
