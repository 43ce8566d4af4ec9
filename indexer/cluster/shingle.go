package cluster

import (
	"strings"
	"unicode"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
)

// Words returns the words shingles are built from: the text normalized the
// way the index normalizes it (so a reprint that only differs in hamza,
// tatweel, diacritics or case is identical) and split on white space.
// Punctuation-only tokens are dropped because outlets re-punctuate wire copy.
func Words(text string) []string {
	fields := strings.Fields(strings.ToLower(arabic.Normalize(text)))
	out := fields[:0]
	for _, f := range fields {
		if hasLetterOrDigit(f) {
			out = append(out, f)
		}
	}
	return out
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Shingles returns the distinct hashes of the k-word shingles of words.
// A text shorter than k words is one shingle, so that short items still
// compare; an empty text has none.
func Shingles(words []string, k int) []uint64 {
	if len(words) == 0 {
		return nil
	}
	if k < 1 {
		k = 1
	}
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = fnv64(w)
	}
	n := len(words) - k + 1
	if n < 1 {
		n, k = 1, len(words)
	}
	seen := make(map[uint64]struct{}, n)
	out := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		var h uint64 = 0x9e3779b97f4a7c15
		for _, x := range wh[i : i+k] {
			h = mix64(h ^ x)
		}
		if _, dup := seen[h]; dup {
			continue
		}
		seen[h] = struct{}{}
		out = append(out, h)
	}
	return out
}

// fnv64 is FNV-1a: stable across processes and releases, unlike
// hash/maphash, because signatures are persisted.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix64 is the splitmix64 finalizer; it turns a structured input into a
// well-spread one so that minima under different seeds are independent.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
