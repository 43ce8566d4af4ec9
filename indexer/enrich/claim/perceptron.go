package claim

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
)

// nLab is the number of labels of both taggers: O/B/I for cues, O/S/C for
// the source and content of one cue.
const nLab = 3

// scorer gives the score of each label for a set of features.
type scorer interface {
	scores(feats []uint32) [nLab]float32
}

// weights are the averaged perceptron weights of one tagger, keyed by the
// hash of a feature string. Hashing keeps the embedded model small and the
// lookup free of string building beyond the hash itself.
type weights map[uint32][nLab]float32

func (w weights) scores(feats []uint32) [nLab]float32 {
	var out [nLab]float32
	for _, f := range feats {
		if v, ok := w[f]; ok {
			for k := range out {
				out[k] += v[k]
			}
		}
	}
	return out
}

func argmax(s [nLab]float32) int {
	best := 0
	for k := 1; k < nLab; k++ {
		if s[k] > s[best] {
			best = k
		}
	}
	return best
}

// trainWeights are the live weights of a perceptron in training, with the
// running sums that averaging needs (updated lazily by timestamp).
type trainWeights struct {
	w     map[uint32]*trainCell
	clock int
}

type trainCell struct {
	w, sum [nLab]float64
	ts     [nLab]int
}

func newTrainWeights() *trainWeights { return &trainWeights{w: map[uint32]*trainCell{}} }

func (t *trainWeights) scores(feats []uint32) [nLab]float32 {
	var out [nLab]float32
	for _, f := range feats {
		if c, ok := t.w[f]; ok {
			for k := range out {
				out[k] += float32(c.w[k])
			}
		}
	}
	return out
}

// update moves the weights of feats towards gold and away from pred; tick
// counts one training instance.
func (t *trainWeights) update(feats []uint32, gold, pred int) {
	if gold != pred {
		for _, f := range feats {
			c := t.w[f]
			if c == nil {
				c = &trainCell{}
				t.w[f] = c
			}
			for _, k := range [2]int{gold, pred} {
				c.sum[k] += float64(t.clock-c.ts[k]) * c.w[k]
				c.ts[k] = t.clock
			}
			c.w[gold]++
			c.w[pred]--
		}
	}
	t.clock++
}

// averaged returns the averaged weights, dropping features whose weights
// all stay below minWeight in magnitude (rare features that barely move a
// decision and would only swell the embedded model).
func (t *trainWeights) averaged(minWeight float64) weights {
	out := make(weights, len(t.w))
	n := float64(t.clock)
	if n == 0 {
		n = 1
	}
	for f, c := range t.w {
		var v [nLab]float32
		keep := false
		for k := 0; k < nLab; k++ {
			s := c.sum[k] + float64(t.clock-c.ts[k])*c.w[k]
			v[k] = float32(s / n)
			if math.Abs(float64(v[k])) >= math.Max(minWeight, 1e-3) {
				keep = true
			}
		}
		if keep {
			out[f] = v
		}
	}
	return out
}

// EnglishModel is the learned English attribution tagger: a cue tagger
// (BIO over the tokens of a sentence) and a role tagger (source/content
// over the sentences around one cue), both averaged perceptrons trained on
// PolNeAR by TrainEnglish.
type EnglishModel struct {
	cue, role weights
	// lookup tables built from cue and role on first use
	once            sync.Once
	cueTab, roleTab *table
}

func (m *EnglishModel) tables() (*table, *table) {
	m.once.Do(func() {
		m.cueTab, m.roleTab = newTable(m.cue), newTable(m.role)
	})
	return m.cueTab, m.roleTab
}

// table is an open-addressing copy of weights: the feature keys are hashes
// already, so a slot is found without rehashing and key and weights share
// a cache line; scoring an article is mostly these lookups.
type table struct {
	slots []slot
	mask  uint32
	zero  [nLab]float32 // the weights of key 0, which marks empty slots
}

type slot struct {
	key uint32
	w   [nLab]float32
}

func newTable(w weights) *table {
	n := 16
	for n < 2*len(w) {
		n *= 2
	}
	t := &table{slots: make([]slot, n), mask: uint32(n - 1)}
	for k, v := range w {
		if k == 0 {
			t.zero = v
			continue
		}
		i := k & t.mask
		for t.slots[i].key != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = slot{k, v}
	}
	return t
}

func (t *table) scores(feats []uint32) [nLab]float32 {
	var out [nLab]float32
	for _, f := range feats {
		if f == 0 {
			for k := range out {
				out[k] += t.zero[k]
			}
			continue
		}
		for i := f & t.mask; ; i = (i + 1) & t.mask {
			s := &t.slots[i]
			if s.key == f {
				for k := range out {
					out[k] += s.w[k]
				}
				break
			}
			if s.key == 0 {
				break
			}
		}
	}
	return out
}

const modelMagic = "mirsad-claim-en-2"

// WriteTo writes m gzip-compressed: the magic line, then each tagger as a
// count and (hash, weights) records, sorted so that the file is stable.
// Weights are stored as float16-like scaled int16 to keep the file small.
func (m *EnglishModel) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, fmt.Errorf("claim: model: %w", err)
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(modelMagic + "\n")
	for _, ws := range []weights{m.cue, m.role} {
		keys := make([]uint32, 0, len(ws))
		var maxAbs float64
		for k, v := range ws {
			keys = append(keys, k)
			for _, x := range v {
				maxAbs = math.Max(maxAbs, math.Abs(float64(x)))
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		scale := 32767 / math.Max(maxAbs, 1e-9)
		var buf [binary.MaxVarintLen64]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(len(keys)))
		bw.Write(buf[:8])
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(scale))
		bw.Write(buf[:8])
		var prev uint32
		for _, k := range keys {
			// keys are sorted, so deltas compress well as varints
			n := binary.PutUvarint(buf[:], uint64(k-prev))
			bw.Write(buf[:n])
			prev = k
			for _, x := range ws[k] {
				q := int16(math.Round(float64(x) * scale))
				binary.LittleEndian.PutUint16(buf[:2], uint16(q))
				bw.Write(buf[:2])
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("claim: model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("claim: model: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadEnglishModel reads a model written by WriteTo.
func ReadEnglishModel(r io.Reader) (*EnglishModel, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("claim: model: %w", err)
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	line, err := br.ReadString('\n')
	if err != nil || line != modelMagic+"\n" {
		return nil, errors.New("claim: model: not a mirsad English claim model")
	}
	m := &EnglishModel{}
	for _, dst := range []*weights{&m.cue, &m.role} {
		var buf [8]byte
		if _, err := io.ReadFull(br, buf[:]); err != nil {
			return nil, fmt.Errorf("claim: model: %w", err)
		}
		n := binary.LittleEndian.Uint64(buf[:])
		if n > 1<<26 {
			return nil, errors.New("claim: model: implausible feature count")
		}
		if _, err := io.ReadFull(br, buf[:]); err != nil {
			return nil, fmt.Errorf("claim: model: %w", err)
		}
		scale := math.Float64frombits(binary.LittleEndian.Uint64(buf[:]))
		if !(scale > 0) {
			return nil, errors.New("claim: model: bad scale")
		}
		ws := make(weights, n)
		var key uint32
		for i := uint64(0); i < n; i++ {
			d, err := binary.ReadUvarint(br)
			if err != nil {
				return nil, fmt.Errorf("claim: model: %w", err)
			}
			if d > math.MaxUint32 {
				return nil, errors.New("claim: model: bad key")
			}
			key += uint32(d)
			var v [nLab]float32
			for k := range v {
				if _, err := io.ReadFull(br, buf[:2]); err != nil {
					return nil, fmt.Errorf("claim: model: %w", err)
				}
				v[k] = float32(float64(int16(binary.LittleEndian.Uint16(buf[:2]))) / scale)
			}
			ws[key] = v
		}
		*dst = ws
	}
	// reading to the end makes gzip check its length and checksum
	if rest, err := io.Copy(io.Discard, br); err != nil || rest != 0 {
		return nil, fmt.Errorf("claim: model: trailing or corrupt data: %d bytes, %v", rest, err)
	}
	return m, nil
}
