package cluster

// hasher computes MinHash signatures with n multiply-shift hash functions
// over 64-bit shingle hashes. The shingle hashes are already well mixed,
// so one multiply and one add per function is enough, which keeps the
// signature a few hundred microseconds per article.
type hasher struct {
	a, b []uint64
}

func newHasher(n int) hasher {
	h := hasher{a: make([]uint64, n), b: make([]uint64, n)}
	s := uint64(0x6d6972736164) // fixed: signatures are persisted
	for i := range n {
		s += 0x9e3779b97f4a7c15
		h.a[i] = mix64(s) | 1
		s += 0x9e3779b97f4a7c15
		h.b[i] = mix64(s)
	}
	return h
}

// signature returns the MinHash signature of a shingle set, or nil for an
// empty set (an empty article resembles nothing).
func (h hasher) signature(shingles []uint64) []uint32 {
	if len(shingles) == 0 {
		return nil
	}
	sig := make([]uint32, len(h.a))
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, x := range shingles {
		for i, a := range h.a {
			v := uint32((a*x + h.b[i]) >> 32)
			if v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the shingle sets behind
// two signatures of the same length: the share of positions that agree.
func Similarity(x, y []uint32) float64 {
	if len(x) == 0 || len(x) != len(y) {
		return 0
	}
	same := 0
	for i := range x {
		if x[i] == y[i] {
			same++
		}
	}
	return float64(same) / float64(len(x))
}

// bandKey hashes one band of a signature; the band index is mixed in so
// that equal rows in different bands do not share a bucket.
func bandKey(band int, rows []uint32) uint64 {
	h := mix64(uint64(band) + 0x51ed27)
	for _, r := range rows {
		h = mix64(h ^ uint64(r))
	}
	return h
}
