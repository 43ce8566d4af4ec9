package claim

import (
	"sort"
	"strings"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// cueAR describes an Arabic reporting verb form (normalized spelling).
type cueAR struct {
	lemma string
	prep  string // preposition introducing the content (شدد على، دعا إلى)
	neg   bool   // نفى
	part  bool   // active participle (مؤكدا، مضيفا): the subject is the clause's speaker
	fem   bool
	weak  bool // only with a colon, a quotation, أن/إن or قائلا
}

var arCues = map[string]cueAR{}

func init() {
	type verb struct {
		lemma, prep string
		neg, weak   bool
		masc, fem   []string // finite forms
		partM       []string
		partF       []string
	}
	verbs := []verb{
		{lemma: "قال", masc: []string{"قال", "قالوا", "قالا", "يقول", "يقولون", "قائلا", "قائلين"}, fem: []string{"قالت", "تقول", "قالتا", "قائلة"}, partM: []string{"قائلا", "قائلين"}, partF: []string{"قائلة"}},
		{lemma: "أكد", prep: "علي", masc: []string{"اكد", "اكدوا", "اكدا", "يؤكد", "يؤكدون"}, fem: []string{"اكدت", "تؤكد", "اكدتا"}, partM: []string{"مؤكدا", "مؤكدين"}, partF: []string{"مؤكدة"}},
		{lemma: "شدد", prep: "علي", masc: []string{"شدد", "شددوا", "يشدد", "يشددون"}, fem: []string{"شددت", "تشدد"}, partM: []string{"مشددا", "مشددين"}, partF: []string{"مشدده"}},
		{lemma: "أوضح", masc: []string{"اوضح", "اوضحوا", "يوضح"}, fem: []string{"اوضحت", "توضح"}, partM: []string{"موضحا"}, partF: []string{"موضحه"}},
		{lemma: "أشار", prep: "الي", masc: []string{"اشار", "اشاروا", "يشير", "يشيرون"}, fem: []string{"اشارت", "تشير"}, partM: []string{"مشيرا", "مشيرين"}, partF: []string{"مشيره"}},
		{lemma: "صرح", masc: []string{"صرح", "صرحوا", "يصرح"}, fem: []string{"صرحت", "تصرح"}, partM: []string{"مصرحا"}},
		{lemma: "أعلن", prep: "عن", masc: []string{"اعلن", "اعلنوا", "يعلن", "يعلنون"}, fem: []string{"اعلنت", "تعلن"}, partM: []string{"معلنا"}, partF: []string{"معلنه"}},
		{lemma: "اعتبر", masc: []string{"اعتبر", "اعتبروا", "يعتبر", "يعتبرون"}, fem: []string{"اعتبرت", "تعتبر"}, partM: []string{"معتبرا", "معتبرين"}, partF: []string{"معتبره"}},
		{lemma: "دعا", prep: "الي", masc: []string{"دعا", "دعوا", "يدعو", "يدعون"}, fem: []string{"دعت", "تدعو"}, partM: []string{"داعيا", "داعين"}, partF: []string{"داعيه"}},
		{lemma: "حذر", prep: "من", masc: []string{"حذر", "حذروا", "يحذر", "يحذرون"}, fem: []string{"حذرت", "تحذر"}, partM: []string{"محذرا", "محذرين"}, partF: []string{"محذره"}},
		{lemma: "نفى", neg: true, masc: []string{"نفي", "نفوا", "ينفي", "ينفون"}, fem: []string{"نفت", "تنفي"}, partM: []string{"نافيا"}, partF: []string{"نافيه"}},
		{lemma: "طالب", prep: "ب", masc: []string{"طالب", "طالبوا", "يطالب", "يطالبون"}, fem: []string{"طالبت", "تطالب"}, partM: []string{"مطالبا", "مطالبين"}, partF: []string{"مطالبه"}},
		{lemma: "جدد", masc: []string{"جدد", "جددوا", "يجدد"}, fem: []string{"جددت", "تجدد"}},
		{lemma: "لفت", prep: "الي", masc: []string{"لفت", "لفتوا", "يلفت"}, fem: []string{"لفتت", "تلفت"}, partM: []string{"لافتا"}},
		{lemma: "كشف", prep: "عن", masc: []string{"كشف", "كشفوا", "يكشف"}, fem: []string{"كشفت", "تكشف"}, partM: []string{"كاشفا"}, partF: []string{"كاشفه"}},
		{lemma: "أضاف", masc: []string{"اضاف", "اضافوا", "يضيف"}, fem: []string{"اضافت", "تضيف"}, partM: []string{"مضيفا", "مضيفين"}, partF: []string{"مضيفه"}},
		{lemma: "تابع", weak: true, masc: []string{"تابع", "تابعوا"}, fem: []string{"تابعت"}},
		{lemma: "أردف", masc: []string{"اردف"}, fem: []string{"اردفت"}, partM: []string{"مردفا"}},
		{lemma: "ذكر", masc: []string{"ذكر", "ذكروا", "يذكر"}, fem: []string{"ذكرت", "تذكر"}, partM: []string{"ذاكرا"}},
		{lemma: "أفاد", masc: []string{"افاد", "افادوا", "يفيد"}, fem: []string{"افادت", "تفيد"}},
		{lemma: "رأى", masc: []string{"راي", "راوا", "يري", "يرون"}, fem: []string{"رات", "تري"}, partM: []string{"معتبرا"}},
		{lemma: "أعرب", prep: "عن", masc: []string{"اعرب", "اعربوا", "يعرب"}, fem: []string{"اعربت", "تعرب"}, partM: []string{"معربا"}, partF: []string{"معربه"}},
		{lemma: "نوه", prep: "الي", masc: []string{"نوه", "نوهوا"}, fem: []string{"نوهت"}, partM: []string{"منوها"}},
		{lemma: "أبلغ", masc: []string{"ابلغ", "ابلغوا"}, fem: []string{"ابلغت"}},
		{lemma: "زعم", masc: []string{"زعم", "زعموا", "يزعم"}, fem: []string{"زعمت", "تزعم"}, partM: []string{"زاعما"}},
		{lemma: "ختم", weak: true, masc: []string{"ختم", "اختتم"}, fem: []string{"ختمت", "اختتمت"}},
		{lemma: "استدرك", masc: []string{"استدرك"}, fem: []string{"استدركت"}, partM: []string{"مستدركا"}},
		{lemma: "وصف", weak: true, masc: []string{"وصف", "وصفوا", "يصف"}, fem: []string{"وصفت", "تصف"}, partM: []string{"واصفا"}, partF: []string{"واصفة"}},
		{lemma: "اتهم", weak: true, masc: []string{"اتهم", "اتهموا", "يتهم"}, fem: []string{"اتهمت", "تتهم"}, partM: []string{"متهما"}, partF: []string{"متهمة"}},
		{lemma: "ناشد", masc: []string{"ناشد", "ناشدوا", "يناشد"}, fem: []string{"ناشدت", "تناشد"}, partM: []string{"مناشدا"}},
		{lemma: "تعهد", prep: "ب", masc: []string{"تعهد", "تعهدوا", "يتعهد"}, fem: []string{"تعهدت", "تتعهد"}},
	}
	for _, v := range verbs {
		for _, f := range v.masc {
			arCues[f] = cueAR{lemma: v.lemma, prep: v.prep, neg: v.neg, weak: v.weak}
		}
		for _, f := range v.fem {
			arCues[f] = cueAR{lemma: v.lemma, prep: v.prep, neg: v.neg, weak: v.weak, fem: true}
		}
		for _, f := range v.partM {
			arCues[f] = cueAR{lemma: v.lemma, prep: v.prep, neg: v.neg, part: true}
		}
		for _, f := range v.partF {
			arCues[f] = cueAR{lemma: v.lemma, prep: v.prep, neg: v.neg, part: true, fem: true}
		}
	}
}

func normAR(s string) string { return arabic.Normalize(s) }

// normalizeKeys rewrites a word list spelled as in print into the
// normalizer's forms, so that improvements to arabic.Normalize never
// desynchronize the lexicon.
func normalizeKeys[V any](m map[string]V) {
	for k, v := range m {
		if n := arabic.Normalize(k); n != k {
			delete(m, k)
			m[n] = v
		}
	}
}

func init() {
	normalizeKeys(arCues)
	normalizeKeys(arComp)
	normalizeKeys(arCut)
	normalizeKeys(arNotSubject)
	normalizeKeys(arAnonFirst)
	normalizeKeys(weekdaysAR)
	for i, p := range arLamChannel {
		arLamChannel[i] = arabic.Normalize(p)
	}
}

// complementizers introducing reported content (أن، إن، بأن، فإن with
// their pronoun suffixes).
var arComp = func() map[string]bool {
	m := map[string]bool{}
	for _, base := range []string{"أن", "إن", "بأن", "فإن"} {
		for _, suf := range []string{"", "ه", "ها", "هم", "هما", "ني", "نا", "هن"} {
			m[base+suf] = true
		}
	}
	return m
}()

// words after which a speaker noun phrase ends: time, place and channel
// phrases ("في بيان", "خلال مؤتمر صحفي", "للصحفيين", "أمس").
var arCut = map[string]bool{
	"في": true, "خلال": true, "عبر": true, "امس": true, "اليوم": true, "يوم": true, "مساء": true,
	"صباح": true, "ظهر": true, "الاحد": true, "الاثنين": true, "الثلاثاء": true, "الاربعاء": true,
	"الخميس": true, "الجمعه": true, "السبت": true, "لدي": true, "امام": true, "اثناء": true, "عقب": true,
	"بعد": true, "قبل": true, "ضمن": true, "الليله": true, "مؤخرا": true, "ايضا": true, "كذلك": true,
	"مجددا": true, "الاسبوع": true, "غداه": true, "فجر": true, "ليل": true, "الاثنان": true,
	"بدوره": true, "بدورها": true, "من": true, "علي": true, "الي": true, "عن": true, "حول": true,
	"بشان": true, "اثر": true, "اليوم،": true, "تعليقا": true, "ردا": true, "وفي": true, "وخلال": true,
	"هذا": true, "ذلك": true, "تاكيده": true, "تاكيدها": true, "تاكيدهم": true, "دعوته": true,
	"دعوتها": true, "دعوتهم": true, "رفضه": true, "رفضها": true, "رفضهم": true, "موقفه": true,
	"موقفها": true, "التزامه": true, "التزامها": true, "حرصه": true, "حرصها": true, "مطالبته": true,
	"مطالبتها": true, "تحذيره": true, "تحذيرها": true, "امله": true, "املها": true,
}

// clitic channel words starting with ل: "لوكالة", "للصحفيين", "لقناة".
var arLamChannel = []string{"لوكالة", "لقناة", "لصحيفة", "لموقع", "لشبكة", "لتلفزيون", "لإذاعة", "لوسائل", "لمراسل", "لوكالات"}

func arIsCut(w string) bool {
	if arCut[w] {
		return true
	}
	if w == "ل" || strings.HasPrefix(w, "لل") && len(w) > len("لل") {
		return true // لـ«القاهرة الإخبارية», للصحفيين
	}
	for _, p := range arLamChannel {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// words that cannot begin a preceding (SVO) speaker.
var arNotSubject = map[string]bool{
	"في": true, "من": true, "علي": true, "الي": true, "كما": true, "فيما": true, "بينما": true,
	"حسبما": true, "عندما": true, "حين": true, "بعد": true, "قبل": true, "خلال": true, "ثم": true,
	"لكن": true, "لكنه": true, "لكنها": true, "الا": true, "اذ": true, "حيث": true, "كان": true,
	"كانت": true, "قد": true, "لقد": true, "ما": true, "لم": true, "لا": true, "بل": true, "التي": true,
	"الذي": true, "الذين": true, "وقد": true, "فقد": true, "بدوره": true, "بدورها": true, "اما": true,
}

// stripConj removes a leading conjunction و/ف when the rest is known.
func stripConj(w string, known func(string) bool) (string, int) {
	if known(w) {
		return w, 0
	}
	for _, p := range []string{"و", "ف"} {
		if strings.HasPrefix(w, p) && known(w[len(p):]) {
			return w[len(p):], len(p)
		}
	}
	return w, 0
}

func arCueOf(w string) (cueAR, int, bool) {
	base, n := stripConj(w, func(s string) bool { _, ok := arCues[s]; return ok })
	c, ok := arCues[base]
	return c, n, ok
}

// arTriggers holds every normalized word, with and without و/ف, that can
// start an attribution; other words are skipped with one lookup.
var arTriggers = map[string]bool{}

func init() {
	add := func(w string) {
		arTriggers[w] = true
		arTriggers["و"+w] = true
		arTriggers["ف"+w] = true
	}
	for w := range arCues {
		add(w)
	}
	for _, w := range []string{"بحسب", "حسب", "وفقا", "وفق", "نقلا", "جاء", "نقل", "نقلت"} {
		add(arabic.Normalize(w))
	}
}

func (st *state) arabicSentence(s *sentence) {
	toks := s.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.word || t.q >= 0 || !arTriggers[t.norm] {
			continue
		}
		w := t.norm
		base, _ := stripConj(w, func(s string) bool {
			return s == "بحسب" || s == "حسب" || s == "وفقا" || s == "وفق" || s == "نقلا" || s == "جاء" || s == "نقل" || s == "نقلت"
		})
		switch base {
		case "بحسب", "حسب", "وفقا", "وفق", "نقلا":
			if i+1 >= len(toks) || toks[i+1].norm == "ما" {
				continue // "بحسب ما أفاد": the verb carries it
			}
			// only as a source marker: sentence-initial or after a comma or
			// a quotation, and وفقا with its clitic lam (وفقا لمصادر)
			framed := i == 0 || !toks[i-1].word
			if base == "وفقا" || base == "وفق" {
				framed = framed && strings.HasPrefix(toks[i+1].norm, "ل")
			}
			if base == "نقلا" {
				framed = framed && toks[i+1].norm == "عن"
			}
			if framed {
				st.arAccording(s, i)
			}
			continue
		case "جاء":
			if i+1 < len(toks) && toks[i+1].norm == "في" {
				st.arVerb(s, i, cueAR{lemma: "جاء في"}, i+1)
			}
			continue
		case "نقل", "نقلت":
			st.arQuoting(s, i)
			continue
		}
		c, _, ok := arCueOf(w)
		if !ok {
			continue
		}
		if i > 0 && (toks[i-1].norm == "عدم" || toks[i-1].norm == "دون") {
			continue // "شريطة عدم ذكر اسمه": a noun, not a statement
		}
		st.arVerb(s, i, c, i)
	}
}

// arNextCue returns the index of the next participle cue after i (which
// ends the current content: "…، مضيفا أن …"), or len(toks).
func arNextPart(toks []token, i int) int {
	for k := i + 1; k < len(toks); k++ {
		if toks[k].q >= 0 || !toks[k].word {
			continue
		}
		if c, _, ok := arCueOf(toks[k].norm); ok && c.part && k > 0 && !toks[k-1].word {
			return k
		}
	}
	return len(toks)
}

// arVerb handles a reporting verb at token vi; cueEnd is the last token of
// the cue (جاء في spans two).
func (st *state) arVerb(s *sentence, vi int, c cueAR, cueEnd int) {
	toks := s.toks
	cue := st.text[toks[vi].s:toks[cueEnd].e]
	conj := 0
	if strings.HasPrefix(toks[vi].norm, "و") || strings.HasPrefix(toks[vi].norm, "ف") {
		if _, n, ok := arCueOf(toks[vi].norm); ok && n > 0 || c.lemma == "جاء في" && toks[vi].norm != "جاء" {
			conj = len("و")
			cue = cue[conj:] // وأكد -> أكد
		}
	}
	// the speaker follows the verb (VSO) up to the content starter
	spA := cueEnd + 1
	spB := spA // exclusive end of the speaker
	closed := false
	starter := -1
	for k := spA; k < len(toks) && k-spA < 18; k++ {
		t := toks[k]
		if t.q >= 0 {
			break
		}
		if isQuoteOpen(st, t) {
			// a short quotation followed by أن/إن names a channel or a
			// programme (لـ«القاهرة الإخبارية» إن): keep looking
			if qi := quoteStartingAt(st.quotes, t.s); qi >= 0 && st.quotes[qi].words <= 4 {
				if c := st.arCompAfter(toks, st.quotes[qi].e, 6); c >= 0 {
					closed = true
					k = c - 1
					continue
				}
			}
			starter = k
			break
		}
		if t.norm == ":" {
			starter = k
			break
		}
		if !t.word {
			if t.norm == "." || t.norm == "؟" || t.norm == "!" || t.norm == "؛" {
				break
			}
			continue
		}
		w := t.norm
		if arComp[w] || c.prep != "" && w == c.prep ||
			c.prep == "ب" && strings.HasPrefix(w, "ب") && len(w) > 4 && w != "باسم" && (k > spA || strings.HasPrefix(w, "بال")) {
			starter = k
			break
		}
		if _, _, ok := arCueOf(w); ok && k > spA && !closed {
			break // another reporting verb: this one had no content of its own
		}
		if !closed && !arIsSpeakerCut(toks, k) {
			spB = k + 1
			continue
		}
		closed = true
	}
	// backward attribution: "«…»، قال X" / "…، حسبما أفاد X"
	backward := false
	if vi > 0 && !c.part {
		p := toks[vi-1]
		switch {
		case p.norm == "حسبما" || p.norm == "وحسبما":
			backward = true
		case p.norm == "كما" && vi >= 2 && (toks[vi-2].norm == "،" || toks[vi-2].norm == ","):
			backward = starter < 0 // "…، كما أفاد جهاز الأمن" (as X reported)
		case p.norm == "ما" && vi >= 2 && (toks[vi-2].norm == "بحسب" || toks[vi-2].norm == "وفق" || toks[vi-2].norm == "حسب"):
			backward = true
		case conj == 0 && !p.word && (p.norm == "،" || p.norm == ",") && vi >= 2 && isQuoteClose(st, toks[vi-2]):
			backward = starter < 0 || !arComp[toks[starter].norm]
		}
	}
	if backward {
		st.arBackward(s, vi, cueEnd, c, cue, spA)
		return
	}
	if starter < 0 {
		return
	}
	if c.weak && !(arComp[toks[starter].norm] || toks[starter].norm == ":" || isQuoteOpen(st, toks[starter])) {
		return
	}
	// who
	var ref speakerRef
	spStart, spEnd := -1, -1
	switch {
	case spB > spA && !c.part:
		spStart, spEnd = toks[spA].s, toks[spB-1].e
		ref = st.explicit(st.text[spStart:spEnd], c.fem)
	case !c.part:
		if sv, last, ok := st.arPreceding(s, vi); ok {
			// SVO: "الوزير قال إن"
			spStart, spEnd = toks[sv].s, toks[last].e
			ref = st.explicit(st.text[spStart:spEnd], c.fem)
		} else if r, ok := st.lastSpeaker(c.fem, true); ok {
			ref = r // zero subject: وأضاف أن
		} else {
			return
		}
	default:
		if r, ok := st.sentenceSpeaker(s, vi); ok {
			ref = r
		} else if r, ok := st.lastSpeaker(c.fem, true); ok {
			ref = r
		} else {
			return
		}
	}
	// what
	cs := toks[starter].e
	switch {
	case isQuoteOpen(st, toks[starter]):
		cs = toks[starter].s
	case toks[starter].norm == ":" && starter+1 < len(toks):
		cs = toks[starter+1].s
	case c.prep == "ب" && strings.HasPrefix(toks[starter].norm, "ب") && !arComp[toks[starter].norm]:
		cs = toks[starter].s + len("ب")
	}
	// "شدد على أن": the complementizer after the preposition
	if toks[starter].norm == c.prep && starter+1 < len(toks) && arComp[toks[starter+1].norm] {
		cs = toks[starter+1].e
	}
	ce := s.e
	if nc := arNextClause(toks, starter); nc < len(toks) {
		ce = toks[nc].s
	}
	if np := arNextPart(toks, starter); np < len(toks) {
		e := np
		for e > 0 && !toks[e-1].word && !isQuoteClose(st, toks[e-1]) {
			e--
		}
		if e > 0 && toks[e-1].e > cs {
			ce = toks[e-1].e
		}
	}
	if qi := quoteStartingAt(st.quotes, cs); qi >= 0 {
		q := st.quotes[qi]
		// a quotation that ends the clause is the whole content
		if q.e <= ce {
			rest := strings.Trim(strings.TrimSpace(st.text[q.e:ce]), ".،, ")
			if rest == "" || startsWithPart(rest) {
				ce = q.e
			}
		}
	}
	cueS, cueE := toks[vi].s+conj, toks[cueEnd].e
	st.add(ref, spStart, spEnd, cueS, cueE, cue, cs, ce, "", c.neg, s)
}

// arCompAfter returns the index of the first token starting at or after
// byte b when a complementizer comes within n tokens, else -1.
func (st *state) arCompAfter(toks []token, b, n int) int {
	k := sort.Search(len(toks), func(i int) bool { return toks[i].s >= b })
	if k < len(toks) {
		for j := k; j < len(toks) && j < k+n; j++ {
			if toks[j].q >= 0 || toks[j].norm == "." {
				return -1
			}
			if arComp[toks[j].norm] {
				return k
			}
		}
	}
	return -1
}

// arIsSpeakerCut reports whether token k ends a speaker noun phrase.
func arIsSpeakerCut(toks []token, k int) bool {
	w := toks[k].norm
	switch w {
	case "من", "عن":
		// "من جانبه" ends it, "مسؤول من حماس" does not
		if k+1 < len(toks) {
			n := toks[k+1].norm
			return strings.HasPrefix(n, "جانب") || strings.HasPrefix(n, "جه")
		}
		return false
	case "الذي", "التي", "الذين", "اللذان", "اللتان":
		return true
	}
	if c, _, ok := arCueOf(w); ok && c.lemma == "قال" && c.part {
		return true
	}
	return arIsCut(w)
}

// arNextClause returns the index of a comma that opens another reported
// clause ("، فيما أوضح X أن", "، بينما قال"), which ends the current
// content, or len(toks).
func arNextClause(toks []token, from int) int {
	for k := from + 1; k+1 < len(toks); k++ {
		if toks[k].q >= 0 || toks[k].norm != "،" && toks[k].norm != "," {
			continue
		}
		j := k + 1
		switch toks[j].norm {
		case "فيما", "بينما", "كما", "وكما":
			j++
		case "في":
			if j+1 < len(toks) && toks[j+1].norm == "حين" {
				j += 2
			}
		}
		if j < len(toks) && toks[j].word {
			if c, _, ok := arCueOf(toks[j].norm); ok && !c.part {
				return k
			}
		}
	}
	return len(toks)
}

func startsWithPart(rest string) bool {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return false
	}
	c, _, ok := arCueOf(normAR(strings.Trim(f[0], "،,")))
	return ok && c.part
}

func trimConjSurface(cue string) string {
	for _, p := range []string{"و", "ف"} {
		if strings.HasPrefix(cue, p) {
			return cue[len(p):]
		}
	}
	return cue
}

// arPreceding finds a subject written before the verb at the start of the
// sentence ("الوزير قال إن", "وكان الوزير قد أكد أن"); it returns the
// first and last token of the subject.
func (st *state) arPreceding(s *sentence, vi int) (int, int, bool) {
	toks := s.toks
	b := vi - 1
	for b >= 0 && toks[b].word && toks[b].q < 0 {
		b--
	}
	if b >= 0 {
		return 0, 0, false // after punctuation it is usually a circumstantial phrase
	}
	first, last := 0, vi-1
	// "لكن مصادر … قالت", "غير أن المتحدث … نفى"
	for first < last {
		w := toks[first].norm
		if w == "لكن" || w == "ولكن" || w == "بينما" || w == "فيما" || w == "ثم" {
			first++
			continue
		}
		if w == "غير" && arComp[toks[first+1].norm] {
			first += 2
			continue
		}
		break
	}
	if last < first {
		return 0, 0, false
	}
	if toks[last].norm == "قد" || toks[last].norm == "وقد" {
		last--
	}
	if fw, _ := stripConj(toks[first].norm, func(s string) bool { return s == "كان" || s == "كانت" }); fw == "كان" || fw == "كانت" {
		first++
	}
	if first > last || last-first > 7 {
		return 0, 0, false
	}
	fw, _ := stripConj(toks[first].norm, func(s string) bool { return arNotSubject[s] })
	if arNotSubject[fw] {
		return 0, 0, false
	}
	for k := first; k <= last; k++ {
		if _, _, ok := arCueOf(toks[k].norm); ok {
			return 0, 0, false
		}
		// "مصادر في الوفد المصري" keeps its في; a time word does not
		if w := toks[k].norm; arIsCut(w) && (k == first || weekdaysAR[w] != 0 || w == "امس" || w == "اليوم") {
			return 0, 0, false
		}
	}
	return first, last, true
}

// sentenceSpeaker is the speaker of an earlier claim in the same sentence
// (for participles: "وقال X إن …، مضيفا أن …").
func (st *state) sentenceSpeaker(s *sentence, vi int) (speakerRef, bool) {
	for i := len(st.out) - 1; i >= 0; i-- {
		a := st.out[i]
		if a.Claim.Start >= s.s && a.Claim.Start < s.toks[vi].s {
			return st.refOf(a.Claim), true
		}
		if a.Claim.Start < s.s {
			break
		}
	}
	return speakerRef{}, false
}

// arBackward handles a cue that follows its content: "«…»، قال X" and
// "…، حسبما أفادت مصادر".
func (st *state) arBackward(s *sentence, vi, cueEnd int, c cueAR, cue string, spA int) {
	toks := s.toks
	b := spA
	for b < len(toks) && toks[b].word && toks[b].q < 0 && b-spA < 12 && !(b > spA && arIsCut(toks[b].norm)) {
		b++
	}
	if b == spA {
		return
	}
	spStart, spEnd := toks[spA].s, toks[b-1].e
	ref := st.explicit(st.text[spStart:spEnd], c.fem)
	// content: the quote or clause before
	first := vi
	if vi > 0 && toks[vi-1].word {
		first = vi - 1 // حسبما
		if vi >= 2 && toks[vi-2].norm == "بحسب" || vi >= 2 && toks[vi-2].norm == "وفق" {
			first = vi - 2
		}
	}
	e := first
	for e > 0 && !toks[e-1].word && !isQuoteClose(st, toks[e-1]) {
		e--
	}
	if e == 0 {
		return
	}
	ce := toks[e-1].e
	cs := s.s
	if qi := quoteEndingAt(st.quotes, ce); qi >= 0 {
		cs = st.quotes[qi].s
	}
	for _, at := range st.out {
		if at.Claim.End <= ce && at.Claim.End > cs && at.Claim.Start >= s.s {
			cs = at.Claim.End
		}
	}
	cueS, cueE := toks[vi].s, toks[cueEnd].e
	if !st.add(ref, spStart, spEnd, cueS, cueE, cue, cs, ce, "", c.neg, s) {
		return
	}
	// "«…»، قال X، «…»": a quotation right after the speaker continues it
	q := b
	for q < len(toks) && (toks[q].norm == "،" || toks[q].norm == "," || toks[q].norm == ":") {
		q++
	}
	if q < len(toks) && isQuoteOpen(st, toks[q]) {
		if qi := quoteStartingAt(st.quotes, toks[q].s); qi >= 0 {
			st.add(ref, spStart, spEnd, cueS, cueE, cue, st.quotes[qi].s, st.quotes[qi].e, "", c.neg, s)
		}
	}
}

// arAccording handles بحسب/وفقا لـ/نقلا عن X either before or after the content.
func (st *state) arAccording(s *sentence, i int) {
	toks := s.toks
	a := i + 1
	if a < len(toks) && (toks[a].norm == "عن" || toks[a].norm == "ل" || toks[a].norm == "لـ") {
		a++
	}
	if a >= len(toks) || !toks[a].word {
		return
	}
	spStart := toks[a].s
	// وفقا لمصادر: the lam is a clitic of the speaker's first word
	base := strings.TrimPrefix(toks[i].norm, "و")
	if (base == "فقا" || toks[i].norm == "وفقا" || toks[i].norm == "وفق") && strings.HasPrefix(toks[a].norm, "ل") {
		spStart += len("ل")
	}
	b := a
	for b < len(toks) && toks[b].word && toks[b].q < 0 && b-a < 12 {
		if b > a && arIsCut(toks[b].norm) && toks[b].norm != "عن" && toks[b].norm != "من" && toks[b].norm != "في" {
			break
		}
		if arComp[toks[b].norm] {
			break
		}
		b++
	}
	spEnd := toks[b-1].e
	if spEnd <= spStart {
		return
	}
	ref := st.explicit(st.text[spStart:spEnd], false)
	cue := trimConjSurface(st.text[toks[i].s:toks[i].e])
	cueS, cueE := toks[i].e-len(cue), toks[i].e
	// initial: content after the comma
	initial := true
	for k := 0; k < i; k++ {
		if toks[k].word {
			initial = false
			break
		}
	}
	if initial {
		k := b
		for k < len(toks) && !toks[k].word && !isQuoteOpen(st, toks[k]) {
			k++
		}
		if k < len(toks) && arComp[toks[k].norm] {
			k++
		}
		if k < len(toks) && (toks[k].norm == "ف" || toks[k].norm == "فان") {
			k++
		}
		if k < len(toks) {
			st.add(ref, spStart, spEnd, cueS, cueE, cue, toks[k].s, s.e, "", false, s)
		}
		return
	}
	cs, ce, ok := st.contentBefore(s, i)
	if !ok {
		return
	}
	st.add(ref, spStart, spEnd, cueS, cueE, cue, cs, ce, "", false, s)
}

// arQuoting handles "ونقلت وكالة X عن مصدر مطلع قوله إن …": the speaker
// is the one quoted, not the outlet.
func (st *state) arQuoting(s *sentence, i int) {
	toks := s.toks
	an := -1
	for k := i + 1; k < len(toks) && k < i+10; k++ {
		if toks[k].norm == "عن" {
			an = k
			break
		}
	}
	if an < 0 {
		return
	}
	a := an + 1
	b := a
	qawl := -1
	for b < len(toks) && toks[b].word && toks[b].q < 0 && b-a < 12 {
		w := toks[b].norm
		if strings.HasPrefix(w, "قول") || strings.HasPrefix(w, "تاكيد") {
			qawl = b
			break
		}
		b++
	}
	if qawl < 0 || b == a {
		return
	}
	k := qawl + 1
	for k < len(toks) && !toks[k].word && !isQuoteOpen(st, toks[k]) {
		k++
	}
	if k >= len(toks) {
		return
	}
	cs := toks[k].s
	if arComp[toks[k].norm] {
		if k+1 >= len(toks) {
			return
		}
		cs = toks[k].e
	}
	spStart, spEnd := toks[a].s, toks[b-1].e
	ref := st.explicit(st.text[spStart:spEnd], false)
	ce := s.e
	if qi := quoteStartingAt(st.quotes, cs); qi >= 0 {
		rest := strings.TrimSpace(strings.Trim(strings.TrimSpace(st.text[st.quotes[qi].e:s.e]), ".،,"))
		if rest == "" {
			ce = st.quotes[qi].e
		}
	}
	st.add(ref, spStart, spEnd, toks[qawl].s, toks[qawl].e, st.text[toks[qawl].s:toks[qawl].e], cs, ce, "", false, s)
}
