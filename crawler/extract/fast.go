package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The container fast path: when a page marks its article unambiguously (one
// itemprop="articleBody" element, else one <article>) and that container is
// plain prose holding nearly all of the page's text, trafilatura would pick
// that same container and return its paragraphs, so rendering it directly
// gives the same body at a fraction of the cost (trafilatura clones the tree
// three times and runs a language classifier over it). Anything unusual
// inside the container sends the page down the full path.

// fastBlock are the elements a plain-prose container may hold besides the
// inline ones: paragraphs, headings, quotes and line breaks.
var fastBlock = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Br: true, atom.Blockquote: true,
}

// Thresholds of the fast path: the container holds at least fastShareNum /
// fastShareDen of the page's non-link text, at most 1/fastLinkDen of its
// own text is link text, and it has at least fastMinParagraphs paragraphs.
const (
	fastShareNum      = 17
	fastShareDen      = 20
	fastLinkDen       = 10
	fastMinParagraphs = 1
)

// fastContainer returns the page's article container when the fast path
// applies, else nil.
func fastContainer(root *html.Node) *html.Node {
	var articles, bodies []*html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 {
			return
		}
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Article {
				articles = append(articles, n)
			}
			if strings.EqualFold(strings.TrimSpace(attr(n, "itemprop")), "articleBody") {
				bodies = append(bodies, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	var c *html.Node
	switch {
	case len(bodies) == 1:
		c = bodies[0]
	case len(bodies) == 0 && len(articles) == 1:
		c = articles[0]
	default:
		return nil
	}
	paras := 0
	if !plainProse(c, &paras, 0) || paras < fastMinParagraphs {
		return nil
	}
	text, link := linkStats(c)
	if text == 0 || link*fastLinkDen > text {
		return nil
	}
	allText, allLink := linkStats(root)
	if (text-link)*fastShareDen < (allText-allLink)*fastShareNum {
		return nil
	}
	return c
}

// plainProse reports whether everything under n is paragraphs, headings,
// quotes and inline markup with no boilerplate names, counting the
// paragraphs that hold text.
func plainProse(n *html.Node, paras *int, depth int) bool {
	if depth > 64 {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode, html.CommentNode:
			continue
		case html.ElementNode:
		default:
			return false
		}
		if !fastBlock[c.DataAtom] && (!inline[c.DataAtom] || c.DataAtom == atom.Html || c.DataAtom == atom.Body) {
			return false
		}
		if names := attr(c, "class") + " " + attr(c, "id"); len(names) > 1 {
			names = strings.ToLower(names)
			if alwaysOut(names) || containsAny(names, linkyOut) {
				return false
			}
		}
		if c.DataAtom == atom.P {
			if t, _ := linkStats(c); t > 0 {
				*paras++
			}
		}
		if !plainProse(c, paras, depth+1) {
			return false
		}
	}
	return true
}
