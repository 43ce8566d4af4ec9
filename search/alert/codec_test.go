package alert

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

func sampleAlert() *Alert {
	cairo := time.FixedZone("EET", 2*3600)
	return &Alert{
		ID: "msg_0123", SubscriptionID: "sub_1", SubscriptionName: "الأنصاري والمرحلة الثانية",
		Created: time.Date(2025, 11, 4, 10, 0, 0, 123456789, time.UTC),
		Story: Story{ClusterID: "content-ab12", Documents: []StoryDoc{
			{ID: "a2", URL: "https://aljazeera.example/a2", Title: "الأنصاري: الوسطاء يعملون على إطلاق «المرحلة الثانية»",
				Source: "aljazeera", Lang: "ar", Published: time.Date(2025, 11, 4, 12, 0, 0, 0, cairo)},
			{ID: "a3", URL: "https://alarabiya.example/a3", Title: "", Source: "alarabiya", Lang: "ar"},
		}},
		Claims: []document.Claim{
			{ID: "c2", DocID: "a2", SpeakerID: "majed-al-ansari", Speaker: "ماجد الأنصاري", Cue: "قال",
				Text: "إن الوسطاء يعملون على إطلاق المرحلة الثانية", Start: 10, End: 95, Kind: "indirect", Lang: "ar",
				Date: time.Date(2025, 11, 4, 0, 0, 0, 0, time.UTC), GroupID: "g1", Entities: []string{"qatar", "gaza-strip"}},
			{ID: "c3", DocID: "a3", Speaker: "a senior official", Anonymous: true, Text: "\"talks continue\"\n", Polarity: "negative", Start: -1},
		},
	}
}

// TestAlertRecord: an alert's record with its articles' snapshots gives
// back the alert, and the body built from them at send time is byte for
// byte the JSON payload the previous version stored at match time;
// records that version wrote are still read.
func TestAlertRecord(t *testing.T) {
	db := openDB(t)
	full := sampleAlert()
	// The articles behind the alert: a2 has a claim the alert leaves out.
	a2 := document.Article{ID: "a2", URL: full.Story.Documents[0].URL, Title: full.Story.Documents[0].Title,
		Source: "aljazeera", Lang: "ar", Published: full.Story.Documents[0].Published,
		Claims: []document.Claim{{ID: "c0", Text: "not in the alert"}, full.Claims[0]}}
	a3 := document.Article{ID: "a3", URL: full.Story.Documents[1].URL, Source: "alarabiya", Lang: "ar",
		Claims: []document.Claim{full.Claims[1]}}
	empty := &Alert{ID: "msg_empty", Story: Story{Documents: []StoryDoc{{ID: "x"}}}, Claims: []document.Claim{}}
	cases := []struct {
		al   *Alert
		docs []document.Article
		refs []claimRefPos
	}{
		{full, []document.Article{a2, a3}, []claimRefPos{{0, 1}, {1, 0}}},
		{empty, []document.Article{{ID: "x"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.al.ID, func(t *testing.T) {
			rec := alertRecord{al: c.al, claims: c.refs}
			if err := db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists(bucketSnapshots)
				if err != nil {
					return err
				}
				for _, a := range c.docs {
					snap := encodeSnapshot(a)
					rec.snaps = append(rec.snaps, snapshotKey(a, snap))
					if err := b.Put(snapshotKey(a, snap), snap); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			al := c.al
			oldBody, err := json.Marshal(Payload{Type: PayloadType, Subscription: PayloadSub{ID: al.SubscriptionID, Name: al.SubscriptionName}, Story: al.Story, Claims: al.Claims})
			if err != nil {
				t.Fatal(err)
			}
			legacy, err := json.Marshal(storedAlert{ID: al.ID, Created: al.Created, Body: oldBody})
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range map[string][]byte{"binary": encodeAlert(rec), "legacy json": legacy} {
				if err := db.View(func(tx *bolt.Tx) error {
					got, body, err := decodeAlert(newSnapshots(tx), v, true)
					if err != nil {
						return err
					}
					if !bytes.Equal(body, oldBody) {
						t.Errorf("%s: body\n%s\nwant\n%s", name, body, oldBody)
					}
					gj, _ := json.Marshal(got)
					wj, _ := json.Marshal(al)
					if !bytes.Equal(gj, wj) {
						t.Errorf("%s: alert\n%s\nwant\n%s", name, gj, wj)
					}
					return nil
				}); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
		})
	}
}

func TestDeliveryRecord(t *testing.T) {
	now := time.Date(2025, 11, 4, 10, 0, 0, 0, time.UTC)
	for _, d := range []Delivery{
		{ID: "msg_1", SubscriptionID: "sub_1", AlertID: "msg_1", URL: "https://hook.example/x", SecretEnv: "HOOK",
			Status: StatusPending, Created: now, NextAttempt: now, AlertKey: "sub_1\x00000000000000000a"},
		{ID: "msg_2_1", Status: StatusDisabled, Created: now, Attempts: []Attempt{
			{At: now, StatusCode: 503, DurationMS: 12}, {At: now.Add(time.Minute), Error: "dial tcp: timeout", DurationMS: 10000}}},
	} {
		t.Run(d.ID, func(t *testing.T) {
			legacy, _ := json.Marshal(&d)
			for name, rec := range map[string][]byte{"binary": encodeDelivery(&d), "legacy json": legacy} {
				var got Delivery
				if err := decodeDelivery(rec, &got); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				gj, _ := json.Marshal(got)
				if !bytes.Equal(gj, legacy) {
					t.Errorf("%s: %s, want %s", name, gj, legacy)
				}
			}
		})
	}
}

// TestRecordFieldsCovered fails when a field is added to a type the
// binary records hold, so that the codec is taught the new field.
func TestRecordFieldsCovered(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{document.Claim{}, 16}, {StoryDoc{}, 6}, {Story{}, 2}, {Alert{}, 6}, {Delivery{}, 11}, {Attempt{}, 4}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields, the codec knows %d: update codec.go", c.v, n, c.want)
		}
	}
}

// FuzzDecodeRecord: no stored bytes make the decoders panic, and what
// decodes re-encodes to a record that decodes.
func FuzzDecodeRecord(f *testing.F) {
	a := sampleAlert()
	f.Add(encodeSnapshot(document.Article{ID: "a", Title: "عنوان", Claims: a.Claims}))
	f.Add(encodeAlert(alertRecord{al: a, snaps: [][]byte{[]byte("a\x00k")}, claims: []claimRefPos{{0, 1}}}))
	f.Add(encodeDelivery(&Delivery{ID: "x", Attempts: []Attempt{{StatusCode: 500}}}))
	f.Add([]byte{recordV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte(`{"id":"x"}`))
	db := openDB(f)
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketSnapshots)
		return err
	}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = db.View(func(tx *bolt.Tx) error {
			_, _, _ = decodeAlert(newSnapshots(tx), b, true)
			return nil
		})
		if sn, err := decodeSnapshot(b); err == nil {
			a := document.Article{ID: sn.doc.ID, URL: sn.doc.URL, Title: sn.doc.Title, Source: sn.doc.Source,
				Lang: sn.doc.Lang, Published: sn.doc.Published, Claims: sn.claims}
			if _, err := decodeSnapshot(encodeSnapshot(a)); err != nil {
				t.Fatalf("re-encoded snapshot does not decode: %v", err)
			}
		}
		var d Delivery
		if err := decodeDelivery(b, &d); err == nil && len(b) > 0 && b[0] == recordV1 {
			var d2 Delivery
			if err := decodeDelivery(encodeDelivery(&d), &d2); err != nil {
				t.Fatalf("re-encoded delivery does not decode: %v", err)
			}
		}
	})
}

// TestLegacySeenKeys: a story an earlier version recorded per
// subscription (bucketSeen) does not alert again.
func TestLegacySeenKeys(t *testing.T) {
	e := newEnv(t, "", nil)
	sub := e.create(t, Subscription{Name: "phase", Query: "المرحلة الثانية", Lang: "ar"})
	docs := loadBatch(t)
	a2 := pick(docs, "a2")[0]
	if err := e.ix.DB().Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSeen).Put(subKey(sub.ID, storyKeys(a2)[0]), []byte("msg_earlier"))
	}); err != nil {
		t.Fatal(err)
	}
	e.ingest(t, pick(docs, "a1", "a2")...)
	if got := alertDocs(t, e.svc, sub.ID); !reflect.DeepEqual(got, [][]string{{"a1"}}) {
		t.Errorf("alerts = %v, want only a1 (a2's story was alerted by an earlier version)", got)
	}
}

// A snapshot keeps its claims' modes, and one written before claims had
// a mode (format 1) still reads, with the mode empty.
func TestSnapshotClaimMode(t *testing.T) {
	a := document.Article{ID: "a", URL: "https://news.example/a", Title: "t", Lang: "en",
		Claims: []document.Claim{{ID: "c1", Text: "talks will go on", Cue: "said", Mode: "speech", Entities: []string{"hamas"}},
			{ID: "c2", Text: "the force must disarm Hamas", Cue: "believes", Mode: "belief"}}}
	sn, err := decodeSnapshot(encodeSnapshot(a))
	if err != nil || len(sn.claims) != 2 || sn.claims[0].Mode != "speech" || sn.claims[1].Mode != "belief" || sn.claims[0].Entities[0] != "hamas" {
		t.Fatalf("decoded %+v, %v", sn.claims, err)
	}
	// Format 1: the same fields without the modes.
	e := enc{}
	e.b = append(e.b, recordV1)
	for _, s := range []string{a.ID, a.URL, a.Title, a.Source, a.Lang} {
		e.str(s)
	}
	e.time(a.Published)
	e.uint(uint64(len(a.Claims)))
	for _, c := range a.Claims {
		encodeClaim(&e, c)
	}
	old, err := decodeSnapshot(e.b)
	if err != nil || len(old.claims) != 2 || old.claims[1].Text != a.Claims[1].Text || old.claims[1].Mode != "" {
		t.Fatalf("format 1 decoded %+v, %v", old.claims, err)
	}
}
