package extract

import (
	"regexp"
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
func trafilaturaBlocks(root *html.Node, title string, links map[string]bool) (out []block) {
	defer func() {
		if recover() != nil { // a third-party panic must not take the crawler down
			out = nil
		}
	}()
	opts := trafilaturaOptions()
	res, err := trafilatura.ExtractDocument(root, opts)
	var blocks []block
	if err == nil && res != nil && res.ContentNode != nil {
		blocks = cleanBlocks(renderBlocks(res.ContentNode), title, links)
	}
	// A short result often means trafilatura picked the wrong container; its
	// fallbacks (readability, dom-distiller) are slower, so only pay for them then.
	if n := runeCount(blocks); n < fallbackBelowRunes {
		opts.EnableFallback = true
		if res, err := trafilatura.ExtractDocument(root, opts); err == nil && res != nil && res.ContentNode != nil {
			if fb := cleanBlocks(renderBlocks(res.ContentNode), title, links); runeCount(fb) > n {
				blocks = fb
			}
		}
	}
	return addSplitChunks(root, blocks, title)
}

// cleanBlocks removes what is not article text: the headline and dek above
// the first paragraph, date/URL/byline lines at either end, "read also",
// share and follow lines, a trailing run of teaser headlines, and repeats.
func cleanBlocks(blocks []block, title string, links map[string]bool) []block {
	normTitle := foldText(title)
	// Headline and standfirst: headings before the first paragraph, or a
	// block repeating the title, as long as real text follows.
	start := 0
	for start < len(blocks)-1 {
		b := blocks[start]
		key := foldText(b.text)
		if isHeading(b.tag) || key == "" || (normTitle != "" && sameHeadline(key, normTitle)) {
			start++
			continue
		}
		break
	}
	out := make([]block, 0, len(blocks)-start)
	seen := map[string]bool{}
	for i := start; i < len(blocks); i++ {
		b := blocks[i]
		key := foldText(b.text)
		if key == "" || isBoilerplateLine(key, b) {
			continue
		}
		if (i-start < 3 || len(blocks)-i <= 3) && isDatelineOrURL(b) {
			continue
		}
		if seen[key] && b.runes >= 20 {
			continue
		}
		seen[key] = true
		out = append(out, b)
	}
	return trimTeaserTail(out, links)
}

func isHeading(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

var (
	// bylineRe matches folded byline lines: "by NAME", "بقلم: NAME", "كتب: NAME".
	// isByline is the same test without the regexp engine (it runs on most
	// short blocks of every page); the test suite checks they agree.
	bylineRe   = regexp.MustCompile(`^(by|بقلم|كتب|كتبت|اعداد|تحرير)\s*:?\s+\S`)
	urlLineRe  = regexp.MustCompile(`^(https?://|www\.)\S+$`)
	yearRe     = regexp.MustCompile(`(^|\D)(19|20)\d\d(\D|$)|\d{1,2}:\d\d`)
	datewordRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|updated|published|منذ|يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|كانون|تشرين|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|السبت|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة`)
)

// isDatelineOrURL matches the short lines at the edges of a body that give
// the page address or the publication time rather than text.
func isDatelineOrURL(b block) bool {
	if b.runes > 80 {
		return false
	}
	t := strings.TrimSpace(b.text)
	if urlLineRe.MatchString(t) {
		return true
	}
	words := len(strings.Fields(t))
	return words <= 8 && yearRe.MatchString(t) && (datewordRe.MatchString(t) || words <= 3)
}

// trimTeaserTail drops a run of two or more short lines after the last full
// paragraph when none reads as a sentence and most are the text of links
// elsewhere on the page: related headlines that trafilatura attached.
func trimTeaserTail(blocks []block, links map[string]bool) []block {
	last := -1
	for i := len(blocks) - 1; i >= 0; i-- {
		if blocks[i].runes >= 100 {
			last = i
			break
		}
	}
	if last < 0 || len(blocks)-1-last < 2 || len(links) == 0 {
		return blocks
	}
	linked := 0
	for _, b := range blocks[last+1:] {
		if b.tag == "td" || b.tag == "tr" || b.runes >= 100 || endsSentence(b.text) {
			return blocks
		}
		if links[foldText(b.text)] {
			linked++
		}
	}
	if linked*2 < len(blocks)-1-last {
		return blocks
	}
	return blocks[:last+1]
}

// linkTexts collects the folded text of every link long enough to be a
// headline.
func linkTexts(root *html.Node) map[string]bool {
	out := map[string]bool{}
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > 400 {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			var sb strings.Builder
			collectText(n, &sb, 0)
			if t := foldText(sb.String()); utf8.RuneCountInString(t) >= 15 {
				out[t] = true
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out
}

func collectText(n *html.Node, sb *strings.Builder, depth int) {
	if depth > 100 {
		return
	}
	if n.Type == html.TextNode {
		sb.WriteString(n.Data)
		sb.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectText(c, sb, depth+1)
	}
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'”’»)")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".:!…؛。！", r)
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

var bylinePrefixes = []string{"by", "بقلم", "كتب", "كتبت", "اعداد", "تحرير"}

// isByline reports what bylineRe matches: a byline word, optional spaces,
// an optional colon, then at least one space and a non-space.
func isByline(key string) bool {
	const ws = " \t\n\f\r" // RE2's \s
	spaceThenText := func(s string) bool {
		t := strings.TrimLeft(s, ws)
		return len(t) < len(s) && t != ""
	}
	for _, p := range bylinePrefixes {
		rest, ok := strings.CutPrefix(key, p)
		if !ok {
			continue
		}
		if spaceThenText(rest) {
			return true
		}
		if after, ok := strings.CutPrefix(strings.TrimLeft(rest, ws), ":"); ok && spaceThenText(after) {
			return true
		}
	}
	return false
}

// isAdblockNotice matches "ad block", "ad-block", "adblock" and the Arabic
// "ad blocker" anywhere in a folded line.
func isAdblockNotice(key string) bool {
	return strings.Contains(key, "adblock") || strings.Contains(key, "ad-block") ||
		strings.Contains(key, "ad block") || strings.Contains(key, "مانع الاعلانات")
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
	"التعليقات", "عاجل:", "جميع الحقوق محفوظة", "حقوق النشر محفوظة", "الكلمات الدالة", "الوسوم:",
	// English
	"read more:", "read also", "also read", "related:", "related articles", "related stories",
	"see also:", "share this", "follow us on", "sign up for", "subscribe to our",
	"this copy is for your personal, non-commercial use", "click here to", "copyright ©", "copyright (c)",
	"© ", "all rights reserved", "see more:", "write to ", "subscribe now", "if you enjoyed reading",
	"we want to hear what you think",
	// Spanish, Portuguese, French, German, Italian: the same pointers.
	"lea también", "lee también", "lea más:", "lee más:", "le puede interesar", "te puede interesar",
	"también te puede interesar", "puedes ver:", "vea también", "ver también:", "mira también",
	"contenido relacionado", "noticias relacionadas", "artículos relacionados", "leia também",
	"leia mais:", "veja também", "lire aussi", "à lire aussi", "a lire aussi", "voir aussi",
	"sur le même sujet", "lesen sie auch", "mehr zum thema", "schon gelesen?", "auch interessant:",
	"das könnte sie auch interessieren", "leggi anche", "potrebbe interessarti",
}

// boilerplateExact are whole lines that are UI, not text.
var boilerplateExact = map[string]bool{
	"شارك": true, "مشاركه": true, "تويتر": true, "فيسبوك": true, "واتساب": true, "طباعه": true,
	"advertisement": true, "إعلان": true, "اعلان": true, "share": true, "tweet": true, "print": true,
	"email": true, "comments": true, "تعليقات": true, "ads": true, "مساحة إعلانية": true,
	"continue reading below": true, "continue reading": true, "don't miss": true, "you may also like...": true,
	"you may also like": true, "order reprints": true, "print article": true, "text size": true,
	"tags": true, "tags:": true, "by": true, "thank you": true, "الوسوم": true,
}

func isBoilerplateLine(key string, b block) bool {
	if boilerplateExact[key] {
		return true
	}
	if b.runes <= 60 && isByline(key) {
		return true
	}
	if b.runes < 300 && isAdblockNotice(key) {
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
// It runs on every block of every page, so ASCII and the Arabic block,
// which have no spaces to test beyond ASCII's and no case to fold beyond
// A-Z, skip the unicode table lookups.
func foldText(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch r {
			case ' ', '\t', '\n', '\v', '\f', '\r':
				space = sb.Len() > 0
				continue
			}
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if space {
				sb.WriteByte(' ')
				space = false
			}
			sb.WriteByte(byte(r))
			continue
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
		if r < 0x0600 || r > 0x06FF { // the Arabic block has neither
			if unicode.IsSpace(r) {
				space = sb.Len() > 0
				continue
			}
			r = unicode.ToLower(r)
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
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

// fallbackBelowRunes is the body length under which trafilatura is run again
// with its readability and dom-distiller fallbacks. Measured on both
// benchmarks (docs/bench/extraction.md): it costs the English news benchmark
// 0.002 F1 and gains the multilingual snippet set 0.006 F.
const fallbackBelowRunes = 1000
