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
	belief bool // weak, and never with the content before it
}

var enCues = map[string]cueEN{}

func init() {
	add := func(c cueEN, forms ...string) {
		for _, f := range forms {
			enCues[f] = c
		}
	}
	add(cueEN{}, "say", "says", "said", "stressed", "warn", "warns", "warned",
		"add", "adds", "added", "noted", "argue", "argues", "argued", "claimed", "insist", "insists", "insisted", "explain", "explains", "explained", "acknowledge",
		"acknowledges", "acknowledged", "announce", "announces", "announced", "declare", "declares",
		"declared", "write", "writes", "wrote", "tweet", "tweets", "tweeted", "reply", "replies",
		"replied", "respond", "responds", "responded", "suggest", "suggests", "suggested", "admit",
		"admits", "admitted", "agree", "agrees", "agreed", "confirm", "confirms", "confirmed", "reported", "predict", "predicts", "predicted", "emphasize", "emphasizes",
		"emphasized", "contend", "contends", "contended", "assert", "asserts", "asserted", "allege",
		"alleges", "alleged", "complain", "complains", "complained", "promised",
		"vowed", "pledged", "stated", "testify",
		"testified", "repeated", "observe", "observes", "observed", "recall", "recalls",
		"recalled", "conclude", "concludes", "concluded", "maintain", "maintains", "maintained",
		"reiterate", "reiterates", "reiterated", "concede", "concedes", "conceded", "charged",
		"boasted", "joked", "quipped", "posted", "demanded", "proposed", "cautioned")
	add(cueEN{neg: true}, "deny", "denies", "denied")
	add(cueEN{neg: true, gerund: true}, "denying")
	add(cueEN{object: true}, "tell", "tells", "told", "urge", "urges", "urged", "remind", "reminds",
		"reminded", "assure", "assures", "assured", "inform", "informed", "informs", "ask", "asks", "asked")
	add(cueEN{object: true, gerund: true}, "telling", "urging", "reminding", "asking")
	add(cueEN{gerund: true}, "saying", "adding", "noting", "arguing", "stressing", "warning",
		"claiming", "insisting", "explaining", "writing", "suggesting", "declaring", "calling",
		"acknowledging", "emphasizing", "predicting", "promising", "vowing", "tweeting")
	add(cueEN{weak: true}, "continued")
	// forms that are also nouns count only with a that-clause or a quotation
	add(cueEN{weak: true, belief: true}, "notes", "claims", "reports", "promises", "states", "stresses",
		"warns", "demands", "vows", "pledges", "charges", "jokes", "insists", "argues", "concludes")
	// belief, knowledge and evidence verbs count only with a that-clause or
	// a quotation: "polls show that …", "he believes that …"
	add(cueEN{weak: true, belief: true}, "think", "thinks", "thought", "believe", "believes", "believed", "know",
		"knows", "knew", "hope", "hopes", "hoped", "fear", "fears", "feared", "expect", "expects",
		"expected", "feel", "feels", "felt", "worry", "worries", "worried", "find", "finds", "found",
		"show", "shows", "showed", "shown", "indicate", "indicates", "indicated", "estimate",
		"estimates", "estimated", "recognize", "recognizes", "recognized", "realize", "realized",
		"understand", "understands", "reveal", "reveals", "revealed", "mention", "mentioned", "signal",
		"signaled", "signals", "hint", "hinted", "conceded", "concede", "predict", "learned", "heard",
		"read", "insist", "guess", "figure", "figured", "assume", "assumed", "doubt", "doubts",
		"doubted", "suspect", "suspects", "suspected", "contend", "imply", "implied", "implies")
}

// words that end a speaker noun phrase when walking left from the cue.
var enStop = map[string]bool{
	"that": true, "and": true, "but": true, "while": true, "because": true, "as": true,
	"when": true, "which": true, "if": true, "after": true, "before": true, "since": true,
	"where": true, "so": true, "than": true, "or": true, "what": true, "though": true,
	"although": true, "whom": true, "whether": true, "how": true, "why": true, "to": true, "is": true,
	"was": true, "are": true, "were": true, "be": true, "been": true, "not": true, "it's": true,
	"yet": true, "once": true, "until": true, "unless": true, "even": true, "then": true, "said": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true, "yesterday": true, "today": true, "tonight": true, "earlier": true, "later": true,
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
			continue
		}
		// "Trump called Clinton “crooked”": naming with a quotation
		if t.norm == "call" || t.norm == "calls" || t.norm == "called" {
			for q := i + 1; q < len(toks) && q < i+9; q++ {
				if isQuoteOpen(st, toks[q]) {
					cues = append(cues, pending{i, i})
					break
				}
				if !toks[q].word && toks[q].norm != "," && toks[q].norm != "'" && toks[q].norm != "’" {
					break
				}
			}
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
	if firstRuneUpper(st.text[toks[ci].s:toks[ci].e]) {
		return // headlines ("Clinton Calls …") and "Asked whether …"
	}
	info := enCues[word]
	naming := false
	if strings.HasPrefix(word, "call") {
		info = cueEN{gerund: word == "calling", object: toks[cj].norm == "on"}
		naming = ci == cj
	}
	cue := st.tokText(toks, ci, cj)
	// left speaker
	coordinated := false
	k := ci - 1
	for k >= 0 && toks[k].word && toks[k].q < 0 && (enAux[toks[k].norm] || isLyAdverb(toks[k].norm)) {
		k--
	}
	spS, spE := -1, -1
	switch {
	case info.gerund:
	case k > 0 && (toks[k].norm == "and" || toks[k].norm == "but"):
		// "Wilson praised Rubio and said …": the subject of the sentence
		coordinated = true
	case k >= 0 && toks[k].word && toks[k].q < 0:
		end := k
		for k >= 0 && toks[k].word && toks[k].q < 0 && !enStop[toks[k].norm] && end-k < 10 {
			if enPronoun[toks[k].norm] && k < end {
				break
			}
			k--
		}
		if k+1 <= end && validSpeakerEN(toks[k+1:end+1]) {
			spS, spE = k+1, end
		} else if k+1 <= end {
			return // "respectfully declined", "In a …": not a speaker
		}
	case k > 0 && toks[k].norm == "," && toks[k-1].q < 0 && !isQuoteClose(st, toks[k-1]):
		spS, spE = st.enAppositive(toks, k)
	}
	// inversion: `"…," said Trump` / `…, said a spokesman`
	inverted := false
	after := cj + 1
	if spS < 0 && !info.gerund && (ci == 0 || !toks[ci-1].word) {
		a := cj + 1
		b := a
		for b < len(toks) && toks[b].word && toks[b].q < 0 && !enStop[toks[b].norm] && b-a < 8 && !enPrepStart[toks[b].norm] {
			b++
		}
		if b > a && (b == len(toks) || !toks[b].word) {
			spS, spE = a, b-1
			inverted = true
			after = b
		}
	}
	// who is the speaker
	var ref speakerRef
	spStart, spEnd := -1, -1
	switch {
	case spS >= 0:
		spStart, spEnd = toks[spS].s, toks[spE].e
		surface := st.text[spStart:spEnd]
		low := strings.ToLower(surface)
		haveRef := false
		if enPronoun[low] {
			if low == "who" {
				ref, haveRef = st.enBeforeWho(toks, spS)
			} else {
				ref, haveRef = st.lastSpeaker(false, false)
			}
		}
		if !haveRef {
			if low == "i" || low == "we" || low == "you" || enPronoun[low] {
				ref = speakerRef{surface: surface}
			} else {
				ref = st.explicit(surface, false)
			}
		}
	case info.gerund || coordinated:
		r, a, b, ok := st.sentenceSpeakerEN(s, ci)
		if !ok {
			return
		}
		ref = r
		if a >= 0 {
			spStart, spEnd = toks[a].s, toks[b].e
		}
	default:
		return
	}
	// "Acts of protest, Mr. Obama said, are acts of patriotism": the
	// reporting clause sits inside its content, which is the sentence
	if !info.gerund && spS > 1 && toks[spS-1].norm == "," && toks[spS-2].word && toks[spS-2].q < 0 &&
		cj+2 < len(toks) && toks[cj+1].norm == "," && toks[cj+2].word && toks[cj+2].q < 0 && !enStop[toks[cj+2].norm] {
		st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, s.s, s.e, "indirect", info.neg, s)
		return
	}
	if naming {
		// the named thing and the quoted name: from the object to the quote's end
		for q := cj + 1; q < len(toks); q++ {
			if isQuoteOpen(st, toks[q]) {
				if qi := quoteStartingAt(st.quotes, toks[q].s); qi >= 0 && spS >= 0 {
					st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, toks[cj+1].s, st.quotes[qi].e, "indirect", false, s)
				}
				return
			}
		}
		return
	}
	// content after the cue
	p := after
	if info.object && !inverted {
		// the addressee: "told reporters", "told CNN's Jake Tapper", "urged him"
		q := p
		for q < len(toks) && q < p+6 && toks[q].word && toks[q].q < 0 &&
			(firstRuneUpper(st.text[toks[q].s:toks[q].e]) || enObject[toks[q].norm] ||
				q == p && enObjectPronoun[toks[q].norm]) {
			q++
		}
		p = q
	}
	adjunct := false
	if p < len(toks) && enPrepStart[toks[p].norm] {
		adjunct = true
		for q := p; q < len(toks) && q < p+12; q++ {
			t := toks[q]
			if t.norm == "that" || t.norm == ":" || t.norm == "," || isQuoteOpen(st, t) {
				p = q
				adjunct = false
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
	contentAfter := !adjunct && p < len(toks) && toks[p].s < cEnd && countWords(st.text[toks[p].s:cEnd]) > 0
	if next == p {
		contentAfter = false // `"…," she said, adding that …`
	}
	explicitClause := contentAfter && (isQuoteOpen(st, toks[p]) || (p > 0 && (toks[p-1].norm == ":" || toks[p-1].norm == "that")))
	if info.weak && !explicitClause {
		if contentAfter || info.belief {
			return // belief verbs and "continued" need an explicit clause or quotation
		}
	}
	if !inverted && contentAfter {
		// `"…," Witkoff said, "…"`: the quotation before counts too
		if isQuoteOpen(st, toks[p]) && spS >= 0 && spS < ci {
			e := spS
			for e > 0 && !toks[e-1].word && toks[e-1].q < 0 && !isQuoteClose(st, toks[e-1]) {
				e--
			}
			if e > 0 && isQuoteClose(st, toks[e-1]) {
				if qi := quoteEndingAt(st.quotes, toks[e-1].e); qi >= 0 {
					st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, st.quotes[qi].s, st.quotes[qi].e, "", info.neg, s)
				}
			}
		}
		cs := toks[p].s
		ce := cEnd
		if qi := quoteStartingAt(st.quotes, cs); qi >= 0 {
			// a quotation right after the cue is the content
			q := st.quotes[qi]
			if q.e >= ce-2 || q.words >= 3 {
				ce = q.e
			}
		}
		st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, cs, ce, "", info.neg, s)
		return
	}
	if info.gerund {
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
	if st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, cs, ce, "", info.neg, s) {
		// `"…," he said, "…"` continues after the speaker
		q := after
		if !inverted && spE >= cj {
			q = spE + 1
		}
		for q < len(toks) && (toks[q].norm == "," || toks[q].norm == ":" || toks[q].word && enPrepStart[toks[q].norm] && false) {
			q++
		}
		if q < len(toks) && isQuoteOpen(st, toks[q]) {
			if qi := quoteStartingAt(st.quotes, toks[q].s); qi >= 0 {
				st.add(ref, spStart, spEnd, toks[ci].s, toks[cj].e, cue, st.quotes[qi].s, st.quotes[qi].e, "", info.neg, s)
			}
		}
	}
}

var enFunctionEdge = map[string]bool{
	"the": true, "a": true, "an": true, "in": true, "of": true, "to": true, "for": true, "with": true,
	"by": true, "at": true, "on": true, "from": true, "as": true, "than": true, "after": true,
	"about": true, "into": true, "over": true, "under": true, "like": true, "his": true, "her": true,
	"their": true, "its": true, "this": true, "these": true, "those": true, "such": true,
	"don't": true, "doesn't": true, "didn't": true, "won't": true, "can't": true,
}

// validSpeakerEN rejects noun-less left contexts: a speaker does not end
// with an article or preposition, start with a preposition or a gerund, or
// hold a negated auxiliary.
func validSpeakerEN(ts []token) bool {
	if len(ts) == 0 {
		return false
	}
	first, last := ts[0].norm, ts[len(ts)-1].norm
	if enFunctionEdge[last] {
		return false
	}
	switch first {
	case "in", "of", "to", "for", "with", "by", "at", "on", "from", "as", "than", "after", "about", "into", "over", "under":
		return false
	}
	if strings.HasSuffix(first, "ing") && len(ts) <= 3 && !firstRuneUpper(first) {
		return false
	}
	for _, t := range ts {
		if strings.HasSuffix(t.norm, "n't") {
			return false
		}
	}
	return hasLetter(first + last)
}

var notAdverb = map[string]bool{"family": true, "ally": true, "assembly": true, "july": true, "italy": true,
	"rally": true, "supply": true, "reply": true, "belly": true, "bully": true, "daily": true, "weekly": true,
	"monthly": true, "kelly": true, "only": true, "holly": true, "sally": true, "emily": true, "early": true}

func isLyAdverb(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ly") && !notAdverb[w]
}

// words that may make up the addressee of told/urged/asked.
var enObject = map[string]bool{
	"reporters": true, "the": true,
	"a": true, "an": true, "journalists": true, "supporters": true, "voters": true, "crowd": true,
	"audience": true, "lawmakers": true, "congress": true, "senators": true, "members": true,
	"listeners": true, "viewers": true,
	"interviewer": true, "host": true, "radio": true, "television": true, "newspaper": true,
	"people": true, "everyone": true, "attendees": true, "donors": true, "students": true, "on": true,
}

// object pronouns, only right after the verb ("told her that").
var enObjectPronoun = map[string]bool{"him": true, "her": true, "them": true, "us": true, "me": true, "you": true}

// enAppositive reads "Purcell, a Republican, said": the speaker runs from
// the start of the clause up to the comma at k; leading adverbial phrases
// ("Still,", "In a statement,") and trailing circumstantial ones
// ("…, in a brief interview on Saturday,") are left out.
func (st *state) enAppositive(toks []token, k int) (int, int) {
	b := k - 1
	for b >= 0 && k-b < 45 {
		t := toks[b]
		if t.q >= 0 || isQuoteClose(st, t) || t.norm == ";" || t.norm == ":" || t.norm == "." {
			break
		}
		if t.word && (t.norm == "that" || t.norm == "because" || t.norm == "while" || t.norm == "if" || t.norm == "although" || t.norm == "though" || t.norm == "whether") {
			break
		}
		b--
	}
	// segments between commas
	type seg struct{ a, z int }
	var segs []seg
	a := b + 1
	for i := b + 1; i <= k; i++ {
		if toks[i].norm == "," || i == k {
			if i > a {
				segs = append(segs, seg{a, i - 1})
			}
			a = i + 1
		}
	}
	for len(segs) > 0 && enLeadAdverbial[toks[segs[0].a].norm] {
		segs = segs[1:]
	}
	for len(segs) > 1 && enPrepStart[toks[segs[len(segs)-1].a].norm] {
		segs = segs[:len(segs)-1]
	}
	if len(segs) == 0 {
		return -1, -1
	}
	first, last := segs[0].a, segs[len(segs)-1].z
	if !toks[first].word || !hasLetter(st.tokText(toks, first, last)) {
		return -1, -1
	}
	return first, last
}

var enLeadAdverbial = map[string]bool{
	"in": true, "on": true, "at": true, "after": true, "before": true, "during": true, "still": true,
	"meanwhile": true, "however": true, "instead": true, "later": true, "now": true, "yet": true,
	"but": true, "and": true, "also": true, "separately": true, "earlier": true, "last": true,
	"for": true, "with": true, "from": true, "speaking": true, "asked": true, "then": true,
	"indeed": true, "overall": true, "similarly": true, "today": true, "yesterday": true, "since": true,
	"as": true, "when": true, "by": true, "under": true, "over": true, "of": true, "like": true,
	"unlike": true, "despite": true, "although": true, "so": true, "thus": true, "moreover": true,
	"furthermore": true, "nonetheless": true, "nevertheless": true, "still,": true, "again": true,
}

// sentenceSpeakerEN finds who speaks in a participle clause ("…, adding
// that …"): the speaker of an earlier claim of the sentence, else the
// sentence's subject when it is a name or a pronoun ("Trump attacked
// Clinton, saying …"), else the last speaker of the article. a and b are the
// tokens of the subject when it is written in the sentence, else -1.
func (st *state) sentenceSpeakerEN(s *sentence, ci int) (speakerRef, int, int, bool) {
	for i := len(st.out) - 1; i >= 0; i-- {
		at := st.out[i]
		if at.Claim.Start >= s.s && at.CueStart < s.toks[ci].s {
			return st.refOf(at.Claim), -1, -1, true
		}
		if at.Claim.Start < s.s {
			break
		}
	}
	toks := s.toks
	a := 0
	for a < ci && !toks[a].word {
		a++
	}
	b := a
	for b < ci && toks[b].word && toks[b].q < 0 && (firstRuneUpper(st.text[toks[b].s:toks[b].e]) ||
		b > a && (toks[b].norm == "of" || toks[b].norm == "the")) && b-a < 6 {
		b++
	}
	if b > a && b < ci && enLeadAdverbial[toks[a].norm] {
		b = a // "In a statement, …"
	}
	if b > a && b < ci {
		surface := st.tokText(toks, a, b-1)
		low := strings.ToLower(surface)
		switch {
		case low == "he" || low == "she" || low == "they":
			if r, ok := st.lastSpeaker(false, false); ok {
				return r, a, b - 1, true
			}
		case low == "i" || low == "we" || low == "it" || low == "but" || low == "and" || low == "the":
		default:
			return st.explicit(surface, false), a, b - 1, true
		}
	}
	r, ok := st.lastSpeaker(false, false)
	return r, -1, -1, ok
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
	cs, ce, ok := st.contentBefore(s, ci)
	if !ok {
		return
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

// isAnaphoricSource reports a definite description that points back to a
// source ("المصدر ذاته", "the official").
func isAnaphoricSource(surface, lang string) bool {
	if lang == "ar" {
		ws := strings.Fields(normAR(surface))
		if len(ws) == 0 || len(ws) > 3 || !strings.HasPrefix(ws[0], "ال") {
			return false
		}
		return arAnonFirst[strings.TrimPrefix(ws[0], "ال")]
	}
	ws := strings.Fields(strings.ToLower(surface))
	if len(ws) < 2 || len(ws) > 3 || ws[0] != "the" {
		return false
	}
	return enAnonHead[ws[1]] || strings.HasPrefix(ws[1], "official") || ws[1] == "source" || ws[1] == "aide" || ws[1] == "diplomat"
}

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
				return len(ws) == 1 || len(ws) <= 4 && !strings.HasPrefix(ws[1], "ال")
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
	// "Egyptian officials", "senior Hamas sources": a group described, not named
	switch strings.Trim(ws[len(ws)-1], ",.") {
	case "officials", "sources", "diplomats", "aides", "insiders", "negotiators":
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
