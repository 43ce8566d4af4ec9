// Package temporal finds the dates an Arabic or English news text talks
// about — absolute dates in every Arabic month series, numeric dates,
// weekdays, relative expressions and ranges — and resolves them to calendar
// days against the publication date, keeping their granularity so that a
// month mention matches any day of that month in range queries.
package temporal

import (
	"strings"
	"sync"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/internal/datetext"
)

// Options configure a Tagger.
type Options struct {
	// Zone, when set, is the source's zone: the publication instant is read
	// in it before "today" is decided. Otherwise the zone of the published
	// time is used as given.
	Zone *time.Location
	// EnglishDayFirst reads ambiguous English numeric dates as day/month
	// (British usage). Arabic numeric dates are always day/month.
	EnglishDayFirst bool
}

// Tagger finds and resolves date mentions. It is safe for concurrent use.
type Tagger struct {
	opts Options
}

// New returns a Tagger.
func New(opts Options) *Tagger {
	return &Tagger{opts: opts}
}

// Tag returns the date mentions of text, in order, with byte offsets into
// text. lang is "ar" or "en" (it only decides the order of ambiguous
// numeric dates; both vocabularies are always active, as Arabic copy quotes
// English and the reverse). Relative expressions resolve against published.
// A zero published time yields only mentions that carry their own year.
func (t *Tagger) Tag(text, lang string, published time.Time) []document.DateMention {
	if t.opts.Zone != nil && !published.IsZero() {
		published = published.In(t.opts.Zone)
	}
	tp := tokenPool.Get().(*[]datetext.Token)
	defer func() {
		clear(*tp) // drop references to text before pooling
		*tp = (*tp)[:0]
		tokenPool.Put(tp)
	}()
	*tp = datetext.AppendTokens((*tp)[:0], text)
	s := &scan{
		toks: *tp,
		text: text,
		m:    datetext.Matcher{DayFirst: lang != document.LangEnglish || t.opts.EnglishDayFirst},
	}
	if !published.IsZero() {
		y, mo, d := published.Date()
		s.ref = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		s.hasRef = true
		s.pubHour = published.Hour()
	}
	var out []document.DateMention
	for i := 0; i < len(s.toks); {
		r, ok := s.at(i)
		if !ok {
			i++
			continue
		}
		if r.from.Year() < 1900 || r.to.Year() > 2100 || r.to.Before(r.from) || r.start >= r.end {
			i = r.next
			continue
		}
		out = append(out, document.DateMention{
			Text:        text[r.start:r.end],
			Start:       r.start,
			End:         r.end,
			From:        r.from.Format(time.DateOnly),
			To:          r.to.Format(time.DateOnly),
			Granularity: r.gran.String(),
			Relative:    r.relative,
		})
		s.lastEnd = r.next
		s.lastMonth = r.from
		i = r.next
	}
	return out
}

// tokenPool recycles token slices: tokenizing is most of the tagger's
// cost, and most of that was allocation.
var tokenPool = sync.Pool{New: func() any { t := make([]datetext.Token, 0, 1024); return &t }}

// result is one resolved mention.
type result struct {
	start, end int // byte offsets
	next       int // token index after the mention
	from, to   time.Time
	gran       datetext.Granularity
	relative   bool
}

type scan struct {
	toks      []datetext.Token
	text      string
	m         datetext.Matcher
	ref       time.Time // publication day, midnight UTC
	hasRef    bool
	pubHour   int
	lastEnd   int       // token index after the previous mention
	lastMonth time.Time // start of the previous mention, for "الشهر نفسه"
}

func (s *scan) norm(i int) string {
	if i < 0 || i >= len(s.toks) {
		return ""
	}
	return s.toks[i].Norm
}

// triggers are the words other than vocabulary (months, weekdays,
// ordinals, counts) and numbers that can begin a mention.
var triggers = map[string]bool{}

func init() {
	for _, w := range []string{
		"يوم", "يومي", "اول", "بعد", "امس", "الامس", "بالامس", "وامس", "وبالامس", "البارحه", "اليوم", "الليله",
		"غدا", "غد", "من", "بين", "منذ", "قبل", "هذا", "هذه", "الاسبوع", "الشهر", "العام", "السنه", "عام", "سنه",
		"لعام", "وعام", "واليوم", "وغدا",
		"the", "last", "next", "this", "past", "previous", "coming", "overnight", "earlier", "later",
		"today", "tonight", "yesterday", "tomorrow", "from", "between",
	} {
		triggers[datetext.Fold(w)] = true
	}
}

func (s *scan) canStart(i int) bool {
	t := s.toks[i]
	if t.IsNum {
		return true
	}
	if t.IsPunct {
		return false
	}
	return triggers[t.Norm] || qualifiers[t.Norm] || datetext.StartWord(t.Norm)
}

func (s *scan) at(i int) (result, bool) {
	if !s.canStart(i) {
		return result{}, false
	}
	for _, f := range []func(int) (result, bool){
		s.rangeAt, s.qualifiedAt, s.dateAt, s.relativeAt, s.agoAt, s.yearAt,
	} {
		if r, ok := f(i); ok {
			return r, true
		}
	}
	return result{}, false
}

func day(t time.Time) (time.Time, time.Time) { return t, t }

func monthSpan(y int, m time.Month) (time.Time, time.Time) {
	f := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return f, f.AddDate(0, 1, -1)
}

func yearSpan(y int) (time.Time, time.Time) {
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
}

// direction words after or before an expression.
const (
	dirNone = iota
	dirPast
	dirNext
	dirThis
)

var suffixDir = map[string]int{}
var prefixDir = map[string]int{"last": dirPast, "past": dirPast, "previous": dirPast, "next": dirNext, "coming": dirNext, "this": dirThis}

func init() {
	for _, w := range []string{"الماضي", "الماضيه", "المنصرم", "المنصرمه", "الفائت", "الفائته", "السابق", "السابقه"} {
		suffixDir[datetext.Fold(w)] = dirPast
	}
	for _, w := range []string{"المقبل", "المقبله", "القادم", "القادمه"} {
		suffixDir[datetext.Fold(w)] = dirNext
	}
	for _, w := range []string{"الجاري", "الجاريه", "الحالي", "الحاليه", "هذا", "هذه"} {
		suffixDir[datetext.Fold(w)] = dirThis
	}
}

// suffixAt reads الماضي/المقبل/الجاري at toks[i].
func (s *scan) suffixAt(i int) (int, int) {
	if d, ok := suffixDir[s.norm(i)]; ok {
		return d, i + 1
	}
	return dirNone, i
}

func (s *scan) span(i, next int) (int, int) {
	return s.toks[i].Start, s.toks[next-1].End
}

// pick chooses the occurrence of a yearless date or month: the past one when
// it lies within about nine months, the next one when the sentence speaks of
// the future or the past one is too far.
func (s *scan) pick(past, future time.Time, fut bool) time.Time {
	if fut && future.Sub(s.ref) <= 183*24*time.Hour {
		return future
	}
	if months := (s.ref.Year()-past.Year())*12 + int(s.ref.Month()) - int(past.Month()); months <= 9 {
		return past
	}
	return future
}

// resolveDayMonth resolves a day and month without year.
func (s *scan) resolveDayMonth(mo, d, dir int, fut bool) (time.Time, bool) {
	if !s.hasRef {
		return time.Time{}, false
	}
	py := s.ref.Year()
	var past, future time.Time
	for y := py + 1; y >= py-1; y-- {
		if d > datetext.DaysIn(y, mo) {
			continue
		}
		c := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if dir == dirPast && !c.Before(s.ref) || dir != dirPast && c.After(s.ref) {
			future = c
		} else if past.IsZero() {
			past = c
		}
	}
	switch {
	case dir == dirPast:
		return past, !past.IsZero()
	case dir == dirNext:
		return future, !future.IsZero()
	case past.IsZero():
		return future, !future.IsZero()
	case future.IsZero():
		return past, true
	}
	return s.pick(past, future, fut), true
}

// resolveMonth resolves a month without year to its first day.
func (s *scan) resolveMonth(mo, dir int, fut bool) (time.Time, bool) {
	if !s.hasRef {
		return time.Time{}, false
	}
	cur := time.Date(s.ref.Year(), s.ref.Month(), 1, 0, 0, 0, 0, time.UTC)
	var past, future time.Time
	for y := s.ref.Year() + 1; y >= s.ref.Year()-1; y-- {
		c := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		if dir == dirPast && !c.Before(cur) || dir != dirPast && c.After(cur) {
			future = c
		} else if past.IsZero() {
			past = c
		}
	}
	switch dir {
	case dirPast:
		return past, true
	case dirNext:
		return future, true
	case dirThis:
		return time.Date(s.ref.Year(), time.Month(mo), 1, 0, 0, 0, 0, time.UTC), true
	}
	return s.pick(past, future, fut), true
}

// future reports whether the words before toks[i] in the same sentence
// speak of the future (will, expected, سـ، المقرر ...).
func (s *scan) future(i int) bool {
	for k := i - 1; k >= 0 && k >= i-10 && k >= s.lastEnd; k-- {
		w := s.toks[k].Norm
		if w == "." || w == "!" || w == "?" || w == "؟" {
			return false
		}
		if futureWords[w] {
			return true
		}
		if isArabicFutureVerb(w) {
			return true
		}
	}
	return false
}

var futureWords = map[string]bool{}

var notFutureVerbs = map[string]bool{}

func init() {
	for _, w := range []string{
		"will", "would", "ll", "expected", "due", "scheduled", "planned", "plans", "plan", "set",
		"upcoming", "until", "intends", "aims", "hopes", "hoped",
		"سوف", "المقرر", "مقرر", "المرتقب", "مرتقب", "المتوقع", "متوقع", "المنتظر", "يعتزم", "تعتزم",
		"المزمع", "مزمع", "ينتظر", "يتوقع", "تتوقع", "يرتقب", "حتى", "تستضيف", "يستضيف",
	} {
		futureWords[datetext.Fold(w)] = true
	}
	for _, w := range []string{
		"سياسه", "سياسي", "سياسيه", "سياسات", "سياسيين", "سيارة", "سيارات", "سياره", "ستة", "سته", "ستين",
		"سنة", "سنه", "سنوات", "سنوي", "سنويا", "سنين", "سيناء", "سيطره", "سيطرة", "سيده", "سيدة", "ستار",
		"سياق", "سيادة", "سيادي", "سيادته", "سياحه", "سيول", "ستائر", "سنتين", "سنتيمتر", "سيناريو",
	} {
		notFutureVerbs[datetext.Fold(w)] = true
	}
}

// isArabicFutureVerb reports whether a folded word looks like an imperfect
// verb with the future prefix سـ (سيعقد، ستشارك، سنعمل).
func isArabicFutureVerb(w string) bool {
	if notFutureVerbs[w] || len(w) < 10 { // 5 Arabic letters
		return false
	}
	for _, p := range []string{"سي", "ست", "سن"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// Enrich sets a.MentionedDates from the article body, resolved against its
// publication date (offsets are into a.Body, as the document model says).
func (t *Tagger) Enrich(a *document.Article) {
	lang := a.Lang
	if lang == "" {
		lang = document.LangArabic
	}
	a.MentionedDates = t.Tag(a.Body, lang, a.Published)
}
