package arabic

import (
	"strings"
	"sync"
	"sync/atomic"
)

// builtinProtected are names the stemmer must not cut: countries, cities and
// regions of the beat and given names whose endings look like suffixes
// (ان ين ات ي) or whose beginnings look like proclitics (و ب ل ك ال).
// Written as a reader writes them; Protect normalizes them.
var builtinProtected = []string{
	// countries and regions
	"مصر", "قطر", "تركيا", "لبنان", "إيران", "عمان", "السودان", "الأردن", "العراق", "سوريا", "سورية",
	"اليمن", "ليبيا", "تونس", "الجزائر", "المغرب", "موريتانيا", "الكويت", "البحرين", "الإمارات",
	"السعودية", "فلسطين", "إسرائيل", "غزة", "الضفة", "سيناء", "الجولان", "أمريكا", "أميركا",
	"واشنطن", "روسيا", "الصين", "اليابان", "الهند", "باكستان", "أفغانستان", "أذربيجان", "كازاخستان",
	"أوزبكستان", "طاجيكستان", "إندونيسيا", "ماليزيا", "بريطانيا", "فرنسا", "ألمانيا", "إيطاليا",
	"إسبانيا", "أوكرانيا", "بلجيكا", "هولندا", "النرويج", "السويد", "اليونان", "قبرص", "كندا",
	"أستراليا", "البرازيل", "الأرجنتين", "إثيوبيا", "الصومال", "جيبوتي", "أوروبا", "أفريقيا", "آسيا",
	"الفلبين", "فيتنام", "كوريا", "نيجيريا", "كينيا", "تشاد", "إريتريا",
	// cities and places of the Gaza file
	"القاهرة", "الدوحة", "أنقرة", "إسطنبول", "اسطنبول", "القدس", "تل أبيب", "رام الله", "رفح",
	"خان يونس", "جباليا", "دير البلح", "النصيرات", "البريج", "المغازي", "بيت حانون", "بيت لاهيا",
	"الشجاعية", "الزيتون", "نتساريم", "فيلادلفيا", "موراغ", "كرم أبو سالم", "شرم الشيخ", "جنين",
	"نابلس", "الخليل", "طولكرم", "قلقيلية", "بيت لحم", "أريحا", "بيروت", "دمشق", "بغداد", "عمّان",
	"الرياض", "جدة", "دبي", "أبوظبي", "مسقط", "المنامة", "صنعاء", "عدن", "الخرطوم", "طرابلس",
	"بنغازي", "الجزائر", "الرباط", "طهران", "موسكو", "باريس", "لندن", "برلين", "بروكسل", "جنيف",
	"نيويورك", "الإسكندرية", "العريش", "حلب", "حمص", "إدلب", "الموصل", "البصرة", "أربيل", "كردستان",
	"الناصرة", "حيفا", "يافا", "عسقلان", "سديروت", "أسدود", "بئر السبع", "الكرملين", "البنتاغون",
	// people and groups of the beat
	"أردوغان", "كالين", "إبراهيم", "فيدان", "ويتكوف", "كوشنر", "ترامب", "بايدن", "بلينكن", "روبيو",
	"فانس", "نتنياهو", "غانتس", "سموتريتش", "بن غفير", "ديرمر", "السيسي", "عبد العاطي", "رشاد",
	"تميم", "آل ثاني", "الأنصاري", "الخليفي", "حماس", "الحية", "هنية", "السنوار", "عباس", "دحلان",
	"البرغوثي", "مروان", "الجهاد", "حزب الله", "الحوثيين", "الحوثي", "الأونروا", "الأمم المتحدة",
	"غوتيريش", "مصطفى", "حسين", "عثمان", "سلمان", "سليمان", "عدنان",
	"رمضان", "شعبان", "رضوان", "غسان", "زيدان", "عرفات", "بركات", "ياسين", "نسرين", "شيرين",
	"بنيامين", "ماكرون", "ستارمر", "ميرتس", "بوتين", "لافروف", "شي جين بينغ", "إسماعيل", "يحيى",
	"عيسى", "موسى", "إلياس", "عمران", "حمدان", "سفيان", "قحطان", "عليان", "حمدين",
	// Latin spellings the English stemmer would cut (Hamas→hama meets the city Hama)
	"Hamas", "Gaza", "Egypt", "Qatar", "Doha", "Cairo", "Ankara", "Istanbul", "Turkey", "Türkiye",
	"Erdogan", "Erdoğan", "Kalin", "Kalın", "Fidan", "Witkoff", "Kushner", "Netanyahu", "Rafah",
	"Sharm", "Sisi", "Abdelatty", "Hayya", "Israel", "Lebanon", "Iran", "Oman", "Sudan", "Jordan",
	"Emirates", "Hezbollah", "Houthis", "Thani", "Rubio", "Vance", "Trump", "Abbas", "Barghouti",
}

// protected maps each protected surface form (normalized, with and without
// the article) to one canonical form. It is replaced, never mutated, so
// analyzers read it without locks.
var protected atomic.Pointer[map[string]string]

var protectMu sync.Mutex

func init() {
	m := map[string]string{}
	protected.Store(&m)
	Protect(builtinProtected...)
}

// Protect adds names the stemmer must leave whole (entity names from the
// gazetteer). A multi-word name protects each of its words. The forms ال+name
// and the nisba adjectives of a place (مصري، المصرية، الفلسطينيين) are mapped
// to the name too.
//
// Call Protect at start-up, before any index is opened or any text
// analyzed: terms already indexed are not re-stemmed, so a name added later
// would index and query differently. It is safe to call concurrently with
// analysis (readers see the old or the new set, never a partial one).
func Protect(words ...string) {
	protectMu.Lock()
	defer protectMu.Unlock()
	old := *protected.Load()
	m := make(map[string]string, len(old)+8*len(words))
	for k, v := range old {
		m[k] = v
	}
	for _, w := range words {
		for _, f := range strings.Fields(Normalize(w)) {
			addProtected(m, f)
		}
	}
	protected.Store(&m)
}

// IsProtected reports whether the stemmer keeps the normalized word w whole.
func IsProtected(w string) bool {
	_, ok := (*protected.Load())[w]
	return ok
}

// nisbaEndings follow a nisba stem (مصري) to make its inflections.
var nisbaEndings = []string{"", "ه", "ين", "ون", "ان", "ات", "تين", "تان"}

func addProtected(m map[string]string, w string) {
	r := []rune(w)
	if len(r) < 2 {
		return
	}
	canon := w
	if len(r) > 3 && strings.HasPrefix(w, "ال") {
		canon = string(r[2:])
	}
	if old, ok := m[canon]; ok && old != canon {
		canon = old
	}
	put := func(k string) {
		if _, ok := m[k]; !ok {
			m[k] = canon
		}
	}
	put(w)
	put(canon)
	// Nisba: مصر → مصري, تركيا → تركي, السعودية → سعودي, سورية → سوري.
	if len([]rune(canon)) < 3 || !isArabicWord(canon) {
		return
	}
	var base string
	switch {
	case strings.HasSuffix(canon, "يه"), strings.HasSuffix(canon, "يا"):
		base = strings.TrimSuffix(strings.TrimSuffix(canon, "ه"), "ا")
	case strings.HasSuffix(canon, "ا"), strings.HasSuffix(canon, "ه"):
		base = strings.TrimSuffix(strings.TrimSuffix(canon, "ا"), "ه") + "ي"
	default:
		base = canon + "ي"
	}
	for _, e := range nisbaEndings {
		put(base + e)
	}
}
