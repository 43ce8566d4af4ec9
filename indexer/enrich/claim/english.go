package claim

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cueEN describes an English reporting verb form.
type cueEN struct {
	gerund bool // saying, adding: the subject is the clause's speaker
	neg    bool // denials
	object bool // takes an addressee before its content (told reporters that)
	weak   bool // only with a colon, a quotation or "that" after it
}

var enCues = map[string]cueEN{}

func init() {
	add := func(c cueEN, forms ...string) {
		for _, f := range forms {
			enCues[f] = c
		}
	}
	add(cueEN{}, "say", "says", "said", "stress", "stresses", "stressed", "warn", "warns", "warned",
		"add", "adds", "added", "note", "notes", "noted", "argue", "argues", "argued", "claim", "claims",
		"claimed", "insist", "insists", "insisted", "explain", "explains", "explained", "acknowledge",
		"acknowledges", "acknowledged", "announce", "announces", "announced", "declare", "declares",
		"declared", "write", "writes", "wrote", "tweet", "tweets", "tweeted", "reply", "replies",
		"replied", "respond", "responds", "responded", "suggest", "suggests", "suggested", "admit",
		"admits", "admitted", "agree", "agrees", "agreed", "confirm", "confirms", "confirmed", "report",
		"reports", "reported", "predict", "predicts", "predicted", "emphasize", "emphasizes",
		"emphasized", "contend", "contends", "contended", "assert", "asserts", "asserted", "allege",
		"alleges", "alleged", "complain", "complains", "complained", "promise", "promises", "promised",
		"vow", "vows", "vowed", "pledge", "pledges", "pledged", "state", "stated", "testify",
		"testified", "repeat", "repeated", "observe", "observes", "observed", "recall", "recalls",
		"recalled", "conclude", "concludes", "concluded", "maintain", "maintains", "maintained",
		"reiterate", "reiterates", "reiterated", "concede", "concedes", "conceded", "charge", "charged",
		"boast", "boasted", "boasts", "joke", "joked", "jokes", "quip", "quipped", "posted", "posts",
		"demand", "demands", "demanded", "propose", "proposed", "proposes", "caution", "cautioned")
	add(cueEN{neg: true}, "deny", "denies", "denied")
	add(cueEN{neg: true, gerund: true}, "denying")
	add(cueEN{object: true}, "tell", "tells", "told", "urge", "urges", "urged", "remind", "reminds",
		"reminded", "assure", "assures", "assured", "inform", "informed", "informs", "ask", "asks", "asked")
	add(cueEN{object: true, gerund: true}, "telling", "urging", "reminding", "asking")
	add(cueEN{gerund: true}, "saying", "adding", "noting", "arguing", "stressing", "warning",
		"claiming", "insisting", "explaining", "writing", "suggesting", "declaring", "calling",
		"acknowledging", "emphasizing", "predicting", "promising", "vowing", "tweeting")
	add(cueEN{weak: true}, "continue", "continues", "continued", "explain")
}

// words that end a speaker noun phrase when walking left from the cue.
var enStop = map[string]bool{
	"that": true, "and": true, "but": true, "while": true, "because": true, "as": true,
	"when": true, "which": true, "if": true, "after": true, "before": true, "since": true,
	"where": true, "so": true, "than": true, "or": true, "what": true, "though": true,
	"although": true, "whom": true, "whether": true, "how": true, "why": true, "to": true, "is": true,
	"was": true, "are": true, "were": true, "be": true, "been": true, "not": true, "it's": true,
	"yet": true, "once": true, "until": true, "unless": true, "even": true, "then": true, "said": true,
	"says": true, "say": true, "told": true, "there": true, "here": true,
}

// adverbs and auxiliaries between a speaker and a cue ("has also said").
var enAux = map[string]bool{
	"has": true, "have": true, "had": true, "also": true, "later": true, "previously": true,
	"repeatedly": true, "would": true, "will": true, "recently": true, "then": true, "reportedly": true,
	"publicly": true, "privately": true, "did": true, "does": true, "do": true, "often": true,
	"once": true, "again": true, "already": true, "first": true, "further": true, "frequently": true,
	"since": true, "earlier": true, "just": true, "flatly": true, "quickly": true, "simply": true,
	"could": true, "might": true, "may": true, "can": true, "should": true, "must": true, "famously": true,
	"explicitly": true, "openly": true, "falsely": true, "correctly": true, "wrongly": true, "never": true,
	"not": true, "always": true, "still": true, "has't": true, "reportedly'": true, "even": true,
	"immediately": true, "initially": true, "ultimately": true, "finally": true, "subsequently": true,
}

var enPronoun = map[string]bool{"he": true, "she": true, "they": true, "it": true, "who": true}

// prepositions that may separate a cue from its "that" ("said in a statement that").
var enPrepStart = map[string]bool{
	"in": true, "on": true, "at": true, "to": true, "during": true, "after": true, "before": true,
	"from": true, "via": true, "last": true, "this": true, "earlier": true, "yesterday": true,
	"today": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "late": true, "recently": true, "repeatedly": true, "also": true,
	"privately": true, "publicly": true, "again": true, "later": true, "flatly": true, "for": true,
	"with": true, "while": true, "about": true, "of": true, "over": true, "then": true, "under": true,
}

func (st *state) englishSentence(s *sentence) {
	toks := s.toks
	type pending struct{ i, j int }
	var cues []pending
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.word || t.q >= 0 {
			continue
		}
		if t.norm == "according" && i+1 < len(toks) && toks[i+1].norm == "to" {
			cues = append(cues, pending{i, i + 1})
			i++
			continue
		}
		if (t.norm == "call" || t.norm == "calls" || t.norm == "called" || t.norm == "calling") &&
			i+1 < len(toks) && toks[i+1].norm == "for" {
			cues = append(cues, pending{i, i + 1})
			i++
			continue
		}
		if _, ok := enCues[t.norm]; ok {
			if t.norm == "calling" {
				continue
			}
			cues = append(cues, pending{i, i})
		}
	}
	for k, c := range cues {
		next := len(toks)
		if k+1 < len(cues) {
			next = cues[k+1].i
		}
		if toks[c.i].norm == "according" {
			st.enAccording(s, c.i, c.j)
			continue
		}
		st.enCue(s, c.i, c.j, next)
	}
}

func (st *state) tokText(toks []token, a, b int) string { // inclusive token range
	return st.text[toks[a].s:toks[b].e]
}

// enCue handles one reporting verb at tokens [ci,cj]; next is the token
// index of the following cue in the sentence.
func (st *state) enCue(s *sentence, ci, cj, next int) {
	toks := s.toks
	word := toks[ci].norm
	info := enCues[word]
	if strings.HasPrefix(word, "call") {
		info = cueEN{gerund: word == "calling"}
	}
	// left speaker
	k := ci - 1
	for k >= 0 && toks[k].word && toks[k].q < 0 && enAux[toks[k].norm] {
		k--
	}
	end := k
	for k >= 0 && toks[k].word && toks[k].q < 0 && !enStop[toks[k].norm] && end-k < 10 {
		if enPronoun[toks[k].norm] && k < end {
			break
		}
		k--
	}
	// keep "who" itself as the source mention (PolNeAR style) but resolve it.
	if k >= 0 && toks[k].norm == "who" && k == end {
		k--
	}
	spS, spE := k+1, end
	if toks[ci].e == 0 {
		return
	}
	cue := st.tokText(toks, ci, cj)
	neg := info.neg
	if info.gerund {
		spS, spE = -1, -1
	}
	if spS <= spE && spS >= 0 {
		// a speaker must hold a noun-like word
		if !hasLetter(st.tokText(toks, spS, spE)) {
			spS, spE = -1, -1
		}
	}
	// inversion: `"…," said Trump` / `…, said a spokesman`
	inverted := false
	after := cj + 1
	if (spS < 0 || spS > spE) && !info.gerund {
		a := cj + 1
		b := a
		for b < len(toks) && toks[b].word && toks[b].q < 0 && !enStop[toks[b].norm] && b-a < 8 && toks[b].norm != "in" && toks[b].norm != "on" {
			b++
		}
		prevOK := ci == 0 || !toks[ci-1].word
		if b > a && prevOK {
			spS, spE = a, b-1
			inverted = true
			after = b
		} else {
			spS, spE = -1, -1
		}
	}
	// who is the speaker
	var ref speakerRef
	haveRef := false
	spStart, spEnd := -1, -1
	if spS >= 0 && spS <= spE {
		spStart, spEnd = toks[spS].s, toks[spE].e
		surface := st.text[spStart:spEnd]
		low := strings.ToLower(surface)
		if enPronoun[low] {
			if low == "who" {
				// the noun phrase before ", who"
				if r, ok := st.enBeforeWho(toks, spS); ok {
					ref, haveRef = r, true
				}
			} else if r, ok := st.lastSpeaker(false, false); ok {
				ref, haveRef = r, true
			}
			if !haveRef {
				ref = st.explicit(surface, false)
				haveRef = true
			}
		} else if low == "i" || low == "we" || low == "you" {
			ref = speakerRef{surface: surface}
			haveRef = true
		} else {
			ref = st.explicit(surface, false)
			haveRef = true
		}
	} else if info.gerund {
		// the speaker of this clause: the last claim of the sentence, or the last speaker
		if r, ok := st.lastSpeaker(false, false); ok {
			ref, haveRef = r, true
		}
	}
	if !haveRef {
		return
	}
	// content after the cue
	p := after
	if info.object && !inverted {
		// skip the addressee up to "that", a colon or a quotation
		for q := p; q < len(toks) && q < p+8; q++ {
			t := toks[q]
			if t.norm == "that" || t.norm == ":" || isQuoteOpen(st, t) {
				p = q
				break
			}
			if t.norm == "." {
				break
			}
		}
	}
	if p < len(toks) && enPrepStart[toks[p].norm] {
		for q := p; q < len(toks) && q < p+9; q++ {
			t := toks[q]
			if t.norm == "that" || t.norm == ":" || t.norm == "," || isQuoteOpen(st, t) {
				p = q
				break
			}
		}
	}
	for p < len(toks) && (toks[p].norm == "," || toks[p].norm == ":" || toks[p].norm == "that") {
		p++
	}
	cEnd := s.e
	if next < len(toks) && next > p {
		ni := toks[next].norm
		if c, ok := enCues[ni]; ok && c.gerund || ni == "according" {
			// "…, adding that" ends this content
			e := next
			for e > p && !toks[e-1].word {
				e--
			}
			cEnd = toks[e-1].e
		}
	}
	contentAfter := p < len(toks) && toks[p].s < cEnd && countWords(st.text[toks[p].s:cEnd]) > 0
	if info.weak && contentAfter && !(isQuoteOpen(st, toks[p]) || (p > 0 && (toks[p-1].norm == ":" || toks[p-1].norm == "that"))) {
		contentAfter = false
	}
	if !inverted && contentAfter {
		cs := toks[p].s
		ce := cEnd
		if qi := quoteStartingAt(st.quotes, cs); qi >= 0 {
			// a quotation right after the cue is the content
			q := st.quotes[qi]
			if q.e >= ce-2 || q.words >= 3 {
				ce = q.e
			}
		}
		st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, cs, ce, "", neg, s)
		return
	}
	// content before the speaker: "…," Trump said / …, said Trump
	first := spS
	if first < 0 || first > ci {
		first = ci
	}
	e := first
	for e > 0 && !toks[e-1].word && toks[e-1].q < 0 && !isQuoteClose(st, toks[e-1]) {
		e--
	}
	if e == 0 {
		return
	}
	ce := toks[e-1].e
	var cs int
	if qi := quoteEndingAt(st.quotes, ce); qi >= 0 {
		cs = st.quotes[qi].s
	} else {
		cs = s.s
		// start after an earlier claim in the same sentence
		for _, a := range st.out {
			if a.Claim.End <= ce && a.Claim.End > cs && a.Claim.Start >= s.s {
				cs = a.Claim.End
			}
		}
	}
	if st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, cs, ce, "", neg, s) {
		// `"…," he said, "…"` continues after the speaker
		q := after
		if !inverted && spE >= cj {
			q = spE + 1
		}
		for q < len(toks) && (toks[q].norm == "," || toks[q].norm == ":") {
			q++
		}
		if q < len(toks) && isQuoteOpen(st, toks[q]) {
			if qi := quoteStartingAt(st.quotes, toks[q].s); qi >= 0 {
				st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, st.quotes[qi].s, st.quotes[qi].e, "", neg, s)
			}
		}
	}
}

// enBeforeWho resolves "X, who said" to X.
func (st *state) enBeforeWho(toks []token, who int) (speakerRef, bool) {
	k := who - 1
	if k < 0 || toks[k].norm != "," {
		return speakerRef{}, false
	}
	e := k - 1
	b := e
	for b >= 0 && toks[b].word && !enStop[toks[b].norm] && e-b < 8 {
		b--
	}
	if b+1 > e {
		return speakerRef{}, false
	}
	return st.explicit(st.tokText(toks, b+1, e), false), true
}

// enAccording handles "according to X, …" and "…, according to X".
func (st *state) enAccording(s *sentence, ci, cj int) {
	toks := s.toks
	a := cj + 1
	b := a
	for b < len(toks) && toks[b].q < 0 && toks[b].norm != "," && toks[b].norm != "." && toks[b].norm != ";" && b-a < 12 && !isQuoteOpen(st, toks[b]) {
		b++
	}
	if b == a {
		return
	}
	spS, spE := toks[a].s, toks[b-1].e
	ref := st.explicit(st.text[spS:spE], false)
	cue := st.tokText(toks, ci, cj)
	// sentence-initial: the content follows the comma
	initial := true
	for k := 0; k < ci; k++ {
		if toks[k].word && toks[k].norm != "but" && toks[k].norm != "and" && toks[k].norm != "yet" {
			initial = false
			break
		}
	}
	if initial {
		if b < len(toks) && toks[b].norm == "," && b+1 < len(toks) {
			st.add(ref, spS, spE, toks[ci].s, toks[cj].e, cue, toks[b+1].s, s.e, "", false, s)
		}
		return
	}
	e := ci
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
	st.add(ref, spS, spE, toks[ci].s, toks[cj].e, cue, cs, ce, "", false, s)
}

func isQuoteOpen(st *state, t token) bool {
	if t.word {
		return false
	}
	return quoteStartingAt(st.quotes, t.s) >= 0
}

func isQuoteClose(st *state, t token) bool {
	if t.word {
		return false
	}
	return quoteEndingAt(st.quotes, t.e) >= 0
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// anonymous source descriptions: "a senior Egyptian official", "sources
// familiar with the talks", "مصادر مطلعة", "مسؤول مصري رفيع".
var (
	enAnonFirst = map[string]bool{"a": true, "an": true, "one": true, "two": true, "three": true,
		"four": true, "several": true, "some": true, "other": true, "unnamed": true, "multiple": true,
		"many": true, "senior": true, "anonymous": true}
	enAnonHead = map[string]bool{"sources": true, "source": true, "officials": true, "aides": true,
		"diplomats": true, "people": true, "advisers": true, "insiders": true, "analysts": true,
		"observers": true, "experts": true, "witnesses": true, "residents": true}
	enArtifact = []string{"statement", "report", "poll", "survey", "study", "letter", "memo",
		"filing", "communique", "communiqué", "document", "release", "analysis", "article", "post"}
	arAnonFirst = map[string]bool{"مصدر": true, "مصادر": true, "مصدران": true, "مسؤول": true,
		"مسؤولون": true, "مسؤولين": true, "مسؤولان": true, "مسؤولة": true, "دبلوماسي": true,
		"دبلوماسيون": true, "دبلوماسيين": true, "شهود": true, "مراقبون": true, "اوساط": true,
		"محللون": true, "خبراء": true, "جهات": true, "مقربون": true, "مصادرنا": true, "عضو": true,
		"قيادي": true, "قياديون": true, "مسؤولو": true, "شخص": true, "اشخاص": true}
)

func isAnonymous(surface, lang string) bool {
	if lang == "ar" {
		ws := strings.Fields(normAR(surface))
		if len(ws) == 0 {
			return false
		}
		w := ws[0]
		if arAnonFirst[w] {
			// "عضو المكتب السياسي لحماس باسم نعيم" is named: look for a name
			// after a definite description only when the first word is عضو/قيادي
			if w == "عضو" || w == "قيادي" {
				return len(ws) <= 4 && !strings.HasPrefix(ws[1], "ال")
			}
			return true
		}
		return false
	}
	low := strings.ToLower(surface)
	for _, a := range enArtifact {
		if strings.Contains(low, a) {
			return false
		}
	}
	ws := strings.Fields(low)
	if len(ws) == 0 {
		return false
	}
	if enAnonHead[ws[0]] {
		return true
	}
	if !enAnonFirst[ws[0]] || len(ws) < 2 {
		return false
	}
	for _, w := range ws[1:] {
		w = strings.Trim(w, ",.")
		if enAnonHead[w] || strings.HasPrefix(w, "official") || w == "source" || w == "aide" ||
			w == "diplomat" || w == "person" || w == "spokesman" || w == "spokeswoman" || w == "spokesperson" ||
			w == "adviser" || w == "advisor" || w == "negotiator" || w == "member" || w == "insider" {
			return true
		}
	}
	return false
}

func firstRuneUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
