package temporal

import (
	"strings"
	"time"

	"github.com/mirsad-observatory/mirsad/internal/datetext"
)

func isLatin(t datetext.Token) bool { return t.Raw != "" && t.Raw[0] < 0x80 }

// startOf returns the byte offset where the mention starting at token j
// begins, after an Arabic clitic (و، ب، ل) glued to a weekday or month.
func (s *scan) startOf(j int) int {
	if _, _, st, ok := s.m.WeekdayAt(s.toks, j); ok {
		return st
	}
	if _, _, st, _, ok := s.m.MonthAt(s.toks, j); ok {
		return st
	}
	t := s.toks[j]
	for _, p := range []string{"و", "ف", "ب", "ل"} {
		if rest, ok := strings.CutPrefix(t.Norm, p); ok {
			if _, ok := datetext.OrdinalWord(rest); ok && strings.HasPrefix(t.Raw, p) {
				return t.Start + len(p)
			}
		}
	}
	return t.Start
}

var rangeSeps = map[string]bool{
	"الي": true, "حتي": true, "و": true, "-": true, "–": true, "—": true,
	"to": true, "and": true, "through": true, "until": true, "till": true, "thru": true,
}

var rangePrefix = map[string]bool{"من": true, "بين": true, "from": true, "between": true, "يومي": true}

// rangeAt matches "من 7 إلى 10 أكتوبر", "بين 13 و15 نوفمبر", "6-7 ديسمبر",
// "Dec. 7-8, 2024", "from Oct. 6 to 9", "between October 20 and 31",
// "from 20 October to 3 November" and "من الخميس إلى السبت".
func (s *scan) rangeAt(i int) (result, bool) {
	j := i
	prefixed := false
	if rangePrefix[s.norm(i)] {
		j, prefixed = i+1, true
	}
	if j >= len(s.toks) {
		return result{}, false
	}
	// Weekday to weekday.
	if w1, e1, _, ok := s.m.WeekdayAt(s.toks, j); ok && prefixed && e1 < len(s.toks) && rangeSeps[s.norm(e1)] {
		if w2, e2, _, ok := s.m.WeekdayAt(s.toks, e1+1); ok && s.hasRef {
			from := s.weekday(w1, dirNone, s.future(i))
			to := from.AddDate(0, 0, (w2-w1+7)%7)
			st, en := s.span(i, e2)
			return result{start: st, end: en, next: e2, from: from, to: to, gran: datetext.Day, relative: true}, true
		}
	}
	// Day number (or ordinal) then a full date: "7 إلى 10 أكتوبر".
	d1, e1, ok := dayAt(s.toks, j)
	if !ok {
		d1, e1, ok = datetext.OrdinalDayAt(s.toks, j)
	}
	if ok && e1 < len(s.toks) && rangeSeps[s.norm(e1)] {
		if d2, e2, ok := s.m.MatchDate(s.toks, e1+1); ok && d2.Gran == datetext.Day && !d2.Numeric && d1 < d2.Day {
			return s.finishRange(i, e2, datetext.Date{Year: d2.Year, Month: d2.Month, Day: d1}, d2)
		}
	}
	// Full date to full date (needs a prefix or a real range separator).
	if d1, e1, ok := s.m.MatchDate(s.toks, j); ok && d1.Gran == datetext.Day && e1 < len(s.toks) && rangeSeps[s.norm(e1)] {
		sep := s.norm(e1)
		if prefixed || (sep != "و" && sep != "and") {
			if d2, e2, ok := s.m.MatchDate(s.toks, e1+1); ok && d2.Gran == datetext.Day {
				if d1.Year == 0 {
					d1.Year = d2.Year
				}
				return s.finishRange(i, e2, d1, d2)
			}
		}
		{
			// "Oct. 6 to 9", "December 6-7, 2025": the second bound is a bare day.
			if d2, e2, ok := dayAt(s.toks, e1+1); ok && d2 > d1.Day && isLatin(s.toks[j]) {
				end := datetext.Date{Year: d1.Year, Month: d1.Month, Day: d2}
				k := skipComma(s.toks, e2)
				if y, ok := datetext.YearAt(s.toks, k); ok && d1.Year == 0 {
					end.Year, d1.Year = y, y
					e2 = k + 1
				}
				return s.finishRange(i, e2, d1, end)
			}
		}
	}
	return result{}, false
}

func skipComma(toks []datetext.Token, i int) int {
	if i < len(toks) && (toks[i].Raw == "," || toks[i].Raw == "،") {
		return i + 1
	}
	return i
}

// dayAt matches a bare day number 1-31 (with an English ordinal suffix).
func dayAt(toks []datetext.Token, i int) (int, int, bool) {
	if i < len(toks) && toks[i].IsNum && toks[i].Digits <= 2 && toks[i].Num >= 1 && toks[i].Num <= 31 {
		n := i + 1
		if n < len(toks) && !toks[n].Space {
			switch toks[n].Norm {
			case "st", "nd", "rd", "th":
				n++
			}
		}
		return toks[i].Num, n, true
	}
	return 0, 0, false
}

func (s *scan) finishRange(i, e int, d1, d2 datetext.Date) (result, bool) {
	dir, e2 := s.suffixAt(e)
	relative := dir != dirNone
	if d2.Year == 0 {
		t, ok := s.resolveDayMonth(d2.Month, d2.Day, dir, s.future(i))
		if !ok {
			return result{}, false
		}
		d2.Year = t.Year()
		if d1.Year == 0 {
			d1.Year = d2.Year
			if d1.Month > d2.Month {
				d1.Year--
			}
		}
	}
	from := time.Date(d1.Year, time.Month(d1.Month), d1.Day, 0, 0, 0, 0, time.UTC)
	to := time.Date(d2.Year, time.Month(d2.Month), d2.Day, 0, 0, 0, 0, time.UTC)
	if from.Month() != time.Month(d1.Month) || to.Month() != time.Month(d2.Month) || to.Before(from) {
		return result{}, false
	}
	st, en := s.span(i, e2)
	return result{start: st, end: en, next: e2, from: from, to: to, gran: datetext.Day, relative: relative}, true
}

var qualifiers = map[string]bool{}

func init() {
	for _, w := range []string{"مطلع", "منتصف", "أواخر", "نهاية", "بداية", "أوائل", "أواسط", "مستهل", "ختام", "أول", "آخر",
		"early", "mid", "late", "end", "beginning", "start", "middle"} {
		qualifiers[datetext.Fold(w)] = true
	}
}

// qualifiedAt matches "مطلع ديسمبر", "منتصف الشهر الجاري", "نهاية عام 2027",
// "late October", "mid-November", "the end of the year", "mid-month".
func (s *scan) qualifiedAt(i int) (result, bool) {
	j := i
	if s.norm(j) == "the" {
		j++
	}
	if !qualifiers[s.norm(j)] {
		return result{}, false
	}
	w := s.norm(j)
	j++
	if isLatin(s.toks[i]) {
		switch w {
		case "end", "beginning", "start", "middle":
			if s.norm(j) != "of" {
				return result{}, false
			}
			j++
			if s.norm(j) == "the" && s.norm(j+1) != "month" && s.norm(j+1) != "year" {
				return result{}, false
			}
		case "mid":
			if s.norm(j) == "-" {
				j++
			}
		}
	} else if w == datetext.Fold("أول") || w == datetext.Fold("آخر") {
		// "أول أمس" is a relative day and "آخر تحديث" is no date; only
		// "أول/آخر الشهر" and a month name count.
		if _, _, _, _, ok := s.m.MonthAt(s.toks, j); !ok && s.norm(j) != "الشهر" {
			return result{}, false
		}
	}
	fut := s.future(i)
	// A month name, with a year or a direction.
	if mo, e, _, _, ok := s.m.MonthAt(s.toks, j); ok {
		k := skipComma(s.toks, e)
		if y, ok := datetext.YearAt(s.toks, k); ok {
			f, t := monthSpan(y, time.Month(mo))
			st, en := s.span(i, k+1)
			return result{start: st, end: en, next: k + 1, from: f, to: t, gran: datetext.Month}, true
		}
		dir, e2 := s.suffixAt(e)
		t0, ok := s.resolveMonth(mo, dir, fut)
		if !ok {
			return result{}, false
		}
		f, t := monthSpan(t0.Year(), t0.Month())
		st, en := s.span(i, e2)
		return result{start: st, end: en, next: e2, from: f, to: t, gran: datetext.Month, relative: dir != dirNone}, true
	}
	// A year: "نهاية عام 2027", "the end of 2027".
	k := j
	if n := s.norm(k); n == "عام" || n == "العام" || n == "سنه" {
		k++
	}
	if y, ok := datetext.YearAt(s.toks, k); ok {
		f, t := yearSpan(y)
		st, en := s.span(i, k+1)
		return result{start: st, end: en, next: k + 1, from: f, to: t, gran: datetext.Year}, true
	}
	// The current/last/next month or year.
	if r, ok := s.unitAt(i, j); ok && (r.gran == datetext.Month || r.gran == datetext.Year) {
		return r, true
	}
	if s.hasRef && (s.norm(j) == "month" || s.norm(j) == "الشهر") {
		f, t := monthSpan(s.ref.Year(), s.ref.Month())
		st, en := s.span(i, j+1)
		return result{start: st, end: en, next: j + 1, from: f, to: t, gran: datetext.Month, relative: true}, true
	}
	return result{}, false
}

// unitAt matches a week, month or year relative to publication starting at
// token j ("الأسبوع المقبل", "الشهر الجاري", "العام الماضي", "هذا العام",
// "last week", "next month", "this year", "the year", "earlier this
// month"); the mention starts at token i.
func (s *scan) unitAt(i, j int) (result, bool) {
	if !s.hasRef || j >= len(s.toks) {
		return result{}, false
	}
	dir, unit, e := dirNone, "", j
	n := s.norm(j)
	switch {
	case n == "هذا" || n == "هذه":
		dir, unit, e = dirThis, s.norm(j+1), j+2
	case isLatin(s.toks[j]):
		if n == "earlier" || n == "later" {
			if s.norm(j+1) != "this" {
				return result{}, false
			}
			j++
		}
		if n == "the" {
			dir, unit, e = dirThis, s.norm(j+1), j+2
			if unit != "year" && unit != "month" && unit != "weekend" {
				return result{}, false
			}
			if unit == "weekend" {
				dir = dirNone
			}
		} else if d, ok := prefixDir[s.norm(j)]; ok {
			dir, unit, e = d, s.norm(j+1), j+2
		} else {
			return result{}, false
		}
	default:
		unit = n
		if d, ok := suffixDir[s.norm(j+1)]; ok {
			dir, e = d, j+2
		} else if unit == "العام" || unit == "الشهر" {
			// "نهاية العام" / "منتصف الشهر" without a direction: the current one.
			dir, e = dirThis, j+1
			if i == j {
				return result{}, false
			}
		} else {
			return result{}, false
		}
	}
	var from, to time.Time
	gran := datetext.Day
	step := map[int]int{dirPast: -1, dirNext: 1, dirThis: 0}[dir]
	switch unit {
	case "الاسبوع", "week":
		wd := (int(s.ref.Weekday()) + 6) % 7 // Monday = 0
		from = s.ref.AddDate(0, 0, -wd+7*step)
		to = from.AddDate(0, 0, 6)
	case "الشهر", "month":
		m := time.Date(s.ref.Year(), s.ref.Month()+time.Month(step), 1, 0, 0, 0, 0, time.UTC)
		from, to = monthSpan(m.Year(), m.Month())
		gran = datetext.Month
	case "العام", "السنه", "عام", "year":
		from, to = yearSpan(s.ref.Year() + step)
		gran = datetext.Year
	case "weekend":
		// Saturday and Sunday: the last one unless the sentence looks ahead.
		sat := s.ref.AddDate(0, 0, -((int(s.ref.Weekday()) - 6 + 7) % 7))
		if dir == dirNext || (dir == dirThis && s.ref.Weekday() != time.Sunday) || (dir == dirNone && s.future(i)) {
			if !sat.Equal(s.ref) {
				sat = sat.AddDate(0, 0, 7)
			}
		} else if dir == dirPast && s.ref.Weekday() != time.Saturday && s.ref.Weekday() != time.Sunday {
			// "last weekend" on a weekday: the one just past.
		}
		from, to = sat, sat.AddDate(0, 0, 1)
	default:
		return result{}, false
	}
	if e > len(s.toks) {
		return result{}, false
	}
	st, en := s.span(i, e)
	return result{start: st, end: en, next: e, from: from, to: to, gran: gran, relative: true}, true
}

// event7October says whether "7 أكتوبر" / "Oct. 7" names the 2023 attack:
// a yearless 7 October next to the words attack(s), هجوم، هجمات، أحداث،
// طوفان. It is the one date of this beat that is not resolved by nearness.
func (s *scan) event7October(i, e int) bool {
	for k := max(0, i-2); k < min(len(s.toks), e+1); k++ {
		if k >= i && k < e {
			continue
		}
		switch s.norm(k) {
		case "attack", "attacks", "هجوم", "هجمات", "لهجوم", "لهجمات", "احداث", "طوفان", "massacre", "عمليه":
			return true
		}
	}
	return false
}

// dateAt matches an absolute date, with an optional "يوم", weekday,
// direction (الماضي/المقبل, last/next) and a bare month name where context
// makes it a date.
func (s *scan) dateAt(i int) (result, bool) {
	j := i
	if n := s.norm(i); n == "يوم" {
		j = i + 1
	}
	pdir := dirNone
	if d, ok := prefixDir[s.norm(j)]; ok && isLatin(s.toks[j]) && d != dirThis {
		if _, _, _, _, ok := s.m.MonthAt(s.toks, j+1); ok {
			pdir = d
			j++
		}
	}
	if j >= len(s.toks) {
		return result{}, false
	}
	start := s.toks[i].Start
	if i == j {
		start = s.startOf(j)
	}
	d, e, ok := s.m.MatchDate(s.toks, j)
	if ok && pdir == dirNone {
		dir, e2 := s.suffixAt(e)
		if d.Year != 0 {
			e2 = e
			dir = dirNone
		}
		r := result{start: start, end: s.toks[e2-1].End, next: e2, gran: d.Gran, relative: dir != dirNone}
		switch {
		case d.Gran == datetext.Month:
			r.from, r.to = monthSpan(d.Year, time.Month(d.Month))
		case d.Year != 0:
			r.from, r.to = day(time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC))
		case d.Day == 7 && d.Month == 10 && s.event7October(j, e):
			r.from, r.to = day(time.Date(2023, 10, 7, 0, 0, 0, 0, time.UTC))
		default:
			t, ok := s.resolveDayMonth(d.Month, d.Day, dir, s.future(i))
			if !ok {
				return result{}, false
			}
			r.from, r.to = day(t)
		}
		return r, true
	}
	// "ربيع الأول"-style ordinals need "من الشهر ...": "الثالث عشر من الشهر نفسه".
	if od, e, ok := datetext.OrdinalDayAt(s.toks, j); ok && s.norm(e) == "من" && s.norm(e+1) == "الشهر" {
		var base time.Time
		k := e + 2
		switch s.norm(k) {
		case "نفسه", "ذاته":
			base = s.lastMonth
			k++
		case "الجاري", "الحالي":
			base = s.ref
			k++
		case "الماضي":
			base = s.ref.AddDate(0, -1, 0)
			k++
		default:
			base = s.ref
		}
		if !base.IsZero() && od <= datetext.DaysIn(base.Year(), int(base.Month())) {
			t := time.Date(base.Year(), base.Month(), od, 0, 0, 0, 0, time.UTC)
			return result{start: start, end: s.toks[k-1].End, next: k, from: t, to: t, gran: datetext.Day, relative: true}, true
		}
	}
	// A month name alone.
	mo, e, mstart, amb, ok := s.m.MonthAt(s.toks, j)
	if !ok {
		return result{}, false
	}
	if i == j {
		start = mstart
	}
	dir, e2 := s.suffixAt(e)
	if pdir != dirNone {
		dir, e2 = pdir, e
	}
	// "أكتوبر من العام الماضي", "October of last year".
	if dir == dirNone && (s.norm(e) == "من" || s.norm(e) == "of") {
		if r, ok := s.unitAt(e+1, e+1); ok && r.gran == datetext.Year {
			f, t := monthSpan(r.from.Year(), time.Month(mo))
			return result{start: start, end: r.end, next: r.next, from: f, to: t, gran: datetext.Month, relative: true}, true
		}
	}
	if dir == dirNone {
		latin := isLatin(s.toks[j])
		if latin && len(s.toks[j].Raw) <= 4 && s.toks[j].Norm != "may" && s.toks[j].Norm != "june" && s.toks[j].Norm != "july" {
			return result{}, false // "Jan", "Oct" alone are too often names
		}
		if amb && !monthContext[s.norm(j-1)] {
			return result{}, false
		}
		if latin && amb && !monthContext[s.norm(j-1)] {
			return result{}, false
		}
		if !latin && i == j && !monthContext[s.norm(j-1)] && j > 0 && s.toks[j-1].IsNum {
			return result{}, false
		}
	}
	t0, ok := s.resolveMonth(mo, dir, s.future(i))
	if !ok {
		return result{}, false
	}
	f, t := monthSpan(t0.Year(), t0.Month())
	return result{start: start, end: s.toks[e2-1].End, next: e2, from: f, to: t, gran: datetext.Month, relative: dir != dirNone}, true
}

var monthContext = map[string]bool{}

func init() {
	for _, w := range []string{"في", "منذ", "حتى", "خلال", "شهر", "وفي", "ومنذ", "قبل", "بعد",
		"in", "since", "until", "by", "during", "of", "from", "last", "next", "early", "late", "mid", "before", "after", "for", "the"} {
		monthContext[datetext.Fold(w)] = true
	}
}

// weekday resolves a weekday (0 = Sunday) against publication.
func (s *scan) weekday(wd, dir int, fut bool) time.Time {
	pw := int(s.ref.Weekday())
	back := (pw - wd + 7) % 7
	fwd := (wd - pw + 7) % 7
	switch dir {
	case dirPast:
		if back == 0 {
			back = 7
		}
		return s.ref.AddDate(0, 0, -back)
	case dirNext:
		if fwd == 0 {
			fwd = 7
		}
		return s.ref.AddDate(0, 0, fwd)
	}
	if back == 0 {
		return s.ref
	}
	if fut {
		return s.ref.AddDate(0, 0, fwd)
	}
	return s.ref.AddDate(0, 0, -back)
}

var dayWords = map[string]int{}

func init() {
	for w, v := range map[string]int{
		"اليوم": 0, "الليلة": 0, "امس": -1, "الامس": -1, "البارحة": -1, "غدا": 1, "غد": 1,
		"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
	} {
		dayWords[datetext.Fold(w)] = v
	}
}

// relativeAt matches days named relative to publication (اليوم، أمس، أول
// أمس، غداً، بعد غد، الليلة الماضية، today, yesterday, last night, the day
// before yesterday), weekdays (الثلاثاء الماضي، يوم الأحد المقبل, last
// Tuesday, Sunday) and relative weeks, months and years.
func (s *scan) relativeAt(i int) (result, bool) {
	if !s.hasRef {
		return result{}, false
	}
	j := i
	if s.norm(i) == "يوم" {
		j = i + 1
	}
	n := s.norm(j)
	off, e, ok := 0, j+1, false
	switch {
	case n == "اول" && s.norm(j+1) == "امس":
		off, e, ok = -2, j+2, true
	case n == "اول" && s.norm(j+1) == "من" && s.norm(j+2) == "امس":
		off, e, ok = -2, j+3, true
	case n == "بعد" && (s.norm(j+1) == "غد" || s.norm(j+1) == "غدا"):
		off, e, ok = 2, j+2, true
	case n == "امس" && s.norm(j+1) == "الاول":
		off, e, ok = -2, j+2, true
	case n == "الليله" && s.norm(j+1) == "الماضيه":
		off, e, ok = -1, j+2, true
	case n == "the" && s.norm(j+1) == "day" && (s.norm(j+2) == "before" || s.norm(j+2) == "after") &&
		(s.norm(j+3) == "yesterday" || s.norm(j+3) == "tomorrow"):
		off, e, ok = map[string]int{"yesterday": -2, "tomorrow": 2}[s.norm(j+3)], j+4, true
	case n == "last" && s.norm(j+1) == "night":
		off, e, ok = -1, j+2, true
	case n == "this" && (s.norm(j+1) == "morning" || s.norm(j+1) == "afternoon" || s.norm(j+1) == "evening"):
		off, e, ok = 0, j+2, true
	case n == "overnight":
		off, e, ok = 0, j+1, true
		if s.pubHour < 12 {
			off = -1
		}
	case n == "بالامس" || n == "وامس" || n == "وبالامس":
		off, ok = -1, true
	default:
		if v, found := dayWords[n]; found && j == i {
			off, ok = v, true
			if n == "اليوم" && (s.norm(j+1) == "نفسه" || s.norm(j+1) == "ذاته") {
				e = j + 2
			}
		}
	}
	if ok {
		// "أمس الاثنين", "اليوم الخميس", "غداً الاثنين": one mention.
		if _, e2, _, ok := s.m.WeekdayAt(s.toks, e); ok && !isLatin(s.toks[j]) {
			e = e2
		}
		t := s.ref.AddDate(0, 0, off)
		st, en := s.span(i, e)
		if i == j {
			st = s.toks[j].Start
			if n == "وامس" || n == "بالامس" || n == "وبالامس" {
				st = s.toks[j].Start + len(s.toks[j].Raw) - len("أمس")
			}
		}
		return result{start: st, end: en, next: e, from: t, to: t, gran: datetext.Day, relative: true}, true
	}
	// Weekdays.
	pdir := dirNone
	k := j
	if d, ok := prefixDir[n]; ok && isLatin(s.toks[j]) {
		pdir, k = d, j+1
	}
	if wd, e, wstart, ok := s.m.WeekdayAt(s.toks, k); ok {
		dir, e2 := s.suffixAt(e)
		if pdir != dirNone {
			dir, e2 = pdir, e
			if pdir == dirThis {
				dir = dirNone
			}
		}
		t := s.weekday(wd, dir, s.future(i))
		st, en := s.span(i, e2)
		if i == k {
			st = wstart
		}
		return result{start: st, end: en, next: e2, from: t, to: t, gran: datetext.Day, relative: true}, true
	}
	if j != i {
		return result{}, false
	}
	// Relative weeks, months, years.
	return s.unitAt(i, i)
}

var units = map[string][2]int{} // folded word -> {unit, count}; unit 0 day, 1 week, 2 month, 3 year

func init() {
	for w, v := range map[string][2]int{
		"يوم": {0, 1}, "يوما": {0, 1}, "ايام": {0, 0}, "يومين": {0, 2},
		"اسبوع": {1, 1}, "اسبوعا": {1, 1}, "اسابيع": {1, 0}, "اسبوعين": {1, 2},
		"شهر": {2, 1}, "شهرا": {2, 1}, "اشهر": {2, 0}, "شهور": {2, 0}, "شهرين": {2, 2},
		"عام": {3, 1}, "عاما": {3, 1}, "اعوام": {3, 0}, "عامين": {3, 2}, "سنه": {3, 1}, "سنوات": {3, 0}, "سنتين": {3, 2},
		"day": {0, 0}, "days": {0, 0}, "week": {1, 0}, "weeks": {1, 0}, "month": {2, 0}, "months": {2, 0},
		"year": {3, 0}, "years": {3, 0},
	} {
		units[datetext.Fold(w)] = v
	}
}

// agoAt matches "منذ يومين", "قبل ثلاثة أيام", "قبل 18 يوماً", "قبل أسبوع",
// "two days ago", "a week ago". Counts tied to an event ("بعد يومين من
// التصعيد", "قبل يومين على") are not relative to publication and are left.
func (s *scan) agoAt(i int) (result, bool) {
	if !s.hasRef {
		return result{}, false
	}
	n := s.norm(i)
	count := func(k int) (int, int) {
		if k < len(s.toks) && s.toks[k].IsNum && s.toks[k].Digits <= 3 {
			return s.toks[k].Num, k + 1
		}
		if v, ok := datetext.CountWord(s.norm(k)); ok {
			return v, k + 1
		}
		return 0, k
	}
	var c, unit, e int
	switch n {
	case "منذ", "قبل":
		c, e = count(i + 1)
		u, ok := units[s.norm(e)]
		if !ok || isLatin(s.toks[e]) {
			return result{}, false
		}
		if c == 0 {
			c = u[1]
		}
		if c == 0 {
			return result{}, false
		}
		unit, e = u[0], e+1
		if f := s.norm(e); f == "من" || f == "علي" {
			return result{}, false
		}
	default:
		if !isLatin(s.toks[i]) {
			return result{}, false
		}
		c, e = count(i)
		if c == 0 {
			return result{}, false
		}
		u, ok := units[s.norm(e)]
		if !ok || s.norm(e+1) != "ago" {
			return result{}, false
		}
		unit, e = u[0], e+2
	}
	if c > 400 {
		return result{}, false
	}
	var from, to time.Time
	gran := datetext.Day
	switch unit {
	case 0:
		from = s.ref.AddDate(0, 0, -c)
		to = from
	case 1:
		from = s.ref.AddDate(0, 0, -7*c)
		to = from
	case 2:
		m := time.Date(s.ref.Year(), s.ref.Month()-time.Month(c), 1, 0, 0, 0, 0, time.UTC)
		from, to = monthSpan(m.Year(), m.Month())
		gran = datetext.Month
	default:
		from, to = yearSpan(s.ref.Year() - c)
		gran = datetext.Year
	}
	st, en := s.span(i, e)
	return result{start: st, end: en, next: e, from: from, to: to, gran: gran, relative: true}, true
}

var yearPrefix = map[string]bool{}

func init() {
	for _, w := range []string{"عام", "العام", "سنه", "لعام", "وعام"} {
		yearPrefix[datetext.Fold(w)] = true
	}
}

// yearAt matches "عام 2014" (the word included) and, after a preposition,
// "في 2024", "in 2014", "since 2007" (the year alone).
func (s *scan) yearAt(i int) (result, bool) {
	if yearPrefix[s.norm(i)] {
		if y, ok := datetext.YearAt(s.toks, i+1); ok {
			f, t := yearSpan(y)
			st, en := s.span(i, i+2)
			if s.norm(i) == "لعام" || s.norm(i) == "وعام" {
				st += len("ل")
			}
			return result{start: st, end: en, next: i + 2, from: f, to: t, gran: datetext.Year}, true
		}
	}
	switch s.norm(i - 1) {
	case "في", "منذ", "حتي", "خلال", "in", "since", "until", "by", "during", "before", "after":
		if y, ok := datetext.YearAt(s.toks, i); ok {
			// "2,000"-like numbers and "in 2024 people" are rare next to a
			// preposition; a following unit word would betray a count.
			if k := i + 1; k < len(s.toks) && s.toks[k].Raw == "," {
				return result{}, false
			}
			f, t := yearSpan(y)
			st, en := s.span(i, i+1)
			return result{start: st, end: en, next: i + 1, from: f, to: t, gran: datetext.Year}, true
		}
	}
	return result{}, false
}
