package alert

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

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

// TestAlertRecord: the binary snapshot gives back the alert, and the body
// built from it at send time is byte for byte the JSON payload the
// previous version stored at match time; records that version wrote
// are still read.
func TestAlertRecord(t *testing.T) {
	for _, al := range []*Alert{sampleAlert(), {ID: "msg_empty", Story: Story{Documents: []StoryDoc{{ID: "x"}}}, Claims: []document.Claim{}}} {
		t.Run(al.ID, func(t *testing.T) {
			oldBody, err := json.Marshal(Payload{Type: PayloadType, Subscription: PayloadSub{ID: al.SubscriptionID, Name: al.SubscriptionName}, Story: al.Story, Claims: al.Claims})
			if err != nil {
				t.Fatal(err)
			}
			legacy, err := json.Marshal(storedAlert{ID: al.ID, Created: al.Created, Body: oldBody})
			if err != nil {
				t.Fatal(err)
			}
			for name, rec := range map[string][]byte{"binary": encodeAlert(al), "legacy json": legacy} {
				got, body, err := decodeAlert(rec, true)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Equal(body, oldBody) {
					t.Errorf("%s: body\n%s\nwant\n%s", name, body, oldBody)
				}
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(al)
				if !bytes.Equal(gj, wj) {
					t.Errorf("%s: alert\n%s\nwant\n%s", name, gj, wj)
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
	}{{document.Claim{}, 15}, {StoryDoc{}, 6}, {Story{}, 2}, {Alert{}, 6}, {Delivery{}, 11}, {Attempt{}, 4}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields, the codec knows %d: update codec.go", c.v, n, c.want)
		}
	}
}

// FuzzDecodeRecord: no stored bytes make the decoders panic, and what
// decodes re-encodes to a record that decodes.
func FuzzDecodeRecord(f *testing.F) {
	f.Add(encodeAlert(sampleAlert()))
	f.Add(encodeDelivery(&Delivery{ID: "x", Attempts: []Attempt{{StatusCode: 500}}}))
	f.Add([]byte{recordV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte(`{"id":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, _, err := decodeAlert(b, true); err == nil && len(b) > 0 && b[0] == recordV1 {
			if _, _, err := decodeAlert(encodeAlert(&a), false); err != nil {
				t.Fatalf("re-encoded alert does not decode: %v", err)
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
