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
