package alert

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// Stored alerts and deliveries are written in a compact binary form: a
// batch can make 15,000 alerts, and marshalling each one's webhook body
// as JSON at match time was a third of the matching cost. The body is
// built at send time from the stored snapshots (deterministically, so
// every retry sends the same bytes). Records written as JSON by earlier
// versions start with '{' and are still read.

// Record formats: 1 for snapshots and deliveries, 2 for alerts, 3 for
// snapshots whose claims carry their mode (document.Claim.Mode).
const (
	recordV1 = 0x01
	recordV2 = 0x02
	recordV3 = 0x03
)

var errRecord = errors.New("alert: malformed record")

type enc struct{ b []byte }

func (e *enc) uint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *enc) int(n int64)   { e.b = binary.AppendVarint(e.b, n) }

func (e *enc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// time keeps the instant and the zone offset, as JSON would.
func (e *enc) time(t time.Time) {
	n := len(e.b)
	e.b = append(e.b, 0)
	var err error
	if e.b, err = t.AppendBinary(e.b); err != nil {
		e.b = append(e.b[:n], 0) // a year out of range: stored as zero
		return
	}
	e.b[n] = byte(len(e.b) - n - 1)
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errRecord
	}
	d.b = nil
}

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *dec) bool() bool {
	if len(d.b) < 1 {
		d.fail()
		return false
	}
	v := d.b[0] != 0
	d.b = d.b[1:]
	return v
}

func (d *dec) time() time.Time {
	if len(d.b) < 1 || int(d.b[0]) > len(d.b)-1 {
		d.fail()
		return time.Time{}
	}
	n := int(d.b[0])
	var t time.Time
	if n > 0 {
		if err := t.UnmarshalBinary(d.b[1 : 1+n]); err != nil {
			d.fail()
			return time.Time{}
		}
	}
	d.b = d.b[1+n:]
	return t
}

// count reads a length that must fit in the rest of the record.
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

// An alert's record names its story's documents by snapshot key and its
// claims by position; the snapshot of a matched article (what the webhook
// says of it, and its claims) is stored once per version of the article,
// however many subscriptions it matched: in a broad mix an article matches
// dozens, and copying it into every alert was most of the bytes written.

// snapshotKey names an article's snapshot: its id and a hash of what the
// snapshot holds, so an edited article gets a new one and a re-ingest not.
func snapshotKey(a document.Article, snap []byte) []byte {
	sum := sha256.Sum256(snap)
	return []byte(a.ID + "\x00" + hex.EncodeToString(sum[:8]))
}

func encodeSnapshot(a document.Article) []byte {
	e := enc{b: make([]byte, 0, 512)}
	e.b = append(e.b, recordV3)
	e.str(a.ID)
	e.str(a.URL)
	e.str(a.Title)
	e.str(a.Source)
	e.str(a.Lang)
	e.time(a.Published)
	e.uint(uint64(len(a.Claims)))
	for _, c := range a.Claims {
		encodeClaim(&e, c)
		e.str(c.Mode)
	}
	return e.b
}

type snapshot struct {
	doc    StoryDoc
	claims []document.Claim
}

func decodeSnapshot(v []byte) (snapshot, error) {
	if len(v) == 0 || (v[0] != recordV1 && v[0] != recordV3) {
		return snapshot{}, errRecord
	}
	d := dec{b: v[1:]}
	sn := snapshot{doc: StoryDoc{ID: d.str(), URL: d.str(), Title: d.str(), Source: d.str(), Lang: d.str(), Published: d.time()}}
	sn.claims = make([]document.Claim, d.count())
	for i := range sn.claims {
		sn.claims[i] = decodeClaim(&d)
		if v[0] == recordV3 {
			sn.claims[i].Mode = d.str()
		}
	}
	return sn, d.err
}

// claimRefPos is a claim of an alert: which of its story's documents, and
// which of that document's claims.
type claimRefPos struct{ doc, claim int }

// alertRecord is what an alert's record holds besides the snapshots.
type alertRecord struct {
	al     *Alert // ID, subscription, created, cluster
	snaps  [][]byte
	claims []claimRefPos
}

func encodeAlert(r alertRecord) []byte {
	al := r.al
	e := enc{b: make([]byte, 0, 128)}
	e.b = append(e.b, recordV2)
	e.str(al.ID)
	e.time(al.Created)
	e.str(al.SubscriptionID)
	e.str(al.SubscriptionName)
	e.str(al.Story.ClusterID)
	e.uint(uint64(len(r.snaps)))
	for _, k := range r.snaps {
		e.str(string(k))
	}
	e.uint(uint64(len(r.claims)))
	for _, c := range r.claims {
		e.uint(uint64(c.doc))
		e.uint(uint64(c.claim))
	}
	return e.b
}

func encodeClaim(e *enc, c document.Claim) {
	e.str(c.ID)
	e.str(c.DocID)
	e.str(c.SpeakerID)
	e.str(c.Speaker)
	e.bool(c.Anonymous)
	e.str(c.Cue)
	e.str(c.Text)
	e.int(int64(c.Start))
	e.int(int64(c.End))
	e.str(c.Kind)
	e.str(c.Lang)
	e.time(c.Date)
	e.str(c.Polarity)
	e.str(c.GroupID)
	e.uint(uint64(len(c.Entities)))
	for _, id := range c.Entities {
		e.str(id)
	}
}

func decodeClaim(d *dec) document.Claim {
	c := document.Claim{
		ID: d.str(), DocID: d.str(), SpeakerID: d.str(), Speaker: d.str(), Anonymous: d.bool(),
		Cue: d.str(), Text: d.str(), Start: int(d.int()), End: int(d.int()), Kind: d.str(),
		Lang: d.str(), Date: d.time(), Polarity: d.str(), GroupID: d.str(),
	}
	if n := d.count(); n > 0 {
		c.Entities = make([]string, n)
		for i := range c.Entities {
			c.Entities[i] = d.str()
		}
	}
	return c
}

// snapshots reads articles' snapshots in one transaction, each once.
type snapshots struct {
	b    *bolt.Bucket
	seen map[string]snapshot
}

func newSnapshots(tx *bolt.Tx) *snapshots {
	return &snapshots{b: tx.Bucket(bucketSnapshots), seen: map[string]snapshot{}}
}

func (s *snapshots) get(key string) (snapshot, error) {
	if sn, ok := s.seen[key]; ok {
		return sn, nil
	}
	v := s.b.Get([]byte(key))
	if v == nil {
		return snapshot{}, fmt.Errorf("%w: snapshot %q missing", errRecord, key)
	}
	sn, err := decodeSnapshot(v)
	if err != nil {
		return snapshot{}, err
	}
	s.seen[key] = sn
	return sn, nil
}

// decodeAlert reads a stored alert, binary or (older) JSON, and with
// body the webhook body it is sent with.
func decodeAlert(snaps *snapshots, v []byte, body bool) (Alert, []byte, error) {
	if len(v) > 0 && v[0] == '{' {
		var st storedAlert
		if err := json.Unmarshal(v, &st); err != nil {
			return Alert{}, nil, err
		}
		a, err := st.alert()
		return a, st.Body, err
	}
	if len(v) == 0 || v[0] != recordV2 {
		return Alert{}, nil, errRecord
	}
	d := dec{b: v[1:]}
	a := Alert{ID: d.str(), Created: d.time(), SubscriptionID: d.str(), SubscriptionName: d.str()}
	a.Story.ClusterID = d.str()
	docs := make([]snapshot, d.count())
	a.Story.Documents = make([]StoryDoc, len(docs))
	for i := range docs {
		key := d.str()
		if d.err != nil {
			break
		}
		sn, err := snaps.get(key)
		if err != nil {
			return Alert{}, nil, err
		}
		docs[i], a.Story.Documents[i] = sn, sn.doc
	}
	a.Claims = make([]document.Claim, d.count())
	for i := range a.Claims {
		doc, claim := d.uint(), d.uint()
		if d.err != nil {
			break
		}
		if doc >= uint64(len(docs)) || claim >= uint64(len(docs[doc].claims)) {
			return Alert{}, nil, errRecord
		}
		a.Claims[i] = docs[doc].claims[claim]
	}
	if d.err != nil {
		return Alert{}, nil, d.err
	}
	if !body {
		return a, nil, nil
	}
	b, err := json.Marshal(Payload{Type: PayloadType, Subscription: PayloadSub{ID: a.SubscriptionID, Name: a.SubscriptionName},
		Story: a.Story, Claims: a.Claims})
	return a, b, err
}

func encodeDelivery(dl *Delivery) []byte {
	e := enc{b: make([]byte, 0, 160)}
	e.b = append(e.b, recordV1)
	e.str(dl.ID)
	e.str(dl.SubscriptionID)
	e.str(dl.AlertID)
	e.str(dl.URL)
	e.str(dl.SecretEnv)
	e.str(dl.Status)
	e.time(dl.Created)
	e.time(dl.NextAttempt)
	e.str(dl.AlertKey)
	e.uint(uint64(len(dl.Attempts)))
	for _, a := range dl.Attempts {
		e.time(a.At)
		e.int(int64(a.StatusCode))
		e.str(a.Error)
		e.int(a.DurationMS)
	}
	return e.b
}

// decodeDelivery reads a stored delivery, binary or (older) JSON.
func decodeDelivery(v []byte, dl *Delivery) error {
	if len(v) > 0 && v[0] == '{' {
		return json.Unmarshal(v, dl)
	}
	if len(v) == 0 || v[0] != recordV1 {
		return errRecord
	}
	d := dec{b: v[1:]}
	*dl = Delivery{ID: d.str(), SubscriptionID: d.str(), AlertID: d.str(), URL: d.str(), SecretEnv: d.str(),
		Status: d.str(), Created: d.time(), NextAttempt: d.time(), AlertKey: d.str()}
	if n := d.count(); n > 0 {
		dl.Attempts = make([]Attempt, n)
		for i := range dl.Attempts {
			dl.Attempts[i] = Attempt{At: d.time(), StatusCode: int(d.int()), Error: d.str(), DurationMS: d.int()}
		}
	}
	return d.err
}

// seenSet is the record of what each subscription was alerted about, one
// bbolt value per story key listing subscription -> alert id. A story
// matched by thirty subscriptions is then three values rewritten, not
// ninety keys written. Keys written per subscription by earlier versions
// (bucketSeen) are still consulted when that bucket is not empty.
type seenSet struct {
	b      *bolt.Bucket
	legacy *bolt.Bucket // nil: nothing written by earlier versions
	vals   map[string]map[string]string
	dirty  map[string]bool
}

func newSeenSet(tx *bolt.Tx) *seenSet {
	s := &seenSet{b: tx.Bucket(bucketSeenStories), vals: map[string]map[string]string{}, dirty: map[string]bool{}}
	if old := tx.Bucket(bucketSeen); old != nil {
		if k, _ := old.Cursor().First(); k != nil {
			s.legacy = old
		}
	}
	return s
}

func (s *seenSet) load(key string) (map[string]string, error) {
	if m, ok := s.vals[key]; ok {
		return m, nil
	}
	m := map[string]string{}
	if v := s.b.Get([]byte(key)); v != nil {
		d := dec{b: v}
		for len(d.b) > 0 && d.err == nil {
			sub, id := d.str(), d.str()
			m[sub] = id
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	s.vals[key] = m
	return m, nil
}

// get returns the alert id sub was alerted with about story key, or "".
func (s *seenSet) get(sub, key string) (string, error) {
	m, err := s.load(key)
	if err != nil {
		return "", err
	}
	if id, ok := m[sub]; ok {
		return id, nil
	}
	if s.legacy != nil {
		if v := s.legacy.Get(subKey(sub, key)); v != nil {
			return string(v), nil
		}
	}
	return "", nil
}

func (s *seenSet) put(sub, key, id string) error {
	m, err := s.load(key)
	if err != nil {
		return err
	}
	if m[sub] != id {
		m[sub] = id
		s.dirty[key] = true
	}
	return nil
}

// flush hands the changed values to ws, entries sorted so that the same
// set always has the same bytes.
func (s *seenSet) flush(ws writeSet) {
	for key := range s.dirty {
		m := s.vals[key]
		subs := make([]string, 0, len(m))
		for sub := range m {
			subs = append(subs, sub)
		}
		slices.Sort(subs)
		e := enc{b: make([]byte, 0, len(subs)*48)}
		for _, sub := range subs {
			e.str(sub)
			e.str(m[sub])
		}
		ws.put(bucketSeenStories, []byte(key), e.b)
	}
}
