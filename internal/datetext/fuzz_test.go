package datetext

import (
	"testing"
	"time"
)

func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{
		"الأربعاء 26 نوفمبر 2025 06:00 م بتوقيت القاهرة",
		"Wed Nov 26 2025 06:00:00 GMT+0200 (EET)",
		"السبت 1 رمضان 1446هـ", "31/02/2025", "2025-13-45", "٢٦ تشرين الثاني/نوفمبر ٢٠٢٥ ٠٩:١٥ ص",
		"26 Nov 2025 25:61 +99:99", "الحادي والثلاثين من فبراير 2024",
	} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		dt, ok := ParseDateTime(s, dayFirst)
		if !ok {
			return
		}
		if dt.Start < 0 || dt.End > len(s) || dt.Start > dt.End {
			t.Fatalf("bad span %d..%d of %q", dt.Start, dt.End, s)
		}
		tm := dt.Time(nil)
		if tm.Year() < 1900 || tm.Year() > 2100 {
			t.Fatalf("%q -> %s", s, tm)
		}
		if tm.Month() != monthOf(dt.Month) || tm.Day() != dt.Day {
			t.Fatalf("%q -> %s does not keep %d-%d (normalised an invalid date)", s, tm, dt.Month, dt.Day)
		}
	})
}

func monthOf(m int) time.Month { return time.Month(m) }
