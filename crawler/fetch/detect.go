package fetch

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// markupRe matches tags and entities. Detection runs on the text between them: feeds are mostly
// ASCII markup and URLs, which drown the statistics of the few legacy-encoded words.
var markupRe = regexp.MustCompile(`<[^>]{0,1000}>|&[#a-zA-Z0-9]{1,10};`)

// detectLegacy guesses the charset of non-UTF-8 bytes: ICU's detector (saintfish/chardet) on the
// text between tags, then, because ICU has no model for IBM866, IBM855 or Mac Cyrillic and tends
// to call Cyrillic windows-1252 when Latin text is mixed in, a Cyrillic reading is preferred when
// one is clearly plausible.
func detectLegacy(sample []byte) (encoding.Encoding, string, bool) {
	text := markupRe.ReplaceAll(sample, []byte(" "))
	if countHigh(text) < 8 {
		text = sample
	}
	res, err := chardet.NewTextDetector().DetectBest(text)
	icuName := ""
	if err == nil && res.Confidence >= minDetectConfid {
		icuName = detectedAlias(res.Charset)
	}
	switch icuName {
	case "shift_jis", "euc-jp", "euc-kr", "big5", "gb18030", "iso-2022-jp", "iso-2022-kr",
		"windows-1256", "iso-8859-6", "windows-1255", "iso-8859-8", "iso-8859-7", "windows-1253",
		"utf-16be", "utf-16le", "utf-32be", "utf-32le":
		// Scripts ICU models well (Arabic among them): keep its answer.
	default:
		if enc, name, ok := bestCyrillic(text); ok {
			return enc, name, true
		}
	}
	if icuName == "" {
		return nil, "", false
	}
	enc, name := LookupCharset(icuName)
	if enc == nil {
		return nil, "", false
	}
	return enc, name, true
}

// detectedAlias maps ICU's names to the labels we decode with: ICU says "GB-18030" and
// "ISO-8859-8-I"; windows-1255 is the superset real Hebrew pages use.
func detectedAlias(icu string) string {
	switch l := strings.ToLower(icu); l {
	case "gb-18030":
		return "gb18030"
	case "iso-8859-8-i", "iso-8859-8":
		return "windows-1255"
	case "iso-8859-1":
		return "windows-1252"
	case "iso-8859-9":
		return "windows-1254"
	default:
		_, name := LookupCharset(l)
		return name
	}
}

func countHigh(b []byte) int {
	n := 0
	for _, c := range b {
		if c >= 0x80 {
			n++
		}
	}
	return n
}

var cyrillicCandidates = []namedEncoding{
	{charmap.Windows1251, "windows-1251"},
	{charmap.KOI8R, "koi8-r"},
	{charmap.ISO8859_5, "iso-8859-5"},
	{charmap.CodePage866, "ibm866"},
	{charmap.CodePage855, "ibm855"},
	{charmap.MacintoshCyrillic, "x-mac-cyrillic"},
}

// cyrillicFreq is the frequency (percent) of lowercase letters in Russian prose, with ъ raised
// for Bulgarian.
var cyrillicFreq = map[rune]float64{
	'о': 10.97, 'е': 8.45, 'а': 8.01, 'и': 7.35, 'н': 6.70, 'т': 6.26, 'с': 5.47, 'р': 4.73,
	'в': 4.54, 'л': 4.40, 'к': 3.49, 'м': 3.21, 'д': 2.98, 'п': 2.81, 'у': 2.62, 'я': 2.01,
	'ы': 1.90, 'ь': 1.74, 'г': 1.70, 'з': 1.65, 'б': 1.59, 'ч': 1.44, 'й': 1.21, 'х': 0.97,
	'ж': 0.94, 'ш': 0.73, 'ю': 0.64, 'ц': 0.48, 'щ': 0.36, 'э': 0.32, 'ф': 0.26, 'ъ': 1.0,
	'ё': 0.04,
}

// bestCyrillic decodes text with each Cyrillic code page and returns the reading that looks like
// Cyrillic prose: nearly all non-ASCII characters Cyrillic letters forming whole words (not glued
// to Latin letters, as a misread French é would be), mostly lowercase, with Russian/Bulgarian
// letter frequencies. It reports false when no reading is clearly plausible.
func bestCyrillic(text []byte) (encoding.Encoding, string, bool) {
	best, bestScore := -1, math.Inf(-1)
	for i, c := range cyrillicCandidates {
		out, err := c.enc.NewDecoder().Bytes(text)
		if err != nil {
			continue
		}
		if s, ok := cyrillicScore(string(out)); ok && s > bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return nil, "", false
	}
	return cyrillicCandidates[best].enc, cyrillicCandidates[best].name, true
}

func cyrillicScore(s string) (float64, bool) {
	var nonASCII, letters, upper, glued int
	var logSum float64
	var prev rune
	runes := []rune(s)
	for i, r := range runes {
		if r < 0x80 {
			prev = r
			continue
		}
		nonASCII++
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsLetter(r) {
			prev = r
			continue
		}
		letters++
		lr := unicode.ToLower(r)
		if lr != r {
			upper++
		}
		f, ok := cyrillicFreq[lr]
		if !ok {
			f = 0.05 // Ukrainian, Serbian, Macedonian letters: rare in our corpora
		}
		logSum += math.Log(f / 100)
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		if isASCIILetter(prev) || isASCIILetter(next) {
			glued++
		}
		prev = r
	}
	if letters < 20 || letters*10 < nonASCII*8 || glued*10 > letters {
		return 0, false
	}
	mean := logSum / float64(letters)
	upperFrac := float64(upper) / float64(letters)
	otherFrac := float64(nonASCII-letters) / float64(nonASCII)
	if upperFrac > 0.5 || mean < -3.6 {
		return 0, false
	}
	score := mean - 2*upperFrac - 4*otherFrac
	// Russian and Bulgarian feeds score about -3.1 to -3.6; Greek read as KOI8-R about -4.2.
	return score, score > -3.9
}

func isASCIILetter(r rune) bool { return r < 0x80 && (r|0x20 >= 'a' && r|0x20 <= 'z') }
