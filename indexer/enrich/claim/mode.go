package claim

import (
	"strings"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Modes of a claim (document.Claim.Mode): what its cue attributes.
const (
	ModeSpeech    = "speech"
	ModeBelief    = "belief"
	ModeIntention = "intention"
	ModeEvidence  = "evidence"
)

// modeStems map the start of a cue's words to a mode other than speech.
// PolNeAR, and so the learned English model, reads beliefs, intentions
// and evidence as attributions too; the product keeps them but says so,
// so that "who said what" is not answered with "who wanted what".
var modeStems = map[string][]string{
	ModeBelief: {"believ", "think", "thought", "expect", "fear", "hope", "doubt", "suspect", "assum", "consider",
		"feel", "felt", "worr", "convinc", "skeptic", "sceptic", "confident", "view", "opinion", "belief", "predict", "anticipat"},
	ModeIntention: {"want", "plan", "intend", "seek", "sought", "aim", "wish", "vow", "determin", "pursu"},
	ModeEvidence: {"show", "found", "find", "suggest", "indicat", "reveal", "data", "poll", "survey", "study", "record",
		"document", "evidence", "estimat"},
}

// arabicModeStems are the same for Arabic cues (normalised, clitics
// left on: the cue is the verb as written).
var arabicModeStems = map[string][]string{
	ModeBelief:    {"يعتقد", "تعتقد", "اعتقد", "يري", "تري", "رأي", "راي", "يتوقع", "تتوقع", "توقع", "يخشي", "تخشي", "يامل", "تامل", "يظن", "تظن"},
	ModeIntention: {"يريد", "تريد", "اراد", "ارادت", "يسعي", "تسعي", "يعتزم", "تعتزم", "اعتزم", "ينوي", "تنوي"},
	ModeEvidence:  {"اظهر", "اظهرت", "تظهر", "يظهر", "بينت", "تبين", "كشفت بيانات", "تشير البيانات"},
}

// ModeOf returns the mode a cue attributes: speech unless the cue is a
// verb or noun of believing, intending or showing.
func ModeOf(cue, lang string) string {
	c := strings.TrimSpace(cue)
	if c == "" {
		return ModeSpeech
	}
	if lang == document.LangArabic {
		c = arabic.Normalize(c)
		for _, mode := range []string{ModeEvidence, ModeIntention, ModeBelief} {
			for _, stem := range arabicModeStems[mode] {
				for _, w := range strings.Fields(c) {
					if strings.TrimPrefix(strings.TrimPrefix(w, "و"), "ف") == arabic.Normalize(stem) {
						return mode
					}
				}
			}
		}
		return ModeSpeech
	}
	c = strings.ToLower(c)
	for _, w := range strings.Fields(c) {
		for _, mode := range []string{ModeEvidence, ModeIntention, ModeBelief} {
			for _, stem := range modeStems[mode] {
				if strings.HasPrefix(w, stem) {
					return mode
				}
			}
		}
	}
	return ModeSpeech
}
