package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Class and id words of containers that hold no article text on news sites,
// in English and in the transliterated Arabic that Arabic outlets use.
// Plain token and substring tests: regular expressions over every class
// attribute of a page cost more than trafilatura itself.
var (
	// alwaysOut tokens (class/id split on space, "-" and "_") name
	// containers removed whatever their text looks like.
	alwaysOutTokens = setOf("comment", "comments", "commentlist", "usercomments", "ta3liqat", "advert",
		"adverts", "advertisement", "advertising", "ad", "ads", "adslot", "adsbygoogle", "dfp", "newsletter",
		"subscribe", "outbrain", "taboola", "ticker", "marquee", "newsbar", "urgentstrip", "akhbarajel")
	// alwaysOutPairs are the same names written as two tokens.
	alwaysOutPairs = setOf("comment list", "user comments", "ad slot", "breaking ticker", "news bar",
		"urgent strip", "akhbar ajel", "ticker wrap")
	// linkyOut substrings name containers removed when much of their text is links.
	linkyOut = []string{"related", "read-also", "readalso", "more", "similar", "rel-articles", "relarticles",
		"mawadi", "most-read", "mostread", "most-viewed", "mostviewed", "popular", "trending", "share",
		"sharing", "social", "tags", "keywords", "latest", "teaser", "card", "recommend", "sidebar",
		"side-bar", "aside"}
	// contentNames name the article container itself; such elements are kept
	// even when a modifier says "read-more" or "comments".
	contentNames = []string{"entry-content", "entrycontent", "article-body", "articlebody", "article-content",
		"articlecontent", "article-text", "articletext", "post-body", "postbody", "post-content", "postcontent",
		"post-text", "story-body", "storybody", "story-content", "story-text", "main-content", "maincontent",
		"news-body", "news-text", "news-content", "news-details", "field-item", "fielditem", "wysiwyg"}
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// alwaysOut reports whether lowercased class/id names call the element a
// comment thread, ad, ticker or newsletter box.
func alwaysOut(names string) bool {
	toks := strings.FieldsFunc(names, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' })
	for i, t := range toks {
		if alwaysOutTokens[t] {
			return true
		}
		if i > 0 && alwaysOutPairs[toks[i-1]+" "+t] {
			return true
		}
	}
	return false
}

// pruneBoilerplate removes, in place, containers that are never article
// text: comment threads, ads, tickers and newsletter boxes by their names;
// related lists, share bars and teaser grids when their names say so and
// their text is mostly links; and any list whose items are all links. A
// container holding most of the page's non-link text is never removed,
// since a class on the main wrapper ("has-comments") says nothing about it.
func pruneBoilerplate(root *html.Node) {
	text, link := linkStats(root)
	total := text - link
	type candidate struct {
		n     *html.Node
		plain int // non-link text runes
	}
	var cands []candidate
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom != atom.Html && n.DataAtom != atom.Body {
			if neverText(n) {
				cands = append(cands, candidate{n: n})
				return
			}
			if shouldPrune(n, total) {
				t, l := linkStats(n)
				cands = append(cands, candidate{n: n, plain: t - l})
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	// Class names mislead: when three or more candidates share a class and
	// together hold a third of the page's prose (gallery items called
	// "comment", widget items that are the story), they are the content.
	groups := map[string][]int{}
	for i, c := range cands {
		if cls := attr(c.n, "class"); cls != "" && c.plain > 0 {
			groups[cls] = append(groups[cls], i)
		}
	}
	keep := map[int]bool{}
	for _, idx := range groups {
		plain := 0
		for _, i := range idx {
			plain += cands[i].plain
		}
		if len(idx) >= 3 && plain*3 > total {
			for _, i := range idx {
				keep[i] = true
			}
		}
	}
	for i, c := range cands {
		if keep[i] {
			continue
		}
		if c.n.Parent != nil {
			c.n.Parent.RemoveChild(c.n)
		}
	}
}

// neverText elements are dropped before trafilatura: scripts between text
// nodes make it lose the text after them.
func neverText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Marquee:
		return true
	}
	return false
}

func shouldPrune(n *html.Node, total int) bool {
	names := attr(n, "class") + " " + attr(n, "id")
	isList := n.DataAtom == atom.Ul || n.DataAtom == atom.Ol
	if strings.TrimSpace(names) == "" && !isList {
		return false
	}
	names = strings.ToLower(names)
	if containsAny(names, contentNames) {
		return false
	}
	always := alwaysOut(names)
	linky := !always && containsAny(names, linkyOut)
	if !always && !linky && !isList {
		return false
	}
	text, link := linkStats(n)
	// Never remove the article's own wrapper.
	if total > 0 && (text-link)*2 > total {
		return false
	}
	if always {
		return true
	}
	if text == 0 {
		return linky
	}
	if linky {
		return link*4 >= text
	}
	// A bare list counts only when every item is a link: a related list.
	return allItemsLinks(n)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// linkStats returns the runes of text and of link text under n.
func linkStats(n *html.Node) (text, link int) {
	var walk func(n *html.Node, inLink bool, depth int)
	walk = func(n *html.Node, inLink bool, depth int) {
		if depth > 400 {
			return
		}
		switch n.Type {
		case html.TextNode:
			k := utf8.RuneCountInString(strings.TrimSpace(n.Data))
			text += k
			if inLink {
				link += k
			}
			return
		case html.ElementNode:
			if skipped[n.DataAtom] {
				return
			}
			if n.DataAtom == atom.A {
				inLink = true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink, depth+1)
		}
	}
	walk(n, false, 0)
	return text, link
}

// allItemsLinks reports whether a list has at least three items and each
// item's text is (nearly) all link text.
func allItemsLinks(list *html.Node) bool {
	items := 0
	for c := list.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		text, link := linkStats(c)
		if text == 0 {
			continue
		}
		if link*10 < text*8 {
			return false
		}
		items++
	}
	return items >= 3
}
