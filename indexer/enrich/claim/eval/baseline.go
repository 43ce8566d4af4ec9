package eval

import (
	"regexp"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
)

// quotePattern matches one quotation in any of the marks the extractor
// reads, inside a paragraph.
var quotePattern = regexp.MustCompile(`«([^»\n]+)»|“([^”\n]+)”|"([^"\n]+)"|''([^'\n]+)''`)

// quoteBaseline is the naive extractor the rules are compared with: every
// quotation of three words or more is a claim by nobody.
func quoteBaseline(text string) []claim.Attribution {
	var out []claim.Attribution
	for _, m := range quotePattern.FindAllStringSubmatchIndex(text, -1) {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 {
				continue
			}
			s, e := m[g], m[g+1]
			if len(wordTokens(text[s:e])) < 3 {
				break
			}
			out = append(out, claim.Attribution{
				Claim:        document.Claim{Text: text[s:e], Start: s, End: e, Kind: "direct"},
				SpeakerStart: -1, SpeakerEnd: -1, CueStart: -1, CueEnd: -1,
			})
			break
		}
	}
	return out
}
