package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Class and id words of containers that hold no article text on news sites,
// in English and in the transliterated Arabic that Arabic outlets use.
var (
	// alwaysOut containers are removed whatever their text looks like.
	alwaysOutRe = regexp.MustCompile(`(?i)(^|[-_ ])(comments?|comment-?list|user-?comments|ta3liqat|advert\w*|ads?|ad-?slot|adsbygoogle|dfp(-ad)?|div-gpt-ad\w*|newsletter|subscribe|outbrain|taboola|ticker(-wrap)?|breaking-?ticker|urgent-?strip|news-?bar|akhbar-?ajel|marquee)($|[-_ ])`)
	// linkyOut containers are removed when most of their text is links.
	linkyOutRe = regexp.MustCompile(`(?i)(related|read-?(also|more)|more-?(news|stories|articles)|similar|rel-?articles|mawadi|most-?(read|viewed|popular)|popular|trending|share|sharing|social|tags|keywords|latest|teasers?|cards?|recommend|sidebar|side-?bar|aside|more)`)
	// contentRe names the article container itself; such elements are kept
	// even when a modifier says "read-more" or "comments".
	contentRe = regexp.MustCompile(`(?i)(entry-?content|article-?(body|content|text)|post-?(body|content|text)|story-?(body|content|text)|main-?content|news-?(body|text|content|details)|field-?item|wysiwyg)`)
)

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
	if contentRe.MatchString(names) {
		return false
	}
	always := alwaysOutRe.MatchString(names)
	linky := !always && linkyOutRe.MatchString(names)
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
