// Package pubdate finds when a page or feed item was published and last
// updated, from every place news sites put it, in order of trust: the feed
// item, JSON-LD, article:published_time, other date meta tags, <time>
// elements, then date lines in the visible text ("الأربعاء 26 نوفمبر 2025
// 06:00 م", Levantine and Maghrebi month names, Arabic-Indic digits, Hijri
// dates, "بتوقيت القاهرة"). Dates in the future or before 1990 are rejected
// with a reason, and the fetch time stands in when nothing else is left.
package pubdate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/mirsad-observatory/mirsad/internal/datetext"
)

// Methods name the source a date came from (Result.Method).
const (
	MethodFeed          = "feed"
	MethodJSONLD        = "json-ld"
	MethodArticleMeta   = "article:published_time"
	MethodMeta          = "meta" // itemprop, DC and other date meta tags
	MethodTimeElement   = "time-element"
	MethodVisibleText   = "visible-text"
	MethodFetchTime     = "fetch-time"
	earliestPlausible   = 1990
	futureToleranceMins = 10
)

// ErrUnknownZone marks a date whose zone abbreviation Mirsad cannot place;
// ParseFeedDate still returns the time, read in the default zone.
var ErrUnknownZone = errors.New("unknown zone")

// Options give Extract what it cannot read from the page.
type Options struct {
	// FeedPublished and FeedUpdated are the feed item's dates, already
	// parsed (zero when the feed gave none).
	FeedPublished, FeedUpdated time.Time
	// FeedPublishedText and FeedUpdatedText are raw feed date strings the
	// feed parser could not read; they are parsed with ParseFeedDate when
	// the parsed field is zero.
	FeedPublishedText, FeedUpdatedText string
	// Now is the fetch time: the upper bound of plausible dates and the
	// fallback. Zero means time.Now().
	Now time.Time
	// DefaultZone is the source's zone, for dates written without one.
	// Nil means UTC.
	DefaultZone *time.Location
	// Locale is "en" for month/day numeric dates; anything else reads
	// numeric dates day first.
	Locale string
	// Logger receives rejected dates; nil discards.
	Logger *slog.Logger
}

// Result is the outcome of Extract.
type Result struct {
	Published time.Time
	Updated   time.Time // zero when the page gives no distinct update time
	Method    string    // source of Published
	Warnings  []string
}

type candidate struct {
	published, updated time.Time
	method             string
}

// Extract returns the publication and update dates of a page (which may be
// empty when only feed dates are known).
func Extract(page []byte, opts Options) (Result, error) {
	var root *html.Node
	if len(bytes.TrimSpace(page)) > 0 {
		var err error
		if root, err = html.Parse(bytes.NewReader(page)); err != nil {
			return Result{}, fmt.Errorf("pubdate: parse html: %w", err)
		}
	}
	return ExtractNode(root, opts), nil
}

// ExtractNode is Extract on a page already parsed with html.Parse (nil for
// an empty page), so that a caller extracting the article from the same
// page parses it once. It does not modify the tree.
func ExtractNode(root *html.Node, opts Options) Result {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.DefaultZone == nil {
		opts.DefaultZone = time.UTC
	}
	x := &extractor{opts: opts}
	x.feed()
	if root != nil {
		doc := goquery.NewDocumentFromNode(root)
		x.jsonLD(doc)
		x.meta(doc)
		x.timeElements(doc)
		x.visible(doc)
	}
	return x.result()
}

type extractor struct {
	opts     Options
	cands    []candidate
	warnings []string
}

func (x *extractor) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	x.warnings = append(x.warnings, msg)
	if x.opts.Logger != nil {
		x.opts.Logger.Warn("pubdate: date not used", "reason", msg)
	}
}

func (x *extractor) add(method string, pub, upd time.Time) {
	if pub.IsZero() && upd.IsZero() {
		return
	}
	x.cands = append(x.cands, candidate{published: pub, updated: upd, method: method})
}

// plausible rejects dates in the future or before 1990, with a warning.
func (x *extractor) plausible(method, field string, t time.Time) bool {
	if t.IsZero() {
		return false
	}
	if t.After(x.opts.Now.Add(futureToleranceMins * time.Minute)) {
		x.warn("%s %s %s rejected: in the future (fetched %s)", method, field, t.Format(time.RFC3339), x.opts.Now.Format(time.RFC3339))
		return false
	}
	if t.Year() < earliestPlausible {
		x.warn("%s %s %s rejected: before 1990", method, field, t.Format(time.RFC3339))
		return false
	}
	return true
}

func (x *extractor) result() Result {
	r := Result{}
	for _, c := range x.cands {
		if r.Published.IsZero() && x.plausible(c.method, "published", c.published) {
			r.Published, r.Method = c.published, c.method
		}
		if r.Updated.IsZero() && x.plausible(c.method, "updated", c.updated) {
			r.Updated = c.updated
		}
	}
	if r.Published.IsZero() {
		r.Published, r.Method = x.opts.Now, MethodFetchTime
		if !r.Updated.IsZero() && r.Updated.Before(r.Published) {
			// Only an update time was given: it bounds publication better
			// than the fetch time does.
			r.Published, r.Method = r.Updated, methodOfUpdated(x.cands, r.Updated)
		}
	}
	if !r.Updated.IsZero() && r.Updated.Before(r.Published) {
		x.warn("updated %s before published %s dropped", r.Updated.Format(time.RFC3339), r.Published.Format(time.RFC3339))
		r.Updated = time.Time{}
	}
	r.Warnings = x.warnings
	return r
}

func methodOfUpdated(cands []candidate, t time.Time) string {
	for _, c := range cands {
		if c.updated.Equal(t) {
			return c.method
		}
	}
	return MethodFetchTime
}

func (x *extractor) feed() {
	pub, upd := x.opts.FeedPublished, x.opts.FeedUpdated
	parse := func(s string) time.Time {
		if strings.TrimSpace(s) == "" {
			return time.Time{}
		}
		t, err := ParseFeedDate(s, x.opts.DefaultZone)
		if errors.Is(err, ErrUnknownZone) {
			x.warn("feed date %q: %v, read in %s", s, err, x.opts.DefaultZone)
			return t
		}
		if err != nil {
			x.warn("feed date %q: %v", s, err)
			return time.Time{}
		}
		return t
	}
	if pub.IsZero() {
		pub = parse(x.opts.FeedPublishedText)
	}
	if upd.IsZero() {
		upd = parse(x.opts.FeedUpdatedText)
	}
	x.add(MethodFeed, pub, upd)
}

// ParseFeedDate parses the date strings feeds write that standard parsers
// miss: Arabic month names of every series, Arabic-Indic digits, ص/م,
// Hijri dates, zone names such as "بتوقيت مكة المكرمة", JavaScript
// Date strings, and ISO forms without a zone (read in zone). With an
// unknown zone abbreviation it returns the time read in zone and an error
// wrapping ErrUnknownZone.
func ParseFeedDate(s string, zone *time.Location) (time.Time, error) {
	if zone == nil {
		zone = time.UTC
	}
	s = strings.TrimSpace(s)
	if t, ok := parseISO(s, zone); ok {
		if t.Year() < 1900 || t.Year() > 2100 {
			return time.Time{}, fmt.Errorf("pubdate: year %d of %q out of range", t.Year(), s)
		}
		return t, nil
	}
	dt, ok := datetext.ParseDateTime(s, true)
	if !ok {
		return time.Time{}, fmt.Errorf("pubdate: no date in %q", s)
	}
	t := dt.Time(zone)
	if dt.UnknownZone != "" {
		return t, fmt.Errorf("pubdate: %q: %w", dt.UnknownZone, ErrUnknownZone)
	}
	return t, nil
}

var isoZoned = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
}

var isoLocal = []string{
	"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05",
	"2006-01-02 15:04", "2006-01-02",
}

// parseISO reads ISO 8601 dates; those without a zone are read in loc.
func parseISO(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' {
		return time.Time{}, false
	}
	for _, l := range isoZoned {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	for _, l := range isoLocal {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseAttr reads a date attribute: ISO first, then any date form.
func (x *extractor) parseAttr(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseISO(s, x.opts.DefaultZone); ok {
		return t
	}
	dt, ok := datetext.ParseDateTime(s, x.opts.Locale != "en")
	if !ok {
		return time.Time{}
	}
	if dt.UnknownZone != "" {
		x.warn("unknown zone %q in %q, read in %s", dt.UnknownZone, s, x.opts.DefaultZone)
	}
	return dt.Time(x.opts.DefaultZone)
}

func (x *extractor) jsonLD(doc *goquery.Document) {
	var pub, upd time.Time
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(s.Text())), &v); err != nil {
			x.warn("json-ld block skipped: %v", err)
			return true
		}
		var best map[string]any
		walkLD(v, 0, func(o map[string]any) {
			if _, ok := o["datePublished"]; !ok {
				if _, ok := o["dateModified"]; !ok {
					return
				}
			}
			if best == nil || (isArticle(o) && !isArticle(best)) {
				best = o
			}
		})
		if best != nil {
			pub = x.parseAttr(str(best["datePublished"]))
			upd = x.parseAttr(str(best["dateModified"]))
			return false
		}
		return true
	})
	x.add(MethodJSONLD, pub, upd)
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			return str(t[0])
		}
	}
	return ""
}

func isArticle(o map[string]any) bool {
	var types []string
	switch t := o["@type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, e := range t {
			types = append(types, str(e))
		}
	}
	for _, t := range types {
		if strings.Contains(t, "Article") || strings.Contains(t, "BlogPosting") || t == "NewsArticle" {
			return true
		}
	}
	return false
}

func walkLD(v any, depth int, f func(map[string]any)) {
	if depth > 8 {
		return
	}
	switch t := v.(type) {
	case map[string]any:
		f(t)
		for k, c := range t {
			if k == "@graph" || k == "mainEntity" || k == "mainEntityOfPage" || k == "itemListElement" {
				walkLD(c, depth+1, f)
			}
		}
	case []any:
		for _, c := range t {
			walkLD(c, depth+1, f)
		}
	}
}

func (x *extractor) metaContent(doc *goquery.Document, sels ...string) time.Time {
	for _, sel := range sels {
		var t time.Time
		doc.Find(sel).EachWithBreak(func(_ int, s *goquery.Selection) bool {
			v, ok := s.Attr("content")
			if !ok {
				v, _ = s.Attr("datetime")
			}
			t = x.parseAttr(v)
			return t.IsZero()
		})
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func (x *extractor) meta(doc *goquery.Document) {
	x.add(MethodArticleMeta,
		x.metaContent(doc, `meta[property="article:published_time"]`, `meta[name="article:published_time"]`),
		x.metaContent(doc, `meta[property="article:modified_time"]`, `meta[name="article:modified_time"]`,
			`meta[property="og:updated_time"]`))
	x.add(MethodMeta,
		x.metaContent(doc, `[itemprop="datePublished"]`, `meta[name="pubdate"]`, `meta[name="publishdate"]`,
			`meta[name="publish-date"]`, `meta[name="DC.date.issued"]`, `meta[name="dcterms.created"]`,
			`meta[name="parsely-pub-date"]`, `meta[name="sailthru.date"]`, `meta[property="og:published_time"]`,
			`meta[name="date"]`),
		x.metaContent(doc, `[itemprop="dateModified"]`, `meta[name="DC.date.modified"]`, `meta[name="dcterms.modified"]`,
			`meta[name="last-modified"]`))
}

func (x *extractor) timeElements(doc *goquery.Document) {
	var pub, upd time.Time
	doc.Find("time").Each(func(_ int, s *goquery.Selection) {
		v, ok := s.Attr("datetime")
		var t time.Time
		if ok {
			t = x.parseAttr(v)
		}
		if t.IsZero() {
			t = x.parseAttr(strings.TrimSpace(s.Text()))
		}
		if t.IsZero() {
			return
		}
		cls, _ := s.Attr("class")
		ip, _ := s.Attr("itemprop")
		if strings.Contains(strings.ToLower(cls+" "+ip), "modif") || strings.Contains(strings.ToLower(cls+" "+ip), "updat") {
			if upd.IsZero() {
				upd = t
			}
			return
		}
		if pub.IsZero() {
			pub = t
		}
	})
	x.add(MethodTimeElement, pub, upd)
}

var dateish = regexp.MustCompile(`(?i)date|time|publish|posted|byline|dateline|meta|timestamp|updated`)

var updatedLabel = regexp.MustCompile(`(?i)آخر تحديث|اخر تحديث|تم التحديث|تحديث:|updated|last modified|modified`)

// visible reads date lines from the text: first elements whose class or id
// says they hold a date, then any short text.
func (x *extractor) visible(doc *goquery.Document) {
	var pub, upd time.Time
	dayFirst := x.opts.Locale != "en"
	try := func(text string) {
		text = strings.TrimSpace(text)
		if text == "" || len(text) > 300 {
			return
		}
		// A text may hold both lines: "نشر في ... آخر تحديث ...".
		for text != "" {
			dt, ok := datetext.ParseDateTime(text, dayFirst)
			if !ok {
				return
			}
			t := dt.Time(x.opts.DefaultZone)
			if dt.UnknownZone != "" {
				x.warn("unknown zone %q in %q, read in %s", dt.UnknownZone, text, x.opts.DefaultZone)
			}
			if updatedLabel.MatchString(text[:dt.Start]) {
				if upd.IsZero() {
					upd = t
				}
			} else if pub.IsZero() {
				pub = t
			}
			text = text[dt.End:]
		}
	}
	body := doc.Find("body")
	body.Find("*").Each(func(_ int, s *goquery.Selection) {
		if !pub.IsZero() {
			return
		}
		cls, _ := s.Attr("class")
		id, _ := s.Attr("id")
		if !dateish.MatchString(cls + " " + id) {
			return
		}
		if d := directText(s); strings.TrimSpace(d) != "" {
			try(d)
		} else {
			try(s.Text())
		}
	})
	if pub.IsZero() {
		body.Find("*").Each(func(_ int, s *goquery.Selection) {
			switch goquery.NodeName(s) {
			case "script", "style", "noscript", "template":
				return
			}
			d := directText(s)
			if goquery.NodeName(s) == "p" && len(d) > 150 {
				return // prose: its dates are mentions, not the dateline
			}
			try(d)
		})
	}
	if pub.IsZero() && !upd.IsZero() {
		pub = upd
	}
	x.add(MethodVisibleText, pub, upd)
}

// directText is the text of s's own text nodes, without its children's.
func directText(s *goquery.Selection) string {
	var b strings.Builder
	for _, n := range s.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
	}
	return b.String()
}
