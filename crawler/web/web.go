// Package web extracts an article (title, body, dates, canonical URL) from
// an HTML page. Per-site selectors win when they match; otherwise a generic
// extractor picks the block of paragraphs that carries the most prose.
package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
)

// Selectors are per-site CSS selectors; "sel@attr" takes an attribute of
// the first match instead of its text.
type Selectors struct {
	Title     string
	Body      string
	Published string
	Author    string
}

// Page is what extraction found. Dates are the raw strings as the page
// wrote them; parsing them is the caller's business.
type Page struct {
	Title        string
	Body         string // paragraphs separated by "\n\n"
	Author       string
	Published    string
	Updated      string
	CanonicalURL string
	Lang         string // the page's declared lang attribute, if any
	Methods      map[string]string
	Warnings     []string // e.g. a date with an unknown zone abbreviation
}

// ErrNoBody is wrapped by Extract when no article text is found.
var ErrNoBody = errors.New("no article body found")

// Extract parses html fetched from pageURL.
func Extract(data []byte, pageURL string, sel *Selectors) (*Page, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("web: %s: %w", pageURL, err)
	}
	p := &Page{Methods: map[string]string{}}
	if sel == nil {
		sel = &Selectors{}
	}
	ld := jsonLD(doc)

	p.Title = first(p.Methods, "title",
		try{"selector", func() string { return pick(doc, sel.Title) }},
		try{"og:title", func() string { return meta(doc, "og:title") }},
		try{"json-ld", func() string { return ld["headline"] }},
		try{"h1", func() string { return clean(doc.Find("h1").First().Text()) }},
		try{"title", func() string { return clean(doc.Find("title").First().Text()) }},
	)
	p.Body = first(p.Methods, "body",
		try{"selector", func() string { return selectorBody(doc, sel.Body) }},
		try{"generic", func() string { return genericBody(doc) }},
	)
	if utf8.RuneCountInString(p.Body) < 80 {
		return nil, fmt.Errorf("web: %s: %w", pageURL, ErrNoBody)
	}
	p.Published = first(p.Methods, "published",
		try{"selector", func() string { return pick(doc, sel.Published) }},
	)
	// Everything else about dates (JSON-LD, meta tags, <time>, visible
	// Arabic or English date lines, zones, rejected future dates) is
	// pubdate's, in its order of trust.
	if pd, err := pubdate.Extract(data, pubdate.Options{}); err == nil && pd.Method != pubdate.MethodFetchTime {
		if p.Published == "" {
			p.Published, p.Methods["published"] = pd.Published.Format(time.RFC3339), pd.Method
		}
		if !pd.Updated.IsZero() {
			p.Updated, p.Methods["updated"] = pd.Updated.Format(time.RFC3339), pd.Method
		}
		p.Warnings = append(p.Warnings, pd.Warnings...)
	}
	p.Author = first(p.Methods, "author",
		try{"selector", func() string { return pick(doc, sel.Author) }},
		try{"json-ld", func() string { return ld["author"] }},
		try{"meta", func() string { return meta(doc, "author") }},
	)
	p.CanonicalURL = canonical(doc, pageURL)
	p.Lang, _ = doc.Find("html").Attr("lang")
	return p, nil
}

type try struct {
	method string
	f      func() string
}

// first records which method produced a field: researchers need to know
// whether a date came from the page's metadata or a guess.
func first(methods map[string]string, field string, tries ...try) string {
	for _, t := range tries {
		if v := strings.TrimSpace(t.f()); v != "" {
			methods[field] = t.method
			return v
		}
	}
	return ""
}

func pick(doc *goquery.Document, sel string) string {
	if sel == "" {
		return ""
	}
	css, at, hasAttr := strings.Cut(sel, "@")
	s := doc.Find(css).First()
	if hasAttr {
		return attr(s, at)
	}
	return clean(s.Text())
}

func attr(s *goquery.Selection, name string) string {
	v, _ := s.Attr(name)
	return strings.TrimSpace(v)
}

func meta(doc *goquery.Document, name string) string {
	v := attr(doc.Find(fmt.Sprintf(`meta[property=%q]`, name)).First(), "content")
	if v == "" {
		v = attr(doc.Find(fmt.Sprintf(`meta[name=%q]`, name)).First(), "content")
	}
	return v
}

func selectorBody(doc *goquery.Document, sel string) string {
	if sel == "" {
		return ""
	}
	var paras []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		if t := clean(s.Text()); t != "" {
			paras = append(paras, t)
		}
	})
	return strings.Join(paras, "\n\n")
}

// boilerplate holds elements whose paragraphs are never article text.
const boilerplate = "script, style, noscript, nav, footer, aside, form, iframe, figure, button, " +
	"[class*=related], [class*=share], [class*=comment], [class*=newsletter], [class*=ticker], [class*=ad-], [class=ad], [class*=breadcrumb]"

const standfirst = "p[class*=standfirst], p[class*=dek], p[class*=lede], p[class*=subtitle], p[class*=excerpt]"

// genericBody scores each element by the prose in its paragraphs and takes
// the best one's paragraphs, skipping link lists ("read also") inside it.
func genericBody(doc *goquery.Document) string {
	root := doc.Find("body")
	if root.Length() == 0 {
		root = doc.Selection
	}
	root = root.Clone()
	root.Find(boilerplate).Remove()
	// A site's header is boilerplate; an article's own header holds its
	// headline and standfirst.
	root.Find("header").Each(func(_ int, h *goquery.Selection) {
		if h.ParentsFiltered("article").Length() == 0 {
			h.Remove()
		}
	})

	var best *goquery.Selection
	bestScore := 0
	// A score depends on the parent only: score each parent once, not once
	// per child paragraph (which was quadratic in a container's paragraphs
	// and cost as much CPU as indexing the article).
	scored := map[*html.Node]bool{}
	root.Find("p").Each(func(_ int, p *goquery.Selection) {
		parent := p.Parent()
		if parent.Length() == 0 || scored[parent.Get(0)] {
			return
		}
		scored[parent.Get(0)] = true
		score := 0
		parent.ChildrenFiltered("p").Each(func(_ int, q *goquery.Selection) {
			if !linky(q) {
				score += utf8.RuneCountInString(clean(q.Text()))
			}
		})
		if score > bestScore {
			best, bestScore = parent, score
		}
	})
	if best == nil {
		return ""
	}
	var paras []string
	// The standfirst (dek) sits in the story header, outside the body's
	// container, yet it is the article's own lead and often the only place
	// that names the key actors.
	root.Find(standfirst).EachWithBreak(func(_ int, q *goquery.Selection) bool {
		if t := clean(q.Text()); t != "" && !linky(q) && !contains(best, q) {
			paras = append(paras, t)
			return false
		}
		return true
	})
	best.Find("p, h2, h3, blockquote").Each(func(_ int, q *goquery.Selection) {
		if goquery.NodeName(q) == "p" && q.ParentsFiltered("blockquote").Length() > 0 {
			return // the blockquote itself carries the text
		}
		if t := clean(q.Text()); t != "" && !linky(q) {
			paras = append(paras, t)
		}
	})
	return strings.Join(paras, "\n\n")
}

func contains(outer, inner *goquery.Selection) bool {
	return outer.Find("*").IsSelection(inner)
}

// linky reports whether most of an element's text is link text.
func linky(s *goquery.Selection) bool {
	all := utf8.RuneCountInString(clean(s.Text()))
	if all == 0 {
		return true
	}
	links := 0
	s.Find("a").Each(func(_ int, a *goquery.Selection) { links += utf8.RuneCountInString(clean(a.Text())) })
	return links*2 > all
}

func jsonLD(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v map[string]any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return true
		}
		for _, k := range []string{"headline", "datePublished", "dateModified"} {
			if str, ok := v[k].(string); ok && out[k] == "" {
				out[k] = str
			}
		}
		switch a := v["author"].(type) {
		case map[string]any:
			if n, ok := a["name"].(string); ok {
				out["author"] = n
			}
		case []any:
			if len(a) > 0 {
				if m, ok := a[0].(map[string]any); ok {
					if n, ok := m["name"].(string); ok {
						out["author"] = n
					}
				}
			}
		case string:
			out["author"] = a
		}
		return false
	})
	return out
}

func canonical(doc *goquery.Document, pageURL string) string {
	href := attr(doc.Find(`link[rel="canonical"]`).First(), "href")
	if href == "" {
		return Canonicalize(pageURL)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return Canonicalize(href)
	}
	ref, err := url.Parse(href)
	if err != nil {
		return Canonicalize(pageURL)
	}
	return Canonicalize(base.ResolveReference(ref).String())
}

// Canonicalize drops what makes one article look like several: fragments,
// tracking parameters and host case.
func Canonicalize(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return raw
	}
	u.Fragment = ""
	u.Host = strings.ToLower(u.Host)
	u.Scheme = strings.ToLower(u.Scheme)
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "mc_cid" || lk == "mc_eid" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// clean collapses white space, which HTML treats as insignificant.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
