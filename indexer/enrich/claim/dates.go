package claim

import (
	"strings"
	"time"
)

var weekdaysEN = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// Arabic weekday names, normalized (with and without the article).
var weekdaysAR = map[string]time.Weekday{
	"الاحد": time.Sunday, "الاثنين": time.Monday, "الثلاثاء": time.Tuesday, "الاربعاء": time.Wednesday,
	"الخميس": time.Thursday, "الجمعه": time.Friday, "السبت": time.Saturday,
}

// dateOf dates the claim in [cs,ce) of sentence s: the words outside the
// content (the reporting clause) may say when the statement was made.
func (st *state) dateOf(s *sentence, cs, ce int) time.Time {
	if s == nil {
		return st.published
	}
	var clause []string
	var raw strings.Builder
	for _, t := range s.toks {
		if t.s >= cs && t.e <= ce || t.q >= 0 {
			continue
		}
		if t.word {
			clause = append(clause, t.norm)
		}
		raw.WriteString(st.text[t.s:t.e])
		raw.WriteByte(' ')
	}
	if d := st.x.opts.Dates; d != nil {
		if at, ok := d.ResolveDate(raw.String(), st.lang, st.published); ok {
			return at
		}
		return st.published
	}
	if st.published.IsZero() {
		return st.published
	}
	for _, w := range clause {
		w = strings.TrimPrefix(w, "و")
		switch w {
		case "yesterday", "امس":
			return st.published.AddDate(0, 0, -1)
		}
		wd, ok := weekdaysEN[w]
		if !ok && st.lang == "ar" {
			wd, ok = weekdaysAR[w]
		}
		if ok {
			back := (int(st.published.Weekday()) - int(wd) + 7) % 7
			return st.published.AddDate(0, 0, -back)
		}
	}
	return st.published
}
