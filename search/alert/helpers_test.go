package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// fakeClock is a controllable clock: time moves only by Advance.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 11, 6, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

func loadBatch(t testing.TB) []document.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var docs []document.Article
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

func pick(docs []document.Article, ids ...string) []document.Article {
	var out []document.Article
	for _, id := range ids {
		for _, d := range docs {
			if d.ID == id {
				out = append(out, d)
			}
		}
	}
	return out
}

func openDB(t testing.TB) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "mirsad.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// env is a real indexer (bbolt + bleve on disk) with the alert service
// plugged into its OnBatch, as cmd wires them.
type env struct {
	ix    *indexer.Indexer
	svc   *Service
	clock *fakeClock
}

func newEnv(t testing.TB, strategy string, mod func(*Options)) *env {
	t.Helper()
	e := &env{clock: newFakeClock()}
	var svc *Service
	ix, err := indexer.Open(indexer.Options{Dir: t.TempDir(), OnBatch: func(ctx context.Context, b []document.Article, an []indexer.Analysis) {
		if err := svc.OnAnalyzedBatch(ctx, b, an); err != nil {
			t.Errorf("OnBatch: %v", err)
		}
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close(context.Background()) })
	opts := Options{DB: ix.DB(), Index: ix, Strategy: strategy, Now: e.clock.Now, After: e.clock.After,
		Jitter: func() float64 { return 0.5 }, BaseURL: "http://mirsad.test"}
	if mod != nil {
		mod(&opts)
	}
	if svc, err = New(opts); err != nil {
		t.Fatal(err)
	}
	e.ix, e.svc = ix, svc
	return e
}

// ingest puts articles through the indexer and commits the batch.
func (e *env) ingest(t testing.TB, docs ...document.Article) {
	t.Helper()
	ctx := context.Background()
	for _, d := range docs {
		if _, err := e.ix.Put(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *env) create(t testing.TB, sub Subscription) Subscription {
	t.Helper()
	s, err := e.svc.Create(context.Background(), sub)
	if err != nil {
		t.Fatalf("create %+v: %v", sub, err)
	}
	return s
}

// alertDocs lists, per alert (oldest first), the ids of its documents.
func alertDocs(t testing.TB, svc *Service, subID string) [][]string {
	t.Helper()
	alerts, err := svc.Alerts(context.Background(), subID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i := len(alerts) - 1; i >= 0; i-- {
		var ids []string
		for _, d := range alerts[i].Story.Documents {
			ids = append(ids, d.ID)
		}
		sort.Strings(ids)
		out = append(out, ids)
	}
	return out
}

// receiver is a webhook endpoint written from the Standard Webhooks spec,
// independently of Sign: it checks the signature and the timestamp's
// freshness and records every request.
type receiver struct {
	t      testing.TB
	secret []byte
	now    func() time.Time

	mu       sync.Mutex
	status   int // answer; 0 means 204
	requests []received
	srv      *httptest.Server
}

type received struct {
	id, timestamp string
	body          []byte
	validSig      bool
	answered      int
}

func newReceiver(t testing.TB, secret []byte, now func() time.Time) *receiver {
	r := &receiver{t: t, secret: secret, now: now}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) setStatus(code int) {
	r.mu.Lock()
	r.status = code
	r.mu.Unlock()
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	got := received{id: req.Header.Get("webhook-id"), timestamp: req.Header.Get("webhook-timestamp"), body: body}
	got.validSig = verifyStandardWebhook(r.secret, req.Header, body, r.now()) == nil
	r.mu.Lock()
	code := r.status
	if code == 0 {
		code = http.StatusNoContent
	}
	got.answered = code
	r.requests = append(r.requests, got)
	r.mu.Unlock()
	w.WriteHeader(code)
}

func (r *receiver) got() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.requests...)
}

// verifyStandardWebhook follows the spec: the signed content is
// "{id}.{timestamp}.{body}", the header holds space-separated
// "v1,<base64>" signatures, and a timestamp more than five minutes away
// from now is rejected.
func verifyStandardWebhook(secret []byte, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return fmt.Errorf("missing headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("bad timestamp %q", ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s too far from now", ts)
	}
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) {
		v, sig, ok := strings.Cut(s, ",")
		if !ok || v != "v1" {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(raw, want) {
			return nil
		}
	}
	return fmt.Errorf("no valid signature")
}
