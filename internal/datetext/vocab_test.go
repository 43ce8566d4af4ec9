package datetext

import (
	"testing"
)

func TestMonthSeries(t *testing.T) {
	series := map[string][]string{
		"egyptian":  {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		"levantine": {"كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"},
		"maghrebi":  {"جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"},
		"moroccan":  {"يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"},
		"english":   {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
	m := Matcher{DayFirst: true}
	for name, months := range series {
		for i, mo := range months {
			t.Run(name+"/"+mo, func(t *testing.T) {
				// With a day and a year every name is a month, ambiguous or not.
				toks := Tokenize("15 " + mo + " 2025")
				d, e, ok := m.MatchDate(toks, 0)
				if !ok || e != len(toks) || d.Month != i+1 || d.Day != 15 || d.Year != 2025 {
					t.Errorf("MatchDate(15 %s 2025) = %+v, %d, %v; want month %d", mo, d, e, ok, i+1)
				}
			})
		}
	}
}

func TestTokenizeOffsets(t *testing.T) {
	text := "وقال، في ١٠/١٠/٢٠٢٥: Oct. 10th"
	for _, tok := range Tokenize(text) {
		if text[tok.Start:tok.End] != tok.Raw {
			t.Errorf("token %q at [%d,%d) reads %q", tok.Raw, tok.Start, tok.End, text[tok.Start:tok.End])
		}
		if tok.IsNum && tok.Num != 10 && tok.Num != 2025 {
			t.Errorf("number %q = %d", tok.Raw, tok.Num)
		}
	}
}

func TestNumericDates(t *testing.T) {
	tests := []struct {
		in       string
		dayFirst bool
		ok       bool
		y, m, d  int
	}{
		{"10.10.2025.", true, true, 2025, 10, 10}, // sentence end
		{"10/13/2025", false, true, 2025, 10, 13},
		{"13/10/2025", false, true, 2025, 10, 13}, // first part > 12: day first anyway
		{"2025-09-29", true, true, 2025, 9, 29},
		{"1.2.3.4", true, false, 0, 0, 0},       // a version number
		{"10.10.2025.12", true, false, 0, 0, 0}, // a longer run of numbers
		{"31/02/2025", true, false, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, _, ok := Matcher{DayFirst: tt.dayFirst}.MatchDate(Tokenize(tt.in), 0)
			if ok != tt.ok || ok && (d.Year != tt.y || d.Month != tt.m || d.Day != tt.d) {
				t.Errorf("MatchDate(%q) = %+v, %v; want %d-%d-%d, %v", tt.in, d, ok, tt.y, tt.m, tt.d, tt.ok)
			}
		})
	}
}
