// Package feed turns the bytes of an RSS, Atom or JSON feed into items. It
// does no I/O so it can be fuzzed and tested on fixtures.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
)

// Feed is a parsed feed.
type Feed struct {
	Title    string
	Link     string
	Language string
	Items    []Item
	// Truncated is set when the document was cut off and only the items
	// before the cut were recovered; the caller should report it.
	Truncated bool
}

// Item is one entry of a feed, with links resolved against the feed URL.
type Item struct {
	Title      string
	Link       string
	GUID       string
	Summary    string
	Content    string
	Author     string
	Published  time.Time
	Updated    time.Time
	Categories []string
}

// ErrEmpty is returned for a document that parses but holds no feed at all.
var ErrEmpty = errors.New("feed: no feed found")

// Parse parses data fetched from feedURL. Items without a link or title are
// kept (a caller may still index their content); relative links are resolved.
func Parse(data []byte, feedURL string) (*Feed, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("feed: %s: empty document", feedURL)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	truncated := false
	if err != nil {
		// A feed cut off mid-transfer still holds whole items before the cut;
		// dropping them all would lose stories for as long as the server
		// keeps truncating.
		repaired := repairTruncated(data)
		if repaired == nil {
			return nil, fmt.Errorf("feed: %s: %w", feedURL, err)
		}
		f2, err2 := gofeed.NewParser().Parse(bytes.NewReader(repaired))
		if err2 != nil || len(f2.Items) == 0 {
			return nil, fmt.Errorf("feed: %s: %w", feedURL, err)
		}
		f, truncated = f2, true
	}
	if f.FeedType == "json" && !bytes.Contains(data, []byte("jsonfeed.org/version")) {
		// gofeed takes any JSON object for a feed with no items; an API
		// error page must not pass for a quiet source.
		return nil, fmt.Errorf("feed: %s: JSON without a JSON Feed version: %w", feedURL, ErrEmpty)
	}
	base, _ := url.Parse(feedURL)
	out := &Feed{Title: strings.TrimSpace(f.Title), Link: resolve(base, f.Link), Language: f.Language, Truncated: truncated}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		item := Item{
			Title:      strings.TrimSpace(it.Title),
			Link:       resolve(base, strings.TrimSpace(it.Link)),
			GUID:       strings.TrimSpace(it.GUID),
			Summary:    strings.TrimSpace(it.Description),
			Content:    strings.TrimSpace(it.Content),
			Categories: it.Categories,
		}
		item.Published = itemDate(it.PublishedParsed, it.Published)
		item.Updated = itemDate(it.UpdatedParsed, it.Updated)
		if item.Published.IsZero() {
			item.Published = item.Updated
		}
		if len(it.Authors) > 0 && it.Authors[0] != nil {
			item.Author = strings.TrimSpace(it.Authors[0].Name)
		}
		if item.GUID == "" {
			item.GUID = item.Link
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// itemDate is the date gofeed parsed or, when it could not, the raw
// string read by pubdate.ParseFeedDate: Arabic outlets write dates such as
// "الثلاثاء، 4 نوفمبر 2025 - 10:30 ص بتوقيت مكة المكرمة" that no English
// date parser reads. A date without a zone is read as UTC (the feed does
// not say where it is); one with an unknown zone name, likewise.
func itemDate(parsed *time.Time, raw string) time.Time {
	if parsed != nil {
		return parsed.UTC()
	}
	if raw = strings.TrimSpace(raw); raw == "" {
		return time.Time{}
	}
	t, err := pubdate.ParseFeedDate(raw, time.UTC)
	if err != nil && !errors.Is(err, pubdate.ErrUnknownZone) {
		return time.Time{}
	}
	return t.UTC()
}

func resolve(base *url.URL, ref string) string {
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

// repairTruncated cuts data after its last complete item or entry and closes
// the elements left open, or returns nil when there is nothing to keep.
func repairTruncated(data []byte) []byte {
	for _, c := range []struct{ end, tail string }{
		{"</item>", "</channel></rss>"},
		{"</entry>", "</feed>"},
	} {
		i := bytes.LastIndex(data, []byte(c.end))
		if i < 0 {
			continue
		}
		out := append([]byte{}, data[:i+len(c.end)]...)
		tail := c.tail
		if c.end == "</item>" && bytes.Contains(data[:i], []byte("<rdf:RDF")) {
			tail = "</rdf:RDF>" // RSS 1.0 items are siblings of a closed channel
		}
		return append(out, tail...)
	}
	return nil
}
