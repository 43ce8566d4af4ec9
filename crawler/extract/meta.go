package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

var (
	publishedMeta = []string{
		"article:published_time", "og:article:published_time", "og:published_time",
		"datePublished", "pubdate", "publishdate", "publish-date", "date",
		"dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
	}
	updatedMeta = []string{
		"article:modified_time", "og:article:modified_time", "og:updated_time",
		"dateModified", "last-modified", "dcterms.modified",
	}
	authorMeta = []string{
		"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
	}
)

// cleanInline collapses whitespace into single spaces and trims: what
// strings.Join(strings.Fields(s), " ") gives, in one pass and one
// allocation (it runs on every block of every page).
func cleanInline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := -1 // where the current word began
	for i, r := range s {
		space := r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r)
		switch {
		case space && start >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[start:])
	}
	return b.String()
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// splitSelector separates "css@attr" into its selector and attribute.
func splitSelector(s string) (css, attr string) {
	i := strings.LastIndexByte(s, '@')
	if i <= 0 {
		return s, ""
	}
	name := s[i+1:]
	if name == "" || strings.ContainsAny(name, " []()>+~,:=\"'") {
		return s, ""
	}
	return strings.TrimSpace(s[:i]), name
}

// selectText returns the value a config selector designates: the attribute
// of the first match for "css@attr", else the text of every match joined.
// An invalid selector matches nothing (config validation reports it).
func selectText(doc *goquery.Document, selector string) (out string) {
	if strings.TrimSpace(selector) == "" {
		return ""
	}
	defer func() {
		if recover() != nil { // goquery panics on invalid selectors
			out = ""
		}
	}()
	css, attr := splitSelector(selector)
	m := doc.Find(css)
	if attr != "" {
		for i := range m.Nodes {
			if v, ok := m.Eq(i).Attr(attr); ok && strings.TrimSpace(v) != "" {
				return v
			}
		}
		return ""
	}
	var parts []string
	m.Each(func(_ int, s *goquery.Selection) {
		if t := cleanInline(s.Text()); t != "" {
			parts = append(parts, t)
		}
	})
	return strings.Join(parts, " ")
}

func firstText(doc *goquery.Document, css string) string {
	var out string
	doc.Find(css).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		out = cleanInline(s.Text())
		return out == ""
	})
	return out
}

func firstAttr(doc *goquery.Document, css, attr string) string {
	var out string
	doc.Find(css).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		out = strings.TrimSpace(s.AttrOr(attr, ""))
		return out == ""
	})
	return out
}

// metaIndex maps the lowercased property, name, itemprop or http-equiv of
// the page's <meta> elements to the first non-empty content given for it:
// one pass over the page instead of one per looked-up key.
type metaIndex map[string]string

func indexMeta(doc *goquery.Document) metaIndex {
	m := metaIndex{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content := strings.TrimSpace(s.AttrOr("content", ""))
		if content == "" {
			return
		}
		for _, a := range [...]string{"property", "name", "itemprop", "http-equiv"} {
			if v, ok := s.Attr(a); ok {
				k := strings.ToLower(strings.TrimSpace(v))
				if _, seen := m[k]; !seen {
					m[k] = content
				}
			}
		}
	})
	return m
}

// content returns the content of the first <meta> whose property, name,
// itemprop or http-equiv equals one of keys (case-insensitively), trying
// keys in order.
func (m metaIndex) content(keys ...string) string {
	for _, k := range keys {
		if v := m[strings.ToLower(k)]; v != "" {
			return v
		}
	}
	return ""
}

func metaAuthor(metas metaIndex) string {
	for _, k := range authorMeta {
		v := metas.content(k)
		// article:author is often a profile URL, which is not a name.
		if v != "" && !strings.Contains(v, "://") {
			return strings.TrimPrefix(strings.TrimPrefix(v, "By "), "by ")
		}
	}
	return ""
}

// itempropValue reads a microdata property from content, datetime or text.
func itempropValue(doc *goquery.Document, prop string) string {
	var out string
	doc.Find(`[itemprop="` + prop + `"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if goquery.NodeName(s) == "meta" {
			out = s.AttrOr("content", "")
		} else if v, ok := s.Attr("datetime"); ok {
			out = v
		} else if n := s.Find(`[itemprop="name"]`); n.Length() > 0 {
			out = n.First().Text()
		} else {
			out = s.Text()
		}
		out = cleanInline(out)
		return out == ""
	})
	if len([]rune(out)) > 120 {
		return ""
	}
	return out
}

// bylineText reads a short byline element; long ones are author boxes or
// lists, not names.
func bylineText(doc *goquery.Document) string {
	var out string
	doc.Find(`[rel="author"], .byline, .author-name, .author, .writer, .kateb`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t := cleanInline(s.Text())
		for _, p := range []string{"By ", "by ", "بقلم:", "بقلم", "كتب:", "كتب"} {
			t = strings.TrimSpace(strings.TrimPrefix(t, p))
		}
		if t != "" && len([]rune(t)) <= 60 {
			out = t
			return false
		}
		return true
	})
	return out
}

// ldFields are the article fields read from schema.org JSON-LD.
type ldFields struct {
	headline, author, published, modified, lang string
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "blogposting": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "backgroundnewsarticle": true,
	"webpage": false, "liveblogposting": true, "report": true,
}

func readJSONLD(doc *goquery.Document) ldFields {
	var best ldFields
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return
		}
		walkLD(v, &best, 0)
	})
	return best
}

func walkLD(v any, out *ldFields, depth int) {
	if depth > 6 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkLD(e, out, depth+1)
		}
	case map[string]any:
		if g, ok := t["@graph"]; ok {
			walkLD(g, out, depth+1)
		}
		if !isArticleType(t["@type"]) {
			return
		}
		fill := func(dst *string, val string) {
			if *dst == "" {
				*dst = cleanInline(val)
			}
		}
		fill(&out.headline, ldString(t["headline"]))
		fill(&out.author, ldName(t["author"]))
		fill(&out.published, ldString(t["datePublished"]))
		fill(&out.modified, ldString(t["dateModified"]))
		fill(&out.lang, ldString(t["inLanguage"]))
	}
}

func isArticleType(v any) bool {
	switch t := v.(type) {
	case string:
		return articleTypes[strings.ToLower(t)]
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func ldName(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		return ldString(t["name"])
	case []any:
		var names []string
		for _, e := range t {
			if n := cleanInline(ldName(e)); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// canonicalURL resolves rel=canonical (or og:url) against the page URL and
// removes tracking parameters, so syndicated links to one article agree.
func canonicalURL(doc *goquery.Document, metas metaIndex, pageURL string) (string, string) {
	base, _ := url.Parse(pageURL)
	try := func(raw, method string) (string, string) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return "", ""
		}
		u, err := url.Parse(raw)
		if err != nil {
			return "", ""
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return "", ""
		}
		return CleanURL(u), method
	}
	if c, m := try(firstAttr(doc, `link[rel~="canonical"]`, "href"), MethodCanonical); c != "" {
		return c, m
	}
	if c, m := try(metas.content("og:url"), MethodOGURL); c != "" {
		return c, m
	}
	return try(pageURL, MethodPageURL)
}

// CleanURL drops the fragment and tracking parameters (utm_*, fbclid,
// gclid and similar click ids) from u, keeping the other parameters in order.
func CleanURL(u *url.URL) string {
	c := *u
	c.Fragment = ""
	c.RawFragment = ""
	if c.RawQuery != "" {
		var kept []string
		for _, kv := range strings.Split(c.RawQuery, "&") {
			k := kv
			if i := strings.IndexByte(kv, '='); i >= 0 {
				k = kv[:i]
			}
			lk := strings.ToLower(k)
			if kv == "" || strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				continue
			}
			kept = append(kept, kv)
		}
		c.RawQuery = strings.Join(kept, "&")
	}
	c.ForceQuery = false
	return c.String()
}

var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "_ga": true,
}

// declaredLang returns the primary subtag the page declares for itself and
// where it was declared.
func declaredLang(doc *goquery.Document, metas metaIndex, ldLang string) (string, string) {
	for _, c := range []struct{ v, method string }{
		{doc.Find("html").AttrOr("lang", ""), MethodHTMLLang},
		{doc.Find("html").AttrOr("xml:lang", ""), MethodHTMLLang},
		{metas.content("content-language", "og:locale", "language", "dc.language"), MethodMeta},
		{ldLang, MethodJSONLD},
	} {
		v := strings.ToLower(strings.TrimSpace(c.v))
		if i := strings.IndexAny(v, "-_,; "); i >= 0 {
			v = v[:i]
		}
		if len(v) >= 2 && len(v) <= 3 && isASCIILetters(v) {
			return v, c.method
		}
	}
	return "", ""
}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// scriptLang guesses ar or en from which script dominates the letters.
func scriptLang(text string) string {
	var arabic, latin int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	switch {
	case arabic == 0 && latin == 0:
		return ""
	case arabic >= latin:
		return "ar"
	default:
		return "en"
	}
}
