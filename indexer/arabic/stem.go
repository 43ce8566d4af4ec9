package arabic

import "unicode/utf8"

// The light stemmer works on normalized words (Normalize or NormalizeToken
// first): ة is already ه, ى is ي, hamza seats are ء, alef variants are ا.

const (
	alef = 'ا'
	lam  = 'ل'
	waw  = 'و'
	feh  = 'ف'
	beh  = 'ب'
	kaf  = 'ك'
	heh  = 'ه'
	yeh  = 'ي'
)

// minStem is the shortest stem a strip may leave, in letters. Two is what
// light10 uses; shorter stems merge unrelated words.
const minStem = 2

// suffixes are tried in this order, each at most once, like light10, so
// that stacked endings (ـيين، ـيات، ـيها) come off in turn.
var suffixes = [][]rune{
	[]rune("هما"),
	[]rune("هم"),
	[]rune("ها"),
	[]rune("ات"),
	[]rune("ون"),
	[]rune("تين"),
	[]rune("تان"),
	[]rune("ين"),
	[]rune("يه"),
	[]rune("ه"),
	[]rune("ي"),
}

// Stem returns the light stem of one normalized Arabic word: stacked
// proclitics (و ف, then ب ك ل, then ال or لل) and suffixes come off with
// length guards; protected names and their nisba forms map to the name.
// Words in other scripts are returned unchanged.
func Stem(w string) string {
	s, _ := stems(w)
	return s
}

// stems returns the stem of w and, when a leading و/ف/ب/ل may be a letter of
// the word rather than a clitic (وزير، بيان، لجنة), the stem of the word read
// with that letter kept. The filter indexes both at one position so that
// وزير and الوزير meet whichever reading is right.
func stems(w string) (string, string) {
	if len(w) < 4 || !isArabicWord(w) {
		return w, ""
	}
	m := *protected.Load()
	if c, ok := m[w]; ok {
		return c, ""
	}
	var rb [32]rune // most words fit: no allocation
	r := rb[:0]
	for _, c := range w {
		r = append(r, c)
	}
	if c, ok := protectedSplit(r, m); ok {
		return c, ""
	}
	o, ambiguous := prefixEnd(r)
	main := string(stripSuffixes(r[o:], m))
	if ambiguous < 0 {
		return main, ""
	}
	alt := string(stripSuffixes(r[ambiguous:], m))
	if alt == main {
		return main, ""
	}
	return main, alt
}

func isArabicWord(w string) bool {
	// Normalized Arabic letters are all two-byte runes in U+0600–U+06FF.
	c := w[0]
	return c == 0xD8 || c == 0xD9 || c == 0xDA || c == 0xDB
}

func hasPrefix(r []rune, p ...rune) bool {
	if len(r) < len(p) {
		return false
	}
	for i, c := range p {
		if r[i] != c {
			return false
		}
	}
	return true
}

// protectedSplit tries every way of reading the front of r as proclitics
// and returns the protected name behind them (لبنان، للبنان، وبمصر، والقاهرة).
// Shorter readings come first so that لبنان is never read as ل+بنان.
func protectedSplit(r []rune, m map[string]string) (string, bool) {
	var offs [8]int
	n := 0
	add := func(o int) {
		if len(r)-o >= minStem && n < len(offs) {
			offs[n] = o
			n++
		}
	}
	if r[0] == waw || r[0] == feh {
		add(1)
	}
	for i := -1; i < n; i++ {
		o := 0
		if i >= 0 {
			o = offs[i]
		}
		if o < len(r) && (r[o] == beh || r[o] == kaf || r[o] == lam) {
			add(o + 1)
		}
	}
	for i, end := -1, n; i < end; i++ {
		o := 0
		if i >= 0 {
			o = offs[i]
		}
		if hasPrefix(r[o:], alef, lam) || hasPrefix(r[o:], lam, lam) {
			add(o + 2)
		}
	}
	for _, o := range offs[:n] {
		if c, ok := lookup(m, r[o:]); ok {
			return c, true
		}
	}
	return "", false
}

// prefixEnd returns where the stem starts after the proclitics, and, when
// the first stripped letter might belong to the word, where the stem starts
// if it does (else -1).
func prefixEnd(r []rune) (int, int) {
	o, amb := 0, -1
	switch {
	case r[0] == waw && len(r) >= 4:
		o = 1
		if !hasPrefix(r[1:], alef, lam) && !hasPrefix(r[1:], lam, lam) &&
			!hasPrefix(r[1:], beh, alef, lam) && !hasPrefix(r[1:], kaf, alef, lam) {
			amb = 0 // وزير: a word, وقال: a clitic
		}
	case r[0] == feh && len(r) >= 5 && (hasPrefix(r[1:], alef, lam) || hasPrefix(r[1:], lam, lam) || hasPrefix(r[1:], beh, alef, lam)):
		o = 1
	}
	rest := len(r) - o
	switch {
	case hasPrefix(r[o:], alef, lam) && rest-2 >= minStem:
		o += 2
	case hasPrefix(r[o:], lam, lam) && rest-2 >= minStem:
		o += 2 // ل + ال with the alef elided
	case (hasPrefix(r[o:], beh, alef, lam) || hasPrefix(r[o:], kaf, alef, lam)) && rest-3 >= minStem+1:
		o += 3
	case (r[o] == beh || r[o] == lam) && rest-1 >= 4:
		// A bare preposition (لمفاوضات، بمشاركة) or the first letter of
		// the word (بيانات، لقاءات): index both readings.
		if amb < 0 {
			amb = o
		}
		o++
	}
	return o, amb
}

// stripSuffixes removes suffixes in light10's order with a length guard.
// It never turns a word into a protected name: قطرات stays قطرات so that
// drops and Qatar stay apart (nisba forms were already mapped by the
// protected table).
func stripSuffixes(r []rune, m map[string]string) []rune {
	// The alef of accusative tanween (اعتراضاً written اعتراضا) first.
	if len(r) >= 4 && r[len(r)-1] == alef && r[len(r)-2] != alef {
		if _, ok := lookup(m, r[:len(r)-1]); !ok {
			r = r[:len(r)-1]
		}
	}
	for _, s := range suffixes {
		if len(r)-len(s) < minStem || !hasSuffix(r, s) {
			continue
		}
		cut := r[:len(r)-len(s)]
		if _, ok := lookup(m, cut); ok {
			return r
		}
		// A pronoun after a feminine noun turns its ة into ت (قادة،
		// قادتهم): give the ه back so the noun's ending comes off below.
		if (s[0] == heh) && len(cut) >= 4 && cut[len(cut)-1] == 'ت' {
			cut = append(cut[:len(cut)-1:len(cut)-1], heh)
		}
		r = cut
	}
	return r
}

func hasSuffix(r, s []rune) bool {
	if len(r) < len(s) {
		return false
	}
	off := len(r) - len(s)
	for i, c := range s {
		if r[off+i] != c {
			return false
		}
	}
	return true
}

// lookup finds the word spelled by r in m without building a string: the
// stemmer asks the protected table about every candidate cut of every word.
func lookup(m map[string]string, r []rune) (string, bool) {
	var buf [96]byte
	b := buf[:0]
	for _, c := range r {
		b = utf8.AppendRune(b, c)
	}
	v, ok := m[string(b)]
	return v, ok
}
