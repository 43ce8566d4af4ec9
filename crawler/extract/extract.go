// Package extract turns one fetched news page into its article: title, plain
// text body, author, raw date strings, language and canonical URL, recording
// which method produced each field.
//
// The body comes from per-site CSS selectors when the config gives them and
// they match, otherwise from go-trafilatura's content extraction followed by
// our own boilerplate pass, which removes what trafilatura lets through on
// news sites (headline repeated in the body, "read also" blocks, related
// article lists, share bars, tickers), with rules for Arabic layouts.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Method names recorded in Result.Methods.
const (
	MethodSelector    = "selector"
	MethodTrafilatura = "trafilatura"
	// MethodContainer is the fast path: the page's one article container
	// (itemprop="articleBody" or <article>) holding plain prose, rendered
	// without trafilatura.
	MethodContainer = "container"
	MethodJSONLD    = "json-ld"
	MethodOGTitle   = "og:title"
	MethodH1        = "h1"
	MethodTitleTag  = "title"
	MethodMeta      = "meta"
	MethodItemprop  = "itemprop"
	MethodTime      = "time"
	MethodByline    = "byline"
	MethodHTMLLang  = "html-lang"
	MethodScript    = "script"
	MethodCanonical = "rel-canonical"
	MethodOGURL     = "og:url"
	MethodPageURL   = "page-url"
)

// ErrNoBody is wrapped by the error returned for pages without an article body.
var ErrNoBody = errors.New("no article body found")

// Selectors are per-site CSS selectors from the config. A selector ending in
// "@name" (for example "time[datetime]@datetime") reads that attribute of the
// first match instead of its text. Empty selectors are ignored.
type Selectors struct {
	Title     string
	Body      string
	Published string
	Author    string
}

// Options tune one extraction. The zero value is ready to use.
type Options struct {
	// Selectors take precedence over generic extraction for the fields they
	// name, when they match something non-empty.
	Selectors *Selectors
	// MinBodyRunes is the shortest body accepted as an article; 0 means 80.
	MinBodyRunes int
	// NoFastPath sends every page through trafilatura, even one whose
	// article container is unambiguous (for measuring the fast path).
	NoFastPath bool
}

// Result is the extracted article. Dates are the raw strings found in the
// page; parsing them is left to the caller.
type Result struct {
	Title        string
	Body         string // plain text, paragraphs separated by "\n\n"
	Author       string
	Published    string
	Updated      string
	Lang         string // "ar", "en", ... ; empty when unknown
	CanonicalURL string
	// Methods maps a field name (title, body, author, published, updated,
	// lang, canonical_url) to the method that produced it.
	Methods map[string]string
}

// Extract extracts the article of the page at pageURL from its HTML.
func Extract(page []byte, pageURL string, opts Options) (*Result, error) {
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("extract: %s: parse html: %w", pageURL, err)
	}
	return ExtractNode(root, pageURL, opts)
}

// ExtractNode is Extract on a page already parsed with html.Parse, so a
// caller that reads the page for other fields too parses it once. It may
// modify the tree (boilerplate is pruned before trafilatura runs): read
// what else is needed from the tree first.
func ExtractNode(root *html.Node, pageURL string, opts Options) (*Result, error) {
	doc := goquery.NewDocumentFromNode(root)
	sel := opts.Selectors
	if sel == nil {
		sel = &Selectors{}
	}
	minRunes := opts.MinBodyRunes
	if minRunes <= 0 {
		minRunes = 80
	}

	res := &Result{Methods: map[string]string{}}
	ld := readJSONLD(doc)
	metas := indexMeta(doc)
	set := func(field, value, method string, dst *string) bool {
		value = cleanInline(value)
		if value == "" {
			return false
		}
		*dst = value
		res.Methods[field] = method
		return true
	}

	// Title.
	_ = set("title", selectText(doc, sel.Title), MethodSelector, &res.Title) ||
		set("title", ld.headline, MethodJSONLD, &res.Title) ||
		set("title", metas.content("og:title"), MethodOGTitle, &res.Title) ||
		set("title", firstText(doc, "h1"), MethodH1, &res.Title) ||
		set("title", firstText(doc, "title"), MethodTitleTag, &res.Title)

	// Author.
	_ = set("author", selectText(doc, sel.Author), MethodSelector, &res.Author) ||
		set("author", ld.author, MethodJSONLD, &res.Author) ||
		set("author", metaAuthor(metas), MethodMeta, &res.Author) ||
		set("author", itempropValue(doc, "author"), MethodItemprop, &res.Author) ||
		set("author", bylineText(doc), MethodByline, &res.Author)

	// Dates.
	_ = set("published", selectText(doc, sel.Published), MethodSelector, &res.Published) ||
		set("published", metas.content(publishedMeta...), MethodMeta, &res.Published) ||
		set("published", ld.published, MethodJSONLD, &res.Published) ||
		set("published", itempropValue(doc, "datePublished"), MethodItemprop, &res.Published) ||
		set("published", firstAttr(doc, "time[datetime]", "datetime"), MethodTime, &res.Published)
	_ = set("updated", metas.content(updatedMeta...), MethodMeta, &res.Updated) ||
		set("updated", ld.modified, MethodJSONLD, &res.Updated) ||
		set("updated", itempropValue(doc, "dateModified"), MethodItemprop, &res.Updated)

	// Canonical URL.
	canon, method := canonicalURL(doc, metas, pageURL)
	if canon != "" {
		res.CanonicalURL = canon
		res.Methods["canonical_url"] = method
	}

	// Body.
	var blocks []block
	if sel.Body != "" {
		blocks = cleanBlocks(selectBlocks(doc, sel.Body), "", nil)
		if runeCount(blocks) > 0 {
			res.Methods["body"] = MethodSelector
		}
	}
	if res.Methods["body"] == "" && !opts.NoFastPath {
		if c := fastContainer(root); c != nil {
			fast := addSplitChunks(root, cleanBlocks(renderBlocks(c), res.Title, linkTexts(root)), res.Title)
			if runeCount(fast) >= minRunes {
				blocks = fast
				res.Methods["body"] = MethodContainer
			}
		}
	}
	if res.Methods["body"] == "" {
		links := linkTexts(root)
		pruneBoilerplate(root)
		blocks = trafilaturaBlocks(root, res.Title, links)
		res.Methods["body"] = MethodTrafilatura
	}
	res.Body = joinBlocks(blocks)
	if utf8.RuneCountInString(res.Body) < minRunes {
		return nil, fmt.Errorf("extract: %s: %w", pageURL, ErrNoBody)
	}

	// Pages are not always valid UTF-8 and the parser passes bad bytes through.
	for _, p := range []*string{&res.Title, &res.Body, &res.Author, &res.Published, &res.Updated, &res.CanonicalURL} {
		*p = strings.ToValidUTF8(*p, "\uFFFD")
	}

	// Language: the page's declaration first, the body's script otherwise.
	if lang, method := declaredLang(doc, metas, ld.lang); lang != "" {
		res.Lang = lang
		res.Methods["lang"] = method
	} else if lang := scriptLang(res.Body); lang != "" {
		res.Lang = lang
		res.Methods["lang"] = MethodScript
	}
	return res, nil
}

func runeCount(blocks []block) int {
	n := 0
	for _, b := range blocks {
		n += utf8.RuneCountInString(b.text)
	}
	return n
}

func joinBlocks(blocks []block) string {
	parts := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if b.text != "" {
			parts = append(parts, b.text)
		}
	}
	return strings.Join(parts, "\n\n")
}
