package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one paragraph-level piece of text with how much of it is link text.
type block struct {
	text      string
	tag       string // innermost block element that holds the text
	runes     int
	linkRunes int
}

// skipped elements never contribute text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Math: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Input: true, atom.Object: true, atom.Canvas: true, atom.Head: true,
}

// inline elements continue the current paragraph; every other element
// (including trafilatura's own output tags) starts a new one.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true,
	atom.U: true, atom.Small: true, atom.Sup: true, atom.Sub: true, atom.Mark: true, atom.Abbr: true,
	atom.Cite: true, atom.Code: true, atom.Q: true, atom.S: true, atom.Time: true, atom.Font: true,
	atom.Label: true, atom.Del: true, atom.Ins: true, atom.Kbd: true, atom.Var: true, atom.Bdi: true,
	atom.Bdo: true, atom.Wbr: true, atom.Img: true, atom.Dfn: true, atom.Samp: true, atom.Big: true,
	atom.Tt: true, atom.Strike: true, atom.Nobr: true, atom.Data: true, atom.Picture: true,
	atom.Source: true, atom.Html: true, atom.Body: true,
}

// cells are separated by a space within their row.
var cells = map[string]bool{"td": true, "th": true, "cell": true}

type renderer struct {
	out   []block
	cur   strings.Builder
	link  int
	tags  []string
	depth int
}

// renderBlocks turns a subtree into paragraph blocks.
func renderBlocks(n *html.Node) []block {
	r := &renderer{}
	r.walk(n, false)
	r.flush()
	return r.out
}

func (r *renderer) flush() {
	text := cleanInline(r.cur.String())
	if text != "" {
		tag := ""
		if len(r.tags) > 0 {
			tag = r.tags[len(r.tags)-1]
		}
		runes := utf8.RuneCountInString(text)
		link := r.link
		if link > runes {
			link = runes
		}
		r.out = append(r.out, block{text: text, tag: tag, runes: runes, linkRunes: link})
	}
	r.cur.Reset()
	r.link = 0
}

func (r *renderer) walk(n *html.Node, inLink bool) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 512 { // pathological nesting: stop descending rather than blow the stack
		return
	}
	switch n.Type {
	case html.TextNode:
		r.cur.WriteString(n.Data)
		if inLink {
			r.link += utf8.RuneCountInString(strings.TrimSpace(n.Data))
		}
		return
	case html.ElementNode:
		if skipped[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.A {
			inLink = true
		}
		if cells[n.Data] {
			r.cur.WriteByte(' ')
		} else if !inline[n.DataAtom] {
			r.flush()
			r.tags = append(r.tags, n.Data)
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				r.walk(c, inLink)
			}
			r.flush()
			r.tags = r.tags[:len(r.tags)-1]
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c, inLink)
	}
}

// selectBlocks renders every match of a body selector, in document order.
func selectBlocks(doc *goquery.Document, css string) (out []block) {
	defer func() {
		if recover() != nil { // goquery panics on invalid selectors
			out = nil
		}
	}()
	doc.Find(css).Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			out = append(out, renderBlocks(n)...)
		}
	})
	return out
}

// trafilaturaOptions favour recall: our own cleanBlocks pass removes the
// boilerplate that costs trafilatura precision, so losing text is the worse
// error. Dates are read by us, so htmldate's scan is skipped.
func trafilaturaOptions() trafilatura.Options {
	return trafilatura.Options{
		ExcludeComments: true,
		Focus:           trafilatura.FavorRecall,
		HtmlDateMode:    trafilatura.Disabled,
	}
}

// trafilaturaBlocks runs trafilatura (which works on its own copy of the
// tree) and cleans its output.
func trafilaturaBlocks(root *html.Node, title string) (out []block) {
	defer func() {
		if recover() != nil { // a third-party panic must not take the crawler down
			out = nil
		}
	}()
	res, err := trafilatura.ExtractDocument(root, trafilaturaOptions())
	if err != nil || res == nil || res.ContentNode == nil {
		return nil
	}
	return cleanBlocks(renderBlocks(res.ContentNode), title)
}

// cleanBlocks removes what is not article text: a repeated headline at the
// top, "read also"/share/follow lines, link lists, and exact repeats.
func cleanBlocks(blocks []block, title string) []block {
	out := make([]block, 0, len(blocks))
	seen := map[string]bool{}
	normTitle := foldText(title)
	for i, b := range blocks {
		key := foldText(b.text)
		if key == "" {
			continue
		}
		if len(out) == 0 && i < 3 && normTitle != "" && sameHeadline(key, normTitle) {
			continue
		}
		if isBoilerplateLine(key, b) {
			continue
		}
		if seen[key] && b.runes >= 20 {
			continue
		}
		seen[key] = true
		out = append(out, b)
	}
	return out
}

// sameHeadline reports whether a block is the page headline again (the
// title tag often carries the site name, so containment counts).
func sameHeadline(block, title string) bool {
	if block == title {
		return true
	}
	if len(block) >= 12 && strings.Contains(title, block) {
		return true
	}
	return len(title) >= 12 && strings.HasPrefix(block, title) && len(block) <= len(title)+len(title)/5
}

// boilerplatePrefixes open lines that point elsewhere rather than tell the
// story; they are compared after foldText.
var boilerplatePrefixes = []string{
	// Arabic
	"اقرا ايضا", "اقرا ايضًا", "اقرا كذلك", "اقرا المزيد", "اقرأ أيضا", "شاهد ايضا", "شاهد كذلك",
	"طالع ايضا", "طالع كذلك", "مواضيع ذات صله", "اخبار ذات صله", "موضوعات ذات صله", "مقالات ذات صله",
	"تابعونا علي", "تابعوا اخر", "تابعنا علي", "للمزيد من الاخبار", "لمزيد من الاخبار", "شارك هذا", "شارك المقال",
	"شارك الخبر", "شارك علي", "انضم الي قناتنا", "اشترك في", "الاكثر قراءه", "الاكثر مشاهده",
	"اخبار متعلقه", "قد يهمك ايضا", "قد يعجبك ايضا", "المزيد من الاخبار", "اضف تعليق", "اضف تعليقك",
	"التعليقات", "عاجل:",
	// English
	"read more:", "read also", "also read", "related:", "related articles", "related stories",
	"see also:", "share this", "follow us on", "sign up for", "subscribe to our",
	"this copy is for your personal, non-commercial use", "click here to",
}

// boilerplateExact are whole lines that are UI, not text.
var boilerplateExact = map[string]bool{
	"شارك": true, "مشاركه": true, "تويتر": true, "فيسبوك": true, "واتساب": true, "طباعه": true,
	"advertisement": true, "إعلان": true, "اعلان": true, "share": true, "tweet": true, "print": true,
	"email": true, "comments": true, "تعليقات": true, "ads": true, "مساحة إعلانية": true,
	"continue reading below": true, "continue reading": true, "don't miss": true, "you may also like...": true,
	"you may also like": true, "order reprints": true, "print article": true, "text size": true,
}

func isBoilerplateLine(key string, b block) bool {
	if boilerplateExact[key] {
		return true
	}
	for _, p := range boilerplatePrefixes {
		if strings.HasPrefix(key, p) && (b.runes < 200 || b.linkRunes*2 >= b.runes) {
			return true
		}
	}
	return false
}

// foldText lowercases, strips Arabic diacritics and tatweel, unifies alef,
// yeh and teh marbuta forms and collapses spaces, for comparing lines.
func foldText(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == '\u200f' || r == '\u200e' || r == '\u200b':
			continue
		}
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(unicode.ToLower(r))
	}
	return sb.String()
}

func init() {
	for i, p := range boilerplatePrefixes {
		boilerplatePrefixes[i] = foldText(p)
	}
	folded := make(map[string]bool, len(boilerplateExact))
	for k := range boilerplateExact {
		folded[foldText(k)] = true
	}
	boilerplateExact = folded
}
