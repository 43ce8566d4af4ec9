package datetext

import (
	"strings"
	"time"
	_ "time/tzdata" // zone rules must not depend on the host having tzdata
)

// DateTime is a date with an optional time of day and zone, as found in a
// date line or a feed date string.
type DateTime struct {
	Date
	Hour, Min, Sec int
	HasTime        bool
	// Loc is the zone the text names, nil when it names none.
	Loc *time.Location
	// UnknownZone is a zone the text names that Mirsad cannot place
	// (an unknown or ambiguous abbreviation such as AST or IST).
	UnknownZone string
	// Start and End are byte offsets of the match in the parsed string.
	Start, End int
}

// Time returns the instant in the named zone, else in def.
func (d DateTime) Time(def *time.Location) time.Time {
	loc := d.Loc
	if loc == nil {
		loc = def
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Min, d.Sec, 0, loc)
}

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return l
}

// zoneAbbrevs are abbreviations with one meaning in news datelines. AST
// (Arabia or Atlantic) and IST (India, Israel, Ireland) are left out on
// purpose: they are flagged as unknown rather than guessed.
var zoneAbbrevs = map[string]*time.Location{
	"utc": time.UTC, "gmt": time.UTC, "z": time.UTC, "ut": time.UTC,
	"est": time.FixedZone("EST", -5*3600), "edt": time.FixedZone("EDT", -4*3600),
	"et":  mustLoad("America/New_York"),
	"cst": time.FixedZone("CST", -6*3600), "cdt": time.FixedZone("CDT", -5*3600),
	"pst": time.FixedZone("PST", -8*3600), "pdt": time.FixedZone("PDT", -7*3600),
	"pt": mustLoad("America/Los_Angeles"), "ct": mustLoad("America/Chicago"),
	"bst": time.FixedZone("BST", 3600), "cet": time.FixedZone("CET", 3600),
	"cest": time.FixedZone("CEST", 2*3600), "eet": time.FixedZone("EET", 2*3600),
	"eest": time.FixedZone("EEST", 3*3600), "msk": time.FixedZone("MSK", 3*3600),
	"trt": time.FixedZone("TRT", 3*3600), "ksa": mustLoad("Asia/Riyadh"),
}

// cityZones maps the place named after "بتوقيت" (or "توقيت") to its zone.
var cityZones = map[string]*time.Location{}

func init() {
	for zone, names := range map[string][]string{
		"UTC":                 {"غرينتش", "غرينيتش", "جرينتش", "جرينيتش", "غرينش", "جرينش", "جرينيش", "غرينيش"},
		"Africa/Cairo":        {"القاهرة", "مصر"},
		"Asia/Riyadh":         {"مكة المكرمة", "مكة", "الرياض", "السعودية"},
		"Asia/Jerusalem":      {"القدس", "فلسطين", "القدس المحتلة"},
		"Asia/Gaza":           {"غزة"},
		"Asia/Qatar":          {"الدوحة", "قطر"},
		"Asia/Dubai":          {"أبوظبي", "ابوظبي", "أبو ظبي", "الإمارات", "دبي"},
		"Asia/Beirut":         {"بيروت", "لبنان"},
		"Asia/Damascus":       {"دمشق", "سوريا"},
		"Asia/Baghdad":        {"بغداد", "العراق"},
		"Europe/Istanbul":     {"أنقرة", "إسطنبول", "اسطنبول", "تركيا"},
		"Africa/Tunis":        {"تونس"},
		"Africa/Algiers":      {"الجزائر"},
		"Africa/Casablanca":   {"الرباط", "المغرب"},
		"Asia/Kuwait":         {"الكويت"},
		"Asia/Bahrain":        {"البحرين", "المنامة"},
		"Asia/Muscat":         {"مسقط"},
		"America/New_York":    {"واشنطن", "نيويورك"},
		"Europe/London":       {"لندن"},
		"Europe/Paris":        {"باريس"},
		"Africa/Khartoum":     {"الخرطوم", "السودان"},
		"Africa/Tripoli":      {"طرابلس الغرب", "ليبيا"},
		"Asia/Amman":          {"الأردن"},
		"Asia/Aden":           {"صنعاء", "اليمن"},
		"Africa/Nouakchott":   {"نواكشوط", "موريتانيا"},
		"Asia/Tehran":         {"طهران"},
		"Europe/Moscow":       {"موسكو"},
		"America/Chicago":     {},
		"Asia/Kolkata":        {},
		"Europe/Berlin":       {"برلين"},
		"America/Los_Angeles": {},
	} {
		loc := mustLoad(zone)
		for _, n := range names {
			cityZones[Fold(n)] = loc
		}
	}
}

var meridiem = map[string]int{
	"ص": -1, "صباحا": -1, "صباح": -1, "am": -1, "a": -1,
	"م": 1, "مساء": 1, "مساءا": 1, "ظهرا": 1, "عصرا": 1, "ليلا": 1, "pm": 1, "p": 1,
}

// ParseTimeAt reads a time of day, an am/pm marker and a zone starting at
// toks[i] (after separators such as "-", "|", "الساعة", "at"). It returns
// the index after what it consumed.
func ParseTimeAt(toks []Token, i int, dt *DateTime) int {
	j := i
	for j < len(toks) {
		switch toks[j].Norm {
		case "-", "|", ",", "،", "—", "–", "الساعه", "على", "علي", "at", "في", "(", "م", "@", "·", "•":
			// "م" here is the Gregorian era marker of "2025 م", not pm.
			j++
			continue
		}
		break
	}
	if j+2 < len(toks) && toks[j].IsNum && toks[j].Digits <= 2 && (toks[j+1].Raw == ":" || toks[j+1].Raw == ".") &&
		toks[j+2].IsNum && toks[j+2].Digits == 2 && !toks[j+1].Space && !toks[j+2].Space {
		h, mi := toks[j].Num, toks[j+2].Num
		if h > 23 || mi > 59 {
			return i
		}
		k := j + 3
		sec := 0
		if k+1 < len(toks) && toks[k].Raw == ":" && toks[k+1].IsNum && toks[k+1].Digits == 2 && !toks[k].Space {
			sec = toks[k+1].Num
			k += 2
			if k+1 < len(toks) && toks[k].Raw == "." && toks[k+1].IsNum {
				k += 2
			}
		}
		if v, ok := meridiemAt(toks, k); ok {
			n := k + 1
			// "a.m." / "p.m."
			if (toks[k].Norm == "a" || toks[k].Norm == "p") && n+1 < len(toks) && toks[n].Raw == "." && toks[n+1].Norm == "m" {
				n += 2
				if n < len(toks) && toks[n].Raw == "." {
					n++
				}
			} else if toks[k].Norm == "a" || toks[k].Norm == "p" {
				v = 0
			}
			if v != 0 && h <= 12 {
				if v < 0 && h == 12 {
					h = 0
				} else if v > 0 && h < 12 {
					h += 12
				}
				k = n
			}
		}
		dt.Hour, dt.Min, dt.Sec, dt.HasTime = h, mi, sec, true
		j = k
	} else {
		return i
	}
	return parseZoneAt(toks, j, dt)
}

// parseZoneAt reads a zone after a time: "GMT", "GMT+3", "+03:00",
// "بتوقيت القاهرة", "(توقيت غرينتش)", or an unknown abbreviation.
func parseZoneAt(toks []Token, j int, dt *DateTime) int {
	if j < len(toks) && toks[j].Raw == "(" {
		if e := parseZoneAt(toks, j+1, dt); e > j+1 {
			if e < len(toks) && toks[e].Raw == ")" {
				e++
			}
			return e
		}
		return j
	}
	if j >= len(toks) {
		return j
	}
	t := toks[j]
	switch {
	case t.Norm == "بتوقيت" || t.Norm == "توقيت" || t.Norm == "حسب":
		k := j + 1
		if t.Norm == "حسب" && k < len(toks) && toks[k].Norm == "توقيت" {
			k++
		}
		if k+1 < len(toks) {
			if loc, ok := cityZones[toks[k].Norm+" "+toks[k+1].Norm]; ok {
				dt.Loc = loc
				return offsetAfter(toks, k+2, dt)
			}
		}
		if k < len(toks) {
			if loc, ok := cityZones[toks[k].Norm]; ok {
				dt.Loc = loc
				return offsetAfter(toks, k+1, dt)
			}
			if !toks[k].IsNum && !toks[k].IsPunct {
				dt.UnknownZone = "توقيت " + toks[k].Raw
				return k + 1
			}
		}
		return j
	case t.Raw == "+" || t.Raw == "-":
		if off, e, ok := numericOffset(toks, j); ok {
			dt.Loc = time.FixedZone("", off)
			return e
		}
		return j
	case !t.IsNum && !t.IsPunct && t.Raw[0] < 0x80:
		if loc, ok := zoneAbbrevs[t.Norm]; ok && (strings.ToUpper(t.Raw) == t.Raw || t.Raw == "Z") {
			dt.Loc = loc
			return offsetAfter(toks, j+1, dt)
		}
		if len(t.Raw) >= 2 && len(t.Raw) <= 5 && strings.ToUpper(t.Raw) == t.Raw {
			dt.UnknownZone = t.Raw
			return j + 1
		}
	}
	return j
}

// offsetAfter reads "+3", "+0300", "+03:00" after GMT/UTC or a city.
func offsetAfter(toks []Token, j int, dt *DateTime) int {
	if j < len(toks) && (toks[j].Raw == "+" || toks[j].Raw == "-") && !toks[j].Space {
		if off, e, ok := numericOffset(toks, j); ok {
			_, base := time.Date(2000, 1, 1, 0, 0, 0, 0, dt.Loc).Zone()
			if base == 0 {
				dt.Loc = time.FixedZone("", off)
			}
			return e
		}
	}
	return j
}

func numericOffset(toks []Token, j int) (int, int, bool) {
	if j+1 >= len(toks) || !toks[j+1].IsNum || toks[j+1].Space {
		return 0, j, false
	}
	sign := 1
	if toks[j].Raw == "-" {
		sign = -1
	}
	n := toks[j+1]
	var h, m int
	e := j + 2
	switch {
	case n.Digits <= 2:
		h = n.Num
		if e+1 < len(toks) && toks[e].Raw == ":" && toks[e+1].IsNum && toks[e+1].Digits == 2 {
			m = toks[e+1].Num
			e += 2
		}
	case n.Digits == 4:
		h, m = n.Num/100, n.Num%100
	default:
		return 0, j, false
	}
	if h > 14 || m > 59 {
		return 0, j, false
	}
	return sign * (h*3600 + m*60), e, true
}

// ParseDateTime finds the first full date (with a year, or a Hijri date) in
// s, with the time and zone that follow it. Weekday and month abbreviations
// are accepted, as date lines and feeds use them.
func ParseDateTime(s string, dayFirst bool) (DateTime, bool) {
	toks := Tokenize(s)
	m := Matcher{DayFirst: dayFirst, Abbrev: true}
	for i := 0; i < len(toks); i++ {
		d, e, ok := m.MatchDate(toks, i)
		if !ok || d.Year == 0 || d.Gran != Day {
			continue
		}
		dt := DateTime{Date: d, Start: toks[i].Start}
		// A year may follow the time in JS/ctime strings: "Nov 26 06:00:00 2025".
		e = ParseTimeAt(toks, e, &dt)
		dt.End = toks[e-1].End
		return dt, true
	}
	// ctime and JS forms put the year after "Mon Jan 2": handled by MatchDate
	// when the year follows the day. Month-day then time then year:
	return DateTime{}, false
}

func meridiemAt(toks []Token, k int) (int, bool) {
	if k >= len(toks) {
		return 0, false
	}
	v, ok := meridiem[toks[k].Norm]
	return v, ok
}
