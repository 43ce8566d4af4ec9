package entity

import (
	"strings"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// Word lists for discovery. Arabic lists are normalized at init with the
// same normalizer as the text.
var (
	enStop      = set("the", "a", "an", "in", "on", "at", "for", "of", "and", "but", "or", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "his", "her", "their", "its", "our", "mr", "mrs", "ms", "said", "says", "after", "before", "when", "while", "as", "by", "with", "from", "to", "also", "meanwhile", "however", "if", "there", "here", "no", "yes", "not", "speaking", "according", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "israeli", "palestinian", "egyptian", "qatari", "turkish", "american", "arab", "muslim", "our", "ceasefire", "gaza")
	enConnector = set("al", "bin", "bint", "ibn", "abu", "abd", "de", "da", "van", "von", "der", "la", "le")
	enHeads     = set("spokesman", "spokeswoman", "spokesperson", "official", "leader", "commander", "minister", "adviser", "advisor", "envoy", "ambassador", "director", "chief", "negotiator", "mayor", "head", "member", "aide", "coordinator", "representative", "secretary", "analyst", "researcher", "professor", "journalist", "correspondent", "deputy", "activist", "lawmaker", "senator", "rapporteur", "doctor", "dr", "surgeon", "colonel", "officer", "chairman", "chairwoman", "premier", "manager", "governor", "diplomat", "mediator", "counterpart", "expert", "paramedic", "lawyer", "campaigner")
	enTitle     = set("foreign", "ministry", "media", "senior", "health", "military", "political", "press", "defence", "defense", "interior", "communications", "security", "intelligence", "top", "government", "army", "police", "aid", "humanitarian", "local", "regional", "agency", "office", "bureau", "affairs", "state", "hospital", "relief", "legal", "public", "medical", "emergency", "civil", "general")
	enLinkWords = set("for", "of", "at", "in", "to", "with", "the", "and")

	arStop  = arSet("في", "من", "على", "إلى", "الى", "عن", "أن", "إن", "ان", "أنه", "إنه", "أنها", "إنها", "التي", "الذي", "الذين", "مع", "بعد", "قبل", "خلال", "حتى", "كما", "لكن", "ثم", "أو", "و", "هذا", "هذه", "ذلك", "تلك", "كل", "بين", "عند", "منذ", "حول", "ضد", "عبر", "أمس", "اليوم", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "قد", "لم", "لن", "ما", "لا", "هو", "هي", "هم", "إنما", "بأن", "وأن", "لأن", "فإن", "وإن", "إذ", "إذا", "بينما", "فيما", "حيث", "مساء", "صباح", "يوم", "أيضا", "عليه", "له", "لها", "به", "بها", "منه", "فيه", "إليه", "وقد", "ولم", "كان", "كانت", "يكون", "تكون", "لدى", "نحو", "ضمن", "دون", "غير", "سوى", "جدا", "فقط", "هناك", "هنا", "ذاته", "نفسه", "عقب", "إثر", "مؤتمر", "بيان", "تصريح", "تصريحات", "بحضور", "برئاسة", "بمشاركة", "لسكاي", "لرويترز", "لموقع", "لشبكة", "لإذاعة", "للإذاعة", "لتلفزيون", "للتلفزيون", "فيها", "منها", "عنها", "عليها", "إليها", "معها", "عليهم", "فيهم", "منهم", "لهم", "بينهم", "المكنى", "الملقب", "بسبب", "عدم", "عدد", "عددا", "بعض", "جميع", "أكثر", "أقل", "الأسبوع", "الماضي", "المقبل", "الشهر", "للصحفيين", "لوكالة", "لقناة", "لصحيفة", "اليوم", "الحركة", "الوزارة", "المنظمة", "الوكالة", "الجانبان", "الطرفين", "الطرفان", "مصادر", "مسؤولون", "وسائل", "إعلام", "تقارير", "شهود")
	arVerbs = arSet("قال", "قالت", "أكد", "أكدت", "أضاف", "أضافت", "أعلن", "أعلنت", "أوضح", "أوضحت", "صرح", "صرحت", "ذكر", "ذكرت", "أشار", "أشارت", "أفاد", "أفادت", "طالب", "طالبت", "دعا", "دعت", "حذر", "حذرت", "نفى", "نفت", "اعتبر", "اعتبرت", "كشف", "كشفت", "شدد", "شددت", "رأى", "رأت", "يقول", "تقول", "أبلغ", "لفت", "لفتت", "قالوا", "أكدوا", "أعرب", "أعربت", "رحب", "رحبت", "أدان", "أدانت", "اتهم", "اتهمت", "نقل", "نقلت", "التقى", "استقبل", "بحث", "زار", "وصل", "أمر", "يرى", "يدعو", "تدعو", "يزور", "تزور", "يلتقي", "يبحث", "يصل", "يؤكد", "تؤكد", "يعلن", "تعلن", "يتهم", "تتهم", "يحذر", "تحذر", "يطالب", "تطالب", "يرفض", "ترفض", "ينفي", "تنفي", "يهدد", "تهدد", "يكشف", "يستقبل", "يغادر", "يدين", "تدين", "تابع", "تابعت", "أردف", "أردفت", "بين", "بينت", "أوضح")
	arHeads = arSet("المتحدث", "المتحدثة", "الناطق", "الناطقة", "القيادي", "القيادية", "المسؤول", "المسؤولة", "مسؤول", "عضو", "الوزير", "الوزيرة", "وزير", "السفير", "المستشار", "المستشارة", "مستشار", "المبعوث", "مدير", "مديرة", "المدير", "المديرة", "رئيس", "رئيسة", "قائد", "القائد", "نائب", "النائب", "الأمين", "الدكتور", "الطبيب", "العميد", "اللواء", "العقيد", "الباحث", "الخبير", "المحلل", "الصحفي", "الصحفية", "مراسل", "مراسلة", "منسق", "المنسق", "المفوض", "متحدث", "ناطق", "المحامي", "الكاتب", "نظيره", "نظيرته", "منسقة", "مديرة", "المقدم", "الرائد", "المهندس", "الأستاذ", "المدعو")
	// arPersonal are titles written right before a bare name (العميد أحمد ...).
	arPersonal = arSet("نظيره", "نظيرته", "الدكتور", "العميد", "العقيد", "اللواء", "المقدم", "الرائد", "المحامي", "المهندس", "الأستاذ", "المدعو", "الوزير", "الوزيرة", "السفير", "النائب", "الطبيب")
	// arConnectors join the parts of one name (بن, أبو, عبد).
	arConnectors = arSet("بن", "ابن", "بنت", "أبو", "أبي", "عبد", "آل")
	arVocab      = arSet("باسم", "في", "لدى", "سابق", "يدعى", "المدعو", "جمهورية", "الجمهورية", "المنتهية", "ولايته", "ولايتها", "العام", "عام", "العامة", "السياسي", "الإعلامي", "الإعلامية", "المكتب", "مكتب", "الحركة", "حركة", "الوزارة", "وزارة", "الشؤون", "شؤون", "للشؤون", "الخارجية", "الداخلية", "الصحة", "الحكومة", "الحكومي", "الإعلام", "الدفاع", "المدني", "الجيش", "الشرطة", "المجلس", "مجلس", "الأمن", "جهاز", "هيئة", "الهيئة", "لجنة", "اللجنة", "الوفد", "وفد", "المفاوض", "العسكري", "العسكرية", "الجناح", "الوزراء", "الدولة", "الأعلى", "البارز", "البارزة", "الكبير", "الرسمي", "الرسمية", "العلاقات", "الدولية", "الإنسانية", "الإغاثة", "الطبي", "الطبية", "منظمة", "المنظمة", "الوكالة", "وكالة", "التنفيذي", "التنفيذية", "الاتصال", "الاتصالات", "مستشفى", "المستشفى", "مجمع", "الطوارئ", "بلدية", "البلدية", "إدارة", "الإدارة", "قسم", "دائرة", "الدائرة", "الشبكة", "شبكة", "المنظمات", "الأهلية", "مركز", "المركز", "الاستخبارات", "المخابرات", "السابق", "السابقة")
)

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func arSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[arabic.Normalize(w)] = true
	}
	return m
}

// arForms maps every clitic spelling (والمتحدث, لحركة) of the words of a
// list to the lists that hold the bare word.
var arForms = func() map[*map[string]bool]map[string]bool {
	out := map[*map[string]bool]map[string]bool{}
	for _, l := range []*map[string]bool{&arVerbs, &arHeads, &arVocab} {
		forms := map[string]bool{}
		for w := range *l {
			for _, f := range cliticForms(w) {
				// Verbs take only و and ف: لكشف is "to uncover", not "uncovered".
				if l == &arVerbs && f != w && f != "و"+w && f != "ف"+w {
					continue
				}
				forms[f] = true
			}
		}
		out[l] = forms
	}
	return out
}()

var (
	arVerbForms  = arForms[&arVerbs]
	arHeadForms  = arForms[&arHeads]
	arVocabForms = arForms[&arVocab]
)

// inAr reports whether an Arabic word, as written or without proclitics
// (والمتحدث, لحركة), is in the list (one of arVerbForms, arHeadForms,
// arVocabForms).
func inAr(forms map[string]bool, t token, _ []string) bool {
	return forms[t.norm]
}

func isNisba(w string) bool {
	return strings.HasPrefix(w, "ال") && (strings.HasSuffix(w, "ي") || strings.HasSuffix(w, "يه")) && runeCount(w) >= 5
}

// discover finds people outside the gazetteer from the titles around their
// names: "Hamas official Hossam Badran", "Munir al-Bursh, the ministry's
// director-general", "وقال ماجد الأنصاري المتحدث باسم الخارجية القطرية",
// "القيادي في حماس حسام بدران".
func (m *Matcher) discover(text string, toks []token, covered []int8, spans []span) []span {
	buf := make([]string, 0, 4)
	add := func(i, j int, role string) {
		for k := i; k < j; k++ {
			if covered[k] != 0 {
				return
			}
		}
		id := m.register(text, toks[i:j], role)
		spans = append(spans, span{i: i, j: j, ent: -1, id: id, method: MethodDiscovered, role: role})
		for k := i; k < j; k++ {
			covered[k] = 3
		}
	}
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		if t.arabic {
			if inAr(arVerbForms, t, buf) && t.sep == sepNone {
				if i, j, ok := arNameBeforeHead(toks, covered, k+1, buf); ok {
					add(i, j, arRole(text, toks, j, buf))
					k = j - 1
					continue
				}
			}
			if inAr(arHeadForms, t, buf) && covered[k] != 3 {
				if i, j, ok := arNameAfterTitle(toks, covered, k, buf); ok {
					add(i, j, text[toks[k].start:toks[i-1].end])
					k = j - 1
				}
			}
			continue
		}
		if enHeads[t.norm] && t.sep == sepNone && !t.poss {
			if i, j, ok := enNameForward(toks, covered, k+1); ok {
				b := k
				for b > 0 && k-b < 4 && toks[b-1].sep == sepNone && !toks[b-1].arabic &&
					(covered[b-1] == 1 || enTitle[toks[b-1].norm] || toks[b-1].capital && !enStop[toks[b-1].norm]) {
					b--
				}
				add(i, j, text[toks[b].start:toks[k].end])
				k = j - 1
				continue
			}
		}
		if t.sep == sepComma && covered[k] == 0 && t.capital && !t.upper {
			if i, ok := enNameBackward(toks, covered, k); ok {
				if role, ok := enApposition(text, toks, k+1); ok {
					add(i, k+1, role)
				}
			}
		}
	}
	return spans
}

// enTitleCap are capitalized words of titles that may stand between a
// title head and the name (Deputy Attorney General Sally Yates).
var enTitleCap = set("attorney", "general", "vice", "press", "prime", "foreign", "defense", "defence", "state",
	"deputy", "assistant", "chief", "senior", "former", "acting", "interim", "special", "lieutenant", "major",
	"sergeant", "captain", "sen", "rep", "gov", "justice", "judge", "officer", "director", "secretary", "minister",
	"ambassador", "envoy", "spokesman", "spokeswoman", "president", "representative", "senator", "governor",
	"commander", "colonel", "admiral", "adm", "gen", "lt", "col", "dr", "professor", "prof", "mr", "mrs", "ms")

// enNameForward reads a capitalized name of two to four parts from token i.
func enNameForward(toks []token, covered []int8, i int) (int, int, bool) {
	for i < len(toks) && enTitleCap[toks[i].norm] && toks[i].sep == sepNone {
		i++
	}
	j, parts := i, 0
	for j < len(toks) && j-i < 6 {
		t := toks[j]
		if covered[j] != 0 || t.arabic {
			break
		}
		switch {
		case t.capital && !t.upper && !enStop[t.norm] && !enHeads[t.norm]:
			parts++
			if t.poss { // Podesta's Gmail: the possessive ends the name
				j++
				return endName(toks, i, j, parts)
			}
		case !t.capital && (isArticle(t.norm) || enConnector[t.norm]) && j > i:
		default:
			return endName(toks, i, j, parts)
		}
		j++
		if t.sep != sepNone {
			break
		}
	}
	return endName(toks, i, j, parts)
}

func endName(toks []token, i, j, parts int) (int, int, bool) {
	for j > i && !toks[j-1].capital {
		j--
	}
	if parts < 2 || parts > 4 || j <= i {
		return 0, 0, false
	}
	return i, j, true
}

// enNameBackward reads a capitalized name of two to four parts ending at e.
func enNameBackward(toks []token, covered []int8, e int) (int, bool) {
	b, parts := e, 1
	for b > 0 && e-b < 5 {
		p := toks[b-1]
		if p.sep != sepNone || covered[b-1] != 0 || p.arabic || p.poss {
			break
		}
		if p.capital && !p.upper && !enStop[p.norm] && !enHeads[p.norm] {
			parts++
		} else if !(isArticle(p.norm) || enConnector[p.norm]) || p.capital {
			break
		}
		b--
	}
	for b < e && (!toks[b].capital || enTitleCap[toks[b].norm]) {
		b++ // President Bill Clinton: the title is not part of the name
	}
	parts = 0
	for k := b; k <= e; k++ {
		if toks[k].capital {
			parts++
		}
	}
	if parts < 2 || parts > 4 || enStop[toks[b].norm] {
		return 0, false
	}
	return b, true
}

// enApposition reads ", a spokesman for the agency" after a name.
func enApposition(text string, toks []token, x int) (string, bool) {
	if x >= len(toks) {
		return "", false
	}
	start := x
	if w := toks[x].norm; w == "a" || w == "an" || w == "the" {
		x++
	}
	for h := x; h < len(toks) && h-x < 5; h++ {
		if enHeads[toks[h].norm] {
			end := h
			for end+1 < len(toks) && end-h < 6 && toks[end].sep == sepNone && (enLinkWords[toks[end+1].norm] || end > h) {
				end++
			}
			return text[toks[start].start:toks[end].end], true
		}
		if toks[h].sep != sepNone || toks[h].arabic {
			break
		}
	}
	return "", false
}

// arNameOK reports whether an Arabic word may be part of a discovered name.
// Words with a preposition or conjunction glued to an article (بالإصرار,
// للبلاد), glued to a function word (بعدم) or feminine nisba adjectives
// (الحوثية) are not names.
func arNameOK(t token, covered int8, buf []string) bool {
	if !t.arabic || covered != 0 || arStop[t.norm] || inAr(arVerbForms, t, buf) ||
		inAr(arHeadForms, t, buf) || arVocab[t.norm] || runeCount(t.norm) < 2 {
		return false
	}
	w := t.norm
	for _, p := range []string{"بال", "وال", "فال", "كال", "لل"} {
		if strings.HasPrefix(w, p) && runeCount(w) > 3 {
			return false
		}
	}
	if r, n := utf8.DecodeRuneInString(w); r == 'ب' || r == 'ل' || r == 'و' || r == 'ف' || r == 'ك' {
		if rest := w[n:]; arStop[rest] || runeCount(rest) < 2 {
			return false
		}
	}
	if strings.HasPrefix(w, "ال") && strings.HasSuffix(w, "يه") {
		return false
	}
	return true
}

// arNameLen checks the length of an Arabic name: two or three words, four
// with a connector (محمد بن عبد الرحمن).
func arNameLen(toks []token) bool {
	if len(toks) < 2 || len(toks) > 4 {
		return false
	}
	if len(toks) == 4 {
		for _, t := range toks[1:3] {
			if arConnectors[t.norm] {
				return true
			}
		}
		return false
	}
	return true
}

// arNameBeforeHead reads "ماجد الأنصاري المتحدث ..." after a speech verb:
// two to four name words, then a title word.
func arNameBeforeHead(toks []token, covered []int8, i int, buf []string) (int, int, bool) {
	j := i
	for j < len(toks) && j-i < 5 {
		if !arNameOK(toks[j], covered[j], buf) {
			break
		}
		j++
		if toks[j-1].sep != sepNone && toks[j-1].sep != sepComma {
			return 0, 0, false
		}
		if toks[j-1].sep == sepComma {
			break
		}
	}
	if !arNameLen(toks[i:j]) || j >= len(toks) || strings.HasPrefix(toks[i].norm, "ال") {
		return 0, 0, false
	}
	for k := i; k < j-1; k++ {
		if toks[k].sep != sepNone {
			return 0, 0, false
		}
	}
	if !inAr(arHeadForms, toks[j], buf) {
		return 0, 0, false
	}
	return i, j, true
}

// arRole reads the title after a name: the head word and its complement up
// to the next punctuation or clause word.
func arRole(text string, toks []token, h int, buf []string) string {
	end := h
	for end+1 < len(toks) && end-h < 7 && toks[end].sep == sepNone {
		nx := toks[end+1]
		if arStop[nx.norm] && !arVocab[nx.norm] || inAr(arVerbForms, nx, buf) {
			break
		}
		end++
	}
	return text[toks[h].start:toks[end].end]
}

// arNameAfterTitle reads "المتحدث باسم الخارجية القطرية ماجد الأنصاري": a
// title word, its complement (title words, gazetteer names, nisba
// adjectives), then a name of two to four words closed by punctuation or a
// clause word.
func arNameAfterTitle(toks []token, covered []int8, h int, buf []string) (int, int, bool) {
	j := h + 1
	prevTitle := true
	closer := byte('h') // what ends the title: h head, g gazetteer name, n nisba, v title word, s so-called
	for j < len(toks) && j-h < 10 {
		if toks[j-1].sep != sepNone {
			return 0, 0, false
		}
		t := toks[j]
		switch {
		case covered[j] == 4:
			return 0, 0, false // a known person holds this title: what follows is not a name
		case covered[j] == 1 || covered[j] == 2:
			for j < len(toks) && (covered[j] == 1 || covered[j] == 2) && toks[j].sep == sepNone {
				j++
			}
			if j < len(toks) && (covered[j] == 1 || covered[j] == 2) {
				return 0, 0, false // the covered run ends at punctuation
			}
			prevTitle = true
			closer = 'g'
			continue
		case t.norm == arabic.Normalize("المدعو") || t.norm == arabic.Normalize("يدعى"):
			closer = 's'
		case inAr(arVocabForms, t, buf) || inAr(arHeadForms, t, buf):
			prevTitle = true
			closer = 'v'
		case prevTitle && isNisba(t.norm):
			if j == h+1 && arPersonal[toks[h].norm] {
				return 0, 0, false // العقيد المالكي: the nisba is the surname
			}
			closer = 'n'
		default:
			goto name
		}
		j++
	}
	return 0, 0, false
name:
	// A title must end in something that cannot be the start of a name: a
	// gazetteer name (في حماس), a nisba adjective (القطرية), "so-called", or
	// be a personal title written right before names (العميد, الدكتور).
	// Unknown organizations after مدير or قائد would otherwise pass as names.
	switch closer {
	case 'g', 'n', 's':
	case 'h':
		if !arPersonal[toks[h].norm] {
			return 0, 0, false
		}
	default:
		return 0, 0, false
	}
	if j >= len(toks) || strings.HasPrefix(toks[j].norm, "ال") {
		return 0, 0, false
	}
	i := j
	for j < len(toks) && j-i < 5 {
		if !arNameOK(toks[j], covered[j], buf) {
			break
		}
		j++
		if toks[j-1].sep != sepNone {
			break
		}
	}
	if !arNameLen(toks[i:j]) {
		return 0, 0, false
	}
	// The name must be closed: punctuation, the end, or a clause word.
	if j < len(toks) && toks[j-1].sep == sepNone {
		nx := toks[j]
		if !(arStop[nx.norm] || inAr(arVerbForms, nx, buf)) {
			return 0, 0, false
		}
	}
	return i, j, true
}

// register records a discovered person and returns its provisional id: the
// same name (or the same full-name skeleton, in either script) gets the id
// first given to it.
func (m *Matcher) register(text string, name []token, role string) string {
	key := joinNorm(name)
	sk, hasSkel := skeletonKey(name)
	surface := text[name[0].start:name[len(name)-1].end]
	lang := "en"
	if name[0].arabic {
		lang = "ar"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.found[key]
	if !ok && hasSkel {
		d, ok = m.fskel[sk]
	}
	if !ok {
		parts := make([]string, 0, len(name))
		for _, t := range name {
			parts = append(parts, t.norm)
		}
		e := Entity{
			ID:          ProvisionalPrefix + strings.Join(parts, "-"),
			Type:        TypePerson,
			Names:       map[string][]string{},
			Provisional: true,
		}
		d = len(m.disc)
		m.disc = append(m.disc, e)
		m.log.Debug("entity: new provisional person", "id", e.ID, "role", role)
	}
	e := &m.disc[d]
	e.Names[lang] = appendNew(e.Names[lang], surface)
	if role != "" {
		if len(e.Roles) == 0 {
			e.Roles = []Role{{Titles: map[string][]string{}}}
		}
		e.Roles[0].Titles[lang] = appendNew(e.Roles[0].Titles[lang], role)
	}
	m.found[key] = d
	m.first[name[0].norm] = true
	if hasSkel {
		if _, taken := m.fskel[sk]; !taken {
			m.fskel[sk] = d
			m.first[firstPart(sk)] = true
		}
	}
	return e.ID
}

// recall finds names of people discovered earlier (in this text or another)
// where no title introduces them this time.
func (m *Matcher) recall(text string, toks []token, covered []int8, spans []span, sk *skels) []span {
	type seen struct {
		d             int
		lang, surface string
	}
	var spellings []seen
	m.mu.RLock()
	if len(m.disc) == 0 {
		m.mu.RUnlock()
		return spans
	}
	var kbuf, nbuf [256]byte
	for i := 0; i < len(toks); i++ {
		if covered[i] != 0 || !toks[i].name ||
			!m.first[toks[i].norm] && !(sk.kind[i] == skelPart && m.first[string(sk.at(i))]) {
			continue
		}
		kb, nb, parts, letters := kbuf[:0], nbuf[:0], 0, 0
		best, bestD := -1, -1
		for j := i; j < len(toks) && j < i+4; j++ {
			if covered[j] != 0 || !toks[j].name || j > i && toks[j-1].sep != sepNone {
				break
			}
			if j > i {
				nb = append(nb, ' ')
			}
			nb = append(nb, toks[j].norm...)
			skelOK := sk.kind[j] != skelNone && parts >= 0
			if sk.kind[j] == skelPart {
				if parts > 0 {
					kb = append(kb, ' ')
				}
				kb = append(kb, sk.at(j)...)
				parts++
				letters += len(sk.at(j))
			} else if sk.kind[j] == skelNone {
				parts = -100 // no skeleton key through this word
			}
			if j == i || isArticle(toks[j].norm) {
				continue
			}
			if d, ok := m.found[string(nb)]; ok {
				best, bestD = j+1, d
			} else if skelOK && parts >= 2 && letters >= 5 {
				if d, ok := m.fskel[string(kb)]; ok {
					best, bestD = j+1, d
				}
			}
		}
		if best > 0 {
			spans = append(spans, span{i: i, j: best, ent: -1, id: m.disc[bestD].ID, method: MethodDiscovered})
			for k := i; k < best; k++ {
				covered[k] = 3
			}
			lang := "en"
			if toks[i].arabic {
				lang = "ar"
			}
			spellings = append(spellings, seen{bestD, lang, text[toks[i].start:toks[best-1].end]})
			i = best - 1
		}
	}
	m.mu.RUnlock()
	if len(spellings) > 0 {
		// Keep new spellings (another script, another transliteration) so
		// that the provisional entity is found by them too.
		m.mu.Lock()
		for _, s := range spellings {
			e := &m.disc[s.d]
			e.Names[s.lang] = appendNew(e.Names[s.lang], s.surface)
			m.found[joinNorm(tokenize(s.surface))] = s.d
		}
		m.mu.Unlock()
	}
	return spans
}
