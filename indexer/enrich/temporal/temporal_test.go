package temporal

import (
	"strings"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// pub is a Wednesday in Cairo, after Egypt left summer time.
var pub = time.Date(2025, 11, 26, 18, 0, 0, 0, time.FixedZone("EET", 2*3600))

func TestTagResolves(t *testing.T) {
	tests := []struct {
		name, text, lang string
		span             string // the one mention expected
		from, to, gran   string
		relative         bool
	}{
		{"egyptian month with past", "تحدث عن هدنة 10 أكتوبر الماضي أمام البرلمان", "ar", "10 أكتوبر الماضي", "2025-10-10", "2025-10-10", "day", true},
		{"levantine ordinal", "منذ العاشر من تشرين الأول لم يتوقف القصف", "ar", "العاشر من تشرين الأول", "2025-10-10", "2025-10-10", "day", false},
		{"arabic-indic numeric", "وقع الاتفاق بتاريخ ١٠/١٠/٢٠٢٥ في شرم الشيخ", "ar", "١٠/١٠/٢٠٢٥", "2025-10-10", "2025-10-10", "day", false},
		{"english abbreviation", "The truce took hold on Oct. 10 after talks.", "en", "Oct. 10", "2025-10-10", "2025-10-10", "day", false},
		{"earlier this month", "Talks resumed earlier this month in Doha.", "en", "earlier this month", "2025-11-01", "2025-11-30", "month", true},
		{"yesterday with weekday", "قال الوزير أمس الثلاثاء إن المفاوضات مستمرة", "ar", "أمس الثلاثاء", "2025-11-25", "2025-11-25", "day", true},
		{"day before yesterday", "وصل الوفد أول أمس إلى القاهرة", "ar", "أول أمس", "2025-11-24", "2025-11-24", "day", true},
		{"tomorrow", "يصل المبعوث غداً إلى الدوحة", "ar", "غداً", "2025-11-27", "2025-11-27", "day", true},
		{"last tuesday arabic", "التقى الوفدان الثلاثاء الماضي", "ar", "الثلاثاء الماضي", "2025-11-25", "2025-11-25", "day", true},
		{"next week arabic", "تعقد جولة جديدة الأسبوع المقبل", "ar", "الأسبوع المقبل", "2025-12-01", "2025-12-07", "day", true},
		{"two days ago arabic", "أعلن منذ يومين عن خطة جديدة", "ar", "منذ يومين", "2025-11-24", "2025-11-24", "day", true},
		{"three days ago arabic", "انتهت الجولة قبل ثلاثة أيام", "ar", "قبل ثلاثة أيام", "2025-11-23", "2025-11-23", "day", true},
		{"last month arabic", "تراجعت الغارات الشهر الماضي", "ar", "الشهر الماضي", "2025-10-01", "2025-10-31", "month", true},
		{"last year arabic", "بدأت المفاوضات العام الماضي", "ar", "العام الماضي", "2024-01-01", "2024-12-31", "year", true},
		{"month past arabic", "وقعت الهدنة في أكتوبر الماضي", "ar", "أكتوبر الماضي", "2025-10-01", "2025-10-31", "month", true},
		{"range arabic", "عقدت المحادثات من 7 إلى 10 أكتوبر في مصر", "ar", "من 7 إلى 10 أكتوبر", "2025-10-07", "2025-10-10", "day", false},
		{"maghrebi month", "زار الوفد الجزائر في 5 جويلية 2025", "ar", "5 جويلية 2025", "2025-07-05", "2025-07-05", "day", false},
		{"moroccan month", "صدر البلاغ يوم 17 نونبر", "ar", "يوم 17 نونبر", "2025-11-17", "2025-11-17", "day", false},
		{"dual month", "في 13 تشرين الأول/أكتوبر 2025 وقع القادة الوثيقة", "ar", "13 تشرين الأول/أكتوبر 2025", "2025-10-13", "2025-10-13", "day", false},
		{"last tuesday english", "The envoy arrived last Tuesday.", "en", "last Tuesday", "2025-11-25", "2025-11-25", "day", true},
		{"future weekday", "The ministers will meet on Friday in Ankara.", "en", "Friday", "2025-11-28", "2025-11-28", "day", true},
		{"past weekday", "The ministers met on Friday in Ankara.", "en", "Friday", "2025-11-21", "2025-11-21", "day", true},
		{"last october", "The ceasefire began last October.", "en", "last October", "2025-10-01", "2025-10-31", "month", true},
		{"english range", "Talks ran from Oct. 6 to 9 in Sharm el-Sheikh.", "en", "from Oct. 6 to 9", "2025-10-06", "2025-10-09", "day", false},
		{"month year", "Aid has flowed since October 2023.", "en", "October 2023", "2023-10-01", "2023-10-31", "month", false},
		{"us numeric", "The form was dated 10/13/2025 by the clerk.", "en", "10/13/2025", "2025-10-13", "2025-10-13", "day", false},
		{"october 7 attack", "The October 7 attack changed the region.", "en", "October 7", "2023-10-07", "2023-10-07", "day", false},
		{"year with word", "انتهت الولاية في عام 2014 بعد انتخابات", "ar", "عام 2014", "2014-01-01", "2014-12-31", "year", false},
		{"clitic weekday", "وصل الوفد والأربعاء بدأت المحادثات", "ar", "الأربعاء", "2025-11-26", "2025-11-26", "day", true},
	}
	tg := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(tt.text, tt.lang, pub)
			if len(got) != 1 {
				t.Fatalf("Tag(%q) = %+v, want one mention %q", tt.text, got, tt.span)
			}
			m := got[0]
			if m.Text != tt.span || tt.text[m.Start:m.End] != tt.span {
				t.Errorf("span %q [%d,%d), want %q", m.Text, m.Start, m.End, tt.span)
			}
			if m.From != tt.from || m.To != tt.to || m.Granularity != tt.gran || m.Relative != tt.relative {
				t.Errorf("got %s..%s %s relative=%v, want %s..%s %s relative=%v",
					m.From, m.To, m.Granularity, m.Relative, tt.from, tt.to, tt.gran, tt.relative)
			}
		})
	}
}

func TestTagIgnores(t *testing.T) {
	tests := []struct{ name, text, lang string }{
		{"resolution number", "تبنى مجلس الأمن القرار 2803 بأغلبية 13 صوتاً", "ar"},
		{"may the verb", "Officials said talks may resume soon.", "en"},
		{"march the verb in arabic", "مارس الوسطاء ضغوطاً على الطرفين", "ar"},
		{"father", "قال أب فقد أطفاله إن الحرب لم تنته", "ar"},
		{"hours", "انتهت مهلة الـ72 ساعة دون خروقات", "ar"},
		{"counts", "Israel freed 1,968 prisoners and 20 hostages went home.", "en"},
		{"event-relative days", "بعد يومين من التصعيد عاد الهدوء", "ar"},
		{"lower-case month", "the march to the sea", "en"},
	}
	tg := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tg.Tag(tt.text, tt.lang, pub); len(got) != 0 {
				t.Errorf("Tag(%q) = %+v, want none", tt.text, got)
			}
		})
	}
}

func TestTagZone(t *testing.T) {
	// 23:30 UTC on 25 November is already the 26th in Cairo.
	late := time.Date(2025, 11, 25, 23, 30, 0, 0, time.UTC)
	cairo, err := time.LoadLocation("Africa/Cairo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		zone *time.Location
		want string
	}{{"utc", nil, "2025-11-25"}, {"cairo", cairo, "2025-11-26"}} {
		t.Run(tc.name, func(t *testing.T) {
			got := New(Options{Zone: tc.zone}).Tag("قال الوزير اليوم إن", "ar", late)
			if len(got) != 1 || got[0].From != tc.want {
				t.Fatalf("got %+v, want one mention on %s", got, tc.want)
			}
		})
	}
}

func TestTagWithoutPublication(t *testing.T) {
	got := New(Options{}).Tag("قال الوزير اليوم إن اتفاق 10 أكتوبر 2025 صامد", "ar", time.Time{})
	if len(got) != 1 || got[0].From != "2025-10-10" {
		t.Fatalf("got %+v, want only the dated mention", got)
	}
}

func FuzzTemporal(f *testing.F) {
	for _, s := range []string{
		"دخل الاتفاق حيز التنفيذ في 10 أكتوبر الماضي، وقال الوزير أمس الثلاثاء",
		"العاشر من تشرين الأول/أكتوبر ١٠/١٠/٢٠٢٥ من 7 إلى 10 أكتوبر",
		"from Oct. 6 to 9, last Tuesday, two days ago, earlier this month, the end of 2027",
		"بين 31 و1 فبراير", "Feb. 30", "31/02/2025", "منذ 999 عاماً", "قبل 400 شهر",
		"يوم", "the", "mid-", "من الخميس إلى", "الحادي والثلاثين من فبراير",
		strings.Repeat("٩", 40) + " نوفمبر",
	} {
		f.Add(s, "ar", int64(1764172800))
	}
	tg := New(Options{})
	f.Fuzz(func(t *testing.T, text, lang string, unix int64) {
		published := time.Unix(unix%(200*365*86400), 0).UTC()
		for _, m := range tg.Tag(text, lang, published) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text {
				t.Fatalf("bad span %+v in %q", m, text)
			}
			from, err1 := time.Parse(time.DateOnly, m.From)
			to, err2 := time.Parse(time.DateOnly, m.To)
			if err1 != nil || err2 != nil {
				t.Fatalf("bad dates %+v", m)
			}
			if from.Year() < 1900 || to.Year() > 2100 || to.Before(from) {
				t.Fatalf("date out of range %+v", m)
			}
			switch m.Granularity {
			case "day", "month", "year":
			default:
				t.Fatalf("bad granularity %+v", m)
			}
		}
	})
}

func BenchmarkTag(b *testing.B) {
	text := strings.Repeat("قال وزير الخارجية أمس الثلاثاء إن المحادثات التي بدأت في 10 أكتوبر الماضي ستستأنف الأسبوع المقبل في القاهرة، "+
		"مشيراً إلى أن الوسطاء من مصر وقطر وتركيا يعملون على تثبيت الهدنة وإدخال المساعدات إلى قطاع غزة. ", 10)
	tg := New(Options{})
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tg.Tag(text, "ar", pub)
	}
}

func TestEnrich(t *testing.T) {
	a := &document.Article{Lang: "en", Body: "Talks resumed on Monday, a week after the Oct. 13 summit.", Published: pub}
	New(Options{}).Enrich(a)
	var got []string
	for _, m := range a.MentionedDates {
		got = append(got, m.From+" "+a.Body[m.Start:m.End])
	}
	want := []string{"2025-11-24 Monday", "2025-10-13 Oct. 13"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("MentionedDates = %q, want %q", got, want)
	}
}
