// Package web turns a fetched HTML page into the fields of an article for
// the crawler: the body and metadata come from crawler/extract (per-site
// selectors first, then generic extraction built on go-trafilatura), the
// dates from crawler/pubdate (its order of trust, zones, rejected future
// dates).
package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/mirsad-observatory/mirsad/crawler/extract"
	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
)

// Selectors are per-site CSS selectors; "sel@attr" takes an attribute of
// the first match instead of its text.
type Selectors = extract.Selectors

// Page is what extraction found. Dates are RFC 3339 strings (or, from a
// selector, as the page wrote them).
type Page struct {
	Title        string
	Body         string // paragraphs separated by "\n\n"
	Author       string
	Published    string
	Updated      string
	CanonicalURL string
	Lang         string
	Methods      map[string]string // field -> method that produced it
	Warnings     []string          // e.g. a date with an unknown zone abbreviation
}

// ErrNoBody is wrapped by Extract when no article text is found.
var ErrNoBody = extract.ErrNoBody

// Extract parses html fetched from pageURL.
func Extract(data []byte, pageURL string, sel *Selectors) (*Page, error) {
	// One parse serves both extractors (it was a quarter of extraction's
	// CPU); pubdate reads the tree before extract, which may prune it.
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("web: extract: %s: parse html: %w", pageURL, err)
	}
	pd := pubdate.ExtractNode(root, pubdate.Options{})
	r, err := extract.ExtractNode(root, pageURL, extract.Options{Selectors: sel})
	if err != nil {
		if errors.Is(err, extract.ErrNoBody) {
			return nil, err
		}
		return nil, fmt.Errorf("web: %w", err)
	}
	p := &Page{Title: r.Title, Body: r.Body, Author: r.Author, CanonicalURL: r.CanonicalURL, Lang: r.Lang, Methods: r.Methods}
	if p.Methods == nil {
		p.Methods = map[string]string{}
	}
	if p.CanonicalURL == "" {
		p.CanonicalURL = Canonicalize(pageURL)
	}
	if p.Methods["published"] == "selector" {
		p.Published = r.Published
	}
	// Everything else about dates (JSON-LD, meta tags, <time>, visible
	// Arabic or English date lines, zones, rejected future dates) is
	// pubdate's, in its order of trust.
	if pd.Method != pubdate.MethodFetchTime {
		if p.Published == "" {
			p.Published, p.Methods["published"] = pd.Published.Format(time.RFC3339), pd.Method
		}
		if !pd.Updated.IsZero() {
			p.Updated, p.Methods["updated"] = pd.Updated.Format(time.RFC3339), pd.Method
		}
		p.Warnings = append(p.Warnings, pd.Warnings...)
	} else {
		delete(p.Methods, "published")
	}
	return p, nil
}

// Canonicalize drops what makes one article look like several: fragments,
// tracking parameters and host case.
func Canonicalize(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	u.Host = strings.ToLower(u.Host)
	u.Scheme = strings.ToLower(u.Scheme)
	return extract.CleanURL(u)
}
