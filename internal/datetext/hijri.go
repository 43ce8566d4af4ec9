package datetext

import "time"

// ummAlQuraStarts are month starts of the Umm al-Qura calendar (as announced
// in Saudi Arabia) where the tabular calendar below is a day off. Keys are
// year*100+month.
var ummAlQuraStarts = map[int]string{
	144501: "2023-07-19", 144509: "2024-03-11", 144510: "2024-04-10", 144512: "2024-06-07",
	144601: "2024-07-07", 144609: "2025-03-01", 144610: "2025-03-30", 144612: "2025-05-28",
	144701: "2025-06-26",
}

// HijriToGregorian converts a Hijri date to the Gregorian calendar. It uses
// the tabular (arithmetic) Islamic calendar, corrected by the Umm al-Qura
// month starts Mirsad knows; elsewhere the result may be a day off from the
// calendar an outlet uses, as moon sighting differs by country anyway.
func HijriToGregorian(year, month, day int) time.Time {
	if s, ok := ummAlQuraStarts[year*100+month]; ok {
		t, err := time.Parse(time.DateOnly, s)
		if err == nil {
			return t.AddDate(0, 0, day-1)
		}
	}
	// Days since the civil epoch (16 July 622 Julian = JD 1948439.5).
	jd := day + ceilHalf(month-1) + (year-1)*354 + floorDiv(3+11*year, 30) + 1948439 - 1
	// JD (at noon) to Gregorian via days since 1 January 1 (JD 1721426).
	return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, jd-1721426+1)
}

// ceilHalf returns ceil(29.5*n) for n >= 0.
func ceilHalf(n int) int { return (59*n + 1) / 2 }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
