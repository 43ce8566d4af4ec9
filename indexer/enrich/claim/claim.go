// Package claim turns news articles into attributed statements: who said
// what, with which reporting cue, and when. It reads Arabic and English with
// hand-written patterns (reporting verbs, quotations, "according to"
// constructions) so that every claim points at an exact span of the article
// and no speaker is ever invented: a pronoun or a zero subject is resolved to
// the last speaker of the article, an anonymous source keeps its description.
//
// English also goes through a learned attribution tagger (EnglishModel,
// trained on PolNeAR by TrainEnglish and embedded in the package), which
// reads what the patterns miss: beliefs, intentions and evidence ("Hamas
// wants guarantees", "a poll shows …"). Such claims carry the verb that says
// so as their Cue.
package claim

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// SpeakerResolver maps a speaker's surface form ("رئيس الوزراء القطري",
// "Egypt's spy chief") to an entity as known on a date. The entity gazetteer
// implements it; the extractor only needs this much of it.
type SpeakerResolver interface {
	ResolveSpeaker(surface, lang string, at time.Time) (id, name string, ok bool)
}

// DateResolver dates a statement from the words around its cue ("on
// Tuesday", "أمس"). The temporal enricher can implement it; without one the
// extractor understands yesterday/أمس and weekday names.
type DateResolver interface {
	ResolveDate(text, lang string, published time.Time) (time.Time, bool)
}

// Options configure an Extractor. The zero value is usable.
type Options struct {
	// Resolver links speakers to entities; nil keeps surface forms only.
	Resolver SpeakerResolver
	// Dates overrides the built-in statement dating; nil uses the built-in.
	Dates DateResolver
	// English is the learned English attribution model; nil uses the one
	// embedded in the package.
	English *EnglishModel
	// RulesOnly reads English with the hand-written patterns alone, as
	// before the learned model (a baseline, and what training starts from).
	RulesOnly bool
}

// Extractor finds claims in article text. It holds no per-article state and
// is safe for concurrent use.
type Extractor struct {
	opts Options
}

// New returns an Extractor.
func New(opts Options) *Extractor {
	return &Extractor{opts: opts}
}

// Attribution is a claim together with the spans of its speaker mention and
// cue in the article, which evaluation against span-annotated corpora needs.
// SpeakerStart and SpeakerEnd are -1 when the speaker is not written out
// (Arabic zero subject, a participle such as مضيفا, "adding").
type Attribution struct {
	Claim        document.Claim
	SpeakerStart int
	SpeakerEnd   int
	CueStart     int
	CueEnd       int
}

// Extract returns the claims of text (an article body) in text order. lang
// is "ar" or "en"; empty means detect. published dates the claims unless the
// text dates the statement.
func (x *Extractor) Extract(docID, text, lang string, published time.Time) []document.Claim {
	atts := x.Attributions(docID, text, lang, published)
	if len(atts) == 0 {
		return nil
	}
	out := make([]document.Claim, len(atts))
	for i, a := range atts {
		out[i] = a.Claim
	}
	return out
}

// Attributions is Extract with the speaker and cue spans kept.
func (x *Extractor) Attributions(docID, text, lang string, published time.Time) []Attribution {
	if lang != document.LangArabic && lang != document.LangEnglish {
		lang = arabic.Detect(text)
	}
	st := &state{x: x, docID: docID, text: text, lang: lang, published: published}
	st.quotes = findQuotes(text)
	sents := splitSentences(text, st.quotes)
	for i := range sents {
		sents[i].toks = tokenize(text, sents[i].s, sents[i].e, st.quotes, lang)
		st.sentence(&sents[i])
	}
	if lang == document.LangEnglish && !x.opts.RulesOnly {
		m := x.opts.English
		if m == nil {
			m = embeddedEnglish()
		}
		if m != nil {
			st.learnedEN(m, sents)
		}
	}
	atts := st.finish()
	for i := range atts {
		atts[i].Claim.Mode = ModeOf(atts[i].Claim.Cue, lang)
	}
	return atts
}

// speakerRef is what later pronouns and zero subjects resolve to.
type speakerRef struct {
	surface   string
	id        string
	anonymous bool
	fem       bool
}

type state struct {
	x         *Extractor
	docID     string
	text      string
	lang      string
	published time.Time
	quotes    []quote
	usedQuote map[int]bool
	out       []Attribution
	speakers  []speakerRef
	// prevDirect is the last claim of the previous sentence when it was a
	// direct quote, so that a following quote-only sentence continues it.
	prevDirect *Attribution
}

func (st *state) sentence(s *sentence) {
	before := len(st.out)
	if st.lang == document.LangArabic {
		st.arabicSentence(s)
	} else {
		st.englishSentence(s)
	}
	if len(st.out) == before {
		st.colonHeadline(s)
	}
	if len(st.out) == before {
		st.continuation(s)
	}
	st.prevDirect = nil
	if len(st.out) > before {
		last := st.out[len(st.out)-1]
		if last.Claim.Kind == "direct" {
			st.prevDirect = &last
		}
	}
}

// continuation attributes a sentence made of one quotation to the speaker of
// the quotation just before it ("…," he said. "…").
func (st *state) continuation(s *sentence) {
	if st.prevDirect == nil || len(s.toks) == 0 {
		return
	}
	qi := quoteStartingAt(st.quotes, s.toks[0].s)
	if qi < 0 || st.usedQuote[qi] {
		return
	}
	q := st.quotes[qi]
	if q.e < trimPunctEnd(st.text, s.s, s.e) || q.words < 3 {
		return
	}
	// the same attribution goes on: same speaker mention and cue
	p := st.prevDirect
	ref := st.refOf(p.Claim)
	st.add(ref, p.SpeakerStart, p.SpeakerEnd, p.CueStart, p.CueEnd, p.Claim.Cue, q.is, q.ie, "direct", p.Claim.Polarity == "negative", s)
	st.usedQuote[qi] = true
}

// labels that precede a colon without being a speaker.
var colonLabels = map[string]bool{
	"update": true, "note": true, "editor's": true, "watch": true, "read": true, "related": true,
	"photo": true, "photos": true, "video": true, "source": true, "sources": true, "listen": true,
	"correction": true, "disclosure": true, "see": true, "also": true, "more": true, "breaking": true,
	"ملاحظه": true, "المصدر": true, "تحديث": true, "اقرا": true, "شاهد": true, "فيديو": true,
	"صور": true, "عاجل": true, "تابع": true, "اضافه": true, "مصدر": true,
}

// colonHeadline reads the headline style "Erdogan: Turkey will not abandon
// Gaza" / "أردوغان: تركيا لن تتخلى عن غزة": a short name, a colon, a
// statement, at the start of a paragraph.
func (st *state) colonHeadline(s *sentence) {
	toks := s.toks
	if len(toks) < 5 || (s.s > 0 && st.text[s.s-1] != '\n') {
		return
	}
	c := -1
	for k := 0; k < len(toks) && k < 7; k++ {
		if toks[k].q >= 0 {
			return
		}
		if toks[k].norm == ":" {
			c = k
			break
		}
		if !toks[k].word && toks[k].norm != "." && toks[k].norm != "'" && toks[k].norm != "’" {
			return
		}
	}
	if c < 1 || c+1 >= len(toks) || !hasLetter(st.text[toks[c-1].s:toks[c-1].e]) {
		return
	}
	for k := 0; k < c; k++ {
		if colonLabels[strings.Trim(toks[k].norm, ".")] {
			return
		}
		if st.lang == document.LangArabic {
			if _, _, ok := arCueOf(toks[k].norm); ok {
				return
			}
		} else if _, ok := enCues[toks[k].norm]; ok {
			return
		}
	}
	if st.lang != document.LangArabic && !firstRuneUpper(st.text[toks[0].s:toks[0].e]) {
		return
	}
	if countWords(st.text[toks[c+1].s:s.e]) < 3 {
		return
	}
	ref := st.explicit(st.text[toks[0].s:toks[c-1].e], false)
	st.add(ref, toks[0].s, toks[c-1].e, toks[c].s, toks[c].e, ":", toks[c+1].s, s.e, "", false, s)
}

func (st *state) refOf(c document.Claim) speakerRef {
	for i := len(st.speakers) - 1; i >= 0; i-- {
		if st.speakers[i].surface == c.Speaker {
			return st.speakers[i]
		}
	}
	return speakerRef{surface: c.Speaker, id: c.SpeakerID, anonymous: c.Anonymous}
}

// lastSpeaker returns the speaker a pronoun or zero subject refers to,
// preferring one of the same grammatical gender when the verb shows it.
func (st *state) lastSpeaker(fem, genderKnown bool) (speakerRef, bool) {
	if len(st.speakers) == 0 {
		return speakerRef{}, false
	}
	if genderKnown {
		for i := len(st.speakers) - 1; i >= 0 && i >= len(st.speakers)-4; i-- {
			if st.speakers[i].fem == fem {
				return st.speakers[i], true
			}
		}
	}
	return st.speakers[len(st.speakers)-1], true
}

// explicit builds the speaker reference of a written-out speaker and
// remembers it for later pronouns.
func (st *state) explicit(surface string, fem bool) speakerRef {
	ref := speakerRef{surface: surface, fem: fem}
	ref.anonymous = isAnonymous(surface, st.lang)
	if !ref.anonymous && isAnaphoricSource(surface, st.lang) {
		// "المصدر", "the official": the anonymous source named before
		for i := len(st.speakers) - 1; i >= 0; i-- {
			if st.speakers[i].anonymous {
				ref.anonymous = true
				break
			}
		}
	}
	if st.x.opts.Resolver != nil && !ref.anonymous {
		if id, _, ok := st.x.opts.Resolver.ResolveSpeaker(surface, st.lang, st.published); ok {
			ref.id = id
		}
	}
	st.speakers = append(st.speakers, ref)
	return ref
}

// add records one claim. Spans are byte offsets; cs/ce the content.
func (st *state) add(ref speakerRef, ss, se, cueS, cueE int, cue string, cs, ce int, kind string, negative bool, s *sentence) bool {
	cs, ce = trimSpan(st.text, cs, ce)
	if ce <= cs || countWords(st.text[cs:ce]) == 0 {
		return false
	}
	for _, a := range st.out {
		if a.Claim.Start == cs && a.Claim.End == ce {
			return false
		}
	}
	if kind == "" {
		kind = "indirect"
		if qi := quoteCovering(st.quotes, cs, ce); qi >= 0 {
			kind = "direct"
		}
	}
	if kind == "direct" {
		if st.usedQuote == nil {
			st.usedQuote = map[int]bool{}
		}
		for i, q := range st.quotes {
			if q.is <= cs && ce <= q.ie {
				st.usedQuote[i] = true
			}
		}
	}
	c := document.Claim{
		DocID:     st.docID,
		SpeakerID: ref.id,
		Speaker:   ref.surface,
		Anonymous: ref.anonymous,
		Cue:       cue,
		Text:      st.text[cs:ce],
		Start:     cs,
		End:       ce,
		Kind:      kind,
		Lang:      st.lang,
		Date:      st.dateOf(s, cs, ce),
	}
	if c.Anonymous {
		c.SpeakerID = ""
	}
	if negative {
		c.Polarity = "negative"
	}
	c.ID = claimID(st.docID, cs, ce)
	st.out = append(st.out, Attribution{Claim: c, SpeakerStart: ss, SpeakerEnd: se, CueStart: cueS, CueEnd: cueE})
	return true
}

// quoteCovering returns the quote whose inside is exactly [cs,ce) (up to
// surrounding punctuation), or -1.
func quoteCovering(quotes []quote, cs, ce int) int {
	for i, q := range quotes {
		if q.is >= cs-1 && q.ie <= ce+1 && q.is <= cs+3 && q.ie >= ce-3 {
			return i
		}
	}
	return -1
}

func (st *state) finish() []Attribution {
	// text order; invalid UTF-8 in the input never leaks into a claim
	out := st.out[:0]
	for _, a := range st.out {
		if !utf8.ValidString(a.Claim.Text) {
			continue
		}
		a.Claim.Speaker = strings.ToValidUTF8(a.Claim.Speaker, "")
		a.Claim.Cue = strings.ToValidUTF8(a.Claim.Cue, "")
		out = append(out, a)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Claim.Start < out[j-1].Claim.Start; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func claimID(docID string, s, e int) string {
	sum := sha256.Sum256([]byte(docID + "\x00" + strconv.Itoa(s) + ":" + strconv.Itoa(e)))
	return hex.EncodeToString(sum[:10])
}

// trimSpan drops spaces and punctuation that only frame the content
// (separating commas, the sentence's final period), keeping quotation marks
// balanced by dropping them on both ends.
func trimSpan(text string, s, e int) (int, int) {
	if s < 0 {
		s = 0
	}
	if e > len(text) {
		e = len(text)
	}
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if unicode.IsSpace(r) || r == ',' || r == '،' || r == ':' || r == ';' || r == '؛' || r == '-' || r == '—' || r == '–' {
			s += n
			continue
		}
		break
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if unicode.IsSpace(r) || r == ',' || r == '،' || r == '.' || r == ':' || r == ';' || r == '؛' || r == '-' || r == '—' || r == '–' {
			e -= n
			continue
		}
		break
	}
	// a content that is exactly one quotation loses its marks
	if e-s > 4 && strings.HasPrefix(text[s:e], "''") && strings.HasSuffix(text[s:e], "''") && !strings.Contains(text[s+2:e-2], "''") {
		return trimSpan(text, s+2, e-2)
	}
	if e-s >= 2 {
		r1, n1 := utf8.DecodeRuneInString(text[s:e])
		r2, n2 := utf8.DecodeLastRuneInString(text[s:e])
		if c, ok := quotePairs[r1]; ok && c == r2 && e-s > n1+n2 && !strings.ContainsRune(text[s+n1:e-n2], r1) {
			return trimSpan(text, s+n1, e-n2)
		}
	}
	return s, e
}

func trimPunctEnd(text string, s, e int) int {
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if unicode.IsSpace(r) || r == '.' || r == '!' || r == '?' || r == '؟' {
			e -= n
			continue
		}
		break
	}
	return e
}
