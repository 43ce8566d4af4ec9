// Package datetext holds the vocabulary and the low-level parsing of date
// expressions shared by the crawler (publication dates) and the indexer
// (dates mentioned in text): month names in the Egyptian, Levantine/Iraqi,
// Maghrebi and Moroccan series, weekdays, ordinals, Arabic-Indic digits,
// times with ص/م, time zones and Hijri dates.
//
// It imports only the standard library so that both sides of the
// crawler/indexer boundary may use it.
package datetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold maps s to the form the vocabulary is keyed by: harakat and tatweel
// dropped, alef/hamza/yeh/teh-marbuta variants folded, Arabic-Indic digits
// made ASCII, Latin lower-cased. It mirrors indexer/arabic.Normalize, which
// the crawler may not import.
func Fold(s string) string {
	if !needsFold(s) {
		return s
	}
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// appendFold appends the folded form of s to buf.
func appendFold(buf []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			buf = append(buf, byte(r))
			continue
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == 'ؤ':
			r = 'و'
		case r == 'ئ':
			r = 'ي'
		case r == 'ڤ':
			r = 'ف'
		case r == 'پ':
			r = 'ب'
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x200E || r == 0x200F || r == 0xFEFF || r == 0x061C:
			continue
		case r >= 0x0600 && r <= 0x06FF:
			// Arabic has no case.
		default:
			r = unicode.ToLower(r)
		}
		buf = utf8.AppendRune(buf, r)
	}
	return buf
}

// monthWords maps a folded one- or two-word month name to its number.
// Two-word names are keyed with a single space.
var monthWords = map[string]int{}

// ambiguousMonths are names that are also common words ("May" the verb,
// "آب" which folds onto "أب", father); they count as months only next to a
// day number, a year or a qualifier.
var ambiguousMonths = map[string]bool{
	"may": true, "march": true, "mar": true, "jan": false, "اب": true, "تموز": true, "ماي": true,
	"aug": false, "sun": true, "مارس": true, "نيسان": true, "جوان": true,
}

// hijriMonthWords maps folded Hijri month names to their number.
var hijriMonthWords = map[string]int{}

func init() {
	add := func(m int, names ...string) {
		for _, n := range names {
			monthWords[Fold(n)] = m
		}
	}
	// Egyptian / standard series, with common spellings.
	add(1, "يناير", "كانون الثاني", "جانفي", "january", "jan")
	add(2, "فبراير", "فبرایر", "شباط", "فيفري", "فبرير", "february", "feb")
	add(3, "مارس", "آذار", "march", "mar")
	add(4, "أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "ابريل", "april", "apr")
	add(5, "مايو", "أيار", "ماي", "may")
	add(6, "يونيو", "يونيه", "حزيران", "جوان", "june", "jun")
	add(7, "يوليو", "يوليه", "تموز", "جويلية", "جويليه", "يوليوز", "july", "jul")
	add(8, "أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت", "august", "aug")
	add(9, "سبتمبر", "أيلول", "شتنبر", "september", "sep", "sept")
	add(10, "أكتوبر", "اكتوبر", "أوكتوبر", "تشرين الأول", "october", "oct")
	add(11, "نوفمبر", "تشرين الثاني", "نونبر", "november", "nov")
	add(12, "ديسمبر", "كانون الأول", "دجنبر", "december", "dec")

	addH := func(m int, names ...string) {
		for _, n := range names {
			hijriMonthWords[Fold(n)] = m
		}
	}
	addH(1, "محرم", "المحرم")
	addH(2, "صفر")
	addH(3, "ربيع الأول", "ربيع الاول")
	addH(4, "ربيع الآخر", "ربيع الثاني")
	addH(5, "جمادى الأولى", "جمادى الأول")
	addH(6, "جمادى الآخرة", "جمادى الثانية", "جمادى الآخر")
	addH(7, "رجب")
	addH(8, "شعبان")
	addH(9, "رمضان")
	addH(10, "شوال")
	addH(11, "ذو القعدة", "ذي القعدة")
	addH(12, "ذو الحجة", "ذي الحجة")

	for i, names := range [][]string{
		{"الأحد", "sunday"},
		{"الاثنين", "الإثنين", "الأثنين", "monday"},
		{"الثلاثاء", "tuesday"},
		{"الأربعاء", "الاربعاء", "wednesday"},
		{"الخميس", "thursday"},
		{"الجمعة", "friday"},
		{"السبت", "saturday"},
	} {
		for _, n := range names {
			weekdayWords[Fold(n)] = i
		}
	}
	for i, names := range [][]string{
		{"sun"}, {"mon"}, {"tue", "tues"}, {"wed"}, {"thu", "thur", "thurs"}, {"fri"}, {"sat"},
	} {
		for _, n := range names {
			weekdayAbbrev[n] = i
		}
	}
	for n, v := range map[string]int{
		"الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
		"السابع": 7, "الثامن": 8, "التاسع": 9, "العاشر": 10, "الحادي": 1,
		"العشرين": 20, "الثلاثين": 30,
	} {
		ordinalWords[Fold(n)] = v
	}
	for n, v := range map[string]int{
		"واحد": 1, "واحدة": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4,
		"خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8,
		"ثمان": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
		"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	} {
		countWords[Fold(n)] = v
	}
}

var (
	weekdayWords  = map[string]int{}
	weekdayAbbrev = map[string]int{}
	ordinalWords  = map[string]int{}
	countWords    = map[string]int{}
)

// MonthWord reports the month number of a folded month name (one word or
// two words joined by one space) in any series.
func MonthWord(folded string) (int, bool) {
	m, ok := monthWords[folded]
	return m, ok
}

// AmbiguousMonth reports whether a folded month name is also a common word.
func AmbiguousMonth(folded string) bool { return ambiguousMonths[folded] }

// HijriMonthWord reports the Hijri month number of a folded name.
func HijriMonthWord(folded string) (int, bool) {
	m, ok := hijriMonthWords[folded]
	return m, ok
}

// WeekdayWord reports the weekday (0 = Sunday, as time.Weekday) of a folded
// full weekday name in Arabic or English.
func WeekdayWord(folded string) (int, bool) {
	d, ok := weekdayWords[folded]
	return d, ok
}

// OrdinalWord reports the value of a folded Arabic ordinal used for days
// ("العاشر" = 10, "الحادي" = 1 as in الحادي عشر, "العشرين" = 20).
func OrdinalWord(folded string) (int, bool) {
	v, ok := ordinalWords[folded]
	return v, ok
}

// CountWord reports the value of a folded cardinal number word (Arabic or
// English, 1-12) used in durations such as "ثلاثة أيام" or "two days".
func CountWord(folded string) (int, bool) {
	v, ok := countWords[folded]
	return v, ok
}

// stripClitic removes a leading Arabic conjunction or preposition (و ف ب ل)
// from a folded word when the remainder is in the vocabulary, and returns
// the number of bytes removed from the folded form.
func stripClitic(folded string, known func(string) bool) (string, int) {
	if known(folded) {
		return folded, 0
	}
	for _, p := range []string{"و", "ف", "ب", "ل"} {
		if rest, ok := strings.CutPrefix(folded, p); ok && rest != "" {
			if known(rest) {
				return rest, len(p)
			}
			// لل + word stands for ل + ال + word.
			if p == "ل" && strings.HasPrefix(rest, "ل") && known("ا"+rest) {
				return "ا" + rest, len(p)
			}
			if p == "و" || p == "ف" {
				for _, q := range []string{"ب", "ل"} {
					if r2, ok := strings.CutPrefix(rest, q); ok && r2 != "" && known(r2) {
						return r2, len(p) + len(q)
					}
				}
			}
		}
	}
	return folded, 0
}

// needsFold reports whether Fold would change s, so that the common case
// costs no allocation.
func needsFold(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x80:
			if r >= 'A' && r <= 'Z' {
				return true
			}
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640,
			r == 'أ', r == 'إ', r == 'آ', r == 'ٱ', r == 'ى', r == 'ة', r == 'ؤ', r == 'ئ', r == 'ڤ', r == 'پ',
			r >= '٠' && r <= '٩', r >= '۰' && r <= '۹',
			r == 0x200B, r == 0x200C, r == 0x200D, r == 0x200E, r == 0x200F, r == 0xFEFF, r == 0x061C:
			return true
		case r >= 0x0600 && r <= 0x06FF:
		default:
			if unicode.ToLower(r) != r {
				return true
			}
		}
	}
	return false
}

// startWords are folded words that can begin a date expression of the
// vocabulary (first words of month names, weekdays, ordinals, counts).
var startWords = map[string]bool{}

func init() {
	for _, m := range []map[string]int{monthWords, hijriMonthWords, weekdayWords, ordinalWords, countWords} {
		for w := range m {
			first, _, _ := strings.Cut(w, " ")
			startWords[first] = true
		}
	}
}

// StartWord reports whether a folded word, possibly with a leading Arabic
// clitic, can begin a month name, weekday, ordinal or count: a cheap test
// that lets taggers skip most words of a text.
func StartWord(folded string) bool {
	w, _ := stripClitic(folded, func(s string) bool { return startWords[s] })
	return startWords[w]
}
