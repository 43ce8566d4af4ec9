package alert

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

const testSecretEnv = "MIRSAD_TEST_HOOK_SECRET"

// secretsOf returns a Secrets func that serves one variable.
func secretsOf(v string) func(string) string {
	return func(name string) string {
		if name == testSecretEnv {
			return v
		}
		return ""
	}
}

// TestReceiverDownAnHour: the receiver fails for a simulated hour, then
// comes back; every alert arrives once with a 2xx, every attempt of one
// alert carries the same webhook-id and body, the first retry comes
// within seconds, and every attempt is recorded.
func TestReceiverDownAnHour(t *testing.T) {
	ctx := context.Background()
	key := []byte("a key of our own, 32 bytes long!")
	var e *env
	e = newEnv(t, "", func(o *Options) {
		o.Secrets = secretsOf("whsec_" + base64.StdEncoding.EncodeToString(key))
	})
	rcv := newReceiver(t, key, e.clock.Now)
	rcv.setStatus(http.StatusServiceUnavailable)
	sub := e.create(t, Subscription{Name: "phase", Query: `"second phase"`,
		Webhook: &Webhook{URL: rcv.srv.URL + "/hook?token=x", SecretEnv: testSecretEnv}})
	e.ingest(t, loadBatch(t)...)
	alerts := alertDocs(t, e.svc, sub.ID)
	if len(alerts) != 2 {
		t.Fatalf("alerts = %v, want 2 stories", alerts)
	}

	start := e.clock.Now()
	for e.clock.Now().Sub(start) < time.Hour {
		if _, err := e.svc.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second)
	}
	down := len(rcv.got())
	rcv.setStatus(http.StatusOK)
	for e.clock.Now().Sub(start) < 4*time.Hour {
		next, err := e.svc.DeliverDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if next.IsZero() {
			break
		}
		e.clock.Advance(next.Sub(e.clock.Now()))
	}

	reqs := rcv.got()
	if down < 2*5 {
		t.Errorf("only %d attempts during the hour down; want retries from seconds on", down)
	}
	if down > 2*20 {
		t.Errorf("%d attempts during one hour: backoff is not exponential", down)
	}
	okByID := map[string]int{}
	bodyByID := map[string][]byte{}
	for _, r := range reqs {
		if !r.validSig {
			t.Errorf("request %s: signature does not verify", r.id)
		}
		if b, ok := bodyByID[r.id]; ok && !bytes.Equal(b, r.body) {
			t.Errorf("request %s: body changed between attempts", r.id)
		}
		bodyByID[r.id] = r.body
		if r.answered == http.StatusOK {
			okByID[r.id]++
		}
	}
	if len(bodyByID) != 2 || len(okByID) != 2 {
		t.Fatalf("ids seen %d, delivered %d; want 2 and 2", len(bodyByID), len(okByID))
	}
	for id, n := range okByID {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}

	ds, err := e.svc.Deliveries(ctx, sub.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Status != StatusDelivered {
			t.Errorf("%s: status %s", d.ID, d.Status)
		}
		attempts := 0
		for _, r := range reqs {
			if r.id == d.ID {
				attempts++
			}
		}
		if len(d.Attempts) != attempts {
			t.Errorf("%s: %d attempts recorded, receiver saw %d", d.ID, len(d.Attempts), attempts)
		}
		if len(d.Attempts) < 2 || d.Attempts[1].At.Sub(d.Attempts[0].At) > 10*time.Second {
			t.Errorf("%s: first retry not within seconds: %+v", d.ID, d.Attempts[:min(2, len(d.Attempts))])
		}
		last := d.Attempts[len(d.Attempts)-1]
		if last.StatusCode != http.StatusOK || d.Attempts[0].StatusCode != http.StatusServiceUnavailable {
			t.Errorf("%s: attempts %+v", d.ID, d.Attempts)
		}
		var p Payload
		if err := json.Unmarshal(bodyByID[d.ID], &p); err != nil || p.Type != PayloadType || p.Subscription.Name != "phase" ||
			p.Subscription.ID != sub.ID || len(p.Story.Documents) == 0 || p.Story.ClusterID == "" {
			t.Errorf("%s: payload %s (%v)", d.ID, bodyByID[d.ID], err)
		}
	}
}

// TestGiveUpAfterRetryFor: a receiver that never answers 2xx is retried
// for RetryFor, then the delivery fails and leaves the outbox.
func TestGiveUpAfterRetryFor(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "", func(o *Options) { o.Secrets = secretsOf("raw secret") })
	rcv := newReceiver(t, []byte("raw secret"), e.clock.Now)
	rcv.setStatus(http.StatusInternalServerError)
	sub := e.create(t, Subscription{Name: "rafah", Query: "Rafah", Webhook: &Webhook{URL: rcv.srv.URL, SecretEnv: testSecretEnv}})
	e.ingest(t, loadBatch(t)...)
	start := e.clock.Now()
	for i := 0; i < 1000; i++ {
		next, err := e.svc.DeliverDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if next.IsZero() {
			break
		}
		e.clock.Advance(next.Sub(e.clock.Now()))
	}
	ds, _ := e.svc.Deliveries(ctx, sub.ID, 10)
	if len(ds) != 1 || ds[0].Status != StatusFailed {
		t.Fatalf("deliveries = %+v, want one failed", ds)
	}
	span := e.clock.Now().Sub(start)
	if span < 24*time.Hour || span > 27*time.Hour {
		t.Errorf("gave up after %s, want about 24h", span)
	}
	for _, r := range rcv.got() {
		if !r.validSig {
			t.Fatal("raw-bytes secret: signature does not verify")
		}
	}
}

// Test410DisablesTarget: 410 Gone disables the target and settles its
// pending deliveries; later matches create no delivery to it.
func Test410DisablesTarget(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "", func(o *Options) { o.Secrets = secretsOf("s") })
	rcv := newReceiver(t, []byte("s"), e.clock.Now)
	rcv.setStatus(http.StatusGone)
	sub := e.create(t, Subscription{Name: "phase", Query: `"second phase"`, Webhook: &Webhook{URL: rcv.srv.URL, SecretEnv: testSecretEnv}})
	e.ingest(t, loadBatch(t)...)
	if _, err := e.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(rcv.got()); n != 1 {
		t.Errorf("receiver saw %d requests, want 1 (then the target is disabled)", n)
	}
	got, err := e.svc.Subscription(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Webhooks[0].Disabled {
		t.Fatalf("webhook not disabled: %+v", got.Webhooks[0])
	}
	ds, _ := e.svc.Deliveries(ctx, sub.ID, 10)
	for _, d := range ds {
		if d.Status != StatusDisabled {
			t.Errorf("%s: status %s, want disabled", d.ID, d.Status)
		}
	}
	a := pick(loadBatch(t), "a9")[0]
	a.ID, a.Title, a.Body = "new", "Another statement", "Officials said the second phase talks would resume on Sunday."
	e.ingest(t, a)
	if n := len(alertDocs(t, e.svc, sub.ID)); n != 3 {
		t.Fatalf("%d alerts, want 3 (the feed still gets them)", n)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(rcv.got()); n != 1 {
		t.Errorf("receiver saw %d requests after disabling, want 1", n)
	}
}

// TestRunWakesOnBatch: the real loop delivers right after a batch.
func TestRunWakesOnBatch(t *testing.T) {
	e := newEnv(t, "", func(o *Options) {
		o.Secrets = secretsOf("s")
		o.Now, o.After = time.Now, time.After
	})
	rcv := newReceiver(t, []byte("s"), time.Now)
	e.create(t, Subscription{Name: "rafah", Query: "Rafah", Webhook: &Webhook{URL: rcv.srv.URL, SecretEnv: testSecretEnv}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.svc.Run(ctx) }()
	e.ingest(t, loadBatch(t)...)
	deadline := time.Now().Add(10 * time.Second)
	for len(rcv.got()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(rcv.got()); n != 1 {
		t.Fatalf("receiver saw %d requests, want 1", n)
	}
}

func TestSignAndDecodeSecret(t *testing.T) {
	key := []byte("k")
	cases := []struct {
		name, secret string
		want         []byte
		bad          bool
	}{
		{"whsec", "whsec_" + base64.StdEncoding.EncodeToString(key), key, false},
		{"raw", "plain-secret", []byte("plain-secret"), false},
		{"empty", "", nil, true},
		{"bad base64", "whsec_%%%", nil, true},
		{"empty key", "whsec_", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeSecret(c.secret)
			if (err != nil) != c.bad || !bytes.Equal(got, c.want) {
				t.Fatalf("DecodeSecret(%q) = %q, %v", c.secret, got, err)
			}
		})
	}
	h := http.Header{}
	now := time.Unix(1762430000, 0)
	h.Set("webhook-id", "msg_1")
	h.Set("webhook-timestamp", "1762430000")
	h.Set("webhook-signature", Sign(key, "msg_1", "1762430000", []byte(`{"a":1}`)))
	if err := verifyStandardWebhook(key, h, []byte(`{"a":1}`), now); err != nil {
		t.Fatal(err)
	}
	if verifyStandardWebhook(key, h, []byte(`{"a":2}`), now) == nil {
		t.Fatal("tampered body verified")
	}
	if verifyStandardWebhook([]byte("other"), h, []byte(`{"a":1}`), now) == nil {
		t.Fatal("wrong key verified")
	}
}
