package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t testing.TB, h http.Handler, method, path, body string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func TestAPI(t *testing.T) {
	e := newEnv(t, "", nil)
	h := e.svc.Handler()
	good := `{"name": "cairo-talks", "query": "هدنة غزة", "entities": "cairo", "webhook": {"url": "https://example.org/hook", "secret_env": "MIRSAD_HOOK_SECRET"}}`

	bad := []struct{ name, body, wantErr string }{
		{"not json", `{"name":`, "not a subscription"},
		{"unknown field", `{"name": "x", "query": "a", "color": "red"}`, "unknown field"},
		{"no name", `{"query": "غزة"}`, "name: is required"},
		{"matches everything", `{"name": "all"}`, "would match every article"},
		{"only exclusions", `{"name": "x", "query": "-غزة"}`, "only exclusions"},
		{"only stop words", `{"name": "x", "query": "the of", "lang": "en"}`, "no searchable words"},
		{"bad lang", `{"name": "x", "query": "a", "lang": "fr"}`, "want ar or en"},
		{"file url", `{"name": "x", "query": "Gaza", "webhook": {"url": "file:///etc/passwd", "secret_env": "S"}}`, "want http or https"},
		{"relative url", `{"name": "x", "query": "Gaza", "webhook": {"url": "/hook", "secret_env": "S"}}`, "not an absolute URL"},
		{"no secret", `{"name": "x", "query": "Gaza", "webhook": {"url": "https://example.org/h"}}`, "secret_env"},
		{"server fields", `{"name": "x", "query": "Gaza", "id": "sub_1"}`, "set by the server"},
		{"speaker type", `{"name": "x", "speaker": 3}`, "speaker"},
		{"claims only without selection", `{"name": "x", "entities": ["qatar"], "claims_only": true}`, "claims_only"},
		{"two values", `{"name": "x", "query": "a"} {}`, "more than one"},
		{"search-only syntax", `{"name": "x", "query": "title:غزة"}`, "/api/search only"},
		{"fuzzy", `{"name": "x", "query": "Kalin~1"}`, "/api/search only"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			code, body := do(t, h, "POST", "/api/subscriptions", c.body)
			var resp map[string]string
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("body %s is not JSON: %v", body, err)
			}
			if code != http.StatusBadRequest || !strings.Contains(resp["error"], c.wantErr) {
				t.Fatalf("got %d %q, want 400 mentioning %q", code, resp["error"], c.wantErr)
			}
		})
	}
	t.Run("body too large", func(t *testing.T) {
		big := `{"name": "x", "query": "` + strings.Repeat("a", MaxBodyBytes) + `"}`
		if code, _ := do(t, h, "POST", "/api/subscriptions", big); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", code)
		}
	})

	code, body := do(t, h, "POST", "/api/subscriptions", good)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var sub Subscription
	if err := json.Unmarshal(body, &sub); err != nil || sub.ID == "" || len(sub.Webhooks) != 1 || sub.Origin != OriginAPI {
		t.Fatalf("created %s (%v)", body, err)
	}
	if code, _ := do(t, h, "POST", "/api/subscriptions", good); code != http.StatusConflict {
		t.Fatalf("duplicate name: %d, want 409", code)
	}
	code, body = do(t, h, "GET", "/api/subscriptions", "")
	var list struct{ Subscriptions []Subscription }
	if err := json.Unmarshal(body, &list); code != 200 || err != nil || len(list.Subscriptions) != 1 {
		t.Fatalf("list: %d %s", code, body)
	}

	e.ingest(t, loadBatch(t)...)
	code, body = do(t, h, "GET", "/api/subscriptions/"+sub.ID+"/deliveries", "")
	var dl struct{ Deliveries []Delivery }
	if err := json.Unmarshal(body, &dl); code != 200 || err != nil || len(dl.Deliveries) != 1 || dl.Deliveries[0].Status != StatusPending {
		t.Fatalf("deliveries: %d %s", code, body)
	}

	req := httptest.NewRequest("GET", "/api/subscriptions/"+sub.ID+"/feed", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var feed atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil || rec.Code != 200 {
		t.Fatalf("feed: %d %v\n%s", rec.Code, err, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("feed content type %q", ct)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].Links[0].Href != "https://ahram.example/a1" || !strings.HasPrefix(feed.Links[0].Href, "http://mirsad.test/") {
		t.Errorf("feed = %+v", feed)
	}

	for _, p := range []string{"/api/subscriptions/nope/feed", "/api/subscriptions/nope/deliveries"} {
		if code, _ := do(t, h, "GET", p, ""); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
	if code, _ := do(t, h, "DELETE", "/api/subscriptions/"+sub.ID, ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	if code, _ := do(t, h, "DELETE", "/api/subscriptions/"+sub.ID, ""); code != http.StatusNotFound {
		t.Fatalf("delete again: %d, want 404", code)
	}
	if n, _ := e.svc.DeliverDue(context.Background()); !n.IsZero() {
		t.Error("outbox still holds the deleted subscription's delivery")
	}
}

// TestSync: config subscriptions are keyed by name across restarts,
// updated in place, removed when gone from the config, and not deletable
// through the API.
func TestSync(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "", nil)
	cfg := []Subscription{
		{Name: "cairo-talks", Query: "هدنة غزة"},
		{Name: "kalin", Speaker: StringList{"ibrahim-kalin"}},
	}
	if err := e.svc.Sync(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	first, _ := e.svc.Subscriptions(ctx)
	// A restart with one query changed and the same list otherwise.
	restarted, err := New(e.svc.opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg[0].Query = "هدنة غزة القاهرة"
	if err := restarted.Sync(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	second, _ := restarted.Subscriptions(ctx)
	if len(second) != 2 || second[0].ID != first[0].ID || second[1].ID != first[1].ID || second[0].Query != "هدنة غزة القاهرة" {
		t.Fatalf("after restart: %+v\nbefore: %+v", second, first)
	}
	if err := restarted.Delete(ctx, "kalin"); !errors.Is(err, ErrConflict) {
		t.Fatalf("delete of a config subscription: %v, want ErrConflict", err)
	}
	if err := restarted.Sync(ctx, cfg[:1]); err != nil {
		t.Fatal(err)
	}
	if third, _ := restarted.Subscriptions(ctx); len(third) != 1 || third[0].Name != "cairo-talks" {
		t.Fatalf("after removing kalin from the config: %+v", third)
	}
	err = restarted.Sync(ctx, []Subscription{{Name: "x", Lang: "fr", Query: "a"}})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "lang" {
		t.Fatalf("bad config entry: %v", err)
	}
}

func TestCommand(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, "", nil)
	run := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := Command(ctx, e.svc, args, &out, &errb)
		return out.String(), err
	}
	for _, args := range [][]string{nil, {"frobnicate"}, {"add"}, {"add", "-name", "x", "-lang", "fr", "Gaza"}, {"remove"}, {"test"}, {"test", "-days", "0", "x"}} {
		if _, err := run(args...); !errors.Is(err, ErrUsage) {
			t.Errorf("%q: err %v, want ErrUsage", args, err)
		}
	}
	if out, err := run("add", "-name", "ansari", "-speaker", "majed-al-ansari", "-claims-only", "المرحلة", "الثانية"); err != nil || !strings.Contains(out, "added sub_") {
		t.Fatalf("add: %q %v", out, err)
	}
	if out, err := run("add", "-name", "rafah", "-q", "Rafah", "-webhook", "https://example.org/h", "-secret-env", "HOOK"); err != nil {
		t.Fatalf("add: %q %v", out, err)
	}
	out, err := run("list")
	if err != nil || !strings.Contains(out, "ansari") || !strings.Contains(out, "claims-only") || !strings.Contains(out, "https://example.org/h") {
		t.Fatalf("list: %q %v", out, err)
	}

	// test looks back over the main index; the batch is dated 3-6 Nov
	// and the clock reads 6 Nov noon.
	e.ingest(t, loadBatch(t)...)
	out, err = run("test", "-days", "7", "ansari")
	if err != nil || !strings.Contains(out, "alerted 1 times") || !strings.Contains(out, "a3") && !strings.Contains(out, "alarabiya") {
		t.Fatalf("test: %q %v", out, err)
	}
	out, err = run("test", "-days", "1", "ansari")
	if err != nil || !strings.Contains(out, "alerted 0 times") {
		t.Fatalf("test -days 1: %q %v", out, err)
	}
	if out, err = run("test", "rafah"); err != nil || !strings.Contains(out, "alerted 1 times") {
		t.Fatalf("test rafah: %q %v", out, err)
	}
	if _, err := run("remove", "rafah"); err != nil {
		t.Fatal(err)
	}
	if _, err := run("remove", "rafah"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove twice: %v", err)
	}
}

// FuzzCreate: whatever the body, the API answers a 2xx or a 4xx with a
// JSON error, never a 5xx.
func FuzzCreate(f *testing.F) {
	for _, s := range []string{
		`{"name": "a", "query": "\"هدنة غزة"}`,
		`{"name": "b", "query": "-x y", "lang": "en", "speaker": ["p", "q"]}`,
		`{"name": "c", "entities": "qatar,egypt", "claims_only": true, "speaker": "k"}`,
		`{"name": "d", "query": "«»", "webhook": {"url": "http://[::1]:99/x", "secret_env": "A"}}`,
		`[]`, `null`, `{"name": "\u0000"}`,
	} {
		f.Add(s)
	}
	db := openDB(f)
	svc, err := New(Options{DB: db})
	if err != nil {
		f.Fatal(err)
	}
	h := svc.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/subscriptions", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q: status %d %s", body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var resp map[string]string
			if err := json.NewDecoder(io.LimitReader(rec.Body, 1<<20)).Decode(&resp); err != nil || resp["error"] == "" {
				t.Fatalf("%q: error body %q", body, rec.Body)
			}
		}
	})
}

// FuzzParseText: clauses are never empty, the query builder never panics,
// and the prefilter agrees with the query on what can match.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{`"هدنة غزة" -القاهرة`, `«المرحلة الثانية`, `- -- "" «» “x”`, "a\u00a0b", "-\"\""} {
		f.Add(s)
	}
	svc, err := New(Options{DB: openDB(f)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, c := range parseText(q) {
			if c.Text == "" {
				t.Fatalf("%q: empty clause", q)
			}
			if c.Field != "" || c.Fuzzy > 0 || c.Prefix || c.Regexp || c.Boost > 0 {
				return // syntax that Validate refuses for subscriptions
			}
		}
		tq := textQuery(svc.mapping, q, "")
		// The prefilter must allow what the query could match: a batch
		// holding every term the analyzers produce for q passes it.
		p := newPrefilter(svc.mapping, q, "")
		all := termSet{}
		for _, lang := range p.langs {
			for _, alts := range lang {
				for _, fn := range alts {
					if all[fn.field] == nil {
						all[fn.field] = map[string]struct{}{}
					}
					for _, g := range fn.groups {
						for _, term := range g {
							all[fn.field][term] = struct{}{}
						}
					}
				}
			}
		}
		if tq != nil && len(p.langs) > 0 && !p.possible(all) {
			t.Fatalf("%q: prefilter rejects a batch holding all its terms", q)
		}
		if (tq == nil) != (len(p.langs) == 0) {
			t.Fatalf("%q: query nil=%v but prefilter has %d languages", q, tq == nil, len(p.langs))
		}
	})
}
