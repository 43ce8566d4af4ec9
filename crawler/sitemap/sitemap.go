// Package sitemap reads XML sitemaps, sitemap indexes and Google News
// sitemaps (gzipped or not) into URLs with their dates. It does no I/O so it
// can be fuzzed; the crawler fetches and recurses.
package sitemap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// URL is one <url> of a urlset. News fields come from Google News
// sitemaps (<news:news>) and are empty otherwise.
type URL struct {
	Loc       string
	LastMod   time.Time
	Title     string    // news:title
	Published time.Time // news:publication_date
	Language  string    // news:publication/news:language
}

// Sitemap is a parsed document: a urlset fills URLs, a sitemap index fills
// Sitemaps (the child sitemap URLs).
type Sitemap struct {
	URLs     []URL
	Sitemaps []string
}

// ErrNotSitemap is wrapped when the document is XML but neither a urlset nor
// a sitemapindex.
var ErrNotSitemap = errors.New("not a sitemap (want <urlset> or <sitemapindex>)")

// gzipMagic starts every gzip stream. Sitemaps are often served as .xml.gz
// with Content-Type application/x-gzip, which no transport decodes for us.
var gzipMagic = []byte{0x1f, 0x8b}

// Decompress returns data gunzipped when it is a gzip stream, failing
// rather than truncating when the result would pass maxBytes.
func Decompress(data []byte, maxBytes int64) ([]byte, error) {
	if !bytes.HasPrefix(data, gzipMagic) {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("sitemap: gzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("sitemap: gzip: %w", err)
	}
	if int64(len(out)) > maxBytes {
		return nil, fmt.Errorf("sitemap: gzip: exceeds %d bytes after decompression", maxBytes)
	}
	return out, nil
}

// Parse reads a sitemap fetched from sitemapURL; relative locations are
// resolved against it and anything but an absolute http(s) URL with a host
// is dropped.
func Parse(data []byte, sitemapURL string) (*Sitemap, error) {
	base, _ := url.Parse(sitemapURL)
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		// The fetcher has already decoded the text to UTF-8.
		return r, nil
	}
	sm := &Sitemap{}
	root := ""
	var cur *URL
	var path []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root != "" && (len(sm.URLs) > 0 || len(sm.Sitemaps) > 0) {
				break // truncated: keep what was complete
			}
			return nil, fmt.Errorf("sitemap: %s: %w", sitemapURL, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if root == "" {
				root = name
				if root != "urlset" && root != "sitemapindex" {
					return nil, fmt.Errorf("sitemap: %s: %w", sitemapURL, ErrNotSitemap)
				}
			}
			path = append(path, name)
			text.Reset()
			if root == "urlset" && name == "url" && len(path) == 2 {
				cur = &URL{}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := t.Name.Local
			v := strings.TrimSpace(text.String())
			text.Reset()
			switch {
			case root == "sitemapindex" && name == "loc" && len(path) == 3:
				if u := resolve(base, v); u != "" {
					sm.Sitemaps = append(sm.Sitemaps, u)
				}
			case cur != nil && name == "url" && len(path) == 2:
				if cur.Loc != "" {
					sm.URLs = append(sm.URLs, *cur)
				}
				cur = nil
			case cur != nil && name == "loc" && len(path) == 3:
				cur.Loc = resolve(base, v)
			case cur != nil && name == "lastmod":
				cur.LastMod = parseDate(v)
			case cur != nil && name == "title" && contains(path, "news"):
				cur.Title = v
			case cur != nil && name == "publication_date":
				cur.Published = parseDate(v)
			case cur != nil && name == "language" && contains(path, "publication"):
				cur.Language = v
			}
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	if root == "" {
		return nil, fmt.Errorf("sitemap: %s: %w", sitemapURL, ErrNotSitemap)
	}
	return sm, nil
}

func contains(path []string, name string) bool {
	for _, p := range path {
		if p == name {
			return true
		}
	}
	return false
}

func resolve(base *url.URL, ref string) string {
	u, err := url.Parse(ref)
	if err != nil || ref == "" {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// parseDate reads the W3C datetime profile sitemaps use, from a year alone
// to seconds with a zone.
func parseDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
