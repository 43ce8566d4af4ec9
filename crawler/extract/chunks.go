package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// addSplitChunks appends the rest of a body that the page split into
// several same-class containers (ads or newsletter boxes between them):
// trafilatura keeps the best-scoring container only. The container is found
// from the first extracted paragraph; other elements with the same tag and
// class add the paragraphs the result lacks.
func addSplitChunks(root *html.Node, blocks []block, title string) []block {
	if len(blocks) == 0 {
		return blocks
	}
	have := make(map[string]bool, len(blocks))
	for _, b := range blocks {
		have[foldText(b.text)] = true
	}
	first := findParagraph(root, have, 0)
	if first == nil {
		return blocks
	}
	container := first.Parent
	for i := 0; i < 3 && container != nil && attr(container, "class") == ""; i++ {
		container = container.Parent
	}
	if container == nil || container.Type != html.ElementNode || attr(container, "class") == "" ||
		container.DataAtom == atom.Body || container.DataAtom == atom.Html {
		return blocks
	}
	cls := attr(container, "class")
	var extra []block
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 {
			return
		}
		if n != container && n.Type == html.ElementNode && n.DataAtom == container.DataAtom && attr(n, "class") == cls {
			if !isAncestor(n, container) && !isAncestor(container, n) {
				var added []block
				for _, b := range cleanBlocks(renderBlocks(n), title, nil) {
					// Rendered from the page itself, so link share is known:
					// link lists inside a chunk are "more stories" lists.
					if b.linkRunes*2 >= b.runes {
						continue
					}
					if key := foldText(b.text); !have[key] {
						have[key] = true
						added = append(added, b)
					}
				}
				for len(added) > 0 && (isHeading(added[len(added)-1].tag) || added[len(added)-1].runes < 40) {
					added = added[:len(added)-1]
				}
				// A chunk of real text, not a teaser with one line.
				if runeCount(added) >= 200 && len(added) >= 2 {
					extra = append(extra, added...)
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return append(blocks, extra...)
}

// findParagraph returns the first <p> whose folded text is one of want.
func findParagraph(n *html.Node, want map[string]bool, depth int) *html.Node {
	if depth > 400 {
		return nil
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.P {
		var sb strings.Builder
		collectText(n, &sb, 0)
		if want[foldText(sb.String())] {
			return n
		}
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if p := findParagraph(c, want, depth+1); p != nil {
			return p
		}
	}
	return nil
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}
