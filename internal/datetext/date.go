package datetext

import (
	"strings"
	"time"
)

// Granularity of a date: which part of the calendar it pins down.
type Granularity int

// Granularities, finest first.
const (
	Day Granularity = iota
	Month
	Year
)

// String returns "day", "month" or "year".
func (g Granularity) String() string {
	switch g {
	case Month:
		return "month"
	case Year:
		return "year"
	default:
		return "day"
	}
}

// Date is a calendar date as written, possibly partial: Year is 0 when the
// text gives none (it is then inferred by the caller from context).
type Date struct {
	Year, Month, Day int
	Gran             Granularity
	Weekday          int // 0-6 when a weekday was written with the date, else -1
	Hijri            bool
	Numeric          bool
}

// Matcher finds absolute dates in token streams.
type Matcher struct {
	// DayFirst orders ambiguous numeric dates day/month/year (Arabic and
	// British usage); otherwise month/day/year (US usage).
	DayFirst bool
	// Abbrev allows weekday abbreviations such as "Wed" and month
	// abbreviations without a day or year: safe in date fields, not in prose.
	Abbrev bool
}

// MonthAt matches a month name at toks[i] (one or two words, an optional
// clitic on the first, an optional period after an English abbreviation, and
// a dual form such as "تشرين الثاني/نوفمبر"). It returns the month, the index
// after the match, the byte offset where the name starts (after a clitic) and
// whether the name is ambiguous on its own.
func (m Matcher) MonthAt(toks []Token, i int) (month, next, start int, ambiguous, ok bool) {
	month, next, start, ambiguous, ok = monthOnce(toks, i)
	if !ok {
		return
	}
	// Dual forms: "تشرين الثاني/نوفمبر", "نوفمبر (تشرين الثاني)".
	if next+1 < len(toks) && (toks[next].Raw == "/" || toks[next].Raw == "(" || toks[next].Raw == "-") {
		if m2, n2, _, _, ok2 := monthOnce(toks, next+1); ok2 && m2 == month {
			next = n2
			ambiguous = false
			if toks[next-1].Raw != ")" && next < len(toks) && toks[next].Raw == ")" && toks[i].Raw != "(" {
				next++
			}
		}
	}
	return
}

func monthOnce(toks []Token, i int) (month, next, start int, ambiguous, ok bool) {
	if i >= len(toks) || toks[i].IsNum || toks[i].IsPunct {
		return
	}
	start = toks[i].Start
	if i+1 < len(toks) && !toks[i+1].IsPunct && !toks[i+1].IsNum {
		key := toks[i].Norm + " " + toks[i+1].Norm
		w, k := stripClitic(key, func(s string) bool { _, ok := monthWords[s]; return ok })
		if mo, ok2 := monthWords[w]; ok2 && strings.Contains(w, " ") {
			return mo, i + 2, start + rawSkipLetters(toks[i].Raw, k/2), false, true
		}
	}
	w, k := stripClitic(toks[i].Norm, func(s string) bool { _, ok := monthWords[s]; return ok })
	mo, ok2 := monthWords[w]
	if !ok2 {
		return
	}
	latin := toks[i].Raw[0] < 0x80
	if latin && !toks[i].Upper {
		return // English month names are capitalised; "may" is a verb
	}
	next = i + 1
	if latin && monthAbbrevs[w] && next < len(toks) && toks[next].Raw == "." && !toks[next].Space {
		next++
	}
	amb := ambiguousMonths[w]
	if w == "اب" && !strings.HasPrefix(toks[i].Raw[rawSkipLetters(toks[i].Raw, k/2):], "آب") {
		return // only the spelling with madda is the month; أب is "father"
	}
	return mo, next, start + rawSkipLetters(toks[i].Raw, k/2), amb, true
}

// hijriMonthAt matches a Hijri month name at toks[i].
func hijriMonthAt(toks []Token, i int) (month, next int, ok bool) {
	if i >= len(toks) || toks[i].IsNum || toks[i].IsPunct {
		return
	}
	if i+1 < len(toks) && !toks[i+1].IsPunct {
		if mo, ok := hijriMonthWords[toks[i].Norm+" "+toks[i+1].Norm]; ok {
			return mo, i + 2, true
		}
	}
	if mo, ok := hijriMonthWords[toks[i].Norm]; ok {
		return mo, i + 1, true
	}
	return
}

// WeekdayAt matches a full weekday name (with an optional clitic) at
// toks[i], or an English abbreviation when m.Abbrev is set.
func (m Matcher) WeekdayAt(toks []Token, i int) (wd, next, start int, ok bool) {
	if i >= len(toks) || toks[i].IsNum || toks[i].IsPunct {
		return
	}
	w, k := stripClitic(toks[i].Norm, func(s string) bool { _, ok := weekdayWords[s]; return ok })
	if d, ok := weekdayWords[w]; ok {
		if toks[i].Raw[0] < 0x80 && !toks[i].Upper {
			return 0, 0, 0, false
		}
		return d, i + 1, toks[i].Start + rawSkipLetters(toks[i].Raw, k/2), true
	}
	if m.Abbrev {
		if d, ok := weekdayAbbrev[toks[i].Norm]; ok && toks[i].Upper {
			n := i + 1
			if n < len(toks) && toks[n].Raw == "." && !toks[n].Space {
				n++
			}
			return d, n, toks[i].Start, true
		}
	}
	return
}

// YearAt matches a four-digit year between 1900 and 2100 at toks[i].
func YearAt(toks []Token, i int) (int, bool) {
	if i < len(toks) && toks[i].IsNum && toks[i].Digits == 4 && toks[i].Num >= 1900 && toks[i].Num <= 2100 {
		return toks[i].Num, true
	}
	return 0, false
}

func dayNum(toks []Token, i int) (int, int, bool) {
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

// OrdinalDayAt matches an Arabic ordinal day such as "العاشر",
// "الحادي عشر", "الثالث والعشرين" at toks[i].
func OrdinalDayAt(toks []Token, i int) (day, next int, ok bool) {
	if i >= len(toks) {
		return
	}
	w, _ := stripClitic(toks[i].Norm, func(s string) bool { _, ok := ordinalWords[s]; return ok })
	v, ok := ordinalWords[w]
	if !ok {
		return 0, 0, false
	}
	if v >= 20 {
		return v, i + 1, true
	}
	next = i + 1
	if next < len(toks) && toks[next].Norm == "عشر" {
		return v + 10, next + 1, true
	}
	if next < len(toks) {
		tens := toks[next].Norm
		if t, ok := strings.CutPrefix(tens, "و"); ok {
			if tv, ok := ordinalWords[t]; ok && tv >= 20 && v+tv <= 31 {
				return v + tv, next + 1, true
			}
		}
	}
	if w == Fold("الحادي") {
		return 0, 0, false
	}
	return v, next, true
}

// skipComma advances past one comma (Latin or Arabic) at toks[i].
func skipComma(toks []Token, i int) int {
	if i < len(toks) && (toks[i].Raw == "," || toks[i].Raw == "،") {
		return i + 1
	}
	return i
}

// MatchDate matches an absolute date starting at toks[i]: an optional
// weekday, then day-month-year in Arabic or British order (digits or an
// Arabic ordinal, "من"/"of" allowed), month-day-year in US order, month and
// year, a numeric date, or a Hijri day-month-year. It returns the date and
// the index after the match.
func (m Matcher) MatchDate(toks []Token, i int) (Date, int, bool) {
	wd := -1
	j := i
	if d, n, _, ok := m.WeekdayAt(toks, i); ok {
		k := skipComma(toks, n)
		if k < len(toks) && (toks[k].Norm == "الموافق" || toks[k].Norm == "the") {
			k++
		}
		if dt, e, ok := m.matchBare(toks, k); ok && dt.Day > 0 {
			dt.Weekday = d
			return dt, e, true
		}
		_ = j
		return Date{}, 0, false
	}
	dt, e, ok := m.matchBare(toks, i)
	if ok {
		dt.Weekday = wd
	}
	return dt, e, ok
}

func (m Matcher) matchBare(toks []Token, i int) (Date, int, bool) {
	if i >= len(toks) {
		return Date{}, 0, false
	}
	// Numeric dates: 10/10/2025, 2025-10-10, 10.10.2025, ١٠/١٠/٢٠٢٥.
	if dt, e, ok := m.matchNumeric(toks, i); ok {
		return dt, e, true
	}
	// Day first: "10 أكتوبر 2025", "10 October", "10th of October", "العاشر من أكتوبر".
	day, n, ok := dayNum(toks, i)
	if !ok {
		day, n, ok = OrdinalDayAt(toks, i)
	}
	if ok {
		k := n
		if k < len(toks) && (toks[k].Norm == "من" || toks[k].Norm == "of") {
			k++
		}
		if mo, e, _, _, ok := m.MonthAt(toks, k); ok {
			dt := Date{Month: mo, Day: day, Gran: Day, Weekday: -1}
			e2 := skipComma(toks, e)
			if y, ok := YearAt(toks, e2); ok {
				dt.Year = y
				e = e2 + 1
			}
			if validDay(dt) {
				return dt, e, true
			}
			return Date{}, 0, false
		}
		if mo, e, ok := hijriMonthAt(toks, k); ok {
			if e < len(toks) && toks[e].IsNum && toks[e].Num >= 1319 && toks[e].Num <= 1523 && day <= 30 {
				y := toks[e].Num
				e++
				if e < len(toks) && (toks[e].Norm == "ه" || toks[e].Norm == "هـ" || toks[e].Norm == "هجري" || toks[e].Norm == "هجريه") {
					e++
				}
				g := HijriToGregorian(y, mo, day)
				return Date{Year: g.Year(), Month: int(g.Month()), Day: g.Day(), Gran: Day, Weekday: -1, Hijri: true}, e, true
			}
		}
	}
	// Month first: "October 10, 2025", "Oct. 10", "أكتوبر 2025", "October 2025".
	if mo, e, _, amb, ok := m.MonthAt(toks, i); ok {
		if day, n, ok := dayNum(toks, e); ok && (n >= len(toks) || toks[n].Raw != ":") {
			// "Oct 10" but not "Oct 10:30"; an Arabic month followed by a
			// number is month-year order only with four digits.
			dt := Date{Month: mo, Day: day, Gran: Day, Weekday: -1}
			e2 := skipComma(toks, n)
			if y, ok := YearAt(toks, e2); ok {
				dt.Year = y
				n = e2 + 1
			}
			if toks[i].Raw[0] < 0x80 && validDay(dt) {
				return dt, n, true
			}
		}
		e2 := skipComma(toks, e)
		if y, ok := YearAt(toks, e2); ok {
			return Date{Year: y, Month: mo, Gran: Month, Weekday: -1}, e2 + 1, true
		}
		_ = amb
	}
	return Date{}, 0, false
}

func (m Matcher) matchNumeric(toks []Token, i int) (Date, int, bool) {
	if i+4 >= len(toks) || !toks[i].IsNum {
		return Date{}, 0, false
	}
	a, s1, b, s2, c := toks[i], toks[i+1], toks[i+2], toks[i+3], toks[i+4]
	if !s1.IsPunct || s1.Raw != s2.Raw || !b.IsNum || !c.IsNum ||
		s1.Space || b.Space || s2.Space || c.Space {
		return Date{}, 0, false
	}
	switch s1.Raw {
	case "/", "-", ".":
	default:
		return Date{}, 0, false
	}
	if i+5 < len(toks) && !toks[i+5].Space && (toks[i+5].IsNum ||
		toks[i+5].Raw == s1.Raw && i+6 < len(toks) && toks[i+6].IsNum && !toks[i+6].Space) {
		return Date{}, 0, false // a longer run of numbers: a phone number, version, ...
	}
	var dt Date
	switch {
	case a.Digits == 4 && b.Digits <= 2 && c.Digits <= 2:
		dt = Date{Year: a.Num, Month: b.Num, Day: c.Num}
	case c.Digits == 4 && a.Digits <= 2 && b.Digits <= 2:
		dt = Date{Year: c.Num, Day: a.Num, Month: b.Num}
		if !m.DayFirst {
			dt.Day, dt.Month = b.Num, a.Num
		}
		if dt.Month > 12 && dt.Day <= 12 {
			dt.Day, dt.Month = dt.Month, dt.Day
		}
	default:
		return Date{}, 0, false
	}
	dt.Gran, dt.Weekday, dt.Numeric = Day, -1, true
	if dt.Year < 1900 || dt.Year > 2100 || !validDay(dt) {
		return Date{}, 0, false
	}
	return dt, i + 5, true
}

func validDay(d Date) bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return false
	}
	y := d.Year
	if y == 0 {
		y = 2024 // a leap year, so that 29 February without a year is allowed
	}
	return d.Day <= DaysIn(y, d.Month)
}

// DaysIn returns the number of days of a month.
func DaysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

var monthAbbrevs = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}
