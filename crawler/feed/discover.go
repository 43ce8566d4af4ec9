package feed

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// feedTypes are the link types of feed autodiscovery, best first.
var feedTypes = []string{
	"application/rss+xml",
	"application/atom+xml",
	"application/feed+json",
	"application/json",
	"application/rdf+xml",
	"application/xml",
	"text/xml",
}

// Discover returns the feed URLs a HTML page advertises with
// <link rel="alternate" type="application/rss+xml" href="...">, resolved
// against pageURL, in the order of feedTypes and then of the page.
func Discover(html []byte, pageURL string) []string {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(html))
	if err != nil {
		return nil
	}
	base, _ := url.Parse(pageURL)
	found := map[string][]string{}
	seen := map[string]bool{}
	doc.Find("link[href]").Each(func(_ int, s *goquery.Selection) {
		rel := strings.ToLower(s.AttrOr("rel", ""))
		if !hasToken(rel, "alternate") && !hasToken(rel, "feed") {
			return
		}
		typ := strings.ToLower(strings.TrimSpace(s.AttrOr("type", "")))
		if i := strings.IndexByte(typ, ';'); i >= 0 {
			typ = strings.TrimSpace(typ[:i])
		}
		href := resolve(base, strings.TrimSpace(s.AttrOr("href", "")))
		if href == "" || seen[href] {
			return
		}
		seen[href] = true
		found[typ] = append(found[typ], href)
	})
	var out []string
	for _, t := range feedTypes {
		out = append(out, found[t]...)
	}
	return out
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

// LooksLikeHTML reports whether data is a HTML page rather than a feed, so
// that a home-page URL configured as a feed can be autodiscovered.
func LooksLikeHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 1024)]))
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		(bytes.Contains(head, []byte("<html")) && !bytes.Contains(head, []byte("<rss")) &&
			!bytes.Contains(head, []byte("<feed")) && !bytes.Contains(head, []byte("<rdf:rdf")))
}
